//! What-if: apply proposed changes to a copy of the Inventory, re-evaluate the paths they can
//! touch, and report what breaks — before anyone applies the change.
//!
//! The model is Batfish's differential reachability: two Inventories, one evaluator, a diff of
//! verdicts per path. Only paths through load balancers the changes can affect (their groups,
//! their targets' groups and subnets, their target groups) are evaluated, so a change set costs
//! in proportion to what it touches. Rules run on the after-state, so a broken path comes with
//! the pattern that names it (`target-sg-ghost-reference`). Deleting a group also reports what
//! AWS would refuse (`blockers`) and evaluates the detach that would have to come first.

mod apply;
pub mod change;
mod diff;
mod grammar;
mod resolve;
mod routing_apply;
mod routing_changes;
mod scope;
pub mod terraform;

use std::collections::BTreeMap;

use serde::Serialize;

pub use apply::apply;
pub use change::{Change, ChangeError, Peer, RoutingAction, RuleCondition, RuleEdit};
pub use diff::PathChange;
pub use grammar::load_changes_file;
pub use terraform::{PlanStatus, PlannedResource};

use crate::blockers::{Blocker, sg_deletion_blockers};
use crate::model::Inventory;
use crate::reach::{self, PathKey, PathTrace, ReachOptions, Verdict};
use crate::rules::{Finding, RuleSet};
use diff::{counterpart, path_change};
use scope::{affected_lbs, touched};

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
    /// No change edgepath models was given (a plan of no-ops, of unrelated resources, an empty
    /// `--changes` file, or every modelled change unresolved): nothing was evaluated.
    pub nothing_to_check: bool,
    /// Every resource change of the plan, each with its status, in plan order (empty without
    /// a plan).
    pub resources: Vec<PlannedResource>,
    /// How many of `resources` are in each status.
    pub resource_counts: ResourceCounts,
    /// `address (type): reason` of plan resources edgepath does not model.
    pub unsupported: Vec<String>,
    /// `address (type): reason` of plan resources that could not be evaluated: values known
    /// only after apply, or something the loaded data lacks.
    pub unresolved: Vec<String>,
    /// Rule findings on the after-state for the evaluated paths.
    pub findings: Vec<Finding>,
    /// Hops of the evaluated paths that are `unknown` after the changes (data missing or a
    /// read denied): with nothing broken, the answer is incomplete (exit 3).
    pub unknown_hops: Vec<reach::UnknownHop>,
    /// The snapshot loader's warnings (filled by the command; empty from the evaluator).
    pub warnings: Vec<String>,
}

impl WhatIfReport {
    /// Whether any path breaks (the CI gate).
    #[must_use]
    pub fn breaks(&self) -> bool {
        !self.broken.is_empty()
    }

    /// Whether nothing breaks but some evaluated hop could not be checked.
    #[must_use]
    pub fn incomplete(&self) -> bool {
        !self.breaks() && !self.unknown_hops.is_empty()
    }
}

/// How many plan resource changes are in each [`PlanStatus`].
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct ResourceCounts {
    /// Evaluated.
    pub modelled: usize,
    /// Not evaluated: unknown until apply, or missing from the loaded data.
    pub unresolved: usize,
    /// Outside the model.
    pub not_modelled: usize,
    /// Unchanged.
    pub no_op: usize,
}

impl ResourceCounts {
    fn of(resources: &[PlannedResource]) -> ResourceCounts {
        let mut c = ResourceCounts::default();
        for r in resources {
            *match r.status {
                PlanStatus::Modelled => &mut c.modelled,
                PlanStatus::Unresolved => &mut c.unresolved,
                PlanStatus::NotModelled => &mut c.not_modelled,
                PlanStatus::NoOp => &mut c.no_op,
            } += 1;
        }
        c
    }
}

/// Inputs besides the Inventory.
#[derive(Debug, Default)]
pub struct WhatIfInput {
    /// Changes given by flags or a `--changes` file: a name the loaded data lacks is an error
    /// (a typo must not pass as "nothing breaks").
    pub changes: Vec<Change>,
    /// A plan's resource changes: a modelled one that names something the loaded data lacks
    /// becomes `unresolved` and the rest is still evaluated.
    pub plan: Vec<PlannedResource>,
}

