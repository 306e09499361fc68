//! Security-group near misses and rule texts for one hop.
//!
//! Groups are stateful and allow-only: a flow passes when any rule of any attached group admits
//! it. When none does, the hop names the *near misses* (rules right on every attribute but one,
//! e.g. a ghost reference to a group the ALB no longer carries): what on-call can act on. The
//! rule nouns (protocol, ports, peer, the rule text) are `model::net`'s; which peer admits the
//! flow is decided by each hop (`cloudfront_hop`, `alb_target_hop`).

use crate::facts::NearMiss;
use crate::model::ec2::IpPermission;
use crate::model::{Direction, Peer, SgId, SgRuleRef};

/// Rule text: `sg-0abc ingress tcp/443 from pl-3b927c52`.
pub(crate) fn rule_text(sg: &SgId, direction: Direction, p: &IpPermission, peer: &Peer) -> String {
    SgRuleRef::new(sg, direction, p, peer).to_string()
}

/// A near miss of ingress rule `rule` (permission `p`, one `peer`) that differs in `differs`
/// (`port`, `protocol`, `source`). A group peer is assumed to exist and to be the ALB's; the
/// caller corrects both when it knows better.
pub(crate) fn near(
    sgid: &SgId,
    rule: &str,
    differs: &str,
    p: &IpPermission,
    peer: &Peer,
) -> NearMiss {
    let group = peer.sg();
    NearMiss {
        sg: sgid.to_string(),
        direction: Direction::Ingress.as_str().to_owned(),
        rule: rule.to_owned(),
        differs: differs.to_owned(),
        source_sg: group.map(ToString::to_string).unwrap_or_default(),
        source_sg_exists: group.is_some(),
        source_sg_attached_to_alb: group.is_some(),
        source_cidr: match peer {
            Peer::Sg { .. } => String::new(),
            other => other.to_string(),
        },
        ports: p.ports().to_string(),
        ..NearMiss::default()
    }
}
