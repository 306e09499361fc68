//! When a fact lacks the data a rule needs (rules/README.md, "Missing data").
//!
//! A rule never fires on data that is not there: before its condition runs, the fact is checked
//! for what the rule reads, and a gap becomes a "check that could not run" naming the AWS CLI
//! call that supplies the data.

use super::{Rule, template};

impl Rule {
    /// Why this rule cannot decide on `fact`, when the fact lacks data the rule reads: a hop
    /// whose verdict is `unknown` or whose `missing` list is not empty, an idle timeout of -1,
    /// target health not loaded.
    pub(super) fn missing_data(&self, fact: &serde_json::Value) -> Option<String> {
        let s = |k: &str| {
            fact.get(k)
                .and_then(serde_json::Value::as_str)
                .unwrap_or("")
        };
        let i = |k: &str| fact.get(k).and_then(serde_json::Value::as_i64).unwrap_or(0);
        let reads = |k: &str| self.when.reads.contains(k);
        match self.kind {
            "hop" => {
                let missing = template::value_text(fact.get("missing"));
                if s("verdict") == "unknown" || !missing.is_empty() {
                    let what = if missing.is_empty() {
                        "verdict unknown".to_owned()
                    } else {
                        missing
                    };
                    return Some(format!(
                        "{} hop of {} {} → {}: {what}",
                        s("hop"),
                        s("distribution"),
                        s("behavior"),
                        s("alb")
                    ));
                }
                None
            }
            "origin"
                if reads("alb_idle_timeout_seconds")
                    && i("alb_idle_timeout_seconds") < 0
                    && !s("alb").is_empty() =>
            {
                Some(format!(
                    "idle timeout of {} unknown: add `aws elbv2 describe-load-balancer-attributes --load-balancer-arn {}`",
                    s("alb"),
                    s("alb_arn")
                ))
            }
            "load_balancer" if reads("idle_timeout_seconds") && i("idle_timeout_seconds") < 0 => {
                Some(format!(
                    "idle timeout of {} unknown: add `aws elbv2 describe-load-balancer-attributes --load-balancer-arn {}`",
                    s("alb"),
                    s("alb_arn")
                ))
            }
            "target_group"
                if fact.get("health_known") == Some(&serde_json::Value::Bool(false))
                    && ["registered", "healthy", "unhealthy", "unused", "reasons"]
                        .iter()
                        .any(|f| reads(f)) =>
            {
                Some(format!(
                    "target health of {} not loaded: add `aws elbv2 describe-target-health --target-group-arn {}`",
                    s("target_group"),
                    s("target_group_arn")
                ))
            }
            _ => None,
        }
    }
}
