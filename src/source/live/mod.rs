//! Live collection through the AWS SDK for Rust: the same [`Inventory`] the snapshot loader
//! builds, read from the account with the user's usual credentials.
//!
//! **Read-only by construction**: every call here is a `describe_*`, `list_*` or `get_*`
//! operation; `tests/live_readonly.rs` reads this directory's source and fails on any other
//! operation, and checks that `docs/iam-policy.json` grants exactly the actions used.
//!
//! Shape of a collection (this file: the order of the waves):
//! 1. CloudFront (global, `us-east-1`): the distribution list and VPC origins, then
//!    `get-distribution` per distribution (full config and `ETag`).
//! 2. Regions ([`scope`]): those of the ALBs the origins point at (from the ALB DNS name or the
//!    VPC origin's endpoint ARN), plus `--region`; the configured default region if none.
//! 3. Per region, in three waves (each wave's calls run concurrently, bounded by one
//!    semaphore shared by all regions, [`runner`]): the independent describes; then listeners,
//!    attributes, target health, prefix-list entries, SG references, stale SGs; then rules.
//!    The calls themselves are in [`calls`], the SDK → model conversions in [`convert`].
//!
//! 4. With a timeline window ([`CollectOptions::timeline`]): CloudWatch `GetMetricData` for the
//!    distributions (in `us-east-1`) and the ALBs and target groups (their region), and
//!    CloudTrail `LookupEvents` for every resource on the paths ([`calls::cloudtrail`]), paced
//!    at CloudTrail's 2 requests/s per region. Without a window, only the `CreateVpcEndpoint`
//!    events of requester-managed endpoints (who created them, for `blockers`).
//!
//! A call that fails (AccessDenied, UnauthorizedOperation, timeout, a region that does not
//! answer, a bug that panics) does not abort: its kind goes to [`Inventory::unavailable`] with
//! the reason and the hops that need it become `unknown`, naming the permission. Only when
//! *every* call failed is the collection an error (usually: no credentials).

pub mod athena;
mod calls;
mod convert;
mod rate;
mod runner;
pub mod s3;
mod scope;

use std::collections::BTreeSet;
use std::sync::Arc;

use aws_config::{Region, SdkConfig};
use miette::{IntoDiagnostic, Result};

use self::calls::{acm, cloudfront, cloudfront_policies, cloudtrail, cloudwatch, ec2, elbv2};
use self::runner::{Call, CountAttempts, Runner, join_all, record_failure, sdk_config};
use self::scope::{AlbFilter, CLOUDFRONT_REGION, narrow_distributions, regions_to_collect};
use crate::model::{Inventory, Kind, TimeWindow};
use crate::source::{CollectionStats, LiveScope};

pub use self::scope::region_of_alb;

/// What to collect.
#[derive(Debug, Clone, Default)]
pub struct CollectOptions {
    /// `--profile`; `None` is the SDK's default credential chain.
    pub profile: Option<String>,
    /// `--region` (added to the regions the origins point at).
    pub regions: Vec<String>,
    /// `--distribution` / `--alb` narrowing (empty: the whole account).
    pub scope: LiveScope,
    /// Show calls in flight on stderr (only when stderr is a terminal).
    pub progress: bool,
    /// Collect CloudTrail events and CloudWatch metrics over this window (`--since`, `--from`
    /// / `--to`); `None` collects neither (only endpoint provenance).
    pub timeline: Option<TimeWindow>,
}

/// A finished collection.
#[derive(Debug)]
pub struct Collected {
    /// The account.
    pub inventory: Inventory,
    /// Regions read (besides CloudFront's global endpoint).
    pub regions: Vec<String>,
    /// Calls, requests, retries and failures of the collection.
    pub stats: CollectionStats,
}

/// Collects the account.
///
/// # Errors
/// Every call failed, or the async runtime could not start.
pub fn collect(options: &CollectOptions) -> Result<Collected> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .into_diagnostic()?;
    runtime.block_on(collect_async(options))
}

