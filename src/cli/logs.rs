//! Arguments of `edgepath logs`.

use std::path::PathBuf;

use crate::cmd::logs::LogsRequest;
use crate::logs::LogFormat;

/// Flags of `edgepath logs`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  edgepath logs ./cf-logs/\n  edgepath logs --snapshot ./snap ./cf-logs/ ./alb-logs/    # real timeouts and behaviors\n  zcat E2EXAMPLE.2026-11-23-05.*.gz | edgepath logs -\n  edgepath logs 'logs/**/*.gz' --since 2026-11-23T05:30:00Z --format json\n  edgepath logs ./AWSLogs/123456789012/CloudFront/    # v2 .parquet files too\n  edgepath logs s3://my-logs/cf/ --since 2h --distribution E2EXAMPLE    # straight from S3\n  edgepath logs s3://my-logs/AWSLogs/123456789012/elasticloadbalancing/eu-west-1/ --from 2026-11-23T05:00:00Z --to 2026-11-23T07:00:00Z"
)]
pub struct LogsArgs {
    /// Log files, directories (recursive), globs, `-` for stdin, or `s3://bucket/prefix/`
    /// (read straight from S3, only the objects whose key time meets --since/--until); `.gz`,
    /// plain, or Parquet (CloudFront standard logging v2; not from stdin).
    #[arg(
        value_name = "FILES",
        required_unless_present_any = ["generate", "athena", "print_sql", "print_ddl", "athena_results"]
    )]
    pub inputs: Vec<PathBuf>,
    /// Force a format instead of detecting it per file (Parquet is detected by its `PAR1`
    /// magic or `.parquet` name).
    #[arg(long, value_parser = log_format_parser())]
    pub log_format: Option<LogFormat>,
    /// Only records at or after this time: RFC 3339 (minute precision) or a span before now
    /// (2h, 90m, 1h30m). For s3:// inputs, also only the objects of that time.
    #[arg(long, visible_alias = "from", value_name = "TIME")]
    pub since: Option<String>,
    /// Only records before this time (RFC 3339, or a span before now).
    #[arg(long, visible_alias = "to", value_name = "TIME")]
    pub until: Option<String>,
    /// Only this distribution (id); for s3:// inputs, only its objects are listed and read.
    #[arg(long, value_name = "ID")]
    pub distribution: Option<String>,
    /// s3:// inputs: only this load balancer's access log objects (its name).
    #[arg(long, value_name = "NAME")]
    pub alb: Option<String>,
    /// s3:// inputs: objects read at once.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub concurrency: usize,
    /// Real-time log fields selected in the real-time log configuration, comma separated, in
    /// any order: CloudFront writes them in its fixed order, and so they are read (required
    /// with `--log-format cloudfront-realtime`).
    #[arg(long, value_name = "NAMES")]
    pub fields: Option<String>,
    /// (dev) Write N generated CloudFront W3C lines (ALB lines with `--log-format alb`) with a
    /// known truth to `--out` (gzip if it ends in .gz) and print the truth as JSON.
    #[arg(long, value_name = "N", hide = true, requires = "out")]
    pub generate: Option<u64>,
    /// (dev) Output file of `--generate`.
    #[arg(long, value_name = "FILE", hide = true)]
    pub out: Option<PathBuf>,
    /// (dev) Seed of `--generate`.
    #[arg(long, hide = true, default_value_t = 4)]
    pub seed: u64,
    /// Athena: run the classification as SQL, or print it, the DDL or the IAM policy.
    #[command(flatten)]
    pub athena: super::athena::AthenaArgs,
}

impl From<LogsArgs> for LogsRequest {
    fn from(a: LogsArgs) -> LogsRequest {
        LogsRequest {
            inputs: a.inputs,
            log_format: a.log_format,
            since: a.since,
            until: a.until,
            distribution: a.distribution,
            alb: a.alb,
            concurrency: a.concurrency,
            fields: a.fields,
            generate: a.generate,
            out: a.out,
            seed: a.seed,
            athena: a.athena.into(),
        }
    }
}

/// `--log-format`'s names and their help, from `logs` (which knows no clap).
fn log_format_parser() -> impl clap::builder::TypedValueParser<Value = LogFormat> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(LogFormat::ALL.map(|f| PossibleValue::new(f.name()).help(f.about())))
        .try_map(|name| name.parse::<LogFormat>())
}
