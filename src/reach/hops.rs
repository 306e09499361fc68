//! The checks of each hop. Every failed check is recorded (all reason codes), and missing data
//! makes the check `unknown`, never `allowed`.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use super::sg::{self, Peer};
use super::{Evidence, Hop, HopResult, Verdict, cidr, nacl};
use crate::facts::{HopFact, NearMiss};
use crate::model::Inventory;
use crate::model::ec2::IpPermission;
use crate::model::elbv2::{Listener, LoadBalancer, TargetGroup, TargetHealthDescription};
use crate::model::ids::{SgId, SubnetId};
use crate::model::inventory::{
    CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST, EniLookup, Kind, VPC_ORIGIN_SERVICE_SG_NAME,
};

/// Accumulates the checks of one hop.
#[derive(Debug, Default)]
pub(crate) struct HopAcc {
    verdicts: Vec<Verdict>,
    pub(crate) evidence: Vec<Evidence>,
    pub(crate) fact: HopFact,
}

impl HopAcc {
    pub(crate) fn new(fact: HopFact) -> HopAcc {
        HopAcc {
            verdicts: Vec::new(),
            evidence: Vec::new(),
            fact,
        }
    }

    pub(crate) fn fail(&mut self, v: Verdict, code: &str, detail: String) {
        self.verdicts.push(v);
        if !self.fact.reasons.iter().any(|r| r == code) {
            self.fact.reasons.push(code.to_owned());
        }
        if self.fact.summary.is_empty() {
            self.fact.summary.clone_from(&detail);
        }
        self.evidence.push(Evidence::Problem {
            code: code.to_owned(),
            detail,
        });
    }

    pub(crate) fn missing(&mut self, inv: &Inventory, kind: Kind) {
        self.missing_what(kind.name().to_owned(), inv.missing_reason(kind));
    }

    pub(crate) fn missing_what(&mut self, what: String, cli: String) {
        self.verdicts.push(Verdict::Unknown);
        if !self.fact.reasons.iter().any(|r| r == "missing-data") {
            self.fact.reasons.push("missing-data".to_owned());
        }
        let line = format!("{what}: {cli}");
        if !self.fact.missing.contains(&line) {
            self.fact.missing.push(line);
            self.evidence.push(Evidence::Missing { what, cli });
        }
    }

    pub(crate) fn admitted(&mut self, rule: String) {
        if self.fact.admitted_by.is_empty() {
            self.fact.admitted_by.clone_from(&rule);
        }
        self.evidence.push(Evidence::Admitted { rule });
    }

    pub(crate) fn checked(&mut self, what: String) {
        self.evidence.push(Evidence::Checked { what });
    }

    fn near_miss(&mut self, nm: NearMiss, detail: String) {
        if self.fact.near_misses.contains(&nm) {
            return;
        }
        self.evidence.push(Evidence::NearMiss {
            rule: nm.rule.clone(),
            differs: nm.differs.clone(),
            detail,
        });
        self.fact.near_misses.push(nm);
    }

    fn denied_by(&mut self, rule: String, free_rule_before_deny: Option<i32>) {
        if self.fact.nacl_denied_by.is_empty() {
            self.fact.nacl_denied_by.clone_from(&rule);
            if let Some(acl) = rule
                .split_whitespace()
                .next()
                .filter(|t| t.starts_with("acl-"))
            {
                self.fact.nacl_denied_acl = acl.to_owned();
            }
            self.fact.nacl_rule_number_before_deny = free_rule_before_deny.map_or(-1, i64::from);
        }
        let e = Evidence::DeniedBy { rule };
        if !self.evidence.contains(&e) {
            self.evidence.push(e);
        }
    }

    pub(crate) fn finish(mut self, hop: Hop) -> HopResult {
        let verdict = Verdict::combine(self.verdicts.iter().copied());
        self.fact.hop = hop.as_str().to_owned();
        self.fact.verdict = verdict.as_str().to_owned();
        if self.fact.summary.is_empty() {
            self.fact.summary = match verdict {
                Verdict::Allowed if !self.fact.admitted_by.is_empty() => {
                    format!("allowed by {}", self.fact.admitted_by)
                }
                v => v.as_str().to_owned(),
            };
        }
        HopResult {
            hop,
            verdict,
            evidence: self.evidence,
            fact: self.fact,
        }
    }
}

