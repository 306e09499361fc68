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

impl Distribution {
    /// The behaviors in the order CloudFront tries them for a request: the cache behaviors as
    /// listed, the default (`*`) last. Each with its path pattern.
    pub fn behaviors_in_precedence(&self) -> impl Iterator<Item = (&str, &CacheBehavior)> {
        self.cache_behaviors
            .iter()
            .flat_map(|c| &c.items)
            .map(|b| (b.path_pattern.as_deref().unwrap_or("*"), b))
            .chain(self.default_cache_behavior.iter().map(|b| ("*", b)))
    }

    /// The behavior that serves `path`: the first whose pattern matches, else the default.
    #[must_use]
    pub fn behavior_for_path(&self, path: &str) -> Option<(&str, &CacheBehavior)> {
        self.behaviors_in_precedence()
            .find(|(p, _)| path_pattern_matches(p, path.as_bytes()))
    }

    /// Whether a viewer request with this `Host` reaches the distribution: one of its aliases
    /// (`*.example.com` covers one label, as CloudFront's wildcard aliases do) or its
    /// `*.cloudfront.net` name. Case-insensitive.
    #[must_use]
    pub fn answers_host(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let alias_matches = |alias: &String| {
            let alias = alias.to_ascii_lowercase();
            match alias.strip_prefix("*.") {
                Some(parent) => host
                    .split_once('.')
                    .is_some_and(|(label, rest)| !label.is_empty() && rest == parent),
                None => alias == host,
            }
        };
        self.aliases
            .iter()
            .flat_map(|a| &a.items)
            .any(alias_matches)
            || self
                .domain_name
                .as_deref()
                .is_some_and(|d| d.eq_ignore_ascii_case(&host))
    }
}

/// CloudFront's path-pattern match: `*` any run of characters (including `/`), `?` exactly one;
/// case-sensitive; a pattern without the leading `/` means the same as with it.
#[must_use]
pub fn path_pattern_matches(pattern: &str, path: &[u8]) -> bool {
    let p = pattern.strip_prefix('/').unwrap_or(pattern).as_bytes();
    let s = path.strip_prefix(b"/").unwrap_or(path);
    // Iterative wildcard match with one backtrack point (linear in practice).
    let (mut pi, mut si) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while si < s.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi] == s[si]) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some(pi);
            mark = si;
            pi += 1;
        } else if let Some(at) = star {
            pi = at + 1;
            mark += 1;
            si = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
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

    /// The address family CloudFront connects to this origin over: the custom or VPC origin's
    /// `IpAddressType`, lowercased; `ipv4` when absent (CloudFront's default).
    #[must_use]
    pub fn ip_address_type(&self) -> String {
        self.custom_origin_config
            .as_ref()
            .and_then(|c| c.ip_address_type.as_deref())
            .or_else(|| {
                self.vpc_origin_config
                    .as_ref()
                    .and_then(|c| c.ip_address_type.as_deref())
            })
            .unwrap_or("ipv4")
            .to_ascii_lowercase()
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
    /// Which address family CloudFront connects over: `ipv4` (also when absent), `ipv6` or
    /// `dualstack`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_address_type: Option<String>,
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
    /// Which address family CloudFront connects over: `ipv4` (also when absent) or `dualstack`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_address_type: Option<String>,
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
    /// Legacy cache settings (instead of a cache policy): what reaches the origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forwarded_values: Option<ForwardedValues>,
}

/// Legacy `ForwardedValues` of a cache behavior.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ForwardedValues {
    /// Query strings forwarded (all of them when true).
    #[serde(default)]
    pub query_string: bool,
    /// `{Forward: none|whitelist|all, WhitelistedNames}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cookies: Option<serde_json::Value>,
    /// Headers forwarded; `*` is every viewer header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<Items<String>>,
}

/// Managed cache policies whose cache key includes the viewer's `Host` header (so CloudFront
/// forwards it to the origin): Amplify, UseOriginCacheControlHeaders(-QueryStrings).
const CACHE_POLICIES_WITH_HOST: [&str; 3] = [
    "2e54312d-136d-493c-8eb9-b001f22f67d2",
    "83da9c7e-98b4-4e11-a168-04f0df8e2c65",
    "4cc15a8a-d715-48a4-82b8-cc0b614638fe",
];
/// Managed cache policies without `Host`: CachingDisabled, CachingOptimized,
/// CachingOptimizedForUncompressedObjects.
const CACHE_POLICIES_WITHOUT_HOST: [&str; 3] = [
    "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
    "658327ea-f89d-4fab-a63d-7e88639e58f6",
    "b2884449-e4de-46a7-ac36-70bc7f1ddd6d",
];
/// Managed origin request policies that forward every viewer header, `Host` included:
/// AllViewer, AllViewerAndCloudFrontHeaders-2022-06.
const REQUEST_POLICIES_WITH_HOST: [&str; 2] = [
    "216adef6-5c7f-47e4-b989-5492eafa07d3",
    "33f36d7e-f396-46d9-90e0-52428a34d9dc",
];
/// Managed origin request policies without `Host`: AllViewerExceptHostHeader, CORS-CustomOrigin,
/// CORS-S3Origin, UserAgentRefererHeaders.
const REQUEST_POLICIES_WITHOUT_HOST: [&str; 4] = [
    "b689b0a8-53d0-40ab-baf2-68738e2966ac",
    "59781a5b-3903-41f3-afcb-af62929ccde1",
    "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf",
    "acba4595-bd28-49b8-b9fe-13317c0390fa",
];

