//! `edgepath timeline`: the changes in the window, the onset and the errors, in time order; and
//! the window and CloudTrail handling `triage` shares.
//!
//! Glue only: the window is resolved here (`--since` / `--from --to`, else 6 h before the logs'
//! onset, else 24 h), the Inventory's CloudTrail events are narrowed to it before the facts are
//! assembled, and `rules::timeline` builds the timeline from the facts and the ranked findings.
//! "Now" is the clock for a live run; for a snapshot it is the snapshot's horizon (its latest
//! CloudTrail event or log minute), so an old snapshot's window still covers its incident.

use std::path::PathBuf;

use chrono::{DateTime, Duration, SubsecRound, Utc};
use miette::Result;

use super::triage::log_input;
use super::{Globals, LiveScope, LoadedInventory, Outcome, emit, load_inventory};
use crate::facts::LogBucketFact;
use crate::model::change::{event_time, is_modelled};
use crate::model::{Kind, TimeWindow, WindowArgs};
use crate::reach::ReachOptions;
use crate::report::Report;
use crate::report::model::TimelineReport;
use crate::rules::change_facts::log_onset;
use crate::rules::rank::rank;
use crate::rules::timeline::{MinuteCount, Timeline, TimelineInput, build_timeline};
use crate::rules::{assemble_facts, load_rules};

/// What `edgepath timeline` reads besides the snapshot.
#[derive(Debug, Clone, Default)]
pub struct TimelineRequest {
    /// CloudFront / ALB log files, directories or globs (the onset and the errors).
    pub logs: Vec<PathBuf>,
    /// `--since` / `--from` / `--to`.
    pub window: WindowArgs,
}

/// The latest instant the inputs know of: the newest CloudTrail event or log minute.
fn horizon(loaded: Option<&LoadedInventory>, buckets: &[LogBucketFact]) -> Option<DateTime<Utc>> {
    let events = loaded
        .into_iter()
        .flat_map(|l| l.inventory.cloudtrail_events.values())
        .filter_map(event_time);
    let logs = buckets.iter().filter_map(|b| {
        DateTime::parse_from_rfc3339(&b.last_seen)
            .ok()
            .map(|t| t.with_timezone(&Utc) + Duration::minutes(1))
    });
    events.chain(logs).max()
}

/// Resolves the window and drops the modelled CloudTrail events outside it (other events, such
/// as `CreateVpcEndpoint` provenance, stay). `None` for a snapshot that holds no time at all (no
/// event, no log) when no window was asked for: there is nothing to place in one.
///
/// # Errors
/// A window argument that cannot be read.
pub(super) fn apply_window(
    g: &Globals,
    args: &WindowArgs,
    buckets: &[LogBucketFact],
    loaded: Option<&mut LoadedInventory>,
) -> Result<Option<TimeWindow>> {
    let clock = || Utc::now().trunc_subsecs(0);
    let now = match (g.snapshot.is_some(), horizon(loaded.as_deref(), buckets)) {
        (false, _) => Some(clock()),
        (true, Some(h)) => Some(h),
        (true, None) if *args != WindowArgs::default() => Some(clock()),
        (true, None) => None,
    };
    let Some(now) = now else {
        return Ok(None);
    };
    let window =
        TimeWindow::resolve(args, log_onset(buckets), now).map_err(|e| miette::miette!("{e}"))?;
    if let Some(l) = loaded {
        l.inventory.cloudtrail_events.retain(|_, e| {
            !is_modelled(&e.event_name) || event_time(e).is_none_or(|t| window.contains(t))
        });
    }
    Ok(Some(window))
}

/// Why the changes are unknown: no CloudTrail data in the source (with the call that supplies
/// it), or no snapshot at all.
pub(super) fn cloudtrail_missing(loaded: Option<&LoadedInventory>) -> Option<String> {
    match loaded {
        None => Some(
            "unknown, needs cloudtrail:LookupEvents: no snapshot given (run with --snapshot DIR holding `aws cloudtrail lookup-events` output, or live)"
                .to_owned(),
        ),
        Some(l) if !l.inventory.has(Kind::CloudTrailEvents) => Some(format!(
            "unknown, needs cloudtrail:LookupEvents: {}",
            l.inventory.missing_reason(Kind::CloudTrailEvents)
        )),
        Some(_) => None,
    }
}

/// Runs `edgepath timeline`.
///
/// # Errors
/// Input errors (snapshot, logs, rule files, window arguments).
pub fn run(g: &Globals, a: &TimelineRequest) -> Result<Outcome> {
    let rules = load_rules(&g.rules_dirs)?;
    let mut loaded = load_inventory(g, &LiveScope::default())?;
    let mut warnings = loaded.warning_texts();
    let (buckets, per_minute) = log_input(
        g,
        &a.logs,
        &a.window,
        Some(&loaded.inventory),
        &mut warnings,
    )?;
    let window = apply_window(g, &a.window, &buckets, Some(&mut loaded))?;
    let reach = crate::reach::evaluate(&loaded.inventory, &ReachOptions::default());
    let facts = assemble_facts(
        Some(&loaded.inventory),
        std::slice::from_ref(&reach),
        &buckets,
    );
    let evaluation = rules.evaluate(&facts);
    let triage = rank(&rules, &evaluation.findings, &buckets, &evaluation.not_run);
    let timeline: Timeline = build_timeline(&TimelineInput {
        facts: &facts,
        buckets: &buckets,
        triage: &triage,
        window,
        cloudtrail_missing: cloudtrail_missing(Some(&loaded)),
        errors_per_minute: per_minute,
    });
    let source = if a.logs.is_empty() {
        loaded.source.clone()
    } else {
        format!("{} + logs", loaded.source)
    };
    emit(
        g,
        &Report::Timeline(&TimelineReport {
            source,
            timeline,
            warnings,
        }),
    )?;
    Ok(Outcome::Clean)
}

/// Per-minute 5xx of a log summary's timeline.
pub(super) fn per_minute(summary: &crate::logs::LogSummary) -> Vec<MinuteCount> {
    summary
        .timeline
        .iter()
        .map(|p| MinuteCount {
            minute: p.minute.clone(),
            errors_5xx: p.errors_5xx,
        })
        .collect()
}
