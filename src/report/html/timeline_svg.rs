//! The timeline section: the per-minute 5xx chart (one bar per minute of the logs' window, the
//! onset marked, each change a marker naming its actor), the timeline table with revert
//! commands, and the CloudWatch metrics table when metric data was loaded.
//!
//! Hand-built SVG, not `plotters`: a bar per minute and a few markers are a hundred lines of
//! maud, escaped like the rest of the page, where `plotters`' SVG backend would add a
//! dependency tree and its own text escaping for one chart. The report's `errors_per_minute`
//! holds the logs' 5xx per minute over every signature together, so the bars are totals; the
//! signatures and their counts are in the findings' log evidence.
//!
//! Each section is its own function returning `Markup`, so more timeline parts slot in beside
//! them.

use chrono::{DateTime, Utc};
use maud::{Markup, html};

use super::code_block;
use crate::report::metrics::MetricsSection;
use crate::rules::timeline::{MinuteCount, Timeline, TimelineEntry};

const LEFT: i64 = 48;
const TOP: i64 = 34;
const CHART_H: i64 = 150;
const MAX_W: i64 = 1180;

fn parse(t: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(t)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// `05:49` of `2026-11-20T05:49:00Z`.
fn hhmm(t: &str) -> &str {
    t.get(11..16).unwrap_or(t)
}

/// The whole timeline section.
pub(super) fn section(t: &Timeline) -> Markup {
    html! {
        section #timeline aria-labelledby="timeline-h" {
            h2 #timeline-h { "Timeline" @if let Some(w) = t.window { " " small.note { "(" (w.to_string()) ")" } } }
            @if !t.errors_per_minute.is_empty() { (chart(&t.errors_per_minute, &t.entries)) }
            @else { p.note { "No logs given: no per-minute 5xx (pass --logs)." } }
            @if let Some(u) = &t.unknown { p.unknown { "Changes: " (u) } }
            (table(&t.entries))
            @if let Some(n) = &t.note { p.note { (n) } }
        }
    }
}

/// Minutes from the chart's first minute to `t` (negative before it).
fn offset(first: DateTime<Utc>, t: &str) -> Option<i64> {
    parse(t).map(|d| (d - first).num_minutes())
}

fn chart(minutes: &[MinuteCount], entries: &[TimelineEntry]) -> Markup {
    let n = i64::try_from(minutes.len()).unwrap_or(i64::MAX);
    let bw = (MAX_W / n).clamp(2, 24);
    let width = LEFT + n * bw + 20;
    let height = TOP + CHART_H + 40;
    let max = minutes
        .iter()
        .map(|m| m.errors_5xx)
        .max()
        .unwrap_or(0)
        .max(1);
    let first = parse(&minutes[0].minute);
    let bottom = TOP + CHART_H;
    let x_at = |k: i64| LEFT + k.clamp(0, n - 1) * bw;
    let onset = entries.iter().find(|e| e.kind == "onset");
    let changes: Vec<&TimelineEntry> = entries.iter().filter(|e| e.kind == "change").collect();
    let tick_every = [1i64, 5, 10, 15, 30, 60, 120, 240, 720, 1440]
        .into_iter()
        .find(|s| n / s <= 12)
        .unwrap_or(1440);
    let total: u64 = minutes.iter().map(|m| m.errors_5xx).sum();
    // A few changes are labelled in the chart; more would overlap (the table has them all).
    let label_changes = changes.len() <= 3;
    #[allow(
        clippy::cast_possible_wrap,
        reason = "5xx counts per minute stay far below 2^63"
    )]
    let bar_h = |c: u64| (c as i64 * CHART_H) / max as i64;
    html! {
        figure.chart {
            svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox=(format!("0 0 {width} {height}")) width=(width) height=(height) aria-labelledby="chart-title" data-minutes=(minutes.len()) {
                title #chart-title { "5xx per minute, " (minutes.len()) " minutes from " (minutes[0].minute) ", " (total) " in all" }
                line.axis x1=(LEFT) y1=(bottom) x2=(LEFT + n * bw) y2=(bottom) {}
                line.axis x1=(LEFT) y1=(TOP) x2=(LEFT) y2=(bottom) {}
                text.sub x=(LEFT - 6) y=(TOP + 4) text-anchor="end" { (max) }
                text.sub x=(LEFT - 6) y=(bottom) text-anchor="end" { "0" }
                @for (k, m) in minutes.iter().enumerate() {
                    @let k = i64::try_from(k).unwrap_or(0);
                    @let h = bar_h(m.errors_5xx);
                    rect.bar.minute x=(x_at(k)) y=(bottom - h) width=((bw - 1).max(1)) height=(h) data-minute=(m.minute) data-count=(m.errors_5xx) {
                        title { (m.minute) ": " (m.errors_5xx) " 5xx" }
                    }
                    @if k % tick_every == 0 {
                        line.axis x1=(x_at(k)) y1=(bottom) x2=(x_at(k)) y2=(bottom + 4) {}
                        text.sub x=(x_at(k)) y=(bottom + 16) text-anchor="middle" { (hhmm(&m.minute)) }
                    }
                }
                text.sub x=(LEFT + n * bw) y=(bottom + 30) text-anchor="end" { "UTC" }
                @if let (Some(first), Some(o)) = (first, onset) {
                    @if let Some(k) = offset(first, &o.time) {
                        @let x = x_at(k) + bw / 2;
                        g.onset-marker data-minute=(o.time) {
                            title { "onset " (o.time) ": " (o.summary) }
                            line.onset x1=(x) y1=(TOP - 6) x2=(x) y2=(bottom) {}
                            text x=(x + 4) y=(TOP - 8) { "⚑ onset " (hhmm(&o.time)) }
                        }
                    }
                }
                @if let Some(first) = first {
                    @for c in &changes {
                        @if let Some(k) = offset(first, &c.time) {
                            @let x = x_at(k) + bw / 2;
                            g.change-marker data-time=(c.time) data-actor=(c.actor) {
                                title { (c.time) " — " (c.summary) " — by " (c.actor) @if k < 0 { " (before the chart)" } }
                                path.change.linked[c.linked_finding.is_some()] d=(format!("M{} {} l6 -10 h-12 z", x, TOP + 2)) {}
                                @if label_changes {
                                    text.sub x=(x - 8) y=(TOP - 2) text-anchor="end" { "▼ " (hhmm(&c.time)) " " (truncate_actor(&c.actor)) }
                                }
                            }
                        }
                    }
                }
            }
            figcaption { "5xx per minute (all signatures), from the logs. "
                @if let Some(o) = onset { "⚑ onset at " (o.time) ". " }
                @if !changes.is_empty() { "▼ changes (" (changes.len()) "), listed below with their actor." }
            }
        }
    }
}

