//! How each resource type of a plan maps to [`Change`]s, by the real ids the plan's `before`
//! holds (`before.id`, `before.arn`).
//!
//! What decides CloudFront → ALB → target reachability is modelled: a load balancer's groups,
//! a group's inline rules, standalone rules (`aws_security_group_rule`,
//! `aws_vpc_security_group_{ingress,egress}_rule`), NACL rules, a target group's ports, a
//! distribution's origin protocol; and where a request goes (`routing`: listener rules, a
//! listener's default action, a behavior's origin request policy, an origin's custom headers,
//! a custom origin request policy's headers). An in-place `update` of a rule is a revoke of the old rule
//! plus an authorize of the new one (AWS has no "modify" for a permission's port or protocol).
//! `aws_alb*` are the older names of the `aws_lb*` types and map to them.
//!
//! What cannot be evaluated is said, never dropped: a new or replaced resource has no id until
//! apply (`unresolved`), a value Terraform writes in `after_unknown` is not guessed
//! (`unresolved`), and a type or attribute outside the model is `not_modelled` with the reason.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Actions, PlanStatus};
use crate::model::{Direction, Protocol, SgId};
use crate::whatif::change::{Change, Peer, RuleEdit};

/// One resource change, mapped.
#[derive(Debug)]
pub(super) struct Mapped {
    pub(super) status: PlanStatus,
    pub(super) planned: Vec<Change>,
    pub(super) reason: Option<String>,
}

/// The changes of a modelled type; none means only attributes outside the model changed
/// (`map` says which).
pub(super) fn modelled(planned: Vec<Change>) -> Mapped {
    Mapped {
        status: PlanStatus::Modelled,
        planned,
        reason: None,
    }
}

pub(super) fn unresolved(reason: impl Into<String>) -> Mapped {
    Mapped {
        status: PlanStatus::Unresolved,
        planned: Vec::new(),
        reason: Some(reason.into()),
    }
}

pub(super) fn not_modelled(reason: impl Into<String>) -> Mapped {
    Mapped {
        status: PlanStatus::NotModelled,
        planned: Vec::new(),
        reason: Some(reason.into()),
    }
}

/// The `aws_lb*` type an `aws_alb*` type is an alias of.
fn canonical(kind: &str) -> &str {
    match kind {
        "aws_alb" => "aws_lb",
        "aws_alb_target_group" => "aws_lb_target_group",
        "aws_alb_listener" => "aws_lb_listener",
        "aws_alb_listener_rule" => "aws_lb_listener_rule",
        "aws_alb_target_group_attachment" => "aws_lb_target_group_attachment",
        other => other,
    }
}

/// Whether Terraform knows `key` of the after-state only after apply (`after_unknown` holds
/// `true` at or below it).
pub(super) fn unknown_after(rc: &Value, key: &str) -> bool {
    fn any_true(v: &Value) -> bool {
        match v {
            Value::Bool(b) => *b,
            Value::Array(a) => a.iter().any(any_true),
            Value::Object(o) => o.values().any(any_true),
            _ => false,
        }
    }
    any_true(&rc["change"]["after_unknown"][key])
}

/// Maps one resource change whose actions create, update or delete.
pub(super) fn map(kind: &str, actions: Actions, rc: &Value) -> Mapped {
    let mapped = map_type(kind, actions, rc);
    if mapped.status == PlanStatus::Modelled && mapped.planned.is_empty() {
        return not_modelled(format!(
            "changes only attributes edgepath does not model ({})",
            changed_attributes(rc)
        ));
    }
    mapped
}

/// The top-level attributes whose value differs between `before` and `after`, or that are
/// known only after apply: `tags, description`.
fn changed_attributes(rc: &Value) -> String {
    let (before, after) = (&rc["change"]["before"], &rc["change"]["after"]);
    let mut keys: BTreeSet<&str> = BTreeSet::new();
    for side in [before, after, &rc["change"]["after_unknown"]] {
        for k in side.as_object().into_iter().flat_map(|o| o.keys()) {
            if before[k] != after[k] || unknown_after(rc, k) {
                keys.insert(k);
            }
        }
    }
    if keys.is_empty() {
        return "none that differ".into();
    }
    keys.into_iter().collect::<Vec<_>>().join(", ")
}

