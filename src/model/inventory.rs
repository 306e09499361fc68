//! The Inventory: one typed view of an AWS account, whatever the source.
//!
//! The snapshot loader and the live collector both produce an [`Inventory`]; every evaluator
//! (reach, blockers, what-if, rules) reads only this. Resources are kept in `BTreeMap`s by id,
//! so duplicates from overlapping files merge and every listing is in a stable order.
//!
//! The Inventory also remembers *which kinds were loaded* ([`Kind`]): "no NACLs in the snapshot"
//! and "the VPC has no NACL" are different answers, and only the second may be evaluated. A kind
//! that could not be collected (AccessDenied) is recorded in [`Inventory::unavailable`] with the
//! reason, so the hops needing it become `unknown` and name the permission.
//!
//! Lookups the evaluators need (ENI by private IP, ENIs by SG, ALB by DNS name, …) live in
//! [`Index`], built once on first use and dropped whenever the Inventory is cloned for a
//! what-if, so it never goes stale.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::acm::{AcmCertificate, ListenerCertificate};
use super::bpa::{VpcBlockPublicAccessExclusion, VpcBlockPublicAccessOptions};
use super::cloudfront::{CloudTrailEvent, Distribution, VpcOrigin};
use super::ec2::{
    Instance, InternetGateway, IpPermission, ManagedPrefixList, NatGateway, NetworkAcl,
    NetworkInterface, PrefixListEntry, RouteTable, SecurityGroup, SecurityGroupReference,
    StaleSecurityGroup, Subnet, Vpc, VpcEndpoint, VpcPeeringConnection,
};
use super::elbv2::{Attribute, Listener, LoadBalancer, Rule, TargetGroup, TargetHealthDescription};
use super::ids::{
    DistributionId, EniId, IgwId, InstanceId, LbArn, ListenerArn, NaclId, NatGatewayId, PeeringId,
    PrefixListId, RouteTableId, RuleArn, SgId, SubnetId, TgArn, VpcEndpointId, VpcId, VpcOriginId,
};
use super::metrics::{MetricSeries, SeriesKey};
use super::policies::{CachePolicy, OriginRequestPolicy};

/// Name of the AWS-managed prefix list of CloudFront's origin-facing servers (id differs per region).
pub const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST: &str =
    "com.amazonaws.global.cloudfront.origin-facing";
/// Name of the AWS-managed prefix list of CloudFront's IPv6 origin-facing servers (the IPv6
/// sibling of [`CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST`]; id differs per region).
pub const CLOUDFRONT_ORIGIN_FACING_IPV6_PREFIX_LIST: &str =
    "com.amazonaws.global.ipv6.cloudfront.origin-facing";
/// Name of the security group CloudFront creates in a VPC for its VPC-origin ENIs.
pub const VPC_ORIGIN_SERVICE_SG_NAME: &str = "CloudFront-VPCOrigins-Service-SG";

/// A kind of data in a snapshot: one AWS call, one top-level key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(
    missing_docs,
    reason = "each variant is the AWS call of the same name; `cli()` and `top_level_key()` document it"
)]
pub enum Kind {
    Vpcs,
    Subnets,
    RouteTables,
    NetworkAcls,
    InternetGateways,
    NatGateways,
    SecurityGroups,
    NetworkInterfaces,
    Instances,
    PrefixLists,
    PrefixListEntries,
    VpcEndpoints,
    VpcPeeringConnections,
    SecurityGroupReferences,
    StaleSecurityGroups,
    LoadBalancers,
    Listeners,
    Rules,
    TargetGroups,
    TargetHealth,
    LoadBalancerAttributes,
    TargetGroupAttributes,
    Distributions,
    VpcOrigins,
    OriginRequestPolicies,
    CachePolicies,
    // One spelling everywhere (`name()`, text and JSON): serde's snake_case would make it
    // `cloud_trail_events`, which the JSON said before; still read in `EdgepathUnavailable`.
    #[serde(rename = "cloudtrail_events", alias = "cloud_trail_events")]
    CloudTrailEvents,
    MetricData,
    ListenerCertificates,
    #[serde(rename = "acm_certificates")]
    AcmCertificates,
    VpcBlockPublicAccessOptions,
    VpcBlockPublicAccessExclusions,
}

