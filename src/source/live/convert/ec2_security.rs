//! AWS SDK EC2 output → Inventory types for security groups and what carries or names them:
//! groups with their rules, network interfaces, instances, cross-VPC group references and
//! stale groups. The network layout is in [`super::ec2_network`].
//!
//! The same contract as the rest of [`super`]: exactly what the snapshot loader reads from the
//! equivalent `aws ec2 describe-*` JSON; a top-level function returns `None` only when the SDK
//! value lacks the id the model is keyed by; a nested item lacking a required field is left out.

use aws_sdk_ec2::types;

use super::ec2_network::tags;
use super::{id_of, owned};
use crate::model::ec2::{
    GroupIdentifier, Instance, InstanceNetworkInterface, InstanceState, IpPermission, IpRange,
    Ipv4PrefixSpecification, Ipv6Range, NetworkInterface, NetworkInterfaceAttachment,
    NetworkInterfaceIpv6Address, NetworkInterfacePrivateIp, Placement, PrefixListRef,
    SecurityGroup, SecurityGroupReference, StaleIpPermission, StaleSecurityGroup, UserIdGroupPair,
};

pub(crate) fn security_group(g: &types::SecurityGroup) -> Option<SecurityGroup> {
    Some(SecurityGroup {
        group_id: g.group_id()?.into(),
        group_name: g.group_name().unwrap_or_default().to_owned(),
        description: owned(g.description()),
        vpc_id: id_of(g.vpc_id()),
        owner_id: owned(g.owner_id()),
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
pub(crate) fn ip_permission(p: &types::IpPermission) -> Option<IpPermission> {
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
                    description: owned(r.description()),
                })
            })
            .collect(),
        ipv6_ranges: p
            .ipv6_ranges()
            .iter()
            .filter_map(|r| {
                Some(Ipv6Range {
                    cidr_ipv6: r.cidr_ipv6()?.to_owned(),
                    description: owned(r.description()),
                })
            })
            .collect(),
        prefix_list_ids: p
            .prefix_list_ids()
            .iter()
            .filter_map(|r| {
                Some(PrefixListRef {
                    prefix_list_id: r.prefix_list_id()?.into(),
                    description: owned(r.description()),
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

pub(crate) fn user_id_group_pair(p: &types::UserIdGroupPair) -> UserIdGroupPair {
    UserIdGroupPair {
        group_id: id_of(p.group_id()),
        group_name: owned(p.group_name()),
        user_id: owned(p.user_id()),
        vpc_id: id_of(p.vpc_id()),
        vpc_peering_connection_id: id_of(p.vpc_peering_connection_id()),
        peering_status: owned(p.peering_status()),
        description: owned(p.description()),
    }
}

/// `None` without a `GroupId`.
pub(crate) fn group_identifier(g: &types::GroupIdentifier) -> Option<GroupIdentifier> {
    Some(GroupIdentifier {
        group_id: g.group_id()?.into(),
        group_name: owned(g.group_name()),
    })
}

pub(crate) fn network_interface(n: &types::NetworkInterface) -> Option<NetworkInterface> {
    Some(NetworkInterface {
        network_interface_id: n.network_interface_id()?.into(),
        interface_type: n.interface_type().map(|x| x.as_str().to_owned()),
        description: owned(n.description()),
        requester_managed: n.requester_managed(),
        requester_id: owned(n.requester_id()),
        groups: n.groups().iter().filter_map(group_identifier).collect(),
        subnet_id: id_of(n.subnet_id()),
        vpc_id: id_of(n.vpc_id()),
        availability_zone: owned(n.availability_zone()),
        private_ip_address: owned(n.private_ip_address()),
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
            attachment_id: owned(a.attachment_id()),
            instance_id: id_of(a.instance_id()),
            instance_owner_id: owned(a.instance_owner_id()),
            device_index: a.device_index(),
            status: a.status().map(|x| x.as_str().to_owned()),
            delete_on_termination: a.delete_on_termination(),
        }),
        status: n.status().map(|x| x.as_str().to_owned()),
        owner_id: owned(n.owner_id()),
        tag_set: tags(n.tag_set()),
    })
}

/// One `Reservations[].Instances[]` item (the loader keeps instances, not reservations).
pub(crate) fn instance(i: &types::Instance) -> Option<Instance> {
    Some(Instance {
        instance_id: i.instance_id()?.into(),
        state: i.state().and_then(|st| {
            Some(InstanceState {
                code: st.code(),
                name: st.name()?.as_str().to_owned(),
            })
        }),
        private_ip_address: owned(i.private_ip_address()),
        subnet_id: id_of(i.subnet_id()),
        vpc_id: id_of(i.vpc_id()),
        placement: i.placement().map(|p| Placement {
            availability_zone: owned(p.availability_zone()),
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
pub(crate) fn instance_network_interface(
    n: &types::InstanceNetworkInterface,
) -> Option<InstanceNetworkInterface> {
    Some(InstanceNetworkInterface {
        network_interface_id: n.network_interface_id()?.into(),
        attachment: n.attachment().map(|a| NetworkInterfaceAttachment {
            attachment_id: owned(a.attachment_id()),
            instance_id: None,
            instance_owner_id: None,
            device_index: a.device_index(),
            status: a.status().map(|x| x.as_str().to_owned()),
            delete_on_termination: a.delete_on_termination(),
        }),
        groups: n.groups().iter().filter_map(group_identifier).collect(),
        private_ip_address: owned(n.private_ip_address()),
        subnet_id: id_of(n.subnet_id()),
    })
}

/// `None` without the referenced `GroupId` (AWS echoes it in every item).
pub(crate) fn security_group_reference(
    r: &types::SecurityGroupReference,
) -> Option<SecurityGroupReference> {
    Some(SecurityGroupReference {
        group_id: r.group_id()?.into(),
        referencing_vpc_id: id_of(r.referencing_vpc_id()),
        vpc_peering_connection_id: id_of(r.vpc_peering_connection_id()),
        transit_gateway_id: owned(r.transit_gateway_id()),
    })
}

pub(crate) fn stale_security_group(g: &types::StaleSecurityGroup) -> Option<StaleSecurityGroup> {
    Some(StaleSecurityGroup {
        group_id: g.group_id()?.into(),
        group_name: owned(g.group_name()),
        vpc_id: id_of(g.vpc_id()),
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

pub(crate) fn stale_ip_permission(p: &types::StaleIpPermission) -> StaleIpPermission {
    StaleIpPermission {
        ip_protocol: owned(p.ip_protocol()),
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
}
