//! TLS from CloudFront to the ALB through the binary: the certificate scenarios under
//! `examples/` (expired, wrong name, pending validation, protocol mismatch, the SNI wildcard near
//! miss), the name CloudFront verifies with and without a forwarded Host, missing certificate
//! data, and the clock (`EDGEPATH_NOW`) for expiry.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const LISTENER: &str = "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/web-alb/50dc6c495c0c9188/9a443c0ffee00443";
const CERT_DEFAULT: &str =
    "arn:aws:acm:us-east-1:111122223333:certificate/5f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
const CERT_SNI: &str =
    "arn:aws:acm:us-east-1:111122223333:certificate/0c9d8e7f-6a5b-4c3d-9e2f-1a0b9c8d7e6f";

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

/// Runs edgepath with JSON output; returns (exit code, JSON).
fn run(args: &[&str], dir: &Path, now: Option<&str>) -> (i32, Value) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_edgepath"));
    cmd.args(["-q", "--format", "json"]);
    cmd.args(&args[..1])
        .arg("--snapshot")
        .arg(dir)
        .args(&args[1..]);
    match now {
        Some(n) => cmd.env("EDGEPATH_NOW", n),
        None => cmd.env_remove("EDGEPATH_NOW"),
    };
    let out = cmd.output().expect("run edgepath");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?} on {}: {e}\n{}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), json)
}

/// The `cloudfront->alb` hops of the paths to port 443.
fn https_hops(report: &Value) -> Vec<Value> {
    let hops: Vec<Value> = report["paths"]
        .as_array()
        .expect("paths")
        .iter()
        .filter(|p| p["port"] == 443)
        .filter_map(|p| {
            p["hops"]
                .as_array()
                .and_then(|h| h.iter().find(|h| h["hop"] == "cloudfront->alb"))
                .cloned()
        })
        .collect();
    assert!(!hops.is_empty(), "no HTTPS path: {report:#}");
    hops
}

fn problem<'a>(hop: &'a Value, code: &str) -> Option<&'a str> {
    hop["evidence"]
        .as_array()?
        .iter()
        .find(|e| e["kind"] == "problem" && e["code"] == code)
        .and_then(|e| e["detail"].as_str())
}

fn top_finding(report: &Value) -> String {
    report["findings"][0]["rule"]
        .as_str()
        .unwrap_or("")
        .to_owned()
}

