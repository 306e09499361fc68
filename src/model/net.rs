//! The nouns of a security-group rule: [`Protocol`], [`PortRange`], [`Peer`] and the rule
//! itself as one reference a person can open in the console ([`SgRuleRef`]).
//!
//! AWS spells a protocol several ways (`-1` and `all`, `tcp` and `6`, `icmpv6` and `58`, in
//! the CLI, the API and Terraform alike) and leaves `FromPort`/`ToPort` out when a rule covers
//! every port. These types parse every spelling once and print one text, so the evaluators
//! (`reach`, `blockers`, `whatif`) compare and display rules the same way. Matching a rule
//! against a flow (which peer covers which address) stays in `reach`.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use ipnet::{Ipv4Net, Ipv6Net};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ec2::{IpPermission, NetworkAclEntry, Subnet};
use super::ids::{PrefixListId, SgId};
use super::inventory::Direction;

/// An IP protocol as AWS names it in security-group rules and NACL entries.
///
/// Parsed from any AWS spelling ([`Protocol::parse`]); shown for people as `all`, `tcp`, `udp`,
/// `icmp`, `icmpv6` or the protocol number ([`fmt::Display`]); serialized as the API spells it
/// (`-1`, `tcp`, …, [`Protocol::as_aws`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Protocol {
    /// Every protocol (`-1` / `all`); the rule covers every port.
    All,
    /// TCP (`tcp` / `6`).
    Tcp,
    /// UDP (`udp` / `17`).
    Udp,
    /// ICMP (`icmp` / `1`); the "ports" are the ICMP type and code.
    Icmp,
    /// ICMPv6 (`icmpv6` / `58`).
    Icmpv6,
    /// Any other protocol, by number or name as written (lowercased).
    Other(String),
}

impl Protocol {
    /// Parses any AWS spelling: `-1`/`all`, `tcp`/`6`, `udp`/`17`, `icmp`/`1`,
    /// `icmpv6`/`58` (names case-insensitively); anything else is [`Protocol::Other`].
    #[must_use]
    pub fn parse(s: &str) -> Protocol {
        // AWS writes lowercase names: match them directly; other cases only for typed input.
        match s.trim() {
            "-1" | "all" => Protocol::All,
            "6" | "tcp" => Protocol::Tcp,
            "17" | "udp" => Protocol::Udp,
            "1" | "icmp" => Protocol::Icmp,
            "58" | "icmpv6" => Protocol::Icmpv6,
            other if other.bytes().any(|b| b.is_ascii_uppercase()) => {
                Protocol::parse(&other.to_ascii_lowercase())
            }
            other => Protocol::Other(other.to_owned()),
        }
    }

    /// Whether the protocol carries TCP (TCP itself or every protocol).
    #[must_use]
    pub fn carries_tcp(&self) -> bool {
        matches!(self, Protocol::All | Protocol::Tcp)
    }

    /// Whether this is ICMP or ICMPv6 (whose "ports" are a type and a code).
    #[must_use]
    pub fn is_icmp(&self) -> bool {
        matches!(self, Protocol::Icmp | Protocol::Icmpv6)
    }

    /// The spelling the EC2 API and CLI accept: `-1`, `tcp`, `udp`, `icmp`, `icmpv6`, or the
    /// number / name as written.
    #[must_use]
    pub fn as_aws(&self) -> &str {
        match self {
            Protocol::All => "-1",
            Protocol::Other(s) => s,
            other => other.name(),
        }
    }

    /// `all`, `tcp`, `udp`, `icmp`, `icmpv6` or the number as written.
    fn name(&self) -> &str {
        match self {
            Protocol::All => "all",
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Icmp => "icmp",
            Protocol::Icmpv6 => "icmpv6",
            Protocol::Other(s) => s,
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Protocol {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_aws())
    }
}

impl<'de> Deserialize<'de> for Protocol {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(Protocol::parse(&s))
    }
}

/// An inclusive range of ports, `from..=to`.
///
/// AWS writes "every port" as an absent `FromPort`/`ToPort`, as `-1`, or as `0`-`65535`; all
/// of them become [`PortRange::ALL`]. For ICMP rules the two numbers are the type and code,
/// kept as written (see [`Protocol::is_icmp`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PortRange {
    /// First port.
    pub from: i32,
    /// Last port (equal to `from` for one port).
    pub to: i32,
}

impl PortRange {
    /// Every port, 0-65535.
    pub const ALL: PortRange = PortRange { from: 0, to: 65535 };

