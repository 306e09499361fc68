//! The call runner: how one AWS call is made, bounded, timed out and turned into a piece of the
//! Inventory or a reason it is missing.
//!
//! Every call of a wave runs as its own task; one semaphore bounds the calls in flight over all
//! regions (AWS throttles per account and region; the SDK's retry — standard by default,
//! `AWS_RETRY_MODE=adaptive` / `AWS_MAX_ATTEMPTS` honoured — absorbs the rest). A call that
//! fails, times out or panics never aborts the collection: its kind goes to
//! [`Inventory::unavailable`] with the reason, region first. Which calls to make is decided in
//! [`super::calls`]; where, in [`super::scope`].
//!
//! The runner also counts what the run cost ([`CollectionStats`]): calls, the HTTP requests they
//! took (pages), the SDK's retries (seen by an interceptor on every client: one
//! `read_before_attempt` per attempt, one `read_before_execution` per request) and the calls
//! that failed in the end.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, SdkConfig};
use aws_sdk_ec2::config::http::HttpResponse;
use aws_sdk_ec2::config::interceptors::{
    BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
};
use aws_sdk_ec2::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_ec2::error::{ProvideErrorMetadata, SdkError};
use tokio::sync::Semaphore;
use tokio::task::JoinError;

use super::rate::RateLimits;
use crate::model::{Inventory, Kind};
use crate::source::CollectionStats;

/// Calls in flight at once, over all regions.
const MAX_IN_FLIGHT: usize = 16;
/// One operation (all its retries) gives up after this long; its kind becomes `unavailable`.
/// `EDGEPATH_CALL_TIMEOUT` (seconds) replaces it (the fault-injection tests use it).
const CALL_TIMEOUT: Duration = Duration::from_secs(60);
/// One attempt of an operation gives up after this long (then the SDK retries, within
/// the operation's timeout).
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);

/// One kind's result from one call: what it adds to the Inventory.
pub(super) type Piece = Box<dyn FnOnce(&mut Inventory) + Send>;
/// A call in flight: its piece, or the reason it failed as users read it.
pub(super) type CallFuture = Pin<Box<dyn Future<Output = Result<Piece, String>> + Send>>;

/// One AWS call (all its pages) to run: the kind it supplies, where, and the future itself.
pub(super) struct Call {
    kind: Kind,
    region: Arc<str>,
    /// What a person would run to make the same call (names a call that panicked).
    name: String,
    future: CallFuture,
}

impl Call {
    /// A call whose future builds its own piece (`call` covers the usual fetch-then-insert).
    pub(super) fn new(kind: Kind, region: &Arc<str>, name: String, future: CallFuture) -> Self {
        Self {
            kind,
            region: Arc::clone(region),
            name,
            future,
        }
    }
}

/// One AWS call: `fetch` sends it (every page) and converts the output off the Inventory's
/// lock; `apply` adds the result and the kind is marked loaded. A failed fetch marks the kind
/// unavailable with the reason instead.
pub(super) fn call<T, E, F>(
    kind: Kind,
    region: &Arc<str>,
    fetch: F,
    apply: impl FnOnce(&mut Inventory, T) + Send + 'static,
) -> Call
where
    F: Future<Output = Result<T, SdkError<E, HttpResponse>>> + Send + 'static,
    T: Send + 'static,
    E: ProvideErrorMetadata + std::error::Error + Send + 'static,
{
    let future = Box::pin(async move {
        let value = fetch.await.map_err(|e| reason(&e))?;
        Ok(Box::new(move |inv: &mut Inventory| {
            inv.loaded.insert(kind);
            apply(inv, value);
        }) as Piece)
    });
    Call::new(kind, region, kind.cli().to_owned(), future)
}

