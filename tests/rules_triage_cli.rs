//! `edgepath triage` and `edgepath rules` through the binary: exit codes, formats, log-only mode.

use std::path::Path;
use std::process::{Command, Output};

fn edgepath(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_edgepath"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("run edgepath")
}

/// `edgepath -q --format json COMMAND --snapshot SNAPSHOT`: its exit code and JSON output.
fn json_of(command: &str, snapshot: &str) -> (Option<i32>, serde_json::Value) {
    let o = edgepath(&["-q", "--format", "json", command, "--snapshot", snapshot]);
    let v = serde_json::from_slice(&o.stdout).expect("json");
    (o.status.code(), v)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn a_critical_finding_exits_1_and_a_healthy_account_exits_0() {
    let bad = edgepath(&["-q", "triage", "--snapshot", "examples/ghost-sg-reference"]);
    assert_eq!(bad.status.code(), Some(1), "{}", stdout(&bad));
    assert!(stdout(&bad).contains("1. Target security group trusts"));
    let good = edgepath(&["-q", "triage", "--snapshot", "examples/healthy"]);
    assert_eq!(good.status.code(), Some(0), "{}", stdout(&good));
}

#[test]
fn logs_and_config_evidence_appear_side_by_side_with_the_fix() {
    let o = edgepath(&[
        "-q",
        "triage",
        "--snapshot",
        "examples/ghost-sg-reference",
        "--logs",
        "examples/ghost-sg-reference/logs",
    ]);
    let text = stdout(&o);
    let first = text.split("\n2. ").next().unwrap_or_default();
    assert!(first.contains("target-sg-ghost-reference"), "{text}");
    assert!(first.contains("config:"), "{text}");
    assert!(first.contains("logs:   504"), "{text}");
    assert!(
        first.contains("fix:    aws ec2 authorize-security-group-ingress --group-id sg-"),
        "{text}"
    );
}

#[test]
fn markdown_is_a_paste_ready_block() {
    let o = edgepath(&[
        "-q",
        "--format",
        "markdown",
        "triage",
        "--snapshot",
        "examples/alb-sg-missing-cloudfront-prefix-list",
        "--logs",
        "examples/alb-sg-missing-cloudfront-prefix-list/logs",
    ]);
    let md = stdout(&o);
    assert!(md.starts_with("### edgepath triage"), "{md}");
    assert!(
        md.contains("**1. ALB security group does not admit CloudFront"),
        "{md}"
    );
    assert!(md.contains("- Logs: 504 OriginCommError"), "{md}");
    assert!(
        md.contains("```sh\naws ec2 authorize-security-group-ingress"),
        "{md}"
    );
}

#[test]
fn json_has_design_finding_keys() {
    let (_, v) = json_of("triage", "examples/origin-protocol-port-mismatch");
    let f = &v["findings"][0];
    for key in ["rule", "severity", "hop", "resources", "message", "fix"] {
        assert!(!f[key].is_null(), "missing {key}: {f:#}");
    }
    assert_eq!(f["rule"], "origin-protocol-port-mismatch");
    // and DESIGN's `paths[]`, the same as `check` gives for the snapshot
    let paths = v["paths"].as_array().expect("paths[]");
    assert!(!paths.is_empty());
    for key in [
        "distribution",
        "behavior",
        "origin",
        "load_balancer",
        "verdict",
        "hops",
    ] {
        assert!(!paths[0][key].is_null(), "missing {key}: {:#}", paths[0]);
    }
    let (_, check) = json_of("check", "examples/origin-protocol-port-mismatch");
    assert_eq!(v["paths"], check["paths"]);
}

#[test]
fn logs_alone_interpret_the_logs_and_say_what_a_snapshot_would_add() {
    let o = edgepath(&["-q", "triage", "--logs", "examples/ghost-sg-reference/logs"]);
    let text = stdout(&o);
    assert!(text.contains("(logs only)"), "{text}");
    assert!(
        text.contains("alb-target-connect-timeout-in-logs"),
        "{text}"
    );
    assert!(text.contains("With --snapshot DIR"), "{text}");
    assert!(text.contains("alb->target hop"), "{text}");
}

#[test]
fn check_reports_rule_findings_next_to_the_paths() {
    let (code, v) = json_of("check", "examples/ghost-sg-reference");
    assert_eq!(code, Some(1));
    assert!(v["paths"].is_array());
    assert_eq!(v["findings"][0]["rule"], "target-sg-ghost-reference");
}

#[test]
fn rules_list_show_facts_and_test_work_from_the_binary() {
    let list = stdout(&edgepath(&["rules", "list"]));
    assert!(list.contains("target-sg-ghost-reference"));
    let show = stdout(&edgepath(&["rules", "show", "target-sg-ghost-reference"]));
    assert!(show.contains("Why it gives 504s"));
    assert!(show.contains("aws ec2 authorize-security-group-ingress"));
    let facts = stdout(&edgepath(&["rules", "facts"]));
    for kind in [
        "hop:",
        "origin:",
        "load_balancer:",
        "target_group:",
        "log_bucket:",
        "near_miss",
    ] {
        assert!(facts.contains(kind), "{kind} missing from rules facts");
    }
    let test = edgepath(&["rules", "test"]);
    assert_eq!(test.status.code(), Some(0), "{}", stdout(&test));
    let unknown = edgepath(&["rules", "show", "no-such-rule"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("rules/README.md")
            .exists()
    );
}

#[test]
fn target_group_fixes_name_the_real_groups_not_placeholders() {
    let (_, v) = json_of("check", "examples/health-check-misconfigured");
    let findings = v["findings"].as_array().expect("findings[]");
    for rule in ["health-check-misconfigured", "targets-timing-out"] {
        let f = findings
            .iter()
            .find(|f| f["rule"] == rule)
            .unwrap_or_else(|| panic!("{rule} fires on the example: {v}"));
        let fix = f["fix"].as_str().expect("fix");
        assert!(!fix.contains('<'), "{rule}: placeholder left in {fix}");
        // The targets carry sg-0app…b2; the ALB carries sg-0cf…a1 (examples/make_examples.py).
        assert!(fix.contains("--group-id sg-0app00000000000b2"), "{fix}");
        assert!(fix.contains("--source-group sg-0cf000000000000a1"), "{fix}");
    }
}

/// The NACL fix names the denying ACL and a rule number evaluated before its deny (#90 → 89),
/// not a placeholder.
#[test]
fn nacl_fix_names_the_acl_and_a_rule_number_before_the_deny() {
    let (_, v) = json_of("check", "examples/nacl-blocks-cloudfront-or-ephemeral");
    let finding = v["findings"]
        .as_array()
        .expect("findings[]")
        .iter()
        .find(|f| f["rule"] == "nacl-blocks-cloudfront-or-ephemeral")
        .expect("the NACL finding");
    let fix = finding["fix"].as_str().expect("fix");
    assert!(
        fix.starts_with(
            "aws ec2 create-network-acl-entry --network-acl-id acl-0public000000002 --egress --rule-number 89 "
        ),
        "{fix}"
    );
}
