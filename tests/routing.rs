//! Listener rules through the binary: the example scenarios of issue 16 (CloudFront's request
//! routed through the ALB's rules), asserting verdicts, the answering rule and the top finding.

use assert_cmd::Command;
use serde_json::Value;

fn check(scenario: &str) -> (Option<i32>, Value) {
    let out = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["--format", "json", "check", "--snapshot"])
        .arg(format!("examples/{scenario}"))
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{scenario}: {e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), v)
}

fn paths(v: &Value) -> &Vec<Value> {
    v["paths"].as_array().expect("paths")
}

fn routing_hop(p: &Value) -> &Value {
    p["hops"]
        .as_array()
        .expect("hops")
        .iter()
        .find(|h| h["hop"] == "alb-routing")
        .expect("alb-routing hop")
}

fn evidence_text(h: &Value) -> String {
    h["evidence"].to_string()
}

fn top_finding(v: &Value) -> String {
    v["findings"][0]["rule"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn host_not_forwarded_to_a_host_header_rule_is_answered_by_the_fixed_404_default() {
    let (code, v) = check("alb-host-header-not-forwarded");
    assert_eq!(code, Some(1));
    let ps = paths(&v);
    assert_eq!(ps.len(), 2, "{ps:#?}");
    for p in ps {
        assert_eq!(p["verdict"], "blocked");
        assert!(p["target_group"].is_null(), "no target is reached: {p:#}");
        let h = routing_hop(p);
        assert_eq!(h["verdict"], "blocked");
        let ev = evidence_text(h);
        assert!(
            ev.contains("the default action answers") && ev.contains(": fixed-response 404"),
            "{ev}"
        );
        assert!(
            ev.contains("rule 10 host-header www.example.com does not match: CloudFront sends Host: web-alb-1234567890.us-east-1.elb.amazonaws.com because origin request policy AllViewerExceptHostHeader does not forward Host"),
            "{ev}"
        );
    }
    assert_eq!(top_finding(&v), "host-header-not-forwarded");
}

#[test]
fn host_forwarded_with_matching_aliases_reaches_the_targets_without_findings() {
    let (code, v) = check("alb-host-header-forwarded");
    assert_eq!(code, Some(0));
    let ps = paths(&v);
    assert!(!ps.is_empty());
    for p in ps {
        assert_eq!(p["verdict"], "allowed", "{p:#}");
        assert_eq!(p["target_group"], "web-tg");
        assert!(evidence_text(routing_hop(p)).contains("rule 10"));
    }
    let findings = v["findings"].as_array().expect("findings");
    assert!(
        findings.iter().all(|f| f["severity"] != "critical"),
        "{findings:#?}"
    );
}

#[test]
fn secret_header_mismatch_is_answered_by_the_403_default() {
    let (code, v) = check("alb-secret-header-mismatch");
    assert_eq!(code, Some(1));
    for p in paths(&v) {
        assert_eq!(p["verdict"], "blocked");
        let ev = evidence_text(routing_hop(p));
        assert!(ev.contains("fixed-response 403"), "{ev}");
        assert!(
            ev.contains("CloudFront sends X-Origin-Verify: rotated-2026-11 (origin custom header), the rule expects initial-2026-01"),
            "{ev}"
        );
    }
    assert_eq!(top_finding(&v), "secret-header-mismatch");
}

#[test]
fn api_split_between_a_healthy_v2_group_and_an_unhealthy_default_group() {
    let (code, v) = check("alb-behavior-split-unhealthy");
    assert_eq!(code, Some(1));
    let api: Vec<&Value> = paths(&v)
        .iter()
        .filter(|p| p["behavior"] == "/api/*")
        .collect();
    let v2: Vec<&&Value> = api
        .iter()
        .filter(|p| p["sub_path"] == "/api/v2/*")
        .collect();
    let rest: Vec<&&Value> = api
        .iter()
        .filter(|p| p["sub_path"] == "/api/* (rest)")
        .collect();
    assert!(!v2.is_empty() && !rest.is_empty(), "{api:#?}");
    for p in &v2 {
        assert_eq!(p["target_group"], "api-v2-tg");
        assert_eq!(p["verdict"], "allowed");
        assert!(evidence_text(routing_hop(p)).contains("rule 10 answers /api/v2/*"));
    }
    for p in &rest {
        assert_eq!(p["target_group"], "web-tg");
        assert_eq!(p["verdict"], "blocked");
        assert!(
            evidence_text(routing_hop(p)).contains("the default action answers /api/* (the rest)")
        );
    }
}

fn check_request(scenario: &str, extra: &[&str]) -> (Option<i32>, Value, String) {
    let out = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["--format", "json", "check", "--snapshot"])
        .arg(format!("examples/{scenario}"))
        .args(extra)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code(), v, stderr)
}

