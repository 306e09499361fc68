//! `edgepath what-if`: apply proposed changes to a copy of the Inventory and diff the paths.

use miette::Result;

use super::{Outcome, not_built};
use crate::cli::GlobalArgs;

/// Flags of `edgepath what-if`.
#[derive(Debug, Clone, clap::Args)]
pub struct WhatIfArgs {}

/// Runs `edgepath what-if`.
///
/// # Errors
/// Input errors.
pub fn run(_g: &GlobalArgs, _a: &WhatIfArgs) -> Result<Outcome> {
    Err(not_built("what-if", 8))
}