    /// One port.
    #[must_use]
    pub fn single(port: i32) -> PortRange {
        PortRange {
            from: port,
            to: port,
        }
    }

    /// From AWS's optional `FromPort`/`ToPort`: both absent or `FromPort` `-1` is every port;
    /// one of them alone is that one port.
    #[must_use]
    pub fn from_aws(from: Option<i32>, to: Option<i32>) -> PortRange {
        match (from, to) {
            (Some(-1), _) | (None, None) => PortRange::ALL,
            (Some(f), Some(t)) => PortRange { from: f, to: t },
            (Some(p), None) | (None, Some(p)) => PortRange::single(p),
        }
    }

    /// Whether this is every port.
    #[must_use]
    pub fn is_all(self) -> bool {
        self == PortRange::ALL
    }

    /// Whether `port` is in the range.
    #[must_use]
    pub fn contains(self, port: i32) -> bool {
        self.from <= port && port <= self.to
    }

    /// Whether the two ranges share a port.
    #[must_use]
    pub fn overlaps(self, other: PortRange) -> bool {
        self.from <= other.to && other.from <= self.to
    }
}

impl fmt::Display for PortRange {
    /// `all`, `443`, `8080-8090`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_all() {
            f.write_str("all")
        } else if self.from == self.to {
            write!(f, "{}", self.from)
        } else {
            write!(f, "{}-{}", self.from, self.to)
        }
    }
}

/// What a security-group rule admits traffic from (ingress) or to (egress).
///
/// Displays as AWS names it: the CIDR as written, the prefix-list id, or the group id (the
/// group's account is data, not shown).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Peer {
    /// A CIDR as written in the rule: IPv4 (`10.0.0.0/16`, [`Peer::ipv4_net`] parses it) or,
    /// from `Ipv6Ranges`, IPv6 (`::/0`, [`Peer::ipv6_net`]).
    Cidr(String),
    /// A managed prefix list.
    PrefixList(PrefixListId),
    /// A security group, possibly another account's.
    Sg {
        /// The referenced group.
        id: SgId,
        /// The account owning it (`UserId`), when the rule names one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        account: Option<String>,
    },
}

impl Peer {
    /// A peer from how people and Terraform write it: `sg-…` is a group, `pl-…` a prefix list,
    /// anything else a CIDR.
    #[must_use]
    pub fn parse(s: &str) -> Peer {
        if s.starts_with("sg-") {
            Peer::Sg {
                id: SgId::from(s),
                account: None,
            }
        } else if s.starts_with("pl-") {
            Peer::PrefixList(PrefixListId::from(s))
        } else {
            Peer::Cidr(s.to_owned())
        }
    }

    /// The peer as AWS names it: CIDR, `pl-…` or `sg-…`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Peer::Cidr(s) => s,
            Peer::PrefixList(id) => id.as_str(),
            Peer::Sg { id, .. } => id.as_str(),
        }
    }

    /// The referenced group, for an SG peer.
    #[must_use]
    pub fn sg(&self) -> Option<&SgId> {
        match self {
            Peer::Sg { id, .. } => Some(id),
            _ => None,
        }
    }

    /// The network of a CIDR peer (`None` for other peers, IPv6 or unparsable text).
    #[must_use]
    pub fn ipv4_net(&self) -> Option<Ipv4Net> {
        match self {
            Peer::Cidr(s) => parse_ipv4_net(s),
            _ => None,
        }
    }
}

impl Peer {
    /// The network of an IPv6 CIDR peer (`None` for other peers, IPv4 or unparsable text).
    #[must_use]
    pub fn ipv6_net(&self) -> Option<Ipv6Net> {
        match self {
            Peer::Cidr(s) => parse_ipv6_net(s),
            _ => None,
        }
    }
}

impl fmt::Display for Peer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses an IPv4 CIDR (`10.0.0.0/16`, host bits cleared) or a bare address (as a `/32`).
#[must_use]
pub fn parse_ipv4_net(s: &str) -> Option<Ipv4Net> {
    let s = s.trim();
    if let Ok(n) = s.parse::<Ipv4Net>() {
        return Some(n.trunc());
    }
    s.parse::<Ipv4Addr>().ok().map(Ipv4Net::from)
}

/// Parses an IPv6 CIDR (`2600:9000::/28`, host bits cleared) or a bare address (as a `/128`).
#[must_use]
pub fn parse_ipv6_net(s: &str) -> Option<Ipv6Net> {
    let s = s.trim();
    if let Ok(n) = s.parse::<Ipv6Net>() {
        return Some(n.trunc());
    }
    s.parse::<Ipv6Addr>().ok().map(Ipv6Net::from)
}

