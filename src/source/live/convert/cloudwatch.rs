//! CloudWatch `GetMetricData` output → metric series, keyed by the query each result answers
//! (the SDK's results, like the CLI's, name only the query id).

use std::collections::HashMap;

use crate::model::metrics::{MetricSeries, SeriesKey};

/// The results of one page, attributed through `keys` (query id → what it measures). Results
/// of unknown ids (none are expected: the ids are ours) are dropped.
pub(in super::super) fn results(
    keys: &HashMap<String, SeriesKey>,
    out: &[aws_sdk_cloudwatch::types::MetricDataResult],
) -> Vec<(SeriesKey, MetricSeries)> {
    out.iter()
        .filter_map(|r| {
            let key = keys.get(r.id()?)?.clone();
            let points = r
                .timestamps()
                .iter()
                .zip(r.values())
                .map(|(t, v)| (t.secs(), *v))
                .collect();
            Some((key, MetricSeries { points }))
        })
        .collect()
}
