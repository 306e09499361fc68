//! What-if: apply proposed changes to a copy of the Inventory, re-evaluate the paths they can
//! touch, and report what breaks — before anyone applies the change.
//!
//! The model is Batfish's differential reachability: two Inventories, one evaluator, a diff of
//! verdicts per path. Only paths through load balancers the changes can affect (their groups,
//! their targets' groups and subnets, their target groups) are evaluated, so a change set costs
//! in proportion to what it touches. Rules run on the after-state, so a broken path comes with
//! the pattern that names it (`target-sg-ghost-reference`). Deleting a group also reports what
//! AWS would refuse (`blockers`) and evaluates the detach that would have to come first.

pub mod change;
mod render;
pub mod terraform;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::Serialize;

pub use change::{Change, ChangeError, Peer, apply};

use crate::blockers::{Blocker, sg_deletion_blockers};
use crate::model::inventory::EniLookup;
use crate::model::{EniId, Inventory, LbArn, SgId, SubnetId, TgArn};
use crate::reach::{self, Evidence, PathKey, PathTrace, ReachOptions, Verdict};
use crate::rules::{Finding, RuleSet};

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

/// The what-if answer.
#[derive(Debug, Clone, Serialize)]
pub struct WhatIfReport {
    /// The changes applied, in words.
    pub changes: Vec<String>,
    /// Paths allowed before and not after.
    pub broken: Vec<PathChange>,
    /// Paths not allowed before and allowed after.
    pub fixed: Vec<PathChange>,
    /// Paths evaluated whose verdict did not change.
    pub unchanged: usize,
    /// Paths evaluated (only those the changes can affect).
    pub evaluated: usize,
    /// What AWS would refuse (deleting a referenced or attached group).
    pub blockers: Vec<Blocker>,
    /// Plan resources edgepath does not model.
    pub unsupported: Vec<String>,
    /// Plan values unknown until apply (affected hops may be `unknown`).
    pub unresolved: Vec<String>,
    /// Rule findings on the after-state for the evaluated paths.
    pub findings: Vec<Finding>,
}

impl WhatIfReport {
    /// Whether any path breaks (the CI gate).
    #[must_use]
    pub fn breaks(&self) -> bool {
        !self.broken.is_empty()
    }
}

/// What a change set touches.
#[derive(Default)]
struct Touched {
    sgs: BTreeSet<SgId>,
    lbs: BTreeSet<LbArn>,
    tgs: BTreeSet<TgArn>,
    subnets: BTreeSet<SubnetId>,
    distributions: BTreeSet<String>,
}

fn touched(inv: &Inventory, changes: &[Change]) -> Touched {
    let mut t = Touched::default();
    for c in changes {
        match c {
            Change::DetachSg { sg, from: r } | Change::AttachSg { sg, to: r } => {
                if let Ok(id) = change::resolve_sg(inv, sg) {
                    t.sgs.insert(id);
                }
                if let Some(lb) = change::resolve_lb(inv, r) {
                    t.lbs.insert(lb);
                }
                if let Some(e) = inv.network_interfaces.get(r.as_str()) {
                    t.sgs.extend(e.groups.iter().map(|g| g.group_id.clone()));
                }
            }
            Change::DeleteSg { sg } | Change::Rule { sg, .. } => {
                if let Ok(id) = change::resolve_sg(inv, sg) {
                    t.sgs.insert(id);
                }
            }
            Change::NaclEntry { acl, .. } => {
                if let Some(n) = inv.network_acls.get(acl.as_str()) {
                    t.subnets
                        .extend(n.associations.iter().map(|a| a.subnet_id.clone()));
                }
            }
            Change::TgPort { tg, .. } | Change::TgHealthPort { tg, .. } => {
                if let Some(arn) =
                    inv.target_groups
                        .keys()
                        .find(|a| a.as_str() == tg)
                        .or_else(|| {
                            inv.target_groups
                                .values()
                                .find(|g| g.target_group_name == *tg)
                                .map(|g| &g.target_group_arn)
                        })
                {
                    t.tgs.insert(arn.clone());
                }
            }
            Change::OriginProtocol { distribution, .. } => {
                t.distributions.insert(distribution.clone());
            }
        }
    }
    t
}

