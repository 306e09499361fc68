//! `edgepath snapshot`: collect the live account into a snapshot directory.

use std::path::PathBuf;

use miette::Result;

use super::{Outcome, not_built};
use crate::cli::GlobalArgs;

/// Flags of `edgepath snapshot`.
#[derive(Debug, Clone, clap::Args)]
pub struct SnapshotArgs {
    /// Directory to write.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Runs `edgepath snapshot`.
///
/// # Errors
/// Input errors.
pub fn run(_g: &GlobalArgs, _a: &SnapshotArgs) -> Result<Outcome> {
    Err(not_built("snapshot", 6))
}
