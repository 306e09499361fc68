//! `logs --athena` against `moto_server`'s Athena: StartQueryExecution, GetQueryExecution
//! polling and GetQueryResults, the rows seeded through moto's
//! `POST /moto-api/static/athena/query-results` (moto runs no SQL). The seeded rows are what
//! the generated SQL gives on DuckDB for a generated corpus (tests/support/athena_sql.py), so
//! the report `--athena` renders must equal the local read of that corpus. Through
//! `deny_proxy.py`, GetQueryExecution is answered with recorded states: a SUCCEEDED query
//! with the bytes it scanned (the report shows them and the cost), and a FAILED one (the
//! command fails with Athena's error message). Also: `--print-iam-policy --athena` grants every
//! Athena operation `source/live/athena.rs` calls, and the S3 writes of the results.

#![cfg(feature = "live")]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use edgepath::cmd::athena::{ATHENA_ACTIONS, parse_csv};
use serde_json::{Value, json};
use support::{Server, aws_env, start_moto, start_proxy_with};

const TABLE: &str = "edge_logs.cloudfront";

fn edgepath(server: Option<&Server>, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_edgepath"));
    c.args(args).env("NO_COLOR", "1");
    if let Some(s) = server {
        c.envs(aws_env(s));
    }
    c.output().expect("edgepath runs")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "edgepath failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn have_duckdb() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import duckdb, sqlglot"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("EDGEPATH_REQUIRE_DUCKDB").is_none(),
            "EDGEPATH_REQUIRE_DUCKDB is set but Python's duckdb or sqlglot is missing"
        );
        eprintln!("skipping: python3 -m pip install duckdb sqlglot");
    }
    ok
}

/// A generated corpus, its local report, and the result rows of the generated SQL on DuckDB.
fn corpus(dir: &Path) -> (Vec<String>, Value, Vec<Vec<String>>) {
    let log = dir.join("E2EXAMPLE12345.2025-11-23-05.a1.gz");
    let log_s = log.to_string_lossy().into_owned();
    ok(&edgepath(
        None,
        &[
            "logs",
            "--generate",
            "8000",
            "--seed",
            "11",
            "--out",
            &log_s,
        ],
    ));
    let local: Value =
        serde_json::from_str(&ok(&edgepath(None, &["logs", "--format", "json", &log_s])))
            .expect("JSON");
    let ddl = dir.join("t.ddl");
    let sql = dir.join("q.sql");
    let csv = dir.join("r.csv");
    std::fs::write(
        &ddl,
        ok(&edgepath(None, &["logs", "--print-ddl", "--table", TABLE])),
    )
    .expect("ddl");
    std::fs::write(
        &sql,
        ok(&edgepath(None, &["logs", "--print-sql", "--table", TABLE])),
    )
    .expect("sql");
    let out = Command::new("python3")
        .arg(support::support_dir().join("athena_sql.py"))
        .arg("--ddl")
        .arg(&ddl)
        .arg("--sql")
        .arg(&sql)
        .args(["--table", TABLE, "--out"])
        .arg(&csv)
        .arg(&log)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = parse_csv(&std::fs::read_to_string(&csv).expect("csv")).expect("CSV");
    (vec![log_s], local["summary"].clone(), rows)
}

