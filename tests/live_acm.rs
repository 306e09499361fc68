//! Listener certificates live through moto's ACM (issue 17, done-when): an expired certificate,
//! one for the wrong name, one `PENDING_VALIDATION`, and a valid wildcard SNI certificate
//! covering the origin name beside a wrong-name default one. `tests/support/acm_cases.py` makes
//! them (PEMs generated with `cryptography`, imported into moto's ACM; `request-certificate`
//! for the pending one), puts each on an HTTPS:443 listener of its own ALB and makes that ALB's
//! distribution origin https-only. The binary then runs `check` live against moto_server
//! (`describe-listener-certificates` and ACM `DescribeCertificate` are moto's own).

#![cfg(feature = "live")]

mod support;

use std::process::{Command, Output};
use std::time::Duration;

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;
use support::{Server, aws_env, build_account, start_bpa_proxy, start_moto, support_dir};

fn edgepath(server: &Server, args: &[&str]) -> Output {
    Command::cargo_bin("edgepath")
        .expect("binary")
        .args(args)
        .envs(aws_env(server))
        .env_remove("EDGEPATH_SNAPSHOT")
        .output()
        .expect("edgepath runs")
}

fn cases(moto: &Server) -> Value {
    let out = Command::new("python3")
        .arg(support_dir().join("acm_cases.py"))
        .args(["--endpoint", &moto.url])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "acm_cases.py: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("acm_cases.py prints JSON")
}

/// The `cloudfront->alb` hop of the distribution's path(s) to the HTTPS listener.
fn tls_hops<'a>(report: &'a Value, distribution: &str) -> Vec<&'a Value> {
    report["paths"]
        .as_array()
        .expect("paths")
        .iter()
        .filter(|p| p["distribution"] == distribution)
        .flat_map(|p| p["hops"].as_array().into_iter().flatten())
        .filter(|h| h["hop"] == "cloudfront->alb")
        .collect()
}

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

// Not finished (issue 17 item 3 of this branch): every case's `cloudfront->alb` hop comes out
// `unknown` with `origin-tls-name-mismatch`, because moto's distributions have the ALB's own
// `*.elb.amazonaws.com` name as origin domain (which no certificate can cover) and no
// cache/origin-request policy (so whether Host is forwarded is unknown). What is left: give
// each distribution a custom origin name (app-N.example.com, resolvable to the ALB the way
// edgepath maps origin names) and a recorded policy that forwards Host or not (the
// recorded-response pattern of live_policies.rs), then drop this `ignore`.
#[test]
#[ignore = "unfinished: moto's origins are *.elb names and Host forwarding is unknown (see above)"]
fn certificate_cases_live_through_moto_acm() {
    let Some(moto) = start_moto() else { return };
    build_account(
        &moto,
        &[
            "--albs",
            "4",
            "--sgs",
            "0",
            "--tgs-per-alb",
            "1",
            "--instances-per-tg",
            "1",
        ],
    );
    let cases = cases(&moto);
    // The "expired" certificate expires 20 s after its import (moto refuses an expired one).
    std::thread::sleep(Duration::from_secs(22));

    // moto has no VPC Block Public Access API: the proxy answers it (off).
    let proxy = start_bpa_proxy(&moto, "off", &[]);
    let out = edgepath(&proxy, &["-q", "check", "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });

    for (case, rule, verdict) in [
        ("expired", Some("listener-certificate-expired"), "blocked"),
        (
            "wrong-san",
            Some("listener-certificate-name-mismatch"),
            "blocked",
        ),
        (
            "pending",
            Some("listener-certificate-pending-validation"),
            "blocked",
        ),
        ("wildcard", None, "allowed"),
    ] {
        let c = &cases[case];
        let dist = c["distribution"].as_str().expect("distribution");
        let cert = c["certificate"].as_str().expect("certificate");
        let hops = tls_hops(&report, dist);
        assert!(!hops.is_empty(), "{case}: no path of {dist}\n{report:#}");
        for hop in &hops {
            assert_eq!(hop["verdict"], verdict, "{case}: {hop:#}");
            if verdict == "blocked" {
                assert!(
                    hop.to_string().contains(cert),
                    "{case}: the certificate is the evidence: {hop:#}"
                );
            }
        }
        let rules = finding_rules(&report, cert);
        match rule {
            Some(r) => assert!(
                rules.iter().any(|x| x == r),
                "{case}: {rules:?}\n{report:#}"
            ),
            None => assert!(
                !finding_rules(&report, dist)
                    .iter()
                    .any(|x| x.starts_with("listener-certificate")),
                "{case}: a valid wildcard SNI certificate is silent\n{report:#}"
            ),
        }
    }
}