/// Load balancers whose paths the change set can affect.
fn affected_lbs(inv: &Inventory, t: &Touched) -> BTreeSet<LbArn> {
    let idx = inv.index();
    let mut out = BTreeSet::new();
    for (arn, lb) in &inv.load_balancers {
        let mut hit = t.lbs.contains(arn)
            || lb.security_groups.iter().any(|g| t.sgs.contains(g))
            || lb
                .availability_zones
                .iter()
                .filter_map(|z| z.subnet_id.as_ref())
                .any(|s| t.subnets.contains(s));
        for tg in idx.target_groups_by_lb.get(arn).into_iter().flatten() {
            if hit {
                break;
            }
            hit |= t.tgs.contains(tg);
            let tg_vpc = inv.target_groups.get(tg).and_then(|g| g.vpc_id.as_ref());
            for d in inv.target_health.get(tg).into_iter().flatten() {
                // An IP target is the ENI holding the address in the group's VPC; when that is
                // ambiguous every holder counts, so no affected path is missed.
                let enis: Vec<&EniId> = match idx.primary_eni_by_instance.get(d.target.id.as_str())
                {
                    Some(eni) => vec![eni],
                    None => match idx.eni_by_ip(tg_vpc, &d.target.id) {
                        EniLookup::Found(eni) => vec![eni],
                        EniLookup::Ambiguous(enis) => enis,
                        EniLookup::NotFound => Vec::new(),
                    },
                };
                for e in enis
                    .into_iter()
                    .filter_map(|e| inv.network_interfaces.get(e))
                {
                    hit |= e.groups.iter().any(|g| t.sgs.contains(&g.group_id))
                        || e.subnet_id.as_ref().is_some_and(|s| t.subnets.contains(s));
                }
                if let Some(i) = inv.instances.get(d.target.id.as_str()) {
                    hit |= i
                        .security_groups
                        .iter()
                        .any(|g| t.sgs.contains(&g.group_id));
                }
            }
        }
        if hit {
            out.insert(arn.clone());
        }
    }
    out
}

fn evidence_texts(path: &PathTrace) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for h in &path.hops {
        let texts = h.evidence.iter().map(|e| match e {
            Evidence::Admitted { rule } => format!("admitted by {rule}"),
            Evidence::DeniedBy { rule } => format!("denied by {rule}"),
            Evidence::NearMiss { detail, rule, .. } => {
                if detail.is_empty() {
                    format!("near miss {rule}")
                } else {
                    detail.clone()
                }
            }
            Evidence::Checked { what } => what.clone(),
            Evidence::Missing { what, cli } => format!("missing {what} ({cli})"),
            Evidence::Problem { detail, .. } => detail.clone(),
        });
        out.entry(h.hop.as_str().to_owned())
            .or_default()
            .extend(texts);
    }
    out
}

fn path_change(before: &PathTrace, after: &PathTrace) -> PathChange {
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
        target_group: after.target_group.clone().unwrap_or_default(),
        target: after.target.clone().unwrap_or_default(),
        before: before.verdict,
        after: after.verdict,
        hops: after.hops.clone(),
        hop,
        evidence,
    }
}

/// Inputs besides the Inventory.
#[derive(Debug, Default)]
pub struct WhatIfInput {
    /// The changes.
    pub changes: Vec<Change>,
    /// Unsupported plan resources.
    pub unsupported: Vec<String>,
    /// Unresolved plan values.
    pub unresolved: Vec<String>,
}

