//! Wrong verdicts of issue 14 item 10: each test drives the engine (or the binary) on an example
//! scenario, or on a copy of one changed the way an account independently built would differ,
//! and checks that no path says `allowed` where the request cannot get through.

use std::fs;
use std::path::{Path, PathBuf};

use edgepath::reach::{Hop, HopResult, ReachOptions, ReachReport, Verdict, evaluate};
use edgepath::source::snapshot::load_snapshot;
use serde_json::{Value, json};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

fn reach_dir(dir: &Path) -> ReachReport {
    let loaded = load_snapshot(dir).expect("snapshot loads");
    evaluate(&loaded.inventory, &ReachOptions::default())
}

fn run(name: &str) -> ReachReport {
    reach_dir(&example(name))
}

/// An edit of one snapshot file: (file stem, change to its JSON).
type Edit<'a> = (&'a str, &'a dyn Fn(&mut Value));

/// A copy of example `name` in a temporary directory, with `edit` applied to file `file`
/// (`<file>.json`).
fn variant(name: &str, edits: &[Edit<'_>]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    for entry in fs::read_dir(example(name)).expect("example dir") {
        let entry = entry.expect("entry");
        if entry.file_type().expect("type").is_file() {
            fs::copy(entry.path(), tmp.path().join(entry.file_name())).expect("copy");
        }
    }
    for (file, edit) in edits {
        let path = tmp.path().join(format!("{file}.json"));
        let mut v: Value =
            serde_json::from_str(&fs::read_to_string(&path).expect("read")).expect("json");
        edit(&mut v);
        fs::write(&path, serde_json::to_string_pretty(&v).expect("json")).expect("write");
    }
    tmp
}

fn hops(r: &ReachReport, hop: Hop) -> Vec<&HopResult> {
    r.paths
        .iter()
        .flat_map(|p| p.hops.iter())
        .filter(|h| h.hop == hop)
        .map(|h| &**h)
        .collect()
}

fn assert_none_allowed(r: &ReachReport) {
    assert!(!r.paths.is_empty());
    for p in &r.paths {
        assert_ne!(p.verdict, Verdict::Allowed, "{p:#?}");
    }
}

// 1. A VPC origin that is not Deployed.

#[test]
fn a_deploying_vpc_origin_without_managed_enis_is_blocked() {
    let r = run("vpc-origin-not-deployed");
    assert_none_allowed(&r);
    for h in hops(&r, Hop::CloudfrontToAlb) {
        assert_eq!(h.verdict, Verdict::Blocked, "{h:#?}");
        assert!(
            h.fact
                .reasons
                .contains(&"vpc-origin-not-deployed".to_owned())
        );
        assert!(
            h.fact.summary.contains("no CloudFront-managed ENI"),
            "{}",
            h.fact.summary
        );
    }
}

#[test]
fn a_deploying_vpc_origin_with_managed_enis_in_the_vpc_is_unknown_not_allowed() {
    let add_eni = |v: &mut Value| {
        let enis = v["NetworkInterfaces"].as_array_mut().expect("list");
        enis.push(json!({
            "NetworkInterfaceId": "eni-0cfm00000000000a1",
            "InterfaceType": "cloudfront_managed",
            "Description": "CloudFront VPC origin ENI",
            "RequesterManaged": true,
            "Groups": [{"GroupId": "sg-0cfvpco00000000e5", "GroupName": "CloudFront-VPCOrigins-Service-SG"}],
            "SubnetId": "subnet-0prv1a0000000003",
            "VpcId": "vpc-0a1b2c3d4e5f60718",
            "AvailabilityZone": "us-east-1a",
            "PrivateIpAddress": "10.0.10.77",
            "PrivateIpAddresses": [{"Primary": true, "PrivateIpAddress": "10.0.10.77"}],
            "Status": "in-use"
        }));
    };
    let dir = variant(
        "vpc-origin-not-deployed",
        &[("ec2-describe-network-interfaces", &add_eni)],
    );
    let r = reach_dir(dir.path());
    assert_none_allowed(&r);
    for h in hops(&r, Hop::CloudfrontToAlb) {
        assert_eq!(h.verdict, Verdict::Unknown, "{h:#?}");
        assert!(
            h.fact.summary.contains("eni-0cfm00000000000a1"),
            "{}",
            h.fact.summary
        );
    }
}

