//! Change operations on an Inventory copy, and the flag grammar people type in an incident.
//!
//! Grammar (one change per flag; repeat flags for several):
//! - `--detach-sg SG --from RESOURCE` / `--attach-sg SG --to RESOURCE` (ALB name or ARN, `eni-…`, `i-…`)
//! - `--delete-sg SG`
//! - `--revoke-ingress 'SG PROTO PORT[-PORT] PEER'`, `--authorize-ingress …`, `--revoke-egress …`,
//!   `--authorize-egress …` where PROTO is `tcp|udp|icmp|all`, PEER a `sg-…`, `pl-…` or CIDR
//! - `--replace-source 'SG PROTO PORT OLD_PEER NEW_PEER'`
//! - `--nacl-entry 'ACL ingress|egress NUMBER allow|deny PROTO PORT[-PORT] CIDR'`
//! - `--tg-port 'TG PORT'`, `--tg-health-port 'TG PORT'` (TG name or ARN)
//! - `--origin-protocol 'DISTRIBUTION ORIGIN_ID http-only|https-only|match-viewer [http=80] [https=443]'`
//!
//! A security group may be named by id or by name (unique in its VPC).

use serde::{Deserialize, Serialize};

use crate::model::ec2::{
    IpPermission, IpRange, NetworkAclEntry, PortRange, PrefixListRef, UserIdGroupPair,
};
use crate::model::{Direction, Inventory, LbArn, SgId, TgArn};

/// Why a change cannot be applied.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ChangeError {
    /// The text of a change does not follow the grammar.
    #[error("cannot read the change `{text}`: {why}")]
    #[diagnostic(
        code(whatif::syntax),
        help("see `edgepath what-if --help` for the grammar and examples")
    )]
    Syntax {
        /// The change as typed.
        text: String,
        /// What was expected.
        why: String,
    },
    /// The change names something the Inventory does not have.
    #[error("`{id}` ({what}) is not in the loaded data")]
    #[diagnostic(
        code(whatif::unknown_id),
        help("check the id; with --snapshot, the snapshot must include it")
    )]
    UnknownId {
        /// The id or name.
        id: String,
        /// What kind of resource was expected.
        what: &'static str,
    },
}

/// The source or destination of a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Peer {
    /// A security group.
    Sg(String),
    /// A prefix list.
    PrefixList(String),
    /// An IPv4 CIDR.
    Cidr(String),
}

impl Peer {
    fn parse(s: &str) -> Peer {
        if s.starts_with("sg-") {
            Peer::Sg(s.to_owned())
        } else if s.starts_with("pl-") {
            Peer::PrefixList(s.to_owned())
        } else {
            Peer::Cidr(s.to_owned())
        }
    }
    fn text(&self) -> &str {
        match self {
            Peer::Sg(s) | Peer::PrefixList(s) | Peer::Cidr(s) => s,
        }
    }
}

