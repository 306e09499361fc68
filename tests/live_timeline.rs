//! Live timeline collection against `moto_server`, through `deny_proxy.py`:
//! - CloudTrail `LookupEvents` (moto lacks it) answered by the recorded pages of
//!   `tests/support/stubs/cloudtrail_lookup_events.json`, the first request throttled: every
//!   resource on the distribution's path is looked up, every page is followed, the throttled
//!   request is retried, the events land in the snapshot (`cloudtrail/events.json`), and the
//!   proxy's request times show at most 2 requests in any second (CloudTrail's limit per
//!   account and region);
//! - CloudWatch through moto: `put-metric-data` for the ALB, then the collector's
//!   `GetMetricData` (the SDK speaks RPC v2 CBOR, moto JSON: the proxy's `--cbor-bridge`
//!   translates) lands the series in the snapshot, and `triage` on it reads the onset and
//!   the signature (ELB 504s with target connection errors: the ALB cannot reach its targets);
//! - the IAM policy printed by `snapshot --print-iam-policy` grants both new reads.

#![cfg(feature = "live")]

mod support;

use std::path::Path;
use std::process::{Command, Output};
use std::time::Instant;

use assert_cmd::cargo::CommandCargoExt;
use edgepath::model::Kind;
use edgepath::source::snapshot::load_snapshot;
use support::{Server, aws, aws_env, build_account, start_moto, support_dir};

const LOOKUP_EVENTS: &str = "CloudTrail_20131101.LookupEvents";

fn edgepath(server: &Server, args: &[&str]) -> Output {
    Command::cargo_bin("edgepath")
        .expect("binary")
        .args(args)
        .envs(aws_env(server))
        .env_remove("EDGEPATH_SNAPSHOT")
        .output()
        .expect("edgepath runs")
}

/// `deny_proxy.py` with LookupEvents stubbed and its request times logged to `log`.
fn start_stub_proxy(moto: &Server, log: &Path) -> Server {
    let stub = support_dir().join("stubs/cloudtrail_lookup_events.json");
    support::start_proxy_with(
        moto,
        &[
            "--stub-target".to_owned(),
            format!("{LOOKUP_EVENTS}={}", stub.display()),
            "--request-log".to_owned(),
            log.display().to_string(),
            "--cbor-bridge".to_owned(),
        ],
    )
}

