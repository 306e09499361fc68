//! Text output for a terminal: one file per command's layout, and the colour of a verdict and of
//! a severity, decided here once.

mod blockers;
mod check;
mod inventory;
mod logs;
mod metrics;
mod rules;
pub(crate) mod timeline;
mod triage;
mod whatif;

use std::io::{self, Write};

use super::model::Report;
use super::style::Style;
use crate::reach::Verdict;
use crate::rules::Severity;

/// Writes `report` as text.
///
/// # Errors
/// Writing failed.
pub fn render(report: &Report<'_>, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    match *report {
        Report::Check(r) => check::render(r, style, out),
        Report::Triage(r) => triage::render(r, style, out),
        Report::Timeline(r) => timeline::render(r, style, out),
        Report::Logs(r) => logs::render(r, style, out),
        Report::Blockers(r) => blockers::render(r, style, out),
        Report::WhatIf(r) => whatif::render(r, style, out),
        Report::Inventory(r) => inventory::render(r, style, out),
        Report::RuleFacts => rules::render_facts(out),
        Report::RuleList(r) => rules::render_list(r, style, out),
        Report::RuleDetail(r) => rules::render_detail(r, style, out),
        Report::RuleTests(r) => rules::render_tests(r, style, out),
    }
}

/// `text` painted in the colour of `verdict`: allowed green, blocked red, partial yellow,
/// unknown magenta.
pub(super) fn paint_verdict(style: &Style, verdict: Verdict, text: &str) -> String {
    match verdict {
        Verdict::Allowed => style.green(text),
        Verdict::Blocked => style.red(text),
        Verdict::Partial => style.yellow(text),
        Verdict::Unknown => style.magenta(text),
    }
}

/// `text` painted in the colour of `severity`: critical red, warning yellow, info dim.
pub(super) fn paint_severity(style: &Style, severity: Severity, text: &str) -> String {
    match severity {
        Severity::Critical => style.red(text),
        Severity::Warning => style.yellow(text),
        Severity::Info => style.dim(text),
    }
}