#[test]
fn one_request_follows_the_behavior_its_path_falls_under_and_the_rule_that_answers_it() {
    let (code, v, err) = check_request(
        "alb-behavior-split-unhealthy",
        &["--path", "/api/v2/users?page=2"],
    );
    let ps = paths(&v);
    assert_eq!(ps.len(), 1, "{err}{ps:#?}");
    assert_eq!(ps[0]["behavior"], "/api/*");
    assert_eq!(ps[0]["target_group"], "api-v2-tg");
    assert_eq!(ps[0]["verdict"], "allowed");
    assert!(evidence_text(routing_hop(&ps[0])).contains("rule 10 answers /api/v2/users"));
    assert_eq!(
        v["request"]["path"], "/api/v2/users",
        "the query string is cut"
    );
    // The whole-scope findings still count: web-tg's targets are all unhealthy.
    assert_eq!(code, Some(1));

    let (_, v, _) = check_request("alb-behavior-split-unhealthy", &["--path", "/api/v1/users"]);
    let ps = paths(&v);
    assert!(!ps.is_empty());
    for p in ps {
        assert_eq!(p["behavior"], "/api/*");
        assert_eq!(p["target_group"], "web-tg");
        assert_eq!(p["verdict"], "blocked");
    }
    // The default behavior never sees /api/v2/*: CloudFront sends it to /api/* first.
    let (_, v, _) = check_request("alb-behavior-split-unhealthy", &[]);
    let default: Vec<&Value> = paths(&v).iter().filter(|p| p["behavior"] == "*").collect();
    assert!(!default.is_empty());
    for p in default {
        assert_eq!(p["target_group"], "web-tg", "{p:#}");
        assert!(
            evidence_text(routing_hop(p))
                .contains("CloudFront sends /api/v2/* to its earlier behavior /api/*"),
            "{p:#}"
        );
    }
}

#[test]
fn one_request_with_a_host_uses_it_only_where_host_is_forwarded() {
    // AllViewer forwards Host: www.example.com matches rule 10.
    let (code, v, err) = check_request(
        "alb-host-header-forwarded",
        &["--path", "/api/orders", "--host", "WWW.example.com"],
    );
    let ps = paths(&v);
    assert!(!ps.is_empty(), "{err}");
    for p in ps {
        assert_eq!(p["behavior"], "/api/*");
        assert_eq!(p["verdict"], "allowed", "{p:#}");
        assert!(evidence_text(routing_hop(p)).contains("rule 10 answers /api/orders"));
    }
    assert_eq!(code, Some(0), "{err}");
    // AllViewerExceptHostHeader: the ALB sees its own name whatever the viewer's Host.
    let (code, v, _) = check_request(
        "alb-host-header-not-forwarded",
        &["--path", "/api/orders", "--host", "www.example.com"],
    );
    assert_eq!(code, Some(1));
    for p in paths(&v) {
        assert_eq!(p["verdict"], "blocked");
        assert!(evidence_text(routing_hop(p)).contains("does not forward Host"));
    }
}

#[test]
fn a_request_no_distribution_answers_is_a_usage_error_naming_the_hosts() {
    let (code, _, err) = check_request(
        "alb-host-header-forwarded",
        &["--path", "/", "--host", "shop.example.org"],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--host shop.example.org"), "{err}");
    assert!(err.contains("www.example.com"), "{err}");
    let (code, _, err) = check_request("alb-host-header-forwarded", &["--host", "www.example.com"]);
    assert_eq!(code, Some(2), "{err}");
    let (code, _, err) = check_request("alb-host-header-forwarded", &["--path", "api/orders"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("does not start with `/`"), "{err}");
}

#[test]
fn groups_no_cloudfront_request_reaches_are_listed_beside_the_paths_not_as_paths() {
    let (_, v) = check("alb-host-header-not-forwarded");
    let unrouted = v["unrouted_groups"].as_array().expect("unrouted_groups");
    assert_eq!(unrouted.len(), 1, "{unrouted:#?}");
    assert_eq!(unrouted[0]["target_group"], "web-tg");
    assert_eq!(unrouted[0]["load_balancer"], "web-alb");
    assert!(
        unrouted[0]["why"][0]
            .as_str()
            .is_some_and(|w| w.starts_with("rule 10 host-header www.example.com")
                && w.contains("does not forward Host"))
    );
    assert!(paths(&v).iter().all(|p| p["target_group"] != "web-tg"));
    // Host forwarded: rule 10 takes CloudFront's requests, nothing is left unreached.
    let (_, v) = check("alb-host-header-forwarded");
    assert!(
        v.get("unrouted_groups").is_none(),
        "{:#}",
        v["unrouted_groups"]
    );
    // The split: rule 10's group is reached through /api/*, though `*` never reaches it.
    let (_, v) = check("alb-behavior-split-unhealthy");
    assert!(
        v.get("unrouted_groups").is_none(),
        "{:#}",
        v["unrouted_groups"]
    );
    // One request reaches one group by design: nothing is listed.
    let (_, v, _) = check_request("alb-host-header-not-forwarded", &["--path", "/"]);
    assert!(v.get("unrouted_groups").is_none());
}
