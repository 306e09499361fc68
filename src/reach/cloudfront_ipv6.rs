//! The address family of the `cloudfront->alb` hop, and its IPv6 path.
//!
//! A custom origin's `IpAddressType` (`ipv4`, the default; `ipv6`; `dualstack`) and a VPC
//! origin's (`ipv4`, `dualstack`) say which family CloudFront connects over; the ALB's
//! (`ipv4`; `dualstack`; `dualstack-without-public-ipv4`: public IPv6, private IPv4 only) which
//! families it answers on. CloudFront uses the families both have ([`families`]); none in common
//! is `blocked` (`ip-address-type-mismatch`: an `ipv6` origin has no AAAA record to connect to
//! on an `ipv4` ALB).
//!
//! The IPv6 path needs its own rules at every layer: an ingress rule for the IPv6 origin-facing
//! prefix list (`com.amazonaws.global.ipv6.cloudfront.origin-facing`; the IPv4 list admits no
//! IPv6 source) or `::/0`, NACL entries with an `Ipv6CidrBlock`, a `::/0` route to an internet
//! gateway (an egress-only one admits no inbound connection) and IPv6 CIDRs on the ALB's
//! subnets. Its checks run on an accumulator of their own and land in the hop with codes
//! prefixed `ipv6-`. For a `dualstack` origin each family's `blocked` becomes `partial` while
//! the other family works (CloudFront reaches the ALB over one, not the other); both blocked
//! stay `blocked`. An IPv4-only origin (every origin without `IpAddressType`) is evaluated
//! exactly as before: this module only decides that.
//!
//! <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/LocationsOfEdgeServers.html#managed-prefix-list>,
//! <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#ip-address-type>.

use ipnet::Ipv6Net;

use super::cloudfront_hop::CfInput;
use super::evidence::{HopAcc, unique_rules};
use super::nacl_report::subnet_nacls;
use super::prefix_list::{
    cloudfront_ipv6_pl_ids, cloudfront_ipv6_ranges, cloudfront_pl_ids, pl_entries_ipv6,
    pl_unidentified,
};
use super::route::igw_routes_ipv6;
use super::sg::{near, rule_text};
use super::{Verdict, cidr};
use crate::facts::{HopFact, NearMiss};
use crate::model::elbv2::LoadBalancer;
use crate::model::{
    CLOUDFRONT_ORIGIN_FACING_IPV6_PREFIX_LIST, Direction, Inventory, Kind, Peer, PrefixListId,
};

/// The address families CloudFront connects to an ALB over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Families {
    /// Over IPv4.
    pub v4: bool,
    /// Over IPv6.
    pub v6: bool,
}

/// The families the origin's `IpAddressType` (`origin`, lowercase; empty = `ipv4`) and the
/// ALB's have in common. For a public origin a `dualstack-without-public-ipv4` ALB answers over
/// IPv6 only; through a VPC origin it keeps its private IPv4 addresses.
pub(crate) fn families(origin: &str, lb: &LoadBalancer, vpc_origin: bool) -> Families {
    let (o4, o6) = match origin {
        "ipv6" => (false, true),
        "dualstack" => (true, true),
        _ => (true, false),
    };
    let (a4, a6) = match lb.ip_address_type.as_deref().map(str::to_ascii_lowercase) {
        Some(t) if t == "dualstack" => (true, true),
        Some(t) if t == "dualstack-without-public-ipv4" => (vpc_origin, true),
        _ => (true, false),
    };
    Families {
        v4: o4 && a4,
        v6: o6 && a6,
    }
}

