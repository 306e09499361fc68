//! `edgepath triage` on every example scenario: the top finding is the pattern the scenario's
//! README names (with the scenario's logs when it has some), and the healthy baselines have no
//! critical finding.

use std::path::Path;
use std::process::Command;

fn examples() -> Vec<(String, std::path::PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.path().join("README.md").exists())
                .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// The rule id a scenario README names as its (top) finding, if any.
fn expected(readme: &str) -> Option<String> {
    let readme = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    let at = readme
        .find("Top finding: `")
        .map(|i| i + "Top finding: `".len())
        .or_else(|| readme.find("finding `").map(|i| i + "finding `".len()))?;
    readme[at..].split('`').next().map(str::to_owned)
}

fn triage(dir: &Path) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_edgepath"))
        .args(["-q", "--format", "json", "triage", "--snapshot"])
        .arg(dir)
        .args(if dir.join("logs").is_dir() {
            vec!["--logs".to_owned(), dir.join("logs").display().to_string()]
        } else {
            Vec::new()
        })
        .output()
        .expect("run edgepath");
    // 3: nothing found, but some hop could not be checked (the JSON's `incomplete`).
    assert!(
        matches!(out.status.code(), Some(0 | 1 | 3)),
        "triage failed on {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json output")
}

#[test]
fn top_triage_finding_is_the_pattern_each_scenario_names() {
    let mut checked = 0;
    for (name, dir) in examples() {
        let readme = std::fs::read_to_string(dir.join("README.md")).expect("README");
        let Some(rule) = expected(&readme) else {
            continue;
        };
        let report = triage(&dir);
        let top = report["findings"][0]["rule"]
            .as_str()
            .unwrap_or("")
            .to_owned();
        assert_eq!(
            top, rule,
            "{name}: README names `{rule}`, triage's top finding is `{top}`:\n{report:#}"
        );
        checked += 1;
    }
    assert!(checked >= 18, "only {checked} scenarios checked");
}

#[test]
fn healthy_baselines_have_no_critical_finding() {
    for name in ["healthy", "vpc-origin-healthy"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(name);
        let report = triage(&dir);
        let critical: Vec<&serde_json::Value> = report["findings"]
            .as_array()
            .map(|a| a.iter().filter(|f| f["severity"] == "critical").collect())
            .unwrap_or_default();
        assert!(critical.is_empty(), "{name}: {critical:#?}");
    }
}

#[test]
fn a_hop_missing_a_security_group_is_not_run_instead_of_firing() {
    // `healthy`, with the ALB's security group left out of describe-security-groups: the
    // cloudfront->alb hop cannot be decided, so no rule may call it blocked.
    let healthy = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/healthy");
    let dir = tempfile::tempdir().expect("tmp");
    for entry in std::fs::read_dir(&healthy).expect("healthy") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
    }
    let sg_file = dir.path().join("ec2-describe-security-groups.json");
    let mut sgs: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sg_file).expect("read")).expect("json");
    sgs["SecurityGroups"]
        .as_array_mut()
        .expect("groups")
        .retain(|g| g["GroupId"] != "sg-0cf000000000000a1");
    std::fs::write(&sg_file, sgs.to_string()).expect("write");

    let report = triage(dir.path());
    assert_eq!(report["incomplete"], true, "{report:#}");
    assert!(
        report["unknown_hops"]
            .to_string()
            .contains("cloudfront->alb"),
        "{report:#}"
    );
    let fired: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(
        !fired.contains(&"alb-sg-missing-cloudfront-prefix-list"),
        "fired on a hop whose security group is missing: {report:#}"
    );
    let not_run: Vec<&serde_json::Value> = report["not_run"]
        .as_array()
        .expect("not_run")
        .iter()
        .filter(|n| n["rule"] == "alb-sg-missing-cloudfront-prefix-list")
        .collect();
    assert!(!not_run.is_empty(), "{report:#}");
    assert!(
        not_run[0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("sg-0cf000000000000a1")),
        "{not_run:#?}"
    );
}

