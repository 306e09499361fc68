//! `inventory` as text: counts per kind, kinds not loaded, checks that lack data, warnings.

use std::io::{self, Write};

use crate::report::model::InventoryReport;
use crate::report::style::Style;

pub(super) fn render(r: &InventoryReport, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{} {}", style.bold("Inventory from"), r.source)?;
    if let Some(c) = &r.collection {
        writeln!(
            out,
            "{}",
            style.dim(&format!(
                "{} AWS calls ({} requests), {} retried, {} failed",
                c.calls, c.requests, c.retries, c.failed
            ))
        )?;
    }
    writeln!(out)?;
    for c in &r.counts {
        writeln!(out, "  {:<28} {:>8}", c.kind.name(), c.count)?;
    }
    if !r.missing.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", style.bold("Not loaded"))?;
        for m in &r.missing {
            writeln!(out, "  {:<28} {}", m.kind.name(), style.dim(&m.reason))?;
        }
    }
    if !r.checks_lacking_data.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            style.bold("Checks that will report `unknown` for lack of data")
        )?;
        for c in &r.checks_lacking_data {
            let kinds: Vec<&str> = c.missing.iter().map(|k| k.name()).collect();
            writeln!(
                out,
                "  {} {}",
                style.yellow(&c.check),
                style.dim(&format!("(needs {})", kinds.join(", ")))
            )?;
        }
    }
    if !r.warnings.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", style.bold("Warnings"))?;
        for w in &r.warnings {
            writeln!(out, "  {w}")?;
        }
    }
    Ok(())
}
