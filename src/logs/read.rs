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

use super::classify::{Signature, classify_alb};
use super::cloudfront::{cloudfront_record, distribution_of_file_name, json_record};
use super::detect::{Layout, detect};
#[cfg(feature = "parquet")]
use super::formats::record_of_fields;
use super::formats::{alb_kind, parse_alb, parse_cloudfront, parse_flow};
use super::input::{BYTES_READ, PARQUET_STDIN, expand, is_parquet, open, progress_loop};
use super::options::LogOptions;
use super::summary::{Acc, BucketKey, LogSummary, build};

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

/// Reads one input into its own accumulator (`pipelined`: inflate gzip on a thread of its own).
pub(super) fn read_one(path: &Path, opts: &LogOptions, pipelined: bool) -> Acc {
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
                            let sig = classify_alb(
                                r.elb_status,
                                r.target_status,
                                r.target_processing_time,
                                r.elapsed.unwrap_or(-1.0),
                                opts.timeouts.alb_idle_timeout,
                            );
                            match sig {
                                Signature::AlbTargetConnectTimeout => {
                                    acc.alb_connect_failures += 1;
                                }
                                Signature::AlbIdleTimeout => acc.alb_idle_timeouts += 1,
                                _ => {}
                            }
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
