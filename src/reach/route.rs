//! Internet-gateway routes of an internet-facing ALB's subnets (the `no-igw-route` check).
//!
//! CloudFront reaches a public ALB over the internet, so each ALB subnet needs a `0.0.0.0/0`
//! route to an `igw-…` that is not a blackhole; a subnet without an explicit route table
//! association uses its VPC's main table. Internal ALBs and VPC origins skip this check.
//! CloudFront's IPv6 connections need a `::/0` route to an `igw-…` likewise
//! ([`igw_routes_ipv6`]); an egress-only internet gateway (`eigw-…`) carries outbound IPv6 only
//! and admits no inbound connection, so it does not count.

use super::Verdict;
use super::evidence::HopAcc;
use crate::model::ec2::Route;
use crate::model::elbv2::LoadBalancer;
use crate::model::{Inventory, Kind};

/// Checks the internet-gateway route of every subnet of `lb`.
pub(crate) fn igw_routes(inv: &Inventory, lb: &LoadBalancer, acc: &mut HopAcc) {
    igw_routes_for(inv, lb, acc, "0.0.0.0/0", |r| {
        r.destination_cidr_block.as_deref()
    });
}

/// Checks the IPv6 internet-gateway route (`::/0` → `igw-…`) of every subnet of `lb`.
pub(crate) fn igw_routes_ipv6(inv: &Inventory, lb: &LoadBalancer, acc: &mut HopAcc) {
    igw_routes_for(inv, lb, acc, "::/0", |r| {
        r.destination_ipv6_cidr_block.as_deref()
    });
}

/// Checks that every subnet of `lb` routes `default` (as `destination` reads it off a route)
/// to an internet gateway.
fn igw_routes_for(
    inv: &Inventory,
    lb: &LoadBalancer,
    acc: &mut HopAcc,
    default: &str,
    destination: fn(&Route) -> Option<&str>,
) {
    if !inv.has(Kind::RouteTables) {
        acc.missing(inv, Kind::RouteTables);
        return;
    }
    let idx = inv.index();
    let subnets = lb.subnet_ids();
    let mut lacking = Vec::new();
    for s in &subnets {
        let rt = idx
            .route_table_by_subnet
            .get(s)
            .or_else(|| {
                lb.vpc_id
                    .as_ref()
                    .and_then(|v| idx.main_route_table_by_vpc.get(v))
            })
            .and_then(|r| inv.route_tables.get(r));
        let Some(rt) = rt else {
            acc.missing_what(
                format!("route table of {s}"),
                Kind::RouteTables.cli().to_owned(),
            );
            continue;
        };
        let ok = rt.routes.iter().any(|r| {
            destination(r) == Some(default)
                && r.gateway_id
                    .as_deref()
                    .is_some_and(|g| g.starts_with("igw-"))
                && r.state.as_deref() != Some("blackhole")
        });
        if !ok {
            lacking.push(s.to_string());
        }
    }
    if lacking.is_empty() {
        if !subnets.is_empty() {
            acc.checked(format!(
                "{default} → internet gateway in all {} ALB subnets",
                subnets.len()
            ));
        }
        return;
    }
    let v = if lacking.len() == subnets.len() {
        Verdict::Blocked
    } else {
        Verdict::Partial
    };
    acc.fail(
        v,
        "no-igw-route",
        format!(
            "internet-facing {} has {} of {} subnet(s) without a {default} route to an internet gateway: {}",
            lb.load_balancer_name,
            lacking.len(),
            subnets.len(),
            lacking.join(", ")
        ),
    );
    acc.fact.subnets_without_igw_route = lacking;
}
