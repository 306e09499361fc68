//! `what-if` as a page: the changes, then each broken and fixed path before → after side by
//! side with the hop that changed and its evidence, the findings on the state after, what AWS
//! would refuse, and the plan's resources by status.

use maud::{Markup, html};

use super::{findings, icon, verdict_badge};
use crate::reach::Verdict;
use crate::report::model::incomplete_message;
use crate::whatif::{PathChange, WhatIfReport};

pub(super) fn page(r: &WhatIfReport) -> Markup {
    html! {
        header {
            h1 { "edgepath what-if" }
            p.lead {
                @if r.nothing_to_check { (verdict_badge(Verdict::Unknown)) " Nothing to check: no change edgepath models." }
                @else if r.broken.is_empty() { (verdict_badge(Verdict::Allowed)) " No path breaks (" (r.evaluated) " evaluated, " (r.unchanged) " unchanged, " (r.fixed.len()) " fixed)." }
                @else { (verdict_badge(Verdict::Blocked)) " " (r.broken.len()) " paths break (" (r.evaluated) " evaluated, " (r.unchanged) " unchanged)." }
            }
            @if r.incomplete() { p.incomplete { (icon(Verdict::Unknown)) " " (incomplete_message(&r.unknown_hops)) } }
        }
        section #changes aria-labelledby="changes-h" {
            h2 #changes-h { "Changes" }
            @if r.changes.is_empty() { p { "No change edgepath models." } }
            ul { @for c in &r.changes { li { code { (c) } } } }
        }
        // Broken and fixed side by side when both have paths; one full-width list otherwise.
        div.side[!r.broken.is_empty() && !r.fixed.is_empty()] {
            @if !r.broken.is_empty() || r.fixed.is_empty() { (paths("broken", "Broken by the change", &r.broken)) }
            @if !r.fixed.is_empty() { (paths("fixed", "Fixed by the change", &r.fixed)) }
        }
        @if !r.findings.is_empty() {
            section #findings aria-labelledby="findings-h" { h2 #findings-h { "Findings on the state after the change" } (findings::plain_findings(&r.findings)) }
        }
        @if !r.blockers.is_empty() {
            section #refused aria-labelledby="refused-h" {
                h2 #refused-h { "AWS would refuse the deletion until these are removed" }
                ul { @for b in &r.blockers { li { (b.kind) " " code { (b.resource) } ": " (b.detail) } } }
            }
        }
        @if !r.resources.is_empty() {
            section #plan aria-labelledby="plan-h" {
                h2 #plan-h { "Plan: " (r.resources.len()) " resource changes" }
                table {
                    thead { tr { th { "status" } th { "address" } th { "actions" } th { "changes / reason" } } }
                    tbody { @for p in &r.resources { tr {
                        td { (p.status.as_str()) } td { code { (p.address) } } td { (p.actions.join("+")) }
                        td { @for c in &p.changes { div { (c) } } @if let Some(w) = &p.reason { div.note { (w) } } }
                    } } }
                }
            }
        }
    }
}

fn paths(id: &str, title: &str, list: &[PathChange]) -> Markup {
    html! {
        section id=(id) aria-labelledby=(format!("{id}-h")) {
            h2 id=(format!("{id}-h")) { (title) " (" (list.len()) ")" }
            @if list.is_empty() { p.note { "None." } }
            @for p in list.iter().take(findings::MAX_ROWS) {
                article.card.path-change data-before=(p.before.as_str()) data-after=(p.after.as_str()) {
                    h3 { code { (p.distribution) } " " (p.behavior) " → " (p.load_balancer) " → " (p.target_group) " → " code { (p.target) } }
                    p.before-after { "before " (verdict_badge(p.before)) " → after " (verdict_badge(p.after)) " at " code { (p.hop) } }
                    @let (before, after): (Vec<&String>, Vec<&String>) = p.evidence.iter().partition(|e| e.starts_with("before: "));
                    div.side.before-after-evidence {
                        div.before { h4 { "Before " (verdict_badge(p.before)) } ul { @for e in &before { li { (e.trim_start_matches("before: ")) } } } }
                        div.after { h4 { "After " (verdict_badge(p.after)) } ul { @for e in &after { li { (e.trim_start_matches("after: ")) } } } }
                    }
                }
            }
            @if list.len() > findings::MAX_ROWS { p.note { "and " (list.len() - findings::MAX_ROWS) " more (every path is in --format json)" } }
        }
    }
}
