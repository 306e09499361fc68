//! Runs one query on Athena: `StartQueryExecution`, `GetQueryExecution` polled until the
//! query ends, then `GetQueryResults` page by page. The one part of edgepath that is not
//! read-only — Athena writes the results to S3 — so it runs only with `logs --athena`, and
//! `tests/live_readonly.rs` leaves this file to `tests/athena_live.rs`, which checks its
//! operations against `logs --print-iam-policy --athena`.

use std::time::{Duration, Instant};

use aws_sdk_athena::Client;
use aws_sdk_athena::types::{QueryExecutionContext, QueryExecutionState, ResultConfiguration};
use miette::{IntoDiagnostic, Result, miette};

use super::runner::sdk_config;

/// One query to run.
#[derive(Debug, Clone, Default)]
pub struct AthenaQuery {
    /// `--profile`.
    pub profile: Option<String>,
    /// The first `--region`, else the configured one.
    pub region: Option<String>,
    /// The SQL.
    pub sql: String,
    /// `--workgroup`.
    pub workgroup: Option<String>,
    /// `--output` (`s3://…`).
    pub output: Option<String>,
    /// The database of `--table` (the query names the table in full too).
    pub database: Option<String>,
    /// Say on stderr what the query is doing.
    pub progress: bool,
}

/// A finished query.
#[derive(Debug, Clone, Default)]
pub struct AthenaDone {
    /// Its id.
    pub query_execution_id: String,
    /// All rows, the header first, every value as text (`''` for NULL).
    pub rows: Vec<Vec<String>>,
    /// Bytes scanned.
    pub bytes_scanned: u64,
    /// Engine time.
    pub engine_ms: u64,
    /// Where Athena wrote the results.
    pub output_location: String,
}

/// Longest wait for a query (Athena's own DML timeout is 30 min by default).
const MAX_WAIT: Duration = Duration::from_secs(30 * 60);

/// Runs a query and reads all its rows.
///
/// # Errors
/// A call that failed (named, with the SDK's message), a query that FAILED or was CANCELLED
/// (with Athena's reason), or one still running after 30 minutes.
pub fn run_query(q: &AthenaQuery) -> Result<AthenaDone> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .into_diagnostic()?;
    runtime.block_on(run_async(q))
}

fn sdk_error(call: &str, e: &impl std::error::Error) -> miette::Report {
    // The SDK's Display is terse ("service error"); its source chain has the message.
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        msg = format!("{msg}: {s}");
        src = s.source();
    }
    miette!("athena:{call} failed: {msg}")
}

async fn run_async(q: &AthenaQuery) -> Result<AthenaDone> {
    let base = sdk_config(q.profile.as_deref()).await;
    let mut conf = aws_sdk_athena::config::Builder::from(&base);
    if let Some(r) = &q.region {
        conf = conf.region(aws_config::Region::new(r.clone()));
    }
    let client = Client::from_conf(conf.build());
    let mut start = client.start_query_execution().query_string(&q.sql);
    if let Some(wg) = &q.workgroup {
        start = start.work_group(wg);
    }
    if let Some(out) = &q.output {
        start =
            start.result_configuration(ResultConfiguration::builder().output_location(out).build());
    }
    if let Some(db) = &q.database {
        start =
            start.query_execution_context(QueryExecutionContext::builder().database(db).build());
    }
    let started = start
        .send()
        .await
        .map_err(|e| sdk_error("StartQueryExecution", &e))?;
    let id = started
        .query_execution_id()
        .ok_or_else(|| miette!("athena:StartQueryExecution returned no query execution id"))?
        .to_owned();
    if q.progress {
        eprintln!("athena: query {id} started");
    }
    let t0 = Instant::now();
    let mut delay = Duration::from_millis(200);
    let execution = loop {
        let got = client
            .get_query_execution()
            .query_execution_id(&id)
            .send()
            .await
            .map_err(|e| sdk_error("GetQueryExecution", &e))?;
        let exec = got
            .query_execution()
            .cloned()
            .ok_or_else(|| miette!("athena:GetQueryExecution {id}: no query execution"))?;
        let status = exec.status();
        match status.and_then(|s| s.state()) {
            Some(QueryExecutionState::Succeeded) => break exec,
            Some(state @ (QueryExecutionState::Failed | QueryExecutionState::Cancelled)) => {
                let reason = status
                    .and_then(|s| s.athena_error())
                    .and_then(|e| e.error_message())
                    .or_else(|| status.and_then(|s| s.state_change_reason()))
                    .unwrap_or("no reason given");
                return Err(miette!(
                    help =
                        "check the table (`logs --print-ddl`) and the query (`logs --print-sql`)",
                    "Athena query {id} {}: {reason}",
                    state.as_str()
                ));
            }
            _ => {}
        }
        if t0.elapsed() > MAX_WAIT {
            return Err(miette!(
                "Athena query {id} still running after {} min; see it in the Athena console",
                MAX_WAIT.as_secs() / 60
            ));
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(2));
    };
    let stats = execution.statistics();
    let bytes_scanned = stats
        .and_then(|s| s.data_scanned_in_bytes())
        .map_or(0, |b| u64::try_from(b).unwrap_or(0));
    let engine_ms = stats
        .and_then(|s| s.engine_execution_time_in_millis())
        .map_or(0, |b| u64::try_from(b).unwrap_or(0));
    let output_location = execution
        .result_configuration()
        .and_then(|r| r.output_location())
        .unwrap_or_default()
        .to_owned();
    let mut rows = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = client
            .get_query_results()
            .query_execution_id(&id)
            .max_results(1000)
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| sdk_error("GetQueryResults", &e))?;
        if let Some(set) = page.result_set() {
            for r in set.rows() {
                rows.push(
                    r.data()
                        .iter()
                        .map(|d| d.var_char_value().unwrap_or_default().to_owned())
                        .collect(),
                );
            }
        }
        match page.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_owned()),
            _ => break,
        }
    }
    if q.progress {
        eprintln!(
            "athena: query {id} done in {:.1} s, {bytes_scanned} bytes scanned, {} rows",
            t0.elapsed().as_secs_f64(),
            rows.len().saturating_sub(1)
        );
    }
    Ok(AthenaDone {
        query_execution_id: id,
        rows,
        bytes_scanned,
        engine_ms,
        output_location,
    })
}
