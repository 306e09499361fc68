//! Facts: the typed evidence rules are written against.
//!
//! Evaluators and the log classifier *emit* facts; rule files (`rules/*.toml`) only *read*
//! them, through CEL conditions and `{{field}}` templates. This file is the one place the fact
//! schema is defined: `edgepath rules facts` prints it, and rule loading rejects a condition or
//! template naming a field that is not here.
//!
//! Every fact is a flat JSON object with a `kind` discriminator and snake_case fields. Absent
//! data is an empty string / empty list / `-1` for numbers, never a guessed value, so a rule
//! can test for it (`fact.idle_timeout_seconds >= 0`).
//!
//! Fields ending in `_arg` are different: they are the argument a fix command needs, filled
//! whenever the fact's subject has one. They hold the id the snapshot decides; where the data does
//! not decide it, a `$(aws … --query …)` lookup or a `<…>` placeholder that names the call or the
//! choice that supplies it (and why the snapshot could not). Rules use them only in `fix` /
//! `message`, never in `when`.
//!
//! Contract between producers and the rules engine: producers may add fields (document them
//! here); renaming or removing one breaks rule files.

use serde::Serialize;

/// One fact.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fact {
    /// The verdict of one hop of one path (from `reach`).
    Hop(HopFact),
    /// A CloudFront origin as used by one cache behavior (configuration).
    Origin(OriginFact),
    /// An application load balancer (configuration).
    LoadBalancer(LoadBalancerFact),
    /// A target group and the health of its targets (configuration + state).
    TargetGroup(TargetGroupFact),
    /// A security group's rule-quota use (configuration).
    SecurityGroup(SecurityGroupFact),
    /// A CloudFront VPC origin (configuration + state).
    VpcOrigin(VpcOriginFact),
    /// A bucket of classified log lines (from `logs`).
    LogBucket(LogBucketFact),
    /// A change to the account (a mutating CloudTrail event), joined to the failing hops.
    Change(ChangeFact),
    /// What CloudWatch measured for one distribution or load balancer over the window.
    MetricWindow(MetricWindowFact),
}

