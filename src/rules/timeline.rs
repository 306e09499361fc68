//! The timeline of an incident: the changes in the window, the onset and the first and last
//! errors, in time order, each change linked to the finding it explains.
//!
//! A change is *linked* when a rule over its `change` fact fired (the fact touched a failing hop
//! shortly before the onset: `rules/recent-change-broke-path.toml` decides how shortly); its
//! linked finding is then the best-ranked configuration finding on that hop and load balancer (the
//! forward fix), else the change's own finding. Every other change is listed, never blamed. With
//! failing hops and no linked change, the timeline says that no change in the window explains
//! them. Without CloudTrail data the timeline is `unknown` and names the call that supplies it;
//! the findings do not depend on it.
//!
//! Metric entries (`kind = "metric"`) come from CloudWatch (issue 15, item 3).

use serde::Serialize;

use crate::facts::{ChangeFact, Fact, LogBucketFact};
use crate::model::TimeWindow;
use crate::rules::change_facts::log_onset;
use crate::rules::rank::Triage;

/// One entry of a timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    /// RFC 3339.
    pub time: String,
    /// `change`, `onset`, `metric`, `first-error`, `last-error`.
    pub kind: String,
    /// Who made a change (ARN, with the tool: `… via terraform`); empty for other kinds.
    pub actor: String,
    /// The resource a change touched first on a failing hop, else its first resource; for log
    /// entries the distribution.
    pub resource: String,
    /// What happened, in words.
    pub summary: String,
    /// The rule id of the finding this change explains, or `None` (listed, not linked).
    pub linked_finding: Option<String>,
    /// A change whose call failed (nothing changed).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub failed: bool,
    /// A linked change's exact inverse command, or empty.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub revert: String,
}

/// 5xx in one minute (for the sparkline).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MinuteCount {
    /// `YYYY-MM-DDTHH:MM:00Z`.
    pub minute: String,
    /// 5xx that minute.
    pub errors_5xx: u64,
}

/// The timeline of one triage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Timeline {
    /// The window the changes were read for (`None` when it could not be decided).
    #[serde(rename = "timeline_window")]
    pub window: Option<TimeWindow>,
    /// Entries, oldest first.
    #[serde(rename = "timeline")]
    pub entries: Vec<TimelineEntry>,
    /// Why the changes are unknown (`unknown, needs cloudtrail:LookupEvents …`), or `None`.
    #[serde(rename = "timeline_unknown")]
    pub unknown: Option<String>,
    /// "no change in the window explains it: the cause predates …", or `None`.
    #[serde(rename = "timeline_note")]
    pub note: Option<String>,
    /// Per-minute 5xx from the logs (empty without logs).
    #[serde(rename = "errors_per_minute")]
    pub errors_per_minute: Vec<MinuteCount>,
}

impl Timeline {
    /// The linked changes of `rule`'s finding, as `(change entry)`.
    #[must_use]
    pub fn changes_linked_to(&self, rule: &str) -> Vec<&TimelineEntry> {
        self.entries
            .iter()
            .filter(|e| e.kind == "change" && e.linked_finding.as_deref() == Some(rule))
            .collect()
    }
}

/// What the timeline is built from.
pub struct TimelineInput<'a> {
    /// Every fact of the triage (the `change` facts are read).
    pub facts: &'a [Fact],
    /// The log buckets (onset, first and last errors).
    pub buckets: &'a [LogBucketFact],
    /// The ranked findings.
    pub triage: &'a Triage,
    /// The window.
    pub window: Option<TimeWindow>,
    /// `Some(reason)` when CloudTrail events are not available.
    pub cloudtrail_missing: Option<String>,
    /// Per-minute 5xx (minute, count) from the logs.
    pub errors_per_minute: Vec<MinuteCount>,
}

