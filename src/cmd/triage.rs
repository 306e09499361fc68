//! `edgepath triage`: check + logs + rules, ranked.
//!
//! Glue only: the snapshot gives Inventory (and, through the path evaluator, hop) facts, the
//! logs give log-bucket facts, the rules turn facts into findings and `rules::rank` orders them.
//! Without logs it is `check` + rules; without a snapshot it reads the logs alone and says what
//! a snapshot would add.

use std::io::{self, Write};
use std::path::PathBuf;

use miette::Result;
use serde::Serialize;

use super::{LiveScope, Outcome, emit, load_inventory};
use crate::cli::GlobalArgs;
use crate::facts::{Fact, LogBucketFact};
use crate::logs::{LogOptions, bucket_facts, read_options_from_inventory, summarize};
use crate::model::Inventory;
use crate::reach::{PathTrace, ReachOptions};
use crate::report::Render;
use crate::report::style::Style;
use crate::rules::rank::{Triage, rank, signature_hops};
use crate::rules::{Severity, assemble_facts, load_rules};

/// Flags of `edgepath triage`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  edgepath triage --logs ./cf-logs/ --snapshot ./snap\n  edgepath triage --snapshot examples/ghost-sg-reference --format markdown"
)]
pub struct TriageArgs {
    /// CloudFront / ALB / flow log files, directories or globs.
    #[arg(long, value_name = "FILES", num_args = 1..)]
    pub logs: Vec<PathBuf>,
}

/// Classified log buckets for `paths` (the log classifier's facts), with the snapshot's
/// timeouts and behaviors when there is one.
fn log_buckets(
    g: &GlobalArgs,
    paths: &[PathBuf],
    inv: Option<&Inventory>,
) -> Result<Vec<LogBucketFact>> {
    if paths.is_empty() {
        return Ok(Vec::new());
    }
    let mut opts = LogOptions::default();
    if let Some(inv) = inv {
        read_options_from_inventory(inv, &mut opts);
    }
    let summary = summarize(paths, &opts)?;
    for w in &summary.warnings {
        super::warn(g, w);
    }
    Ok(bucket_facts(&summary)
        .into_iter()
        .filter_map(|f| match f {
            Fact::LogBucket(b) => Some(b),
            _ => None,
        })
        .collect())
}

/// Runs `edgepath triage`.
///
/// # Errors
/// Input errors (snapshot, logs, rule files).
pub fn run(g: &GlobalArgs, a: &TriageArgs) -> Result<Outcome> {
    let rules = load_rules(&g.rules_dirs)?;
    let mut notes = Vec::new();
    let loaded = if g.snapshot.is_some() || a.logs.is_empty() {
        Some(load_inventory(g, &LiveScope::default())?)
    } else {
        None
    };
    let buckets = log_buckets(g, &a.logs, loaded.as_ref().map(|l| &l.inventory))?;
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
    let evaluation = rules.evaluate(&facts);
    let triage = rank(&rules, &evaluation.findings, &buckets, &evaluation.not_run);
    let bad = triage.has_critical();
    emit(
        g,
        &TriageReport {
            source,
            triage,
            notes,
            paths: report.paths,
        },
    )?;
    Ok(Outcome::from_problems(bad))
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

/// The triage report.
#[derive(Debug, Serialize)]
struct TriageReport {
    source: String,
    #[serde(flatten)]
    triage: Triage,
    notes: Vec<String>,
    /// The evaluated paths (empty for a logs-only triage): DESIGN's `paths[]`, as in `check`.
    paths: Vec<PathTrace>,
}

impl Render for TriageReport {
    fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        // DESIGN's stable key: `findings[]` with rule, severity, hop, resources, message, fix.
        if let Some(obj) = v.as_object_mut()
            && let Some(d) = obj.get("diagnoses").cloned()
        {
            obj.insert("findings".to_owned(), d);
        }
        v
    }

    fn render_text(&self, style: &Style, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "{} ({})", style.bold("edgepath triage"), self.source)?;
        if self.triage.diagnoses.is_empty() {
            writeln!(out, "\n{}", style.green("No rule fired."))?;
        }
        for d in &self.triage.diagnoses {
            let f = &d.finding;
            let sev = match f.severity {
                Severity::Critical => style.red("critical"),
                Severity::Warning => style.yellow("warning"),
                Severity::Info => style.dim("info"),
            };
            let title = format!("{}. {} [{}]", d.rank, f.title, f.rule);
            writeln!(out, "\n{}  {sev}  {}", style.bold(&title), f.hop)?;
            let from_logs = f.fact == "log_bucket";
            writeln!(
                out,
                "   {}: {}",
                if from_logs { "logs  " } else { "config" },
                f.message
            )?;
            if !f.evidence.is_empty() && !from_logs {
                writeln!(out, "   seen:   {}", f.evidence)?;
            }
            if !from_logs {
                for e in &d.log_evidence {
                    writeln!(out, "   logs:   {e}")?;
                }
            }
            if !f.resources.is_empty() {
                writeln!(out, "   on:     {}", f.resources.join(", "))?;
            }
            writeln!(out, "   fix:    {}", f.fix)?;
        }
        if !self.triage.unexplained_logs.is_empty() {
            writeln!(
                out,
                "\n{}",
                style.bold("5xx in the logs that no finding explains")
            )?;
            for l in &self.triage.unexplained_logs {
                writeln!(out, "  {l}")?;
            }
        }
        if !self.triage.not_run.is_empty() {
            writeln!(out, "\n{}", style.bold("Checks that could not run"))?;
            for n in &self.triage.not_run {
                writeln!(out, "  {}: {}", n.rule, n.reason)?;
            }
        }
        for n in &self.notes {
            writeln!(out, "\n{} {n}", style.dim("note:"))?;
        }
        Ok(())
    }

    fn render_markdown(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "### edgepath triage ({})\n", self.source)?;
        if self.triage.diagnoses.is_empty() {
            writeln!(out, "No rule fired.\n")?;
        }
        for d in &self.triage.diagnoses {
            let f = &d.finding;
            writeln!(
                out,
                "**{}. {}** — `{}` · {} · `{}`\n",
                d.rank,
                f.title,
                f.rule,
                f.severity.as_str(),
                f.hop
            )?;
            let from_logs = f.fact == "log_bucket";
            writeln!(
                out,
                "- {}: {}",
                if from_logs { "Logs" } else { "Config" },
                f.message
            )?;
            if !f.evidence.is_empty() && !from_logs {
                writeln!(out, "- Seen: {}", f.evidence)?;
            }
            if !from_logs {
                for e in &d.log_evidence {
                    writeln!(out, "- Logs: {e}")?;
                }
            }
            if !f.resources.is_empty() {
                writeln!(out, "- Resources: {}", f.resources.join(", "))?;
            }
            writeln!(out, "- Fix:\n\n```sh\n{}\n```\n", f.fix)?;
        }
        if !self.triage.unexplained_logs.is_empty() {
            writeln!(out, "**Unexplained 5xx**\n")?;
            for l in &self.triage.unexplained_logs {
                writeln!(out, "- {l}")?;
            }
            writeln!(out)?;
        }
        if !self.triage.not_run.is_empty() {
            writeln!(out, "**Checks that could not run**\n")?;
            for n in &self.triage.not_run {
                writeln!(out, "- `{}`: {}", n.rule, n.reason)?;
            }
            writeln!(out)?;
        }
        for n in &self.notes {
            writeln!(out, "_Note: {n}_\n")?;
        }
        Ok(())
    }
}
