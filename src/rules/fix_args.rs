//! The `*_arg` fact fields: the ids fix commands need, read off the Inventory.
//!
//! A fix prints the id the snapshot holds. Only where the data does not decide it does an
//! argument fall back to a `$(aws … --query …)` lookup (the id exists in AWS but was not
//! collected: a prefix list, a managed security group) or to a `<…>` placeholder that says which
//! call or choice supplies it and why the snapshot could not (no public subnet in that AZ, no
//! internet gateway attached). `tests/fix_commands.rs` holds every example scenario to that.

use std::collections::BTreeSet;

use crate::model::ec2::RouteTable;
use crate::model::elbv2::LoadBalancer;
use crate::model::{
    CLOUDFRONT_ORIGIN_FACING_IPV6_PREFIX_LIST, Inventory, Kind, SubnetId,
    VPC_ORIGIN_SERVICE_SG_NAME, VpcId,
};

/// The name of the CloudFront origin-facing managed prefix list.
const CLOUDFRONT_PREFIX_LIST_NAME: &str = "com.amazonaws.global.cloudfront.origin-facing";

/// The origin-facing prefix list's id, or the lookup that finds it.
pub(crate) fn cloudfront_prefix_list_arg(inv: &Inventory) -> String {
    inv.cloudfront_prefix_lists()
        .next()
        .map(|p| p.prefix_list_id.to_string())
        .unwrap_or_else(|| {
            format!(
                "$(aws ec2 describe-managed-prefix-lists --filters Name=prefix-list-name,Values={CLOUDFRONT_PREFIX_LIST_NAME} --query 'PrefixLists[0].PrefixListId' --output text)"
            )
        })
}

/// The IPv6 origin-facing prefix list's id, or the lookup that finds it.
pub(crate) fn cloudfront_ipv6_prefix_list_arg(inv: &Inventory) -> String {
    inv.cloudfront_ipv6_prefix_lists()
        .next()
        .map(|p| p.prefix_list_id.to_string())
        .unwrap_or_else(|| {
            format!(
                "$(aws ec2 describe-managed-prefix-lists --filters Name=prefix-list-name,Values={CLOUDFRONT_ORIGIN_FACING_IPV6_PREFIX_LIST} --query 'PrefixLists[0].PrefixListId' --output text)"
            )
        })
}

/// The `CloudFront-VPCOrigins-Service-SG` of `vpc`, or the lookup that finds it.
pub(crate) fn vpc_origin_service_sg_arg(inv: &Inventory, vpc: Option<&VpcId>) -> String {
    let found = vpc.and_then(|v| {
        inv.index()
            .sgs_by_vpc_and_name
            .get(&(v.clone(), VPC_ORIGIN_SERVICE_SG_NAME.to_owned()))
            .and_then(|g| g.first())
    });
    if let Some(sg) = found {
        return sg.to_string();
    }
    let vpc_filter = vpc.map_or_else(String::new, |v| format!(" Name=vpc-id,Values={v}"));
    format!(
        "$(aws ec2 describe-security-groups --filters Name=group-name,Values={VPC_ORIGIN_SERVICE_SG_NAME}{vpc_filter} --query 'SecurityGroups[0].GroupId' --output text)"
    )
}

/// The route table `subnet` uses: its explicit association, else its VPC's main table.
fn route_table_of<'a>(
    inv: &'a Inventory,
    subnet: &SubnetId,
    vpc: Option<&VpcId>,
) -> Option<&'a RouteTable> {
    let idx = inv.index();
    idx.route_table_by_subnet
        .get(subnet)
        .or_else(|| vpc.and_then(|v| idx.main_route_table_by_vpc.get(v)))
        .and_then(|r| inv.route_tables.get(r))
}

/// Whether a table sends 0.0.0.0/0 to an internet gateway (the check of `reach::route`).
fn has_igw_route(rt: &RouteTable) -> bool {
    rt.routes.iter().any(|r| {
        r.destination_cidr_block.as_deref() == Some("0.0.0.0/0")
            && r.gateway_id
                .as_deref()
                .is_some_and(|g| g.starts_with("igw-"))
            && r.state.as_deref() != Some("blackhole")
    })
}

