//! The metrics part of `triage` as text: one block per distribution and load balancer, the
//! 5xx sparkline beside the onset and the trend.

use std::io::{self, Write};

use crate::report::metrics::MetricsSection;
use crate::report::style::Style;

pub(super) fn render(m: &MetricsSection, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "\n{}", style.bold("Metrics (CloudWatch, 1-minute)"))?;
    for p in &m.resources {
        let trend = match p.trend.as_str() {
            "" => style.green("no 5xx"),
            "errors-stopped" => style.green(&p.trend),
            t => style.red(t),
        };
        writeln!(
            out,
            "  {} {}  {} .. {}  {trend}",
            p.source, p.resource, p.window[0], p.window[1]
        )?;
        if !p.sparkline.is_empty() {
            let per = if p.minutes_per_bar > 1 {
                format!(" ({} min per bar)", p.minutes_per_bar)
            } else {
                String::new()
            };
            writeln!(out, "    5xx/min {}{per}", p.sparkline)?;
        }
        if !p.onset.is_empty() {
            writeln!(
                out,
                "    onset {} ({:.0}/min), last error {}, now {:.0}/min",
                p.onset, p.per_minute[0], p.last_error, p.per_minute[1]
            )?;
        }
        if !p.meaning.is_empty() {
            writeln!(out, "    {}", p.meaning)?;
        }
        if !p.evidence.is_empty() {
            writeln!(out, "    {}", style.dim(&p.evidence.join(", ")))?;
        }
    }
    for n in &m.notes {
        writeln!(out, "  {} {n}", style.dim("note:"))?;
    }
    Ok(())
}
