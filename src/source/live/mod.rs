//! Live collection through the AWS SDK for Rust: the same [`Inventory`] the snapshot loader
//! builds, read from the account with the user's usual credentials.
//!
//! **Read-only by construction**: every call here is a `describe_*`, `list_*` or `get_*`
//! operation; `tests/live_readonly.rs` reads this directory's source and fails on any other
//! operation, and checks that `docs/iam-policy.json` grants exactly the actions used.
//!
//! Shape of a collection:
//! 1. CloudFront (global, `us-east-1`): the distribution list and VPC origins, then
//!    `get-distribution` per distribution (full config and `ETag`).
//! 2. Regions: those of the ALBs the origins point at (from the ALB DNS name or the VPC
//!    origin's endpoint ARN), plus `--region`; the configured default region if none.
//! 3. Per region, in three waves (each wave's calls run concurrently, bounded by one
//!    semaphore shared by all regions): the independent describes; then listeners,
//!    attributes, target health, prefix-list entries, SG references, stale SGs; then rules.
//!
//! A call that fails (AccessDenied, UnauthorizedOperation, timeout, a region that does not
//! answer) does not abort: its kind goes to [`Inventory::unavailable`] with the reason and the
//! hops that need it become `unknown`, naming the permission. Only when *every* call failed is
//! the collection an error (usually: no credentials).

mod cloudfront;
mod ec2;
mod elbv2;

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_ec2::config::http::HttpResponse;
use aws_sdk_ec2::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_ec2::types::Filter;
use miette::{IntoDiagnostic, Result};
use tokio::sync::Semaphore;

use crate::cmd::Globals as GlobalArgs;
use crate::cmd::{LiveScope, LoadedInventory};
use crate::model::{Inventory, Kind};

/// Calls in flight at once, over all regions (AWS throttles per account and region; the SDK's
/// retry — standard by default, `AWS_RETRY_MODE=adaptive` / `AWS_MAX_ATTEMPTS` honoured —
/// absorbs the rest).
const MAX_IN_FLIGHT: usize = 16;
/// One operation (all its retries) gives up after this long; its kind becomes `unavailable`.
const CALL_TIMEOUT: Duration = Duration::from_secs(60);
/// CloudFront's control plane lives in us-east-1.
const CLOUDFRONT_REGION: &str = "us-east-1";

/// Collects the Inventory live for a command.
///
/// # Errors
/// Every call failed (no credentials, no network), or the async runtime could not start.
pub fn load_for_command(g: &GlobalArgs, scope: &LiveScope) -> Result<LoadedInventory> {
    let options = CollectOptions {
        profile: g.profile.clone(),
        regions: g.region.clone(),
        scope: scope.clone(),
        progress: !g.quiet,
    };
    let collected = collect(&options)?;
    let source = format!(
        "live ({}regions {})",
        options
            .profile
            .as_ref()
            .map(|p| format!("profile {p}, "))
            .unwrap_or_default(),
        collected.regions.join(", ")
    );
    for (kind, reason) in &collected.inventory.unavailable {
        crate::cmd::warn(
            g,
            &format!(
                "could not collect {kind}: {reason} (needs {}); the hops that need it are unknown",
                kind.iam_action()
            ),
        );
    }
    Ok(LoadedInventory {
        inventory: collected.inventory,
        warnings: Vec::new(),
        source,
    })
}

/// What to collect.
#[derive(Debug, Clone, Default)]
pub struct CollectOptions {
    /// `--profile`.
    pub profile: Option<String>,
    /// `--region` (added to the regions the origins point at).
    pub regions: Vec<String>,
    /// `--distribution` / `--alb` narrowing.
    pub scope: LiveScope,
    /// Show calls in flight on stderr (only when stderr is a terminal).
    pub progress: bool,
}

