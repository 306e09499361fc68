//! `edgepath logs`: classify the 5xx in CloudFront / ALB access logs and VPC flow logs.

use std::path::PathBuf;

use miette::Result;

use super::{Outcome, not_built};
use crate::cli::GlobalArgs;

/// Flags of `edgepath logs`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  edgepath logs ./cf-logs/\n  zcat E2EXAMPLE.2026-11-23-05.*.gz | edgepath logs -"
)]
pub struct LogsArgs {
    /// Log files, directories (recursive), globs, or `-` for stdin; `.gz` or plain.
    #[arg(value_name = "FILES", required = true)]
    pub inputs: Vec<PathBuf>,
}

/// Runs `edgepath logs`.
///
/// # Errors
/// Input errors.
pub fn run(_g: &GlobalArgs, _a: &LogsArgs) -> Result<Outcome> {
    Err(not_built("logs", 4))
}