/// The verdict of one hop of one path, with what admitted or blocked it.
///
/// `hop` is `cloudfront->alb`, `alb->target` or `target`; `verdict` is `allowed`, `blocked`,
/// `partial` or `unknown`. `reasons` lists short codes for every failed check of the hop (all of
/// them, not only the first), e.g. `sg-no-admitting-rule`, `nacl-denied-inbound`,
/// `nacl-denied-return`, `no-igw-route`, `no-listener`, `protocol-mismatch`,
/// `internal-alb-public-origin`, `prefix-list-partial`, `vpc-bpa-blocks-igw`, `alb-egress-missing`,
/// `target-sg-no-rule`, `health-check-port-blocked`, `target-az-not-enabled`,
/// `vpc-origin-sg-missing`, `target-unhealthy`, `missing-data`; also `target-unused` (health
/// state `unused`), `target-not-in-service` (`initial` / `draining`), `no-registered-targets`
/// and `origin-unresolved` (a custom origin matching no ALB; the path is `unknown`).
/// A failed check of the IPv6 path of a `cloudfront->alb` hop (an `ipv6` or `dualstack`
/// origin) has its code prefixed `ipv6-` (`ipv6-sg-no-admitting-rule`,
/// `ipv6-nacl-denied-inbound`, `ipv6-no-igw-route`, `ipv6-subnet-without-ipv6-cidr`,
/// `ipv6-prefix-list-partial`); `ip-address-type-mismatch` says the origin's and the ALB's
/// address families share none.
/// TLS to an HTTPS listener adds `origin-tls-name-mismatch` (the `*.elb.amazonaws.com` name),
/// `listener-certificate-name-mismatch`, `listener-certificate-expired`,
/// `listener-certificate-pending-validation`, `listener-certificate-not-issued`,
/// `listener-certificate-key-unsupported` and `origin-ssl-protocols-vs-listener-policy`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct HopFact {
    /// Distribution id.
    pub distribution: String,
    /// Cache behavior path pattern (`*` for the default behavior).
    pub behavior: String,
    /// Origin id as named in the distribution.
    pub origin_id: String,
    /// Origin domain name.
    pub origin_domain: String,
    /// `custom` or `vpc_origin`.
    pub origin_type: String,
    /// Load balancer name.
    pub alb: String,
    /// Load balancer ARN.
    pub alb_arn: String,
    /// `internet-facing` / `internal`.
    pub alb_scheme: String,
    /// SGs attached to the ALB.
    pub alb_sgs: Vec<String>,
    /// First ALB SG (convenient in fix templates), or empty.
    pub alb_sg: String,
    /// `cloudfront->alb`, `alb->target` or `target`.
    pub hop: String,
    /// `allowed`, `blocked`, `partial`, `unknown`.
    pub verdict: String,
    /// Short codes of every failed check (see type doc).
    pub reasons: Vec<String>,
    /// One-line human explanation of the verdict.
    pub summary: String,
    /// Destination port of the flow (listener port or target port).
    pub port: i64,
    /// `HTTP` / `HTTPS` for cloudfront->alb; target-group protocol for alb->target.
    pub protocol: String,
    /// Health-check port (alb->target), or -1.
    pub health_check_port: i64,
    /// Target group name (alb->target, target).
    pub target_group: String,
    /// Target group ARN.
    pub target_group_arn: String,
    /// Target id (instance id or IP) for alb->target and target hops.
    pub target: String,
    /// SGs of the target's ENI.
    pub target_sgs: Vec<String>,
    /// First target SG, or empty.
    pub target_sg: String,
    /// Target health state (`healthy`, `unhealthy`, …) or empty.
    pub target_state: String,
    /// Target health reason code (`Target.Timeout`, …) or empty.
    pub target_reason: String,
    /// The rule that admits the flow, as text (`sg-0abc ingress tcp/443 from pl-3b927c52`), or empty.
    pub admitted_by: String,
    /// Rules that match on all but one attribute.
    pub near_misses: Vec<NearMiss>,
    /// CIDRs of the CloudFront prefix list not covered (partial coverage).
    pub uncovered_cidrs: Vec<String>,
    /// The denying NACL and its rule (`acl-0abc egress #90 deny`), or empty.
    pub nacl_denied_by: String,
    /// The denying NACL's id (`acl-0abc`), or empty: what a fix command names.
    pub nacl_denied_acl: String,
    /// The highest rule number below the denying entry that the ACL does not use (32766 or lower
    /// before the default `*` deny), for a fix that adds an allow evaluated first; -1 when every
    /// lower number is taken (the deny itself must be replaced); 0 when no NACL entry denies.
    pub nacl_rule_number_before_deny: i64,
    /// Subnets on the hop without a 0.0.0.0/0 route to an internet gateway.
    pub subnets_without_igw_route: Vec<String>,
    /// Data that was missing, each with the AWS CLI call that supplies it.
    pub missing: Vec<String>,
    /// The CloudFront origin-facing managed prefix list's id (`pl-…`) from the snapshot, or the
    /// `describe-managed-prefix-lists` lookup when the snapshot holds no such list.
    pub cloudfront_prefix_list_arg: String,
    /// The CloudFront IPv6 origin-facing managed prefix list's id
    /// (`com.amazonaws.global.ipv6.cloudfront.origin-facing`) from the snapshot, or the
    /// `describe-managed-prefix-lists` lookup when the snapshot holds no such list.
    pub cloudfront_ipv6_prefix_list_arg: String,
    /// The path's origin's `IpAddressType` (`ipv4`, `ipv6`, `dualstack`; `ipv4` when the
    /// distribution leaves it out), or empty for an origin of no distribution.
    pub origin_ip_address_type: String,
    /// The ALB's `IpAddressType` (`ipv4`, `dualstack`, `dualstack-without-public-ipv4`), or
    /// empty when not known.
    pub alb_ip_address_type: String,
    /// The `CloudFront-VPCOrigins-Service-SG` of the ALB's VPC from the snapshot, or the
    /// `describe-security-groups` lookup (by name and VPC) when the snapshot lacks it.
    pub vpc_origin_service_sg_arg: String,
    /// For `set-subnets`: one subnet per Availability Zone of the ALB whose route table sends
    /// 0.0.0.0/0 to an internet gateway (the ALB's own subnet there when it has one), space
    /// separated; an AZ where the snapshot has no such subnet is a `<…>` naming the AZ.
    pub public_subnets_arg: String,
    /// The route table the first of `subnets_without_igw_route` uses (its explicit association,
    /// else the VPC's main table), or a `<…>` naming `describe-route-tables`.
    pub route_table_arg: String,
    /// The internet gateway attached to the ALB's VPC, or a `<…>` saying none is attached.
    pub internet_gateway_arg: String,
    /// alb-routing: the sub-path of the behavior this hop routes (the behavior's pattern, a
    /// rule's path value, or the behavior's pattern for the rest after earlier rules), or empty.
    /// Every other hop of a path that is one part of a split behavior carries the path's label
    /// (`/api/v2/*`, `/api/* (rest)`); empty when the behavior is not split.
    pub sub_path: String,
    /// On each hop of a path that is one part of a split behavior (the ALB's rules send parts of
    /// the behavior's pattern to different target groups): the other parts of the same behavior
    /// whose paths are `allowed` (`/api/v2/*`); empty otherwise.
    pub split_sub_paths_allowed: Vec<String>,
    /// On each hop of a path whose target group is one of several a weighted forward action
    /// sends to: the percent of that route's requests it gets (`20`); 0 otherwise.
    pub forward_share: i64,
    /// The listener: on alb-routing, the one whose rules answer (for `modify-listener` fixes);
    /// on cloudfront->alb over HTTPS, the one CloudFront connects to. Empty on other hops.
    pub listener_arn: String,
    /// alb-routing: the answering rule's priority, or `default`; empty on other hops.
    pub routing_rule: String,
    /// alb-routing: the answering rule's ARN (empty for a listener's default action).
    pub routing_rule_arn: String,
    /// alb-routing: the answering action (`forward`, `fixed-response`, `redirect`,
    /// `authenticate-oidc`, `authenticate-cognito`), or empty.
    pub routing_action: String,
    /// alb-routing: the fixed-response status code (`404`), or empty.
    pub routing_status: String,
    /// alb-routing: whether the answering redirect sends CloudFront's HTTP request to HTTPS,
    /// which CloudFront fetches over HTTP again (a loop).
    pub redirect_loops: bool,
    /// alb-routing: whether a rule did not match because CloudFront does not forward Host.
    pub host_not_forwarded: bool,
    /// alb-routing: whether a rule did not match because the origin's custom header has
    /// another value than the rule's http-header condition.
    pub header_mismatch: bool,
    /// alb-routing: the rules that did not match, each `rule P CONDITION: REASON`.
    pub skipped_rules: Vec<String>,
    /// alb-routing: the first target group a rule that did not match forwards to (where the
    /// requests were meant to go), or empty.
    pub intended_target_group_arn: String,
    /// The listener's security policy (`ELBSecurityPolicy-TLS13-1-2-2021-06`), or empty.
    pub listener_ssl_policy: String,
    /// The TLS versions that policy accepts (`TLSv1.2`, `TLSv1.3`), empty when unknown.
    pub listener_protocols: Vec<String>,
    /// The origin's `OriginSslProtocols` (`TLSv1.2`), empty when not HTTPS or not known.
    pub origin_ssl_protocols: Vec<String>,
    /// The names CloudFront verifies the certificate against: the origin domain, or the
    /// viewer's hosts (the distribution's aliases) when Host is forwarded; both when that is
    /// unknown.
    pub tls_names: Vec<String>,
    /// The certificate the ALB answers with (the SNI one covering the name, else the default),
    /// or empty when the certificates were not read.
    pub certificate_arn: String,
    /// Its ACM `Status` (`ISSUED`, `EXPIRED`, `PENDING_VALIDATION`, …), or empty.
    pub certificate_status: String,
    /// Its names (domain and subject alternative names).
    pub certificate_names: Vec<String>,
    /// Its `NotAfter` (`2027-01-15T23:59:59Z`), or empty.
    pub certificate_not_after: String,
    /// Whole days until `NotAfter`; -1 when unknown or already expired; 0 when no certificate
    /// was read (`certificate_arn` empty).
    pub certificate_days_left: i64,
    /// VPC of the ALB, or empty.
    pub alb_vpc: String,
    /// VPC Block Public Access mode of the ALB's Region on the `cloudfront->alb` hop of an
    /// internet-facing ALB (`off`, `block-bidirectional`, `block-ingress`); empty when not
    /// checked (other hops, VPC origins, internal ALBs) or not loaded.
    pub bpa_mode: String,
    /// ALB subnets whose inbound internet traffic BPA drops (neither the subnet nor its VPC has
    /// an `allow-bidirectional` exclusion); reason `vpc-bpa-blocks-igw`.
    pub bpa_blocked_subnets: Vec<String>,
}

