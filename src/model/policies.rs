//! CloudFront origin request and cache policies, as `aws cloudfront get-origin-request-policy` /
//! `get-cache-policy` / `list-origin-request-policies` / `list-cache-policies` print them, and
//! the managed policies by their documented ids.
//!
//! What matters to edgepath is which viewer values CloudFront forwards to the origin: a
//! [`Forwarding`] per policy. Managed policies are known here by id (the CloudFront developer
//! guide, "Use managed origin request policies" / "Use managed cache policies"); custom ones
//! come from the snapshot. An id that is neither is missing data, never guessed
//! ([`Inventory::origin_request_forwarding`], [`Inventory::cache_forwarding`]).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::cloudfront::Items;
use super::inventory::{Inventory, Kind};
use super::missing::Missing;

/// `get-origin-request-policy` → `OriginRequestPolicy`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OriginRequestPolicy {
    /// Policy id (a UUID).
    pub id: String,
    /// Last change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_time: Option<String>,
    /// The settings.
    pub origin_request_policy_config: OriginRequestPolicyConfig,
}

/// The settings of an origin request policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OriginRequestPolicyConfig {
    /// Name.
    pub name: String,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Headers forwarded.
    pub headers_config: HeadersConfig,
    /// Cookies forwarded.
    pub cookies_config: CookiesConfig,
    /// Query strings forwarded.
    pub query_strings_config: QueryStringsConfig,
}

/// `{HeaderBehavior, Headers}`: `none`, `whitelist`, `allViewer`,
/// `allViewerAndWhitelistCloudFront`, `allExcept` (cache policies: `none`, `whitelist`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HeadersConfig {
    /// The behavior.
    pub header_behavior: String,
    /// The names it lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<Items<String>>,
}

/// `{CookieBehavior, Cookies}`: `none`, `whitelist`, `all`, `allExcept`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CookiesConfig {
    /// The behavior.
    pub cookie_behavior: String,
    /// The names it lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cookies: Option<Items<String>>,
}

/// `{QueryStringBehavior, QueryStrings}`: `none`, `whitelist`, `all`, `allExcept`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueryStringsConfig {
    /// The behavior.
    pub query_string_behavior: String,
    /// The names it lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_strings: Option<Items<String>>,
}

/// `get-cache-policy` → `CachePolicy`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CachePolicy {
    /// Policy id (a UUID).
    pub id: String,
    /// Last change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_time: Option<String>,
    /// The settings.
    pub cache_policy_config: CachePolicyConfig,
}

/// The settings of a cache policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CachePolicyConfig {
    /// Name.
    pub name: String,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// TTLs.
    #[serde(
        default,
        rename = "DefaultTTL",
        skip_serializing_if = "Option::is_none"
    )]
    pub default_ttl: Option<i64>,
    /// TTLs.
    #[serde(default, rename = "MaxTTL", skip_serializing_if = "Option::is_none")]
    pub max_ttl: Option<i64>,
    /// TTLs.
    #[serde(default, rename = "MinTTL", skip_serializing_if = "Option::is_none")]
    pub min_ttl: Option<i64>,
    /// The cache key, which CloudFront also forwards to the origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters_in_cache_key_and_forwarded_to_origin: Option<CacheKeyParameters>,
}

/// `ParametersInCacheKeyAndForwardedToOrigin`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CacheKeyParameters {
    /// Gzip in the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_accept_encoding_gzip: Option<bool>,
    /// Brotli in the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_accept_encoding_brotli: Option<bool>,
    /// Headers in the key.
    pub headers_config: HeadersConfig,
    /// Cookies in the key.
    pub cookies_config: CookiesConfig,
    /// Query strings in the key.
    pub query_strings_config: QueryStringsConfig,
}

/// `list-origin-request-policies` → `OriginRequestPolicyList`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OriginRequestPolicyList {
    /// The policies (`managed` and `custom`).
    #[serde(default)]
    pub items: Vec<OriginRequestPolicySummary>,
    /// Count.
    #[serde(default)]
    pub quantity: i64,
    /// Paging.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_marker: Option<String>,
    /// Paging.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<i64>,
}

/// One `{Type, OriginRequestPolicy}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OriginRequestPolicySummary {
    /// `managed` or `custom`.
    #[serde(rename = "Type", default)]
    pub kind: String,
    /// The policy.
    pub origin_request_policy: OriginRequestPolicy,
}

/// `list-cache-policies` → `CachePolicyList`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CachePolicyList {
    /// The policies (`managed` and `custom`).
    #[serde(default)]
    pub items: Vec<CachePolicySummary>,
    /// Count.
    #[serde(default)]
    pub quantity: i64,
    /// Paging.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_marker: Option<String>,
    /// Paging.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<i64>,
}

