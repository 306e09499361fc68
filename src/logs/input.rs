//! Where the bytes come from: inputs (files, directories, globs, `-` for stdin) expanded to
//! files, each opened as plain text, gzip (inflated inline, or by [`Piped`] on a thread of its
//! own when there are fewer files than cores) or told to be Parquet (`PAR1` magic or a
//! `.parquet` name), and the raw bytes read counted for the progress bar. What the lines mean is
//! `detect`'s and the parsers' business.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::gzip::{GzipReader, Members};
use super::options::{LogFormat, LogOptions};
use super::pipe::{PIPE_CHUNK, PIPE_DEPTH, Piped};

/// The first four bytes of every Parquet file.
const PARQUET_MAGIC: &[u8; 4] = b"PAR1";

/// Why Parquet is not read from stdin.
pub(super) const PARQUET_STDIN: &str = "a Parquet file cannot be read from stdin (its index is at the end of the file); pass its path instead";

/// Counts the raw (compressed, for `.gz`) bytes read, in a counter shared by all workers;
/// updated once per underlying read (256 KiB buffer), not per line.
pub(super) struct Counting<R> {
    pub(super) inner: R,
    pub(super) counter: &'static AtomicU64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Raw bytes read so far by every worker (for the progress bar).
pub(super) static BYTES_READ: AtomicU64 = AtomicU64::new(0);
/// Streamed objects (S3) read to their end so far (for the progress bar).
pub(super) static OBJECTS_READ: AtomicU64 = AtomicU64::new(0);

/// Draws a bytes-read bar on stderr from `BYTES_READ` (and `OBJECTS_READ` of `objects` when
/// objects are streamed), after a 2 s grace period, until `done`.
pub(super) fn progress_loop(total: u64, objects: u64, done: &AtomicBool) {
    use std::io::IsTerminal;
    if !io::stderr().is_terminal() {
        return;
    }
    let start = Instant::now();
    let mut bar: Option<indicatif::ProgressBar> = None;
    while !done.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(100));
        if bar.is_none() && start.elapsed() >= Duration::from_secs(2) {
            let b = indicatif::ProgressBar::with_draw_target(
                Some(total),
                indicatif::ProgressDrawTarget::stderr_with_hz(10),
            );
            b.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} reading logs [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta}{msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar = Some(b);
        }
        if let Some(b) = &bar {
            b.set_position(BYTES_READ.load(Ordering::Relaxed).min(total));
            if objects > 0 {
                b.set_message(format!(
                    " {}/{objects} objects",
                    OBJECTS_READ.load(Ordering::Relaxed).min(objects)
                ));
            }
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
}

/// Files, directories (recursive), globs and `-`.
pub(super) fn expand(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for input in inputs {
        let s = input.to_string_lossy();
        if s == "-" {
            out.push(input.clone());
        } else if input.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(input)
                .into_iter()
                .flatten()
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|p| {
                    !p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                })
                .collect();
            found.sort();
            out.extend(found);
        } else if s.contains(['*', '?', '[']) {
            if let Ok(paths) = glob::glob(&s) {
                out.extend(paths.flatten().filter(|p| p.is_file()));
            }
        } else {
            out.push(input.clone());
        }
    }
    out
}

/// Opens `path` (or stdin) as lines of text, inflating gzip; the flag tells whether it was gzip
/// (a read that stops early is then a truncated or corrupt gzip file).
pub(super) fn open(path: &Path, pipelined: bool) -> io::Result<(Box<dyn BufRead + Send>, bool)> {
    let raw: Box<dyn Read + Send> = if path.as_os_str() == "-" {
        Box::new(Counting {
            inner: io::stdin(),
            counter: &BYTES_READ,
        })
    } else {
        Box::new(Counting {
            inner: File::open(path)?,
            counter: &BYTES_READ,
        })
    };
    match sniff(raw, pipelined, path.as_os_str() != "-")? {
        Sniffed::Text(reader, gzip) => Ok((reader, gzip)),
        Sniffed::Parquet(_) => Err(io::Error::new(io::ErrorKind::InvalidData, PARQUET_STDIN)),
    }
}

/// What a stream of bytes turned out to be by its first bytes.
pub(super) enum Sniffed {
    /// Lines of text (inflated when the flag says gzip).
    Text(Box<dyn BufRead + Send>, bool),
    /// A Parquet file (`PAR1`): the stream, nothing consumed, for a reader that needs random
    /// access to copy it somewhere first.
    Parquet(BufReader<Box<dyn Read + Send>>),
}

/// Opens a raw stream as lines of text, inflating gzip (on a thread of its own when
/// `pipelined`; `join_on_drop` as [`Piped::spawn`]), or tells it is Parquet.
pub(super) fn sniff(
    raw: Box<dyn Read + Send>,
    pipelined: bool,
    join_on_drop: bool,
) -> io::Result<Sniffed> {
    let mut buffered = BufReader::with_capacity(256 * 1024, raw);
    let magic = buffered.fill_buf()?;
    if magic.starts_with(PARQUET_MAGIC) {
        return Ok(Sniffed::Parquet(buffered));
    }
    if magic.starts_with(&[0x1f, 0x8b]) {
        if pipelined {
            return Ok(Sniffed::Text(
                Box::new(Piped::spawn(
                    Members::new(buffered),
                    PIPE_CHUNK,
                    PIPE_DEPTH,
                    join_on_drop,
                )),
                true,
            ));
        }
        Ok(Sniffed::Text(
            Box::new(BufReader::with_capacity(
                256 * 1024,
                GzipReader::new(buffered),
            )),
            true,
        ))
    } else {
        Ok(Sniffed::Text(Box::new(buffered), false))
    }
}

/// Whether `path` is read as Parquet: forced, a `.parquet` name, or the `PAR1` magic. Stdin is
/// only Parquet when forced (`open` refuses a `PAR1` stream with a clear message).
pub(super) fn is_parquet(path: &Path, opts: &LogOptions) -> bool {
    if opts.format == Some(LogFormat::CloudfrontParquet) {
        return true;
    }
    if path.as_os_str() == "-" {
        return false;
    }
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
    {
        return true;
    }
    let mut magic = [0u8; 4];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok_and(|()| &magic == PARQUET_MAGIC)
}
