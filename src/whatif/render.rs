//! Text rendering of a [`WhatIfReport`]; JSON is its serde form.

use std::io::{self, Write};

use super::WhatIfReport;
use crate::report::Render;
use crate::report::style::Style;

impl Render for WhatIfReport {
    fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).expect("report serializes");
        // DESIGN's path key `verdict` is the verdict after the changes: derived, not stored.
        for list in ["broken", "fixed"] {
            for path in v[list].as_array_mut().into_iter().flatten() {
                path["verdict"] = path["after"].clone();
            }
        }
        v
    }

    fn render_text(&self, style: &Style, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "{}", style.bold("What if:"))?;
        for c in &self.changes {
            writeln!(out, "  - {c}")?;
        }
        writeln!(out)?;
        if self.broken.is_empty() {
            writeln!(
                out,
                "{} no path breaks ({} evaluated, {} unchanged, {} fixed)",
                style.green("✓"),
                self.evaluated,
                self.unchanged,
                self.fixed.len()
            )?;
        } else {
            writeln!(
                out,
                "{} {} path(s) break ({} evaluated, {} unchanged)",
                style.red("✗"),
                self.broken.len(),
                self.evaluated,
                self.unchanged
            )?;
        }
        for (title, list) in [("Broken", &self.broken), ("Fixed", &self.fixed)] {
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
                    if p.after.as_str() == "allowed" {
                        style.green(p.after.as_str())
                    } else {
                        style.red(p.after.as_str())
                    },
                    p.hop
                )?;
                for e in &p.evidence {
                    writeln!(out, "      {e}")?;
                }
            }
        }
        if !self.findings.is_empty() {
            writeln!(
                out,
                "\n{}",
                style.bold("Findings on the state after the change")
            )?;
            for f in &self.findings {
                writeln!(out, "  [{}] {}: {}", f.rule, f.severity.as_str(), f.message)?;
                writeln!(out, "      fix: {}", style.dim(&f.fix))?;
            }
        }
        if !self.blockers.is_empty() {
            writeln!(
                out,
                "\n{}",
                style.bold("AWS would refuse the deletion until these are removed")
            )?;
            for b in &self.blockers {
                writeln!(out, "  {:<22} {}", b.kind, b.detail)?;
            }
        }
        for u in &self.unsupported {
            writeln!(
                out,
                "{}",
                style.yellow(&format!("not modelled (ignored): {u}"))
            )?;
        }
        for u in &self.unresolved {
            writeln!(
                out,
                "{}",
                style.yellow(&format!("unknown until apply: {u}"))
            )?;
        }
        Ok(())
    }
}
