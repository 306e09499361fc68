//! What holds an ENI, and the steps that make its owner let go of it.
//!
//! An instance's secondary ENI can be detached; its primary one goes with the instance. A
//! requester-managed ENI (load balancer, endpoint, NAT gateway, Lambda, CloudFront VPC origin, …)
//! can be neither detached nor deleted by you: its owner (`owner`) must be deleted or
//! reconfigured, and AWS then releases the ENI (`aws-semantics.md` §5).

use super::endpoint::endpoint_blockers;
use super::plan::{
    Action, P_ENDPOINT, P_ENI, P_INSTANCE, P_LOAD_BALANCER, P_NAT, P_OTHER_OWNER, P_TARGET, Plan,
};
use super::vpc_origin::vpc_origin_steps;
use super::{EniOwner, classify_eni_owner};
use crate::model::Inventory;
use crate::model::ec2::NetworkInterface;

/// Blockers of deleting `eni`, its owner's steps, and the last step for the ENI itself.
pub(super) fn explain_eni(inv: &Inventory, eni: &NetworkInterface, plan: &mut Plan) {
    let id = eni.network_interface_id.as_str();
    let owner = eni_blockers(inv, eni, plan);
    if owner.is_requester_managed() {
        // aws-semantics.md §5: never DeleteNetworkInterface on a requester-managed ENI.
        // Its owner's steps above make AWS release it; the last step checks that it did.
        plan.step(
                P_TARGET,
                format!(
                    "verify that AWS released {id} after {} let go of it (requester-managed: never delete it yourself)",
                    owner.label()
                ),
                format!("aws ec2 describe-network-interfaces --network-interface-ids {id}"),
                "until it fails with InvalidNetworkInterfaceID.NotFound",
            );
    } else if matches!(owner, EniOwner::Instance { .. })
        && eni
            .attachment
            .as_ref()
            .is_some_and(|a| a.delete_on_termination == Some(true))
    {
        // DeleteOnTermination: terminating the instance deletes the ENI; a delete afterwards
        // would only fail with InvalidNetworkInterfaceID.NotFound.
        plan.step(
            P_TARGET,
            format!("verify that AWS deleted {id} with the instance (DeleteOnTermination)"),
            format!("aws ec2 describe-network-interfaces --network-interface-ids {id}"),
            "until it fails with InvalidNetworkInterfaceID.NotFound",
        );
    } else {
        plan.step(
            P_TARGET,
            format!("delete {id}"),
            format!("aws ec2 delete-network-interface --network-interface-id {id}"),
            "",
        );
    }
}

/// Blockers and owner steps of one ENI; returns its owner.
fn eni_blockers(inv: &Inventory, eni: &NetworkInterface, plan: &mut Plan) -> EniOwner {
    let owner = classify_eni_owner(eni, inv);
    let id = &eni.network_interface_id;
    match &owner {
        EniOwner::Detached => {}
        EniOwner::Instance { .. } => {
            let primary = eni.attachment.as_ref().and_then(|a| a.device_index) == Some(0);
            plan.block(
                "attached-eni",
                id.as_str(),
                format!(
                    "{id} is attached to {}{}",
                    owner.label(),
                    if primary {
                        " as its primary interface"
                    } else {
                        ""
                    }
                ),
                owner.label(),
            );
            if primary {
                owner_steps(inv, eni, &owner, plan);
            } else if let Some(att) = eni
                .attachment
                .as_ref()
                .and_then(|a| a.attachment_id.as_deref())
            {
                plan.step(
                    P_INSTANCE,
                    format!("detach {id}"),
                    format!("aws ec2 detach-network-interface --attachment-id {att}"),
                    format!(
                        "aws ec2 wait network-interface-available --network-interface-ids {id}"
                    ),
                );
            }
        }
        _ => {
            plan.block(
                "attached-eni",
                id.as_str(),
                format!(
                    "{id} is requester-managed by {}: it cannot be detached or deleted directly",
                    owner.label()
                ),
                owner.label(),
            );
            owner_steps(inv, eni, &owner, plan);
        }
    }
    owner
}

