//! Carrying out one [`Change`] on a (copied) Inventory, the way AWS would.
//!
//! Groups sit on an ALB *and* on its ENIs (reach reads the ENIs), so attaching or detaching
//! edits both; an instance's groups are its ENIs' groups. Deleting a group takes it off
//! everything first: what AWS would refuse is `blockers`' answer, reported beside the diff.
//! Revoking a rule that does not exist is an error (AWS's `InvalidPermission.NotFound`), so a
//! typo never passes as "nothing breaks".

use super::change::{Change, ChangeError, Peer, RuleEdit};
use super::resolve::{resolve_lb, resolve_sg, resolve_tg};
use super::routing_apply;
use crate::model::ec2::{
    IpPermission, IpRange, NetworkAclEntry, PortRange, PrefixListRef, UserIdGroupPair,
};
use crate::model::{Direction, Inventory, Protocol, SgId};

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
        known: Vec::new(),
    })
}

/// A new permission holding just the rule's peer.
fn permission(rule: &RuleEdit) -> IpPermission {
    let all = rule.protocol == Protocol::All;
    let mut p = IpPermission {
        ip_protocol: rule.protocol.as_aws().to_owned(),
        from_port: if all { None } else { rule.from_port },
        to_port: if all { None } else { rule.to_port },
        ip_ranges: vec![],
        ipv6_ranges: vec![],
        prefix_list_ids: vec![],
        user_id_group_pairs: vec![],
    };
    match &rule.peer {
        Peer::Sg { id, account } => p.user_id_group_pairs.push(UserIdGroupPair {
            group_id: Some(id.clone()),
            group_name: None,
            user_id: account.clone(),
            vpc_id: None,
            vpc_peering_connection_id: None,
            peering_status: None,
            description: None,
        }),
        Peer::PrefixList(pl) => p.prefix_list_ids.push(PrefixListRef {
            prefix_list_id: pl.clone(),
            description: None,
        }),
        Peer::Cidr(c) => p.ip_ranges.push(IpRange {
            cidr_ip: c.clone(),
            description: None,
        }),
    }
    p
}

