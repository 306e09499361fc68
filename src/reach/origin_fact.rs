//! The `origin` fact: one CloudFront origin as used by one cache behavior, with the timeouts,
//! ports and error-caching settings the rules read, and the ALB's idle timeout and listeners.
//!
//! Absent settings take CloudFront's documented defaults (read timeout 30 s, keep-alive 5 s,
//! connection timeout 10 s, 3 attempts, error caching 10 s), so rules compare real values.

use super::origin::Resolved;
use super::origin_request::host_forwarded;
use crate::facts::OriginFact;
use crate::model::Inventory;
use crate::model::cloudfront::{CacheBehavior, Distribution, Origin};

/// The managed `CachingDisabled` cache policy.
const CACHING_DISABLED: &str = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

/// The error-caching minimum TTL of `code` (CloudFront's default: 10 s).
fn error_ttl(d: &Distribution, code: i32) -> i64 {
    d.custom_error_responses
        .as_ref()
        .and_then(|c| c.items.iter().find(|e| e.error_code == code))
        .and_then(|e| e.error_caching_min_ttl)
        .unwrap_or(10)
}

/// The fact of origin `o` as used by behavior `b` (path `pattern`) of `d`.
pub(crate) fn origin_fact(
    inv: &Inventory,
    d: &Distribution,
    b: &CacheBehavior,
    pattern: &str,
    o: &Origin,
    r: &Resolved<'_>,
) -> OriginFact {
    let (origin_type, policy, http, https) = match (r, &o.custom_origin_config) {
        (
            Resolved::Alb {
                vpc: true,
                policy,
                http,
                https,
                ..
            },
            _,
        ) => ("vpc_origin", policy.clone(), *http, *https),
        (_, Some(c)) => (
            "custom",
            c.origin_protocol_policy.clone(),
            c.http_port,
            c.https_port,
        ),
        _ if o.vpc_origin_config.is_some() => ("vpc_origin", String::new(), -1, -1),
        _ => ("s3", String::new(), -1, -1),
    };
    let read = o.read_timeout().unwrap_or(30);
    let keep = o.keepalive_timeout().unwrap_or(5);
    let mut f = OriginFact {
        distribution: d.id.to_string(),
        distribution_status: d.status.clone().unwrap_or_default(),
        behavior: pattern.to_owned(),
        viewer_protocol_policy: b.viewer_protocol_policy.clone(),
        origin_id: o.id.clone(),
        origin_domain: o.domain_name.clone(),
        origin_type: origin_type.to_owned(),
        origin_protocol_policy: policy,
        http_port: i64::from(http),
        https_port: i64::from(https),
        read_timeout_seconds: i64::from(read),
        connection_timeout_seconds: i64::from(o.connection_timeout.unwrap_or(10)),
        connection_attempts: i64::from(o.connection_attempts.unwrap_or(3)),
        keepalive_timeout_seconds: i64::from(keep),
        alb_idle_timeout_seconds: -1,
        error_caching_min_ttl_504: error_ttl(d, 504),
        error_caching_min_ttl_502: error_ttl(d, 502),
        error_caching_min_ttl_503: error_ttl(d, 503),
        caching_disabled: b.cache_policy_id.as_deref() == Some(CACHING_DISABLED),
        host_header_forwarded: host_forwarded(inv, b)
            .map(|f| f.to_string())
            .unwrap_or_default(),
        ..OriginFact::default()
    };
    if let Some(lb) = r.load_balancer() {
        f.alb.clone_from(&lb.load_balancer_name);
        f.alb_arn = lb.load_balancer_arn.to_string();
        f.alb_scheme = lb.scheme.clone().unwrap_or_default();
        f.alb_idle_timeout_seconds = inv
            .lb_attribute(&lb.load_balancer_arn, "idle_timeout.timeout_seconds")
            .and_then(|v| v.parse().ok())
            .unwrap_or(-1);
        f.alb_listeners = inv
            .index()
            .listeners_by_lb
            .get(&lb.load_balancer_arn)
            .into_iter()
            .flatten()
            .filter_map(|l| inv.listeners.get(l))
            .map(|l| format!("{}/{}", l.port, l.protocol))
            .collect();
    }
    f
}