/// Runs the network checks of the hop for the families CloudFront uses: `ipv4` (the hop's
/// existing checks, recorded as they always were) and the IPv6 path of this module.
pub(crate) fn network_checks(
    inv: &Inventory,
    input: &CfInput<'_>,
    acc: &mut HopAcc,
    ipv4: impl FnOnce(&mut HopAcc),
) {
    let origin = acc.fact.origin_ip_address_type.clone();
    let lb = input.lb;
    let fam = families(&origin, lb, input.vpc_origin);
    let alb_type = lb.ip_address_type.as_deref().unwrap_or("ipv4");
    match (fam.v4, fam.v6) {
        (true, false) => {
            if origin == "dualstack" {
                acc.checked(format!(
                    "origin IpAddressType dualstack, {} IpAddressType {alb_type}: CloudFront connects over IPv4 only",
                    lb.load_balancer_name
                ));
            }
            ipv4(acc);
        }
        (false, false) => acc.fail(
            Verdict::Blocked,
            "ip-address-type-mismatch",
            format!(
                "the origin's IpAddressType is {} but {} is {alb_type}{}: CloudFront has no address of its family to connect to",
                if origin.is_empty() { "ipv4" } else { &origin },
                lb.load_balancer_name,
                if alb_type == "dualstack-without-public-ipv4" {
                    " (no public IPv4 address)"
                } else {
                    " (no IPv6 address)"
                },
            ),
        ),
        (false, true) => {
            acc.checked(format!(
                "origin IpAddressType ipv6, {} IpAddressType {alb_type}: CloudFront connects over IPv6 only",
                lb.load_balancer_name
            ));
            let mut v6 = HopAcc::new(HopFact::default());
            ipv6_network(inv, input, &mut v6);
            acc.absorb(v6, "ipv6-", |v| v);
        }
        (true, true) => {
            acc.checked(format!(
                "origin IpAddressType dualstack, {} IpAddressType {alb_type}: CloudFront connects over IPv4 and IPv6",
                lb.load_balancer_name
            ));
            let mut v4 = HopAcc::new(HopFact::default());
            ipv4(&mut v4);
            let mut v6 = HopAcc::new(HopFact::default());
            ipv6_network(inv, input, &mut v6);
            let (b4, b6) = (
                v4.verdict() == Verdict::Blocked,
                v6.verdict() == Verdict::Blocked,
            );
            acc.absorb(v4, "", |v| one_family(v, b6));
            acc.absorb(v6, "ipv6-", |v| one_family(v, b4));
        }
    }
}

/// A dualstack origin's verdict of one family: `blocked` only while the other is blocked too.
fn one_family(v: Verdict, other_blocked: bool) -> Verdict {
    if v == Verdict::Blocked && !other_blocked {
        Verdict::Partial
    } else {
        v
    }
}

/// The IPv6 path: subnets' IPv6 CIDRs, security groups, NACLs and `::/0` routes.
fn ipv6_network(inv: &Inventory, input: &CfInput<'_>, acc: &mut HopAcc) {
    let lb = input.lb;
    subnet_ipv6_cidrs(inv, lb, acc);
    if !input.vpc_origin {
        // Through a VPC origin the source is the service group, whichever the family: the IPv4
        // check of the groups covers it.
        sg_ipv6(inv, input, acc);
    }
    let mut peers_known = Ok(());
    let peers: Vec<Ipv6Net> = if input.vpc_origin {
        lb.vpc_id
            .as_ref()
            .and_then(|v| inv.vpcs.get(v))
            .map(|v| {
                v.ipv6_cidr_block_association_set
                    .iter()
                    .filter_map(|a| a.ipv6_cidr_block.as_deref())
                    .filter_map(crate::model::parse_ipv6_net)
                    .collect()
            })
            .unwrap_or_default()
    } else {
        match cloudfront_ipv6_ranges(inv) {
            Ok(r) => r,
            Err(missing) => {
                peers_known = Err(missing);
                crate::model::parse_ipv6_net("::/0").into_iter().collect()
            }
        }
    };
    if !peers.is_empty() {
        subnet_nacls(
            inv,
            &lb.subnet_ids(),
            (&peers, "CloudFront over IPv6"),
            peers_known,
            input.port,
            acc,
        );
    }
    if lb.scheme.as_deref() != Some("internal") && !input.vpc_origin {
        igw_routes_ipv6(inv, lb, acc);
    }
}

/// Every subnet of the ALB needs an IPv6 CIDR for the ALB to have an IPv6 address there.
fn subnet_ipv6_cidrs(inv: &Inventory, lb: &LoadBalancer, acc: &mut HopAcc) {
    if !inv.has(Kind::Subnets) {
        acc.missing(inv, Kind::Subnets);
        return;
    }
    let subnets = lb.subnet_ids();
    let lacking: Vec<String> = subnets
        .iter()
        .filter(|s| {
            inv.subnets.get(*s).is_some_and(|x| {
                !x.ipv6_cidr_block_association_set
                    .iter()
                    .any(|a| a.ipv6_cidr_block.is_some())
            })
        })
        .map(ToString::to_string)
        .collect();
    if lacking.is_empty() {
        return;
    }
    let v = if lacking.len() == subnets.len() {
        Verdict::Blocked
    } else {
        Verdict::Partial
    };
    acc.fail(
        v,
        "subnet-without-ipv6-cidr",
        format!(
            "{} of {} subnet(s) of {} have no IPv6 CIDR, so the ALB has no IPv6 address there: {}",
            lacking.len(),
            subnets.len(),
            lb.load_balancer_name,
            lacking.join(", ")
        ),
    );
}

