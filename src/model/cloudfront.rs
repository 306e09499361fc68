//! CloudFront distributions and VPC origins.
//!
//! `list-distributions` prints summaries (`DistributionList.Items[]`, fields flat) and
//! `get-distribution` prints `Distribution.DistributionConfig`; both carry the same origins and
//! cache behaviors, so both load into one [`Distribution`]. CloudFront wraps every list as
//! `{Quantity, Items}`; [`Items`] models that. `list-vpc-origins` and `get-vpc-origin` likewise
//! merge into one [`VpcOrigin`].

use serde::{Deserialize, Serialize};

use super::ids::{DistributionId, VpcOriginId};

/// CloudFront's `{Quantity, Items}` wrapper; `Items` is absent when `Quantity` is 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Items<T> {
    /// Number of items.
    #[serde(default)]
    pub quantity: i64,
    /// The items.
    #[serde(default = "Vec::new", skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<T>,
}

impl<T> Default for Items<T> {
    fn default() -> Self {
        Self {
            quantity: 0,
            items: Vec::new(),
        }
    }
}

impl<T> From<Vec<T>> for Items<T> {
    fn from(items: Vec<T>) -> Self {
        Self {
            quantity: i64::try_from(items.len()).unwrap_or(i64::MAX),
            items,
        }
    }
}

/// A distribution, from either the list or the get shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Distribution {
    /// `E…`.
    pub id: DistributionId,
    /// ARN.
    #[serde(default, rename = "ARN", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// `Deployed` or `InProgress`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `dxxxx.cloudfront.net`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_name: Option<String>,
    /// Alternate domain names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aliases: Option<Items<String>>,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Enabled.
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// Origins.
    #[serde(default)]
    pub origins: Items<Origin>,
    /// Origin groups (failover pairs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin_groups: Option<Items<OriginGroup>>,
    /// The default (`*`) behavior.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_cache_behavior: Option<CacheBehavior>,
    /// Ordered behaviors, first match wins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_behaviors: Option<Items<CacheBehavior>>,
    /// Error caching and custom error pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_error_responses: Option<Items<CustomErrorResponse>>,
    /// `ETag` of the `get-distribution` output, when loaded from it.
    #[serde(default, rename = "ETag", skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
}

fn default_true() -> bool {
    true
}

/// The fields of `DistributionConfig` a get-distribution output carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DistributionConfig {
    /// Alternate domain names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aliases: Option<Items<String>>,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Enabled.
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// Origins.
    #[serde(default)]
    pub origins: Items<Origin>,
    /// Origin groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin_groups: Option<Items<OriginGroup>>,
    /// Default behavior.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_cache_behavior: Option<CacheBehavior>,
    /// Ordered behaviors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_behaviors: Option<Items<CacheBehavior>>,
    /// Custom error responses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_error_responses: Option<Items<CustomErrorResponse>>,
}

/// `get-distribution` → `Distribution`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DistributionGet {
    /// `E…`.
    pub id: DistributionId,
    /// ARN.
    #[serde(default, rename = "ARN", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// `Deployed` or `InProgress`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `dxxxx.cloudfront.net`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_name: Option<String>,
    /// The configuration.
    pub distribution_config: DistributionConfig,
}

impl DistributionGet {
    /// Flattens the get shape into the common model.
    #[must_use]
    pub fn into_distribution(self, etag: Option<String>) -> Distribution {
        let c = self.distribution_config;
        Distribution {
            id: self.id,
            arn: self.arn,
            status: self.status,
            domain_name: self.domain_name,
            aliases: c.aliases,
            comment: c.comment,
            enabled: c.enabled,
            origins: c.origins,
            origin_groups: c.origin_groups,
            default_cache_behavior: c.default_cache_behavior,
            cache_behaviors: c.cache_behaviors,
            custom_error_responses: c.custom_error_responses,
            etag,
        }
    }
}

