//! Wrong inputs to `edgepath logs` and `edgepath triage --logs`: never a false all-clear.
//!
//! `tests/fixtures/wrong-inputs/` holds one file per log format edgepath names but does not
//! read (classic ELB, NLB, S3 server access, CloudTrail, WAF, nginx/Apache combined, CloudFront
//! RTMP without `sc-status`, CloudFront real-time lines without `--fields`), JSON that is no log
//! at all (`aws ec2 describe-security-groups` output), and an empty, a binary and a truncated
//! gzip file. The lines were written for this project in the shapes AWS documents (`logs.md` in
//! the shared notes). Each is named by what it looks like; given alone (or all together) the run
//! is an input error, exit 2, listing each; mixed with good logs, the good ones are still counted
//! and each bad one is named in `warnings` and `unread_files`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use edgepath::logs::{LogError, LogOptions, summarize};

/// Each wrong input and the words that name it.
const WRONG: [(&str, &str); 12] = [
    ("classic-elb.log", "Classic Load Balancer (ELB) access log"),
    ("nlb.log", "NLB access log"),
    ("s3-server-access.log", "S3 server access log"),
    ("cloudtrail.json", "CloudTrail JSON"),
    ("waf.json", "AWS WAF log"),
    ("nginx-combined.log", "nginx/Apache combined access log"),
    (
        "security-groups.json",
        "JSON (keys SecurityGroups), not a CloudFront, ALB or VPC flow log",
    ),
    (
        "cloudfront-rtmp.log",
        "CloudFront log without sc-status (an RTMP (streaming) distribution's log)",
    ),
    (
        "cloudfront-realtime.log",
        "CloudFront real-time log (no field names in the file",
    ),
    ("empty.log", "empty"),
    ("binary.bin", "binary"),
    (
        "E2QWRUHAPOMQZL.2026-11-20-05.truncated.gz",
        "truncated or corrupt gzip",
    ),
];

fn wrong(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/wrong-inputs")
        .join(name)
}

fn good_logs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ghost-sg-reference/logs")
}

