//! Faults in live collection, injected by `tests/support/deny_proxy.py` between the SDK and a
//! real `moto_server` (each in the error shape its protocol answers: EC2 query XML, ELBv2
//! awsQuery XML, CloudFront restXml):
//! - throttling on a third of the requests: the SDK retries (`AWS_MAX_ATTEMPTS` honoured) and
//!   the snapshot equals the fault-free one; with `AWS_MAX_ATTEMPTS=1` the throttled kinds are
//!   unavailable instead, never silently empty;
//! - a permanent fault (HTTP 500, a reset connection) on one operation: only that operation's
//!   kind is missing, naming the operation and its IAM action; everything else is collected;
//! - a hung call never holds the run past the per-operation timeout;
//! - the run's summary (`inventory` JSON `collection`) counts the calls, retries and failures,
//!   and the retries equal the faults the proxy injected.

#![cfg(feature = "live")]

mod support;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use edgepath::model::{Inventory, Kind};
use edgepath::source::snapshot::load_snapshot;
use serde_json::Value;
use support::{Server, aws_env, build_account, injected_faults, start_fault_proxy, start_moto};

/// Kinds moto 5 does not implement: unavailable in every run, faults or not.
const MOTO_LACKS: [Kind; 3] = [
    Kind::SecurityGroupReferences,
    Kind::StaleSecurityGroups,
    Kind::VpcOrigins,
];

/// Runs edgepath live against `server` with `AWS_MAX_ATTEMPTS=max_attempts` and `extra` env.
fn edgepath(server: &Server, max_attempts: u32, extra: &[(&str, &str)], args: &[&str]) -> Output {
    Command::cargo_bin("edgepath")
        .expect("binary")
        .args(args)
        .envs(aws_env(server))
        .env("AWS_MAX_ATTEMPTS", max_attempts.to_string())
        .env("EDGEPATH_PAGE_SIZE", "5")
        .envs(extra.iter().copied())
        .env_remove("EDGEPATH_SNAPSHOT")
        .output()
        .expect("edgepath runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}); stderr: {}", stderr(out)))
}

/// `edgepath snapshot` into `dir/name`, loaded back.
fn snapshot(server: &Server, max_attempts: u32, dir: &Path, name: &str) -> Inventory {
    let out_dir = dir.join(name);
    let out = edgepath(
        server,
        max_attempts,
        &[],
        &["snapshot", "--out", out_dir.to_str().expect("utf-8")],
    );
    assert!(out.status.success(), "snapshot {name}: {}", stderr(&out));
    load_snapshot(&out_dir)
        .expect("the snapshot loads")
        .inventory
}

/// Sum of the faults the proxy injected, of every operation and kind.
fn total_injected(proxy: &Server) -> u64 {
    injected_faults(proxy)
        .as_object()
        .expect("{op: {kind: n}}")
        .values()
        .flat_map(|kinds| kinds.as_object().expect("{kind: n}").values())
        .map(|n| n.as_u64().expect("count"))
        .sum()
}

/// The `collection` summary of `inventory --format json`.
fn collection(out: &Output) -> Value {
    let v = json(out);
    assert!(
        v["collection"].is_object(),
        "a live inventory has a collection summary: {v}"
    );
    v["collection"].clone()
}

