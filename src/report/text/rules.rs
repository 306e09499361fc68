//! `rules facts | list | show | test` as text.

use std::io::{self, Write};

use super::paint_severity;
use crate::report::model::{RuleDetail, RuleList, RuleTests};
use crate::report::style::Style;

/// The fact schema (its text form is the schema's own reference listing).
pub(super) fn render_facts(out: &mut dyn Write) -> io::Result<()> {
    out.write_all(crate::rules::schema::render_text().as_bytes())
}

pub(super) fn render_list(r: &RuleList, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    let width = r.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for rule in &r.rules {
        let sev = paint_severity(
            style,
            rule.severity,
            &format!("{:8}", rule.severity.as_str()),
        );
        writeln!(
            out,
            "{:width$}  {sev}  {:18}  {}",
            rule.id, rule.hop, rule.title
        )?;
    }
    writeln!(
        out,
        "\n{} rules. `edgepath rules show ID` explains one.",
        r.rules.len()
    )
}

pub(super) fn render_detail(r: &RuleDetail, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{}  ({}, {})",
        style.bold(&r.id),
        r.severity.as_str(),
        r.hop
    )?;
    writeln!(out, "{}\n", r.title)?;
    writeln!(out, "{}\n", r.explain)?;
    writeln!(out, "{}", style.bold("Signals"))?;
    writeln!(out, "  reads `{}` facts when:", r.fact)?;
    for line in r.when.lines() {
        writeln!(out, "    {}", line.trim())?;
    }
    writeln!(out, "\n{}\n  {}", style.bold("Message"), r.message)?;
    writeln!(out, "\n{}\n  {}", style.bold("Fix"), r.fix)?;
    if !r.references.is_empty() {
        writeln!(out, "\n{}", style.bold("References"))?;
        for l in &r.references {
            writeln!(out, "  {l}")?;
        }
    }
    writeln!(out, "\n{} ({} test case(s))", style.dim(&r.file), r.tests)
}

pub(super) fn render_tests(r: &RuleTests, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    for case in &r.cases {
        let mark = if case.passed {
            style.green("pass")
        } else {
            style.red("FAIL")
        };
        writeln!(out, "{mark}  {}  {}", case.rule, case.case)?;
        if !case.passed {
            writeln!(out, "      {}", case.detail)?;
        }
    }
    writeln!(
        out,
        "\n{} cases: {} passed, {} failed",
        r.cases.len(),
        r.passed,
        r.failed
    )
}
