//! Log readers and the 5xx classifier behind `edgepath logs` and `edgepath triage`.
//!
//! In an incident the first thing on hand is logs. This module tells, at the speed of
//! decompression, *which* 5xx these are: CloudFront giving up on the origin (connect or read
//! timeout), the ALB giving up on its targets (its fixed 10 s connect timeout, or its idle
//! timeout), cached errors, DNS failures — on which distribution/behavior, since when.
//!
//! Formats, detected per file from its first lines (or forced with `--log-format`):
//! CloudFront standard logs (legacy W3C and v2 W3C: columns come from each file's `#Fields:`
//! line; no header ⇒ the canonical 33-column order), CloudFront v2 JSON (all values strings),
//! CloudFront v2 Parquet (string columns such as `sc_status`, read row group by row group by
//! `parquet_file`, feature `parquet`, into the same parser), ALB access logs (space separated,
//! quoted fields, by position), VPC flow logs (default v2 or a custom header). A JSON file is
//! CloudFront only once its first record shows a time and a status. Other inputs are named by
//! what they look like (classic ELB, NLB, S3 server access, CloudTrail, WAF, nginx/Apache,
//! real-time lines without `--fields`, empty, binary, truncated gzip), in the warnings and the
//! summary's `unread_files`; when no input holds a record that can be classified the read is an
//! error listing them ([`LogError::NothingRecognised`]), never an empty "No 5xx". Files are read in parallel, one accumulator per file merged at the end (a lone
//! large gzip file is inflated on a thread of its own, ahead of its parser), and
//! no record is kept: memory is flat in the input size. Bad lines are counted and sampled,
//! never fatal. See `logs.md` in the shared notes for the field lists and 504 signatures.
//!
//! The data flow, one file per step: `options` (what is asked) → `input` (files, gzip, Parquet;
//! `pipe` inflates a lone gzip on its own thread; `stream`: named streams such as S3 objects,
//! read as one more file) → `read` (per-file loop, merge) → `detect` (which format) → `formats` / `alb` (line → record; `alb` also counts ALB records) → `cloudfront` / `classify` (record → behavior,
//! timeouts, signature) → `summary` (counts, buckets, facts). No clap and no model here: the
//! CLI turns flags into [`LogOptions`], and `cmd` fills in what a snapshot knows.

mod alb;
mod alb_signatures;
mod cf_signatures;
mod classify;
mod cloudfront;
mod ddl;
mod detect;
mod formats;
mod generate;
mod generate_alb;
mod gzip;
mod input;
mod options;
#[cfg(feature = "parquet")]
mod parquet_count;
#[cfg(feature = "parquet")]
mod parquet_file;
#[cfg(feature = "parquet")]
mod parquet_pages;
#[cfg(feature = "parquet")]
mod parquet_rle;
mod pipe;
mod read;
mod sql;
mod sql_alb;
mod sql_rows;
mod stream;
mod summary;

pub use alb_signatures::{
    ALB_ACTION_MIN_STATUS, ALB_CLASSIFIED_4XX, ALB_CLASSIFIED_ACTIONS, ALB_SIGNATURES, AlbField,
    AlbSignatureDef, LAMBDA_INVOKE_ERRORS, LAMBDA_RESPONSE_ERRORS, Pred, Seconds,
    alb_status_classified,
};
pub use cf_signatures::{
    CF_SIGNATURES, CfPred, CfSeconds, CfSignatureDef, ORIGIN_SIDE_EXTRA, RETRIED_METHODS, Tries,
    origin_side,
};
pub use classify::{
    ALB_CONNECT_TIMEOUT_SECONDS, CACHED_ERROR_MAX_SECONDS, Signature, TOLERANCE_SECONDS, Timeouts,
    classify,
};
pub use ddl::{ALB_COLUMNS, ALB_REGEX, CLOUDFRONT_PARQUET_COLUMNS, CLOUDFRONT_W3C_COLUMNS, ddl};
pub use options::{
    DistributionBehaviors, LogFormat, LogOptions, REALTIME_FIELDS, parse_realtime_fields,
};
pub use read::{LogError, summarize, summarize_inputs};
pub use sql::{RESULT_COLUMNS, SqlLayout, SqlPlan, check_table_name, query};
pub use sql_rows::{
    ATHENA_MIN_BYTES, ATHENA_USD_PER_TB, AthenaStats, athena_cost_usd, summary_from_rows,
};
pub use stream::{StreamObject, StreamSource};
pub use summary::{
    AlbView, DRAINING_GONE_MINUTES, DRAINING_MIN_5XX, DRAINING_WINDOW_MINUTES, DrainingTarget,
    LogSummary, OriginError, UnreadFile, bucket_facts,
};

pub use formats::minute_of;
pub use generate::{GenTruth, generate};
pub use generate_alb::generate_alb;
