//! Text rendering of a [`BlockerReport`]; JSON is its serde form.

use std::io::{self, Write};

use super::BlockerReport;
use crate::report::Render;
use crate::report::style::Style;

impl Render for BlockerReport {
    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("report serializes")
    }

    fn render_text(&self, style: &Style, out: &mut dyn Write) -> io::Result<()> {
        if self.deletable {
            writeln!(
                out,
                "{} {} can be deleted now: nothing in the data holds it.",
                style.green("✓"),
                style.bold(&self.resource)
            )?;
        } else if self.blockers.is_empty() {
            writeln!(
                out,
                "{} {}: nothing found, but the data is incomplete.",
                style.magenta("?"),
                style.bold(&self.resource)
            )?;
        } else {
            writeln!(
                out,
                "{} {} ({}) cannot be deleted yet: {} blocker(s)",
                style.red("✗"),
                style.bold(&self.resource),
                self.kind,
                self.blockers.len()
            )?;
            writeln!(out)?;
            for b in &self.blockers {
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
        if !self.incomplete.is_empty() {
            writeln!(out)?;
            writeln!(
                out,
                "{}",
                style.magenta(
                    "Incomplete: the answer may miss blockers because these were not loaded:"
                )
            )?;
            for m in &self.incomplete {
                writeln!(out, "  {m}")?;
            }
        }
        if !self.steps.is_empty() {
            writeln!(out)?;
            writeln!(out, "{}", style.bold("Teardown, in this order:"))?;
            for s in &self.steps {
                writeln!(out, "  {:>2}. {}", s.n, s.action)?;
                writeln!(out, "      {}", style.dim(&s.command))?;
                if !s.wait.is_empty() {
                    writeln!(out, "      wait: {}", s.wait)?;
                }
            }
        }
        writeln!(out)?;
        for n in &self.notes {
            writeln!(out, "{}", style.dim(n))?;
        }
        Ok(())
    }

    fn render_markdown(&self, out: &mut dyn Write) -> io::Result<()> {
        let verdict = if self.deletable {
            "can be deleted now"
        } else {
            "cannot be deleted yet"
        };
        writeln!(out, "### `{}` ({}) {verdict}\n", self.resource, self.kind)?;
        if !self.blockers.is_empty() {
            writeln!(
                out,
                "| kind | resource | detail | owner |\n|---|---|---|---|"
            )?;
            for b in &self.blockers {
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
        for m in &self.incomplete {
            writeln!(out, "- incomplete: {m}")?;
        }
        if !self.steps.is_empty() {
            writeln!(out, "**Teardown**\n")?;
            for s in &self.steps {
                writeln!(
                    out,
                    "{}. {}\n   ```sh\n   {}\n   ```",
                    s.n, s.action, s.command
                )?;
                if !s.wait.is_empty() {
                    writeln!(out, "   wait: {}", s.wait)?;
                }
            }
        }
        Ok(())
    }
}
