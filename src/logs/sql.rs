//! The classification as SQL for Athena (Trino), generated from the same tables the local
//! reader evaluates ([`CF_SIGNATURES`], [`ALB_SIGNATURES`](super::ALB_SIGNATURES)) — never a
//! second copy of a threshold.
//!
//! The query aggregates in the engine and leaves the rest to the same code as a local read: it
//! returns rows of a few kinds (`status`: per-status counts; `minute`: the CloudFront timeline;
//! `bucket`: per (distribution, behavior, status, detailed type, signature, 0.1 s time bin)
//! counts with first/last minute; `top_uri`/`top_edge`; ALB: `alb_records`, `alb_bucket` and
//! `alb_target_minute` for the draining check), which
//! [`summary_from_rows`](super::summary_from_rows) folds into the accumulator `summary::build`
//! turns into a [`LogSummary`](super::LogSummary): onset, medians, shares and ordering are then
//! computed by the one implementation.
//!
//! Dialect: written in the subset Trino (Athena engine v3) and DuckDB both accept, so the test
//! runs the very text Athena gets (parsed as Trino by `sqlglot`, executed by DuckDB). Numbers are
//! printed in exponent form (`1e1`) so both read them as DOUBLE, and every duration is computed
//! here in `f64` (tolerances included) so the engine compares exactly the values the local
//! classifier compares. Times are minutes since the epoch, as in the local reader.

use std::fmt::Write as _;

use super::cf_signatures::{CF_SIGNATURES, CfPred, CfSeconds, RETRIED_METHODS, Tries};
use super::classify::{Timeouts, near_tolerance};
use super::formats::minute_to_rfc3339;
use super::options::DistributionBehaviors;

/// The table layouts the generator and `--print-ddl` know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlLayout {
    /// CloudFront standard logs (legacy W3C), the AWS-documented `cloudfront_logs` table.
    CloudfrontW3c,
    /// CloudFront standard logging v2, Parquet, partitioned `distributionid/year/month/day/hour`
    /// with partition projection (all columns strings).
    CloudfrontParquet,
    /// ALB access logs, the AWS-documented regex SerDe table, partitioned by `day` with
    /// partition projection.
    Alb,
}

impl SqlLayout {
    /// Every layout.
    pub const ALL: [SqlLayout; 3] = [
        SqlLayout::CloudfrontW3c,
        SqlLayout::CloudfrontParquet,
        SqlLayout::Alb,
    ];

    /// The name `--athena-layout` takes.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            SqlLayout::CloudfrontW3c => "cloudfront",
            SqlLayout::CloudfrontParquet => "cloudfront-parquet",
            SqlLayout::Alb => "alb",
        }
    }
}

impl std::str::FromStr for SqlLayout {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        SqlLayout::ALL
            .into_iter()
            .find(|l| l.name() == s)
            .ok_or_else(|| {
                format!("unknown table layout `{s}` (cloudfront, cloudfront-parquet, alb)")
            })
    }
}

/// What to query.
#[derive(Debug, Clone)]
pub struct SqlPlan<'a> {
    /// `database.table` (or `table`); letters, digits, `_`, one optional `.`.
    pub table: &'a str,
    /// The table's layout.
    pub layout: SqlLayout,
    /// Only records at or after this minute.
    pub since: Option<i64>,
    /// Only records before this minute.
    pub until: Option<i64>,
    /// The minute "now": the end of the partition window when `until` is open.
    pub now: i64,
    /// Timeouts when no snapshot behavior matches.
    pub timeouts: &'a Timeouts,
    /// Distributions and behaviors from a snapshot.
    pub distributions: &'a [DistributionBehaviors],
    /// Only this distribution.
    pub distribution: Option<&'a str>,
}

/// The result columns, in order (every kind fills all of them; unused ones are `''` or 0).
pub const RESULT_COLUMNS: &[&str] = &[
    "kind",
    "distribution",
    "behavior",
    "status",
    "detailed",
    "signature",
    "target_group_arn",
    "target_status",
    "bin",
    "first_minute",
    "last_minute",
    "n",
    "n5xx",
    "n504",
];

