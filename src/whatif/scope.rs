//! Which load balancers and distributions a change set can affect, so what-if evaluates only
//! their paths: a change set costs in proportion to what it touches, not to the account.
//!
//! A path is affected when a touched group sits on its ALB or on the ENI behind one of its
//! targets, a touched NACL's subnet holds the ALB or a target, its target group changed, or its
//! distribution changed. Scoping is computed on both the before- and the after-state by the
//! caller, so a path that only exists on one side is still evaluated.

use std::collections::BTreeSet;

use super::change::Change;
use super::resolve::{resolve_lb, resolve_sg, resolve_tg};
use crate::model::inventory::EniLookup;
use crate::model::{EniId, Inventory, LbArn, SgId, SubnetId, TgArn};

/// What a change set touches.
#[derive(Default)]
pub(super) struct Touched {
    sgs: BTreeSet<SgId>,
    lbs: BTreeSet<LbArn>,
    tgs: BTreeSet<TgArn>,
    subnets: BTreeSet<SubnetId>,
    /// Distribution ids whose origins changed.
    pub(super) distributions: BTreeSet<String>,
}

/// What `changes` touch, named in `inv`.
pub(super) fn touched(inv: &Inventory, changes: &[Change]) -> Touched {
    let mut t = Touched::default();
    for c in changes {
        match c {
            Change::DetachSg { sg, from: r } | Change::AttachSg { sg, to: r } => {
                if let Ok(id) = resolve_sg(inv, sg) {
                    t.sgs.insert(id);
                }
                if let Some(lb) = resolve_lb(inv, r) {
                    t.lbs.insert(lb);
                }
                if let Some(e) = inv.network_interfaces.get(r.as_str()) {
                    t.sgs.extend(e.groups.iter().map(|g| g.group_id.clone()));
                }
            }
            Change::DeleteSg { sg } | Change::Rule(super::RuleEdit { sg, .. }) => {
                if let Ok(id) = resolve_sg(inv, sg) {
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
                if let Ok(arn) = resolve_tg(inv, tg) {
                    t.tgs.insert(arn);
                }
            }
            Change::OriginProtocol { distribution, .. } => {
                t.distributions.insert(distribution.clone());
            }
            routing => {
                let (lbs, dists) = super::routing_apply::touched(inv, routing);
                t.lbs.extend(lbs);
                t.distributions.extend(dists);
            }
        }
    }
    t
}

/// Load balancers whose paths the change set can affect.
pub(super) fn affected_lbs(inv: &Inventory, t: &Touched) -> BTreeSet<LbArn> {
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
