//! What a snapshot tells the log classifier: each distribution's cache behaviors in order, and
//! for each the timeouts of the origin it forwards to (CloudFront `ConnectionTimeout`,
//! `ConnectionAttempts`, `OriginReadTimeout`, and the idle timeout of the ALB behind the
//! origin's domain name). Lives in `rules`, the lowest layer where the model and `logs`
//! meet (`cmd` and the rules' `[[test]]` runner both need it), so that `logs` stays free of the
//! model (it only sees plain [`LogOptions`]).

use crate::logs::{DistributionBehaviors, LogOptions, Timeouts};
use crate::model::Inventory;

/// Fills the per-distribution behaviors and origin timeouts of a snapshot into `opts`, so
/// each record is judged by the timeouts of the origin its own behavior forwards to (the
/// primary member for an origin group); `opts.timeouts`, for records no distribution claims,
/// are those of the default behavior of the last distribution.
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
            // A behavior may target an origin group: CloudFront tries its primary (first)
            // member first, with that origin's timeouts.
            let origin_id = d
                .origin_groups
                .as_ref()
                .and_then(|g| g.items.iter().find(|g| g.id == origin_id))
                .and_then(|g| g.members.items.first())
                .map_or(origin_id, |m| m.origin_id.as_str());
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
