//! Generated rule pages (`rules::docs`): one page per rule with every section of the rule file.

use edgepath::rules::docs::write_rule_pages;
use edgepath::rules::load_rules;

#[test]
fn every_rule_gets_a_page_with_its_sections_fix_and_references() {
    let set = load_rules(&[]).expect("built-in rules load");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("rules");
    let written = write_rule_pages(&set, &out).expect("pages written");
    assert_eq!(
        written.len(),
        set.len() + 1,
        "one page per rule plus the index"
    );
    for rule in &set.rules {
        let page = std::fs::read_to_string(out.join(format!("{}.md", rule.id))).expect("page");
        assert!(page.starts_with(&format!("# {} (`{}`)", rule.title, rule.id)));
        for needle in [
            "| severity |",
            "| hop |",
            "## What it detects",
            "## Fix",
            "## References",
        ] {
            assert!(page.contains(needle), "{}: no {needle}", rule.id);
        }
        assert!(page.contains(rule.fix_source.trim()), "{}", rule.id);
        assert!(page.contains(&rule.references[0]), "{}", rule.id);
    }
    let page =
        std::fs::read_to_string(out.join("origin-response-timeout-too-short.md")).expect("page");
    assert!(
        page.contains("| agrees with (logs) | `cloudfront-read-timeout` |"),
        "{page}"
    );
    let page = std::fs::read_to_string(out.join("no-registered-targets.md")).expect("page");
    assert!(page.contains("| requires | `health_known` |"), "{page}");
    let index = std::fs::read_to_string(out.join("index.md")).expect("index");
    assert!(index.contains("[`target-sg-ghost-reference`](target-sg-ghost-reference.md)"));
}

#[test]
fn rules_docs_writes_the_pages_through_the_cli() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("pages");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_edgepath"))
        .args(["rules", "docs", "--out"])
        .arg(&out)
        .status()
        .expect("run edgepath");
    assert!(status.success());
    let set = load_rules(&[]).expect("built-in rules load");
    for rule in &set.rules {
        assert!(out.join(format!("{}.md", rule.id)).is_file(), "{}", rule.id);
    }
    assert!(out.join("index.md").is_file());
}

/// `docs/rules/` is generated (`edgepath rules docs --out docs/rules`) and committed, so the
/// rule pages can be read on the forge; this fails when a rule file changed without them.
#[test]
fn committed_rule_pages_are_up_to_date() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("tempdir");
    let set = load_rules(&[]).expect("built-in rules load");
    let written = write_rule_pages(&set, dir.path()).expect("pages written");
    for path in written {
        let name = path.file_name().expect("file name");
        let fresh = std::fs::read_to_string(&path).expect("fresh page");
        let committed =
            std::fs::read_to_string(root.join("docs/rules").join(name)).unwrap_or_default();
        assert_eq!(
            committed,
            fresh,
            "docs/rules/{} is stale: run `edgepath rules docs --out docs/rules`",
            name.to_string_lossy()
        );
    }
}
