//! `edgepath blockers` on the bundled examples: blocker kinds, owners and the order of steps.

use std::path::Path;

use assert_cmd::Command;
use edgepath::blockers::blockers_for;
use edgepath::source::snapshot::load_snapshot;
use serde_json::Value;

fn example(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

fn blockers_json(scenario: &str, id: &str) -> (i32, Value) {
    let out = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["blockers", "--format", "json", "--snapshot"])
        .arg(example(scenario))
        .arg(id)
        .output()
        .expect("runs");
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().expect("exit code"), v)
}

fn position(steps: &Value, needle: &str) -> usize {
    steps
        .as_array()
        .expect("steps")
        .iter()
        .position(|s| s["command"].as_str().is_some_and(|c| c.contains(needle)))
        .unwrap_or_else(|| panic!("no step with `{needle}` in {steps:#}"))
}

#[test]
fn leftover_vpc_origin_blocks_the_vpc_and_is_deleted_with_its_etag_before_the_vpc() {
    let (code, v) = blockers_json("vpc-origin-leftover-eni", "vpc-0b2c3d4e5f6071829");
    assert_eq!(code, 1);
    let blockers = v["blockers"].as_array().expect("blockers");
    let cf_enis: Vec<_> = blockers
        .iter()
        .filter(|b| b["kind"] == "attached-eni" && b["owner"] == "CloudFront VPC origin")
        .collect();
    assert_eq!(cf_enis.len(), 2, "{blockers:#?}");
    assert!(
        blockers
            .iter()
            .any(|b| b["kind"] == "vpc-origin" && b["resource"] == "vo_BQwjxxQxjCaBcQLzJUFkDM")
    );
    let steps = &v["steps"];
    let get = position(steps, "get-vpc-origin --id vo_BQwjxxQxjCaBcQLzJUFkDM");
    let delete = position(
        steps,
        "delete-vpc-origin --id vo_BQwjxxQxjCaBcQLzJUFkDM --if-match E3UN6WX5RRO2AG",
    );
    let lb = position(steps, "delete-load-balancer");
    let subnet = position(steps, "delete-subnet");
    let vpc = position(steps, "delete-vpc --vpc-id vpc-0b2c3d4e5f6071829");
    assert!(get < delete && delete < lb && lb < subnet && subnet < vpc);
    assert_eq!(
        vpc,
        steps.as_array().expect("steps").len() - 1,
        "VPC deletion comes last"
    );
}

#[test]
fn the_vpc_origin_eni_names_the_origin_to_delete_instead() {
    let (code, v) = blockers_json("vpc-origin-leftover-eni", "eni-0cfmgd0000000000a");
    assert_eq!(code, 1);
    assert_eq!(v["blockers"][0]["owner"], "CloudFront VPC origin");
    let steps = v["steps"].as_array().expect("steps");
    assert!(steps.iter().any(|s| {
        s["command"]
            .as_str()
            .is_some_and(|c| c.contains("delete-vpc-origin"))
    }));
    assert!(
        !steps[..steps.len() - 1].iter().any(|s| s["command"]
            .as_str()
            .is_some_and(|c| c.contains("delete-network-interface"))),
        "a requester-managed ENI is never deleted directly before its owner"
    );
}

#[test]
fn sg_held_by_rules_and_enis_of_every_owner_kind() {
    let (code, v) = blockers_json("sg-cannot-delete", "sg-0old000000000000c3");
    assert_eq!(code, 1);
    let blockers = v["blockers"].as_array().expect("blockers");
    let has = |kind: &str, resource: &str| {
        blockers
            .iter()
            .any(|b| b["kind"] == kind && b["resource"] == resource)
    };
    assert!(has("rule-reference", "sg-0app00000000000b2"));
    assert!(has("rule-reference", "sg-0batch0000000000f6"));
    assert!(has("vpc-endpoint", "vpce-0ssm00000000000001"));
    let owners: Vec<&str> = blockers
        .iter()
        .filter_map(|b| b["owner"].as_str())
        .collect();
    assert!(owners.contains(&"instance i-0legacy1running0001 (running)"));
    assert!(
        owners.contains(&"instance i-0legacy2stopped0002 (stopped)"),
        "stopped instances hold their ENIs too"
    );
    assert!(owners.contains(&"Lambda function report-builder"));
    let steps = &v["steps"];
    assert!(
        position(
            steps,
            "revoke-security-group-ingress --group-id sg-0app00000000000b2"
        ) < position(
            steps,
            "delete-security-group --group-id sg-0old000000000000c3"
        )
    );
    assert!(
        position(
            steps,
            "revoke-security-group-egress --group-id sg-0batch0000000000f6"
        ) < position(steps, "delete-security-group")
    );
}

#[test]
fn network_firewall_endpoint_is_requester_managed_and_points_at_the_firewall() {
    let (code, v) = blockers_json("requester-managed-endpoint", "vpce-0fw00000000000001");
    assert_eq!(code, 1);
    let b = &v["blockers"][0];
    assert_eq!(b["kind"], "requester-managed-endpoint");
    let owner = b["owner"].as_str().expect("owner");
    assert!(
        owner.contains("Network Firewall prod-fw")
            && owner.contains("network-firewall.amazonaws.com"),
        "{owner}"
    );
    let cmd = v["steps"][0]["command"].as_str().expect("command");
    assert!(
        cmd.starts_with("aws network-firewall disassociate-subnets"),
        "{cmd}"
    );
    assert!(
        !v.to_string().contains("delete-vpc-endpoints"),
        "never suggest deleting a requester-managed endpoint"
    );
}

#[test]
fn an_unattached_group_can_be_deleted_now_with_the_command() {
    let inv = load_snapshot(&example("healthy")).expect("loads").inventory;
    let report = blockers_for(&inv, "sg-0old000000000000c3").expect("known");
    assert!(report.deletable, "{:#?}", report.blockers);
    assert_eq!(report.steps.len(), 1);
    assert_eq!(
        report.steps[0].command,
        "aws ec2 delete-security-group --group-id sg-0old000000000000c3"
    );
    assert!(report.notes[0].contains("UnauthorizedOperation"));
}

#[test]
fn the_default_group_is_never_deletable() {
    let inv = load_snapshot(&example("healthy")).expect("loads").inventory;
    let report = blockers_for(&inv, "sg-0default00000000d4").expect("known");
    assert!(!report.deletable);
    assert_eq!(report.blockers[0].kind, "default-security-group");
}

#[test]
fn missing_eni_data_is_never_called_deletable() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::copy(
        example("healthy").join("ec2-describe-security-groups.json"),
        dir.path().join("sg.json"),
    )
    .expect("copy");
    let inv = load_snapshot(dir.path()).expect("loads").inventory;
    let report = blockers_for(&inv, "sg-0old000000000000c3").expect("known");
    assert!(!report.deletable);
    assert!(
        report
            .incomplete
            .iter()
            .any(|m| m.contains("describe-network-interfaces"))
    );
}

#[test]
fn unknown_and_unsupported_ids_exit_2() {
    for id in ["sg-0doesnotexist", "igw-0c0ffee000000001"] {
        Command::cargo_bin("edgepath")
            .expect("binary")
            .args(["blockers", "--snapshot"])
            .arg(example("healthy"))
            .arg(id)
            .assert()
            .code(2);
    }
}
