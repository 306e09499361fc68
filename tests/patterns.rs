//! The remaining configuration patterns (issue 17, item 3; catalog E2 and B14) through the
//! binary: each firing scenario's top `triage` finding is its rule, its near miss (the same
//! account one setting away) does not report that rule at all, and the ALB log signature of a
//! TLS handshake failure confirms E2.

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

/// (rule, firing scenario, near-miss scenario).
const CASES: &[(&str, &str, &str)] = &[
    (
        "cross-zone-off-az-without-healthy-targets",
        "cross-zone-off-az-without-healthy-targets",
        "cross-zone-off-every-az-healthy",
    ),
    (
        "target-group-protocol-version-behind-cloudfront",
        "target-group-protocol-version-behind-cloudfront",
        "target-group-http2-off-cloudfront-path",
    ),
    (
        "vpc-block-public-access",
        "vpc-block-public-access",
        "vpc-block-public-access-excluded",
    ),
];

#[test]
fn each_pattern_is_the_top_finding_of_its_scenario_and_silent_on_its_near_miss() {
    for (rule, fires, near_miss) in CASES {
        let (code, report) = triage(fires, None);
        assert_eq!(
            rules(&report).first().map(String::as_str),
            Some(*rule),
            "{fires}: top finding\n{report:#}"
        );
        assert_eq!(code, 1, "{fires}: a critical finding exits 1");
        let (code, report) = triage(near_miss, None);
        assert!(
            !rules(&report).iter().any(|r| r == rule),
            "{near_miss}: {rule} must stay silent\n{report:#}"
        );
        assert_eq!(code, 0, "{near_miss}: nothing wrong, exit 0\n{report:#}");
    }
}

#[test]
fn cross_zone_finding_names_the_zone_without_a_healthy_target() {
    let (_, report) = triage("cross-zone-off-az-without-healthy-targets", None);
    let top = &report["findings"][0];
    let message = top["message"].as_str().unwrap_or("");
    assert!(
        message.contains("zone(s) us-east-1b (of us-east-1a us-east-1b)"),
        "the failing zone alone, among the enabled ones: {top:#}"
    );
}

#[test]
fn bpa_blocks_the_cloudfront_hop_with_bpa_as_evidence() {
    let (_, report) = triage("vpc-block-public-access", None);
    let hop = report["paths"][0]["hops"]
        .as_array()
        .expect("hops")
        .iter()
        .find(|h| h["hop"] == "cloudfront->alb")
        .expect("cloudfront->alb hop");
    assert_eq!(hop["verdict"], "blocked", "{hop:#}");
    let evidence = hop["evidence"].to_string();
    assert!(
        evidence.contains("vpc-bpa-blocks-igw") && evidence.contains("subnet-0pub1b0000000002"),
        "{hop:#}"
    );
}

#[test]
fn without_bpa_data_the_cloudfront_hop_is_unknown_naming_the_call() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/healthy");
    let dir = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(&src).expect("examples/healthy") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if name.contains("block-public-access-options") {
            continue;
        }
        std::fs::copy(&path, dir.path().join(name)).expect("copy");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_edgepath"))
        .args(["-q", "--format", "json", "check", "--snapshot"])
        .arg(dir.path())
        .output()
        .expect("run edgepath");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let hop = &report["paths"][0]["hops"][0];
    assert_eq!(hop["hop"], "cloudfront->alb");
    assert_eq!(hop["verdict"], "unknown", "{hop:#}");
    assert!(
        hop["evidence"]
            .to_string()
            .contains("aws ec2 describe-vpc-block-public-access-options"),
        "{hop:#}"
    );
}

fn blockers(resource: &str) -> serde_json::Value {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/guardduty-managed-endpoint");
    let out = Command::new(env!("CARGO_BIN_EXE_edgepath"))
        .args(["blockers", "--format", "json", "--snapshot"])
        .arg(&dir)
        .arg(resource)
        .output()
        .expect("run edgepath");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn guardduty_endpoint_and_group_are_cleared_by_turning_off_agent_management_not_by_deleting() {
    for resource in ["vpce-0gd00000000000001", "sg-0gd0000000000000e5"] {
        let v = blockers(resource);
        let blockers = v["blockers"].as_array().expect("blockers");
        assert!(
            blockers
                .iter()
                .any(|b| b["kind"] == "guardduty-managed" && b["resource"] == resource),
            "{resource}: {v:#}"
        );
        let steps = v["steps"].as_array().expect("steps");
        let commands: Vec<&str> = steps.iter().filter_map(|s| s["command"].as_str()).collect();
        let turn_off = commands
            .iter()
            .position(|c| {
                c.starts_with("aws guardduty update-detector")
                    && c.contains("EC2_AGENT_MANAGEMENT\",\"Status\":\"DISABLED")
            })
            .unwrap_or_else(|| panic!("{resource}: no update-detector step: {v:#}"));
        // Any delete comes after GuardDuty stopped managing the resource.
        if let Some(delete) = commands.iter().position(|c| c.contains(" delete-")) {
            assert!(turn_off < delete, "{resource}: {commands:#?}");
        }
    }
}

#[test]
fn an_ordinary_interface_endpoint_is_not_called_guardduty_managed() {
    // The base account's endpoints list is empty; the healthy scenario's groups are ordinary.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/healthy");
    let out = Command::new(env!("CARGO_BIN_EXE_edgepath"))
        .args(["blockers", "--format", "json", "--snapshot"])
        .arg(&dir)
        .arg("sg-0old000000000000c3")
        .output()
        .expect("run edgepath");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(!v.to_string().contains("guardduty"), "{v:#}");
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
