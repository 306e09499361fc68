//! The metrics part of `triage` (JSON `metrics`): what CloudWatch measured per distribution and
//! load balancer, with the onset, the signature, whether it is still happening and a per-minute
//! 5xx sparkline. Built here from the `metric_window` facts (the words are the report's), so
//! every renderer prints the same; `text/metrics.rs` and `markdown.rs` only lay it out.

use serde::Serialize;

use crate::facts::{Fact, MetricWindowFact};
use crate::model::{Inventory, Kind};
use crate::rules::metric_facts::error_minutes;

/// Sparkline characters, lowest first.
const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
/// The sparkline is at most this many characters (minutes are summed into wider buckets).
const SPARK_WIDTH: usize = 60;

/// JSON `metrics`: one entry per distribution and load balancer with CloudWatch data.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MetricsSection {
    /// One entry per resource.
    pub resources: Vec<MetricsPart>,
    /// What the metrics cannot tell, with the call or setting that would.
    pub notes: Vec<String>,
}

/// What CloudWatch says about one distribution or load balancer.
#[derive(Debug, Clone, Serialize)]
pub struct MetricsPart {
    /// `cloudfront` or `alb`.
    pub source: String,
    /// Distribution id or load balancer name.
    pub resource: String,
    /// First and last minute with data (RFC 3339).
    pub window: [String; 2],
    /// `still-rising`, `errors-ongoing`, `errors-stopped`, or empty without errors.
    pub trend: String,
    /// See the `metric_window` fact's `signature`.
    pub signature: String,
    /// The signature in words, or empty.
    pub meaning: String,
    /// First minute of the error rise, or empty.
    pub onset: String,
    /// Last minute with errors, or empty.
    pub last_error: String,
    /// 5xx in the window (-1: not measured).
    pub errors_5xx: i64,
    /// Requests in the window (-1: not measured).
    pub requests: i64,
    /// Errors per minute at the onset and in the last 5 minutes.
    pub per_minute: [f64; 2],
    /// Minutes per sparkline character.
    pub minutes_per_bar: usize,
    /// The 5xx per minute as a sparkline (`▁` none … `█` the peak).
    pub sparkline: String,
    /// The metrics behind the signature: `HTTPCode_ELB_504_Count 800`, …
    pub evidence: Vec<String>,
}

/// The metrics part of a triage, or `None` when no CloudWatch data was loaded.
#[must_use]
pub fn section(inv: Option<&Inventory>, facts: &[Fact]) -> Option<MetricsSection> {
    let inv = inv?;
    if !inv.has(Kind::MetricData) {
        return None;
    }
    let mut s = MetricsSection::default();
    for f in facts {
        let Fact::MetricWindow(f) = f else { continue };
        let minutes = error_minutes(inv, f);
        let (minutes_per_bar, sparkline) = sparkline(&minutes.per_minute);
        if f.additional_metrics == "false" {
            s.notes.push(format!(
                "distribution {} has no additional CloudWatch metrics: 504ErrorRate, 502ErrorRate and OriginLatency are absent, so the 5xx cannot be split by status; enable them with `aws cloudfront create-monitoring-subscription --distribution-id {} --monitoring-subscription RealtimeMetricsSubscriptionConfig={{RealtimeMetricsSubscriptionStatus=Enabled}}` (charged per distribution)",
                f.resource, f.resource
            ));
        }
        s.resources.push(MetricsPart {
            source: f.source.clone(),
            resource: f.resource.clone(),
            window: [f.window_start.clone(), f.window_end.clone()],
            trend: f.trend.clone(),
            signature: f.signature.clone(),
            meaning: meaning(f),
            onset: f.onset.clone(),
            last_error: f.last_error.clone(),
            errors_5xx: f.errors_5xx,
            requests: f.requests,
            per_minute: [f.onset_per_minute, f.recent_per_minute],
            minutes_per_bar,
            sparkline,
            evidence: evidence(f),
        });
    }
    if s.resources.is_empty() {
        s.notes.push(
            "CloudWatch data was loaded but none of it measures a distribution or load balancer of the snapshot".to_owned(),
        );
    }
    Some(s)
}

