//! When a fact lacks the data a rule needs (rules/README.md, "Missing data").
//!
//! A rule never fires on data that is not there: before its condition runs, the fact is checked
//! for what the rule needs, and a gap becomes a "check that could not run" naming the AWS CLI
//! call that supplies the data.
//!
//! Two kinds of gap:
//! - a `hop` fact whose verdict is `unknown` or whose `missing` list is not empty: the reach
//!   evaluator could not decide that hop, so no hop rule runs on it;
//! - a field that is absent when one AWS call was not collected ([`MAY_BE_MISSING`]). Which
//!   of these a rule needs is the rule's to say (`requires = ["health_known"]`); what "absent"
//!   looks like and which call supplies it is the fact schema's, so it is written here once.

use super::{Rule, template};

/// A fact field that is absent when one AWS call was not collected.
pub(crate) struct MayBeMissing {
    /// The fact kind.
    pub(crate) kind: &'static str,
    /// The field a rule names in `requires`.
    pub(crate) field: &'static str,
    /// Other fields that mean nothing while this one is absent (a rule reading one of them
    /// must require this field).
    pub(crate) guards: &'static [&'static str],
    /// What is missing and the call that supplies it, when `fact` lacks the field's data.
    missing: fn(&serde_json::Value) -> Option<String>,
}

/// Every field that may be missing, with how to tell and the call that supplies it
/// (`src/facts.rs` documents `-1` / `health_known` on the fields themselves).
pub(crate) const MAY_BE_MISSING: [MayBeMissing; 5] = [
    MayBeMissing {
        kind: "origin",
        field: "alb_idle_timeout_seconds",
        guards: &[],
        // An origin that is not an ALB has no idle timeout to know.
        missing: |f| {
            (int(f, "alb_idle_timeout_seconds") < 0 && !text(f, "alb").is_empty())
                .then(|| idle_timeout_unknown(f))
        },
    },
    MayBeMissing {
        kind: "load_balancer",
        field: "idle_timeout_seconds",
        guards: &[],
        missing: |f| (int(f, "idle_timeout_seconds") < 0).then(|| idle_timeout_unknown(f)),
    },
    MayBeMissing {
        kind: "target_group",
        field: "health_known",
        guards: &[
            "registered",
            "healthy",
            "unhealthy",
            "unused",
            "reasons",
            "azs_without_healthy_targets",
        ],
        missing: |f| {
            (f.get("health_known") == Some(&serde_json::Value::Bool(false))).then(|| {
                format!(
                    "target health of {} not loaded: add `aws elbv2 describe-target-health --target-group-arn {}`",
                    text(f, "target_group"),
                    text(f, "target_group_arn")
                )
            })
        },
    },
    MayBeMissing {
        kind: "load_balancer",
        field: "nat_gateways_known",
        guards: &[
            "nat_gateways",
            "nat_public_ips",
            "nat_public_ips_not_admitted",
        ],
        missing: |f| {
            (f.get("nat_gateways_known") == Some(&serde_json::Value::Bool(false))).then(|| {
                format!(
                    "NAT gateways of {} ({}) not loaded: add `aws ec2 describe-nat-gateways`",
                    text(f, "alb"),
                    text(f, "vpc")
                )
            })
        },
    },
    MayBeMissing {
        kind: "target_group",
        field: "cross_zone",
        guards: &[],
        missing: |f| {
            text(f, "cross_zone").is_empty().then(|| {
                format!(
                    "attributes of target group {} not loaded: add `aws elbv2 describe-target-group-attributes --target-group-arn {}` (plus a TargetGroupArn key)",
                    text(f, "target_group"),
                    text(f, "target_group_arn")
                )
            })
        },
    },
];

/// The entry for `field` of `kind` facts, if that field may be missing.
pub(crate) fn may_be_missing(kind: &str, field: &str) -> Option<&'static MayBeMissing> {
    MAY_BE_MISSING
        .iter()
        .find(|m| m.kind == kind && m.field == field)
}

fn text<'a>(f: &'a serde_json::Value, key: &str) -> &'a str {
    f.get(key).and_then(serde_json::Value::as_str).unwrap_or("")
}

fn int(f: &serde_json::Value, key: &str) -> i64 {
    f.get(key).and_then(serde_json::Value::as_i64).unwrap_or(0)
}

fn idle_timeout_unknown(f: &serde_json::Value) -> String {
    format!(
        "idle timeout of {} unknown: add `aws elbv2 describe-load-balancer-attributes --load-balancer-arn {}`",
        text(f, "alb"),
        text(f, "alb_arn")
    )
}

impl Rule {
    /// Why this rule cannot decide on `fact`: a hop whose verdict is `unknown` or whose
    /// `missing` list is not empty, or a field of `requires` that the fact lacks.
    pub(super) fn missing_data(&self, fact: &serde_json::Value) -> Option<String> {
        if self.kind == "hop" {
            let missing = template::value_text(fact.get("missing"));
            if text(fact, "verdict") == "unknown" || !missing.is_empty() {
                let what = if missing.is_empty() {
                    "verdict unknown".to_owned()
                } else {
                    missing
                };
                return Some(format!(
                    "{} hop of {} {} → {}: {what}",
                    text(fact, "hop"),
                    text(fact, "distribution"),
                    text(fact, "behavior"),
                    text(fact, "alb")
                ));
            }
        }
        self.requires
            .iter()
            .filter_map(|field| may_be_missing(self.kind, field))
            .find_map(|m| (m.missing)(fact))
    }
}
