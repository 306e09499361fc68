//! EC2 resources as `aws ec2 describe-*` prints them.
//!
//! Field names are AWS's own (PascalCase, with AWS's irregular acronyms), unknown fields are
//! ignored and every field AWS may omit is an `Option` or a defaulted `Vec`, so output of older
//! and newer CLI versions loads alike. AWS enums (`InterfaceType`, states, protocols) stay
//! plain strings: real outputs carry values the SDK enums do not know (`cloudfront_managed`,
//! `nat_gateway`).

use serde::{Deserialize, Serialize};

use super::ids::{
    EniId, IgwId, InstanceId, NaclId, NatGatewayId, PeeringId, PrefixListId, RouteTableId, SgId,
    SubnetId, VpcEndpointId, VpcId,
};

/// A `{Key, Value}` tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    /// Tag key.
    pub key: String,
    /// Tag value (AWS allows an empty string).
    #[serde(default)]
    pub value: String,
}

/// Looks a tag up by key.
#[must_use]
pub fn tag<'a>(tags: &'a [Tag], key: &str) -> Option<&'a str> {
    tags.iter().find(|t| t.key == key).map(|t| t.value.as_str())
}

/// `describe-vpcs` → `Vpcs[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Vpc {
    /// The VPC id.
    pub vpc_id: VpcId,
    /// Primary IPv4 CIDR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr_block: Option<String>,
    /// All IPv4 CIDRs (primary and secondary).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cidr_block_association_set: Vec<CidrBlockAssociation>,
    /// IPv6 CIDRs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ipv6_cidr_block_association_set: Vec<Ipv6CidrBlockAssociation>,
    /// `available` or `pending`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Whether this is the region's default VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_default: Option<bool>,
    /// Owning account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// One IPv4 CIDR of a VPC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CidrBlockAssociation {
    /// The CIDR.
    pub cidr_block: String,
    /// Association id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub association_id: Option<String>,
}

/// One IPv6 CIDR of a VPC or subnet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Ipv6CidrBlockAssociation {
    /// The CIDR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_cidr_block: Option<String>,
    /// Association id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub association_id: Option<String>,
}

/// `describe-subnets` → `Subnets[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Subnet {
    /// The subnet id.
    pub subnet_id: SubnetId,
    /// Its VPC.
    pub vpc_id: VpcId,
    /// IPv4 CIDR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr_block: Option<String>,
    /// IPv6 CIDRs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ipv6_cidr_block_association_set: Vec<Ipv6CidrBlockAssociation>,
    /// `us-east-1a`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// `use1-az1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone_id: Option<String>,
    /// Free IPv4 addresses (VPC-origin ENIs need some).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_ip_address_count: Option<i64>,
    /// Default subnet of its AZ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_for_az: Option<bool>,
    /// Auto-assign public IPv4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map_public_ip_on_launch: Option<bool>,
    /// `available`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Owning account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// `describe-route-tables` → `RouteTables[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RouteTable {
    /// The route table id.
    pub route_table_id: RouteTableId,
    /// Its VPC.
    pub vpc_id: VpcId,
    /// Subnet and main associations.
    #[serde(default)]
    pub associations: Vec<RouteTableAssociation>,
    /// Routes.
    #[serde(default)]
    pub routes: Vec<Route>,
    /// Owning account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// An association of a route table with a subnet, a gateway, or the VPC (main).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RouteTableAssociation {
    /// True for the VPC's main route table association.
    #[serde(default)]
    pub main: bool,
    /// Associated subnet, when explicit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<SubnetId>,
    /// Associated gateway (edge association).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_id: Option<String>,
    /// Association id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_table_association_id: Option<String>,
}

/// One route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Route {
    /// IPv4 destination.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_cidr_block: Option<String>,
    /// IPv6 destination.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_ipv6_cidr_block: Option<String>,
    /// Prefix-list destination.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_prefix_list_id: Option<String>,
    /// `igw-…`, `local`, `vgw-…`, `vpce-…`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_id: Option<String>,
    /// Egress-only internet gateway target (`eigw-…`, IPv6 outbound only: admits no inbound
    /// connection).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egress_only_internet_gateway_id: Option<String>,
    /// NAT gateway target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nat_gateway_id: Option<String>,
    /// Transit gateway target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transit_gateway_id: Option<String>,
    /// Peering target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_peering_connection_id: Option<String>,
    /// ENI target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_interface_id: Option<String>,
    /// Instance target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    /// `active` or `blackhole`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// `CreateRouteTable`, `CreateRoute`, `EnableVgwRoutePropagation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

