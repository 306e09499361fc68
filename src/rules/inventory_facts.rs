//! Facts read straight off the Inventory: load balancers, target groups, security-group quota
//! use and stale copied CloudFront CIDRs, VPC origins. Hop and origin facts come from `reach`
//! (`reach::hop_facts`), log buckets from `logs` (`logs::bucket_facts`).
//!
//! Quota arithmetic: every peer of an inbound permission (CIDR, IPv6 CIDR, security group) is
//! one rule against the per-SG quota (60 by default); a prefix list counts its `MaxEntries`, and
//! the CloudFront origin-facing list counts 55 whatever the snapshot says
//! (patterns.md B3, "AWS-managed prefix list weight" [doc]).

use std::collections::{BTreeMap, BTreeSet};

use ipnet::Ipv4Net;

use super::fix_args;
use crate::facts::{Fact, LoadBalancerFact, SecurityGroupFact, TargetGroupFact, VpcOriginFact};
use crate::model::inventory::EniLookup;
use crate::model::{Inventory, Kind, LbArn, TgArn, VpcId, normalize_dns_name};
use crate::reach::zones;

/// Weight of `com.amazonaws.global.cloudfront.origin-facing` against the SG rules quota.
pub const CLOUDFRONT_PREFIX_LIST_WEIGHT: i64 = 55;

