//! CloudWatch series → `metric_window` facts: per distribution and per application load
//! balancer, the errors per minute, their onset, a signature and whether they are still
//! happening. What the access logs would say, from data that is minutes old instead of up to an
//! hour (standard CloudFront logs arrive late).
//!
//! Count metrics (`HTTPCode_*`, `TargetConnectionErrorCount`, …) have no datapoint in a minute
//! without anything to count, so a missing minute is 0, never "unknown", once the series was
//! loaded. The minute grid runs from the first to the last datapoint of any of the resource's
//! series (the window as far as CloudWatch filled it).
//!
//! The onset is the first minute at or above a fifth of the peak (background 5xx of a few a
//! minute do not move it), "recent" the last 5 minutes of the grid, "at onset" the 5 minutes
//! from the onset. The signatures are the (#15): `HTTPCode_ELB_504_Count` with
//! `TargetConnectionErrorCount` ⇒ the ALB cannot reach its targets; CloudFront 5xx while
//! every load balancer behind it measured none ⇒ CloudFront cannot reach the ALB.

use std::collections::{BTreeMap, BTreeSet};

use crate::facts::{HopFact, MetricWindowFact};
use crate::model::metrics::{
    ALB_NAMESPACE, CLOUDFRONT_NAMESPACE, SeriesKey, alb_dimension, format_timestamp,
};
use crate::model::{Inventory, Kind};

/// Minutes at the end of the window that say whether errors are still happening.
const RECENT_MINUTES: usize = 5;
/// The last minutes above this multiple of the onset's rate are "still rising".
const RISING: f64 = 1.5;

/// One resource's errors per minute over its grid, for the report's sparkline and the facts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ErrorMinutes {
    /// First minute of the grid (seconds since the epoch).
    pub start: i64,
    /// Errors in each minute from `start`.
    pub per_minute: Vec<f64>,
}

impl ErrorMinutes {
    fn total(&self) -> f64 {
        self.per_minute.iter().sum()
    }

    /// Index of the onset minute: the first at or above a fifth of the peak.
    fn onset(&self) -> Option<usize> {
        let peak = self.per_minute.iter().copied().fold(0.0, f64::max);
        if peak <= 0.0 {
            return None;
        }
        self.per_minute.iter().position(|v| *v >= peak / 5.0)
    }

    fn mean(values: &[f64]) -> f64 {
        if values.is_empty() {
            0.0
        } else {
            values.iter().sum::<f64>() / values.len() as f64
        }
    }
}

/// The `metric_window` facts of the Inventory's CloudWatch series (none when `get-metric-data`
/// was not loaded). `hops` relate distributions to the load balancers their paths reach.
#[must_use]
pub fn metric_facts(inv: &Inventory, hops: &[&HopFact]) -> Vec<MetricWindowFact> {
    if !inv.has(Kind::MetricData) || inv.metric_series.is_empty() {
        return Vec::new();
    }
    let mut dist_albs: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for h in hops {
        if !h.alb_arn.is_empty() {
            dist_albs
                .entry(h.distribution.as_str())
                .or_default()
                .insert(h.alb_arn.as_str());
        }
    }
    let mut out: Vec<MetricWindowFact> = Vec::new();
    for lb in inv.load_balancers.values() {
        let Some(dim) = alb_dimension(lb.load_balancer_arn.as_str()) else {
            continue;
        };
        let series = Series::of(inv, ALB_NAMESPACE, "LoadBalancer", dim);
        if series.is_empty() {
            continue;
        }
        let mut f = alb_fact(&series);
        f.resource.clone_from(&lb.load_balancer_name);
        f.alb_arn = lb.load_balancer_arn.to_string();
        f.related = dist_albs
            .iter()
            .filter(|(_, albs)| albs.contains(f.alb_arn.as_str()))
            .map(|(d, _)| (*d).to_owned())
            .collect();
        out.push(f);
    }
    for id in inv.distributions.keys() {
        let series = Series::of(inv, CLOUDFRONT_NAMESPACE, "DistributionId", id.as_str());
        if series.is_empty() {
            continue;
        }
        let albs = dist_albs.get(id.as_str()).cloned().unwrap_or_default();
        let behind: Vec<&MetricWindowFact> = out
            .iter()
            .filter(|f| f.source == "alb" && albs.contains(f.alb_arn.as_str()))
            .collect();
        let mut f = cloudfront_fact(&series, &behind, albs.len());
        f.resource = id.to_string();
        f.related = behind.iter().map(|b| b.resource.clone()).collect();
        out.push(f);
    }
    out
}