/// Shared by every call: the in-flight bound and the progress counters.
pub(super) struct Runner {
    permits: Semaphore,
    started: AtomicUsize,
    finished: AtomicUsize,
    failed: AtomicUsize,
    attempts: Arc<AttemptCounter>,
    /// Requests that waited for a rate limit ([`Runner::paced`]): CloudTrail's pages.
    paced: AtomicUsize,
    rates: RateLimits,
    bar: Option<indicatif::ProgressBar>,
}

/// HTTP requests and attempts seen by the SDK clients (an attempt past a request's first is a
/// retry: throttling, a 5xx, a timed-out attempt, a reset connection).
#[derive(Debug, Default)]
struct AttemptCounter {
    requests: AtomicUsize,
    attempts: AtomicUsize,
}

/// The interceptor every client of a collection carries (`config::Builder::interceptor`): it
/// only reads, never changes a request.
#[derive(Debug, Clone)]
pub(super) struct CountAttempts(Arc<AttemptCounter>);

impl Intercept for CountAttempts {
    fn name(&self) -> &'static str {
        "EdgepathCountAttempts"
    }

    fn read_before_execution(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _cfg: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self.0.requests.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self.0.attempts.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

impl Runner {
    /// A runner; `progress` shows calls in flight on stderr when stderr is a terminal.
    pub(super) fn new(progress: bool) -> Self {
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
            attempts: Arc::default(),
            paced: AtomicUsize::new(0),
            rates: RateLimits::default(),
            bar,
        }
    }

    /// The interceptor to put on every SDK client of this collection, so that
    /// [`Runner::stats`] counts its requests and retries.
    pub(super) fn attempt_counter(&self) -> CountAttempts {
        CountAttempts(Arc::clone(&self.attempts))
    }

    /// What the collection cost so far.
    pub(super) fn stats(&self) -> CollectionStats {
        let requests = self.attempts.requests.load(Ordering::Relaxed);
        let attempts = self.attempts.attempts.load(Ordering::Relaxed);
        CollectionStats {
            calls: self.calls_made(),
            requests,
            retries: attempts.saturating_sub(requests),
            failed: self.failed.load(Ordering::Relaxed),
        }
    }

    /// Waits for `service`'s rate limit in `region` (one request per `interval`), then counts
    /// the request on the progress line. Every request to a rate-limited API (each page, each
    /// retry) goes through here.
    pub(super) async fn paced(&self, service: &'static str, region: &str, interval: Duration) {
        self.rates.acquire(service, region, interval).await;
        self.paced.fetch_add(1, Ordering::Relaxed);
        self.tick();
    }

    fn tick(&self) {
        if let Some(bar) = &self.bar {
            let started = self.started.load(Ordering::Relaxed);
            let finished = self.finished.load(Ordering::Relaxed);
            let paced = self.paced.load(Ordering::Relaxed);
            let pages = if paced == 0 {
                String::new()
            } else {
                format!(", {paced} CloudTrail pages (2/s per region)")
            };
            bar.set_message(format!(
                "collecting: {} AWS calls in flight, {finished} done{pages}",
                started - finished
            ));
        }
    }

    /// Runs calls concurrently (bounded) and applies what they return to `inv`, in the order
    /// the calls were given. A call that panicked (a bug in a conversion) counts as failed: its
    /// kind becomes unavailable with a reason naming the call, and every other call still lands.
    pub(super) async fn run(self: &Arc<Self>, calls: Vec<Call>, inv: &mut Inventory) {
        let mut origins = Vec::with_capacity(calls.len());
        let mut tasks = Vec::with_capacity(calls.len());
        for call in calls {
            let runner = Arc::clone(self);
            let label = format!("`{}`", call.name);
            origins.push((call.kind, call.region));
            let future = call.future;
            tasks.push((label, async move {
                // The semaphore is never closed; without a permit the call would still be bounded
                // by the SDK's own connection pool.
                let _permit = runner.permits.acquire().await.ok();
                runner.started.fetch_add(1, Ordering::Relaxed);
                runner.tick();
                let result = future.await;
                runner.finished.fetch_add(1, Ordering::Relaxed);
                if result.is_err() {
                    runner.failed.fetch_add(1, Ordering::Relaxed);
                }
                runner.tick();
                result
            }));
        }
        for ((kind, region), joined) in origins.into_iter().zip(join_all(tasks).await) {
            match joined {
                Ok(Ok(piece)) => piece(inv),
                Ok(Err(reason)) => record_failure(inv, kind, &region, reason),
                Err(panicked) => {
                    self.finished.fetch_add(1, Ordering::Relaxed);
                    self.failed.fetch_add(1, Ordering::Relaxed);
                    record_failure(inv, kind, &region, panicked);
                }
            }
        }
    }

    /// Calls made so far (pages count once per call).
    pub(super) fn calls_made(&self) -> usize {
        self.finished.load(Ordering::Relaxed)
    }

    /// Whether calls were made and every one failed (usually: no credentials).
    pub(super) fn all_failed(&self) -> bool {
        let calls = self.calls_made();
        calls > 0 && self.failed.load(Ordering::Relaxed) == calls
    }

    /// Clears the progress line.
    pub(super) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Records why `kind` could not be collected in `region` (empty for CloudFront's global calls).
pub(super) fn record_failure(inv: &mut Inventory, kind: Kind, region: &str, reason: String) {
    let reason = if region.is_empty() {
        reason
    } else {
        format!("{region}: {reason}")
    };
    // Several calls of one kind may fail (per region, per parent): keep every distinct reason.
    let entry = inv.unavailable.entry(kind).or_default();
    if !entry.split("; ").any(|r| r == reason) {
        if !entry.is_empty() {
            entry.push_str("; ");
        }
        entry.push_str(&reason);
    }
}

/// Runs labelled tasks concurrently and returns every task's result in the order given. A task
/// that panicked gives `Err` with its label and the panic message; the others still run to the
/// end and are returned (never dropped because an earlier one panicked).
pub(super) async fn join_all<F, T>(tasks: Vec<(String, F)>) -> Vec<Result<T, String>>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let mut set = tokio::task::JoinSet::new();
    let mut labels = Vec::with_capacity(tasks.len());
    let mut index_of = HashMap::with_capacity(tasks.len());
    for (i, (label, task)) in tasks.into_iter().enumerate() {
        labels.push(label);
        let handle = set.spawn(async move { (i, task.await) });
        index_of.insert(handle.id(), i);
    }
    let mut results: Vec<Option<Result<T, String>>> = labels.iter().map(|_| None).collect();
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok((i, value)) => results[i] = Some(Ok(value)),
            Err(err) => {
                if let Some(&i) = index_of.get(&err.id()) {
                    results[i] = Some(Err(internal_error(&labels[i], err)));
                }
            }
        }
    }
    results
        .into_iter()
        .zip(&labels)
        .map(|(result, label)| {
            result.unwrap_or_else(|| Err(format!("internal error: {label} did not finish")))
        })
        .collect()
}