async fn collect_async(options: &CollectOptions) -> Result<Collected> {
    let runner = Arc::new(Runner::new(options.progress));
    let mut inv = Inventory::default();

    let base = sdk_config(options.profile.as_deref()).await;
    let counter = runner.attempt_counter();
    let default_region = base.region().map(|r| r.as_ref().to_owned());

    // 1. CloudFront: global.
    let cf = aws_sdk_cloudfront::Client::from_conf(
        aws_sdk_cloudfront::config::Builder::from(&base)
            .region(Region::new(CLOUDFRONT_REGION))
            .interceptor(counter.clone())
            .build(),
    );
    runner
        .run(cloudfront::cloudfront_calls(&cf), &mut inv)
        .await;
    narrow_distributions(&mut inv, &options.scope);
    let ids = inv.distributions.keys().map(ToString::to_string).collect();
    runner
        .run(cloudfront::distribution_get_calls(&cf, ids), &mut inv)
        .await;
    // The custom policies the behaviors name (what CloudFront forwards to the origin).
    let policy_calls = cloudfront_policies::policy_calls(&cf, &mut inv);
    runner.run(policy_calls, &mut inv).await;

    // 2. Regions.
    let regions = regions_to_collect(&options.regions, &options.scope, &inv, default_region);
    let alb_filter = AlbFilter::new(&inv, &options.scope);

    // 3. Per region, three waves; regions run concurrently with each other.
    let mut region_tasks = Vec::new();
    for region in &regions {
        let conf = base.clone();
        let runner = Arc::clone(&runner);
        let counter = counter.clone();
        let region = region.clone();
        let alb_filter = alb_filter.clone();
        region_tasks.push((format!("collecting region {region}"), async move {
            let mut part = Inventory::default();
            collect_region(&conf, &region, &alb_filter, &runner, counter, &mut part).await;
            part
        }));
    }
    for (region, part) in regions.iter().zip(join_all(region_tasks).await) {
        match part {
            Ok(part) => merge(&mut inv, part),
            // Each call runs in its own task, so this is a bug between the waves: every kind of
            // the region is missing, with the reason.
            Err(panicked) => {
                for kind in Kind::ALL.into_iter().filter(|k| is_regional(*k)) {
                    record_failure(&mut inv, kind, region, panicked.clone());
                }
            }
        }
    }
    // 4. The time axis: what changed and what the metrics say, once the paths' resources are known.
    collect_timeline(&base, &regions, options.timeline, &runner, &mut inv).await;

    runner.finish();
    if runner.all_failed() {
        let reasons: BTreeSet<&str> = inv.unavailable.values().map(String::as_str).collect();
        return Err(miette::miette!(
            help = "check the credentials (`aws sts get-caller-identity`), --profile and --region; or pass --snapshot DIR",
            "every AWS call failed: {}",
            reasons.into_iter().collect::<Vec<_>>().join("; ")
        ));
    }
    Ok(Collected {
        inventory: inv,
        regions: regions.into_iter().collect(),
        stats: runner.stats(),
    })
}

/// Whether a kind is read per region by [`collect_region`] (CloudFront's are global; CloudTrail
/// and CloudWatch are read after the regions, by [`collect_timeline`]).
fn is_regional(kind: Kind) -> bool {
    !matches!(
        kind,
        Kind::Distributions
            | Kind::VpcOrigins
            | Kind::OriginRequestPolicies
            | Kind::CachePolicies
            | Kind::CloudTrailEvents
            | Kind::MetricData
    )
}