/// CloudFront standard log lines for `examples/ghost-sg-reference`'s distribution (host
/// `d111111abcdef8.cloudfront.net`), the mix of issue 14 item 6: 1,098 ALB 504s at ≈10 s (the
/// ghost SG reference explains them), 570 DNS failures (502 OriginDnsError) and 2,517 502s at
/// ≈1.5 s that no rule explains (4,185 5xx), plus 1,000 200s. Deterministic.
fn ranking_mix_logs(dir: &Path) {
    const FIELDS: &str = "date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end";
    let mut out = format!("#Version: 1.0\n#Fields: {FIELDS}\n");
    let mut n = 0u32;
    let mut line = |status: u16, result: &str, detailed: &str, taken: f64| {
        n += 1;
        let (min, sec) = (30 + (n / 60) % 30, n % 60);
        let uri = ["/api/orders", "/api/cart", "/api/users/42", "/"][n as usize % 4];
        out.push_str(&format!(
            "2026-11-20\t05:{min:02}:{sec:02}\tFRA56-P5\t915\t198.51.100.{}\tGET\td111111abcdef8.cloudfront.net\t{uri}\t{status}\t-\tMozilla/5.0\t-\t-\t{result}\treq{n:08}\twww.example.com\thttps\t300\t{taken:.3}\t-\tTLSv1.3\tTLS_AES_128_GCM_SHA256\t{result}\tHTTP/2.0\t-\t-\t443\t{taken:.3}\t{detailed}\ttext/html\t915\t-\t-\n",
            n % 250
        ));
    };
    for i in 0..1_000 {
        line(200, "Miss", "Miss", 0.1 + f64::from(i % 10) / 100.0);
    }
    for i in 0..1_098 {
        line(504, "Error", "Error", 10.0 + f64::from(i % 20) / 1000.0);
    }
    for _ in 0..570 {
        line(502, "Error", "OriginDnsError", 0.05);
    }
    for i in 0..2_517 {
        line(502, "Error", "Error", 1.5 + f64::from(i % 10) / 100.0);
    }
    std::fs::create_dir_all(dir).expect("log dir");
    std::fs::write(dir.join("E2QWRUHAPOMQZL.2026-11-20-05.mix"), out).expect("write logs");
}

/// Issue 14 item 6: among critical findings, the ghost SG reference, whose agreeing log buckets
/// hold 1,098 of the 4,185 5xx, ranks before `origin-dns-failure` (570), although DNS comes
/// first in hop order; each diagnosis carries its share and the unexplained remainder is listed.
#[test]
fn the_finding_that_explains_more_5xx_ranks_first_within_its_severity() {
    let logs = tempfile::tempdir().expect("tmp");
    ranking_mix_logs(logs.path());
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ghost-sg-reference");
    let out = Command::new(env!("CARGO_BIN_EXE_edgepath"))
        .args(["-q", "--format", "json", "triage", "--snapshot"])
        .arg(&dir)
        .arg("--logs")
        .arg(logs.path())
        .output()
        .expect("run edgepath");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json output");
    let findings = report["findings"].as_array().expect("findings");
    let at = |rule: &str| {
        findings
            .iter()
            .position(|f| f["rule"] == rule)
            .unwrap_or_else(|| panic!("no {rule} in {report:#}"))
    };
    let ghost = at("target-sg-ghost-reference");
    let dns = at("origin-dns-failure");
    assert_eq!(ghost, 0, "{report:#}");
    assert!(ghost < dns);
    assert_eq!(
        findings[ghost]["explains"],
        serde_json::json!({"count": 1098, "of": 4185, "percent": 26.2})
    );
    assert_eq!(
        findings[dns]["explains"],
        serde_json::json!({"count": 570, "of": 4185, "percent": 13.6})
    );
    // Within one severity, a larger share never ranks below a smaller one.
    for pair in findings.windows(2) {
        if pair[0]["severity"] == pair[1]["severity"] {
            let count = |f: &serde_json::Value| f["explains"]["count"].as_i64().unwrap_or(0);
            assert!(count(&pair[0]) >= count(&pair[1]), "{:#}", pair[1]);
        }
    }
    assert_eq!(
        report["unexplained_5xx"],
        serde_json::json!({"count": 2517, "of": 4185, "percent": 60.1})
    );
    assert!(
        !report["unexplained_logs"]
            .as_array()
            .expect("unexplained")
            .is_empty()
    );
    let text = Command::new(env!("CARGO_BIN_EXE_edgepath"))
        .args(["-q", "triage", "--snapshot"])
        .arg(&dir)
        .arg("--logs")
        .arg(logs.path())
        .output()
        .expect("run edgepath");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("explains 1,098 of 4,185 5xx (26 %)"),
        "{text}"
    );
    assert!(
        text.contains("no finding explains: 2,517 of 4,185 5xx (60 %)"),
        "{text}"
    );
}
