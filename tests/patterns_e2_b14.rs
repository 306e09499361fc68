//! Catalog E2 (`target-tls-handshake-failure`) and B14 (`hairpin-through-locked-alb`) through
//! the binary: each firing scenario's top `triage` finding is its rule, its near miss does not
//! report the rule, and the ALB log signature of a TLS handshake failure confirms E2.

use std::path::Path;
use std::process::Command;

fn triage(scenario: &str, logs: Option<&str>) -> (i32, serde_json::Value) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_edgepath"));
    cmd.args(["-q", "--format", "json", "triage", "--snapshot"])
        .arg(root.join("examples").join(scenario));
    if let Some(l) = logs {
        cmd.arg("--logs").arg(root.join(l));
    }
    let out = cmd.output().expect("run edgepath");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{scenario}: no JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), json)
}

fn rules(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["rule"].as_str().map(str::to_owned))
        .collect()
}

fn top<'a>(report: &'a serde_json::Value, rule: &str, scenario: &str) -> &'a serde_json::Value {
    let f = &report["findings"][0];
    assert_eq!(f["rule"], rule, "{scenario}: top finding\n{report:#}");
    f
}

#[test]
fn https_group_in_front_of_a_plain_http_app_is_the_top_finding() {
    let rule = "target-tls-handshake-failure";
    let (code, report) = triage("target-tls-handshake-failure", None);
    let f = top(&report, rule, "target-tls-handshake-failure");
    assert_eq!(f["severity"], "critical");
    assert_eq!(code, 1, "a critical finding exits 1");
    let message = f["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("as HTTPS on port 80") && message.contains("use HTTP on that same port"),
        "{message}"
    );
    let fix = f["fix"].as_str().unwrap_or_default();
    assert!(
        fix.starts_with("aws elbv2 create-target-group --name web-tg-HTTP --protocol HTTP --port 80 --vpc-id vpc-0a1b2c3d4e5f60718"),
        "a new HTTP group in the group's VPC: {fix}"
    );
    assert!(
        fix.contains("targetgroup/web-tg/73e2d6bc24d8a067"),
        "names the real group: {fix}"
    );

    let (code, report) = triage("target-tls-health-check-port-separate", None);
    assert!(
        !rules(&report).iter().any(|r| r == rule),
        "health checks on another port say nothing about the traffic port\n{report:#}"
    );
    assert_eq!(code, 0, "nothing wrong, exit 0\n{report:#}");
}

#[test]
fn tls_handshake_timeouts_in_alb_logs_confirm_the_protocol_mismatch() {
    let logs = "tests/fixtures/logs/alb/alb-target-tls-handshake-timeout.log";
    let (_, report) = triage("target-tls-handshake-failure", Some(logs));
    let d = &report["diagnoses"][0];
    assert_eq!(d["rule"], "target-tls-handshake-failure", "{report:#}");
    assert_eq!(d["logs_agree"], true, "{d:#}");
    assert!(
        d["log_evidence"][0]
            .as_str()
            .unwrap_or_default()
            .contains("alb-target-tls-handshake-timeout"),
        "{d:#}"
    );
    assert_eq!(d["explains"]["count"], d["explains"]["of"], "{d:#}");
    // The same logs do not confirm a group whose protocol is consistent.
    let (_, report) = triage("target-tls-health-check-port-separate", Some(logs));
    assert!(
        !rules(&report)
            .iter()
            .any(|r| r == "target-tls-handshake-failure"),
        "{report:#}"
    );
}