/// What CloudFront connects to.
pub(crate) struct CfInput<'a> {
    pub lb: &'a LoadBalancer,
    pub vpc_origin: bool,
    pub port: i32,
    pub protocol: &'a str,
    pub listener: Option<&'a Listener>,
}

fn cloudfront_pl_ids(inv: &Inventory) -> Vec<String> {
    inv.index()
        .prefix_lists_by_name
        .get(CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST)
        .map(|v| v.iter().map(ToString::to_string).collect())
        .unwrap_or_default()
}

/// What is missing to know something: (what, the call that supplies it).
type MissingData = (String, String);

/// The call that supplies the entries of prefix list `id`.
fn pl_entries_cli(inv: &Inventory, id: &str) -> String {
    match inv.unavailable.get(&Kind::PrefixListEntries) {
        Some(reason) => format!("{reason} (needs {})", Kind::PrefixListEntries.iam_action()),
        None => format!(
            "not in the snapshot; add the output of `aws ec2 get-managed-prefix-list-entries --prefix-list-id {id}` (plus a top-level \"PrefixListId\": \"{id}\" key)"
        ),
    }
}

/// Whether the data cannot tell which list `id` is: it is not among the loaded prefix lists
/// and `describe-managed-prefix-lists` was not loaded, so it may be CloudFront's.
fn pl_unidentified(inv: &Inventory, id: &str) -> bool {
    !inv.has(Kind::PrefixLists) && !inv.prefix_lists.contains_key(id)
}

/// The CloudFront origin-facing ranges, or what is missing to know them.
fn cloudfront_ranges(inv: &Inventory) -> Result<Vec<Ipv4Net>, MissingData> {
    let ids = cloudfront_pl_ids(inv);
    if ids.is_empty() {
        let what = format!("the id of the {CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST} prefix list");
        return Err(if inv.has(Kind::PrefixLists) {
            (
                what,
                format!(
                    "the loaded `{}` output does not list it; add the output for the ALB's region",
                    Kind::PrefixLists.cli()
                ),
            )
        } else {
            (what, inv.missing_reason(Kind::PrefixLists))
        });
    }
    for id in &ids {
        if let Some(nets) = pl_entries(inv, id).filter(|n| !n.is_empty()) {
            return Ok(nets);
        }
    }
    let id = ids.first().map_or("", String::as_str);
    Err((
        format!("entries of the CloudFront origin-facing prefix list {id}"),
        pl_entries_cli(inv, id),
    ))
}

/// The call that supplies a security group the loaded `describe-security-groups` lacks.
fn sg_missing_cli(inv: &Inventory, sgid: &SgId) -> String {
    match inv.unavailable.get(&Kind::SecurityGroups) {
        Some(reason) => format!("{reason} (needs {})", Kind::SecurityGroups.iam_action()),
        None => format!(
            "not in the loaded security groups; add the output of `aws ec2 describe-security-groups --group-ids {sgid}`"
        ),
    }
}

/// Rule texts in first-seen order, each once.
fn unique_rules<'a>(rules: impl IntoIterator<Item = &'a String>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for r in rules {
        if !out.contains(&r.as_str()) {
            out.push(r);
        }
    }
    out
}

fn pl_entries(inv: &Inventory, id: &str) -> Option<Vec<Ipv4Net>> {
    inv.prefix_list_entries
        .get(id)
        .map(|es| es.iter().filter_map(|e| cidr::parse(&e.cidr)).collect())
}

fn subnet_cidr(inv: &Inventory, s: &SubnetId) -> Option<Ipv4Net> {
    inv.subnets
        .get(s)
        .and_then(|x| x.cidr_block.as_deref())
        .and_then(cidr::parse)
}

