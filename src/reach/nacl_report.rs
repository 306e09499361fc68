//! A hop's network ACL checks, reported: which subnets deny the flow or its return traffic,
//! and with which entries.
//!
//! NACLs are stateless, so a hop crosses them twice: toward the destination port and back on
//! the ephemeral range 1024-65535 (the widest range AWS clients use). `nacl` evaluates one ACL
//! direction; this module runs the checks of a hop's subnets and turns the answers into
//! `nacl-denied-inbound` / `nacl-denied-return` with the denying entry as evidence.

use super::evidence::{HopAcc, MissingData};
use super::nacl::AclNet;
use super::{Verdict, nacl};
use crate::model::ids::SubnetId;
use crate::model::{Inventory, Kind};

/// NACL inbound on `port` from `peers` (named `peer_name` in evidence) and outbound 1024-65535
/// back, for every subnet.
///
/// `peers_known` is `Err(missing)` when `peers` stand in for sources the data does not name
/// (0.0.0.0/0 for the CloudFront ranges when their prefix list is not loaded): then only an
/// `allowed` answer is trusted, and anything else is `unknown` naming what is missing.
pub(crate) fn subnet_nacls<N: AclNet>(
    inv: &Inventory,
    subnets: &[SubnetId],
    (peers, peer_name): (&[N], &str),
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
                "network ACLs of {} do not admit every address on tcp/{port} (and 1024-65535 back); whether they admit {peer_name}'s needs its ranges",
                undecided.join(", ")
            ));
            acc.missing_what(what, cli);
            return;
        }
    }
    report_nacls(&per_subnet, peer_name, acc);
}

/// The NACL answers of one subnet (or subnet pair) of a hop.
pub(crate) struct NaclRow {
    pub(crate) subnet: String,
    /// Toward the destination port.
    pub(crate) inbound: nacl::NaclResult,
    /// The destination port(s), as text.
    pub(crate) inbound_ports: String,
    /// Return traffic on 1024-65535.
    pub(crate) ret: nacl::NaclResult,
}

impl NaclRow {
    /// The inbound (toward the destination port) or the return answer.
    fn side(&self, inbound: bool) -> &nacl::NaclResult {
        if inbound { &self.inbound } else { &self.ret }
    }
}

/// Both NACL checks a flow crosses in one direction (the source subnet's egress, then the
/// destination subnet's ingress) as one answer.
pub(crate) fn nacl_both(first: nacl::NaclResult, second: nacl::NaclResult) -> nacl::NaclResult {
    let verdict = Verdict::combine([first.verdict, second.verdict]);
    let mut out = nacl::NaclResult {
        verdict,
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

/// Reports the rows of a hop: every subnet denying the flow toward `peer`, or its return.
pub(crate) fn report_nacls(rows: &[NaclRow], peer: &str, acc: &mut HopAcc) {
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
                acc.denied_by(d, r.side(inbound).free_rule_before_deny);
            }
            if r.side(inbound).verdict == Verdict::Partial {
                for a in &r.side(inbound).allowing {
                    acc.checked(format!("partly allowed by {a} in {}", r.subnet));
                }
            }
        }
    }
}
