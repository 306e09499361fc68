//! What holds a security group: rules of other groups naming it (here and across peering),
//! stale rules, interface endpoints using it, and the ENIs carrying it.
//!
//! AWS refuses `DeleteSecurityGroup` while any rule anywhere names the group or any ENI carries
//! it; the default group goes only with its VPC. Each rule reference comes with the exact
//! revoke command (`--ip-permissions` JSON naming just that peer), so running it removes no
//! other peer of the same permission.
//!
//! Someone deleting a group almost never wants what carries it gone: an instance, load balancer,
//! endpoint, Lambda function or EFS mount target is moved to its other groups (or, with none left,
//! to the VPC's default group, the one group every VPC keeps), and terminating or deleting the
//! owner is only the alternative, for when it is being torn down anyway.

use super::eni::owner_steps;
use super::plan::{
    Action, P_ENDPOINT, P_ENI, P_INSTANCE, P_LOAD_BALANCER, P_OTHER_OWNER, P_RULES, Plan,
};
use super::{EniOwner, classify_eni_owner};
use crate::model::ec2::{IpPermission, NetworkInterface};
use crate::model::{Direction, Inventory, Kind, Peer, SgId, SgRuleRef, VpcId};

/// The groups something keeps once `sg` is taken off it: its other groups or, when it has none,
/// the default group of `vpc` (from the data, or a lookup when the data lacks it). `None` when
/// `sg` is itself that default group (nothing to move to); the `bool` says the default was used.
fn remaining_groups<'a>(
    inv: &Inventory,
    groups: impl IntoIterator<Item = &'a SgId>,
    sg: &SgId,
    vpc: Option<&VpcId>,
) -> Option<(Vec<String>, bool)> {
    let others: Vec<String> = groups
        .into_iter()
        .filter(|g| *g != sg)
        .map(ToString::to_string)
        .collect();
    if !others.is_empty() {
        return Some((others, false));
    }
    let default = inv
        .security_groups
        .values()
        .find(|g| g.group_name == "default" && vpc.is_some_and(|v| g.vpc_id.as_ref() == Some(v)));
    match default {
        Some(d) if d.group_id == *sg => None,
        Some(d) => Some((vec![d.group_id.to_string()], true)),
        None => {
            let vpc = vpc.map_or("<its VPC>", |v| v.as_str());
            Some((
                vec![format!(
                    "$(aws ec2 describe-security-groups --filters Name=vpc-id,Values={vpc} Name=group-name,Values=default --query 'SecurityGroups[0].GroupId' --output text)"
                )],
                true,
            ))
        }
    }
}

/// How a step names where the groups go.
fn to_text(groups: &[String], default: bool) -> String {
    if default {
        format!(
            "the VPC's default group {} (it has no other; check that group's rules admit its traffic)",
            groups.join(" ")
        )
    } else {
        format!("its other group(s) {}", groups.join(" "))
    }
}

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
    if super::guardduty::managed_group(sg) {
        let vpc = sg.vpc_id.as_ref().map_or("its VPC", |v| v.as_str());
        super::guardduty::guardduty_blocker(sg_id.as_str(), "security group", vpc, plan);
    }
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
        plan.add(
            P_RULES,
            Action::new(
                format!("remove the rule {text}"),
                revoke_command(r.group.as_str(), r.direction, p, sg_id),
                "",
            ),
            r.group.as_str(),
            None,
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
        let delete = Action::new(
            format!("delete the endpoint {id}, if it is not needed any more"),
            format!("aws ec2 delete-vpc-endpoints --vpc-endpoint-ids {id}"),
            "",
        );
        let vpc = ep.vpc_id.as_ref();
        match remaining_groups(inv, ep.groups.iter().map(|g| &g.group_id), sg_id, vpc) {
            Some((_, false)) => plan.add(
                P_ENDPOINT,
                Action::new(
                    format!("take {sg_id} off {id} (it keeps its other groups)"),
                    format!("aws ec2 modify-vpc-endpoint --vpc-endpoint-id {id} --remove-security-group-ids {sg_id}"),
                    "",
                ),
                id.as_str(),
                Some(delete),
            ),
            Some((groups, true)) => plan.add(
                P_ENDPOINT,
                Action::new(
                    format!("move {id} off {sg_id} to {}", to_text(&groups, true)),
                    format!(
                        "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {id} --add-security-group-ids {} --remove-security-group-ids {sg_id}",
                        groups.join(" ")
                    ),
                    "",
                ),
                id.as_str(),
                Some(delete),
            ),
            None => plan.add(
                P_ENDPOINT,
                Action::new(
                    format!("delete the endpoint {id} (its only group is {sg_id})"),
                    format!("aws ec2 delete-vpc-endpoints --vpc-endpoint-ids {id}"),
                    "",
                ),
                id.as_str(),
                None,
            ),
        }
    }
    if with_enis {
        for eni_id in inv.index().enis_by_sg.get(sg_id).into_iter().flatten() {
            if let Some(eni) = inv.network_interfaces.get(eni_id) {
                let owner = classify_eni_owner(eni, inv);
                plan.block(
                    "attached-eni",
                    eni_id.as_str(),
                    format!("{eni_id} carries {sg_id}"),
                    owner.label(),
                );
                // An endpoint's ENIs follow its groups: the endpoint step above covers them.
                if !matches!(owner, EniOwner::VpcEndpoint { .. }) {
                    move_off(inv, eni, &owner, sg_id, plan);
                }
            }
        }
    }
}

