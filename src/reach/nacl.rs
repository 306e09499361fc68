//! Network ACL evaluation: entries in rule-number order, first match wins per address and port,
//! over sets of CIDRs and port ranges (an allow of part of the range, then a deny, is `partial`).
//!
//! An entry is IPv4 (`CidrBlock`) or IPv6 (`Ipv6CidrBlock`); a flow of one family is decided only
//! by the entries of its family ([`AclNet`]), so `::/0` entries never admit IPv4 and back.

use ipnet::{Ipv4Net, Ipv6Net};

use super::Verdict;
use super::cidr;
use crate::model::ec2::{NetworkAcl, NetworkAclEntry};
use crate::model::{NaclId, PortRange, Protocol};

/// The outcome of one NACL direction for a set of peers and a port range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NaclResult {
    /// `allowed`, `blocked` (every peer denied on every port) or `partial` (some peers, some
    /// addresses of a peer, or some ports denied).
    pub verdict: Verdict,
    /// The first denying entry (`acl-0abc egress #90 deny 0.0.0.0/0`).
    pub denied_by: Option<NaclDeny>,
    /// Every allowing entry that decided part of the flow, with its ports
    /// (`acl-0abc egress #100 allow 0.0.0.0/0 tcp/32768-65535`), in rule order; empty when the
    /// verdict is `allowed` (the texts are only reported beside a denial).
    pub allowing: Vec<String>,
    /// Every denying entry that decided part of the flow, with its ports, in rule order.
    pub denying: Vec<String>,
    /// The highest rule number below the first denying entry that no entry of this direction
    /// uses: where a fix can add an allow that is evaluated first. `None` when nothing denies or
    /// every lower number is taken.
    pub free_rule_before_deny: Option<i32>,
}

/// A denying NACL entry: its ACL (what a fix names) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NaclDeny {
    /// The network ACL.
    pub acl: NaclId,
    /// The entry as text (`acl-0abc egress #90 deny 0.0.0.0/0`, or `acl-0abc (no matching
    /// entry)` for the implicit deny).
    pub rule: String,
}

/// A network of one address family, as NACL entries of that family name it.
pub(crate) trait AclNet: Sized {
    /// The entry's CIDR of this family (`None` for an entry of the other family).
    fn of_entry(e: &NetworkAclEntry) -> Option<Self>;
    /// Whether the two networks share an address.
    fn overlaps(&self, other: &Self) -> bool;
    /// Whether `other` lies inside `self`.
    fn covers(&self, other: &Self) -> bool;
}

impl AclNet for Ipv4Net {
    fn of_entry(e: &NetworkAclEntry) -> Option<Self> {
        e.cidr_block.as_deref().and_then(cidr::parse)
    }
    fn overlaps(&self, other: &Self) -> bool {
        cidr::overlaps(self, other)
    }
    fn covers(&self, other: &Self) -> bool {
        self.contains(other)
    }
}

impl AclNet for Ipv6Net {
    fn of_entry(e: &NetworkAclEntry) -> Option<Self> {
        e.ipv6_cidr_block
            .as_deref()
            .and_then(crate::model::parse_ipv6_net)
    }
    fn overlaps(&self, other: &Self) -> bool {
        self.contains(other) || other.contains(self)
    }
    fn covers(&self, other: &Self) -> bool {
        self.contains(other)
    }
}

fn rule_number_text(e: &NetworkAclEntry) -> String {
    if e.rule_number >= 32767 {
        "*".to_owned()
    } else {
        e.rule_number.to_string()
    }
}

fn entry_text(acl: &NetworkAcl, e: &NetworkAclEntry) -> String {
    let dir = if e.egress { "egress" } else { "ingress" };
    format!(
        "{} {dir} #{} {} {}",
        acl.network_acl_id,
        rule_number_text(e),
        e.rule_action,
        e.cidr_block
            .as_deref()
            .or(e.ipv6_cidr_block.as_deref())
            .unwrap_or("?")
    )
}

