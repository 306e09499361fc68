//! AWS SDK EC2 output → Inventory types for the network layout: VPCs, subnets, route tables,
//! NACLs, internet and NAT gateways, VPC endpoints, peering connections, managed prefix lists.
//! Security groups and what carries them (ENIs, instances) are in [`super::ec2_security`].
//!
//! Each function gives exactly what the snapshot loader reads from the equivalent
//! `aws ec2 describe-*` JSON: enums become their AWS string, absent lists become empty, absent
//! fields stay `None`, timestamps are printed the way the AWS CLI prints them. A top-level
//! function returns `None` only when the SDK value lacks the id the model is keyed by; a nested
//! item lacking a field the model requires (a tag without `Key`, a NACL entry without
//! `RuleNumber`) is left out, as the loader could not have read it either.

use aws_sdk_ec2::types;

use super::{cli_timestamp, id_of, owned};
use crate::model::ec2::{
    CidrBlockAssociation, DnsEntry, GatewayAttachment, GroupIdentifier, IcmpTypeCode,
    InternetGateway, Ipv6CidrBlockAssociation, ManagedPrefixList, NatGateway, NatGatewayAddress,
    NetworkAcl, NetworkAclAssociation, NetworkAclEntry, PeeringStatus, PeeringVpcInfo, PortRange,
    PrefixListEntry, Route, RouteTable, RouteTableAssociation, Subnet, Tag, Vpc, VpcEndpoint,
    VpcPeeringConnection,
};

/// Tags; one without a key is left out.
pub(crate) fn tags(t: &[types::Tag]) -> Vec<Tag> {
    t.iter()
        .filter_map(|t| {
            Some(Tag {
                key: t.key()?.to_owned(),
                value: t.value().unwrap_or_default().to_owned(),
            })
        })
        .collect()
}

pub(crate) fn vpc(v: &types::Vpc) -> Option<Vpc> {
    Some(Vpc {
        vpc_id: v.vpc_id()?.into(),
        cidr_block: owned(v.cidr_block()),
        cidr_block_association_set: v
            .cidr_block_association_set()
            .iter()
            .filter_map(|a| {
                Some(CidrBlockAssociation {
                    cidr_block: a.cidr_block()?.to_owned(),
                    association_id: owned(a.association_id()),
                })
            })
            .collect(),
        ipv6_cidr_block_association_set: v
            .ipv6_cidr_block_association_set()
            .iter()
            .map(|a| Ipv6CidrBlockAssociation {
                ipv6_cidr_block: owned(a.ipv6_cidr_block()),
                association_id: owned(a.association_id()),
            })
            .collect(),
        state: v.state().map(|x| x.as_str().to_owned()),
        is_default: v.is_default(),
        owner_id: owned(v.owner_id()),
        tags: tags(v.tags()),
    })
}

pub(crate) fn subnet(sn: &types::Subnet) -> Option<Subnet> {
    Some(Subnet {
        subnet_id: sn.subnet_id()?.into(),
        vpc_id: sn.vpc_id()?.into(),
        cidr_block: owned(sn.cidr_block()),
        ipv6_cidr_block_association_set: sn
            .ipv6_cidr_block_association_set()
            .iter()
            .map(|a| Ipv6CidrBlockAssociation {
                ipv6_cidr_block: owned(a.ipv6_cidr_block()),
                association_id: owned(a.association_id()),
            })
            .collect(),
        availability_zone: owned(sn.availability_zone()),
        availability_zone_id: owned(sn.availability_zone_id()),
        available_ip_address_count: sn.available_ip_address_count().map(i64::from),
        default_for_az: sn.default_for_az(),
        map_public_ip_on_launch: sn.map_public_ip_on_launch(),
        state: sn.state().map(|x| x.as_str().to_owned()),
        owner_id: owned(sn.owner_id()),
        tags: tags(sn.tags()),
    })
}

pub(crate) fn route_table(rt: &types::RouteTable) -> Option<RouteTable> {
    Some(RouteTable {
        route_table_id: rt.route_table_id()?.into(),
        vpc_id: rt.vpc_id()?.into(),
        associations: rt
            .associations()
            .iter()
            .map(route_table_association)
            .collect(),
        routes: rt.routes().iter().map(route).collect(),
        owner_id: owned(rt.owner_id()),
        tags: tags(rt.tags()),
    })
}