impl Kind {
    /// Every kind, in snapshot-table order.
    pub const ALL: [Kind; 32] = [
        Kind::Vpcs,
        Kind::Subnets,
        Kind::RouteTables,
        Kind::NetworkAcls,
        Kind::InternetGateways,
        Kind::NatGateways,
        Kind::SecurityGroups,
        Kind::NetworkInterfaces,
        Kind::Instances,
        Kind::PrefixLists,
        Kind::PrefixListEntries,
        Kind::VpcEndpoints,
        Kind::VpcPeeringConnections,
        Kind::SecurityGroupReferences,
        Kind::StaleSecurityGroups,
        Kind::LoadBalancers,
        Kind::Listeners,
        Kind::Rules,
        Kind::TargetGroups,
        Kind::TargetHealth,
        Kind::LoadBalancerAttributes,
        Kind::TargetGroupAttributes,
        Kind::Distributions,
        Kind::VpcOrigins,
        Kind::OriginRequestPolicies,
        Kind::CachePolicies,
        Kind::CloudTrailEvents,
        Kind::MetricData,
        Kind::ListenerCertificates,
        Kind::AcmCertificates,
        Kind::VpcBlockPublicAccessOptions,
        Kind::VpcBlockPublicAccessExclusions,
    ];

    /// The top-level JSON key that identifies this kind in a snapshot file.
    #[must_use]
    pub fn top_level_key(self) -> &'static str {
        match self {
            Kind::Vpcs => "Vpcs",
            Kind::Subnets => "Subnets",
            Kind::RouteTables => "RouteTables",
            Kind::NetworkAcls => "NetworkAcls",
            Kind::InternetGateways => "InternetGateways",
            Kind::NatGateways => "NatGateways",
            Kind::SecurityGroups => "SecurityGroups",
            Kind::NetworkInterfaces => "NetworkInterfaces",
            Kind::Instances => "Reservations",
            Kind::PrefixLists => "PrefixLists",
            Kind::PrefixListEntries => "Entries",
            Kind::VpcEndpoints => "VpcEndpoints",
            Kind::VpcPeeringConnections => "VpcPeeringConnections",
            Kind::SecurityGroupReferences => "SecurityGroupReferenceSet",
            Kind::StaleSecurityGroups => "StaleSecurityGroupSet",
            Kind::LoadBalancers => "LoadBalancers",
            Kind::Listeners => "Listeners",
            Kind::Rules => "Rules",
            Kind::TargetGroups => "TargetGroups",
            Kind::TargetHealth => "TargetHealthDescriptions",
            Kind::LoadBalancerAttributes | Kind::TargetGroupAttributes => "Attributes",
            Kind::Distributions => "DistributionList",
            Kind::VpcOrigins => "VpcOriginList",
            Kind::OriginRequestPolicies => "OriginRequestPolicyList",
            Kind::CachePolicies => "CachePolicyList",
            Kind::CloudTrailEvents => "Events",
            Kind::MetricData => "MetricDataResults",
            Kind::ListenerCertificates => "Certificates",
            Kind::AcmCertificates => "Certificate",
            Kind::VpcBlockPublicAccessOptions => "VpcBlockPublicAccessOptions",
            Kind::VpcBlockPublicAccessExclusions => "VpcBlockPublicAccessExclusions",
        }
    }

    /// The AWS CLI call that supplies this kind (what to tell a user whose snapshot lacks it).
    #[must_use]
    pub fn cli(self) -> &'static str {
        match self {
            Kind::Vpcs => "aws ec2 describe-vpcs",
            Kind::Subnets => "aws ec2 describe-subnets",
            Kind::RouteTables => "aws ec2 describe-route-tables",
            Kind::NetworkAcls => "aws ec2 describe-network-acls",
            Kind::InternetGateways => "aws ec2 describe-internet-gateways",
            Kind::NatGateways => "aws ec2 describe-nat-gateways",
            Kind::SecurityGroups => "aws ec2 describe-security-groups",
            Kind::NetworkInterfaces => "aws ec2 describe-network-interfaces",
            Kind::Instances => "aws ec2 describe-instances",
            Kind::PrefixLists => "aws ec2 describe-managed-prefix-lists",
            Kind::PrefixListEntries => {
                "aws ec2 get-managed-prefix-list-entries --prefix-list-id PL (plus a PrefixListId key)"
            }
            Kind::VpcEndpoints => "aws ec2 describe-vpc-endpoints",
            Kind::VpcPeeringConnections => "aws ec2 describe-vpc-peering-connections",
            Kind::SecurityGroupReferences => {
                "aws ec2 describe-security-group-references --group-id SG"
            }
            Kind::StaleSecurityGroups => "aws ec2 describe-stale-security-groups --vpc-id VPC",
            Kind::LoadBalancers => "aws elbv2 describe-load-balancers",
            Kind::Listeners => "aws elbv2 describe-listeners --load-balancer-arn LB",
            Kind::Rules => "aws elbv2 describe-rules --listener-arn LISTENER",
            Kind::TargetGroups => "aws elbv2 describe-target-groups",
            Kind::TargetHealth => {
                "aws elbv2 describe-target-health --target-group-arn TG (plus a TargetGroupArn key)"
            }
            Kind::LoadBalancerAttributes => {
                "aws elbv2 describe-load-balancer-attributes --load-balancer-arn LB (plus a LoadBalancerArn key)"
            }
            Kind::TargetGroupAttributes => {
                "aws elbv2 describe-target-group-attributes --target-group-arn TG (plus a TargetGroupArn key)"
            }
            Kind::Distributions => {
                "aws cloudfront list-distributions (or get-distribution --id ID)"
            }
            Kind::VpcOrigins => "aws cloudfront list-vpc-origins (or get-vpc-origin --id ID)",
            Kind::OriginRequestPolicies => {
                "aws cloudfront list-origin-request-policies --type custom (or get-origin-request-policy --id ID)"
            }
            Kind::CachePolicies => {
                "aws cloudfront list-cache-policies --type custom (or get-cache-policy --id ID)"
            }
            Kind::CloudTrailEvents => {
                "aws cloudtrail lookup-events --lookup-attributes AttributeKey=ResourceName,AttributeValue=RESOURCE --start-time T --end-time T, per resource on the paths (who created a VPC endpoint: AttributeKey=EventName,AttributeValue=CreateVpcEndpoint)"
            }
            Kind::MetricData => {
                "aws cloudwatch get-metric-data --metric-data-queries file://QUERIES --start-time T --end-time T (plus a MetricDataQueries key holding the queries)"
            }
            Kind::ListenerCertificates => {
                "aws elbv2 describe-listener-certificates --listener-arn LISTENER (plus a ListenerArn key)"
            }
            Kind::AcmCertificates => "aws acm describe-certificate --certificate-arn CERTIFICATE",
            Kind::VpcBlockPublicAccessOptions => "aws ec2 describe-vpc-block-public-access-options",
            Kind::VpcBlockPublicAccessExclusions => {
                "aws ec2 describe-vpc-block-public-access-exclusions"
            }
        }
    }

    /// The IAM action needed to collect this kind live.
    #[must_use]
    pub fn iam_action(self) -> &'static str {
        match self {
            Kind::Vpcs => "ec2:DescribeVpcs",
            Kind::Subnets => "ec2:DescribeSubnets",
            Kind::RouteTables => "ec2:DescribeRouteTables",
            Kind::NetworkAcls => "ec2:DescribeNetworkAcls",
            Kind::InternetGateways => "ec2:DescribeInternetGateways",
            Kind::NatGateways => "ec2:DescribeNatGateways",
            Kind::SecurityGroups => "ec2:DescribeSecurityGroups",
            Kind::NetworkInterfaces => "ec2:DescribeNetworkInterfaces",
            Kind::Instances => "ec2:DescribeInstances",
            Kind::PrefixLists => "ec2:DescribeManagedPrefixLists",
            Kind::PrefixListEntries => "ec2:GetManagedPrefixListEntries",
            Kind::VpcEndpoints => "ec2:DescribeVpcEndpoints",
            Kind::VpcPeeringConnections => "ec2:DescribeVpcPeeringConnections",
            Kind::SecurityGroupReferences => "ec2:DescribeSecurityGroupReferences",
            Kind::StaleSecurityGroups => "ec2:DescribeStaleSecurityGroups",
            Kind::LoadBalancers => "elasticloadbalancing:DescribeLoadBalancers",
            Kind::Listeners => "elasticloadbalancing:DescribeListeners",
            Kind::Rules => "elasticloadbalancing:DescribeRules",
            Kind::TargetGroups => "elasticloadbalancing:DescribeTargetGroups",
            Kind::TargetHealth => "elasticloadbalancing:DescribeTargetHealth",
            Kind::LoadBalancerAttributes => "elasticloadbalancing:DescribeLoadBalancerAttributes",
            Kind::TargetGroupAttributes => "elasticloadbalancing:DescribeTargetGroupAttributes",
            Kind::Distributions => "cloudfront:ListDistributions",
            Kind::VpcOrigins => "cloudfront:ListVpcOrigins",
            Kind::OriginRequestPolicies => "cloudfront:ListOriginRequestPolicies",
            Kind::CachePolicies => "cloudfront:ListCachePolicies",
            Kind::CloudTrailEvents => "cloudtrail:LookupEvents",
            Kind::MetricData => "cloudwatch:GetMetricData",
            Kind::ListenerCertificates => "elasticloadbalancing:DescribeListenerCertificates",
            Kind::AcmCertificates => "acm:DescribeCertificate",
            Kind::VpcBlockPublicAccessOptions => "ec2:DescribeVpcBlockPublicAccessOptions",
            Kind::VpcBlockPublicAccessExclusions => "ec2:DescribeVpcBlockPublicAccessExclusions",
        }
    }

    /// snake_case name (as in JSON output).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Kind::Vpcs => "vpcs",
            Kind::Subnets => "subnets",
            Kind::RouteTables => "route_tables",
            Kind::NetworkAcls => "network_acls",
            Kind::InternetGateways => "internet_gateways",
            Kind::NatGateways => "nat_gateways",
            Kind::SecurityGroups => "security_groups",
            Kind::NetworkInterfaces => "network_interfaces",
            Kind::Instances => "instances",
            Kind::PrefixLists => "prefix_lists",
            Kind::PrefixListEntries => "prefix_list_entries",
            Kind::VpcEndpoints => "vpc_endpoints",
            Kind::VpcPeeringConnections => "vpc_peering_connections",
            Kind::SecurityGroupReferences => "security_group_references",
            Kind::StaleSecurityGroups => "stale_security_groups",
            Kind::LoadBalancers => "load_balancers",
            Kind::Listeners => "listeners",
            Kind::Rules => "rules",
            Kind::TargetGroups => "target_groups",
            Kind::TargetHealth => "target_health",
            Kind::LoadBalancerAttributes => "load_balancer_attributes",
            Kind::TargetGroupAttributes => "target_group_attributes",
            Kind::Distributions => "distributions",
            Kind::VpcOrigins => "vpc_origins",
            Kind::OriginRequestPolicies => "origin_request_policies",
            Kind::CachePolicies => "cache_policies",
            Kind::CloudTrailEvents => "cloudtrail_events",
            Kind::MetricData => "metric_data",
            Kind::ListenerCertificates => "listener_certificates",
            Kind::AcmCertificates => "acm_certificates",
            Kind::VpcBlockPublicAccessOptions => "vpc_block_public_access_options",
            Kind::VpcBlockPublicAccessExclusions => "vpc_block_public_access_exclusions",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The whole account as far as it was loaded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inventory {
    /// VPCs.
    pub vpcs: BTreeMap<VpcId, Vpc>,
    /// Subnets.
    pub subnets: BTreeMap<SubnetId, Subnet>,
    /// Route tables.
    pub route_tables: BTreeMap<RouteTableId, RouteTable>,
    /// Network ACLs.
    pub network_acls: BTreeMap<NaclId, NetworkAcl>,
    /// Internet gateways.
    pub internet_gateways: BTreeMap<IgwId, InternetGateway>,
    /// NAT gateways.
    pub nat_gateways: BTreeMap<NatGatewayId, NatGateway>,
    /// Security groups.
    pub security_groups: BTreeMap<SgId, SecurityGroup>,
    /// ENIs.
    pub network_interfaces: BTreeMap<EniId, NetworkInterface>,
    /// Instances (from `Reservations`).
    pub instances: BTreeMap<InstanceId, Instance>,
    /// Managed prefix lists.
    pub prefix_lists: BTreeMap<PrefixListId, ManagedPrefixList>,
    /// Entries per prefix list; a list absent here has not had its entries loaded.
    pub prefix_list_entries: BTreeMap<PrefixListId, Vec<PrefixListEntry>>,
    /// VPC endpoints.
    pub vpc_endpoints: BTreeMap<VpcEndpointId, VpcEndpoint>,
    /// Peerings.
    pub vpc_peering_connections: BTreeMap<PeeringId, VpcPeeringConnection>,
    /// Cross-VPC references to our groups.
    pub security_group_references: Vec<SecurityGroupReference>,
    /// Groups with stale cross-VPC rules.
    pub stale_security_groups: BTreeMap<SgId, StaleSecurityGroup>,
    /// Load balancers (all types; evaluators look at `application`).
    pub load_balancers: BTreeMap<LbArn, LoadBalancer>,
    /// Listeners.
    pub listeners: BTreeMap<ListenerArn, Listener>,
    /// Listener rules.
    pub rules: BTreeMap<RuleArn, Rule>,
    /// Target groups.
    pub target_groups: BTreeMap<TgArn, TargetGroup>,
    /// Target health per group; a group absent here has not had its health loaded.
    pub target_health: BTreeMap<TgArn, Vec<TargetHealthDescription>>,
    /// Load-balancer attributes.
    pub load_balancer_attributes: BTreeMap<LbArn, Vec<Attribute>>,
    /// Target-group attributes.
    pub target_group_attributes: BTreeMap<TgArn, Vec<Attribute>>,
    /// CloudFront distributions.
    pub distributions: BTreeMap<DistributionId, Distribution>,
    /// CloudFront VPC origins.
    pub vpc_origins: BTreeMap<VpcOriginId, VpcOrigin>,
    /// Custom CloudFront origin request policies by id (managed ones are known by id).
    pub origin_request_policies: BTreeMap<String, OriginRequestPolicy>,
    /// Custom CloudFront cache policies by id (managed ones are known by id).
    pub cache_policies: BTreeMap<String, CachePolicy>,
    /// CloudTrail events by event id.
    pub cloudtrail_events: BTreeMap<String, CloudTrailEvent>,
    /// CloudWatch series (`get-metric-data`) by what they measure; see [`super::metrics`].
    pub metric_series: BTreeMap<SeriesKey, MetricSeries>,
    /// Certificates per HTTPS listener (default and SNI); a listener absent here has not had
    /// its certificates listed.
    pub listener_certificates: BTreeMap<ListenerArn, Vec<ListenerCertificate>>,
    /// ACM descriptions by certificate ARN; a certificate absent here was not described.
    pub acm_certificates: BTreeMap<String, AcmCertificate>,
    /// VPC Block Public Access options by Region (`""`: the output named no Region).
    pub vpc_bpa_options: BTreeMap<String, VpcBlockPublicAccessOptions>,
    /// VPC Block Public Access exclusions by exclusion id.
    pub vpc_bpa_exclusions: BTreeMap<String, VpcBlockPublicAccessExclusion>,
    /// Kinds present in the source (even when empty).
    pub loaded: BTreeSet<Kind>,
    /// Kinds the source tried and failed to collect, with the reason (e.g. the missing permission).
    pub unavailable: BTreeMap<Kind, String>,
    index: IndexCell,
}

