//! CloudWatch metric data: the output of `aws cloudwatch get-metric-data` with the queries that
//! asked for it, as series the evaluators can read by namespace, metric, dimensions and statistic.
//!
//! `GetMetricData`'s results only carry the query `Id` they answer, so a snapshot file keeps
//! the queries beside the results under one extra top-level key (`MetricDataQueries`, the
//! shape `--metric-data-queries` takes), as `TargetGroupArn` sits beside
//! `TargetHealthDescriptions`. A result whose query is absent cannot be attributed and is
//! skipped with a warning. Series are keyed by what was measured, so pages and overlapping files
//! merge point by point (by minute).
//!
//! Timestamps are kept as seconds since the Unix epoch (UTC), one per 1-minute datapoint; AWS CLI
//! prints them as ISO 8601 with an offset (`2026-11-26T08:02:00+00:00`), the SDK as `DateTime`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The CloudWatch namespace of CloudFront's distribution metrics (read in `us-east-1`,
/// dimension `Region=Global`).
pub const CLOUDFRONT_NAMESPACE: &str = "AWS/CloudFront";
/// The CloudWatch namespace of application load balancer metrics.
pub const ALB_NAMESPACE: &str = "AWS/ApplicationELB";

/// One dimension of a metric (`LoadBalancer` = `app/web-alb/50dc6c495c0c9188`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Dimension {
    /// `DistributionId`, `Region`, `LoadBalancer`, `TargetGroup`, `AvailabilityZone`.
    pub name: String,
    /// Its value.
    pub value: String,
}

/// `MetricStat.Metric` of a query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Metric {
    /// `AWS/CloudFront`, `AWS/ApplicationELB`.
    pub namespace: String,
    /// `HTTPCode_ELB_504_Count`, …
    pub metric_name: String,
    /// Dimensions (order as given; compared sorted).
    #[serde(default)]
    pub dimensions: Vec<Dimension>,
}

/// `MetricStat` of a query: the metric, the period in seconds and the statistic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MetricStat {
    /// The metric.
    pub metric: Metric,
    /// Period in seconds (60 for 1-minute resolution).
    pub period: i64,
    /// `Sum`, `Average`, `Maximum`, `Minimum`, `p99`, …
    pub stat: String,
}

/// One element of `--metric-data-queries` (`MetricDataQueries` in a snapshot file). Math
/// expressions are not read: only `MetricStat` queries name what was measured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MetricDataQuery {
    /// The id results refer to (`m0`, …).
    pub id: String,
    /// The metric asked for; `None` for an expression (skipped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_stat: Option<MetricStat>,
    /// A metric-math expression (not evaluated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    /// A label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// One element of `MetricDataResults`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MetricDataResult {
    /// The query it answers.
    pub id: String,
    /// CloudWatch's label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// ISO 8601 times, newest first by default.
    #[serde(default)]
    pub timestamps: Vec<String>,
    /// One value per timestamp.
    #[serde(default)]
    pub values: Vec<f64>,
    /// `Complete`, `PartialData` (more pages), `InternalError`, `Forbidden`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<String>,
}

/// What one series measures: namespace, metric, sorted dimensions, statistic and period.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SeriesKey {
    /// Namespace.
    pub namespace: String,
    /// Metric name.
    pub metric_name: String,
    /// Dimensions, sorted by name.
    pub dimensions: Vec<Dimension>,
    /// Statistic.
    pub stat: String,
    /// Period in seconds.
    pub period: i64,
}

impl SeriesKey {
    /// The key of a `MetricStat` (dimensions sorted).
    #[must_use]
    pub fn of(stat: &MetricStat) -> Self {
        let mut dimensions = stat.metric.dimensions.clone();
        dimensions.sort();
        Self {
            namespace: stat.metric.namespace.clone(),
            metric_name: stat.metric.metric_name.clone(),
            dimensions,
            stat: stat.stat.clone(),
            period: stat.period,
        }
    }

    /// The value of dimension `name`, if the series has it.
    #[must_use]
    pub fn dimension(&self, name: &str) -> Option<&str> {
        self.dimensions
            .iter()
            .find(|d| d.name == name)
            .map(|d| d.value.as_str())
    }

    /// The query that asks for this series again (`id` given by the writer).
    #[must_use]
    pub fn query(&self, id: String) -> MetricDataQuery {
        MetricDataQuery {
            id,
            metric_stat: Some(MetricStat {
                metric: Metric {
                    namespace: self.namespace.clone(),
                    metric_name: self.metric_name.clone(),
                    dimensions: self.dimensions.clone(),
                },
                period: self.period,
                stat: self.stat.clone(),
            }),
            expression: None,
            label: None,
        }
    }
}

/// One series: its points by time (seconds since the epoch, UTC). An empty series is data
/// too: CloudWatch had no datapoint in the window (a count metric with nothing to count, or
/// a CloudFront metric that needs additional metrics enabled).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MetricSeries {
    /// Points by time.
    pub points: BTreeMap<i64, f64>,
}

