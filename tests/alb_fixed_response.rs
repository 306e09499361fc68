//! A behavior answered by a listener rule's fixed response, seen in ALB logs (issue 16 item 7):
//! the ALB log class `alb-fixed-response` (`actions_executed` fixed-response, target and target
//! status `-`, processing times -1) agrees with the routing findings in `triage --logs`. A fixed
//! 503 counts among the 5xx a finding explains; a fixed 403/404 is shown as agreeing evidence
//! but is no 5xx; without a routing finding the class stays unexplained.

use std::path::{Path, PathBuf};
use std::process::Command;

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

/// `edgepath triage` as JSON, with its exit code.
fn triage(snapshot: &Path, logs: &Path) -> (i32, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_edgepath"))
        .args(["-q", "--format", "json", "triage", "--snapshot"])
        .arg(snapshot)
        .arg("--logs")
        .arg(logs)
        .output()
        .expect("run edgepath");
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "json ({e}): {}",
            String::from_utf8_lossy(&out.stderr).trim_end()
        )
    });
    (out.status.code().unwrap_or(-1), v)
}

fn rules(v: &serde_json::Value) -> Vec<&str> {
    v["diagnoses"]
        .as_array()
        .expect("diagnoses")
        .iter()
        .map(|d| d["rule"].as_str().unwrap_or_default())
        .collect()
}

fn evidence(d: &serde_json::Value) -> Vec<&str> {
    d["log_evidence"]
        .as_array()
        .expect("log_evidence")
        .iter()
        .filter_map(serde_json::Value::as_str)
        .collect()
}

/// `n` ALB lines of `web-alb` answered by a fixed response of `status` (the shape of real
/// lines: no target, `-1 -1 -1`, no target group, the default rule's priority 0).
fn fixed_lines(status: u16, n: u32) -> String {
    (0..n)
        .map(|i| {
            let (m, s) = (10 + i / 60, i % 60);
            format!(
                "http 2026-11-20T05:{m:02}:{s:02}.001200Z app/web-alb/50dc6c495c0c9188 130.176.9.{}:{} - -1 -1 -1 {status} - 410 0 \"GET http://web-alb-1234567890.us-east-1.elb.amazonaws.com:80/api/orders HTTP/1.1\" \"Amazon CloudFront\" - - - \"Root=1-6743f0a1-{i:024x}\" \"-\" \"-\" 0 2026-11-20T05:{m:02}:{s:02}.000100Z \"fixed-response\" \"-\" \"-\" \"-\" \"-\" \"-\" \"-\" TID_{i:032x}\n",
                i % 250,
                20_000 + i
            )
        })
        .collect()
}

#[test]
fn a_fixed_503_default_in_alb_logs_ranks_the_host_header_finding_first_and_is_all_it_explains() {
    let dir = example("alb-host-header-not-forwarded-fixed-503");
    let (code, v) = triage(&dir, &dir.join("logs"));
    assert_eq!(code, 1, "a critical finding");
    let ranked = rules(&v);
    assert_eq!(ranked[0], "host-header-not-forwarded", "{ranked:?}");
    let symptom = ranked
        .iter()
        .position(|r| *r == "listener-default-fixed-response")
        .expect("the fixed response is a finding too");
    assert!(
        ranked[..symptom]
            .iter()
            .all(|r| *r == "host-header-not-forwarded"),
        "the cause before the symptom: {ranked:?}"
    );
    let top = &v["diagnoses"][0];
    assert_eq!(top["logs_agree"], true);
    assert_eq!(
        evidence(top),
        [
            "ALB logs: 600 requests answered by fixed-response 503 since 05:30 UTC (alb-fixed-response)"
        ]
    );
    assert_eq!(top["explains"]["count"], 600);
    assert_eq!(top["explains"]["of"], 600);
    assert_eq!(v["unexplained_5xx"]["count"], 0);
    // The symptom agrees with the same requests.
    let d = &v["diagnoses"][symptom];
    assert_eq!(d["logs_agree"], true);
    assert!(evidence(d)[0].contains("fixed-response 503"), "{d}");
}

#[test]
fn a_fixed_404_agrees_as_evidence_but_is_no_5xx() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(tmp.path().join("alb.log"), fixed_lines(404, 90)).expect("write");
    let (code, v) = triage(&example("alb-host-header-not-forwarded"), tmp.path());
    assert_eq!(code, 1);
    assert_eq!(rules(&v)[0], "host-header-not-forwarded");
    let top = &v["diagnoses"][0];
    assert_eq!(top["logs_agree"], true);
    assert_eq!(
        evidence(top),
        [
            "ALB logs: 90 requests answered by fixed-response 404 since 05:10 UTC (alb-fixed-response)"
        ]
    );
    assert!(
        top.get("explains").is_none(),
        "no 5xx in the logs, so no share: {top}"
    );
    assert!(v.get("unexplained_5xx").is_none());
    assert_eq!(v["unexplained_logs"].as_array().map(Vec::len), Some(0));
}

#[test]
fn a_fixed_403_agrees_with_the_secret_header_finding() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(tmp.path().join("alb.log"), fixed_lines(403, 12)).expect("write");
    let (_, v) = triage(&example("alb-secret-header-mismatch"), tmp.path());
    let d = v["diagnoses"]
        .as_array()
        .expect("diagnoses")
        .iter()
        .find(|d| d["rule"] == "secret-header-mismatch")
        .expect("the secret-header finding");
    assert_eq!(d["logs_agree"], true);
    assert!(
        evidence(d)[0].starts_with("ALB logs: 12 requests answered by fixed-response 403"),
        "{d}"
    );
}

#[test]
fn without_a_routing_finding_fixed_503s_stay_unexplained() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(tmp.path().join("alb.log"), fixed_lines(503, 40)).expect("write");
    let (_, v) = triage(&example("healthy"), tmp.path());
    for d in v["diagnoses"].as_array().expect("diagnoses") {
        assert!(
            !evidence(d).iter().any(|e| e.contains("alb-fixed-response")),
            "{} claims the fixed 503s: {d}",
            d["rule"]
        );
    }
    assert_eq!(v["unexplained_5xx"]["count"], 40);
    assert!(
        v["unexplained_logs"][0]
            .as_str()
            .is_some_and(|e| e.contains("fixed-response 503")),
        "{}",
        v["unexplained_logs"]
    );
}

#[test]
fn the_logs_command_counts_the_class_at_each_status() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut text = fixed_lines(404, 30);
    text.push_str(&fixed_lines(503, 7));
    std::fs::write(tmp.path().join("alb.log"), text).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_edgepath"))
        .args(["-q", "--format", "json", "logs"])
        .arg(tmp.path())
        .output()
        .expect("run edgepath");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let s = if v.get("summary").is_some() {
        &v["summary"]
    } else {
        &v
    };
    assert_eq!(s["alb"]["by_signature"]["alb-fixed-response"], 37, "{s}");
    let statuses: Vec<(i64, i64)> = s["origin_errors"]
        .as_array()
        .expect("origin_errors")
        .iter()
        .filter(|e| e["signature"] == "alb-fixed-response")
        .map(|e| (e["status"].as_i64().unwrap(), e["count"].as_i64().unwrap()))
        .collect();
    assert_eq!(statuses, [(404, 30), (503, 7)]);
}
