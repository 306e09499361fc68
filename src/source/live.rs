//! Live collection through the AWS SDK: filled by issue #6.

use miette::Result;

use crate::cli::GlobalArgs;
use crate::cmd::{LiveScope, LoadedInventory};

/// Collects the Inventory live for a command.
///
/// # Errors
/// Not built yet.
pub fn load_for_command(_g: &GlobalArgs, _scope: &LiveScope) -> Result<LoadedInventory> {
    Err(crate::cmd::not_built(
        "live collection (no --snapshot given)",
        6,
    ))
}