/// One proposed change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum Change {
    /// Take a group off an ALB, ENI or instance.
    DetachSg {
        /// The group.
        sg: String,
        /// ALB name/ARN, `eni-…`, `i-…`.
        from: String,
    },
    /// Put a group on an ALB, ENI or instance.
    AttachSg {
        /// The group.
        sg: String,
        /// ALB name/ARN, `eni-…`, `i-…`.
        to: String,
    },
    /// Delete a group (AWS refuses while referenced or attached: reported as blockers).
    DeleteSg {
        /// The group.
        sg: String,
    },
    /// Add or remove one rule.
    Rule {
        /// `true` to add, `false` to remove.
        authorize: bool,
        /// `ingress` or `egress`.
        direction: Direction,
        /// The group holding the rule.
        sg: String,
        /// `tcp`, `udp`, `icmp`, `-1`.
        protocol: String,
        /// First port.
        from_port: Option<i32>,
        /// Last port.
        to_port: Option<i32>,
        /// Source or destination.
        peer: Peer,
    },
    /// Add or replace a NACL entry.
    NaclEntry {
        /// `acl-…`.
        acl: String,
        /// Outbound when true.
        egress: bool,
        /// Rule number.
        number: i32,
        /// `allow` / `deny`.
        action: String,
        /// `tcp`, `udp`, `all` or a number.
        protocol: String,
        /// First port.
        from_port: Option<i32>,
        /// Last port.
        to_port: Option<i32>,
        /// CIDR.
        cidr: String,
    },
    /// Change a target group's traffic port (and its registered targets').
    TgPort {
        /// Name or ARN.
        tg: String,
        /// New port.
        port: i32,
    },
    /// Change a target group's health-check port.
    TgHealthPort {
        /// Name or ARN.
        tg: String,
        /// New port.
        port: i32,
    },
    /// Change a CloudFront origin's protocol policy and ports.
    OriginProtocol {
        /// Distribution id.
        distribution: String,
        /// Origin id.
        origin: String,
        /// `http-only`, `https-only`, `match-viewer`.
        policy: String,
        /// HTTP port, if changed.
        http_port: Option<i32>,
        /// HTTPS port, if changed.
        https_port: Option<i32>,
    },
}

fn syntax(text: &str, why: &str) -> ChangeError {
    ChangeError::Syntax {
        text: text.to_owned(),
        why: why.to_owned(),
    }
}

fn ports(text: &str, s: &str) -> Result<(Option<i32>, Option<i32>), ChangeError> {
    if s == "all" || s == "-1" {
        return Ok((None, None));
    }
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let p = |x: &str| {
        x.parse::<i32>().map_err(|_| {
            syntax(
                text,
                "ports are a number, a range like 1024-65535, or `all`",
            )
        })
    };
    Ok((Some(p(a)?), Some(p(b)?)))
}

fn protocol(p: &str) -> String {
    match p {
        "all" | "-1" => "-1".to_owned(),
        other => other.to_ascii_lowercase(),
    }
}

impl Change {
    /// Parses `SG PROTO PORT PEER` for the rule flags.
    ///
    /// # Errors
    /// The text does not follow the grammar.
    pub fn parse_rule(
        text: &str,
        authorize: bool,
        direction: Direction,
    ) -> Result<Change, ChangeError> {
        let w: Vec<&str> = text.split_whitespace().collect();
        let [sg, proto, port, peer] = w[..] else {
            return Err(syntax(
                text,
                "expected `SG PROTO PORT PEER`, e.g. `sg-0abc tcp 80 sg-0def`",
            ));
        };
        let (from_port, to_port) = ports(text, port)?;
        Ok(Change::Rule {
            authorize,
            direction,
            sg: sg.to_owned(),
            protocol: protocol(proto),
            from_port,
            to_port,
            peer: Peer::parse(peer),
        })
    }

    /// Parses `SG PROTO PORT OLD NEW` into a revoke and an authorize.
    ///
    /// # Errors
    /// The text does not follow the grammar.
    pub fn parse_replace_source(text: &str) -> Result<Vec<Change>, ChangeError> {
        let w: Vec<&str> = text.split_whitespace().collect();
        let [sg, proto, port, old, new] = w[..] else {
            return Err(syntax(text, "expected `SG PROTO PORT OLD_PEER NEW_PEER`"));
        };
        Ok(vec![
            Change::parse_rule(
                &format!("{sg} {proto} {port} {old}"),
                false,
                Direction::Ingress,
            )?,
            Change::parse_rule(
                &format!("{sg} {proto} {port} {new}"),
                true,
                Direction::Ingress,
            )?,
        ])
    }