pub(crate) fn route_table_association(a: &types::RouteTableAssociation) -> RouteTableAssociation {
    RouteTableAssociation {
        main: a.main().unwrap_or(false),
        subnet_id: id_of(a.subnet_id()),
        gateway_id: owned(a.gateway_id()),
        route_table_association_id: owned(a.route_table_association_id()),
    }
}

pub(crate) fn route(r: &types::Route) -> Route {
    Route {
        destination_cidr_block: owned(r.destination_cidr_block()),
        destination_ipv6_cidr_block: owned(r.destination_ipv6_cidr_block()),
        destination_prefix_list_id: owned(r.destination_prefix_list_id()),
        gateway_id: owned(r.gateway_id()),
        egress_only_internet_gateway_id: owned(r.egress_only_internet_gateway_id()),
        nat_gateway_id: owned(r.nat_gateway_id()),
        transit_gateway_id: owned(r.transit_gateway_id()),
        vpc_peering_connection_id: owned(r.vpc_peering_connection_id()),
        network_interface_id: owned(r.network_interface_id()),
        instance_id: owned(r.instance_id()),
        state: r.state().map(|x| x.as_str().to_owned()),
        origin: r.origin().map(|x| x.as_str().to_owned()),
    }
}

pub(crate) fn network_acl(n: &types::NetworkAcl) -> Option<NetworkAcl> {
    Some(NetworkAcl {
        network_acl_id: n.network_acl_id()?.into(),
        vpc_id: n.vpc_id()?.into(),
        is_default: n.is_default().unwrap_or(false),
        associations: n
            .associations()
            .iter()
            .filter_map(|a| {
                Some(NetworkAclAssociation {
                    subnet_id: a.subnet_id()?.into(),
                    network_acl_association_id: owned(a.network_acl_association_id()),
                    network_acl_id: id_of(a.network_acl_id()),
                })
            })
            .collect(),
        entries: n.entries().iter().filter_map(network_acl_entry).collect(),
        owner_id: owned(n.owner_id()),
        tags: tags(n.tags()),
    })
}

/// `None` when a field the model requires (number, protocol, action, direction) is absent.
pub(crate) fn network_acl_entry(e: &types::NetworkAclEntry) -> Option<NetworkAclEntry> {
    Some(NetworkAclEntry {
        rule_number: e.rule_number()?,
        protocol: e.protocol()?.to_owned(),
        rule_action: e.rule_action()?.as_str().to_owned(),
        egress: e.egress()?,
        cidr_block: owned(e.cidr_block()),
        ipv6_cidr_block: owned(e.ipv6_cidr_block()),
        port_range: e.port_range().map(|p| PortRange {
            from: p.from(),
            to: p.to(),
        }),
        icmp_type_code: e.icmp_type_code().map(|i| IcmpTypeCode {
            code: i.code(),
            kind: i.r#type(),
        }),
    })
}

pub(crate) fn internet_gateway(g: &types::InternetGateway) -> Option<InternetGateway> {
    Some(InternetGateway {
        internet_gateway_id: g.internet_gateway_id()?.into(),
        attachments: g
            .attachments()
            .iter()
            .filter_map(|a| {
                Some(GatewayAttachment {
                    vpc_id: a.vpc_id()?.into(),
                    state: a.state().map(|x| x.as_str().to_owned()),
                })
            })
            .collect(),
        owner_id: owned(g.owner_id()),
        tags: tags(g.tags()),
    })
}

pub(crate) fn nat_gateway(g: &types::NatGateway) -> Option<NatGateway> {
    Some(NatGateway {
        nat_gateway_id: g.nat_gateway_id()?.into(),
        vpc_id: id_of(g.vpc_id()),
        subnet_id: id_of(g.subnet_id()),
        state: g.state().map(|x| x.as_str().to_owned()),
        connectivity_type: g.connectivity_type().map(|x| x.as_str().to_owned()),
        nat_gateway_addresses: g
            .nat_gateway_addresses()
            .iter()
            .map(|a| NatGatewayAddress {
                allocation_id: owned(a.allocation_id()),
                network_interface_id: id_of(a.network_interface_id()),
                private_ip: owned(a.private_ip()),
                public_ip: owned(a.public_ip()),
            })
            .collect(),
        tags: tags(g.tags()),
    })
}

