//! `edgepath blockers`: why a resource cannot be deleted, and the teardown order.

use miette::Result;

use super::{LiveScope, Outcome, emit, load_inventory};
use crate::blockers::blockers_for;
use crate::cli::GlobalArgs;

/// Flags of `edgepath blockers`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  edgepath blockers --snapshot examples/vpc-origin-leftover-eni vpc-0b2c3d4e5f6071829\n  edgepath blockers --snapshot examples/sg-cannot-delete sg-0old000000000000c3\n  edgepath blockers vpce-0fw00000000000001 --format json\n\nExit code 1 when something blocks deletion (or the data is incomplete), 0 when it can be deleted now."
)]
pub struct BlockersArgs {
    /// `sg-…`, `eni-…`, `vpce-…`, `subnet-…` or `vpc-…`.
    #[arg(value_name = "RESOURCE_ID")]
    pub resource: String,
}

/// Runs `edgepath blockers`.
///
/// # Errors
/// Input errors; an unknown resource id.
pub fn run(g: &GlobalArgs, a: &BlockersArgs) -> Result<Outcome> {
    let loaded = load_inventory(g, &LiveScope::default())?;
    let report = blockers_for(&loaded.inventory, a.resource.trim())?;
    emit(g, &report)?;
    Ok(Outcome::from_problems(!report.deletable))
}