impl Inventory {
    /// Whether `kind` was loaded.
    #[must_use]
    pub fn has(&self, kind: Kind) -> bool {
        self.loaded.contains(&kind)
    }

    /// Marks a kind as loaded (even if it had no items).
    pub fn mark_loaded(&mut self, kind: Kind) {
        self.loaded.insert(kind);
        self.invalidate();
    }

    /// [`Inventory::missing_for`] as text.
    #[must_use]
    pub fn missing_reason(&self, kind: Kind) -> String {
        self.missing_for(kind).to_string()
    }

    /// Number of items of a kind.
    #[must_use]
    pub fn count(&self, kind: Kind) -> usize {
        match kind {
            Kind::Vpcs => self.vpcs.len(),
            Kind::Subnets => self.subnets.len(),
            Kind::RouteTables => self.route_tables.len(),
            Kind::NetworkAcls => self.network_acls.len(),
            Kind::InternetGateways => self.internet_gateways.len(),
            Kind::NatGateways => self.nat_gateways.len(),
            Kind::SecurityGroups => self.security_groups.len(),
            Kind::NetworkInterfaces => self.network_interfaces.len(),
            Kind::Instances => self.instances.len(),
            Kind::PrefixLists => self.prefix_lists.len(),
            Kind::PrefixListEntries => self.prefix_list_entries.values().map(Vec::len).sum(),
            Kind::VpcEndpoints => self.vpc_endpoints.len(),
            Kind::VpcPeeringConnections => self.vpc_peering_connections.len(),
            Kind::SecurityGroupReferences => self.security_group_references.len(),
            Kind::StaleSecurityGroups => self.stale_security_groups.len(),
            Kind::LoadBalancers => self.load_balancers.len(),
            Kind::Listeners => self.listeners.len(),
            Kind::Rules => self.rules.len(),
            Kind::TargetGroups => self.target_groups.len(),
            Kind::TargetHealth => self.target_health.values().map(Vec::len).sum(),
            Kind::LoadBalancerAttributes => self.load_balancer_attributes.len(),
            Kind::TargetGroupAttributes => self.target_group_attributes.len(),
            Kind::Distributions => self.distributions.len(),
            Kind::VpcOrigins => self.vpc_origins.len(),
            Kind::OriginRequestPolicies => self.origin_request_policies.len(),
            Kind::CachePolicies => self.cache_policies.len(),
            Kind::CloudTrailEvents => self.cloudtrail_events.len(),
            Kind::MetricData => self.metric_series.len(),
            Kind::ListenerCertificates => self.listener_certificates.values().map(Vec::len).sum(),
            Kind::AcmCertificates => self.acm_certificates.len(),
            Kind::VpcBlockPublicAccessOptions => self.vpc_bpa_options.len(),
            Kind::VpcBlockPublicAccessExclusions => self.vpc_bpa_exclusions.len(),
        }
    }

