//! `blockers` as text: deletable or not, each blocker with its owner, what was not loaded, and
//! the teardown steps with their commands, each destructive one flagged `⚠ destructive:`, each
//! alternative under its step as `or, …`.

use std::io::{self, Write};

use crate::blockers::BlockerReport;
use crate::report::style::Style;

/// `⚠ destructive: ` before a step that deletes, terminates or cuts something off.
fn flag(destructive: bool, style: &Style) -> String {
    if destructive {
        format!("{} ", style.red("⚠ destructive:"))
    } else {
        String::new()
    }
}

pub(super) fn render(r: &BlockerReport, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    if r.deletable {
        writeln!(
            out,
            "{} {} can be deleted now: nothing in the data holds it.",
            style.green("✓"),
            style.bold(&r.resource)
        )?;
    } else if r.blockers.is_empty() {
        writeln!(
            out,
            "{} {}: nothing found, but the data is incomplete.",
            style.magenta("?"),
            style.bold(&r.resource)
        )?;
    } else {
        writeln!(
            out,
            "{} {} ({}) cannot be deleted yet: {} blocker(s)",
            style.red("✗"),
            style.bold(&r.resource),
            r.kind,
            r.blockers.len()
        )?;
        writeln!(out)?;
        for b in &r.blockers {
            let owner = if b.owner.is_empty() {
                String::new()
            } else {
                format!("  [owner: {}]", b.owner)
            };
            writeln!(
                out,
                "  {} {}{}",
                style.yellow(&format!("{:<26}", b.kind)),
                b.detail,
                style.dim(&owner)
            )?;
        }
    }
    if !r.incomplete.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            style
                .magenta("Incomplete: the answer may miss blockers because these were not loaded:")
        )?;
        for m in &r.incomplete {
            writeln!(out, "  {m}")?;
        }
    }
    if !r.steps.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", style.bold("Teardown, in this order:"))?;
        for s in &r.steps {
            writeln!(
                out,
                "  {:>2}. {}{}",
                s.n,
                flag(s.destructive, style),
                s.action
            )?;
            writeln!(out, "      {}", style.dim(&s.command))?;
            if !s.wait.is_empty() {
                writeln!(out, "      wait: {}", s.wait)?;
            }
            if let Some(a) = &s.alternative {
                writeln!(out, "      or, {}{}", flag(a.destructive, style), a.action)?;
                writeln!(out, "        {}", style.dim(&a.command))?;
                if !a.wait.is_empty() {
                    writeln!(out, "        wait: {}", a.wait)?;
                }
            }
        }
    }
    writeln!(out)?;
    for n in &r.notes {
        writeln!(out, "{}", style.dim(n))?;
    }
    Ok(())
}