/// One `{Type, CachePolicy}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CachePolicySummary {
    /// `managed` or `custom`.
    #[serde(rename = "Type", default)]
    pub kind: String,
    /// The policy.
    pub cache_policy: CachePolicy,
}

/// Which values of one sort (headers, cookies, query strings) reach the origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "behavior", content = "names")]
pub enum Forward {
    /// None.
    None,
    /// Only these (compared case-insensitively for headers).
    Only(Vec<String>),
    /// All the viewer sent.
    All,
    /// All but these.
    AllExcept(Vec<String>),
}

impl Forward {
    /// Whether a value named `name` reaches the origin (ASCII case-insensitive: header names;
    /// callers lower nothing).
    #[must_use]
    pub fn includes(&self, name: &str) -> bool {
        match self {
            Forward::None => false,
            Forward::All => true,
            Forward::Only(names) => names.iter().any(|n| n.eq_ignore_ascii_case(name)),
            Forward::AllExcept(names) => !names.iter().any(|n| n.eq_ignore_ascii_case(name)),
        }
    }

    /// The union of two settings (an origin request policy adds to the cache key's values).
    #[must_use]
    pub fn union(&self, other: &Forward) -> Forward {
        match (self, other) {
            (Forward::All, _) | (_, Forward::All) => Forward::All,
            (Forward::None, x) | (x, Forward::None) => x.clone(),
            (Forward::Only(a), Forward::Only(b)) => {
                let mut names = a.clone();
                for n in b {
                    if !names.iter().any(|m| m.eq_ignore_ascii_case(n)) {
                        names.push(n.clone());
                    }
                }
                Forward::Only(names)
            }
            (Forward::AllExcept(ex), Forward::Only(only))
            | (Forward::Only(only), Forward::AllExcept(ex)) => Forward::AllExcept(
                ex.iter()
                    .filter(|e| !only.iter().any(|o| o.eq_ignore_ascii_case(e)))
                    .cloned()
                    .collect(),
            ),
            (Forward::AllExcept(a), Forward::AllExcept(b)) => Forward::AllExcept(
                a.iter()
                    .filter(|e| b.iter().any(|o| o.eq_ignore_ascii_case(e)))
                    .cloned()
                    .collect(),
            ),
        }
    }

    fn from_behavior(behavior: &str, names: Option<&Items<String>>) -> Forward {
        let names = || names.map(|i| i.items.clone()).unwrap_or_default();
        match behavior {
            "none" => Forward::None,
            "whitelist" => Forward::Only(names()),
            "allExcept" => Forward::AllExcept(names()),
            // all, allViewer, allViewerAndWhitelistCloudFront
            _ => Forward::All,
        }
    }
}

/// What one policy (or the legacy `ForwardedValues`) sends to the origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Forwarding {
    /// The policy's name (`AllViewerExceptHostHeader`, a custom name, `legacy ForwardedValues`).
    pub name: String,
    /// Viewer headers.
    pub headers: Forward,
    /// Cookies.
    pub cookies: Forward,
    /// Query strings.
    pub query_strings: Forward,
}

impl Forwarding {
    fn new(name: &str, headers: Forward, cookies: Forward, query_strings: Forward) -> Self {
        Forwarding {
            name: name.to_owned(),
            headers,
            cookies,
            query_strings,
        }
    }

    /// Whether the viewer's `Host` header reaches the origin.
    #[must_use]
    pub fn forwards_host(&self) -> bool {
        self.headers.includes("host")
    }
}

impl OriginRequestPolicy {
    /// What it forwards.
    #[must_use]
    pub fn forwarding(&self) -> Forwarding {
        let c = &self.origin_request_policy_config;
        Forwarding::new(
            &c.name,
            Forward::from_behavior(
                &c.headers_config.header_behavior,
                c.headers_config.headers.as_ref(),
            ),
            Forward::from_behavior(
                &c.cookies_config.cookie_behavior,
                c.cookies_config.cookies.as_ref(),
            ),
            Forward::from_behavior(
                &c.query_strings_config.query_string_behavior,
                c.query_strings_config.query_strings.as_ref(),
            ),
        )
    }
}

impl CachePolicy {
    /// What its cache key forwards.
    #[must_use]
    pub fn forwarding(&self) -> Forwarding {
        let c = &self.cache_policy_config;
        match &c.parameters_in_cache_key_and_forwarded_to_origin {
            None => Forwarding::new(&c.name, Forward::None, Forward::None, Forward::None),
            Some(p) => Forwarding::new(
                &c.name,
                Forward::from_behavior(
                    &p.headers_config.header_behavior,
                    p.headers_config.headers.as_ref(),
                ),
                Forward::from_behavior(
                    &p.cookies_config.cookie_behavior,
                    p.cookies_config.cookies.as_ref(),
                ),
                Forward::from_behavior(
                    &p.query_strings_config.query_string_behavior,
                    p.query_strings_config.query_strings.as_ref(),
                ),
            ),
        }
    }
}

