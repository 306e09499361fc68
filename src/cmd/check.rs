//! `edgepath check`: every path, every hop, with evidence.

use miette::Result;

use super::{LiveScope, Outcome, emit, load_inventory};
use crate::cli::GlobalArgs;
use crate::reach::{ReachOptions, evaluate};

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
    let report = evaluate(&loaded.inventory, &opts);
    let rules = crate::rules::load_rules(&g.rules_dirs)?;
    let mut facts = crate::rules::inventory_facts(&loaded.inventory);
    facts.extend(crate::reach::hop_facts(&report));
    let evaluation = rules.evaluate(&facts);
    let critical = evaluation
        .findings
        .iter()
        .any(|f| f.severity == crate::rules::Severity::Critical);
    let bad = report.has_problems() || critical;
    emit(
        g,
        &CheckReport {
            reach: report,
            findings: evaluation.findings,
            not_run: evaluation.not_run,
        },
    )?;
    Ok(Outcome::from_problems(bad))
}

/// Paths with their hops, plus the rules' findings over the same facts.
struct CheckReport {
    reach: crate::reach::ReachReport,
    findings: Vec<crate::rules::Finding>,
    not_run: Vec<crate::rules::NotRun>,
}

impl crate::report::Render for CheckReport {
    fn to_json(&self) -> serde_json::Value {
        let mut v = self.reach.to_json();
        if let Some(obj) = v.as_object_mut() {
            obj.insert(
                "findings".into(),
                serde_json::to_value(&self.findings).unwrap_or_default(),
            );
            obj.insert(
                "checks_not_run".into(),
                serde_json::to_value(&self.not_run).unwrap_or_default(),
            );
        }
        v
    }

    fn render_text(
        &self,
        style: &crate::report::style::Style,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        self.reach.render_text(style, out)?;
        if !self.findings.is_empty() {
            writeln!(out, "\n{}", style.bold("Findings"))?;
            for f in &self.findings {
                let sev = f.severity.as_str();
                let sev = if sev == "critical" {
                    style.red(sev)
                } else {
                    style.yellow(sev)
                };
                writeln!(out, "  [{}] {sev} {}", f.rule, f.message)?;
                writeln!(out, "      fix: {}", style.dim(&f.fix))?;
            }
        }
        Ok(())
    }
}
