//! `edgepath check`: every path, every hop, with evidence; then the rules.

use miette::Result;

use super::{Outcome, not_built};
use crate::cli::GlobalArgs;

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

/// Runs `edgepath check`.
///
/// # Errors
/// Input errors.
pub fn run(_g: &GlobalArgs, _a: &CheckArgs) -> Result<Outcome> {
    Err(not_built("check", 3))
}
