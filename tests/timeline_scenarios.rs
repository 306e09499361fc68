//! The change timeline (issue 15) through the binary, on the `change-*` example scenarios:
//! the seed story names the change, its actor and the revert; a revoked prefix-list rule names
//! the revoke and its inverse; unrelated changes are listed, never linked; without CloudTrail the
//! timeline is unknown and the findings do not change.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn edgepath(args: &[&str]) -> (i32, Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_edgepath"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("run edgepath");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    let code = out.status.code().unwrap_or(-1);
    (code, json, stdout + &String::from_utf8_lossy(&out.stderr))
}

fn triage_json(scenario: &str, extra: &[&str]) -> Value {
    let dir = format!("examples/{scenario}");
    let logs = format!("{dir}/logs");
    let mut args = vec!["-q", "--format", "json", "triage", "--snapshot", &dir];
    if Path::new(env!("CARGO_MANIFEST_DIR")).join(&logs).is_dir() {
        args.extend(["--logs", &logs]);
    }
    args.extend(extra);
    let (code, json, out) = edgepath(&args);
    assert_eq!(code, 1, "{scenario}: {out}");
    json
}

fn rules_fired(report: &Value) -> Vec<String> {
    let mut v: Vec<String> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or_default().to_owned())
        .collect();
    v.sort();
    v
}

fn changes(report: &Value) -> Vec<&Value> {
    report["timeline"]
        .as_array()
        .expect("timeline[]")
        .iter()
        .filter(|e| e["kind"] == "change")
        .collect()
}

fn finding<'a>(report: &'a Value, rule: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} finding"))
}

const ALB_ARN: &str =
    "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web-alb/50dc6c495c0c9188";

#[test]
fn the_seed_story_names_the_change_its_actor_and_the_revert() {
    let r = triage_json("change-seed-story", &[]);
    let f = finding(&r, "recent-change-broke-path");
    let msg = f["message"].as_str().unwrap();
    assert!(
        msg.contains("SetSecurityGroups at 2026-11-20T05:48:17Z"),
        "{msg}"
    );
    assert!(
        msg.contains("assumed-role/terraform-deployer/gh-actions-8841 (terraform)"),
        "{msg}"
    );
    assert!(msg.contains("43 s before the 5xx onset"), "{msg}");
    assert!(msg.contains("removed sg-0old000000000000c3 from web-alb's security groups (now: sg-0cf000000000000a1)"), "{msg}");
    assert_eq!(
        f["fix"],
        format!(
            "aws elbv2 set-security-groups --load-balancer-arn {ALB_ARN} --security-groups sg-0cf000000000000a1 sg-0old000000000000c3"
        )
    );
    assert_eq!(f["hop"], "alb->target");
    // The forward fix still stands beside the revert.
    finding(&r, "target-sg-ghost-reference");
    let c = changes(&r);
    assert_eq!(c.len(), 1);
    assert_eq!(c[0]["linked_finding"], "target-sg-ghost-reference");
    assert!(c[0]["actor"].as_str().unwrap().ends_with("via terraform"));
    assert_eq!(c[0]["revert"], f["fix"]);
    assert!(r["timeline_unknown"].is_null());
    assert!(r["timeline_note"].is_null());
    let kinds: Vec<&str> = r["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["change", "onset", "first-error", "last-error"]);
    assert!(r["errors_per_minute"].as_array().unwrap().len() >= 30);
}

#[test]
fn the_ghost_finding_shows_its_change_in_text_and_markdown() {
    let dir = "examples/change-seed-story";
    let (_, _, text) = edgepath(&[
        "-q",
        "--no-color",
        "triage",
        "--snapshot",
        dir,
        "--logs",
        "examples/change-seed-story/logs",
    ]);
    let ghost = text
        .split("\n\n")
        .find(|s| s.contains("[target-sg-ghost-reference]"))
        .expect("ghost finding");
    assert!(
        ghost.contains("   change: SetSecurityGroups: removed sg-0old000000000000c3"),
        "{ghost}"
    );
    assert!(
        text.contains("Timeline 2026-11-19T23:49:00Z .. 2026-11-20T06:10:00Z"),
        "{text}"
    );
    assert!(text.contains("5xx/min 05:30 ▁"), "{text}");
    let (_, _, md) = edgepath(&[
        "-q",
        "--format",
        "markdown",
        "triage",
        "--snapshot",
        dir,
        "--logs",
        "examples/change-seed-story/logs",
    ]);
    assert!(
        md.contains("**Timeline (2026-11-19T23:49:00Z .. 2026-11-20T06:10:00Z)**"),
        "{md}"
    );
    assert!(md.contains("| `target-sg-ghost-reference` |"), "{md}");
}

#[test]
fn a_revoked_prefix_list_rule_names_the_revoke_and_its_inverse() {
    let r = triage_json("change-revoked-prefix-list", &[]);
    let f = finding(&r, "recent-change-broke-path");
    assert_eq!(f["hop"], "cloudfront->alb");
    let msg = f["message"].as_str().unwrap();
    assert!(
        msg.contains("RevokeSecurityGroupIngress at 2026-11-20T05:47:12Z"),
        "{msg}"
    );
    assert!(msg.contains("sg-auto-remediation"), "{msg}");
    assert!(
        msg.contains("removed ingress rule tcp/80 from pl-3b927c52 of sg-0cf000000000000a1"),
        "{msg}"
    );
    assert_eq!(
        f["fix"],
        r#"aws ec2 authorize-security-group-ingress --group-id sg-0cf000000000000a1 --ip-permissions '[{"FromPort":80,"IpProtocol":"tcp","PrefixListIds":[{"PrefixListId":"pl-3b927c52"}],"ToPort":80}]'"#
    );
    let c = changes(&r);
    assert_eq!(
        c[0]["linked_finding"],
        "alb-sg-missing-cloudfront-prefix-list"
    );
}

#[test]
fn unrelated_changes_are_listed_never_linked_and_the_note_says_so() {
    let r = triage_json("change-unrelated", &["--since", "3d"]);
    assert!(!rules_fired(&r).contains(&"recent-change-broke-path".to_owned()));
    let c = changes(&r);
    let names: Vec<&str> = c
        .iter()
        .map(|e| e["summary"].as_str().unwrap().split(':').next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "ModifyTargetGroupAttributes",
            "DetachInternetGateway",
            "AuthorizeSecurityGroupIngress",
            "CreateTags"
        ]
    );
    assert!(c.iter().all(|e| e["linked_finding"].is_null()));
    assert!(c.iter().all(|e| e.get("revert").is_none()));
    assert_eq!(c[1]["failed"], true);
    assert!(
        c[1]["summary"]
            .as_str()
            .unwrap()
            .contains("nothing changed")
    );
    assert!(
        r["timeline_note"]
            .as_str()
            .unwrap()
            .starts_with("no change in the window explains it")
    );
    // The default window (6 h before the 05:49 onset) leaves out the change of two days before.
    let r = triage_json("change-unrelated", &[]);
    assert_eq!(changes(&r).len(), 3);
    assert!(
        r["timeline_note"]
            .as_str()
            .unwrap()
            .contains("predates 2026-11-19 23:49 UTC")
    );
}

