//! `what-if` as text: the changes, what breaks and what is fixed (with each hop's evidence), the
//! findings on the state after, and what AWS would refuse.

use std::io::{self, Write};

use super::paint_verdict;
use crate::report::model::incomplete_message;
use crate::report::style::Style;
use crate::whatif::{PlanStatus, WhatIfReport};

pub(super) fn render(r: &WhatIfReport, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", style.bold("What if:"))?;
    for c in &r.changes {
        writeln!(out, "  - {c}")?;
    }
    if r.changes.is_empty() {
        writeln!(out, "  (no change edgepath models)")?;
    }
    writeln!(out)?;
    if r.nothing_to_check && r.resource_counts.unresolved > 0 {
        writeln!(
            out,
            "{} nothing checked: {} resource change(s) could not be resolved (listed below)",
            style.yellow("?"),
            r.resource_counts.unresolved
        )?;
    } else if r.nothing_to_check {
        writeln!(
            out,
            "{} nothing to check: no change edgepath models{}",
            style.green("✓"),
            if r.resources.is_empty() {
                String::new()
            } else {
                format!(" among the plan's {} resource change(s)", r.resources.len())
            }
        )?;
    } else if r.broken.is_empty() {
        writeln!(
            out,
            "{} no path breaks ({} evaluated, {} unchanged, {} fixed)",
            style.green("✓"),
            r.evaluated,
            r.unchanged,
            r.fixed.len()
        )?;
    } else {
        writeln!(
            out,
            "{} {} path(s) break ({} evaluated, {} unchanged)",
            style.red("✗"),
            r.broken.len(),
            r.evaluated,
            r.unchanged
        )?;
    }
    for (title, list) in [("Broken", &r.broken), ("Fixed", &r.fixed)] {
        if list.is_empty() {
            continue;
        }
        writeln!(out, "\n{}", style.bold(title))?;
        for p in list {
            writeln!(
                out,
                "  {} {} → {} (origin {}) → {} → {}   {} → {} at {}",
                p.distribution,
                p.behavior,
                p.load_balancer,
                p.origin,
                p.target_group,
                p.target,
                p.before.as_str(),
                paint_verdict(style, p.after, p.after.as_str()),
                p.hop
            )?;
            for e in &p.evidence {
                writeln!(out, "      {e}")?;
            }
        }
    }
    if !r.findings.is_empty() {
        writeln!(
            out,
            "\n{}",
            style.bold("Findings on the state after the change")
        )?;
        for f in &r.findings {
            writeln!(out, "  [{}] {}: {}", f.rule, f.severity.as_str(), f.message)?;
            writeln!(out, "      fix: {}", style.dim(&f.fix))?;
        }
    }
    if !r.blockers.is_empty() {
        writeln!(
            out,
            "\n{}",
            style.bold("AWS would refuse the deletion until these are removed")
        )?;
        for b in &r.blockers {
            writeln!(out, "  {:<22} {}", b.kind, b.detail)?;
        }
    }
    render_plan(r, style, out)?;
    if r.incomplete() {
        let m = incomplete_message(&r.unknown_hops);
        writeln!(out, "\n{}", style.magenta(&m))?;
    }
    Ok(())
}

/// Every resource change of the plan, by status: modelled ones with their changes, unresolved
/// and not-modelled ones with the reason, no-ops counted.
fn render_plan(r: &WhatIfReport, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    if r.resources.is_empty() {
        return Ok(());
    }
    let n = &r.resource_counts;
    writeln!(
        out,
        "\n{} {} resource change(s): {} modelled, {} unresolved, {} not modelled, {} no-op",
        style.bold("Plan:"),
        r.resources.len(),
        n.modelled,
        n.unresolved,
        n.not_modelled,
        n.no_op
    )?;
    for status in [
        PlanStatus::Modelled,
        PlanStatus::Unresolved,
        PlanStatus::NotModelled,
    ] {
        for p in r.resources.iter().filter(|p| p.status == status) {
            let head = format!(
                "  {:<13} {} ({})",
                status.as_str(),
                p.address,
                p.actions.join("+")
            );
            match (&p.reason, status) {
                (Some(why), PlanStatus::Unresolved) => {
                    writeln!(out, "{}", style.yellow(&format!("{head}: {why}")))?;
                }
                (Some(why), _) => writeln!(out, "{head}: {}", style.dim(why))?,
                (None, _) => writeln!(out, "{head}")?,
            }
            for c in &p.changes {
                writeln!(out, "                  {c}")?;
            }
        }
    }
    if n.no_op > 0 {
        writeln!(
            out,
            "  {:<13} {} resource(s) without changes",
            PlanStatus::NoOp.as_str(),
            n.no_op
        )?;
    }
    Ok(())
}