#[test]
fn cloudtrail_lookups_are_paged_retried_and_under_two_per_second() {
    let Some(moto) = start_moto() else { return };
    let account = build_account(&moto, &["--albs", "1", "--sgs", "0", "--tgs-per-alb", "1"]);
    let dist = account["distributions"][0]
        .as_str()
        .expect("distribution id");
    let dir = tempfile::tempdir().expect("tmp");
    let log = dir.path().join("requests.log");
    let proxy = start_stub_proxy(&moto, &log);

    // 504s with target connection errors in 8 of the last 20 minutes.
    let alb_arn = account["albs"][0]["arn"].as_str().expect("arn");
    let lb_dim = alb_arn.split_once(":loadbalancer/").expect("ALB ARN").1;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let mut data = Vec::new();
    for m in 3..11u64 {
        let t = (now - m * 60) / 60 * 60;
        for metric in ["HTTPCode_ELB_504_Count", "TargetConnectionErrorCount"] {
            data.push(serde_json::json!({
                "MetricName": metric,
                "Dimensions": [{"Name": "LoadBalancer", "Value": lb_dim}],
                "Timestamp": t,
                "Value": 5.0,
            }));
        }
    }
    aws(
        &moto,
        &[
            "cloudwatch",
            "put-metric-data",
            "--namespace",
            "AWS/ApplicationELB",
            "--metric-data",
            &serde_json::Value::Array(data).to_string(),
        ],
    );

    let snap = dir.path().join("snap");
    let started = Instant::now();
    let out = edgepath(
        &proxy,
        &[
            "snapshot",
            "--distribution",
            dist,
            "--since",
            "6h",
            "--out",
            snap.to_str().expect("utf-8"),
        ],
    );
    let wall = started.elapsed();
    assert!(
        out.status.success(),
        "snapshot failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let times: Vec<f64> = std::fs::read_to_string(&log)
        .expect("the proxy logged LookupEvents requests")
        .lines()
        .filter(|l| l.ends_with(LOOKUP_EVENTS))
        .map(|l| {
            l.split(' ')
                .next()
                .and_then(|t| t.parse().ok())
                .expect("time")
        })
        .collect();
    let inv = load_snapshot(&snap).expect("loads").inventory;
    assert!(inv.has(Kind::CloudTrailEvents), "{:?}", inv.unavailable);

    // CloudWatch: the series the collector asked for, with what was put.
    assert!(inv.has(Kind::MetricData), "{:?}", inv.unavailable);
    let e504: f64 = inv
        .metric_series
        .iter()
        .filter(|(k, _)| {
            k.metric_name == "HTTPCode_ELB_504_Count" && k.dimension("LoadBalancer") == Some(lb_dim)
        })
        .flat_map(|(_, s)| s.points.values())
        .sum();
    assert!((e504 - 40.0).abs() < 1e-9, "504s read back: {e504}");
    let triage = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["triage", "--format", "json", "--snapshot"])
        .arg(&snap)
        .output()
        .expect("edgepath runs");
    let report: serde_json::Value = serde_json::from_slice(&triage.stdout).expect("JSON");
    let alb_part = report["metrics"]["resources"]
        .as_array()
        .expect("metrics.resources[]")
        .iter()
        .find(|p| p["source"] == "alb")
        .expect("an ALB part")
        .clone();
    assert_eq!(
        alb_part["signature"], "alb-cannot-reach-targets",
        "{alb_part}"
    );
    assert_eq!(alb_part["errors_5xx"], 40, "{alb_part}");
    assert!(
        alb_part["onset"].as_str().is_some_and(|o| !o.is_empty()),
        "{alb_part}"
    );

    // Every resource of the path was looked up: 2 pages each, plus the one throttled request.
    let alb = &account["albs"][0];
    let looked_up: std::collections::BTreeSet<String> = inv
        .cloudtrail_events
        .values()
        .filter_map(|e| e.resources.first()?.resource_name.clone())
        .collect();
    for name in [
        alb["arn"].as_str().expect("arn"),
        alb["sg"].as_str().expect("sg"),
        alb["target_sg"].as_str().expect("target sg"),
        dist,
    ] {
        assert!(
            looked_up.contains(name),
            "{name} not looked up: {looked_up:?}"
        );
    }
    let names = looked_up.len();
    assert_eq!(
        inv.cloudtrail_events.len(),
        names * 3,
        "3 events (2 pages) per resource"
    );
    assert_eq!(
        times.len(),
        names * 2 + 1,
        "2 pages per resource + 1 throttled"
    );

    // At most 2 requests in any 1-second span (CloudTrail's limit per account and region;
    // every resource here is in us-east-1, so all requests share one bucket).
    for (i, t) in times.iter().enumerate() {
        let in_second = times[i..].iter().take_while(|u| **u < t + 1.0).count();
        assert!(
            in_second <= 2,
            "{in_second} requests within 1 s from {t}: {times:?}"
        );
    }
    eprintln!(
        "timeline collection: {} LookupEvents requests for {names} resource names, wall {:.1} s",
        times.len(),
        wall.as_secs_f64()
    );
}

#[test]
fn the_printed_iam_policy_grants_the_timeline_reads() {
    let out = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["snapshot", "--print-iam-policy"])
        .output()
        .expect("edgepath runs");
    let policy: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let actions = policy["Statement"][0]["Action"]
        .as_array()
        .expect("actions");
    for a in ["cloudtrail:LookupEvents", "cloudwatch:GetMetricData"] {
        assert!(actions.iter().any(|x| x == a), "{a} missing: {actions:?}");
    }
}
