//! One path's before/after diff: the hop whose verdict changed first, and the evidence on that
//! hop that is only on one side ("before: admitted by …", "after: …").

use std::collections::BTreeMap;

use serde::Serialize;

use crate::reach::{PathKey, PathTrace, Verdict};

/// One path whose verdict changed.
#[derive(Debug, Clone, Serialize)]
pub struct PathChange {
    /// Distribution id.
    pub distribution: String,
    /// Behavior path pattern.
    pub behavior: String,
    /// Origin id.
    pub origin: String,
    /// Load balancer.
    pub load_balancer: String,
    /// Target group.
    pub target_group: String,
    /// Target.
    pub target: String,
    /// Verdict before.
    pub before: Verdict,
    /// Verdict after.
    pub after: Verdict,
    /// The hops after the changes, each with its verdict and evidence (as in `check`'s `paths[]`).
    #[serde(serialize_with = "crate::reach::serialize_hops")]
    pub hops: Vec<std::sync::Arc<crate::reach::HopResult>>,
    /// The hop whose verdict changed first.
    pub hop: String,
    /// What admitted the flow before and what stops it after, in words.
    pub evidence: Vec<String>,
}

fn evidence_texts(path: &PathTrace) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for h in &path.hops {
        let texts = h.evidence.iter().map(ToString::to_string);
        out.entry(h.hop.as_str().to_owned())
            .or_default()
            .extend(texts);
    }
    out
}

pub(super) fn path_change(before: &PathTrace, after: &PathTrace) -> PathChange {
    let hop = after
        .hops
        .iter()
        .zip(&before.hops)
        .find(|(a, b)| a.verdict != b.verdict)
        .map(|(a, _)| a.hop)
        .or_else(|| after.first_failing_hop().map(|h| h.hop))
        .map_or_else(|| "-".to_owned(), |h| h.as_str().to_owned());
    let (b, a) = (evidence_texts(before), evidence_texts(after));
    let empty = Vec::new();
    let (bh, ah) = (b.get(&hop).unwrap_or(&empty), a.get(&hop).unwrap_or(&empty));
    let mut evidence: Vec<String> = bh
        .iter()
        .filter(|x| !ah.contains(x))
        .map(|x| format!("before: {x}"))
        .collect();
    evidence.extend(
        ah.iter()
            .filter(|x| !bh.contains(x))
            .map(|x| format!("after: {x}")),
    );
    PathChange {
        distribution: after.distribution.clone(),
        behavior: after.behavior.clone(),
        origin: after.origin.clone(),
        load_balancer: after.load_balancer.clone().unwrap_or_default(),
        // A path the ALB now answers itself has no group or target after: name the before's.
        target_group: after
            .target_group
            .clone()
            .or_else(|| before.target_group.clone())
            .unwrap_or_default(),
        target: after
            .target
            .clone()
            .or_else(|| before.target.clone())
            .unwrap_or_default(),
        before: before.verdict,
        after: after.verdict,
        hops: after.hops.clone(),
        hop,
        evidence,
    }
}

/// The path of `other` that stands for `key`'s requests when `key` exists on one side only: a
/// path of the same behavior, origin, load balancer and port that is itself on `other`'s side
/// only (a routing change sends the requests to another group, or the ALB answers them
/// itself). One that is not allowed comes first, so a broken request is named by the rule
/// that answers it now.
pub(super) fn counterpart<'a>(
    other: &BTreeMap<PathKey, &'a PathTrace>,
    same: &BTreeMap<PathKey, &PathTrace>,
    key: &PathKey,
) -> Option<&'a PathTrace> {
    let route = |k: &PathKey| {
        (
            k.distribution.clone(),
            k.behavior.clone(),
            k.origin.clone(),
            k.load_balancer.clone(),
            k.port,
        )
    };
    let mine = route(key);
    let mut candidates: Vec<&'a PathTrace> = other
        .iter()
        .filter(|(k, _)| !same.contains_key(*k) && route(k) == mine)
        .map(|(_, p)| *p)
        .collect();
    candidates.sort_by_key(|p| p.verdict == Verdict::Allowed);
    candidates.first().copied()
}
