//! `logs` as text: record counts, the 5xx table by behavior / status / detailed type /
//! signature, a per-minute sparkline with the onset, ALB and flow-log details.

use std::io::{self, Write};

use crate::logs::LogSummary;
use crate::report::style::Style;

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A one-line chart of 5xx per minute.
fn sparkline(s: &LogSummary) -> String {
    let max = s
        .timeline
        .iter()
        .map(|p| p.errors_5xx)
        .max()
        .unwrap_or(0)
        .max(1);
    s.timeline
        .iter()
        .map(|p| {
            if p.errors_5xx == 0 {
                ' '
            } else {
                BARS[((p.errors_5xx * 7) / max) as usize]
            }
        })
        .collect()
}

pub(super) fn render(r: &LogSummary, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    let formats: Vec<String> = r
        .records_by_format
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    let formats = if formats.is_empty() {
        String::new()
    } else {
        format!(" ({})", formats.join(", "))
    };
    if let Some(a) = &r.athena {
        #[allow(clippy::cast_precision_loss, reason = "bytes shown in GB")]
        let gb = a.bytes_scanned as f64 / 1e9;
        writeln!(
            out,
            "{} {} records in Athena table {}{formats}: {gb:.1} GB scanned, ≈ ${:.2} (query {}, {:.1} s)",
            style.bold("Logs:"),
            r.records,
            a.table,
            a.cost_usd,
            a.query_execution_id,
            a.engine_ms as f64 / 1000.0
        )?;
    } else {
        writeln!(
            out,
            "{} {} records in {} file(s){formats}; {} bad line(s)",
            style.bold("Logs:"),
            r.records,
            r.files,
            r.bad_lines
        )?;
    }
    // Named on stdout too (warnings go to stderr, silenced by -q): a file that gave nothing must
    // never pass unseen.
    for u in &r.unread_files {
        writeln!(
            out,
            "  {} {}: {}",
            style.yellow("not read:"),
            u.file,
            u.looks_like
        )?;
    }
    let statuses: Vec<String> = r
        .by_status
        .iter()
        .map(|(k, v)| format!("{k}×{v}"))
        .collect();
    if !statuses.is_empty() {
        writeln!(out, "  status: {}", statuses.join("  "))?;
    }
    if r.records == 0 {
        // Records were recognised (else the read is an error), but the time or distribution
        // filters kept none: nothing was looked at, so no "No 5xx".
        writeln!(
            out,
            "\n{}",
            style.yellow("No record left after the --since/--until/--distribution filters.")
        )?;
    } else if r.origin_errors.is_empty() {
        writeln!(out, "\n{}", style.green("No 5xx."))?;
    } else {
        writeln!(
            out,
            "\n{}",
            style.bold("5xx by behavior, status, detailed type and signature")
        )?;
        writeln!(
            out,
            "    count  share  code  detailed type          signature                     median  where / since"
        )?;
        for e in &r.origin_errors {
            let sig = e.signature.as_str();
            let sig = if e.status == 504 {
                style.red(&format!("{sig:<28}"))
            } else {
                style.yellow(&format!("{sig:<28}"))
            };
            let place = if e.distribution.is_empty() {
                e.behavior.clone()
            } else {
                format!("{} {}", e.distribution, e.behavior)
            };
            writeln!(
                out,
                "  {:>7} {:>5.1}%  {:<5} {:<22} {} {:>6.1}s  {} [{} .. {}]{}",
                e.count,
                e.share * 100.0,
                e.status,
                if e.source == "alb" {
                    format!("ALB {}", e.detailed_result_type)
                } else {
                    e.detailed_result_type.clone()
                },
                sig,
                e.median_time_taken,
                place,
                e.first_seen,
                e.last_seen,
                match e.alb_rows_seen.as_str() {
                    "false" => "  (no ALB rows: never reached the ALB)".to_owned(),
                    "true" => "  (ALB rows seen)".to_owned(),
                    _ => String::new(),
                }
            )?;
        }
    }
    if r.timeline.iter().any(|p| p.errors_5xx > 0) {
        let first = r.timeline.first().map_or("", |p| p.minute.as_str());
        let last = r.timeline.last().map_or("", |p| p.minute.as_str());
        writeln!(out, "\n{} {first} → {last}", style.bold("5xx per minute"))?;
        writeln!(out, "  {}", style.red(&sparkline(r)))?;
        if let Some(onset) = &r.onset {
            writeln!(
                out,
                "  onset: 504s rise above the baseline at {}",
                style.bold(onset)
            )?;
        }
    }
    if !r.top_uris.is_empty() {
        let u: Vec<String> = r
            .top_uris
            .iter()
            .map(|(k, v)| format!("{k} ({v})"))
            .collect();
        writeln!(out, "\n  top 5xx URIs: {}", u.join(", "))?;
    }
    if !r.top_edge_locations.is_empty() {
        let u: Vec<String> = r
            .top_edge_locations
            .iter()
            .map(|(k, v)| format!("{k} ({v})"))
            .collect();
        writeln!(out, "  top edge locations: {}", u.join(", "))?;
    }
    if let Some(alb) = &r.alb {
        writeln!(out, "\n{} {} records", style.bold("ALB:"), alb.records)?;
        for (pair, n) in &alb.status_pairs {
            writeln!(out, "  elb/target {pair}: {n}")?;
        }
        if alb.target_connect_failures > 0 {
            writeln!(
                out,
                "  {} 504s with no target response after ≈10 s: the ALB could not connect to a target",
                alb.target_connect_failures
            )?;
        }
        if !alb.by_signature.is_empty() {
            let classes: Vec<String> = alb
                .by_signature
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect();
            writeln!(out, "  classes: {}", classes.join(", "))?;
        }
        for d in &alb.draining_targets {
            writeln!(
                out,
                "  draining-shaped target {}: {} of its last {} requests were 5xx (status {}), then it left the log after {}",
                d.target, d.errors_5xx, d.window_requests, d.status, d.last_seen
            )?;
        }
    }
    if !r.flow_rejects_by_dstport.is_empty() {
        let rejects: Vec<String> = r
            .flow_rejects_by_dstport
            .iter()
            .map(|(k, v)| format!("{k}×{v}"))
            .collect();
        writeln!(
            out,
            "\n{} {}",
            style.bold("Flow-log REJECTs by destination port:"),
            rejects.join("  ")
        )?;
    }
    let t = &r.timeouts_used;
    writeln!(
        out,
        "\n{}",
        style.dim(&format!(
            "timeouts assumed ({}): connect {} s × {} attempts, read {} s, ALB idle {} s",
            t.source,
            t.connection_timeout,
            t.connection_attempts,
            t.read_timeout,
            t.alb_idle_timeout
        ))
    )?;
    for s in &r.bad_line_samples {
        writeln!(out, "{}", style.yellow(&format!("bad line: {s}")))?;
    }
    // Warnings (unreadable or corrupt files) go to stderr, where `-q` silences them
    // (`cmd::warn`); the JSON output carries them in `warnings`.
    Ok(())
}