/// A rule that matches the flow on every attribute but one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NearMiss {
    /// The SG holding the rule.
    pub sg: String,
    /// `ingress` / `egress`.
    pub direction: String,
    /// The rule as text (`sg-ecs ingress tcp/80 from sg-old`).
    pub rule: String,
    /// Which attribute differs: `port`, `protocol`, `source`.
    pub differs: String,
    /// The rule's source/destination SG, or empty when it is a CIDR / prefix list.
    pub source_sg: String,
    /// Whether `source_sg` exists in the Inventory.
    pub source_sg_exists: bool,
    /// Whether `source_sg` is attached to the path's ALB.
    pub source_sg_attached_to_alb: bool,
    /// Names of the load balancers that carry `source_sg` (empty when none does or it is no
    /// group).
    pub source_sg_attached_to: Vec<String>,
    /// What carries `source_sg`, as a phrase for messages: `carried by load balancer old-alb`,
    /// `carried by 2 network interfaces (eni-…)`, `attached to nothing in the snapshot`, or
    /// empty when `source_sg` is empty.
    pub source_sg_use: String,
    /// The rule's CIDR or prefix list, or empty.
    pub source_cidr: String,
    /// The rule's port range as text (`80`, `8080-8090`, `all`).
    pub ports: String,
}

