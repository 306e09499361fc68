//! Generated rule pages: one markdown file per rule, written from the rule files themselves
//! (as ruff generates its rule pages from the rules' doc comments), so the documentation cannot
//! drift from what runs. The lead's `edgepath rules docs --out DIR` calls [`write_rule_pages`].
//!
//! A page: the title, a table of id, severity, hop, fact kind, `requires` and `agrees_with`,
//! then the `explain` sections in order, the fix template as written and the references.
//! `index.md` lists every rule by severity and hop.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use super::finding::hop_rank;
use super::{Rule, RuleSet};

/// Writes `DIR/<id>.md` for every rule of `rules` and `DIR/index.md`, creating `dir`.
/// Returns the paths written, index last.
///
/// # Errors
/// Creating the directory or writing a file failed.
pub fn write_rule_pages(rules: &RuleSet, dir: &Path) -> io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for rule in &rules.rules {
        let path = dir.join(format!("{}.md", rule.id));
        std::fs::write(&path, rule_page(rule))?;
        written.push(path);
    }
    let index = dir.join("index.md");
    std::fs::write(&index, index_page(rules))?;
    written.push(index);
    Ok(written)
}

/// The markdown page of one rule.
#[must_use]
pub fn rule_page(rule: &Rule) -> String {
    let code = |items: &[String]| {
        if items.is_empty() {
            "—".to_owned()
        } else {
            items
                .iter()
                .map(|i| format!("`{i}`"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let mut page = format!("# {} (`{}`)\n\n", rule.title, rule.id);
    page.push_str("| | |\n|---|---|\n");
    let _ = writeln!(page, "| id | `{}` |", rule.id);
    let _ = writeln!(
        page,
        "| severity | {}{} |",
        rule.severity.as_str(),
        if rule.symptom {
            " (a symptom: ranks after causes)"
        } else {
            ""
        }
    );
    let _ = writeln!(page, "| hop | `{}` |", rule.hop);
    let _ = writeln!(page, "| fact | `{}` |", rule.kind);
    let _ = writeln!(page, "| requires | {} |", code(&rule.requires));
    let _ = writeln!(page, "| agrees with (logs) | {} |", code(&rule.agrees_with));
    for section in &rule.explain_sections {
        let _ = write!(
            page,
            "\n## {}\n\n{}\n",
            section.heading,
            sentence_case(&section.body)
        );
    }
    let _ = write!(
        page,
        "\n## Fix command\n\n```\n{}\n```\n",
        rule.fix_source.trim()
    );
    page.push_str("\n## References\n\n");
    for r in &rule.references {
        let _ = writeln!(page, "- <{r}>");
    }
    let _ = write!(
        page,
        "\n---\nGenerated from `{}`; edit the rule file, not this page.\n",
        rule.file
    );
    page
}

/// `the ALB…` → `The ALB…`: an explain section continues its heading, a page section stands
/// alone.
fn sentence_case(body: &str) -> String {
    let mut chars = body.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn index_page(rules: &RuleSet) -> String {
    let mut sorted: Vec<&Rule> = rules.rules.iter().collect();
    sorted.sort_by(|a, b| {
        (a.severity, hop_rank(&a.hop), &a.id).cmp(&(b.severity, hop_rank(&b.hop), &b.id))
    });
    let mut page =
        String::from("# Rules\n\n| rule | severity | hop | title |\n|---|---|---|---|\n");
    for r in sorted {
        let _ = writeln!(
            page,
            "| [`{id}`]({id}.md) | {} | `{}` | {} |",
            r.severity.as_str(),
            r.hop,
            r.title,
            id = r.id
        );
    }
    page
}
