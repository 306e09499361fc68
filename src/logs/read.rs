//! The read of all inputs and the per-file read loop: files are spread over the cores with
//! rayon, each building its own accumulator, merged at the end (a lone large gzip file is
//! inflated on a thread of its own instead, `pipe`). Each line is read whole (up to
//! [`MAX_LINE`]), its file's layout detected from the first lines (`detect`), and the record
//! parsed (`formats`), classified (`classify`) and counted; CloudFront records go through
//! `cloudfront`. Parquet files (CloudFront standard logging v2) are read by `parquet_file`, row
//! group by row group, into the same CloudFront record builder and classifier.

use std::io::{self, BufRead};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::alb::count_alb_line;
use super::cloudfront::{cloudfront_record, distribution_of_file_name, json_record};
use super::detect::{Detected, Foreign, JsonVerdict, Layout, detect, prove_json};
use super::formats::{parse_cloudfront, parse_flow};
use super::input::{
    BYTES_READ, OBJECTS_READ, PARQUET_STDIN, expand, is_parquet, open, progress_loop,
};
use super::options::LogOptions;
use super::stream::{StreamSource, read_streams};
use super::summary::{Acc, LogSummary, UnreadFile, build};

/// Longest line read whole; longer lines are counted bad and skipped.
const MAX_LINE: usize = 1 << 20;

/// Why logs could not be read at all.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum LogError {
    /// Nothing matched the inputs.
    #[error("no log files found in {inputs}")]
    #[diagnostic(
        code(logs::no_input),
        help("pass files, directories, globs (quoted) or `-` for stdin")
    )]
    NoInput {
        /// The inputs as given.
        inputs: String,
    },
    /// No input held a record edgepath reads and can classify: the inputs and what each
    /// looked like. Never a "No 5xx": nothing was looked at.
    #[error("no CloudFront, ALB or VPC flow log record in the {count} input file(s):\n{inputs}")]
    #[diagnostic(
        code(logs::nothing_recognised),
        help(
            "edgepath reads CloudFront standard logs (W3C, v2 JSON, Parquet), CloudFront real-time logs (--log-format cloudfront-realtime --fields …), ALB access logs and VPC flow logs; check the bucket or prefix the logs came from"
        )
    )]
    NothingRecognised {
        /// Files tried.
        count: usize,
        /// One line per file: `  name: what it looked like`.
        inputs: String,
    },
}

/// Reads and classifies every input.
///
/// # Errors
/// No input found, or no input holds a record of a format edgepath reads that it can classify
/// ([`LogError::NothingRecognised`]: empty, binary, truncated, another log, …). Bad lines and
/// such files among readable ones are warnings in the summary, each file named.
pub fn summarize(inputs: &[PathBuf], opts: &LogOptions) -> Result<LogSummary, LogError> {
    summarize_inputs(inputs, &[], opts)
}

/// Reads and classifies every input: local files (as [`summarize`]) and named streams (objects
/// of a [`StreamSource`], e.g. S3), each stream read as one more file through the same readers.
///
/// # Errors
/// As [`summarize`]; the inputs are the files and the stream sources together.
pub fn summarize_inputs(
    inputs: &[PathBuf],
    streams: &[&dyn StreamSource],
    opts: &LogOptions,
) -> Result<LogSummary, LogError> {
    let files = expand(inputs);
    let objects: usize = streams.iter().map(|s| s.objects().len()).sum();
    if files.is_empty() && objects == 0 {
        return Err(LogError::NoInput {
            inputs: inputs
                .iter()
                .map(|p| p.display().to_string())
                .chain(streams.iter().map(|s| s.describe()))
                .collect::<Vec<_>>()
                .join(" "),
        });
    }
    // Fewer files than cores: per-file parallelism leaves cores idle, so inflate each gzip input
    // on its own thread, ahead of the parser.
    let pipelined = files.len() + objects < rayon::current_num_threads();
    // Each input's accumulator is merged as soon as its neighbours are done (an order-keeping
    // reduce: the merge is associative, so the result is the sequential one), so memory does
    // not grow with the number of inputs.
    let read_all = || {
        let mut total = files
            .par_iter()
            .map(|f| read_one(f, opts, pipelined))
            .reduce(Acc::default, merged);
        for src in streams {
            total.merge(read_streams(*src, opts));
        }
        total
    };
    let total: Acc = if opts.progress {
        let total: u64 = files
            .iter()
            .filter_map(|f| std::fs::metadata(f).ok())
            .map(|m| m.len())
            .chain(
                streams
                    .iter()
                    .flat_map(|s| s.objects().iter().map(|o| o.size)),
            )
            .sum();
        BYTES_READ.store(0, Ordering::Relaxed);
        OBJECTS_READ.store(0, Ordering::Relaxed);
        let done = AtomicBool::new(false);
        std::thread::scope(|s| {
            s.spawn(|| progress_loop(total, objects as u64, &done));
            let total = read_all();
            done.store(true, Ordering::Relaxed);
            total
        })
    } else {
        read_all()
    };
    let count = files.len() + objects;
    if total.recognised == 0 {
        let inputs = total
            .unread
            .iter()
            .map(|u| format!("  {}: {}", u.file, u.looks_like))
            .collect::<Vec<_>>()
            .join("\n");
        return Err(LogError::NothingRecognised { count, inputs });
    }
    Ok(build(total, opts.timeouts.clone()))
}

