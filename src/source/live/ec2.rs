//! AWS SDK EC2 output → Inventory types (the same model the snapshot loader fills).
//!
//! Each function gives exactly what the snapshot loader reads from the equivalent
//! `aws ec2 describe-*` JSON: enums become their AWS string, absent lists become empty, absent
//! fields stay `None`, timestamps are printed the way the AWS CLI prints them. A top-level
//! function returns `None` only when the SDK value lacks the id the model is keyed by; a nested
//! item lacking a field the model requires (a tag without `Key`, a NACL entry without
//! `RuleNumber`) is left out, as the loader could not have read it either.

use aws_sdk_ec2::types;

use super::elbv2::cli_timestamp;
use crate::model::ec2::{
    CidrBlockAssociation, DnsEntry, GatewayAttachment, GroupIdentifier, IcmpTypeCode, Instance,
    InstanceNetworkInterface, InstanceState, InternetGateway, IpPermission, IpRange,
    Ipv4PrefixSpecification, Ipv6CidrBlockAssociation, Ipv6Range, ManagedPrefixList, NatGateway,
    NatGatewayAddress, NetworkAcl, NetworkAclAssociation, NetworkAclEntry, NetworkInterface,
    NetworkInterfaceAttachment, NetworkInterfaceIpv6Address, NetworkInterfacePrivateIp,
    PeeringStatus, PeeringVpcInfo, Placement, PortRange, PrefixListEntry, PrefixListRef, Route,
    RouteTable, RouteTableAssociation, SecurityGroup, SecurityGroupReference, StaleIpPermission,
    StaleSecurityGroup, Subnet, Tag, UserIdGroupPair, Vpc, VpcEndpoint, VpcPeeringConnection,
};

/// `Option<&str>` → owned.
fn s(v: Option<&str>) -> Option<String> {
    v.map(str::to_owned)
}

/// `Option<&str>` → an id newtype.
fn id<T: for<'a> From<&'a str>>(v: Option<&str>) -> Option<T> {
    v.map(T::from)
}

/// Tags; one without a key is left out.
pub(super) fn tags(t: &[types::Tag]) -> Vec<Tag> {
    t.iter()
        .filter_map(|t| {
            Some(Tag {
                key: t.key()?.to_owned(),
                value: t.value().unwrap_or_default().to_owned(),
            })
        })
        .collect()
}

pub(super) fn vpc(v: &types::Vpc) -> Option<Vpc> {
    Some(Vpc {
        vpc_id: v.vpc_id()?.into(),
        cidr_block: s(v.cidr_block()),
        cidr_block_association_set: v
            .cidr_block_association_set()
            .iter()
            .filter_map(|a| {
                Some(CidrBlockAssociation {
                    cidr_block: a.cidr_block()?.to_owned(),
                    association_id: s(a.association_id()),
                })
            })
            .collect(),
        ipv6_cidr_block_association_set: v
            .ipv6_cidr_block_association_set()
            .iter()
            .map(|a| Ipv6CidrBlockAssociation {
                ipv6_cidr_block: s(a.ipv6_cidr_block()),
                association_id: s(a.association_id()),
            })
            .collect(),
        state: v.state().map(|x| x.as_str().to_owned()),
        is_default: v.is_default(),
        owner_id: s(v.owner_id()),
        tags: tags(v.tags()),
    })
}

pub(super) fn subnet(sn: &types::Subnet) -> Option<Subnet> {
    Some(Subnet {
        subnet_id: sn.subnet_id()?.into(),
        vpc_id: sn.vpc_id()?.into(),
        cidr_block: s(sn.cidr_block()),
        ipv6_cidr_block_association_set: sn
            .ipv6_cidr_block_association_set()
            .iter()
            .map(|a| Ipv6CidrBlockAssociation {
                ipv6_cidr_block: s(a.ipv6_cidr_block()),
                association_id: s(a.association_id()),
            })
            .collect(),
        availability_zone: s(sn.availability_zone()),
        availability_zone_id: s(sn.availability_zone_id()),
        available_ip_address_count: sn.available_ip_address_count().map(i64::from),
        default_for_az: sn.default_for_az(),
        map_public_ip_on_launch: sn.map_public_ip_on_launch(),
        state: sn.state().map(|x| x.as_str().to_owned()),
        owner_id: s(sn.owner_id()),
        tags: tags(sn.tags()),
    })
}

