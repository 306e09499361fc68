//! The request CloudFront sends to an origin for one behavior: path pattern, methods, the
//! `Host` header, custom origin headers, and which viewer headers, cookies and query strings
//! pass (origin request policy ∪ cache policy key, or the legacy `ForwardedValues`).
//!
//! `Host` is the viewer's (one of the distribution's `Aliases` or its `*.cloudfront.net` name)
//! when the policies forward it, else the origin's `DomainName`. A custom policy missing from
//! the snapshot makes the shape unknown, naming the `get-*-policy` call.

use super::listener_rules::RequestShape;
use crate::model::cloudfront::{CacheBehavior, Distribution, ForwardedValues, Origin};
use crate::model::policies::{Forward, Forwarding};
use crate::model::{Inventory, Missing, parse_ipv4_net};

/// What the behavior's policies forward, and the sentence naming them.
fn forwarding(inv: &Inventory, b: &CacheBehavior) -> Result<(Forwarding, String), Missing> {
    let request = b
        .origin_request_policy_id
        .as_deref()
        .filter(|id| !id.is_empty())
        .map(|id| inv.origin_request_forwarding(id))
        .transpose()?;
    let cache = b
        .cache_policy_id
        .as_deref()
        // An empty id (legacy behaviors in some outputs) names no policy.
        .filter(|id| !id.is_empty())
        .map(|id| inv.cache_forwarding(id))
        .transpose()?;
    let legacy = (cache.is_none())
        .then(|| b.forwarded_values.as_ref().map(legacy_forwarding))
        .flatten();
    let none = || Forwarding {
        name: String::new(),
        headers: Forward::None,
        cookies: Forward::None,
        query_strings: Forward::None,
    };
    let name = match (&request, &cache, &legacy) {
        (Some(r), _, _) => format!("origin request policy {}", r.name),
        (None, Some(c), _) => format!("cache policy {} (no origin request policy)", c.name),
        (None, None, Some(_)) => "the behavior's legacy ForwardedValues".to_owned(),
        (None, None, None) => "the behavior (no origin request policy)".to_owned(),
    };
    let a = request.unwrap_or_else(none);
    let b = cache.or(legacy).unwrap_or_else(none);
    Ok((
        Forwarding {
            name: a.name.clone(),
            headers: a.headers.union(&b.headers),
            cookies: a.cookies.union(&b.cookies),
            query_strings: a.query_strings.union(&b.query_strings),
        },
        name,
    ))
}

/// Whether behavior `b` forwards the viewer's `Host` (then CloudFront also sends it as SNI and
/// verifies the origin's certificate against it): managed policies by id, custom ones from the
/// Inventory. `None` when not known: a custom policy that is not loaded, or a behavior naming no
/// policy at all.
pub(crate) fn host_forwarded(inv: &Inventory, b: &CacheBehavior) -> Option<bool> {
    if let Some(known) = b.forwards_host_header() {
        return Some(known);
    }
    let names = |id: Option<&str>| id.is_some_and(|i| !i.is_empty());
    if !names(b.cache_policy_id.as_deref()) && !names(b.origin_request_policy_id.as_deref()) {
        return None;
    }
    forwarding(inv, b).ok().map(|(f, _)| f.forwards_host())
}

fn legacy_forwarding(f: &ForwardedValues) -> Forwarding {
    let headers = match &f.headers {
        Some(h) if h.items.iter().any(|x| x == "*") => Forward::All,
        Some(h) if !h.items.is_empty() => Forward::Only(h.items.clone()),
        _ => Forward::None,
    };
    let cookies = match f
        .cookies
        .as_ref()
        .and_then(|c| c.get("Forward"))
        .and_then(|v| v.as_str())
    {
        Some("all") => Forward::All,
        Some("whitelist") => Forward::Only(Vec::new()),
        _ => Forward::None,
    };
    Forwarding {
        name: "legacy ForwardedValues".to_owned(),
        headers,
        cookies,
        query_strings: if f.query_string {
            Forward::All
        } else {
            Forward::None
        },
    }
}

/// Which requests of a behavior: its pattern (or one concrete path), the viewer's Host when
/// one is given (`check --host`), and the patterns CloudFront tries before the behavior's.
pub(crate) struct BehaviorRequests<'a> {
    /// The behavior's path pattern, or one concrete path.
    pub path: &'a str,
    /// Narrows the viewer's Host to one value.
    pub viewer_host: Option<&'a str>,
    /// Path patterns of the behaviors before this one.
    pub earlier_behaviors: &'a [String],
}

