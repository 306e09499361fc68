//! CloudWatch `GetMetricData` over the timeline window, at 1-minute resolution: what the paths'
//! distributions and load balancers measured, so the onset and "is it still happening" need no
//! logs (standard CloudFront logs arrive minutes to an hour late).
//!
//! - CloudFront (`AWS/CloudFront`, answered in `us-east-1`, dimensions `DistributionId` and
//!   `Region=Global`): `Requests`, `5xxErrorRate`, and `504ErrorRate`, `502ErrorRate`,
//!   `OriginLatency` (p99), which exist only when the distribution has additional metrics enabled
//!   (the evaluator says so when they come back empty while `Requests` has data).
//! - ALB (`AWS/ApplicationELB`, the ALB's region, `LoadBalancer=app/NAME/ID`):
//!   `HTTPCode_ELB_502/503/504_Count`, `HTTPCode_Target_5XX_Count`,
//!   `TargetConnectionErrorCount`, `RejectedConnectionCount`, `TargetTLSNegotiationErrorCount`,
//!   `RequestCount` (sums), `TargetResponseTime` (p99); per target group (`TargetGroup` +
//!   `LoadBalancer`): `UnHealthyHostCount` (maximum), `HealthyHostCount` (minimum).
//!
//! One request carries at most 500 queries and 100,800 datapoints, so queries are batched by
//! the window's length; pages (`NextToken`) merge into the same series. 1-minute data is kept 15
//! days: a longer window asks for 5-minute (63 days) or hourly points.

use std::collections::HashMap;
use std::sync::Arc;

use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat};

use super::super::convert::cloudwatch::results;
use super::super::runner::{Call, call};
use crate::model::metrics::{
    ALB_NAMESPACE, CLOUDFRONT_NAMESPACE, Dimension as Dim, MetricSeries, SeriesKey, alb_dimension,
    target_group_dimension,
};
use crate::model::{Inventory, Kind, TimeWindow};

/// CloudFront metrics: (name, statistic).
const CLOUDFRONT_METRICS: &[(&str, &str)] = &[
    ("Requests", "Sum"),
    ("5xxErrorRate", "Average"),
    ("504ErrorRate", "Average"),
    ("502ErrorRate", "Average"),
    ("OriginLatency", "p99"),
];
/// ALB metrics: (name, statistic).
const ALB_METRICS: &[(&str, &str)] = &[
    ("RequestCount", "Sum"),
    ("HTTPCode_ELB_502_Count", "Sum"),
    ("HTTPCode_ELB_503_Count", "Sum"),
    ("HTTPCode_ELB_504_Count", "Sum"),
    ("HTTPCode_Target_5XX_Count", "Sum"),
    ("TargetConnectionErrorCount", "Sum"),
    ("RejectedConnectionCount", "Sum"),
    ("TargetTLSNegotiationErrorCount", "Sum"),
    ("TargetResponseTime", "p99"),
];
/// Target-group metrics: (name, statistic).
const TARGET_GROUP_METRICS: &[(&str, &str)] = &[
    ("UnHealthyHostCount", "Maximum"),
    ("HealthyHostCount", "Minimum"),
];
/// Per request: at most this many queries and datapoints.
const MAX_QUERIES: usize = 500;
const MAX_DATAPOINTS: i64 = 100_800;

/// The period for a window: 60 s while CloudWatch keeps 1-minute points (15 days).
#[must_use]
pub(crate) fn period_for(window: &TimeWindow) -> i64 {
    match window.span().num_days() {
        0..15 => 60,
        15..63 => 300,
        _ => 3600,
    }
}

fn key(namespace: &str, metric: &str, stat: &str, dims: Vec<Dim>, period: i64) -> SeriesKey {
    let mut dimensions = dims;
    dimensions.sort();
    SeriesKey {
        namespace: namespace.to_owned(),
        metric_name: metric.to_owned(),
        dimensions,
        stat: stat.to_owned(),
        period,
    }
}

fn dim(name: &str, value: &str) -> Dim {
    Dim {
        name: name.to_owned(),
        value: value.to_owned(),
    }
}

/// The CloudFront series of the collected distributions.
#[must_use]
pub(crate) fn cloudfront_series(inv: &Inventory, period: i64) -> Vec<SeriesKey> {
    inv.distributions
        .keys()
        .flat_map(|id| {
            CLOUDFRONT_METRICS.iter().map(move |(m, s)| {
                let dims = vec![dim("DistributionId", id.as_str()), dim("Region", "Global")];
                key(CLOUDFRONT_NAMESPACE, m, s, dims, period)
            })
        })
        .collect()
}

