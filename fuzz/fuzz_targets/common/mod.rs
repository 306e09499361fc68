//! Shared driver: the line parsers are crate-private, so every target goes through the public
//! streaming API (`edgepath::logs::summarize`) on a one-file input with the format forced, which
//! also covers line splitting, `#Fields:` re-detection, JSON record assembly and aggregation.

#![allow(dead_code)] // each target uses a subset of these helpers

use std::path::PathBuf;
use std::sync::OnceLock;

use edgepath::logs::{LogError, LogFormat, LogOptions, LogSummary, summarize};

/// One scratch file per fuzzing process (libFuzzer runs inputs one at a time). Named like a
/// CloudFront log object so the file-name distribution id path is exercised too.
fn scratch() -> &'static PathBuf {
    static P: OnceLock<PathBuf> = OnceLock::new();
    P.get_or_init(|| scratch_dir().join("E2EXAMPLEDIST1.2026-11-20-05.a1b2c3d4.log"))
}

/// The scratch file for gzip input (the reader tells gzip by its magic bytes, not its name).
pub fn scratch_gz() -> &'static PathBuf {
    static P: OnceLock<PathBuf> = OnceLock::new();
    P.get_or_init(|| scratch_dir().join("E2EXAMPLEDIST1.2026-11-20-05.a1b2c3d4.gz"))
}

fn scratch_dir() -> &'static PathBuf {
    static P: OnceLock<PathBuf> = OnceLock::new();
    P.get_or_init(|| {
        let shm = PathBuf::from("/dev/shm");
        let base = if shm.is_dir() {
            shm
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("edgepath-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        dir
    })
}

/// Writes `prefix ++ data` to the scratch file, summarizes it with `opts`, and checks the
/// accounting invariants. Returns the summary for target-specific checks.
pub fn run(prefix: &[u8], data: &[u8], opts: &LogOptions) -> Option<LogSummary> {
    let mut content = Vec::with_capacity(prefix.len() + data.len());
    content.extend_from_slice(prefix);
    content.extend_from_slice(data);
    // gzip input is decompressed by the reader: its line count is not the file's (the `gzip`
    // target fuzzes the gzip framing against flate2). A `PAR1` start is read as Parquet (not
    // built into the fuzz crate: the file is then unreadable, by design). Only plain text here.
    if content.starts_with(&[0x1f, 0x8b]) || content.starts_with(b"PAR1") {
        return None;
    }
    let path = scratch();
    std::fs::write(path, &content).expect("write scratch");
    let s = summarize_one(path, opts)?;
    check(&s, &content);
    Some(s)
}

/// The summary of one existing file; `None` when it holds no record edgepath reads (empty,
/// binary, another log): an error by design, never a "No 5xx". Any other error is a bug.
pub fn summarize_one(path: &PathBuf, opts: &LogOptions) -> Option<LogSummary> {
    match summarize(std::slice::from_ref(path), opts) {
        Ok(s) => Some(s),
        Err(LogError::NothingRecognised { .. }) => None,
        Err(e) => panic!("one existing file: {e}"),
    }
}

/// Invariants of any summary of one plain file.
fn check(s: &LogSummary, content: &[u8]) {
    let lines = content.split(|&b| b == b'\n').count() as u64;
    assert_eq!(s.files, 1);
    assert!(
        s.records + s.bad_lines + s.other_format_lines <= lines,
        "records {} + bad {} + other {} > lines {lines}",
        s.records,
        s.bad_lines,
        s.other_format_lines
    );
    assert_eq!(s.records, s.records_by_format.values().sum::<u64>());
    let by_status: u64 = s.by_status.values().sum();
    let cf = s.records_by_format.get("cloudfront").copied().unwrap_or(0);
    assert!(
        by_status <= cf,
        "by_status {by_status} > cloudfront records {cf}"
    );
    // A draining-target bucket re-counts 5xx of per-record buckets (where they concentrated).
    let errors: u64 = s
        .origin_errors
        .iter()
        .filter(|e| e.signature != edgepath::logs::Signature::AlbDrainingTarget)
        .map(|e| e.count)
        .sum();
    assert!(
        errors <= s.records,
        "origin errors {errors} > records {}",
        s.records
    );
    assert!(s.bad_line_samples.len() as u64 <= s.bad_lines);
    for e in &s.origin_errors {
        assert!(e.share.is_finite() && e.share >= 0.0);
        assert!(e.median_time_taken.is_finite() && e.median_time_taken >= 0.0);
    }
}

/// Options with the format forced.
pub fn forced(format: LogFormat) -> LogOptions {
    LogOptions {
        format: Some(format),
        ..LogOptions::default()
    }
}
