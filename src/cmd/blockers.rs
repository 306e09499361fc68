//! `edgepath blockers`: why a resource cannot be deleted, and the teardown order.

use miette::Result;

use super::{Outcome, not_built};
use crate::cli::GlobalArgs;

/// Flags of `edgepath blockers`.
#[derive(Debug, Clone, clap::Args)]
pub struct BlockersArgs {
    /// `sg-…`, `eni-…`, `vpce-…`, `subnet-…` or `vpc-…`.
    #[arg(value_name = "RESOURCE_ID")]
    pub resource: String,
}

/// Runs `edgepath blockers`.
///
/// # Errors
/// Input errors.
pub fn run(_g: &GlobalArgs, _a: &BlockersArgs) -> Result<Outcome> {
    Err(not_built("blockers", 7))
}
