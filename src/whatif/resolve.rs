//! Names as people type them in a change → the ids the Inventory is keyed by.
//!
//! A security group by id or by name (names are unique only within a VPC, so a name held by two
//! groups is an error, never a guess), a load balancer by name or ARN, a target group by name or
//! ARN.

use super::change::ChangeError;
use crate::model::{Inventory, LbArn, SgId, TgArn};

/// Resolves a group named by id or by name.
pub(crate) fn resolve_sg(inv: &Inventory, s: &str) -> Result<SgId, ChangeError> {
    if inv.security_groups.contains_key(s) {
        return Ok(SgId::from(s));
    }
    let by_name: Vec<&SgId> = inv
        .security_groups
        .values()
        .filter(|g| g.group_name == s)
        .map(|g| &g.group_id)
        .collect();
    match by_name[..] {
        [one] => Ok(one.clone()),
        _ => Err(ChangeError::UnknownId {
            id: s.to_owned(),
            what: "security group (id, or name unique in its VPC)",
            known: Vec::new(),
        }),
    }
}

/// Resolves a load balancer named by name or ARN.
pub(crate) fn resolve_lb(inv: &Inventory, s: &str) -> Option<LbArn> {
    if inv.load_balancers.contains_key(s) {
        return Some(LbArn::from(s));
    }
    inv.index().lb_by_name.get(s).cloned()
}

/// Resolves a target group named by name or ARN.
pub(crate) fn resolve_tg(inv: &Inventory, s: &str) -> Result<TgArn, ChangeError> {
    if inv.target_groups.contains_key(s) {
        return Ok(TgArn::from(s));
    }
    inv.target_groups
        .values()
        .find(|t| t.target_group_name == s)
        .map(|t| t.target_group_arn.clone())
        .ok_or_else(|| ChangeError::UnknownId {
            id: s.to_owned(),
            what: "target group (name or ARN)",
            known: inv
                .target_groups
                .values()
                .map(|t| t.target_group_name.clone())
                .collect(),
        })
}