/// `describe-network-acls` → `NetworkAcls[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkAcl {
    /// The NACL id.
    pub network_acl_id: NaclId,
    /// Its VPC.
    pub vpc_id: VpcId,
    /// Default NACL of the VPC.
    #[serde(default)]
    pub is_default: bool,
    /// Subnets using this NACL.
    #[serde(default)]
    pub associations: Vec<NetworkAclAssociation>,
    /// Entries of both directions, including the final `*` deny (32767 / 32768).
    #[serde(default)]
    pub entries: Vec<NetworkAclEntry>,
    /// Owning account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// A subnet's association with a NACL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkAclAssociation {
    /// The subnet.
    pub subnet_id: SubnetId,
    /// Association id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_acl_association_id: Option<String>,
    /// The NACL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_acl_id: Option<NaclId>,
}

/// One NACL entry. `Protocol` is a number as a string (`"6"`, `"-1"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkAclEntry {
    /// Evaluation order; the first match wins.
    pub rule_number: i32,
    /// `"-1"` (all), `"6"` (tcp), `"17"` (udp), `"1"` (icmp).
    pub protocol: String,
    /// `allow` or `deny`.
    pub rule_action: String,
    /// Outbound when true.
    pub egress: bool,
    /// IPv4 range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr_block: Option<String>,
    /// IPv6 range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_cidr_block: Option<String>,
    /// TCP/UDP ports; absent means all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_range: Option<PortRange>,
    /// ICMP type/code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icmp_type_code: Option<IcmpTypeCode>,
}

/// An inclusive port range of a NACL entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PortRange {
    /// First port.
    pub from: Option<i32>,
    /// Last port.
    pub to: Option<i32>,
}

/// ICMP type and code of a NACL entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IcmpTypeCode {
    /// ICMP code.
    pub code: Option<i32>,
    /// ICMP type.
    #[serde(rename = "Type")]
    pub kind: Option<i32>,
}

/// `describe-internet-gateways` → `InternetGateways[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InternetGateway {
    /// The IGW id.
    pub internet_gateway_id: IgwId,
    /// VPC attachments (`State: available` when attached).
    #[serde(default)]
    pub attachments: Vec<GatewayAttachment>,
    /// Owning account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// An IGW's VPC attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GatewayAttachment {
    /// Attached VPC.
    pub vpc_id: VpcId,
    /// `available` / `attached` / `detaching`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// `describe-nat-gateways` → `NatGateways[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NatGateway {
    /// The NAT gateway id.
    pub nat_gateway_id: NatGatewayId,
    /// Its VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<VpcId>,
    /// Its subnet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<SubnetId>,
    /// `available`, `deleted`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// `public` or `private`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connectivity_type: Option<String>,
    /// Addresses and their ENIs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nat_gateway_addresses: Vec<NatGatewayAddress>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// One address of a NAT gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NatGatewayAddress {
    /// EIP allocation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocation_id: Option<String>,
    /// The NAT gateway's ENI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_interface_id: Option<EniId>,
    /// Private IP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_ip: Option<String>,
    /// Public IP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<String>,
}

/// `describe-security-groups` → `SecurityGroups[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecurityGroup {
    /// The SG id.
    pub group_id: SgId,
    /// Name (`default` for the VPC's default group).
    #[serde(default)]
    pub group_name: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<VpcId>,
    /// Owning account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// Inbound rules.
    #[serde(default)]
    pub ip_permissions: Vec<IpPermission>,
    /// Outbound rules. Empty means *nothing* may leave (Terraform drops the default allow-all).
    #[serde(default)]
    pub ip_permissions_egress: Vec<IpPermission>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// One permission of a security group: protocol and ports, and independent peers (any matches).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IpPermission {
    /// `tcp`, `udp`, `icmp`, `icmpv6`, `-1` (all) or a protocol number.
    pub ip_protocol: String,
    /// First port (or ICMP type); absent with `-1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_port: Option<i32>,
    /// Last port (or ICMP code); absent with `-1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_port: Option<i32>,
    /// IPv4 peers.
    #[serde(default)]
    pub ip_ranges: Vec<IpRange>,
    /// IPv6 peers.
    #[serde(default)]
    pub ipv6_ranges: Vec<Ipv6Range>,
    /// Prefix-list peers.
    #[serde(default)]
    pub prefix_list_ids: Vec<PrefixListRef>,
    /// Security-group peers.
    #[serde(default)]
    pub user_id_group_pairs: Vec<UserIdGroupPair>,
}