fn meaning(f: &MetricWindowFact) -> String {
    let related = f.related.join(", ");
    match f.signature.as_str() {
        "alb-cannot-reach-targets" => "the ALB cannot reach its targets (ELB 504s with target connection errors): look at the alb->target hop".to_owned(),
        "cloudfront-cannot-reach-alb" => format!("CloudFront cannot reach the ALB: 5xx at CloudFront while {related} measured none (look at the cloudfront->alb hop)"),
        "alb-errors" => format!("the 5xx come from behind CloudFront: {related} measured them too"),
        "targets-return-5xx" => "the targets answer 5xx themselves (HTTPCode_Target_5XX_Count): the application, not the network".to_owned(),
        "alb-rejected-connections" => "the ALB rejected connections at its connection limit (RejectedConnectionCount)".to_owned(),
        "target-tls-negotiation" => "TLS between the ALB and its targets fails (TargetTLSNegotiationErrorCount with ELB 502s)".to_owned(),
        "alb-5xx" => "the ALB itself answered 5xx".to_owned(),
        "cloudfront-5xx" => "5xx at CloudFront; the load balancer behind it has no CloudWatch data here, so where they come from is not known".to_owned(),
        _ => String::new(),
    }
}

fn evidence(f: &MetricWindowFact) -> Vec<String> {
    let ints = [
        ("Requests", f.requests),
        ("HTTPCode_ELB_502_Count", f.elb_502),
        ("HTTPCode_ELB_503_Count", f.elb_503),
        ("HTTPCode_ELB_504_Count", f.elb_504),
        ("HTTPCode_Target_5XX_Count", f.target_5xx),
        ("TargetConnectionErrorCount", f.target_connection_errors),
        ("RejectedConnectionCount", f.rejected_connections),
        ("TargetTLSNegotiationErrorCount", f.target_tls_errors),
        ("UnHealthyHostCount max", f.unhealthy_hosts_max),
        ("HealthyHostCount min", f.healthy_hosts_min),
    ];
    let floats = [
        ("5xxErrorRate max %", f.error_rate_5xx_max),
        ("504ErrorRate max %", f.error_rate_504_max),
        ("502ErrorRate max %", f.error_rate_502_max),
        ("OriginLatency p99 max ms", f.origin_latency_p99_max_ms),
        (
            "TargetResponseTime p99 max s",
            f.target_response_time_p99_max,
        ),
    ];
    let mut out: Vec<String> = ints
        .iter()
        .filter(|(name, v)| *v > 0 || (*v == 0 && name.starts_with("HTTPCode")))
        .map(|(name, v)| format!("{name} {v}"))
        .collect();
    out.extend(
        floats
            .iter()
            .filter(|(_, v)| *v >= 0.0)
            .map(|(name, v)| format!("{name} {v:.2}")),
    );
    if f.source == "alb" && f.requests > 0 {
        out.retain(|e| !e.starts_with("Requests"));
        out.insert(0, format!("RequestCount {}", f.requests));
    }
    out
}

/// Minutes per character and the sparkline of `values` (empty without values).
fn sparkline(values: &[f64]) -> (usize, String) {
    if values.is_empty() {
        return (1, String::new());
    }
    let per = values.len().div_ceil(SPARK_WIDTH).max(1);
    let buckets: Vec<f64> = values.chunks(per).map(|c| c.iter().sum()).collect();
    let peak = buckets.iter().copied().fold(0.0, f64::max);
    let line = buckets
        .iter()
        .map(|v| {
            if peak <= 0.0 || *v <= 0.0 {
                BARS[0]
            } else {
                // 1..=7 for any error, so one error is never drawn as none.
                let level = (v / peak * 7.0).ceil().clamp(1.0, 7.0);
                BARS[level as usize]
            }
        })
        .collect();
    (per, line)
}

#[cfg(test)]
mod tests {
    use super::sparkline;

    #[test]
    fn the_sparkline_shows_any_error_and_the_peak_at_full_height() {
        let (per, line) = sparkline(&[0.0, 1.0, 50.0, 100.0]);
        assert_eq!(per, 1);
        assert_eq!(line, "▁▂▅█");
        let (per, line) = sparkline(&vec![1.0; 150]);
        assert_eq!(per, 3);
        assert_eq!(line.chars().count(), 50);
    }
}
