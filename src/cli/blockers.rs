//! Arguments of `edgepath blockers`.

use crate::cmd::blockers::BlockersRequest;

/// Flags of `edgepath blockers`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  edgepath blockers --snapshot examples/vpc-origin-leftover-eni vpc-0b2c3d4e5f6071829\n  edgepath blockers --snapshot examples/sg-cannot-delete sg-0old000000000000c3\n  edgepath blockers vpce-0fw00000000000001 --format json\n\nExit code 1 when something blocks deletion (or the data is incomplete), 0 when it can be deleted now."
)]
pub struct BlockersArgs {
    /// `sg-…`, `eni-…`, `vpce-…`, `subnet-…` or `vpc-…`.
    #[arg(value_name = "RESOURCE_ID")]
    pub resource: String,
    /// `--out FILE`.
    #[command(flatten)]
    pub out: super::ReportOut,
}

impl From<BlockersArgs> for BlockersRequest {
    fn from(a: BlockersArgs) -> BlockersRequest {
        BlockersRequest {
            resource: a.resource,
        }
    }
}
