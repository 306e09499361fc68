//! Elastic Load Balancing v2 resources as `aws elbv2 describe-*` prints them.
//!
//! `describe-rules` does not name its listener and `describe-target-health` /
//! `describe-*-attributes` do not name their parent: the snapshot loader adds the parent from
//! the extra top-level key (`TargetGroupArn`, `LoadBalancerArn`) or derives it from the rule
//! ARN, so by the time these types reach an evaluator every one knows its parent.

use serde::{Deserialize, Serialize};

use super::ids::{LbArn, ListenerArn, RuleArn, SgId, SubnetId, TgArn, VpcId};

/// `describe-load-balancers` → `LoadBalancers[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LoadBalancer {
    /// ARN.
    pub load_balancer_arn: LbArn,
    /// Name.
    pub load_balancer_name: String,
    /// DNS name (`NAME-ID.REGION.elb.amazonaws.com`; `internal-` prefix when internal).
    #[serde(rename = "DNSName")]
    pub dns_name: String,
    /// `internet-facing` or `internal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    /// `application`, `network`, `gateway`.
    #[serde(default, rename = "Type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Its VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<VpcId>,
    /// `{Code: active|provisioning|failed, …}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<LoadBalancerState>,
    /// Enabled AZs and their subnets.
    #[serde(default)]
    pub availability_zones: Vec<AvailabilityZone>,
    /// Attached SGs.
    #[serde(default)]
    pub security_groups: Vec<SgId>,
    /// `ipv4`, `dualstack`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_address_type: Option<String>,
    /// Hosted zone for alias records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical_hosted_zone_id: Option<String>,
    /// Created at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_time: Option<String>,
}

impl LoadBalancer {
    /// The subnets of its enabled Availability Zones, in AWS's order.
    #[must_use]
    pub fn subnet_ids(&self) -> Vec<SubnetId> {
        self.availability_zones
            .iter()
            .filter_map(|z| z.subnet_id.clone())
            .collect()
    }
}

/// `{Code, Reason}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LoadBalancerState {
    /// `active`, `provisioning`, `active_impaired`, `failed`.
    pub code: String,
    /// Why, when not active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One enabled AZ of a load balancer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AvailabilityZone {
    /// `us-east-1a`.
    pub zone_name: String,
    /// The LB subnet in that AZ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<SubnetId>,
}

/// `describe-listeners` → `Listeners[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Listener {
    /// ARN.
    pub listener_arn: ListenerArn,
    /// Its load balancer.
    pub load_balancer_arn: LbArn,
    /// Port.
    pub port: i32,
    /// `HTTP`, `HTTPS`, …
    pub protocol: String,
    /// Certificates (HTTPS).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<Certificate>,
    /// TLS policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl_policy: Option<String>,
    /// The default action(s).
    #[serde(default)]
    pub default_actions: Vec<Action>,
}

/// A listener certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Certificate {
    /// ACM/IAM ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_arn: Option<String>,
}

/// A listener or rule action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Action {
    /// `forward`, `redirect`, `fixed-response`, `authenticate-oidc`, `authenticate-cognito`.
    #[serde(rename = "Type")]
    pub kind: String,
    /// Single forward target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_group_arn: Option<TgArn>,
    /// Order among actions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<i32>,
    /// Weighted forward.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_config: Option<ForwardConfig>,
    /// Redirect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_config: Option<serde_json::Value>,
    /// Fixed response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_response_config: Option<FixedResponseConfig>,
}

impl Action {
    /// Every target group this action forwards to (single or weighted), de-duplicated.
    #[must_use]
    pub fn forward_target_groups(&self) -> Vec<(&TgArn, Option<i64>)> {
        let mut out: Vec<(&TgArn, Option<i64>)> = Vec::new();
        if let Some(fc) = &self.forward_config {
            for t in &fc.target_groups {
                out.push((&t.target_group_arn, t.weight));
            }
        }
        if let Some(arn) = &self.target_group_arn
            && !out.iter().any(|(a, _)| *a == arn)
        {
            out.push((arn, None));
        }
        out
    }
}

/// Weighted forward.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ForwardConfig {
    /// The groups and weights.
    #[serde(default)]
    pub target_groups: Vec<TargetGroupTuple>,
    /// `{Enabled, DurationSeconds}` of group stickiness.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_group_stickiness_config: Option<serde_json::Value>,
}