#[test]
fn a_deployed_vpc_origin_stays_allowed() {
    let r = run("vpc-origin-healthy");
    for p in &r.paths {
        assert_eq!(p.verdict, Verdict::Allowed, "{p:#?}");
    }
}

// 2. HTTPS to the ALB's own `*.elb.amazonaws.com` name.

/// Sets `key` to `value` on every cache behavior of the distribution in
/// `cloudfront-get-distribution.json`.
fn on_every_behavior(v: &mut Value, key: &str, value: &str) {
    let dc = &mut v["Distribution"]["DistributionConfig"];
    dc["DefaultCacheBehavior"][key] = json!(value);
    for b in dc["CacheBehaviors"]["Items"]
        .as_array_mut()
        .expect("behaviors")
    {
        b[key] = json!(value);
    }
}

fn assert_tls_hops(r: &ReachReport, want: Verdict) {
    let cf = hops(r, Hop::CloudfrontToAlb);
    assert!(!cf.is_empty());
    for h in cf {
        assert_eq!(h.verdict, want, "{h:#?}");
        assert!(
            h.fact
                .reasons
                .contains(&"origin-tls-name-mismatch".to_owned()),
            "{h:#?}"
        );
    }
}

#[test]
fn https_to_the_albs_own_name_without_host_is_blocked_on_tls() {
    for name in [
        "https-origin-cert-mismatch",
        "vpc-origin-https-sni-mismatch",
    ] {
        let r = run(name);
        assert_none_allowed(&r);
        assert_tls_hops(&r, Verdict::Blocked);
        let h = hops(&r, Hop::CloudfrontToAlb)[0];
        assert!(
            h.fact.summary.contains("*.elb.amazonaws.com")
                && h.fact.summary.contains("arn:aws:acm:"),
            "{}",
            h.fact.summary
        );
    }
}

#[test]
fn https_to_the_albs_own_name_with_host_forwarded_is_allowed() {
    // AllViewer forwards Host: CloudFront verifies the certificate against the viewer's host.
    let all_viewer = |v: &mut Value| {
        on_every_behavior(
            v,
            "OriginRequestPolicyId",
            "216adef6-5c7f-47e4-b989-5492eafa07d3",
        );
    };
    let dir = variant(
        "https-origin-cert-mismatch",
        &[("cloudfront-get-distribution", &all_viewer)],
    );
    let r = reach_dir(dir.path());
    for p in &r.paths {
        assert_eq!(p.verdict, Verdict::Allowed, "{p:#?}");
    }
}

#[test]
fn https_to_the_albs_own_name_with_unknown_host_forwarding_is_unknown() {
    // A custom cache policy: whether it forwards Host is not in the snapshot.
    let custom = |v: &mut Value| {
        on_every_behavior(v, "CachePolicyId", "0f0e0d0c-0000-4000-8000-000000000001");
    };
    let dir = variant(
        "https-origin-cert-mismatch",
        &[("cloudfront-get-distribution", &custom)],
    );
    let r = reach_dir(dir.path());
    assert_none_allowed(&r);
    assert_tls_hops(&r, Verdict::Unknown);
}

// 3. Target groups with health checks disabled.

const DISABLED: &str = "Target.HealthCheckDisabled";

fn health_checks_off(v: &mut Value) {
    let tg = &mut v["TargetGroups"][0];
    tg["HealthCheckEnabled"] = json!(false);
}

fn health_unavailable(v: &mut Value) {
    for d in v["TargetHealthDescriptions"].as_array_mut().expect("list") {
        d["TargetHealth"] = json!({
            "State": "unavailable",
            "Reason": DISABLED,
            "Description": "Health checks are disabled"
        });
    }
}

fn assert_not_blocked_with_a_note(r: &ReachReport) {
    let th = hops(r, Hop::Target);
    assert!(!th.is_empty());
    for h in th {
        assert_eq!(h.verdict, Verdict::Allowed, "{h:#?}");
        assert_eq!(h.fact.target_reason, DISABLED);
        assert!(
            h.evidence.iter().any(|e| e
                .to_string()
                .contains("health checks are disabled on web-tg")),
            "{h:#?}"
        );
    }
    for p in &r.paths {
        assert_ne!(p.verdict, Verdict::Blocked, "{p:#?}");
    }
}