/// One security-group rule with one peer: what a person can find in the console.
///
/// Displays as `sg-0abc ingress tcp/443 from pl-3b927c52` (`all` for every protocol, no ports
/// for ICMP, `tcp/all` for every port), the text `check`, `blockers` and `what-if` print.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SgRuleRef {
    /// The group holding the rule.
    pub sg: SgId,
    /// Ingress (`IpPermissions`) or egress (`IpPermissionsEgress`).
    pub direction: Direction,
    /// The rule's protocol.
    pub protocol: Protocol,
    /// The rule's ports ([`PortRange::ALL`] for every protocol).
    pub ports: PortRange,
    /// The source (ingress) or destination (egress).
    pub peer: Peer,
}

impl SgRuleRef {
    /// The rule of `permission` of group `sg` for one of its peers.
    #[must_use]
    pub fn new(sg: &SgId, direction: Direction, permission: &IpPermission, peer: &Peer) -> Self {
        SgRuleRef {
            sg: sg.clone(),
            direction,
            protocol: permission.protocol(),
            ports: permission.ports(),
            peer: peer.clone(),
        }
    }

    /// Protocol and ports: `tcp/443`, `tcp/8080-8090`, `tcp/all`, `all`, `icmp`.
    #[must_use]
    pub fn protocol_ports(&self) -> ProtocolPorts<'_> {
        ProtocolPorts {
            protocol: &self.protocol,
            ports: self.ports,
        }
    }
}

impl fmt::Display for SgRuleRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = match self.direction {
            Direction::Ingress => "from",
            Direction::Egress => "to",
        };
        write!(
            f,
            "{} {} {} {word} {}",
            self.sg,
            self.direction.as_str(),
            self.protocol_ports(),
            self.peer
        )
    }
}

/// A protocol with its ports, displayed as in rule texts: `tcp/443`, `tcp/all`, `all` (every
/// protocol), `icmp` / `icmpv6` (type and code not shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProtocolPorts<'a> {
    /// The protocol.
    pub protocol: &'a Protocol,
    /// Its ports.
    pub ports: PortRange,
}

impl fmt::Display for ProtocolPorts<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.protocol {
            Protocol::All => f.write_str("all"),
            p if p.is_icmp() => write!(f, "{p}"),
            p => write!(f, "{p}/{}", self.ports),
        }
    }
}

impl IpPermission {
    /// The permission's protocol.
    #[must_use]
    pub fn protocol(&self) -> Protocol {
        Protocol::parse(&self.ip_protocol)
    }

    /// The permission's ports: every port for protocol `all`, else `FromPort`-`ToPort`.
    #[must_use]
    pub fn ports(&self) -> PortRange {
        if self.protocol() == Protocol::All {
            PortRange::ALL
        } else {
            PortRange::from_aws(self.from_port, self.to_port)
        }
    }

    /// Whether the permission admits TCP on `port`.
    #[must_use]
    pub fn admits_tcp(&self, port: i32) -> bool {
        self.protocol().carries_tcp() && self.ports().contains(port)
    }

    /// Protocol and ports as in rule texts (`tcp/443`, `all`, `icmp`).
    #[must_use]
    pub fn protocol_ports(&self) -> String {
        ProtocolPorts {
            protocol: &self.protocol(),
            ports: self.ports(),
        }
        .to_string()
    }

    /// The `Ipv6Ranges` peers (as [`Peer::Cidr`]), which [`IpPermission::peers`] leaves out:
    /// what the IPv6 path of a hop compares.
    #[must_use]
    pub fn ipv6_peers(&self) -> Vec<Peer> {
        self.ipv6_ranges
            .iter()
            .map(|r| Peer::Cidr(r.cidr_ipv6.clone()))
            .collect()
    }

    /// Every IPv4, prefix-list and security-group peer, in that order (IPv6 ranges and pairs
    /// naming a group only by name are left out).
    #[must_use]
    pub fn peers(&self) -> Vec<Peer> {
        let mut out = Vec::with_capacity(
            self.ip_ranges.len() + self.prefix_list_ids.len() + self.user_id_group_pairs.len(),
        );
        out.extend(self.ip_ranges.iter().map(|r| Peer::Cidr(r.cidr_ip.clone())));
        out.extend(
            self.prefix_list_ids
                .iter()
                .map(|pl| Peer::PrefixList(pl.prefix_list_id.clone())),
        );
        out.extend(self.user_id_group_pairs.iter().filter_map(|g| {
            g.group_id.as_ref().map(|id| Peer::Sg {
                id: id.clone(),
                account: g.user_id.clone(),
            })
        }));
        out
    }
}

