//! Which AWS calls a collection makes, one file per service: each function builds the calls
//! of one wave (client, operation, pagination, the conversion of the output and where it goes
//! in the Inventory). Running them is [`super::runner`]'s job; the waves' order is in
//! [`super::collect_region`](super).
//!
//! Only `describe_*`, `list_*` and `get_*` operations, and CloudTrail's `lookup_events`:
//! `tests/live_readonly.rs` reads these files and fails on any other.

pub(super) mod acm;
pub(super) mod cloudfront;
pub(super) mod cloudfront_policies;
pub(super) mod cloudtrail;
pub(super) mod cloudwatch;
pub(super) mod ec2;
pub(super) mod elbv2;