fn only(names: &[&str]) -> Forward {
    Forward::Only(names.iter().map(|s| (*s).to_owned()).collect())
}

/// Managed origin request policy ids and names (CloudFront developer guide, "Use managed
/// origin request policies").
pub const MANAGED_ORIGIN_REQUEST_POLICIES: [(&str, &str); 7] = [
    ("216adef6-5c7f-47e4-b989-5492eafa07d3", "AllViewer"),
    (
        "33f36d7e-f396-46d9-90e0-52428a34d9dc",
        "AllViewerAndCloudFrontHeaders-2022-06",
    ),
    (
        "b689b0a8-53d0-40ab-baf2-68738e2966ac",
        "AllViewerExceptHostHeader",
    ),
    ("59781a5b-3903-41f3-afcb-af62929ccde1", "CORS-CustomOrigin"),
    ("88a5eaf4-2fd4-4709-b370-b4c650ea3fcf", "CORS-S3Origin"),
    (
        "775133bc-15f2-49f9-abea-afb2e0bf67d2",
        "Elemental-MediaTailor-PersonalizedManifests",
    ),
    (
        "acba4595-bd28-49b8-b9fe-13317c0390fa",
        "UserAgentRefererHeaders",
    ),
];

/// Managed cache policy ids and names (CloudFront developer guide, "Use managed cache policies").
pub const MANAGED_CACHE_POLICIES: [(&str, &str); 7] = [
    ("2e54312d-136d-493c-8eb9-b001f22f67d2", "Amplify"),
    ("4135ea2d-6df8-44a3-9df3-4b5a84be39ad", "CachingDisabled"),
    ("658327ea-f89d-4fab-a63d-7e88639e58f6", "CachingOptimized"),
    (
        "b2884449-e4de-46a7-ac36-70bc7f1ddd6d",
        "CachingOptimizedForUncompressedObjects",
    ),
    (
        "08627262-05a9-4f76-9ded-b50ca2e3a84f",
        "Elemental-MediaPackage",
    ),
    (
        "83da9c7e-98b4-4e11-a168-04f0df8e2c65",
        "UseOriginCacheControlHeaders",
    ),
    (
        "4cc15a8a-d715-48a4-82b8-cc0b614638fe",
        "UseOriginCacheControlHeaders-QueryStrings",
    ),
];

/// What a managed origin request policy forwards, by id.
#[must_use]
pub fn managed_origin_request_policy(id: &str) -> Option<Forwarding> {
    let (_, name) = MANAGED_ORIGIN_REQUEST_POLICIES
        .iter()
        .find(|(i, _)| *i == id)?;
    let cors = [
        "Origin",
        "Access-Control-Request-Headers",
        "Access-Control-Request-Method",
    ];
    let f = match *name {
        "AllViewer" | "AllViewerAndCloudFrontHeaders-2022-06" => {
            Forwarding::new(name, Forward::All, Forward::All, Forward::All)
        }
        "AllViewerExceptHostHeader" => Forwarding::new(
            name,
            Forward::AllExcept(vec!["Host".to_owned()]),
            Forward::All,
            Forward::All,
        ),
        "CORS-CustomOrigin" => {
            Forwarding::new(name, only(&["Origin"]), Forward::None, Forward::None)
        }
        "CORS-S3Origin" => Forwarding::new(name, only(&cors), Forward::None, Forward::None),
        "Elemental-MediaTailor-PersonalizedManifests" => Forwarding::new(
            name,
            only(&[cors[0], cors[1], cors[2], "User-Agent", "X-Forwarded-For"]),
            Forward::None,
            Forward::All,
        ),
        _ => Forwarding::new(
            name,
            only(&["User-Agent", "Referer"]),
            Forward::None,
            Forward::None,
        ),
    };
    Some(f)
}

/// What a managed cache policy's key forwards, by id.
#[must_use]
pub fn managed_cache_policy(id: &str) -> Option<Forwarding> {
    let (_, name) = MANAGED_CACHE_POLICIES.iter().find(|(i, _)| *i == id)?;
    let origin_cc = [
        "Host",
        "Origin",
        "X-HTTP-Method-Override",
        "X-HTTP-Method",
        "X-Method-Override",
    ];
    let f = match *name {
        "Amplify" => Forwarding::new(
            name,
            only(&["Authorization", "CloudFront-Viewer-Country", "Host"]),
            Forward::All,
            Forward::All,
        ),
        "Elemental-MediaPackage" => Forwarding::new(
            name,
            only(&["Origin"]),
            Forward::None,
            only(&["aws.manifestfilter", "start", "end", "m"]),
        ),
        "UseOriginCacheControlHeaders" => {
            Forwarding::new(name, only(&origin_cc), Forward::All, Forward::None)
        }
        "UseOriginCacheControlHeaders-QueryStrings" => {
            Forwarding::new(name, only(&origin_cc), Forward::All, Forward::All)
        }
        _ => Forwarding::new(name, Forward::None, Forward::None, Forward::None),
    };
    Some(f)
}

