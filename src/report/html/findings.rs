//! Findings: `triage`'s ranked diagnoses (the lines of `report::triage_outline`, the same as
//! text and Markdown) with the share of 5xx each explains, its evidence, the fix in a copyable
//! code block and the rule's explanation folded; `check`'s and `what-if`'s findings; the
//! unexplained 5xx and the checks that could not run.

use maud::{Markup, html};

use super::{code_block, severity_badge, slug};
use crate::report::triage_outline::Line;
use crate::rules::rank::{Diagnosis, Share};
use crate::rules::{Finding, NotRun};

/// One ranked diagnosis.
pub(super) fn diagnosis(d: &Diagnosis, lines: &[Line<'_>], explain: Option<&String>) -> Markup {
    let f = &d.finding;
    html! {
        article.card.finding.(format!("rank-{}", d.rank)) data-rule=(f.rule) data-rank=(d.rank) {
            h3 { (d.rank) ". " (severity_badge(f.severity)) " " (f.title) }
            p.note { "rule " code { (f.rule) } " · hop " code { (f.hop) } @if d.logs_agree { " · the logs agree" } }
            dl {
                @for line in lines {
                    @match line {
                        Line::Config(m) => { dt { "Config" } dd { (m) } }
                        Line::FromLogs(m) => { dt { "Logs" } dd { (m) } }
                        Line::Explains(s) => { dt { "5xx" } dd.explains data-percent=(s.percent) { "explains " (s.to_string()) (share_bar(*s)) } }
                        Line::Seen(e) => { dt { "Seen" } dd { (e) } }
                        Line::LogEvidence(e) => { dt { "Log evidence" } dd { (e) } }
                        Line::Resources(r) => { dt { "On" } dd { @for (i, x) in r.iter().enumerate() { @if i > 0 { ", " } code { (x) } } } }
                        Line::Change(c) => { dt { "Change" } dd { (c) } }
                        Line::Fix(_) => {}
                    }
                }
            }
            h4 { "Fix" }
            (code_block(&slug("fix", d.rank), &f.fix))
            @if let Some(e) = explain.filter(|e| !e.is_empty()) {
                details.explain { summary { "Why this gives 504s (rule " code { (f.rule) } ")" } pre.explain-text { (e) } }
            }
        }
    }
}

fn share_bar(s: Share) -> Markup {
    html! { " " meter min="0" max="100" value=(s.percent) title=(format!("{} %", s.percent)) { (s.percent) " %" } }
}

/// Findings without ranking (`check`, `what-if`).
pub(super) fn plain_findings(findings: &[Finding]) -> Markup {
    html! {
        @if findings.is_empty() { p { "No rule fired." } }
        @for (i, f) in findings.iter().enumerate() {
            article.card.finding data-rule=(f.rule) {
                h3 { (severity_badge(f.severity)) " " (f.title) }
                p.note { "rule " code { (f.rule) } " · hop " code { (f.hop) } }
                p { (f.message) }
                @if !f.evidence.is_empty() { p { strong { "Seen: " } (f.evidence) } }
                @if !f.resources.is_empty() { p { strong { "On: " } @for (j, x) in f.resources.iter().enumerate() { @if j > 0 { ", " } code { (x) } } } }
                h4 { "Fix" }
                (code_block(&slug("finding-fix", i + 1), &f.fix))
            }
        }
    }
}

/// 5xx that no finding explains.
pub(super) fn unexplained(logs: &[String], share: Option<Share>) -> Markup {
    html! {
        article.card.unexplained {
            h3 { "5xx in the logs that no finding explains" @if let Some(s) = share { ": " (s.to_string()) } }
            ul { @for l in logs { li { (l) } } }
        }
    }
}

/// Checks that could not run, with the call that supplies their data.
pub(super) fn not_run(n: &[NotRun]) -> Markup {
    html! {
        details.not-run {
            summary { (n.len()) " checks could not run (data missing)" }
            ul { @for x in n { li { code { (x.rule) } ": " (x.reason) } } }
        }
    }
}
