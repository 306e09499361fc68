//! The Athena query's result rows ([`RESULT_COLUMNS`]) folded into the same accumulator a
//! local read fills, then built into a [`LogSummary`] by the same code: the report of a query
//! is the report of a read, not a second renderer.

use std::collections::HashMap;

use serde::Serialize;

use super::classify::{Signature, Timeouts};
use super::sql::RESULT_COLUMNS;
use super::summary::{Acc, BucketKey, LogSummary, build};

/// What a query on Athena cost.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AthenaStats {
    /// The table queried.
    pub table: String,
    /// The query execution id.
    pub query_execution_id: String,
    /// Bytes the query scanned (what Athena bills).
    pub bytes_scanned: u64,
    /// The cost estimate in USD at [`ATHENA_USD_PER_TB`] (10 MB minimum per query).
    pub cost_usd: f64,
    /// Engine execution time in milliseconds.
    pub engine_ms: u64,
    /// Where the results were written.
    pub output_location: String,
}

/// Athena's SQL price per TB scanned (US East; most Regions), in USD.
pub const ATHENA_USD_PER_TB: f64 = 5.0;
/// Athena bills at least 10 MB per query.
pub const ATHENA_MIN_BYTES: u64 = 10 * 1_000_000;

/// The cost estimate of a query that scanned this many bytes.
#[must_use]
pub fn athena_cost_usd(bytes_scanned: u64) -> f64 {
    #[allow(clippy::cast_precision_loss, reason = "a price estimate")]
    let billed = bytes_scanned.max(ATHENA_MIN_BYTES) as f64;
    billed / 1e12 * ATHENA_USD_PER_TB
}

fn int(cell: &str, col: &str, line: usize) -> Result<i64, String> {
    let c = cell.trim();
    if c.is_empty() {
        return Ok(0);
    }
    c.parse::<i64>()
        .map_err(|_| format!("result row {line}: column `{col}` is `{c}`, not an integer"))
}

/// Builds the summary of a query's result rows; `header` names the columns (the first row of
/// `GetQueryResults`, or of the result CSV).
///
/// # Errors
/// A missing column, a non-integer count, an unknown kind or signature: the query and this
/// reader disagree, named with the row.
pub fn summary_from_rows(
    header: &[String],
    rows: &[Vec<String>],
    timeouts: Timeouts,
) -> Result<LogSummary, String> {
    let idx: HashMap<&str, usize> = RESULT_COLUMNS
        .iter()
        .map(|c| {
            header
                .iter()
                .position(|h| h == c)
                .map(|i| (*c, i))
                .ok_or_else(|| format!("the query result has no column `{c}`"))
        })
        .collect::<Result<_, _>>()?;
    let mut acc = Acc::default();
    for (line, r) in rows.iter().enumerate() {
        let line = line + 1;
        let get = |c: &str| r.get(idx[c]).map_or("", String::as_str);
        let n = |c: &str| int(get(c), c, line);
        let count = u64::try_from(n("n")?).unwrap_or(0);
        let status = u16::try_from(n("status")?)
            .map_err(|_| format!("result row {line}: status {} out of range", get("status")))?;
        let signature = || {
            Signature::from_name(get("signature")).ok_or_else(|| {
                format!(
                    "result row {line}: unknown signature `{}`",
                    get("signature")
                )
            })
        };
        let bin = usize::try_from(n("bin")?).ok();
        let minutes = (n("first_minute")?, n("last_minute")?);
        match get("kind") {
            "status" => {
                *acc.by_status.entry(status).or_default() += count;
                acc.cloudfront_records += count;
                acc.records += count;
                acc.recognised += count;
            }
            "minute" => {
                let e = acc.timeline.entry(minutes.0).or_default();
                e.0 += count;
                e.1 += u64::try_from(n("n5xx")?).unwrap_or(0);
                e.2 += u64::try_from(n("n504")?).unwrap_or(0);
            }
            "bucket" => {
                let key = BucketKey {
                    source: "cloudfront",
                    distribution: get("distribution").to_owned(),
                    behavior: get("behavior").to_owned(),
                    status,
                    detailed: get("detailed").to_owned(),
                    signature: signature()?,
                    target_group_arn: String::new(),
                };
                acc.add_bucket_bin(key, minutes, bin, count);
            }
            "top_uri" => *acc.top_uris.entry(get("detailed").to_owned()).or_default() += count,
            "top_edge" => *acc.top_edges.entry(get("detailed").to_owned()).or_default() += count,
            "alb_records" => {
                acc.alb_records += count;
                acc.records += count;
                acc.recognised += count;
            }
            "alb_bucket" => {
                let sig = signature()?;
                *acc.alb_pairs
                    .entry((status, get("target_status").to_owned()))
                    .or_default() += count;
                *acc.alb_signatures.entry(sig).or_default() += count;
                match sig {
                    Signature::AlbTargetConnectTimeout => acc.alb_connect_failures += count,
                    Signature::AlbIdleTimeout => acc.alb_idle_timeouts += count,
                    _ => {}
                }
                let key = BucketKey {
                    source: "alb",
                    distribution: String::new(),
                    behavior: String::new(),
                    status,
                    detailed: get("detailed").to_owned(),
                    signature: sig,
                    target_group_arn: get("target_group_arn").to_owned(),
                };
                acc.add_bucket_bin(key, minutes, bin, count);
            }
            "alb_target_minute" => acc.alb_target_minute_row(
                get("detailed"),
                minutes.0,
                count,
                u64::try_from(n("n5xx")?).unwrap_or(0),
                status,
            ),
            other => return Err(format!("result row {line}: unknown kind `{other}`")),
        }
    }
    Ok(build(acc, timeouts))
}
