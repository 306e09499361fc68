//! The facts rules read, assembled in one place from what the evaluators produced.
//!
//! Rules never look at the Inventory, a reach report or log records themselves: they read flat
//! facts. This is the one function that gathers them, so `check`, `triage`, `what-if` and the
//! rules' own `[[test]]` cases hand a rule exactly the same facts for the same input:
//!
//! - the classified log buckets (`log_bucket` facts, from `logs::bucket_facts`);
//! - the Inventory's own facts ([`inventory_facts`]: load balancers, target groups, security
//!   group quotas, VPC origins) and its CloudWatch series (`metric_window` facts,
//!   [`super::metric_facts`]);
//! - the changes of the Inventory's CloudTrail events (`change` facts, [`change_facts`]), linked
//!   to the failing hops they touched and timed against the logs' onset;
//! - for each reach report, one `hop` fact per hop of every path and one `origin` fact per
//!   origin (`reach::hop_facts`).
//!
//! The order (logs, Inventory, hops) does not change any finding: a rule reads one fact kind.
//!
//! It also joins what one producer cannot see alone, so fixes name real ids (`fix_args`):
//! hop and origin facts get the `*_arg` fields read off the Inventory, near misses say which load
//! balancer carries their source group, and each log bucket gets the origin, load balancer and
//! target groups of the snapshot's paths of the same distribution and behavior (or, when its
//! host matched no distribution, a label saying so).

use super::change_facts::{change_facts, log_onset};
use super::{fix_args, inventory_facts, metric_facts::metric_facts};
use crate::facts::{Fact, HopFact, LogBucketFact, OriginFact};
use crate::model::{Inventory, VpcId};
use crate::reach::{ReachReport, hop_facts};

/// The facts of an Inventory (if one was loaded), the reach reports evaluated over it (none,
/// one, or one per what-if variant) and the classified log buckets (empty without logs).
#[must_use]
pub fn assemble_facts(
    inventory: Option<&Inventory>,
    reach: &[ReachReport],
    log_buckets: &[LogBucketFact],
) -> Vec<Fact> {
    let mut paths: Vec<Fact> = reach.iter().flat_map(hop_facts).collect();
    if let Some(inv) = inventory {
        for f in &mut paths {
            match f {
                Fact::Hop(h) => join_hop(inv, h),
                Fact::Origin(o) => join_origin(inv, o),
                _ => {}
            }
        }
    }
    let hops: Vec<&HopFact> = paths
        .iter()
        .filter_map(|f| match f {
            Fact::Hop(h) => Some(h),
            _ => None,
        })
        .collect();
    let mut facts: Vec<Fact> = log_buckets
        .iter()
        .cloned()
        .map(|mut b| {
            join_log_bucket(&mut b, inventory, &hops);
            Fact::LogBucket(b)
        })
        .collect();
    if let Some(inv) = inventory {
        facts.extend(inventory_facts(inv));
        facts.extend(change_facts(inv, &hops, log_onset(log_buckets)));
        facts.extend(metric_facts(inv, &hops).into_iter().map(Fact::MetricWindow));
    }
    facts.extend(paths);
    facts
}

fn lb_vpc(inv: &Inventory, alb_arn: &str) -> Option<VpcId> {
    inv.load_balancers
        .get(alb_arn)
        .and_then(|lb| lb.vpc_id.clone())
}

