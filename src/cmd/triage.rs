//! `edgepath triage`: check + logs + rules, ranked.

use std::path::PathBuf;

use miette::Result;

use super::{Outcome, not_built};
use crate::cli::GlobalArgs;

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

/// Runs `edgepath triage`.
///
/// # Errors
/// Input errors.
pub fn run(_g: &GlobalArgs, _a: &TriageArgs) -> Result<Outcome> {
    Err(not_built("triage", 5))
}
