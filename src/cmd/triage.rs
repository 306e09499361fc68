//! `edgepath triage`: check + logs + rules, ranked.
//!
//! Glue only: the snapshot gives Inventory (and, through the path evaluator, hop) facts, the
//! logs give log-bucket facts, the rules turn facts into findings and `rules::rank` orders them.
//! Without logs it is `check` + rules; without a snapshot it reads the logs alone and says what
//! a snapshot would add. The timeline (changes in the window, onset, errors; `cmd::timeline`)
//! follows the findings.

use std::path::PathBuf;

use miette::{Result, miette};

use super::logs_s3::{S3Selection, summarize_logs};
use super::timeline::{apply_window, cloudtrail_missing};
use super::{Globals, LiveScope, LoadedInventory, Outcome, emit, load_inventory};
use crate::facts::{Fact, LogBucketFact};
use crate::logs::{LogOptions, bucket_facts};
use crate::model::{Inventory, TimeWindow, WindowArgs};
use crate::reach::{ReachOptions, unknown_hops};
use crate::report::Report;
use crate::report::model::{Coverage, TriageReport};
use crate::rules::log_options::read_options_from_inventory;
use crate::rules::rank::{rank, signature_hops};
use crate::rules::timeline::{MinuteCount, TimelineInput, build_timeline};
use crate::rules::{assemble_facts, load_rules};

/// What `edgepath triage` reads besides the snapshot.
#[derive(Debug, Clone, Default)]
pub struct TriageRequest {
    /// CloudFront / ALB / flow log files, directories, globs or `s3://bucket/prefix/` (empty =
    /// configuration only).
    pub logs: Vec<PathBuf>,
    /// The timeline's window (`--since` / `--from` / `--to`; empty = the default).
    pub window: WindowArgs,
}

/// Classified log buckets for `paths` (the log classifier's facts), with the snapshot's
/// timeouts and behaviors when there is one, and the per-minute 5xx (for the timeline).
pub(super) fn log_input(
    g: &Globals,
    paths: &[PathBuf],
    window: &WindowArgs,
    inv: Option<&Inventory>,
    warnings: &mut Vec<String>,
) -> Result<(Vec<LogBucketFact>, Vec<MinuteCount>)> {
    if paths.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut opts = LogOptions::default();
    if let Some(inv) = inv {
        read_options_from_inventory(inv, &mut opts);
    }
    // `s3://` inputs: an explicit window selects the objects (without one, every object under
    // the prefix is read: the default window depends on the logs' onset).
    let explicit = window.since.is_some() || window.from.is_some() || window.to.is_some();
    let select = S3Selection {
        window: if explicit {
            Some(
                TimeWindow::resolve(window, None, chrono::Utc::now())
                    .map_err(|e| miette!("{e}"))?,
            )
        } else {
            None
        },
        ..S3Selection::default()
    };
    let summary = summarize_logs(g, paths, &select, &opts)?;
    for w in &summary.warnings {
        super::warn(g, w);
    }
    warnings.extend(summary.warnings.iter().cloned());
    let buckets = bucket_facts(&summary)
        .into_iter()
        .filter_map(|f| match f {
            Fact::LogBucket(b) => Some(b),
            _ => None,
        })
        .collect();
    Ok((buckets, super::timeline::per_minute(&summary)))
}

