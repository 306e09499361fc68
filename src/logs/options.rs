//! What a read is asked to do: the log format (detected or forced), the real-time log field
//! list, the distributions and timeouts a snapshot supplies, and the time and distribution
//! filters. Plain data with no parsing library behind it: the CLI layer turns its flags into a
//! [`LogOptions`] (`LogFormat` parses from its `--log-format` name with `FromStr`), and
//! `cmd` fills in what a snapshot knows, so `logs` needs neither clap nor the model.

use std::str::FromStr;

use super::classify::Timeouts;

/// A log format (detected, or forced with `--log-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

impl LogFormat {
    /// Every format, in the order `--log-format`'s help lists them.
    pub const ALL: [LogFormat; 6] = [
        LogFormat::Cloudfront,
        LogFormat::CloudfrontJson,
        LogFormat::Alb,
        LogFormat::Flow,
        LogFormat::CloudfrontRealtime,
        LogFormat::CloudfrontParquet,
    ];

    /// The name `--log-format` takes (kebab-case).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            LogFormat::Cloudfront => "cloudfront",
            LogFormat::CloudfrontJson => "cloudfront-json",
            LogFormat::Alb => "alb",
            LogFormat::Flow => "flow",
            LogFormat::CloudfrontRealtime => "cloudfront-realtime",
            LogFormat::CloudfrontParquet => "cloudfront-parquet",
        }
    }

    /// What the format is, in one sentence for `--help` (the variant's doc, without its period).
    #[must_use]
    pub fn about(self) -> &'static str {
        match self {
            LogFormat::Cloudfront => {
                "CloudFront standard logs, W3C (legacy or v2; `#Fields:` header or the 33 canonical columns)"
            }
            LogFormat::CloudfrontJson => {
                "CloudFront standard logging v2, JSON (one object per record, values are strings)"
            }
            LogFormat::Alb => "ALB access logs",
            LogFormat::Flow => "VPC flow logs (default v2 or a custom header line)",
            LogFormat::CloudfrontRealtime => {
                "CloudFront real-time logs (tab separated; the fields come from `--fields`)"
            }
            LogFormat::CloudfrontParquet => {
                "CloudFront standard logging v2, Parquet (S3 delivery; string columns named like `sc_status`; detected anyway by the `PAR1` magic or a `.parquet` extension)"
            }
        }
    }
}

/// Parses a `--log-format` name ([`LogFormat::name`]).
impl FromStr for LogFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LogFormat::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                let known: Vec<&str> = LogFormat::ALL.iter().map(|f| f.name()).collect();
                format!("unknown log format `{s}` (known: {})", known.join(", "))
            })
    }
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

#[cfg(test)]
mod tests {
    use super::{LogFormat, parse_realtime_fields};

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
    fn every_log_format_parses_back_from_its_name() {
        for f in LogFormat::ALL {
            assert_eq!(f.name().parse::<LogFormat>(), Ok(f));
        }
        assert!("cloudfront-js".parse::<LogFormat>().is_err());
    }
}
