//! VPC Block Public Access: SDK output → `model::bpa`, as the AWS CLI prints
//! `describe-vpc-block-public-access-options` / `-exclusions`.

use aws_sdk_ec2::types;

use super::owned;
use crate::model::bpa::{VpcBlockPublicAccessExclusion, VpcBlockPublicAccessOptions};

/// The Region's options; `region` fills `AwsRegion` when the output leaves it out, so options
/// of several Regions do not overwrite each other.
pub(crate) fn options(
    o: &types::VpcBlockPublicAccessOptions,
    region: &str,
) -> VpcBlockPublicAccessOptions {
    VpcBlockPublicAccessOptions {
        aws_region: owned(o.aws_region()).or_else(|| Some(region.to_owned())),
        aws_account_id: owned(o.aws_account_id()),
        state: o.state().map(|s| s.as_str().to_owned()),
        internet_gateway_block_mode: o
            .internet_gateway_block_mode()
            .map(|m| m.as_str().to_owned()),
        exclusions_allowed: o.exclusions_allowed().map(|e| e.as_str().to_owned()),
        managed_by: o.managed_by().map(|m| m.as_str().to_owned()),
        reason: owned(o.reason()),
    }
}

/// One exclusion (none without an id).
pub(crate) fn exclusion(
    e: &types::VpcBlockPublicAccessExclusion,
) -> Option<VpcBlockPublicAccessExclusion> {
    Some(VpcBlockPublicAccessExclusion {
        exclusion_id: e.exclusion_id()?.to_owned(),
        internet_gateway_exclusion_mode: e
            .internet_gateway_exclusion_mode()
            .map(|m| m.as_str().to_owned()),
        resource_arn: owned(e.resource_arn()),
        state: e.state().map(|s| s.as_str().to_owned()),
    })
}
