//! Running the `[[test]]` cases embedded in rule files (`edgepath rules test`, `cargo test`).
//!
//! A case gives facts three ways: `facts` (inline tables, each the kind's defaults plus the
//! keys given), `snapshot` (a snapshot directory, evaluated by `reach` with default options) and
//! `logs` (log files or a directory, classified as `edgepath logs` does, with the snapshot's
//! timeouts when the case has one). Snapshot and log facts come from
//! [`assemble_facts`](super::assemble_facts), as in `check` and `triage`, so a rule test sees
//! exactly what a user's run sees. The rule must fire on at least one of them
//! (`expect = "fires"`) or on none (`"silent"`).

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::log_options::read_options_from_inventory;
use super::{Rule, RuleSet, TestCase, assemble_facts};
use crate::facts::Fact;
use crate::logs::{LogOptions, bucket_facts, summarize};
use crate::reach::{ReachOptions, ReachReport};
use crate::source::snapshot::load_snapshot;

/// The result of one test case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseResult {
    /// Rule id.
    pub rule: String,
    /// Which case (`#1 fires: snapshot examples/x`).
    pub case: String,
    /// Whether it passed.
    pub passed: bool,
    /// Why it failed (or what fired), for the report.
    pub detail: String,
}

/// Runs every case of every rule of `set`.
#[must_use]
pub fn run_tests(set: &RuleSet) -> Vec<CaseResult> {
    let mut out = Vec::new();
    for rule in &set.rules {
        for (i, case) in rule.tests.iter().enumerate() {
            out.push(run_case(set, rule, i, case));
        }
    }
    out
}

fn describe(i: usize, case: &TestCase) -> String {
    let mut parts = Vec::new();
    if let Some(n) = &case.name {
        parts.push(n.clone());
    }
    if let Some(s) = &case.snapshot {
        parts.push(format!("snapshot {s}"));
    }
    if let Some(l) = &case.logs {
        parts.push(format!("logs {l}"));
    }
    if !case.facts.is_empty() && case.name.is_none() {
        parts.push(format!("{} inline fact(s)", case.facts.len()));
    }
    let expect = if case.fires { "fires" } else { "silent" };
    format!("#{} {expect}: {}", i + 1, parts.join(", "))
}

/// Where a test path resolves: beside a custom rule's directory, the current directory, then
/// the crate root (for built-in rules run from elsewhere).
fn resolve(rule: &Rule, rel: &str) -> PathBuf {
    let mut candidates = Vec::new();
    if let Some(file) = &rule.origin
        && let Some(dir) = file.parent()
    {
        candidates.push(dir.join(rel));
        if let Some(parent) = dir.parent() {
            candidates.push(parent.join(rel));
        }
    }
    candidates.push(PathBuf::from(rel));
    candidates.push(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel));
    candidates
        .iter()
        .find(|p| p.exists())
        .cloned()
        .unwrap_or_else(|| PathBuf::from(rel))
}

fn run_case(set: &RuleSet, rule: &Rule, i: usize, case: &TestCase) -> CaseResult {
    let name = describe(i, case);
    let fail = |detail: String| CaseResult {
        rule: rule.id.clone(),
        case: name.clone(),
        passed: false,
        detail,
    };
    let mut inventory = None;
    if let Some(snap) = &case.snapshot {
        let dir = resolve(rule, snap);
        match load_snapshot(&dir) {
            Ok(loaded) => inventory = Some(loaded.inventory),
            Err(e) => return fail(format!("cannot load snapshot {}: {e}", dir.display())),
        }
    }
    let mut log_buckets = Vec::new();
    if let Some(logs) = &case.logs {
        let path = resolve(rule, logs);
        let mut opts = LogOptions::default();
        if let Some(inv) = &inventory {
            read_options_from_inventory(inv, &mut opts);
        }
        match summarize(std::slice::from_ref(&path), &opts) {
            Ok(summary) => {
                log_buckets.extend(bucket_facts(&summary).into_iter().filter_map(|f| match f {
                    Fact::LogBucket(b) => Some(b),
                    _ => None,
                }))
            }
            Err(e) => return fail(format!("cannot read logs {}: {e}", path.display())),
        }
    }
    let reach: Vec<ReachReport> = inventory
        .iter()
        .map(|inv| crate::reach::evaluate(inv, &ReachOptions::default()))
        .collect();
    let mut facts: Vec<serde_json::Value> = case.facts.clone();
    facts.extend(
        assemble_facts(inventory.as_ref(), &reach, &log_buckets)
            .iter()
            .filter_map(|f| serde_json::to_value(f).ok()),
    );
    let evaluation = set.evaluate_json(&facts);
    let fired: Vec<_> = evaluation
        .findings
        .iter()
        .filter(|f| f.rule == rule.id)
        .collect();
    let passed = fired.is_empty() != case.fires;
    let detail = match (fired.first(), passed) {
        (Some(f), _) => format!("fired: {}", f.message),
        (None, true) => String::new(),
        (None, false) => {
            let why: Vec<String> = evaluation
                .not_run
                .iter()
                .filter(|n| n.rule == rule.id)
                .map(|n| n.reason.clone())
                .collect();
            if why.is_empty() {
                "did not fire".to_owned()
            } else {
                format!("did not fire; could not run: {}", why.join("; "))
            }
        }
    };
    CaseResult {
        rule: rule.id.clone(),
        case: name,
        passed,
        detail,
    }
}
