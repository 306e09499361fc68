//! Malformed custom rules: each gets an error naming the file, and `--rules` exits 2.

use std::path::Path;
use std::process::Command;

use edgepath::rules::{RuleError, load_rules};

const GOOD: &str = r#"
id = "NAME"
title = "t"
severity = "warning"
hop = "alb->target"
fact = "hop"
when = 'fact.hop == "alb->target" && fact.verdict == "blocked"'
message = "{{alb}} blocked"
fix = "aws ec2 describe-security-groups --group-ids {{alb_sg}}"
references = ["https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html"]
explain = """
What it detects: x.
Why it gives 504s: y.
Fix: z.
"""

[[test]]
expect = "fires"
[[test.facts]]
kind = "hop"
hop = "alb->target"
verdict = "blocked"

[[test]]
expect = "silent"
[[test.facts]]
kind = "hop"
hop = "alb->target"
verdict = "allowed"
"#;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(format!("{name}.toml")), text.replace("NAME", name)).expect("write");
}

fn load_err(name: &str, text: &str) -> (RuleError, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), name, text);
    let Err(err) = load_rules(&[dir.path().to_path_buf()]) else {
        panic!("{name} must not load");
    };
    let shown = format!("{err}");
    (err, shown)
}

fn exit_code_with(name: &str, text: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), name, text);
    let out = Command::new(env!("CARGO_BIN_EXE_edgepath"))
        .args(["--no-color", "--rules"])
        .arg(dir.path())
        .args(["rules", "list"])
        .output()
        .expect("run edgepath");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_good_custom_rule_loads_and_passes_its_tests() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "team-rule", GOOD);
    let set = load_rules(&[dir.path().to_path_buf()]).expect("loads");
    assert!(set.get("team-rule").is_some());
    let out = Command::new(env!("CARGO_BIN_EXE_edgepath"))
        .args(["rules", "test"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn bad_toml_names_the_file_line_and_column() {
    let (err, shown) = load_err("bad-toml", "id = \"bad-toml\"\ntitle = \"x\n");
    assert!(matches!(err, RuleError::Toml { .. }), "{err:?}");
    assert!(shown.contains("bad-toml.toml"), "{shown}");
    let (code, stderr) = exit_code_with("bad-toml", "id = \"bad-toml\"\ntitle = \"x\n");
    assert_eq!(code, Some(2));
    assert!(stderr.contains("bad-toml.toml"), "{stderr}");
    assert!(stderr.contains(":2:"), "line number missing: {stderr}");
}

#[test]
fn unknown_fact_field_names_the_file_and_field() {
    let text = GOOD.replace("fact.verdict ==", "fact.verdic ==");
    let (err, shown) = load_err("typo", &text);
    match &err {
        RuleError::UnknownField { field, kind, .. } => {
            assert_eq!(field, "verdic");
            assert_eq!(kind, "hop");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        shown.contains("typo.toml") && shown.contains("verdic"),
        "{shown}"
    );
    let (code, stderr) = exit_code_with("typo", &text);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("typo.toml") && stderr.contains("not in the fact schema"),
        "{stderr}"
    );
}

#[test]
fn unknown_near_miss_field_inside_a_macro_is_caught() {
    let text = GOOD.replace(
        "fact.verdict == \"blocked\"",
        "fact.near_misses.exists(m, m.source_sgg == \"x\")",
    );
    let (err, _) = load_err("nm", &text);
    assert!(
        matches!(err, RuleError::UnknownField { ref field, .. } if field == "source_sgg"),
        "{err:?}"
    );
}

#[test]
fn bad_cel_names_the_file() {
    let text = GOOD.replace("fact.verdict == \"blocked\"", "fact.verdict == ");
    let (err, shown) = load_err("bad-cel", &text);
    assert!(matches!(err, RuleError::Cel { .. }), "{err:?}");
    assert!(shown.contains("bad-cel.toml"), "{shown}");
    assert_eq!(exit_code_with("bad-cel", &text).0, Some(2));
}

#[test]
fn cel_type_errors_are_caught_at_load() {
    let text = GOOD.replace("fact.verdict == \"blocked\"", "fact.port + \"x\" == 1");
    let (err, _) = load_err("bad-type", &text);
    assert!(matches!(err, RuleError::Cel { .. }), "{err:?}");
    let text = GOOD.replace("fact.verdict == \"blocked\"", "fact.port == \"80\"");
    let (err, shown) = load_err("int-vs-string", &text);
    assert!(shown.contains("int and string"), "{err:?}");
    let text = GOOD.replace(
        "when = 'fact.hop == \"alb->target\" && fact.verdict == \"blocked\"'",
        "when = 'fact.port'",
    );
    let (err, _) = load_err("not-bool", &text);
    assert!(matches!(err, RuleError::Cel { .. }), "{err:?}");
}

#[test]
fn unknown_template_field_names_the_file_and_placeholder() {
    let text = GOOD.replace("{{alb_sg}}", "{{alb_security_group}}");
    let (err, shown) = load_err("bad-template", &text);
    assert!(
        matches!(err, RuleError::UnknownTemplateField { ref placeholder, ref template, .. }
            if placeholder == "alb_security_group" && template == "fix"),
        "{err:?}"
    );
    assert!(shown.contains("bad-template.toml"), "{shown}");
    assert_eq!(exit_code_with("bad-template", &text).0, Some(2));
}

#[test]
fn duplicate_ids_name_both_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Same id as a built-in rule.
    write(dir.path(), "target-sg-ghost-reference", GOOD);
    let Err(err) = load_rules(&[dir.path().to_path_buf()]) else {
        panic!("duplicate must not load");
    };
    let shown = err.to_string();
    assert!(matches!(err, RuleError::DuplicateId { .. }));
    assert!(
        shown.contains("rules/target-sg-ghost-reference.toml"),
        "{shown}"
    );
    assert!(shown.contains(&dir.path().display().to_string()), "{shown}");
    assert_eq!(exit_code_with("target-sg-ghost-reference", GOOD).0, Some(2));
}

#[test]
fn id_must_equal_the_file_stem() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("one.toml"), GOOD.replace("NAME", "two")).expect("write");
    let Err(err) = load_rules(&[dir.path().to_path_buf()]) else {
        panic!("mismatch must not load");
    };
    assert!(err.to_string().contains("one.toml"), "{err}");
}

