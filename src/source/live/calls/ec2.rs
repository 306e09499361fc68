//! EC2's calls for one region: the describes of wave 1 (VPCs, subnets, routes, NACLs,
//! gateways, groups, ENIs, instances, endpoints, prefix lists, peerings; filtered to the
//! narrowed load balancers' VPCs when `--distribution` / `--alb` narrow), then in wave 2 the
//! prefix-list entries the evaluators read and the per-VPC stale groups and per-group
//! cross-VPC references that feed `blockers`.

use std::collections::BTreeSet;
use std::sync::Arc;

use aws_sdk_ec2::types::Filter;

use super::super::convert::{bpa, ec2_network, ec2_security};
use super::super::runner::{Call, call, page_size};
use crate::model::{Inventory, Kind};

/// A paginated EC2 describe with filters → one kind, inserted by id.
macro_rules! ec2_describe {
    ($client:expr, $region:expr, $filters:expr, $op:ident, $kind:expr, $max:expr, $convert:path, $map:ident, $id:ident) => {{
        let client = $client.clone();
        let filters: Option<Vec<Filter>> = $filters;
        call(
            $kind,
            $region,
            async move {
                client
                    .$op()
                    .set_filters(filters)
                    .max_results(page_size($max))
                    .into_paginator()
                    .items()
                    .send()
                    .try_collect()
                    .await
                    .map(|items| items.iter().filter_map($convert).collect::<Vec<_>>())
            },
            |inv, items| {
                for item in items {
                    inv.$map.insert(item.$id.clone(), item);
                }
            },
        )
    }};
}

/// Wave 1's EC2 describes, filtered to `vpcs` when the collection is narrowed.
#[rustfmt::skip]
pub(crate) fn ec2_calls(
    ec2c: &aws_sdk_ec2::Client,
    region: &Arc<str>,
    vpcs: Option<&[String]>,
) -> Vec<Call> {
    let by_vpc = |name: &str| -> Option<Vec<Filter>> {
        vpcs.map(|v| vec![Filter::builder().name(name).set_values(Some(v.to_vec())).build()])
    };
    let mut calls = vec![
        ec2_describe!(ec2c, region, by_vpc("vpc-id"), describe_vpcs, Kind::Vpcs, 1000, ec2_network::vpc, vpcs, vpc_id),
        ec2_describe!(ec2c, region, by_vpc("vpc-id"), describe_subnets, Kind::Subnets, 1000, ec2_network::subnet, subnets, subnet_id),
        ec2_describe!(ec2c, region, by_vpc("vpc-id"), describe_route_tables, Kind::RouteTables, 100, ec2_network::route_table, route_tables, route_table_id),
        ec2_describe!(ec2c, region, by_vpc("vpc-id"), describe_network_acls, Kind::NetworkAcls, 1000, ec2_network::network_acl, network_acls, network_acl_id),
        ec2_describe!(ec2c, region, by_vpc("attachment.vpc-id"), describe_internet_gateways, Kind::InternetGateways, 1000, ec2_network::internet_gateway, internet_gateways, internet_gateway_id),
        ec2_describe!(ec2c, region, by_vpc("vpc-id"), describe_security_groups, Kind::SecurityGroups, 1000, ec2_security::security_group, security_groups, group_id),
        ec2_describe!(ec2c, region, by_vpc("vpc-id"), describe_network_interfaces, Kind::NetworkInterfaces, 1000, ec2_security::network_interface, network_interfaces, network_interface_id),
        ec2_describe!(ec2c, region, by_vpc("vpc-id"), describe_vpc_endpoints, Kind::VpcEndpoints, 1000, ec2_network::vpc_endpoint, vpc_endpoints, vpc_endpoint_id),
        ec2_describe!(ec2c, region, None, describe_managed_prefix_lists, Kind::PrefixLists, 100, ec2_network::managed_prefix_list, prefix_lists, prefix_list_id),
        ec2_describe!(ec2c, region, None, describe_vpc_peering_connections, Kind::VpcPeeringConnections, 1000, ec2_network::vpc_peering_connection, vpc_peering_connections, vpc_peering_connection_id),
    ];
    // NAT gateways name their filter parameter `Filter`; instances come in reservations.
    let (client, filters) = (ec2c.clone(), by_vpc("vpc-id"));
    calls.push(call(Kind::NatGateways, region, async move {
        client.describe_nat_gateways().set_filter(filters).max_results(page_size(1000))
            .into_paginator().items().send().try_collect().await
            .map(|items| items.iter().filter_map(ec2_network::nat_gateway).collect::<Vec<_>>())
    }, |inv, items| {
        for n in items {
            inv.nat_gateways.insert(n.nat_gateway_id.clone(), n);
        }
    }));
    let (client, filters) = (ec2c.clone(), by_vpc("vpc-id"));
    calls.push(call(Kind::Instances, region, async move {
        client.describe_instances().set_filters(filters).max_results(page_size(1000).max(5))
            .into_paginator().items().send().try_collect().await
            .map(|reservations| {
                reservations.iter().flat_map(|r| r.instances()).filter_map(ec2_security::instance).collect::<Vec<_>>()
            })
    }, |inv, items| {
        for i in items {
            inv.instances.insert(i.instance_id.clone(), i);
        }
    }));
    calls
}