    /// Parses `ACL ingress|egress NUMBER allow|deny PROTO PORT CIDR`.
    ///
    /// # Errors
    /// The text does not follow the grammar.
    pub fn parse_nacl(text: &str) -> Result<Change, ChangeError> {
        let w: Vec<&str> = text.split_whitespace().collect();
        let [acl, dir, number, action, proto, port, cidr] = w[..] else {
            return Err(syntax(
                text,
                "expected `ACL ingress|egress NUMBER allow|deny PROTO PORT CIDR`",
            ));
        };
        let egress = match dir {
            "egress" | "outbound" => true,
            "ingress" | "inbound" => false,
            _ => return Err(syntax(text, "direction is ingress or egress")),
        };
        if action != "allow" && action != "deny" {
            return Err(syntax(text, "action is allow or deny"));
        }
        let number = number
            .parse()
            .map_err(|_| syntax(text, "rule number is a number"))?;
        let (from_port, to_port) = ports(text, port)?;
        Ok(Change::NaclEntry {
            acl: acl.to_owned(),
            egress,
            number,
            action: action.to_owned(),
            protocol: protocol(proto),
            from_port,
            to_port,
            cidr: cidr.to_owned(),
        })
    }

    /// Parses `TG PORT`.
    ///
    /// # Errors
    /// The text does not follow the grammar.
    pub fn parse_tg(text: &str, health: bool) -> Result<Change, ChangeError> {
        let w: Vec<&str> = text.split_whitespace().collect();
        let [tg, port] = w[..] else {
            return Err(syntax(text, "expected `TARGET_GROUP PORT`"));
        };
        let port = port.parse().map_err(|_| syntax(text, "port is a number"))?;
        Ok(if health {
            Change::TgHealthPort {
                tg: tg.to_owned(),
                port,
            }
        } else {
            Change::TgPort {
                tg: tg.to_owned(),
                port,
            }
        })
    }

    /// Parses `DIST ORIGIN POLICY [http=N] [https=N]`.
    ///
    /// # Errors
    /// The text does not follow the grammar.
    pub fn parse_origin(text: &str) -> Result<Change, ChangeError> {
        let w: Vec<&str> = text.split_whitespace().collect();
        if w.len() < 3 || !matches!(w[2], "http-only" | "https-only" | "match-viewer") {
            return Err(syntax(
                text,
                "expected `DISTRIBUTION ORIGIN_ID http-only|https-only|match-viewer [http=80] [https=443]`",
            ));
        }
        let mut c = Change::OriginProtocol {
            distribution: w[0].to_owned(),
            origin: w[1].to_owned(),
            policy: w[2].to_owned(),
            http_port: None,
            https_port: None,
        };
        for kv in &w[3..] {
            let (k, v) = kv
                .split_once('=')
                .ok_or_else(|| syntax(text, "extra words are http=PORT or https=PORT"))?;
            let v: i32 = v.parse().map_err(|_| syntax(text, "port is a number"))?;
            if let Change::OriginProtocol {
                http_port,
                https_port,
                ..
            } = &mut c
            {
                match k {
                    "http" => *http_port = Some(v),
                    "https" => *https_port = Some(v),
                    _ => return Err(syntax(text, "extra words are http=PORT or https=PORT")),
                }
            }
        }
        Ok(c)
    }