/// `a` with `b` merged into it (for reduces).
pub(super) fn merged(mut a: Acc, b: Acc) -> Acc {
    a.merge(b);
    a
}

/// Reads one line into `buf` (without the newline), capping its length. Returns bytes consumed,
/// 0 at end of input, and whether the line was cut.
pub(super) fn read_line(r: &mut dyn BufRead, buf: &mut Vec<u8>) -> io::Result<(usize, bool)> {
    buf.clear();
    let mut consumed = 0;
    let mut cut = false;
    loop {
        let available = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        let (chunk, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (&available[..i], Some(i + 1)),
            None => (available, None),
        };
        if buf.len() < MAX_LINE {
            let room = MAX_LINE - buf.len();
            buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
            cut |= chunk.len() > room;
        } else {
            cut = true;
        }
        let n = done.unwrap_or(available.len());
        consumed += n;
        r.consume(n);
        if done.is_some() {
            break;
        }
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok((consumed, cut))
}

/// Reads a CloudFront standard logging v2 Parquet file: each row, as the fields of the columns
/// the classifier reads, goes through the same record builder and classifier as a W3C line; bad
/// rows are sampled as `file:row N`. Row groups are read in parallel.
#[cfg(feature = "parquet")]
pub(super) fn read_parquet(
    path: &Path,
    name: &str,
    opts: &LogOptions,
    bytes_read: &std::sync::atomic::AtomicU64,
) -> Acc {
    let mut acc = Acc::default();
    if path.as_os_str() == "-" {
        acc.warnings
            .push(format!("{name}: cannot read: {PARQUET_STDIN}"));
        return acc;
    }
    let file = match super::parquet_file::ParquetLogFile::open(path) {
        Ok(file) => file,
        Err(super::parquet_file::Unreadable(why)) => {
            acc.warnings.push(format!("{name}: {why}"));
            return acc;
        }
    };
    acc.files = 1;
    acc.warnings
        .extend(file.warnings().into_iter().map(|w| format!("{name}: {w}")));
    let file_distribution = distribution_of_file_name(Path::new(name));
    // One accumulator per row group, merged in row-group order (so bad-line samples come in
    // file order): a single large file uses every core.
    let groups: Vec<Acc> = (0..file.row_groups())
        .into_par_iter()
        .map(|g| {
            let mut counter = super::parquet_count::RowGroupCounter::new(
                opts,
                name,
                &file_distribution,
                file.layout(),
                file.status_date_time(),
            );
            let eager = counter.eager_columns();
            if let Some(w) = file.read_row_group(g, bytes_read, &eager, &mut counter) {
                counter.warn(format!("{name}: {w}"));
            }
            counter.finish()
        })
        .collect();
    for group_acc in groups {
        acc.merge(group_acc);
    }
    acc
}

/// Without the `parquet` feature a Parquet input is a warning, and the other inputs are read.
#[cfg(not(feature = "parquet"))]
pub(super) fn read_parquet(
    path: &Path,
    name: &str,
    _opts: &LogOptions,
    _bytes_read: &std::sync::atomic::AtomicU64,
) -> Acc {
    let mut acc = Acc::default();
    let why = if path.as_os_str() == "-" {
        PARQUET_STDIN
    } else {
        "a Parquet file, but this edgepath was built without Parquet support (rebuild with `--features parquet`)"
    };
    acc.warnings.push(format!("{name}: cannot read: {why}"));
    acc
}

/// Names `name` in the summary's unread files and warnings when it yielded no record that can
/// be classified, saying what it `looks_like`.
pub(super) fn unread(acc: &mut Acc, name: &str, looks_like: String, warn: bool) {
    if warn {
        acc.warnings
            .push(format!("{name}: no record read: {looks_like}"));
    }
    acc.unread.push(UnreadFile {
        file: name.to_owned(),
        looks_like,
    });
}

/// What a Parquet input that yielded no classifiable record looked like.
pub(super) fn finish_parquet(acc: &mut Acc, name: &str) {
    if acc.recognised > 0 {
        return;
    }
    if acc.files == 0 {
        // Refused: its warning already names it and why.
        let prefix = format!("{name}: ");
        let why = acc
            .warnings
            .first()
            .map(|w| w.strip_prefix(&prefix).unwrap_or(w).to_owned())
            .unwrap_or_else(|| "cannot read".to_owned());
        unread(acc, name, why, false);
        return;
    }
    let looks_like = if acc.no_status > 0 {
        "CloudFront Parquet without an sc_status column: no record can be classified".to_owned()
    } else if acc.bad_lines > 0 {
        format!(
            "CloudFront Parquet, but none of its {} row(s) could be read",
            acc.bad_lines
        )
    } else {
        "CloudFront Parquet with no row".to_owned()
    };
    unread(acc, name, looks_like, true);
}

/// How the read of one text file ended, for naming it when it yielded nothing.
#[derive(Default)]
struct Ending {
    /// The foreign format its first line or record showed.
    foreign: Option<Foreign>,
    /// A line other than blanks and `#` comments was seen.
    meaningful: bool,
    /// The read stopped on an error.
    failed: bool,
    /// A `#Fields:` line of an RTMP (streaming) distribution.
    rtmp: bool,
}

/// Names a text file in warnings when it held CloudFront records without a status, and in the
/// unread files when it yielded no classifiable record.
fn finish_text(acc: &mut Acc, name: &str, layout: Option<&Layout>, end: Ending, gzip: bool) {
    let what_no_status = if end.rtmp {
        "an RTMP (streaming) distribution's log"
    } else {
        "the log's field selection lacks sc-status"
    };
    if acc.no_status > 0 && acc.recognised > 0 {
        acc.warnings.push(format!(
            "{name}: {} CloudFront record(s) without sc-status ({what_no_status}): counted, but they cannot be classified",
            acc.no_status
        ));
    }
    if acc.recognised > 0 {
        return;
    }
    let looks_like = if let Some(f) = end.foreign {
        f.to_string()
    } else if end.failed && gzip {
        "truncated or corrupt gzip".to_owned()
    } else if end.failed {
        "unreadable (the read stopped)".to_owned()
    } else if acc.no_status > 0 {
        format!(
            "CloudFront log without sc-status ({what_no_status}): its {} record(s) cannot be classified",
            acc.no_status
        )
    } else if !end.meaningful {
        match (layout, gzip) {
            (Some(_), _) => "a CloudFront header with no record".to_owned(),
            (None, true) => "empty (gzip)".to_owned(),
            (None, false) => "empty".to_owned(),
        }
    } else if let Some(l) = layout {
        format!(
            "{} by its first line, but none of its {} line(s) could be read",
            l.name(),
            acc.bad_lines
        )
    } else {
        "no record".to_owned()
    };
    unread(acc, name, looks_like, true);
}

/// Reads one input into its own accumulator (`pipelined`: inflate gzip on a thread of its own).
/// The format is decided once, on the first meaningful line (a JSON file: on its first record);
/// a file of another format stops there, named by what it looks like.
pub(super) fn read_one(path: &Path, opts: &LogOptions, pipelined: bool) -> Acc {
    let name = path.display().to_string();
    if is_parquet(path, opts) {
        let mut acc = read_parquet(path, &name, opts, &BYTES_READ);
        finish_parquet(&mut acc, &name);
        return acc;
    }
    match open(path, pipelined) {
        Ok((reader, gzip)) => read_text(&name, reader, gzip, opts),
        Err(e) => cannot_read(&name, &e),
    }
}

/// The accumulator of an input that could not be opened: a warning and an unread file.
pub(super) fn cannot_read(name: &str, e: &dyn std::fmt::Display) -> Acc {
    let mut acc = Acc::default();
    let why = format!("cannot read: {e}");
    acc.warnings.push(format!("{name}: {why}"));
    unread(&mut acc, name, why, false);
    acc
}

/// Reads one text input (plain or inflated gzip) named `name` (a path, or an S3 object's
/// `s3://bucket/key`): the per-line loop.
pub(super) fn read_text(
    name: &str,
    mut reader: Box<dyn BufRead + Send>,
    gzip: bool,
    opts: &LogOptions,
) -> Acc {
    let name = name.to_owned();
    let path = Path::new(&name);
    let mut acc = Acc {
        files: 1,
        ..Acc::default()
    };
    let mut buf = Vec::with_capacity(4096);
    let mut layout: Option<Layout> = None;
    let mut end = Ending::default();
    let mut line_no = 0u64;
    let mut json_pending: Vec<u8> = Vec::new();
    let file_distribution = distribution_of_file_name(path);
    loop {
        let (n, cut) = match read_line(&mut *reader, &mut buf) {
            Ok(x) => x,
            Err(e) => {
                acc.warnings.push(format!("{name}:{line_no}: read stopped: {e} (truncated or corrupt gzip?); the lines before were counted"));
                end.failed = true;
                break;
            }
        };
        if n == 0 {
            break;
        }
        line_no += 1;
        // A cut line is bad, except while the format is still open: a CloudTrail export is one
        // line of megabytes, and its start is enough to name it.
        if cut && !matches!(layout, None | Some(Layout::Json { proven: false })) {
            acc.bad(|| format!("{name}:{line_no}: line longer than {MAX_LINE} bytes"));
            continue;
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if buf.starts_with(b"#") {
            if buf.starts_with(b"#Fields:") {
                if let Detected::Read(l) = detect(&buf, opts) {
                    layout = Some(l);
                }
                end.rtmp = memchr::memmem::find(&buf, b" x-event ").is_some();
            }
            continue;
        }
        end.meaningful = true;
        if layout.is_none() {
            match detect(&buf, opts) {
                Detected::Foreign(f) => {
                    end.foreign = Some(f);
                    break;
                }
                Detected::Read(l) => {
                    let is_json = matches!(l, Layout::Json { .. });
                    let flow_header = matches!(l, Layout::Flow(_)) && buf.starts_with(b"version ");
                    layout = Some(l);
                    if flow_header {
                        continue;
                    }
                    if cut && !is_json {
                        acc.bad(|| format!("{name}:{line_no}: line longer than {MAX_LINE} bytes"));
                        continue;
                    }
                }
            }
        }
        match layout.as_mut().expect("set above") {
            Layout::Cloudfront(cols) => match parse_cloudfront(&buf, cols) {
                Ok(rec) => cloudfront_record(&mut acc, opts, &rec, &file_distribution),
                Err(reason) => acc.bad(|| format!("{name}:{line_no}: {reason}")),
            },
            Layout::Json { proven } => {
                json_pending.extend_from_slice(&buf);
                json_pending.push(b'\n');
                let open_braces = json_pending.iter().filter(|&&b| b == b'{').count();
                let close_braces = json_pending.iter().filter(|&&b| b == b'}').count();
                if open_braces > close_braces && json_pending.len() < MAX_LINE {
                    continue;
                }
                let record = std::mem::take(&mut json_pending);
                if !*proven {
                    match prove_json(&record) {
                        JsonVerdict::Cloudfront => *proven = true,
                        JsonVerdict::Foreign(f) => {
                            end.foreign = Some(f);
                            break;
                        }
                        JsonVerdict::Invalid => {
                            acc.bad(|| format!("{name}:{line_no}: not a JSON object"));
                            continue;
                        }
                    }
                }
                json_record(&mut acc, opts, &record, &name, line_no, &file_distribution);
            }
            Layout::Alb(scratch) => count_alb_line(&mut acc, opts, &buf, scratch, |reason| {
                format!("{name}:{line_no}: {reason}")
            }),
            Layout::Flow(cols) => match parse_flow(&buf, cols) {
                Ok(r) => {
                    acc.recognised += 1;
                    acc.records += 1;
                    acc.flow_records += 1;
                    if r.reject {
                        *acc.flow_rejects
                            .entry(String::from_utf8_lossy(r.dstport).into_owned())
                            .or_default() += 1;
                        *acc.flow_reject_interfaces
                            .entry(String::from_utf8_lossy(r.interface).into_owned())
                            .or_default() += 1;
                    }
                }
                Err(reason) => acc.bad(|| format!("{name}:{line_no}: {reason}")),
            },
        }
    }
    if !json_pending.is_empty() && end.foreign.is_none() {
        if let (Some(Layout::Json { proven: false }), JsonVerdict::Foreign(f)) =
            (&layout, prove_json(&json_pending))
        {
            end.foreign = Some(f);
        } else {
            acc.bad(|| format!("{name}:{line_no}: JSON record not closed at end of file"));
        }
    }
    finish_text(&mut acc, &name, layout.as_ref(), end, gzip);
    acc
}

#[cfg(test)]
mod tests {
    use super::{LogOptions, read_one};

    #[test]
    fn a_par1_file_is_read_as_parquet_or_refused_with_the_reason() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("logs.bin");
        std::fs::write(&path, b"PAR1 not really parquet").expect("write");
        let acc = read_one(&path, &LogOptions::default(), false);
        assert_eq!((acc.files, acc.records, acc.bad_lines), (0, 0, 0));
        let want = if cfg!(feature = "parquet") {
            "not a readable Parquet file"
        } else {
            "built without Parquet support"
        };
        assert!(
            acc.warnings
                .iter()
                .any(|w| w.contains(want) && w.contains("logs.bin")),
            "{:?}",
            acc.warnings
        );
    }
}
