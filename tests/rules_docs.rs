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
