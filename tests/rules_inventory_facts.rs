//! Inventory-derived facts on a real-shaped snapshot, and rules evaluated over them.

use std::path::Path;

use edgepath::facts::Fact;
use edgepath::rules::{inventory_facts, load_rules};
use edgepath::source::snapshot::load_snapshot;

fn facts() -> Vec<Fact> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/snapshot-basic");
    let loaded = load_snapshot(&dir).expect("fixture loads");
    inventory_facts(&loaded.inventory)
}

#[test]
fn snapshot_yields_load_balancer_target_group_sg_and_vpc_origin_facts() {
    let facts = facts();
    let json: Vec<serde_json::Value> = facts
        .iter()
        .map(|f| serde_json::to_value(f).expect("facts serialize"))
        .collect();
    for kind in ["load_balancer", "security_group"] {
        assert!(
            json.iter().any(|f| f["kind"] == kind),
            "no {kind} fact in {json:#?}"
        );
    }
    let lb = json
        .iter()
        .find(|f| f["kind"] == "load_balancer")
        .expect("an ALB");
    assert_eq!(lb["idle_timeout_seconds"], 60);
    assert_eq!(lb["used_by_cloudfront"], true);
    // The CloudFront origin-facing prefix list weighs 55 against the rules quota.
    let cf_sg = json
        .iter()
        .find(|f| f["kind"] == "security_group" && f["references_cloudfront_prefix_list"] == true)
        .expect("an SG referencing the CloudFront prefix list");
    assert_eq!(cf_sg["ingress_rule_weight"], 55);
    assert_eq!(cf_sg["on_cloudfront_alb"], true);
}

#[test]
fn rules_evaluate_over_snapshot_facts_without_errors() {
    let set = load_rules(&[]).expect("rules load");
    let evaluation = set.evaluate(&facts());
    assert!(
        !evaluation
            .not_run
            .iter()
            .any(|n| n.reason.starts_with("condition failed")),
        "{:#?}",
        evaluation.not_run
    );
}
