//! `edgepath rules list | show ID | test [DIR] | facts`.
//!
//! `list` and `show` read the loaded rule set (built-ins plus `--rules DIR`), `test` runs the
//! embedded `[[test]]` cases (of the built-ins plus `--rules`, or only of `DIR`'s rules), `facts`
//! prints the fact schema rules are written against.

use std::io::{self, Write};
use std::path::PathBuf;

use miette::Result;
use serde::Serialize;

use super::{Outcome, emit};
use crate::cli::GlobalArgs;
use crate::report::Render;
use crate::report::style::Style;
use crate::rules::testing::{CaseResult, run_tests};
use crate::rules::{self, Rule, RuleSet, schema};

/// Flags of `edgepath rules`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  edgepath rules list\n  edgepath rules show target-sg-ghost-reference\n  edgepath rules test ./team-rules\n  edgepath rules facts"
)]
pub struct RulesArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: RulesAction,
}

/// `edgepath rules` subcommands.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum RulesAction {
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
}

/// Runs `edgepath rules`.
///
/// # Errors
/// Invalid rule files (exit 2).
pub fn run(g: &GlobalArgs, a: &RulesArgs) -> Result<Outcome> {
    match &a.action {
        RulesAction::Facts => {
            emit(g, &FactsReport)?;
            Ok(Outcome::Clean)
        }
        RulesAction::List => {
            let set = rules::load_rules(&g.rules_dirs)?;
            emit(g, &ListReport { set: &set })?;
            Ok(Outcome::Clean)
        }
        RulesAction::Show { id } => {
            let set = rules::load_rules(&g.rules_dirs)?;
            let Some(rule) = set.get(id) else {
                return Err(miette::miette!(
                    help = "`edgepath rules list` shows every id",
                    "no rule `{id}`"
                ));
            };
            emit(g, &ShowReport { rule })?;
            Ok(Outcome::Clean)
        }
        RulesAction::Test { dir } => {
            let set = match dir {
                Some(d) => rules::load_rules_dir(d)?,
                None => rules::load_rules(&g.rules_dirs)?,
            };
            let results = run_tests(&set);
            let failed = results.iter().any(|r| !r.passed);
            emit(g, &TestReport { results })?;
            Ok(Outcome::from_problems(failed))
        }
    }
}

struct FactsReport;

impl Render for FactsReport {
    fn to_json(&self) -> serde_json::Value {
        serde_json::json!({ "kinds": schema::to_json() })
    }

    fn render_text(&self, _style: &Style, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(schema::render_text().as_bytes())
    }
}

struct ListReport<'a> {
    set: &'a RuleSet,
}

#[derive(Serialize)]
struct RuleSummary<'a> {
    id: &'a str,
    severity: &'a str,
    hop: &'a str,
    fact: &'a str,
    title: &'a str,
    file: &'a str,
}

impl Render for ListReport<'_> {
    fn to_json(&self) -> serde_json::Value {
        let rules: Vec<RuleSummary<'_>> = self
            .set
            .rules
            .iter()
            .map(|r| RuleSummary {
                id: &r.id,
                severity: r.severity.as_str(),
                hop: &r.hop,
                fact: r.kind,
                title: &r.title,
                file: &r.file,
            })
            .collect();
        serde_json::json!({ "rules": rules })
    }

    fn render_text(&self, style: &Style, out: &mut dyn Write) -> io::Result<()> {
        let width = self.set.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
        for r in &self.set.rules {
            let sev = format!("{:8}", r.severity.as_str());
            let sev = match r.severity {
                rules::Severity::Critical => style.red(&sev),
                rules::Severity::Warning => style.yellow(&sev),
                rules::Severity::Info => style.dim(&sev),
            };
            writeln!(out, "{:width$}  {sev}  {:18}  {}", r.id, r.hop, r.title)?;
        }
        writeln!(
            out,
            "\n{} rules. `edgepath rules show ID` explains one.",
            self.set.len()
        )
    }
}

struct ShowReport<'a> {
    rule: &'a Rule,
}

impl Render for ShowReport<'_> {
    fn to_json(&self) -> serde_json::Value {
        let r = self.rule;
        serde_json::json!({
            "id": r.id, "title": r.title, "severity": r.severity, "hop": r.hop, "fact": r.kind,
            "when": r.when_source.trim(), "message": r.message_source, "fix": r.fix_source,
            "references": r.references, "explain": r.explain.trim(), "file": r.file,
            "tests": r.tests.len(),
        })
    }

    fn render_text(&self, style: &Style, out: &mut dyn Write) -> io::Result<()> {
        let r = self.rule;
        writeln!(
            out,
            "{}  ({}, {})",
            style.bold(&r.id),
            r.severity.as_str(),
            r.hop
        )?;
        writeln!(out, "{}\n", r.title)?;
        writeln!(out, "{}\n", r.explain.trim())?;
        writeln!(out, "{}", style.bold("Signals"))?;
        writeln!(out, "  reads `{}` facts when:", r.kind)?;
        for line in r.when_source.trim().lines() {
            writeln!(out, "    {}", line.trim())?;
        }
        writeln!(out, "\n{}\n  {}", style.bold("Message"), r.message_source)?;
        writeln!(out, "\n{}\n  {}", style.bold("Fix"), r.fix_source)?;
        if !r.references.is_empty() {
            writeln!(out, "\n{}", style.bold("References"))?;
            for l in &r.references {
                writeln!(out, "  {l}")?;
            }
        }
        writeln!(
            out,
            "\n{} ({} test case(s))",
            style.dim(&r.file),
            r.tests.len()
        )
    }
}

struct TestReport {
    results: Vec<CaseResult>,
}

impl Render for TestReport {
    fn to_json(&self) -> serde_json::Value {
        let failed = self.results.iter().filter(|r| !r.passed).count();
        serde_json::json!({
            "cases": self.results, "passed": self.results.len() - failed, "failed": failed,
        })
    }

    fn render_text(&self, style: &Style, out: &mut dyn Write) -> io::Result<()> {
        for r in &self.results {
            let mark = if r.passed {
                style.green("pass")
            } else {
                style.red("FAIL")
            };
            writeln!(out, "{mark}  {}  {}", r.rule, r.case)?;
            if !r.passed {
                writeln!(out, "      {}", r.detail)?;
            }
        }
        let failed = self.results.iter().filter(|r| !r.passed).count();
        writeln!(
            out,
            "\n{} cases: {} passed, {} failed",
            self.results.len(),
            self.results.len() - failed,
            failed
        )
    }
}