fn lb_subnets(lb: &LoadBalancer) -> Vec<SubnetId> {
    lb.availability_zones
        .iter()
        .filter_map(|z| z.subnet_id.clone())
        .collect()
}

fn is_icmp(p: &IpPermission) -> bool {
    matches!(p.ip_protocol.as_str(), "icmp" | "1" | "icmpv6" | "58")
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
        Some(l) => acc.checked(format!(
            "listener {}:{} on {}",
            l.protocol, l.port, lb.load_balancer_name
        )),
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
    cf_security_groups(inv, input, &mut acc);
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
            lb_subnets(lb)
                .iter()
                .filter_map(|s| subnet_cidr(inv, s))
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
        &lb_subnets(lb),
        &peers,
        peers_known,
        input.port,
        &mut acc,
    );
    // Routes.
    if !internal && !input.vpc_origin {
        igw_routes(inv, lb, &mut acc);
    }
    acc.finish(Hop::CloudfrontToAlb)
}

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
    let mut unknown_pl: Vec<(String, String)> = Vec::new();
    // Prefix-list rules whose list the data cannot name (it may be CloudFront's).
    let mut unidentified_pl: Vec<(String, String)> = Vec::new();
    let mut missing_groups = false;
    let mut misses: Vec<(NearMiss, String)> = Vec::new();
    for sgid in &lb.security_groups {
        let Some(group) = inv.security_groups.get(sgid) else {
            missing_groups = true;
            acc.missing_what(
                format!("{sgid} (attached to {})", lb.load_balancer_name),
                sg_missing_cli(inv, sgid),
            );
            continue;
        };
        for p in &group.ip_permissions {
            let port_ok = sg::port_in(p, port);
            let proto_ok = sg::proto_tcp(p);
            for peer in sg::peers(p) {
                let rule = sg::rule_text(sgid.as_str(), false, p, peer.text());
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
                            && (inv.prefix_lists.contains_key(id.as_str())
                                || !inv.has(Kind::PrefixLists)) =>
                        {
                            unknown_pl.push((rule.clone(), id.clone()));
                            source = None;
                        }
                        None => {}
                    },
                    Peer::Cidr(_, Some(net)) if cidr::is_any(net) => source = Some(true),
                    Peer::Cidr(_, Some(net)) if !input.vpc_origin => {
                        if port_ok && proto_ok {
                            cidrs.push((*net, rule.clone()));
                        }
                        source = None;
                    }
                    Peer::Group(g)
                        if input.vpc_origin && svc_sgs.iter().any(|s| s.as_str() == g) =>
                    {
                        source = Some(true);
                    }
                    _ => {}
                }
                match (source, port_ok, proto_ok) {
                    (Some(true), true, true) => {
                        admitted = true;
                        acc.admitted(rule);
                    }
                    (Some(false), true, true) if !is_icmp(p) => {
                        let (source_sg, exists, attached) = match &peer {
                            Peer::Group(g) => (
                                g.clone(),
                                inv.security_groups.contains_key(g.as_str()),
                                lb.security_groups.iter().any(|s| s.as_str() == g),
                            ),
                            _ => (String::new(), false, false),
                        };
                        let detail = if input.vpc_origin {
                            format!(
                                "admits {} but not the {VPC_ORIGIN_SERVICE_SG_NAME} group of the ALB's VPC",
                                peer.text()
                            )
                        } else {
                            format!("admits {}, not CloudFront", peer.text())
                        };
                        misses.push((
                            NearMiss {
                                sg: sgid.to_string(),
                                direction: "ingress".to_owned(),
                                rule: rule.clone(),
                                differs: "source".to_owned(),
                                source_sg,
                                source_sg_exists: exists,
                                source_sg_attached_to_alb: attached,
                                source_cidr: match &peer {
                                    Peer::Group(_) => String::new(),
                                    other => other.text().to_owned(),
                                },
                                ports: sg::ports_text(p),
                            },
                            detail,
                        ));
                    }
                    (Some(true), false, true) => misses.push((
                        near(sgid, "ingress", &rule, "port", p, &peer),
                        format!(
                            "admits the right source on {}, not port {port}",
                            sg::proto_ports(p)
                        ),
                    )),
                    (Some(true), true, false) if !is_icmp(p) => misses.push((
                        near(sgid, "ingress", &rule, "protocol", p, &peer),
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
        for id in unique_rules(unknown_pl.iter().map(|r| &r.1)) {
            acc.missing_what(
                format!("entries of prefix list {id}"),
                pl_entries_cli(inv, id),
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

fn near(
    sgid: &SgId,
    dir: &str,
    rule: &str,
    differs: &str,
    p: &IpPermission,
    peer: &Peer,
) -> NearMiss {
    NearMiss {
        sg: sgid.to_string(),
        direction: dir.to_owned(),
        rule: rule.to_owned(),
        differs: differs.to_owned(),
        source_sg: match peer {
            Peer::Group(g) => g.clone(),
            _ => String::new(),
        },
        source_sg_exists: matches!(peer, Peer::Group(_)),
        source_sg_attached_to_alb: matches!(peer, Peer::Group(_)),
        source_cidr: match peer {
            Peer::Group(_) => String::new(),
            other => other.text().to_owned(),
        },
        ports: sg::ports_text(p),
    }
}

/// NACL inbound on `port` from `peers` and outbound 1024-65535 back, for every subnet.
///
/// `peers_known` is `Err(missing)` when `peers` stand in for sources the data does not name
/// (0.0.0.0/0 for the CloudFront ranges when their prefix list is not loaded): then only an
/// `allowed` answer is trusted, and anything else is `unknown` naming what is missing.
fn subnet_nacls(
    inv: &Inventory,
    subnets: &[SubnetId],
    peers: &[Ipv4Net],
    peers_known: Result<(), MissingData>,
    port: i32,
    acc: &mut HopAcc,
) {
    if !inv.has(Kind::NetworkAcls) {
        acc.missing(inv, Kind::NetworkAcls);
        return;
    }
    let mut per_subnet: Vec<NaclRow> = Vec::new();
    for s in subnets {
        let Some(acl) = inv
            .index()
            .nacl_by_subnet
            .get(s)
            .and_then(|a| inv.network_acls.get(a))
        else {
            acc.missing_what(
                format!("network ACL of {s}"),
                Kind::NetworkAcls.cli().to_owned(),
            );
            continue;
        };
        per_subnet.push(NaclRow {
            subnet: s.to_string(),
            inbound: nacl::evaluate(acl, false, peers, port, port),
            inbound_ports: port.to_string(),
            ret: nacl::evaluate(acl, true, peers, 1024, 65535),
        });
    }
    if let Err((what, cli)) = peers_known {
        let undecided: Vec<&str> = per_subnet
            .iter()
            .filter(|r| r.inbound.verdict != Verdict::Allowed || r.ret.verdict != Verdict::Allowed)
            .map(|r| r.subnet.as_str())
            .collect();
        if !undecided.is_empty() {
            acc.checked(format!(
                "network ACLs of {} do not admit every address on tcp/{port} (and 1024-65535 back); whether they admit CloudFront's needs its ranges",
                undecided.join(", ")
            ));
            acc.missing_what(what, cli);
            return;
        }
    }
    report_nacls(&per_subnet, "CloudFront", acc);
}

/// The NACL answers of one subnet (or subnet pair) of a hop.
struct NaclRow {
    subnet: String,
    /// Toward the destination port.
    inbound: nacl::NaclResult,
    /// The destination port(s), as text.
    inbound_ports: String,
    /// Return traffic on 1024-65535.
    ret: nacl::NaclResult,
}

impl NaclRow {
    /// The inbound (toward the destination port) or the return answer.
    fn side(&self, inbound: bool) -> &nacl::NaclResult {
        if inbound { &self.inbound } else { &self.ret }
    }
}

/// Both NACL checks a flow crosses in one direction (the source subnet's egress, then the
/// destination subnet's ingress) as one answer.
fn nacl_both(first: nacl::NaclResult, second: nacl::NaclResult) -> nacl::NaclResult {
    let verdict = Verdict::combine([first.verdict, second.verdict]);
    let mut out = nacl::NaclResult {
        verdict,
        allowed_by: first.allowed_by.clone().or(second.allowed_by.clone()),
        denied_by: None,
        allowing: Vec::new(),
        denying: Vec::new(),
        free_rule_before_deny: None,
    };
    for part in [first, second] {
        if part.verdict == Verdict::Allowed {
            continue;
        }
        if out.denied_by.is_none() {
            out.denied_by = part.denied_by;
            out.free_rule_before_deny = part.free_rule_before_deny;
        }
        out.allowing.extend(part.allowing);
        out.denying.extend(part.denying);
    }
    out
}

fn report_nacls(rows: &[NaclRow], peer: &str, acc: &mut HopAcc) {
    if rows.is_empty() {
        return;
    }
    let n = rows.len();
    for inbound in [true, false] {
        let bad: Vec<&NaclRow> = rows
            .iter()
            .filter(|r| r.side(inbound).verdict != Verdict::Allowed)
            .collect();
        if bad.is_empty() {
            continue;
        }
        let all_blocked = bad.len() == n
            && bad
                .iter()
                .all(|r| r.side(inbound).verdict == Verdict::Blocked);
        let v = if all_blocked {
            Verdict::Blocked
        } else {
            Verdict::Partial
        };
        let (code, what) = if inbound {
            let ports = bad.first().map_or("", |r| r.inbound_ports.as_str());
            ("nacl-denied-inbound", format!("tcp/{ports} from {peer}"))
        } else {
            (
                "nacl-denied-return",
                format!("return traffic tcp/1024-65535 to {peer}"),
            )
        };
        let subnets: Vec<&str> = bad.iter().map(|r| r.subnet.as_str()).collect();
        let mut detail = format!(
            "network ACL denies {what} in {} of {n} subnet(s): {}",
            bad.len(),
            subnets.join(", ")
        );
        // Partly allowed (some ports or addresses): name the allowing and the denying entries.
        let mut allowing: Vec<&str> = Vec::new();
        let mut denying: Vec<&str> = Vec::new();
        for r in bad
            .iter()
            .filter(|r| r.side(inbound).verdict == Verdict::Partial)
        {
            for a in &r.side(inbound).allowing {
                if !allowing.contains(&a.as_str()) {
                    allowing.push(a);
                }
            }
            for d in &r.side(inbound).denying {
                if !denying.contains(&d.as_str()) {
                    denying.push(d);
                }
            }
        }
        if !allowing.is_empty() {
            detail.push_str(&format!(
                "; partly allowed by {}, the rest denied by {}",
                allowing.join(", "),
                denying.join(", ")
            ));
        }
        acc.fail(v, code, detail);
        for r in bad {
            if let Some(d) = &r.side(inbound).denied_by {
                acc.denied_by(d.clone(), r.side(inbound).free_rule_before_deny);
            }
            if r.side(inbound).verdict == Verdict::Partial {
                for a in &r.side(inbound).allowing {
                    acc.checked(format!("partly allowed by {a} in {}", r.subnet));
                }
            }
        }
    }
}

fn igw_routes(inv: &Inventory, lb: &LoadBalancer, acc: &mut HopAcc) {
    if !inv.has(Kind::RouteTables) {
        acc.missing(inv, Kind::RouteTables);
        return;
    }
    let idx = inv.index();
    let subnets = lb_subnets(lb);
    let mut lacking = Vec::new();
    for s in &subnets {
        let rt = idx
            .route_table_by_subnet
            .get(s)
            .or_else(|| {
                lb.vpc_id
                    .as_ref()
                    .and_then(|v| idx.main_route_table_by_vpc.get(v))
            })
            .and_then(|r| inv.route_tables.get(r));
        let Some(rt) = rt else {
            acc.missing_what(
                format!("route table of {s}"),
                Kind::RouteTables.cli().to_owned(),
            );
            continue;
        };
        let ok = rt.routes.iter().any(|r| {
            r.destination_cidr_block.as_deref() == Some("0.0.0.0/0")
                && r.gateway_id
                    .as_deref()
                    .is_some_and(|g| g.starts_with("igw-"))
                && r.state.as_deref() != Some("blackhole")
        });
        if !ok {
            lacking.push(s.to_string());
        }
    }
    if lacking.is_empty() {
        if !subnets.is_empty() {
            acc.checked(format!(
                "0.0.0.0/0 → internet gateway in all {} ALB subnets",
                subnets.len()
            ));
        }
        return;
    }
    let v = if lacking.len() == subnets.len() {
        Verdict::Blocked
    } else {
        Verdict::Partial
    };
    acc.fail(
        v,
        "no-igw-route",
        format!(
            "internet-facing {} has {} of {} subnet(s) without a 0.0.0.0/0 route to an internet gateway: {}",
            lb.load_balancer_name,
            lacking.len(),
            subnets.len(),
            lacking.join(", ")
        ),
    );
    acc.fact.subnets_without_igw_route = lacking;
}

/// A target resolved to its network identity.
#[derive(Debug, Clone, Default)]
pub(crate) struct TargetNet {
    pub ip: Option<Ipv4Addr>,
    pub sgs: Vec<SgId>,
    pub subnet: Option<SubnetId>,
    pub az: Option<String>,
}

fn resolve_target(
    inv: &Inventory,
    tg: &TargetGroup,
    id: &str,
    acc: &mut HopAcc,
) -> Option<TargetNet> {
    let idx = inv.index();
    let from_eni = |eni: &crate::model::ec2::NetworkInterface| TargetNet {
        ip: eni.private_ip_address.as_deref().and_then(cidr::addr),
        sgs: eni.groups.iter().map(|g| g.group_id.clone()).collect(),
        subnet: eni.subnet_id.clone(),
        az: eni.availability_zone.clone(),
    };
    match tg.target_type.as_deref() {
        Some("lambda") => {
            acc.checked("lambda target: no network path to evaluate".to_owned());
            None
        }
        Some("ip") | Some("alb") => {
            // Private addresses repeat across VPCs: only an ENI of the target group's VPC is
            // the target.
            let vpc_text = tg.vpc_id.as_ref().map_or_else(
                || "any VPC (the target group has no VpcId)".to_owned(),
                ToString::to_string,
            );
            match idx.eni_by_ip(tg.vpc_id.as_ref(), id) {
                EniLookup::Found(eni) => {
                    if let Some(eni) = inv.network_interfaces.get(eni) {
                        // The target's address may be a secondary one of the ENI.
                        let mut t = from_eni(eni);
                        t.ip = cidr::addr(id).or(t.ip);
                        return Some(t);
                    }
                }
                EniLookup::Ambiguous(enis) => {
                    acc.missing_what(
                        format!(
                            "the VPC of target group {}: ENIs of several VPCs own {id} ({})",
                            tg.target_group_name,
                            enis.iter()
                                .map(ToString::to_string)
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        Kind::TargetGroups.cli().to_owned(),
                    );
                    return None;
                }
                EniLookup::NotFound => {}
            }
            if inv.has(Kind::NetworkInterfaces) {
                acc.missing_what(
                    format!(
                        "no ENI in the inventory owns {id} in {vpc_text} (outside the VPC, or another account)"
                    ),
                    Kind::NetworkInterfaces.cli().to_owned(),
                );
            } else {
                acc.missing(inv, Kind::NetworkInterfaces);
            }
            None
        }
        _ => {
            if let Some(eni) = idx
                .primary_eni_by_instance
                .get(id)
                .and_then(|e| inv.network_interfaces.get(e))
            {
                let mut t = from_eni(eni);
                if t.az.is_none() {
                    t.az = inv
                        .instances
                        .get(id)
                        .and_then(|i| i.placement.as_ref())
                        .and_then(|p| p.availability_zone.clone());
                }
                return Some(t);
            }
            if let Some(i) = inv.instances.get(id) {
                return Some(TargetNet {
                    ip: i.private_ip_address.as_deref().and_then(cidr::addr),
                    sgs: i
                        .security_groups
                        .iter()
                        .map(|g| g.group_id.clone())
                        .collect(),
                    subnet: i.subnet_id.clone(),
                    az: i
                        .placement
                        .as_ref()
                        .and_then(|p| p.availability_zone.clone()),
                });
            }
            if inv.has(Kind::Instances) || inv.has(Kind::NetworkInterfaces) {
                acc.missing_what(
                    format!("instance {id} is not in the inventory"),
                    Kind::Instances.cli().to_owned(),
                );
            } else {
                acc.missing(inv, Kind::Instances);
            }
            None
        }
    }
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
        out = lb_subnets(lb)
            .iter()
            .filter_map(|s| subnet_cidr(inv, s))
            .collect();
        acc.checked(format!(
            "ALB ENIs of {} not in the inventory; using its subnets' CIDRs as the source",
            lb.load_balancer_name
        ));
    }
    out
}

/// The `alb->target` hop.
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
        let others: Vec<SubnetId> = lb_subnets(lb).into_iter().filter(|s| s != tsub).collect();
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
                let (Some(a), Some(b), Some(snet)) = (acl_of(s), acl_of(tsub), subnet_cidr(inv, s))
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
        Peer::Group(x) => Ok(t.sgs.iter().any(|s| s.as_str() == x)),
        Peer::Cidr(_, None) => Ok(false),
        Peer::Cidr(_, Some(n)) => t.ip.map(|ip| n.contains(&ip)).ok_or_else(no_address),
        Peer::PrefixList(id) => {
            let Some(entries) = pl_entries(inv, id) else {
                return Err((
                    format!("entries of prefix list {id}"),
                    pl_entries_cli(inv, id),
                ));
            };
            let ip = t.ip.ok_or_else(no_address)?;
            Ok(entries.iter().any(|n| n.contains(&ip)))
        }
    }
}

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
                    sg_missing_cli(inv, sgid),
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
                if !sg::admits_tcp(p, port) {
                    continue;
                }
                for peer in sg::peers(p) {
                    let rule = sg::rule_text(g.group_id.as_str(), true, p, peer.text());
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
                acc.missing_what(format!("{sgid} (on the target)"), sg_missing_cli(inv, sgid));
                continue;
            };
            for p in &g.ip_permissions {
                if is_icmp(p) {
                    continue;
                }
                let port_ok = sg::port_in(p, port);
                let proto_ok = sg::proto_tcp(p);
                for peer in sg::peers(p) {
                    let src_ok = match &peer {
                        Peer::Group(x) => lb.security_groups.iter().any(|s| s.as_str() == x),
                        Peer::Cidr(_, Some(n)) => {
                            !sources.is_empty() && sources.iter().all(|s| n.contains(s))
                        }
                        Peer::PrefixList(id) => match pl_entries(inv, id) {
                            Some(es) => {
                                !sources.is_empty() && cidr::uncovered(&es, sources).is_empty()
                            }
                            None => {
                                // Entries not collected: the rule may admit the ALB. Missing
                                // data, never a near miss.
                                if port_ok && proto_ok {
                                    undecided.push((
                                        sg::rule_text(sgid.as_str(), false, p, peer.text()),
                                        format!("entries of prefix list {id}"),
                                        pl_entries_cli(inv, id),
                                    ));
                                }
                                continue;
                            }
                        },
                        Peer::Cidr(_, None) => false,
                    };
                    if src_ok && port_ok && proto_ok {
                        if found.is_none() {
                            found = Some(sg::rule_text(sgid.as_str(), false, p, peer.text()));
                        }
                        continue;
                    }
                    let differs = match (src_ok, port_ok, proto_ok) {
                        (false, true, true) => "source",
                        (true, false, true) => "port",
                        (true, true, false) => "protocol",
                        _ => continue,
                    };
                    let rule = sg::rule_text(sgid.as_str(), false, p, peer.text());
                    let mut nm = near(sgid, "ingress", &rule, differs, p, &peer);
                    let detail = match &peer {
                        Peer::Group(x) => {
                            nm.source_sg_exists = inv.security_groups.contains_key(x.as_str());
                            nm.source_sg_attached_to_alb =
                                lb.security_groups.iter().any(|s| s.as_str() == x);
                            if differs == "source" {
                                let why = if nm.source_sg_exists {
                                    ""
                                } else {
                                    " (and no longer exists)"
                                };
                                format!(
                                    "{sgid} admits {} only from {x}, which is not attached to {}{why} (the ALB carries {alb_sgs})",
                                    sg::proto_ports(p),
                                    lb.load_balancer_name
                                )
                            } else {
                                format!(
                                    "{sgid} admits the ALB on {}, not tcp/{port}",
                                    sg::proto_ports(p)
                                )
                            }
                        }
                        _ => {
                            nm.source_sg_exists = false;
                            nm.source_sg_attached_to_alb = false;
                            if differs == "source" {
                                format!(
                                    "{sgid} admits {} from {}, which does not cover the ALB's addresses",
                                    sg::proto_ports(p),
                                    peer.text()
                                )
                            } else {
                                format!(
                                    "{sgid} admits the ALB's addresses on {}, not tcp/{port}",
                                    sg::proto_ports(p)
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

fn reason_meaning(reason: &str) -> &'static str {
    match reason {
        "Target.Timeout" => {
            "health checks timed out: usually a security group or NACL drops the ALB's connections, or the app is not listening"
        }
        "Target.ResponseCodeMismatch" => "the health check got an HTTP status outside the matcher",
        "Target.FailedHealthChecks" => {
            "the target failed health checks (connection refused or errors)"
        }
        "Target.NotRegistered" => "the target is not registered",
        "Target.NotInUse" => {
            "the target group is not used by any listener rule, or the target's AZ is not enabled on the ALB"
        }
        "Target.DeregistrationInProgress" => "the target is being deregistered",
        "Target.InvalidState" => "the instance is stopped or terminated",
        "Target.IpUnusable" => {
            "the IP address is in use by the load balancer or otherwise unusable"
        }
        "Target.HealthCheckDisabled" => "health checks are disabled",
        "Elb.RegistrationInProgress" => "registration is in progress",
        "Elb.InitialHealthChecking" => "initial health checks are in progress",
        "Elb.InternalError" => "health checks failed with an internal ELB error",
        _ => "see the target health description",
    }
}

/// The `target` hop: health state and reason.
pub(crate) fn target_health(desc: &TargetHealthDescription, base: HopFact) -> HopResult {
    let mut acc = HopAcc::new(base);
    let Some(h) = &desc.target_health else {
        acc.missing_what(
            format!("health of {}", desc.target.id),
            Kind::TargetHealth.cli().to_owned(),
        );
        return acc.finish(Hop::Target);
    };
    let reason = h.reason.clone().unwrap_or_default();
    acc.fact.target_state.clone_from(&h.state);
    acc.fact.target_reason.clone_from(&reason);
    let detail = |what: &str| {
        let mut s = format!("{} is {what}", desc.target.id);
        if !reason.is_empty() {
            s.push_str(&format!(" ({reason}: {})", reason_meaning(&reason)));
        }
        if let Some(d) = &h.description {
            s.push_str(&format!(" — {d}"));
        }
        s
    };
    match h.state.as_str() {
        "healthy" => acc.checked(format!("{} is healthy", desc.target.id)),
        "unhealthy" | "unavailable" | "unhealthy.draining" => {
            acc.fail(Verdict::Blocked, "target-unhealthy", detail(&h.state));
        }
        "unused" => acc.fail(Verdict::Blocked, "target-unused", detail("unused")),
        "initial" | "draining" => {
            acc.fail(Verdict::Partial, "target-not-in-service", detail(&h.state))
        }
        other => acc.missing_what(
            format!("unrecognised health state `{other}` of {}", desc.target.id),
            Kind::TargetHealth.cli().to_owned(),
        ),
    }
    acc.finish(Hop::Target)
}
