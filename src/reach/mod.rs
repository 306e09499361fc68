//! Reachability: every CloudFront behavior → origin → ALB → listener → target group → target
//! path, each hop's verdict and the evidence for it.
//!
//! [`evaluate`] is a pure function of the [`Inventory`]; `edgepath check`, `whatif` and the
//! rules engine all call it. Semantics are in `DESIGN.md` ("Reachability semantics"): every
//! failed check of a hop is reported (all reason codes), and `unknown` is never rounded to
//! `allowed`.

mod alb_target_hop;
mod bpa;
mod cidr;
mod cloudfront_hop;
mod cloudfront_ipv6;
mod evidence;
mod evidence_text;
mod health;
mod listener;
mod listener_rules;
mod nacl;
mod nacl_report;
mod origin;
mod origin_fact;
mod origin_request;
mod paths;
mod prefix_list;
mod route;
mod sg;
mod target;
mod tls;
mod unrouted;
pub mod zones;

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use crate::facts::{Fact, HopFact, OriginFact};
pub use crate::model::Hop;
use crate::model::Inventory;
use unrouted::ListenerRouting;
pub use unrouted::UnroutedGroup;

/// What to evaluate.
#[derive(Debug, Clone, Default)]
pub struct ReachOptions {
    /// Only these distribution ids (empty = all).
    pub distributions: Vec<String>,
    /// Only paths through these ALBs, by name or ARN (empty = all).
    pub albs: Vec<String>,
    /// `(origin domain, ALB name or ARN)`: origins whose domain is not the ALB DNS name.
    pub origin_map: Vec<(String, String)>,
    /// One concrete viewer request instead of every behavior's pattern (`check --path`).
    pub request: Option<ViewerRequest>,
}

/// One request a viewer sends to CloudFront (`check --path /api/v2/users --host www.example.com`):
/// only the behavior CloudFront picks for its path is followed, with the path itself through
/// the listener rules and, where Host is forwarded, this Host.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ViewerRequest {
    /// The URL path, from `/` (no query string).
    pub path: String,
    /// The viewer's `Host` (an alias or the `*.cloudfront.net` name); `None`: every host the
    /// distribution answers.
    pub host: Option<String>,
}

/// The whole answer of the reachability engine.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReachReport {
    /// Every path, in distribution / behavior / origin / listener / target order.
    pub paths: Vec<PathTrace>,
    /// Origins that are not ALBs (S3, API Gateway, …) and so are not evaluated.
    pub out_of_scope: Vec<OutOfScopeOrigin>,
    /// One fact per (distribution, behavior, origin), for the rules.
    #[serde(skip)]
    pub origin_facts: Vec<OriginFact>,
    /// Target groups that listeners CloudFront reaches forward to but no CloudFront request
    /// reaches (not computed for one `--path` request).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unrouted_groups: Vec<UnroutedGroup>,
    /// What each routing through a listener used and skipped (input of `unrouted_groups`).
    #[serde(skip)]
    pub(crate) listener_routings: Vec<ListenerRouting>,
}

/// An origin the engine does not evaluate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OutOfScopeOrigin {
    /// Distribution id.
    pub distribution: String,
    /// Behavior path pattern.
    pub behavior: String,
    /// Origin id.
    pub origin: String,
    /// Origin domain.
    pub domain: String,
    /// Why it is out of scope.
    pub reason: String,
}

/// One path and its hops.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathTrace {
    /// Distribution id.
    pub distribution: String,
    /// Behavior path pattern (`*` = default).
    pub behavior: String,
    /// Origin id.
    pub origin: String,
    /// ALB name, when the origin resolved to one.
    pub load_balancer: Option<String>,
    /// Listener as `PROTOCOL:PORT` (`HTTPS:443`), when one exists on the port.
    pub listener: Option<String>,
    /// The part of the behavior's paths this path takes, when the listener's rules split it
    /// (`/api/v2/*`, `/api/* (rest)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_path: Option<String>,
    /// The percent of the route's requests a weighted forward sends to this path's target group,
    /// when it forwards to several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_share: Option<i64>,
    /// Target group name.
    pub target_group: Option<String>,
    /// Target id (instance id or IP).
    pub target: Option<String>,
    /// The port CloudFront connects to (-1 when unresolved).
    pub port: i64,
    /// The combined verdict of the hops.
    pub verdict: Verdict,
    /// Hops in order. Paths that go through the same hop with the same inputs share one
    /// [`HopResult`] (the CloudFront hop of every target behind a listener, the target-side
    /// hops of a target reached on two ports); the JSON is that of a plain list of hops.
    #[serde(serialize_with = "serialize_hops")]
    pub hops: Vec<Arc<HopResult>>,
}

