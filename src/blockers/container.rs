//! What a subnet or a VPC contains that must go before it: ENIs (through their owners),
//! endpoints, NAT gateways, VPC origins pointing in, and for a VPC also its groups, internet
//! gateways, peerings, subnets and non-main route tables and network ACLs.
//!
//! The default group, main route table and default ACL are not listed: AWS deletes them with
//! the VPC.

use super::classify_eni_owner;
use super::endpoint::endpoint_blockers;
use super::eni::{nat_steps, owner_steps};
use super::plan::{P_ENDPOINT, P_IGW, P_PEERING, P_SG, P_SUBNET, P_TABLES, Plan};
use super::sg::sg_blockers;
use super::vpc_origin::vpc_origin_steps;
use crate::model::{Inventory, Kind};

/// Everything inside a subnet (or a whole VPC when `subnet` is None).
pub(super) fn container_blockers(
    inv: &Inventory,
    subnet: Option<&str>,
    vpc: &str,
    plan: &mut Plan,
) {
    plan.need(inv, Kind::NetworkInterfaces);
    plan.need(inv, Kind::VpcEndpoints);
    plan.need(inv, Kind::NatGateways);
    let idx = inv.index();
    let enis = match subnet {
        Some(s) => idx.enis_by_subnet.get(s),
        None => idx.enis_by_vpc.get(vpc),
    };
    for eni_id in enis.into_iter().flatten() {
        let Some(eni) = inv.network_interfaces.get(eni_id) else {
            continue;
        };
        let owner = classify_eni_owner(eni, inv);
        plan.block(
            "attached-eni",
            eni_id.as_str(),
            format!(
                "{eni_id} ({}) is in {}",
                eni.private_ip_address.as_deref().unwrap_or("-"),
                subnet.unwrap_or(vpc)
            ),
            owner.label(),
        );
        owner_steps(inv, eni, &owner, plan);
    }
    for ep in inv
        .vpc_endpoints
        .values()
        .filter(|e| e.vpc_id.as_ref().is_some_and(|v| v == vpc))
    {
        if subnet.is_some_and(|s| !ep.subnet_ids.iter().any(|x| x == s)) {
            continue;
        }
        if !endpoint_blockers(inv, ep, plan) {
            let id = &ep.vpc_endpoint_id;
            plan.block(
                "vpc-endpoint",
                id.as_str(),
                format!(
                    "endpoint {id} ({})",
                    ep.service_name.as_deref().unwrap_or("?")
                ),
                "",
            );
            plan.step(
                P_ENDPOINT,
                format!("delete the endpoint {id}"),
                format!("aws ec2 delete-vpc-endpoints --vpc-endpoint-ids {id}"),
                "",
            );
        }
    }
    for nat in inv.nat_gateways.values().filter(|n| {
        n.vpc_id.as_ref().is_some_and(|v| v == vpc) && n.state.as_deref() != Some("deleted")
    }) {
        if subnet.is_some_and(|s| nat.subnet_id.as_ref().is_none_or(|x| x != s)) {
            continue;
        }
        let id = nat.nat_gateway_id.as_str();
        plan.block(
            "nat-gateway",
            id,
            format!(
                "NAT gateway {id} in {}",
                nat.subnet_id.as_ref().map_or("?", |s| s.as_str())
            ),
            "",
        );
        nat_steps(inv, id, plan);
    }
    // VPC origins pointing into this VPC hold ENIs here even if ENIs were not loaded.
    if subnet.is_none()
        && inv.vpc_origins.values().any(|vo| {
            vo.endpoint_arn()
                .and_then(|a| inv.load_balancers.get(a))
                .and_then(|l| l.vpc_id.as_ref())
                .is_some_and(|v| v == vpc)
        })
    {
        vpc_origin_steps(inv, vpc, plan);
    }
    let Some(()) = subnet.is_none().then_some(()) else {
        return;
    };
    plan.need(inv, Kind::SecurityGroups);
    plan.need(inv, Kind::InternetGateways);
    for sg in inv
        .security_groups
        .values()
        .filter(|g| g.vpc_id.as_ref().is_some_and(|v| v == vpc))
    {
        if sg.group_name == "default" {
            continue;
        }
        let id = sg.group_id.as_str();
        plan.block(
            "security-group",
            id,
            format!("security group {id} ({})", sg.group_name),
            "",
        );
        sg_blockers(inv, &sg.group_id, plan, false);
        let action = if sg.group_name == crate::model::VPC_ORIGIN_SERVICE_SG_NAME {
            format!(
                "delete {id} ({}) if it lingers: CloudFront manages it and is expected to remove it once no VPC origin uses this VPC (unverified); never edit its rules",
                sg.group_name
            )
        } else {
            format!("delete the security group {id} ({})", sg.group_name)
        };
        plan.step(
            P_SG,
            action,
            format!("aws ec2 delete-security-group --group-id {id}"),
            "",
        );
    }
    for igw in inv
        .internet_gateways
        .values()
        .filter(|g| g.attachments.iter().any(|a| a.vpc_id == vpc))
    {
        let id = igw.internet_gateway_id.as_str();
        plan.block(
            "internet-gateway",
            id,
            format!("internet gateway {id} is attached to {vpc}"),
            "",
        );
        plan.step(
            P_IGW,
            format!("detach the internet gateway {id}"),
            format!("aws ec2 detach-internet-gateway --internet-gateway-id {id} --vpc-id {vpc}"),
            "",
        );
        plan.step(
            P_IGW,
            format!("delete the internet gateway {id}"),
            format!("aws ec2 delete-internet-gateway --internet-gateway-id {id}"),
            "",
        );
    }
    for pcx in inv.vpc_peering_connections.values() {
        let ours = [&pcx.accepter_vpc_info, &pcx.requester_vpc_info]
            .iter()
            .any(|i| {
                i.as_ref()
                    .and_then(|i| i.vpc_id.as_ref())
                    .is_some_and(|v| v == vpc)
            });
        let active = pcx.status.as_ref().is_none_or(|s| s.code != "deleted");
        if ours && active {
            let id = pcx.vpc_peering_connection_id.as_str();
            plan.block("peering-connection", id, format!("peering {id}"), "");
            plan.step(
                P_PEERING,
                format!("delete the peering {id}"),
                format!("aws ec2 delete-vpc-peering-connection --vpc-peering-connection-id {id}"),
                "",
            );
        }
    }
    for s in inv.subnets.values().filter(|s| s.vpc_id == vpc) {
        let id = s.subnet_id.as_str();
        plan.block(
            "subnet",
            id,
            format!("subnet {id} must be deleted before the VPC"),
            "",
        );
        plan.step(
            P_SUBNET,
            format!("delete the subnet {id}"),
            format!("aws ec2 delete-subnet --subnet-id {id}"),
            "",
        );
    }
    for rt in inv
        .route_tables
        .values()
        .filter(|r| r.vpc_id == vpc && !r.associations.iter().any(|a| a.main))
    {
        let id = rt.route_table_id.as_str();
        plan.step(
            P_TABLES,
            format!("delete the route table {id}"),
            format!("aws ec2 delete-route-table --route-table-id {id}"),
            "",
        );
    }
    for acl in inv
        .network_acls
        .values()
        .filter(|a| a.vpc_id == vpc && !a.is_default)
    {
        let id = acl.network_acl_id.as_str();
        plan.step(
            P_TABLES,
            format!("delete the network ACL {id}"),
            format!("aws ec2 delete-network-acl --network-acl-id {id}"),
            "",
        );
    }
}