/// Steps that make the owner let go of `eni`.
pub(super) fn owner_steps(
    inv: &Inventory,
    eni: &NetworkInterface,
    owner: &EniOwner,
    plan: &mut Plan,
) {
    let eni_id = eni.network_interface_id.as_str();
    match owner {
        EniOwner::Instance { id, .. } => plan.step(
            P_INSTANCE,
            format!("terminate {} (its primary ENI goes only with it)", owner.label()),
            format!("aws ec2 terminate-instances --instance-ids {id}"),
            format!("aws ec2 wait instance-terminated --instance-ids {id}"),
        ),
        EniOwner::LoadBalancer { name } => {
            let suffix = format!("loadbalancer/{name}");
            let arn = inv
                .load_balancers
                .keys()
                .find(|a| a.as_str().ends_with(&suffix))
                .map_or_else(|| format!("<ARN of {name}>"), ToString::to_string);
            plan.step(
                P_LOAD_BALANCER,
                format!("delete the load balancer {name}"),
                format!("aws elbv2 delete-load-balancer --load-balancer-arn {arn}"),
                format!("aws elbv2 wait load-balancers-deleted --load-balancer-arns {arn}"),
            );
        }
        EniOwner::VpcEndpoint { id } => {
            if let Some(ep) = inv.vpc_endpoints.get(id.as_str()) {
                if !endpoint_blockers(inv, ep, plan) {
                    plan.step(P_ENDPOINT, format!("delete the endpoint {id}"), format!("aws ec2 delete-vpc-endpoints --vpc-endpoint-ids {id}"), "");
                }
            } else {
                plan.step(P_ENDPOINT, format!("delete the endpoint {id}"), format!("aws ec2 delete-vpc-endpoints --vpc-endpoint-ids {id}"), "");
            }
        }
        EniOwner::NatGateway { id } => nat_steps(inv, id, plan),
        EniOwner::CloudFrontVpcOrigin => vpc_origin_steps(inv, eni.vpc_id.as_ref().map_or("", |v| v.as_str()), plan),
        EniOwner::Detached => plan.step(P_ENI, format!("delete {eni_id}"), format!("aws ec2 delete-network-interface --network-interface-id {eni_id}"), ""),
        // Dropping the VPC config cuts the function off the VPC: destructive, whatever the verb.
        EniOwner::Lambda { function } => plan.add(
            P_OTHER_OWNER,
            Action::new(
                format!("remove the VPC configuration of Lambda function {function}"),
                format!("aws lambda update-function-configuration --function-name {function} --vpc-config SubnetIds=[],SecurityGroupIds=[]"),
                format!("until `aws ec2 describe-network-interfaces --network-interface-ids {eni_id}` says it does not exist (Lambda releases ENIs after up to ~20-45 min)"),
            )
            .destructive(true),
            eni_id,
            None,
        ),
        // The remedies are prose naming a delete, a scale-to-zero or a reconfiguration: flagged
        // destructive, except the CloudTrail look-up that only finds the owner.
        other => plan.add(
            P_OTHER_OWNER,
            Action::new(format!("make {} let go of {eni_id}", other.label()), other.remedy(eni_id), "")
                .destructive(!matches!(other, EniOwner::Unknown { .. })),
            eni_id,
            None,
        ),
    }
}

/// Deleting a NAT gateway, then releasing its Elastic IPs (they outlive it and cost money).
pub(super) fn nat_steps(inv: &Inventory, id: &str, plan: &mut Plan) {
    plan.step(
        P_NAT,
        format!("delete the NAT gateway {id}"),
        format!("aws ec2 delete-nat-gateway --nat-gateway-id {id}"),
        format!("aws ec2 wait nat-gateway-deleted --nat-gateway-ids {id}"),
    );
    if let Some(nat) = inv.nat_gateways.get(id) {
        for a in nat
            .nat_gateway_addresses
            .iter()
            .filter_map(|a| a.allocation_id.as_deref())
        {
            plan.step(
                P_NAT,
                format!("release the Elastic IP {a} of {id}"),
                format!("aws ec2 release-address --allocation-id {a}"),
                "",
            );
        }
    }
}
