//! AWS SDK CloudFront output → Inventory types (the same model the snapshot loader fills).
//!
//! Each function gives exactly what the snapshot loader reads from the equivalent
//! `aws cloudfront get-distribution | list-distributions | get-vpc-origin | list-vpc-origins`
//! JSON: enums become their AWS string, `{Quantity, Items}` wrappers keep AWS's `Quantity`,
//! absent fields stay `None`, timestamps are printed the way the AWS CLI prints them.
//! A get-distribution output goes through the loader's own [`DistributionGet`] flattening.

use aws_sdk_cloudfront::types;
use serde_json::{Map, Value};

use super::cli_timestamp;
use crate::model::cloudfront::{
    CacheBehavior, CustomErrorResponse, CustomOriginConfig, Distribution, DistributionConfig,
    DistributionGet, ForwardedValues, Items, Origin, OriginCustomHeader, OriginGroup,
    OriginGroupMember, VpcOrigin, VpcOriginConfig, VpcOriginEndpointConfig,
};

/// `get-distribution` → `Distribution` (with the output's `ETag`), flattened like the loader
/// flattens it.
pub(crate) fn distribution(d: &types::Distribution, etag: Option<&str>) -> Distribution {
    let config = d
        .distribution_config()
        .map_or_else(empty_config, distribution_config);
    DistributionGet {
        id: d.id().into(),
        arn: Some(d.arn().to_owned()),
        status: Some(d.status().to_owned()),
        domain_name: Some(d.domain_name().to_owned()),
        distribution_config: config,
    }
    .into_distribution(etag.map(str::to_owned))
}

/// What serde's defaults give for a config with none of the fields (never sent by AWS).
fn empty_config() -> DistributionConfig {
    DistributionConfig {
        aliases: None,
        comment: None,
        enabled: true,
        origins: Items::default(),
        origin_groups: None,
        default_cache_behavior: None,
        cache_behaviors: None,
        custom_error_responses: None,
    }
}

/// The `DistributionConfig` fields the model keeps.
fn distribution_config(c: &types::DistributionConfig) -> DistributionConfig {
    DistributionConfig {
        aliases: c.aliases().map(aliases),
        comment: Some(c.comment().to_owned()),
        enabled: c.enabled(),
        origins: c.origins().map(origins).unwrap_or_default(),
        origin_groups: c.origin_groups().map(origin_groups),
        default_cache_behavior: c.default_cache_behavior().map(default_cache_behavior),
        cache_behaviors: c.cache_behaviors().map(cache_behaviors),
        custom_error_responses: c.custom_error_responses().map(custom_error_responses),
    }
}

/// `list-distributions` → `DistributionList.Items[]` item.
///
/// Newer API versions put the distribution's `ETag` in the summary; it is kept like the
/// loader keeps an `ETag` key of a list item.
pub(crate) fn distribution_summary(s: &types::DistributionSummary) -> Distribution {
    Distribution {
        id: s.id().into(),
        arn: Some(s.arn().to_owned()),
        status: Some(s.status().to_owned()),
        domain_name: Some(s.domain_name().to_owned()),
        aliases: s.aliases().map(aliases),
        comment: Some(s.comment().to_owned()),
        enabled: s.enabled(),
        origins: s.origins().map(origins).unwrap_or_default(),
        origin_groups: s.origin_groups().map(origin_groups),
        default_cache_behavior: s.default_cache_behavior().map(default_cache_behavior),
        cache_behaviors: s.cache_behaviors().map(cache_behaviors),
        custom_error_responses: s.custom_error_responses().map(custom_error_responses),
        etag: s.e_tag().map(str::to_owned),
    }
}

/// `{Quantity, Items}` with AWS's `Quantity` and the items converted.
fn items<S, T>(quantity: i32, list: Option<&[S]>, f: impl Fn(&S) -> T) -> Items<T> {
    Items {
        quantity: i64::from(quantity),
        items: list.unwrap_or_default().iter().map(f).collect(),
    }
}

/// `{Quantity, Items}` as a JSON value (for the fields the model keeps as JSON).
fn items_json(quantity: i32, list: Vec<Value>) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("Quantity".to_owned(), Value::from(quantity));
    if !list.is_empty() {
        m.insert("Items".to_owned(), Value::Array(list));
    }
    m
}

/// Alternate domain names.
fn aliases(a: &types::Aliases) -> Items<String> {
    items(a.quantity(), a.items.as_deref(), String::clone)
}