/// The request CloudFront sends to origin `o` for behavior `b` over `proto`, for the requests
/// `which` names.
///
/// # Errors
/// A custom policy of the behavior is not in the Inventory.
pub(crate) fn request_shape(
    inv: &Inventory,
    d: &Distribution,
    b: &CacheBehavior,
    o: &Origin,
    proto: &str,
    which: &BehaviorRequests<'_>,
) -> Result<RequestShape, Missing> {
    let (fw, source) = forwarding(inv, b)?;
    let (hosts, host_why) = if fw.forwards_host() {
        let hosts: Vec<String> = match which.viewer_host {
            Some(h) => vec![h.to_ascii_lowercase()],
            None => d
                .aliases
                .iter()
                .flat_map(|a| a.items.iter())
                .chain(d.domain_name.iter())
                .map(|h| h.to_ascii_lowercase())
                .collect(),
        };
        (hosts, format!("(the viewer's Host, forwarded by {source})"))
    } else {
        (
            vec![o.domain_name.trim_end_matches('.').to_ascii_lowercase()],
            format!("because {source} does not forward Host"),
        )
    };
    let methods = b
        .allowed_methods
        .as_ref()
        .and_then(|m| m.get("Items"))
        .and_then(|i| i.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|m| m.as_str().map(str::to_owned))
                .collect::<Vec<_>>()
        })
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| vec!["GET".to_owned(), "HEAD".to_owned()]);
    let fixed_headers = o
        .custom_headers
        .iter()
        .flat_map(|h| h.items.iter())
        .map(|h| (h.header_name.clone(), h.header_value.clone()))
        .collect();
    let lists: Vec<_> = inv.cloudfront_prefix_lists().collect();
    let source_cidrs = (!lists.is_empty()
        && lists
            .iter()
            .all(|l| inv.prefix_list_entries.contains_key(&l.prefix_list_id)))
    .then(|| {
        lists
            .iter()
            .flat_map(|l| &inv.prefix_list_entries[&l.prefix_list_id])
            .filter_map(|e| parse_ipv4_net(&e.cidr))
            .collect()
    });
    Ok(RequestShape {
        path: which.path.to_owned(),
        hosts,
        host_why,
        methods,
        fixed_headers,
        viewer_headers: fw.headers,
        query_strings: fw.query_strings,
        source_cidrs,
        over_http: proto.eq_ignore_ascii_case("HTTP"),
        earlier_behaviors: which.earlier_behaviors.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::policies::OriginRequestPolicy;

    const CACHING_DISABLED: &str = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

    fn behavior(request: &str) -> CacheBehavior {
        serde_json::from_value(serde_json::json!({
            "TargetOriginId": "alb",
            "ViewerProtocolPolicy": "https-only",
            "CachePolicyId": CACHING_DISABLED,
            "OriginRequestPolicyId": request,
        }))
        .expect("behavior")
    }

    fn policy(id: &str, headers: &[&str]) -> OriginRequestPolicy {
        serde_json::from_value(serde_json::json!({
            "Id": id,
            "OriginRequestPolicyConfig": {
                "Name": id,
                "HeadersConfig": {"HeaderBehavior": "whitelist",
                    "Headers": {"Quantity": headers.len(), "Items": headers}},
                "CookiesConfig": {"CookieBehavior": "none"},
                "QueryStringsConfig": {"QueryStringBehavior": "none"},
            },
        }))
        .expect("policy")
    }

    #[test]
    fn custom_policies_say_whether_host_is_forwarded_once_loaded() {
        let mut inv = Inventory::default();
        // Not loaded: unknown, as with the model's managed-only answer.
        assert_eq!(host_forwarded(&inv, &behavior("custom-host")), None);
        inv.loaded.insert(crate::model::Kind::OriginRequestPolicies);
        for (id, headers) in [
            ("custom-host", &["Host"][..]),
            ("custom-no-host", &["Origin"]),
        ] {
            inv.origin_request_policies
                .insert(id.to_owned(), policy(id, headers));
        }
        assert_eq!(host_forwarded(&inv, &behavior("custom-host")), Some(true));
        assert_eq!(
            host_forwarded(&inv, &behavior("custom-no-host")),
            Some(false)
        );
        assert_eq!(host_forwarded(&inv, &behavior("custom-missing")), None);
        // Managed ones are answered by id.
        assert_eq!(
            host_forwarded(&inv, &behavior("216adef6-5c7f-47e4-b989-5492eafa07d3")),
            Some(true)
        );
    }
}