/// The Inventory-derived facts, in a stable order.
#[must_use]
pub fn inventory_facts(inv: &Inventory) -> Vec<Fact> {
    let cf_albs = cloudfront_albs(inv);
    let mut facts = Vec::new();
    for lb in inv.load_balancers.values() {
        let idle = inv
            .lb_attribute(&lb.load_balancer_arn, "idle_timeout.timeout_seconds")
            .and_then(|v| v.parse().ok())
            .unwrap_or(-1);
        let hairpin = super::hairpin_facts::hairpin(inv, lb);
        facts.push(Fact::LoadBalancer(LoadBalancerFact {
            alb: lb.load_balancer_name.clone(),
            alb_arn: lb.load_balancer_arn.to_string(),
            scheme: lb.scheme.clone().unwrap_or_default(),
            state: lb
                .state
                .as_ref()
                .map(|s| s.code.clone())
                .unwrap_or_default(),
            vpc: lb
                .vpc_id
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            availability_zones: lb
                .availability_zones
                .iter()
                .map(|z| z.zone_name.clone())
                .collect(),
            subnets: lb
                .availability_zones
                .iter()
                .filter_map(|z| z.subnet_id.as_ref().map(ToString::to_string))
                .collect(),
            security_groups: lb.security_groups.iter().map(ToString::to_string).collect(),
            idle_timeout_seconds: idle,
            used_by_cloudfront: cf_albs.contains(&lb.load_balancer_arn),
            locked_to_cloudfront: hairpin.locked_to_cloudfront,
            nat_gateways_known: hairpin.nat_gateways_known,
            nat_gateways: hairpin.nat_gateways,
            nat_public_ips: hairpin.nat_public_ips,
            nat_public_ips_not_admitted: hairpin.nat_public_ips_not_admitted,
            nat_ip_permissions_arg: hairpin.nat_ip_permissions_arg,
            internal_sources: hairpin.internal_sources,
            locked_sg: hairpin.locked_sg,
        }));
    }
    let forwarded = forwarded_target_groups(inv);
    for tg in inv.target_groups.values() {
        let arn = &tg.target_group_arn;
        let health = inv.target_health.get(arn);
        let count = |state: &str| {
            health.map_or(0, |h| {
                h.iter()
                    .filter(|d| d.target_health.as_ref().is_some_and(|t| t.state == state))
                    .count()
            })
        };
        let reasons: BTreeSet<String> = health
            .into_iter()
            .flatten()
            .filter_map(|d| d.target_health.as_ref())
            .filter(|t| t.state != "healthy")
            .filter_map(|t| t.reason.clone())
            .collect();
        let first_lb = tg
            .load_balancer_arns
            .iter()
            .find_map(|a| inv.load_balancers.get(a));
        let albs: Vec<String> = tg
            .load_balancer_arns
            .iter()
            .map(|a| lb_name(inv, a))
            .collect();
        facts.push(Fact::TargetGroup(TargetGroupFact {
            target_group: tg.target_group_name.clone(),
            target_group_arn: arn.to_string(),
            albs,
            target_type: tg.target_type.clone().unwrap_or_default(),
            protocol: tg.protocol.clone().unwrap_or_default(),
            port: tg.port.map_or(-1, i64::from),
            health_check_port: tg.health_check_port.clone().unwrap_or_default(),
            health_check_protocol: tg.health_check_protocol.clone().unwrap_or_default(),
            health_check_path: tg.health_check_path.clone().unwrap_or_default(),
            matcher: tg
                .matcher
                .as_ref()
                .and_then(|m| m.http_code.clone().or_else(|| m.grpc_code.clone()))
                .unwrap_or_default(),
            health_known: health.is_some(),
            registered: health.map_or(0, |h| i64::try_from(h.len()).unwrap_or(i64::MAX)),
            healthy: to_i64(count("healthy")),
            unhealthy: to_i64(count("unhealthy")),
            unused: to_i64(count("unused")),
            reasons: reasons.into_iter().collect(),
            health_check_codes: health_check_codes(health),
            forwarded_to: forwarded.contains_key(arn),
            on_cloudfront_path: forwarded
                .get(arn)
                .is_some_and(|lbs| lbs.iter().any(|lb| cf_albs.contains(lb))),
            target_sg: health
                .into_iter()
                .flatten()
                .find_map(|d| target_first_sg(inv, tg.vpc_id.as_ref(), &d.target.id))
                .unwrap_or_default(),
            alb_sg: tg
                .load_balancer_arns
                .iter()
                .filter_map(|a| inv.load_balancers.get(a))
                .find_map(|lb| lb.security_groups.first())
                .map(ToString::to_string)
                .unwrap_or_default(),
            alb_arn: first_lb
                .map(|lb| lb.load_balancer_arn.to_string())
                .unwrap_or_default(),
            alb_subnets: first_lb
                .map(|lb| lb.subnet_ids().iter().map(ToString::to_string).collect())
                .unwrap_or_default(),
            target_az_subnets_arg: first_lb
                .map(|lb| fix_args::target_az_subnets_arg(inv, tg, lb))
                .unwrap_or_default(),
            vpc: tg
                .vpc_id
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            protocol_version: tg.protocol_version.clone().unwrap_or_default(),
            cross_zone: match zones::cross_zone_enabled(inv, tg, first_lb) {
                Some(true) => "on".to_owned(),
                Some(false) => "off".to_owned(),
                None => String::new(),
            },
            alb_availability_zones: first_lb
                .map(|lb| {
                    lb.availability_zones
                        .iter()
                        .map(|z| z.zone_name.clone())
                        .collect()
                })
                .unwrap_or_default(),
            azs_without_healthy_targets: first_lb
                .and_then(|lb| zones::azs_without_healthy_targets(inv, tg, lb))
                .unwrap_or_default(),
        }));
    }
    let cf_lists: BTreeSet<String> = inv
        .cloudfront_prefix_lists()
        .map(|p| p.prefix_list_id.to_string())
        .collect();
    let cf_alb_sgs: BTreeSet<String> = inv
        .load_balancers
        .values()
        .filter(|lb| cf_albs.contains(&lb.load_balancer_arn))
        .flat_map(|lb| lb.security_groups.iter().map(ToString::to_string))
        .collect();
    let cf_entries: Vec<Ipv4Net> = inv
        .cloudfront_prefix_lists()
        .filter_map(|p| inv.prefix_list_entries.get(&p.prefix_list_id))
        .flatten()
        .filter_map(|e| e.cidr.parse().ok())
        .collect();
    let prefix_list_arg = fix_args::cloudfront_prefix_list_arg(inv);
    for sg in inv.security_groups.values() {
        let mut weight = 0;
        let mut cidrs = 0;
        let mut refs_cf = false;
        let mut cidr_port = -1;
        let mut literal: Vec<Ipv4Net> = Vec::new();
        for p in &sg.ip_permissions {
            weight += to_i64(p.ip_ranges.len() + p.ipv6_ranges.len() + p.user_id_group_pairs.len());
            cidrs += to_i64(p.ip_ranges.len());
            if !p.ip_ranges.is_empty() && cidr_port < 0 {
                cidr_port = p.from_port.map_or(-1, i64::from);
            }
            literal.extend(
                p.ip_ranges
                    .iter()
                    .filter_map(|r| r.cidr_ip.parse::<Ipv4Net>().ok()),
            );
            for pl in &p.prefix_list_ids {
                let id = pl.prefix_list_id.to_string();
                if cf_lists.contains(&id) {
                    refs_cf = true;
                    weight += CLOUDFRONT_PREFIX_LIST_WEIGHT;
                } else {
                    weight += inv
                        .prefix_lists
                        .get(&pl.prefix_list_id)
                        .and_then(|l| l.max_entries)
                        .unwrap_or(1);
                }
            }
        }
        let id = sg.group_id.to_string();
        let uncovered_cloudfront_cidrs = if refs_cf {
            Vec::new()
        } else {
            uncovered(&cf_entries, &literal)
        };
        facts.push(Fact::SecurityGroup(SecurityGroupFact {
            uncovered_cloudfront_cidrs,
            cidr_port,
            on_cloudfront_alb: cf_alb_sgs.contains(&id),
            sg: id,
            name: sg.group_name.clone(),
            vpc: sg
                .vpc_id
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            ingress_rule_weight: weight,
            ingress_cidr_count: cidrs,
            references_cloudfront_prefix_list: refs_cf,
            cloudfront_prefix_list_arg: prefix_list_arg.clone(),
        }));
    }
    for vo in inv.vpc_origins.values() {
        let endpoint_arn = vo
            .vpc_origin_endpoint_config
            .as_ref()
            .map(|c| c.arn.clone())
            .or_else(|| vo.origin_endpoint_arn.clone())
            .unwrap_or_default();
        let distributions = inv
            .distributions
            .values()
            .filter(|d| {
                d.origins.items.iter().any(|o| {
                    o.vpc_origin_config
                        .as_ref()
                        .is_some_and(|c| c.vpc_origin_id == vo.id)
                })
            })
            .map(|d| d.id.to_string())
            .collect();
        let vpc = inv
            .load_balancers
            .get(endpoint_arn.as_str())
            .and_then(|lb| lb.vpc_id.clone());
        facts.push(Fact::VpcOrigin(VpcOriginFact {
            vpc_origin: vo.id.to_string(),
            name: vo
                .name
                .clone()
                .or_else(|| {
                    vo.vpc_origin_endpoint_config
                        .as_ref()
                        .map(|c| c.name.clone())
                })
                .unwrap_or_default(),
            status: vo.status.clone().unwrap_or_default(),
            endpoint_exists: inv.load_balancers.contains_key(endpoint_arn.as_str()),
            endpoint_arn,
            distributions,
            origin_protocol_policy: vo
                .vpc_origin_endpoint_config
                .as_ref()
                .map(|c| c.origin_protocol_policy.clone())
                .unwrap_or_default(),
            last_modified_time: vo.last_modified_time.clone().unwrap_or_default(),
            vpc_has_internet_gateway: match &vpc {
                Some(vpc) if inv.has(Kind::InternetGateways) => {
                    let attached = inv.internet_gateways.values().any(|igw| {
                        igw.attachments.iter().any(|a| {
                            &a.vpc_id == vpc
                                && a.state
                                    .as_deref()
                                    .is_none_or(|s| s == "available" || s == "attached")
                        })
                    });
                    attached.to_string()
                }
                _ => String::new(),
            },
            vpc: vpc.map(|v| v.to_string()).unwrap_or_default(),
            internet_gateway_arg: fix_args::detached_internet_gateway_arg(inv),
        }));
    }
    facts
}

