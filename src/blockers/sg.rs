//! What holds a security group: rules of other groups naming it (here and across peering),
//! stale rules, interface endpoints using it, and the ENIs carrying it.
//!
//! AWS refuses `DeleteSecurityGroup` while any rule anywhere names the group or any ENI carries
//! it; the default group goes only with its VPC. Each rule reference comes with the exact
//! revoke command (`--ip-permissions` JSON naming just that peer), so running it removes no
//! other peer of the same permission.

use super::eni::owner_steps;
use super::plan::{P_ENDPOINT, P_RULES, Plan};
use super::{EniOwner, classify_eni_owner};
use crate::model::ec2::IpPermission;
use crate::model::{Direction, Inventory, Kind, Peer, SgId, SgRuleRef};

fn revoke_command(group: &str, direction: Direction, p: &IpPermission, peer: &SgId) -> String {
    let mut perm = serde_json::json!({ "IpProtocol": p.ip_protocol, "UserIdGroupPairs": [{ "GroupId": peer }] });
    if let (Some(f), Some(t)) = (p.from_port, p.to_port) {
        perm["FromPort"] = f.into();
        perm["ToPort"] = t.into();
    }
    let verb = if direction == Direction::Ingress {
        "revoke-security-group-ingress"
    } else {
        "revoke-security-group-egress"
    };
    format!(
        "aws ec2 {verb} --group-id {group} --ip-permissions '{}'",
        serde_json::Value::Array(vec![perm])
    )
}

/// Blockers and steps of deleting `sg_id`; `with_enis` also covers the ENIs carrying it (a
/// VPC's teardown handles its ENIs itself).
pub(super) fn sg_blockers(inv: &Inventory, sg_id: &SgId, plan: &mut Plan, with_enis: bool) {
    plan.need(inv, Kind::NetworkInterfaces);
    plan.need(inv, Kind::VpcEndpoints);
    let Some(sg) = inv.security_groups.get(sg_id) else {
        return;
    };
    if sg.group_name == "default" {
        plan.block(
            "default-security-group",
            sg_id.as_str(),
            format!("{sg_id} is the default security group of {}: AWS deletes it only with the VPC; it can only be emptied", sg.vpc_id.as_ref().map_or("its VPC", |v| v.as_str())),
            "",
        );
    }
    for r in inv.index().sg_referrers.get(sg_id).into_iter().flatten() {
        let Some(holder) = inv.security_groups.get(&r.group) else {
            continue;
        };
        let perms = if r.direction == Direction::Ingress {
            &holder.ip_permissions
        } else {
            &holder.ip_permissions_egress
        };
        let Some(p) = perms.get(r.permission) else {
            continue;
        };
        let peer = Peer::Sg {
            id: sg_id.clone(),
            account: None,
        };
        let text = SgRuleRef::new(&r.group, r.direction, p, &peer).to_string();
        let (kind, detail) = if r.group == *sg_id {
            (
                "self-reference",
                format!("{text} (a rule of the group itself)"),
            )
        } else {
            (
                "rule-reference",
                format!("{text}: AWS refuses to delete a group another group's rule names"),
            )
        };
        plan.block(kind, r.group.as_str(), detail, "");
        plan.step(
            P_RULES,
            format!("remove the rule {text}"),
            revoke_command(r.group.as_str(), r.direction, p, sg_id),
            "",
        );
    }
    for reference in inv
        .security_group_references
        .iter()
        .filter(|r| r.group_id == *sg_id)
    {
        let via = reference
            .vpc_peering_connection_id
            .as_ref()
            .map(ToString::to_string)
            .or_else(|| reference.transit_gateway_id.clone())
            .unwrap_or_default();
        let vpc = reference
            .referencing_vpc_id
            .as_ref()
            .map_or("", |v| v.as_str());
        plan.block(
            "peer-reference",
            vpc,
            format!("groups in {vpc} (via {via}) reference {sg_id}"),
            "",
        );
        plan.step(
            P_RULES,
            format!("remove the rules in {vpc} that reference {sg_id} (run in the account owning {vpc})"),
            format!("aws ec2 describe-security-groups --filters Name=vpc-id,Values={vpc} Name=ip-permission.group-id,Values={sg_id}"),
            "",
        );
    }
    for stale in inv.stale_security_groups.values() {
        let names_it = stale
            .stale_ip_permissions
            .iter()
            .chain(&stale.stale_ip_permissions_egress)
            .any(|p| {
                p.user_id_group_pairs
                    .iter()
                    .any(|u| u.group_id.as_ref() == Some(sg_id))
            });
        if names_it {
            plan.block(
                "stale-reference",
                stale.group_id.as_str(),
                format!(
                    "{} holds a stale rule naming {sg_id} (peering gone)",
                    stale.group_id
                ),
                "",
            );
        }
    }
    for ep in inv
        .vpc_endpoints
        .values()
        .filter(|e| e.groups.iter().any(|g| g.group_id == *sg_id))
    {
        let id = &ep.vpc_endpoint_id;
        plan.block(
            "vpc-endpoint",
            id.as_str(),
            format!(
                "interface endpoint {id} ({}) uses {sg_id}",
                ep.service_name.as_deref().unwrap_or("?")
            ),
            "",
        );
        if ep.groups.len() > 1 {
            plan.step(P_ENDPOINT, format!("take {sg_id} off {id}"), format!("aws ec2 modify-vpc-endpoint --vpc-endpoint-id {id} --remove-security-group-ids {sg_id}"), "");
        } else {
            plan.step(
                P_ENDPOINT,
                format!("delete the endpoint {id} (its only group is {sg_id})"),
                format!("aws ec2 delete-vpc-endpoints --vpc-endpoint-ids {id}"),
                "",
            );
        }
    }
    if with_enis {
        for eni_id in inv.index().enis_by_sg.get(sg_id).into_iter().flatten() {
            if let Some(eni) = inv.network_interfaces.get(eni_id) {
                let owner = classify_eni_owner(eni, inv);
                if matches!(owner, EniOwner::VpcEndpoint { .. }) {
                    // The endpoint step above covers it.
                    plan.block(
                        "attached-eni",
                        eni_id.as_str(),
                        format!("{eni_id} carries {sg_id}"),
                        owner.label(),
                    );
                    continue;
                }
                plan.block(
                    "attached-eni",
                    eni_id.as_str(),
                    format!("{eni_id} carries {sg_id}"),
                    owner.label(),
                );
                owner_steps(inv, eni, &owner, plan);
            }
        }
    }
}
