//! The `cloudfront->alb` hop: listener, scheme, the ALB's security groups, the NACLs and
//! internet-gateway routes of its subnets.
//!
//! CloudFront connects from its origin-facing ranges (a public origin) or from ENIs carrying
//! the `CloudFront-VPCOrigins-Service-SG` group (a VPC origin). An ALB security group admits it
//! through the CloudFront prefix list, `0.0.0.0/0`, CIDR rules that together cover every range
//! of the list (fewer is `partial`), or, for a VPC origin, the service group. A rule the data
//! cannot decide (an unexpanded or unidentified prefix list, a group not loaded) makes the hop
//! `unknown`, never `blocked`. When nothing admits CloudFront, the near misses are named.
//! Which address family CloudFront connects over, and the IPv6 path, are `cloudfront_ipv6`'s.

use ipnet::Ipv4Net;

use super::evidence::{HopAcc, MissingData, unique_rules};
use super::nacl_report::subnet_nacls;
use super::prefix_list::{cloudfront_pl_ids, cloudfront_ranges, pl_entries, pl_unidentified};
use super::route::igw_routes;
use super::sg::{near, rule_text};
use super::{Hop, HopResult, Verdict, cidr, cloudfront_ipv6};
use crate::facts::{HopFact, NearMiss};
use crate::model::elbv2::{Listener, LoadBalancer};
use crate::model::{
    CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST, Direction, Inventory, Kind, Peer, PrefixListId, SgId,
    VPC_ORIGIN_SERVICE_SG_NAME,
};

/// What CloudFront connects to.
pub(crate) struct CfInput<'a> {
    /// The ALB.
    pub lb: &'a LoadBalancer,
    /// Whether CloudFront reaches it through a VPC origin.
    pub vpc_origin: bool,
    /// The port CloudFront connects to.
    pub port: i32,
    /// `HTTP` or `HTTPS`.
    pub protocol: &'a str,
    /// The ALB's listener on `port`, if any.
    pub listener: Option<&'a Listener>,
    /// For a VPC origin: its id and status (`Deployed`, `Deploying`, …).
    pub vpc_origin_status: Option<(&'a str, &'a str)>,
    /// The origin's domain name in the distribution (CloudFront's SNI when Host is not
    /// forwarded).
    pub origin_domain: &'a str,
    /// Whether the behavior forwards the viewer's `Host` header (`None`: unknown).
    pub host_forwarded: Option<bool>,
}

/// The `cloudfront->alb` hop.
pub(crate) fn cloudfront_to_alb(inv: &Inventory, input: &CfInput<'_>, base: HopFact) -> HopResult {
    let mut acc = HopAcc::new(base);
    let lb = input.lb;
    // Listener.
    match input.listener {
        None if !inv.has(Kind::Listeners) => acc.missing(inv, Kind::Listeners),
        None => acc.fail(
            Verdict::Blocked,
            "no-listener",
            format!(
                "{} has no listener on port {} ({} from CloudFront)",
                lb.load_balancer_name, input.port, input.protocol
            ),
        ),
        Some(l) if !l.protocol.eq_ignore_ascii_case(input.protocol) => acc.fail(
            Verdict::Blocked,
            "protocol-mismatch",
            format!(
                "CloudFront connects with {} to port {}, but the listener there is {}",
                input.protocol, input.port, l.protocol
            ),
        ),
        Some(l) => {
            acc.checked(format!(
                "listener {}:{} on {}",
                l.protocol, l.port, lb.load_balancer_name
            ));
            if l.protocol.eq_ignore_ascii_case("HTTPS") && !elb_name(input, l, &mut acc) {
                super::tls::origin_tls(inv, input, l, &mut acc);
            }
        }
    }
    // Scheme.
    let internal = lb.scheme.as_deref() == Some("internal");
    if internal && !input.vpc_origin {
        acc.fail(
            Verdict::Blocked,
            "internal-alb-public-origin",
            format!(
                "{} is internal; CloudFront reaches an internal ALB only through a VPC origin",
                lb.load_balancer_name
            ),
        );
    }
    if let Some((id, status)) = input.vpc_origin_status {
        vpc_origin_deployment(inv, lb, id, status, &mut acc);
    }
    // Security groups, NACLs and routes, for each address family CloudFront uses.
    cloudfront_ipv6::network_checks(inv, input, &mut acc, |acc| {
        ipv4_network(inv, input, internal, acc);
    });
    acc.finish(Hop::CloudfrontToAlb)
}