/// Joins results to their queries. Returns the series and the ids of results whose query is
/// absent (the caller warns), or whose timestamps do not parse.
#[must_use]
pub fn join_results(
    queries: &[MetricDataQuery],
    results: Vec<MetricDataResult>,
) -> (Vec<(SeriesKey, MetricSeries)>, Vec<String>) {
    let mut out = Vec::with_capacity(results.len());
    let mut unmatched = Vec::new();
    for r in results {
        let Some(stat) = queries
            .iter()
            .find(|q| q.id == r.id)
            .and_then(|q| q.metric_stat.as_ref())
        else {
            unmatched.push(r.id);
            continue;
        };
        let mut series = MetricSeries::default();
        let mut bad = false;
        for (t, v) in r.timestamps.iter().zip(r.values) {
            match parse_timestamp(t) {
                Some(secs) => {
                    series.points.insert(secs, v);
                }
                None => bad = true,
            }
        }
        if bad {
            unmatched.push(format!("{} (unreadable timestamp)", r.id));
        }
        out.push((SeriesKey::of(stat), series));
    }
    (out, unmatched)
}

/// Seconds since the epoch of an ISO 8601 time as AWS prints it (RFC 3339 with `Z` or an
/// offset, fractions allowed; without an offset, UTC). `None` when malformed.
#[must_use]
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.trim();
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.timestamp())
        .or_else(|_| {
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                .map(|t| t.and_utc().timestamp())
        })
        .ok()
}

/// `YYYY-MM-DDTHH:MM:SSZ` of seconds since the epoch.
#[must_use]
pub fn format_timestamp(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0).map_or_else(
        || secs.to_string(),
        |t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    )
}

/// The CloudWatch dimension value of a load balancer ARN: `app/NAME/ID` (what follows
/// `loadbalancer/`); `None` when the ARN has no such part.
#[must_use]
pub fn alb_dimension(lb_arn: &str) -> Option<&str> {
    lb_arn.split_once(":loadbalancer/").map(|(_, d)| d)
}

/// The CloudWatch dimension value of a target group ARN: `targetgroup/NAME/ID`.
#[must_use]
pub fn target_group_dimension(tg_arn: &str) -> Option<&str> {
    tg_arn.rsplit_once(':').map(|(_, d)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_parse_in_every_spelling_aws_prints() {
        let utc = parse_timestamp("2026-11-26T08:02:00Z");
        assert_eq!(utc, Some(1_795_680_120));
        assert_eq!(parse_timestamp("2026-11-26T08:02:00+00:00"), utc);
        assert_eq!(parse_timestamp("2026-11-26T08:02:00.000Z"), utc);
        assert_eq!(parse_timestamp("2026-11-26T09:02:00+01:00"), utc);
        assert_eq!(parse_timestamp("2026-11-26T08:02:00"), utc);
        assert_eq!(parse_timestamp("2026-11-26 08:02"), None);
        assert_eq!(parse_timestamp("2026-13-26T08:02:00Z"), None);
        assert_eq!(format_timestamp(1_795_680_120), "2026-11-26T08:02:00Z");
    }

    #[test]
    fn results_join_their_queries_by_id_and_the_rest_are_named() {
        let q: Vec<MetricDataQuery> = serde_json::from_value(serde_json::json!([{
            "Id": "m0",
            "MetricStat": {"Metric": {"Namespace": "AWS/ApplicationELB",
                "MetricName": "HTTPCode_ELB_504_Count",
                "Dimensions": [{"Name": "LoadBalancer", "Value": "app/web/1"}]},
                "Period": 60, "Stat": "Sum"}
        }]))
        .expect("query shape");
        let r: Vec<MetricDataResult> = serde_json::from_value(serde_json::json!([
            {"Id": "m0", "Timestamps": ["2026-11-26T08:03:00+00:00", "2026-11-26T08:02:00+00:00"],
             "Values": [7.0, 3.0], "StatusCode": "Complete"},
            {"Id": "m9", "Timestamps": [], "Values": []}
        ]))
        .expect("result shape");
        let (series, unmatched) = join_results(&q, r);
        assert_eq!(unmatched, vec!["m9".to_owned()]);
        assert_eq!(series.len(), 1);
        assert_eq!(series[0].0.dimension("LoadBalancer"), Some("app/web/1"));
        assert_eq!(
            series[0].1.points.values().copied().collect::<Vec<_>>(),
            vec![3.0, 7.0]
        );
    }

    #[test]
    fn dimensions_come_from_the_arns() {
        assert_eq!(
            alb_dimension("arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/50dc"),
            Some("app/web/50dc")
        );
        assert_eq!(
            target_group_dimension("arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/tg/73e2"),
            Some("targetgroup/tg/73e2")
        );
    }
}