/// The ALB's security groups against CloudFront's IPv6 origin-facing ranges.
fn sg_ipv6(inv: &Inventory, input: &CfInput<'_>, acc: &mut HopAcc) {
    if !inv.has(Kind::SecurityGroups) {
        acc.missing(inv, Kind::SecurityGroups);
        return;
    }
    let lb = input.lb;
    let port = input.port;
    let cf6 = cloudfront_ipv6_pl_ids(inv);
    let cf4 = cloudfront_pl_ids(inv);
    let mut admitted = false;
    let mut cidrs: Vec<(Ipv6Net, String)> = Vec::new();
    // Prefix-list rules the data cannot decide: (rule, list id, whether the list is unnamed).
    let mut undecided: Vec<(String, PrefixListId, bool)> = Vec::new();
    let mut missing_groups = false;
    let mut misses: Vec<(NearMiss, String)> = Vec::new();
    for sgid in &lb.security_groups {
        let Some(group) = inv.security_groups.get(sgid) else {
            missing_groups = true;
            acc.missing_what(
                format!("{sgid} (attached to {})", lb.load_balancer_name),
                inv.missing_security_group(sgid),
            );
            continue;
        };
        for p in &group.ip_permissions {
            if !p.protocol().carries_tcp() || !p.ports().contains(port) {
                continue;
            }
            let peers = p
                .peers()
                .into_iter()
                .filter(|x| !matches!(x, Peer::Sg { .. }))
                .chain(p.ipv6_peers());
            for peer in peers {
                let rule = rule_text(sgid, Direction::Ingress, p, &peer);
                match &peer {
                    Peer::PrefixList(id) if cf6.contains(id) => {
                        admitted = true;
                        acc.admitted(rule);
                    }
                    Peer::PrefixList(id) if cf4.contains(id) => misses.push((
                        near(sgid, &rule, "source", p, &peer),
                        format!(
                            "admits the IPv4 origin-facing list {id}, which holds no IPv6 address"
                        ),
                    )),
                    Peer::PrefixList(id) if pl_unidentified(inv, id) => {
                        undecided.push((rule, id.clone(), true));
                    }
                    Peer::PrefixList(id) => match pl_entries_ipv6(inv, id) {
                        Some(es) => cidrs.extend(es.into_iter().map(|n| (n, rule.clone()))),
                        None if inv.prefix_lists.get(id).is_none_or(|l| {
                            l.address_family
                                .as_deref()
                                .is_none_or(|f| f.eq_ignore_ascii_case("IPv6"))
                        }) =>
                        {
                            undecided.push((rule, id.clone(), false));
                        }
                        None => {}
                    },
                    Peer::Cidr(_) => {
                        if let Some(net) = peer.ipv6_net() {
                            if net.prefix_len() == 0 {
                                admitted = true;
                                acc.admitted(rule);
                            } else {
                                cidrs.push((net, rule));
                            }
                        } else if peer.ipv4_net().is_some_and(|n| cidr::is_any(&n)) {
                            misses.push((
                                near(sgid, &rule, "source", p, &peer),
                                format!("admits {peer}, IPv4 only (IPv6 needs ::/0 or the IPv6 prefix list)"),
                            ));
                        }
                    }
                    Peer::Sg { .. } => {}
                }
            }
        }
    }
    if admitted {
        return;
    }
    let undecidable = missing_groups || !undecided.is_empty();
    if !undecided.is_empty() {
        acc.checked(format!(
            "prefix-list rules not expandable or not identified (one may be {CLOUDFRONT_ORIGIN_FACING_IPV6_PREFIX_LIST}): {}",
            unique_rules(undecided.iter().map(|r| &r.0)).join("; ")
        ));
        let mut seen: Vec<&PrefixListId> = Vec::new();
        for (_, id, unnamed) in &undecided {
            if seen.contains(&id) {
                continue;
            }
            seen.push(id);
            if *unnamed {
                acc.missing_what(
                    format!("name of prefix list {id}"),
                    inv.missing_reason(Kind::PrefixLists),
                );
            } else {
                acc.missing_what(
                    format!("entries of prefix list {id}"),
                    inv.missing_prefix_list_entries(id),
                );
            }
        }
    }
    if !cidrs.is_empty() {
        let rules = unique_rules(cidrs.iter().map(|c| &c.1));
        match cloudfront_ipv6_ranges(inv) {
            Err((what, cli)) => {
                acc.checked(format!(
                    "IPv6 CIDR rules ({}) cannot be compared with the CloudFront IPv6 origin-facing prefix list",
                    rules.join("; ")
                ));
                acc.missing_what(what, cli);
                return;
            }
            Ok(entries) => {
                let agg = Ipv6Net::aggregate(&cidrs.iter().map(|c| c.0).collect::<Vec<_>>());
                let unc: Vec<&Ipv6Net> = entries
                    .iter()
                    .filter(|w| !agg.iter().any(|h| h.contains(*w)))
                    .collect();
                if unc.is_empty() {
                    for r in rules {
                        acc.admitted(r.to_owned());
                    }
                    return;
                }
                if unc.len() < entries.len() {
                    let coverage = format!(
                        "IPv6 CIDR rules cover {} of {} CloudFront IPv6 origin-facing ranges; {} not covered (e.g. {})",
                        entries.len() - unc.len(),
                        entries.len(),
                        unc.len(),
                        unc.iter()
                            .take(3)
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                    if undecidable {
                        acc.checked(coverage);
                        return;
                    }
                    acc.fail(Verdict::Partial, "prefix-list-partial", coverage);
                    acc.fact.uncovered_cidrs = unc.iter().map(ToString::to_string).collect();
                    return;
                }
                for r in rules {
                    acc.checked(format!("covers no CloudFront IPv6 range: {r}"));
                }
            }
        }
    }
    if undecidable {
        return;
    }
    let list = cf6.first().map_or_else(String::new, |id| format!(" {id}"));
    acc.fail(
        Verdict::Blocked,
        "sg-no-admitting-rule",
        format!(
            "no ingress rule of {} ({}) admits CloudFront over IPv6 on tcp/{port}: none names the IPv6 origin-facing prefix list {CLOUDFRONT_ORIGIN_FACING_IPV6_PREFIX_LIST}{list} or ::/0",
            lb.load_balancer_name,
            lb.security_groups
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    for (nm, d) in misses {
        acc.near_miss(nm, d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lb(t: Option<&str>) -> LoadBalancer {
        let mut v = serde_json::json!({
            "LoadBalancerArn": "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/a/1",
            "LoadBalancerName": "a",
            "DNSName": "a-1.us-east-1.elb.amazonaws.com",
        });
        if let Some(t) = t {
            v["IpAddressType"] = t.into();
        }
        serde_json::from_value(v).expect("lb")
    }

    fn f(v4: bool, v6: bool) -> Families {
        Families { v4, v6 }
    }

    #[test]
    fn the_families_are_those_origin_and_alb_share() {
        assert_eq!(families("ipv4", &lb(None), false), f(true, false));
        assert_eq!(families("", &lb(Some("dualstack")), false), f(true, false));
        assert_eq!(families("ipv6", &lb(Some("ipv4")), false), f(false, false));
        assert_eq!(
            families("ipv6", &lb(Some("dualstack")), false),
            f(false, true)
        );
        assert_eq!(
            families("dualstack", &lb(Some("dualstack")), false),
            f(true, true)
        );
        assert_eq!(
            families("dualstack", &lb(Some("ipv4")), false),
            f(true, false)
        );
        // No public IPv4: a public origin reaches it over IPv6 only, a VPC origin over both.
        let no4 = lb(Some("dualstack-without-public-ipv4"));
        assert_eq!(families("ipv4", &no4, false), f(false, false));
        assert_eq!(families("dualstack", &no4, false), f(false, true));
        assert_eq!(families("dualstack", &no4, true), f(true, true));
    }

    #[test]
    fn a_dualstack_family_is_blocked_only_with_the_other() {
        assert_eq!(one_family(Verdict::Blocked, false), Verdict::Partial);
        assert_eq!(one_family(Verdict::Blocked, true), Verdict::Blocked);
        assert_eq!(one_family(Verdict::Unknown, false), Verdict::Unknown);
    }
}