/// Applies the changes to a copy of `inv`, re-evaluates affected paths and diffs them.
///
/// A plan resource change is applied whole or not at all: when one of its changes names
/// something the loaded data lacks, it is marked unresolved (naming what is missing) and the
/// rest of the plan is still evaluated. With no change to apply, nothing is evaluated and the
/// report says `nothing_to_check`.
///
/// # Errors
/// A change given by flags or a `--changes` file names something not in the Inventory.
pub fn evaluate_changes(
    inv: &Inventory,
    input: WhatIfInput,
    rules: Option<&RuleSet>,
) -> Result<WhatIfReport, ChangeError> {
    let WhatIfInput { changes, mut plan } = input;
    let mut blockers = Vec::new();
    let mut after = inv.clone();
    let mut applied: Vec<Change> = Vec::new();
    let mut apply_one = |after: &mut Inventory, c: &Change| -> Result<(), ChangeError> {
        if let Change::DeleteSg { sg } = c {
            let id = resolve::resolve_sg(inv, sg)?;
            blockers.extend(sg_deletion_blockers(inv, &id));
        }
        apply(after, c)?;
        applied.push(c.clone());
        Ok(())
    };
    for c in &changes {
        apply_one(&mut after, c)?;
    }
    for r in plan.iter_mut().filter(|r| r.status == PlanStatus::Modelled) {
        if let Err(e) = r.planned.iter().try_for_each(|c| apply::check(&after, c)) {
            r.unresolve(match e {
                ChangeError::UnknownId { id, what, .. } => {
                    // `what` may carry a hint in parentheses: the noun is enough here.
                    let noun = what.split(" (").next().unwrap_or(what);
                    format!("the loaded data has no {noun} `{id}`")
                }
                ChangeError::Syntax { why, .. } => format!("not in the loaded data: {why}"),
            });
            continue;
        }
        for c in &r.planned.clone() {
            // `check` passed, so this fails only when two changes of one resource collide
            // (the same rule revoked twice): say so rather than abort the plan.
            if let Err(e) = apply_one(&mut after, c) {
                r.unresolve(format!("{e} (after its other changes were applied)"));
                break;
            }
        }
    }
    let resource_counts = ResourceCounts::of(&plan);
    let listed = |status: PlanStatus| -> Vec<String> {
        plan.iter()
            .filter(|r| r.status == status)
            .map(|r| {
                format!(
                    "{} ({}): {}",
                    r.address,
                    r.resource_type,
                    r.reason.as_deref().unwrap_or("")
                )
            })
            .collect()
    };
    let (unsupported, unresolved) = (
        listed(PlanStatus::NotModelled),
        listed(PlanStatus::Unresolved),
    );
    if applied.is_empty() {
        return Ok(WhatIfReport {
            changes: Vec::new(),
            broken: Vec::new(),
            fixed: Vec::new(),
            unchanged: 0,
            evaluated: 0,
            blockers,
            nothing_to_check: true,
            resources: plan,
            resource_counts,
            unsupported,
            unresolved,
            findings: Vec::new(),
            unknown_hops: Vec::new(),
            warnings: Vec::new(),
        });
    }
    let t = touched(inv, &applied);
    let mut lbs = affected_lbs(inv, &t);
    lbs.extend(affected_lbs(&after, &t));
    let scoped = |dists: Vec<String>, albs: Vec<String>| ReachOptions {
        distributions: dists,
        albs,
        origin_map: Vec::new(),
        request: None,
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
    // After paths that stand for broken requests (counted there, not as unchanged).
    let mut answered = std::collections::BTreeSet::new();
    let mut ended = Vec::new(); // listed after the paths that exist on both sides
    for (key, b) in &before_by_key {
        if !after_by_key.contains_key(key) && b.verdict == Verdict::Allowed {
            // The same requests, answered otherwise after a routing change.
            match counterpart(&after_by_key, &before_by_key, key) {
                Some(a) if a.verdict != Verdict::Allowed => {
                    answered.insert(a.key());
                    ended.push(path_change(b, a));
                    continue;
                }
                Some(_) => continue, // sent to another group that admits them
                None => {}
            }
            let mut gone = path_change(b, b);
            gone.after = Verdict::Blocked;
            gone.hops.clear(); // the path's hops no longer exist
            gone.evidence = vec![
                "after: the path no longer exists (its listener, rule or target group was removed)"
                    .to_owned(),
            ];
            ended.push(gone);
        }
    }
    for (key, a) in &after_by_key {
        match before_by_key.get(key) {
            Some(b) if b.verdict == Verdict::Allowed && a.verdict != Verdict::Allowed => {
                broken.push(path_change(b, a))
            }
            Some(b) if b.verdict != Verdict::Allowed && a.verdict == Verdict::Allowed => {
                fixed.push(path_change(b, a))
            }
            // A new path: the requests a routing change now sends to a target, fixed when
            // before they ended at the ALB or a failing group.
            None if answered.contains(key) => {}
            None if a.verdict == Verdict::Allowed => {
                match counterpart(&before_by_key, &after_by_key, key) {
                    Some(b) if b.verdict != Verdict::Allowed => fixed.push(path_change(b, a)),
                    _ => unchanged += 1,
                }
            }
            _ => unchanged += 1,
        }
    }
    broken.extend(ended);
    let mut findings = Vec::new();
    if let Some(rules) = rules {
        let facts = crate::rules::assemble_facts(Some(&after), &after_reports, &[]);
        findings = rules.evaluate(&facts).findings;
    }
    // Freeing the copied Inventory and both reports takes as long as a third of the
    // evaluation on a large account; nothing reads them any more, so free them off the
    // caller's critical path.
    let evaluated = after_by_key.len();
    let unknown_hops = reach::unknown_hops(after_by_key.values().copied());
    drop((before_by_key, after_by_key));
    rayon::spawn(move || drop((after, before_reports, after_reports)));
    Ok(WhatIfReport {
        changes: applied.iter().map(Change::describe).collect(),
        evaluated,
        broken,
        fixed,
        unchanged,
        blockers,
        nothing_to_check: false,
        resources: plan,
        resource_counts,
        unsupported,
        unresolved,
        findings,
        unknown_hops,
        warnings: Vec::new(),
    })
}