/// Serializes shared hops as a plain list of hops (also for what-if's path changes).
pub(crate) fn serialize_hops<S: Serializer>(
    hops: &[Arc<HopResult>],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_seq(hops.iter().map(|h| &**h))
}

/// Stable identity of a path, for before/after diffs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct PathKey {
    /// Distribution id.
    pub distribution: String,
    /// Behavior.
    pub behavior: String,
    /// Origin id.
    pub origin: String,
    /// ALB name.
    pub load_balancer: String,
    /// Port CloudFront connects to.
    pub port: i64,
    /// Target group name.
    pub target_group: String,
    /// Target.
    pub target: String,
}

impl PathTrace {
    /// The path's stable identity.
    #[must_use]
    pub fn key(&self) -> PathKey {
        PathKey {
            distribution: self.distribution.clone(),
            behavior: self.behavior.clone(),
            origin: self.origin.clone(),
            load_balancer: self.load_balancer.clone().unwrap_or_default(),
            port: self.port,
            target_group: self.target_group.clone().unwrap_or_default(),
            target: self.target.clone().unwrap_or_default(),
        }
    }

    /// The first hop that is not `allowed`.
    #[must_use]
    pub fn first_failing_hop(&self) -> Option<&HopResult> {
        self.hops
            .iter()
            .map(|h| &**h)
            .find(|h| h.verdict != Verdict::Allowed)
    }
}

/// A verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Traffic passes.
    Allowed,
    /// Traffic cannot pass.
    Blocked,
    /// Some of the traffic passes (some sources, subnets or ports).
    Partial,
    /// Data was missing; never rounded to allowed.
    Unknown,
}

impl Verdict {
    /// `allowed`, `blocked`, `partial`, `unknown`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allowed => "allowed",
            Verdict::Blocked => "blocked",
            Verdict::Partial => "partial",
            Verdict::Unknown => "unknown",
        }
    }

    /// Combines verdicts: any blocked → blocked, else any partial → partial, else any unknown
    /// → unknown, else allowed (an empty list is allowed).
    pub fn combine(vs: impl IntoIterator<Item = Verdict>) -> Verdict {
        let mut out = Verdict::Allowed;
        for v in vs {
            out = match (out, v) {
                (Verdict::Blocked, _) | (_, Verdict::Blocked) => Verdict::Blocked,
                (Verdict::Partial, _) | (_, Verdict::Partial) => Verdict::Partial,
                (Verdict::Unknown, _) | (_, Verdict::Unknown) => Verdict::Unknown,
                _ => Verdict::Allowed,
            };
        }
        out
    }
}

/// One hop of a path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HopResult {
    /// Which hop.
    pub hop: Hop,
    /// Its verdict.
    pub verdict: Verdict,
    /// What admitted or blocked it.
    pub evidence: Vec<Evidence>,
    /// The same, as a fact for the rules.
    #[serde(skip)]
    pub fact: HopFact,
}

impl HopResult {
    /// Reason codes of the failed checks.
    #[must_use]
    pub fn reasons(&self) -> &[String] {
        &self.fact.reasons
    }
}

/// One piece of evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    /// A rule that admits the flow (`sg-0abc ingress tcp/443 from pl-3b927c52`).
    Admitted {
        /// The rule as text.
        rule: String,
    },
    /// A rule that denies it (NACL entries).
    DeniedBy {
        /// The rule as text.
        rule: String,
    },
    /// A rule that matches on all attributes but one.
    NearMiss {
        /// The rule as text.
        rule: String,
        /// `port`, `protocol`, `source`.
        differs: String,
        /// Explanation (the ghost-reference sentence).
        detail: String,
    },
    /// Something checked, with its result.
    Checked {
        /// What, in words.
        what: String,
    },
    /// Data that was missing.
    Missing {
        /// What.
        what: String,
        /// The AWS CLI call that supplies it.
        cli: String,
    },
    /// A failed check.
    Problem {
        /// Reason code (`sg-no-admitting-rule`, …).
        code: String,
        /// Explanation.
        detail: String,
    },
}

/// Evaluates every path.
#[must_use]
pub fn evaluate(inv: &Inventory, opts: &ReachOptions) -> ReachReport {
    paths::evaluate(inv, opts)
}

