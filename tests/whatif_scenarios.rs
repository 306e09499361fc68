//! `edgepath what-if` on the bundled examples: the seed story is caught before apply, unrelated
//! changes break nothing, and bad input exits 2.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn example(name: &str) -> PathBuf {
    root().join("examples").join(name)
}

fn plan(name: &str) -> PathBuf {
    root().join("tests/fixtures/terraform").join(name)
}

fn what_if(scenario: &str, args: &[&str]) -> (i32, Value, String) {
    let out = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["what-if", "--format", "json", "--snapshot"])
        .arg(example(scenario))
        .args(args)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().expect("exit code"), v, stderr)
}

fn rules_of(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["rule"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn detaching_the_group_the_targets_trust_breaks_the_path_with_the_ghost_finding() {
    let (code, v, err) = what_if(
        "seed-story-before",
        &["--detach-sg", "sg-0old000000000000c3", "--from", "web-alb"],
    );
    assert_eq!(code, 1, "{err}");
    let broken = v["broken"].as_array().expect("broken");
    assert!(!broken.is_empty());
    assert!(
        broken
            .iter()
            .all(|p| p["hop"] == "alb->target" && p["before"] == "allowed"),
        "{broken:#?}"
    );
    let evidence = broken[0]["evidence"].to_string();
    assert!(evidence.contains("sg-0old000000000000c3"), "{evidence}");
    assert!(
        rules_of(&v).contains(&"target-sg-ghost-reference".to_owned()),
        "{:?}",
        rules_of(&v)
    );
    // DESIGN's path keys: the verdict now and every hop with its verdict and evidence.
    for p in broken {
        assert_eq!(p["verdict"], p["after"], "{p:#}");
        let hops = p["hops"].as_array().expect("hops[]");
        let target_hop = hops
            .iter()
            .find(|h| h["hop"] == "alb->target")
            .expect("alb->target hop");
        assert_eq!(target_hop["verdict"], p["after"]);
        assert!(target_hop["evidence"].is_array(), "{target_hop:#}");
    }
}

/// DESIGN spells the flag `--detach`; it is an alias of `--detach-sg` (and `--attach` of
/// `--attach-sg`), with the same answer.
#[test]
fn detach_is_an_alias_of_detach_sg() {
    let long = what_if(
        "seed-story-before",
        &["--detach-sg", "sg-0old000000000000c3", "--from", "web-alb"],
    );
    let short = what_if(
        "seed-story-before",
        &["--detach", "sg-0old000000000000c3", "--from", "web-alb"],
    );
    assert_eq!(short.0, 1, "{}", short.2);
    assert_eq!(short.1, long.1);
}

#[test]
fn detaching_the_alb_group_on_healthy_breaks_it_with_the_ghost_finding() {
    let (code, v, err) = what_if(
        "healthy",
        &["--detach-sg", "web-alb-cloudfront", "--from", "web-alb"],
    );
    assert_eq!(code, 1, "{err}");
    assert!(v["broken"].as_array().is_some_and(|b| !b.is_empty()));
    assert!(
        rules_of(&v).contains(&"target-sg-ghost-reference".to_owned()),
        "{:?}",
        rules_of(&v)
    );
}

#[test]
fn detaching_an_unrelated_group_breaks_nothing() {
    let (code, v, err) = what_if(
        "sg-cannot-delete",
        &[
            "--detach-sg",
            "sg-0old000000000000c3",
            "--from",
            "i-0legacy1running0001",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["broken"].as_array().map(Vec::len), Some(0));
}

#[test]
fn revoking_the_prefix_list_rule_breaks_the_cloudfront_hop() {
    let (code, v, err) = what_if(
        "healthy",
        &[
            "--revoke-ingress",
            "sg-0cf000000000000a1 tcp 80 pl-3b927c52",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let broken = v["broken"].as_array().expect("broken");
    assert!(
        !broken.is_empty() && broken.iter().all(|p| p["hop"] == "cloudfront->alb"),
        "{broken:#?}"
    );
}

#[test]
fn the_seed_story_plan_breaks_the_path_and_exits_1() {
    let p = plan("seed-story.json");
    let (code, v, err) = what_if(
        "seed-story-before",
        &["--terraform-plan", p.to_str().expect("utf8")],
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        v["changes"]
            .to_string()
            .contains("detach sg-0old000000000000c3")
    );
    assert!(rules_of(&v).contains(&"target-sg-ghost-reference".to_owned()));
}

#[test]
fn a_plan_touching_unrelated_resources_exits_0_and_lists_what_it_ignored() {
    let p = plan("unrelated.json");
    let (code, v, err) = what_if("healthy", &["--terraform-plan", p.to_str().expect("utf8")]);
    assert_eq!(code, 0, "{err}");
    assert!(v["unsupported"].to_string().contains("aws_s3_bucket.logs"));
}

#[test]
fn bad_input_exits_2_with_a_clear_error() {
    for (args, needle) in [
        (
            vec![
                "--terraform-plan".to_owned(),
                plan("malformed.json").display().to_string(),
            ],
            "not a JSON plan",
        ),
        (
            vec![
                "--terraform-plan".to_owned(),
                plan("future-format.json").display().to_string(),
            ],
            "format_version",
        ),
        (
            vec![
                "--detach-sg".to_owned(),
                "sg-0doesnotexist".to_owned(),
                "--from".to_owned(),
                "web-alb".to_owned(),
            ],
            "sg-0doesnotexist",
        ),
        (
            vec![
                "--revoke-ingress".to_owned(),
                "sg-0cf000000000000a1 tcp".to_owned(),
            ],
            "cannot read the change",
        ),
    ] {
        let (code, _, err) = what_if(
            "healthy",
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(unwrapped(&err).contains(needle), "{args:?}: {err}");
    }
}

/// The error text with miette's line wrapping undone (the wrap point moves with the length of
/// the paths in the message, so a needle may straddle it).
fn unwrapped(err: &str) -> String {
    err.split(|c: char| c.is_whitespace() || c == '│' || c == '|')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
