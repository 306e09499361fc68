//! Target resolution: a registered target (instance id or IP) to its address, security groups,
//! subnet and Availability Zone.
//!
//! An instance target is its primary ENI (or, without ENIs loaded, the instance itself). An IP
//! target is the ENI holding that address *in the target group's VPC*: private addresses repeat
//! across VPCs, so an address found in several VPCs is missing data, not a guess. Lambda
//! targets have no network path. Anything not found is recorded as missing on the hop.

use std::net::Ipv4Addr;

use super::cidr;
use super::evidence::HopAcc;
use crate::model::elbv2::TargetGroup;
use crate::model::ids::{SgId, SubnetId};
use crate::model::inventory::EniLookup;
use crate::model::{Inventory, Kind};

/// A target resolved to its network identity.
#[derive(Debug, Clone, Default)]
pub(crate) struct TargetNet {
    /// Its private IPv4 address, when known.
    pub ip: Option<Ipv4Addr>,
    /// The security groups of its ENI (or instance).
    pub sgs: Vec<SgId>,
    /// Its subnet, when known.
    pub subnet: Option<SubnetId>,
    /// Its Availability Zone, when known.
    pub az: Option<String>,
}

/// Resolves target `id` of `tg`; `None` (with what is missing recorded on `acc`) when it cannot
/// be, or when it has no network path (Lambda).
pub(crate) fn resolve_target(
    inv: &Inventory,
    tg: &TargetGroup,
    id: &str,
    acc: &mut HopAcc,
) -> Option<TargetNet> {
    let idx = inv.index();
    let from_eni = |eni: &crate::model::ec2::NetworkInterface| TargetNet {
        ip: eni.private_ip_address.as_deref().and_then(cidr::addr),
        sgs: eni.groups.iter().map(|g| g.group_id.clone()).collect(),
        subnet: eni.subnet_id.clone(),
        az: eni.availability_zone.clone(),
    };
    match tg.target_type.as_deref() {
        Some("lambda") => {
            acc.checked("lambda target: no network path to evaluate".to_owned());
            None
        }
        Some("ip") | Some("alb") => {
            // Private addresses repeat across VPCs: only an ENI of the target group's VPC is
            // the target.
            let vpc_text = tg.vpc_id.as_ref().map_or_else(
                || "any VPC (the target group has no VpcId)".to_owned(),
                ToString::to_string,
            );
            match idx.eni_by_ip(tg.vpc_id.as_ref(), id) {
                EniLookup::Found(eni) => {
                    if let Some(eni) = inv.network_interfaces.get(eni) {
                        // The target's address may be a secondary one of the ENI.
                        let mut t = from_eni(eni);
                        t.ip = cidr::addr(id).or(t.ip);
                        return Some(t);
                    }
                }
                EniLookup::Ambiguous(enis) => {
                    acc.missing_what(
                        format!(
                            "the VPC of target group {}: ENIs of several VPCs own {id} ({})",
                            tg.target_group_name,
                            enis.iter()
                                .map(ToString::to_string)
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        Kind::TargetGroups.cli().to_owned(),
                    );
                    return None;
                }
                EniLookup::NotFound => {}
            }
            if inv.has(Kind::NetworkInterfaces) {
                acc.missing_what(
                    format!(
                        "no ENI in the inventory owns {id} in {vpc_text} (outside the VPC, or another account)"
                    ),
                    Kind::NetworkInterfaces.cli().to_owned(),
                );
            } else {
                acc.missing(inv, Kind::NetworkInterfaces);
            }
            None
        }
        _ => {
            if let Some(eni) = idx
                .primary_eni_by_instance
                .get(id)
                .and_then(|e| inv.network_interfaces.get(e))
            {
                let mut t = from_eni(eni);
                if t.az.is_none() {
                    t.az = inv
                        .instances
                        .get(id)
                        .and_then(|i| i.placement.as_ref())
                        .and_then(|p| p.availability_zone.clone());
                }
                return Some(t);
            }
            if let Some(i) = inv.instances.get(id) {
                return Some(TargetNet {
                    ip: i.private_ip_address.as_deref().and_then(cidr::addr),
                    sgs: i
                        .security_groups
                        .iter()
                        .map(|g| g.group_id.clone())
                        .collect(),
                    subnet: i.subnet_id.clone(),
                    az: i
                        .placement
                        .as_ref()
                        .and_then(|p| p.availability_zone.clone()),
                });
            }
            if inv.has(Kind::Instances) || inv.has(Kind::NetworkInterfaces) {
                acc.missing_what(
                    format!("instance {id} is not in the inventory"),
                    Kind::Instances.cli().to_owned(),
                );
            } else {
                acc.missing(inv, Kind::Instances);
            }
            None
        }
    }
}