/// The step that takes `sg` off what carries `eni`, keeping it, with terminating or deleting the
/// owner as the alternative; the owner's own steps where nothing can be moved.
fn move_off(inv: &Inventory, eni: &NetworkInterface, owner: &EniOwner, sg: &SgId, plan: &mut Plan) {
    let eni_id = eni.network_interface_id.as_str();
    let vpc = eni.vpc_id.as_ref();
    let eni_groups = || eni.groups.iter().map(|g| &g.group_id);
    match owner {
        // Your ENIs (an instance's, attached or not) take new groups directly; requester-managed
        // ones refuse ModifyNetworkInterfaceAttribute, so their owner is changed instead.
        EniOwner::Instance { .. } | EniOwner::Detached => {
            let Some((groups, default)) = remaining_groups(inv, eni_groups(), sg, vpc) else {
                owner_steps(inv, eni, owner, plan);
                return;
            };
            let (phase, alternative) = if let EniOwner::Instance { id, .. } = owner {
                (
                    P_INSTANCE,
                    Action::new(
                        format!(
                            "terminate {}, if it is being torn down anyway",
                            owner.label()
                        ),
                        format!("aws ec2 terminate-instances --instance-ids {id}"),
                        format!("aws ec2 wait instance-terminated --instance-ids {id}"),
                    ),
                )
            } else {
                (
                    P_ENI,
                    Action::new(
                        format!("delete {eni_id}, if it is not needed any more"),
                        format!("aws ec2 delete-network-interface --network-interface-id {eni_id}"),
                        "",
                    ),
                )
            };
            plan.add(
                phase,
                Action::new(
                    format!("move {eni_id} ({}) off {sg} to {}", owner.label(), to_text(&groups, default)),
                    format!(
                        "aws ec2 modify-network-interface-attribute --network-interface-id {eni_id} --groups {}",
                        groups.join(" ")
                    ),
                    "",
                ),
                eni_id,
                Some(alternative),
            );
        }
        EniOwner::LoadBalancer { name } => {
            let suffix = format!("loadbalancer/{name}");
            let lb = inv
                .load_balancers
                .values()
                .find(|lb| lb.load_balancer_arn.as_str().ends_with(&suffix));
            let moved = lb.and_then(|lb| {
                remaining_groups(inv, &lb.security_groups, sg, lb.vpc_id.as_ref()).map(|g| (lb, g))
            });
            let Some((lb, (groups, default))) = moved else {
                owner_steps(inv, eni, owner, plan);
                return;
            };
            let arn = &lb.load_balancer_arn;
            plan.add(
                P_LOAD_BALANCER,
                Action::new(
                    format!("move the load balancer {name} off {sg} to {}", to_text(&groups, default)),
                    format!(
                        "aws elbv2 set-security-groups --load-balancer-arn {arn} --security-groups {}",
                        groups.join(" ")
                    ),
                    "",
                ),
                eni_id,
                Some(Action::new(
                    format!("delete the load balancer {name}, if it is being torn down anyway"),
                    format!("aws elbv2 delete-load-balancer --load-balancer-arn {arn}"),
                    format!("aws elbv2 wait load-balancers-deleted --load-balancer-arns {arn}"),
                )),
            );
        }
        EniOwner::Lambda { function } => {
            let Some((groups, default)) = remaining_groups(inv, eni_groups(), sg, vpc) else {
                owner_steps(inv, eni, owner, plan);
                return;
            };
            // A function's VPC config lists its subnets; its ENIs (one per subnet and group set)
            // show them.
            let mut subnets: Vec<&str> = inv
                .network_interfaces
                .values()
                .filter(|e| {
                    matches!(classify_eni_owner(e, inv), EniOwner::Lambda { function: f } if f == *function)
                })
                .filter_map(|e| e.subnet_id.as_ref().map(|s| s.as_str()))
                .collect();
            subnets.sort_unstable();
            subnets.dedup();
            plan.add(
                P_OTHER_OWNER,
                Action::new(
                    format!("move Lambda function {function} (same subnets) off {sg} to {}", to_text(&groups, default)),
                    format!(
                        "aws lambda update-function-configuration --function-name {function} --vpc-config SubnetIds={},SecurityGroupIds={}",
                        subnets.join(","),
                        groups.join(",")
                    ),
                    format!("until `aws ec2 describe-network-interfaces --network-interface-ids {eni_id}` no longer lists {sg} (Lambda replaces its ENIs; the old one goes after up to ~20-45 min)"),
                ),
                eni_id,
                Some(
                    Action::new(
                        format!("remove the VPC configuration of {function} (it loses access to the VPC)"),
                        format!("aws lambda update-function-configuration --function-name {function} --vpc-config SubnetIds=[],SecurityGroupIds=[]"),
                        format!("until `aws ec2 describe-network-interfaces --network-interface-ids {eni_id}` says it does not exist (Lambda releases ENIs after up to ~20-45 min)"),
                    )
                    .destructive(true),
                ),
            );
        }
        EniOwner::EfsMountTarget { detail } => {
            let target = detail
                .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
                .find(|w| w.starts_with("fsmt-"));
            let moved = target.zip(remaining_groups(inv, eni_groups(), sg, vpc));
            let Some((target, (groups, default))) = moved else {
                owner_steps(inv, eni, owner, plan);
                return;
            };
            plan.add(
                P_OTHER_OWNER,
                Action::new(
                    format!("move the EFS mount target {target} off {sg} to {}", to_text(&groups, default)),
                    format!(
                        "aws efs modify-mount-target-security-groups --mount-target-id {target} --security-groups {}",
                        groups.join(" ")
                    ),
                    "",
                ),
                eni_id,
                Some(Action::new(
                    format!("delete the mount target {target}, if the file system is not needed in this subnet"),
                    format!("aws efs delete-mount-target --mount-target-id {target}"),
                    "",
                )),
            );
        }
        _ => owner_steps(inv, eni, owner, plan),
    }
}