/// Prefix-list entries no literal CIDR covers, when the literal CIDRs look copied from the list.
fn uncovered(entries: &[Ipv4Net], literal: &[Ipv4Net]) -> Vec<String> {
    let copied = literal
        .iter()
        .any(|l| l.prefix_len() > 0 && entries.iter().any(|e| e.contains(l)));
    if !copied {
        return Vec::new();
    }
    entries
        .iter()
        .filter(|e| !literal.iter().any(|l| l.contains(*e)))
        .map(ToString::to_string)
        .collect()
}

/// The HTTP codes in the descriptions of a group's failing health checks: ELB writes
/// `Health checks failed with these codes: [404]` (or `[301, 302]`) for
/// `Target.ResponseCodeMismatch`.
fn health_check_codes(
    health: Option<&Vec<crate::model::elbv2::TargetHealthDescription>>,
) -> Vec<String> {
    let mut codes: BTreeSet<String> = BTreeSet::new();
    for t in health
        .into_iter()
        .flatten()
        .filter_map(|d| d.target_health.as_ref())
    {
        if t.reason.as_deref() != Some("Target.ResponseCodeMismatch") {
            continue;
        }
        let Some(d) = &t.description else { continue };
        let Some(list) = d
            .split_once('[')
            .and_then(|(_, r)| r.split_once(']'))
            .map(|(l, _)| l)
        else {
            continue;
        };
        codes.extend(
            list.split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()))
                .map(str::to_owned),
        );
    }
    codes.into_iter().collect()
}

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn lb_name(inv: &Inventory, arn: &LbArn) -> String {
    inv.load_balancers
        .get(arn)
        .map_or_else(|| arn.to_string(), |lb| lb.load_balancer_name.clone())
}

