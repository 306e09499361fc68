//! Why can't this security group / ENI / VPC endpoint / subnet / VPC be deleted?
//!
//! AWS answers `DependencyViolation` and stops there. This module finds what holds the
//! resource (rules of other groups naming it, ENIs carrying it and *who owns each ENI*,
//! requester-managed endpoints and the service behind them, CloudFront VPC origins whose
//! `cloudfront_managed` ENIs outlive the distribution) and merges everything into one ordered
//! teardown plan: dependants first, the resource itself last. Pure function of the Inventory,
//! like `reach`; it never claims "deletable" when the data to tell (ENIs, endpoints) is missing.
//! Catalog entries F1–F3 of `patterns.md`.
//!
//! One file per kind of holder: `sg` (rules naming a group, ENIs carrying it), `eni` (an ENI's
//! owner and what makes it let go), `owner` (classifying that owner), `endpoint`
//! (requester-managed endpoints), `vpc_origin` (CloudFront VPC origins), `container` (what a
//! subnet or VPC holds); they all add to one `plan::Plan`, which orders the steps.

mod container;
mod endpoint;
mod eni;
mod guardduty;
pub mod owner;
mod plan;
mod sg;
mod vpc_origin;

use serde::Serialize;

pub use owner::{EniOwner, classify_eni_owner};

use crate::model::{Inventory, Kind, SgId};
use plan::{P_TARGET, Plan};

/// Why `blockers` could not answer.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum BlockerError {
    /// The id names nothing in the Inventory.
    #[error("{id} is not in the loaded data")]
    #[diagnostic(
        code(blockers::unknown_resource),
        help(
            "check the id and the region; with --snapshot, the snapshot must include the output of `{cli}`"
        )
    )]
    UnknownResource {
        /// The id.
        id: String,
        /// The call that lists that kind.
        cli: &'static str,
    },
    /// The id's prefix is not one blockers understands.
    #[error("`{id}` is not a security group, ENI, VPC endpoint, subnet or VPC id")]
    #[diagnostic(
        code(blockers::unsupported),
        help("pass an id starting with sg-, eni-, vpce-, subnet- or vpc-")
    )]
    Unsupported {
        /// The id.
        id: String,
    },
}

/// Something that keeps the resource alive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blocker {
    /// `default-security-group`, `rule-reference`, `self-reference`, `peer-reference`,
    /// `stale-reference`, `attached-eni`, `vpc-endpoint`, `requester-managed-endpoint`,
    /// `vpc-origin`, `nat-gateway`, `internet-gateway`, `security-group`, `load-balancer`,
    /// `peering-connection`, `route-table`, `network-acl`, `subnet`.
    pub kind: String,
    /// The resource that blocks.
    pub resource: String,
    /// What it is and why it blocks.
    pub detail: String,
    /// Who owns it, when that matters (ENIs, endpoints).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub owner: String,
}

/// One step of the teardown plan.
///
/// Where a blocker can be cleared without losing anything (moving an ENI, a load balancer or an
/// endpoint to its other groups, revoking a rule), that is the step, and the destructive way to
/// the same end (terminate, delete) is its `alternative`, for when the owner is being torn down
/// anyway. A step is never destructive while its alternative is not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// 1-based position.
    pub n: usize,
    /// What to do.
    pub action: String,
    /// The AWS CLI command (or console action where no command exists).
    pub command: String,
    /// What to wait for before the next step, if anything.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub wait: String,
    /// Whether the step deletes, terminates or releases something, or cuts a running resource
    /// off its network: what cannot be undone by running another command. The last step (deleting
    /// the resource asked about) is destructive too.
    pub destructive: bool,
    /// The `resource` of the blocker this step clears; empty for checks and the resource itself.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub resolves: String,
    /// The destructive way to the same end, offered when this step keeps what it touches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alternative: Option<StepAlternative>,
    #[serde(skip)]
    phase: u8,
}

