//! CloudFront's calls (global, answered in `us-east-1`): the distribution list and VPC origins
//! (list, then `get-vpc-origin` for each endpoint config), then `get-distribution` per
//! distribution for the full config and its `ETag`.

use std::sync::Arc;

use super::super::convert::cloudfront;
use super::super::runner::{Call, CallFuture, Piece, call, page_size, reason};
use crate::model::{Inventory, Kind};

/// The distribution list and the VPC origins (each listed, then read with `get-vpc-origin`).
pub(crate) fn cloudfront_calls(cf: &aws_sdk_cloudfront::Client) -> Vec<Call> {
    let mut calls: Vec<Call> = Vec::new();
    let region: Arc<str> = Arc::from("global");
    let cf1 = cf.clone();
    calls.push(call(
        Kind::Distributions,
        &region,
        async move {
            cf1.list_distributions()
                .max_items(page_size(1000))
                .into_paginator()
                .items()
                .send()
                .try_collect()
                .await
                .map(|items| {
                    items
                        .iter()
                        .map(cloudfront::distribution_summary)
                        .collect::<Vec<_>>()
                })
        },
        |inv, ds| {
            for d in ds {
                inv.distributions.insert(d.id.clone(), d);
            }
        },
    ));
    let cf2 = cf.clone();
    let vpc_origins: CallFuture = Box::pin(async move {
        // list-vpc-origins has no SDK paginator: follow the marker.
        let mut summaries = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let page = cf2
                .list_vpc_origins()
                .set_marker(marker.take())
                .max_items(page_size(100))
                .send()
                .await
                .map_err(|e| reason(&e))?;
            let Some(list) = page.vpc_origin_list() else {
                break;
            };
            summaries.extend(list.items().iter().map(cloudfront::vpc_origin_summary));
            match list.next_marker() {
                Some(m) if list.is_truncated() && !m.is_empty() => marker = Some(m.to_owned()),
                _ => break,
            }
        }
        // The endpoint config (port, protocol, timeouts) is only in get-vpc-origin.
        let mut full = Vec::new();
        for s in &summaries {
            let out = cf2
                .get_vpc_origin()
                .id(s.id.as_str())
                .send()
                .await
                .map_err(|e| reason(&e))?;
            if let Some(vo) = out.vpc_origin() {
                full.push(cloudfront::vpc_origin(vo, out.e_tag()));
            }
        }
        Ok(Box::new(move |inv: &mut Inventory| {
            inv.loaded.insert(Kind::VpcOrigins);
            for vo in summaries.into_iter().chain(full) {
                match inv.vpc_origins.get_mut(&vo.id) {
                    Some(existing) => existing.merge(vo),
                    None => {
                        inv.vpc_origins.insert(vo.id.clone(), vo);
                    }
                }
            }
        }) as Piece)
    });
    calls.push(Call::new(
        Kind::VpcOrigins,
        &region,
        "aws cloudfront list-vpc-origins / get-vpc-origin".to_owned(),
        vpc_origins,
    ));
    calls
}

/// `get-distribution` per distribution: the full config with its `ETag` (needed by the VPC-origin
/// fix steps), where the list gave a summary. A denied or failed get keeps the summary.
pub(crate) fn distribution_get_calls(
    cf: &aws_sdk_cloudfront::Client,
    ids: Vec<String>,
) -> Vec<Call> {
    let region: Arc<str> = Arc::from("global");
    ids.into_iter()
        .map(|id| {
            let cf = cf.clone();
            let name = format!("aws cloudfront get-distribution --id {id}");
            let future: CallFuture = Box::pin(async move {
                let Ok(out) = cf.get_distribution().id(&id).send().await else {
                    return Ok(Box::new(|_: &mut Inventory| {}) as Piece);
                };
                let d = out
                    .distribution()
                    .map(|d| cloudfront::distribution(d, out.e_tag()));
                Ok(Box::new(move |inv: &mut Inventory| {
                    inv.loaded.insert(Kind::Distributions);
                    if let Some(d) = d {
                        inv.distributions.insert(d.id.clone(), d);
                    }
                }) as Piece)
            });
            Call::new(Kind::Distributions, &region, name, future)
        })
        .collect()
}
