//! The Inventory model: typed AWS resources deserialized from AWS CLI JSON, and the indexes the
//! evaluators use. No I/O happens here; `source` fills an [`Inventory`], everything else reads it.

pub mod cloudfront;
pub mod ec2;
pub mod elbv2;
pub mod ids;
pub mod inventory;

pub use ids::*;
pub use inventory::{
    CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST, Direction, Index, Inventory, Kind, SgReferrer,
    VPC_ORIGIN_SERVICE_SG_NAME, normalize_dns_name,
};
