//! The ALB half of the Athena SQL: [`ALB_SIGNATURES`] printed as a `CASE` over the columns of
//! the AWS-documented ALB access-log table (regex SerDe), with the same bucketing as the local
//! reader (`read.rs`: classified statuses only, detailed `target <status> [<error_reason>]`,
//! the target group, the elapsed time's 0.1 s bin).

use std::fmt::Write as _;

use super::alb_signatures::{
    ALB_ACTION_MIN_STATUS, ALB_CLASSIFIED_4XX, ALB_CLASSIFIED_ACTIONS, ALB_SIGNATURES, AlbField,
    Pred, Seconds,
};
use super::classify::near_tolerance;
use super::sql::{SqlPlan, bin_sql, lit, near_sql, num, row, signature_case, ymdh};

/// The ALB request types a record line starts with (others are NLB or classic lines).
const ALB_TYPES: &[&str] = &["http", "https", "h2", "grpcs", "ws", "wss"];

/// A field as SQL text over the normalised columns.
fn text(f: AlbField) -> &'static str {
    match f {
        AlbField::ElbStatusCode => "elb_status",
        AlbField::TargetStatusCode => "target_status",
        AlbField::Target => "target",
        AlbField::RequestProcessingTime => "rpt",
        AlbField::TargetProcessingTime => "tpt",
        AlbField::ResponseProcessingTime => "spt",
        AlbField::ErrorReason => "error_reason",
        AlbField::ActionsExecuted => "actions",
        AlbField::Elapsed => "el",
    }
}

/// Whether the documented table types the field as a number (DOUBLE or INT).
fn numeric(f: AlbField) -> Option<&'static str> {
    match f {
        AlbField::ElbStatusCode => Some("elb_status_code"),
        AlbField::RequestProcessingTime => Some("rpt"),
        AlbField::TargetProcessingTime => Some("tpt"),
        AlbField::ResponseProcessingTime => Some("spt"),
        AlbField::Elapsed => Some("el"),
        _ => None,
    }
}

fn seconds(s: Seconds, idle: f64) -> f64 {
    match s {
        Seconds::Fixed(x) => x,
        Seconds::IdleTimeout => idle,
    }
}

/// One predicate as SQL. Text equality on a numeric column compares numbers (the log writes
/// `-1`, the table holds -1.0).
fn pred_sql(p: &Pred, idle: f64) -> String {
    let eq = |f: AlbField, v: &str, op: &str| match (numeric(f), v.parse::<f64>()) {
        (Some(col), Ok(x)) if f == AlbField::ElbStatusCode => format!("{col} {op} {x}"),
        (Some(col), Ok(x)) => format!("{col} {op} {}", num(x)),
        _ => format!("{} {op} {}", text(f), lit(v)),
    };
    match *p {
        Pred::Eq(f, v) => eq(f, v, "="),
        Pred::Ne(f, v) => eq(f, v, "<>"),
        Pred::In(f, vs) => {
            let list: Vec<String> = vs.iter().map(|v| lit(v)).collect();
            format!("{} IN ({})", text(f), list.join(", "))
        }
        Pred::ListHas(f, v) => format!(
            "(',' || {} || ',') LIKE {} ESCAPE '\\'",
            text(f),
            lit(&format!(
                "%,{},%",
                v.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            ))
        ),
        Pred::AtLeast(f, x) => format!("{} >= {}", numeric(f).unwrap_or(text(f)), num(x)),
        Pred::Near(f, s) => near_sql(numeric(f).unwrap_or(text(f)), seconds(s, idle)),
        Pred::Before(f, s) => {
            let target = seconds(s, idle);
            format!(
                "{} < {}",
                numeric(f).unwrap_or(text(f)),
                num(target - near_tolerance(target))
            )
        }
        Pred::StatusFromTarget => "target_status = elb_status".to_owned(),
    }
}

/// The ALB signature `CASE` under this idle timeout.
#[must_use]
pub(crate) fn alb_signature_case(idle: f64) -> String {
    signature_case(ALB_SIGNATURES.iter().map(|d| {
        (
            d.all.iter().map(|p| pred_sql(p, idle)).collect(),
            d.signature.as_str(),
        )
    }))
}

/// Seconds within the day's minute of an ISO-8601 time (`…THH:MM:SS.ffffffZ`), as `alb_time`.
fn secs(x: &str) -> String {
    format!("try_cast(substr({x}, 18, length({x}) - 18) AS DOUBLE)")
}

fn iso_minute(x: &str) -> String {
    format!(
        "CASE WHEN length({x}) >= 19 AND substr({x}, 11, 1) = 'T' THEN {} END",
        super::sql::minute_sql(
            &format!("try_cast(substr({x}, 1, 10) AS DATE)"),
            &format!("substr({x}, 12, 5)")
        )
    )
}

