//! `edgepath what-if --terraform-plan` as a CI gate: every resource change of a plan is
//! accounted for exactly once (modelled, unresolved, not modelled or no-op), a plan with
//! nothing edgepath models exits 0 with "nothing to check", a plan that breaks a path exits 1,
//! and only input that is not a readable plan exits 2.
//!
//! The fixtures in `tests/fixtures/terraform/` reproduce the shapes real plans have (an
//! all-`no-op` plan, `resource_changes: []`, in-place rule updates, a distribution create, a
//! load balancer replacement, format 0.1/0.2, the `aws_alb*` aliases, a change on a group the
//! snapshot lacks, the `terraform plan -json` UI stream, malformed entries).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn plan(name: &str) -> PathBuf {
    root().join("tests/fixtures/terraform").join(name)
}

/// Runs what-if on `examples/healthy` with the plan; returns exit code, JSON, stderr.
fn gate(plan_file: &str, format: &str) -> (i32, String, String) {
    let out = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["what-if", "--format", format, "--snapshot"])
        .arg(root().join("examples/healthy"))
        .arg("--terraform-plan")
        .arg(plan(plan_file))
        .output()
        .expect("runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The addresses of the plan file's `resource_changes`, read independently of edgepath.
fn addresses_in(plan_file: &str) -> Vec<String> {
    let text = std::fs::read_to_string(plan(plan_file)).expect("fixture");
    let v: Value = serde_json::from_str(&text).expect("fixture is JSON");
    v["resource_changes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|rc| rc["address"].as_str().expect("address").to_owned())
        .collect()
}

/// `address → status` of the report's `resources[]`, checking each appears once.
fn statuses(v: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for r in v["resources"].as_array().expect("resources[]") {
        let address = r["address"].as_str().expect("address").to_owned();
        let status = r["status"].as_str().expect("status").to_owned();
        assert!(
            out.insert(address.clone(), status).is_none(),
            "{address} accounted for twice"
        );
    }
    out
}

/// `(address, status)` of the resource changes a case names.
type Expected = &'static [(&'static str, &'static str)];

/// Each fixture: exit code, and the status of every resource change by address.
const CASES: &[(&str, i32, Expected)] = &[
    (
        "no-op.json",
        0,
        &[
            ("aws_lb.web", "no_op"),
            ("aws_security_group.app", "no_op"),
            ("aws_s3_bucket.logs", "no_op"),
            ("data.aws_vpc.main", "no_op"),
        ],
    ),
    ("empty.json", 0, &[]),
    (
        "unrelated.json",
        0,
        &[
            ("aws_s3_bucket.logs", "not_modelled"),
            ("aws_security_group_rule.batch_https", "modelled"),
        ],
    ),
    (
        "rule-update.json",
        1,
        &[
            ("aws_security_group_rule.app_from_alb", "modelled"),
            ("aws_vpc_security_group_ingress_rule.alb_https", "modelled"),
            ("aws_security_group_rule.described", "not_modelled"),
        ],
    ),
    (
        "inline-rule-update.json",
        1,
        &[("aws_security_group.alb", "modelled")],
    ),
    (
        "cloudfront-create.json",
        0,
        &[("aws_cloudfront_distribution.new", "not_modelled")],
    ),
    ("lb-replace.json", 0, &[("aws_lb.web", "unresolved")]),
    (
        "format-0.1.json",
        1,
        &[("aws_alb.web", "modelled"), ("aws_s3_bucket.logs", "no_op")],
    ),
    (
        "format-0.2.json",
        0,
        &[("aws_s3_bucket.logs", "not_modelled")],
    ),
    (
        "aliases.json",
        1,
        &[
            ("aws_alb_target_group.web", "modelled"),
            ("aws_alb_listener.http", "not_modelled"),
            ("aws_alb_listener_rule.static", "no_op"),
        ],
    ),
    (
        "unknown-group.json",
        1,
        &[
            ("aws_security_group_rule.db", "unresolved"),
            ("aws_lb.web", "modelled"),
        ],
    ),
];

#[test]
fn every_resource_change_is_accounted_for_exactly_once_with_the_gate_exit_code() {
    for (file, code, expected) in CASES {
        let (got, stdout, err) = gate(file, "json");
        assert_eq!(got, *code, "{file}: {err}");
        let v: Value = serde_json::from_str(&stdout).expect("JSON on stdout");
        let by_address = statuses(&v);
        let mut in_plan = addresses_in(file);
        in_plan.sort();
        assert_eq!(
            by_address.keys().cloned().collect::<Vec<_>>(),
            in_plan,
            "{file}: every resource change of the plan, once"
        );
        for (address, status) in *expected {
            assert_eq!(by_address[*address], *status, "{file}: {address}");
        }
        let counts = &v["resource_counts"];
        let total: u64 = ["modelled", "unresolved", "not_modelled", "no_op"]
            .iter()
            .map(|k| counts[k].as_u64().expect("count"))
            .sum();
        assert_eq!(total as usize, in_plan.len(), "{file}: {counts}");
        for r in v["resources"].as_array().expect("resources") {
            let modelled = r["status"] == "modelled";
            assert_eq!(
                !r["changes"].as_array().expect("changes").is_empty(),
                modelled,
                "{file}: a modelled change lists what it does, the others nothing: {r}"
            );
            if r["status"] == "unresolved" || r["status"] == "not_modelled" {
                assert!(r["reason"].is_string(), "{file}: says why: {r}");
            }
        }
    }
}

#[test]
fn a_plan_of_no_ops_or_without_changes_says_nothing_to_check_and_exits_0() {
    for file in [
        "no-op.json",
        "empty.json",
        "cloudfront-create.json",
        "format-0.2.json",
    ] {
        let (code, stdout, err) = gate(file, "text");
        assert_eq!(code, 0, "{file}: {err}");
        assert!(stdout.contains("nothing to check"), "{file}: {stdout}");
        assert!(!stdout.contains("no path breaks"), "{file}: {stdout}");
        let (_, json, _) = gate(file, "json");
        let v: Value = serde_json::from_str(&json).expect("JSON");
        assert_eq!(v["nothing_to_check"], true, "{file}");
        assert_eq!(v["evaluated"], 0, "{file}");
    }
}

#[test]
fn the_text_lists_what_was_not_modelled_and_why() {
    let (code, stdout, _) = gate("cloudfront-create.json", "text");
    assert_eq!(code, 0);
    assert!(
        stdout.contains("not modelled  aws_cloudfront_distribution.new (create): new distribution"),
        "{stdout}"
    );
    let (_, stdout, _) = gate("no-op.json", "text");
    assert!(stdout.contains("4 no-op"), "{stdout}");
}

#[test]
fn a_no_op_plan_needs_no_account_data() {
    // No --snapshot: a CI gate on an unrelated pull request must not need AWS credentials.
    let out = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["what-if", "--terraform-plan"])
        .arg(plan("no-op.json"))
        .env("AWS_ACCESS_KEY_ID", "")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_rule_update_is_a_revoke_of_the_old_rule_and_an_authorize_of_the_new() {
    let (code, stdout, err) = gate("rule-update.json", "json");
    assert_eq!(code, 1, "{err}");
    let v: Value = serde_json::from_str(&stdout).expect("JSON");
    let changes: Vec<&str> = v["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        changes,
        [
            "revoke sg-0app00000000000b2 ingress tcp/80 from sg-0cf000000000000a1",
            "authorize sg-0app00000000000b2 ingress tcp/8080 from sg-0cf000000000000a1",
            "revoke sg-0cf000000000000a1 ingress tcp/443 from pl-3b927c52",
            "authorize sg-0cf000000000000a1 ingress udp/443 from pl-3b927c52",
        ]
    );
    assert!(
        v["broken"]
            .as_array()
            .expect("broken")
            .iter()
            .all(|p| p["hop"] == "alb->target")
    );
}

#[test]
fn a_change_on_a_group_the_snapshot_lacks_is_unresolved_and_the_rest_still_evaluated() {
    let (code, stdout, err) = gate("unknown-group.json", "json");
    assert_eq!(
        code, 1,
        "the resolvable change still breaks the path: {err}"
    );
    let v: Value = serde_json::from_str(&stdout).expect("JSON despite the unknown group");
    let unresolved = v["unresolved"].to_string();
    assert!(unresolved.contains("sg-0notinsnapshot00e5"), "{unresolved}");
    assert!(!v["broken"].as_array().expect("broken").is_empty());
}

#[test]
fn input_that_is_not_a_readable_plan_exits_2_and_says_what_it_is() {
    for (file, needle) in [
        ("malformed.json", "not a JSON plan"),
        ("malformed-entry.json", "resource_changes[0].address"),
        ("future-format.json", "`2.0`"),
        ("ui-stream.json", "plan.out"),
    ] {
        let (code, stdout, err) = gate(file, "json");
        assert_eq!(code, 2, "{file}: {stdout}");
        assert!(unwrapped(&err).contains(needle), "{file}: {err}");
    }
    let (_, _, err) = gate("ui-stream.json", "text");
    assert!(err.contains("log stream"), "{err}");
    assert!(!err.contains("binary"), "{err}");
}

#[test]
fn an_empty_changes_file_is_nothing_to_check_and_exits_0() {
    let out = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["what-if", "--snapshot"])
        .arg(root().join("examples/healthy"))
        .arg("--changes")
        .arg(plan("empty-changes.json"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing to check"));
}

/// The error text with miette's line wrapping undone (the wrap point moves with the length of
/// the paths in the message, so a needle may straddle it).
fn unwrapped(err: &str) -> String {
    err.split(|c: char| c.is_whitespace() || c == '│' || c == '|')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
