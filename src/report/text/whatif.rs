//! `what-if` as text: the changes, what breaks and what is fixed (with each hop's evidence), the
//! findings on the state after, and what AWS would refuse.

use std::io::{self, Write};

use super::paint_verdict;
use crate::report::model::incomplete_message;
use crate::report::style::Style;
use crate::whatif::WhatIfReport;

pub(super) fn render(r: &WhatIfReport, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", style.bold("What if:"))?;
    for c in &r.changes {
        writeln!(out, "  - {c}")?;
    }
    writeln!(out)?;
    if r.broken.is_empty() {
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
                "  {} {} → {} :{} → {} → {}   {} → {} at {}",
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
    for u in &r.unsupported {
        writeln!(
            out,
            "{}",
            style.yellow(&format!("not modelled (ignored): {u}"))
        )?;
    }
    for u in &r.unresolved {
        writeln!(
            out,
            "{}",
            style.yellow(&format!("unknown until apply: {u}"))
        )?;
    }
    if r.incomplete() {
        let m = incomplete_message(&r.unknown_hops);
        writeln!(out, "\n{}", style.magenta(&m))?;
    }
    Ok(())
}
