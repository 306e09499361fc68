//! Inputs (files, directories, globs, stdin; gzip or plain), format detection, and the
//! per-file read loop. Parquet files (CloudFront standard logging v2) are told by their `PAR1`
//! magic or `.parquet` extension and read by `parquet_file`, row group by row group, into the
//! same CloudFront parser and classifier. Files are spread over the cores with rayon; each builds its own
//! accumulator, merged at the end. When there are fewer files than cores (e.g. one large
//! `.gz`), each gzip input is read by a pipeline instead: a thread inflates into large buffers
//! handed over a bounded channel to the parsing thread, so inflate and parse run on two cores.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::classify::{Signature, Timeouts, classify};
#[cfg(feature = "parquet")]
use super::formats::record_of_fields;
use super::formats::{
    CfColumns, FLOW_V2, FlowColumns, alb_kind, parse_alb, parse_cloudfront, parse_flow,
};
use super::gzip::{Crc, GzipReader, Members, Step, Trailer};
use super::summary::{Acc, BucketKey, LogSummary, build};

/// The first four bytes of every Parquet file.
const PARQUET_MAGIC: &[u8; 4] = b"PAR1";

/// Longest line read whole; longer lines are counted bad and skipped.
const MAX_LINE: usize = 1 << 20;

/// A log format (detected, or forced with `--log-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// CloudFront standard logs, W3C (legacy or v2; `#Fields:` header or the 33 canonical columns).
    Cloudfront,
    /// CloudFront standard logging v2, JSON (one object per record, values are strings).
    CloudfrontJson,
    /// ALB access logs.
    Alb,
    /// VPC flow logs (default v2 or a custom header line).
    Flow,
    /// CloudFront real-time logs (tab separated; the fields come from `--fields`).
    CloudfrontRealtime,
    /// CloudFront standard logging v2, Parquet (S3 delivery; string columns named like
    /// `sc_status`; detected anyway by the `PAR1` magic or a `.parquet` extension).
    CloudfrontParquet,
}

/// CloudFront real-time log field names (AWS's canonical order, older and newer fields).
pub const REALTIME_FIELDS: &[&str] = &[
    "timestamp",
    "c-ip",
    "time-to-first-byte",
    "sc-status",
    "sc-bytes",
    "cs-method",
    "cs-protocol",
    "cs-host",
    "cs-uri-stem",
    "cs-bytes",
    "x-edge-location",
    "x-edge-request-id",
    "x-host-header",
    "time-taken",
    "cs-protocol-version",
    "c-ip-version",
    "cs-user-agent",
    "cs-referer",
    "cs-cookie",
    "cs-uri-query",
    "x-edge-response-result-type",
    "x-forwarded-for",
    "ssl-protocol",
    "ssl-cipher",
    "x-edge-result-type",
    "fle-encrypted-fields",
    "fle-status",
    "sc-content-type",
    "sc-content-len",
    "sc-range-start",
    "sc-range-end",
    "c-port",
    "x-edge-detailed-result-type",
    "c-country",
    "cs-accept-encoding",
    "cs-accept",
    "cache-behavior-path-pattern",
    "cs-headers",
    "cs-header-names",
    "cs-headers-count",
    "origin-fbl",
    "origin-lbl",
    "asn",
    "primary-distribution-id",
    "primary-distribution-dns-name",
    "r-host",
    "s-ip",
    "sr-reason",
    "cmcd-encoded-bitrate",
    "cmcd-buffer-length",
    "cmcd-buffer-starvation",
    "cmcd-content-id",
    "cmcd-object-duration",
    "cmcd-deadline",
    "cmcd-measured-throughput",
    "cmcd-next-object-request",
    "cmcd-next-range-request",
    "cmcd-object-type",
    "cmcd-playback-rate",
    "cmcd-requested-maximum-throughput",
    "cmcd-streaming-format",
    "cmcd-session-id",
    "cmcd-stream-type",
    "cmcd-startup",
    "cmcd-top-bitrate",
    "cmcd-version",
    "distribution-tenant-id",
    "connection-id",
    "viewer-request-log-data",
];