/// The IPv4 network checks of the hop: the ALB's security groups, the NACLs of its subnets and
/// their internet-gateway routes.
fn ipv4_network(inv: &Inventory, input: &CfInput<'_>, internal: bool, acc: &mut HopAcc) {
    let lb = input.lb;
    cf_security_groups(inv, input, acc);
    // NACLs of the ALB subnets.
    let mut peers_known: Result<(), MissingData> = Ok(());
    let peers: Vec<Ipv4Net> = if input.vpc_origin {
        let v: Vec<Ipv4Net> = lb
            .vpc_id
            .as_ref()
            .and_then(|v| inv.vpcs.get(v))
            .map(|v| {
                let mut out: Vec<Ipv4Net> = v
                    .cidr_block_association_set
                    .iter()
                    .filter_map(|a| cidr::parse(&a.cidr_block))
                    .collect();
                if out.is_empty() {
                    out.extend(v.cidr_block.as_deref().and_then(cidr::parse));
                }
                out
            })
            .unwrap_or_default();
        if v.is_empty() {
            lb.subnet_ids()
                .iter()
                .filter_map(|s| inv.subnets.get(s).and_then(|x| x.ipv4_net()))
                .collect()
        } else {
            v
        }
    } else {
        match cloudfront_ranges(inv) {
            Ok(ranges) => ranges,
            Err(missing) => {
                peers_known = Err(missing);
                cidr::parse("0.0.0.0/0").into_iter().collect()
            }
        }
    };
    subnet_nacls(
        inv,
        &lb.subnet_ids(),
        (&peers, "CloudFront"),
        peers_known,
        input.port,
        acc,
    );
    // Routes.
    if !internal && !input.vpc_origin {
        igw_routes(inv, lb, acc);
        super::bpa::block_public_access(inv, lb, acc);
    }
}

/// Whether the name CloudFront verifies the ALB's certificate against is the ALB's own
/// `*.elb.amazonaws.com` name (decided here: `true`, no certificate to read); otherwise
/// `reach::tls` checks the listener's certificates.
///
/// Over HTTPS CloudFront sends the origin domain as SNI and checks the certificate against it,
/// unless the behavior forwards the viewer's `Host` header, which it then uses instead
/// (<https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-cloudfront-to-custom-origin.html>,
/// patterns.md B10/C4). No public certificate can cover an `*.elb.amazonaws.com` name, so with
/// that name and no forwarded Host every handshake fails: `blocked`, whatever the network says.
/// Whether Host is forwarded is unknown for custom policies and legacy `ForwardedValues`:
/// `unknown`, never `allowed`.
fn elb_name(input: &CfInput<'_>, listener: &Listener, acc: &mut HopAcc) -> bool {
    let domain = input
        .origin_domain
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if !domain.ends_with(".elb.amazonaws.com") {
        return false;
    }
    let certs: Vec<&str> = listener
        .certificates
        .iter()
        .filter_map(|c| c.certificate_arn.as_deref())
        .collect();
    let cert = if certs.is_empty() {
        format!("{}'s certificate", input.lb.load_balancer_name)
    } else {
        format!(
            "{}'s certificate ({})",
            input.lb.load_balancer_name,
            certs.join(", ")
        )
    };
    let code = "origin-tls-name-mismatch";
    match input.host_forwarded {
        Some(true) => {
            acc.checked(format!(
                "TLS: the behavior forwards Host, so CloudFront verifies {cert} against the viewer's host, not {domain}"
            ));
            return false;
        }
        Some(false) => acc.fail(
            Verdict::Blocked,
            code,
            format!(
                "TLS: CloudFront sends {domain} as SNI and verifies {cert} against it (Host is not forwarded); no certificate can cover *.elb.amazonaws.com, so every handshake fails (502, no ALB log row)"
            ),
        ),
        None => acc.fail(
            Verdict::Unknown,
            code,
            format!(
                "TLS: whether the behavior forwards Host is not known (custom or legacy request policy); without it CloudFront verifies {cert} against {domain}, which no certificate can cover"
            ),
        ),
    }
    true
}