/// A finished collection.
#[derive(Debug)]
pub struct Collected {
    /// The account.
    pub inventory: Inventory,
    /// Regions read (besides CloudFront's global endpoint).
    pub regions: Vec<String>,
    /// Calls made (pages count once per call).
    pub calls: usize,
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

/// One kind's result from one call: what it adds to the Inventory, or why it failed.
type Piece = Box<dyn FnOnce(&mut Inventory) + Send>;
type CallFuture = Pin<Box<dyn Future<Output = Result<Piece, CallError>> + Send>>;

#[derive(Debug)]
struct CallError {
    kind: Kind,
    region: String,
    reason: String,
}

/// Shared by every call: the in-flight bound and the progress counters.
struct Runner {
    permits: Semaphore,
    started: AtomicUsize,
    finished: AtomicUsize,
    failed: AtomicUsize,
    internal_errors: std::sync::Mutex<Vec<String>>,
    bar: Option<indicatif::ProgressBar>,
}

impl Runner {
    fn new(progress: bool) -> Self {
        let bar = (progress && std::io::IsTerminal::is_terminal(&std::io::stderr())).then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Self {
            permits: Semaphore::new(MAX_IN_FLIGHT),
            started: AtomicUsize::new(0),
            finished: AtomicUsize::new(0),
            failed: AtomicUsize::new(0),
            internal_errors: std::sync::Mutex::default(),
            bar,
        }
    }

    fn tick(&self) {
        if let Some(bar) = &self.bar {
            let started = self.started.load(Ordering::Relaxed);
            let finished = self.finished.load(Ordering::Relaxed);
            bar.set_message(format!(
                "collecting: {} AWS calls in flight, {finished} done",
                started - finished
            ));
        }
    }

    /// Runs calls concurrently (bounded) and applies what they return to `inv`.
    async fn run(self: &Arc<Self>, calls: Vec<CallFuture>, inv: &mut Inventory) {
        let mut set = tokio::task::JoinSet::new();
        for call in calls {
            let runner = Arc::clone(self);
            set.spawn(async move {
                // The semaphore is never closed; without a permit the call would still be bounded
                // by the SDK's own connection pool.
                let _permit = runner.permits.acquire().await.ok();
                runner.started.fetch_add(1, Ordering::Relaxed);
                runner.tick();
                let result = call.await;
                runner.finished.fetch_add(1, Ordering::Relaxed);
                if result.is_err() {
                    runner.failed.fetch_add(1, Ordering::Relaxed);
                }
                runner.tick();
                result
            });
        }
        while let Some(joined) = set.join_next().await {
            match joined {
                Ok(Ok(piece)) => piece(inv),
                Ok(Err(e)) => record_failure(inv, e),
                // A panic in a conversion is a bug: surface it instead of a partial account.
                Err(join) => self
                    .internal_errors
                    .lock()
                    .map(|mut v| v.push(join.to_string()))
                    .unwrap_or_default(),
            }
        }
    }
}

fn record_failure(inv: &mut Inventory, e: CallError) {
    let reason = if e.region.is_empty() {
        e.reason
    } else {
        format!("{}: {}", e.region, e.reason)
    };
    // Several calls of one kind may fail (per region, per parent): keep every distinct reason.
    let entry = inv.unavailable.entry(e.kind).or_default();
    if !entry.split("; ").any(|r| r == reason) {
        if !entry.is_empty() {
            entry.push_str("; ");
        }
        entry.push_str(&reason);
    }
}

/// Turns an SDK error into the short reason users see: the AWS error code and message, or
/// what went wrong on the way (timeout, connection, a response without an AWS error).
fn reason<E>(err: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    if let Some(code) = err.code() {
        return match err.message() {
            Some(msg) => format!("{code}: {msg}"),
            None => code.to_owned(),
        };
    }
    match err {
        SdkError::TimeoutError(_) => format!("timed out after {} s", CALL_TIMEOUT.as_secs()),
        SdkError::DispatchFailure(d) => format!(
            "could not reach the AWS endpoint{}",
            d.as_connector_error()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default()
        ),
        SdkError::ServiceError(e) => format!(
            "HTTP {} without an AWS error code (is the endpoint an AWS API?)",
            e.raw().status().as_u16()
        ),
        SdkError::ResponseError(e) => {
            format!("unreadable response (HTTP {})", e.raw().status().as_u16())
        }
        _ => aws_sdk_ec2::error::DisplayErrorContext(err).to_string(),
    }
}

fn fail<E>(
    kind: Kind,
    region: &str,
) -> impl FnOnce(SdkError<E, HttpResponse>) -> CallError + use<'_, E>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    move |err| CallError {
        kind,
        region: region.to_owned(),
        reason: reason(&err),
    }
}

/// Page size for paginated calls: the service maximum, unless `EDGEPATH_PAGE_SIZE` asks for
/// less (the moto tests use it to exercise pagination).
fn page_size(max: i32) -> i32 {
    std::env::var("EDGEPATH_PAGE_SIZE")
        .ok()
        .and_then(|s| s.parse::<i32>().ok())
        .filter(|n| *n > 0)
        .map_or(max, |n| n.min(max))
}