/// The ALB and target-group series of the application load balancers in `region`.
#[must_use]
pub(crate) fn alb_series(inv: &Inventory, region: &str, period: i64) -> Vec<SeriesKey> {
    let mut out = Vec::new();
    for lb in inv.load_balancers.values() {
        let arn = lb.load_balancer_arn.as_str();
        if lb.kind.as_deref().is_some_and(|k| k != "application")
            || crate::source::live::region_of_alb(arn).as_deref() != Some(region)
        {
            continue;
        }
        let Some(lb_dim) = alb_dimension(arn) else {
            continue;
        };
        for (m, s) in ALB_METRICS {
            out.push(key(
                ALB_NAMESPACE,
                m,
                s,
                vec![dim("LoadBalancer", lb_dim)],
                period,
            ));
        }
        for tg in inv
            .target_groups
            .values()
            .filter(|tg| tg.load_balancer_arns.contains(&lb.load_balancer_arn))
        {
            let Some(tg_dim) = target_group_dimension(tg.target_group_arn.as_str()) else {
                continue;
            };
            for (m, s) in TARGET_GROUP_METRICS {
                let dims = vec![dim("TargetGroup", tg_dim), dim("LoadBalancer", lb_dim)];
                out.push(key(ALB_NAMESPACE, m, s, dims, period));
            }
        }
    }
    out
}

/// `GetMetricData` calls for `series` over `window`, batched to the request limits.
pub(crate) fn metric_calls(
    client: &aws_sdk_cloudwatch::Client,
    region: &Arc<str>,
    series: Vec<SeriesKey>,
    window: TimeWindow,
) -> Vec<Call> {
    if series.is_empty() {
        return Vec::new();
    }
    let period = series[0].period.max(1);
    let points = (window.span().num_seconds() / period).max(1);
    let per_request = usize::try_from(MAX_DATAPOINTS / points)
        .unwrap_or(1)
        .clamp(1, MAX_QUERIES);
    series
        .chunks(per_request)
        .map(|batch| batch_call(client, region, batch.to_vec(), window))
        .collect()
}

fn batch_call(
    client: &aws_sdk_cloudwatch::Client,
    region: &Arc<str>,
    batch: Vec<SeriesKey>,
    window: TimeWindow,
) -> Call {
    let client = client.clone();
    let keys: HashMap<String, SeriesKey> = batch
        .into_iter()
        .enumerate()
        .map(|(i, k)| (format!("m{i}"), k))
        .collect();
    let fetch = async move {
        let queries: Vec<MetricDataQuery> = keys.iter().map(|(id, k)| query(id, k)).collect();
        let mut series: Vec<(SeriesKey, MetricSeries)> = keys
            .values()
            .map(|k| (k.clone(), MetricSeries::default()))
            .collect();
        let mut token: Option<String> = None;
        loop {
            let sent = client
                .get_metric_data()
                .set_metric_data_queries(Some(queries.clone()))
                .start_time(aws_smithy_types::DateTime::from_secs(
                    window.from.timestamp(),
                ))
                .end_time(aws_smithy_types::DateTime::from_secs(window.to.timestamp()))
                .set_next_token(token.take())
                .send()
                .await;
            let page = match sent {
                Ok(page) => page,
                Err(e) => return Err(e),
            };
            series.extend(results(&keys, page.metric_data_results()));
            match page.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_owned()),
                _ => break,
            }
        }
        Ok(series)
    };
    call(Kind::MetricData, region, fetch, |inv, series| {
        for (k, s) in series {
            inv.metric_series
                .entry(k)
                .or_default()
                .points
                .extend(s.points);
        }
    })
}

fn query(id: &str, k: &SeriesKey) -> MetricDataQuery {
    let metric = Metric::builder()
        .namespace(&k.namespace)
        .metric_name(&k.metric_name)
        .set_dimensions(Some(
            k.dimensions
                .iter()
                .map(|d| Dimension::builder().name(&d.name).value(&d.value).build())
                .collect(),
        ))
        .build();
    MetricDataQuery::builder()
        .id(id)
        .metric_stat(
            MetricStat::builder()
                .metric(metric)
                .period(i32::try_from(k.period).unwrap_or(60))
                .stat(&k.stat)
                .build(),
        )
        .return_data(true)
        .build()
}

/// The client for `region` (CloudFront's metrics: `us-east-1`).
pub(crate) fn client(
    conf: &aws_config::SdkConfig,
    region: &str,
    counter: &crate::source::live::runner::CountAttempts,
) -> aws_sdk_cloudwatch::Client {
    aws_sdk_cloudwatch::Client::from_conf(
        aws_sdk_cloudwatch::config::Builder::from(conf)
            .region(aws_config::Region::new(region.to_owned()))
            .interceptor(counter.clone())
            .build(),
    )
}