/// `list-distributions` → `DistributionList`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DistributionList {
    /// Summaries.
    #[serde(default)]
    pub items: Vec<Distribution>,
    /// Count.
    #[serde(default)]
    pub quantity: i64,
    /// Pagination marker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    /// Page size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<i64>,
    /// More pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_truncated: Option<bool>,
}

/// One origin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Origin {
    /// Origin id, referenced by behaviors.
    pub id: String,
    /// Host name CloudFront connects to.
    pub domain_name: String,
    /// Path prefix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin_path: Option<String>,
    /// Headers CloudFront adds (secret-header gates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_headers: Option<Items<OriginCustomHeader>>,
    /// S3 origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3_origin_config: Option<serde_json::Value>,
    /// Custom (HTTP) origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_origin_config: Option<CustomOriginConfig>,
    /// VPC origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_origin_config: Option<VpcOriginConfig>,
    /// 1–3, default 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_attempts: Option<i32>,
    /// 1–10 s, default 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_timeout: Option<i32>,
    /// Cap over all attempts (2025), absent = none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_completion_timeout: Option<i32>,
    /// Origin access control.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin_access_control_id: Option<String>,
}

impl Origin {
    /// `OriginReadTimeout` of a custom or VPC origin, if set (CloudFront's default is 30 s).
    #[must_use]
    pub fn read_timeout(&self) -> Option<i32> {
        self.custom_origin_config
            .as_ref()
            .and_then(|c| c.origin_read_timeout)
            .or_else(|| {
                self.vpc_origin_config
                    .as_ref()
                    .and_then(|c| c.origin_read_timeout)
            })
    }

    /// `OriginKeepaliveTimeout` of a custom or VPC origin, if set (CloudFront's default is 5 s).
    #[must_use]
    pub fn keepalive_timeout(&self) -> Option<i32> {
        self.custom_origin_config
            .as_ref()
            .and_then(|c| c.origin_keepalive_timeout)
            .or_else(|| {
                self.vpc_origin_config
                    .as_ref()
                    .and_then(|c| c.origin_keepalive_timeout)
            })
    }
}

/// A custom header CloudFront sends to the origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OriginCustomHeader {
    /// Name.
    pub header_name: String,
    /// Value.
    pub header_value: String,
}

/// `CustomOriginConfig`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomOriginConfig {
    /// Port for HTTP.
    #[serde(rename = "HTTPPort")]
    pub http_port: i32,
    /// Port for HTTPS.
    #[serde(rename = "HTTPSPort")]
    pub https_port: i32,
    /// `http-only`, `https-only`, `match-viewer`.
    pub origin_protocol_policy: String,
    /// TLS versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin_ssl_protocols: Option<Items<String>>,
    /// Response timeout, default 30 s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin_read_timeout: Option<i32>,
    /// Keep-alive timeout, default 5 s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin_keepalive_timeout: Option<i32>,
}

/// `VpcOriginConfig` of an origin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcOriginConfig {
    /// The VPC origin.
    pub vpc_origin_id: VpcOriginId,
    /// Response timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin_read_timeout: Option<i32>,
    /// Keep-alive timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin_keepalive_timeout: Option<i32>,
    /// Owner account for cross-account VPC origins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_account_id: Option<String>,
}

/// An origin group: primary and secondary member with failover criteria.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OriginGroup {
    /// Group id, referenced by behaviors like an origin id.
    pub id: String,
    /// Status codes that fail over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failover_criteria: Option<serde_json::Value>,
    /// Members, primary first.
    #[serde(default)]
    pub members: Items<OriginGroupMember>,
}

/// One member of an origin group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OriginGroupMember {
    /// Origin id.
    pub origin_id: String,
}