    /// Drops the lookup index; call after mutating resources (what-if does).
    pub fn invalidate(&mut self) {
        self.index = IndexCell::default();
    }

    /// The lookup index, built on first use.
    pub fn index(&self) -> &Index {
        self.index.0.get_or_init(|| Index::build(self))
    }

    /// Value of a load-balancer attribute (`idle_timeout.timeout_seconds`).
    #[must_use]
    pub fn lb_attribute(&self, lb: &LbArn, key: &str) -> Option<&str> {
        self.load_balancer_attributes
            .get(lb)?
            .iter()
            .find(|a| a.key == key)
            .map(|a| a.value.as_str())
    }

    /// Value of a target-group attribute.
    #[must_use]
    pub fn tg_attribute(&self, tg: &TgArn, key: &str) -> Option<&str> {
        self.target_group_attributes
            .get(tg)?
            .iter()
            .find(|a| a.key == key)
            .map(|a| a.value.as_str())
    }

    /// The CloudFront origin-facing prefix lists (one per region loaded).
    pub fn cloudfront_prefix_lists(&self) -> impl Iterator<Item = &ManagedPrefixList> {
        self.prefix_lists
            .values()
            .filter(|p| p.prefix_list_name == CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST)
    }

    /// The CloudFront IPv6 origin-facing prefix lists (one per region loaded).
    pub fn cloudfront_ipv6_prefix_lists(&self) -> impl Iterator<Item = &ManagedPrefixList> {
        self.prefix_lists
            .values()
            .filter(|p| p.prefix_list_name == CLOUDFRONT_ORIGIN_FACING_IPV6_PREFIX_LIST)
    }
}