fn map_type(kind: &str, actions: Actions, rc: &Value) -> Mapped {
    let before = &rc["change"]["before"];
    let after = &rc["change"]["after"];
    match canonical(kind) {
        "aws_lb" => load_balancer(actions, rc, before, after),
        "aws_security_group" => security_group(actions, rc, before, after),
        k @ ("aws_security_group_rule"
        | "aws_vpc_security_group_ingress_rule"
        | "aws_vpc_security_group_egress_rule") => rule(k, actions, before, after),
        "aws_lb_target_group" => target_group(actions, before, after),
        "aws_cloudfront_distribution" => distribution(actions, rc, before, after),
        "aws_network_acl_rule" => nacl_rule(actions, before, after),
        "aws_lb_listener" => super::routing::listener(actions, rc, before, after),
        "aws_lb_listener_rule" => super::routing::listener_rule(actions, rc, before, after),
        "aws_cloudfront_origin_request_policy" => {
            super::routing::origin_request_policy(actions, rc, before, after)
        }
        _ => not_modelled(format!("edgepath does not model {kind}")),
    }
}

fn load_balancer(actions: Actions, rc: &Value, before: &Value, after: &Value) -> Mapped {
    if actions.create_only() {
        return unresolved("new load balancer: its ARN is known only after apply");
    }
    if actions.replace() {
        return unresolved(
            "replaced: the new load balancer's ARN is known only after apply, and paths through the old one end",
        );
    }
    let Some(lb) = before["arn"].as_str().or(before["name"].as_str()) else {
        return unresolved("the load balancer's ARN and name are not in the plan");
    };
    let old = string_set(&before["security_groups"]);
    let new = if actions.delete_only() {
        BTreeSet::new()
    } else {
        if unknown_after(rc, "security_groups") {
            return unresolved("security_groups known only after apply");
        }
        string_set(&after["security_groups"])
    };
    let mut out = Vec::new();
    for sg in old.difference(&new) {
        out.push(Change::DetachSg {
            sg: sg.clone(),
            from: lb.to_owned(),
        });
    }
    for sg in new.difference(&old) {
        out.push(Change::AttachSg {
            sg: sg.clone(),
            to: lb.to_owned(),
        });
    }
    modelled(out)
}

fn security_group(actions: Actions, rc: &Value, before: &Value, after: &Value) -> Mapped {
    if actions.create_only() {
        return unresolved("new security group: its id is known only after apply");
    }
    if actions.replace() {
        return unresolved("replaced: the new group's id is known only after apply");
    }
    let Some(id) = before["id"].as_str() else {
        return unresolved("the group's id is not in the plan");
    };
    if actions.delete_only() {
        return modelled(vec![Change::DeleteSg { sg: id.to_owned() }]);
    }
    let mut out = Vec::new();
    for (field, direction) in [
        ("ingress", Direction::Ingress),
        ("egress", Direction::Egress),
    ] {
        if unknown_after(rc, field) {
            return unresolved(format!("{field} rules known only after apply"));
        }
        let old = inline_rules(id, &before[field], direction);
        let new = inline_rules(id, &after[field], direction);
        for c in old.iter().filter(|c| !new.contains(c)) {
            out.push(set_authorize(c.clone(), false));
        }
        for c in new.iter().filter(|c| !old.contains(c)) {
            out.push(set_authorize(c.clone(), true));
        }
    }
    modelled(out)
}

fn rule(kind: &str, actions: Actions, before: &Value, after: &Value) -> Mapped {
    let mut out = Vec::new();
    let old = if actions.delete || actions.update {
        match standalone_rule(kind, before, false) {
            Ok(r) => r,
            Err(why) => return unresolved(format!("the rule before: {why}")),
        }
    } else {
        Vec::new()
    };
    let new = if actions.create || actions.update {
        match standalone_rule(kind, after, true) {
            Ok(r) => r,
            Err(why) => return unresolved(why),
        }
    } else {
        Vec::new()
    };
    // An update that keeps the rule (a description changed) is no change to the path.
    let kept = |c: &Change, other: &[Change]| {
        other
            .iter()
            .any(|o| set_authorize(o.clone(), true) == set_authorize(c.clone(), true))
    };
    out.extend(old.iter().filter(|c| !kept(c, &new)).cloned());
    out.extend(new.iter().filter(|c| !kept(c, &old)).cloned());
    modelled(out)
}

