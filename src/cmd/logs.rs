//! `edgepath logs`: classify the 5xx in CloudFront / ALB access logs and VPC flow logs.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use miette::{Result, miette};

use super::logs_s3::{S3Selection, summarize_logs};
use super::{Globals, LiveScope, Outcome, emit, load_inventory};
use crate::logs::{LogFormat, LogOptions};
use crate::model::TimeWindow;
use crate::model::time_window::{parse_instant, parse_span};
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
    /// Only records at or after this time (RFC 3339 or a span before now such as 2h, minute
    /// precision); for `s3://` inputs, also only the objects whose key time meets the window.
    pub since: Option<String>,
    /// Only records before this time (RFC 3339 or a span before now).
    pub until: Option<String>,
    /// Only this distribution (id); for `s3://` inputs, also only its objects.
    pub distribution: Option<String>,
    /// `s3://` inputs: only this load balancer's objects (its name).
    pub alb: Option<String>,
    /// `s3://` inputs: objects read at once (0: the default).
    pub concurrency: usize,
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

/// An instant given as RFC 3339 (`2026-11-23T05:30:00Z`) or as a span before `now` (`2h`,
/// `90m`, `1h30m`).
pub(crate) fn parse_time(flag: &'static str, s: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    if let Ok(span) = parse_span(s) {
        return Ok(now - span);
    }
    parse_instant(flag, s).map_err(|_| {
        miette!("--{flag} `{s}`: expected an RFC 3339 time such as 2026-11-23T05:30:00Z, or a span before now such as 2h, 90m or 1h30m")
    })
}

/// Minute number (minutes since the Unix epoch) of an instant.
fn minute(t: DateTime<Utc>) -> i64 {
    t.timestamp().div_euclid(60)
}

/// The window `--since`/`--until` ask for, if any (an open end is the far past, or an hour after
/// `now` or after `--since` when that is later): which `s3://` objects to read.
pub(crate) fn window_of(
    since: Option<&str>,
    until: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<TimeWindow>> {
    if since.is_none() && until.is_none() {
        return Ok(None);
    }
    let from = since
        .map(|s| parse_time("since", s, now))
        .transpose()?
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let to = until
        .map(|s| parse_time("until", s, now))
        .transpose()?
        .unwrap_or_else(|| (now.max(from)) + chrono::Duration::hours(1));
    TimeWindow::between(from, to)
        .map(Some)
        .map_err(|e| miette!("{e}"))
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
    let now = Utc::now();
    opts.since = since
        .map(|s| parse_time("since", s, now).map(minute))
        .transpose()?;
    opts.until = until
        .map(|s| parse_time("until", s, now).map(minute))
        .transpose()?;
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
    let any_s3 = a
        .inputs
        .iter()
        .any(|p| p.to_str().is_some_and(|s| s.starts_with("s3://")));
    let select = S3Selection {
        window: if any_s3 {
            window_of(a.since.as_deref(), a.until.as_deref(), Utc::now())?
        } else {
            None
        },
        distribution: a.distribution.clone(),
        alb: a.alb.clone(),
        concurrency: a.concurrency,
    };
    let summary = summarize_logs(g, &a.inputs, &select, &opts)?;
    for w in &summary.warnings {
        super::warn(g, w);
    }
    emit(g, &Report::Logs(&summary))?;
    Ok(Outcome::Clean)
}

#[cfg(test)]
mod tests {
    use super::{parse_time, window_of};
    use chrono::{DateTime, Utc};

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("time")
            .with_timezone(&Utc)
    }

    #[test]
    fn times_are_rfc3339_or_a_span_before_now() {
        let now = t("2026-11-23T07:00:00Z");
        assert_eq!(
            parse_time("since", "2h", now).expect("span"),
            t("2026-11-23T05:00:00Z")
        );
        assert_eq!(
            parse_time("since", "2026-11-23T06:30:00+01:00", now).expect("instant"),
            t("2026-11-23T05:30:00Z")
        );
        let err = parse_time("until", "yesterday", now).expect_err("bad");
        assert!(err.to_string().contains("--until `yesterday`"), "{err}");
    }

    #[test]
    fn the_s3_window_is_open_ended_where_no_flag_bounds_it() {
        let now = t("2026-11-23T07:00:00Z");
        assert_eq!(window_of(None, None, now).expect("ok"), None);
        let w = window_of(Some("90m"), None, now)
            .expect("ok")
            .expect("a window");
        assert_eq!(
            (w.from, w.to),
            (t("2026-11-23T05:30:00Z"), t("2026-11-23T08:00:00Z"))
        );
        let w = window_of(None, Some("2026-11-20T00:00:00Z"), now)
            .expect("ok")
            .expect("a window");
        assert_eq!(w.to, t("2026-11-20T00:00:00Z"));
        assert!(
            window_of(Some("1h"), Some("2h"), now).is_err(),
            "from after to"
        );
    }
}
