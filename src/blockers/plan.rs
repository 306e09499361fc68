//! The teardown plan under construction: blockers found so far, steps in the order AWS needs
//! them, and the data that was missing.
//!
//! Every finder (`sg`, `eni`, `endpoint`, `vpc_origin`, `container`) adds to one [`Plan`];
//! duplicates collapse (a VPC can hold tens of thousands of ENIs, many sharing an owner), and
//! [`Plan::finish`] orders the steps by phase, dependants first and the resource itself last.
//! A plan with missing data is never "deletable".
//!
//! Each step says whether it is destructive ([`destructive_command`] reads that off the AWS CLI
//! verb; a caller overrides it where the verb does not tell, e.g. a Lambda update that drops the
//! function's VPC access). Where a blocker can be cleared without losing anything, the caller adds
//! that step with the destructive way as its alternative ([`Plan::add`]).

use std::collections::{BTreeSet, HashSet};

use super::{Blocker, BlockerReport, Step, StepAlternative};
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

/// What one step does, before the plan places it.
pub(super) struct Action {
    action: String,
    command: String,
    wait: String,
    destructive: bool,
}

impl Action {
    /// A step; destructive when its AWS CLI verb is ([`destructive_command`]).
    pub(super) fn new(
        action: impl Into<String>,
        command: impl Into<String>,
        wait: impl Into<String>,
    ) -> Self {
        let command = command.into();
        Action {
            action: action.into(),
            destructive: destructive_command(&command),
            command,
            wait: wait.into(),
        }
    }
    /// Says whether it is destructive where the verb does not tell.
    pub(super) fn destructive(mut self, destructive: bool) -> Self {
        self.destructive = destructive;
        self
    }
}

/// Whether a command deletes, terminates, releases, detaches, disassociates, deregisters or stops
/// something: any `aws <service> <verb>` in it (commands may chain with `&&` or sit in prose
/// between backticks) whose verb starts so.
#[must_use]
pub(super) fn destructive_command(command: &str) -> bool {
    const VERBS: [&str; 7] = [
        "delete-",
        "terminate-",
        "release-",
        "detach-",
        "disassociate-",
        "deregister-",
        "stop-",
    ];
    let words: Vec<&str> = command
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| c == '`' || c == '(' || c == '$'))
        .collect();
    words
        .windows(3)
        .any(|w| w[0] == "aws" && VERBS.iter().any(|v| w[2].starts_with(v)))
}

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
    /// Adds a step (once per command); destructive when its AWS CLI verb is.
    pub(super) fn step(
        &mut self,
        phase: u8,
        action: impl Into<String>,
        command: impl Into<String>,
        wait: impl Into<String>,
    ) {
        self.add(phase, Action::new(action, command, wait), "", None);
    }
    /// Adds `what` (once per command), which clears the blocker `resolves`, with another way to
    /// the same end. The non-destructive way goes first: a destructive step never has a
    /// non-destructive alternative (they are swapped).
    pub(super) fn add(
        &mut self,
        phase: u8,
        what: Action,
        resolves: &str,
        alternative: Option<Action>,
    ) {
        let (what, alternative) = match alternative {
            Some(alt) if what.destructive && !alt.destructive => (alt, Some(what)),
            other => (what, other),
        };
        if !self.seen_commands.insert(what.command.clone()) {
            return;
        }
        self.steps.push(Step {
            n: 0,
            action: what.action,
            command: what.command,
            wait: what.wait,
            destructive: what.destructive,
            resolves: resolves.to_owned(),
            alternative: alternative.map(|a| StepAlternative {
                action: a.action,
                command: a.command,
                wait: a.wait,
                destructive: a.destructive,
            }),
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

#[cfg(test)]
mod tests {
    use super::destructive_command;

    #[test]
    fn the_aws_verb_decides_whether_a_command_is_destructive() {
        for cmd in [
            "aws ec2 terminate-instances --instance-ids i-1",
            "aws ec2 delete-security-group --group-id sg-1",
            "aws ec2 release-address --allocation-id eipalloc-1",
            "aws ec2 detach-network-interface --attachment-id eni-attach-1",
            "aws cloudfront get-distribution-config --id E1 > E1.json && aws cloudfront delete-distribution --id E1",
            "delete the EFS mount target (`aws efs delete-mount-target --mount-target-id fsmt-1`)",
        ] {
            assert!(destructive_command(cmd), "{cmd}");
        }
        for cmd in [
            "aws ec2 modify-network-interface-attribute --network-interface-id eni-1 --groups sg-2",
            "aws ec2 revoke-security-group-ingress --group-id sg-1 --ip-permissions '[]'",
            "aws ec2 describe-network-interfaces --network-interface-ids eni-1",
            "aws cloudfront list-vpc-origins",
        ] {
            assert!(!destructive_command(cmd), "{cmd}");
        }
    }
}
