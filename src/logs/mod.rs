//! Log readers and the 5xx classifier behind `edgepath logs` and `edgepath triage`.
//!
//! In an incident the first thing on hand is logs. This module tells, at the speed of
//! decompression, *which* 5xx these are: CloudFront giving up on the origin (connect or read
//! timeout), the ALB giving up on its targets (its fixed 10 s connect timeout, or its idle
//! timeout), cached errors, DNS failures — on which distribution/behavior, since when.
//!
//! Formats, detected per file from its first lines (or forced with `--log-format`):
//! CloudFront standard logs (legacy W3C and v2 W3C: columns come from each file's `#Fields:`
//! line; no header ⇒ the canonical 33-column order), CloudFront v2 JSON (all values strings),
//! CloudFront v2 Parquet (string columns such as `sc_status`, read row group by row group by
//! `parquet_file`, feature `parquet`, into the same parser), ALB access logs (space separated,
//! quoted fields, by position), VPC flow logs (default v2 or a custom header). Files are read in parallel, one accumulator per file merged at the end (a lone
//! large gzip file is inflated on a thread of its own, ahead of its parser), and
//! no record is kept: memory is flat in the input size. Bad lines are counted and sampled,
//! never fatal. See `logs.md` in the shared notes for the field lists and 504 signatures.

mod classify;
mod formats;
mod generate;
mod gzip;
#[cfg(feature = "parquet")]
mod parquet_file;
mod read;
mod summary;

pub use classify::{
    ALB_CONNECT_TIMEOUT_SECONDS, CACHED_ERROR_MAX_SECONDS, Signature, TOLERANCE_SECONDS, Timeouts,
    classify,
};
pub use read::{
    LogError, LogFormat, LogOptions, REALTIME_FIELDS, parse_realtime_fields, summarize,
};
pub use summary::{LogSummary, OriginError, bucket_facts};

pub use formats::minute_of;
pub use generate::{GenTruth, generate};
pub use read::DistributionBehaviors;

use crate::model::Inventory;

/// Fills the per-distribution behaviors and origin timeouts of a snapshot into `opts`, so
/// signatures use the real timeouts (and the output says so).
pub fn read_options_from_inventory(inv: &Inventory, opts: &mut LogOptions) {
    let default_idle = inv
        .load_balancer_attributes
        .keys()
        .filter_map(|lb| inv.lb_attribute(lb, "idle_timeout.timeout_seconds"))
        .find_map(|v| v.parse::<f64>().ok());
    for d in inv.distributions.values() {
        let timeouts_of = |origin_id: &str| -> Timeouts {
            let mut t = Timeouts {
                source: format!("snapshot ({})", d.id),
                ..Timeouts::default()
            };
            if let Some(o) = d.origins.items.iter().find(|o| o.id == origin_id) {
                if let Some(c) = o.connection_timeout {
                    t.connection_timeout = f64::from(c);
                }
                if let Some(a) = o.connection_attempts {
                    t.connection_attempts = u32::try_from(a).unwrap_or(3);
                }
                let read = o.read_timeout();
                if let Some(r) = read {
                    t.read_timeout = f64::from(r);
                }
                let lb = inv
                    .index()
                    .lb_by_dns_name
                    .get(&crate::model::normalize_dns_name(&o.domain_name));
                if let Some(idle) = lb
                    .and_then(|lb| inv.lb_attribute(lb, "idle_timeout.timeout_seconds"))
                    .and_then(|v| v.parse().ok())
                {
                    t.alb_idle_timeout = idle;
                } else if let Some(idle) = default_idle {
                    t.alb_idle_timeout = idle;
                }
            }
            t
        };
        let mut behaviors: Vec<(String, Timeouts)> = d
            .cache_behaviors
            .iter()
            .flat_map(|b| &b.items)
            .map(|b| {
                (
                    b.path_pattern.clone().unwrap_or_else(|| "*".into()),
                    timeouts_of(&b.target_origin_id),
                )
            })
            .collect();
        if let Some(def) = &d.default_cache_behavior {
            behaviors.push(("*".into(), timeouts_of(&def.target_origin_id)));
        }
        if let Some((_, t)) = behaviors.last() {
            opts.timeouts = t.clone();
        }
        opts.distributions.push(DistributionBehaviors {
            id: d.id.to_string(),
            domain: d.domain_name.clone().unwrap_or_default(),
            behaviors,
        });
    }
}