/// A CloudFront origin as used by one cache behavior.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OriginFact {
    /// Distribution id.
    pub distribution: String,
    /// Distribution status (`Deployed`, `InProgress`).
    pub distribution_status: String,
    /// Behavior path pattern (`*` = default).
    pub behavior: String,
    /// `allow-all`, `redirect-to-https`, `https-only`.
    pub viewer_protocol_policy: String,
    /// Origin id.
    pub origin_id: String,
    /// Origin domain.
    pub origin_domain: String,
    /// `custom`, `vpc_origin`, `s3`.
    pub origin_type: String,
    /// `http-only`, `https-only`, `match-viewer` (custom and VPC origins).
    pub origin_protocol_policy: String,
    /// HTTP port.
    pub http_port: i64,
    /// HTTPS port.
    pub https_port: i64,
    /// `OriginReadTimeout` (default 30 when unset).
    pub read_timeout_seconds: i64,
    /// `ConnectionTimeout` (default 10).
    pub connection_timeout_seconds: i64,
    /// `ConnectionAttempts` (default 3).
    pub connection_attempts: i64,
    /// `OriginKeepaliveTimeout` (default 5).
    pub keepalive_timeout_seconds: i64,
    /// ALB the origin resolves to (name), or empty.
    pub alb: String,
    /// ALB ARN, or empty.
    pub alb_arn: String,
    /// ALB scheme, or empty.
    pub alb_scheme: String,
    /// The ALB's idle timeout, or -1 when unknown.
    pub alb_idle_timeout_seconds: i64,
    /// Listener protocols of the ALB, as `PORT/PROTOCOL` (`80/HTTP`).
    pub alb_listeners: Vec<String>,
    /// Error caching TTL CloudFront applies to 504 (10 by default), for this distribution.
    pub error_caching_min_ttl_504: i64,
    /// Error caching TTL for 502.
    pub error_caching_min_ttl_502: i64,
    /// Error caching TTL for 503.
    pub error_caching_min_ttl_503: i64,
    /// Whether the behavior's cache policy is the managed `CachingDisabled`.
    pub caching_disabled: bool,
    /// Whether the behavior forwards the viewer's `Host` header to the origin (`true`/`false`;
    /// empty when a custom policy is not loaded or the behavior names no policy). When it does,
    /// CloudFront verifies the origin certificate against the viewer's host, not the origin domain.
    pub host_header_forwarded: String,
    /// For a new listener on the ALB: the target group its existing listeners forward to (the first
    /// listener's default action), or a `<…>` naming `describe-target-groups` when none does.
    pub alb_target_group_arn_arg: String,
}