#[test]
fn a_failing_custom_rule_test_exits_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "wrong",
        // The `silent` case describes a blocked hop, on which the rule fires.
        &GOOD.replace("verdict = \"allowed\"", "verdict = \"blocked\""),
    );
    let out = Command::new(env!("CARGO_BIN_EXE_edgepath"))
        .args(["rules", "test"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("FAIL"));
}

#[test]
fn a_rule_without_tests_is_rejected_naming_the_file() {
    let no_tests = GOOD.split("[[test]]").next().expect("head").to_owned();
    let (err, shown) = load_err("untested", &no_tests);
    assert!(matches!(err, RuleError::MissingTests { .. }), "{err:?}");
    assert!(shown.contains("untested.toml"), "{shown}");
    assert!(
        shown.contains("fires") && shown.contains("silent"),
        "{shown}"
    );
    let (code, stderr) = exit_code_with("untested", &no_tests);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("untested.toml"), "{stderr}");
    assert!(stderr.contains(":2:"), "points at the id line: {stderr}");
    assert!(stderr.contains("rules/README.md"), "{stderr}");
}

#[test]
fn a_rule_with_only_a_firing_test_is_rejected_for_lacking_a_silent_one() {
    let only_fires = GOOD
        .split("[[test]]")
        .take(2)
        .collect::<Vec<_>>()
        .join("[[test]]");
    let (err, shown) = load_err("half-tested", &only_fires);
    match &err {
        RuleError::MissingTests { lacking, .. } => {
            assert!(
                lacking.contains("silent") && !lacking.contains("fires"),
                "{lacking}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(shown.contains("half-tested.toml"), "{shown}");
    // `rules test DIR` refuses it too, instead of passing 1/1.
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "half-tested", &only_fires);
    let out = Command::new(env!("CARGO_BIN_EXE_edgepath"))
        .args(["rules", "test"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}

/// The error of `text` (a copy of GOOD with one change) and the line `--rules` reports it on.
fn invalid_at(name: &str, text: &str) -> (String, String, String) {
    let (err, shown) = load_err(name, text);
    let RuleError::Invalid { field, .. } = &err else {
        panic!("{err:?}");
    };
    let (code, stderr) = exit_code_with(name, text);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(shown.contains(&format!("{name}.toml")), "{shown}");
    (field.clone(), shown, stderr)
}

#[test]
fn an_unknown_log_signature_in_agrees_with_names_the_line() {
    let text = GOOD.replace(
        "explain =",
        "agrees_with = [\"alb-target-conect-timeout\"]\nexplain =",
    );
    let (field, shown, stderr) = invalid_at("agrees", &text);
    assert_eq!(field, "agrees_with");
    assert!(shown.contains("alb-target-connect-timeout"), "{shown}");
    assert!(stderr.contains("agrees.toml:11:"), "{stderr}");
}

#[test]
fn requires_names_a_field_that_may_be_missing() {
    let text = GOOD.replace("fact = \"hop\"", "fact = \"hop\"\nrequires = [\"verdict\"]");
    let (field, shown, stderr) = invalid_at("requires-known", &text);
    assert_eq!(field, "requires");
    assert!(shown.contains("always known"), "{shown}");
    assert!(stderr.contains("requires-known.toml:7:"), "{stderr}");
    let text = GOOD.replace("fact = \"hop\"", "fact = \"hop\"\nrequires = [\"helth\"]");
    let (_, shown, _) = invalid_at("requires-typo", &text);
    assert!(shown.contains("not a field of `hop` facts"), "{shown}");
}

#[test]
fn a_rule_reading_target_health_must_require_it() {
    let rule = r#"
id = "NAME"
title = "t"
severity = "warning"
hop = "alb->target"
fact = "target_group"
when = 'fact.healthy == 0'
message = "{{target_group}}"
fix = "aws elbv2 describe-target-health --target-group-arn {{target_group_arn}}"
references = ["https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html"]
explain = """
What it detects: x.
Why it gives 504s: y.
Fix: z.
"""
[[test]]
expect = "fires"
[[test.facts]]
kind = "target_group"
health_known = true
[[test]]
expect = "silent"
[[test.facts]]
kind = "target_group"
health_known = true
healthy = 1
"#;
    let (field, shown, _) = invalid_at("health", rule);
    assert_eq!(field, "when");
    assert!(shown.contains("requires = [\"health_known\"]"), "{shown}");
    let fixed = rule.replace(
        "fact = \"target_group\"",
        "fact = \"target_group\"\nrequires = [\"health_known\"]",
    );
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "health", &fixed);
    let set = load_rules(&[dir.path().to_path_buf()]).expect("loads with requires");
    let facts =
        [serde_json::json!({"kind": "target_group", "target_group": "tg", "health_known": false})];
    let e = set.evaluate_json(&facts);
    assert!(!e.findings.iter().any(|f| f.rule == "health"), "{e:#?}");
    assert!(
        e.not_run
            .iter()
            .any(|n| n.rule == "health" && n.reason.contains("describe-target-health")),
        "{e:#?}"
    );
}

#[test]
fn an_explain_without_its_sections_names_the_line() {
    let text = GOOD.replace("Why it gives 504s: y.\n", "");
    let (field, shown, stderr) = invalid_at("explain", &text);
    assert_eq!(field, "explain");
    assert!(shown.contains("Why"), "{shown}");
    assert!(stderr.contains("explain.toml:11:"), "{stderr}");
}

#[test]
fn a_rule_without_references_is_an_error() {
    let text = GOOD
        .lines()
        .filter(|l| !l.starts_with("references"))
        .collect::<Vec<_>>()
        .join("\n");
    let (field, _, _) = invalid_at("no-refs", &text);
    assert_eq!(field, "references");
}
