//! `triage` as text (its structure is `report::triage_outline`'s, shared with Markdown).

use std::io::{self, Write};

use super::paint_severity;
use crate::report::model::TriageReport;
use crate::report::style::Style;
use crate::report::triage_outline::{Line, Section, sections};

pub(super) fn render(r: &TriageReport, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{} ({})", style.bold("edgepath triage"), r.source)?;
    for section in sections(r) {
        match section {
            Section::NoFindings => writeln!(out, "\n{}", style.green("No rule fired."))?,
            Section::Diagnosis(d, lines) => {
                let f = &d.finding;
                let sev = paint_severity(style, f.severity, f.severity.as_str());
                let title = format!("{}. {} [{}]", d.rank, f.title, f.rule);
                writeln!(out, "\n{}  {sev}  {}", style.bold(&title), f.hop)?;
                for line in lines {
                    match line {
                        Line::Config(m) => writeln!(out, "   config: {m}")?,
                        Line::FromLogs(m) => writeln!(out, "   logs  : {m}")?,
                        Line::Explains(share) => writeln!(out, "   5xx:    explains {share}")?,
                        Line::Seen(e) => writeln!(out, "   seen:   {e}")?,
                        Line::LogEvidence(e) => writeln!(out, "   logs:   {e}")?,
                        Line::Resources(r) => writeln!(out, "   on:     {}", r.join(", "))?,
                        Line::Fix(fix) => writeln!(out, "   fix:    {fix}")?,
                        Line::Change(c) => writeln!(out, "   change: {c}")?,
                    }
                }
            }
            Section::Unexplained(logs, share) => {
                let share = share.map_or(String::new(), |s| format!(": {s}"));
                writeln!(
                    out,
                    "\n{}",
                    style.bold(&format!("5xx in the logs that no finding explains{share}"))
                )?;
                for l in logs {
                    writeln!(out, "  {l}")?;
                }
            }
            Section::NotRun(not_run) => {
                writeln!(out, "\n{}", style.bold("Checks that could not run"))?;
                for n in not_run {
                    writeln!(out, "  {}: {}", n.rule, n.reason)?;
                }
            }
            Section::Timeline(t) => super::timeline::render_section(t, style, out)?,
            Section::Note(n) => writeln!(out, "\n{} {n}", style.dim("note:"))?,
            Section::Incomplete(m) => writeln!(out, "\n{}", style.magenta(&m))?,
        }
    }
    if let Some(m) = &r.metrics {
        super::metrics::render(m, style, out)?;
    }
    Ok(())
}