pub(super) fn route_table(rt: &types::RouteTable) -> Option<RouteTable> {
    Some(RouteTable {
        route_table_id: rt.route_table_id()?.into(),
        vpc_id: rt.vpc_id()?.into(),
        associations: rt
            .associations()
            .iter()
            .map(route_table_association)
            .collect(),
        routes: rt.routes().iter().map(route).collect(),
        owner_id: s(rt.owner_id()),
        tags: tags(rt.tags()),
    })
}

pub(super) fn route_table_association(a: &types::RouteTableAssociation) -> RouteTableAssociation {
    RouteTableAssociation {
        main: a.main().unwrap_or(false),
        subnet_id: id(a.subnet_id()),
        gateway_id: s(a.gateway_id()),
        route_table_association_id: s(a.route_table_association_id()),
    }
}

pub(super) fn route(r: &types::Route) -> Route {
    Route {
        destination_cidr_block: s(r.destination_cidr_block()),
        destination_ipv6_cidr_block: s(r.destination_ipv6_cidr_block()),
        destination_prefix_list_id: s(r.destination_prefix_list_id()),
        gateway_id: s(r.gateway_id()),
        nat_gateway_id: s(r.nat_gateway_id()),
        transit_gateway_id: s(r.transit_gateway_id()),
        vpc_peering_connection_id: s(r.vpc_peering_connection_id()),
        network_interface_id: s(r.network_interface_id()),
        instance_id: s(r.instance_id()),
        state: r.state().map(|x| x.as_str().to_owned()),
        origin: r.origin().map(|x| x.as_str().to_owned()),
    }
}

pub(super) fn network_acl(n: &types::NetworkAcl) -> Option<NetworkAcl> {
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
                    network_acl_association_id: s(a.network_acl_association_id()),
                    network_acl_id: id(a.network_acl_id()),
                })
            })
            .collect(),
        entries: n.entries().iter().filter_map(network_acl_entry).collect(),
        owner_id: s(n.owner_id()),
        tags: tags(n.tags()),
    })
}

