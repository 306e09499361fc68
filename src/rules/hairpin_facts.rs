//! The `nat_*` and `locked_to_cloudfront` fields of a load-balancer fact (catalog B14, hairpin):
//! which public NAT gateways its own VPC has, and which of their public IPs its security groups
//! do not admit. Calls from inside the VPC to the ALB's public name leave through those NAT
//! gateways and come back with a NAT public IP as source.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use crate::model::ec2::IpPermission;
use crate::model::elbv2::LoadBalancer;
use crate::model::{Inventory, Kind, VPC_ORIGIN_SERVICE_SG_NAME};

/// The hairpin view of one load balancer.
#[derive(Debug, Default)]
pub(crate) struct Hairpin {
    pub(crate) locked_to_cloudfront: bool,
    pub(crate) nat_gateways_known: bool,
    pub(crate) nat_gateways: Vec<String>,
    pub(crate) nat_public_ips: Vec<String>,
    pub(crate) nat_public_ips_not_admitted: Vec<String>,
    pub(crate) nat_ip_permissions_arg: String,
    pub(crate) internal_sources: Vec<String>,
    pub(crate) locked_sg: String,
}

/// Whether `net` lies in private (RFC 1918) or shared (RFC 6598) address space.
fn is_private(net: &Ipv4Net) -> bool {
    [
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
    ]
    .iter()
    .filter_map(|c| c.parse::<Ipv4Net>().ok())
    .any(|p| p.contains(net))
}

/// Whether `p` is a TCP (or all-traffic) permission covering `port`.
fn covers_port(p: &IpPermission, port: i32) -> bool {
    match p.ip_protocol.as_str() {
        "-1" => true,
        "tcp" | "6" => {
            let lo = p.from_port.unwrap_or(0);
            let hi = p.to_port.unwrap_or(65535);
            (lo..=hi).contains(&port)
        }
        _ => false,
    }
}

/// Whether `p` admits `ip` (literal CIDRs; prefix lists by their entries; a customer prefix
/// list whose entries are unknown counts as admitting, so nothing is claimed on missing data).
fn admits(inv: &Inventory, p: &IpPermission, ip: Ipv4Addr) -> bool {
    let in_cidr = |c: &str| c.parse::<Ipv4Net>().is_ok_and(|n| n.contains(&ip));
    p.ip_ranges.iter().any(|r| in_cidr(&r.cidr_ip))
        || p.prefix_list_ids.iter().any(|pl| {
            inv.prefix_list_entries
                .get(&pl.prefix_list_id)
                .is_none_or(|entries| entries.iter().any(|e| in_cidr(&e.cidr)))
        })
}

/// The hairpin view of `lb`.
pub(crate) fn hairpin(inv: &Inventory, lb: &LoadBalancer) -> Hairpin {
    let cf_lists: BTreeSet<String> = inv
        .cloudfront_prefix_lists()
        .map(|p| p.prefix_list_id.to_string())
        .collect();
    let vpc = lb.vpc_id.as_ref();
    let service_sgs: BTreeSet<String> = vpc
        .and_then(|v| {
            inv.index()
                .sgs_by_vpc_and_name
                .get(&(v.clone(), VPC_ORIGIN_SERVICE_SG_NAME.to_owned()))
                .map(|g| g.iter().map(ToString::to_string).collect())
        })
        .unwrap_or_default();
    let perms: Vec<&IpPermission> = lb
        .security_groups
        .iter()
        .filter_map(|id| inv.security_groups.get(id))
        .flat_map(|sg| &sg.ip_permissions)
        .collect();
    let locks = |p: &IpPermission| {
        p.prefix_list_ids
            .iter()
            .any(|pl| cf_lists.contains(&pl.prefix_list_id.to_string()))
            || p.user_id_group_pairs.iter().any(|g| {
                g.group_id
                    .as_ref()
                    .is_some_and(|id| service_sgs.contains(&id.to_string()))
            })
    };
    let locked_sg = lb
        .security_groups
        .iter()
        .find(|id| {
            inv.security_groups
                .get(*id)
                .is_some_and(|sg| sg.ip_permissions.iter().any(locks))
        })
        .map(ToString::to_string)
        .unwrap_or_default();
    let mut internal_sources: BTreeSet<String> = BTreeSet::new();
    for p in &perms {
        for r in &p.ip_ranges {
            if r.cidr_ip.parse::<Ipv4Net>().is_ok_and(|n| is_private(&n)) {
                internal_sources.insert(r.cidr_ip.clone());
            }
        }
        for g in &p.user_id_group_pairs {
            if let Some(id) = &g.group_id
                && !service_sgs.contains(&id.to_string())
            {
                internal_sources.insert(id.to_string());
            }
        }
    }
    let mut out = Hairpin {
        internal_sources: internal_sources.into_iter().collect(),
        locked_to_cloudfront: !locked_sg.is_empty(),
        locked_sg,
        nat_gateways_known: inv.has(Kind::NatGateways),
        ..Hairpin::default()
    };
    let Some(vpc) = vpc else { return out };
    for nat in inv.nat_gateways.values() {
        let public = nat.connectivity_type.as_deref().unwrap_or("public") == "public";
        let available = nat.state.as_deref().unwrap_or("available") == "available";
        if nat.vpc_id.as_ref() != Some(vpc) || !public || !available {
            continue;
        }
        out.nat_gateways.push(nat.nat_gateway_id.to_string());
        for a in &nat.nat_gateway_addresses {
            if let Some(ip) = &a.public_ip {
                out.nat_public_ips.push(ip.clone());
            }
        }
    }
    let ports: BTreeSet<i32> = inv
        .listeners
        .values()
        .filter(|l| l.load_balancer_arn == lb.load_balancer_arn)
        .map(|l| l.port)
        .collect();
    // Without security groups nothing is known to be refused.
    let sgs_known = lb
        .security_groups
        .iter()
        .all(|id| inv.security_groups.contains_key(id));
    if !sgs_known || ports.is_empty() {
        return out;
    }
    out.nat_public_ips_not_admitted = out
        .nat_public_ips
        .iter()
        .filter(|ip| {
            ip.parse::<Ipv4Addr>().is_ok_and(|addr| {
                ports.iter().any(|&port| {
                    !perms
                        .iter()
                        .any(|p| covers_port(p, port) && admits(inv, p, addr))
                })
            })
        })
        .cloned()
        .collect();
    if !out.nat_public_ips_not_admitted.is_empty() {
        let ranges: Vec<String> = out
            .nat_public_ips_not_admitted
            .iter()
            .map(|ip| format!("{{CidrIp={ip}/32,Description=NAT-hairpin}}"))
            .collect();
        out.nat_ip_permissions_arg = ports
            .iter()
            .map(|port| {
                format!(
                    "IpProtocol=tcp,FromPort={port},ToPort={port},IpRanges=[{}]",
                    ranges.join(",")
                )
            })
            .collect::<Vec<_>>()
            .join(" ");
    }
    out
}
