//! `edgepath rules list | show ID | test [DIR] | facts`.

use miette::Result;

use super::{Outcome, not_built};
use crate::cli::GlobalArgs;

/// Flags of `edgepath rules`.
#[derive(Debug, Clone, clap::Args)]
pub struct RulesArgs {
    /// `list`, `show ID`, `test [DIR]`, `facts`.
    #[arg(value_name = "ACTION")]
    pub action: Vec<String>,
}

/// Runs `edgepath rules`.
///
/// # Errors
/// Input errors.
pub fn run(_g: &GlobalArgs, _a: &RulesArgs) -> Result<Outcome> {
    Err(not_built("rules", 5))
}
