//! SDK origin request and cache policies → the model's (`model::policies`), the shape
//! `aws cloudfront get-origin-request-policy` / `get-cache-policy` print.
//!
//! Only what says which viewer values reach the origin is kept: the header, cookie and query
//! string configs (behavior and names), plus name, comment and TTLs for people. A config the
//! SDK leaves out (it never does for a valid policy) reads as `none`, CloudFront's default.

use aws_sdk_cloudfront::types;

use super::cli_timestamp;
use crate::model::cloudfront::Items;
use crate::model::policies::{
    CacheKeyParameters, CachePolicy, CachePolicyConfig, CookiesConfig, HeadersConfig,
    OriginRequestPolicy, OriginRequestPolicyConfig, QueryStringsConfig,
};

/// `{Quantity, Items}` of names.
fn names(quantity: i32, items: &[String]) -> Items<String> {
    Items {
        quantity: i64::from(quantity),
        items: items.to_vec(),
    }
}

fn headers(behavior: &str, h: Option<&types::Headers>) -> HeadersConfig {
    HeadersConfig {
        header_behavior: behavior.to_owned(),
        headers: h.map(|h| names(h.quantity(), h.items())),
    }
}

fn cookies(behavior: &str, c: Option<&types::CookieNames>) -> CookiesConfig {
    CookiesConfig {
        cookie_behavior: behavior.to_owned(),
        cookies: c.map(|c| names(c.quantity(), c.items())),
    }
}

fn query_strings(behavior: &str, q: Option<&types::QueryStringNames>) -> QueryStringsConfig {
    QueryStringsConfig {
        query_string_behavior: behavior.to_owned(),
        query_strings: q.map(|q| names(q.quantity(), q.items())),
    }
}

/// An origin request policy (from `GetOriginRequestPolicy` or a `ListOriginRequestPolicies`
/// summary); `None` without its config.
pub(crate) fn origin_request_policy(p: &types::OriginRequestPolicy) -> Option<OriginRequestPolicy> {
    let c = p.origin_request_policy_config()?;
    Some(OriginRequestPolicy {
        id: p.id().to_owned(),
        last_modified_time: cli_timestamp(p.last_modified_time()),
        origin_request_policy_config: OriginRequestPolicyConfig {
            name: c.name().to_owned(),
            comment: c.comment().map(str::to_owned),
            headers_config: c.headers_config().map_or_else(
                || headers("none", None),
                |h| headers(h.header_behavior().as_str(), h.headers()),
            ),
            cookies_config: c.cookies_config().map_or_else(
                || cookies("none", None),
                |x| cookies(x.cookie_behavior().as_str(), x.cookies()),
            ),
            query_strings_config: c.query_strings_config().map_or_else(
                || query_strings("none", None),
                |q| query_strings(q.query_string_behavior().as_str(), q.query_strings()),
            ),
        },
    })
}

/// A cache policy (from `GetCachePolicy` or a `ListCachePolicies` summary); `None` without its
/// config.
pub(crate) fn cache_policy(p: &types::CachePolicy) -> Option<CachePolicy> {
    let c = p.cache_policy_config()?;
    let params = c
        .parameters_in_cache_key_and_forwarded_to_origin()
        .map(|k| CacheKeyParameters {
            enable_accept_encoding_gzip: Some(k.enable_accept_encoding_gzip()),
            enable_accept_encoding_brotli: k.enable_accept_encoding_brotli(),
            headers_config: k.headers_config().map_or_else(
                || headers("none", None),
                |h| headers(h.header_behavior().as_str(), h.headers()),
            ),
            cookies_config: k.cookies_config().map_or_else(
                || cookies("none", None),
                |x| cookies(x.cookie_behavior().as_str(), x.cookies()),
            ),
            query_strings_config: k.query_strings_config().map_or_else(
                || query_strings("none", None),
                |q| query_strings(q.query_string_behavior().as_str(), q.query_strings()),
            ),
        });
    Some(CachePolicy {
        id: p.id().to_owned(),
        last_modified_time: cli_timestamp(p.last_modified_time()),
        cache_policy_config: CachePolicyConfig {
            name: c.name().to_owned(),
            comment: c.comment().map(str::to_owned),
            default_ttl: c.default_ttl(),
            max_ttl: c.max_ttl(),
            min_ttl: Some(c.min_ttl()),
            parameters_in_cache_key_and_forwarded_to_origin: params,
        },
    })
}

#[cfg(test)]
mod tests {
    use aws_smithy_types::DateTime;

    use super::*;

    #[test]
    fn an_origin_request_policy_converts_to_the_cli_shape() {
        let p = types::OriginRequestPolicy::builder()
            .id("orp-1")
            .last_modified_time(DateTime::from_secs(1_700_000_000))
            .origin_request_policy_config(
                types::OriginRequestPolicyConfig::builder()
                    .name("forward-host")
                    .headers_config(
                        types::OriginRequestPolicyHeadersConfig::builder()
                            .header_behavior(types::OriginRequestPolicyHeaderBehavior::Whitelist)
                            .headers(
                                types::Headers::builder()
                                    .quantity(1)
                                    .items("Host")
                                    .build()
                                    .expect("headers"),
                            )
                            .build()
                            .expect("headers config"),
                    )
                    .cookies_config(
                        types::OriginRequestPolicyCookiesConfig::builder()
                            .cookie_behavior(types::OriginRequestPolicyCookieBehavior::All)
                            .build()
                            .expect("cookies"),
                    )
                    .query_strings_config(
                        types::OriginRequestPolicyQueryStringsConfig::builder()
                            .query_string_behavior(
                                types::OriginRequestPolicyQueryStringBehavior::None,
                            )
                            .build()
                            .expect("qs"),
                    )
                    .build()
                    .expect("config"),
            )
            .build()
            .expect("policy");
        let m = origin_request_policy(&p).expect("converted");
        let v = serde_json::to_value(&m).expect("json");
        assert_eq!(v["Id"], "orp-1");
        let c = &v["OriginRequestPolicyConfig"];
        assert_eq!(c["Name"], "forward-host");
        assert_eq!(c["HeadersConfig"]["HeaderBehavior"], "whitelist");
        assert_eq!(c["HeadersConfig"]["Headers"]["Items"][0], "Host");
        assert_eq!(c["CookiesConfig"]["CookieBehavior"], "all");
        assert_eq!(c["QueryStringsConfig"]["QueryStringBehavior"], "none");
        assert!(m.forwarding().forwards_host());
    }
}