fn is_public(inv: &Inventory, subnet: &SubnetId, vpc: Option<&VpcId>) -> bool {
    route_table_of(inv, subnet, vpc).is_some_and(has_igw_route)
}

/// Subnets of `vpc` in `az`, in id order.
fn subnets_in<'a>(
    inv: &'a Inventory,
    vpc: &'a VpcId,
    az: &'a str,
) -> impl Iterator<Item = &'a SubnetId> {
    inv.subnets
        .values()
        .filter(move |s| &s.vpc_id == vpc && s.availability_zone.as_deref() == Some(az))
        .map(|s| &s.subnet_id)
}

/// One public subnet per AZ of `lb` (its own subnet there when public), for `set-subnets`.
pub(crate) fn public_subnets_arg(inv: &Inventory, lb: &LoadBalancer) -> String {
    let vpc = lb.vpc_id.as_ref();
    let mut out = Vec::new();
    for z in &lb.availability_zones {
        let own = z
            .subnet_id
            .as_ref()
            .filter(|s| inv.has(Kind::RouteTables) && is_public(inv, s, vpc));
        let other = || {
            vpc.and_then(|v| {
                subnets_in(inv, v, &z.zone_name)
                    .find(|s| is_public(inv, s, vpc))
                    .cloned()
            })
        };
        match own.cloned().or_else(other) {
            Some(s) => out.push(s.to_string()),
            None => out.push(format!(
                "<a subnet in {} with a 0.0.0.0/0 route to an internet gateway: the snapshot has none>",
                z.zone_name
            )),
        }
    }
    out.join(" ")
}

/// The route table of `subnet` (explicit, else the VPC's main one).
pub(crate) fn route_table_arg(inv: &Inventory, subnet: &str, vpc: Option<&VpcId>) -> String {
    route_table_of(inv, &SubnetId(subnet.to_owned()), vpc).map_or_else(
        || {
            format!(
                "<route table of {subnet}: aws ec2 describe-route-tables --filters Name=association.subnet-id,Values={subnet}>"
            )
        },
        |rt| rt.route_table_id.to_string(),
    )
}

/// The internet gateway attached to `vpc`, or a placeholder saying none is.
pub(crate) fn internet_gateway_arg(inv: &Inventory, vpc: Option<&VpcId>) -> String {
    let attached = vpc.and_then(|v| {
        inv.internet_gateways.values().find(|igw| {
            igw.attachments.iter().any(|a| {
                &a.vpc_id == v
                    && a.state
                        .as_deref()
                        .is_none_or(|s| s == "available" || s == "attached")
            })
        })
    });
    match (attached, vpc) {
        (Some(igw), _) => igw.internet_gateway_id.to_string(),
        (None, Some(v)) if inv.has(Kind::InternetGateways) => format!(
            "<internet gateway: none is attached to {v}; aws ec2 create-internet-gateway, then attach-internet-gateway --vpc-id {v}>"
        ),
        (None, _) => "<internet gateway: aws ec2 describe-internet-gateways --filters Name=attachment.vpc-id,Values=VPC>".to_owned(),
    }
}

/// For `attach-internet-gateway`: a gateway attached to no VPC, or the call that creates one.
pub(crate) fn detached_internet_gateway_arg(inv: &Inventory) -> String {
    inv.internet_gateways
        .values()
        .find(|igw| {
            igw.attachments.iter().all(|a| {
                a.state
                    .as_deref()
                    .is_some_and(|s| s == "detached" || s == "detaching")
            })
        })
        .map_or_else(
            || "$(aws ec2 create-internet-gateway --query InternetGateway.InternetGatewayId --output text)".to_owned(),
            |igw| igw.internet_gateway_id.to_string(),
        )
}