/// A cache behavior (the default one has no `PathPattern`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CacheBehavior {
    /// `/api/*`; absent on the default behavior.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_pattern: Option<String>,
    /// Origin or origin-group id.
    pub target_origin_id: String,
    /// `allow-all`, `redirect-to-https`, `https-only`.
    #[serde(default = "default_viewer_policy")]
    pub viewer_protocol_policy: String,
    /// Allowed methods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_methods: Option<serde_json::Value>,
    /// Cache policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_policy_id: Option<String>,
    /// Origin request policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin_request_policy_id: Option<String>,
    /// Real-time log config.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub realtime_log_config_arn: Option<String>,
}

fn default_viewer_policy() -> String {
    "allow-all".to_owned()
}

/// A custom error response (error caching).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomErrorResponse {
    /// The status code.
    pub error_code: i32,
    /// Minimum TTL of the cached error (absent ⇒ 10 s).
    #[serde(
        default,
        rename = "ErrorCachingMinTTL",
        skip_serializing_if = "Option::is_none"
    )]
    pub error_caching_min_ttl: Option<i64>,
    /// Replacement page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_page_path: Option<String>,
    /// Replacement status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_code: Option<String>,
}

/// A VPC origin, merged from list and get shapes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcOrigin {
    /// `vo_…`.
    pub id: VpcOriginId,
    /// ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// Name (list shape).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Deployed` or `Deploying`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Endpoint ARN (list shape: `OriginEndpointArn`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin_endpoint_arn: Option<String>,
    /// Full endpoint config (get shape).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_origin_endpoint_config: Option<VpcOriginEndpointConfig>,
    /// Created at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_time: Option<String>,
    /// Last modified at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_time: Option<String>,
    /// `ETag` of the get output (needed for `delete-vpc-origin --if-match`).
    #[serde(default, rename = "ETag", skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
}

impl VpcOrigin {
    /// The endpoint (ALB/NLB/instance) ARN from whichever shape was loaded.
    #[must_use]
    pub fn endpoint_arn(&self) -> Option<&str> {
        self.vpc_origin_endpoint_config
            .as_ref()
            .map(|c| c.arn.as_str())
            .or(self.origin_endpoint_arn.as_deref())
    }

    /// Merges another view of the same origin (list + get) into this one.
    pub fn merge(&mut self, other: VpcOrigin) {
        macro_rules! take {
            ($($f:ident),*) => {$( if other.$f.is_some() { self.$f = other.$f; } )*};
        }
        take!(
            arn,
            name,
            status,
            origin_endpoint_arn,
            vpc_origin_endpoint_config,
            created_time,
            last_modified_time,
            etag
        );
    }
}

/// `VpcOriginEndpointConfig`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcOriginEndpointConfig {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// The ALB/NLB/instance ARN.
    pub arn: String,
    /// Port for HTTP (default 80).
    #[serde(rename = "HTTPPort", default = "default_http_port")]
    pub http_port: i32,
    /// Port for HTTPS (default 443).
    #[serde(rename = "HTTPSPort", default = "default_https_port")]
    pub https_port: i32,
    /// `http-only`, `https-only`, `match-viewer`.
    pub origin_protocol_policy: String,
    /// TLS versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin_ssl_protocols: Option<Items<String>>,
}

fn default_http_port() -> i32 {
    80
}
fn default_https_port() -> i32 {
    443
}

/// `list-vpc-origins` → `VpcOriginList`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcOriginList {
    /// Summaries.
    #[serde(default)]
    pub items: Vec<VpcOrigin>,
    /// Count.
    #[serde(default)]
    pub quantity: i64,
}

/// CloudTrail `lookup-events` → `Events[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CloudTrailEvent {
    /// Event id.
    pub event_id: String,
    /// `CreateVpcEndpoint`, …
    pub event_name: String,
    /// When.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<serde_json::Value>,
    /// `ec2.amazonaws.com`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source: Option<String>,
    /// User or service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Resources named by the event.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<CloudTrailResource>,
    /// The full event record as a JSON string (holds `userIdentity`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_trail_event: Option<String>,
}

/// A resource named by a CloudTrail event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CloudTrailResource {
    /// `AWS::EC2::VPCEndpoint`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// `vpce-…`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_name: Option<String>,
}
