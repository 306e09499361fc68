//! `edgepath check` / `triage` / `what-if` exit codes when there is nothing to evaluate: a filter that names
//! nothing, or a snapshot without CloudFront data, is a usage or input error (exit 2) that says
//! what is there or which call is missing, never "no paths found" with exit 0.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

fn edgepath(snapshot: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("edgepath")
        .expect("binary")
        .env_remove("EDGEPATH_SNAPSHOT")
        .args(["--no-color", "--snapshot"])
        .arg(snapshot)
        .args(args)
        .output()
        .expect("runs")
}

/// stderr with miette's line wrapping undone (words joined by single spaces, no `|` gutter).
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr)
        .split_whitespace()
        .filter(|w| *w != "|")
        .collect::<Vec<_>>()
        .join(" ")
}

/// A copy of `examples/healthy` without the files whose names start with one of `drop`.
fn healthy_without(drop: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    for entry in std::fs::read_dir(example("healthy")).expect("healthy") {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if drop.iter().any(|d| name.starts_with(d)) {
            continue;
        }
        std::fs::copy(&path, dir.path().join(name)).expect("copy");
    }
    dir
}

#[test]
fn an_unknown_distribution_is_a_usage_error_listing_the_known_ones() {
    let o = edgepath(&example("healthy"), &["check", "--distribution", "ENOPE"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("ENOPE"), "{err}");
    assert!(
        err.contains("E2QWRUHAPOMQZL"),
        "lists the distributions: {err}"
    );
    assert!(
        o.stdout.is_empty(),
        "no report: {}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn an_unknown_alb_is_a_usage_error_listing_the_known_ones() {
    let o = edgepath(&example("healthy"), &["check", "--alb", "nope-alb"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("nope-alb"), "{err}");
    assert!(err.contains("web-alb"), "lists the load balancers: {err}");
}

#[test]
fn an_alb_no_origin_points_at_is_a_usage_error_naming_the_paths_there_are() {
    let dir = healthy_without(&[]);
    let other = serde_json::json!({ "LoadBalancers": [{
        "LoadBalancerArn": "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/other-alb/0123456789abcdef",
        "DNSName": "other-alb-1.us-east-1.elb.amazonaws.com",
        "LoadBalancerName": "other-alb",
        "Scheme": "internet-facing",
        "VpcId": "vpc-0a1b2c3d4e5f60718",
        "State": {"Code": "active"},
        "Type": "application",
        "SecurityGroups": []
    }]});
    std::fs::write(dir.path().join("elbv2-other.json"), other.to_string()).expect("write");
    let o = edgepath(dir.path(), &["check", "--alb", "other-alb"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("--alb other-alb"), "{err}");
    assert!(err.contains("E2QWRUHAPOMQZL → web-alb"), "{err}");
}

#[test]
fn filters_that_match_still_exit_0_on_a_healthy_account() {
    let o = edgepath(
        &example("healthy"),
        &[
            "-q",
            "check",
            "--distribution",
            "E2QWRUHAPOMQZL",
            "--alb",
            "web-alb",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn a_snapshot_without_cloudfront_data_names_the_missing_call_and_exits_2() {
    let dir = healthy_without(&["cloudfront-"]);
    let what_if = [
        "what-if",
        "--detach-sg",
        "sg-0cf000000000000a1",
        "--from",
        "web-alb",
    ];
    for command in [&["check"][..], &["triage"][..], &what_if[..]] {
        let o = edgepath(dir.path(), command);
        assert_eq!(o.status.code(), Some(2), "{command:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("no CloudFront data"), "{command:?}: {err}");
        assert!(
            err.contains("aws cloudfront list-distributions"),
            "{command:?}: {err}"
        );
        assert!(
            !String::from_utf8_lossy(&o.stdout).contains("No CloudFront → ALB paths found"),
            "{command:?}"
        );
    }
}

#[test]
fn triage_with_logs_but_no_cloudfront_data_classifies_the_logs_and_says_what_is_missing() {
    let dir = healthy_without(&["cloudfront-"]);
    let logs = example("ghost-sg-reference/logs");
    let o = edgepath(
        dir.path(),
        &[
            "-q",
            "--format",
            "json",
            "triage",
            "--logs",
            logs.to_str().expect("utf-8 path"),
        ],
    );
    assert!(o.status.code().is_some_and(|c| c <= 1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let notes = v["notes"].to_string();
    assert!(notes.contains("no CloudFront data"), "{notes}");
    assert!(
        notes.contains("aws cloudfront list-distributions"),
        "{notes}"
    );
}
