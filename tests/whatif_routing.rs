//! `edgepath what-if` on listener-rule and CloudFront request changes: "this plan makes every
//! path hit the default 404" is reported as broken paths, with the `alb-routing` hop and the
//! rule that answers after the change, before anything is applied.
//!
//! Scenarios: `examples/alb-host-header-forwarded` (rule 10 matches the Host viewers send;
//! the default action is a fixed 404) and `examples/alb-host-header-not-forwarded` (the
//! behaviors use AllViewerExceptHostHeader, so rule 10 never matches).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const DIST: &str = "E2QWRUHAPOMQZL";
const ALL_VIEWER_EXCEPT_HOST: &str = "b689b0a8-53d0-40ab-baf2-68738e2966ac";
const ALB_DNS: &str = "web-alb-1234567890.us-east-1.elb.amazonaws.com";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn example(name: &str) -> PathBuf {
    root().join("examples").join(name)
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

fn list<'a>(v: &'a Value, key: &str) -> &'a Vec<Value> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key}[] in {v:#}"))
}

/// Every path of the scenario (as `check` lists them): `(behavior, target)`.
fn checked_paths(scenario: &str) -> Vec<(String, String)> {
    let out = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["check", "--format", "json", "--snapshot"])
        .arg(example(scenario))
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let mut paths: Vec<(String, String)> = list(&v, "paths")
        .iter()
        .map(|p| {
            (
                p["behavior"].as_str().unwrap_or_default().to_owned(),
                p["target"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    paths.sort();
    paths
}

fn behaviors_and_targets(paths: &[Value]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            (
                p["behavior"].as_str().unwrap_or_default().to_owned(),
                p["target"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Each broken path: allowed before, blocked after at `alb-routing`, its evidence naming what
/// answered before and what answers now (`needle`).
fn assert_broken_at_routing(v: &Value, needle: &str) {
    let broken = list(v, "broken");
    assert!(!broken.is_empty(), "{v:#}");
    for p in broken {
        assert_eq!(p["before"], "allowed", "{p:#}");
        assert_eq!(p["after"], "blocked", "{p:#}");
        assert_eq!(p["hop"], "alb-routing", "{p:#}");
        let evidence = p["evidence"].to_string();
        assert!(
            evidence.contains("before: rule 10 answers"),
            "what answered before: {evidence}"
        );
        assert!(evidence.contains(needle), "{needle} in {evidence}");
        let routing = list(p, "hops")
            .iter()
            .find(|h| h["hop"] == "alb-routing")
            .expect("the alb-routing hop after the change");
        assert_eq!(routing["verdict"], "blocked", "{routing:#}");
    }
}

#[test]
fn dropping_host_from_the_origin_request_breaks_every_path_at_the_default_404() {
    let (code, v, err) = what_if(
        "alb-host-header-forwarded",
        &[
            "--origin-request-policy",
            &format!("{DIST}:*={ALL_VIEWER_EXCEPT_HOST}"),
            "--origin-request-policy",
            &format!("{DIST}:/api/*={ALL_VIEWER_EXCEPT_HOST}"),
        ],
    );
    assert_eq!(code, 1, "{err}");
    // Every path `check` finds on the scenario breaks, once.
    assert_eq!(
        behaviors_and_targets(list(&v, "broken")),
        checked_paths("alb-host-header-forwarded")
    );
    assert_broken_at_routing(&v, "fixed-response 404");
    let evidence = v["broken"].to_string();
    assert!(
        evidence.contains(&format!("CloudFront sends Host: {ALB_DNS}")),
        "{evidence}"
    );
    assert!(
        list(&v, "findings")
            .iter()
            .any(|f| f["rule"] == "host-header-not-forwarded"),
        "the after-state finding names the pattern"
    );
}

#[test]
fn changing_one_behavior_breaks_only_its_paths() {
    let (code, v, err) = what_if(
        "alb-host-header-forwarded",
        &[
            "--origin-request-policy",
            &format!("{DIST}:/api/*={ALL_VIEWER_EXCEPT_HOST}"),
        ],
    );
    assert_eq!(code, 1, "{err}");
    let broken = list(&v, "broken");
    assert_eq!(broken.len(), 2, "{v:#}");
    assert!(broken.iter().all(|p| p["behavior"] == "/api/*"), "{v:#}");
    assert_eq!(v["unchanged"], 2, "the default behavior's paths: {v:#}");
}

#[test]
fn a_terraform_plan_dropping_host_breaks_every_path_and_accounts_for_each_resource() {
    let plan = root().join("tests/fixtures/terraform/routing-host-header-dropped.json");
    let (code, v, err) = what_if(
        "alb-host-header-forwarded",
        &["--terraform-plan", plan.to_str().expect("utf8")],
    );
    assert_eq!(code, 1, "{err}");
    assert_broken_at_routing(&v, "fixed-response 404");
    let status = |address: &str| {
        let found: Vec<&Value> = list(&v, "resources")
            .iter()
            .filter(|r| r["address"] == address)
            .collect();
        assert_eq!(found.len(), 1, "{address} accounted for once: {v:#}");
        found[0]["status"].as_str().unwrap_or_default().to_owned()
    };
    assert_eq!(status("aws_cloudfront_distribution.www"), "modelled");
    // The listener's tags changed, not its default action.
    assert_eq!(status("aws_lb_listener.http"), "not_modelled");
    assert_eq!(
        status("aws_cloudfront_origin_request_policy.api"),
        "not_modelled"
    );
    let dist = list(&v, "resources")
        .iter()
        .find(|r| r["address"] == "aws_cloudfront_distribution.www")
        .expect("the distribution");
    assert_eq!(
        list(dist, "changes").len(),
        2,
        "the default and /api/* behaviors (not the S3 one): {dist:#}"
    );
}

#[test]
fn a_host_header_rule_that_also_matches_the_alb_name_fixes_the_paths() {
    let (code, v, err) = what_if(
        "alb-host-header-not-forwarded",
        &[
            "--rule-condition",
            &format!("web-alb:80:10=host-header:www.example.com,{ALB_DNS}"),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(list(&v, "broken").is_empty(), "{v:#}");
    let fixed = list(&v, "fixed");
    // Both behaviors now reach both targets of web-tg through rule 10.
    assert_eq!(fixed.len(), 4, "{v:#}");
    for p in fixed {
        assert_eq!(p["before"], "blocked", "{p:#}");
        assert_eq!(p["after"], "allowed", "{p:#}");
        assert_eq!(p["hop"], "alb-routing", "{p:#}");
        assert_eq!(p["target_group"], "web-tg", "{p:#}");
        let evidence = p["evidence"].to_string();
        assert!(evidence.contains("fixed-response 404"), "{evidence}");
        assert!(evidence.contains("after: rule 10 answers"), "{evidence}");
    }
}

#[test]
fn a_rule_action_turned_into_a_fixed_503_breaks_its_paths() {
    let (code, v, err) = what_if(
        "alb-host-header-forwarded",
        &["--rule-action", "web-alb:80:10=fixed-response:503"],
    );
    assert_eq!(code, 1, "{err}");
    assert_broken_at_routing(&v, "fixed-response 503");
    assert_eq!(
        behaviors_and_targets(list(&v, "broken")),
        checked_paths("alb-host-header-forwarded")
    );
}

#[test]
fn deleting_the_rule_sends_everything_to_the_default_404() {
    let rule = "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener-rule/app/web-alb/50dc6c495c0c9188/f2f7dc8efc522ab2/1a2b3c4d5e6f7a8b";
    let (code, v, err) = what_if("alb-host-header-forwarded", &["--delete-rule", rule]);
    assert_eq!(code, 1, "{err}");
    assert_broken_at_routing(&v, "fixed-response 404");
}

#[test]
fn a_listener_default_forwarding_to_the_group_fixes_the_unmatched_requests() {
    let (code, v, err) = what_if(
        "alb-host-header-not-forwarded",
        &["--listener-default", "web-alb:80=forward:web-tg"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(list(&v, "fixed").len(), 4, "{v:#}");
}

#[test]
fn a_secret_header_the_rule_does_not_expect_breaks_nothing_without_a_header_rule() {
    // Rule 10 has no http-header condition: a new origin header changes no routing.
    let (code, v, err) = what_if(
        "alb-host-header-forwarded",
        &[
            "--origin-header",
            &format!("{DIST}:web-alb-origin:X-Origin-Verify=s3cret"),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(list(&v, "broken").is_empty(), "{v:#}");
    assert_eq!(v["unchanged"], 4, "{v:#}");
    // With a header condition on rule 10, the same header decides.
    let (code, v, err) = what_if(
        "alb-host-header-forwarded",
        &[
            "--rule-condition",
            "web-alb:80:10=http-header:X-Origin-Verify=expected",
            "--origin-header",
            &format!("{DIST}:web-alb-origin:X-Origin-Verify=other"),
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert_broken_at_routing(&v, "CloudFront sends X-Origin-Verify: other");
}

#[test]
fn unknown_ids_exit_2_naming_the_ones_that_exist() {
    for (args, needles) in [
        (
            vec!["--rule-action", "web-alb:80:30=fixed-response:503"],
            vec!["web-alb:80:30", "web-alb:80:10", "web-alb:80:default"],
        ),
        (
            vec!["--listener-default", "web-alb:443=fixed-response:503"],
            vec!["web-alb:443", "web-alb:80"],
        ),
        (
            vec!["--rule-action", "web-alb:80:10=forward:no-such-tg"],
            vec!["no-such-tg", "web-tg"],
        ),
        (
            vec!["--origin-request-policy", "E2QWRUHAPOMQZL:/nope/*=none"],
            vec!["/nope/*", "/api/*"],
        ),
        (
            vec![
                "--origin-request-policy",
                "E2QWRUHAPOMQZL:*=00000000-0000-0000-0000-000000000000",
            ],
            vec!["origin request policy"],
        ),
        (
            vec!["--origin-header", "EXXXX:web-alb-origin:X=1"],
            vec!["EXXXX", DIST],
        ),
    ] {
        let (code, _, err) = what_if("alb-host-header-forwarded", &args);
        assert_eq!(code, 2, "{args:?}: {err}");
        let flat = err.split_whitespace().collect::<Vec<_>>().join(" ");
        for n in needles {
            assert!(flat.contains(n), "{args:?}: {n} in {err}");
        }
    }
}

#[test]
fn malformed_routing_flags_exit_2() {
    for args in [
        vec!["--rule-condition", "web-alb:80:10"],
        vec!["--rule-condition", "web-alb:80:10=cookie:a"],
        vec!["--rule-condition", "web-alb:80:10=http-header:X-Only-Name"],
        vec!["--rule-action", "web-alb:80:10=fixed-response:302"],
        vec!["--rule-action", "web-alb:80:10=teleport:somewhere"],
        vec!["--origin-request-policy", "E2QWRUHAPOMQZL"],
        vec!["--origin-header", "E2QWRUHAPOMQZL=1"],
    ] {
        let (code, _, err) = what_if("alb-host-header-forwarded", &args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("cannot read the change"), "{args:?}: {err}");
    }
}
