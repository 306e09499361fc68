//! Findings: `triage`'s ranked diagnoses (the lines of `report::triage_outline`, the same as
//! text and Markdown) with the share of 5xx each explains, its evidence, the fix in a copyable
//! code block and the rule's explanation folded; `check`'s and `what-if`'s findings; the
//! unexplained 5xx and the checks that could not run.

use maud::{Markup, html};

use super::{code_block, severity_badge, slug};
use crate::report::triage_outline::Line;
use crate::rules::rank::{Diagnosis, Share};
use crate::rules::{Finding, NotRun};

/// Diagnoses drawn as cards; the rest are rows of one table (large accounts have thousands).
pub(super) const CARDS: usize = 20;
/// Rows of that table, and of other long lists (`--format json` has every one).
pub(super) const MAX_ROWS: usize = 300;

/// The diagnoses after the first [`CARDS`], as table rows with their fix.
pub(super) fn more_diagnoses(rest: &[Diagnosis]) -> Markup {
    html! {
        details.more-findings open {
            summary { (rest.len()) " more findings" }
            table {
                thead { tr { th { "#" } th { "severity" } th { "rule" } th { "on" } th { "fix" } } }
                tbody {
                    @for d in rest.iter().take(MAX_ROWS) {
                        @let f = &d.finding;
                        tr data-rule=(f.rule) data-rank=(d.rank) {
                            td { (d.rank) } td { (severity_badge(f.severity)) } td { code { (f.rule) } }
                            td { @for (i, x) in f.resources.iter().take(4).enumerate() { @if i > 0 { ", " } code { (x) } } @if f.resources.len() > 4 { " …" } }
                            td { pre id=(slug("fix", d.rank)) { code { (f.fix) } } }
                        }
                    }
                }
            }
            @if rest.len() > MAX_ROWS { p.note { "and " (rest.len() - MAX_ROWS) " more (every finding is in --format json)" } }
        }
    }
}

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
        @for (i, f) in findings.iter().enumerate().take(CARDS) {
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
        @if findings.len() > CARDS {
            details.more-findings open {
                summary { (findings.len() - CARDS) " more findings" }
                table {
                    thead { tr { th { "severity" } th { "rule" } th { "message" } th { "fix" } } }
                    tbody {
                        @for (i, f) in findings.iter().enumerate().skip(CARDS).take(MAX_ROWS) {
                            tr data-rule=(f.rule) {
                                td { (severity_badge(f.severity)) } td { code { (f.rule) } } td { (f.message) }
                                td { pre id=(slug("finding-fix", i + 1)) { code { (f.fix) } } }
                            }
                        }
                    }
                }
                @if findings.len() > CARDS + MAX_ROWS { p.note { "and " (findings.len() - CARDS - MAX_ROWS) " more (every finding is in --format json)" } }
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

/// Reasons listed per rule; the count says how many more.
const REASONS_PER_RULE: usize = 5;

/// Checks that could not run, per rule, with the call that supplies their data.
pub(super) fn not_run(n: &[NotRun]) -> Markup {
    let mut by_rule: Vec<(&str, Vec<&str>)> = Vec::new();
    for x in n {
        match by_rule.iter_mut().find(|(r, _)| *r == x.rule) {
            Some((_, reasons)) => reasons.push(&x.reason),
            None => by_rule.push((&x.rule, vec![&x.reason])),
        }
    }
    html! {
        details.not-run {
            summary { (n.len()) " checks could not run (data missing)" }
            ul {
                @for (rule, reasons) in &by_rule {
                    li data-rule=(rule) {
                        code { (rule) } @if reasons.len() > 1 { " (" (reasons.len()) "×)" } ": "
                        @if reasons.len() == 1 { (reasons[0]) } @else {
                            ul { @for r in reasons.iter().take(REASONS_PER_RULE) { li { (r) } } }
                            @if reasons.len() > REASONS_PER_RULE { p.note { "and " (reasons.len() - REASONS_PER_RULE) " more like these (--format json lists each)" } }
                        }
                    }
                }
            }
        }
    }
}
