//! Arguments of `edgepath inventory` (none besides the global options).

/// Flags of `edgepath inventory`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  edgepath inventory --snapshot examples/healthy\n  edgepath inventory --snapshot ./snap --format json"
)]
pub struct InventoryArgs {}