/// The shared configuration: one credential chain (environment, `--profile`, SSO, web identity,
/// IMDS) for every client, timeouts per operation; clients set their own region from it.
async fn sdk_config(profile: Option<&str>) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).timeout_config(
        TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(5))
            .operation_attempt_timeout(Duration::from_secs(20))
            .operation_timeout(CALL_TIMEOUT)
            .build(),
    );
    if let Some(p) = profile {
        loader = loader.profile_name(p);
    }
    loader.load().await
}

async fn collect_async(options: &CollectOptions) -> Result<Collected> {
    let runner = Arc::new(Runner::new(options.progress));
    let mut inv = Inventory::default();

    let base = sdk_config(options.profile.as_deref()).await;
    let default_region = base.region().map(|r| r.as_ref().to_owned());

    // 1. CloudFront: global.
    let cf = aws_sdk_cloudfront::Client::from_conf(
        aws_sdk_cloudfront::config::Builder::from(&base)
            .region(Region::new(CLOUDFRONT_REGION))
            .build(),
    );
    runner.run(cloudfront_calls(&cf), &mut inv).await;
    if !options.scope.distributions.is_empty() {
        inv.distributions
            .retain(|id, _| options.scope.distributions.iter().any(|d| d == id.as_str()));
    }
    let ids = inv.distributions.keys().map(ToString::to_string).collect();
    runner.run(distribution_get_calls(&cf, ids), &mut inv).await;

    // 2. Regions.
    let mut regions: BTreeSet<String> = options.regions.iter().cloned().collect();
    regions.extend(origin_regions(&inv));
    regions.extend(options.scope.albs.iter().filter_map(|a| region_of_alb(a)));
    if regions.is_empty() {
        regions.insert(default_region.unwrap_or_else(|| CLOUDFRONT_REGION.to_owned()));
    }
    let alb_filter = AlbFilter::new(&inv, &options.scope);

    // 3. Per region, three waves; regions run concurrently with each other.
    let mut region_futures = Vec::new();
    for region in &regions {
        let conf = base.clone();
        let runner = Arc::clone(&runner);
        let region = region.clone();
        let alb_filter = alb_filter.clone();
        region_futures.push(async move {
            let mut part = Inventory::default();
            collect_region(&conf, &region, &alb_filter, &runner, &mut part).await;
            part
        });
    }
    for part in futures_join_all(region_futures).await {
        merge(&mut inv, part);
    }
    if let Some(bar) = &runner.bar {
        bar.finish_and_clear();
    }
    if let Ok(errors) = runner.internal_errors.lock()
        && !errors.is_empty()
    {
        return Err(miette::miette!(
            "internal error while collecting (please report): {}",
            errors.join("; ")
        ));
    }
    let calls = runner.finished.load(Ordering::Relaxed);
    if calls > 0 && runner.failed.load(Ordering::Relaxed) == calls {
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
        calls,
    })
}

/// Polls futures concurrently (they share the runner's semaphore, so this does not overload).
async fn futures_join_all<F, T>(futures: Vec<F>) -> Vec<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let mut set = tokio::task::JoinSet::new();
    for (i, f) in futures.into_iter().enumerate() {
        set.spawn(async move { (i, f.await) });
    }
    let mut out: Vec<(usize, T)> = Vec::new();
    while let Some(Ok(r)) = set.join_next().await {
        out.push(r);
    }
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, t)| t).collect()
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

/// The region of an ALB DNS name (`NAME-ID.REGION.elb.amazonaws.com`, also `internal-` and
/// `dualstack.` forms) or ALB ARN (`arn:aws:elasticloadbalancing:REGION:…`).
#[must_use]
pub fn region_of_alb(name_or_arn: &str) -> Option<String> {
    if let Some(rest) = name_or_arn.strip_prefix("arn:") {
        let region = rest.split(':').nth(2)?;
        return (!region.is_empty()).then(|| region.to_owned());
    }
    let host = name_or_arn.trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    let elb = labels.iter().position(|l| *l == "elb")?;
    (elb >= 2 && labels.get(elb + 1) == Some(&"amazonaws")).then(|| labels[elb - 1].to_owned())
}

/// The ALB name inside its DNS name (`internal-web-alb-123.eu-west-1.elb…` → `web-alb`).
fn alb_name_from_dns(dns: &str) -> Option<String> {
    let first = dns.trim_end_matches('.').split('.').next()?;
    let first = first.strip_prefix("dualstack-").unwrap_or(first);
    let first = first.strip_prefix("internal-").unwrap_or(first);
    let (name, _id) = first.rsplit_once('-')?;
    (!name.is_empty()).then(|| name.to_owned())
}

