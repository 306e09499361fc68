//! Security-group rule matching: protocol, ports, peers, rule text, near misses.

use ipnet::Ipv4Net;

use super::cidr;
use crate::model::ec2::IpPermission;

/// Whether the permission's protocol carries TCP.
pub(crate) fn proto_tcp(p: &IpPermission) -> bool {
    matches!(p.ip_protocol.as_str(), "-1" | "tcp" | "6" | "all")
}

/// Whether the permission's port range includes `port` (protocol not checked).
pub(crate) fn port_in(p: &IpPermission, port: i32) -> bool {
    if matches!(p.ip_protocol.as_str(), "-1" | "all") {
        return true;
    }
    match (p.from_port, p.to_port) {
        (Some(-1), _) | (None, None) => true,
        (Some(f), Some(t)) => f <= port && port <= t,
        (Some(f), None) => f == port,
        (None, Some(t)) => t == port,
    }
}

/// Whether the permission admits TCP on `port`.
pub(crate) fn admits_tcp(p: &IpPermission, port: i32) -> bool {
    proto_tcp(p) && port_in(p, port)
}

/// `tcp/443`, `tcp/8080-8090`, `all`, `icmp`.
pub(crate) fn proto_ports(p: &IpPermission) -> String {
    let proto = match p.ip_protocol.as_str() {
        "-1" | "all" => return "all".to_owned(),
        "6" => "tcp",
        "17" => "udp",
        "1" => "icmp",
        other => other,
    };
    if proto == "icmp" || proto == "icmpv6" || proto == "58" {
        return proto.to_owned();
    }
    format!("{proto}/{}", ports_text(p))
}

/// `443`, `8080-8090`, `all`.
pub(crate) fn ports_text(p: &IpPermission) -> String {
    if matches!(p.ip_protocol.as_str(), "-1" | "all") {
        return "all".to_owned();
    }
    match (p.from_port, p.to_port) {
        (Some(-1), _) | (None, None) => "all".to_owned(),
        (Some(0), Some(65535)) => "all".to_owned(),
        (Some(f), Some(t)) if f == t => f.to_string(),
        (Some(f), Some(t)) => format!("{f}-{t}"),
        (Some(f), None) | (None, Some(f)) => f.to_string(),
    }
}

/// Rule text: `sg-0abc ingress tcp/443 from pl-3b927c52`.
pub(crate) fn rule_text(sg: &str, egress: bool, p: &IpPermission, peer: &str) -> String {
    if egress {
        format!("{sg} egress {} to {peer}", proto_ports(p))
    } else {
        format!("{sg} ingress {} from {peer}", proto_ports(p))
    }
}

/// One peer of a permission.
#[derive(Debug, Clone)]
pub(crate) enum Peer {
    Cidr(String, Option<Ipv4Net>),
    PrefixList(String),
    Group(String),
}

impl Peer {
    pub(crate) fn text(&self) -> &str {
        match self {
            Peer::Cidr(s, _) | Peer::PrefixList(s) | Peer::Group(s) => s,
        }
    }
}

/// Every IPv4 / prefix-list / SG peer of a permission.
pub(crate) fn peers(p: &IpPermission) -> Vec<Peer> {
    let mut out = Vec::new();
    for r in &p.ip_ranges {
        out.push(Peer::Cidr(r.cidr_ip.clone(), cidr::parse(&r.cidr_ip)));
    }
    for pl in &p.prefix_list_ids {
        out.push(Peer::PrefixList(pl.prefix_list_id.to_string()));
    }
    for g in &p.user_id_group_pairs {
        if let Some(id) = &g.group_id {
            out.push(Peer::Group(id.to_string()));
        }
    }
    out
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
    fn protocol_and_ports() {
        assert!(admits_tcp(&perm("-1", None, None), 8080));
        assert!(admits_tcp(&perm("tcp", Some(80), Some(90)), 85));
        assert!(!admits_tcp(&perm("tcp", Some(80), Some(90)), 91));
        assert!(!admits_tcp(&perm("udp", Some(80), Some(80)), 80));
        // ICMP: FromPort is the type, not a port.
        assert!(!admits_tcp(&perm("icmp", Some(-1), Some(-1)), 80));
        assert_eq!(proto_ports(&perm("tcp", Some(80), Some(80))), "tcp/80");
        assert_eq!(proto_ports(&perm("-1", None, None)), "all");
        assert_eq!(proto_ports(&perm("tcp", Some(1), Some(9))), "tcp/1-9");
    }
}
