//! `edgepath inventory`: what was loaded, counts per kind, warnings, and which checks lack data.

use std::io::{self, Write};

use miette::Result;
use serde::Serialize;

use super::{LiveScope, Outcome, emit, load_inventory};
use crate::cli::GlobalArgs;
use crate::model::{Inventory, Kind};
use crate::report::Render;
use crate::report::style::Style;

/// Flags of `edgepath inventory`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  edgepath inventory --snapshot examples/healthy\n  edgepath inventory --snapshot ./snap --format json"
)]
pub struct InventoryArgs {}

/// The checks edgepath runs and the kinds each needs; a missing kind makes those hops `unknown`.
pub const CHECK_REQUIREMENTS: &[(&str, &[Kind])] = &[
    (
        "paths (CloudFront behaviors → origins → ALBs)",
        &[Kind::Distributions, Kind::LoadBalancers],
    ),
    ("VPC origins", &[Kind::VpcOrigins]),
    (
        "listeners and rules",
        &[Kind::Listeners, Kind::Rules, Kind::TargetGroups],
    ),
    (
        "ALB security groups (cloudfront->alb, alb->target)",
        &[Kind::SecurityGroups],
    ),
    (
        "CloudFront prefix-list coverage",
        &[Kind::PrefixLists, Kind::PrefixListEntries],
    ),
    ("NACLs", &[Kind::NetworkAcls, Kind::Subnets]),
    (
        "routes to an internet gateway",
        &[Kind::RouteTables, Kind::InternetGateways],
    ),
    (
        "targets → ENIs → security groups",
        &[Kind::NetworkInterfaces, Kind::Instances],
    ),
    ("target health", &[Kind::TargetHealth]),
    ("ALB idle timeout", &[Kind::LoadBalancerAttributes]),
    (
        "deletion blockers (ENI owners, endpoints)",
        &[
            Kind::NetworkInterfaces,
            Kind::VpcEndpoints,
            Kind::NatGateways,
        ],
    ),
    (
        "who created a requester-managed endpoint",
        &[Kind::CloudTrailEvents],
    ),
];

/// The inventory report.
#[derive(Debug, Serialize)]
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
}

/// A loaded kind and its count.
#[derive(Debug, Serialize)]
pub struct KindCount {
    /// snake_case kind.
    pub kind: Kind,
    /// Items.
    pub count: usize,
}

/// A kind not in the source.
#[derive(Debug, Serialize)]
pub struct MissingKind {
    /// snake_case kind.
    pub kind: Kind,
    /// Why, and the call that supplies it.
    pub reason: String,
}

/// A check that lacks data.
#[derive(Debug, Serialize)]
pub struct CheckLacking {
    /// The check.
    pub check: String,
    /// Kinds it lacks.
    pub missing: Vec<Kind>,
}

impl InventoryReport {
    /// Builds the report from a loaded Inventory.
    #[must_use]
    pub fn build(inv: &Inventory, source: String, warnings: Vec<String>) -> InventoryReport {
        let counts = Kind::ALL
            .iter()
            .filter(|k| inv.has(**k))
            .map(|k| KindCount {
                kind: *k,
                count: inv.count(*k),
            })
            .collect();
        let missing = Kind::ALL
            .iter()
            .filter(|k| !inv.has(**k))
            .map(|k| MissingKind {
                kind: *k,
                reason: inv.missing_reason(*k),
            })
            .collect();
        let checks_lacking_data = CHECK_REQUIREMENTS
            .iter()
            .filter_map(|(check, kinds)| {
                let missing: Vec<Kind> = kinds.iter().copied().filter(|k| !inv.has(*k)).collect();
                (!missing.is_empty()).then(|| CheckLacking {
                    check: (*check).to_owned(),
                    missing,
                })
            })
            .collect();
        InventoryReport {
            source,
            counts,
            missing,
            checks_lacking_data,
            warnings,
        }
    }
}

impl Render for InventoryReport {
    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("report serializes")
    }

    fn render_text(&self, style: &Style, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "{} {}", style.bold("Inventory from"), self.source)?;
        writeln!(out)?;
        for c in &self.counts {
            writeln!(out, "  {:<28} {:>8}", c.kind.name(), c.count)?;
        }
        if !self.missing.is_empty() {
            writeln!(out)?;
            writeln!(out, "{}", style.bold("Not loaded"))?;
            for m in &self.missing {
                writeln!(out, "  {:<28} {}", m.kind.name(), style.dim(&m.reason))?;
            }
        }
        if !self.checks_lacking_data.is_empty() {
            writeln!(out)?;
            writeln!(
                out,
                "{}",
                style.bold("Checks that will report `unknown` for lack of data")
            )?;
            for c in &self.checks_lacking_data {
                let kinds: Vec<&str> = c.missing.iter().map(|k| k.name()).collect();
                writeln!(
                    out,
                    "  {} {}",
                    style.yellow(&c.check),
                    style.dim(&format!("(needs {})", kinds.join(", ")))
                )?;
            }
        }
        if !self.warnings.is_empty() {
            writeln!(out)?;
            writeln!(out, "{}", style.bold("Warnings"))?;
            for w in &self.warnings {
                writeln!(out, "  {w}")?;
            }
        }
        Ok(())
    }
}

/// Runs `edgepath inventory`.
///
/// # Errors
/// Snapshot or live errors.
pub fn run(g: &GlobalArgs, _a: &InventoryArgs) -> Result<Outcome> {
    let loaded = load_inventory(g, &LiveScope::default())?;
    let warnings = loaded.warnings.iter().map(ToString::to_string).collect();
    let report = InventoryReport::build(&loaded.inventory, loaded.source, warnings);
    emit(g, &report)?;
    Ok(Outcome::Clean)
}
