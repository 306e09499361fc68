//! `edgepath logs --athena`: the log classification as SQL on Athena, the SQL itself
//! (`--print-sql`), the tables' DDL (`--print-ddl`) and the IAM policy a query needs
//! (`--print-iam-policy --athena`). The SQL comes from `logs::query` (the same signature tables
//! as a local read); the rows come back into `logs::summary_from_rows` and render as the report
//! of a local read, with the bytes scanned and the cost added.

use std::path::PathBuf;

use chrono::{Datelike, Utc};
use miette::{Result, miette};

use super::logs::{LogsRequest, options, parse_time};
use super::{Globals, Outcome, emit};
use crate::logs::{LogSummary, SqlLayout, SqlPlan, ddl, query, summary_from_rows};
use crate::report::Report;

/// The Athena part of `edgepath logs`.
#[derive(Debug, Clone)]
pub struct AthenaRequest {
    /// Run the query on Athena.
    pub athena: bool,
    /// `database.table`.
    pub table: Option<String>,
    /// The table's layout.
    pub layout: SqlLayout,
    /// Workgroup.
    pub workgroup: Option<String>,
    /// Result location (`s3://…`).
    pub output: Option<String>,
    /// Print the SQL.
    pub print_sql: bool,
    /// Print the DDL.
    pub print_ddl: bool,
    /// Print the IAM policy (with `athena`).
    pub print_iam_policy: bool,
    /// (dev) Render this result CSV.
    pub results_csv: Option<PathBuf>,
}

impl Default for AthenaRequest {
    fn default() -> Self {
        AthenaRequest {
            athena: false,
            table: None,
            layout: SqlLayout::CloudfrontW3c,
            workgroup: None,
            output: None,
            print_sql: false,
            print_ddl: false,
            print_iam_policy: false,
            results_csv: None,
        }
    }
}

impl AthenaRequest {
    /// Whether any Athena flag asks for this path instead of reading files.
    #[must_use]
    pub fn wanted(&self) -> bool {
        self.athena || self.print_sql || self.print_ddl || self.results_csv.is_some()
    }
}

/// The IAM policy of `--athena`: the query, the Glue catalog, reading the logs and writing the
/// results. Athena is the one part of edgepath that writes (its query results).
#[must_use]
pub fn athena_iam_policy() -> serde_json::Value {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "EdgepathAthenaQuery",
                "Effect": "Allow",
                "Action": ATHENA_ACTIONS,
                "Resource": "arn:aws:athena:*:*:workgroup/*"
            },
            {
                "Sid": "EdgepathAthenaCatalog",
                "Effect": "Allow",
                "Action": ["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"],
                "Resource": "*"
            },
            {
                "Sid": "EdgepathReadLogs",
                "Effect": "Allow",
                "Action": ["s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket"],
                "Resource": ["arn:aws:s3:::LOG_BUCKET", "arn:aws:s3:::LOG_BUCKET/*"]
            },
            {
                "Sid": "EdgepathWriteQueryResults",
                "Effect": "Allow",
                "Action": [
                    "s3:AbortMultipartUpload",
                    "s3:GetBucketLocation",
                    "s3:GetObject",
                    "s3:ListBucket",
                    "s3:ListMultipartUploadParts",
                    "s3:PutObject"
                ],
                "Resource": ["arn:aws:s3:::RESULTS_BUCKET", "arn:aws:s3:::RESULTS_BUCKET/*"]
            }
        ]
    })
}

/// The Athena API actions `--athena` calls (`source/live/athena.rs`).
pub const ATHENA_ACTIONS: &[&str] = &[
    "athena:GetQueryExecution",
    "athena:GetQueryResults",
    "athena:StartQueryExecution",
];

/// Splits CSV text (RFC 4180: `"` quotes, `""` escapes) into rows.
///
/// # Errors
/// An unterminated quote.
pub fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
                any = false;
            }
            (false, c) => cell.push(c),
        }
    }
    if quoted {
        return Err("unterminated quoted field".into());
    }
    if any {
        row.push(cell);
        rows.push(row);
    }
    Ok(rows)
}