/// Applies the changes to a copy of `inv`, re-evaluates affected paths and diffs them.
///
/// # Errors
/// A change names something not in the Inventory.
pub fn evaluate_changes(
    inv: &Inventory,
    input: WhatIfInput,
    rules: Option<&RuleSet>,
) -> Result<WhatIfReport, ChangeError> {
    let mut blockers = Vec::new();
    let mut after = inv.clone();
    for c in &input.changes {
        if let Change::DeleteSg { sg } = c {
            let id = change::resolve_sg(inv, sg)?;
            blockers.extend(sg_deletion_blockers(inv, &id));
        }
        apply(&mut after, c)?;
    }
    let t = touched(inv, &input.changes);
    let mut lbs = affected_lbs(inv, &t);
    lbs.extend(affected_lbs(&after, &t));
    let scoped = |dists: Vec<String>, albs: Vec<String>| ReachOptions {
        distributions: dists,
        albs,
        origin_map: Vec::new(),
    };
    // The before- and after-state are independent: evaluate them side by side, each only over
    // the affected load balancers and distributions.
    let mut scopes = Vec::new();
    if !lbs.is_empty() {
        let albs: Vec<String> = lbs.iter().map(ToString::to_string).collect();
        scopes.push(scoped(Vec::new(), albs));
    }
    if !t.distributions.is_empty() {
        let dists: Vec<String> = t.distributions.iter().cloned().collect();
        scopes.push(scoped(dists, Vec::new()));
    }
    let eval_all = |state: &Inventory| -> Vec<reach::ReachReport> {
        scopes.iter().map(|o| reach::evaluate(state, o)).collect()
    };
    let (before_reports, after_reports) = rayon::join(|| eval_all(inv), || eval_all(&after));
    let before_by_key: BTreeMap<PathKey, &PathTrace> = before_reports
        .iter()
        .flat_map(|r| &r.paths)
        .map(|p| (p.key(), p))
        .collect();
    let after_by_key: BTreeMap<PathKey, &PathTrace> = after_reports
        .iter()
        .flat_map(|r| &r.paths)
        .map(|p| (p.key(), p))
        .collect();
    let (mut broken, mut fixed, mut unchanged) = (Vec::new(), Vec::new(), 0);
    for (key, a) in &after_by_key {
        match before_by_key.get(key) {
            Some(b) if b.verdict == Verdict::Allowed && a.verdict != Verdict::Allowed => {
                broken.push(path_change(b, a))
            }
            Some(b) if b.verdict != Verdict::Allowed && a.verdict == Verdict::Allowed => {
                fixed.push(path_change(b, a))
            }
            _ => unchanged += 1,
        }
    }
    for (key, b) in &before_by_key {
        if !after_by_key.contains_key(key) && b.verdict == Verdict::Allowed {
            let mut gone = path_change(b, b);
            gone.after = Verdict::Blocked;
            gone.hops.clear(); // the path's hops no longer exist
            gone.evidence = vec![
                "after: the path no longer exists (its listener, rule or target group was removed)"
                    .to_owned(),
            ];
            broken.push(gone);
        }
    }
    let mut findings = Vec::new();
    if let Some(rules) = rules {
        let facts = crate::rules::assemble_facts(Some(&after), &after_reports, &[]);
        findings = rules.evaluate(&facts).findings;
        findings.retain(|f| broken.is_empty() || f.hop != "teardown");
    }
    // Freeing the copied Inventory and both reports takes as long as a third of the
    // evaluation on a large account; nothing reads them any more, so free them off the
    // caller's critical path.
    let evaluated = after_by_key.len();
    drop((before_by_key, after_by_key));
    rayon::spawn(move || drop((after, before_reports, after_reports)));
    Ok(WhatIfReport {
        changes: input.changes.iter().map(Change::describe).collect(),
        evaluated,
        broken,
        fixed,
        unchanged,
        blockers,
        unsupported: input.unsupported,
        unresolved: input.unresolved,
        findings,
    })
}

/// Reads a `--changes` file: a JSON or TOML list of changes (`[[change]]` tables in TOML).
///
/// # Errors
/// Unreadable or malformed file.
pub fn load_changes_file(path: &PathBuf) -> miette::Result<Vec<Change>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| miette::miette!("cannot read {}: {e}", path.display()))?;
    if path.extension().is_some_and(|e| e == "toml") {
        #[derive(serde::Deserialize)]
        struct File {
            change: Vec<Change>,
        }
        let f: File =
            toml::from_str(&text).map_err(|e| miette::miette!("{}: {e}", path.display()))?;
        Ok(f.change)
    } else {
        serde_json::from_str(&text).map_err(|e| miette::miette!(help = "a JSON list like [{\"op\": \"detach-sg\", \"sg\": \"sg-0abc\", \"from\": \"web-alb\"}]", "{}:{}:{}: {e}", path.display(), e.line(), e.column()))
    }
}
