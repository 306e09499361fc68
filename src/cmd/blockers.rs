//! `edgepath blockers`: why a resource cannot be deleted, and the teardown order.

use miette::Result;

use super::{Globals, LiveScope, Outcome, emit, load_inventory};
use crate::blockers::blockers_for;
use crate::report::Report;

/// What `edgepath blockers` explains.
#[derive(Debug, Clone)]
pub struct BlockersRequest {
    /// `sg-…`, `eni-…`, `vpce-…`, `subnet-…` or `vpc-…`.
    pub resource: String,
}

/// Runs `edgepath blockers`.
///
/// # Errors
/// Input errors; an unknown resource id.
pub fn run(g: &Globals, a: &BlockersRequest) -> Result<Outcome> {
    let loaded = load_inventory(g, &LiveScope::default())?;
    let report = blockers_for(&loaded.inventory, a.resource.trim())?;
    emit(g, &Report::Blockers(&report))?;
    Ok(Outcome::from_problems(!report.deletable))
}
