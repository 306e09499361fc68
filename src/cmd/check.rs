//! `edgepath check`: every path, every hop, with evidence; then the rules over the same facts.

use std::io::{self, Write};

use miette::Result;

use super::{LiveScope, Outcome, emit, load_inventory};
use crate::cli::GlobalArgs;
use crate::reach::{ReachOptions, ReachReport, evaluate};
use crate::report::Render;
use crate::report::style::Style;
use crate::rules::testing::facts_with_paths;
use crate::rules::{Evaluation, load_rules};

/// Flags of `edgepath check`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  edgepath check --snapshot examples/ghost-sg-reference\n  edgepath check --distribution E2EXAMPLE --format json"
)]
pub struct CheckArgs {
    /// Only paths of this distribution.
    #[arg(long, value_name = "ID")]
    pub distribution: Vec<String>,
    /// Only paths through this load balancer (name or ARN).
    #[arg(long, value_name = "NAME|ARN")]
    pub alb: Vec<String>,
    /// Map a custom origin domain to an ALB (name or ARN) when DNS names do not match.
    #[arg(long = "origin-map", value_name = "DOMAIN=ALB")]
    pub origin_map: Vec<String>,
}

/// Parses `DOMAIN=ALB` pairs.
///
/// # Errors
/// A pair without `=` or with an empty side.
pub fn parse_origin_map(items: &[String]) -> Result<Vec<(String, String)>> {
    items
        .iter()
        .map(|s| match s.split_once('=') {
            Some((d, a)) if !d.trim().is_empty() && !a.trim().is_empty() => {
                Ok((d.trim().to_owned(), a.trim().to_owned()))
            }
            _ => Err(miette::miette!(
                help = "write it as --origin-map api.example.com=web-alb",
                "--origin-map `{s}` is not DOMAIN=ALB"
            )),
        })
        .collect()
}

/// Runs `edgepath check`.
///
/// # Errors
/// Input errors.
pub fn run(g: &GlobalArgs, a: &CheckArgs) -> Result<Outcome> {
    let opts = ReachOptions {
        distributions: a.distribution.clone(),
        albs: a.alb.clone(),
        origin_map: parse_origin_map(&a.origin_map)?,
    };
    let loaded = load_inventory(
        g,
        &LiveScope {
            distributions: a.distribution.clone(),
            albs: a.alb.clone(),
        },
    )?;
    let rules = load_rules(&g.rules_dirs)?;
    let report = evaluate(&loaded.inventory, &opts);
    let mut evaluation = rules.evaluate(&facts_with_paths(&loaded.inventory, &report));
    // `check` reads no logs; the log rules' "no logs given" is triage's business.
    evaluation
        .not_run
        .retain(|n| rules.get(&n.rule).is_none_or(|r| r.kind != "log_bucket"));
    let bad = report.has_problems() || evaluation.has_critical();
    emit(
        g,
        &CheckReport {
            paths: &report,
            rules: evaluation,
        },
    )?;
    Ok(Outcome::from_problems(bad))
}

/// The paths (reach's report) plus the rules' findings over the same facts.
struct CheckReport<'a> {
    paths: &'a ReachReport,
    rules: Evaluation,
}

impl Render for CheckReport<'_> {
    fn to_json(&self) -> serde_json::Value {
        let mut v = self.paths.to_json();
        if let Some(obj) = v.as_object_mut() {
            obj.insert(
                "findings".to_owned(),
                serde_json::to_value(&self.rules.findings).unwrap_or_default(),
            );
            obj.insert(
                "not_run".to_owned(),
                serde_json::to_value(&self.rules.not_run).unwrap_or_default(),
            );
        }
        v
    }

    fn render_text(&self, style: &Style, out: &mut dyn Write) -> io::Result<()> {
        self.paths.render_text(style, out)?;
        crate::rules::finding::write_text(&self.rules, style, out)
    }
}
