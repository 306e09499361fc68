//! Listener certificates live through moto's ACM (issue 17, done-when): an expired certificate,
//! a wrong name with Host forwarded and without, one `PENDING_VALIDATION`, and a valid wildcard
//! SNI certificate covering the origin name beside a wrong-name default one.
//! `tests/support/acm_cases.py` makes them (PEMs generated with `cryptography`, imported into
//! moto's ACM; `request-certificate` for the pending one) and puts each on an HTTPS:443 listener
//! of its own ALB. Each distribution's origin is `app-N.example.com` (https-only) with alias
//! `www-N.example.org`: the default behavior's custom origin request policy does not forward
//! Host (CloudFront verifies the origin name), `/host/*`'s does (it verifies the alias). The
//! binary then runs `check` live against moto_server (`describe-listener-certificates` and ACM
//! `DescribeCertificate` are moto's own).
//!
//! What moto cannot give is supplied the way a real account would: edgepath does not read
//! Route 53, so the origin names reach their ALBs through `--origin-map app-N.example.com=web-N`
//! (the CNAME option of `check`); moto has no CloudFront policy API, so `deny_proxy.py` answers
//! `list-origin-request-policies` with the recorded `stubs/acm-policies/` (the two custom
//! policies the behaviors name).

#![cfg(feature = "live")]

mod support;

use std::process::{Command, Output};

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;
use support::{Server, aws_env, build_account, run_builder, start_moto, start_proxy, support_dir};

fn edgepath(server: &Server, args: &[String]) -> Output {
    Command::cargo_bin("edgepath")
        .expect("binary")
        .args(args)
        .envs(aws_env(server))
        .env_remove("EDGEPATH_SNAPSHOT")
        .env_remove("EDGEPATH_NOW")
        .output()
        .expect("edgepath runs")
}

fn cases(moto: &Server) -> Value {
    run_builder(moto, "acm_cases.py", &[])
}

/// The `cloudfront->alb` hops of the distribution's paths through `behavior`.
fn tls_hops<'a>(report: &'a Value, distribution: &str, behavior: &str) -> Vec<&'a Value> {
    report["paths"]
        .as_array()
        .expect("paths")
        .iter()
        .filter(|p| p["distribution"] == distribution && p["behavior"] == behavior)
        .flat_map(|p| p["hops"].as_array().into_iter().flatten())
        .filter(|h| h["hop"] == "cloudfront->alb")
        .collect()
}

/// The `code`s of a hop's `problem` evidence.
fn problems(hop: &Value) -> Vec<&str> {
    hop["evidence"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["kind"] == "problem")
        .filter_map(|e| e["code"].as_str())
        .collect()
}

/// The rules of the findings naming `resource`.
fn finding_rules(report: &Value, resource: &str) -> Vec<String> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| {
            f["resources"]
                .as_array()
                .is_some_and(|r| r.iter().any(|x| x == resource))
        })
        .filter_map(|f| f["rule"].as_str().map(str::to_owned))
        .collect()
}

/// The rules about CloudFront's TLS handshake with the origin.
fn is_tls_rule(rule: &str) -> bool {
    rule.starts_with("listener-certificate")
        || rule == "https-origin-cert-mismatch"
        || rule == "origin-ssl-protocols-vs-listener-policy"
}

/// One case of `acm_cases.py`: the rule it fires (`None`: silent) and the `cloudfront->alb`
/// verdict of the default behavior (Host not forwarded) and of `/host/*` (Host forwarded).
struct Case {
    name: &'static str,
    rule: Option<&'static str>,
    without_host: &'static str,
    with_host: &'static str,
}

