//! VPC Block Public Access on the `cloudfront->alb` hop of an internet-facing ALB.
//!
//! CloudFront reaches a public ALB over the internet, through the VPC's internet gateway. With
//! the Region's BPA mode `block-bidirectional` or `block-ingress`, that inbound traffic is
//! dropped for every subnet that neither it nor its VPC excludes with `allow-bidirectional`
//! (`model::bpa`; patterns.md B6 [doc]). SGs, NACLs and routes look right, so nothing else
//! explains the 504s. Every ALB subnet blocked is `blocked`; some of them, `partial` (CloudFront
//! reaches only some node addresses). No BPA data for the ALB's Region is `unknown` naming the
//! call.
//!
//! VPC origins are not judged here: their traffic enters through CloudFront-managed ENIs, not
//! the internet gateway, and whether BPA affects them is not documented (one third-party
//! write-up says exclusions are needed; patterns.md B6 says verify before encoding).

use super::Verdict;
use super::evidence::HopAcc;
use crate::model::elbv2::LoadBalancer;
use crate::model::{Inventory, Kind};

/// The Region of a load balancer, from its ARN (`arn:aws:elasticloadbalancing:REGION:…`).
fn region_of(lb: &LoadBalancer) -> &str {
    lb.load_balancer_arn
        .as_str()
        .split(':')
        .nth(3)
        .unwrap_or("")
}

/// Checks BPA for the subnets of the internet-facing `lb`.
pub(crate) fn block_public_access(inv: &Inventory, lb: &LoadBalancer, acc: &mut HopAcc) {
    let region = region_of(lb);
    let options = inv
        .vpc_bpa_options
        .get(region)
        .or_else(|| inv.vpc_bpa_options.get(""));
    let Some(options) = options else {
        // Loaded for other Regions only, or not at all: the ALB's Region is not known.
        acc.missing(inv, Kind::VpcBlockPublicAccessOptions);
        return;
    };
    let mode = options
        .internet_gateway_block_mode
        .clone()
        .unwrap_or_else(|| "off".to_owned());
    acc.fact.bpa_mode.clone_from(&mode);
    if !options.blocks_ingress() {
        acc.checked(format!("VPC Block Public Access {mode} in {region}"));
        return;
    }
    if !inv.has(Kind::VpcBlockPublicAccessExclusions) && options.exclusions_allowed() {
        acc.missing(inv, Kind::VpcBlockPublicAccessExclusions);
        return;
    }
    let vpc = lb.vpc_id.as_ref().map(ToString::to_string);
    let excluded = |id: &str| {
        options.exclusions_allowed()
            && inv
                .vpc_bpa_exclusions
                .values()
                .any(|e| e.admits_ingress() && e.resource_id() == Some(id))
    };
    let vpc_excluded = vpc.as_deref().is_some_and(excluded);
    let subnets = lb.subnet_ids();
    let blocked: Vec<String> = subnets
        .iter()
        .map(ToString::to_string)
        .filter(|s| !vpc_excluded && !excluded(s))
        .collect();
    if blocked.is_empty() {
        acc.checked(format!(
            "VPC Block Public Access {mode} in {region}, but {} excluded (allow-bidirectional)",
            if vpc_excluded {
                format!("VPC {}", vpc.unwrap_or_default())
            } else {
                "every ALB subnet is".to_owned()
            }
        ));
        return;
    }
    let verdict = if blocked.len() == subnets.len() {
        Verdict::Blocked
    } else {
        Verdict::Partial
    };
    acc.fail(
        verdict,
        "vpc-bpa-blocks-igw",
        format!(
            "VPC Block Public Access is {mode} in {region}{}: inbound internet traffic to {} of {} subnet(s) of {} is dropped at the internet gateway: {}",
            if options.exclusions_allowed() {
                ""
            } else {
                " and exclusions are not allowed"
            },
            blocked.len(),
            subnets.len(),
            lb.load_balancer_name,
            blocked.join(", ")
        ),
    );
    acc.fact.bpa_blocked_subnets = blocked;
}
