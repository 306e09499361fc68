//! JSON output: the serde serialization of the report types, with the stable snake_case keys of
//! the README's "JSON output" section (adding a key is fine, renaming one breaks users).
//!
//! Wire format, per command (keys of every object are written in sorted order, pretty-printed,
//! one trailing newline):
//!
//! - `check`: `paths[]`, `out_of_scope[]`, `findings[]`, `not_run[]`, `unknown_hops[]`,
//!   `incomplete`, `warnings[]`
//! - `triage`: `source`, `diagnoses[]` and its DESIGN alias `findings[]` (each with `explains`:
//!   `{count, of, percent}`, the logs' 5xx its agreeing buckets hold, when logs were given),
//!   `unexplained_logs[]`, `unexplained_5xx` (`{count, of, percent}`: the 5xx no finding
//!   explains, when logs were given), `not_run[]`, `notes[]`, `paths[]`, `unknown_hops[]`,
//!   `incomplete`, `warnings[]`, and the timeline: `timeline[]` (`time`, `kind`: `change` |
//!   `onset` | `metric` | `first-error` | `last-error`, `actor`, `resource`, `summary`,
//!   `linked_finding` (rule id or null), `failed`, `revert`), `timeline_window` (`{from, to}`),
//!   `timeline_unknown` (the call that would supply the changes, or null), `timeline_note`,
//!   `errors_per_minute[]` (`minute`, `errors_5xx`)
//! - `timeline`: `source`, the timeline keys of `triage`, `warnings[]`
//! - `logs`: `{ "summary": … }`
//! - `blockers`: the blocker report as is
//! - `what-if`: the what-if report; each broken / fixed path also carries DESIGN's `verdict`
//!   (its verdict after the changes). `nothing_to_check` is true when no change edgepath
//!   models was given; `resources[]` holds every resource change of a plan exactly once
//!   (`address`, `type`, `actions`, `status`: `modelled` | `unresolved` | `not_modelled` |
//!   `no_op`, `changes[]`, `reason`), `resource_counts` their count per status, and
//!   `unsupported[]` / `unresolved[]` the not-modelled / unresolved ones as text;
//!   `unknown_hops[]`, `incomplete`, `warnings[]`
//!
//! `unknown_hops[]` (`hop`, `resource`, `missing[]`) lists the hops that could not be checked;
//! `incomplete` is true when nothing is broken but that list is not empty (exit 3 unless
//! `--allow-unknown`); `warnings[]` holds the snapshot loader's (and, for `triage`, the log
//! readers') warnings, which `-q` keeps off stderr only.
//! - `inventory`: `source`, `counts[]`, `missing[]`, `checks_lacking_data[]`, `warnings[]`
//! - `rules facts`: `{ "kinds": … }`; `rules list`: `{ "rules": [...] }`; `rules show`: the rule;
//!   `rules test`: `cases[]`, `passed`, `failed`
//!
//! Keys are sorted because the value goes through `serde_json::Value` (a sorted map) before it
//! is written: that is the order users have seen since the first release, so it stays.

use std::io::{self, Write};

use serde::Serialize;

use super::model::{Report, TriageReport};
use crate::blockers::Blocker;
use crate::logs::LogSummary;
use crate::reach::{UnknownHop, Verdict};
use crate::rules::Finding;
use crate::rules::rank::Diagnosis;
use crate::whatif::{PathChange, PlannedResource, ResourceCounts, WhatIfReport};

/// Writes `report` as pretty JSON.
///
/// # Errors
/// The report could not be serialized, or writing failed.
pub fn render(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let value = match *report {
        Report::Check(r) => to_value(r),
        Report::Triage(r) => to_value(&TriageJson {
            report: r,
            findings: &r.triage.diagnoses,
        }),
        Report::Timeline(r) => to_value(r),
        Report::Logs(summary) => to_value(&LogsJson { summary }),
        Report::Blockers(r) => to_value(r),
        Report::WhatIf(r) => to_value(&WhatIfJson::new(r)),
        Report::Inventory(r) => to_value(r),
        Report::RuleFacts => to_value(&FactsJson {
            kinds: crate::rules::schema::to_json(),
        }),
        Report::RuleList(r) => to_value(r),
        Report::RuleDetail(r) => to_value(r),
        Report::RuleTests(r) => to_value(r),
    }?;
    serde_json::to_writer_pretty(&mut *out, &value).map_err(io::Error::other)?;
    writeln!(out)
}

fn to_value<T: Serialize>(v: &T) -> io::Result<serde_json::Value> {
    serde_json::to_value(v).map_err(io::Error::other)
}

/// `triage`: DESIGN's stable key is `findings[]` (rule, severity, hop, resources, message, fix);
/// `diagnoses[]` came first and stays.
#[derive(Serialize)]
struct TriageJson<'a> {
    #[serde(flatten)]
    report: &'a TriageReport,
    findings: &'a [Diagnosis],
}

/// `logs`: the summary under one key.
#[derive(Serialize)]
struct LogsJson<'a> {
    summary: &'a LogSummary,
}

/// `rules facts`: the fact schema under one key.
#[derive(Serialize)]
struct FactsJson {
    kinds: serde_json::Value,
}

/// `what-if`, with each path's `verdict` (= `after`) that DESIGN's path objects carry.
#[derive(Serialize)]
struct WhatIfJson<'a> {
    changes: &'a [String],
    broken: Vec<PathChangeJson<'a>>,
    fixed: Vec<PathChangeJson<'a>>,
    unchanged: usize,
    evaluated: usize,
    blockers: &'a [Blocker],
    nothing_to_check: bool,
    resources: &'a [PlannedResource],
    resource_counts: ResourceCounts,
    unsupported: &'a [String],
    unresolved: &'a [String],
    findings: &'a [Finding],
    unknown_hops: &'a [UnknownHop],
    incomplete: bool,
    warnings: &'a [String],
}

impl<'a> WhatIfJson<'a> {
    fn new(r: &'a WhatIfReport) -> WhatIfJson<'a> {
        let paths = |list: &'a [PathChange]| {
            list.iter()
                .map(|change| PathChangeJson {
                    change,
                    verdict: change.after,
                })
                .collect()
        };
        WhatIfJson {
            changes: &r.changes,
            broken: paths(&r.broken),
            fixed: paths(&r.fixed),
            unchanged: r.unchanged,
            evaluated: r.evaluated,
            blockers: &r.blockers,
            nothing_to_check: r.nothing_to_check,
            resources: &r.resources,
            resource_counts: r.resource_counts,
            unsupported: &r.unsupported,
            unresolved: &r.unresolved,
            findings: &r.findings,
            unknown_hops: &r.unknown_hops,
            incomplete: r.incomplete(),
            warnings: &r.warnings,
        }
    }
}

/// One broken or fixed path, with the verdict after the changes.
#[derive(Serialize)]
struct PathChangeJson<'a> {
    #[serde(flatten)]
    change: &'a PathChange,
    verdict: Verdict,
}