/// The series of one resource by metric name (an ALB's include its target groups').
struct Series<'a> {
    by_metric: Vec<(&'a SeriesKey, &'a BTreeMap<i64, f64>)>,
}

impl<'a> Series<'a> {
    fn of(inv: &'a Inventory, namespace: &str, dim: &str, value: &str) -> Self {
        let by_metric = inv
            .metric_series
            .iter()
            .filter(|(k, _)| k.namespace == namespace && k.dimension(dim) == Some(value))
            .map(|(k, s)| (k, &s.points))
            .collect();
        Self { by_metric }
    }

    fn is_empty(&self) -> bool {
        self.by_metric.is_empty()
    }

    fn get<'s>(&'s self, metric: &'s str) -> impl Iterator<Item = &'a BTreeMap<i64, f64>> + 's {
        self.by_metric
            .iter()
            .filter(move |(k, _)| k.metric_name == metric)
            .map(|(_, p)| *p)
    }

    /// Whether `metric` was asked for (loaded, possibly without datapoints).
    fn has(&self, metric: &str) -> bool {
        self.get(metric).next().is_some()
    }

    fn sum(&self, metric: &str) -> i64 {
        if !self.has(metric) {
            return -1;
        }
        // Counts are whole numbers; the float sum rounds to the nearest.
        self.get(metric)
            .flat_map(|p| p.values())
            .sum::<f64>()
            .round() as i64
    }

    fn max(&self, metric: &str) -> f64 {
        // -1 without any datapoint (the values themselves are never negative).
        self.get(metric)
            .flat_map(|p| p.values().copied())
            .fold(-1.0, f64::max)
    }

    fn min_int(&self, metric: &str) -> i64 {
        self.get(metric)
            .flat_map(|p| p.values().copied())
            .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.min(v))))
            .map_or(-1, |v| v.round() as i64)
    }

    /// First and last minute with any datapoint.
    fn span(&self) -> Option<(i64, i64)> {
        let times = self.by_metric.iter().flat_map(|(_, p)| p.keys().copied());
        let (lo, hi) = times.fold((i64::MAX, i64::MIN), |(lo, hi), t| (lo.min(t), hi.max(t)));
        (lo <= hi).then_some((lo, hi))
    }

    /// Per-minute sum of `metrics` over the span (a missing minute is 0).
    fn per_minute(&self, metrics: &[&str], weight: Option<&str>) -> ErrorMinutes {
        let Some((lo, hi)) = self.span() else {
            return ErrorMinutes::default();
        };
        let minutes = usize::try_from((hi - lo) / 60 + 1).unwrap_or(0);
        let mut per_minute = vec![0.0; minutes];
        for m in metrics {
            for points in self.get(m) {
                for (t, v) in points {
                    let i = usize::try_from((t - lo) / 60).unwrap_or(0);
                    let w = weight
                        .and_then(|w| self.get(w).find_map(|p| p.get(t).copied()))
                        .map_or(1.0, |requests| requests / 100.0);
                    if let Some(slot) = per_minute.get_mut(i) {
                        *slot += v * w;
                    }
                }
            }
        }
        ErrorMinutes {
            start: lo,
            per_minute,
        }
    }
}

/// The ALB's 5xx per minute (ELB-generated and the targets').
const ALB_ERRORS: &[&str] = &[
    "HTTPCode_ELB_502_Count",
    "HTTPCode_ELB_503_Count",
    "HTTPCode_ELB_504_Count",
    "HTTPCode_Target_5XX_Count",
];