/// [`entry_text`] with the entry's protocol and ports (`… tcp/32768-65535`, `… all`).
fn entry_text_with_ports(acl: &NetworkAcl, e: &NetworkAclEntry) -> String {
    // Only TCP entries are evaluated, so an entry's ports are TCP ports.
    if e.protocol() == Protocol::All {
        format!("{} all", entry_text(acl, e))
    } else {
        format!("{} tcp/{}", entry_text(acl, e), e.ports())
    }
}

/// Whether `ranges` and `r` share a port.
fn overlaps_any(ranges: &[PortRange], r: PortRange) -> bool {
    ranges.iter().any(|x| x.overlaps(r))
}

/// `ranges` without the ports of `r`.
fn subtract(ranges: &[PortRange], r: PortRange) -> Vec<PortRange> {
    let mut out = Vec::with_capacity(ranges.len() + 1);
    for &x in ranges {
        if !x.overlaps(r) {
            out.push(x);
            continue;
        }
        if x.from < r.from {
            out.push(PortRange {
                from: x.from,
                to: r.from - 1,
            });
        }
        if r.to < x.to {
            out.push(PortRange {
                from: r.to + 1,
                to: x.to,
            });
        }
    }
    out
}

/// Evaluates the `egress` (or ingress) entries of `acl` for TCP traffic whose remote end is each
/// of `peers`, on ports `lo..=hi`.
///
/// Entries are taken in rule-number order, first match wins, per port: an entry whose CIDR
/// contains the peer decides the ports of the range it covers that no earlier entry decided, and
/// later entries see only the rest. An entry covering only some of the peer's addresses decides
/// nothing for the peer as a whole but shows that part of it is allowed (or denied). Ports no
/// entry decides are denied (the implicit deny).
pub(crate) fn evaluate<N: AclNet>(
    acl: &NetworkAcl,
    egress: bool,
    peers: &[N],
    lo: i32,
    hi: i32,
) -> NaclResult {
    let mut entries: Vec<&NetworkAclEntry> =
        acl.entries.iter().filter(|e| e.egress == egress).collect();
    entries.sort_by_key(|e| e.rule_number);
    let mut peers_blocked = 0usize;
    let mut peers_partial = 0usize;
    // What decided part of the flow, as indices into `entries` (`None`: the implicit deny), in
    // first-decided order; the texts are formatted once at the end, not per peer and path.
    let mut allowing: Vec<usize> = Vec::new();
    let mut denying: Vec<Option<usize>> = Vec::new();
    // Each TCP-carrying entry of the flow's family, parsed once (not per peer): its index in
    // `entries`, network, ports and whether it denies.
    let decisive: Vec<(usize, N, PortRange, bool)> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.protocol().carries_tcp())
        .filter_map(|(i, e)| {
            let net = N::of_entry(e)?;
            Some((
                i,
                net,
                e.ports(),
                e.rule_action.eq_ignore_ascii_case("deny"),
            ))
        })
        .collect();
    for peer in peers {
        let mut undecided: Vec<PortRange> = vec![PortRange { from: lo, to: hi }];
        let mut some_allowed = false;
        let mut some_denied = false;
        for &(i, ref net, ports, denies) in &decisive {
            if !net.overlaps(peer) || !overlaps_any(&undecided, ports) {
                continue;
            }
            if denies {
                some_denied = true;
                if !denying.contains(&Some(i)) {
                    denying.push(Some(i));
                }
            } else {
                some_allowed = true;
                if !allowing.contains(&i) {
                    allowing.push(i);
                }
            }
            if net.covers(peer) {
                undecided = subtract(&undecided, ports);
                if undecided.is_empty() {
                    break;
                }
            }
        }
        if !undecided.is_empty() {
            some_denied = true;
            if !denying.contains(&None) {
                denying.push(None);
            }
        }
        match (some_allowed, some_denied) {
            (_, false) => {}
            (false, true) => peers_blocked += 1,
            (true, true) => peers_partial += 1,
        }
    }
    let verdict = if !peers.is_empty() && peers_blocked == peers.len() {
        Verdict::Blocked
    } else if peers_blocked > 0 || peers_partial > 0 {
        Verdict::Partial
    } else {
        Verdict::Allowed
    };
    if verdict == Verdict::Allowed {
        // Nothing denies: no entry text is reported, so none is formatted (this runs per
        // target and port on every path).
        return NaclResult {
            verdict,
            denied_by: None,
            allowing: Vec::new(),
            denying: Vec::new(),
            free_rule_before_deny: None,
        };
    }
    let implicit = || format!("{} (no matching entry)", acl.network_acl_id);
    let free_rule_before_deny = denying.first().and_then(|d| {
        // The implicit deny (no entry matched) comes after every numbered entry.
        let below = d.map_or(32767, |i| entries[i].rule_number);
        (1..below)
            .rev()
            .find(|n| !entries.iter().any(|e| e.rule_number == *n))
    });
    NaclResult {
        verdict,
        denied_by: denying.first().map(|d| NaclDeny {
            acl: acl.network_acl_id.clone(),
            rule: d.map_or_else(implicit, |i| entry_text(acl, entries[i])),
        }),
        allowing: allowing
            .iter()
            .map(|&i| entry_text_with_ports(acl, entries[i]))
            .collect(),
        denying: denying
            .iter()
            .map(|d| d.map_or_else(implicit, |i| entry_text_with_ports(acl, entries[i])))
            .collect(),
        free_rule_before_deny,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acl(entries: serde_json::Value) -> NetworkAcl {
        serde_json::from_value(serde_json::json!({
            "NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": false,
            "Associations": [], "Entries": entries
        }))
        .expect("acl")
    }

    fn any() -> Vec<Ipv4Net> {
        vec![cidr::parse("0.0.0.0/0").expect("cidr")]
    }

    #[test]
    fn first_match_wins_and_final_deny() {
        let a = acl(serde_json::json!([
            {"RuleNumber": 100, "Protocol": "6", "RuleAction": "allow", "Egress": false,
             "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 443, "To": 443}},
            {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": false,
             "CidrBlock": "0.0.0.0/0"}
        ]));
        assert_eq!(
            evaluate(&a, false, &any(), 443, 443).verdict,
            Verdict::Allowed
        );
        let r = evaluate(&a, false, &any(), 80, 80);
        assert_eq!(r.verdict, Verdict::Blocked);
        assert_eq!(
            r.denied_by.as_ref().map(|d| d.rule.as_str()),
            Some("acl-1 ingress #* deny 0.0.0.0/0")
        );
        // No egress entries at all: implicit deny.
        assert_eq!(
            evaluate(&a, true, &any(), 1024, 65535).verdict,
            Verdict::Blocked
        );
    }

    #[test]
    fn partial_deny_before_allow() {
        let a = acl(serde_json::json!([
            {"RuleNumber": 50, "Protocol": "-1", "RuleAction": "deny", "Egress": false,
             "CidrBlock": "13.32.0.0/15"},
            {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": false,
             "CidrBlock": "0.0.0.0/0"}
        ]));
        let r = evaluate(&a, false, &any(), 443, 443);
        assert_eq!(r.verdict, Verdict::Partial);
        // A peer fully inside the denied range is blocked.
        let inside = vec![cidr::parse("13.32.1.0/24").expect("cidr")];
        assert_eq!(
            evaluate(&a, false, &inside, 443, 443).verdict,
            Verdict::Blocked
        );
    }

    #[test]
    fn return_range_partially_denied() {
        let a = acl(serde_json::json!([
            {"RuleNumber": 90, "Protocol": "6", "RuleAction": "deny", "Egress": true,
             "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 1024, "To": 2048}},
            {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": true,
             "CidrBlock": "0.0.0.0/0"}
        ]));
        let r = evaluate(&a, true, &any(), 1024, 65535);
        assert_eq!(r.verdict, Verdict::Partial);
        assert_eq!(
            r.denied_by.as_ref().map(|d| d.rule.as_str()),
            Some("acl-1 egress #90 deny 0.0.0.0/0")
        );
        assert_eq!(r.free_rule_before_deny, Some(89));
    }

    #[test]
    fn the_free_rule_number_skips_numbers_in_use() {
        let a = acl(serde_json::json!([
            {"RuleNumber": 88, "Protocol": "17", "RuleAction": "allow", "Egress": true,
             "CidrBlock": "0.0.0.0/0"},
            {"RuleNumber": 89, "Protocol": "17", "RuleAction": "allow", "Egress": true,
             "CidrBlock": "0.0.0.0/0"},
            {"RuleNumber": 90, "Protocol": "-1", "RuleAction": "deny", "Egress": true,
             "CidrBlock": "0.0.0.0/0"},
            {"RuleNumber": 87, "Protocol": "6", "RuleAction": "allow", "Egress": false,
             "CidrBlock": "0.0.0.0/0"}
        ]));
        let r = evaluate(&a, true, &any(), 1024, 65535);
        assert_eq!(r.verdict, Verdict::Blocked);
        // 88 and 89 are taken in this direction; 87 only on ingress, so it is free here.
        assert_eq!(r.free_rule_before_deny, Some(87));
        assert_eq!(
            evaluate(&a, false, &any(), 80, 80).free_rule_before_deny,
            None
        );
    }

    #[test]
    fn allow_covering_part_of_the_ports_is_partial() {
        let a = acl(serde_json::json!([
            {"RuleNumber": 100, "Protocol": "6", "RuleAction": "allow", "Egress": true,
             "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 32768, "To": 65535}},
            {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": true,
             "CidrBlock": "0.0.0.0/0"}
        ]));
        let r = evaluate(&a, true, &any(), 1024, 65535);
        assert_eq!(r.verdict, Verdict::Partial);
        assert_eq!(
            r.allowing,
            vec!["acl-1 egress #100 allow 0.0.0.0/0 tcp/32768-65535"]
        );
        assert_eq!(r.denying, vec!["acl-1 egress #* deny 0.0.0.0/0 all"]);
        assert_eq!(
            r.denied_by.as_ref().map(|d| d.rule.as_str()),
            Some("acl-1 egress #* deny 0.0.0.0/0")
        );
        assert_eq!(r.free_rule_before_deny, Some(32766));
        // Wholly inside the allowed ports: allowed; wholly outside: blocked.
        assert_eq!(
            evaluate(&a, true, &any(), 40000, 50000).verdict,
            Verdict::Allowed
        );
        assert_eq!(
            evaluate(&a, true, &any(), 1024, 2048).verdict,
            Verdict::Blocked
        );
    }

    #[test]
    fn allows_that_together_cover_the_ports_are_allowed() {
        let a = acl(serde_json::json!([
            {"RuleNumber": 100, "Protocol": "6", "RuleAction": "allow", "Egress": true,
             "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 32768, "To": 65535}},
            {"RuleNumber": 110, "Protocol": "6", "RuleAction": "allow", "Egress": true,
             "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 1024, "To": 32767}},
            {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": true,
             "CidrBlock": "0.0.0.0/0"}
        ]));
        let r = evaluate(&a, true, &any(), 1024, 65535);
        assert_eq!(r.verdict, Verdict::Allowed);
        assert!(r.denying.is_empty());
        // A deny of a middle slice first: the allows only get the rest, so partial.
        let b = acl(serde_json::json!([
            {"RuleNumber": 90, "Protocol": "6", "RuleAction": "deny", "Egress": true,
             "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 5000, "To": 5001}},
            {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": true,
             "CidrBlock": "0.0.0.0/0"}
        ]));
        let r = evaluate(&b, true, &any(), 1024, 65535);
        assert_eq!(r.verdict, Verdict::Partial);
        assert_eq!(
            r.denying,
            vec!["acl-1 egress #90 deny 0.0.0.0/0 tcp/5000-5001"]
        );
        assert_eq!(
            subtract(
                &[PortRange {
                    from: 1024,
                    to: 65535
                }],
                PortRange {
                    from: 5000,
                    to: 5001
                }
            ),
            vec![
                PortRange {
                    from: 1024,
                    to: 4999
                },
                PortRange {
                    from: 5002,
                    to: 65535
                }
            ]
        );
    }
}
