//! The `target` hop: the target's health state and what its reason code means.
//!
//! `describe-target-health` gives a state and, when not healthy, a reason code
//! (`Target.Timeout`, …); the meanings below follow the ELB documentation
//! (<https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html>).
//! `unhealthy` / `unused` block the path, `initial` / `draining` make it partial, and a state
//! this code does not know is missing data, never `allowed`.
//!
//! With health checks disabled (`HealthCheckEnabled: false`, the default for Lambda target
//! groups) the state is `unavailable` with `Target.HealthCheckDisabled`, and the ALB routes to
//! every registered target: that is not a block. The hop stays `allowed` with a note that
//! health is not checked (whether the target answers is not something the ALB reports then).

use super::evidence::HopAcc;
use super::{Hop, HopResult, Verdict};
use crate::facts::HopFact;
use crate::model::Kind;
use crate::model::elbv2::{TargetGroup, TargetHealthDescription};

/// What a target-health reason code means, in words.
fn reason_meaning(reason: &str) -> &'static str {
    match reason {
        "Target.Timeout" => {
            "health checks timed out: usually a security group or NACL drops the ALB's connections, or the app is not listening"
        }
        "Target.ResponseCodeMismatch" => "the health check got an HTTP status outside the matcher",
        "Target.FailedHealthChecks" => {
            "the target failed health checks (connection refused or errors)"
        }
        "Target.NotRegistered" => "the target is not registered",
        "Target.NotInUse" => {
            "the target group is not used by any listener rule, or the target's AZ is not enabled on the ALB"
        }
        "Target.DeregistrationInProgress" => "the target is being deregistered",
        "Target.InvalidState" => "the instance is stopped or terminated",
        "Target.IpUnusable" => {
            "the IP address is in use by the load balancer or otherwise unusable"
        }
        "Target.HealthCheckDisabled" => "health checks are disabled",
        "Elb.RegistrationInProgress" => "registration is in progress",
        "Elb.InitialHealthChecking" => "initial health checks are in progress",
        "Elb.InternalError" => "health checks failed with an internal ELB error",
        _ => "see the target health description",
    }
}

/// The `target` hop: health state and reason of `desc`, a target of `tg`.
pub(crate) fn target_health(
    tg: &TargetGroup,
    desc: &TargetHealthDescription,
    base: HopFact,
) -> HopResult {
    let mut acc = HopAcc::new(base);
    let Some(h) = &desc.target_health else {
        acc.missing_what(
            format!("health of {}", desc.target.id),
            Kind::TargetHealth.cli().to_owned(),
        );
        return acc.finish(Hop::Target);
    };
    let reason = h.reason.clone().unwrap_or_default();
    acc.fact.target_state.clone_from(&h.state);
    acc.fact.target_reason.clone_from(&reason);
    let detail = |what: &str| {
        let mut s = format!("{} is {what}", desc.target.id);
        if !reason.is_empty() {
            s.push_str(&format!(" ({reason}: {})", reason_meaning(&reason)));
        }
        if let Some(d) = &h.description {
            s.push_str(&format!(" — {d}"));
        }
        s
    };
    let checks_disabled =
        tg.health_check_enabled == Some(false) || reason == "Target.HealthCheckDisabled";
    if checks_disabled && h.state != "healthy" && h.state != "draining" {
        let lambda = if tg.target_type.as_deref() == Some("lambda") {
            " (a Lambda target group: off unless enabled)"
        } else {
            ""
        };
        let state = if reason.is_empty() {
            h.state.clone()
        } else {
            format!("{}, {reason}", h.state)
        };
        acc.checked(format!(
            "health checks are disabled on {}{lambda}: the ALB routes to every registered target, so {} ({state}) gets traffic; its health is not checked",
            tg.target_group_name, desc.target.id
        ));
        return acc.finish(Hop::Target);
    }
    match h.state.as_str() {
        "healthy" => acc.checked(format!("{} is healthy", desc.target.id)),
        "unhealthy" | "unavailable" | "unhealthy.draining" => {
            acc.fail(Verdict::Blocked, "target-unhealthy", detail(&h.state));
        }
        "unused" => acc.fail(Verdict::Blocked, "target-unused", detail("unused")),
        "initial" | "draining" => {
            acc.fail(Verdict::Partial, "target-not-in-service", detail(&h.state))
        }
        other => acc.missing_what(
            format!("unrecognised health state `{other}` of {}", desc.target.id),
            Kind::TargetHealth.cli().to_owned(),
        ),
    }
    acc.finish(Hop::Target)
}