/// Runs `edgepath triage`.
///
/// # Errors
/// Input errors (snapshot, logs, rule files).
pub fn run(g: &Globals, a: &TriageRequest) -> Result<Outcome> {
    let rules = load_rules(&g.rules_dirs)?;
    let mut notes = Vec::new();
    let mut loaded = if g.snapshot.is_some() || a.logs.is_empty() {
        Some(load_inventory(g, &LiveScope::default())?)
    } else {
        None
    };
    let mut warnings = loaded
        .as_ref()
        .map(LoadedInventory::warning_texts)
        .unwrap_or_default();
    let (buckets, per_minute) = log_input(
        g,
        &a.logs,
        &a.window,
        loaded.as_ref().map(|l| &l.inventory),
        &mut warnings,
    )?;
    let window = apply_window(g, &a.window, &buckets, loaded.as_mut())?;
    if let Some(l) = &loaded {
        if a.logs.is_empty() {
            // Nothing at all to evaluate without CloudFront data and without logs.
            super::require_cloudfront_data(l)?;
        } else {
            let missing = super::missing_cloudfront_data(&l.inventory);
            if !missing.is_empty() {
                notes.push(format!(
                    "{} has no CloudFront data, so no CloudFront → ALB path was checked and only the logs were classified; {}",
                    l.source,
                    missing.join("; ")
                ));
            }
        }
    }
    let report = loaded
        .as_ref()
        .map(|l| crate::reach::evaluate(&l.inventory, &ReachOptions::default()))
        .unwrap_or_default();
    let source = match &loaded {
        Some(l) => {
            if a.logs.is_empty() {
                l.source.clone()
            } else {
                format!("{} + logs", l.source)
            }
        }
        None => {
            notes.push(snapshot_would_add(&buckets));
            "logs only".to_owned()
        }
    };
    if a.logs.is_empty() {
        notes.push(
            "no logs given: findings come from configuration alone; with --logs (CloudFront or ALB \
             access logs) they are confirmed or ranked against the 5xx that actually happened"
                .to_owned(),
        );
    }
    let facts = assemble_facts(
        loaded.as_ref().map(|l| &l.inventory),
        std::slice::from_ref(&report),
        &buckets,
    );
    let metrics = crate::report::metrics::section(loaded.as_ref().map(|l| &l.inventory), &facts);
    let evaluation = rules.evaluate(&facts);
    let triage = rank(&rules, &evaluation.findings, &buckets, &evaluation.not_run);
    let timeline = build_timeline(&TimelineInput {
        facts: &facts,
        buckets: &buckets,
        triage: &triage,
        window,
        cloudtrail_missing: cloudtrail_missing(loaded.as_ref()),
        errors_per_minute: per_minute,
    });
    // Exit 1 on a critical finding or a blocked / partial path (as `check`: a blocked path that
    // only warning-level findings explain is still broken, never an all-clear).
    // Exit 3 when nothing was found and some hop could not be checked.
    let bad = triage.has_critical() || report.has_problems();
    let coverage = Coverage::new(unknown_hops(&report.paths), bad);
    let outcome = Outcome::from_checks(bad, coverage.incomplete, g.allow_unknown);
    let explanations = triage
        .diagnoses
        .iter()
        .filter_map(|d| {
            let rule = rules.get(&d.finding.rule)?;
            Some((d.finding.rule.clone(), rule.explain.trim().to_owned()))
        })
        .collect();
    let report = TriageReport {
        source,
        triage,
        notes,
        paths: report.paths,
        coverage,
        warnings,
        timeline,
        metrics,
        explanations,
    };
    emit(g, &Report::Triage(&report))?;
    Ok(outcome)
}

/// What checking the configuration would add to a log-only triage.
fn snapshot_would_add(buckets: &[LogBucketFact]) -> String {
    let mut hops: Vec<&str> = buckets
        .iter()
        .flat_map(|b| signature_hops(&b.signature).iter().copied())
        .collect();
    hops.sort_unstable();
    hops.dedup();
    let hops = if hops.is_empty() {
        String::new()
    } else {
        format!(
            " The log signatures point at the {} hop(s).",
            hops.join(", ")
        )
    };
    format!(
        "no snapshot: the logs say what failed, not why. With --snapshot DIR (examples/collect.sh \
         writes one) edgepath checks the hop they point at: security groups and prefix lists, \
         NACLs, routes, listeners, target health and timeouts, and names the exact fix.{hops}"
    )
}