fn rules(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|x| x["rule"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn each_broken_certificate_blocks_the_hop_with_the_certificate_as_evidence() {
    for (scenario, code, cert) in [
        (
            "listener-certificate-expired",
            "listener-certificate-expired",
            CERT_DEFAULT,
        ),
        (
            "listener-certificate-name-mismatch",
            "listener-certificate-name-mismatch",
            CERT_DEFAULT,
        ),
        (
            "listener-certificate-pending-validation",
            "listener-certificate-pending-validation",
            CERT_SNI,
        ),
        (
            "origin-ssl-protocols-vs-listener-policy",
            "origin-ssl-protocols-vs-listener-policy",
            "TLSv1.1",
        ),
    ] {
        let dir = example(scenario);
        let (exit, check) = run(&["check"], &dir, None);
        assert_eq!(exit, 1, "{scenario}: check exit");
        for hop in https_hops(&check) {
            assert_eq!(hop["verdict"], "blocked", "{scenario}: {hop:#}");
            let detail =
                problem(&hop, code).unwrap_or_else(|| panic!("{scenario}: no {code}: {hop:#}"));
            assert!(detail.contains(cert), "{scenario}: {detail}");
        }
        let (exit, triage) = run(&["triage"], &dir, None);
        assert_eq!(exit, 1, "{scenario}: triage exit");
        assert_eq!(top_finding(&triage), code, "{scenario}: {triage:#}");
        let fix = triage["findings"][0]["fix"].as_str().unwrap_or("");
        assert!(
            fix.contains(LISTENER) || fix.contains("E2QWRUHAPOMQZL"),
            "{scenario}: the fix names the real listener or distribution: {fix}"
        );
    }
}

#[test]
fn a_valid_wildcard_sni_certificate_keeps_the_hop_allowed() {
    let dir = example("listener-certificate-sni-wildcard");
    let (exit, check) = run(&["check"], &dir, None);
    assert_eq!(exit, 0, "{check:#}");
    for hop in https_hops(&check) {
        assert_eq!(hop["verdict"], "allowed", "{hop:#}");
        let says_sni = hop["evidence"].as_array().is_some_and(|ev| {
            ev.iter().any(|e| {
                e["what"]
                    .as_str()
                    .is_some_and(|w| w.contains("SNI certificate") && w.contains(CERT_SNI))
            })
        });
        assert!(
            says_sni,
            "the SNI certificate answers, not the default: {hop:#}"
        );
    }
    let (exit, triage) = run(&["triage"], &dir, None);
    assert_eq!(exit, 0, "{triage:#}");
    assert!(
        !rules(&triage)
            .iter()
            .any(|r| r.contains("certificate") || r.contains("ssl")),
        "{triage:#}"
    );
}

/// A copy of an example with its distribution file edited by `edit`.
fn edited(name: &str, edit: impl FnOnce(&mut Value)) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    for e in std::fs::read_dir(example(name)).expect("example") {
        let e = e.expect("entry");
        if e.path().extension().is_some_and(|x| x == "json") {
            std::fs::copy(e.path(), tmp.path().join(e.file_name())).expect("copy");
        }
    }
    let path = tmp.path().join("cloudfront-get-distribution.json");
    let mut dist: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    edit(&mut dist);
    std::fs::write(&path, dist.to_string()).expect("write");
    tmp
}

/// Host not forwarded (no origin request policy), the origin a CNAME `domain` of the ALB.
fn cname_origin(domain: &'static str) -> impl FnOnce(&mut Value) {
    move |d: &mut Value| {
        let cfg = &mut d["Distribution"]["DistributionConfig"];
        for o in cfg["Origins"]["Items"].as_array_mut().expect("origins") {
            if o["Id"] == "web-alb-origin" {
                o["DomainName"] = Value::from(domain);
            }
        }
        if let Some(m) = cfg["DefaultCacheBehavior"].as_object_mut() {
            m.remove("OriginRequestPolicyId");
        }
        for b in cfg["CacheBehaviors"]["Items"]
            .as_array_mut()
            .expect("behaviors")
        {
            if let Some(m) = b.as_object_mut() {
                m.remove("OriginRequestPolicyId");
            }
        }
    }
}

#[test]
fn without_a_forwarded_host_the_origin_domain_is_the_name_checked() {
    // *.example.com covers origin.example.com: allowed.
    let ok = edited(
        "listener-certificate-sni-wildcard",
        cname_origin("origin.example.com"),
    );
    let (exit, check) = run(
        &["check", "--origin-map", "origin.example.com=web-alb"],
        ok.path(),
        None,
    );
    assert_eq!(exit, 0, "{check:#}");
    for hop in https_hops(&check) {
        assert_eq!(hop["verdict"], "allowed", "{hop:#}");
    }
    // A wildcard covers one label only: a.b.example.com is not covered (RFC 6125).
    for domain in ["a.b.example.com", "origin.example.net"] {
        let bad = edited("listener-certificate-sni-wildcard", cname_origin(domain));
        let map = format!("{domain}=web-alb");
        let (exit, check) = run(&["check", "--origin-map", &map], bad.path(), None);
        assert_eq!(exit, 1, "{domain}: {check:#}");
        for hop in https_hops(&check) {
            assert_eq!(hop["verdict"], "blocked", "{domain}: {hop:#}");
            let detail = problem(&hop, "listener-certificate-name-mismatch").expect("mismatch");
            assert!(
                detail.contains(domain) && detail.contains(CERT_DEFAULT),
                "{detail}"
            );
        }
    }
    // The same certificate that fails www.example.com with Host forwarded passes the origin
    // domain when Host is not forwarded.
    let api = edited(
        "listener-certificate-name-mismatch",
        cname_origin("api.example.com"),
    );
    let (exit, check) = run(
        &["check", "--origin-map", "api.example.com=web-alb"],
        api.path(),
        None,
    );
    assert_eq!(exit, 0, "{check:#}");
}

#[test]
fn missing_certificate_data_is_unknown_naming_the_call() {
    let tmp = edited("listener-certificate-sni-wildcard", |_| {});
    std::fs::remove_file(tmp.path().join("acm-describe-certificate-1.json")).expect("rm");
    let (_, check) = run(&["check"], tmp.path(), None);
    for hop in https_hops(&check) {
        assert_eq!(hop["verdict"], "unknown", "{hop:#}");
        assert!(hop.to_string().contains(&format!(
            "aws acm describe-certificate --certificate-arn {CERT_SNI}"
        )));
    }
    std::fs::remove_file(
        tmp.path()
            .join("elbv2-describe-listener-certificates-web-alb-443.json"),
    )
    .expect("rm");
    let (_, check) = run(&["check"], tmp.path(), None);
    for hop in https_hops(&check) {
        assert_eq!(hop["verdict"], "unknown", "{hop:#}");
        assert!(hop.to_string().contains(&format!(
            "aws elbv2 describe-listener-certificates --listener-arn {LISTENER}"
        )));
    }
}

#[test]
fn expiry_follows_the_clock() {
    let dir = example("listener-certificate-sni-wildcard");
    // Nine days before NotAfter (2035-06-30T23:59:59Z): allowed, with a warning.
    let (exit, triage) = run(&["triage"], &dir, Some("2035-06-21T12:00:00Z"));
    assert_eq!(exit, 0, "{triage:#}");
    assert_eq!(
        top_finding(&triage),
        "listener-certificate-expiring-soon",
        "{triage:#}"
    );
    // Two days after: blocked as expired.
    let (exit, triage) = run(&["triage"], &dir, Some("2035-07-02T00:00:00Z"));
    assert_eq!(exit, 1, "{triage:#}");
    assert_eq!(
        top_finding(&triage),
        "listener-certificate-expired",
        "{triage:#}"
    );
    // A month before: silent.
    let (_, triage) = run(&["triage"], &dir, Some("2035-05-30T00:00:00Z"));
    assert!(
        !rules(&triage).iter().any(|r| r.contains("certificate")),
        "{triage:#}"
    );
}