/// An application load balancer.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LoadBalancerFact {
    /// Name.
    pub alb: String,
    /// ARN.
    pub alb_arn: String,
    /// `internet-facing` / `internal`.
    pub scheme: String,
    /// `active`, `provisioning`, …
    pub state: String,
    /// VPC.
    pub vpc: String,
    /// Enabled AZs.
    pub availability_zones: Vec<String>,
    /// Subnets.
    pub subnets: Vec<String>,
    /// Attached SGs.
    pub security_groups: Vec<String>,
    /// `idle_timeout.timeout_seconds`, or -1 when attributes were not loaded.
    pub idle_timeout_seconds: i64,
    /// Whether any distribution origin points at it.
    pub used_by_cloudfront: bool,
    /// Whether an ingress rule of its security groups admits the CloudFront origin-facing prefix
    /// list or the VPC's `CloudFront-VPCOrigins-Service-SG` (the ALB is locked to CloudFront).
    pub locked_to_cloudfront: bool,
    /// Whether `describe-nat-gateways` was loaded (the `nat_*` fields mean nothing otherwise).
    pub nat_gateways_known: bool,
    /// Available public NAT gateways of its VPC (ids).
    pub nat_gateways: Vec<String>,
    /// Their public IPs: the source address of calls from inside the VPC to its public name.
    pub nat_public_ips: Vec<String>,
    /// Those of `nat_public_ips` that no ingress rule of its security groups admits on every
    /// listener port (a customer prefix list whose entries were not collected counts as
    /// admitting).
    pub nat_public_ips_not_admitted: Vec<String>,
    /// For `authorize-security-group-ingress --ip-permissions`: one permission per listener
    /// port admitting each of `nat_public_ips_not_admitted` as a /32, space separated.
    pub nat_ip_permissions_arg: String,
    /// Sources inside the network its security groups admit: private (RFC 1918 / 6598) CIDRs
    /// and security groups other than the VPC-origin service group. They show callers inside
    /// the VPC are meant to reach it; through its public name they arrive from a NAT public IP.
    pub internal_sources: Vec<String>,
    /// The first of its security groups that admits CloudFront (the group a fix admitting the
    /// NAT public IPs authorizes on), or empty.
    pub locked_sg: String,
}

/// A target group and its targets' health.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TargetGroupFact {
    /// Name.
    pub target_group: String,
    /// ARN.
    pub target_group_arn: String,
    /// Load balancers using it (names).
    pub albs: Vec<String>,
    /// `instance`, `ip`, `lambda`.
    pub target_type: String,
    /// Protocol.
    pub protocol: String,
    /// Port.
    pub port: i64,
    /// Health-check port as configured (`traffic-port` or a number).
    pub health_check_port: String,
    /// Health-check protocol.
    pub health_check_protocol: String,
    /// Health-check path.
    pub health_check_path: String,
    /// Matcher (`200`, `200-399`).
    pub matcher: String,
    /// Whether target health was loaded for this group.
    pub health_known: bool,
    /// Registered targets.
    pub registered: i64,
    /// Healthy targets.
    pub healthy: i64,
    /// Unhealthy targets.
    pub unhealthy: i64,
    /// Targets in `unused`.
    pub unused: i64,
    /// Distinct reason codes among non-healthy targets.
    pub reasons: Vec<String>,
    /// Distinct HTTP codes the failing health checks got, from the targets' descriptions
    /// (`Health checks failed with these codes: [404]`; `Target.ResponseCodeMismatch`); empty
    /// when none is given.
    pub health_check_codes: Vec<String>,
    /// Whether a listener or rule of some ALB forwards to it.
    pub forwarded_to: bool,
    /// Whether a CloudFront path reaches it.
    pub on_cloudfront_path: bool,
    /// First security group of the first registered target's ENI ("" when unknown): the group
    /// a fix command authorizes on.
    pub target_sg: String,
    /// First security group of the first load balancer using it ("" when none): the source a
    /// fix command names.
    pub alb_sg: String,
    /// ARN of the first load balancer using it, or empty.
    pub alb_arn: String,
    /// Current subnets of that load balancer.
    pub alb_subnets: Vec<String>,
    /// For `set-subnets`: one subnet of the load balancer's VPC in each Availability Zone that
    /// holds `unused` targets and that the load balancer does not enable (public, with a route to
    /// an internet gateway, for an internet-facing one), space separated; an AZ where the
    /// snapshot has none is a `<…>` naming the AZ. Empty when no such AZ is known.
    pub target_az_subnets_arg: String,
    /// VPC of the group, or empty.
    pub vpc: String,
    /// `ProtocolVersion`: `HTTP1`, `HTTP2`, `GRPC`, or empty when the output does not give it.
    pub protocol_version: String,
    /// Whether cross-zone load balancing is in effect for the group: `on`, `off` (its
    /// `load_balancing.cross_zone.enabled` is `false`, or it defers to a load balancer whose
    /// attribute is `false`), or empty when `describe-target-group-attributes` was not loaded.
    pub cross_zone: String,
    /// Availability Zones enabled on the first load balancer using the group.
    pub alb_availability_zones: Vec<String>,
    /// Enabled AZs of that load balancer where no registered target of the group is healthy
    /// (all unhealthy, or none registered there); empty when target health is unknown or the
    /// AZ of a healthy target cannot be told from the snapshot.
    pub azs_without_healthy_targets: Vec<String>,
}

