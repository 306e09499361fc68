//! What a prefix list contains: the CloudFront origin-facing list and any other list a rule
//! names, expanded to IPv4 networks.
//!
//! The CloudFront list has a different id in every region, so it is found by name
//! (`com.amazonaws.global.cloudfront.origin-facing`). A list whose entries were not collected
//! cannot be expanded, and a list id the data cannot name may be CloudFront's: both are missing
//! data for the hop, never a guess. CloudFront's IPv6 origin-facing servers have a list of their
//! own (`com.amazonaws.global.ipv6.cloudfront.origin-facing`), expanded to IPv6 networks.

use ipnet::{Ipv4Net, Ipv6Net};

use super::cidr;
use super::evidence::MissingData;
use crate::model::{
    CLOUDFRONT_ORIGIN_FACING_IPV6_PREFIX_LIST, CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST, Inventory,
    Kind, PrefixListId, parse_ipv6_net,
};

/// The ids of the CloudFront origin-facing prefix list (one per region loaded).
pub(crate) fn cloudfront_pl_ids(inv: &Inventory) -> Vec<PrefixListId> {
    inv.index()
        .prefix_lists_by_name
        .get(CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST)
        .cloned()
        .unwrap_or_default()
}

/// Whether the data cannot tell which list `id` is: it is not among the loaded prefix lists
/// and `describe-managed-prefix-lists` was not loaded, so it may be CloudFront's.
pub(crate) fn pl_unidentified(inv: &Inventory, id: &PrefixListId) -> bool {
    !inv.has(Kind::PrefixLists) && !inv.prefix_lists.contains_key(id)
}

/// The CloudFront origin-facing ranges, or what is missing to know them.
pub(crate) fn cloudfront_ranges(inv: &Inventory) -> Result<Vec<Ipv4Net>, MissingData> {
    origin_facing_ranges(
        inv,
        &cloudfront_pl_ids(inv),
        CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST,
        "CloudFront origin-facing",
        pl_entries,
    )
}

/// The ranges of the first of `ids` (the origin-facing list `name` in each region loaded) whose
/// entries were collected, or what is missing: the list's id, or its entries.
fn origin_facing_ranges<N>(
    inv: &Inventory,
    ids: &[PrefixListId],
    name: &str,
    label: &str,
    entries: fn(&Inventory, &PrefixListId) -> Option<Vec<N>>,
) -> Result<Vec<N>, MissingData> {
    let Some(first) = ids.first() else {
        let what = format!("the id of the {name} prefix list");
        return Err(if inv.has(Kind::PrefixLists) {
            (
                what,
                format!(
                    "the loaded `{}` output does not list it; add the output for the ALB's region",
                    Kind::PrefixLists.cli()
                ),
            )
        } else {
            (what, inv.missing_reason(Kind::PrefixLists))
        });
    };
    for id in ids {
        if let Some(nets) = entries(inv, id).filter(|n| !n.is_empty()) {
            return Ok(nets);
        }
    }
    Err((
        format!("entries of the {label} prefix list {first}"),
        inv.missing_prefix_list_entries(first).to_string(),
    ))
}

/// The IPv4 entries of prefix list `id`, or `None` when they were not collected.
pub(crate) fn pl_entries(inv: &Inventory, id: &PrefixListId) -> Option<Vec<Ipv4Net>> {
    inv.prefix_list_entries
        .get(id)
        .map(|es| es.iter().filter_map(|e| cidr::parse(&e.cidr)).collect())
}

/// The ids of the CloudFront IPv6 origin-facing prefix list
/// (`com.amazonaws.global.ipv6.cloudfront.origin-facing`, one per region loaded).
pub(crate) fn cloudfront_ipv6_pl_ids(inv: &Inventory) -> Vec<PrefixListId> {
    inv.index()
        .prefix_lists_by_name
        .get(CLOUDFRONT_ORIGIN_FACING_IPV6_PREFIX_LIST)
        .cloned()
        .unwrap_or_default()
}

/// The CloudFront IPv6 origin-facing ranges, or what is missing to know them.
pub(crate) fn cloudfront_ipv6_ranges(inv: &Inventory) -> Result<Vec<Ipv6Net>, MissingData> {
    origin_facing_ranges(
        inv,
        &cloudfront_ipv6_pl_ids(inv),
        CLOUDFRONT_ORIGIN_FACING_IPV6_PREFIX_LIST,
        "CloudFront IPv6 origin-facing",
        pl_entries_ipv6,
    )
}

/// The IPv6 entries of prefix list `id`, or `None` when they were not collected.
pub(crate) fn pl_entries_ipv6(inv: &Inventory, id: &PrefixListId) -> Option<Vec<Ipv6Net>> {
    inv.prefix_list_entries
        .get(id)
        .map(|es| es.iter().filter_map(|e| parse_ipv6_net(&e.cidr)).collect())
}
