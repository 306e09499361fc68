//! `edgepath rules list | show ID | test [DIR] | facts | docs --out DIR`.
//!
//! `list` and `show` read the loaded rule set (built-ins plus `--rules DIR`), `test` runs the
//! embedded `[[test]]` cases (of the built-ins plus `--rules`, or only of `DIR`'s rules), `facts`
//! prints the fact schema rules are written against, `docs` writes one markdown page per rule.

use std::path::PathBuf;

use miette::Result;

use super::{Globals, Outcome, emit};
use crate::report::Report;
use crate::report::model::{RuleDetail, RuleList, RuleSummary, RuleTests};
use crate::rules::testing::run_tests;
use crate::rules::{self, Rule};

/// What `edgepath rules` does.
#[derive(Debug, Clone)]
pub enum RulesRequest {
    /// Ids, severities and titles of every rule (built-in and `--rules`).
    List,
    /// One rule's explanation, condition, fix and references.
    Show {
        /// Rule id.
        id: String,
    },
    /// Run the rules' embedded `[[test]]` cases (only DIR's rules when given).
    Test {
        /// A directory of custom rule files.
        dir: Option<PathBuf>,
    },
    /// The fact schema: kinds, fields, types and docs.
    Facts,
    /// Write one markdown page per rule (and `index.md`) into a directory.
    Docs {
        /// The directory (created when missing).
        out: PathBuf,
    },
}

/// Runs `edgepath rules`.
///
/// # Errors
/// Invalid rule files (exit 2).
pub fn run(g: &Globals, a: &RulesRequest) -> Result<Outcome> {
    match a {
        RulesRequest::Facts => {
            emit(g, &Report::RuleFacts)?;
            Ok(Outcome::Clean)
        }
        RulesRequest::List => {
            let set = rules::load_rules(&g.rules_dirs)?;
            let list = RuleList {
                rules: set.rules.iter().map(summary).collect(),
            };
            emit(g, &Report::RuleList(&list))?;
            Ok(Outcome::Clean)
        }
        RulesRequest::Show { id } => {
            let set = rules::load_rules(&g.rules_dirs)?;
            let Some(rule) = set.get(id) else {
                return Err(miette::miette!(
                    help = "`edgepath rules list` shows every id",
                    "no rule `{id}`"
                ));
            };
            emit(g, &Report::RuleDetail(&detail(rule)))?;
            Ok(Outcome::Clean)
        }
        RulesRequest::Docs { out } => {
            let set = rules::load_rules(&g.rules_dirs)?;
            let written = rules::docs::write_rule_pages(&set, out).map_err(|e| {
                miette::miette!("could not write the rule pages to {}: {e}", out.display())
            })?;
            if !g.quiet {
                eprintln!(
                    "wrote {} rule pages and index.md to {}",
                    written.len().saturating_sub(1),
                    out.display()
                );
            }
            Ok(Outcome::Clean)
        }
        RulesRequest::Test { dir } => {
            let set = match dir {
                Some(d) => rules::load_rules_dir(d)?,
                None => rules::load_rules(&g.rules_dirs)?,
            };
            let tests = RuleTests::new(run_tests(&set));
            emit(g, &Report::RuleTests(&tests))?;
            Ok(Outcome::from_problems(tests.failed > 0))
        }
    }
}

fn summary(r: &Rule) -> RuleSummary {
    RuleSummary {
        id: r.id.clone(),
        severity: r.severity,
        hop: r.hop.clone(),
        fact: r.kind.to_owned(),
        title: r.title.clone(),
        file: r.file.clone(),
    }
}

fn detail(r: &Rule) -> RuleDetail {
    RuleDetail {
        id: r.id.clone(),
        title: r.title.clone(),
        severity: r.severity,
        hop: r.hop.clone(),
        fact: r.kind.to_owned(),
        when: r.when_source.trim().to_owned(),
        message: r.message_source.clone(),
        fix: r.fix_source.clone(),
        references: r.references.clone(),
        explain: r.explain.trim().to_owned(),
        file: r.file.clone(),
        tests: r.tests.len(),
    }
}