/// A string literal.
pub(crate) fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A DOUBLE literal with exactly this value (shortest round-trip form, exponent notation).
pub(crate) fn num(x: f64) -> String {
    format!("{x:e}")
}

/// `abs(x - target) <= tolerance`, both computed here.
pub(crate) fn near_sql(x: &str, target: f64) -> String {
    format!(
        "abs({x} - {}) <= {}",
        num(target),
        num(near_tolerance(target))
    )
}

/// A minute number (since the epoch) of a `YYYY-MM-DD` date expression and an `HH:MM…` time.
pub(crate) fn minute_sql(date: &str, time: &str) -> String {
    format!(
        "date_diff('day', DATE '1970-01-01', {date}) * 1440 + CAST(substr({time}, 1, 2) AS BIGINT) * 60 + CAST(substr({time}, 4, 2) AS BIGINT)"
    )
}

/// Checks a `db.table` name.
///
/// # Errors
/// Anything but letters, digits, `_` and one `.` between two names.
pub fn check_table_name(t: &str) -> Result<(), String> {
    let parts: Vec<&str> = t.split('.').collect();
    let ok = (1..=2).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{t}` is not a table name like `database.table` (letters, digits, `_`)"
        ))
    }
}

fn tries_sql(tries: Tries, k: u32) -> Option<&'static str> {
    // The k-th try exists for every method when k = 1 and connects; reads beyond the first only
    // for the retried methods.
    match tries {
        Tries::ConnectionAttempts => None,
        Tries::ReadTries if k == 1 => None,
        Tries::ReadTries => Some("retried"),
    }
}

fn methods_in() -> String {
    RETRIED_METHODS
        .iter()
        .map(|m| lit(m))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One CloudFront predicate as SQL over the columns `status`, `detailed`, `method`, `tt`.
fn cf_pred_sql(p: &CfPred, t: &Timeouts) -> String {
    let attempts = t.connection_attempts.max(1);
    let retried = format!("method IN ({})", methods_in());
    let not_retried = format!("method NOT IN ({})", methods_in());
    match *p {
        CfPred::DetailedIs(v) => format!("detailed = {}", lit(v)),
        CfPred::DetailedIsNot(v) => format!("detailed <> {}", lit(v)),
        CfPred::OriginSide => {
            let extra: Vec<String> = super::ORIGIN_SIDE_EXTRA.iter().map(|x| lit(x)).collect();
            format!(
                "(detailed LIKE 'Origin%' OR detailed IN ({}))",
                extra.join(", ")
            )
        }
        CfPred::StatusAtLeast(s) => format!("status >= {s}"),
        CfPred::StatusIs(s) => format!("status = {s}"),
        CfPred::TimeBelow(s) => format!("tt < {}", num(s.value(t))),
        CfPred::Near(s) => near_sql("tt", s.value(t)),
        CfPred::NearSomeTry(s, tries) => {
            let alts: Vec<String> = (1..=attempts)
                .map(|k| {
                    let near = near_sql("tt", seconds(s, t) * f64::from(k));
                    match tries_sql(tries, k) {
                        None => format!("({near})"),
                        Some(_) => format!("({retried} AND {near})"),
                    }
                })
                .collect();
            format!("({})", alts.join(" OR "))
        }
        CfPred::NearLastTry(s, Tries::ConnectionAttempts) => {
            near_sql("tt", seconds(s, t) * f64::from(attempts))
        }
        CfPred::NearLastTry(s, Tries::ReadTries) => format!(
            "(({retried} AND {}) OR ({not_retried} AND {}))",
            near_sql("tt", seconds(s, t) * f64::from(attempts)),
            near_sql("tt", seconds(s, t))
        ),
        CfPred::NotAll(ps) => {
            let all: Vec<String> = ps.iter().map(|p| cf_pred_sql(p, t)).collect();
            format!("NOT ({})", all.join(" AND "))
        }
    }
}

fn seconds(s: CfSeconds, t: &Timeouts) -> f64 {
    s.value(t)
}

/// The CloudFront signature of a record under one set of timeouts, as a `CASE` expression.
#[must_use]
pub(crate) fn cf_signature_case(t: &Timeouts) -> String {
    signature_case(CF_SIGNATURES.iter().map(|d| {
        (
            d.all.iter().map(|p| cf_pred_sql(p, t)).collect(),
            d.signature.as_str(),
        )
    }))
}

/// A signature table as `CASE WHEN conditions THEN 'name' … ELSE 'other' END`: each row's
/// conditions ANDed, the rows tried in order (the first that holds names the record).
pub(crate) fn signature_case<'a>(rows: impl Iterator<Item = (Vec<String>, &'a str)>) -> String {
    let mut out = String::from("CASE");
    for (conds, name) in rows {
        let _ = write!(
            out,
            "\n      WHEN {} THEN {}",
            conds.join("\n        AND "),
            lit(name)
        );
    }
    out.push_str("\n      ELSE 'other' END");
    out
}

/// `LIKE` pattern of a CloudFront path pattern (leading `/` dropped; `*` any run, `?` one
/// character), with `\` as the escape.
fn like_of_path_pattern(pattern: &str) -> String {
    let p = pattern.strip_prefix('/').unwrap_or(pattern);
    let mut out = String::new();
    for c in p.chars() {
        match c {
            '*' => out.push('%'),
            '?' => out.push('_'),
            '%' | '_' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// The distinct timeout sets (the default first) and, per distribution and behavior, its index.
fn timeout_sets(plan: &SqlPlan<'_>) -> Vec<Timeouts> {
    let mut sets = vec![plan.timeouts.clone()];
    for d in plan.distributions {
        for (_, t) in &d.behaviors {
            if !sets.iter().any(|s| same_timeouts(s, t)) {
                sets.push(t.clone());
            }
        }
    }
    sets
}

fn same_timeouts(a: &Timeouts, b: &Timeouts) -> bool {
    a.connection_timeout.to_bits() == b.connection_timeout.to_bits()
        && a.connection_attempts == b.connection_attempts
        && a.read_timeout.to_bits() == b.read_timeout.to_bits()
        && a.alb_idle_timeout.to_bits() == b.alb_idle_timeout.to_bits()
}

/// `(distribution, behavior, timeouts set)` of a CloudFront record from its `file_dist`,
/// `host` and `path` (the URI without its leading `/`): the snapshot's distributions in order
/// (matched by id or `*.cloudfront.net` host), the first behavior whose pattern matches, else
/// `host /segment/*` with the default timeouts — as `cloudfront_record` does.
fn behavior_sql(plan: &SqlPlan<'_>, sets: &[Timeouts]) -> (String, String, String) {
    let fallback = "host || CASE WHEN length(uri) - length(replace(uri, '/', '')) > 1 \
         AND length(replace(uri, '/', '')) > 0 THEN ' /' || regexp_extract(uri, '[^/]+') || '/*' ELSE ' /*' END"
        .to_owned();
    if plan.distributions.is_empty() {
        return ("file_dist".to_owned(), fallback, "0".to_owned());
    }
    let mut dist = String::from("CASE");
    let mut behavior = String::from("CASE");
    let mut set = String::from("CASE");
    for d in plan.distributions {
        let mut conds = Vec::new();
        if !d.id.is_empty() {
            conds.push(format!("(file_dist <> '' AND file_dist = {})", lit(&d.id)));
        }
        if !d.domain.is_empty() {
            conds.push(format!(
                "(host <> '' AND lower(host) = {})",
                lit(&d.domain.to_ascii_lowercase())
            ));
        }
        if conds.is_empty() {
            continue;
        }
        let m = format!("({})", conds.join(" OR "));
        let _ = write!(dist, " WHEN {m} THEN {}", lit(&d.id));
        for (pattern, t) in &d.behaviors {
            let idx = sets.iter().position(|s| same_timeouts(s, t)).unwrap_or(0);
            let like = format!(
                "{m} AND path LIKE {} ESCAPE '\\'",
                lit(&like_of_path_pattern(pattern))
            );
            let _ = write!(behavior, " WHEN {like} THEN {}", lit(pattern));
            let _ = write!(set, " WHEN {like} THEN {idx}");
        }
        let _ = write!(behavior, " WHEN {m} THEN {fallback}");
        let _ = write!(set, " WHEN {m} THEN 0");
    }
    dist.push_str(" ELSE file_dist END");
    let _ = write!(behavior, " ELSE {fallback} END");
    set.push_str(" ELSE 0 END");
    (dist, behavior, set)
}

/// (year, month, day, hour) of a minute.
pub(crate) fn ymdh(minute: i64) -> (i64, i64, i64, i64) {
    let s = minute_to_rfc3339(minute);
    let n = |a: usize, b: usize| s[a..b].parse::<i64>().unwrap_or(0);
    (n(0, 4), n(5, 7), n(8, 10), n(11, 13))
}

/// Hours the window touches, at most this many (beyond it, days only).
const MAX_HOUR_PARTITIONS: i64 = 24 * 7;

/// The partition predicate of a v2 Parquet table: the window's hours (or days when long), so
/// Athena's partition projection reads only those prefixes.
pub(crate) fn parquet_partitions(since: i64, until_excl: i64) -> String {
    let first_hour = since.div_euclid(60);
    let last_hour = (until_excl - 1).max(since).div_euclid(60);
    if last_hour - first_hour < MAX_HOUR_PARTITIONS {
        // Group consecutive hours by day.
        let mut days: Vec<((i64, i64, i64), Vec<i64>)> = Vec::new();
        for h in first_hour..=last_hour {
            let (y, m, d, hh) = ymdh(h * 60);
            match days.last_mut() {
                Some((k, hs)) if *k == (y, m, d) => hs.push(hh),
                _ => days.push(((y, m, d), vec![hh])),
            }
        }
        let alts: Vec<String> = days
            .iter()
            .map(|((y, m, d), hs)| {
                let list: Vec<String> = hs.iter().map(i64::to_string).collect();
                format!(
                    "(year = {y} AND month = {m} AND day = {d} AND hour IN ({}))",
                    list.join(", ")
                )
            })
            .collect();
        format!("({})", alts.join(" OR "))
    } else {
        let mut alts = Vec::new();
        let mut day = since.div_euclid(1440);
        while day <= (until_excl - 1).div_euclid(1440) {
            let (y, m, d, _) = ymdh(day * 1440);
            alts.push(format!("(year = {y} AND month = {m} AND day = {d})"));
            day += 1;
        }
        format!("({})", alts.join(" OR "))
    }
}

/// The CloudFront base columns of one layout (normalised like the local parser: `-` is empty,
/// the detailed type falls back to the result type, the URI loses its query string).
fn cf_base(plan: &SqlPlan<'_>) -> (String, Vec<String>) {
    let mut where_ = Vec::new();
    let cols = match plan.layout {
        SqlLayout::CloudfrontParquet => {
            if let Some(since) = plan.since {
                where_.push(parquet_partitions(
                    since,
                    plan.until.unwrap_or(plan.now + 1),
                ));
            }
            [
                minute_sql("CAST(\"date\" AS DATE)", "\"time\""),
                "try_cast(sc_status AS INTEGER)".to_owned(),
                "coalesce(nullif(nullif(x_edge_detailed_result_type, '-'), ''), nullif(x_edge_result_type, '-'), '')".to_owned(),
                "coalesce(nullif(cs_method, '-'), '')".to_owned(),
                "coalesce(nullif(cs_host, '-'), '')".to_owned(),
                "split_part(coalesce(nullif(cs_uri_stem, '-'), ''), '?', 1)".to_owned(),
                "try_cast(time_taken AS DOUBLE)".to_owned(),
                "coalesce(nullif(x_edge_location, '-'), '')".to_owned(),
                "coalesce(distributionid, '')".to_owned(),
            ]
        }
        _ => {
            if let Some(since) = plan.since {
                // The documented legacy table is not partitioned: this filters rows (and lets
                // Athena skip nothing); see `--print-ddl` for the partitioned v2 layout.
                let (y, m, d, _) = ymdh(since);
                where_.push(format!("\"date\" >= DATE '{y:04}-{m:02}-{d:02}'"));
            }
            if let Some(until) = plan.until {
                let (y, m, d, _) = ymdh(until - 1);
                where_.push(format!("\"date\" <= DATE '{y:04}-{m:02}-{d:02}'"));
            }
            [
                minute_sql("\"date\"", "\"time\""),
                "sc_status".to_owned(),
                "coalesce(nullif(nullif(x_edge_detailed_result_type, '-'), ''), nullif(x_edge_result_type, '-'), '')".to_owned(),
                "coalesce(nullif(cs_method, '-'), '')".to_owned(),
                "coalesce(nullif(cs_host, '-'), '')".to_owned(),
                "split_part(coalesce(nullif(cs_uri_stem, '-'), ''), '?', 1)".to_owned(),
                "CAST(time_taken AS DOUBLE)".to_owned(),
                "coalesce(nullif(x_edge_location, '-'), '')".to_owned(),
                // The distribution id starts the legacy log file's name.
                "coalesce(regexp_extract(\"$path\", '/(E[A-Za-z0-9]{9,})\\.[^/]*$', 1), '')".to_owned(),
            ]
        }
    };
    let names = [
        "minute",
        "status",
        "detailed",
        "method",
        "host",
        "uri",
        "time_taken",
        "edge",
        "file_dist",
    ];
    let select: Vec<String> = cols
        .iter()
        .zip(names)
        .map(|(c, n)| format!("    {c} AS {n}"))
        .collect();
    let mut sql = format!("SELECT\n{}\n  FROM {}", select.join(",\n"), plan.table);
    if !where_.is_empty() {
        let _ = write!(sql, "\n  WHERE {}", where_.join("\n    AND "));
    }
    (sql, Vec::new())
}

/// The window and distribution filters on a normalised CloudFront row.
fn cf_filters(plan: &SqlPlan<'_>) -> String {
    let mut f = vec![
        "status IS NOT NULL".to_owned(),
        "minute IS NOT NULL".to_owned(),
    ];
    if let Some(s) = plan.since {
        f.push(format!("minute >= {s}"));
    }
    if let Some(u) = plan.until {
        f.push(format!("minute < {u}"));
    }
    if let Some(d) = plan.distribution {
        f.push(format!("distribution = {}", lit(d)));
    }
    f.join(" AND ")
}

/// `'' AS x` / `0 AS x` fillers for the result columns a kind leaves empty.
pub(crate) fn row(values: &[(&str, String)]) -> String {
    RESULT_COLUMNS
        .iter()
        .map(|c| {
            values.iter().find(|(k, _)| k == c).map_or_else(
                || {
                    if matches!(
                        *c,
                        "status" | "bin" | "first_minute" | "last_minute" | "n" | "n5xx" | "n504"
                    ) {
                        format!("CAST(0 AS BIGINT) AS {c}")
                    } else {
                        format!("'' AS {c}")
                    }
                },
                |(_, v)| {
                    if matches!(
                        *c,
                        "status" | "bin" | "first_minute" | "last_minute" | "n" | "n5xx" | "n504"
                    ) {
                        format!("CAST({v} AS BIGINT) AS {c}")
                    } else {
                        format!("CAST({v} AS VARCHAR) AS {c}")
                    }
                },
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The time-taken histogram bin (0.1 s, 0 to 3000; -1 when not logged), as `Bucket::add`.
pub(crate) fn bin_sql(x: &str) -> String {
    use super::summary::{BINS, BINS_PER_SECOND};
    #[allow(clippy::cast_precision_loss, reason = "3000")]
    let last = (BINS - 1) as f64;
    format!(
        "CASE WHEN {x} IS NULL THEN -1 ELSE CAST(least(greatest(round({x} * {}), 0e0), {}) AS BIGINT) END",
        num(BINS_PER_SECOND),
        num(last)
    )
}

/// The query for a plan.
///
/// # Errors
/// A bad table name.
pub fn query(plan: &SqlPlan<'_>) -> Result<String, String> {
    check_table_name(plan.table)?;
    if plan.layout == SqlLayout::Alb {
        return super::sql_alb::alb_query(plan);
    }
    let sets = timeout_sets(plan);
    let (base, _) = cf_base(plan);
    let (dist, behavior, set) = behavior_sql(plan, &sets);
    let signature = if sets.len() == 1 {
        cf_signature_case(&sets[0])
    } else {
        let mut s = String::from("CASE ts");
        for (i, t) in sets.iter().enumerate() {
            let _ = write!(s, "\n    WHEN {i} THEN {}", cf_signature_case(t));
        }
        s.push_str("\n    END");
        s
    };
    let mut sql = String::new();
    let _ = writeln!(
        sql,
        "-- edgepath {}: CloudFront 5xx classification ({} layout); signatures from the same table as the local reader",
        env!("CARGO_PKG_VERSION"),
        plan.layout.name()
    );
    for (i, t) in sets.iter().enumerate() {
        let _ = writeln!(
            sql,
            "-- timeouts {i}: connect {} s x {}, read {} s, ALB idle {} s ({})",
            t.connection_timeout,
            t.connection_attempts,
            t.read_timeout,
            t.alb_idle_timeout,
            t.source
        );
    }
    let _ = write!(
        sql,
        "WITH base AS (\n  {base}\n),\nr AS (\n  SELECT minute, status, detailed, method, host, uri, time_taken, edge, file_dist,\n    CASE WHEN substr(uri, 1, 1) = '/' THEN substr(uri, 2) ELSE uri END AS path,\n    coalesce(time_taken, -1e0) AS tt\n  FROM base\n),\nb AS (\n  SELECT r.*, {dist} AS distribution,\n    {behavior} AS behavior,\n    {set} AS ts\n  FROM r\n),\nw AS (\n  SELECT * FROM b WHERE {}\n),\ne AS (\n  SELECT distribution, behavior, status, detailed, uri, edge, minute, time_taken,\n    {signature} AS signature\n  FROM w WHERE status >= 500 OR status = 0\n)\n",
        cf_filters(plan)
    );
    let status_row = row(&[
        ("kind", "'status'".into()),
        ("status", "status".into()),
        ("n", "count(*)".into()),
    ]);
    let minute_row = row(&[
        ("kind", "'minute'".into()),
        ("first_minute", "minute".into()),
        ("last_minute", "minute".into()),
        ("n", "count(*)".into()),
        (
            "n5xx",
            "sum(CASE WHEN status >= 500 OR status = 0 THEN 1 ELSE 0 END)".into(),
        ),
        (
            "n504",
            "sum(CASE WHEN status = 504 THEN 1 ELSE 0 END)".into(),
        ),
    ]);
    let bucket_row = row(&[
        ("kind", "'bucket'".into()),
        ("distribution", "distribution".into()),
        ("behavior", "behavior".into()),
        ("status", "status".into()),
        ("detailed", "detailed".into()),
        ("signature", "signature".into()),
        ("bin", "bin".into()),
        ("first_minute", "min(minute)".into()),
        ("last_minute", "max(minute)".into()),
        ("n", "count(*)".into()),
    ]);
    // Top URIs (every 5xx) and edge locations (when logged), count then name, as `top`.
    let top = |kind: &str, col: &str, filter: &str| {
        let r = row(&[
            ("kind", lit(kind)),
            ("detailed", col.to_owned()),
            ("n", "count(*)".into()),
        ]);
        format!(
            "SELECT * FROM (SELECT {r} FROM e WHERE {filter} GROUP BY {col} ORDER BY count(*) DESC, {col} LIMIT 5) AS t_{kind}"
        )
    };
    let _ = write!(
        sql,
        "SELECT {status_row} FROM w GROUP BY status\nUNION ALL\nSELECT {minute_row} FROM w GROUP BY minute\nUNION ALL\nSELECT {bucket_row} FROM (SELECT e.*, {} AS bin FROM e) AS eb\n  GROUP BY distribution, behavior, status, detailed, signature, bin\nUNION ALL\n{}\nUNION ALL\n{}\n",
        bin_sql("time_taken"),
        top("top_uri", "uri", "TRUE"),
        top("top_edge", "edge", "edge <> ''"),
    );
    Ok(sql)
}

#[cfg(test)]
#[path = "sql_tests.rs"]
mod tests;