/// Regions of the ALBs the distributions' origins point at.
fn origin_regions(inv: &Inventory) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for d in inv.distributions.values() {
        for o in &d.origins.items {
            if let Some(r) = region_of_alb(&o.domain_name) {
                out.insert(r);
            }
        }
    }
    for vo in inv.vpc_origins.values() {
        if let Some(r) = vo.endpoint_arn().and_then(region_of_alb) {
            out.insert(r);
        }
    }
    out
}

/// `--distribution` / `--alb` narrowing: which ALBs to describe (by name or ARN); `None`
/// collects everything.
#[derive(Debug, Clone, Default)]
struct AlbFilter {
    names: BTreeSet<String>,
    arns: BTreeSet<String>,
    narrowed: bool,
}

impl AlbFilter {
    fn new(inv: &Inventory, scope: &LiveScope) -> Self {
        if scope.distributions.is_empty() && scope.albs.is_empty() {
            return Self::default();
        }
        let mut f = Self {
            narrowed: true,
            ..Self::default()
        };
        for a in &scope.albs {
            if a.starts_with("arn:") {
                f.arns.insert(a.clone());
            } else if region_of_alb(a).is_some() {
                f.names.extend(alb_name_from_dns(a));
            } else {
                f.names.insert(a.clone());
            }
        }
        for d in inv.distributions.values() {
            for o in &d.origins.items {
                if region_of_alb(&o.domain_name).is_some() {
                    f.names.extend(alb_name_from_dns(&o.domain_name));
                }
            }
        }
        for vo in inv.vpc_origins.values() {
            let used = inv.distributions.values().any(|d| {
                d.origins
                    .items
                    .iter()
                    .filter_map(|o| o.vpc_origin_config.as_ref())
                    .any(|c| c.vpc_origin_id == vo.id)
            });
            if used && let Some(arn) = vo.endpoint_arn() {
                f.arns.insert(arn.to_owned());
            }
        }
        f
    }

    fn in_region(&self, region: &str) -> (Vec<String>, Vec<String>) {
        let arns = self
            .arns
            .iter()
            .filter(|a| region_of_alb(a).as_deref() == Some(region))
            .cloned()
            .collect();
        (self.names.iter().cloned().collect(), arns)
    }
}

fn cloudfront_calls(cf: &aws_sdk_cloudfront::Client) -> Vec<CallFuture> {
    let mut calls: Vec<CallFuture> = Vec::new();
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
    calls.push(Box::pin(async move {
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
                .map_err(fail(Kind::VpcOrigins, &region))?;
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
                .map_err(fail(Kind::VpcOrigins, &region))?;
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
    }));
    calls
}

/// `get-distribution` per distribution: the full config with its `ETag` (needed by the VPC-origin
/// fix steps), where the list gave a summary. A denied or failed get keeps the summary.
fn distribution_get_calls(cf: &aws_sdk_cloudfront::Client, ids: Vec<String>) -> Vec<CallFuture> {
    ids.into_iter()
        .map(|id| {
            let cf = cf.clone();
            Box::pin(async move {
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
            }) as CallFuture
        })
        .collect()
}