    /// The change in words.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Change::DetachSg { sg, from } => format!("detach {sg} from {from}"),
            Change::AttachSg { sg, to } => format!("attach {sg} to {to}"),
            Change::DeleteSg { sg } => format!("delete {sg} (after detaching it everywhere)"),
            Change::Rule {
                authorize,
                direction,
                sg,
                protocol,
                from_port,
                to_port,
                peer,
            } => {
                let verb = if *authorize { "authorize" } else { "revoke" };
                let ports = match (from_port, to_port) {
                    (Some(a), Some(b)) if a == b => format!("/{a}"),
                    (Some(a), Some(b)) => format!("/{a}-{b}"),
                    _ => String::new(),
                };
                let word = if *direction == Direction::Ingress {
                    "from"
                } else {
                    "to"
                };
                format!(
                    "{verb} {sg} {} {}{ports} {word} {}",
                    direction.as_str(),
                    if protocol == "-1" { "all" } else { protocol },
                    peer.text()
                )
            }
            Change::NaclEntry {
                acl,
                egress,
                number,
                action,
                protocol,
                from_port,
                to_port,
                cidr,
            } => format!(
                "set {acl} {} #{number} {action} {protocol} {}-{} {cidr}",
                if *egress { "egress" } else { "ingress" },
                from_port.unwrap_or(0),
                to_port.unwrap_or(65535)
            ),
            Change::TgPort { tg, port } => format!("set target group {tg} port to {port}"),
            Change::TgHealthPort { tg, port } => {
                format!("set target group {tg} health-check port to {port}")
            }
            Change::OriginProtocol {
                distribution,
                origin,
                policy,
                http_port,
                https_port,
            } => format!(
                "set {distribution} origin {origin} to {policy}{}{}",
                http_port.map_or(String::new(), |p| format!(" http={p}")),
                https_port.map_or(String::new(), |p| format!(" https={p}"))
            ),
        }
    }
}

/// Resolves a group named by id or by name.
pub(crate) fn resolve_sg(inv: &Inventory, s: &str) -> Result<SgId, ChangeError> {
    if inv.security_groups.contains_key(s) {
        return Ok(SgId::from(s));
    }
    let by_name: Vec<&SgId> = inv
        .security_groups
        .values()
        .filter(|g| g.group_name == s)
        .map(|g| &g.group_id)
        .collect();
    match by_name[..] {
        [one] => Ok(one.clone()),
        _ => Err(ChangeError::UnknownId {
            id: s.to_owned(),
            what: "security group (id, or name unique in its VPC)",
        }),
    }
}

/// Resolves a load balancer named by name or ARN.
pub(crate) fn resolve_lb(inv: &Inventory, s: &str) -> Option<LbArn> {
    if inv.load_balancers.contains_key(s) {
        return Some(LbArn::from(s));
    }
    inv.index().lb_by_name.get(s).cloned()
}

fn resolve_tg(inv: &Inventory, s: &str) -> Result<TgArn, ChangeError> {
    if inv.target_groups.contains_key(s) {
        return Ok(TgArn::from(s));
    }
    inv.target_groups
        .values()
        .find(|t| t.target_group_name == s)
        .map(|t| t.target_group_arn.clone())
        .ok_or_else(|| ChangeError::UnknownId {
            id: s.to_owned(),
            what: "target group (name or ARN)",
        })
}

/// Sets the groups of a resource (ALB: the LB and its ENIs; instance: its ENIs; ENI).
fn edit_groups(
    inv: &mut Inventory,
    resource: &str,
    edit: &dyn Fn(&mut Vec<SgId>),
) -> Result<(), ChangeError> {
    let eni_edit = |inv: &mut Inventory, eni: &str| {
        if let Some(e) = inv.network_interfaces.get_mut(eni) {
            let mut ids: Vec<SgId> = e.groups.iter().map(|g| g.group_id.clone()).collect();
            edit(&mut ids);
            e.groups = ids
                .into_iter()
                .map(|group_id| crate::model::ec2::GroupIdentifier {
                    group_id,
                    group_name: None,
                })
                .collect();
        }
    };
    if let Some(lb) = resolve_lb(inv, resource) {
        let enis = inv.index().enis_by_lb.get(&lb).cloned().unwrap_or_default();
        if let Some(l) = inv.load_balancers.get_mut(&lb) {
            edit(&mut l.security_groups);
        }
        for e in enis {
            eni_edit(inv, e.as_str());
        }
        return Ok(());
    }
    if resource.starts_with("eni-") && inv.network_interfaces.contains_key(resource) {
        eni_edit(inv, resource);
        return Ok(());
    }
    if let Some(inst) = inv.instances.get_mut(resource) {
        let mut ids: Vec<SgId> = inst
            .security_groups
            .iter()
            .map(|g| g.group_id.clone())
            .collect();
        edit(&mut ids);
        inst.security_groups = ids
            .iter()
            .cloned()
            .map(|group_id| crate::model::ec2::GroupIdentifier {
                group_id,
                group_name: None,
            })
            .collect();
        let enis: Vec<String> = inst
            .network_interfaces
            .iter()
            .map(|n| n.network_interface_id.to_string())
            .collect();
        for e in enis {
            eni_edit(inv, &e);
        }
        return Ok(());
    }
    Err(ChangeError::UnknownId {
        id: resource.to_owned(),
        what: "load balancer (name or ARN), eni-… or i-…",
    })
}