/// A security group's rule-quota use.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SecurityGroupFact {
    /// Id.
    pub sg: String,
    /// Name.
    pub name: String,
    /// VPC.
    pub vpc: String,
    /// Inbound rule count with prefix lists counted at their weight / max entries.
    pub ingress_rule_weight: i64,
    /// Literal IPv4 CIDR peers in inbound rules.
    pub ingress_cidr_count: i64,
    /// Whether an inbound rule references the CloudFront origin-facing prefix list.
    pub references_cloudfront_prefix_list: bool,
    /// Whether it is attached to an ALB that a CloudFront origin points at.
    pub on_cloudfront_alb: bool,
    /// Entries of the CloudFront origin-facing prefix list that no literal inbound IPv4 CIDR of
    /// the group covers, when those CIDRs look copied from the list (at least one lies inside an
    /// entry); empty otherwise, or when the list's entries were not loaded.
    pub uncovered_cloudfront_cidrs: Vec<String>,
    /// First port of the inbound rules holding literal CIDRs (the port a prefix-list rule should
    /// open instead), or -1.
    pub cidr_port: i64,
    /// The CloudFront origin-facing managed prefix list's id (`pl-…`) from the snapshot, or the
    /// `describe-managed-prefix-lists` lookup when the snapshot holds no such list.
    pub cloudfront_prefix_list_arg: String,
}

/// A CloudFront VPC origin.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VpcOriginFact {
    /// `vo_…`.
    pub vpc_origin: String,
    /// Name.
    pub name: String,
    /// `Deployed`, `Deploying`.
    pub status: String,
    /// Endpoint ARN.
    pub endpoint_arn: String,
    /// Whether the endpoint ARN is a load balancer in the Inventory.
    pub endpoint_exists: bool,
    /// Distributions using it.
    pub distributions: Vec<String>,
    /// Protocol policy.
    pub origin_protocol_policy: String,
    /// Last modified.
    pub last_modified_time: String,
    /// VPC of the endpoint load balancer, or empty when it is unknown.
    pub vpc: String,
    /// Whether an internet gateway is attached to that VPC (CloudFront requires one even though
    /// VPC-origin traffic does not use it): `true`/`false`, or empty when the load balancer or
    /// `describe-internet-gateways` was not loaded.
    pub vpc_has_internet_gateway: String,
    /// For `attach-internet-gateway`: an internet gateway of the snapshot attached to no VPC,
    /// or the `create-internet-gateway` call that makes one.
    pub internet_gateway_arg: String,
}