fn edgepath<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Command::new(env!("CARGO_BIN_EXE_edgepath"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("--no-color")
        .args(args)
        .output()
        .expect("run edgepath")
}

/// Without whitespace and miette's `|` gutter: the error text is wrapped to the terminal width.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '|')
        .collect()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn each_wrong_input_alone_is_named_and_exits_2_in_logs_and_triage() {
    for (file, looks_like) in WRONG {
        let path = wrong(file);
        for command in [&["logs"][..], &["triage", "--logs"][..]] {
            let out = edgepath(command.iter().map(Path::new).chain([path.as_path()]));
            let stdout = text(&out.stdout);
            let stderr = text(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{command:?} {file}: {stdout}{stderr}"
            );
            assert!(!stdout.contains("No 5xx"), "{command:?} {file}: {stdout}");
            assert!(
                squash(&stderr).contains(&squash(&format!("{file}: {looks_like}"))),
                "{command:?} {file}: want `{looks_like}` in {stderr}"
            );
        }
        // The library says the same: an error naming the file, never an empty summary.
        match summarize(std::slice::from_ref(&path), &LogOptions::default()) {
            Err(LogError::NothingRecognised { count, inputs }) => {
                assert_eq!(count, 1);
                assert!(inputs.contains(looks_like), "{file}: {inputs}");
            }
            other => panic!("{file}: {other:?}"),
        }
    }
}

#[test]
fn all_wrong_inputs_together_exit_2_listing_each_with_what_it_looked_like() {
    let out = edgepath(
        ["logs"]
            .iter()
            .map(PathBuf::from)
            .chain(WRONG.iter().map(|(f, _)| wrong(f))),
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = squash(&text(&out.stderr));
    assert!(
        stderr.contains(&squash(&format!("in the {} input file(s)", WRONG.len()))),
        "{stderr}"
    );
    for (file, looks_like) in WRONG {
        assert!(
            stderr.contains(&squash(&format!("{file}: {looks_like}"))),
            "{file}: {stderr}"
        );
    }
    // The whole directory, as someone pointing at the wrong prefix would: the same.
    let dir = edgepath(["logs".into(), wrong("")]);
    assert_eq!(dir.status.code(), Some(2));
}

#[test]
fn good_logs_mixed_with_wrong_ones_are_counted_and_each_wrong_one_is_named() {
    let alone = summarize(&[good_logs()], &LogOptions::default()).expect("good logs");
    let out = edgepath(
        ["-q", "--format", "json", "logs"]
            .iter()
            .map(PathBuf::from)
            .chain([good_logs()])
            .chain(WRONG.iter().map(|(f, _)| wrong(f))),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let s = &v["summary"];
    // The RTMP file's records are counted as CloudFront records (with a warning); the rest are
    // the good logs alone.
    assert_eq!(s["records"], alone.records + 2, "{s:#}");
    assert_eq!(s["by_status"]["504"], alone.by_status["504"]);
    let unread = s["unread_files"].as_array().expect("unread_files");
    assert_eq!(unread.len(), WRONG.len(), "{unread:#?}");
    let warnings: Vec<&str> = s["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter_map(|w| w.as_str())
        .collect();
    for (file, looks_like) in WRONG {
        let entry = unread
            .iter()
            .find(|u| u["file"].as_str().is_some_and(|f| f.ends_with(file)))
            .unwrap_or_else(|| panic!("{file} not in {unread:#?}"));
        assert!(
            entry["looks_like"]
                .as_str()
                .is_some_and(|l| l.contains(looks_like)),
            "{file}: {entry}"
        );
        assert!(
            warnings.iter().any(|w| w.contains(file)),
            "{file} named in no warning: {warnings:#?}"
        );
    }
    // The text names them on stdout too, and still finds the 504s.
    let out = edgepath(["-q", "logs"].iter().map(PathBuf::from).chain([
        good_logs(),
        wrong("cloudtrail.json"),
        wrong("empty.log"),
    ]));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("not read:") && stdout.contains("cloudtrail.json: CloudTrail JSON"));
    assert!(stdout.contains("empty.log: empty"), "{stdout}");
    assert!(stdout.contains("alb-target-connect-timeout"), "{stdout}");
}

#[test]
fn triage_with_good_and_wrong_logs_exits_by_its_findings() {
    let out = edgepath(
        [
            "-q",
            "triage",
            "--snapshot",
            "examples/ghost-sg-reference",
            "--logs",
        ]
        .iter()
        .map(PathBuf::from)
        .chain([good_logs()])
        .chain(WRONG.iter().map(|(f, _)| wrong(f))),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("1. Target security group trusts"));
    // Not quiet: each wrong file is a warning on stderr.
    let out = edgepath(
        [
            "triage",
            "--snapshot",
            "examples/ghost-sg-reference",
            "--logs",
        ]
        .iter()
        .map(PathBuf::from)
        .chain([good_logs(), wrong("waf.json")]),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("waf.json: no record read: AWS WAF log"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_issues_json_files_are_not_cloudfront_records() {
    let dir = tempfile::tempdir().expect("tmp");
    let ct = dir.path().join("ct.json");
    std::fs::write(&ct, r#"{"Records":[]}"#).expect("write");
    let sg = dir.path().join("sg.json");
    std::fs::write(&sg, r#"{"SecurityGroups": []}"#).expect("write");
    for (path, named) in [(&ct, "CloudTrail JSON"), (&sg, "keys SecurityGroups")] {
        let out = edgepath(["logs".into(), path.clone()]);
        assert_eq!(out.status.code(), Some(2));
        assert!(!text(&out.stdout).contains("No 5xx"));
        assert!(squash(&text(&out.stderr)).contains(&squash(named)));
    }
    // A CloudTrail file as S3 delivers it: one line, here past the 1 MiB line cap; its start
    // names it.
    let big = dir
        .path()
        .join("111122223333_CloudTrail_us-east-1_20261120T0550Z_x.json");
    let event = r#"{"eventVersion":"1.09","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","requestParameters":{"filter":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}"#;
    let body = vec![event; 12_000].join(",");
    std::fs::write(&big, format!("{{\"Records\":[{body}]}}\n")).expect("write");
    assert!(std::fs::metadata(&big).expect("meta").len() > 1 << 20);
    match summarize(std::slice::from_ref(&big), &LogOptions::default()) {
        Err(LogError::NothingRecognised { inputs, .. }) => {
            assert!(inputs.contains("CloudTrail JSON"), "{inputs}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_cloudfront_v2_json_record_needs_a_time_and_a_status() {
    let dir = tempfile::tempdir().expect("tmp");
    let with = dir.path().join("with.json");
    std::fs::write(
        &with,
        concat!(
            r#"{"timestamp":"1763617752","DistributionId":"E2QWRUHAPOMQZL","sc_status":"504","cs-uri-stem":"/api/orders","time-taken":"10.012","x-edge-detailed-result-type":"Error"}"#,
            "\n"
        ),
    )
    .expect("write");
    let s = summarize(std::slice::from_ref(&with), &LogOptions::default()).expect("cloudfront");
    assert_eq!((s.records, s.by_status.get("504")), (1, Some(&1)));
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    // A status without any time: not a log record.
    let without = dir.path().join("without.json");
    std::fs::write(&without, "{\"sc-status\":\"504\"}\n").expect("write");
    let err = summarize(&[without], &LogOptions::default()).expect_err("no time");
    assert!(
        err.to_string()
            .contains("JSON (keys sc-status), not a CloudFront, ALB or VPC flow log"),
        "{err}"
    );
}

#[test]
fn a_file_whose_every_line_is_bad_is_named_with_its_format() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("alb.log");
    std::fs::write(&path, "http not-a-time\nhttp still not\n").expect("write");
    let err = summarize(&[path], &LogOptions::default()).expect_err("nothing read");
    assert!(
        err.to_string().contains(
            "alb.log: ALB access log by its first line, but none of its 2 line(s) could be read"
        ),
        "{err}"
    );
}

#[test]
fn a_run_whose_filters_keep_no_record_says_so_not_no_5xx() {
    let out = edgepath([
        "logs".into(),
        "--since".into(),
        "2030-01-01T00:00:00Z".into(),
        good_logs(),
    ]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Logs: 0 records in 1 file(s); 0 bad line(s)"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("()") && !stdout.contains("No 5xx"),
        "{stdout}"
    );
    assert!(stdout.contains("No record left after"), "{stdout}");
}