/// Collects one region in three waves.
async fn collect_region(
    conf: &SdkConfig,
    region: &str,
    albs: &AlbFilter,
    runner: &Arc<Runner>,
    inv: &mut Inventory,
) {
    let ec2c = aws_sdk_ec2::Client::from_conf(
        aws_sdk_ec2::config::Builder::from(conf)
            .region(Region::new(region.to_owned()))
            .build(),
    );
    let elbc = aws_sdk_elasticloadbalancingv2::Client::from_conf(
        aws_sdk_elasticloadbalancingv2::config::Builder::from(conf)
            .region(Region::new(region.to_owned()))
            .build(),
    );
    let region: Arc<str> = Arc::from(region);

    // Wave 1: load balancers first when narrowed (their VPCs scope the EC2 describes).
    let mut vpc_filter: Option<Vec<String>> = None;
    if albs.narrowed {
        runner
            .run(vec![load_balancers_call(&elbc, &region, albs)], inv)
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
    let mut wave1 = ec2_calls(&ec2c, &region, vpc_filter.as_deref());
    if !albs.narrowed {
        wave1.push(load_balancers_call(&elbc, &region, albs));
        wave1.push(target_groups_call(&elbc, &region, None));
    }
    runner.run(wave1, inv).await;

    // Wave 2: per load balancer, target group, prefix list, VPC, group.
    let mut wave2: Vec<CallFuture> = Vec::new();
    let lb_arns: Vec<String> = inv.load_balancers.keys().map(ToString::to_string).collect();
    for lb in &lb_arns {
        if albs.narrowed {
            wave2.push(target_groups_call(&elbc, &region, Some(lb.clone())));
        }
        wave2.push(listeners_call(&elbc, &region, lb.clone()));
        wave2.push(lb_attributes_call(&elbc, &region, lb.clone()));
    }
    wave2.extend(prefix_list_entry_calls(&ec2c, &region, inv));
    wave2.extend(vpc_calls(&ec2c, &region, inv));
    runner.run(wave2, inv).await;
    if lb_arns.is_empty() {
        inv.loaded.insert(Kind::Listeners);
        inv.loaded.insert(Kind::LoadBalancerAttributes);
    }

    // Wave 3: per listener and target group.
    let mut wave3: Vec<CallFuture> = Vec::new();
    for l in inv.listeners.keys() {
        wave3.push(rules_call(&elbc, &region, l.to_string()));
    }
    for tg in inv.target_groups.keys() {
        wave3.push(target_health_call(&elbc, &region, tg.to_string()));
        wave3.push(tg_attributes_call(&elbc, &region, tg.to_string()));
    }
    if inv.listeners.is_empty() {
        inv.loaded.insert(Kind::Rules);
    }
    if inv.target_groups.is_empty() && inv.has(Kind::TargetGroups) {
        inv.loaded.insert(Kind::TargetHealth);
        inv.loaded.insert(Kind::TargetGroupAttributes);
    }
    runner.run(wave3, inv).await;
}

/// One AWS call: `fetch` sends it (every page) and converts the output off the Inventory's
/// lock; `apply` adds the result and the kind is marked loaded. A failed fetch marks the kind
/// unavailable with the reason instead.
fn call<T, E, F>(
    kind: Kind,
    region: &Arc<str>,
    fetch: F,
    apply: impl FnOnce(&mut Inventory, T) + Send + 'static,
) -> CallFuture
where
    F: Future<Output = Result<T, SdkError<E, HttpResponse>>> + Send + 'static,
    T: Send + 'static,
    E: ProvideErrorMetadata + std::error::Error + Send + 'static,
{
    let region = Arc::clone(region);
    Box::pin(async move {
        let value = fetch.await.map_err(fail(kind, &region))?;
        Ok(Box::new(move |inv: &mut Inventory| {
            inv.loaded.insert(kind);
            apply(inv, value);
        }) as Piece)
    })
}

/// A paginated EC2 describe with filters → one kind, inserted by id.
macro_rules! ec2_describe {
    ($client:expr, $region:expr, $filters:expr, $op:ident, $kind:expr, $max:expr, $convert:path, $map:ident, $id:ident) => {{
        let client = $client.clone();
        let filters: Option<Vec<Filter>> = $filters;
        call(
            $kind,
            $region,
            async move {
                client
                    .$op()
                    .set_filters(filters)
                    .max_results(page_size($max))
                    .into_paginator()
                    .items()
                    .send()
                    .try_collect()
                    .await
                    .map(|items| items.iter().filter_map($convert).collect::<Vec<_>>())
            },
            |inv, items| {
                for item in items {
                    inv.$map.insert(item.$id.clone(), item);
                }
            },
        )
    }};
}

#[rustfmt::skip]
fn ec2_calls(
    ec2c: &aws_sdk_ec2::Client,
    region: &Arc<str>,
    vpcs: Option<&[String]>,
) -> Vec<CallFuture> {
    let by_vpc = |name: &str| -> Option<Vec<Filter>> {
        vpcs.map(|v| vec![Filter::builder().name(name).set_values(Some(v.to_vec())).build()])
    };
    let mut calls = vec![
        ec2_describe!(ec2c, region, by_vpc("vpc-id"), describe_vpcs, Kind::Vpcs, 1000, ec2::vpc, vpcs, vpc_id),
        ec2_describe!(ec2c, region, by_vpc("vpc-id"), describe_subnets, Kind::Subnets, 1000, ec2::subnet, subnets, subnet_id),
        ec2_describe!(ec2c, region, by_vpc("vpc-id"), describe_route_tables, Kind::RouteTables, 100, ec2::route_table, route_tables, route_table_id),
        ec2_describe!(ec2c, region, by_vpc("vpc-id"), describe_network_acls, Kind::NetworkAcls, 1000, ec2::network_acl, network_acls, network_acl_id),
        ec2_describe!(ec2c, region, by_vpc("attachment.vpc-id"), describe_internet_gateways, Kind::InternetGateways, 1000, ec2::internet_gateway, internet_gateways, internet_gateway_id),
        ec2_describe!(ec2c, region, by_vpc("vpc-id"), describe_security_groups, Kind::SecurityGroups, 1000, ec2::security_group, security_groups, group_id),
        ec2_describe!(ec2c, region, by_vpc("vpc-id"), describe_network_interfaces, Kind::NetworkInterfaces, 1000, ec2::network_interface, network_interfaces, network_interface_id),
        ec2_describe!(ec2c, region, by_vpc("vpc-id"), describe_vpc_endpoints, Kind::VpcEndpoints, 1000, ec2::vpc_endpoint, vpc_endpoints, vpc_endpoint_id),
        ec2_describe!(ec2c, region, None, describe_managed_prefix_lists, Kind::PrefixLists, 100, ec2::managed_prefix_list, prefix_lists, prefix_list_id),
        ec2_describe!(ec2c, region, None, describe_vpc_peering_connections, Kind::VpcPeeringConnections, 1000, ec2::vpc_peering_connection, vpc_peering_connections, vpc_peering_connection_id),
    ];
    // NAT gateways name their filter parameter `Filter`; instances come in reservations.
    let (client, filters) = (ec2c.clone(), by_vpc("vpc-id"));
    calls.push(call(Kind::NatGateways, region, async move {
        client.describe_nat_gateways().set_filter(filters).max_results(page_size(1000))
            .into_paginator().items().send().try_collect().await
            .map(|items| items.iter().filter_map(ec2::nat_gateway).collect::<Vec<_>>())
    }, |inv, items| {
        for n in items {
            inv.nat_gateways.insert(n.nat_gateway_id.clone(), n);
        }
    }));
    let (client, filters) = (ec2c.clone(), by_vpc("vpc-id"));
    calls.push(call(Kind::Instances, region, async move {
        client.describe_instances().set_filters(filters).max_results(page_size(1000).max(5))
            .into_paginator().items().send().try_collect().await
            .map(|reservations| {
                reservations.iter().flat_map(|r| r.instances()).filter_map(ec2::instance).collect::<Vec<_>>()
            })
    }, |inv, items| {
        for i in items {
            inv.instances.insert(i.instance_id.clone(), i);
        }
    }));
    calls
}

/// Entries of the prefix lists the evaluators read: CloudFront's origin-facing list and every
/// list an SG rule references (AWS-managed lists nobody references are skipped).
fn prefix_list_entry_calls(
    ec2c: &aws_sdk_ec2::Client,
    region: &Arc<str>,
    inv: &mut Inventory,
) -> Vec<CallFuture> {
    let mut wanted: BTreeSet<String> = inv
        .cloudfront_prefix_lists()
        .map(|p| p.prefix_list_id.to_string())
        .collect();
    for sg in inv.security_groups.values() {
        for perm in sg.ip_permissions.iter().chain(&sg.ip_permissions_egress) {
            for pl in &perm.prefix_list_ids {
                if inv.prefix_lists.contains_key(&pl.prefix_list_id) {
                    wanted.insert(pl.prefix_list_id.to_string());
                }
            }
        }
    }
    if wanted.is_empty() && inv.has(Kind::PrefixLists) {
        inv.loaded.insert(Kind::PrefixListEntries);
    }
    wanted
        .into_iter()
        .map(|pl| {
            let client = ec2c.clone();
            let id = pl.clone();
            call(
                Kind::PrefixListEntries,
                region,
                async move {
                    client
                        .get_managed_prefix_list_entries()
                        .prefix_list_id(id)
                        .max_results(page_size(100))
                        .into_paginator()
                        .items()
                        .send()
                        .try_collect()
                        .await
                        .map(|items| items.iter().map(ec2::prefix_list_entry).collect::<Vec<_>>())
                },
                move |inv, entries| {
                    inv.prefix_list_entries.insert(pl.into(), entries);
                },
            )
        })
        .collect()
}

/// Per VPC: stale SGs; per batch of groups: cross-VPC references (both only feed `blockers`).
fn vpc_calls(ec2c: &aws_sdk_ec2::Client, region: &Arc<str>, inv: &Inventory) -> Vec<CallFuture> {
    let mut calls: Vec<CallFuture> = Vec::new();
    for vpc in inv.vpcs.keys() {
        let client = ec2c.clone();
        let vpc = vpc.to_string();
        calls.push(call(
            Kind::StaleSecurityGroups,
            region,
            async move {
                client
                    .describe_stale_security_groups()
                    .vpc_id(vpc)
                    .max_results(page_size(255).max(5))
                    .into_paginator()
                    .items()
                    .send()
                    .try_collect()
                    .await
                    .map(|items| {
                        items
                            .iter()
                            .filter_map(ec2::stale_security_group)
                            .collect::<Vec<_>>()
                    })
            },
            |inv, items| {
                for s in items {
                    inv.stale_security_groups.insert(s.group_id.clone(), s);
                }
            },
        ));
    }
    let groups: Vec<String> = inv
        .security_groups
        .keys()
        .map(ToString::to_string)
        .collect();
    for chunk in groups.chunks(100) {
        let client = ec2c.clone();
        let chunk = chunk.to_vec();
        calls.push(call(
            Kind::SecurityGroupReferences,
            region,
            async move {
                client
                    .describe_security_group_references()
                    .set_group_id(Some(chunk))
                    .send()
                    .await
                    .map(|out| {
                        out.security_group_reference_set()
                            .iter()
                            .filter_map(ec2::security_group_reference)
                            .collect::<Vec<_>>()
                    })
            },
            |inv, refs| {
                for r in refs {
                    if !inv.security_group_references.contains(&r) {
                        inv.security_group_references.push(r);
                    }
                }
            },
        ));
    }
    calls
}

fn load_balancers_call(
    elbc: &aws_sdk_elasticloadbalancingv2::Client,
    region: &Arc<str>,
    albs: &AlbFilter,
) -> CallFuture {
    let client = elbc.clone();
    let (names, arns) = albs.in_region(region);
    let narrowed = albs.narrowed;
    let fetch = async move {
        if !narrowed {
            return client
                .describe_load_balancers()
                .page_size(page_size(400))
                .into_paginator()
                .items()
                .send()
                .try_collect()
                .await;
        }
        // DescribeLoadBalancers takes names or ARNs, not both: one call per name (a name seen in
        // another region's DNS is simply not found here), one for the ARNs.
        let mut items = Vec::new();
        for name in &names {
            match client.describe_load_balancers().names(name).send().await {
                Ok(out) => items.extend(out.load_balancers().iter().cloned()),
                Err(e) if e.code() == Some("LoadBalancerNotFound") => {}
                Err(e) => return Err(e),
            }
        }
        if !arns.is_empty() {
            let out = client
                .describe_load_balancers()
                .set_load_balancer_arns(Some(arns))
                .send()
                .await?;
            items.extend(out.load_balancers().iter().cloned());
        }
        Ok(items)
    };
    call(
        Kind::LoadBalancers,
        region,
        async move {
            fetch.await.map(|items| {
                items
                    .iter()
                    .filter_map(elbv2::load_balancer)
                    .collect::<Vec<_>>()
            })
        },
        |inv, lbs| {
            for lb in lbs {
                inv.load_balancers.insert(lb.load_balancer_arn.clone(), lb);
            }
        },
    )
}

/// Target groups: all of the region's, or (narrowed) those of one load balancer.
fn target_groups_call(
    elbc: &aws_sdk_elasticloadbalancingv2::Client,
    region: &Arc<str>,
    lb: Option<String>,
) -> CallFuture {
    let client = elbc.clone();
    call(
        Kind::TargetGroups,
        region,
        async move {
            client
                .describe_target_groups()
                .set_load_balancer_arn(lb)
                .page_size(page_size(400))
                .into_paginator()
                .items()
                .send()
                .try_collect()
                .await
                .map(|items| {
                    items
                        .iter()
                        .filter_map(elbv2::target_group)
                        .collect::<Vec<_>>()
                })
        },
        |inv, tgs| {
            for tg in tgs {
                inv.target_groups.insert(tg.target_group_arn.clone(), tg);
            }
        },
    )
}

fn listeners_call(
    elbc: &aws_sdk_elasticloadbalancingv2::Client,
    region: &Arc<str>,
    lb: String,
) -> CallFuture {
    let client = elbc.clone();
    call(
        Kind::Listeners,
        region,
        async move {
            client
                .describe_listeners()
                .load_balancer_arn(lb)
                .page_size(page_size(400))
                .into_paginator()
                .items()
                .send()
                .try_collect()
                .await
                .map(|items| items.iter().filter_map(elbv2::listener).collect::<Vec<_>>())
        },
        |inv, listeners| {
            for l in listeners {
                inv.listeners.insert(l.listener_arn.clone(), l);
            }
        },
    )
}

fn rules_call(
    elbc: &aws_sdk_elasticloadbalancingv2::Client,
    region: &Arc<str>,
    listener: String,
) -> CallFuture {
    let client = elbc.clone();
    call(
        Kind::Rules,
        region,
        async move {
            client
                .describe_rules()
                .listener_arn(&listener)
                .page_size(page_size(400))
                .into_paginator()
                .items()
                .send()
                .try_collect()
                .await
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|r| elbv2::rule(r, &listener))
                        .collect::<Vec<_>>()
                })
        },
        |inv, rules| {
            for r in rules {
                inv.rules.insert(r.rule_arn.clone(), r);
            }
        },
    )
}

