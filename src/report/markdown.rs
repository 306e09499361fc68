//! Markdown output, for an incident channel or a ticket. `triage` and `blockers` have their own
//! layout (triage's structure is `report::triage_outline`'s, shared with text); every other
//! report is its text rendering, uncoloured, in a code block.

use std::io::{self, Write};

use super::model::{Report, TriageReport};
use super::style::Style;
use super::triage_outline::{Line, Section, sections};
use crate::blockers::BlockerReport;
use crate::rules::timeline::Timeline;

/// Writes `report` as Markdown.
///
/// # Errors
/// Writing failed.
pub fn render(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    match *report {
        Report::Triage(r) => render_triage(r, out),
        Report::Blockers(r) => render_blockers(r, out),
        _ => {
            writeln!(out, "```text")?;
            super::text::render(report, &Style::plain(), out)?;
            writeln!(out, "```")
        }
    }
}

fn render_triage(r: &TriageReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "### edgepath triage ({})\n", r.source)?;
    for section in sections(r) {
        match section {
            Section::NoFindings => writeln!(out, "No rule fired.\n")?,
            Section::Diagnosis(d, lines) => {
                let f = &d.finding;
                writeln!(
                    out,
                    "**{}. {}** — `{}` · {} · `{}`\n",
                    d.rank,
                    f.title,
                    f.rule,
                    f.severity.as_str(),
                    f.hop
                )?;
                for line in lines {
                    match line {
                        Line::Config(m) => writeln!(out, "- Config: {m}")?,
                        Line::FromLogs(m) => writeln!(out, "- Logs: {m}")?,
                        Line::Explains(share) => writeln!(out, "- 5xx: explains {share}")?,
                        Line::Seen(e) => writeln!(out, "- Seen: {e}")?,
                        Line::LogEvidence(e) => writeln!(out, "- Logs: {e}")?,
                        Line::Resources(r) => writeln!(out, "- Resources: {}", r.join(", "))?,
                        Line::Fix(fix) => writeln!(out, "- Fix:\n\n```sh\n{fix}\n```\n")?,
                        Line::Change(c) => writeln!(out, "- Change: {c}")?,
                    }
                }
            }
            Section::Unexplained(logs, share) => {
                let share = share.map_or(String::new(), |s| format!(": {s}"));
                writeln!(out, "**Unexplained 5xx{share}**\n")?;
                for l in logs {
                    writeln!(out, "- {l}")?;
                }
                writeln!(out)?;
            }
            Section::NotRun(not_run) => {
                writeln!(out, "**Checks that could not run**\n")?;
                for n in not_run {
                    writeln!(out, "- `{}`: {}", n.rule, n.reason)?;
                }
                writeln!(out)?;
            }
            Section::Timeline(t) => render_timeline(t, out)?,
            Section::Note(n) => writeln!(out, "_Note: {n}_\n")?,
            Section::Incomplete(m) => writeln!(out, "**{m}**\n")?,
        }
    }
    if let Some(m) = &r.metrics {
        render_metrics(m, out)?;
    }
    Ok(())
}

fn render_metrics(m: &super::metrics::MetricsSection, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "**Metrics (CloudWatch, 1-minute)**\n")?;
    writeln!(
        out,
        "| resource | window | 5xx/min | onset | trend | signature |\n|---|---|---|---|---|---|"
    )?;
    for p in &m.resources {
        writeln!(
            out,
            "| {} `{}` | {} .. {} | `{}` | {} | {} | {} |",
            p.source,
            p.resource,
            p.window[0],
            p.window[1],
            p.sparkline,
            p.onset,
            p.trend,
            p.meaning.replace('|', "\\|")
        )?;
    }
    writeln!(out)?;
    for n in &m.notes {
        writeln!(out, "_Note: {n}_\n")?;
    }
    Ok(())
}

fn render_timeline(t: &Timeline, out: &mut dyn Write) -> io::Result<()> {
    let window = t.window.map(|w| format!(" ({w})")).unwrap_or_default();
    writeln!(out, "**Timeline{window}**\n")?;
    if let Some(u) = &t.unknown {
        writeln!(out, "- Changes: {u}\n")?;
    }
    if !t.entries.is_empty() {
        writeln!(
            out,
            "| time | kind | what | who | linked finding |\n|---|---|---|---|---|"
        )?;
        for e in &t.entries {
            let failed = if e.failed { " (failed)" } else { "" };
            writeln!(
                out,
                "| {} | {}{failed} | {} | {} | {} |",
                e.time,
                e.kind,
                e.summary.replace('|', "\\|"),
                e.actor,
                e.linked_finding
                    .as_deref()
                    .map_or(String::new(), |r| format!("`{r}`"))
            )?;
        }
    }
    for e in t.entries.iter().filter(|e| !e.revert.is_empty()) {
        writeln!(out, "\nRevert:\n\n```sh\n{}\n```", e.revert)?;
    }
    if let Some(n) = &t.note {
        writeln!(out, "\n_{n}_")?;
    }
    writeln!(out)
}

fn render_blockers(r: &BlockerReport, out: &mut dyn Write) -> io::Result<()> {
    let verdict = if r.deletable {
        "can be deleted now"
    } else {
        "cannot be deleted yet"
    };
    writeln!(out, "### `{}` ({}) {verdict}\n", r.resource, r.kind)?;
    if !r.blockers.is_empty() {
        writeln!(
            out,
            "| kind | resource | detail | owner |\n|---|---|---|---|"
        )?;
        for b in &r.blockers {
            writeln!(
                out,
                "| {} | `{}` | {} | {} |",
                b.kind,
                b.resource,
                b.detail.replace('|', "\\|"),
                b.owner
            )?;
        }
        writeln!(out)?;
    }
    for m in &r.incomplete {
        writeln!(out, "- incomplete: {m}")?;
    }
    if !r.steps.is_empty() {
        writeln!(out, "**Teardown**\n")?;
        for s in &r.steps {
            let flag = if s.destructive {
                "⚠ **destructive**: "
            } else {
                ""
            };
            writeln!(
                out,
                "{}. {flag}{}\n   ```sh\n   {}\n   ```",
                s.n, s.action, s.command
            )?;
            if !s.wait.is_empty() {
                writeln!(out, "   wait: {}", s.wait)?;
            }
            if let Some(a) = &s.alternative {
                let flag = if a.destructive {
                    "⚠ **destructive**: "
                } else {
                    ""
                };
                writeln!(
                    out,
                    "   - or, {flag}{}\n     ```sh\n     {}\n     ```",
                    a.action, a.command
                )?;
                if !a.wait.is_empty() {
                    writeln!(out, "     wait: {}", a.wait)?;
                }
            }
        }
    }
    Ok(())
}
