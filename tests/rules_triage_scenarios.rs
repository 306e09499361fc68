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
