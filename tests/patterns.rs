//! The remaining configuration patterns (issue 17, item 3) through the binary: each firing
//! scenario's top `triage` finding is its rule, and its near miss (the same account one setting
//! away) does not report that rule at all.

use std::path::Path;
use std::process::Command;

fn triage(scenario: &str) -> (i32, serde_json::Value) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(scenario);
    let out = Command::new(env!("CARGO_BIN_EXE_edgepath"))
        .args(["-q", "--format", "json", "triage", "--snapshot"])
        .arg(&dir)
        .output()
        .expect("run edgepath");
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
        let (code, report) = triage(fires);
        assert_eq!(
            rules(&report).first().map(String::as_str),
            Some(*rule),
            "{fires}: top finding\n{report:#}"
        );
        assert_eq!(code, 1, "{fires}: a critical finding exits 1");
        let (code, report) = triage(near_miss);
        assert!(
            !rules(&report).iter().any(|r| r == rule),
            "{near_miss}: {rule} must stay silent\n{report:#}"
        );
        assert_eq!(code, 0, "{near_miss}: nothing wrong, exit 0\n{report:#}");
    }
}

#[test]
fn cross_zone_finding_names_the_zone_without_a_healthy_target() {
    let (_, report) = triage("cross-zone-off-az-without-healthy-targets");
    let top = &report["findings"][0];
    let message = top["message"].as_str().unwrap_or("");
    assert!(
        message.contains("zone(s) us-east-1b (of us-east-1a us-east-1b)"),
        "the failing zone alone, among the enabled ones: {top:#}"
    );
}

#[test]
fn bpa_blocks_the_cloudfront_hop_with_bpa_as_evidence() {
    let (_, report) = triage("vpc-block-public-access");
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