pub(crate) fn managed_prefix_list(p: &types::ManagedPrefixList) -> Option<ManagedPrefixList> {
    Some(ManagedPrefixList {
        prefix_list_id: p.prefix_list_id()?.into(),
        prefix_list_name: p.prefix_list_name().unwrap_or_default().to_owned(),
        address_family: owned(p.address_family()),
        max_entries: p.max_entries().map(i64::from),
        owner_id: owned(p.owner_id()),
        version: p.version(),
        state: p.state().map(|x| x.as_str().to_owned()),
        prefix_list_arn: owned(p.prefix_list_arn()),
        tags: tags(p.tags()),
    })
}

/// The parent list id is the caller's key. AWS always sends `Cidr`; were it absent the entry
/// would carry an empty CIDR, which matches no address.
pub(crate) fn prefix_list_entry(e: &types::PrefixListEntry) -> PrefixListEntry {
    PrefixListEntry {
        cidr: e.cidr().unwrap_or_default().to_owned(),
        description: owned(e.description()),
    }
}

pub(crate) fn vpc_endpoint(e: &types::VpcEndpoint) -> Option<VpcEndpoint> {
    Some(VpcEndpoint {
        vpc_endpoint_id: e.vpc_endpoint_id()?.into(),
        vpc_endpoint_type: e.vpc_endpoint_type().map(|x| x.as_str().to_owned()),
        vpc_id: id_of(e.vpc_id()),
        service_name: owned(e.service_name()),
        state: e.state().map(|x| x.as_str().to_owned()),
        requester_managed: e.requester_managed(),
        subnet_ids: e.subnet_ids().iter().map(|x| x.as_str().into()).collect(),
        route_table_ids: e
            .route_table_ids()
            .iter()
            .map(|x| x.as_str().into())
            .collect(),
        groups: e
            .groups()
            .iter()
            .filter_map(|g| {
                Some(GroupIdentifier {
                    group_id: g.group_id()?.into(),
                    group_name: owned(g.group_name()),
                })
            })
            .collect(),
        network_interface_ids: e
            .network_interface_ids()
            .iter()
            .map(|x| x.as_str().into())
            .collect(),
        dns_entries: e
            .dns_entries()
            .iter()
            .map(|d| DnsEntry {
                dns_name: owned(d.dns_name()),
                hosted_zone_id: owned(d.hosted_zone_id()),
            })
            .collect(),
        owner_id: owned(e.owner_id()),
        creation_timestamp: e.creation_timestamp().and_then(cli_timestamp),
        tags: tags(e.tags()),
    })
}

pub(crate) fn vpc_peering_connection(
    p: &types::VpcPeeringConnection,
) -> Option<VpcPeeringConnection> {
    Some(VpcPeeringConnection {
        vpc_peering_connection_id: p.vpc_peering_connection_id()?.into(),
        accepter_vpc_info: p.accepter_vpc_info().map(peering_vpc_info),
        requester_vpc_info: p.requester_vpc_info().map(peering_vpc_info),
        status: p.status().and_then(|st| {
            Some(PeeringStatus {
                code: st.code()?.as_str().to_owned(),
                message: owned(st.message()),
            })
        }),
        tags: tags(p.tags()),
    })
}

