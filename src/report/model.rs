//! The report data of each command: what `cmd` builds and the renderers read.
//!
//! Evaluator answers (`ReachReport`, `LogSummary`, `BlockerReport`, `WhatIfReport`, the rules'
//! `Evaluation` and `Triage`) are data already and are borrowed as they are; the types here add
//! what a command puts beside them (triage's source and notes, the inventory's counts, the rule
//! catalogue). Every type serializes to its JSON form; `report::json` adds the envelopes.

use serde::Serialize;

use crate::blockers::BlockerReport;
use crate::logs::LogSummary;
use crate::model::Kind;
use crate::reach::{PathTrace, ReachReport, UnknownHop, ViewerRequest};
use crate::rules::rank::Triage;
use crate::rules::testing::CaseResult;
use crate::rules::timeline::Timeline;
use crate::rules::{Evaluation, Severity};
use crate::source::CollectionStats;
use crate::whatif::WhatIfReport;

/// One command's answer, ready to render.
#[derive(Debug, Clone, Copy)]
pub enum Report<'a> {
    /// `edgepath check`.
    Check(&'a CheckReport<'a>),
    /// `edgepath triage`.
    Triage(&'a TriageReport),
    /// `edgepath timeline`.
    Timeline(&'a TimelineReport),
    /// `edgepath logs`.
    Logs(&'a LogSummary),
    /// `edgepath blockers`.
    Blockers(&'a BlockerReport),
    /// `edgepath what-if`.
    WhatIf(&'a WhatIfReport),
    /// `edgepath inventory`.
    Inventory(&'a InventoryReport),
    /// `edgepath rules facts`: the fact schema.
    RuleFacts,
    /// `edgepath rules list`.
    RuleList(&'a RuleList),
    /// `edgepath rules show ID`.
    RuleDetail(&'a RuleDetail),
    /// `edgepath rules test`.
    RuleTests(&'a RuleTests),
}

/// `check`: the paths (reach's answer) plus the rules' findings over the same facts.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport<'a> {
    /// Every path and the origins not evaluated.
    #[serde(flatten)]
    pub paths: &'a ReachReport,
    /// Findings and checks that could not run.
    #[serde(flatten)]
    pub rules: Evaluation,
    /// Hops that could not be checked, and whether that leaves the answer incomplete.
    #[serde(flatten)]
    pub coverage: Coverage,
    /// The snapshot loader's warnings (also on stderr unless `-q`).
    pub warnings: Vec<String>,
    /// The one viewer request evaluated (`check --path`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<ViewerRequest>,
}

impl CheckReport<'_> {
    /// For `check --path`: each distribution and the behavior its path falls under.
    #[must_use]
    pub fn request_behaviors(&self) -> Vec<(&str, &str)> {
        let mut pairs: Vec<(&str, &str)> = self
            .paths
            .paths
            .iter()
            .map(|p| (p.distribution.as_str(), p.behavior.as_str()))
            .collect();
        pairs.dedup();
        pairs
    }
}

/// Which hops could not be checked (`unknown`: data missing or a read denied), and whether that
/// makes the answer incomplete: nothing broken in what could be checked, some hops unchecked
/// (exit 3 unless `--allow-unknown`). Serialized as `unknown_hops[]` and `incomplete`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Coverage {
    /// Every `unknown` hop, once (empty when every hop was decided).
    pub unknown_hops: Vec<UnknownHop>,
    /// Nothing is broken, but `unknown_hops` is not empty.
    pub incomplete: bool,
}

impl Coverage {
    /// The coverage of an answer: `broken` is whether the command found a problem.
    #[must_use]
    pub fn new(unknown_hops: Vec<UnknownHop>, broken: bool) -> Coverage {
        Coverage {
            incomplete: !broken && !unknown_hops.is_empty(),
            unknown_hops,
        }
    }

    /// The "incomplete: …" line, or `None` when the answer is not incomplete.
    #[must_use]
    pub fn message(&self) -> Option<String> {
        self.incomplete
            .then(|| incomplete_message(&self.unknown_hops))
    }
}

/// "incomplete: no problem in what could be checked; 2 hops could not be checked: …", naming
/// the first few hops with what each lacks (the JSON's `unknown_hops[]` has them all).
#[must_use]
pub fn incomplete_message(unknown_hops: &[UnknownHop]) -> String {
    const NAMED: usize = 5;
    let n = unknown_hops.len();
    let mut named: Vec<String> = unknown_hops
        .iter()
        .take(NAMED)
        .map(|u| {
            if u.missing.is_empty() {
                format!("{} of {}", u.hop, u.resource)
            } else {
                format!(
                    "{} of {} (missing {})",
                    u.hop,
                    u.resource,
                    u.missing.join(", ")
                )
            }
        })
        .collect();
    if n > NAMED {
        named.push(format!("and {} more", n - NAMED));
    }
    let hops = if n == 1 { "hop" } else { "hops" };
    format!(
        "incomplete: no problem in what could be checked; {n} {hops} could not be checked: {}",
        named.join("; ")
    )
}

/// `triage`: ranked causes with their log evidence.
#[derive(Debug, Clone, Serialize)]
pub struct TriageReport {
    /// `snapshot DIR`, `snapshot DIR + logs`, `logs only`, `live …`.
    pub source: String,
    /// Ranked diagnoses, unexplained log buckets, checks that could not run.
    #[serde(flatten)]
    pub triage: Triage,
    /// What the inputs could not tell (no logs, no snapshot, no CloudFront data).
    pub notes: Vec<String>,
    /// The evaluated paths (empty for a logs-only triage): DESIGN's `paths[]`, as in `check`.
    pub paths: Vec<PathTrace>,
    /// Hops that could not be checked, and whether that leaves the answer incomplete.
    #[serde(flatten)]
    pub coverage: Coverage,
    /// The snapshot loader's and the log readers' warnings (also on stderr unless `-q`).
    pub warnings: Vec<String>,
    /// Changes, onset and errors in time order (`timeline[]`, `timeline_window`,
    /// `timeline_unknown`, `timeline_note`, `errors_per_minute[]`).
    #[serde(flatten)]
    pub timeline: Timeline,
    /// What CloudWatch measured (`get-metric-data`); absent when no metric data was loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metrics: Option<super::metrics::MetricsSection>,
    /// Each diagnosed rule's `explain` text (`rules show`), by rule id, for the HTML page's
    /// folded explanations (not part of the JSON: `rules show --format json` has it).
    #[serde(skip)]
    pub explanations: std::collections::BTreeMap<String, String>,
}

/// `timeline`: the timeline alone.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineReport {
    /// `snapshot DIR`, `snapshot DIR + logs`.
    pub source: String,
    /// The timeline.
    #[serde(flatten)]
    pub timeline: Timeline,
    /// Loader and log-reader warnings.
    pub warnings: Vec<String>,
}

/// `inventory`: what was loaded, counts per kind, warnings, and which checks lack data.
#[derive(Debug, Clone, Serialize)]
pub struct InventoryReport {
    /// `snapshot DIR` or `live …`.
    pub source: String,
    /// Kind → count, for loaded kinds.
    pub counts: Vec<KindCount>,
    /// Kinds not loaded.
    pub missing: Vec<MissingKind>,
    /// Checks that cannot run fully, and why.
    pub checks_lacking_data: Vec<CheckLacking>,
    /// Loader warnings.
    pub warnings: Vec<String>,
    /// A live collection's calls, requests, retries and failed calls (absent for a snapshot).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collection: Option<CollectionStats>,
}

/// A loaded kind and its count.
#[derive(Debug, Clone, Serialize)]
pub struct KindCount {
    /// snake_case kind.
    pub kind: Kind,
    /// Items.
    pub count: usize,
}

/// A kind not in the source.
#[derive(Debug, Clone, Serialize)]
pub struct MissingKind {
    /// snake_case kind.
    pub kind: Kind,
    /// Why, and the call that supplies it.
    pub reason: String,
}

/// A check that lacks data.
#[derive(Debug, Clone, Serialize)]
pub struct CheckLacking {
    /// The check.
    pub check: String,
    /// Kinds it lacks.
    pub missing: Vec<Kind>,
}

/// `rules list`: every loaded rule, in load order.
#[derive(Debug, Clone, Serialize)]
pub struct RuleList {
    /// One line per rule.
    pub rules: Vec<RuleSummary>,
}

/// One rule of `rules list`.
#[derive(Debug, Clone, Serialize)]
pub struct RuleSummary {
    /// Rule id (= file stem).
    pub id: String,
    /// Severity.
    pub severity: Severity,
    /// The hop the rule names.
    pub hop: String,
    /// The fact kind it reads.
    pub fact: String,
    /// Title.
    pub title: String,
    /// The rule file (`builtin:…` for embedded rules).
    pub file: String,
}

/// `rules show ID`: one rule's definition.
#[derive(Debug, Clone, Serialize)]
pub struct RuleDetail {
    /// Rule id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Severity.
    pub severity: Severity,
    /// The hop the rule names.
    pub hop: String,
    /// The fact kind it reads.
    pub fact: String,
    /// The CEL condition, trimmed.
    pub when: String,
    /// The message template.
    pub message: String,
    /// The fix template.
    pub fix: String,
    /// Documentation links.
    pub references: Vec<String>,
    /// What it detects and why it gives 504s, trimmed.
    pub explain: String,
    /// The rule file.
    pub file: String,
    /// Number of `[[test]]` cases.
    pub tests: usize,
}

/// `rules test`: each case's result.
#[derive(Debug, Clone, Serialize)]
pub struct RuleTests {
    /// Every case, in rule order.
    pub cases: Vec<CaseResult>,
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed.
    pub failed: usize,
}

impl RuleTests {
    /// Counts passes and failures.
    #[must_use]
    pub fn new(cases: Vec<CaseResult>) -> RuleTests {
        let failed = cases.iter().filter(|c| !c.passed).count();
        RuleTests {
            passed: cases.len() - failed,
            failed,
            cases,
        }
    }
}
