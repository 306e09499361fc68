//! CloudTrail `LookupEvents`: the management events of the resources on the checked paths,
//! within the timeline window, and the `CreateVpcEndpoint` events that say who created a
//! requester-managed endpoint (provenance for `blockers`).
//!
//! `LookupEvents` takes **one lookup attribute per call** and answers **2 requests/s per account
//! and region** with at most 50 events a page [doc: CloudTrail API reference, LookupEvents]. So
//! there is one call per resource name (paged), every page takes a token from the region's
//! bucket ([`super::super::rate`]) and the SDK's retries are off for this client: a throttled
//! page waits and tries again through the bucket, never around it. Events of CloudFront (a
//! global service) are recorded in `us-east-1`; every other resource's in its ALB's region.
//!
//! Which resources: for each load balancer collected, its ARN, listeners and rules, security
//! groups, subnets with their NACLs and route tables, its target groups and the security groups
//! of their instance targets; for each distribution its id and ARN, for each VPC origin its id.
//! An event naming several of them comes back once per name and is kept once (by event id).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_cloudtrail::types::{LookupAttribute, LookupAttributeKey};

use super::super::convert::cloudtrail::event;
use super::super::rate::CLOUDTRAIL_INTERVAL;
use super::super::runner::{Call, Runner, call};
use crate::model::cloudfront::CloudTrailEvent;
use crate::model::{Inventory, Kind, TimeWindow};

/// CloudTrail keeps 90 days of management events.
const RETENTION_SECS: i64 = 90 * 86_400;
/// Pages per lookup, at most: 50 events a page, so 5,000 events per resource name.
const MAX_PAGES: usize = 100;
/// A throttled page is tried again this many times, each through the bucket.
const THROTTLE_RETRIES: u32 = 4;

/// The resource names to look up in `region` (the ALB-side resources whose ALB is there).
#[must_use]
pub(crate) fn regional_resource_names(inv: &Inventory, region: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for lb in inv.load_balancers.values() {
        if crate::source::live::region_of_alb(lb.load_balancer_arn.as_str()).as_deref()
            != Some(region)
        {
            continue;
        }
        names.insert(lb.load_balancer_arn.to_string());
        names.extend(lb.security_groups.iter().map(ToString::to_string));
        for l in inv
            .listeners
            .values()
            .filter(|l| l.load_balancer_arn == lb.load_balancer_arn)
        {
            names.insert(l.listener_arn.to_string());
            names.extend(
                inv.rules
                    .values()
                    .filter(|r| r.listener_arn.as_ref() == Some(&l.listener_arn) && !r.is_default)
                    .map(|r| r.rule_arn.to_string()),
            );
        }
        for subnet in lb
            .availability_zones
            .iter()
            .filter_map(|z| z.subnet_id.as_ref())
        {
            names.insert(subnet.to_string());
            names.extend(
                inv.network_acls
                    .values()
                    .filter(|n| n.associations.iter().any(|a| &a.subnet_id == subnet))
                    .map(|n| n.network_acl_id.to_string()),
            );
            names.extend(
                inv.route_tables
                    .values()
                    .filter(|t| {
                        t.associations
                            .iter()
                            .any(|a| a.subnet_id.as_ref() == Some(subnet))
                    })
                    .map(|t| t.route_table_id.to_string()),
            );
        }
        for tg in inv
            .target_groups
            .values()
            .filter(|tg| tg.load_balancer_arns.contains(&lb.load_balancer_arn))
        {
            names.insert(tg.target_group_arn.to_string());
            for th in inv
                .target_health
                .get(&tg.target_group_arn)
                .into_iter()
                .flatten()
            {
                if let Some(i) = inv.instances.get(th.target.id.as_str()) {
                    names.extend(i.security_groups.iter().map(|g| g.group_id.to_string()));
                }
            }
        }
    }
    names
}

/// The CloudFront resource names (looked up in `us-east-1`): distribution ids and ARNs, VPC
/// origin ids.
#[must_use]
pub(crate) fn cloudfront_resource_names(inv: &Inventory) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for d in inv.distributions.values() {
        names.insert(d.id.to_string());
        names.extend(d.arn.clone());
    }
    names.extend(inv.vpc_origins.keys().map(ToString::to_string));
    names
}