/// A bucket of classified log lines: one (origin/behavior, status, detailed type, signature).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LogBucketFact {
    /// `cloudfront`, `alb`.
    pub source: String,
    /// Distribution id, or empty when unknown.
    pub distribution: String,
    /// Behavior path pattern or host+path-prefix group.
    pub behavior: String,
    /// Origin id, or empty.
    pub origin_id: String,
    /// HTTP status (`504`).
    pub status: i64,
    /// `x-edge-detailed-result-type` (`OriginCommError`, `Error`, …).
    pub detailed_result_type: String,
    /// `cloudfront-connect-timeout`, `cloudfront-read-timeout`, `alb-target-connect-timeout`,
    /// `alb-idle-timeout`, `cached-error`, `dns-failure`, the ALB access-log classes
    /// (`alb-target-closed-connection`, `alb-lambda-invalid-response`, `alb-no-targets`,
    /// `alb-draining-target`, …: `edgepath logs` and the README's ALB table), `other`.
    pub signature: String,
    /// Lines in the bucket.
    pub count: i64,
    /// Share of all requests of its source, CloudFront or ALB (0–1).
    pub share: f64,
    /// Median time-taken in seconds.
    pub median_time_taken: f64,
    /// First seen (RFC 3339).
    pub first_seen: String,
    /// Last seen (RFC 3339).
    pub last_seen: String,
    /// Onset minute of the 5xx rise (RFC 3339), or empty.
    pub onset: String,
    /// Whether matching ALB log rows were found (`true`/`false`), or unknown without ALB logs.
    pub alb_rows_seen: String,
    /// The ALB idle timeout the classification assumed, in seconds.
    pub alb_idle_timeout_seconds: i64,
    /// Where the timeouts came from: `AWS defaults` or `snapshot (…)`.
    pub timeouts_source: String,
    /// The distribution as messages name it: its id, or (`distribution` empty) which host
    /// matched no distribution (`host d111.cloudfront.net, which matches no distribution of the
    /// snapshot`).
    pub distribution_label: String,
    /// Origin domain of the behavior, joined from the snapshot's paths, or empty.
    pub origin_domain: String,
    /// Load balancer the behavior's origin resolves to, joined from the snapshot, or empty.
    pub alb: String,
    /// Target groups the behavior's paths reach, from the snapshot (empty without one).
    pub target_groups: Vec<String>,
    /// ARN of the first of `target_groups`, or a `<…>` saying why the snapshot does not decide it
    /// (no snapshot; no path of this distribution and behavior) and which call supplies it.
    pub target_group_arn_arg: String,
}

/// A change to the account: one mutating CloudTrail event (`model::change`), joined to the paths.
///
/// A change is *linked* to a hop when it touched a resource of that hop (the load balancer, its
/// security groups, subnets, their NACLs and route tables, listeners and rules, the target
/// group, a target or its groups, the distribution) and the hop is `blocked` or `partial`. A
/// failed call (`failed`) changed nothing and is never linked. The onset is the logs' (the first
/// minute 504s rose above the baseline, else the first 5xx minute); without logs it is empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ChangeFact {
    /// CloudTrail event id.
    pub event_id: String,
    /// When (RFC 3339).
    pub time: String,
    /// `SetSecurityGroups`, `RevokeSecurityGroupIngress`, …
    pub event_name: String,
    /// The actor's ARN (or the invoking service).
    pub actor: String,
    /// `console`, `terraform`, `cloudformation`, `aws-load-balancer-controller`, `aws-cli`,
    /// `sdk`, a service name, or `unknown tool`.
    pub tool: String,
    /// Every resource id or ARN the call named.
    pub resources: Vec<String>,
    /// Whether the call failed (`errorCode` set): it changed nothing.
    pub failed: bool,
    /// `errorCode: errorMessage` of a failed call, or empty.
    pub error: String,
    /// What it did, in words (`removed sg-0old from web-alb's security groups (now: sg-0cf)`).
    pub summary: String,
    /// The first failing hop it touched (`cloudfront->alb`, `alb->target`, `target`), or empty.
    pub hop: String,
    /// Every failing hop it touched.
    pub failing_hops: Vec<String>,
    /// The resources of those hops it touched.
    pub linked_resources: Vec<String>,
    /// Distribution of the first failing path it touched, or empty.
    pub distribution: String,
    /// Load balancer (name) of the first failing path it touched, or empty.
    pub alb: String,
    /// The onset of the errors (RFC 3339), or empty without logs.
    pub onset: String,
    /// Seconds from the change to the onset; -1 without an onset or when the change came after it.
    pub seconds_before_onset: i64,
    /// For a fix, after `aws `: the exact inverse command with the real ids
    /// (`elbv2 set-security-groups --load-balancer-arn … --security-groups sg-new sg-old`) when the
    /// event holds what it needs; else the `cloudtrail lookup-events` call that shows the event
    /// (it does not record the state before it: undo by hand, or see AWS Config's history).
    pub revert_arg: String,
    /// Whether `revert_arg` is the exact inverse (`false`: it is the event lookup).
    pub revertible: bool,
}