const CASES: [Case; 5] = [
    // Expired: whichever name CloudFront verifies.
    Case {
        name: "expired",
        rule: Some("listener-certificate-expired"),
        without_host: "blocked",
        with_host: "blocked",
    },
    // The certificate covers the viewer's host only: right when Host is forwarded.
    Case {
        name: "wrong-san-origin",
        rule: Some("listener-certificate-name-mismatch"),
        without_host: "blocked",
        with_host: "allowed",
    },
    // The certificate covers the origin name only: wrong when Host is forwarded.
    Case {
        name: "wrong-san-host",
        rule: Some("listener-certificate-name-mismatch"),
        without_host: "allowed",
        with_host: "blocked",
    },
    // Not issued: the ALB has nothing valid to present (the rule's own `blocked`).
    Case {
        name: "pending",
        rule: Some("listener-certificate-pending-validation"),
        without_host: "blocked",
        with_host: "blocked",
    },
    // The SNI wildcard covers both names; the wrong-name default one is not used.
    Case {
        name: "wildcard",
        rule: None,
        without_host: "allowed",
        with_host: "allowed",
    },
];

#[test]
fn certificate_cases_live_through_moto_acm() {
    let Some(moto) = start_moto() else { return };
    build_account(
        &moto,
        &[
            "--albs",
            "5",
            "--sgs",
            "0",
            "--tgs-per-alb",
            "1",
            "--instances-per-tg",
            "1",
        ],
    );
    // Waits (inside) until the expired one has expired.
    let cases = cases(&moto);

    let stub = support_dir().join("stubs/acm-policies/origin-request-policies.xml");
    let proxy = start_proxy(
        &moto,
        &[],
        &[("/2020-05-31/origin-request-policy", stub.as_path())],
    );
    let mut args: Vec<String> = ["-q", "check", "--format", "json"]
        .map(str::to_owned)
        .to_vec();
    for c in &CASES {
        let case = &cases[c.name];
        args.push("--origin-map".to_owned());
        args.push(format!(
            "{}={}",
            case["origin"].as_str().expect("origin"),
            case["alb"].as_str().expect("alb")
        ));
    }
    let out = edgepath(&proxy, &args);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });

    for c in &CASES {
        let case = &cases[c.name];
        let dist = case["distribution"].as_str().expect("distribution");
        let cert = case["certificate"].as_str().expect("certificate");
        for (behavior, verdict, name) in [
            ("*", c.without_host, &case["origin"]),
            ("/host/*", c.with_host, &case["alias"]),
        ] {
            let name = name.as_str().expect("name");
            let hops = tls_hops(&report, dist, behavior);
            assert!(
                !hops.is_empty(),
                "{}: no path of {dist} {behavior}\n{report:#}",
                c.name
            );
            for hop in hops {
                let what = format!("{} {behavior}: {hop:#}", c.name);
                assert_eq!(hop["verdict"], verdict, "{what}");
                let text = hop.to_string();
                // CloudFront verifies the origin name, or the alias when Host is forwarded.
                assert!(text.contains(name), "{what}");
                // The certificate that answers is the evidence, both ways.
                assert!(text.contains(cert), "{what}");
                let codes = problems(hop);
                if verdict == "blocked" {
                    let rule = c.rule.expect("a blocked case names its rule");
                    assert_eq!(codes, [rule], "{what}");
                } else {
                    assert!(codes.is_empty(), "{what}");
                    assert!(
                        text.contains(&format!("covers {name}")),
                        "the certificate covering the name is checked: {what}"
                    );
                }
            }
        }
        // One finding per failing path (behavior); the set of TLS rules is the case's.
        // (Keyed by the case's own ALB: every TLS rule names it, not all name the distribution.)
        let alb = case["alb"].as_str().expect("alb");
        let tls: std::collections::BTreeSet<String> = finding_rules(&report, alb)
            .into_iter()
            .filter(|r| is_tls_rule(r))
            .collect();
        match c.rule {
            Some(r) => {
                assert_eq!(
                    tls.iter().collect::<Vec<_>>(),
                    [r],
                    "{}: the distribution's TLS findings",
                    c.name
                );
                assert!(
                    finding_rules(&report, cert).iter().any(|x| x == r),
                    "{}: the finding names the certificate {cert}\n{report:#}",
                    c.name
                );
            }
            None => assert!(
                tls.is_empty(),
                "{}: a valid wildcard SNI certificate is silent: {tls:?}",
                c.name
            ),
        }
    }
}