#[test]
fn without_cloudtrail_the_timeline_is_unknown_and_the_findings_unchanged() {
    let ghost = triage_json("ghost-sg-reference", &[]);
    let unknown = ghost["timeline_unknown"]
        .as_str()
        .expect("timeline_unknown");
    assert!(
        unknown.starts_with("unknown, needs cloudtrail:LookupEvents"),
        "{unknown}"
    );
    assert!(changes(&ghost).is_empty());
    assert!(
        ghost["timeline_note"].is_null(),
        "no blame without the data"
    );
    // Same account and logs with unrelated changes: the same findings.
    assert_eq!(
        rules_fired(&ghost),
        rules_fired(&triage_json("change-unrelated", &[]))
    );
    // With the breaking change: the same findings plus the change.
    let mut seed = rules_fired(&triage_json("change-seed-story", &[]));
    seed.retain(|r| r != "recent-change-broke-path");
    assert_eq!(rules_fired(&ghost), seed);
}

#[test]
fn the_timeline_command_prints_the_timeline_alone_in_its_window() {
    let (code, r, out) = edgepath(&[
        "-q",
        "--format",
        "json",
        "timeline",
        "--snapshot",
        "examples/change-unrelated",
        "--from",
        "2026-11-18T00:00:00Z",
        "--to",
        "2026-11-18T23:00:00Z",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(r.get("findings").is_none());
    assert_eq!(r["timeline_window"]["from"], "2026-11-18T00:00:00Z");
    let c = changes(&r);
    assert_eq!(c.len(), 1);
    assert!(
        c[0]["summary"]
            .as_str()
            .unwrap()
            .starts_with("ModifyTargetGroupAttributes")
    );
    // Without logs there is no onset: nothing is linked.
    let (code, r, _) = edgepath(&[
        "-q",
        "--format",
        "json",
        "timeline",
        "--snapshot",
        "examples/change-seed-story",
    ]);
    assert_eq!(code, 0);
    assert!(changes(&r).iter().all(|e| e["linked_finding"].is_null()));
}

#[test]
fn bad_window_arguments_are_usage_errors() {
    let (code, _, out) = edgepath(&[
        "timeline",
        "--snapshot",
        "examples/change-seed-story",
        "--since",
        "6",
    ]);
    assert_eq!(code, 2);
    assert!(out.contains("expected a span such as 90m, 6h, 2d"), "{out}");
    let (code, _, _) = edgepath(&[
        "timeline",
        "--snapshot",
        "examples/change-seed-story",
        "--since",
        "6h",
        "--from",
        "2026-11-20T00:00:00Z",
    ]);
    assert_eq!(code, 2);
    let (code, _, out) = edgepath(&[
        "triage",
        "--snapshot",
        "examples/change-seed-story",
        "--from",
        "2026-11-20T06:00:00Z",
        "--to",
        "2026-11-20T05:00:00Z",
    ]);
    assert_eq!(code, 2);
    assert!(out.contains("the window is empty"), "{out}");
}
