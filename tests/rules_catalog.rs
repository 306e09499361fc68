//! The built-in rule catalog: every rule loads, is well-formed, and passes its own `[[test]]`s
//! (the same code `edgepath rules test` runs).

use std::path::Path;

use edgepath::rules::testing::run_tests;
use edgepath::rules::{Severity, load_rules};

/// Ids the issue requires in the catalog.
const REQUIRED: [&str; 18] = [
    "alb-sg-missing-cloudfront-prefix-list",
    "origin-protocol-port-mismatch",
    "prefix-list-quota-or-stale-cidrs",
    "internal-alb-as-public-origin",
    "internet-facing-alb-in-private-subnets",
    "nacl-blocks-cloudfront-or-ephemeral",
    "origin-response-timeout-too-short",
    "alb-idle-timeout-too-short",
    "vpc-origin-alb-sg-missing-service-sg",
    "vpc-origin-not-deployed",
    "target-sg-missing-alb-sg",
    "target-sg-ghost-reference",
    "alb-sg-egress-restricted",
    "health-check-misconfigured",
    "all-targets-unhealthy-fail-open",
    "no-registered-targets",
    "target-az-not-enabled",
    "error-caching-masks-fix",
];

/// Unique ids, id = file stem, the `explain` sections, references and a `fires` and a `silent`
/// case per rule are load errors (`rules::load`); this checks only what the loader cannot know.
#[test]
fn the_catalog_has_the_required_rules_and_every_file_of_rules_is_one() {
    let set = load_rules(&[]).expect("built-in rules load");
    for id in REQUIRED {
        assert!(set.get(id).is_some(), "catalog lacks {id}");
    }
    // The registry is the directory: every file of rules/ is a rule.
    let on_disk = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"))
        .expect("rules/ exists")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
        .count();
    assert_eq!(on_disk, set.len());
}

#[test]
fn every_builtin_rule_passes_its_embedded_tests() {
    let set = load_rules(&[]).expect("built-in rules load");
    let results = run_tests(&set);
    let failures: Vec<String> = results
        .iter()
        .filter(|r| !r.passed)
        .map(|r| format!("{} {}: {}", r.rule, r.case, r.detail))
        .collect();
    assert!(
        failures.is_empty(),
        "failing rule tests:\n{}",
        failures.join("\n")
    );
    assert!(results.len() >= 2 * set.len());
}

#[test]
fn fixes_are_commands_or_console_settings() {
    let set = load_rules(&[]).expect("built-in rules load");
    for r in &set.rules {
        let f = r.fix_source.trim_start();
        assert!(
            f.starts_with("aws ")
                || f.starts_with("CloudFront console")
                || f.starts_with("No AWS change"),
            "{}: fix is neither an AWS CLI command nor a console setting: {f}",
            r.id
        );
    }
}

#[test]
fn critical_rules_exist_for_each_hop_that_blocks_traffic() {
    let set = load_rules(&[]).expect("built-in rules load");
    for hop in ["cloudfront->alb", "alb->target"] {
        assert!(
            set.rules
                .iter()
                .any(|r| r.hop == hop && r.severity == Severity::Critical)
        );
    }
}

#[test]
fn the_readme_worked_example_loads_and_passes() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/README.md"))
            .expect("rules/README.md");
    let after = readme
        .split("`team-rules/target-sg-ghost-reference-prod.toml`:")
        .nth(1)
        .expect("the worked example");
    let toml = after
        .split("```toml\n")
        .nth(1)
        .and_then(|s| s.split("\n```").next())
        .expect("a toml block");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("target-sg-ghost-reference-prod.toml"), toml).expect("write");
    let set = edgepath::rules::load_rules_dir(dir.path()).expect("the example loads");
    let results = run_tests(&set);
    assert_eq!(results.len(), 2);
    assert!(results.iter().all(|r| r.passed), "{results:#?}");
}