/// Runs the Athena path of `edgepath logs`.
///
/// # Errors
/// Bad flags, a bad table name, a failed query.
pub fn run(g: &Globals, a: &LogsRequest) -> Result<Outcome> {
    let r = &a.athena;
    let now = Utc::now();
    if r.print_ddl {
        let table = r.table.clone().unwrap_or_else(|| {
            match r.layout {
                SqlLayout::CloudfrontW3c => "cloudfront_standard_logs",
                SqlLayout::CloudfrontParquet => "cloudfront_logs_parquet",
                SqlLayout::Alb => "alb_access_logs",
            }
            .to_owned()
        });
        crate::logs::check_table_name(&table).map_err(|e| miette!("{e}"))?;
        print!("{}", ddl(r.layout, &table, i64::from(now.year())));
        return Ok(Outcome::Clean);
    }
    if r.print_iam_policy {
        let p = serde_json::to_string_pretty(&athena_iam_policy()).map_err(|e| miette!("{e}"))?;
        println!("{p}");
        return Ok(Outcome::Clean);
    }
    if !a.inputs.is_empty() {
        return Err(miette!(
            "--athena/--print-sql read the --table, not files; drop the FILES or the Athena flags"
        ));
    }
    let now_minute = now.timestamp().div_euclid(60);
    // The same reading of --since/--until as a local or S3 read (RFC 3339 or a span).
    let since = a
        .since
        .as_deref()
        .map(|s| parse_time("since", s, now).map(|t| t.timestamp().div_euclid(60)))
        .transpose()?;
    let until = a
        .until
        .as_deref()
        .map(|s| parse_time("until", s, now).map(|t| t.timestamp().div_euclid(60)))
        .transpose()?;
    // Timeouts and behaviors from the snapshot when one is given (flags checked without it).
    let opts = options(g, None, None, None, a.distribution.as_deref())?;
    let table = r.table.clone().unwrap_or_else(|| "logs".to_owned());
    let plan = SqlPlan {
        table: &table,
        layout: r.layout,
        since,
        until,
        now: now_minute,
        timeouts: &opts.timeouts,
        distributions: &opts.distributions,
        distribution: a.distribution.as_deref(),
    };
    let sql = query(&plan).map_err(|e| miette!("{e}"))?;
    if r.print_sql {
        print!("{sql}");
        return Ok(Outcome::Clean);
    }
    if let Some(csv) = &r.results_csv {
        let text = std::fs::read_to_string(csv)
            .map_err(|e| miette!("cannot read {}: {e}", csv.display()))?;
        let rows = parse_csv(&text).map_err(|e| miette!("{}: {e}", csv.display()))?;
        let Some((header, rows)) = rows.split_first() else {
            return Err(miette!("{}: empty result (no header row)", csv.display()));
        };
        let summary = summary_from_rows(header, rows, opts.timeouts.clone())
            .map_err(|e| miette!("{}: {e}", csv.display()))?;
        return render(g, &summary);
    }
    if since.is_none() {
        super::warn(
            g,
            "no --since: the query scans the whole table (every partition); Athena bills by bytes scanned",
        );
    }
    let summary = run_live(g, r, &table, &sql, opts.timeouts.clone())?;
    render(g, &summary)
}

fn render(g: &Globals, summary: &LogSummary) -> Result<Outcome> {
    for w in &summary.warnings {
        super::warn(g, w);
    }
    emit(g, &Report::Logs(summary))?;
    Ok(Outcome::Clean)
}

#[cfg(feature = "live")]
fn run_live(
    g: &Globals,
    r: &AthenaRequest,
    table: &str,
    sql: &str,
    timeouts: crate::logs::Timeouts,
) -> Result<LogSummary> {
    use crate::source::live::athena::{AthenaQuery, run_query};
    let q = AthenaQuery {
        profile: g.profile.clone(),
        region: g.region.first().cloned(),
        sql: sql.to_owned(),
        workgroup: r.workgroup.clone(),
        output: r.output.clone(),
        database: table.split_once('.').map(|(d, _)| d.to_owned()),
        progress: !g.quiet,
    };
    let done = run_query(&q)?;
    let Some((header, rows)) = done.rows.split_first() else {
        return Err(miette!(
            "Athena query {} returned no header row",
            done.query_execution_id
        ));
    };
    let mut summary = summary_from_rows(header, rows, timeouts)
        .map_err(|e| miette!("Athena query {}: {e}", done.query_execution_id))?;
    summary.athena = Some(crate::logs::AthenaStats {
        table: table.to_owned(),
        query_execution_id: done.query_execution_id,
        bytes_scanned: done.bytes_scanned,
        cost_usd: crate::logs::athena_cost_usd(done.bytes_scanned),
        engine_ms: done.engine_ms,
        output_location: done.output_location,
    });
    Ok(summary)
}

#[cfg(not(feature = "live"))]
fn run_live(
    _g: &Globals,
    _r: &AthenaRequest,
    _table: &str,
    _sql: &str,
    _timeouts: crate::logs::Timeouts,
) -> Result<LogSummary> {
    Err(miette!(
        help = "use --print-sql and run the query yourself",
        "--athena needs a build with the `live` feature (the AWS SDK)"
    ))
}

#[cfg(test)]
mod tests {
    use super::parse_csv;

    #[test]
    fn athena_csv_quotes_and_escapes() {
        let rows = parse_csv("\"kind\",\"n\"\n\"a,b\",\"1\"\n\"say \"\"hi\"\"\",\"\"\n").unwrap();
        assert_eq!(
            rows,
            vec![
                vec!["kind".to_owned(), "n".to_owned()],
                vec!["a,b".to_owned(), "1".to_owned()],
                vec!["say \"hi\"".to_owned(), String::new()],
            ]
        );
        assert!(parse_csv("\"open").is_err());
    }
}