/// Facts for the rules: one `hop` fact per hop of every path and one `origin` fact per origin.
#[must_use]
pub fn hop_facts(report: &ReachReport) -> Vec<Fact> {
    // The parts of each split behavior, once: (distribution, behavior) → (part, allowed).
    let mut parts: HashMap<(&str, &str), Vec<(&str, bool)>> = HashMap::new();
    for p in &report.paths {
        if let Some(sub) = &p.sub_path {
            parts
                .entry((p.distribution.as_str(), p.behavior.as_str()))
                .or_default()
                .push((sub.as_str(), p.verdict == Verdict::Allowed));
        }
    }
    let mut out: Vec<Fact> = Vec::new();
    for p in &report.paths {
        let share = p.forward_share.unwrap_or(0);
        let Some(sub) = &p.sub_path else {
            out.extend(p.hops.iter().map(|h| {
                let mut f = h.fact.clone();
                f.forward_share = share;
                Fact::Hop(f)
            }));
            continue;
        };
        let mut working: Vec<String> = parts
            .get(&(p.distribution.as_str(), p.behavior.as_str()))
            .into_iter()
            .flatten()
            .filter(|(other, allowed)| *allowed && other != sub)
            .map(|(other, _)| (*other).to_owned())
            .collect();
        working.sort();
        working.dedup();
        for h in &p.hops {
            let mut f = h.fact.clone();
            if f.sub_path.is_empty() {
                f.sub_path.clone_from(sub);
            }
            f.split_sub_paths_allowed.clone_from(&working);
            f.forward_share = share;
            out.push(Fact::Hop(f));
        }
    }
    out.extend(report.origin_facts.iter().cloned().map(Fact::Origin));
    out
}

impl ReachReport {
    /// Whether any path is blocked or partial.
    #[must_use]
    pub fn has_problems(&self) -> bool {
        self.paths
            .iter()
            .any(|p| matches!(p.verdict, Verdict::Blocked | Verdict::Partial))
    }
}

/// A hop whose verdict is `unknown`: data was missing or the read was denied, so nothing was
/// decided there. `check`, `triage` and `what-if` name these instead of reporting all-clear.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct UnknownHop {
    /// Which hop.
    pub hop: Hop,
    /// What the hop joins, briefly: `E2QWRUHAPOMQZL * → web-alb :80` for `cloudfront->alb`,
    /// `web-alb → web-tg → i-0abc` for `alb->target`, `web-tg → i-0abc` for `target`.
    pub resource: String,
    /// What is missing (`listeners`, `network_acls`, …), or the reason when no data is named.
    pub missing: Vec<String>,
}

impl UnknownHop {
    fn of(p: &PathTrace, h: &HopResult) -> UnknownHop {
        let lb = p
            .load_balancer
            .clone()
            .unwrap_or_else(|| format!("origin {}", p.origin));
        // Parts the path did not reach (no target group, no registered target) are left out.
        let behind = |first: Option<String>| {
            first
                .into_iter()
                .chain(p.target_group.clone())
                .chain(p.target.clone())
                .collect::<Vec<_>>()
                .join(" → ")
        };
        let resource = match h.hop {
            Hop::ViewerToCloudfront => format!("{} {}", p.distribution, p.behavior),
            Hop::CloudfrontToAlb if p.port >= 0 => {
                format!("{} {} → {lb} :{}", p.distribution, p.behavior, p.port)
            }
            Hop::CloudfrontToAlb => format!("{} {} → {lb}", p.distribution, p.behavior),
            Hop::AlbRouting => behind(Some(format!("{lb} {}", p.behavior))),
            Hop::AlbToTarget => behind(Some(lb)),
            Hop::Target => behind(None),
        };
        let mut missing: Vec<String> = h
            .evidence
            .iter()
            .filter_map(|e| match e {
                Evidence::Missing { what, .. } => Some(what.clone()),
                _ => None,
            })
            .collect();
        if missing.is_empty() {
            missing = h
                .evidence
                .iter()
                .filter_map(|e| match e {
                    Evidence::Problem { detail, .. } => Some(detail.clone()),
                    _ => None,
                })
                .collect();
        }
        if missing.is_empty() {
            missing.clone_from(&h.fact.reasons);
        }
        missing.dedup();
        UnknownHop {
            hop: h.hop,
            resource,
            missing,
        }
    }
}

/// Every `unknown` hop of `paths`, each once (paths through the same hop name it once), in
/// hop order then by resource.
#[must_use]
pub fn unknown_hops<'a>(paths: impl IntoIterator<Item = &'a PathTrace>) -> Vec<UnknownHop> {
    let mut out: Vec<UnknownHop> = paths
        .into_iter()
        .flat_map(|p| {
            p.hops
                .iter()
                .filter(|h| h.verdict == Verdict::Unknown)
                .map(move |h| UnknownHop::of(p, h))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combine_order() {
        use Verdict::*;
        assert_eq!(Verdict::combine([Allowed, Unknown]), Unknown);
        assert_eq!(Verdict::combine([Unknown, Partial]), Partial);
        assert_eq!(Verdict::combine([Partial, Blocked, Unknown]), Blocked);
        assert_eq!(Verdict::combine([Allowed, Allowed]), Allowed);
        assert_eq!(
            serde_json::to_value(Hop::CloudfrontToAlb).expect("json"),
            "cloudfront->alb"
        );
    }
}