/// Whether CloudFront has a way into the ALB's VPC through VPC origin `id` in `status`.
///
/// A VPC origin carries traffic through the `cloudfront_managed` ENIs CloudFront creates in the
/// ALB's VPC while it deploys; until the origin is `Deployed` CloudFront answers 502/504
/// (patterns.md C2, <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-vpc-origins.html>).
/// With no such ENI in the VPC there is no way in at all: `blocked`. With some (an in-place
/// update, or another VPC origin in the same VPC), or when ENIs were not loaded, whether this
/// origin can already be used is not known while it deploys: `unknown`, never `allowed`.
pub(crate) fn vpc_origin_deployment(
    inv: &Inventory,
    lb: &LoadBalancer,
    id: &str,
    status: &str,
    acc: &mut HopAcc,
) {
    if status == "Deployed" {
        return;
    }
    if status.is_empty() {
        acc.missing_what(
            format!("status of VPC origin {id}"),
            format!("aws cloudfront get-vpc-origin --id {id}"),
        );
        return;
    }
    let code = "vpc-origin-not-deployed";
    if !inv.has(Kind::NetworkInterfaces) {
        acc.fail(
            Verdict::Unknown,
            code,
            format!(
                "VPC origin {id} is `{status}`, not `Deployed`: CloudFront cannot use it until it is, and without the network interfaces it is not known whether its CloudFront-managed ENIs exist yet"
            ),
        );
        acc.missing(inv, Kind::NetworkInterfaces);
        return;
    }
    let managed: Vec<String> = inv
        .network_interfaces
        .values()
        .filter(|e| {
            e.interface_type.as_deref() == Some("cloudfront_managed")
                && lb.vpc_id.is_some()
                && e.vpc_id == lb.vpc_id
        })
        .map(|e| e.network_interface_id.to_string())
        .collect();
    let vpc = lb
        .vpc_id
        .as_ref()
        .map_or_else(|| "the ALB's VPC".to_owned(), ToString::to_string);
    if managed.is_empty() {
        acc.fail(
            Verdict::Blocked,
            code,
            format!(
                "VPC origin {id} is `{status}`, not `Deployed`, and {vpc} has no CloudFront-managed ENI yet: CloudFront has no way into the VPC (502/504 until it is Deployed)"
            ),
        );
    } else {
        acc.fail(
            Verdict::Unknown,
            code,
            format!(
                "VPC origin {id} is `{status}`, not `Deployed`: CloudFront-managed ENIs exist in {vpc} ({}), but whether this origin can use them is not known until it is Deployed (502/504 bursts while it deploys)",
                managed.join(", ")
            ),
        );
    }
}