/// Another way to do what a [`Step`] does (e.g. terminate the instance instead of moving its
/// ENI to other groups).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepAlternative {
    /// What to do, and when it is the better choice.
    pub action: String,
    /// The AWS CLI command.
    pub command: String,
    /// What to wait for before the next step, if anything.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub wait: String,
    /// As [`Step::destructive`].
    pub destructive: bool,
}

/// The whole answer for one resource.
#[derive(Debug, Clone, Serialize)]
pub struct BlockerReport {
    /// The resource asked about.
    pub resource: String,
    /// `security-group`, `network-interface`, `vpc-endpoint`, `subnet`, `vpc`.
    pub kind: String,
    /// Whether nothing in the data blocks deletion.
    pub deletable: bool,
    /// What blocks it.
    pub blockers: Vec<Blocker>,
    /// The teardown plan, the resource itself last.
    pub steps: Vec<Step>,
    /// Data that was missing, so the answer may be incomplete.
    pub incomplete: Vec<String>,
    /// Things edgepath cannot see (IAM, SCPs).
    pub notes: Vec<String>,
}

/// Explains what blocks deleting `id` (`sg-…`, `eni-…`, `vpce-…`, `subnet-…`, `vpc-…`).
///
/// # Errors
/// The id is unknown or of an unsupported kind.
pub fn blockers_for(inv: &Inventory, id: &str) -> Result<BlockerReport, BlockerError> {
    let mut plan = Plan::default();
    let kind = if id.starts_with("sg-") {
        let sg = SgId::from(id);
        if !inv.security_groups.contains_key(&sg) {
            return Err(unknown(id, Kind::SecurityGroups));
        }
        sg::sg_blockers(inv, &sg, &mut plan, true);
        plan.step(
            P_TARGET,
            format!("delete {id}"),
            format!("aws ec2 delete-security-group --group-id {id}"),
            "",
        );
        "security-group"
    } else if id.starts_with("eni-") {
        let Some(eni) = inv.network_interfaces.get(id) else {
            return Err(unknown(id, Kind::NetworkInterfaces));
        };
        eni::explain_eni(inv, eni, &mut plan);
        "network-interface"
    } else if id.starts_with("vpce-") {
        let Some(ep) = inv.vpc_endpoints.get(id) else {
            return Err(unknown(id, Kind::VpcEndpoints));
        };
        let managed = endpoint::endpoint_blockers(inv, ep, &mut plan);
        if !managed {
            plan.step(
                P_TARGET,
                format!("delete {id}"),
                format!("aws ec2 delete-vpc-endpoints --vpc-endpoint-ids {id}"),
                "",
            );
        }
        "vpc-endpoint"
    } else if id.starts_with("subnet-") {
        let Some(subnet) = inv.subnets.get(id) else {
            return Err(unknown(id, Kind::Subnets));
        };
        container::container_blockers(inv, Some(id), subnet.vpc_id.as_str(), &mut plan);
        plan.step(
            P_TARGET,
            format!("delete {id}"),
            format!("aws ec2 delete-subnet --subnet-id {id}"),
            "",
        );
        "subnet"
    } else if id.starts_with("vpc-") {
        if !inv.vpcs.contains_key(id) && !inv.subnets.values().any(|s| s.vpc_id == id) {
            return Err(unknown(id, Kind::Vpcs));
        }
        container::container_blockers(inv, None, id, &mut plan);
        plan.step(
            P_TARGET,
            format!("delete the VPC {id} last"),
            format!("aws ec2 delete-vpc --vpc-id {id}"),
            "",
        );
        "vpc"
    } else {
        return Err(BlockerError::Unsupported { id: id.to_owned() });
    };
    Ok(plan.finish(id, kind))
}

/// The blockers of deleting one security group (for what-if's `--delete-sg`).
#[must_use]
pub fn sg_deletion_blockers(inv: &Inventory, sg: &SgId) -> Vec<Blocker> {
    let mut plan = Plan::default();
    sg::sg_blockers(inv, sg, &mut plan, true);
    plan.blockers
}

fn unknown(id: &str, kind: Kind) -> BlockerError {
    BlockerError::UnknownResource {
        id: id.to_owned(),
        cli: kind.cli(),
    }
}