/// What CloudWatch measured over the window for one distribution (`source = cloudfront`) or
/// application load balancer (`source = alb`, its target groups included), at 1-minute
/// resolution: the error onset, a signature and whether the errors are still happening. It
/// answers what logs would when there are none (standard CloudFront logs arrive late).
///
/// Errors per minute are the ALB's `HTTPCode_ELB_5XX` + `HTTPCode_Target_5XX_Count`, and for
/// CloudFront `5xxErrorRate` × `Requests`. `signature`: `alb-cannot-reach-targets`
/// (`HTTPCode_ELB_504_Count` with `TargetConnectionErrorCount`), `cloudfront-cannot-reach-alb`
/// (CloudFront 5xx while every load balancer it reaches measured no 5xx), `alb-errors`
/// (CloudFront 5xx with 5xx at its load balancer), `targets-return-5xx`,
/// `alb-rejected-connections`, `target-tls-negotiation`, `alb-5xx`, `cloudfront-5xx` (the load
/// balancer's metrics are not loaded), or empty without errors. `trend`: `errors-ongoing`,
/// `still-rising` (the last minutes above 1.5 × the onset's), `errors-stopped` (none in the last
/// 5 minutes), or empty without errors.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MetricWindowFact {
    /// `cloudfront` or `alb`.
    pub source: String,
    /// Distribution id or load balancer name.
    pub resource: String,
    /// Load balancer ARN (`alb`), or empty.
    pub alb_arn: String,
    /// For a distribution, the load balancers its paths reach (names); for a load balancer,
    /// the distributions whose paths reach it.
    pub related: Vec<String>,
    /// First minute with data (RFC 3339), or empty.
    pub window_start: String,
    /// Last minute with data (RFC 3339), or empty.
    pub window_end: String,
    /// Minutes from `window_start` to `window_end`.
    pub minutes: i64,
    /// Requests (`Requests` / `RequestCount`), or -1 when not measured.
    pub requests: i64,
    /// 5xx responses (see the type doc), or -1 when not measured.
    pub errors_5xx: i64,
    /// CloudFront: the highest per-minute `5xxErrorRate` (%), or -1.
    pub error_rate_5xx_max: f64,
    /// CloudFront: the highest per-minute `504ErrorRate` (%), or -1 (additional metrics off).
    pub error_rate_504_max: f64,
    /// CloudFront: the highest per-minute `502ErrorRate` (%), or -1 (additional metrics off).
    pub error_rate_502_max: f64,
    /// CloudFront: the highest per-minute p99 `OriginLatency` (ms), or -1.
    pub origin_latency_p99_max_ms: f64,
    /// CloudFront: whether additional metrics are enabled (`true` / `false`: `Requests` has
    /// data and `504ErrorRate` has none), or empty when it cannot be told.
    pub additional_metrics: String,
    /// ALB: `HTTPCode_ELB_502_Count` over the window, or -1.
    pub elb_502: i64,
    /// ALB: `HTTPCode_ELB_503_Count`, or -1.
    pub elb_503: i64,
    /// ALB: `HTTPCode_ELB_504_Count`, or -1.
    pub elb_504: i64,
    /// ALB: `HTTPCode_Target_5XX_Count`, or -1.
    pub target_5xx: i64,
    /// ALB: `TargetConnectionErrorCount`, or -1.
    pub target_connection_errors: i64,
    /// ALB: `RejectedConnectionCount` (the ALB at its connection limit), or -1.
    pub rejected_connections: i64,
    /// ALB: `TargetTLSNegotiationErrorCount`, or -1.
    pub target_tls_errors: i64,
    /// ALB: the highest per-minute p99 `TargetResponseTime` (s), or -1.
    pub target_response_time_p99_max: f64,
    /// ALB: the highest `UnHealthyHostCount` of any of its target groups, or -1.
    pub unhealthy_hosts_max: i64,
    /// ALB: the lowest `HealthyHostCount` of any of its target groups, or -1.
    pub healthy_hosts_min: i64,
    /// First minute of the error rise (RFC 3339), or empty without errors.
    pub onset: String,
    /// Last minute with errors (RFC 3339), or empty.
    pub last_error: String,
    /// Errors per minute in the 5 minutes from the onset.
    pub onset_per_minute: f64,
    /// Errors per minute in the last 5 minutes of the window.
    pub recent_per_minute: f64,
    /// What the metrics say failed (see the type doc).
    pub signature: String,
    /// Whether it is still happening (see the type doc).
    pub trend: String,
}