/// Which direction a security-group rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// `IpPermissions`.
    Ingress,
    /// `IpPermissionsEgress`.
    Egress,
}

impl Direction {
    /// `ingress` / `egress`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        }
    }
}

/// One rule of another group that names a group as its peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SgReferrer {
    /// The group holding the rule.
    pub group: SgId,
    /// Direction of the rule.
    pub direction: Direction,
    /// Index of the permission in that direction's list.
    pub permission: usize,
}

#[derive(Default)]
struct IndexCell(OnceLock<Index>);

impl Clone for IndexCell {
    fn clone(&self) -> Self {
        Self::default()
    }
}
impl PartialEq for IndexCell {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl fmt::Debug for IndexCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Index")
    }
}

/// Lookups built once per Inventory.
#[derive(Debug, Default)]
pub struct Index {
    /// ENI holding a private IPv4 (primary or secondary), by (VPC, address): private addresses
    /// repeat across VPCs, so an address alone does not name an ENI. Use [`Index::eni_by_ip`].
    pub eni_by_private_ip: HashMap<(VpcId, String), EniId>,
    /// ENIs carrying a group.
    pub enis_by_sg: HashMap<SgId, Vec<EniId>>,
    /// ENIs per subnet.
    pub enis_by_subnet: HashMap<SubnetId, Vec<EniId>>,
    /// ENIs per VPC.
    pub enis_by_vpc: HashMap<VpcId, Vec<EniId>>,
    /// Groups by (VPC, name); names are unique per VPC, but tags are not.
    pub sgs_by_vpc_and_name: HashMap<(VpcId, String), Vec<SgId>>,
    /// Rules of other groups (and self) naming a group.
    pub sg_referrers: HashMap<SgId, Vec<SgReferrer>>,
    /// Load balancer by lower-case DNS name without trailing dot.
    pub lb_by_dns_name: HashMap<String, LbArn>,
    /// Load balancer by name.
    pub lb_by_name: HashMap<String, LbArn>,
    /// Listeners of a load balancer, by port.
    pub listeners_by_lb: HashMap<LbArn, Vec<ListenerArn>>,
    /// Rules of a listener.
    pub rules_by_listener: HashMap<ListenerArn, Vec<RuleArn>>,
    /// Target groups attached to a load balancer.
    pub target_groups_by_lb: HashMap<LbArn, Vec<TgArn>>,
    /// ENIs of an ALB (Description `ELB app/NAME/ID`).
    pub enis_by_lb: HashMap<LbArn, Vec<EniId>>,
    /// The NACL associated with a subnet.
    pub nacl_by_subnet: HashMap<SubnetId, NaclId>,
    /// Explicitly associated route table of a subnet.
    pub route_table_by_subnet: HashMap<SubnetId, RouteTableId>,
    /// Main route table of a VPC.
    pub main_route_table_by_vpc: HashMap<VpcId, RouteTableId>,
    /// Prefix lists by name.
    pub prefix_lists_by_name: HashMap<String, Vec<PrefixListId>>,
    /// Primary ENI (device index 0) of an instance.
    pub primary_eni_by_instance: HashMap<InstanceId, EniId>,
    /// VPC endpoints owning an ENI.
    pub endpoint_by_eni: HashMap<EniId, VpcEndpointId>,
}