/// Queues `rows` (header first) as the next query's result in moto.
fn seed_results(moto: &Server, rows: &[Vec<String>]) {
    let body = json!({
        "results": [{
            "rows": rows.iter().map(|r| json!({
                "Data": r.iter().map(|v| json!({"VarCharValue": v})).collect::<Vec<_>>()
            })).collect::<Vec<_>>(),
            "column_info": rows[0].iter().map(|c| json!({
                "CatalogName": "hive", "SchemaName": "", "TableName": "", "Name": c,
                "Label": c, "Type": "varchar", "Precision": 0, "Scale": 0,
                "Nullable": "UNKNOWN", "CaseSensitive": true
            })).collect::<Vec<_>>()
        }]
    });
    let url = format!("{}/moto-api/static/athena/query-results", moto.url);
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys, urllib.request\n\
             r = urllib.request.Request(sys.argv[1], data=sys.stdin.buffer.read(), method='POST', headers={'Content-Type': 'application/json'})\n\
             print(urllib.request.urlopen(r).status)",
            &url,
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin
                .take()
                .expect("stdin")
                .write_all(body.to_string().as_bytes())?;
            c.wait_with_output()
        })
        .expect("python3 posts");
    assert!(out.status.success(), "seeding moto's Athena results failed");
}

/// `deny_proxy.py` answering GetQueryExecution with `execution` (and forwarding the rest).
fn proxy_with_execution(moto: &Server, dir: &Path, name: &str, execution: &Value) -> Server {
    let stub: PathBuf = dir.join(name);
    std::fs::write(
        &stub,
        json!({"pages": {"": {"QueryExecution": execution}}}).to_string(),
    )
    .expect("stub");
    start_proxy_with(
        moto,
        &[
            "--stub-target".to_owned(),
            format!("AmazonAthena.GetQueryExecution={}", stub.display()),
        ],
    )
}

fn comparable(mut s: Value) -> Value {
    let o = s.as_object_mut().expect("summary");
    for k in ["files", "warnings", "athena"] {
        o.remove(k);
    }
    s
}

#[test]
fn athena_on_moto_renders_the_report_of_a_local_read() {
    let Some(moto) = start_moto() else { return };
    if !have_duckdb() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, local, rows) = corpus(dir.path());
    seed_results(&moto, &rows);
    let out = edgepath(
        Some(&moto),
        &[
            "logs",
            "--athena",
            "--table",
            TABLE,
            "--output",
            "s3://athena-results/edgepath/",
            "--workgroup",
            "primary",
            "--since",
            "2025-11-23T00:00:00Z",
            "--format",
            "json",
        ],
    );
    let report: Value = serde_json::from_str(&ok(&out)).expect("JSON report");
    let athena = report["summary"]["athena"].clone();
    assert_eq!(athena["table"], TABLE);
    assert!(
        athena["query_execution_id"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );
    assert!(
        athena["output_location"]
            .as_str()
            .is_some_and(|l| l.starts_with("s3://athena-results/edgepath/")),
        "{athena}"
    );
    assert!(
        local["origin_errors"]
            .as_array()
            .is_some_and(|e| !e.is_empty())
    );
    assert_eq!(comparable(report["summary"].clone()), comparable(local));
}

#[test]
fn bytes_scanned_and_cost_are_reported() {
    let Some(moto) = start_moto() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    // A result with only the header and one status row: the flow, not the counts, is tested.
    let header: Vec<String> = edgepath::logs::RESULT_COLUMNS
        .iter()
        .map(|c| (*c).to_owned())
        .collect();
    let mut row: Vec<String> = vec![String::new(); header.len()];
    for (i, c) in header.iter().enumerate() {
        row[i] = match c.as_str() {
            "kind" => "status".into(),
            "status" => "504".into(),
            "n" => "7".into(),
            _ => "0".into(),
        };
        if [
            "distribution",
            "behavior",
            "detailed",
            "signature",
            "target_group_arn",
            "target_status",
        ]
        .contains(&c.as_str())
        {
            row[i] = String::new();
        }
    }
    // Two queries below: moto hands each new query id the next queued result.
    seed_results(&moto, &[header.clone(), row.clone()]);
    seed_results(&moto, &[header, row]);
    let proxy = proxy_with_execution(
        &moto,
        dir.path(),
        "succeeded.json",
        &json!({
            "QueryExecutionId": "00000000-1111-2222-3333-444444444444",
            "Status": {"State": "SUCCEEDED"},
            "Statistics": {"DataScannedInBytes": 250_000_000_000_u64, "EngineExecutionTimeInMillis": 4321},
            "ResultConfiguration": {"OutputLocation": "s3://athena-results/x.csv"}
        }),
    );
    let out = edgepath(
        Some(&proxy),
        &["logs", "--athena", "--table", TABLE, "--since", "6h"],
    );
    let text = ok(&out);
    assert!(text.contains("250.0 GB scanned"), "{text}");
    assert!(text.contains("$1.25"), "{text}");
    let out = edgepath(
        Some(&proxy),
        &[
            "logs", "--athena", "--table", TABLE, "--since", "6h", "--format", "json",
        ],
    );
    let report: Value = serde_json::from_str(&ok(&out)).expect("JSON");
    assert_eq!(
        report["summary"]["athena"]["bytes_scanned"],
        250_000_000_000_u64
    );
    assert_eq!(report["summary"]["athena"]["cost_usd"], 1.25);
    assert_eq!(report["summary"]["by_status"]["504"], 7);
}