pub(crate) fn alb_query(plan: &SqlPlan<'_>) -> Result<String, String> {
    let idle = plan.timeouts.alb_idle_timeout;
    let types: Vec<String> = ALB_TYPES.iter().map(|t| lit(t)).collect();
    let mut where_ = vec![
        format!("type IN ({})", types.join(", ")),
        "elb_status_code IS NOT NULL".to_owned(),
    ];
    if let Some(since) = plan.since {
        let until = plan.until.unwrap_or(plan.now + 1);
        let (y0, m0, d0, _) = ymdh(since);
        let (y1, m1, d1, _) = ymdh((until - 1).max(since));
        where_.push(format!(
            "day BETWEEN '{y0:04}/{m0:02}/{d0:02}' AND '{y1:04}/{m1:02}/{d1:02}'"
        ));
    }
    let classified: Vec<String> = ALB_CLASSIFIED_4XX.iter().map(u16::to_string).collect();
    // The records a listener rule answered itself, at any error status (`alb_record_classified`).
    let by_action: Vec<String> = ALB_CLASSIFIED_ACTIONS
        .iter()
        .map(|a| {
            format!(
                "(elb_status_code >= {ALB_ACTION_MIN_STATUS} AND {})",
                pred_sql(&Pred::ListHas(AlbField::ActionsExecuted, a), idle)
            )
        })
        .collect();
    let mut window = vec!["minute IS NOT NULL".to_owned()];
    if let Some(s) = plan.since {
        window.push(format!("minute >= {s}"));
    }
    if let Some(u) = plan.until {
        window.push(format!("minute < {u}"));
    }
    let mut sql = String::new();
    let _ = writeln!(
        sql,
        "-- edgepath {}: ALB 5xx classification (alb layout, the documented regex SerDe table); signatures from the same table as the local reader\n-- ALB idle timeout {idle} s ({})",
        env!("CARGO_PKG_VERSION"),
        plan.timeouts.source
    );
    let _ = write!(
        sql,
        "WITH base AS (
  SELECT
    {} AS minute,
    elb_status_code,
    CAST(elb_status_code AS VARCHAR) AS elb_status,
    coalesce(target_status_code, '-') AS target_status,
    CASE WHEN coalesce(target_ip, '') IN ('', '-') THEN '-' ELSE target_ip || ':' || coalesce(CAST(target_port AS VARCHAR), '') END AS target,
    request_processing_time AS rpt,
    target_processing_time AS tpt,
    response_processing_time AS spt,
    coalesce(lambda_error_reason, '-') AS error_reason,
    coalesce(actions_executed, '-') AS actions,
    coalesce(target_group_arn, '-') AS target_group_arn,
    CAST({} - {} AS DOUBLE) * 6e1 + {} - {} AS elapsed
  FROM {}
  WHERE {}
),
w AS (
  SELECT base.*, CASE WHEN elapsed >= 0e0 THEN elapsed END AS el FROM base WHERE {}
),
e AS (
  SELECT minute, elb_status_code, target_status, elapsed,
    CASE WHEN target_group_arn = '-' THEN '' ELSE target_group_arn END AS tg,
    'target ' || target_status || CASE WHEN error_reason IN ('-', '') THEN '' ELSE ' ' || error_reason END AS detailed,
    {} AS signature
  FROM w WHERE elb_status_code >= 500 OR elb_status_code IN ({}){}
)
",
        iso_minute("\"time\""),
        iso_minute("\"time\""),
        iso_minute("request_creation_time"),
        secs("\"time\""),
        secs("request_creation_time"),
        plan.table,
        where_.join("\n    AND "),
        window.join(" AND "),
        alb_signature_case(idle),
        classified.join(", "),
        by_action
            .iter()
            .map(|c| format!("\n    OR {c}"))
            .collect::<String>(),
    );
    let records = row(&[("kind", "'alb_records'".into()), ("n", "count(*)".into())]);
    let bucket = row(&[
        ("kind", "'alb_bucket'".into()),
        ("status", "elb_status_code".into()),
        ("detailed", "detailed".into()),
        ("signature", "signature".into()),
        ("target_group_arn", "tg".into()),
        ("target_status", "target_status".into()),
        ("bin", "bin".into()),
        ("first_minute", "min(minute)".into()),
        ("last_minute", "max(minute)".into()),
        ("n", "count(*)".into()),
    ]);
    // Per target and minute: requests, 5xx and the highest 5xx status, for the draining check
    // (`summary::draining_targets`, which runs on these rows as on a local read's).
    let target_minute = row(&[
        ("kind", "'alb_target_minute'".into()),
        ("detailed", "target".into()),
        ("first_minute", "minute".into()),
        ("last_minute", "minute".into()),
        ("n", "count(*)".into()),
        (
            "n5xx",
            "sum(CASE WHEN elb_status_code >= 500 THEN 1 ELSE 0 END)".into(),
        ),
        (
            "status",
            "coalesce(max(CASE WHEN elb_status_code >= 500 THEN elb_status_code END), 0)".into(),
        ),
    ]);
    let _ = write!(
        sql,
        "SELECT {records} FROM w\nUNION ALL\nSELECT {bucket} FROM (SELECT e.*, {} AS bin FROM e) AS eb\n  GROUP BY elb_status_code, detailed, signature, tg, target_status, bin\nUNION ALL\nSELECT {target_minute} FROM w WHERE target <> '-' AND target <> ''\n  GROUP BY target, minute\n",
        bin_sql("elapsed")
    );
    Ok(sql)
}