/// Origins.
fn origins(o: &types::Origins) -> Items<Origin> {
    items(o.quantity(), Some(o.items()), origin)
}

/// One origin.
fn origin(o: &types::Origin) -> Origin {
    Origin {
        id: o.id().to_owned(),
        domain_name: o.domain_name().to_owned(),
        origin_path: o.origin_path().map(str::to_owned),
        custom_headers: o.custom_headers().map(|h| {
            items(h.quantity(), h.items.as_deref(), |x| OriginCustomHeader {
                header_name: x.header_name().to_owned(),
                header_value: x.header_value().to_owned(),
            })
        }),
        s3_origin_config: o.s3_origin_config().map(s3_origin_config),
        custom_origin_config: o.custom_origin_config().map(custom_origin_config),
        vpc_origin_config: o.vpc_origin_config().map(vpc_origin_config),
        connection_attempts: o.connection_attempts(),
        connection_timeout: o.connection_timeout(),
        response_completion_timeout: o.response_completion_timeout(),
        origin_access_control_id: o.origin_access_control_id().map(str::to_owned),
    }
}

/// `S3OriginConfig` as the CLI prints it.
fn s3_origin_config(s: &types::S3OriginConfig) -> Value {
    let mut m = Map::new();
    m.insert(
        "OriginAccessIdentity".to_owned(),
        Value::String(s.origin_access_identity().to_owned()),
    );
    if let Some(t) = s.origin_read_timeout() {
        m.insert("OriginReadTimeout".to_owned(), Value::from(t));
    }
    Value::Object(m)
}

/// TLS versions.
fn ssl_protocols(p: &types::OriginSslProtocols) -> Items<String> {
    items(p.quantity(), Some(p.items()), |x| x.as_str().to_owned())
}

/// `CustomOriginConfig`.
fn custom_origin_config(c: &types::CustomOriginConfig) -> CustomOriginConfig {
    CustomOriginConfig {
        http_port: c.http_port(),
        https_port: c.https_port(),
        origin_protocol_policy: c.origin_protocol_policy().as_str().to_owned(),
        origin_ssl_protocols: c.origin_ssl_protocols().map(ssl_protocols),
        origin_read_timeout: c.origin_read_timeout(),
        origin_keepalive_timeout: c.origin_keepalive_timeout(),
        ip_address_type: c.ip_address_type().map(|t| t.as_str().to_owned()),
    }
}

/// `VpcOriginConfig` of an origin.
fn vpc_origin_config(c: &types::VpcOriginConfig) -> VpcOriginConfig {
    VpcOriginConfig {
        vpc_origin_id: c.vpc_origin_id().into(),
        origin_read_timeout: c.origin_read_timeout(),
        origin_keepalive_timeout: c.origin_keepalive_timeout(),
        owner_account_id: c.owner_account_id().map(str::to_owned),
        // The SDK's `VpcOriginConfig` has no `IpAddressType` yet: a VPC origin collected live is
        // `ipv4` until it does (snapshots may carry it).
        ip_address_type: None,
    }
}

/// Origin groups.
fn origin_groups(g: &types::OriginGroups) -> Items<OriginGroup> {
    items(g.quantity(), g.items.as_deref(), origin_group)
}

/// One origin group; `FailoverCriteria` kept as the CLI prints it.
fn origin_group(g: &types::OriginGroup) -> OriginGroup {
    OriginGroup {
        id: g.id().to_owned(),
        failover_criteria: g.failover_criteria().map(|f| {
            let mut m = Map::new();
            if let Some(codes) = f.status_codes() {
                let list = codes.items().iter().map(|c| Value::from(*c)).collect();
                m.insert(
                    "StatusCodes".to_owned(),
                    Value::Object(items_json(codes.quantity(), list)),
                );
            }
            Value::Object(m)
        }),
        members: g.members().map_or_else(Items::default, |m| {
            items(m.quantity(), Some(m.items()), |x| OriginGroupMember {
                origin_id: x.origin_id().to_owned(),
            })
        }),
    }
}

/// `AllowedMethods` (with `CachedMethods`) as the CLI prints it.
fn allowed_methods(a: &types::AllowedMethods) -> Value {
    let methods = |l: &[types::Method]| -> Vec<Value> {
        l.iter()
            .map(|m| Value::String(m.as_str().to_owned()))
            .collect()
    };
    let mut m = items_json(a.quantity(), methods(a.items()));
    if let Some(c) = a.cached_methods() {
        m.insert(
            "CachedMethods".to_owned(),
            Value::Object(items_json(c.quantity(), methods(c.items()))),
        );
    }
    Value::Object(m)
}