/// CloudWatch metrics and CloudTrail events over `window` for the collected paths' resources;
/// without a window, only who created the requester-managed VPC endpoints.
async fn collect_timeline(
    conf: &SdkConfig,
    regions: &BTreeSet<String>,
    window: Option<TimeWindow>,
    runner: &Arc<Runner>,
    inv: &mut Inventory,
) {
    let counter = runner.attempt_counter();
    let mut calls = Vec::new();
    let global: Arc<str> = Arc::from(CLOUDFRONT_REGION);
    for region in regions {
        let r: Arc<str> = Arc::from(region.as_str());
        let endpoints: Vec<String> = inv
            .vpc_endpoints
            .values()
            .filter(|e| e.requester_managed == Some(true))
            .map(|e| e.vpc_endpoint_id.to_string())
            .collect();
        let mut names = BTreeSet::new();
        if let Some(window) = window {
            names = cloudtrail::regional_resource_names(inv, region);
            let period = cloudwatch::period_for(&window);
            let cw = cloudwatch::client(conf, region, &counter);
            calls.extend(cloudwatch::metric_calls(
                &cw,
                &r,
                cloudwatch::alb_series(inv, region, period),
                window,
            ));
        }
        if names.is_empty() && endpoints.is_empty() {
            continue;
        }
        let ct = cloudtrail::client(conf, region, &counter);
        if let Some(window) = window {
            calls.extend(cloudtrail::lookup_calls(&ct, &r, runner, names, window));
        }
        if !endpoints.is_empty() {
            calls.push(cloudtrail::endpoint_provenance_call(
                &ct, &r, runner, endpoints,
            ));
        }
    }
    if let Some(window) = window {
        let period = cloudwatch::period_for(&window);
        let cw = cloudwatch::client(conf, CLOUDFRONT_REGION, &counter);
        calls.extend(cloudwatch::metric_calls(
            &cw,
            &global,
            cloudwatch::cloudfront_series(inv, period),
            window,
        ));
        let names = cloudtrail::cloudfront_resource_names(inv);
        if !names.is_empty() {
            let ct = cloudtrail::client(conf, CLOUDFRONT_REGION, &counter);
            calls.extend(cloudtrail::lookup_calls(
                &ct, &global, runner, names, window,
            ));
        }
    }
    runner.run(calls, inv).await;
}

/// Collects one region in three waves.
async fn collect_region(
    conf: &SdkConfig,
    region: &str,
    albs: &AlbFilter,
    runner: &Arc<Runner>,
    counter: CountAttempts,
    inv: &mut Inventory,
) {
    let ec2c = aws_sdk_ec2::Client::from_conf(
        aws_sdk_ec2::config::Builder::from(conf)
            .region(Region::new(region.to_owned()))
            .interceptor(counter.clone())
            .build(),
    );
    let elbc = aws_sdk_elasticloadbalancingv2::Client::from_conf(
        aws_sdk_elasticloadbalancingv2::config::Builder::from(conf)
            .region(Region::new(region.to_owned()))
            .interceptor(counter.clone())
            .build(),
    );
    let region: Arc<str> = Arc::from(region);

    // Wave 1: load balancers first when narrowed (their VPCs scope the EC2 describes).
    let mut vpc_filter: Option<Vec<String>> = None;
    if albs.narrowed {
        runner
            .run(vec![elbv2::load_balancers_call(&elbc, &region, albs)], inv)
            .await;
        let vpcs: BTreeSet<String> = inv
            .load_balancers
            .values()
            .filter_map(|lb| lb.vpc_id.as_ref().map(ToString::to_string))
            .collect();
        if vpcs.is_empty() {
            // None of the narrowed load balancers lives in this region: nothing else to read.
            return;
        }
        vpc_filter = Some(vpcs.into_iter().collect());
    }
    let mut wave1 = ec2::ec2_calls(&ec2c, &region, vpc_filter.as_deref());
    wave1.extend(ec2::bpa_calls(&ec2c, &region));
    if !albs.narrowed {
        wave1.push(elbv2::load_balancers_call(&elbc, &region, albs));
        wave1.push(elbv2::target_groups_call(&elbc, &region, None));
    }
    runner.run(wave1, inv).await;

    // Wave 2: per load balancer, target group, prefix list, VPC, group.
    let mut wave2: Vec<Call> = Vec::new();
    let lb_arns: Vec<String> = inv.load_balancers.keys().map(ToString::to_string).collect();
    for lb in &lb_arns {
        if albs.narrowed {
            wave2.push(elbv2::target_groups_call(&elbc, &region, Some(lb.clone())));
        }
        wave2.push(elbv2::listeners_call(&elbc, &region, lb.clone()));
        wave2.push(elbv2::lb_attributes_call(&elbc, &region, lb.clone()));
    }
    wave2.extend(ec2::prefix_list_entry_calls(&ec2c, &region, inv));
    wave2.extend(ec2::vpc_calls(&ec2c, &region, inv));
    runner.run(wave2, inv).await;
    if lb_arns.is_empty() {
        inv.loaded.insert(Kind::Listeners);
        inv.loaded.insert(Kind::LoadBalancerAttributes);
    }

    // Wave 3: per listener and target group.
    let mut wave3: Vec<Call> = Vec::new();
    for (l, listener) in &inv.listeners {
        wave3.push(elbv2::rules_call(&elbc, &region, l.to_string()));
        if listener.protocol.eq_ignore_ascii_case("HTTPS") {
            wave3.push(acm::listener_certificates_call(
                &elbc,
                &region,
                l.to_string(),
            ));
        }
    }
    for tg in inv.target_groups.keys() {
        wave3.push(elbv2::target_health_call(&elbc, &region, tg.to_string()));
        wave3.push(elbv2::tg_attributes_call(&elbc, &region, tg.to_string()));
    }
    if inv.listeners.is_empty() {
        inv.loaded.insert(Kind::Rules);
    }
    if inv.target_groups.is_empty() && inv.has(Kind::TargetGroups) {
        inv.loaded.insert(Kind::TargetHealth);
        inv.loaded.insert(Kind::TargetGroupAttributes);
    }
    if !inv
        .listeners
        .values()
        .any(|l| l.protocol.eq_ignore_ascii_case("HTTPS"))
    {
        inv.loaded.insert(Kind::ListenerCertificates);
        inv.loaded.insert(Kind::AcmCertificates);
    }
    runner.run(wave3, inv).await;

    // Wave 4: ACM's description of every ACM certificate the listeners name.
    let acmc = aws_sdk_acm::Client::from_conf(
        aws_sdk_acm::config::Builder::from(conf)
            .region(Region::new(region.to_string()))
            .interceptor(counter)
            .build(),
    );
    let certs: BTreeSet<String> = inv
        .listener_certificates
        .values()
        .flatten()
        .map(|c| c.certificate_arn.clone())
        .chain(inv.listeners.values().flat_map(|l| {
            l.certificates
                .iter()
                .filter_map(|c| c.certificate_arn.clone())
        }))
        .filter(|a| acm::is_acm(a))
        .collect();
    if certs.is_empty() && inv.has(Kind::ListenerCertificates) {
        inv.loaded.insert(Kind::AcmCertificates);
    }
    let wave4: Vec<Call> = certs
        .into_iter()
        .map(|c| acm::describe_certificate_call(&acmc, &region, c))
        .collect();
    runner.run(wave4, inv).await;
}