/// The fault-free run's summary through moto itself: moto answers the operations it lacks
/// with HTTP 500 (retried) or 404, so those retries and failures are the baseline.
fn baseline(moto: &Server, max_attempts: u32) -> Value {
    let out = edgepath(moto, max_attempts, &[], &["inventory", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    collection(&out)
}

fn count(v: &Value, key: &str) -> u64 {
    v[key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key} is a count: {v}"))
}

/// Kinds read only for a time window (`--since`), which these runs do not give.
const WINDOW_ONLY: [Kind; 2] = [Kind::CloudTrailEvents, Kind::MetricData];

/// Kinds not collected besides those moto lacks and those read only for a time window.
fn missing_kinds(inv: &Inventory) -> BTreeSet<Kind> {
    Kind::ALL
        .into_iter()
        .filter(|k| !WINDOW_ONLY.contains(k) && !MOTO_LACKS.contains(k) && !inv.has(*k))
        .collect()
}

#[test]
fn throttling_a_third_of_the_requests_is_retried_and_the_snapshot_equals_the_fault_free_one() {
    let Some(moto) = start_moto() else { return };
    build_account(&moto, &["--albs", "2", "--sgs", "3"]);
    let dir = tempfile::tempdir().expect("tmp");
    let clean = snapshot(&moto, 1, dir.path(), "clean");
    assert!(missing_kinds(&clean).is_empty(), "{:?}", clean.unavailable);

    // The 1st, 4th, 7th… request over all operations is throttled on its first attempt
    // (ListDistributions first of all); its retry goes through.
    let proxy = start_fault_proxy(&moto, &[], &[], &["op=*,kind=throttle,every=3,attempts=1"]);
    let retried = snapshot(&proxy, 3, dir.path(), "throttled");
    let after_snapshot = total_injected(&proxy);
    assert!(
        after_snapshot >= 5,
        "faults were injected: {}",
        injected_faults(&proxy)
    );
    // Each protocol's throttling error was exercised: CloudFront restXml, ELBv2 awsQuery, EC2.
    let faults = injected_faults(&proxy);
    let ops: Vec<&String> = faults.as_object().expect("{op: …}").keys().collect();
    let cloudfront = ["ListDistributions", "GetDistribution", "ListVpcOrigins"];
    let elbv2 = [
        "DescribeLoadBalancers",
        "DescribeTargetGroups",
        "DescribeListeners",
        "DescribeRules",
        "DescribeTargetHealth",
        "DescribeLoadBalancerAttributes",
        "DescribeTargetGroupAttributes",
    ];
    assert!(
        ops.iter().any(|op| cloudfront.contains(&op.as_str())),
        "{faults}"
    );
    assert!(
        ops.iter().any(|op| elbv2.contains(&op.as_str())),
        "{faults}"
    );
    assert!(
        ops.iter()
            .any(|op| !cloudfront.contains(&op.as_str()) && !elbv2.contains(&op.as_str())),
        "{faults}"
    );
    assert_eq!(
        retried, clean,
        "every throttled request was retried: the snapshot equals the fault-free one"
    );

    // The summary counts each retry: exactly one per injected fault, and no failed call.
    let base = baseline(&moto, 3);
    let out = edgepath(&proxy, 3, &[], &["inventory", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let c = collection(&out);
    let injected = total_injected(&proxy) - after_snapshot;
    assert!(injected > 0);
    // Each injected fault is one retry; moto's own 500s (operations it lacks) are retried too,
    // unless that call's first attempt was the throttled one.
    let retries = count(&c, "retries");
    assert!(
        retries >= injected && retries <= injected + count(&base, "retries"),
        "{c}: {injected} faults injected, fault-free {base}"
    );
    assert_eq!(
        count(&c, "failed"),
        count(&base, "failed"),
        "only the calls moto lacks failed: {c} vs {base}"
    );
    assert!(count(&c, "requests") >= count(&c, "calls"), "{c}");
    assert!(
        count(&c, "requests") >= 3 * injected - 2,
        "a third of the requests were throttled: {c}"
    );

    // AWS_MAX_ATTEMPTS=1: no retry; the throttled calls' kinds are unavailable with the
    // throttling error (never loaded empty), the others still collected.
    let once = start_fault_proxy(&moto, &[], &[], &["op=*,kind=throttle,every=3,attempts=1"]);
    let base1 = baseline(&moto, 1);
    let out = edgepath(&once, 1, &[], &["inventory", "--format", "json"]);
    let v = json(&out);
    let c = &v["collection"];
    assert_eq!(
        count(c, "retries"),
        0,
        "AWS_MAX_ATTEMPTS=1 is honoured: {c}"
    );
    let throttled = total_injected(&once);
    // A throttled call fails (no retry); a throttled call moto lacks anyway was failing already.
    let failed = count(c, "failed");
    assert!(
        failed > count(&base1, "failed") && failed <= count(&base1, "failed") + throttled,
        "{c}: {throttled} throttled, fault-free {base1}"
    );
    let missing = v["missing"].as_array().expect("missing[]");
    let throttled_kinds: Vec<&Value> = missing
        .iter()
        .filter(|m| {
            let r = m["reason"].as_str().unwrap_or_default();
            r.contains("RequestLimitExceeded") || r.contains("Throttling")
        })
        .collect();
    assert!(!throttled_kinds.is_empty(), "{v}");
    assert!(
        !v["counts"].as_array().expect("counts[]").is_empty(),
        "the calls that were not throttled still landed: {v}"
    );
}

#[test]
fn a_permanent_fault_on_one_operation_leaves_only_its_kind_missing_and_names_it() {
    let Some(moto) = start_moto() else { return };
    build_account(&moto, &["--albs", "1", "--sgs", "0"]);
    let dir = tempfile::tempdir().expect("tmp");
    let clean_check = edgepath(&moto, 1, &[], &["check", "--format", "json"]);
    let clean_code = clean_check.status.code();
    assert!(
        matches!(clean_code, Some(0 | 1 | 3)),
        "{clean_code:?}: {}",
        stderr(&clean_check)
    );

    let proxy = start_fault_proxy(
        &moto,
        &[],
        &[],
        &[
            "op=DescribeSecurityGroups,kind=500",
            "op=DescribeTargetHealth,kind=reset",
        ],
    );
    let out = edgepath(&proxy, 2, &[], &["check", "--format", "json"]);
    let err = stderr(&out);
    // Hops unchecked: incomplete (3), or 1 when something else is broken as it was without
    // the fault; never all-clear (0) nor input error (2).
    let code = out.status.code();
    assert!(
        code == Some(3) || (code == Some(1) && clean_code == Some(1)),
        "{code:?} (fault-free: {clean_code:?}): {err}"
    );
    for action in [
        "ec2:DescribeSecurityGroups",
        "elasticloadbalancing:DescribeTargetHealth",
    ] {
        assert!(err.contains(action), "the warning names {action}: {err}");
    }
    let v = json(&out);
    assert!(!v["paths"].as_array().expect("paths[]").is_empty());
    assert!(
        v["paths"]
            .to_string()
            .contains("ec2:DescribeSecurityGroups"),
        "the unknown hops name the operation's permission: {v}"
    );

    let inv = snapshot(&proxy, 2, dir.path(), "faulted");
    assert_eq!(
        missing_kinds(&inv),
        BTreeSet::from([Kind::SecurityGroups, Kind::TargetHealth]),
        "only the faulted operations' kinds are missing: {:?}",
        inv.unavailable
    );
    assert!(
        inv.unavailable[&Kind::SecurityGroups].contains("InternalError"),
        "{:?}",
        inv.unavailable
    );
    assert!(
        inv.unavailable[&Kind::TargetHealth].contains("could not reach"),
        "{:?}",
        inv.unavailable
    );
    assert!(!inv.load_balancers.is_empty() && !inv.instances.is_empty());

    // Each failed call was tried AWS_MAX_ATTEMPTS=2 times: one retry per failed call, two
    // faults injected per failed call.
    let before = total_injected(&proxy);
    let base = baseline(&moto, 2);
    let out = edgepath(&proxy, 2, &[], &["inventory", "--format", "json"]);
    let c = collection(&out);
    let failed = count(&c, "failed") - count(&base, "failed");
    assert!(
        failed >= 2,
        "DescribeSecurityGroups and each target group's health failed: {c}"
    );
    assert_eq!(
        count(&c, "retries"),
        count(&base, "retries") + failed,
        "{c} vs {base}"
    );
    let injected = total_injected(&proxy) - before;
    assert!(
        injected >= failed,
        "{injected} faults for {failed} failed calls"
    );
}

#[test]
fn a_hung_call_does_not_hold_the_run_past_the_operation_timeout() {
    let Some(moto) = start_moto() else { return };
    build_account(&moto, &["--albs", "1", "--sgs", "0"]);
    // DescribeNetworkAcls answers after 10 minutes; the operation gives up after 20 s (not
    // less: moto on a loaded machine can take seconds for a describe).
    let proxy = start_fault_proxy(
        &moto,
        &[],
        &[],
        &["op=DescribeNetworkAcls,kind=slow,delay=600"],
    );
    let started = Instant::now();
    let out = edgepath(
        &proxy,
        2,
        &[("EDGEPATH_CALL_TIMEOUT", "20")],
        &["inventory", "--format", "json"],
    );
    let took = started.elapsed();
    assert!(out.status.success(), "{}", stderr(&out));
    // Generous: the hang is 600 s, the timeout 20 s; the rest of the run takes seconds.
    assert!(took < Duration::from_secs(300), "the run took {took:?}");
    let err = stderr(&out);
    assert!(
        err.contains("network_acls")
            && err.contains("timed out")
            && err.contains("ec2:DescribeNetworkAcls"),
        "the warning names the timed-out operation: {err}"
    );
    let v = json(&out);
    let nacl = v["missing"]
        .as_array()
        .expect("missing[]")
        .iter()
        .find(|m| m["kind"] == "network_acls")
        .unwrap_or_else(|| panic!("network_acls missing: {v}"));
    assert!(
        nacl["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("timed out (no answer within 20 s)"),
        "{nacl}"
    );
    // Everything else was collected; the timed-out call is counted as failed.
    let missing: BTreeSet<&str> = v["missing"]
        .as_array()
        .expect("missing[]")
        .iter()
        .filter_map(|m| m["kind"].as_str())
        .collect();
    assert_eq!(
        missing,
        BTreeSet::from([
            "network_acls",
            "security_group_references",
            "stale_security_groups",
            "vpc_origins",
            "cloudtrail_events",
            "metric_data"
        ]),
        "{v}"
    );
    assert!(count(&v["collection"], "failed") >= 4, "{v}");
}