#[test]
fn a_failed_query_is_an_error_with_athenas_message() {
    let Some(moto) = start_moto() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let proxy = proxy_with_execution(
        &moto,
        dir.path(),
        "failed.json",
        &json!({
            "QueryExecutionId": "00000000-1111-2222-3333-555555555555",
            "Status": {
                "State": "FAILED",
                "StateChangeReason": "TABLE_NOT_FOUND: line 14:8: Table 'awsdatacatalog.edge_logs.cloudfront' does not exist",
                "AthenaError": {
                    "ErrorCategory": 2,
                    "ErrorType": 1301,
                    "ErrorMessage": "TABLE_NOT_FOUND: line 14:8: Table 'awsdatacatalog.edge_logs.cloudfront' does not exist"
                }
            }
        }),
    );
    let out = edgepath(
        Some(&proxy),
        &["logs", "--athena", "--table", TABLE, "--since", "1h"],
    );
    assert!(!out.status.success(), "a failed query fails the command");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("FAILED"), "{err}");
    assert!(
        err.contains("TABLE_NOT_FOUND") && err.contains("edge_logs.cloudfront"),
        "{err}"
    );
    assert!(err.contains("--print-ddl"), "the help names the DDL: {err}");
}

#[test]
fn the_athena_iam_policy_grants_every_athena_call_and_the_result_writes() {
    let policy: Value = serde_json::from_str(&ok(&edgepath(
        None,
        &["logs", "--athena", "--table", TABLE, "--print-iam-policy"],
    )))
    .expect("JSON policy");
    let actions: Vec<&str> = policy["Statement"]
        .as_array()
        .expect("statements")
        .iter()
        .flat_map(|s| s["Action"].as_array().into_iter().flatten())
        .filter_map(Value::as_str)
        .collect();
    // Every SDK operation athena.rs calls is granted.
    let src = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src/source/live/athena.rs"),
    )
    .expect("athena.rs");
    let call = regex::Regex::new(r"client\s*\.\s*([a-z_]+)\(\)").expect("regex");
    let mut calls = 0;
    for cap in call.captures_iter(&src) {
        let pascal: String = cap[1]
            .split('_')
            .map(|w| w[..1].to_ascii_uppercase() + &w[1..])
            .collect();
        let action = format!("athena:{pascal}");
        assert!(actions.contains(&action.as_str()), "{action} not granted");
        assert!(ATHENA_ACTIONS.contains(&action.as_str()));
        calls += 1;
    }
    assert_eq!(calls, 3, "Start, Get execution, Get results");
    for a in ["s3:PutObject", "s3:GetObject", "glue:GetTable"] {
        assert!(actions.contains(&a), "{a}");
    }
    // --print-iam-policy without --athena is refused: the read-only policy is `snapshot`'s.
    assert!(
        !edgepath(None, &["logs", "--print-iam-policy"])
            .status
            .success()
    );
}