/// The reason shown for a task that panicked or was cancelled: a bug, so it asks for a report.
fn internal_error(label: &str, err: JoinError) -> String {
    if !err.is_panic() {
        return format!("internal error: {label} was cancelled");
    }
    let payload = err.into_panic();
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_owned());
    format!("internal error (please report): {label} panicked: {message}")
}

/// Turns an SDK error into the short reason users see: the AWS error code and message, or
/// what went wrong on the way (timeout, connection, a response without an AWS error).
pub(super) fn reason<E>(err: &SdkError<E, HttpResponse>) -> String
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
        SdkError::TimeoutError(_) => {
            let (attempt, total) = timeouts();
            if attempt < total {
                format!(
                    "timed out (no answer within {} s per attempt, {} s in all)",
                    attempt.as_secs(),
                    total.as_secs()
                )
            } else {
                format!("timed out (no answer within {} s)", total.as_secs())
            }
        }
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

/// Page size for paginated calls: the service maximum, unless `EDGEPATH_PAGE_SIZE` asks for
/// less (the moto tests use it to exercise pagination).
pub(super) fn page_size(max: i32) -> i32 {
    std::env::var("EDGEPATH_PAGE_SIZE")
        .ok()
        .and_then(|s| s.parse::<i32>().ok())
        .filter(|n| *n > 0)
        .map_or(max, |n| n.min(max))
}