/// Checks a `--fields` list for `--log-format cloudfront-realtime` and returns the fields in the
/// order the lines carry them: CloudFront writes the selected fields in its own fixed order
/// ([`REALTIME_FIELDS`]), whatever order they were selected (or listed here) in.
///
/// # Errors
/// An empty list, or a name that is not a real-time log field.
pub fn parse_realtime_fields(list: &str) -> Result<Vec<String>, String> {
    let mut fields: Vec<String> = list
        .split(',')
        .map(|f| f.trim().to_owned())
        .filter(|f| !f.is_empty())
        .collect();
    if fields.is_empty() {
        return Err("--fields is empty; list the real-time log fields in order, e.g. timestamp,c-ip,sc-status,...".into());
    }
    if let Some(bad) = fields
        .iter()
        .find(|f| !REALTIME_FIELDS.contains(&f.as_str()))
    {
        return Err(format!(
            "--fields: `{bad}` is not a CloudFront real-time log field (known: {})",
            REALTIME_FIELDS.join(",")
        ));
    }
    fields.sort_by_key(|f| REALTIME_FIELDS.iter().position(|k| k == f));
    fields.dedup();
    Ok(fields)
}

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
    /// Every input failed.
    #[error("none of the {count} input file(s) could be read; first problem: {first}")]
    #[diagnostic(code(logs::unreadable))]
    Unreadable {
        /// Files tried.
        count: usize,
        /// The first warning.
        first: String,
    },
}

/// One distribution's behaviors, from a snapshot, to map URIs to behaviors and timeouts.
#[derive(Debug, Clone, Default)]
pub struct DistributionBehaviors {
    /// Distribution id.
    pub id: String,
    /// Its `*.cloudfront.net` domain (matched against `cs(Host)`).
    pub domain: String,
    /// Ordered behaviors: (path pattern, timeouts of its origin); the default `*` last.
    pub behaviors: Vec<(String, Timeouts)>,
}

/// What `summarize` needs besides the inputs.
#[derive(Debug, Clone, Default)]
pub struct LogOptions {
    /// Force a format instead of detecting per file.
    pub format: Option<LogFormat>,
    /// Timeouts when no snapshot maps a record to its origin.
    pub timeouts: Timeouts,
    /// Distributions from a snapshot.
    pub distributions: Vec<DistributionBehaviors>,
    /// Only records at or after this minute (minutes since epoch).
    pub since: Option<i64>,
    /// Only records before this minute.
    pub until: Option<i64>,
    /// Only this distribution (id).
    pub distribution: Option<String>,
    /// Real-time log fields, in order (for `LogFormat::CloudfrontRealtime`).
    pub realtime_fields: Vec<String>,
    /// Show a progress bar on stderr (when it is a terminal) for inputs taking over ~2 s.
    pub progress: bool,
}

/// Counts the raw (compressed, for `.gz`) bytes read, in a counter shared by all workers;
/// updated once per underlying read (256 KiB buffer), not per line.
struct Counting<R> {
    inner: R,
    counter: &'static AtomicU64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Raw bytes read so far by every worker (for the progress bar).
static BYTES_READ: AtomicU64 = AtomicU64::new(0);

/// Draws a bytes-read bar on stderr from `BYTES_READ`, after a 2 s grace period, until `done`.
fn progress_loop(total: u64, done: &AtomicBool) {
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
                    "{spinner} reading logs [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar = Some(b);
        }
        if let Some(b) = &bar {
            b.set_position(BYTES_READ.load(Ordering::Relaxed).min(total));
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
}

/// Reads and classifies every input.
///
/// # Errors
/// No input found, or none readable. Bad lines and unreadable files among readable ones are
/// warnings in the summary.
pub fn summarize(inputs: &[PathBuf], opts: &LogOptions) -> Result<LogSummary, LogError> {
    let files = expand(inputs);
    if files.is_empty() {
        return Err(LogError::NoInput {
            inputs: inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" "),
        });
    }
    // Fewer files than cores: per-file parallelism leaves cores idle, so inflate each gzip input
    // on its own thread, ahead of the parser.
    let pipelined = files.len() < rayon::current_num_threads();
    let accs: Vec<Acc> = if opts.progress {
        let total: u64 = files
            .iter()
            .filter_map(|f| std::fs::metadata(f).ok())
            .map(|m| m.len())
            .sum();
        BYTES_READ.store(0, Ordering::Relaxed);
        let done = AtomicBool::new(false);
        std::thread::scope(|s| {
            s.spawn(|| progress_loop(total, &done));
            let accs = files
                .par_iter()
                .map(|f| read_one(f, opts, pipelined))
                .collect();
            done.store(true, Ordering::Relaxed);
            accs
        })
    } else {
        files
            .par_iter()
            .map(|f| read_one(f, opts, pipelined))
            .collect()
    };
    let mut total = Acc::default();
    let count = accs.len();
    for a in accs {
        total.merge(a);
    }
    if total.files == 0 {
        let first = total.warnings.first().cloned().unwrap_or_default();
        return Err(LogError::Unreadable { count, first });
    }
    Ok(build(total, opts.timeouts.clone()))
}