/// `None` when a field the model requires (number, protocol, action, direction) is absent.
pub(super) fn network_acl_entry(e: &types::NetworkAclEntry) -> Option<NetworkAclEntry> {
    Some(NetworkAclEntry {
        rule_number: e.rule_number()?,
        protocol: e.protocol()?.to_owned(),
        rule_action: e.rule_action()?.as_str().to_owned(),
        egress: e.egress()?,
        cidr_block: s(e.cidr_block()),
        ipv6_cidr_block: s(e.ipv6_cidr_block()),
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

pub(super) fn internet_gateway(g: &types::InternetGateway) -> Option<InternetGateway> {
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
        owner_id: s(g.owner_id()),
        tags: tags(g.tags()),
    })
}

pub(super) fn nat_gateway(g: &types::NatGateway) -> Option<NatGateway> {
    Some(NatGateway {
        nat_gateway_id: g.nat_gateway_id()?.into(),
        vpc_id: id(g.vpc_id()),
        subnet_id: id(g.subnet_id()),
        state: g.state().map(|x| x.as_str().to_owned()),
        connectivity_type: g.connectivity_type().map(|x| x.as_str().to_owned()),
        nat_gateway_addresses: g
            .nat_gateway_addresses()
            .iter()
            .map(|a| NatGatewayAddress {
                allocation_id: s(a.allocation_id()),
                network_interface_id: id(a.network_interface_id()),
                private_ip: s(a.private_ip()),
                public_ip: s(a.public_ip()),
            })
            .collect(),
        tags: tags(g.tags()),
    })
}

pub(super) fn security_group(g: &types::SecurityGroup) -> Option<SecurityGroup> {
    Some(SecurityGroup {
        group_id: g.group_id()?.into(),
        group_name: g.group_name().unwrap_or_default().to_owned(),
        description: s(g.description()),
        vpc_id: id(g.vpc_id()),
        owner_id: s(g.owner_id()),
        ip_permissions: g
            .ip_permissions()
            .iter()
            .filter_map(ip_permission)
            .collect(),
        ip_permissions_egress: g
            .ip_permissions_egress()
            .iter()
            .filter_map(ip_permission)
            .collect(),
        tags: tags(g.tags()),
    })
}

/// `None` when the permission has no `IpProtocol` (AWS always sends one).
pub(super) fn ip_permission(p: &types::IpPermission) -> Option<IpPermission> {
    Some(IpPermission {
        ip_protocol: p.ip_protocol()?.to_owned(),
        from_port: p.from_port(),
        to_port: p.to_port(),
        ip_ranges: p
            .ip_ranges()
            .iter()
            .filter_map(|r| {
                Some(IpRange {
                    cidr_ip: r.cidr_ip()?.to_owned(),
                    description: s(r.description()),
                })
            })
            .collect(),
        ipv6_ranges: p
            .ipv6_ranges()
            .iter()
            .filter_map(|r| {
                Some(Ipv6Range {
                    cidr_ipv6: r.cidr_ipv6()?.to_owned(),
                    description: s(r.description()),
                })
            })
            .collect(),
        prefix_list_ids: p
            .prefix_list_ids()
            .iter()
            .filter_map(|r| {
                Some(PrefixListRef {
                    prefix_list_id: r.prefix_list_id()?.into(),
                    description: s(r.description()),
                })
            })
            .collect(),
        user_id_group_pairs: p
            .user_id_group_pairs()
            .iter()
            .map(user_id_group_pair)
            .collect(),
    })
}

pub(super) fn user_id_group_pair(p: &types::UserIdGroupPair) -> UserIdGroupPair {
    UserIdGroupPair {
        group_id: id(p.group_id()),
        group_name: s(p.group_name()),
        user_id: s(p.user_id()),
        vpc_id: id(p.vpc_id()),
        vpc_peering_connection_id: id(p.vpc_peering_connection_id()),
        peering_status: s(p.peering_status()),
        description: s(p.description()),
    }
}

/// `None` without a `GroupId`.
pub(super) fn group_identifier(g: &types::GroupIdentifier) -> Option<GroupIdentifier> {
    Some(GroupIdentifier {
        group_id: g.group_id()?.into(),
        group_name: s(g.group_name()),
    })
}

pub(super) fn network_interface(n: &types::NetworkInterface) -> Option<NetworkInterface> {
    Some(NetworkInterface {
        network_interface_id: n.network_interface_id()?.into(),
        interface_type: n.interface_type().map(|x| x.as_str().to_owned()),
        description: s(n.description()),
        requester_managed: n.requester_managed(),
        requester_id: s(n.requester_id()),
        groups: n.groups().iter().filter_map(group_identifier).collect(),
        subnet_id: id(n.subnet_id()),
        vpc_id: id(n.vpc_id()),
        availability_zone: s(n.availability_zone()),
        private_ip_address: s(n.private_ip_address()),
        private_ip_addresses: n
            .private_ip_addresses()
            .iter()
            .filter_map(|a| {
                Some(NetworkInterfacePrivateIp {
                    private_ip_address: a.private_ip_address()?.to_owned(),
                    primary: a.primary().unwrap_or(false),
                })
            })
            .collect(),
        ipv4_prefixes: n
            .ipv4_prefixes()
            .iter()
            .filter_map(|p| {
                Some(Ipv4PrefixSpecification {
                    ipv4_prefix: p.ipv4_prefix()?.to_owned(),
                })
            })
            .collect(),
        ipv6_addresses: n
            .ipv6_addresses()
            .iter()
            .filter_map(|a| {
                Some(NetworkInterfaceIpv6Address {
                    ipv6_address: a.ipv6_address()?.to_owned(),
                })
            })
            .collect(),
        attachment: n.attachment().map(|a| NetworkInterfaceAttachment {
            attachment_id: s(a.attachment_id()),
            instance_id: id(a.instance_id()),
            instance_owner_id: s(a.instance_owner_id()),
            device_index: a.device_index(),
            status: a.status().map(|x| x.as_str().to_owned()),
            delete_on_termination: a.delete_on_termination(),
        }),
        status: n.status().map(|x| x.as_str().to_owned()),
        owner_id: s(n.owner_id()),
        tag_set: tags(n.tag_set()),
    })
}

/// One `Reservations[].Instances[]` item (the loader keeps instances, not reservations).
pub(super) fn instance(i: &types::Instance) -> Option<Instance> {
    Some(Instance {
        instance_id: i.instance_id()?.into(),
        state: i.state().and_then(|st| {
            Some(InstanceState {
                code: st.code(),
                name: st.name()?.as_str().to_owned(),
            })
        }),
        private_ip_address: s(i.private_ip_address()),
        subnet_id: id(i.subnet_id()),
        vpc_id: id(i.vpc_id()),
        placement: i.placement().map(|p| Placement {
            availability_zone: s(p.availability_zone()),
        }),
        security_groups: i
            .security_groups()
            .iter()
            .filter_map(group_identifier)
            .collect(),
        network_interfaces: i
            .network_interfaces()
            .iter()
            .filter_map(instance_network_interface)
            .collect(),
        tags: tags(i.tags()),
    })
}

/// An ENI inside an instance; its attachment carries no instance (AWS omits it there too).
pub(super) fn instance_network_interface(
    n: &types::InstanceNetworkInterface,
) -> Option<InstanceNetworkInterface> {
    Some(InstanceNetworkInterface {
        network_interface_id: n.network_interface_id()?.into(),
        attachment: n.attachment().map(|a| NetworkInterfaceAttachment {
            attachment_id: s(a.attachment_id()),
            instance_id: None,
            instance_owner_id: None,
            device_index: a.device_index(),
            status: a.status().map(|x| x.as_str().to_owned()),
            delete_on_termination: a.delete_on_termination(),
        }),
        groups: n.groups().iter().filter_map(group_identifier).collect(),
        private_ip_address: s(n.private_ip_address()),
        subnet_id: id(n.subnet_id()),
    })
}

pub(super) fn managed_prefix_list(p: &types::ManagedPrefixList) -> Option<ManagedPrefixList> {
    Some(ManagedPrefixList {
        prefix_list_id: p.prefix_list_id()?.into(),
        prefix_list_name: p.prefix_list_name().unwrap_or_default().to_owned(),
        address_family: s(p.address_family()),
        max_entries: p.max_entries().map(i64::from),
        owner_id: s(p.owner_id()),
        version: p.version(),
        state: p.state().map(|x| x.as_str().to_owned()),
        prefix_list_arn: s(p.prefix_list_arn()),
        tags: tags(p.tags()),
    })
}

/// The parent list id is the caller's key. AWS always sends `Cidr`; were it absent the entry
/// would carry an empty CIDR, which matches no address.
pub(super) fn prefix_list_entry(e: &types::PrefixListEntry) -> PrefixListEntry {
    PrefixListEntry {
        cidr: e.cidr().unwrap_or_default().to_owned(),
        description: s(e.description()),
    }
}

pub(super) fn vpc_endpoint(e: &types::VpcEndpoint) -> Option<VpcEndpoint> {
    Some(VpcEndpoint {
        vpc_endpoint_id: e.vpc_endpoint_id()?.into(),
        vpc_endpoint_type: e.vpc_endpoint_type().map(|x| x.as_str().to_owned()),
        vpc_id: id(e.vpc_id()),
        service_name: s(e.service_name()),
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
                    group_name: s(g.group_name()),
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
                dns_name: s(d.dns_name()),
                hosted_zone_id: s(d.hosted_zone_id()),
            })
            .collect(),
        owner_id: s(e.owner_id()),
        creation_timestamp: e.creation_timestamp().and_then(cli_timestamp),
        tags: tags(e.tags()),
    })
}

