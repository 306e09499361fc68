//! The structure of a triage report, shared by its text and Markdown renderings: which
//! sections appear, in which order, and which lines a diagnosis has (a log finding has no
//! "seen" line and no separate log evidence: its message is the log evidence). The renderers
//! only choose the markup.

use crate::rules::NotRun;
use crate::rules::rank::{Diagnosis, Share};

use super::model::TriageReport;
use crate::rules::timeline::Timeline;

/// One section of the triage report, in output order.
pub(super) enum Section<'a> {
    /// No rule fired.
    NoFindings,
    /// One ranked cause and its lines.
    Diagnosis(&'a Diagnosis, Vec<Line<'a>>),
    /// Log buckets of 5xx that no finding explains, and how many 5xx they hold.
    Unexplained(&'a [String], Option<Share>),
    /// Checks that could not run.
    NotRun(&'a [NotRun]),
    /// Changes, onset and errors in time order.
    Timeline(&'a Timeline),
    /// A note on what the inputs could not tell.
    Note(&'a str),
    /// Nothing found, but some hops could not be checked (the last section, like the exit code).
    Incomplete(String),
}

/// One line of a diagnosis.
pub(super) enum Line<'a> {
    /// The message of a configuration finding.
    Config(&'a str),
    /// The message of a log finding.
    FromLogs(&'a str),
    /// How many of the logs' 5xx the finding explains.
    Explains(Share),
    /// What the configuration fact said.
    Seen(&'a str),
    /// An agreeing log bucket.
    LogEvidence(&'a str),
    /// The resources involved.
    Resources(&'a [String]),
    /// The fix.
    Fix(&'a str),
    /// A change the timeline links to this finding, as one sentence.
    Change(String),
}

/// The sections of `r`, in output order.
pub(super) fn sections(r: &TriageReport) -> Vec<Section<'_>> {
    let t = &r.triage;
    let mut out = Vec::new();
    if t.diagnoses.is_empty() {
        out.push(Section::NoFindings);
    }
    out.extend(
        t.diagnoses
            .iter()
            .map(|d| Section::Diagnosis(d, lines(d, &r.timeline))),
    );
    if !t.unexplained_logs.is_empty() {
        out.push(Section::Unexplained(&t.unexplained_logs, t.unexplained));
    }
    if !t.not_run.is_empty() {
        out.push(Section::NotRun(&t.not_run));
    }
    out.push(Section::Timeline(&r.timeline));
    out.extend(r.notes.iter().map(|n| Section::Note(n)));
    if let Some(m) = r.coverage.message() {
        out.push(Section::Incomplete(m));
    }
    out
}

fn lines<'a>(d: &'a Diagnosis, timeline: &Timeline) -> Vec<Line<'a>> {
    let f = &d.finding;
    let from_logs = f.fact == "log_bucket";
    let mut out = vec![if from_logs {
        Line::FromLogs(&f.message)
    } else {
        Line::Config(&f.message)
    }];
    out.extend(d.explains.map(Line::Explains));
    if !from_logs {
        if !f.evidence.is_empty() {
            out.push(Line::Seen(&f.evidence));
        }
        out.extend(d.log_evidence.iter().map(|e| Line::LogEvidence(e)));
    }
    if !f.resources.is_empty() {
        out.push(Line::Resources(&f.resources));
    }
    for c in timeline.changes_linked_to(&f.rule) {
        let mut line = format!("{} at {} by {}", c.summary, c.time, c.actor);
        if !c.revert.is_empty() {
            line.push_str(&format!("; revert: {}", c.revert));
        }
        out.push(Line::Change(line));
    }
    out.push(Line::Fix(&f.fix));
    out
}
