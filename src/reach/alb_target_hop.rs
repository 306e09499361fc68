//! The `alb->target` hop: the ALB's egress rules, the target's ingress rules (traffic and
//! health-check ports), the NACLs between their subnets, and the target's Availability Zone.
//!
//! The ALB connects from private addresses of its own ENIs, carrying only the ALB's security
//! groups: a target rule admits it by naming one of those groups, or a CIDR / prefix list that
//! covers every ALB address. Both the traffic port and the health-check port must pass, in both
//! groups' directions. A rule the data cannot decide (an unexpanded prefix list, a group not
//! loaded, a target without a known address) is missing data, never a block; when nothing
//! admits the ALB, the near misses (e.g. a ghost reference to a group the ALB no longer
//! carries) are named.

use ipnet::Ipv4Net;

use super::evidence::{HopAcc, MissingData, unique_rules};
use super::nacl_report::{NaclRow, nacl_both, report_nacls};
use super::prefix_list::pl_entries;
use super::sg::{near, rule_text};
use super::target::{TargetNet, resolve_target};
use super::{Hop, HopResult, Verdict, cidr, nacl};
use crate::facts::{HopFact, NearMiss};
use crate::model::elbv2::{LoadBalancer, TargetGroup, TargetHealthDescription};
use crate::model::ids::SubnetId;
use crate::model::{Direction, Inventory, Kind, Peer};

/// The IPv4 network of subnet `s`, if loaded with a CIDR.
fn subnet_net(inv: &Inventory, s: &SubnetId) -> Option<Ipv4Net> {
    inv.subnets.get(s).and_then(|x| x.ipv4_net())
}

/// The private addresses the ALB connects from, as networks: its ENIs' IPs, or its subnets.
fn alb_sources(inv: &Inventory, lb: &LoadBalancer, acc: &mut HopAcc) -> Vec<Ipv4Net> {
    let mut out: Vec<Ipv4Net> = Vec::new();
    if let Some(enis) = inv.index().enis_by_lb.get(&lb.load_balancer_arn) {
        for e in enis.iter().filter_map(|e| inv.network_interfaces.get(e)) {
            out.extend(e.private_ip_address.as_deref().and_then(cidr::parse));
            out.extend(
                e.private_ip_addresses
                    .iter()
                    .filter_map(|p| cidr::parse(&p.private_ip_address)),
            );
        }
    }
    out.sort();
    out.dedup();
    if out.is_empty() {
        out = lb
            .subnet_ids()
            .iter()
            .filter_map(|s| subnet_net(inv, s))
            .collect();
        acc.checked(format!(
            "ALB ENIs of {} not in the inventory; using its subnets' CIDRs as the source",
            lb.load_balancer_name
        ));
    }
    out
}