/// Load balancers some distribution origin points at (custom origin by DNS name, or VPC origin
/// by endpoint ARN).
fn cloudfront_albs(inv: &Inventory) -> BTreeSet<LbArn> {
    let index = inv.index();
    let mut out = BTreeSet::new();
    for d in inv.distributions.values() {
        for o in &d.origins.items {
            if let Some(arn) = index
                .lb_by_dns_name
                .get(&normalize_dns_name(&o.domain_name))
            {
                out.insert(arn.clone());
            }
            if let Some(c) = &o.vpc_origin_config
                && let Some(vo) = inv.vpc_origins.get(&c.vpc_origin_id)
            {
                let arn = vo
                    .vpc_origin_endpoint_config
                    .as_ref()
                    .map(|c| c.arn.clone())
                    .or_else(|| vo.origin_endpoint_arn.clone())
                    .unwrap_or_default();
                if inv.load_balancers.contains_key(arn.as_str()) {
                    out.insert(LbArn(arn));
                }
            }
        }
    }
    out
}

/// Target group → load balancers whose listener default action or rule forwards to it.
fn forwarded_target_groups(inv: &Inventory) -> BTreeMap<TgArn, BTreeSet<LbArn>> {
    let mut out: BTreeMap<TgArn, BTreeSet<LbArn>> = BTreeMap::new();
    let mut add = |tg: &TgArn, lb: &LbArn| {
        out.entry(tg.clone()).or_default().insert(lb.clone());
    };
    for l in inv.listeners.values() {
        let rule_actions = inv
            .rules
            .values()
            .filter(|r| r.listener_arn.as_ref() == Some(&l.listener_arn))
            .flat_map(|r| r.actions.iter());
        for a in l.default_actions.iter().chain(rule_actions) {
            if let Some(tg) = &a.target_group_arn {
                add(tg, &l.load_balancer_arn);
            }
            if let Some(fc) = &a.forward_config {
                for t in &fc.target_groups {
                    add(&t.target_group_arn, &l.load_balancer_arn);
                }
            }
        }
    }
    out
}

/// The first security group of a target's ENI: an instance's primary ENI, or the ENI holding an
/// IP target's address in the target group's VPC.
fn target_first_sg(inv: &Inventory, vpc: Option<&VpcId>, target: &str) -> Option<String> {
    let index = inv.index();
    let eni = index.primary_eni_by_instance.get(target).or_else(|| {
        match index.eni_by_ip(vpc, target) {
            EniLookup::Found(eni) => Some(eni),
            EniLookup::NotFound | EniLookup::Ambiguous(_) => None,
        }
    })?;
    inv.network_interfaces
        .get(eni)?
        .groups
        .first()
        .map(|g| g.group_id.to_string())
}