pub(super) fn vpc_peering_connection(
    p: &types::VpcPeeringConnection,
) -> Option<VpcPeeringConnection> {
    Some(VpcPeeringConnection {
        vpc_peering_connection_id: p.vpc_peering_connection_id()?.into(),
        accepter_vpc_info: p.accepter_vpc_info().map(peering_vpc_info),
        requester_vpc_info: p.requester_vpc_info().map(peering_vpc_info),
        status: p.status().and_then(|st| {
            Some(PeeringStatus {
                code: st.code()?.as_str().to_owned(),
                message: s(st.message()),
            })
        }),
        tags: tags(p.tags()),
    })
}

pub(super) fn peering_vpc_info(i: &types::VpcPeeringConnectionVpcInfo) -> PeeringVpcInfo {
    PeeringVpcInfo {
        vpc_id: id(i.vpc_id()),
        owner_id: s(i.owner_id()),
        cidr_block: s(i.cidr_block()),
        region: s(i.region()),
    }
}

/// `None` without the referenced `GroupId` (AWS echoes it in every item).
pub(super) fn security_group_reference(
    r: &types::SecurityGroupReference,
) -> Option<SecurityGroupReference> {
    Some(SecurityGroupReference {
        group_id: r.group_id()?.into(),
        referencing_vpc_id: id(r.referencing_vpc_id()),
        vpc_peering_connection_id: id(r.vpc_peering_connection_id()),
        transit_gateway_id: s(r.transit_gateway_id()),
    })
}