/// Removes the rule's peer from the permissions with its protocol and ports; returns whether
/// anything was removed.
fn revoke(perms: &mut Vec<IpPermission>, rule: &RuleEdit) -> bool {
    let (protocol, ports) = (&rule.protocol, rule.ports());
    let mut removed = false;
    for p in perms.iter_mut() {
        if p.protocol() != *protocol || p.ports() != ports {
            continue;
        }
        let before = p.ip_ranges.len() + p.prefix_list_ids.len() + p.user_id_group_pairs.len();
        match &rule.peer {
            Peer::Sg { id, .. } => p
                .user_id_group_pairs
                .retain(|u| u.group_id.as_ref() != Some(id)),
            Peer::PrefixList(pl) => p.prefix_list_ids.retain(|x| x.prefix_list_id != *pl),
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

/// Adds or removes the rule's peer in its group.
fn apply_rule(inv: &mut Inventory, change: &Change, rule: &RuleEdit) -> Result<(), ChangeError> {
    let id = resolve_sg(inv, &rule.sg)?;
    if let Some(peer) = rule.peer.sg()
        && !inv.security_groups.contains_key(peer)
        && rule.authorize
    {
        return Err(ChangeError::UnknownId {
            id: peer.to_string(),
            what: "security group",
            known: Vec::new(),
        });
    }
    let group = inv.security_groups.get_mut(&id).expect("resolved above");
    let perms = if rule.direction == Direction::Ingress {
        &mut group.ip_permissions
    } else {
        &mut group.ip_permissions_egress
    };
    if rule.authorize {
        perms.push(permission(rule));
    } else if !revoke(perms, rule) {
        return Err(ChangeError::Syntax {
            text: change.describe(),
            why: format!("{id} has no such {} rule", rule.direction.as_str()),
        });
    }
    Ok(())
}

/// The protocol as NACL entries carry it in `describe-network-acls`: a number (`-1` for all).
fn nacl_protocol(protocol: &Protocol) -> &str {
    match protocol {
        Protocol::All => "-1",
        Protocol::Tcp => "6",
        Protocol::Udp => "17",
        Protocol::Icmp => "1",
        Protocol::Icmpv6 => "58",
        Protocol::Other(p) => p,
    }
}

/// Whether `change` can be applied to `inv`, without applying it: the same look-ups and the
/// same errors as [`apply`]. A plan's resource change is applied whole or not at all, so its
/// changes are checked first.
///
/// # Errors
/// What [`apply`] would return.
pub(crate) fn check(inv: &Inventory, change: &Change) -> Result<(), ChangeError> {
    match change {
        Change::DetachSg { sg, from: r } | Change::AttachSg { sg, to: r } => {
            resolve_sg(inv, sg)?;
            let known = resolve_lb(inv, r).is_some()
                || (r.starts_with("eni-") && inv.network_interfaces.contains_key(r.as_str()))
                || inv.instances.contains_key(r.as_str());
            if !known {
                return Err(ChangeError::UnknownId {
                    id: r.clone(),
                    what: "load balancer (name or ARN), eni-… or i-…",
                    known: Vec::new(),
                });
            }
        }
        Change::DeleteSg { sg } => {
            resolve_sg(inv, sg)?;
        }
        Change::Rule(rule) => {
            let id = resolve_sg(inv, &rule.sg)?;
            if let Some(peer) = rule.peer.sg()
                && !inv.security_groups.contains_key(peer)
                && rule.authorize
            {
                return Err(ChangeError::UnknownId {
                    id: peer.to_string(),
                    what: "security group",
                    known: Vec::new(),
                });
            }
            if !rule.authorize {
                let group = &inv.security_groups[&id];
                let mut perms = if rule.direction == Direction::Ingress {
                    group.ip_permissions.clone()
                } else {
                    group.ip_permissions_egress.clone()
                };
                if !revoke(&mut perms, rule) {
                    return Err(ChangeError::Syntax {
                        text: change.describe(),
                        why: format!("{id} has no such {} rule", rule.direction.as_str()),
                    });
                }
            }
        }
        Change::NaclEntry { acl, .. } => {
            if !inv.network_acls.contains_key(acl.as_str()) {
                return Err(ChangeError::UnknownId {
                    id: acl.clone(),
                    what: "network ACL",
                    known: Vec::new(),
                });
            }
        }
        Change::TgPort { tg, .. } | Change::TgHealthPort { tg, .. } => {
            resolve_tg(inv, tg)?;
        }
        Change::OriginProtocol {
            distribution,
            origin,
            ..
        } => {
            let Some(d) = inv.distributions.get(distribution.as_str()) else {
                return Err(ChangeError::UnknownId {
                    id: distribution.clone(),
                    what: "CloudFront distribution",
                    known: Vec::new(),
                });
            };
            let Some(o) = d.origins.items.iter().find(|o| o.id == *origin) else {
                return Err(ChangeError::UnknownId {
                    id: origin.clone(),
                    what: "origin id of that distribution",
                    known: Vec::new(),
                });
            };
            if o.custom_origin_config.is_none() {
                return Err(ChangeError::Syntax {
                    text: change.describe(),
                    why: "only custom origins have a protocol policy".into(),
                });
            }
        }
        routing => routing_apply::check(inv, routing)?,
    }
    Ok(())
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
        Change::Rule(rule) => apply_rule(inv, change, rule)?,
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
                    known: Vec::new(),
                });
            };
            nacl.entries
                .retain(|e| !(e.egress == *egress && e.rule_number == *number));
            nacl.entries.push(NetworkAclEntry {
                rule_number: *number,
                protocol: nacl_protocol(protocol).to_owned(),
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
                    known: Vec::new(),
                });
            };
            let Some(o) = d.origins.items.iter_mut().find(|o| o.id == *origin) else {
                return Err(ChangeError::UnknownId {
                    id: origin.clone(),
                    what: "origin id of that distribution",
                    known: Vec::new(),
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
        routing => routing_apply::apply(inv, routing)?,
    }
    inv.invalidate();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ec2::SecurityGroup;

    fn inventory() -> Inventory {
        let sg: SecurityGroup = serde_json::from_value(serde_json::json!({
            "GroupId": "sg-1", "GroupName": "web",
            "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                "IpRanges": [{"CidrIp": "10.0.0.0/8"}, {"CidrIp": "10.1.0.0/16"}]}]
        }))
        .expect("a group");
        let mut inv = Inventory::default();
        inv.security_groups.insert(sg.group_id.clone(), sg);
        inv
    }

    #[test]
    fn revoking_removes_only_the_named_peer_in_any_protocol_spelling() {
        let mut inv = inventory();
        let revoke =
            Change::parse_rule("web 6 443 10.0.0.0/8", false, Direction::Ingress).expect("parses");
        apply(&mut inv, &revoke).expect("the rule exists");
        let perms = &inv.security_groups[&SgId::from("sg-1")].ip_permissions;
        assert_eq!(perms.len(), 1);
        assert_eq!(perms[0].peers(), vec![Peer::Cidr("10.1.0.0/16".into())]);
        assert!(
            apply(&mut inv, &revoke).is_err(),
            "a rule that is gone cannot be revoked"
        );
    }

    #[test]
    fn a_nacl_entry_carries_the_protocol_number() {
        let mut inv = Inventory::default();
        let acl: crate::model::ec2::NetworkAcl = serde_json::from_value(serde_json::json!({
            "NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": false, "Entries": []
        }))
        .expect("an ACL");
        inv.network_acls.insert(acl.network_acl_id.clone(), acl);
        let change = Change::parse_nacl("acl-1 ingress 90 deny TCP 443 0.0.0.0/0").expect("parses");
        assert_eq!(
            change.describe(),
            "set acl-1 ingress #90 deny tcp 443-443 0.0.0.0/0"
        );
        apply(&mut inv, &change).expect("the ACL exists");
        assert_eq!(
            inv.network_acls.values().next().expect("the ACL").entries[0].protocol,
            "6"
        );
    }
}