fn target_health_call(
    elbc: &aws_sdk_elasticloadbalancingv2::Client,
    region: &Arc<str>,
    tg: String,
) -> CallFuture {
    let client = elbc.clone();
    let arn = tg.clone();
    call(
        Kind::TargetHealth,
        region,
        async move {
            client
                .describe_target_health()
                .target_group_arn(arn)
                .send()
                .await
                .map(|out| {
                    out.target_health_descriptions()
                        .iter()
                        .map(elbv2::target_health_description)
                        .collect::<Vec<_>>()
                })
        },
        move |inv, health| {
            inv.target_health.insert(tg.into(), health);
        },
    )
}

fn lb_attributes_call(
    elbc: &aws_sdk_elasticloadbalancingv2::Client,
    region: &Arc<str>,
    lb: String,
) -> CallFuture {
    let client = elbc.clone();
    let arn = lb.clone();
    call(
        Kind::LoadBalancerAttributes,
        region,
        async move {
            client
                .describe_load_balancer_attributes()
                .load_balancer_arn(arn)
                .send()
                .await
                .map(|out| {
                    out.attributes()
                        .iter()
                        .map(elbv2::lb_attribute)
                        .collect::<Vec<_>>()
                })
        },
        move |inv, attrs| {
            inv.load_balancer_attributes.insert(lb.into(), attrs);
        },
    )
}

