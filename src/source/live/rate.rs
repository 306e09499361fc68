//! Request rates AWS enforces per account and region that the in-flight bound alone would
//! exceed: CloudTrail `LookupEvents` answers **2 requests per second per account and region**
//! and throttles the rest (`ThrottlingException`) [doc: CloudTrail API reference, LookupEvents].
//!
//! A [`RateLimits`] holds one token bucket per (service, region), shared by every call of the
//! collection; each *request* (every page, every retry) takes a token first. The bucket holds
//! one token and refills every `interval`, so requests are spaced at least `interval` apart: with
//! a 2/s limit the interval is a little over 500 ms, so no second-long span sees three requests
//! even when one request leaves late. The SDK's own retries are switched off for rate-limited
//! clients (they would bypass the bucket); [`RateLimits::acquire`]'s caller retries instead.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// CloudTrail `LookupEvents`: 2 requests/s per account and region, with 20 ms of margin.
pub(super) const CLOUDTRAIL_INTERVAL: Duration = Duration::from_millis(520);

/// Token buckets by (service, region).
#[derive(Debug, Default)]
pub(super) struct RateLimits {
    next: Mutex<HashMap<(&'static str, String), Instant>>,
}

impl RateLimits {
    /// Waits until a request to `service` in `region` may leave, at most one per `interval`.
    pub(super) async fn acquire(&self, service: &'static str, region: &str, interval: Duration) {
        let at = {
            // A poisoned lock only means another task panicked while holding it: the map of
            // instants is still consistent (one insert), so keep going.
            let mut next = self
                .next
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let now = Instant::now();
            let slot = next.entry((service, region.to_owned())).or_insert(now);
            let at = (*slot).max(now);
            *slot = at + interval;
            at
        };
        tokio::time::sleep_until(at).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_of_one_region_are_spaced_and_other_regions_do_not_wait() {
        const STEP: Duration = Duration::from_millis(40);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let limits = std::sync::Arc::new(RateLimits::default());
            let start = Instant::now();
            let mut tasks = Vec::new();
            for region in [
                "us-east-1",
                "us-east-1",
                "us-east-1",
                "us-east-1",
                "eu-west-1",
            ] {
                let limits = std::sync::Arc::clone(&limits);
                tasks.push(tokio::spawn(async move {
                    limits.acquire("cloudtrail", region, STEP).await;
                    (region, Instant::now() - start)
                }));
            }
            let mut east = Vec::new();
            for t in tasks {
                let (region, at) = t.await.expect("task");
                if region == "eu-west-1" {
                    assert!(at < STEP, "{at:?}");
                } else {
                    east.push(at);
                }
            }
            east.sort();
            assert!(east[0] < STEP, "{east:?}");
            // Sleeps end late, never early: the k-th request leaves no sooner than k steps in.
            for (k, at) in (0u32..).zip(&east) {
                assert!(*at + Duration::from_millis(2) >= STEP * k, "{east:?}");
            }
        });
    }
}
