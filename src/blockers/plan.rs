//! The teardown plan under construction: blockers found so far, steps in the order AWS needs
//! them, and the data that was missing.
//!
//! Every finder (`sg`, `eni`, `endpoint`, `vpc_origin`, `container`) adds to one [`Plan`];
//! duplicates collapse (a VPC can hold tens of thousands of ENIs, many sharing an owner), and
//! [`Plan::finish`] orders the steps by phase, dependants first and the resource itself last.
//! A plan with missing data is never "deletable".

use std::collections::{BTreeSet, HashSet};

use super::{Blocker, BlockerReport, Step};
use crate::model::{Inventory, Kind};

// Teardown phases: dependants before what they depend on.
pub(super) const P_DETACH_ORIGIN: u8 = 1;
pub(super) const P_DELETE_ORIGIN: u8 = 2;
pub(super) const P_LOAD_BALANCER: u8 = 3;
pub(super) const P_INSTANCE: u8 = 4;
pub(super) const P_OTHER_OWNER: u8 = 5;
pub(super) const P_ENDPOINT: u8 = 6;
pub(super) const P_NAT: u8 = 7;
pub(super) const P_RULES: u8 = 8;
pub(super) const P_SG: u8 = 9;
pub(super) const P_IGW: u8 = 10;
pub(super) const P_PEERING: u8 = 11;
pub(super) const P_ENI: u8 = 12;
pub(super) const P_SUBNET: u8 = 13;
pub(super) const P_TABLES: u8 = 14;
pub(super) const P_TARGET: u8 = 15;

/// Blockers, steps and missing data for one resource.
#[derive(Default)]
pub(super) struct Plan {
    pub(super) blockers: Vec<Blocker>,
    steps: Vec<Step>,
    incomplete: BTreeSet<String>,
    // De-duplication in O(1): a VPC can hold tens of thousands of ENIs.
    seen_blockers: HashSet<(String, String, String)>,
    seen_commands: HashSet<String>,
}

impl Plan {
    /// Records what blocks (once per kind, resource and detail).
    pub(super) fn block(
        &mut self,
        kind: &str,
        resource: impl Into<String>,
        detail: impl Into<String>,
        owner: impl Into<String>,
    ) {
        let b = Blocker {
            kind: kind.into(),
            resource: resource.into(),
            detail: detail.into(),
            owner: owner.into(),
        };
        if self
            .seen_blockers
            .insert((b.kind.clone(), b.resource.clone(), b.detail.clone()))
        {
            self.blockers.push(b);
        }
    }
    /// Adds a step (once per command).
    pub(super) fn step(
        &mut self,
        phase: u8,
        action: impl Into<String>,
        command: impl Into<String>,
        wait: impl Into<String>,
    ) {
        let command = command.into();
        if !self.seen_commands.insert(command.clone()) {
            return;
        }
        self.steps.push(Step {
            n: 0,
            action: action.into(),
            command,
            wait: wait.into(),
            phase,
        });
    }
    /// Notes that `kind` was not loaded, so the answer may be incomplete.
    pub(super) fn need(&mut self, inv: &Inventory, kind: Kind) {
        if !inv.has(kind) {
            self.incomplete
                .insert(format!("{}: {}", kind.name(), inv.missing_for(kind)));
        }
    }
    /// Orders and numbers the steps; the report for `resource` of `kind`.
    pub(super) fn finish(mut self, resource: &str, kind: &str) -> BlockerReport {
        self.steps.sort_by_key(|s| s.phase);
        for (i, s) in self.steps.iter_mut().enumerate() {
            s.n = i + 1;
        }
        let deletable = self.blockers.is_empty() && self.incomplete.is_empty();
        let notes = vec![
            "edgepath cannot see IAM policies or SCPs: if deletion still fails with UnauthorizedOperation, find the denial with `aws cloudtrail lookup-events --lookup-attributes AttributeKey=ResourceName,AttributeValue=".to_owned()
                + resource
                + "`",
        ];
        BlockerReport {
            resource: resource.to_owned(),
            kind: kind.to_owned(),
            deletable,
            blockers: self.blockers,
            steps: self.steps,
            incomplete: self.incomplete.into_iter().collect(),
            notes,
        }
    }
}
