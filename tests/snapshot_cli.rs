//! `edgepath snapshot` without an account: the IAM policy it prints, and the output-directory
//! guard that runs before any AWS call.

use assert_cmd::Command;
use predicates::str::contains;

fn edgepath() -> Command {
    let mut c = Command::cargo_bin("edgepath").expect("binary");
    c.env_remove("EDGEPATH_SNAPSHOT");
    c
}

#[test]
fn print_iam_policy_prints_docs_iam_policy_json() {
    let out = edgepath()
        .args(["snapshot", "--print-iam-policy"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let shipped: serde_json::Value =
        serde_json::from_str(include_str!("../docs/iam-policy.json")).expect("JSON");
    assert_eq!(printed, shipped);
    let actions = printed["Statement"][0]["Action"]
        .as_array()
        .expect("actions");
    assert!(actions.iter().any(|a| a == "ec2:DescribeNetworkAcls"));
    assert!(actions.iter().any(|a| a == "cloudfront:ListDistributions"));
}

#[test]
fn snapshot_refuses_a_non_empty_directory_without_force() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("keep.txt"), "mine").expect("write");
    edgepath()
        .args(["snapshot", "--out"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("is not empty"))
        .stderr(contains("--force"));
    assert!(dir.path().join("keep.txt").exists());
}

#[test]
fn snapshot_needs_out_or_print_iam_policy() {
    edgepath()
        .arg("snapshot")
        .assert()
        .code(2)
        .stderr(contains("--out"));
}