/// Entries of the prefix lists the evaluators read: CloudFront's origin-facing lists (IPv4 and
/// IPv6) and every list an SG rule references (AWS-managed lists nobody references are skipped).
pub(crate) fn prefix_list_entry_calls(
    ec2c: &aws_sdk_ec2::Client,
    region: &Arc<str>,
    inv: &mut Inventory,
) -> Vec<Call> {
    let mut wanted: BTreeSet<String> = inv
        .cloudfront_prefix_lists()
        .chain(inv.cloudfront_ipv6_prefix_lists())
        .map(|p| p.prefix_list_id.to_string())
        .collect();
    for sg in inv.security_groups.values() {
        for perm in sg.ip_permissions.iter().chain(&sg.ip_permissions_egress) {
            for pl in &perm.prefix_list_ids {
                if inv.prefix_lists.contains_key(&pl.prefix_list_id) {
                    wanted.insert(pl.prefix_list_id.to_string());
                }
            }
        }
    }
    if wanted.is_empty() && inv.has(Kind::PrefixLists) {
        inv.loaded.insert(Kind::PrefixListEntries);
    }
    wanted
        .into_iter()
        .map(|pl| {
            let client = ec2c.clone();
            let id = pl.clone();
            call(
                Kind::PrefixListEntries,
                region,
                async move {
                    client
                        .get_managed_prefix_list_entries()
                        .prefix_list_id(id)
                        .max_results(page_size(100))
                        .into_paginator()
                        .items()
                        .send()
                        .try_collect()
                        .await
                        .map(|items| {
                            items
                                .iter()
                                .map(ec2_network::prefix_list_entry)
                                .collect::<Vec<_>>()
                        })
                },
                move |inv, entries| {
                    inv.prefix_list_entries.insert(pl.into(), entries);
                },
            )
        })
        .collect()
}

/// Per VPC: stale SGs; per batch of groups: cross-VPC references (both only feed `blockers`).
pub(crate) fn vpc_calls(
    ec2c: &aws_sdk_ec2::Client,
    region: &Arc<str>,
    inv: &Inventory,
) -> Vec<Call> {
    let mut calls: Vec<Call> = Vec::new();
    for vpc in inv.vpcs.keys() {
        let client = ec2c.clone();
        let vpc = vpc.to_string();
        calls.push(call(
            Kind::StaleSecurityGroups,
            region,
            async move {
                client
                    .describe_stale_security_groups()
                    .vpc_id(vpc)
                    .max_results(page_size(255).max(5))
                    .into_paginator()
                    .items()
                    .send()
                    .try_collect()
                    .await
                    .map(|items| {
                        items
                            .iter()
                            .filter_map(ec2_security::stale_security_group)
                            .collect::<Vec<_>>()
                    })
            },
            |inv, items| {
                for s in items {
                    inv.stale_security_groups.insert(s.group_id.clone(), s);
                }
            },
        ));
    }
    let groups: Vec<String> = inv
        .security_groups
        .keys()
        .map(ToString::to_string)
        .collect();
    for chunk in groups.chunks(100) {
        let client = ec2c.clone();
        let chunk = chunk.to_vec();
        calls.push(call(
            Kind::SecurityGroupReferences,
            region,
            async move {
                client
                    .describe_security_group_references()
                    .set_group_id(Some(chunk))
                    .send()
                    .await
                    .map(|out| {
                        out.security_group_reference_set()
                            .iter()
                            .filter_map(ec2_security::security_group_reference)
                            .collect::<Vec<_>>()
                    })
            },
            |inv, refs| {
                for r in refs {
                    if !inv.security_group_references.contains(&r) {
                        inv.security_group_references.push(r);
                    }
                }
            },
        ));
    }
    calls
}

/// VPC Block Public Access of the Region: its options and every exclusion (the mode is
/// account-wide per Region, so these are not narrowed to VPCs).
pub(crate) fn bpa_calls(ec2c: &aws_sdk_ec2::Client, region: &Arc<str>) -> Vec<Call> {
    let client = ec2c.clone();
    let name = region.to_string();
    let options = call(
        Kind::VpcBlockPublicAccessOptions,
        region,
        async move {
            client
                .describe_vpc_block_public_access_options()
                .send()
                .await
                .map(|out| {
                    out.vpc_block_public_access_options()
                        .map(|o| bpa::options(o, &name))
                })
        },
        |inv, options| {
            if let Some(o) = options {
                inv.vpc_bpa_options
                    .insert(o.aws_region.clone().unwrap_or_default(), o);
            }
        },
    );
    let client = ec2c.clone();
    let exclusions = call(
        Kind::VpcBlockPublicAccessExclusions,
        region,
        async move {
            // No paginator in the SDK for this operation: follow NextToken by hand.
            let mut items = Vec::new();
            let mut token: Option<String> = None;
            loop {
                let out = client
                    .describe_vpc_block_public_access_exclusions()
                    .max_results(page_size(1000).max(5))
                    .set_next_token(token.take())
                    .send()
                    .await?;
                items.extend(
                    out.vpc_block_public_access_exclusions()
                        .iter()
                        .filter_map(bpa::exclusion),
                );
                match out.next_token() {
                    Some(t) if !t.is_empty() => token = Some(t.to_owned()),
                    _ => break,
                }
            }
            Ok(items)
        },
        |inv, items| {
            for e in items {
                inv.vpc_bpa_exclusions.insert(e.exclusion_id.clone(), e);
            }
        },
    );
    vec![options, exclusions]
}