/// The ALB's security groups against CloudFront's sources.
fn cf_security_groups(inv: &Inventory, input: &CfInput<'_>, acc: &mut HopAcc) {
    if !inv.has(Kind::SecurityGroups) {
        acc.missing(inv, Kind::SecurityGroups);
        return;
    }
    let lb = input.lb;
    let port = input.port;
    let cf_pls = cloudfront_pl_ids(inv);
    let svc_sgs: Vec<SgId> = lb
        .vpc_id
        .as_ref()
        .and_then(|v| {
            inv.index()
                .sgs_by_vpc_and_name
                .get(&(v.clone(), VPC_ORIGIN_SERVICE_SG_NAME.to_owned()))
        })
        .cloned()
        .unwrap_or_default();
    let mut admitted = false;
    let mut cidrs: Vec<(Ipv4Net, String)> = Vec::new();
    // Prefix-list rules that may admit CloudFront but cannot be expanded: (rule, list id).
    let mut unknown_pl: Vec<(String, PrefixListId)> = Vec::new();
    // Prefix-list rules whose list the data cannot name (it may be CloudFront's).
    let mut unidentified_pl: Vec<(String, PrefixListId)> = Vec::new();
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
            let port_ok = p.ports().contains(port);
            let proto_ok = p.protocol().carries_tcp();
            let icmp = p.protocol().is_icmp();
            for peer in p.peers() {
                let rule = rule_text(sgid, Direction::Ingress, p, &peer);
                // Source verdict: Some(true) admits CloudFront, Some(false) does not, None = CIDRs
                // to compare with the prefix list.
                let mut source: Option<bool> = Some(false);
                match &peer {
                    Peer::PrefixList(id) if cf_pls.iter().any(|c| c == id) => source = Some(true),
                    Peer::PrefixList(id) if pl_unidentified(inv, id) => {
                        if port_ok && proto_ok {
                            unidentified_pl.push((rule.clone(), id.clone()));
                        }
                        source = None;
                    }
                    Peer::PrefixList(id) if !input.vpc_origin => match pl_entries(inv, id) {
                        Some(es) if port_ok && proto_ok => {
                            cidrs.extend(es.into_iter().map(|n| (n, rule.clone())));
                            source = None;
                        }
                        Some(_) => {}
                        None if port_ok
                            && proto_ok
                            && (inv.prefix_lists.contains_key(id)
                                || !inv.has(Kind::PrefixLists)) =>
                        {
                            unknown_pl.push((rule.clone(), id.clone()));
                            source = None;
                        }
                        None => {}
                    },
                    Peer::Cidr(_) => match peer.ipv4_net() {
                        Some(net) if cidr::is_any(&net) => source = Some(true),
                        Some(net) if !input.vpc_origin => {
                            if port_ok && proto_ok {
                                cidrs.push((net, rule.clone()));
                            }
                            source = None;
                        }
                        _ => {}
                    },
                    Peer::Sg { id, .. } if input.vpc_origin && svc_sgs.contains(id) => {
                        source = Some(true);
                    }
                    _ => {}
                }
                match (source, port_ok, proto_ok) {
                    (Some(true), true, true) => {
                        admitted = true;
                        acc.admitted(rule);
                    }
                    (Some(false), true, true) if !icmp => {
                        let mut nm = near(sgid, &rule, "source", p, &peer);
                        if let Some(g) = peer.sg() {
                            nm.source_sg_exists = inv.security_groups.contains_key(g);
                            nm.source_sg_attached_to_alb = lb.security_groups.contains(g);
                        }
                        let detail = if input.vpc_origin {
                            format!(
                                "admits {peer} but not the {VPC_ORIGIN_SERVICE_SG_NAME} group of the ALB's VPC"
                            )
                        } else {
                            format!("admits {peer}, not CloudFront")
                        };
                        misses.push((nm, detail));
                    }
                    (Some(true), false, true) => misses.push((
                        near(sgid, &rule, "port", p, &peer),
                        format!(
                            "admits the right source on {}, not port {port}",
                            p.protocol_ports()
                        ),
                    )),
                    (Some(true), true, false) if !icmp => misses.push((
                        near(sgid, &rule, "protocol", p, &peer),
                        format!("admits the right source over {}, not tcp", p.ip_protocol),
                    )),
                    _ => {}
                }
            }
        }
    }
    if admitted {
        return;
    }
    // Rules the data cannot decide: the hop is unknown unless another rule admits CloudFront,
    // never blocked or partial on their account.
    let undecidable = missing_groups || !unidentified_pl.is_empty() || !unknown_pl.is_empty();
    if !unidentified_pl.is_empty() {
        acc.checked(format!(
            "prefix-list rules whose list is not identified (it may be {CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST}): {}",
            unique_rules(unidentified_pl.iter().map(|r| &r.0)).join("; ")
        ));
        acc.missing_what(
            format!(
                "names of prefix lists {}",
                unique_rules(unidentified_pl.iter().map(|r| &r.1)).join(", ")
            ),
            inv.missing_reason(Kind::PrefixLists),
        );
    }
    if !unknown_pl.is_empty() {
        acc.checked(format!(
            "prefix-list rules not expandable: {}",
            unique_rules(unknown_pl.iter().map(|r| &r.0)).join("; ")
        ));
        let mut seen: Vec<&PrefixListId> = Vec::new();
        for (_, id) in &unknown_pl {
            if seen.contains(&id) {
                continue;
            }
            seen.push(id);
            acc.missing_what(
                format!("entries of prefix list {id}"),
                inv.missing_prefix_list_entries(id),
            );
        }
    }
    if !cidrs.is_empty() {
        let rules = unique_rules(cidrs.iter().map(|c| &c.1));
        match cloudfront_ranges(inv) {
            Err((what, cli)) => {
                acc.checked(format!(
                    "CIDR rules ({}) cannot be compared with the CloudFront origin-facing prefix list",
                    rules.join("; ")
                ));
                acc.missing_what(what, cli);
                return;
            }
            Ok(entries) => {
                let nets: Vec<Ipv4Net> = cidrs.iter().map(|c| c.0).collect();
                let unc = cidr::uncovered(&nets, &entries);
                if unc.is_empty() {
                    for r in rules {
                        acc.admitted(r.to_owned());
                    }
                    return;
                }
                if unc.len() < entries.len() {
                    let coverage = format!(
                        "CIDR rules cover {} of {} CloudFront origin-facing ranges; {} not covered (e.g. {})",
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
                    for r in rules {
                        acc.checked(format!("partially admits: {r}"));
                    }
                    return;
                }
                for r in rules {
                    acc.checked(format!("covers no CloudFront range: {r}"));
                }
            }
        }
    }
    if undecidable {
        return;
    }
    let code = if input.vpc_origin {
        "vpc-origin-sg-missing"
    } else {
        "sg-no-admitting-rule"
    };
    let detail = if input.vpc_origin {
        format!(
            "no ingress rule of {} ({}) on tcp/{port} references the {VPC_ORIGIN_SERVICE_SG_NAME} group or the CloudFront prefix list (a VPC-CIDR rule does not count)",
            input.lb.load_balancer_name,
            input
                .lb
                .security_groups
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        format!(
            "no ingress rule of {} ({}) admits CloudFront on tcp/{port}",
            input.lb.load_balancer_name,
            input
                .lb
                .security_groups
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    acc.fail(Verdict::Blocked, code, detail);
    for (nm, d) in misses {
        acc.near_miss(nm, d);
    }
}