fn target_group(actions: Actions, before: &Value, after: &Value) -> Mapped {
    if actions.create_only() {
        return unresolved("new target group: its ARN is known only after apply");
    }
    if actions.replace() {
        return unresolved("replaced: the new target group's ARN is known only after apply");
    }
    if actions.delete_only() {
        return not_modelled("deleting a target group is not modelled");
    }
    let Some(tg) = before["arn"].as_str() else {
        return unresolved("the target group's ARN is not in the plan");
    };
    let mut out = Vec::new();
    if before["port"] != after["port"]
        && let Some(p) = port(&after["port"])
    {
        out.push(Change::TgPort {
            tg: tg.to_owned(),
            port: p,
        });
    }
    let hp = |v: &Value| v["health_check"][0]["port"].as_str().map(str::to_owned);
    if hp(before) != hp(after)
        && let Some(p) = hp(after).and_then(|p| p.parse().ok())
    {
        out.push(Change::TgHealthPort {
            tg: tg.to_owned(),
            port: p,
        });
    }
    modelled(out)
}

fn distribution(actions: Actions, rc: &Value, before: &Value, after: &Value) -> Mapped {
    if actions.create_only() {
        return not_modelled(
            "new distribution: edgepath evaluates the distributions the snapshot holds",
        );
    }
    if actions.delete {
        return not_modelled("deleting or replacing a distribution is not modelled");
    }
    let Some(dist) = before["id"].as_str() else {
        return unresolved("the distribution's id is not in the plan");
    };
    let mut out = Vec::new();
    for o in after["origin"].as_array().into_iter().flatten() {
        let id = o["origin_id"].as_str().unwrap_or("");
        let new = &o["custom_origin_config"][0];
        let old = before["origin"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|b| b["origin_id"] == o["origin_id"])
            .map(|b| &b["custom_origin_config"][0]);
        if new.is_null() || old.is_some_and(|old| old == new) {
            continue;
        }
        out.push(Change::OriginProtocol {
            distribution: dist.to_owned(),
            origin: id.to_owned(),
            policy: new["origin_protocol_policy"]
                .as_str()
                .unwrap_or("https-only")
                .to_owned(),
            http_port: port(&new["http_port"]),
            https_port: port(&new["https_port"]),
        });
    }
    match super::routing::distribution_changes(dist, rc, before, after) {
        Ok(routing) => out.extend(routing),
        Err(why) => return unresolved(why),
    }
    modelled(out)
}

fn nacl_rule(actions: Actions, before: &Value, after: &Value) -> Mapped {
    let v = if actions.delete_only() { before } else { after };
    let (Some(acl), Some(number)) = (v["network_acl_id"].as_str(), v["rule_number"].as_i64())
    else {
        return unresolved("network ACL id known only after apply");
    };
    // A deleted entry lets the next-numbered entry decide; modelled as a deny at its number,
    // the conservative reading when the next entry is not known.
    let action = if actions.delete_only() {
        "deny".to_owned()
    } else {
        v["rule_action"].as_str().unwrap_or("deny").to_owned()
    };
    modelled(vec![Change::NaclEntry {
        acl: acl.to_owned(),
        egress: v["egress"].as_bool().unwrap_or(false),
        number: i32::try_from(number).unwrap_or(0),
        action,
        protocol: proto(&v["protocol"]),
        from_port: port(&v["from_port"]),
        to_port: port(&v["to_port"]),
        cidr: v["cidr_block"].as_str().unwrap_or("0.0.0.0/0").to_owned(),
    }])
}