pub(super) fn stale_security_group(g: &types::StaleSecurityGroup) -> Option<StaleSecurityGroup> {
    Some(StaleSecurityGroup {
        group_id: g.group_id()?.into(),
        group_name: s(g.group_name()),
        vpc_id: id(g.vpc_id()),
        stale_ip_permissions: g
            .stale_ip_permissions()
            .iter()
            .map(stale_ip_permission)
            .collect(),
        stale_ip_permissions_egress: g
            .stale_ip_permissions_egress()
            .iter()
            .map(stale_ip_permission)
            .collect(),
    })
}

pub(super) fn stale_ip_permission(p: &types::StaleIpPermission) -> StaleIpPermission {
    StaleIpPermission {
        ip_protocol: s(p.ip_protocol()),
        from_port: p.from_port(),
        to_port: p.to_port(),
        user_id_group_pairs: p
            .user_id_group_pairs()
            .iter()
            .map(user_id_group_pair)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(k: &str, v: &str) -> types::Tag {
        types::Tag::builder().key(k).value(v).build()
    }

    #[test]
    fn security_group_with_prefix_list_and_group_rules() {
        let sdk = types::SecurityGroup::builder()
            .group_id("sg-1")
            .group_name("web")
            .description("web tier")
            .vpc_id("vpc-1")
            .owner_id("111122223333")
            .ip_permissions(
                types::IpPermission::builder()
                    .ip_protocol("tcp")
                    .from_port(443)
                    .to_port(443)
                    .prefix_list_ids(
                        types::PrefixListId::builder()
                            .prefix_list_id("pl-3b927c52")
                            .description("CloudFront")
                            .build(),
                    )
                    .build(),
            )
            .ip_permissions(
                types::IpPermission::builder()
                    .ip_protocol("tcp")
                    .from_port(8080)
                    .to_port(8080)
                    .user_id_group_pairs(
                        types::UserIdGroupPair::builder()
                            .group_id("sg-2")
                            .user_id("444455556666")
                            .vpc_id("vpc-2")
                            .vpc_peering_connection_id("pcx-1")
                            .peering_status("active")
                            .build(),
                    )
                    .ip_ranges(types::IpRange::builder().cidr_ip("10.0.0.0/8").build())
                    .ipv6_ranges(
                        types::Ipv6Range::builder()
                            .cidr_ipv6("::/0")
                            .description("v6")
                            .build(),
                    )
                    .build(),
            )
            .ip_permissions_egress(
                types::IpPermission::builder()
                    .ip_protocol("-1")
                    .ip_ranges(types::IpRange::builder().cidr_ip("0.0.0.0/0").build())
                    .build(),
            )
            .tags(tag("Name", "web"))
            .tags(types::Tag::builder().value("keyless").build())
            .build();
        let json = r#"{
            "GroupId": "sg-1", "GroupName": "web", "Description": "web tier",
            "VpcId": "vpc-1", "OwnerId": "111122223333",
            "IpPermissions": [
                {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                 "IpRanges": [], "Ipv6Ranges": [], "UserIdGroupPairs": [],
                 "PrefixListIds": [{"PrefixListId": "pl-3b927c52", "Description": "CloudFront"}]},
                {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080,
                 "IpRanges": [{"CidrIp": "10.0.0.0/8"}],
                 "Ipv6Ranges": [{"CidrIpv6": "::/0", "Description": "v6"}],
                 "PrefixListIds": [],
                 "UserIdGroupPairs": [{"GroupId": "sg-2", "UserId": "444455556666",
                     "VpcId": "vpc-2", "VpcPeeringConnectionId": "pcx-1",
                     "PeeringStatus": "active"}]}
            ],
            "IpPermissionsEgress": [
                {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                 "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}
            ],
            "Tags": [{"Key": "Name", "Value": "web"}]
        }"#;
        let want: SecurityGroup = serde_json::from_str(json).expect("fixture parses");
        assert_eq!(security_group(&sdk), Some(want));
        assert_eq!(
            security_group(&types::SecurityGroup::builder().build()),
            None
        );
    }

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
    fn requester_managed_network_interface() {
        let sdk = types::NetworkInterface::builder()
            .network_interface_id("eni-1")
            .interface_type(types::NetworkInterfaceType::from("cloudfront_managed"))
            .description("ELB app/web/0123456789abcdef")
            .requester_managed(true)
            .requester_id("amazon-elb")
            .groups(
                types::GroupIdentifier::builder()
                    .group_id("sg-1")
                    .group_name("web")
                    .build(),
            )
            .subnet_id("subnet-1")
            .vpc_id("vpc-1")
            .availability_zone("us-east-1a")
            .private_ip_address("10.0.1.5")
            .private_ip_addresses(
                types::NetworkInterfacePrivateIpAddress::builder()
                    .private_ip_address("10.0.1.5")
                    .primary(true)
                    .build(),
            )
            .private_ip_addresses(
                types::NetworkInterfacePrivateIpAddress::builder()
                    .private_ip_address("10.0.1.6")
                    .build(),
            )
            .ipv4_prefixes(
                types::Ipv4PrefixSpecification::builder()
                    .ipv4_prefix("10.0.1.16/28")
                    .build(),
            )
            .ipv6_addresses(
                types::NetworkInterfaceIpv6Address::builder()
                    .ipv6_address("2600::1")
                    .build(),
            )
            .attachment(
                types::NetworkInterfaceAttachment::builder()
                    .attachment_id("ela-attach-1")
                    .instance_owner_id("amazon-elb")
                    .device_index(1)
                    .status(types::AttachmentStatus::Attached)
                    .build(),
            )
            .status(types::NetworkInterfaceStatus::InUse)
            .owner_id("111122223333")
            .tag_set(tag("k", ""))
            .build();
        let json = r#"{
            "NetworkInterfaceId": "eni-1", "InterfaceType": "cloudfront_managed",
            "Description": "ELB app/web/0123456789abcdef",
            "RequesterManaged": true, "RequesterId": "amazon-elb",
            "Groups": [{"GroupId": "sg-1", "GroupName": "web"}],
            "SubnetId": "subnet-1", "VpcId": "vpc-1", "AvailabilityZone": "us-east-1a",
            "PrivateIpAddress": "10.0.1.5",
            "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.1.5", "Primary": true},
                                   {"PrivateIpAddress": "10.0.1.6"}],
            "Ipv4Prefixes": [{"Ipv4Prefix": "10.0.1.16/28"}],
            "Ipv6Addresses": [{"Ipv6Address": "2600::1"}],
            "Attachment": {"AttachmentId": "ela-attach-1", "InstanceOwnerId": "amazon-elb",
                           "DeviceIndex": 1, "Status": "attached"},
            "Status": "in-use", "OwnerId": "111122223333",
            "TagSet": [{"Key": "k", "Value": ""}]
        }"#;
        let want: NetworkInterface = serde_json::from_str(json).expect("fixture parses");
        assert_eq!(network_interface(&sdk), Some(want));
    }

    #[test]
    fn instance_from_reservation_item() {
        let sdk = types::Instance::builder()
            .instance_id("i-1")
            .state(
                types::InstanceState::builder()
                    .code(16)
                    .name(types::InstanceStateName::Running)
                    .build(),
            )
            .private_ip_address("10.0.1.7")
            .subnet_id("subnet-1")
            .vpc_id("vpc-1")
            .placement(
                types::Placement::builder()
                    .availability_zone("us-east-1a")
                    .tenancy(types::Tenancy::Default)
                    .build(),
            )
            .security_groups(
                types::GroupIdentifier::builder()
                    .group_id("sg-1")
                    .group_name("web")
                    .build(),
            )
            .network_interfaces(
                types::InstanceNetworkInterface::builder()
                    .network_interface_id("eni-1")
                    .attachment(
                        types::InstanceNetworkInterfaceAttachment::builder()
                            .attachment_id("eni-attach-1")
                            .device_index(0)
                            .status(types::AttachmentStatus::Attached)
                            .delete_on_termination(true)
                            .build(),
                    )
                    .groups(types::GroupIdentifier::builder().group_id("sg-1").build())
                    .private_ip_address("10.0.1.7")
                    .subnet_id("subnet-1")
                    .build(),
            )
            .tags(tag("Name", "app"))
            .build();
        let json = r#"{
            "Reservations": [{"ReservationId": "r-1", "OwnerId": "111122223333", "Instances": [{
                "InstanceId": "i-1", "State": {"Code": 16, "Name": "running"},
                "PrivateIpAddress": "10.0.1.7", "SubnetId": "subnet-1", "VpcId": "vpc-1",
                "Placement": {"AvailabilityZone": "us-east-1a", "Tenancy": "default"},
                "SecurityGroups": [{"GroupId": "sg-1", "GroupName": "web"}],
                "NetworkInterfaces": [{"NetworkInterfaceId": "eni-1",
                    "Attachment": {"AttachmentId": "eni-attach-1", "DeviceIndex": 0,
                                   "Status": "attached", "DeleteOnTermination": true},
                    "Groups": [{"GroupId": "sg-1"}],
                    "PrivateIpAddress": "10.0.1.7", "SubnetId": "subnet-1"}],
                "Tags": [{"Key": "Name", "Value": "app"}]
            }]}]
        }"#;
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Out {
            reservations: Vec<crate::model::ec2::Reservation>,
        }
        let out: Out = serde_json::from_str(json).expect("fixture parses");
        let want = out
            .reservations
            .into_iter()
            .flat_map(|r| r.instances)
            .next()
            .expect("one instance");
        assert_eq!(instance(&sdk), Some(want));
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