/// The errors per minute of one resource's metrics, as the report's sparkline shows them.
#[must_use]
pub fn error_minutes(inv: &Inventory, fact: &MetricWindowFact) -> ErrorMinutes {
    match fact.source.as_str() {
        "alb" => alb_dimension(&fact.alb_arn)
            .map(|d| Series::of(inv, ALB_NAMESPACE, "LoadBalancer", d).per_minute(ALB_ERRORS, None))
            .unwrap_or_default(),
        _ => Series::of(inv, CLOUDFRONT_NAMESPACE, "DistributionId", &fact.resource)
            .per_minute(&["5xxErrorRate"], Some("Requests")),
    }
}

fn alb_fact(s: &Series<'_>) -> MetricWindowFact {
    let mut f = MetricWindowFact {
        source: "alb".to_owned(),
        requests: s.sum("RequestCount"),
        elb_502: s.sum("HTTPCode_ELB_502_Count"),
        elb_503: s.sum("HTTPCode_ELB_503_Count"),
        elb_504: s.sum("HTTPCode_ELB_504_Count"),
        target_5xx: s.sum("HTTPCode_Target_5XX_Count"),
        target_connection_errors: s.sum("TargetConnectionErrorCount"),
        rejected_connections: s.sum("RejectedConnectionCount"),
        target_tls_errors: s.sum("TargetTLSNegotiationErrorCount"),
        target_response_time_p99_max: s.max("TargetResponseTime"),
        unhealthy_hosts_max: s
            .get("UnHealthyHostCount")
            .flat_map(|p| p.values())
            .fold(if s.has("UnHealthyHostCount") { 0 } else { -1 }, |m, v| {
                m.max(v.round() as i64)
            }),
        healthy_hosts_min: s.min_int("HealthyHostCount"),
        error_rate_5xx_max: -1.0,
        error_rate_504_max: -1.0,
        error_rate_502_max: -1.0,
        origin_latency_p99_max_ms: -1.0,
        errors_5xx: -1,
        ..MetricWindowFact::default()
    };
    if ALB_ERRORS.iter().any(|m| s.has(m)) {
        f.errors_5xx = ALB_ERRORS.iter().map(|m| s.sum(m).max(0)).sum();
    }
    let minutes = s.per_minute(ALB_ERRORS, None);
    timing(&mut f, s, &minutes);
    f.signature = if f.errors_5xx <= 0 && f.rejected_connections <= 0 {
        String::new()
    } else if f.elb_504 > 0 && f.target_connection_errors > 0 {
        "alb-cannot-reach-targets".to_owned()
    } else if f.rejected_connections > 0 {
        "alb-rejected-connections".to_owned()
    } else if f.target_tls_errors > 0 && f.elb_502 > 0 {
        "target-tls-negotiation".to_owned()
    } else if f.target_5xx > 0 && f.target_5xx >= f.errors_5xx - f.target_5xx {
        "targets-return-5xx".to_owned()
    } else {
        "alb-5xx".to_owned()
    };
    f
}

fn cloudfront_fact(s: &Series<'_>, behind: &[&MetricWindowFact], albs: usize) -> MetricWindowFact {
    let requests = s.sum("Requests");
    let has_504 = s.get("504ErrorRate").any(|p| !p.is_empty());
    let mut f = MetricWindowFact {
        source: "cloudfront".to_owned(),
        requests,
        error_rate_5xx_max: s.max("5xxErrorRate"),
        error_rate_504_max: s.max("504ErrorRate"),
        error_rate_502_max: s.max("502ErrorRate"),
        origin_latency_p99_max_ms: s.max("OriginLatency"),
        additional_metrics: if has_504 {
            "true".to_owned()
        } else if requests > 0 {
            "false".to_owned()
        } else {
            String::new()
        },
        elb_502: -1,
        elb_503: -1,
        elb_504: -1,
        target_5xx: -1,
        target_connection_errors: -1,
        rejected_connections: -1,
        target_tls_errors: -1,
        target_response_time_p99_max: -1.0,
        unhealthy_hosts_max: -1,
        healthy_hosts_min: -1,
        errors_5xx: -1,
        ..MetricWindowFact::default()
    };
    let minutes = s.per_minute(&["5xxErrorRate"], Some("Requests"));
    if s.has("5xxErrorRate") {
        f.errors_5xx = minutes.total().round() as i64;
    }
    timing(&mut f, s, &minutes);
    let has_errors = f.errors_5xx > 0 || f.error_rate_5xx_max > 0.0;
    f.signature = if !has_errors {
        String::new()
    } else if albs == 0 || behind.len() < albs || behind.iter().any(|b| b.errors_5xx < 0) {
        "cloudfront-5xx".to_owned()
    } else if behind.iter().all(|b| b.errors_5xx == 0) {
        "cloudfront-cannot-reach-alb".to_owned()
    } else {
        "alb-errors".to_owned()
    };
    f
}