/// Builds the timeline.
#[must_use]
pub fn build_timeline(input: &TimelineInput<'_>) -> Timeline {
    let mut entries: Vec<TimelineEntry> = Vec::new();
    let changes: Vec<&ChangeFact> = input
        .facts
        .iter()
        .filter_map(|f| match f {
            Fact::Change(c) => Some(c),
            _ => None,
        })
        .collect();
    let mut any_linked = false;
    for c in &changes {
        let linked = linked_finding(c, input.triage);
        any_linked |= linked.is_some();
        entries.push(TimelineEntry {
            time: c.time.clone(),
            kind: "change".to_owned(),
            actor: if c.tool == "unknown tool" {
                c.actor.clone()
            } else {
                format!("{} via {}", c.actor, c.tool)
            },
            resource: c
                .linked_resources
                .first()
                .or(c.resources.first())
                .cloned()
                .unwrap_or_default(),
            summary: format!("{}: {}", c.event_name, c.summary),
            revert: if linked.is_some() && c.revertible {
                format!("aws {}", c.revert_arg)
            } else {
                String::new()
            },
            linked_finding: linked,
            failed: c.failed,
        });
    }
    let log_entry = |time: String, kind: &str, summary: String, resource: String| TimelineEntry {
        time,
        kind: kind.to_owned(),
        actor: String::new(),
        resource,
        summary,
        linked_finding: None,
        failed: false,
        revert: String::new(),
    };
    let fives: Vec<&LogBucketFact> = input.buckets.iter().filter(|b| b.status >= 500).collect();
    if let Some(onset) = log_onset(input.buckets) {
        let dist = fives
            .first()
            .map(|b| b.distribution.clone())
            .unwrap_or_default();
        entries.push(log_entry(
            crate::model::time_window::rfc3339(onset),
            "onset",
            "5xx rise above the baseline (logs)".to_owned(),
            dist,
        ));
    }
    if let Some(b) = fives.iter().min_by(|a, b| a.first_seen.cmp(&b.first_seen)) {
        entries.push(log_entry(
            b.first_seen.clone(),
            "first-error",
            format!(
                "first {} {} (median {:.0} s) in the logs",
                b.status, b.detailed_result_type, b.median_time_taken
            ),
            b.distribution.clone(),
        ));
    }
    if let Some(b) = fives.iter().max_by(|a, b| a.last_seen.cmp(&b.last_seen)) {
        entries.push(log_entry(
            b.last_seen.clone(),
            "last-error",
            format!("last {} {} in the logs", b.status, b.detailed_result_type),
            b.distribution.clone(),
        ));
    }
    // Same instant: the change first (it comes before what it caused), then log entries.
    let order = |k: &str| match k {
        "change" => 0,
        "onset" => 1,
        "first-error" => 2,
        "metric" => 3,
        _ => 4,
    };
    entries.sort_by(|a, b| {
        a.time
            .cmp(&b.time)
            .then_with(|| order(&a.kind).cmp(&order(&b.kind)))
    });
    let failing =
        input.triage.diagnoses.iter().any(|d| {
            d.finding.fact == "hop" && d.finding.severity == crate::rules::Severity::Critical
        });
    let note = (input.cloudtrail_missing.is_none() && failing && !any_linked).then(|| {
        let since = input
            .window
            .map(|w| format!("{} UTC", w.from.format("%Y-%m-%d %H:%M")))
            .unwrap_or_else(|| "the window".to_owned());
        format!(
            "no change in the window explains it: no change touched a failing hop shortly before the errors began; the cause predates {since} (widen it with --since or --from)"
        )
    });
    Timeline {
        window: input.window,
        entries,
        unknown: input.cloudtrail_missing.clone(),
        note,
        errors_per_minute: input.errors_per_minute.clone(),
    }
}

/// The finding a change explains: `None` unless a rule fired on its fact (its event id is among
/// that finding's resources); then the best-ranked configuration finding on the same hop and load
/// balancer, else the change's own finding.
fn linked_finding(c: &ChangeFact, triage: &Triage) -> Option<String> {
    let own = triage
        .diagnoses
        .iter()
        .find(|d| d.finding.fact == "change" && d.finding.resources.contains(&c.event_id))?;
    let forward = triage.diagnoses.iter().find(|d| {
        d.finding.fact == "hop"
            && c.failing_hops.contains(&d.finding.hop)
            && (d.finding.resources.contains(&c.alb) || c.alb.is_empty())
    });
    Some(forward.unwrap_or(own).finding.rule.clone())
}