impl Inventory {
    /// What origin request policy `id` forwards: managed by id, custom from the snapshot, else
    /// the `get-origin-request-policy` call that supplies it.
    ///
    /// # Errors
    /// The policy is neither managed nor loaded.
    pub fn origin_request_forwarding(&self, id: &str) -> Result<Forwarding, Missing> {
        if let Some(f) = managed_origin_request_policy(id) {
            return Ok(f);
        }
        if let Some(p) = self.origin_request_policies.get(id) {
            return Ok(p.forwarding());
        }
        Err(self.missing_policy(
            Kind::OriginRequestPolicies,
            "cloudfront:GetOriginRequestPolicy",
            format!("aws cloudfront get-origin-request-policy --id {id}"),
        ))
    }

    /// What cache policy `id`'s key forwards: managed by id, custom from the snapshot, else the
    /// `get-cache-policy` call that supplies it.
    ///
    /// # Errors
    /// The policy is neither managed nor loaded.
    pub fn cache_forwarding(&self, id: &str) -> Result<Forwarding, Missing> {
        if let Some(f) = managed_cache_policy(id) {
            return Ok(f);
        }
        if let Some(p) = self.cache_policies.get(id) {
            return Ok(p.forwarding());
        }
        Err(self.missing_policy(
            Kind::CachePolicies,
            "cloudfront:GetCachePolicy",
            format!("aws cloudfront get-cache-policy --id {id}"),
        ))
    }

    fn missing_policy(&self, kind: Kind, iam_action: &'static str, cli: String) -> Missing {
        match self.unavailable.get(&kind) {
            Some(reason) => Missing::Unavailable {
                reason: reason.clone(),
                iam_action,
                cli: Some(cli),
            },
            None => Missing::NotLoaded {
                place: if self.has(kind) {
                    "the loaded policies"
                } else {
                    "the snapshot"
                },
                cli: Cow::Owned(cli),
                extra: None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managed_policies_forward_as_documented() {
        let except = managed_origin_request_policy("b689b0a8-53d0-40ab-baf2-68738e2966ac")
            .expect("AllViewerExceptHostHeader");
        assert_eq!(except.name, "AllViewerExceptHostHeader");
        assert!(!except.forwards_host());
        assert!(except.headers.includes("x-origin-verify"));
        let all = managed_origin_request_policy("216adef6-5c7f-47e4-b989-5492eafa07d3")
            .expect("AllViewer");
        assert!(all.forwards_host());
        let cors = managed_origin_request_policy("59781a5b-3903-41f3-afcb-af62929ccde1")
            .expect("CORS-CustomOrigin");
        assert!(cors.headers.includes("origin") && !cors.forwards_host());
        let optimized =
            managed_cache_policy("658327ea-f89d-4fab-a63d-7e88639e58f6").expect("CachingOptimized");
        assert_eq!(optimized.headers, Forward::None);
        let amplify =
            managed_cache_policy("2e54312d-136d-493c-8eb9-b001f22f67d2").expect("Amplify");
        assert!(amplify.forwards_host());
    }

    #[test]
    fn custom_policy_reads_from_cli_json_and_missing_names_the_call() {
        let p: OriginRequestPolicy = serde_json::from_value(serde_json::json!({
            "Id": "abc", "OriginRequestPolicyConfig": {"Name": "host-only",
            "HeadersConfig": {"HeaderBehavior": "whitelist", "Headers": {"Quantity": 1, "Items": ["Host"]}},
            "CookiesConfig": {"CookieBehavior": "none"},
            "QueryStringsConfig": {"QueryStringBehavior": "all"}}
        }))
        .expect("shape");
        let mut inv = Inventory::default();
        assert_eq!(
            inv.origin_request_forwarding("abc")
                .expect_err("missing")
                .to_string(),
            "not in the snapshot; add the output of `aws cloudfront get-origin-request-policy --id abc`"
        );
        inv.origin_request_policies.insert(p.id.clone(), p);
        let f = inv.origin_request_forwarding("abc").expect("loaded");
        assert!(f.forwards_host());
        assert_eq!(f.query_strings, Forward::All);
    }

    #[test]
    fn union_adds_the_cache_key_to_the_request_policy() {
        let a = Forward::AllExcept(vec!["Host".into()]);
        assert!(a.union(&only(&["host"])).includes("Host"));
        assert_eq!(only(&["a"]).union(&Forward::None), only(&["a"]));
        assert!(!Forward::None.union(&Forward::None).includes("x"));
    }
}