/// An IPv4 CIDR peer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IpRange {
    /// The CIDR.
    pub cidr_ip: String,
    /// Rule description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// An IPv6 CIDR peer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Ipv6Range {
    /// The CIDR.
    pub cidr_ipv6: String,
    /// Rule description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A prefix-list peer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrefixListRef {
    /// The list.
    pub prefix_list_id: PrefixListId,
    /// Rule description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A security-group peer (possibly in a peered VPC or another account).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserIdGroupPair {
    /// Referenced group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<SgId>,
    /// Referenced group's name (EC2-Classic / default VPC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    /// Account owning the referenced group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// VPC of the referenced group, for peered references.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<VpcId>,
    /// Peering carrying the reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_peering_connection_id: Option<PeeringId>,
    /// `active` / `deleted` for peered references.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peering_status: Option<String>,
    /// Rule description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// `describe-network-interfaces` → `NetworkInterfaces[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkInterface {
    /// The ENI id.
    pub network_interface_id: EniId,
    /// Open string: `interface`, `vpc_endpoint`, `nat_gateway`, `cloudfront_managed`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interface_type: Option<String>,
    /// Free text; for ALBs `ELB app/<name>/<id>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// True when an AWS service created it (cannot be detached or deleted by you).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requester_managed: Option<bool>,
    /// Who created it (`amazon-elb`, `amazon-rds`, an account, an IAM unique id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requester_id: Option<String>,
    /// Security groups carried.
    #[serde(default)]
    pub groups: Vec<GroupIdentifier>,
    /// Its subnet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<SubnetId>,
    /// Its VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<VpcId>,
    /// Its AZ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// Primary private IPv4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_ip_address: Option<String>,
    /// All private IPv4s (primary and secondary).
    #[serde(default)]
    pub private_ip_addresses: Vec<NetworkInterfacePrivateIp>,
    /// Delegated IPv4 prefixes (EKS prefix delegation).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ipv4_prefixes: Vec<Ipv4PrefixSpecification>,
    /// IPv6 addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ipv6_addresses: Vec<NetworkInterfaceIpv6Address>,
    /// Attachment to an instance or service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<NetworkInterfaceAttachment>,
    /// `in-use` / `available`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Owning account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// Tags (AWS names this list `TagSet` on ENIs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tag_set: Vec<Tag>,
}

/// `{GroupId, GroupName}` as carried by ENIs, instances and endpoints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupIdentifier {
    /// The SG id.
    pub group_id: SgId,
    /// The SG name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
}

/// One private IPv4 of an ENI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkInterfacePrivateIp {
    /// The address.
    pub private_ip_address: String,
    /// Primary address of the ENI.
    #[serde(default)]
    pub primary: bool,
}

/// A delegated IPv4 prefix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Ipv4PrefixSpecification {
    /// The prefix.
    pub ipv4_prefix: String,
}

/// An IPv6 address of an ENI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkInterfaceIpv6Address {
    /// The address.
    pub ipv6_address: String,
}

/// Attachment of an ENI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkInterfaceAttachment {
    /// `eni-attach-…`, or `ela-attach-…` for service attachments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment_id: Option<String>,
    /// Attached instance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<InstanceId>,
    /// `amazon-aws`, `amazon-elb`, or an account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_owner_id: Option<String>,
    /// 0 for an instance's primary ENI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_index: Option<i32>,
    /// `attached`, `detaching`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Whether AWS deletes the ENI when the instance terminates (true for primary ENIs created
    /// with the instance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_on_termination: Option<bool>,
}

/// `describe-instances` → `Reservations[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Reservation {
    /// Reservation id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation_id: Option<String>,
    /// Owning account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// Instances.
    #[serde(default)]
    pub instances: Vec<Instance>,
}

/// One instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Instance {
    /// The instance id.
    pub instance_id: InstanceId,
    /// Running, stopped, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<InstanceState>,
    /// Primary private IPv4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_ip_address: Option<String>,
    /// Its subnet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<SubnetId>,
    /// Its VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<VpcId>,
    /// Placement (AZ).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement: Option<Placement>,
    /// SGs of the primary ENI.
    #[serde(default)]
    pub security_groups: Vec<GroupIdentifier>,
    /// ENIs of the instance.
    #[serde(default)]
    pub network_interfaces: Vec<InstanceNetworkInterface>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// `{Code, Name}` of an instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InstanceState {
    /// Numeric state code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<i32>,
    /// `running`, `stopped`, …
    pub name: String,
}

/// Instance placement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Placement {
    /// The AZ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
}