fn string_set(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

fn set_authorize(c: Change, authorize: bool) -> Change {
    match c {
        Change::Rule(rule) => Change::Rule(RuleEdit { authorize, ..rule }),
        other => other,
    }
}

fn port(v: &Value) -> Option<i32> {
    v.as_i64().and_then(|p| i32::try_from(p).ok())
}

/// A rule's protocol in any spelling Terraform keeps (`tcp`, `6`, `-1`, `all`); absent is all.
fn proto(v: &Value) -> Protocol {
    Protocol::parse(v.as_str().unwrap_or("-1"))
}

/// A group peer (Terraform names groups by id).
fn sg_peer(id: &str) -> Peer {
    Peer::Sg {
        id: SgId::from(id),
        account: None,
    }
}

/// Inline `ingress`/`egress` blocks of an `aws_security_group`, one change per peer.
fn inline_rules(sg: &str, blocks: &Value, direction: Direction) -> Vec<Change> {
    let mut out = Vec::new();
    for b in blocks.as_array().into_iter().flatten() {
        let (protocol, from_port, to_port) = (
            proto(&b["protocol"]),
            port(&b["from_port"]),
            port(&b["to_port"]),
        );
        let mut peers: Vec<Peer> = Vec::new();
        peers.extend(string_set(&b["cidr_blocks"]).into_iter().map(Peer::Cidr));
        peers.extend(
            string_set(&b["prefix_list_ids"])
                .into_iter()
                .map(|pl| Peer::PrefixList(pl.into())),
        );
        peers.extend(
            string_set(&b["security_groups"])
                .into_iter()
                .map(|g| sg_peer(&g)),
        );
        if b["self"].as_bool() == Some(true) {
            peers.push(sg_peer(sg));
        }
        for peer in peers {
            out.push(Change::Rule(RuleEdit {
                authorize: true,
                direction,
                sg: sg.to_owned(),
                protocol: protocol.clone(),
                from_port,
                to_port,
                peer,
            }));
        }
    }
    out
}

/// A standalone rule's permissions, one change per peer; `Err` says which value is missing
/// (known only after apply, or a peer edgepath cannot name, such as an IPv6 range).
fn standalone_rule(kind: &str, v: &Value, authorize: bool) -> Result<Vec<Change>, String> {
    let Some(sg) = v["security_group_id"].as_str() else {
        return Err("the rule's security_group_id is known only after apply".into());
    };
    let direction = match kind {
        "aws_vpc_security_group_egress_rule" => Direction::Egress,
        "aws_vpc_security_group_ingress_rule" => Direction::Ingress,
        _ if v["type"] == "egress" => Direction::Egress,
        _ => Direction::Ingress,
    };
    let protocol = proto(if v["ip_protocol"].is_null() {
        &v["protocol"]
    } else {
        &v["ip_protocol"]
    });
    let (from_port, to_port) = (port(&v["from_port"]), port(&v["to_port"]));
    let mut peers: Vec<Peer> = Vec::new();
    for key in ["source_security_group_id", "referenced_security_group_id"] {
        if let Some(s) = v[key].as_str() {
            peers.push(sg_peer(s));
        }
    }
    if let Some(c) = v["cidr_ipv4"].as_str() {
        peers.push(Peer::Cidr(c.to_owned()));
    }
    peers.extend(string_set(&v["cidr_blocks"]).into_iter().map(Peer::Cidr));
    if let Some(p) = v["prefix_list_id"].as_str() {
        peers.push(Peer::PrefixList(p.into()));
    }
    peers.extend(
        string_set(&v["prefix_list_ids"])
            .into_iter()
            .map(|pl| Peer::PrefixList(pl.into())),
    );
    if v["self"].as_bool() == Some(true) {
        peers.push(sg_peer(sg));
    }
    if peers.is_empty() {
        return Err(
            "the rule's peer is known only after apply (or is an IPv6 range, which edgepath does not model)"
                .into(),
        );
    }
    Ok(peers
        .into_iter()
        .map(|peer| {
            Change::Rule(RuleEdit {
                authorize,
                direction,
                sg: sg.to_owned(),
                protocol: protocol.clone(),
                from_port,
                to_port,
                peer,
            })
        })
        .collect())
}