/// Files, directories (recursive), globs and `-`.
fn expand(inputs: &[PathBuf]) -> Vec<PathBuf> {
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

/// Inflated bytes per buffer handed from the inflating thread to the parser.
const PIPE_CHUNK: usize = 1 << 20;
/// Buffers in the channel (inflated but not yet parsed); with the one being filled and the one
/// being parsed, memory stays at most `(PIPE_DEPTH + 2) × PIPE_CHUNK`.
const PIPE_DEPTH: usize = 4;

/// What the inflating thread hands to the parser.
enum Piece {
    Data(Vec<u8>),
    /// A gzip member ended after the data sent so far: check it (on the parser's thread).
    MemberEnd(Trailer),
}

/// A `BufRead` over buffers inflated by another thread (see [`Piped::spawn`]). Lines may span
/// buffers: `read_line` keeps reading across them, so line numbers and content are unchanged.
/// The CRC-32 of each gzip member is computed here, on the parser's side, so the inflating
/// thread (the one that bounds the wall time) only inflates.
struct Piped {
    rx: Option<mpsc::Receiver<io::Result<Piece>>>,
    /// Parsed buffers go back to the inflating thread for reuse.
    back: mpsc::Sender<Vec<u8>>,
    cur: Vec<u8>,
    pos: usize,
    crc: Crc,
    /// The inflating thread, joined on drop (see the `Drop` impl).
    worker: Option<std::thread::JoinHandle<()>>,
    join_on_drop: bool,
}

impl Piped {
    /// Starts a thread inflating `members` into `chunk`-byte buffers, at most `depth` queued.
    /// `join_on_drop`: wait for the thread when dropped (false for stdin, whose read may block).
    fn spawn<R: BufRead + Send + 'static>(
        mut members: Members<R>,
        chunk: usize,
        depth: usize,
        join_on_drop: bool,
    ) -> Piped {
        /// Why a buffer is handed over.
        enum Handover {
            Full,
            MemberEnd(Trailer),
            End,
            Failed(io::Error),
        }
        let chunk = chunk.max(1);
        let (tx, rx) = mpsc::sync_channel::<io::Result<Piece>>(depth);
        let (back, recycled) = mpsc::channel::<Vec<u8>>();
        let worker = std::thread::spawn(move || {
            loop {
                let mut buf = recycled.try_recv().unwrap_or_default();
                buf.resize(chunk, 0);
                let mut filled = 0;
                let handover = loop {
                    if filled == chunk {
                        break Handover::Full;
                    }
                    match members.next(&mut buf[filled..]) {
                        Ok(Step::Data(n)) => filled += n,
                        Ok(Step::MemberEnd(trailer)) => break Handover::MemberEnd(trailer),
                        Ok(Step::End) => break Handover::End,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => break Handover::Failed(e),
                    }
                };
                buf.truncate(filled);
                if filled > 0 && tx.send(Ok(Piece::Data(buf))).is_err() {
                    return; // the parser stopped early
                }
                let sent = match handover {
                    Handover::Full => Ok(()),
                    Handover::MemberEnd(trailer) => tx.send(Ok(Piece::MemberEnd(trailer))),
                    Handover::End => return,
                    Handover::Failed(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                };
                if sent.is_err() {
                    return;
                }
            }
        });
        Piped {
            rx: Some(rx),
            back,
            cur: Vec::new(),
            pos: 0,
            crc: Crc::default(),
            worker: Some(worker),
            join_on_drop,
        }
    }
}

/// Dropping the receiver first makes the thread's next send fail, so it stops within one buffer
/// even when the parser stopped early. Joined, so that nothing of it outlives the read (a leak
/// checker saw its allocations otherwise); not joined for stdin, whose read may block for as long
/// as the writer keeps the pipe open.
impl Drop for Piped {
    fn drop(&mut self) {
        self.rx = None;
        if let Some(worker) = self.worker.take()
            && (self.join_on_drop || worker.is_finished())
        {
            let _ = worker.join();
        }
    }
}

impl Read for Piped {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(out.len());
        out[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Piped {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.pos >= self.cur.len() {
            let Some(rx) = &self.rx else { break };
            match rx.recv() {
                Ok(Ok(Piece::Data(next))) => {
                    self.crc.update(&next);
                    let used = std::mem::replace(&mut self.cur, next);
                    self.pos = 0;
                    if used.capacity() > 0 {
                        let _ = self.back.send(used);
                    }
                }
                Ok(Ok(Piece::MemberEnd(trailer))) => {
                    if let Err(e) = self.crc.check(trailer) {
                        self.rx = None;
                        return Err(e);
                    }
                }
                Ok(Err(e)) => {
                    self.rx = None;
                    return Err(e);
                }
                Err(_) => self.rx = None, // end of input
            }
        }
        Ok(&self.cur[self.pos.min(self.cur.len())..])
    }

    fn consume(&mut self, n: usize) {
        self.pos += n;
    }
}

fn open(path: &Path, pipelined: bool) -> io::Result<Box<dyn BufRead + Send>> {
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
    let mut buffered = BufReader::with_capacity(256 * 1024, raw);
    let magic = buffered.fill_buf()?;
    if magic.starts_with(PARQUET_MAGIC) {
        return Err(io::Error::new(io::ErrorKind::InvalidData, PARQUET_STDIN));
    }
    if magic.starts_with(&[0x1f, 0x8b]) {
        if pipelined {
            return Ok(Box::new(Piped::spawn(
                Members::new(buffered),
                PIPE_CHUNK,
                PIPE_DEPTH,
                path.as_os_str() != "-",
            )));
        }
        Ok(Box::new(BufReader::with_capacity(
            256 * 1024,
            GzipReader::new(buffered),
        )))
    } else {
        Ok(Box::new(buffered))
    }
}

/// Reads one line into `buf` (without the newline), capping its length. Returns bytes consumed,
/// 0 at end of input, and whether the line was cut.
fn read_line(r: &mut dyn BufRead, buf: &mut Vec<u8>) -> io::Result<(usize, bool)> {
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

enum Layout {
    Cloudfront(CfColumns),
    Json,
    Alb(Vec<(usize, usize)>),
    Flow(FlowColumns),
}

fn detect(line: &[u8], opts: &LogOptions) -> Option<Layout> {
    let forced = opts.format;
    if forced == Some(LogFormat::CloudfrontRealtime) {
        return Some(Layout::Cloudfront(CfColumns::from_names(
            opts.realtime_fields.iter().map(String::as_str),
        )));
    }
    let text = String::from_utf8_lossy(line);
    if let Some(fields) = text.strip_prefix("#Fields:") {
        return Some(Layout::Cloudfront(CfColumns::from_names(
            fields.split_whitespace(),
        )));
    }
    match forced {
        // Handled above; a Parquet file never reaches the line reader.
        Some(LogFormat::CloudfrontRealtime | LogFormat::CloudfrontParquet) => return None,
        Some(LogFormat::Cloudfront) => return Some(Layout::Cloudfront(CfColumns::canonical())),
        Some(LogFormat::CloudfrontJson) => return Some(Layout::Json),
        Some(LogFormat::Alb) => return Some(Layout::Alb(Vec::new())),
        Some(LogFormat::Flow) => {
            let header = if text.starts_with("version ") {
                text.as_ref()
            } else {
                FLOW_V2
            };
            return Some(Layout::Flow(FlowColumns::from_names(
                header.split_whitespace(),
            )));
        }
        None => {}
    }
    if text.starts_with('{') {
        return Some(Layout::Json);
    }
    if text.starts_with("version ") || text.contains(" interface-id ") || text.contains(" srcaddr ")
    {
        return Some(Layout::Flow(FlowColumns::from_names(
            text.split_whitespace(),
        )));
    }
    let first = line.split(|&b| b == b' ').next().unwrap_or(b"");
    if alb_kind(first).is_some() {
        return Some(Layout::Alb(Vec::new()));
    }
    if first == b"2" && text.contains(" eni-") {
        return Some(Layout::Flow(FlowColumns::from_names(FLOW_V2.split(' '))));
    }
    if line.contains(&b'\t') && line.len() > 10 && line[4] == b'-' {
        return Some(Layout::Cloudfront(CfColumns::canonical()));
    }
    None
}

/// The distribution id of a CloudFront log file name (`E2ABCDEFGHIJ.2025-11-23-05.abcd.gz`),
/// empty when the name does not start with one.
fn distribution_of_file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .and_then(|n| n.split_once('.').map(|(d, _)| d.to_owned()))
        .filter(|d| {
            d.len() >= 10 && d.starts_with('E') && d.chars().all(|c| c.is_ascii_alphanumeric())
        })
        .unwrap_or_default()
}

/// Whether `path` is read as Parquet: forced, a `.parquet` name, or the `PAR1` magic. Stdin is
/// only Parquet when forced (`open` refuses a `PAR1` stream with a clear message).
fn is_parquet(path: &Path, opts: &LogOptions) -> bool {
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

/// Why Parquet is not read from stdin.
const PARQUET_STDIN: &str = "a Parquet file cannot be read from stdin (its index is at the end of the file); pass its path instead";

/// Reads a CloudFront standard logging v2 Parquet file: each row, as the fields of the columns
/// the classifier reads, goes through the same record builder and classifier as a W3C line; bad
/// rows are sampled as `file:row N`. Row groups are read in parallel.
#[cfg(feature = "parquet")]
fn read_parquet(path: &Path, name: &str, opts: &LogOptions) -> Acc {
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
    let file_distribution = distribution_of_file_name(path);
    // One accumulator per row group, merged in row-group order (so bad-line samples come in
    // file order): a single large file uses every core.
    let groups: Vec<Acc> = (0..file.row_groups())
        .into_par_iter()
        .map(|g| {
            let mut group_acc = Acc::default();
            let stopped =
                file.read_row_group(g, &BYTES_READ, &mut |row, fields| match record_of_fields(
                    fields,
                    file.layout(),
                ) {
                    Ok(rec) => cloudfront_record(&mut group_acc, opts, &rec, &file_distribution),
                    Err(reason) => group_acc.bad(|| format!("{name}:row {row}: {reason}")),
                });
            if let Some(w) = stopped {
                group_acc.warnings.push(format!("{name}: {w}"));
            }
            group_acc
        })
        .collect();
    for group_acc in groups {
        acc.merge(group_acc);
    }
    acc
}

/// Without the `parquet` feature a Parquet input is a warning, and the other inputs are read.
#[cfg(not(feature = "parquet"))]
fn read_parquet(path: &Path, name: &str, _opts: &LogOptions) -> Acc {
    let mut acc = Acc::default();
    let why = if path.as_os_str() == "-" {
        PARQUET_STDIN
    } else {
        "a Parquet file, but this edgepath was built without Parquet support (rebuild with `--features parquet`)"
    };
    acc.warnings.push(format!("{name}: cannot read: {why}"));
    acc
}

fn read_one(path: &Path, opts: &LogOptions, pipelined: bool) -> Acc {
    let name = path.display().to_string();
    if is_parquet(path, opts) {
        return read_parquet(path, &name, opts);
    }
    let mut acc = Acc::default();
    let mut reader = match open(path, pipelined) {
        Ok(r) => r,
        Err(e) => {
            acc.warnings.push(format!("{name}: cannot read: {e}"));
            return acc;
        }
    };
    acc.files = 1;
    let mut buf = Vec::with_capacity(4096);
    let mut layout: Option<Layout> = None;
    let mut line_no = 0u64;
    let mut json_pending: Vec<u8> = Vec::new();
    let file_distribution = distribution_of_file_name(path);
    loop {
        let (n, cut) = match read_line(&mut *reader, &mut buf) {
            Ok(x) => x,
            Err(e) => {
                acc.warnings.push(format!("{name}:{line_no}: read stopped: {e} (truncated or corrupt gzip?); the lines before were counted"));
                break;
            }
        };
        if n == 0 {
            break;
        }
        line_no += 1;
        if cut {
            acc.bad(|| format!("{name}:{line_no}: line longer than {MAX_LINE} bytes"));
            continue;
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if buf.starts_with(b"#") {
            if buf.starts_with(b"#Fields:") {
                layout = detect(&buf, opts);
            }
            continue;
        }
        if layout.is_none() {
            layout = detect(&buf, opts);
            if let Some(Layout::Flow(_)) = &layout
                && buf.starts_with(b"version ")
            {
                continue;
            }
            if layout.is_none() {
                acc.bad(|| format!("{name}:{line_no}: not a recognised log format (CloudFront, ALB, VPC flow log)"));
                acc.warnings.push(format!("{name}: skipped: line {line_no} is not CloudFront, ALB or VPC flow log format (force one with --log-format)"));
                break;
            }
        }
        match layout.as_mut().expect("set above") {
            Layout::Cloudfront(cols) => match parse_cloudfront(&buf, cols) {
                Ok(rec) => cloudfront_record(&mut acc, opts, &rec, &file_distribution),
                Err(reason) => acc.bad(|| format!("{name}:{line_no}: {reason}")),
            },
            Layout::Json => {
                json_pending.extend_from_slice(&buf);
                json_pending.push(b'\n');
                let open_braces = json_pending.iter().filter(|&&b| b == b'{').count();
                let close_braces = json_pending.iter().filter(|&&b| b == b'}').count();
                if open_braces > close_braces && json_pending.len() < MAX_LINE {
                    continue;
                }
                let record = std::mem::take(&mut json_pending);
                json_record(&mut acc, opts, &record, &name, line_no, &file_distribution);
            }
            Layout::Alb(scratch) => {
                let first = buf.split(|&b| b == b' ').next().unwrap_or(b"");
                if alb_kind(first) == Some(false) {
                    acc.other_format_lines += 1;
                    continue;
                }
                match parse_alb(&buf, scratch) {
                    Ok(r) => {
                        acc.records += 1;
                        acc.alb_records += 1;
                        if r.elb_status >= 500 {
                            let target = String::from_utf8_lossy(r.target_status).into_owned();
                            *acc.alb_pairs.entry((r.elb_status, target)).or_default() += 1;
                            if let Some(m) = r.minute {
                                *acc.alb_5xx_minutes.entry(m).or_default() += 1;
                            }
                            let elapsed = r.elapsed.unwrap_or(-1.0);
                            let sig = if r.elb_status == 504
                                && r.target_status == b"-"
                                && (elapsed - 10.0).abs() <= 1.5
                            {
                                acc.alb_connect_failures += 1;
                                Signature::AlbTargetConnectTimeout
                            } else if r.elb_status == 504
                                && r.target_processing_time == b"-1"
                                && (elapsed - opts.timeouts.alb_idle_timeout).abs() <= 1.5
                            {
                                acc.alb_idle_timeouts += 1;
                                Signature::AlbIdleTimeout
                            } else {
                                Signature::Other
                            };
                            let key = BucketKey {
                                source: "alb",
                                distribution: String::new(),
                                behavior: String::new(),
                                status: r.elb_status,
                                detailed: format!(
                                    "target {}",
                                    String::from_utf8_lossy(r.target_status)
                                ),
                                signature: sig,
                            };
                            acc.add_bucket(key, r.minute, r.elapsed);
                        }
                    }
                    Err(reason) => acc.bad(|| format!("{name}:{line_no}: {reason}")),
                }
            }
            Layout::Flow(cols) => match parse_flow(&buf, cols) {
                Ok(r) => {
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
                    let _ = r.minute;
                }
                Err(reason) => acc.bad(|| format!("{name}:{line_no}: {reason}")),
            },
        }
    }
    if !json_pending.is_empty() {
        acc.bad(|| format!("{name}:{line_no}: JSON record not closed at end of file"));
    }
    acc
}

fn json_record(
    acc: &mut Acc,
    opts: &LogOptions,
    record: &[u8],
    name: &str,
    line_no: u64,
    file_dist: &str,
) {
    let map: serde_json::Map<String, serde_json::Value> = match serde_json::from_slice(record) {
        Ok(m) => m,
        Err(e) => {
            acc.bad(|| format!("{name}:{line_no}: invalid JSON record: {e}"));
            return;
        }
    };
    let names: Vec<&str> = map.keys().map(String::as_str).collect();
    let cols = CfColumns::from_names(names.iter().copied());
    let line: Vec<u8> = names
        .iter()
        .map(|k| match &map[*k] {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\t")
        .into_bytes();
    match parse_cloudfront(&line, &cols) {
        Ok(rec) => cloudfront_record(acc, opts, &rec, file_dist),
        Err(reason) => acc.bad(|| format!("{name}:{line_no}: {reason}")),
    }
}

/// CloudFront path-pattern match (`*` any run, `?` one character; case-sensitive).
fn pattern_matches(pattern: &str, path: &[u8]) -> bool {
    fn go(p: &[u8], s: &[u8]) -> bool {
        match p.split_first() {
            None => s.is_empty(),
            Some((b'*', rest)) => (0..=s.len()).any(|i| go(rest, &s[i..])),
            Some((b'?', rest)) => !s.is_empty() && go(rest, &s[1..]),
            Some((c, rest)) => s.first() == Some(c) && go(rest, &s[1..]),
        }
    }
    let p = pattern.strip_prefix('/').unwrap_or(pattern).as_bytes();
    let s = path.strip_prefix(b"/").unwrap_or(path);
    go(p, s)
}

fn cloudfront_record(
    acc: &mut Acc,
    opts: &LogOptions,
    rec: &super::formats::CfRecord<'_>,
    file_distribution: &str,
) {
    // The record's own DistributionId (v2 field) wins over the one in the file name.
    let file_dist = if rec.distribution.is_empty() {
        file_distribution
    } else {
        std::str::from_utf8(rec.distribution).unwrap_or("")
    };
    if let (Some(since), Some(m)) = (opts.since, rec.minute)
        && m < since
    {
        return;
    }
    if let (Some(until), Some(m)) = (opts.until, rec.minute)
        && m >= until
    {
        return;
    }
    let dist_conf = opts.distributions.iter().find(|d| {
        (!file_dist.is_empty() && d.id == file_dist)
            || (!rec.host.is_empty() && d.domain.as_bytes().eq_ignore_ascii_case(rec.host))
    });
    let dist_id = dist_conf.map_or(file_dist, |d| d.id.as_str());
    if let Some(only) = &opts.distribution
        && dist_id != only
    {
        return;
    }
    acc.records += 1;
    acc.cloudfront_records += 1;
    let Some(status) = rec.status else { return };
    *acc.by_status.entry(status).or_default() += 1;
    let is_error = status >= 500 || status == 0;
    if let Some(m) = rec.minute {
        let e = acc.timeline.entry(m).or_default();
        e.0 += 1;
        if is_error {
            e.1 += 1;
        }
        if status == 504 {
            e.2 += 1;
        }
    }
    if !is_error {
        return;
    }
    let (behavior, timeouts) = match dist_conf.and_then(|d| {
        d.behaviors
            .iter()
            .find(|(p, _)| pattern_matches(p, rec.uri))
    }) {
        Some((p, t)) => (p.clone(), t),
        None => {
            let host = String::from_utf8_lossy(rec.host);
            let seg = rec
                .uri
                .split(|&b| b == b'/')
                .find(|s| !s.is_empty())
                .map(String::from_utf8_lossy);
            let group = match seg {
                Some(s) if rec.uri.iter().filter(|&&b| b == b'/').count() > 1 => {
                    format!("{host} /{s}/*")
                }
                _ => format!("{host} /*"),
            };
            (group, &opts.timeouts)
        }
    };
    let detailed = String::from_utf8_lossy(rec.detailed).into_owned();
    let method = std::str::from_utf8(rec.method).unwrap_or("");
    let sig = classify(
        status,
        &detailed,
        method,
        rec.time_taken.unwrap_or(-1.0),
        timeouts,
    );
    let key = BucketKey {
        source: "cloudfront",
        distribution: dist_id.to_owned(),
        behavior,
        status,
        detailed,
        signature: sig,
    };
    acc.add_bucket(key, rec.minute, rec.time_taken);
    *acc.top_uris
        .entry(String::from_utf8_lossy(rec.uri).into_owned())
        .or_default() += 1;
    if !rec.edge.is_empty() {
        *acc.top_edges
            .entry(String::from_utf8_lossy(rec.edge).into_owned())
            .or_default() += 1;
    }
    if !rec.country.is_empty() {
        *acc.top_countries
            .entry(String::from_utf8_lossy(rec.country).into_owned())
            .or_default() += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::{
        BufRead, BufReader, LogOptions, Members, Piped, build, parse_realtime_fields,
        pattern_matches, read_line, read_one,
    };
    use flate2::read::MultiGzDecoder;
    use std::io::{Cursor, Write};

    fn gzip_members(parts: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        for p in parts {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(p).expect("gz");
            out.extend(gz.finish().expect("gz"));
        }
        out
    }

    /// (line, bytes consumed, cut) per line, then the error kind if reading stopped on one.
    type Lines = (Vec<(Vec<u8>, usize, bool)>, Option<String>);

    fn lines(r: &mut dyn BufRead) -> Lines {
        let mut out = Vec::new();
        let mut buf = Vec::new();
        loop {
            match read_line(r, &mut buf) {
                Ok((0, _)) => return (out, None),
                Ok((n, cut)) => out.push((buf.clone(), n, cut)),
                Err(e) => return (out, Some(e.kind().to_string())),
            }
        }
    }

    #[test]
    fn piped_lines_equal_direct_lines_across_tiny_buffers_and_gzip_members() {
        let a: &[u8] = b"one\r\ntwo\n\nthree without newline across members ";
        let long = vec![b'y'; 3000];
        let b: &[u8] = b"...end\nfour\n";
        let plain = [a, &long, b, b"\nlast"].concat();
        let gz = gzip_members(&[a, &long, b, b"\nlast"]);
        let want = lines(&mut BufReader::new(Cursor::new(plain)));
        for (chunk, depth) in [(1, 1), (7, 2), (4096, 4)] {
            let mut piped = Piped::spawn(Members::new(Cursor::new(gz.clone())), chunk, depth, true);
            assert_eq!(lines(&mut piped), want, "chunk {chunk}");
        }
    }

    #[test]
    fn piped_truncated_gzip_gives_the_lines_before_then_the_error() {
        let text: Vec<u8> = (0..20_000)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect();
        let gz = gzip_members(&[&text]);
        let cut = &gz[..gz.len() / 2];
        let direct = lines(&mut BufReader::new(MultiGzDecoder::new(cut)));
        let piped = lines(&mut Piped::spawn(
            Members::new(Cursor::new(cut.to_vec())),
            100,
            2,
            true,
        ));
        assert!(direct.1.is_some() && !direct.0.is_empty());
        assert_eq!(piped, direct, "flate2's decoder is the reference");
    }

    #[test]
    fn pipelined_read_equals_the_direct_read_bad_line_numbers_included() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut text = Vec::new();
        super::super::generate::generate(30_000, 3, &mut text).expect("generate");
        // bad lines spread over the > 1 MiB buffers, then the rest as a second gzip member
        let mut lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
        for i in (100..lines.len()).step_by(4001) {
            lines[i] = b"2025-11-23\tnot a record";
        }
        let text = lines.join(&b'\n');
        let mid = text.len() / 2;
        let path = dir.path().join("E2ABCDEFGHIJ.2025-11-23-05.gz");
        std::fs::write(&path, gzip_members(&[&text[..mid], &text[mid..]])).expect("write");
        let opts = LogOptions::default();
        let direct = build(read_one(&path, &opts, false), opts.timeouts.clone());
        let piped = build(read_one(&path, &opts, true), opts.timeouts.clone());
        assert!(
            direct.bad_lines > 5 && direct.records > 29_000,
            "{direct:?}"
        );
        assert!(text.len() > 3 << 20, "spans several pipe buffers");
        assert_eq!(
            serde_json::to_value(&piped).expect("json"),
            serde_json::to_value(&direct).expect("json")
        );
    }

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

    #[test]
    fn realtime_fields_come_in_aws_fixed_order_whatever_the_order_given() {
        assert_eq!(
            parse_realtime_fields("sc-status, timestamp,time-taken,sc-status").ok(),
            Some(vec![
                "timestamp".to_owned(),
                "sc-status".to_owned(),
                "time-taken".to_owned()
            ])
        );
        assert!(parse_realtime_fields("timestamp,not-a-field").is_err());
        assert!(parse_realtime_fields(" , ").is_err());
    }

    #[test]
    fn cloudfront_path_patterns() {
        assert!(pattern_matches("/api/*", b"/api/orders"));
        assert!(pattern_matches("api/*", b"/api/orders"));
        assert!(!pattern_matches("/api/*", b"/static/a.js"));
        assert!(pattern_matches("*", b"/anything"));
        assert!(pattern_matches("/img/?.png", b"/img/a.png"));
    }
}