/// One `LookupEvents` call (all pages) per resource name, within `window` (clamped to
/// CloudTrail's 90 days).
pub(crate) fn lookup_calls(
    client: &aws_sdk_cloudtrail::Client,
    region: &Arc<str>,
    runner: &Arc<Runner>,
    names: BTreeSet<String>,
    window: TimeWindow,
) -> Vec<Call> {
    let to = window.to.timestamp();
    let from = window.from.timestamp().max(to - RETENTION_SECS);
    names
        .into_iter()
        .map(|name| {
            let attribute = LookupAttribute::builder()
                .attribute_key(LookupAttributeKey::ResourceName)
                .attribute_value(name)
                .build()
                .expect("key and value are set");
            lookup_call(
                client,
                region,
                runner,
                attribute,
                Some((from, to)),
                Arc::new(|_| true),
            )
        })
        .collect()
}

/// `CreateVpcEndpoint` events of the last 90 days that name one of `endpoints` (the
/// requester-managed endpoints of the region): who created them (`invokedBy`).
pub(crate) fn endpoint_provenance_call(
    client: &aws_sdk_cloudtrail::Client,
    region: &Arc<str>,
    runner: &Arc<Runner>,
    endpoints: Vec<String>,
) -> Call {
    let attribute = LookupAttribute::builder()
        .attribute_key(LookupAttributeKey::EventName)
        .attribute_value("CreateVpcEndpoint")
        .build()
        .expect("key and value are set");
    let names_one: Keep = Arc::new(move |e: &CloudTrailEvent| {
        endpoints.iter().any(|id| {
            e.resources
                .iter()
                .any(|r| r.resource_name.as_deref() == Some(id.as_str()))
                || e.cloud_trail_event
                    .as_deref()
                    .is_some_and(|t| t.contains(id.as_str()))
        })
    });
    lookup_call(client, region, runner, attribute, None, names_one)
}

/// Which events of a lookup to keep.
type Keep = Arc<dyn Fn(&CloudTrailEvent) -> bool + Send + Sync>;

/// One paged, rate-limited lookup. `span` is `(from, to)` in epoch seconds; `None` is
/// CloudTrail's default (the last 90 days).
fn lookup_call(
    client: &aws_sdk_cloudtrail::Client,
    region: &Arc<str>,
    runner: &Arc<Runner>,
    attribute: LookupAttribute,
    span: Option<(i64, i64)>,
    keep: Keep,
) -> Call {
    let client = client.clone();
    let runner = Arc::clone(runner);
    let bucket_region = region.to_string();
    let fetch = async move {
        let mut events = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut attempt = 0;
            let page = loop {
                runner
                    .paced("cloudtrail", &bucket_region, CLOUDTRAIL_INTERVAL)
                    .await;
                let mut req = client
                    .lookup_events()
                    .lookup_attributes(attribute.clone())
                    .max_results(50)
                    .set_next_token(token.clone());
                if let Some((from, to)) = span {
                    req = req
                        .start_time(aws_smithy_types::DateTime::from_secs(from))
                        .end_time(aws_smithy_types::DateTime::from_secs(to));
                }
                match req.send().await {
                    Ok(page) => break page,
                    Err(e) if attempt < THROTTLE_RETRIES && is_throttled(&e) => {
                        attempt += 1;
                        tokio::time::sleep(Duration::from_millis(500) * attempt).await;
                    }
                    Err(e) => return Err(e),
                }
            };
            events.extend(page.events().iter().filter_map(event).filter(|e| keep(e)));
            match page.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_owned()),
                _ => break,
            }
        }
        Ok(events)
    };
    call(
        Kind::CloudTrailEvents,
        region,
        fetch,
        |inv, events: Vec<CloudTrailEvent>| {
            for e in events {
                inv.cloudtrail_events.insert(e.event_id.clone(), e);
            }
        },
    )
}

/// Whether CloudTrail refused the page for its rate (`ThrottlingException`, HTTP 429).
fn is_throttled<E, R>(err: &aws_sdk_cloudtrail::error::SdkError<E, R>) -> bool
where
    E: aws_sdk_cloudtrail::error::ProvideErrorMetadata,
{
    use aws_sdk_cloudtrail::error::ProvideErrorMetadata as _;
    matches!(
        err.code(),
        Some("ThrottlingException" | "Throttling" | "TooManyRequestsException")
    )
}

/// The client: CloudTrail in `region` with the SDK's retries off (the bucket paces retries).
pub(crate) fn client(
    conf: &aws_config::SdkConfig,
    region: &str,
    counter: &crate::source::live::runner::CountAttempts,
) -> aws_sdk_cloudtrail::Client {
    aws_sdk_cloudtrail::Client::from_conf(
        aws_sdk_cloudtrail::config::Builder::from(conf)
            .region(aws_config::Region::new(region.to_owned()))
            .interceptor(counter.clone())
            .retry_config(aws_config::retry::RetryConfig::disabled())
            .build(),
    )
}