/// Window, onset, last error, rates at onset and now, and the trend.
fn timing(f: &mut MetricWindowFact, s: &Series<'_>, m: &ErrorMinutes) {
    if let Some((lo, hi)) = s.span() {
        f.window_start = format_timestamp(lo);
        f.window_end = format_timestamp(hi);
        f.minutes = (hi - lo) / 60 + 1;
    }
    let Some(onset) = m.onset() else {
        return;
    };
    let minute = |i: usize| format_timestamp(m.start + 60 * i64::try_from(i).unwrap_or(0));
    f.onset = minute(onset);
    if let Some(last) = m.per_minute.iter().rposition(|v| *v > 0.0) {
        f.last_error = minute(last);
    }
    let n = m.per_minute.len();
    let at_onset = &m.per_minute[onset..(onset + RECENT_MINUTES).min(n)];
    let recent = &m.per_minute[n.saturating_sub(RECENT_MINUTES)..];
    f.onset_per_minute = ErrorMinutes::mean(at_onset);
    f.recent_per_minute = ErrorMinutes::mean(recent);
    f.trend = if recent.iter().all(|v| *v <= 0.0) {
        "errors-stopped"
    } else if onset + RECENT_MINUTES < n && f.recent_per_minute > RISING * f.onset_per_minute {
        "still-rising"
    } else {
        "errors-ongoing"
    }
    .to_owned();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::metrics::{Dimension, MetricSeries};

    const T0: i64 = 1_795_680_000;

    fn put(
        inv: &mut Inventory,
        ns: &str,
        dims: &[(&str, &str)],
        metric: &str,
        points: &[(i64, f64)],
    ) {
        let mut dimensions: Vec<Dimension> = dims
            .iter()
            .map(|(n, v)| Dimension {
                name: (*n).to_owned(),
                value: (*v).to_owned(),
            })
            .collect();
        dimensions.sort();
        let key = SeriesKey {
            namespace: ns.to_owned(),
            metric_name: metric.to_owned(),
            dimensions,
            stat: "Sum".to_owned(),
            period: 60,
        };
        inv.metric_series.insert(
            key,
            MetricSeries {
                points: points.iter().map(|(m, v)| (T0 + 60 * m, *v)).collect(),
            },
        );
        inv.loaded.insert(Kind::MetricData);
    }

    const ARN: &str = "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web-alb/1";

    fn alb_inventory() -> Inventory {
        let mut inv = Inventory::default();
        let lb: crate::model::elbv2::LoadBalancer = serde_json::from_value(serde_json::json!({
            "LoadBalancerArn": ARN, "LoadBalancerName": "web-alb", "DNSName": "web"
        }))
        .expect("load balancer");
        inv.load_balancers.insert(lb.load_balancer_arn.clone(), lb);
        let lb = [("LoadBalancer", "app/web-alb/1")];
        let requests: Vec<(i64, f64)> = (0..30).map(|m| (m, 100.0)).collect();
        put(&mut inv, ALB_NAMESPACE, &lb, "RequestCount", &requests);
        inv
    }

    #[test]
    fn elb_504_with_connection_errors_means_the_alb_cannot_reach_its_targets() {
        let mut inv = alb_inventory();
        let lb = [("LoadBalancer", "app/web-alb/1")];
        let errs: Vec<(i64, f64)> = (10..30).map(|m| (m, 40.0)).collect();
        put(
            &mut inv,
            ALB_NAMESPACE,
            &lb,
            "HTTPCode_ELB_504_Count",
            &errs,
        );
        put(
            &mut inv,
            ALB_NAMESPACE,
            &lb,
            "TargetConnectionErrorCount",
            &errs,
        );
        put(
            &mut inv,
            ALB_NAMESPACE,
            &lb,
            "HTTPCode_ELB_502_Count",
            &[(2, 1.0)],
        );
        let facts = metric_facts(&inv, &[]);
        assert_eq!(facts.len(), 1);
        let f = &facts[0];
        assert_eq!(f.signature, "alb-cannot-reach-targets");
        assert_eq!(
            f.onset,
            format_timestamp(T0 + 600),
            "one stray 502 is not the onset"
        );
        assert_eq!(f.trend, "errors-ongoing");
        assert_eq!(f.elb_504, 800);
        assert_eq!(f.rejected_connections, -1, "not measured is -1, never 0");
        assert_eq!(f.errors_5xx, 801);
    }

    #[test]
    fn errors_that_ended_are_stopped_and_growing_ones_still_rising() {
        let mut inv = alb_inventory();
        let lb = [("LoadBalancer", "app/web-alb/1")];
        put(
            &mut inv,
            ALB_NAMESPACE,
            &lb,
            "HTTPCode_ELB_504_Count",
            &[(10, 30.0), (11, 30.0), (12, 30.0)],
        );
        assert_eq!(metric_facts(&inv, &[])[0].trend, "errors-stopped");
        let rising: Vec<(i64, f64)> = (10..30)
            .map(|m| (m, f64::from(u8::try_from(m).unwrap()) * 10.0))
            .collect();
        put(
            &mut inv,
            ALB_NAMESPACE,
            &lb,
            "HTTPCode_ELB_504_Count",
            &rising,
        );
        assert_eq!(metric_facts(&inv, &[])[0].trend, "still-rising");
    }

    #[test]
    fn cloudfront_5xx_with_a_quiet_alb_means_cloudfront_cannot_reach_it() {
        let mut inv = alb_inventory();
        let lb = [("LoadBalancer", "app/web-alb/1")];
        put(&mut inv, ALB_NAMESPACE, &lb, "HTTPCode_ELB_504_Count", &[]);
        let d: crate::model::cloudfront::Distribution = serde_json::from_value(serde_json::json!({
            "Id": "E1", "Enabled": true, "Origins": {"Quantity": 0, "Items": []}
        }))
        .expect("distribution");
        inv.distributions.insert(d.id.clone(), d);
        let cf = [("DistributionId", "E1"), ("Region", "Global")];
        let requests: Vec<(i64, f64)> = (0..30).map(|m| (m, 200.0)).collect();
        let rate: Vec<(i64, f64)> = (0..30)
            .map(|m| (m, if m >= 20 { 50.0 } else { 0.0 }))
            .collect();
        put(&mut inv, CLOUDFRONT_NAMESPACE, &cf, "Requests", &requests);
        put(&mut inv, CLOUDFRONT_NAMESPACE, &cf, "5xxErrorRate", &rate);
        put(&mut inv, CLOUDFRONT_NAMESPACE, &cf, "504ErrorRate", &[]);
        let hop = HopFact {
            distribution: "E1".to_owned(),
            alb_arn: ARN.to_owned(),
            ..HopFact::default()
        };
        let facts = metric_facts(&inv, &[&hop]);
        let f = facts
            .iter()
            .find(|f| f.source == "cloudfront")
            .expect("cloudfront fact");
        assert_eq!(f.signature, "cloudfront-cannot-reach-alb");
        assert_eq!(f.errors_5xx, 1000);
        assert_eq!(f.onset, format_timestamp(T0 + 20 * 60));
        assert_eq!(f.additional_metrics, "false");
        assert_eq!(f.related, vec!["web-alb".to_owned()]);
    }

    #[test]
    fn no_metric_data_gives_no_facts() {
        assert!(metric_facts(&Inventory::default(), &[]).is_empty());
    }
}
