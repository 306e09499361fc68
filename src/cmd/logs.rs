//! `edgepath logs`: classify the 5xx in CloudFront / ALB access logs and VPC flow logs.

use std::path::PathBuf;

use miette::{Result, miette};

use super::{Globals, LiveScope, Outcome, emit, load_inventory};
use crate::logs::{LogFormat, LogOptions, summarize};
use crate::report::Report;
use crate::rules::log_options::read_options_from_inventory;

/// What `edgepath logs` reads and how.
#[derive(Debug, Clone, Default)]
pub struct LogsRequest {
    /// Log files, directories (recursive), globs, or `-` for stdin; `.gz`, plain, or Parquet
    /// (CloudFront standard logging v2; not from stdin).
    pub inputs: Vec<PathBuf>,
    /// Force a format instead of detecting it per file (Parquet is detected by its `PAR1`
    /// magic or `.parquet` name).
    pub log_format: Option<LogFormat>,
    /// Only records at or after this time (RFC 3339, UTC, minute precision).
    pub since: Option<String>,
    /// Only records before this time.
    pub until: Option<String>,
    /// Only this distribution (id).
    pub distribution: Option<String>,
    /// Real-time log fields selected in the real-time log configuration, comma separated, in
    /// any order: CloudFront writes them in its fixed order, and so they are read (required
    /// with `--log-format cloudfront-realtime`).
    pub fields: Option<String>,
    /// (dev) Write N generated CloudFront W3C lines with a known truth to `--out` (gzip if it
    /// ends in .gz) and print the truth as JSON.
    pub generate: Option<u64>,
    /// (dev) Output file of `--generate`.
    pub out: Option<PathBuf>,
    /// (dev) Seed of `--generate`.
    pub seed: u64,
    /// Athena: run the classification as SQL, or print it, the DDL or the IAM policy.
    pub athena: super::athena::AthenaRequest,
}

/// Minute number of an RFC 3339 time (`2026-11-23T05:30:00Z`).
pub(crate) fn parse_minute(s: &str) -> Result<i64> {
    let b = s.as_bytes();
    if b.len() >= 16 && b[10] == b'T' {
        crate::logs::minute_of(&b[..10], &b[11..16])
            .ok_or_else(|| miette!("`{s}` is not a time like 2026-11-23T05:30:00Z"))
    } else {
        Err(miette!("`{s}` is not a time like 2026-11-23T05:30:00Z"))
    }
}

/// Builds the options (timeouts and behaviors from `--snapshot` when given).
pub(crate) fn options(
    g: &Globals,
    log_format: Option<LogFormat>,
    since: Option<&str>,
    until: Option<&str>,
    distribution: Option<&str>,
) -> Result<LogOptions> {
    let mut opts = LogOptions {
        format: log_format,
        distribution: distribution.map(str::to_owned),
        progress: !g.quiet,
        ..LogOptions::default()
    };
    opts.since = since.map(parse_minute).transpose()?;
    opts.until = until.map(parse_minute).transpose()?;
    if g.snapshot.is_some() {
        let loaded = load_inventory(g, &LiveScope::default())?;
        read_options_from_inventory(&loaded.inventory, &mut opts);
    }
    Ok(opts)
}

/// Runs `edgepath logs`.
///
/// # Errors
/// No readable input, or bad flags.
pub fn run(g: &Globals, a: &LogsRequest) -> Result<Outcome> {
    if a.athena.wanted() || a.athena.print_iam_policy {
        return super::athena::run(g, a);
    }
    if let (Some(n), Some(out)) = (a.generate, &a.out) {
        let file = std::fs::File::create(out)
            .map_err(|e| miette!("cannot create {}: {e}", out.display()))?;
        let mut w: Box<dyn std::io::Write> = if out.extension().is_some_and(|e| e == "gz") {
            Box::new(flate2::write::GzEncoder::new(
                std::io::BufWriter::with_capacity(1 << 20, file),
                flate2::Compression::fast(),
            ))
        } else {
            Box::new(std::io::BufWriter::with_capacity(1 << 20, file))
        };
        let truth = if a.log_format == Some(LogFormat::Alb) {
            let idle = crate::logs::Timeouts::default().alb_idle_timeout;
            crate::logs::generate_alb(n, a.seed, idle, &mut *w)
        } else {
            crate::logs::generate(n, a.seed, &mut *w)
        };
        let truth = truth
            .and_then(|t| w.flush().map(|()| t))
            .map_err(|e| miette!("writing {}: {e}", out.display()))?;
        drop(w);
        println!(
            "{}",
            serde_json::to_string_pretty(&truth).map_err(|e| miette!("{e}"))?
        );
        return Ok(Outcome::Clean);
    }
    let opts = options(
        g,
        a.log_format,
        a.since.as_deref(),
        a.until.as_deref(),
        a.distribution.as_deref(),
    )?;
    let mut opts = opts;
    if a.log_format == Some(LogFormat::CloudfrontRealtime) {
        let Some(list) = &a.fields else {
            return Err(miette!(
                help = "e.g. --fields timestamp,c-ip,sc-status,cs-method,x-host-header,cs-uri-stem,time-taken,x-edge-detailed-result-type",
                "--log-format cloudfront-realtime needs --fields: the real-time log fields, in order"
            ));
        };
        opts.realtime_fields =
            crate::logs::parse_realtime_fields(list).map_err(|e| miette!("{e}"))?;
    } else if a.fields.is_some() {
        return Err(miette!(
            "--fields only applies to --log-format cloudfront-realtime"
        ));
    }
    let summary = summarize(&a.inputs, &opts)?;
    for w in &summary.warnings {
        super::warn(g, w);
    }
    emit(g, &Report::Logs(&summary))?;
    Ok(Outcome::Clean)
}