impl Index {
    /// Builds every lookup in one pass per kind.
    #[must_use]
    pub fn build(inv: &Inventory) -> Index {
        let mut idx = Index::default();
        for (id, eni) in &inv.network_interfaces {
            let vpc = eni.vpc_id.clone().or_else(|| {
                eni.subnet_id
                    .as_ref()
                    .and_then(|s| inv.subnets.get(s))
                    .map(|s| s.vpc_id.clone())
            });
            if let Some(vpc) = vpc {
                let addresses = eni.private_ip_address.iter().chain(
                    eni.private_ip_addresses
                        .iter()
                        .map(|p| &p.private_ip_address),
                );
                for ip in addresses {
                    idx.eni_by_private_ip
                        .insert((vpc.clone(), ip.clone()), id.clone());
                }
            }
            for g in &eni.groups {
                idx.enis_by_sg
                    .entry(g.group_id.clone())
                    .or_default()
                    .push(id.clone());
            }
            if let Some(s) = &eni.subnet_id {
                idx.enis_by_subnet
                    .entry(s.clone())
                    .or_default()
                    .push(id.clone());
            }
            if let Some(v) = &eni.vpc_id {
                idx.enis_by_vpc
                    .entry(v.clone())
                    .or_default()
                    .push(id.clone());
            }
            if let (Some(att), true) = (&eni.attachment, true)
                && let (Some(instance), Some(0)) = (&att.instance_id, att.device_index)
            {
                idx.primary_eni_by_instance
                    .insert(instance.clone(), id.clone());
            }
        }
        for inst in inv.instances.values() {
            for ni in &inst.network_interfaces {
                if ni.attachment.as_ref().and_then(|a| a.device_index) == Some(0) {
                    idx.primary_eni_by_instance
                        .entry(inst.instance_id.clone())
                        .or_insert_with(|| ni.network_interface_id.clone());
                }
            }
        }
        for (id, sg) in &inv.security_groups {
            if let Some(vpc) = &sg.vpc_id {
                idx.sgs_by_vpc_and_name
                    .entry((vpc.clone(), sg.group_name.clone()))
                    .or_default()
                    .push(id.clone());
            }
            let mut add = |perms: &[IpPermission], direction: Direction| {
                for (i, p) in perms.iter().enumerate() {
                    for pair in &p.user_id_group_pairs {
                        if let Some(target) = &pair.group_id {
                            let refs = idx.sg_referrers.entry(target.clone()).or_default();
                            let r = SgReferrer {
                                group: id.clone(),
                                direction,
                                permission: i,
                            };
                            if !refs.contains(&r) {
                                refs.push(r);
                            }
                        }
                    }
                }
            };
            add(&sg.ip_permissions, Direction::Ingress);
            add(&sg.ip_permissions_egress, Direction::Egress);
        }
        for (arn, lb) in &inv.load_balancers {
            idx.lb_by_dns_name
                .insert(normalize_dns_name(&lb.dns_name), arn.clone());
            idx.lb_by_name
                .insert(lb.load_balancer_name.clone(), arn.clone());
        }
        // ALB ENIs: Description is `ELB app/<name>/<id>`, and the ARN ends with `app/<name>/<id>`.
        let lb_by_suffix: HashMap<&str, &LbArn> = inv
            .load_balancers
            .keys()
            .filter_map(|arn| {
                arn.as_str()
                    .split_once(":loadbalancer/")
                    .map(|(_, suffix)| (suffix, arn))
            })
            .collect();
        for (id, eni) in &inv.network_interfaces {
            if let Some(suffix) = eni
                .description
                .as_deref()
                .and_then(|d| d.strip_prefix("ELB "))
                && let Some(arn) = lb_by_suffix.get(suffix)
            {
                idx.enis_by_lb
                    .entry((*arn).clone())
                    .or_default()
                    .push(id.clone());
            }
        }
        for (arn, l) in &inv.listeners {
            idx.listeners_by_lb
                .entry(l.load_balancer_arn.clone())
                .or_default()
                .push(arn.clone());
        }
        for (arn, r) in &inv.rules {
            if let Some(l) = &r.listener_arn {
                idx.rules_by_listener
                    .entry(l.clone())
                    .or_default()
                    .push(arn.clone());
            }
        }
        for (arn, tg) in &inv.target_groups {
            for lb in &tg.load_balancer_arns {
                idx.target_groups_by_lb
                    .entry(lb.clone())
                    .or_default()
                    .push(arn.clone());
            }
        }
        for (id, acl) in &inv.network_acls {
            for a in &acl.associations {
                idx.nacl_by_subnet.insert(a.subnet_id.clone(), id.clone());
            }
        }
        for (id, rt) in &inv.route_tables {
            for a in &rt.associations {
                if a.main {
                    idx.main_route_table_by_vpc
                        .insert(rt.vpc_id.clone(), id.clone());
                }
                if let Some(s) = &a.subnet_id {
                    idx.route_table_by_subnet.insert(s.clone(), id.clone());
                }
            }
        }
        for (id, pl) in &inv.prefix_lists {
            idx.prefix_lists_by_name
                .entry(pl.prefix_list_name.clone())
                .or_default()
                .push(id.clone());
        }
        for (id, ep) in &inv.vpc_endpoints {
            for eni in &ep.network_interface_ids {
                idx.endpoint_by_eni.insert(eni.clone(), id.clone());
            }
        }
        idx
    }
}