/// One weighted target group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetGroupTuple {
    /// The group.
    pub target_group_arn: TgArn,
    /// Weight (0 means no traffic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
}

/// A fixed response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FixedResponseConfig {
    /// HTTP status.
    pub status_code: String,
    /// Content type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_body: Option<String>,
}

/// `describe-rules` → `Rules[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Rule {
    /// ARN (`…:listener-rule/app/NAME/LBID/LISTENERID/RULEID`).
    pub rule_arn: RuleArn,
    /// `1`…`50000` or `default`.
    #[serde(default)]
    pub priority: String,
    /// Conditions (kept as JSON: path-pattern, host-header, http-header, …).
    #[serde(default)]
    pub conditions: Vec<serde_json::Value>,
    /// Actions.
    #[serde(default)]
    pub actions: Vec<Action>,
    /// The listener's default rule.
    #[serde(default)]
    pub is_default: bool,
    /// Parent listener: AWS omits it; the loader fills it from the ARN or the `ListenerArn` key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listener_arn: Option<ListenerArn>,
}

impl Rule {
    /// The listener ARN encoded in a rule ARN (`listener-rule/…/RULEID` → `listener/…`).
    #[must_use]
    pub fn listener_arn_from_rule_arn(rule_arn: &str) -> Option<ListenerArn> {
        let (head, tail) = rule_arn.split_once(":listener-rule/")?;
        let (listener_path, _rule_id) = tail.rsplit_once('/')?;
        Some(ListenerArn(format!("{head}:listener/{listener_path}")))
    }
}

/// `describe-target-groups` → `TargetGroups[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetGroup {
    /// ARN.
    pub target_group_arn: TgArn,
    /// Name.
    pub target_group_name: String,
    /// `HTTP`, `HTTPS`, … (absent for lambda).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// Traffic port (absent for lambda).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<i32>,
    /// Its VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<VpcId>,
    /// `instance`, `ip`, `lambda`, `alb`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
    /// Health-check protocol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_protocol: Option<String>,
    /// `traffic-port` or a number as a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_port: Option<String>,
    /// Health checks on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_enabled: Option<bool>,
    /// Path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_path: Option<String>,
    /// Interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_interval_seconds: Option<i32>,
    /// Timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_timeout_seconds: Option<i32>,
    /// Healthy threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub healthy_threshold_count: Option<i32>,
    /// Unhealthy threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unhealthy_threshold_count: Option<i32>,
    /// Success codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matcher: Option<Matcher>,
    /// Load balancers using this group (empty: `Target.NotInUse`).
    #[serde(default)]
    pub load_balancer_arns: Vec<LbArn>,
    /// `HTTP1`, `HTTP2`, `GRPC`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol_version: Option<String>,
}

impl TargetGroup {
    /// The effective health-check port for a target registered on `target_port`.
    #[must_use]
    pub fn health_check_port_for(&self, target_port: i32) -> i32 {
        match self.health_check_port.as_deref() {
            None | Some("traffic-port") => target_port,
            Some(p) => p.parse().unwrap_or(target_port),
        }
    }
}

/// Health-check success codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Matcher {
    /// `200`, `200-299`, `200,302`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_code: Option<String>,
    /// gRPC codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grpc_code: Option<String>,
}

/// `describe-target-health` → `TargetHealthDescriptions[]`, with the group from `TargetGroupArn`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetHealthDescription {
    /// The registered target.
    pub target: TargetDescription,
    /// Health-check port used (absent for `unused` / `initial`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_port: Option<String>,
    /// State and reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_health: Option<TargetHealth>,
}

/// A registered target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetDescription {
    /// Instance id, IP address, Lambda ARN or ALB ARN.
    pub id: String,
    /// Port (defaults to the group's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<i32>,
    /// AZ, or `all` for IPs outside the VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
}

/// `{State, Reason, Description}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetHealth {
    /// `initial`, `healthy`, `unhealthy`, `unused`, `draining`, `unavailable`, …
    pub state: String,
    /// `Target.Timeout`, `Target.NotInUse`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Human text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// `{Key, Value}` of `describe-load-balancer-attributes` / `describe-target-group-attributes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Attribute {
    /// `idle_timeout.timeout_seconds`, …
    pub key: String,
    /// Always a string.
    #[serde(default)]
    pub value: String,
}