/// The per-attempt and per-operation timeouts: [`ATTEMPT_TIMEOUT`] and [`CALL_TIMEOUT`], or
/// `EDGEPATH_CALL_TIMEOUT` seconds for the operation (and at most that for an attempt).
fn timeouts() -> (Duration, Duration) {
    let total = std::env::var("EDGEPATH_CALL_TIMEOUT")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|n| *n > 0)
        .map_or(CALL_TIMEOUT, Duration::from_secs);
    (ATTEMPT_TIMEOUT.min(total), total)
}

/// The shared configuration: one credential chain (environment, `--profile`, SSO, web identity,
/// IMDS) for every client, timeouts per attempt and per operation (retries included); clients
/// set their own region from it.
pub(super) async fn sdk_config(profile: Option<&str>) -> SdkConfig {
    let (attempt, total) = timeouts();
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).timeout_config(
        TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(5))
            .operation_attempt_timeout(attempt)
            .operation_timeout(total)
            .build(),
    );
    if let Some(p) = profile {
        loader = loader.profile_name(p);
    }
    loader.load().await
}

#[cfg(test)]
mod tests {
    use super::*;

    type Task = Pin<Box<dyn Future<Output = u32> + Send>>;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime")
    }

    #[test]
    fn a_panicked_task_is_reported_by_name_and_the_others_still_land() {
        let results = runtime().block_on(async {
            let tasks: Vec<(String, Task)> = vec![
                ("first".to_owned(), Box::pin(async { 1 })),
                (
                    "`aws ec2 describe-vpcs`".to_owned(),
                    Box::pin(async { panic!("conversion bug") }),
                ),
                (
                    "third".to_owned(),
                    Box::pin(async {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        3
                    }),
                ),
            ];
            join_all(tasks).await
        });
        assert_eq!(results.len(), 3);
        assert_eq!(results[0], Ok(1));
        assert_eq!(
            results[1],
            Err(
                "internal error (please report): `aws ec2 describe-vpcs` panicked: conversion bug"
                    .to_owned()
            )
        );
        assert_eq!(results[2], Ok(3));
    }

    #[test]
    fn a_panicked_call_makes_its_kind_unavailable_and_the_rest_loads() {
        let region: Arc<str> = Arc::from("eu-west-1");
        let ok = Call::new(
            Kind::Vpcs,
            &region,
            "aws ec2 describe-vpcs".to_owned(),
            Box::pin(async {
                Ok(Box::new(|inv: &mut Inventory| {
                    inv.loaded.insert(Kind::Vpcs);
                }) as Piece)
            }),
        );
        let panics = Call::new(
            Kind::Subnets,
            &region,
            "aws ec2 describe-subnets".to_owned(),
            Box::pin(async { panic!("index out of bounds") }),
        );
        let runner = Arc::new(Runner::new(false));
        let mut inv = Inventory::default();
        runtime().block_on(runner.run(vec![panics, ok], &mut inv));
        assert!(inv.has(Kind::Vpcs));
        assert!(!inv.has(Kind::Subnets));
        assert_eq!(
            inv.unavailable.get(&Kind::Subnets).map(String::as_str),
            Some(
                "eu-west-1: internal error (please report): `aws ec2 describe-subnets` panicked: index out of bounds"
            )
        );
        assert_eq!(runner.calls_made(), 2);
        assert!(!runner.all_failed());
    }
}