/// The load balancers carrying `sg` (names) and a phrase saying what carries it.
pub(crate) fn sg_use(inv: &Inventory, sg: &str) -> (Vec<String>, String) {
    if sg.is_empty() {
        return (Vec::new(), String::new());
    }
    let lbs: Vec<String> = inv
        .load_balancers
        .values()
        .filter(|lb| lb.security_groups.iter().any(|g| g.as_str() == sg))
        .map(|lb| lb.load_balancer_name.clone())
        .collect();
    if !lbs.is_empty() {
        let what = if lbs.len() == 1 {
            "load balancer"
        } else {
            "load balancers"
        };
        return (lbs.clone(), format!("carried by {what} {}", lbs.join(", ")));
    }
    if !inv.security_groups.keys().any(|g| g.as_str() == sg) {
        return (Vec::new(), "no longer exists".to_owned());
    }
    if !inv.has(Kind::NetworkInterfaces) {
        return (
            Vec::new(),
            "carried by no load balancer (network interfaces were not loaded)".to_owned(),
        );
    }
    let enis: Vec<String> = inv
        .network_interfaces
        .values()
        .filter(|e| e.groups.iter().any(|g| g.group_id.as_str() == sg))
        .map(|e| e.network_interface_id.to_string())
        .collect();
    let phrase = match enis.len() {
        0 => "attached to nothing in the snapshot (orphaned)".to_owned(),
        1 => format!("carried by no load balancer, only by {}", enis[0]),
        n => format!(
            "carried by no load balancer, only by {n} network interfaces ({})",
            enis.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
        ),
    };
    (Vec::new(), phrase)
}

/// For `set-subnets`: a subnet in each AZ that holds `unused` targets of `tg` and is not enabled
/// on `lb`. Empty when no such AZ is known.
pub(crate) fn target_az_subnets_arg(
    inv: &Inventory,
    tg: &crate::model::elbv2::TargetGroup,
    lb: &LoadBalancer,
) -> String {
    let enabled: BTreeSet<&str> = lb
        .availability_zones
        .iter()
        .map(|z| z.zone_name.as_str())
        .collect();
    let azs: BTreeSet<String> = inv
        .target_health
        .get(&tg.target_group_arn)
        .into_iter()
        .flatten()
        .filter(|d| {
            d.target_health
                .as_ref()
                .is_some_and(|h| h.state == "unused")
        })
        .filter_map(|d| {
            crate::reach::zones::target_az(
                inv,
                tg.vpc_id.as_ref(),
                &d.target.id,
                d.target.availability_zone.as_deref(),
            )
        })
        .filter(|az| !enabled.contains(az.as_str()))
        .collect();
    let public = lb.scheme.as_deref() == Some("internet-facing");
    let vpc = lb.vpc_id.as_ref();
    azs.iter()
        .map(|az| {
            let found = vpc.and_then(|v| {
                subnets_in(inv, v, az).find(|s| !public || is_public(inv, s, vpc))
            });
            match found {
                Some(s) => s.to_string(),
                None if public => format!(
                    "<a public subnet in {az} (0.0.0.0/0 to an internet gateway): the snapshot has none; create one>"
                ),
                None => format!("<a subnet in {az}: the snapshot has none; create one>"),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The target group the ALB's first listener forwards to by default, or a placeholder.
pub(crate) fn listener_target_group_arg(inv: &Inventory, lb: &LoadBalancer) -> String {
    inv.index()
        .listeners_by_lb
        .get(&lb.load_balancer_arn)
        .into_iter()
        .flatten()
        .filter_map(|l| inv.listeners.get(l))
        .flat_map(|l| l.default_actions.iter())
        .flat_map(|a| a.forward_target_groups())
        .map(|(tg, _)| tg.to_string())
        .next()
        .unwrap_or_else(|| {
            format!(
                "<target group ARN: no listener of {} forwards to one; aws elbv2 describe-target-groups>",
                lb.load_balancer_name
            )
        })
}
