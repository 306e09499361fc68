//! Reachability on the example scenarios: verdict, first failing hop, reason codes and evidence.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use edgepath::facts::Fact;
use edgepath::reach::{
    Evidence, Hop, PathTrace, ReachOptions, ReachReport, Verdict, evaluate, hop_facts,
};
use edgepath::source::snapshot::load_snapshot;

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

fn run(name: &str) -> ReachReport {
    let loaded = load_snapshot(&example(name)).expect("example loads");
    evaluate(&loaded.inventory, &ReachOptions::default())
}

fn failing(p: &PathTrace) -> Option<Hop> {
    p.first_failing_hop().map(|h| h.hop)
}

fn reasons(r: &ReachReport, hop: Hop) -> Vec<String> {
    let mut out: Vec<String> = r
        .paths
        .iter()
        .flat_map(|p| p.hops.iter())
        .filter(|h| h.hop == hop)
        .flat_map(|h| h.fact.reasons.iter().cloned())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn healthy_is_allowed_everywhere() {
    let r = run("healthy");
    assert!(!r.paths.is_empty());
    for p in &r.paths {
        assert_eq!(p.verdict, Verdict::Allowed, "{p:?}");
        assert_eq!(p.hops.len(), 3);
        assert!(p.target.is_some());
    }
    assert!(!r.has_problems());
    let cf = &r.paths[0].hops[0];
    assert_eq!(
        cf.fact.admitted_by,
        "sg-0cf000000000000a1 ingress tcp/80 from pl-3b927c52"
    );
}

#[test]
fn ghost_sg_reference_blocks_alb_to_target_with_a_ghost_near_miss() {
    let r = run("ghost-sg-reference");
    let targets: Vec<&str> = r.paths.iter().filter_map(|p| p.target.as_deref()).collect();
    assert!(targets.contains(&"i-0aaa1111bbbb2222c"));
    assert!(targets.contains(&"i-0ddd3333eeee4444f"));
    for p in &r.paths {
        assert_eq!(p.verdict, Verdict::Blocked);
        assert_eq!(failing(p), Some(Hop::AlbToTarget));
        assert_eq!(p.hops[0].verdict, Verdict::Allowed);
        let at = &p.hops[1];
        assert_eq!(at.fact.reasons, vec!["target-sg-no-rule".to_owned()]);
        let nm = at
            .fact
            .near_misses
            .iter()
            .find(|n| n.source_sg == "sg-0old000000000000c3")
            .expect("ghost near miss");
        assert!(nm.source_sg_exists);
        assert!(!nm.source_sg_attached_to_alb);
        assert_eq!(nm.differs, "source");
        assert!(at.evidence.iter().any(|e| matches!(e,
            Evidence::NearMiss { detail, .. } if detail == "sg-0app00000000000b2 admits tcp/80 only from sg-0old000000000000c3, which is not attached to web-alb (the ALB carries sg-0cf000000000000a1)")));
        assert_eq!(p.hops[2].fact.target_reason, "Target.Timeout");
    }
    assert!(r.has_problems());
    let facts = hop_facts(&r);
    assert_eq!(
        facts.iter().filter(|f| matches!(f, Fact::Hop(_))).count(),
        r.paths.len() * 3
    );
    assert!(facts.iter().any(|f| matches!(f, Fact::Origin(_))));
}

#[test]
fn scenario_reason_codes() {
    let cases: [(&str, Hop, &str); 11] = [
        (
            "alb-sg-egress-restricted",
            Hop::AlbToTarget,
            "alb-egress-missing",
        ),
        (
            "alb-sg-missing-cloudfront-prefix-list",
            Hop::CloudfrontToAlb,
            "sg-no-admitting-rule",
        ),
        (
            "all-targets-unhealthy-fail-open",
            Hop::Target,
            "target-unhealthy",
        ),
        (
            "health-check-misconfigured",
            Hop::AlbToTarget,
            "health-check-port-blocked",
        ),
        (
            "internal-alb-as-public-origin",
            Hop::CloudfrontToAlb,
            "internal-alb-public-origin",
        ),
        (
            "internet-facing-alb-in-private-subnets",
            Hop::CloudfrontToAlb,
            "no-igw-route",
        ),
        (
            "nacl-blocks-cloudfront-or-ephemeral",
            Hop::CloudfrontToAlb,
            "nacl-denied-return",
        ),
        (
            "origin-protocol-port-mismatch",
            Hop::CloudfrontToAlb,
            "no-listener",
        ),
        (
            "prefix-list-quota-or-stale-cidrs",
            Hop::CloudfrontToAlb,
            "prefix-list-partial",
        ),
        (
            "target-az-not-enabled",
            Hop::AlbToTarget,
            "target-az-not-enabled",
        ),
        (
            "vpc-origin-alb-sg-missing-service-sg",
            Hop::CloudfrontToAlb,
            "vpc-origin-sg-missing",
        ),
    ];
    for (name, hop, code) in cases {
        let r = run(name);
        assert!(
            reasons(&r, hop).iter().any(|c| c == code),
            "{name}: {:?}",
            reasons(&r, hop)
        );
        assert!(r.has_problems(), "{name}");
    }
    let r = run("vpc-origin-healthy");
    assert!(
        r.paths.iter().all(|p| p.verdict == Verdict::Allowed),
        "{:?}",
        r.paths
    );
}

#[test]
fn check_binary_exit_codes_and_json() {
    let out = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["-q", "--format", "json", "--snapshot"])
        .arg(example("ghost-sg-reference"))
        .arg("check")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let p = &v["paths"][0];
    assert_eq!(p["verdict"], "blocked");
    assert_eq!(p["load_balancer"], "web-alb");
    assert_eq!(p["hops"][1]["hop"], "alb->target");
    assert!(v["out_of_scope"].is_array());

    let ok = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["-q", "--no-color", "--snapshot"])
        .arg(example("healthy"))
        .arg("check")
        .output()
        .expect("runs");
    assert_eq!(ok.status.code(), Some(0));
    let text = String::from_utf8_lossy(&ok.stdout);
    assert!(text.contains("→ web-alb :80 → web-tg"), "{text}");
}

#[test]
fn check_on_the_basic_fixture_reports_missing_data_as_unknown() {
    let out = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["-q", "--format", "json", "--snapshot"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/snapshot-basic"))
        .arg("check")
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    for p in v["paths"].as_array().expect("paths") {
        assert_ne!(p["verdict"], "allowed");
    }
    assert!(out.status.code() == Some(0) || out.status.code() == Some(1));
}

#[test]
fn filters_narrow_the_paths() {
    let loaded = load_snapshot(&example("healthy")).expect("loads");
    let none = evaluate(
        &loaded.inventory,
        &ReachOptions {
            albs: vec!["no-such-alb".to_owned()],
            ..ReachOptions::default()
        },
    );
    assert!(none.paths.is_empty());
    let some = evaluate(
        &loaded.inventory,
        &ReachOptions {
            albs: vec!["web-alb".to_owned()],
            ..ReachOptions::default()
        },
    );
    assert!(!some.paths.is_empty());
    let keys: std::collections::BTreeSet<_> = some.paths.iter().map(PathTrace::key).collect();
    assert_eq!(keys.len(), some.paths.len(), "path keys are unique");
}