/// The `*_arg` fields of a hop fact, and what carries each near miss's source group.
fn join_hop(inv: &Inventory, h: &mut HopFact) {
    let vpc = lb_vpc(inv, &h.alb_arn);
    h.cloudfront_prefix_list_arg = fix_args::cloudfront_prefix_list_arg(inv);
    if h.hop == "cloudfront->alb"
        && matches!(h.origin_ip_address_type.as_str(), "ipv6" | "dualstack")
    {
        h.cloudfront_ipv6_prefix_list_arg = fix_args::cloudfront_ipv6_prefix_list_arg(inv);
    }
    h.vpc_origin_service_sg_arg = fix_args::vpc_origin_service_sg_arg(inv, vpc.as_ref());
    h.internet_gateway_arg = fix_args::internet_gateway_arg(inv, vpc.as_ref());
    if let Some(lb) = inv.load_balancers.get(h.alb_arn.as_str()) {
        h.public_subnets_arg = fix_args::public_subnets_arg(inv, lb);
    }
    h.route_table_arg = h
        .subnets_without_igw_route
        .first()
        .map(|s| fix_args::route_table_arg(inv, s, vpc.as_ref()))
        .unwrap_or_default();
    for m in &mut h.near_misses {
        let (lbs, phrase) = fix_args::sg_use(inv, &m.source_sg);
        m.source_sg_attached_to = lbs;
        m.source_sg_use = phrase;
    }
}

fn join_origin(inv: &Inventory, o: &mut OriginFact) {
    if let Some(lb) = inv.load_balancers.get(o.alb_arn.as_str()) {
        o.alb_target_group_arn_arg = fix_args::listener_target_group_arg(inv, lb);
    }
}

/// Joins a log bucket to the snapshot's paths of its distribution and behavior.
fn join_log_bucket(b: &mut LogBucketFact, inv: Option<&Inventory>, hops: &[&HopFact]) {
    let host = b
        .behavior
        .split_once(' ')
        .map(|(h, _)| h.to_owned())
        .unwrap_or_default();
    b.distribution_label = match (b.distribution.is_empty(), inv) {
        (false, Some(inv))
            if !inv
                .distributions
                .keys()
                .any(|d| d.as_str() == b.distribution) =>
        {
            format!("{} (not in the snapshot)", b.distribution)
        }
        (false, _) => b.distribution.clone(),
        // Without a distribution id, `logs` groups by `HOST /PREFIX/*` (see logs::cloudfront).
        (true, Some(_)) if !host.is_empty() => {
            format!("host {host}, which matches no distribution of the snapshot")
        }
        (true, None) if !host.is_empty() => {
            format!("host {host} (no snapshot given to map it to a distribution)")
        }
        (true, _) => "no known distribution".to_owned(),
    };
    let on_path: Vec<&&HopFact> = hops
        .iter()
        .filter(|h| {
            !b.distribution.is_empty()
                && h.distribution == b.distribution
                && h.behavior == b.behavior
        })
        .collect();
    if let Some(h) = on_path.first() {
        b.origin_id.clone_from(&h.origin_id);
        b.origin_domain.clone_from(&h.origin_domain);
        b.alb.clone_from(&h.alb);
    }
    let mut tgs: Vec<(&str, &str)> = on_path
        .iter()
        .filter(|h| !h.target_group_arn.is_empty())
        .map(|h| (h.target_group.as_str(), h.target_group_arn.as_str()))
        .collect();
    tgs.sort_unstable();
    tgs.dedup();
    // An ALB log bucket names its target group itself (the record's target_group_arn).
    if tgs.is_empty() && b.source == "alb" && b.target_group_arn_arg.starts_with("arn:") {
        let name = b.target_group_arn_arg.split('/').nth(1).unwrap_or_default();
        b.target_groups = vec![name.to_owned()];
        return;
    }
    b.target_groups = tgs.iter().map(|(n, _)| (*n).to_owned()).collect();
    b.target_group_arn_arg = match (tgs.first(), inv) {
        (Some((_, arn)), _) => (*arn).to_owned(),
        (None, None) => "<target group the failing behaviors forward to: no snapshot given (aws elbv2 describe-target-groups)>".to_owned(),
        (None, Some(_)) => format!(
            "<target group the failing behaviors forward to: no path of the snapshot serves {} of {} (aws elbv2 describe-target-groups)>",
            b.behavior, b.distribution_label
        ),
    };
}