/// Adds a region's resources to the whole; ids are unique across regions.
fn merge(inv: &mut Inventory, part: Inventory) {
    inv.vpcs.extend(part.vpcs);
    inv.subnets.extend(part.subnets);
    inv.route_tables.extend(part.route_tables);
    inv.network_acls.extend(part.network_acls);
    inv.internet_gateways.extend(part.internet_gateways);
    inv.nat_gateways.extend(part.nat_gateways);
    inv.security_groups.extend(part.security_groups);
    inv.network_interfaces.extend(part.network_interfaces);
    inv.instances.extend(part.instances);
    inv.prefix_lists.extend(part.prefix_lists);
    inv.prefix_list_entries.extend(part.prefix_list_entries);
    inv.vpc_endpoints.extend(part.vpc_endpoints);
    inv.vpc_peering_connections
        .extend(part.vpc_peering_connections);
    for r in part.security_group_references {
        if !inv.security_group_references.contains(&r) {
            inv.security_group_references.push(r);
        }
    }
    inv.stale_security_groups.extend(part.stale_security_groups);
    inv.load_balancers.extend(part.load_balancers);
    inv.listeners.extend(part.listeners);
    inv.rules.extend(part.rules);
    inv.target_groups.extend(part.target_groups);
    inv.target_health.extend(part.target_health);
    inv.load_balancer_attributes
        .extend(part.load_balancer_attributes);
    inv.target_group_attributes
        .extend(part.target_group_attributes);
    inv.listener_certificates.extend(part.listener_certificates);
    inv.acm_certificates.extend(part.acm_certificates);
    inv.vpc_bpa_options.extend(part.vpc_bpa_options);
    inv.vpc_bpa_exclusions.extend(part.vpc_bpa_exclusions);
    inv.loaded.extend(part.loaded);
    for (kind, reason) in part.unavailable {
        let entry = inv.unavailable.entry(kind).or_default();
        if !entry.is_empty() {
            entry.push_str("; ");
        }
        entry.push_str(&reason);
    }
    inv.invalidate();
}