impl CacheBehavior {
    /// Whether CloudFront forwards the viewer's `Host` header to the origin (then it also uses it
    /// for SNI and to verify the origin's certificate, instead of the origin domain name).
    /// `None` when the policies are custom (their contents are not in the snapshot) or the
    /// behavior uses legacy `ForwardedValues`: unknown, never guessed.
    #[must_use]
    pub fn forwards_host_header(&self) -> Option<bool> {
        // An empty id (legacy behaviors in some outputs) names no policy.
        let request = self
            .origin_request_policy_id
            .as_deref()
            .filter(|p| !p.is_empty());
        if request.is_some_and(|p| REQUEST_POLICIES_WITH_HOST.contains(&p)) {
            return Some(true);
        }
        let cache = self.cache_policy_id.as_deref().filter(|p| !p.is_empty())?;
        if CACHE_POLICIES_WITH_HOST.contains(&cache) {
            return Some(true);
        }
        let known_request = request.is_none_or(|p| REQUEST_POLICIES_WITHOUT_HOST.contains(&p));
        (CACHE_POLICIES_WITHOUT_HOST.contains(&cache) && known_request).then_some(false)
    }
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

#[cfg(test)]
mod tests {
    #[test]
    fn cloudfront_path_patterns() {
        assert!(path_pattern_matches("/api/*", b"/api/orders"));
        assert!(path_pattern_matches("api/*", b"/api/orders"));
        assert!(!path_pattern_matches("/api/*", b"/static/a.js"));
        assert!(path_pattern_matches("*", b"/anything"));
        assert!(path_pattern_matches("/img/?.png", b"/img/a.png"));
        assert!(!path_pattern_matches("/img/?.png", b"/img/ab.png"));
        assert!(!path_pattern_matches("/API/*", b"/api/x"), "case-sensitive");
        assert!(path_pattern_matches("/a*b*c", b"/a/x/b/y/c"));
        assert!(!path_pattern_matches("/a*b*c", b"/a/x/b/y/cd"));
    }

    #[test]
    fn the_first_matching_behavior_serves_a_path_and_aliases_answer_hosts() {
        let d: Distribution = serde_json::from_value(serde_json::json!({
            "Id": "E1", "DomainName": "d111.cloudfront.net",
            "Aliases": {"Quantity": 2, "Items": ["www.example.com", "*.shop.example.com"]},
            "DefaultCacheBehavior": {"TargetOriginId": "web"},
            "CacheBehaviors": {"Quantity": 2, "Items": [
                {"PathPattern": "/api/v2/*", "TargetOriginId": "v2"},
                {"PathPattern": "api/*", "TargetOriginId": "api"}]}
        }))
        .expect("distribution");
        let origin = |p: &str| {
            d.behavior_for_path(p)
                .map(|(_, b)| b.target_origin_id.clone())
        };
        assert_eq!(origin("/api/v2/users").as_deref(), Some("v2"));
        assert_eq!(origin("/api/v1/users").as_deref(), Some("api"));
        assert_eq!(origin("/index.html").as_deref(), Some("web"));
        assert!(d.answers_host("WWW.example.com"));
        assert!(d.answers_host("eu.shop.example.com"));
        assert!(!d.answers_host("a.b.shop.example.com"), "one label only");
        assert!(d.answers_host("d111.cloudfront.net"));
        assert!(!d.answers_host("example.com"));
    }

    use super::{CacheBehavior, Distribution, path_pattern_matches};

    fn behavior(cache: Option<&str>, request: Option<&str>) -> CacheBehavior {
        CacheBehavior {
            path_pattern: None,
            target_origin_id: "o".to_owned(),
            viewer_protocol_policy: "https-only".to_owned(),
            allowed_methods: None,
            cache_policy_id: cache.map(str::to_owned),
            origin_request_policy_id: request.map(str::to_owned),
            realtime_log_config_arn: None,
            forwarded_values: None,
        }
    }

    #[test]
    fn host_forwarding_is_known_only_for_managed_policies() {
        const CACHING_DISABLED: &str = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
        const ALL_VIEWER: &str = "216adef6-5c7f-47e4-b989-5492eafa07d3";
        const ALL_VIEWER_EXCEPT_HOST: &str = "b689b0a8-53d0-40ab-baf2-68738e2966ac";
        const AMPLIFY: &str = "2e54312d-136d-493c-8eb9-b001f22f67d2";
        let custom = "0f0f0f0f-1111-2222-3333-444444444444";
        let cases = [
            (Some(CACHING_DISABLED), None, Some(false)),
            (
                Some(CACHING_DISABLED),
                Some(ALL_VIEWER_EXCEPT_HOST),
                Some(false),
            ),
            (Some(CACHING_DISABLED), Some(ALL_VIEWER), Some(true)),
            (Some(AMPLIFY), None, Some(true)),
            (Some(custom), Some(ALL_VIEWER), Some(true)),
            (Some(custom), None, None),
            (Some(CACHING_DISABLED), Some(custom), None),
            (None, None, None), // legacy ForwardedValues: not modelled
        ];
        for (cache, request, want) in cases {
            assert_eq!(
                behavior(cache, request).forwards_host_header(),
                want,
                "{cache:?} {request:?}"
            );
        }
    }
}