fn permission(protocol: &str, from: Option<i32>, to: Option<i32>, peer: &Peer) -> IpPermission {
    let mut p = IpPermission {
        ip_protocol: protocol.to_owned(),
        from_port: if protocol == "-1" { None } else { from },
        to_port: if protocol == "-1" { None } else { to },
        ip_ranges: vec![],
        ipv6_ranges: vec![],
        prefix_list_ids: vec![],
        user_id_group_pairs: vec![],
    };
    match peer {
        Peer::Sg(g) => p.user_id_group_pairs.push(UserIdGroupPair {
            group_id: Some(SgId::from(g.as_str())),
            group_name: None,
            user_id: None,
            vpc_id: None,
            vpc_peering_connection_id: None,
            peering_status: None,
            description: None,
        }),
        Peer::PrefixList(pl) => p.prefix_list_ids.push(PrefixListRef {
            prefix_list_id: pl.as_str().into(),
            description: None,
        }),
        Peer::Cidr(c) => p.ip_ranges.push(IpRange {
            cidr_ip: c.clone(),
            description: None,
        }),
    }
    p
}

/// Removes `peer` from matching permissions; returns whether anything was removed.
fn revoke(
    perms: &mut Vec<IpPermission>,
    protocol: &str,
    from: Option<i32>,
    to: Option<i32>,
    peer: &Peer,
) -> bool {
    let mut removed = false;
    for p in perms.iter_mut() {
        let same_ports = protocol == "-1" || (p.from_port == from && p.to_port == to);
        if p.ip_protocol != protocol || !same_ports {
            continue;
        }
        let before = p.ip_ranges.len() + p.prefix_list_ids.len() + p.user_id_group_pairs.len();
        match peer {
            Peer::Sg(g) => p
                .user_id_group_pairs
                .retain(|u| u.group_id.as_ref().is_none_or(|id| id != g.as_str())),
            Peer::PrefixList(pl) => p
                .prefix_list_ids
                .retain(|x| x.prefix_list_id != pl.as_str()),
            Peer::Cidr(c) => p.ip_ranges.retain(|r| r.cidr_ip != *c),
        }
        removed |=
            before != p.ip_ranges.len() + p.prefix_list_ids.len() + p.user_id_group_pairs.len();
    }
    perms.retain(|p| {
        !(p.ip_ranges.is_empty()
            && p.ipv6_ranges.is_empty()
            && p.prefix_list_ids.is_empty()
            && p.user_id_group_pairs.is_empty())
    });
    removed
}