/// The answer of [`Index::eni_by_ip`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EniLookup<'a> {
    /// Exactly one ENI holds the address (in the VPC asked for).
    Found(&'a EniId),
    /// No ENI of the Inventory holds it.
    NotFound,
    /// No VPC was given and ENIs of several VPCs hold it.
    Ambiguous(Vec<&'a EniId>),
}

impl Index {
    /// The ENI holding private address `ip` in `vpc`. Without a VPC (a target group whose
    /// `VpcId` is missing) the address must be unique across the Inventory, else the answer is
    /// [`EniLookup::Ambiguous`].
    #[must_use]
    pub fn eni_by_ip(&self, vpc: Option<&VpcId>, ip: &str) -> EniLookup<'_> {
        if let Some(vpc) = vpc {
            return match self.eni_by_private_ip.get(&(vpc.clone(), ip.to_owned())) {
                Some(eni) => EniLookup::Found(eni),
                None => EniLookup::NotFound,
            };
        }
        let mut holders: Vec<&EniId> = self
            .eni_by_private_ip
            .iter()
            .filter(|((_, address), _)| address == ip)
            .map(|(_, eni)| eni)
            .collect();
        holders.sort();
        holders.dedup();
        match holders.as_slice() {
            [] => EniLookup::NotFound,
            [one] => EniLookup::Found(one),
            _ => EniLookup::Ambiguous(holders),
        }
    }
}

/// Lower-case, no trailing dot: how DNS names are compared.
#[must_use]
pub fn normalize_dns_name(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_serializes_as_its_name() {
        for k in Kind::ALL {
            assert_eq!(serde_json::to_value(k).expect("json"), k.name(), "{k:?}");
            let back: Kind = serde_json::from_value(serde_json::json!(k.name())).expect("parse");
            assert_eq!(back, k);
        }
        // The spelling JSON used before still reads (snapshots' `EdgepathUnavailable` key).
        let old: Kind = serde_json::from_str("\"cloud_trail_events\"").expect("alias");
        assert_eq!(old, Kind::CloudTrailEvents);
    }
}