impl NetworkAclEntry {
    /// The entry's protocol.
    #[must_use]
    pub fn protocol(&self) -> Protocol {
        Protocol::parse(&self.protocol)
    }

    /// The ports the entry applies to: every port for protocol `all` or without a `PortRange`;
    /// a missing end of the range is open.
    #[must_use]
    pub fn ports(&self) -> PortRange {
        match (self.protocol(), self.port_range) {
            (Protocol::All, _) | (_, None) => PortRange::ALL,
            (_, Some(pr)) => PortRange {
                from: pr.from.unwrap_or(0),
                to: pr.to.unwrap_or(65535),
            },
        }
    }
}

impl Subnet {
    /// The subnet's IPv4 CIDR, parsed (`None` without one).
    #[must_use]
    pub fn ipv4_net(&self) -> Option<Ipv4Net> {
        self.cidr_block.as_deref().and_then(parse_ipv4_net)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn perm(proto: &str, from: Option<i32>, to: Option<i32>) -> IpPermission {
        serde_json::from_value(serde_json::json!({
            "IpProtocol": proto, "FromPort": from, "ToPort": to
        }))
        .expect("permission")
    }

    #[test]
    fn every_aws_spelling_of_a_protocol_parses_to_one_value() {
        assert_eq!(Protocol::parse("-1"), Protocol::All);
        assert_eq!(Protocol::parse("all"), Protocol::All);
        assert_eq!(Protocol::parse("6"), Protocol::Tcp);
        assert_eq!(Protocol::parse("TCP"), Protocol::Tcp);
        assert_eq!(Protocol::parse("17"), Protocol::Udp);
        assert_eq!(Protocol::parse("1"), Protocol::Icmp);
        assert_eq!(Protocol::parse("58"), Protocol::Icmpv6);
        assert_eq!(Protocol::parse("50"), Protocol::Other("50".into()));
        assert_eq!(Protocol::All.to_string(), "all");
        assert_eq!(Protocol::All.as_aws(), "-1");
        assert_eq!(
            serde_json::to_value(Protocol::parse("6")).expect("json"),
            "tcp"
        );
    }

    #[test]
    fn a_permission_admits_tcp_on_its_ports_only() {
        assert!(perm("-1", None, None).admits_tcp(8080));
        assert!(perm("tcp", Some(80), Some(90)).admits_tcp(85));
        assert!(!perm("tcp", Some(80), Some(90)).admits_tcp(91));
        assert!(!perm("udp", Some(80), Some(80)).admits_tcp(80));
        // ICMP: FromPort is the type, not a port.
        assert!(!perm("icmp", Some(-1), Some(-1)).admits_tcp(80));
    }

    #[test]
    fn rule_text_names_protocol_ports_and_peer() {
        let sg = SgId::from("sg-1");
        let text =
            |p: &IpPermission, dir| SgRuleRef::new(&sg, dir, p, &Peer::parse("pl-2")).to_string();
        let tcp80 = perm("tcp", Some(80), Some(80));
        assert_eq!(
            text(&tcp80, Direction::Ingress),
            "sg-1 ingress tcp/80 from pl-2"
        );
        assert_eq!(
            text(&tcp80, Direction::Egress),
            "sg-1 egress tcp/80 to pl-2"
        );
        assert_eq!(perm("-1", None, None).protocol_ports(), "all");
        assert_eq!(perm("tcp", Some(1), Some(9)).protocol_ports(), "tcp/1-9");
        assert_eq!(
            perm("tcp", Some(0), Some(65535)).protocol_ports(),
            "tcp/all"
        );
        assert_eq!(perm("icmp", Some(8), Some(0)).protocol_ports(), "icmp");
        assert_eq!(perm("6", None, None).protocol_ports(), "tcp/all");
    }

    #[test]
    fn port_ranges_overlap_when_they_share_a_port() {
        let r = PortRange { from: 80, to: 90 };
        assert!(r.overlaps(PortRange::single(90)));
        assert!(!r.overlaps(PortRange { from: 91, to: 100 }));
        assert_eq!(PortRange::from_aws(Some(-1), Some(-1)), PortRange::ALL);
        assert_eq!(PortRange::from_aws(None, Some(5)).to_string(), "5");
    }
}