/// The part of an actor ARN that names someone: `terraform-deployer/gh-actions-8841 via
/// terraform` of `arn:aws:sts::1111:assumed-role/terraform-deployer/…`, at most 48 characters.
fn truncate_actor(actor: &str) -> String {
    let short = actor.rsplit(':').next().unwrap_or(actor);
    let short = short.strip_prefix("assumed-role/").unwrap_or(short);
    if short.chars().count() > 48 {
        format!("{}…", short.chars().take(47).collect::<String>())
    } else {
        short.to_owned()
    }
}

fn table(entries: &[TimelineEntry]) -> Markup {
    html! {
        @if !entries.is_empty() {
            table.timeline {
                thead { tr { th { "time (UTC)" } th { "kind" } th { "what" } th { "who" } th { "linked finding" } } }
                tbody {
                    @for e in entries {
                        tr data-kind=(e.kind) {
                            td { code { (e.time) } }
                            td { (e.kind) @if e.failed { " (failed)" } }
                            td { (e.summary) }
                            td { (e.actor) }
                            td { @if let Some(r) = &e.linked_finding { code { (r) } } }
                        }
                    }
                }
            }
            @for (i, e) in entries.iter().enumerate().filter(|(_, e)| !e.revert.is_empty()) {
                p { "Revert the change of " code { (e.time) } ":" }
                (code_block(&format!("revert-{i}"), &e.revert))
            }
        }
    }
}

/// What CloudWatch measured, per resource.
pub(super) fn metrics(m: &MetricsSection) -> Markup {
    html! {
        section #metrics aria-labelledby="metrics-h" {
            h2 #metrics-h { "Metrics (CloudWatch, 1-minute)" }
            table {
                thead { tr { th { "resource" } th { "window" } th { "5xx/min" } th { "onset" } th { "trend" } th { "signature" } } }
                tbody {
                    @for p in &m.resources {
                        tr {
                            td { (p.source) " " code { (p.resource) } }
                            td { (p.window[0]) " .. " (p.window[1]) }
                            td { code aria-label="sparkline" { (p.sparkline) } }
                            td { (p.onset) }
                            td { (p.trend) }
                            td { (p.meaning) @if !p.evidence.is_empty() { details { summary { "evidence" } ul { @for e in &p.evidence { li { (e) } } } } } }
                        }
                    }
                }
            }
            @for n in &m.notes { p.note { (n) } }
        }
    }
}