/// Applies one change to `inv`.
///
/// # Errors
/// The change names something not in the Inventory, or a rule to revoke that does not exist.
pub fn apply(inv: &mut Inventory, change: &Change) -> Result<(), ChangeError> {
    match change {
        Change::DetachSg { sg, from } => {
            let sg = resolve_sg(inv, sg)?;
            edit_groups(inv, from, &|ids| ids.retain(|g| *g != sg))?;
        }
        Change::AttachSg { sg, to } => {
            let sg = resolve_sg(inv, sg)?;
            edit_groups(inv, to, &|ids| {
                if !ids.contains(&sg) {
                    ids.push(sg.clone());
                }
            })?;
        }
        Change::DeleteSg { sg } => {
            let sg = resolve_sg(inv, sg)?;
            for lb in inv.load_balancers.values_mut() {
                lb.security_groups.retain(|g| *g != sg);
            }
            for e in inv.network_interfaces.values_mut() {
                e.groups.retain(|g| g.group_id != sg);
            }
            for i in inv.instances.values_mut() {
                i.security_groups.retain(|g| g.group_id != sg);
            }
            inv.security_groups.remove(&sg);
        }
        Change::Rule {
            authorize,
            direction,
            sg,
            protocol,
            from_port,
            to_port,
            peer,
        } => {
            let id = resolve_sg(inv, sg)?;
            if let Peer::Sg(g) = peer
                && !inv.security_groups.contains_key(g.as_str())
                && *authorize
            {
                return Err(ChangeError::UnknownId {
                    id: g.clone(),
                    what: "security group",
                });
            }
            let group = inv.security_groups.get_mut(&id).expect("resolved above");
            let perms = if *direction == Direction::Ingress {
                &mut group.ip_permissions
            } else {
                &mut group.ip_permissions_egress
            };
            if *authorize {
                perms.push(permission(protocol, *from_port, *to_port, peer));
            } else if !revoke(perms, protocol, *from_port, *to_port, peer) {
                return Err(ChangeError::Syntax {
                    text: change.describe(),
                    why: format!("{id} has no such {} rule", direction.as_str()),
                });
            }
        }
        Change::NaclEntry {
            acl,
            egress,
            number,
            action,
            protocol,
            from_port,
            to_port,
            cidr,
        } => {
            let Some(nacl) = inv.network_acls.get_mut(acl.as_str()) else {
                return Err(ChangeError::UnknownId {
                    id: acl.clone(),
                    what: "network ACL",
                });
            };
            let proto = match protocol.as_str() {
                "tcp" => "6",
                "udp" => "17",
                "icmp" => "1",
                other => other,
            };
            nacl.entries
                .retain(|e| !(e.egress == *egress && e.rule_number == *number));
            nacl.entries.push(NetworkAclEntry {
                rule_number: *number,
                protocol: proto.to_owned(),
                rule_action: action.clone(),
                egress: *egress,
                cidr_block: Some(cidr.clone()),
                ipv6_cidr_block: None,
                port_range: from_port.map(|f| PortRange {
                    from: Some(f),
                    to: *to_port,
                }),
                icmp_type_code: None,
            });
        }
        Change::TgPort { tg, port } => {
            let arn = resolve_tg(inv, tg)?;
            if let Some(t) = inv.target_groups.get_mut(&arn) {
                t.port = Some(*port);
            }
            for d in inv.target_health.get_mut(&arn).into_iter().flatten() {
                d.target.port = Some(*port);
            }
        }
        Change::TgHealthPort { tg, port } => {
            let arn = resolve_tg(inv, tg)?;
            if let Some(t) = inv.target_groups.get_mut(&arn) {
                t.health_check_port = Some(port.to_string());
            }
        }
        Change::OriginProtocol {
            distribution,
            origin,
            policy,
            http_port,
            https_port,
        } => {
            let Some(d) = inv.distributions.get_mut(distribution.as_str()) else {
                return Err(ChangeError::UnknownId {
                    id: distribution.clone(),
                    what: "CloudFront distribution",
                });
            };
            let Some(o) = d.origins.items.iter_mut().find(|o| o.id == *origin) else {
                return Err(ChangeError::UnknownId {
                    id: origin.clone(),
                    what: "origin id of that distribution",
                });
            };
            let Some(c) = o.custom_origin_config.as_mut() else {
                return Err(ChangeError::Syntax {
                    text: change.describe(),
                    why: "only custom origins have a protocol policy".into(),
                });
            };
            c.origin_protocol_policy = policy.clone();
            if let Some(p) = http_port {
                c.http_port = *p;
            }
            if let Some(p) = https_port {
                c.https_port = *p;
            }
        }
    }
    inv.invalidate();
    Ok(())
}
