//! One classification, two engines: the SQL `logs --print-sql` generates for Athena, parsed as
//! Trino SQL by sqlglot and executed by DuckDB on a table made from `--print-ddl`'s columns
//! (tests/support/athena_sql.py), gives the same report as the local read of the same files —
//! counts per status, every origin-error bucket with its signature, median, first/last minute,
//! the timeline, the onset and the top URIs/edges — for the three table layouts, with a
//! snapshot's behaviors and timeouts, and with a time window and a distribution filter.
//!
//! DuckDB runs the very text Athena gets (no transpilation). Without Python's `duckdb` and
//! `sqlglot` the tests say so and pass, unless `EDGEPATH_REQUIRE_DUCKDB` is set (CI sets it,
//! after `.ci/install-test-deps.sh`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn have_duckdb() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import duckdb, sqlglot"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("EDGEPATH_REQUIRE_DUCKDB").is_none(),
            "EDGEPATH_REQUIRE_DUCKDB is set but Python's duckdb or sqlglot is missing (run .ci/install-test-deps.sh)"
        );
        eprintln!("skipping: python3 -m pip install duckdb sqlglot");
    }
    ok
}

fn edgepath(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_edgepath"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("edgepath runs")
}

fn ok_stdout(args: &[&str]) -> String {
    let out = edgepath(args);
    assert!(
        out.status.success(),
        "edgepath {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn summary(json: &str) -> Value {
    let v: Value = serde_json::from_str(json).expect("JSON report");
    v["summary"].clone()
}

/// The local report and the Athena-on-DuckDB report of the same files.
fn both(dir: &Path, layout: &str, files: &[PathBuf], flags: &[&str]) -> (Value, Value) {
    let table = "logs_db.edge_logs";
    let ddl = ok_stdout(&[
        "logs",
        "--print-ddl",
        "--table-layout",
        layout,
        "--table",
        table,
    ]);
    let mut sql_args = vec![
        "logs",
        "--print-sql",
        "--table-layout",
        layout,
        "--table",
        table,
    ];
    sql_args.extend_from_slice(flags);
    let sql = ok_stdout(&sql_args);
    let ddl_file = dir.join("table.ddl");
    let sql_file = dir.join("query.sql");
    let csv = dir.join("results.csv");
    std::fs::write(&ddl_file, ddl).expect("write ddl");
    std::fs::write(&sql_file, &sql).expect("write sql");
    let out = Command::new("python3")
        .arg(root().join("tests/support/athena_sql.py"))
        .arg("--ddl")
        .arg(&ddl_file)
        .arg("--sql")
        .arg(&sql_file)
        .args(["--table", table, "--out"])
        .arg(&csv)
        .args(files)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "athena_sql.py failed:\n{}\n--- SQL ---\n{sql}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut athena_args = vec!["logs", "--format", "json", "--athena-results"];
    let csv_s = csv.to_string_lossy().into_owned();
    athena_args.push(&csv_s);
    athena_args.extend_from_slice(flags);
    let athena = summary(&ok_stdout(&athena_args));
    let file_args: Vec<String> = files
        .iter()
        .map(|f| f.to_string_lossy().into_owned())
        .collect();
    let mut local_args = vec!["logs", "--format", "json"];
    local_args.extend(file_args.iter().map(String::as_str));
    local_args.extend_from_slice(flags);
    let local = summary(&ok_stdout(&local_args));
    (local, athena)
}

/// What a query cannot know (files read) or reports differently (its own warnings).
fn comparable(mut s: Value) -> Value {
    let o = s.as_object_mut().expect("summary object");
    o.remove("files");
    o.remove("warnings");
    s
}

fn assert_same(local: Value, athena: Value) {
    let (l, a) = (comparable(local), comparable(athena));
    for key in l.as_object().expect("object").keys() {
        assert_eq!(
            l[key], a[key],
            "`{key}` differs between the local read and the SQL on DuckDB"
        );
    }
}

fn generate(dir: &Path, name: &str, n: &str, seed: &str, alb: bool) -> PathBuf {
    let out = dir.join(name);
    let out_s = out.to_string_lossy().into_owned();
    let mut args = vec!["logs", "--generate", n, "--seed", seed, "--out", &out_s];
    if alb {
        args.extend_from_slice(&["--log-format", "alb"]);
    }
    ok_stdout(&args);
    out
}

#[test]
fn cloudfront_w3c_counts_signatures_timeline_and_onset_match_the_local_read() {
    if !have_duckdb() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    // Two distributions, told apart by the file names (the `$path` pseudo-column on Athena).
    let files = vec![
        generate(
            dir.path(),
            "E2EXAMPLE12345.2025-11-23-05.a1.gz",
            "20000",
            "4",
            false,
        ),
        generate(
            dir.path(),
            "E3OTHERDIST99.2025-11-23-05.b2.gz",
            "5000",
            "9",
            false,
        ),
    ];
    let (local, athena) = both(dir.path(), "cloudfront", &files, &[]);
    assert!(
        local["origin_errors"]
            .as_array()
            .is_some_and(|e| e.len() > 6),
        "the corpus has buckets to compare: {local}"
    );
    assert!(local["onset"].is_string(), "the corpus has an onset");
    let dists: std::collections::BTreeSet<&str> = athena["origin_errors"]
        .as_array()
        .expect("buckets")
        .iter()
        .filter_map(|e| e["distribution"].as_str())
        .collect();
    assert!(dists.contains("E2EXAMPLE12345") && dists.contains("E3OTHERDIST99"));
    assert_same(local, athena);
}

#[test]
fn a_window_and_a_distribution_filter_select_the_same_records_on_both_engines() {
    if !have_duckdb() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let files = vec![
        generate(
            dir.path(),
            "E2EXAMPLE12345.2025-11-23-05.a1.gz",
            "20000",
            "7",
            false,
        ),
        generate(
            dir.path(),
            "E3OTHERDIST99.2025-11-23-05.b2.gz",
            "4000",
            "8",
            false,
        ),
    ];
    let flags = [
        "--since",
        "2025-11-23T05:10:00Z",
        "--until",
        "2025-11-23T05:40:00Z",
        "--distribution",
        "E2EXAMPLE12345",
    ];
    let (local, athena) = both(dir.path(), "cloudfront", &files, &flags);
    let timeline = local["timeline"].as_array().expect("timeline");
    assert_eq!(timeline.len(), 30, "minutes 05:10 to 05:39");
    assert!(
        local["origin_errors"]
            .as_array()
            .expect("buckets")
            .iter()
            .all(|e| e["distribution"] == "E2EXAMPLE12345")
    );
    assert_same(local, athena);
}

#[test]
fn a_snapshots_behaviors_and_timeouts_classify_the_same_in_sql() {
    if !have_duckdb() {
        return;
    }
    // OriginReadTimeout 5 s on /api/*: the SQL maps URIs to behaviors with LIKE and uses that
    // behavior's timeouts, as the local reader does.
    let ex = root().join("examples/origin-response-timeout-too-short");
    let files: Vec<PathBuf> = std::fs::read_dir(ex.join("logs/cloudfront"))
        .expect("example logs")
        .map(|e| e.expect("entry").path())
        .collect();
    let dir = tempfile::tempdir().expect("tempdir");
    let ex_s = ex.to_string_lossy().into_owned();
    let (local, athena) = both(dir.path(), "cloudfront", &files, &["--snapshot", &ex_s]);
    let behaviors: Vec<&str> = local["origin_errors"]
        .as_array()
        .expect("buckets")
        .iter()
        .filter_map(|e| e["behavior"].as_str())
        .collect();
    assert!(behaviors.contains(&"/api/*"), "{behaviors:?}");
    assert_eq!(
        local["origin_errors"][0]["signature"], "cloudfront-read-timeout",
        "5 s read timeouts, from the snapshot"
    );
    assert_same(local, athena);
}

#[test]
fn alb_signatures_from_the_documented_regex_table_match_the_local_read() {
    if !have_duckdb() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files = vec![generate(dir.path(), "alb.log.gz", "6000", "5", true)];
    for ex in [
        "target-keepalive-shorter-than-alb-idle",
        "target-errors-passed-through",
    ] {
        for e in std::fs::read_dir(root().join("examples").join(ex).join("logs/alb"))
            .expect("example ALB logs")
        {
            files.push(e.expect("entry").path());
        }
    }
    let (local, athena) = both(dir.path(), "alb", &files, &[]);
    // The draining-target check runs on the per-target minutes the query returns.
    assert!(
        local["alb"]["draining_targets"]
            .as_array()
            .is_some_and(|d| !d.is_empty()),
        "the corpus has a draining target"
    );
    let sigs = athena["alb"]["by_signature"]
        .as_object()
        .expect("by_signature")
        .len();
    assert!(sigs >= 10, "most ALB signatures occur: {sigs}");
    assert_same(local, athena);
}

#[test]
#[cfg(feature = "parquet")]
fn cloudfront_v2_parquet_with_partition_predicates_matches_the_local_read() {
    if !have_duckdb() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let files: Vec<PathBuf> = ["snappy", "zstd"]
        .iter()
        .map(|c| {
            root().join(format!(
                "tests/fixtures/logs/cloudfront_std_v2_parquet_{c}_duckdb_GENERATED.parquet"
            ))
        })
        .collect();
    let (local, athena) = both(dir.path(), "cloudfront-parquet", &files, &[]);
    assert!(local["records"].as_u64().is_some_and(|r| r > 0));
    assert_same(local, athena);
    // With a window, the partition predicate names the hours and the result is the same.
    let flags = [
        "--since",
        "2025-11-23T05:00:00Z",
        "--until",
        "2025-11-23T05:30:00Z",
    ];
    let sql = ok_stdout(&[
        "logs",
        "--print-sql",
        "--table-layout",
        "cloudfront-parquet",
        "--table",
        "db.t",
        flags[0],
        flags[1],
        flags[2],
        flags[3],
    ]);
    assert!(
        sql.contains("(year = 2025 AND month = 11 AND day = 23 AND hour IN (5))"),
        "{sql}"
    );
    let (local, athena) = both(dir.path(), "cloudfront-parquet", &files, &flags);
    assert_same(local, athena);
}

#[test]
fn print_ddl_gives_the_documented_tables_and_bad_table_names_are_refused() {
    let w3c = ok_stdout(&["logs", "--print-ddl", "--table", "logs_db.cf"]);
    for want in [
        "CREATE EXTERNAL TABLE IF NOT EXISTS logs_db.cf (",
        "FIELDS TERMINATED BY '\\t'",
        "'skip.header.line.count'='2'",
        "`time_taken` DOUBLE",
        "`x_edge_detailed_result_type` STRING",
        "LOCATION 's3://",
    ] {
        assert!(w3c.contains(want), "{want} in\n{w3c}");
    }
    let parquet = ok_stdout(&[
        "logs",
        "--print-ddl",
        "--table-layout",
        "cloudfront-parquet",
    ]);
    for want in [
        "ParquetHiveSerDe",
        "'projection.enabled'='true'",
        "PARTITIONED BY (\n  distributionid string,\n  year int,",
        "'storage.location.template'='s3://amzn-s3-demo-bucket/AWSLogs/AWS_ACCOUNT_ID/CloudFront/${distributionid}/${year}/${month}/${day}/${hour}/'",
    ] {
        assert!(parquet.contains(want), "{want} in\n{parquet}");
    }
    let alb = ok_stdout(&["logs", "--print-ddl", "--table-layout", "alb"]);
    for want in [
        "org.apache.hadoop.hive.serde2.RegexSerDe",
        "'input.regex' = '([^ ]*) ([^ ]*)",
        "lambda_error_reason string",
        "'projection.day.format' = 'yyyy/MM/dd'",
    ] {
        assert!(alb.contains(want), "{want} in\n{alb}");
    }
    let out = edgepath(&["logs", "--print-sql", "--table", "db.t; DROP TABLE x"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a table name"));
    // The Athena path reads the table, not files.
    let out = edgepath(&["logs", "--print-sql", "--table", "db.t", "some.log"]);
    assert!(!out.status.success());
}
