//! The Inventory model: typed AWS resources deserialized from AWS CLI JSON, and the indexes the
//! evaluators use. No I/O happens here; `source` fills an [`Inventory`], everything else reads it.
//!
//! Besides AWS's own shapes it holds the nouns every evaluator shares: a rule's [`Protocol`],
//! [`PortRange`], [`Peer`] and the rule itself ([`SgRuleRef`], one text for it), the [`Hop`]s of
//! a path, and [`Missing`] data with the call that supplies it.

pub mod acm;
pub mod bpa;
pub mod change;
mod change_parse;
pub mod cloudfront;
pub mod ec2;
pub mod elbv2;
pub mod hop;
pub mod ids;
pub mod inventory;
pub mod metrics;
pub mod missing;
pub mod net;
pub mod policies;
pub mod time_window;

pub use hop::Hop;
pub use ids::*;
pub use inventory::{
    CLOUDFRONT_ORIGIN_FACING_IPV6_PREFIX_LIST, CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST, Direction,
    Index, Inventory, Kind, SgReferrer, VPC_ORIGIN_SERVICE_SG_NAME, normalize_dns_name,
};
pub use missing::Missing;
pub use net::{
    Peer, PortRange, Protocol, ProtocolPorts, SgRuleRef, parse_ipv4_net, parse_ipv6_net,
};
pub use time_window::{TimeWindow, TimeWindowError, WindowArgs, parse_span};