/// Legacy cache settings (`ForwardedValues`): what decides the forwarded headers (Host among
/// them) when the behavior names no policies.
fn forwarded_values(f: &types::ForwardedValues) -> ForwardedValues {
    let cookies = f.cookies().map(|c| {
        let mut m = Map::new();
        m.insert("Forward".to_owned(), Value::from(c.forward().as_str()));
        if let Some(n) = c.whitelisted_names() {
            let names = n.items().iter().cloned().map(Value::from).collect();
            m.insert(
                "WhitelistedNames".to_owned(),
                Value::Object(items_json(n.quantity(), names)),
            );
        }
        Value::Object(m)
    });
    ForwardedValues {
        query_string: f.query_string(),
        cookies,
        headers: f
            .headers()
            .map(|h| items(h.quantity(), h.items.as_deref(), String::clone)),
    }
}

/// The default (`*`) behavior: no `PathPattern`.
fn default_cache_behavior(b: &types::DefaultCacheBehavior) -> CacheBehavior {
    CacheBehavior {
        path_pattern: None,
        target_origin_id: b.target_origin_id().to_owned(),
        viewer_protocol_policy: b.viewer_protocol_policy().as_str().to_owned(),
        allowed_methods: b.allowed_methods().map(allowed_methods),
        cache_policy_id: b.cache_policy_id().map(str::to_owned),
        origin_request_policy_id: b.origin_request_policy_id().map(str::to_owned),
        realtime_log_config_arn: b.realtime_log_config_arn().map(str::to_owned),
        // Deprecated in the API (policies replace it) but still what legacy behaviors use.
        #[allow(deprecated)]
        forwarded_values: b.forwarded_values().map(forwarded_values),
    }
}

/// An ordered behavior.
fn cache_behavior(b: &types::CacheBehavior) -> CacheBehavior {
    CacheBehavior {
        path_pattern: Some(b.path_pattern().to_owned()),
        target_origin_id: b.target_origin_id().to_owned(),
        viewer_protocol_policy: b.viewer_protocol_policy().as_str().to_owned(),
        allowed_methods: b.allowed_methods().map(allowed_methods),
        cache_policy_id: b.cache_policy_id().map(str::to_owned),
        origin_request_policy_id: b.origin_request_policy_id().map(str::to_owned),
        realtime_log_config_arn: b.realtime_log_config_arn().map(str::to_owned),
        // Deprecated in the API (policies replace it) but still what legacy behaviors use.
        #[allow(deprecated)]
        forwarded_values: b.forwarded_values().map(forwarded_values),
    }
}

/// Ordered behaviors.
fn cache_behaviors(b: &types::CacheBehaviors) -> Items<CacheBehavior> {
    items(b.quantity(), b.items.as_deref(), cache_behavior)
}

/// Custom error responses.
fn custom_error_responses(r: &types::CustomErrorResponses) -> Items<CustomErrorResponse> {
    items(r.quantity(), r.items.as_deref(), |e| CustomErrorResponse {
        error_code: e.error_code(),
        error_caching_min_ttl: e.error_caching_min_ttl(),
        response_page_path: e.response_page_path().map(str::to_owned),
        response_code: e.response_code().map(str::to_owned),
    })
}

/// `get-vpc-origin` → `VpcOrigin` (with the output's `ETag`).
pub(crate) fn vpc_origin(v: &types::VpcOrigin, etag: Option<&str>) -> VpcOrigin {
    VpcOrigin {
        id: v.id().into(),
        arn: Some(v.arn().to_owned()),
        name: None,
        status: Some(v.status().to_owned()),
        origin_endpoint_arn: None,
        vpc_origin_endpoint_config: v
            .vpc_origin_endpoint_config()
            .map(vpc_origin_endpoint_config),
        created_time: cli_timestamp(v.created_time()),
        last_modified_time: cli_timestamp(v.last_modified_time()),
        etag: etag.map(str::to_owned),
    }
}

/// `VpcOriginEndpointConfig`.
fn vpc_origin_endpoint_config(c: &types::VpcOriginEndpointConfig) -> VpcOriginEndpointConfig {
    VpcOriginEndpointConfig {
        name: c.name().to_owned(),
        arn: c.arn().to_owned(),
        http_port: c.http_port(),
        https_port: c.https_port(),
        origin_protocol_policy: c.origin_protocol_policy().as_str().to_owned(),
        origin_ssl_protocols: c.origin_ssl_protocols().map(ssl_protocols),
    }
}