/// The `alb->target` hop of target `desc` of `tg` behind `lb`.
pub(crate) fn alb_to_target(
    inv: &Inventory,
    lb: &LoadBalancer,
    tg: &TargetGroup,
    desc: &TargetHealthDescription,
    mut base: HopFact,
) -> HopResult {
    let target_port = desc.target.port.or(tg.port).unwrap_or(80);
    let hc_port = tg.health_check_port_for(target_port);
    base.port = i64::from(target_port);
    base.health_check_port = i64::from(hc_port);
    base.protocol = tg.protocol.clone().unwrap_or_default();
    let mut acc = HopAcc::new(base);
    let Some(t) = resolve_target(inv, tg, &desc.target.id, &mut acc) else {
        return acc.finish(Hop::AlbToTarget);
    };
    acc.fact.target_sgs = t.sgs.iter().map(ToString::to_string).collect();
    acc.fact.target_sg = acc.fact.target_sgs.first().cloned().unwrap_or_default();
    let mut ports = vec![target_port];
    if hc_port != target_port {
        ports.push(hc_port);
    }
    if !inv.has(Kind::SecurityGroups) {
        acc.missing(inv, Kind::SecurityGroups);
    } else {
        alb_egress(inv, lb, &t, &ports, target_port, &mut acc);
        let sources = alb_sources(inv, lb, &mut acc);
        target_ingress(inv, lb, &t, target_port, hc_port, &sources, &mut acc);
    }
    // NACLs between ALB subnets and the target subnet.
    if let (Some(tsub), Some(tip)) = (&t.subnet, t.ip) {
        let others: Vec<SubnetId> = lb.subnet_ids().into_iter().filter(|s| s != tsub).collect();
        if others.is_empty() {
            acc.checked(format!(
                "target in the ALB's subnet {tsub}: no network ACL applies"
            ));
        } else if !inv.has(Kind::NetworkAcls) {
            acc.missing(inv, Kind::NetworkAcls);
        } else {
            let idx = inv.index();
            let acl_of = |s: &SubnetId| {
                idx.nacl_by_subnet
                    .get(s)
                    .and_then(|a| inv.network_acls.get(a))
            };
            let tnet = vec![Ipv4Net::from(tip)];
            let mut rows = Vec::new();
            for s in &others {
                let (Some(a), Some(b), Some(snet)) = (acl_of(s), acl_of(tsub), subnet_net(inv, s))
                else {
                    acc.missing_what(
                        format!("network ACL or CIDR of {s} / {tsub}"),
                        format!("{}; {}", Kind::NetworkAcls.cli(), Kind::Subnets.cli()),
                    );
                    continue;
                };
                let snets = vec![snet];
                // Each of the four NACL checks once (verdict and entries together).
                let forward = nacl_both(
                    nacl::evaluate(a, true, &tnet, target_port, target_port),
                    nacl::evaluate(b, false, &snets, target_port, target_port),
                );
                let ret = nacl_both(
                    nacl::evaluate(b, true, &snets, 1024, 65535),
                    nacl::evaluate(a, false, &tnet, 1024, 65535),
                );
                rows.push(NaclRow {
                    subnet: s.to_string(),
                    inbound: forward,
                    inbound_ports: target_port.to_string(),
                    ret,
                });
            }
            report_nacls(&rows, &desc.target.id, &mut acc);
        }
    }
    // AZ.
    let az =
        t.az.clone()
            .or_else(|| desc.target.availability_zone.clone());
    if let Some(az) = az.filter(|a| a != "all")
        && !lb.availability_zones.is_empty()
        && !lb.availability_zones.iter().any(|z| z.zone_name == az)
    {
        acc.fail(
            Verdict::Blocked,
            "target-az-not-enabled",
            format!(
                "{} is in {az}, which is not enabled on {} ({})",
                desc.target.id,
                lb.load_balancer_name,
                lb.availability_zones
                    .iter()
                    .map(|z| z.zone_name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    acc.finish(Hop::AlbToTarget)
}

/// Why an egress or ingress rule cannot be decided for this target: (rule, what is missing,
/// the call that supplies it).
type Undecided = (String, String, String);

/// Names the rules that could not be decided for `flow` and records the data each one needs.
fn report_undecided(acc: &mut HopAcc, flow: &str, undecided: Vec<Undecided>) {
    if !undecided.is_empty() {
        acc.checked(format!(
            "{flow} undecided: {}",
            unique_rules(undecided.iter().map(|u| &u.0)).join("; ")
        ));
    }
    for (_, missing, cli) in undecided {
        acc.missing_what(missing, cli);
    }
}

/// Whether a CIDR or prefix-list peer contains the target's address: `Err` when the data
/// cannot tell (no address, or the list's entries were not collected).
fn peer_contains_target(inv: &Inventory, peer: &Peer, t: &TargetNet) -> Result<bool, MissingData> {
    let no_address = || {
        (
            "the target's private IPv4 address".to_owned(),
            format!(
                "{}; {}",
                Kind::NetworkInterfaces.cli(),
                Kind::Instances.cli()
            ),
        )
    };
    match peer {
        Peer::Sg { id, .. } => Ok(t.sgs.contains(id)),
        Peer::Cidr(_) => match peer.ipv4_net() {
            None => Ok(false),
            Some(n) => t.ip.map(|ip| n.contains(&ip)).ok_or_else(no_address),
        },
        Peer::PrefixList(id) => {
            let Some(entries) = pl_entries(inv, id) else {
                return Err((
                    format!("entries of prefix list {id}"),
                    inv.missing_prefix_list_entries(id).to_string(),
                ));
            };
            let ip = t.ip.ok_or_else(no_address)?;
            Ok(entries.iter().any(|n| n.contains(&ip)))
        }
    }
}

/// The ALB's egress rules toward the target, on each of `ports`.
fn alb_egress(
    inv: &Inventory,
    lb: &LoadBalancer,
    t: &TargetNet,
    ports: &[i32],
    target_port: i32,
    acc: &mut HopAcc,
) {
    let mut groups = Vec::new();
    let mut missing_groups = false;
    for sgid in &lb.security_groups {
        match inv.security_groups.get(sgid) {
            Some(g) => groups.push(g),
            None => {
                acc.missing_what(
                    format!(
                        "{sgid} (attached to {}; its egress rules decide what reaches the targets)",
                        lb.load_balancer_name
                    ),
                    inv.missing_security_group(sgid),
                );
                missing_groups = true;
            }
        }
    }
    if groups.is_empty() {
        return;
    }
    if !missing_groups && groups.iter().all(|g| g.ip_permissions_egress.is_empty()) {
        acc.fail(
            Verdict::Blocked,
            "alb-egress-missing",
            format!(
                "the security groups of {} ({}) have no egress rules, so nothing reaches the targets",
                lb.load_balancer_name,
                lb.security_groups.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
            ),
        );
        return;
    }
    for &port in ports {
        let mut found = None;
        let mut undecided: Vec<Undecided> = Vec::new();
        'g: for g in &groups {
            for p in &g.ip_permissions_egress {
                if !p.admits_tcp(port) {
                    continue;
                }
                for peer in p.peers() {
                    let rule = rule_text(&g.group_id, Direction::Egress, p, &peer);
                    match peer_contains_target(inv, &peer, t) {
                        Ok(true) => {
                            found = Some(rule);
                            break 'g;
                        }
                        Ok(false) => {}
                        Err((what, cli)) => undecided.push((rule, what, cli)),
                    }
                }
            }
        }
        let what = if port == target_port {
            "traffic"
        } else {
            "health-check"
        };
        match found {
            Some(rule) => acc.admitted(rule),
            None if !undecided.is_empty() || missing_groups => {
                // Missing data, not a block: a rule we cannot expand, or a group we cannot
                // read, may admit the flow.
                report_undecided(
                    acc,
                    &format!("egress to tcp/{port} ({what} port)"),
                    undecided,
                );
            }
            None => {
                acc.fail(
                    Verdict::Blocked,
                    "alb-egress-missing",
                    format!(
                        "no egress rule of {} admits tcp/{port} ({what} port) to the target",
                        lb.load_balancer_name
                    ),
                );
            }
        }
    }
}

/// The target's ingress rules from the ALB (`sources` are its addresses), on the traffic and
/// health-check ports.
fn target_ingress(
    inv: &Inventory,
    lb: &LoadBalancer,
    t: &TargetNet,
    target_port: i32,
    hc_port: i32,
    sources: &[Ipv4Net],
    acc: &mut HopAcc,
) {
    let alb_sgs = lb
        .security_groups
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let mut ports = vec![target_port];
    if hc_port != target_port {
        ports.push(hc_port);
    }
    for port in ports {
        let mut found = None;
        let mut misses: Vec<(NearMiss, String)> = Vec::new();
        let mut undecided: Vec<Undecided> = Vec::new();
        let mut missing_groups = false;
        for sgid in &t.sgs {
            let Some(g) = inv.security_groups.get(sgid) else {
                missing_groups = true;
                acc.missing_what(
                    format!("{sgid} (on the target)"),
                    inv.missing_security_group(sgid),
                );
                continue;
            };
            for p in &g.ip_permissions {
                if p.protocol().is_icmp() {
                    continue;
                }
                let port_ok = p.ports().contains(port);
                let proto_ok = p.protocol().carries_tcp();
                for peer in p.peers() {
                    let src_ok = match &peer {
                        Peer::Sg { id, .. } => lb.security_groups.contains(id),
                        Peer::Cidr(_) => peer.ipv4_net().is_some_and(|n| {
                            !sources.is_empty() && sources.iter().all(|s| n.contains(s))
                        }),
                        Peer::PrefixList(id) => match pl_entries(inv, id) {
                            Some(es) => {
                                !sources.is_empty() && cidr::uncovered(&es, sources).is_empty()
                            }
                            None => {
                                // Entries not collected: the rule may admit the ALB. Missing
                                // data, never a near miss.
                                if port_ok && proto_ok {
                                    undecided.push((
                                        rule_text(sgid, Direction::Ingress, p, &peer),
                                        format!("entries of prefix list {id}"),
                                        inv.missing_prefix_list_entries(id).to_string(),
                                    ));
                                }
                                continue;
                            }
                        },
                    };
                    if src_ok && port_ok && proto_ok {
                        if found.is_none() {
                            found = Some(rule_text(sgid, Direction::Ingress, p, &peer));
                        }
                        continue;
                    }
                    let differs = match (src_ok, port_ok, proto_ok) {
                        (false, true, true) => "source",
                        (true, false, true) => "port",
                        (true, true, false) => "protocol",
                        _ => continue,
                    };
                    let rule = rule_text(sgid, Direction::Ingress, p, &peer);
                    let mut nm = near(sgid, &rule, differs, p, &peer);
                    let detail = match &peer {
                        Peer::Sg { id: x, .. } => {
                            nm.source_sg_exists = inv.security_groups.contains_key(x);
                            nm.source_sg_attached_to_alb = lb.security_groups.contains(x);
                            if differs == "source" {
                                let why = if nm.source_sg_exists {
                                    ""
                                } else {
                                    " (and no longer exists)"
                                };
                                format!(
                                    "{sgid} admits {} only from {x}, which is not attached to {}{why} (the ALB carries {alb_sgs})",
                                    p.protocol_ports(),
                                    lb.load_balancer_name
                                )
                            } else {
                                format!(
                                    "{sgid} admits the ALB on {}, not tcp/{port}",
                                    p.protocol_ports()
                                )
                            }
                        }
                        _ => {
                            nm.source_sg_exists = false;
                            nm.source_sg_attached_to_alb = false;
                            if differs == "source" {
                                format!(
                                    "{sgid} admits {} from {peer}, which does not cover the ALB's addresses",
                                    p.protocol_ports()
                                )
                            } else {
                                format!(
                                    "{sgid} admits the ALB's addresses on {}, not tcp/{port}",
                                    p.protocol_ports()
                                )
                            }
                        }
                    };
                    misses.push((nm, detail));
                }
            }
        }
        match found {
            Some(rule) => acc.admitted(rule),
            None if !undecided.is_empty() || missing_groups => {
                report_undecided(
                    acc,
                    &format!("ingress of the target on tcp/{port}"),
                    undecided,
                );
            }
            None => {
                let (code, what) = if port == target_port {
                    ("target-sg-no-rule", "traffic")
                } else {
                    ("health-check-port-blocked", "health-check")
                };
                acc.fail(
                    Verdict::Blocked,
                    code,
                    format!(
                        "no ingress rule of the target's security groups ({}) admits {} on tcp/{port} ({what} port)",
                        t.sgs.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
                        lb.load_balancer_name
                    ),
                );
                for (nm, d) in misses {
                    acc.near_miss(nm, d);
                }
            }
        }
    }
}
