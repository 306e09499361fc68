//! `edgepath inventory`: what was loaded, counts per kind, warnings, and which checks lack data.

use miette::Result;

use super::{Globals, LiveScope, Outcome, emit, load_inventory};
use crate::model::{Inventory, Kind};
use crate::report::Report;
use crate::report::model::{CheckLacking, InventoryReport, KindCount, MissingKind};
use crate::source::CollectionStats;

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
    (
        "onset and whether errors are still happening without logs (CloudWatch)",
        &[Kind::MetricData],
    ),
];

/// Builds the report from a loaded Inventory.
#[must_use]
pub fn build_report(
    inv: &Inventory,
    source: String,
    warnings: Vec<String>,
    collection: Option<CollectionStats>,
) -> InventoryReport {
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
        collection,
    }
}

/// Runs `edgepath inventory`.
///
/// # Errors
/// Snapshot or live errors.
pub fn run(g: &Globals) -> Result<Outcome> {
    let loaded = load_inventory(g, &LiveScope::default())?;
    let warnings = loaded.warnings.iter().map(ToString::to_string).collect();
    let report = build_report(
        &loaded.inventory,
        loaded.source,
        warnings,
        loaded.collection,
    );
    emit(g, &Report::Inventory(&report))?;
    Ok(Outcome::Clean)
}