/// An ENI as listed inside an instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InstanceNetworkInterface {
    /// The ENI.
    pub network_interface_id: EniId,
    /// Its attachment (device index 0 = primary).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<NetworkInterfaceAttachment>,
    /// SGs on it.
    #[serde(default)]
    pub groups: Vec<GroupIdentifier>,
    /// Primary private IPv4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_ip_address: Option<String>,
    /// Its subnet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<SubnetId>,
}

/// `describe-managed-prefix-lists` → `PrefixLists[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManagedPrefixList {
    /// The list id (region-specific even for AWS-managed lists).
    pub prefix_list_id: PrefixListId,
    /// `com.amazonaws.global.cloudfront.origin-facing` for CloudFront.
    #[serde(default)]
    pub prefix_list_name: String,
    /// `IPv4` or `IPv6`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_family: Option<String>,
    /// Customer-managed lists count as this many rules; AWS-managed lists count their weight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_entries: Option<i64>,
    /// `AWS` for AWS-managed lists, else an account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// List version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// `create-complete`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_list_arn: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// `get-managed-prefix-list-entries` → `Entries[]` (parent id in the extra `PrefixListId` key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrefixListEntry {
    /// The CIDR.
    pub cidr: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// `describe-vpc-endpoints` → `VpcEndpoints[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcEndpoint {
    /// The endpoint id.
    pub vpc_endpoint_id: VpcEndpointId,
    /// `Interface`, `Gateway`, `GatewayLoadBalancer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_endpoint_type: Option<String>,
    /// Its VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<VpcId>,
    /// `com.amazonaws.us-east-1.s3`, `com.amazonaws.vpce.…`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// `available`, `pending`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// True when an AWS service created it (`DeleteVpcEndpoints` is refused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requester_managed: Option<bool>,
    /// Subnets (interface / GWLB endpoints).
    #[serde(default)]
    pub subnet_ids: Vec<SubnetId>,
    /// Route tables (gateway endpoints).
    #[serde(default)]
    pub route_table_ids: Vec<RouteTableId>,
    /// SGs (interface endpoints).
    #[serde(default)]
    pub groups: Vec<SecurityGroupIdentifierLower>,
    /// ENIs the endpoint owns.
    #[serde(default)]
    pub network_interface_ids: Vec<EniId>,
    /// DNS names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dns_entries: Vec<DnsEntry>,
    /// Owning account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// Created at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_timestamp: Option<String>,
    /// Tags (`AWSNetworkFirewallManaged`, `Firewall` on Network Firewall endpoints).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// `{GroupId, GroupName}` of a VPC endpoint.
pub type SecurityGroupIdentifierLower = GroupIdentifier;

/// A DNS entry of an interface endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DnsEntry {
    /// The name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_name: Option<String>,
    /// Its hosted zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hosted_zone_id: Option<String>,
}

/// `describe-vpc-peering-connections` → `VpcPeeringConnections[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcPeeringConnection {
    /// The peering id.
    pub vpc_peering_connection_id: PeeringId,
    /// Accepter side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepter_vpc_info: Option<PeeringVpcInfo>,
    /// Requester side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requester_vpc_info: Option<PeeringVpcInfo>,
    /// `{Code: active, …}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<PeeringStatus>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// One side of a peering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PeeringVpcInfo {
    /// The VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<VpcId>,
    /// Its account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// Its CIDR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr_block: Option<String>,
    /// Its region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// Status of a peering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PeeringStatus {
    /// `active`, `deleted`, `pending-acceptance`, …
    pub code: String,
    /// Human message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// `describe-security-group-references` → `SecurityGroupReferenceSet[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecurityGroupReference {
    /// The referenced group (in this account).
    pub group_id: SgId,
    /// The VPC whose groups reference it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referencing_vpc_id: Option<VpcId>,
    /// Through this peering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_peering_connection_id: Option<PeeringId>,
    /// Or through this transit gateway.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transit_gateway_id: Option<String>,
}

/// `describe-stale-security-groups` → `StaleSecurityGroupSet[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StaleSecurityGroup {
    /// The group holding stale rules.
    pub group_id: SgId,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    /// Its VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<VpcId>,
    /// Stale inbound rules.
    #[serde(default)]
    pub stale_ip_permissions: Vec<StaleIpPermission>,
    /// Stale outbound rules.
    #[serde(default)]
    pub stale_ip_permissions_egress: Vec<StaleIpPermission>,
}

/// A stale rule: it names a group in a peered VPC that no longer resolves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StaleIpPermission {
    /// Protocol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_protocol: Option<String>,
    /// First port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_port: Option<i32>,
    /// Last port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_port: Option<i32>,
    /// The stale group references.
    #[serde(default)]
    pub user_id_group_pairs: Vec<UserIdGroupPair>,
}
