//! CloudFront's origin request and cache policies (global): `list-*-policies --type custom`,
//! which returns every custom policy with its config, then `get-*-policy` for a policy a
//! behavior names that the list did not return, or for each one when the list is denied (a
//! role may be allowed `Get*` on its policies and not `List*`).
//!
//! Managed policies are never fetched: the model knows them by their documented id, so when no
//! behavior names a custom policy of a kind nothing is called and the kind is complete. When the
//! list fails and no `get` succeeds, the kind is unavailable with the list's reason, so a
//! behavior's custom policy reads as missing data naming the call, never as a guess.

use std::collections::BTreeSet;
use std::sync::Arc;

use aws_sdk_cloudfront::types::{CachePolicyType, OriginRequestPolicyType};

use super::super::convert::cloudfront_policies as convert;
use super::super::runner::{Call, CallFuture, Piece, page_size, reason};
use crate::model::policies::{managed_cache_policy, managed_origin_request_policy};
use crate::model::{Inventory, Kind};

/// The custom policy ids the loaded distributions' behaviors name: (origin request, cache).
fn referenced(inv: &Inventory) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut orp = BTreeSet::new();
    let mut cp = BTreeSet::new();
    for d in inv.distributions.values() {
        let behaviors = d
            .default_cache_behavior
            .iter()
            .chain(d.cache_behaviors.iter().flat_map(|b| b.items.iter()));
        for b in behaviors {
            if let Some(id) = b
                .origin_request_policy_id
                .as_deref()
                .filter(|i| !i.is_empty())
                && managed_origin_request_policy(id).is_none()
            {
                orp.insert(id.to_owned());
            }
            if let Some(id) = b.cache_policy_id.as_deref().filter(|i| !i.is_empty())
                && managed_cache_policy(id).is_none()
            {
                cp.insert(id.to_owned());
            }
        }
    }
    (orp, cp)
}

/// The policy calls, after the distributions are loaded (none for a kind no behavior names a
/// custom policy of: that kind is marked complete).
pub(crate) fn policy_calls(cf: &aws_sdk_cloudfront::Client, inv: &mut Inventory) -> Vec<Call> {
    let region: Arc<str> = Arc::from("global");
    let (orp_ids, cp_ids) = referenced(inv);
    let mut calls = Vec::new();
    if orp_ids.is_empty() {
        inv.loaded.insert(Kind::OriginRequestPolicies);
    } else {
        calls.push(Call::new(
            Kind::OriginRequestPolicies,
            &region,
            "aws cloudfront list-origin-request-policies --type custom / get-origin-request-policy"
                .to_owned(),
            origin_request_policies(cf.clone(), orp_ids),
        ));
    }
    if cp_ids.is_empty() {
        inv.loaded.insert(Kind::CachePolicies);
    } else {
        calls.push(Call::new(
            Kind::CachePolicies,
            &region,
            "aws cloudfront list-cache-policies --type custom / get-cache-policy".to_owned(),
            cache_policies(cf.clone(), cp_ids),
        ));
    }
    calls
}

fn origin_request_policies(cf: aws_sdk_cloudfront::Client, wanted: BTreeSet<String>) -> CallFuture {
    Box::pin(async move {
        // No SDK paginator: follow the marker.
        let mut listed = Vec::new();
        let mut marker: Option<String> = None;
        let mut list_error = None;
        loop {
            match cf
                .list_origin_request_policies()
                .r#type(OriginRequestPolicyType::Custom)
                .set_marker(marker.take())
                .max_items(page_size(100))
                .send()
                .await
            {
                Ok(page) => {
                    let Some(list) = page.origin_request_policy_list() else {
                        break;
                    };
                    listed.extend(
                        list.items()
                            .iter()
                            .filter_map(|s| s.origin_request_policy())
                            .filter_map(convert::origin_request_policy),
                    );
                    match list.next_marker() {
                        Some(m) if !m.is_empty() => marker = Some(m.to_owned()),
                        _ => break,
                    }
                }
                Err(e) => {
                    list_error = Some(reason(&e));
                    break;
                }
            }
        }
        let mut got = Vec::new();
        for id in wanted
            .iter()
            .filter(|w| !listed.iter().any(|p| &p.id == *w))
        {
            if let Ok(out) = cf.get_origin_request_policy().id(id).send().await
                && let Some(p) = out
                    .origin_request_policy()
                    .and_then(convert::origin_request_policy)
            {
                got.push(p);
            }
        }
        if let Some(e) = list_error
            && got.is_empty()
        {
            return Err(e);
        }
        Ok(Box::new(move |inv: &mut Inventory| {
            inv.loaded.insert(Kind::OriginRequestPolicies);
            for p in listed.into_iter().chain(got) {
                inv.origin_request_policies.insert(p.id.clone(), p);
            }
        }) as Piece)
    })
}

fn cache_policies(cf: aws_sdk_cloudfront::Client, wanted: BTreeSet<String>) -> CallFuture {
    Box::pin(async move {
        let mut listed = Vec::new();
        let mut marker: Option<String> = None;
        let mut list_error = None;
        loop {
            match cf
                .list_cache_policies()
                .r#type(CachePolicyType::Custom)
                .set_marker(marker.take())
                .max_items(page_size(100))
                .send()
                .await
            {
                Ok(page) => {
                    let Some(list) = page.cache_policy_list() else {
                        break;
                    };
                    listed.extend(
                        list.items()
                            .iter()
                            .filter_map(|s| s.cache_policy())
                            .filter_map(convert::cache_policy),
                    );
                    match list.next_marker() {
                        Some(m) if !m.is_empty() => marker = Some(m.to_owned()),
                        _ => break,
                    }
                }
                Err(e) => {
                    list_error = Some(reason(&e));
                    break;
                }
            }
        }
        let mut got = Vec::new();
        for id in wanted
            .iter()
            .filter(|w| !listed.iter().any(|p| &p.id == *w))
        {
            if let Ok(out) = cf.get_cache_policy().id(id).send().await
                && let Some(p) = out.cache_policy().and_then(convert::cache_policy)
            {
                got.push(p);
            }
        }
        if let Some(e) = list_error
            && got.is_empty()
        {
            return Err(e);
        }
        Ok(Box::new(move |inv: &mut Inventory| {
            inv.loaded.insert(Kind::CachePolicies);
            for p in listed.into_iter().chain(got) {
                inv.cache_policies.insert(p.id.clone(), p);
            }
        }) as Piece)
    })
}
