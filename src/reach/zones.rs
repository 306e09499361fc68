//! Availability Zones of a target group: where its targets are, whether cross-zone load
//! balancing is in effect, and which enabled zones of the load balancer hold no healthy target.
//!
//! With cross-zone load balancing off, each load-balancer node sends requests only to targets
//! in its own zone, and CloudFront spreads connections over every node's address; a zone whose
//! targets are all unhealthy (or that has none) fails its share of requests while the others
//! work (patterns.md G4; ELB guide `disable-cross-zone.md` [doc]; re:Post
//! QUC_35U3XZQuCaw8pWjojPAA [reported]). For ALBs cross-zone is always on at the load-balancer
//! level and only a target group can turn it off (`load_balancing.cross_zone.enabled = false`);
//! `use_load_balancer_configuration` defers to the load balancer, whose attribute (NLBs) is read
//! when present.

use std::collections::BTreeSet;

use crate::model::elbv2::{LoadBalancer, TargetGroup};
use crate::model::inventory::EniLookup;
use crate::model::{Inventory, VpcId};

/// The target-group attribute that turns cross-zone load balancing off for one group.
pub const CROSS_ZONE_ATTRIBUTE: &str = "load_balancing.cross_zone.enabled";

/// Whether cross-zone load balancing is in effect for `tg` behind `lb`: `Some(false)` when the
/// group turns it off (or defers to a load balancer that does), `None` when the group's
/// attributes were not loaded.
#[must_use]
pub fn cross_zone_enabled(
    inv: &Inventory,
    tg: &TargetGroup,
    lb: Option<&LoadBalancer>,
) -> Option<bool> {
    let Some(attrs) = inv.target_group_attributes.get(&tg.target_group_arn) else {
        // Loaded for the account but not for this group: not collected.
        return None;
    };
    let value = attrs
        .iter()
        .find(|a| a.key == CROSS_ZONE_ATTRIBUTE)
        .map(|a| a.value.as_str());
    Some(match value {
        Some("false") => false,
        Some("true") => true,
        // `use_load_balancer_configuration` or absent: the load balancer's setting, which is
        // always on for an ALB.
        _ => {
            lb.and_then(|lb| inv.lb_attribute(&lb.load_balancer_arn, CROSS_ZONE_ATTRIBUTE))
                != Some("false")
        }
    })
}

/// The AZ of a target: its own `AvailabilityZone` (IP targets outside the VPC), its instance's
/// placement or subnet, or the subnet of the ENI holding its IP.
#[must_use]
pub fn target_az(
    inv: &Inventory,
    vpc: Option<&VpcId>,
    id: &str,
    given: Option<&str>,
) -> Option<String> {
    if let Some(az) = given.filter(|a| *a != "all") {
        return Some(az.to_owned());
    }
    if let Some(i) = inv
        .instances
        .values()
        .find(|i| i.instance_id.as_str() == id)
    {
        if let Some(az) = i
            .placement
            .as_ref()
            .and_then(|p| p.availability_zone.clone())
        {
            return Some(az);
        }
        if let Some(s) = i.subnet_id.as_ref().and_then(|s| inv.subnets.get(s)) {
            return s.availability_zone.clone();
        }
    }
    let subnet = match inv.index().eni_by_ip(vpc, id) {
        EniLookup::Found(e) => inv.network_interfaces.get(e)?.subnet_id.clone()?,
        _ => return None,
    };
    inv.subnets.get(&subnet)?.availability_zone.clone()
}

/// Enabled AZs of `lb` where no registered target of `tg` is healthy. `None` when target health
/// was not loaded or a healthy target's AZ cannot be told (it might be in any zone).
#[must_use]
pub fn azs_without_healthy_targets(
    inv: &Inventory,
    tg: &TargetGroup,
    lb: &LoadBalancer,
) -> Option<Vec<String>> {
    let health = inv.target_health.get(&tg.target_group_arn)?;
    let mut healthy_azs: BTreeSet<String> = BTreeSet::new();
    for d in health {
        if d.target_health
            .as_ref()
            .is_none_or(|h| h.state != "healthy")
        {
            continue;
        }
        let az = target_az(
            inv,
            tg.vpc_id.as_ref(),
            &d.target.id,
            d.target.availability_zone.as_deref(),
        )?;
        healthy_azs.insert(az);
    }
    Some(
        lb.availability_zones
            .iter()
            .map(|z| z.zone_name.clone())
            .filter(|z| !healthy_azs.contains(z))
            .collect(),
    )
}