#[test]
fn a_lambda_target_group_without_health_checks_is_not_blocked() {
    let lambda_tg = |v: &mut Value| {
        let tg = &mut v["TargetGroups"][0];
        let o = tg.as_object_mut().expect("object");
        for k in [
            "Protocol",
            "Port",
            "VpcId",
            "HealthCheckProtocol",
            "HealthCheckPort",
            "ProtocolVersion",
            "IpAddressType",
        ] {
            o.remove(k);
        }
        tg["TargetType"] = json!("lambda");
        tg["HealthCheckEnabled"] = json!(false);
    };
    let lambda_health = |v: &mut Value| {
        v["TargetHealthDescriptions"] = json!([{
            "Target": {"Id": "arn:aws:lambda:us-east-1:111122223333:function:web"},
            "TargetHealth": {
                "State": "unavailable",
                "Reason": DISABLED,
                "Description": "Health checks are disabled"
            }
        }]);
    };
    let dir = variant(
        "healthy",
        &[
            ("elbv2-describe-target-groups", &lambda_tg),
            ("elbv2-describe-target-health-web-tg", &lambda_health),
        ],
    );
    let r = reach_dir(dir.path());
    assert_not_blocked_with_a_note(&r);
}

#[test]
fn an_instance_target_group_with_health_checks_disabled_is_not_blocked() {
    let off = |v: &mut Value| health_checks_off(v);
    let unavailable = |v: &mut Value| health_unavailable(v);
    let dir = variant(
        "healthy",
        &[
            ("elbv2-describe-target-groups", &off),
            ("elbv2-describe-target-health-web-tg", &unavailable),
        ],
    );
    let r = reach_dir(dir.path());
    assert_not_blocked_with_a_note(&r);
    for p in &r.paths {
        assert_eq!(p.verdict, Verdict::Allowed, "{p:#?}");
    }
}

#[test]
fn an_unhealthy_target_with_health_checks_on_stays_blocked() {
    let r = run("all-targets-unhealthy-fail-open");
    for h in hops(&r, Hop::Target) {
        assert_eq!(h.verdict, Verdict::Blocked, "{h:#?}");
    }
}

// 4. `logs --snapshot`: each behavior's origin timeouts, and the method.

/// A CloudFront standard-log line (the 33 canonical columns).
fn cf_line(
    minute: u32,
    method: &str,
    uri: &str,
    status: u16,
    time_taken: f64,
    detailed: &str,
) -> String {
    format!(
        "2026-11-20\t05:{minute:02}:10\tFRA56-P5\t500\t198.51.100.7\t{method}\td111111abcdef8.cloudfront.net\t{uri}\t{status}\t-\tcurl\t-\t-\tError\treq{minute}{uri}\twww.example.com\thttps\t400\t{time_taken:.3}\t-\tTLSv1.3\tTLS_AES_128_GCM_SHA256\tError\tHTTP/2.0\t-\t-\t40000\t{time_taken:.3}\t{detailed}\ttext/html\t500\t-\t-"
    )
}