/// `list-vpc-origins` → `VpcOriginList.Items[]` item.
pub(crate) fn vpc_origin_summary(s: &types::VpcOriginSummary) -> VpcOrigin {
    VpcOrigin {
        id: s.id().into(),
        arn: Some(s.arn().to_owned()),
        name: Some(s.name().to_owned()),
        status: Some(s.status().to_owned()),
        origin_endpoint_arn: Some(s.origin_endpoint_arn().to_owned()),
        vpc_origin_endpoint_config: None,
        created_time: cli_timestamp(s.created_time()),
        last_modified_time: cli_timestamp(s.last_modified_time()),
        etag: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_types::DateTime;

    fn from_json<T: serde::de::DeserializeOwned>(v: Value) -> T {
        serde_json::from_value(v).expect("model parses the CLI JSON")
    }

    fn sdk_distribution() -> types::Distribution {
        let origin = types::Origin::builder()
            .id("alb")
            .domain_name("web-1234567890.us-east-1.elb.amazonaws.com")
            .origin_path("")
            .custom_headers(
                types::CustomHeaders::builder()
                    .quantity(1)
                    .items(
                        types::OriginCustomHeader::builder()
                            .header_name("X-Origin-Secret")
                            .header_value("s3cr3t")
                            .build()
                            .expect("header"),
                    )
                    .build()
                    .expect("headers"),
            )
            .custom_origin_config(
                types::CustomOriginConfig::builder()
                    .http_port(80)
                    .https_port(443)
                    .origin_protocol_policy(types::OriginProtocolPolicy::HttpsOnly)
                    .origin_ssl_protocols(
                        types::OriginSslProtocols::builder()
                            .quantity(1)
                            .items(types::SslProtocol::TlSv12)
                            .build()
                            .expect("ssl"),
                    )
                    .origin_read_timeout(60)
                    .origin_keepalive_timeout(5)
                    .build()
                    .expect("custom origin"),
            )
            .connection_attempts(3)
            .connection_timeout(10)
            .origin_access_control_id("")
            .build()
            .expect("origin");
        let methods = |q: i32, m: &[types::Method]| {
            m.iter()
                .fold(types::AllowedMethods::builder().quantity(q), |b, x| {
                    b.items(x.clone())
                })
        };
        let default_behavior = types::DefaultCacheBehavior::builder()
            .target_origin_id("alb")
            .viewer_protocol_policy(types::ViewerProtocolPolicy::RedirectToHttps)
            .allowed_methods(
                methods(2, &[types::Method::Head, types::Method::Get])
                    .cached_methods(
                        types::CachedMethods::builder()
                            .quantity(2)
                            .items(types::Method::Head)
                            .items(types::Method::Get)
                            .build()
                            .expect("cached"),
                    )
                    .build()
                    .expect("allowed"),
            )
            .compress(true)
            .cache_policy_id("658327ea-f89d-4fab-a63d-7e88639e58f6")
            .build()
            .expect("default behavior");
        let api_behavior = types::CacheBehavior::builder()
            .path_pattern("/api/*")
            .target_origin_id("alb")
            .viewer_protocol_policy(types::ViewerProtocolPolicy::HttpsOnly)
            .cache_policy_id("4135ea2d-6df8-44a3-9df3-4b5a84be39ad")
            .origin_request_policy_id("b689b0a8-53d0-40ab-baf2-68738e2966ac")
            .build()
            .expect("behavior");
        let config = types::DistributionConfig::builder()
            .caller_reference("ref-1")
            .aliases(
                types::Aliases::builder()
                    .quantity(1)
                    .items("www.example.com")
                    .build()
                    .expect("aliases"),
            )
            .origins(
                types::Origins::builder()
                    .quantity(1)
                    .items(origin)
                    .build()
                    .expect("origins"),
            )
            .origin_groups(
                types::OriginGroups::builder()
                    .quantity(0)
                    .build()
                    .expect("groups"),
            )
            .default_cache_behavior(default_behavior)
            .cache_behaviors(
                types::CacheBehaviors::builder()
                    .quantity(1)
                    .items(api_behavior)
                    .build()
                    .expect("behaviors"),
            )
            .custom_error_responses(
                types::CustomErrorResponses::builder()
                    .quantity(1)
                    .items(
                        types::CustomErrorResponse::builder()
                            .error_code(504)
                            .error_caching_min_ttl(10)
                            .build()
                            .expect("error response"),
                    )
                    .build()
                    .expect("error responses"),
            )
            .comment("web")
            .enabled(true)
            .build()
            .expect("config");
        types::Distribution::builder()
            .id("E2QWRUHAPOMQZL")
            .arn("arn:aws:cloudfront::111122223333:distribution/E2QWRUHAPOMQZL")
            .status("Deployed")
            .last_modified_time(DateTime::from_secs(1_700_000_000))
            .in_progress_invalidation_batches(0)
            .domain_name("d111111abcdef8.cloudfront.net")
            .distribution_config(config)
            .build()
            .expect("distribution")
    }

    fn cli_distribution_config() -> Value {
        serde_json::json!({
            "CallerReference": "ref-1",
            "Aliases": {"Quantity": 1, "Items": ["www.example.com"]},
            "DefaultRootObject": "",
            "Origins": {"Quantity": 1, "Items": [{
                "Id": "alb",
                "DomainName": "web-1234567890.us-east-1.elb.amazonaws.com",
                "OriginPath": "",
                "CustomHeaders": {"Quantity": 1, "Items": [
                    {"HeaderName": "X-Origin-Secret", "HeaderValue": "s3cr3t"}
                ]},
                "CustomOriginConfig": {
                    "HTTPPort": 80,
                    "HTTPSPort": 443,
                    "OriginProtocolPolicy": "https-only",
                    "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]},
                    "OriginReadTimeout": 60,
                    "OriginKeepaliveTimeout": 5
                },
                "ConnectionAttempts": 3,
                "ConnectionTimeout": 10,
                "OriginShield": {"Enabled": false},
                "OriginAccessControlId": ""
            }]},
            "OriginGroups": {"Quantity": 0},
            "DefaultCacheBehavior": {
                "TargetOriginId": "alb",
                "TrustedSigners": {"Enabled": false, "Quantity": 0},
                "ViewerProtocolPolicy": "redirect-to-https",
                "AllowedMethods": {
                    "Quantity": 2,
                    "Items": ["HEAD", "GET"],
                    "CachedMethods": {"Quantity": 2, "Items": ["HEAD", "GET"]}
                },
                "Compress": true,
                "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"
            },
            "CacheBehaviors": {"Quantity": 1, "Items": [{
                "PathPattern": "/api/*",
                "TargetOriginId": "alb",
                "ViewerProtocolPolicy": "https-only",
                "CachePolicyId": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
                "OriginRequestPolicyId": "b689b0a8-53d0-40ab-baf2-68738e2966ac"
            }]},
            "CustomErrorResponses": {"Quantity": 1, "Items": [
                {"ErrorCode": 504, "ErrorCachingMinTTL": 10}
            ]},
            "Comment": "web",
            "PriceClass": "PriceClass_All",
            "Enabled": true
        })
    }

    #[test]
    fn distribution_with_custom_origin_matches_get_distribution_json() {
        let cli: DistributionGet = from_json(serde_json::json!({
            "Id": "E2QWRUHAPOMQZL",
            "ARN": "arn:aws:cloudfront::111122223333:distribution/E2QWRUHAPOMQZL",
            "Status": "Deployed",
            "LastModifiedTime": "2023-11-14T22:13:20+00:00",
            "InProgressInvalidationBatches": 0,
            "DomainName": "d111111abcdef8.cloudfront.net",
            "DistributionConfig": cli_distribution_config()
        }));
        let expected = cli.into_distribution(Some("E3QWRUHAPOMQZL".to_owned()));
        let got = distribution(&sdk_distribution(), Some("E3QWRUHAPOMQZL"));
        assert_eq!(got, expected);
        let o = &got.origins.items[0];
        assert_eq!(o.read_timeout(), Some(60));
        assert_eq!(
            o.custom_origin_config
                .as_ref()
                .map(|c| c.origin_protocol_policy.as_str()),
            Some("https-only")
        );
        let behaviors = got.cache_behaviors.expect("ordered behaviors");
        assert_eq!(behaviors.items[0].path_pattern.as_deref(), Some("/api/*"));
    }

    #[test]
    fn distribution_summary_matches_list_distributions_json() {
        let d = sdk_distribution();
        let c = d.distribution_config().expect("config");
        let sdk = types::DistributionSummary::builder()
            .id(d.id())
            .arn(d.arn())
            .status(d.status())
            .last_modified_time(*d.last_modified_time())
            .domain_name(d.domain_name())
            .set_aliases(c.aliases().cloned())
            .set_origins(c.origins().cloned())
            .set_origin_groups(c.origin_groups().cloned())
            .set_default_cache_behavior(c.default_cache_behavior().cloned())
            .set_cache_behaviors(c.cache_behaviors().cloned())
            .set_custom_error_responses(c.custom_error_responses().cloned())
            .comment("web")
            .price_class(types::PriceClass::PriceClassAll)
            .enabled(true)
            .web_acl_id("")
            .http_version(types::HttpVersion::Http2)
            .is_ipv6_enabled(true)
            .staging(false)
            .build()
            .expect("summary");
        let mut item = cli_distribution_config();
        let m = item.as_object_mut().expect("object");
        m.remove("CallerReference");
        m.remove("DefaultRootObject");
        m.insert("Id".into(), "E2QWRUHAPOMQZL".into());
        m.insert(
            "ARN".into(),
            "arn:aws:cloudfront::111122223333:distribution/E2QWRUHAPOMQZL".into(),
        );
        m.insert("Status".into(), "Deployed".into());
        m.insert("DomainName".into(), "d111111abcdef8.cloudfront.net".into());
        m.insert("WebACLId".into(), "".into());
        m.insert("HttpVersion".into(), "http2".into());
        m.insert("IsIPV6Enabled".into(), true.into());
        m.insert("Staging".into(), false.into());
        let cli: Distribution = from_json(item);
        assert_eq!(distribution_summary(&sdk), cli);
    }

    #[test]
    fn vpc_origin_list_and_get_match_cli_json() {
        let alb = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188";
        let arn = "arn:aws:cloudfront::111122223333:vpcorigin/vo_abc";
        let created = DateTime::from_secs_and_nanos(1_700_000_000, 500_000_000);
        let modified = DateTime::from_secs(1_700_000_100);
        let summary = types::VpcOriginSummary::builder()
            .id("vo_abc")
            .name("web")
            .status("Deployed")
            .created_time(created)
            .last_modified_time(modified)
            .arn(arn)
            .origin_endpoint_arn(alb)
            .build()
            .expect("summary");
        let full = types::VpcOrigin::builder()
            .id("vo_abc")
            .arn(arn)
            .status("Deployed")
            .created_time(created)
            .last_modified_time(modified)
            .vpc_origin_endpoint_config(
                types::VpcOriginEndpointConfig::builder()
                    .name("web")
                    .arn(alb)
                    .http_port(80)
                    .https_port(443)
                    .origin_protocol_policy(types::OriginProtocolPolicy::HttpOnly)
                    .origin_ssl_protocols(
                        types::OriginSslProtocols::builder()
                            .quantity(1)
                            .items(types::SslProtocol::TlSv12)
                            .build()
                            .expect("ssl"),
                    )
                    .build()
                    .expect("endpoint config"),
            )
            .build()
            .expect("vpc origin");
        let cli_summary: VpcOrigin = from_json(serde_json::json!({
            "Id": "vo_abc",
            "Name": "web",
            "Status": "Deployed",
            "CreatedTime": "2023-11-14T22:13:20.500000+00:00",
            "LastModifiedTime": "2023-11-14T22:15:00+00:00",
            "Arn": arn,
            "OriginEndpointArn": alb
        }));
        let mut cli_full: VpcOrigin = from_json(serde_json::json!({
            "Id": "vo_abc",
            "Arn": arn,
            "Status": "Deployed",
            "CreatedTime": "2023-11-14T22:13:20.500000+00:00",
            "LastModifiedTime": "2023-11-14T22:15:00+00:00",
            "VpcOriginEndpointConfig": {
                "Name": "web",
                "Arn": alb,
                "HTTPPort": 80,
                "HTTPSPort": 443,
                "OriginProtocolPolicy": "http-only",
                "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]}
            }
        }));
        // The loader takes the ETag from the file's top-level key.
        cli_full.etag = Some("E1VO".to_owned());
        let s = vpc_origin_summary(&summary);
        let f = vpc_origin(&full, Some("E1VO"));
        assert_eq!(s, cli_summary);
        assert_eq!(f, cli_full);
        // Merged as the loader merges list + get.
        let mut merged = s;
        merged.merge(f);
        let mut expected = cli_summary;
        expected.merge(cli_full);
        assert_eq!(merged, expected);
        assert_eq!(merged.endpoint_arn(), Some(alb));
    }
}