fn tg_attributes_call(
    elbc: &aws_sdk_elasticloadbalancingv2::Client,
    region: &Arc<str>,
    tg: String,
) -> CallFuture {
    let client = elbc.clone();
    let arn = tg.clone();
    call(
        Kind::TargetGroupAttributes,
        region,
        async move {
            client
                .describe_target_group_attributes()
                .target_group_arn(arn)
                .send()
                .await
                .map(|out| {
                    out.attributes()
                        .iter()
                        .map(elbv2::tg_attribute)
                        .collect::<Vec<_>>()
                })
        },
        move |inv, attrs| {
            inv.target_group_attributes.insert(tg.into(), attrs);
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_come_from_alb_dns_names_and_arns() {
        assert_eq!(
            region_of_alb("web-alb-123456.eu-west-1.elb.amazonaws.com").as_deref(),
            Some("eu-west-1")
        );
        assert_eq!(
            region_of_alb("internal-api-99.us-east-2.elb.amazonaws.com.").as_deref(),
            Some("us-east-2")
        );
        assert_eq!(
            region_of_alb("dualstack.web-1.ap-south-1.elb.amazonaws.com").as_deref(),
            Some("ap-south-1")
        );
        assert_eq!(
            region_of_alb("arn:aws:elasticloadbalancing:sa-east-1:111:loadbalancer/app/x/1")
                .as_deref(),
            Some("sa-east-1")
        );
        assert_eq!(region_of_alb("bucket.s3.amazonaws.com"), None);
        assert_eq!(region_of_alb("example.com"), None);
    }

    #[test]
    fn alb_names_come_from_dns_names() {
        assert_eq!(
            alb_name_from_dns("internal-web-alb-123.eu-west-1.elb.amazonaws.com").as_deref(),
            Some("web-alb")
        );
        assert_eq!(
            alb_name_from_dns("api-7.us-east-1.elb.amazonaws.com").as_deref(),
            Some("api")
        );
    }
}
