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

#[test]
fn internal_callers_through_nat_to_a_locked_alb_is_the_top_finding() {
    let rule = "hairpin-through-locked-alb";
    let (code, report) = triage("hairpin-through-locked-alb", None);
    let f = top(&report, rule, "hairpin-through-locked-alb");
    assert_eq!(f["severity"], "warning", "configuration alone: a warning");
    assert_eq!(code, 0, "a warning alone does not exit 1\n{report:#}");
    let message = f["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("nat-0nat0000000000001") && message.contains("come back from 3.210.15.7"),
        "names the NAT gateway and its public IP: {message}"
    );
    assert_eq!(
        f["fix"].as_str().unwrap_or_default().split("  #").next(),
        Some(
            "aws ec2 authorize-security-group-ingress --group-id sg-0cf000000000000a1 --ip-permissions IpProtocol=tcp,FromPort=80,ToPort=80,IpRanges=[{CidrIp=3.210.15.7/32,Description=NAT-hairpin}]"
        ),
        "admits the NAT public IP on the listener port of the locked group"
    );

    for near_miss in ["hairpin-nat-eip-admitted", "healthy"] {
        let (code, report) = triage(near_miss, None);
        assert!(
            !rules(&report).iter().any(|r| r == rule),
            "{near_miss}: {rule} must stay silent\n{report:#}"
        );
        assert_eq!(code, 0, "{near_miss}: exit 0\n{report:#}");
    }
}

#[test]
fn hairpin_check_does_not_run_without_nat_gateways() {
    // The firing scenario without `ec2-describe-nat-gateways.json`: not silent, not fired, but
    // listed as a check that could not run, naming the call.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/hairpin-through-locked-alb");
    let dir = std::env::temp_dir().join(format!("edgepath-hairpin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for e in std::fs::read_dir(&src).expect("scenario").flatten() {
        let name = e.file_name();
        if name != "ec2-describe-nat-gateways.json" {
            std::fs::copy(e.path(), dir.join(&name)).expect("copy");
        }
    }
    let out = Command::new(env!("CARGO_BIN_EXE_edgepath"))
        .args(["-q", "--format", "json", "triage", "--snapshot"])
        .arg(&dir)
        .output()
        .expect("run edgepath");
    std::fs::remove_dir_all(&dir).ok();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        !rules(&report)
            .iter()
            .any(|r| r == "hairpin-through-locked-alb"),
        "{report:#}"
    );
    let reason = report["not_run"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|n| n["rule"] == "hairpin-through-locked-alb")
        .and_then(|n| n["reason"].as_str())
        .unwrap_or_default()
        .to_owned();
    assert!(
        reason.contains("aws ec2 describe-nat-gateways"),
        "{report:#}"
    );
}
