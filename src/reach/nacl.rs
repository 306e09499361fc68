//! Network ACL evaluation: entries in rule-number order, first match wins, over sets of CIDRs.

use ipnet::Ipv4Net;

use super::Verdict;
use super::cidr;
use crate::model::ec2::{NetworkAcl, NetworkAclEntry};

/// The outcome of one NACL direction for a set of peers and a port range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NaclResult {
    /// `allowed`, `blocked` (every peer denied) or `partial` (some peers or ports denied).
    pub verdict: Verdict,
    /// The allowing entry, as text.
    pub allowed_by: Option<String>,
    /// The first denying entry, as text (`acl-0abc egress #90 deny`).
    pub denied_by: Option<String>,
}

fn entry_text(acl: &NetworkAcl, e: &NetworkAclEntry) -> String {
    let dir = if e.egress { "egress" } else { "ingress" };
    let num = if e.rule_number >= 32767 {
        "*".to_owned()
    } else {
        e.rule_number.to_string()
    };
    format!(
        "{} {dir} #{num} {} {}",
        acl.network_acl_id,
        e.rule_action,
        e.cidr_block.as_deref().unwrap_or("?")
    )
}

fn proto_tcp(e: &NetworkAclEntry) -> bool {
    matches!(e.protocol.as_str(), "-1" | "6" | "tcp" | "all")
}

/// (covers the whole range, overlaps it).
fn port_relation(e: &NetworkAclEntry, lo: i32, hi: i32) -> (bool, bool) {
    if e.protocol == "-1" || e.protocol == "all" {
        return (true, true);
    }
    match e.port_range {
        None => (true, true),
        Some(pr) => {
            let f = pr.from.unwrap_or(0);
            let t = pr.to.unwrap_or(65535);
            (f <= lo && hi <= t, f <= hi && lo <= t)
        }
    }
}

/// Evaluates the `egress` (or ingress) entries of `acl` for TCP traffic whose remote end is each
/// of `peers`, on ports `lo..=hi`.
pub(crate) fn evaluate(
    acl: &NetworkAcl,
    egress: bool,
    peers: &[Ipv4Net],
    lo: i32,
    hi: i32,
) -> NaclResult {
    let mut entries: Vec<&NetworkAclEntry> =
        acl.entries.iter().filter(|e| e.egress == egress).collect();
    entries.sort_by_key(|e| e.rule_number);
    let mut allowed = 0usize;
    let mut denied = 0usize;
    let mut partial = false;
    let mut allowed_by = None;
    let mut denied_by: Option<String> = None;
    for peer in peers {
        let mut decided = false;
        for e in &entries {
            if !proto_tcp(e) {
                continue;
            }
            let Some(net) = e.cidr_block.as_deref().and_then(cidr::parse) else {
                continue;
            };
            let (ports_full, ports_overlap) = port_relation(e, lo, hi);
            if !ports_overlap || !cidr::overlaps(&net, peer) {
                continue;
            }
            let deny = e.rule_action.eq_ignore_ascii_case("deny");
            if net.contains(peer) && ports_full {
                if deny {
                    denied += 1;
                    denied_by.get_or_insert_with(|| entry_text(acl, e));
                } else {
                    allowed += 1;
                    allowed_by.get_or_insert_with(|| entry_text(acl, e));
                }
                decided = true;
                break;
            }
            if deny {
                partial = true;
                denied_by.get_or_insert_with(|| entry_text(acl, e));
            }
        }
        if !decided {
            denied += 1;
            denied_by.get_or_insert_with(|| format!("{} (no matching entry)", acl.network_acl_id));
        }
    }
    let verdict = if denied == peers.len() && !peers.is_empty() {
        Verdict::Blocked
    } else if denied > 0 || partial {
        Verdict::Partial
    } else {
        let _ = allowed;
        Verdict::Allowed
    };
    NaclResult {
        verdict,
        allowed_by,
        denied_by,
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
            r.denied_by.as_deref(),
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
            r.denied_by.as_deref(),
            Some("acl-1 egress #90 deny 0.0.0.0/0")
        );
    }
}
