//! The timeline as text: `edgepath timeline` alone, and the section `triage` prints.
//!
//! One line per entry (`05:48:17  change  SetSecurityGroups: removed … — by … [→ rule]`), the
//! per-minute 5xx sparkline of the logs under the changes with a `^` under each change minute,
//! then the revert of each linked change, and the note or the `unknown` reason.

use std::io::{self, Write};

use crate::report::model::TimelineReport;
use crate::report::style::Style;
use crate::rules::timeline::Timeline;

pub(super) fn render(r: &TimelineReport, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{} ({})", style.bold("edgepath timeline"), r.source)?;
    render_section(&r.timeline, style, out)
}

/// `05:48:17` of an RFC 3339 time (the date too when `with_date`).
fn clock(t: &str, with_date: bool) -> &str {
    match (with_date, t.get(11..19)) {
        (false, Some(c)) => c,
        _ => t.get(..19).unwrap_or(t),
    }
}

/// The lines of the timeline section (shared with `triage`).
pub(crate) fn render_section(t: &Timeline, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    let window = t.window.map(|w| format!(" {w}")).unwrap_or_default();
    writeln!(out, "\n{}", style.bold(&format!("Timeline{window}")))?;
    if let Some(u) = &t.unknown {
        writeln!(out, "  changes: {}", style.magenta(u))?;
    }
    let days: std::collections::BTreeSet<&str> =
        t.entries.iter().filter_map(|e| e.time.get(..10)).collect();
    let with_date = days.len() > 1;
    for e in &t.entries {
        let mut line = format!(
            "  {}  {:11}  {}",
            clock(&e.time, with_date),
            e.kind,
            e.summary
        );
        if !e.actor.is_empty() {
            line.push_str(&format!(" — by {}", e.actor));
        }
        let line = match (&e.linked_finding, e.failed) {
            (Some(rule), _) => style.red(&format!("{line}  → {rule}")),
            (None, true) => style.dim(&format!("{line}  [failed]")),
            (None, false) if e.kind == "change" => format!("{line}  {}", style.dim("[not linked]")),
            _ => line,
        };
        writeln!(out, "{line}")?;
    }
    if t.entries.is_empty() && t.unknown.is_none() {
        writeln!(out, "  no change and no error in the window")?;
    }
    if let Some(spark) = sparkline(t) {
        writeln!(out, "  5xx/min {spark}")?;
    }
    for e in t.entries.iter().filter(|e| !e.revert.is_empty()) {
        writeln!(out, "  revert: {}", e.revert)?;
    }
    if let Some(n) = &t.note {
        writeln!(out, "  {}", style.yellow(n))?;
    }
    Ok(())
}

/// `05:30 ▁▁▁▁█████ 06:09`, and under it `^` at each change minute inside that span.
fn sparkline(t: &Timeline) -> Option<String> {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let first = t.errors_per_minute.first()?;
    let last = t.errors_per_minute.last()?;
    let max = t
        .errors_per_minute
        .iter()
        .map(|m| m.errors_5xx)
        .max()?
        .max(1);
    let bars: String = t
        .errors_per_minute
        .iter()
        .map(|m| {
            let i = usize::try_from(m.errors_5xx * 7 / max).unwrap_or(7);
            BARS[i.min(7)]
        })
        .collect();
    let start = clock(&first.minute, false).get(..5).unwrap_or("");
    let end = clock(&last.minute, false).get(..5).unwrap_or("");
    let mut s = format!("{start} {bars} {end}");
    let marks: String = t
        .errors_per_minute
        .iter()
        .map(|m| {
            let minute = m.minute.get(..16).unwrap_or("");
            let changed = t
                .entries
                .iter()
                .any(|e| e.kind == "change" && e.time.get(..16) == Some(minute));
            if changed { '^' } else { ' ' }
        })
        .collect();
    if marks.contains('^') {
        s.push_str(&format!(
            "\n          {} {}  ^ = change",
            " ".repeat(start.len()),
            marks.trim_end()
        ));
    }
    Some(s)
}