pub(crate) fn peering_vpc_info(i: &types::VpcPeeringConnectionVpcInfo) -> PeeringVpcInfo {
    PeeringVpcInfo {
        vpc_id: id_of(i.vpc_id()),
        owner_id: owned(i.owner_id()),
        cidr_block: owned(i.cidr_block()),
        region: owned(i.region()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_acl_with_entries() {
        let sdk = types::NetworkAcl::builder()
            .network_acl_id("acl-1")
            .vpc_id("vpc-1")
            .is_default(true)
            .owner_id("111122223333")
            .associations(
                types::NetworkAclAssociation::builder()
                    .network_acl_association_id("aclassoc-1")
                    .network_acl_id("acl-1")
                    .subnet_id("subnet-1")
                    .build(),
            )
            .entries(
                types::NetworkAclEntry::builder()
                    .rule_number(100)
                    .protocol("6")
                    .rule_action(types::RuleAction::Allow)
                    .egress(false)
                    .cidr_block("0.0.0.0/0")
                    .port_range(types::PortRange::builder().from(443).to(443).build())
                    .build(),
            )
            .entries(
                types::NetworkAclEntry::builder()
                    .rule_number(110)
                    .protocol("1")
                    .rule_action(types::RuleAction::Deny)
                    .egress(true)
                    .ipv6_cidr_block("::/0")
                    .icmp_type_code(types::IcmpTypeCode::builder().r#type(8).code(-1).build())
                    .build(),
            )
            .entries(
                types::NetworkAclEntry::builder()
                    .rule_number(32767)
                    .protocol("-1")
                    .rule_action(types::RuleAction::Deny)
                    .egress(false)
                    .cidr_block("0.0.0.0/0")
                    .build(),
            )
            .build();
        let json = r#"{
            "NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": true,
            "OwnerId": "111122223333",
            "Associations": [{"NetworkAclAssociationId": "aclassoc-1",
                "NetworkAclId": "acl-1", "SubnetId": "subnet-1"}],
            "Entries": [
                {"RuleNumber": 100, "Protocol": "6", "RuleAction": "allow", "Egress": false,
                 "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 443, "To": 443}},
                {"RuleNumber": 110, "Protocol": "1", "RuleAction": "deny", "Egress": true,
                 "Ipv6CidrBlock": "::/0", "IcmpTypeCode": {"Type": 8, "Code": -1}},
                {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": false,
                 "CidrBlock": "0.0.0.0/0"}
            ],
            "Tags": []
        }"#;
        let want: NetworkAcl = serde_json::from_str(json).expect("fixture parses");
        assert_eq!(network_acl(&sdk), Some(want));
    }

    #[test]
    fn vpc_endpoint_timestamp_and_peering_status() {
        let sdk = types::VpcEndpoint::builder()
            .vpc_endpoint_id("vpce-1")
            .vpc_endpoint_type(types::VpcEndpointType::Gateway)
            .vpc_id("vpc-1")
            .service_name("com.amazonaws.us-east-1.s3")
            .state(types::State::from("available"))
            .route_table_ids("rtb-1")
            .creation_timestamp(aws_smithy_types::DateTime::from_secs(1_555_009_151))
            .build();
        let json = r#"{
            "VpcEndpointId": "vpce-1", "VpcEndpointType": "Gateway", "VpcId": "vpc-1",
            "ServiceName": "com.amazonaws.us-east-1.s3", "State": "available",
            "RouteTableIds": ["rtb-1"], "SubnetIds": [], "Groups": [],
            "NetworkInterfaceIds": [], "DnsEntries": [],
            "CreationTimestamp": "2019-04-11T18:59:11+00:00"
        }"#;
        let want: VpcEndpoint = serde_json::from_str(json).expect("fixture parses");
        assert_eq!(vpc_endpoint(&sdk), Some(want));

        let pcx = types::VpcPeeringConnection::builder()
            .vpc_peering_connection_id("pcx-1")
            .status(
                types::VpcPeeringConnectionStateReason::builder()
                    .code(types::VpcPeeringConnectionStateReasonCode::Active)
                    .message("Active")
                    .build(),
            )
            .requester_vpc_info(
                types::VpcPeeringConnectionVpcInfo::builder()
                    .vpc_id("vpc-1")
                    .owner_id("111122223333")
                    .cidr_block("10.0.0.0/16")
                    .region("us-east-1")
                    .build(),
            )
            .build();
        let json = r#"{
            "VpcPeeringConnectionId": "pcx-1",
            "Status": {"Code": "active", "Message": "Active"},
            "RequesterVpcInfo": {"VpcId": "vpc-1", "OwnerId": "111122223333",
                                 "CidrBlock": "10.0.0.0/16", "Region": "us-east-1"}
        }"#;
        let want: VpcPeeringConnection = serde_json::from_str(json).expect("fixture parses");
        assert_eq!(vpc_peering_connection(&pcx), Some(want));
    }
}