#[test]
fn logs_judge_each_behavior_by_its_own_origin_and_method() {
    // `/api/*` → an origin group whose primary has a 10 s read timeout; `/v1/*` → that origin
    // directly; the default behavior → web-alb-origin (read 5 s).
    let two_origins = |v: &mut Value| {
        let dc = &mut v["Distribution"]["DistributionConfig"];
        let mut api = dc["Origins"]["Items"][0].clone();
        api["Id"] = json!("api-origin");
        api["CustomOriginConfig"]["OriginReadTimeout"] = json!(10);
        let items = dc["Origins"]["Items"].as_array_mut().expect("origins");
        items.push(api);
        dc["Origins"]["Quantity"] = json!(items.len());
        dc["OriginGroups"] = json!({"Quantity": 1, "Items": [{
            "Id": "api-group",
            "FailoverCriteria": {"StatusCodes": {"Quantity": 1, "Items": [502]}},
            "Members": {"Quantity": 2, "Items": [{"OriginId": "api-origin"}, {"OriginId": "web-alb-origin"}]}
        }]});
        let behaviors = dc["CacheBehaviors"]["Items"]
            .as_array_mut()
            .expect("behaviors");
        let mut v1 = behaviors[0].clone();
        behaviors[0]["TargetOriginId"] = json!("api-group");
        v1["PathPattern"] = json!("/v1/*");
        v1["TargetOriginId"] = json!("api-origin");
        behaviors.insert(0, v1);
        dc["CacheBehaviors"]["Quantity"] = json!(behaviors.len());
    };
    let dir = variant(
        "origin-response-timeout-too-short",
        &[("cloudfront-get-distribution", &two_origins)],
    );
    let mut log = String::from(
        "#Version: 1.0\n#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end\n",
    );
    for m in 0..6 {
        // POSTs that failed at one 10 s read timeout (not retried): read timeouts.
        log.push_str(&cf_line(
            m,
            "POST",
            "/api/orders",
            504,
            10.004,
            "OriginCommError",
        ));
        log.push('\n');
        log.push_str(&cf_line(
            m,
            "POST",
            "/v1/orders",
            504,
            10.01,
            "OriginCommError",
        ));
        log.push('\n');
        // A GET on the default behavior retried 3 × 5 s: a read timeout of its own origin.
        log.push_str(&cf_line(
            m,
            "GET",
            "/index.html",
            504,
            15.002,
            "OriginCommError",
        ));
        log.push('\n');
    }
    let logs = dir.path().join("logs");
    fs::create_dir(&logs).expect("mkdir");
    fs::write(logs.join("E2QWRUHAPOMQZL.2026-11-20-05.abcd1234"), log).expect("write log");
    let out = assert_cmd::Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["--snapshot"])
        .arg(dir.path())
        .args(["logs", "--format", "json"])
        .arg(&logs)
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    let errors = v["summary"]["origin_errors"]
        .as_array()
        .expect("origin_errors");
    let sig = |behavior: &str| -> Vec<String> {
        errors
            .iter()
            .filter(|e| e["behavior"] == behavior)
            .map(|e| format!("{} {}", e["signature"].as_str().unwrap_or(""), e["count"]))
            .collect()
    };
    assert_eq!(
        sig("/api/*"),
        vec!["cloudfront-read-timeout 6"],
        "{errors:#?}"
    );
    assert_eq!(
        sig("/v1/*"),
        vec!["cloudfront-read-timeout 6"],
        "{errors:#?}"
    );
    assert_eq!(sig("*"), vec!["cloudfront-read-timeout 6"], "{errors:#?}");
}

// 5. `health-check-misconfigured` on a health-check path answering 404.

fn findings(dir: &Path) -> Vec<Value> {
    let out = assert_cmd::Command::cargo_bin("edgepath")
        .expect("binary")
        .arg("--snapshot")
        .arg(dir)
        .args(["check", "--format", "json"])
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    v["findings"].as_array().cloned().unwrap_or_default()
}

fn finding<'a>(f: &'a [Value], rule: &str) -> Option<&'a Value> {
    f.iter().find(|x| x["rule"] == rule || x["id"] == rule)
}

#[test]
fn a_health_check_path_answering_404_is_a_misconfigured_health_check() {
    let not_found = |v: &mut Value| {
        for d in v["TargetHealthDescriptions"].as_array_mut().expect("list") {
            d["TargetHealth"]["Description"] =
                json!("Health checks failed with these codes: [404]");
        }
    };
    let dir = variant(
        "all-targets-unhealthy-fail-open",
        &[("elbv2-describe-target-health-web-tg", &not_found)],
    );
    let f = findings(dir.path());
    let hc = finding(&f, "health-check-misconfigured").unwrap_or_else(|| panic!("{f:#?}"));
    let text = hc.to_string();
    assert!(
        text.contains(
            "aws elbv2 modify-target-group --target-group-arn arn:aws:elasticloadbalancing:"
        ) && text.contains("--health-check-path /health")
            && text.contains("--matcher HttpCode=200"),
        "{hc:#?}"
    );
    // The app answering 500 on the path stays the fail-open finding's alone.
    let f = findings(&example("all-targets-unhealthy-fail-open"));
    assert!(
        finding(&f, "health-check-misconfigured").is_none(),
        "{f:#?}"
    );
    assert!(
        finding(&f, "all-targets-unhealthy-fail-open").is_some(),
        "{f:#?}"
    );
}
