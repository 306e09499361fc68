//! Why can't this security group / ENI / VPC endpoint / subnet / VPC be deleted?
//!
//! AWS answers `DependencyViolation` and stops there. This module finds what holds the
//! resource (rules of other groups naming it, ENIs carrying it and *who owns each ENI*,
//! requester-managed endpoints and the service behind them, CloudFront VPC origins whose
//! `cloudfront_managed` ENIs outlive the distribution) and merges everything into one ordered
//! teardown plan: dependants first, the resource itself last. Pure function of the Inventory,
//! like `reach`; it never claims "deletable" when the data to tell (ENIs, endpoints) is missing.
//! Catalog entries F1–F3 of `patterns.md`.

pub mod owner;

use std::collections::BTreeSet;

use serde::Serialize;

pub use owner::{EniOwner, classify_eni_owner};

use crate::model::ec2::{IpPermission, tag};
use crate::model::{Direction, Inventory, Kind, SgId};

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
    #[serde(skip)]
    phase: u8,
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

// Teardown phases: dependants before what they depend on.
const P_DETACH_ORIGIN: u8 = 1;
const P_DELETE_ORIGIN: u8 = 2;
const P_LOAD_BALANCER: u8 = 3;
const P_INSTANCE: u8 = 4;
const P_OTHER_OWNER: u8 = 5;
const P_ENDPOINT: u8 = 6;
const P_NAT: u8 = 7;
const P_RULES: u8 = 8;
const P_SG: u8 = 9;
const P_IGW: u8 = 10;
const P_PEERING: u8 = 11;
const P_ENI: u8 = 12;
const P_SUBNET: u8 = 13;
const P_TABLES: u8 = 14;
const P_TARGET: u8 = 15;

#[derive(Default)]
struct Plan {
    blockers: Vec<Blocker>,
    steps: Vec<Step>,
    incomplete: BTreeSet<String>,
    // De-duplication in O(1): a VPC can hold tens of thousands of ENIs.
    seen_blockers: std::collections::HashSet<(String, String, String)>,
    seen_commands: std::collections::HashSet<String>,
}

impl Plan {
    fn block(
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
    fn step(
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
    fn need(&mut self, inv: &Inventory, kind: Kind) {
        if !inv.has(kind) {
            self.incomplete
                .insert(format!("{}: {}", kind.name(), inv.missing_reason(kind)));
        }
    }
    fn finish(mut self, resource: &str, kind: &str) -> BlockerReport {
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
        sg_blockers(inv, &sg, &mut plan, true);
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
        let owner = eni_blockers(inv, eni, &mut plan);
        if owner.is_requester_managed() {
            // aws-semantics.md §5: never DeleteNetworkInterface on a requester-managed ENI.
            // Its owner's steps above make AWS release it; the last step checks that it did.
            plan.step(
                P_TARGET,
                format!(
                    "verify that AWS released {id} after {} let go of it (requester-managed: never delete it yourself)",
                    owner.label()
                ),
                format!("aws ec2 describe-network-interfaces --network-interface-ids {id}"),
                "until it fails with InvalidNetworkInterfaceID.NotFound",
            );
        } else if matches!(owner, EniOwner::Instance { .. })
            && eni
                .attachment
                .as_ref()
                .is_some_and(|a| a.delete_on_termination == Some(true))
        {
            // DeleteOnTermination: terminating the instance deletes the ENI; a delete afterwards
            // would only fail with InvalidNetworkInterfaceID.NotFound.
            plan.step(
                P_TARGET,
                format!("verify that AWS deleted {id} with the instance (DeleteOnTermination)"),
                format!("aws ec2 describe-network-interfaces --network-interface-ids {id}"),
                "until it fails with InvalidNetworkInterfaceID.NotFound",
            );
        } else {
            plan.step(
                P_TARGET,
                format!("delete {id}"),
                format!("aws ec2 delete-network-interface --network-interface-id {id}"),
                "",
            );
        }
        "network-interface"
    } else if id.starts_with("vpce-") {
        let Some(ep) = inv.vpc_endpoints.get(id) else {
            return Err(unknown(id, Kind::VpcEndpoints));
        };
        let managed = endpoint_blockers(inv, ep, &mut plan);
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
        container_blockers(inv, Some(id), subnet.vpc_id.as_str(), &mut plan);
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
        container_blockers(inv, None, id, &mut plan);
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
    sg_blockers(inv, sg, &mut plan, true);
    plan.blockers
}

fn unknown(id: &str, kind: Kind) -> BlockerError {
    BlockerError::UnknownResource {
        id: id.to_owned(),
        cli: kind.cli(),
    }
}

/// `sg-x ingress tcp/80 from sg-y` for one permission and peer.
fn rule_text(group: &str, direction: Direction, p: &IpPermission, peer: &str) -> String {
    let proto = if p.ip_protocol == "-1" {
        "all".to_owned()
    } else {
        p.ip_protocol.clone()
    };
    let ports = match (p.from_port, p.to_port) {
        _ if p.ip_protocol == "-1" => String::new(),
        (Some(a), Some(b)) if a == b => format!("/{a}"),
        (Some(a), Some(b)) => format!("/{a}-{b}"),
        _ => String::new(),
    };
    let word = if direction == Direction::Ingress {
        "from"
    } else {
        "to"
    };
    format!(
        "{group} {} {proto}{ports} {word} {peer}",
        direction.as_str()
    )
}

fn revoke_command(group: &str, direction: Direction, p: &IpPermission, peer: &SgId) -> String {
    let mut perm = serde_json::json!({ "IpProtocol": p.ip_protocol, "UserIdGroupPairs": [{ "GroupId": peer }] });
    if let (Some(f), Some(t)) = (p.from_port, p.to_port) {
        perm["FromPort"] = f.into();
        perm["ToPort"] = t.into();
    }
    let verb = if direction == Direction::Ingress {
        "revoke-security-group-ingress"
    } else {
        "revoke-security-group-egress"
    };
    format!(
        "aws ec2 {verb} --group-id {group} --ip-permissions '{}'",
        serde_json::Value::Array(vec![perm])
    )
}

fn sg_blockers(inv: &Inventory, sg_id: &SgId, plan: &mut Plan, with_enis: bool) {
    plan.need(inv, Kind::NetworkInterfaces);
    plan.need(inv, Kind::VpcEndpoints);
    let Some(sg) = inv.security_groups.get(sg_id) else {
        return;
    };
    if sg.group_name == "default" {
        plan.block(
            "default-security-group",
            sg_id.as_str(),
            format!("{sg_id} is the default security group of {}: AWS deletes it only with the VPC; it can only be emptied", sg.vpc_id.as_ref().map_or("its VPC", |v| v.as_str())),
            "",
        );
    }
    for r in inv.index().sg_referrers.get(sg_id).into_iter().flatten() {
        let Some(holder) = inv.security_groups.get(&r.group) else {
            continue;
        };
        let perms = if r.direction == Direction::Ingress {
            &holder.ip_permissions
        } else {
            &holder.ip_permissions_egress
        };
        let Some(p) = perms.get(r.permission) else {
            continue;
        };
        let text = rule_text(r.group.as_str(), r.direction, p, sg_id.as_str());
        let (kind, detail) = if r.group == *sg_id {
            (
                "self-reference",
                format!("{text} (a rule of the group itself)"),
            )
        } else {
            (
                "rule-reference",
                format!("{text}: AWS refuses to delete a group another group's rule names"),
            )
        };
        plan.block(kind, r.group.as_str(), detail, "");
        plan.step(
            P_RULES,
            format!("remove the rule {text}"),
            revoke_command(r.group.as_str(), r.direction, p, sg_id),
            "",
        );
    }
    for reference in inv
        .security_group_references
        .iter()
        .filter(|r| r.group_id == *sg_id)
    {
        let via = reference
            .vpc_peering_connection_id
            .as_ref()
            .map(ToString::to_string)
            .or_else(|| reference.transit_gateway_id.clone())
            .unwrap_or_default();
        let vpc = reference
            .referencing_vpc_id
            .as_ref()
            .map_or("", |v| v.as_str());
        plan.block(
            "peer-reference",
            vpc,
            format!("groups in {vpc} (via {via}) reference {sg_id}"),
            "",
        );
        plan.step(
            P_RULES,
            format!("remove the rules in {vpc} that reference {sg_id} (run in the account owning {vpc})"),
            format!("aws ec2 describe-security-groups --filters Name=vpc-id,Values={vpc} Name=ip-permission.group-id,Values={sg_id}"),
            "",
        );
    }
    for stale in inv.stale_security_groups.values() {
        let names_it = stale
            .stale_ip_permissions
            .iter()
            .chain(&stale.stale_ip_permissions_egress)
            .any(|p| {
                p.user_id_group_pairs
                    .iter()
                    .any(|u| u.group_id.as_ref() == Some(sg_id))
            });
        if names_it {
            plan.block(
                "stale-reference",
                stale.group_id.as_str(),
                format!(
                    "{} holds a stale rule naming {sg_id} (peering gone)",
                    stale.group_id
                ),
                "",
            );
        }
    }
    for ep in inv
        .vpc_endpoints
        .values()
        .filter(|e| e.groups.iter().any(|g| g.group_id == *sg_id))
    {
        let id = &ep.vpc_endpoint_id;
        plan.block(
            "vpc-endpoint",
            id.as_str(),
            format!(
                "interface endpoint {id} ({}) uses {sg_id}",
                ep.service_name.as_deref().unwrap_or("?")
            ),
            "",
        );
        if ep.groups.len() > 1 {
            plan.step(P_ENDPOINT, format!("take {sg_id} off {id}"), format!("aws ec2 modify-vpc-endpoint --vpc-endpoint-id {id} --remove-security-group-ids {sg_id}"), "");
        } else {
            plan.step(
                P_ENDPOINT,
                format!("delete the endpoint {id} (its only group is {sg_id})"),
                format!("aws ec2 delete-vpc-endpoints --vpc-endpoint-ids {id}"),
                "",
            );
        }
    }
    if with_enis {
        for eni_id in inv.index().enis_by_sg.get(sg_id).into_iter().flatten() {
            if let Some(eni) = inv.network_interfaces.get(eni_id) {
                let owner = classify_eni_owner(eni, inv);
                if matches!(owner, EniOwner::VpcEndpoint { .. }) {
                    // The endpoint step above covers it.
                    plan.block(
                        "attached-eni",
                        eni_id.as_str(),
                        format!("{eni_id} carries {sg_id}"),
                        owner.label(),
                    );
                    continue;
                }
                plan.block(
                    "attached-eni",
                    eni_id.as_str(),
                    format!("{eni_id} carries {sg_id}"),
                    owner.label(),
                );
                owner_steps(inv, eni, &owner, plan);
            }
        }
    }
}

/// Blockers and owner steps of one ENI; returns its owner.
fn eni_blockers(
    inv: &Inventory,
    eni: &crate::model::ec2::NetworkInterface,
    plan: &mut Plan,
) -> EniOwner {
    let owner = classify_eni_owner(eni, inv);
    let id = &eni.network_interface_id;
    match &owner {
        EniOwner::Detached => {}
        EniOwner::Instance { .. } => {
            let primary = eni.attachment.as_ref().and_then(|a| a.device_index) == Some(0);
            plan.block(
                "attached-eni",
                id.as_str(),
                format!(
                    "{id} is attached to {}{}",
                    owner.label(),
                    if primary {
                        " as its primary interface"
                    } else {
                        ""
                    }
                ),
                owner.label(),
            );
            if primary {
                owner_steps(inv, eni, &owner, plan);
            } else if let Some(att) = eni
                .attachment
                .as_ref()
                .and_then(|a| a.attachment_id.as_deref())
            {
                plan.step(
                    P_INSTANCE,
                    format!("detach {id}"),
                    format!("aws ec2 detach-network-interface --attachment-id {att}"),
                    format!(
                        "aws ec2 wait network-interface-available --network-interface-ids {id}"
                    ),
                );
            }
        }
        _ => {
            plan.block(
                "attached-eni",
                id.as_str(),
                format!(
                    "{id} is requester-managed by {}: it cannot be detached or deleted directly",
                    owner.label()
                ),
                owner.label(),
            );
            owner_steps(inv, eni, &owner, plan);
        }
    }
    owner
}

/// Steps that make the owner let go of `eni`.
fn owner_steps(
    inv: &Inventory,
    eni: &crate::model::ec2::NetworkInterface,
    owner: &EniOwner,
    plan: &mut Plan,
) {
    let eni_id = eni.network_interface_id.as_str();
    match owner {
        EniOwner::Instance { id, .. } => plan.step(
            P_INSTANCE,
            format!("terminate {} (or move it to other security groups)", owner.label()),
            format!("aws ec2 terminate-instances --instance-ids {id}"),
            format!("aws ec2 wait instance-terminated --instance-ids {id}"),
        ),
        EniOwner::LoadBalancer { name } => {
            let suffix = format!("loadbalancer/{name}");
            let arn = inv
                .load_balancers
                .keys()
                .find(|a| a.as_str().ends_with(&suffix))
                .map_or_else(|| format!("<ARN of {name}>"), ToString::to_string);
            plan.step(
                P_LOAD_BALANCER,
                format!("delete the load balancer {name}"),
                format!("aws elbv2 delete-load-balancer --load-balancer-arn {arn}"),
                format!("aws elbv2 wait load-balancers-deleted --load-balancer-arns {arn}"),
            );
        }
        EniOwner::VpcEndpoint { id } => {
            if let Some(ep) = inv.vpc_endpoints.get(id.as_str()) {
                if !endpoint_blockers(inv, ep, plan) {
                    plan.step(P_ENDPOINT, format!("delete the endpoint {id}"), format!("aws ec2 delete-vpc-endpoints --vpc-endpoint-ids {id}"), "");
                }
            } else {
                plan.step(P_ENDPOINT, format!("delete the endpoint {id}"), format!("aws ec2 delete-vpc-endpoints --vpc-endpoint-ids {id}"), "");
            }
        }
        EniOwner::NatGateway { id } => nat_steps(inv, id, plan),
        EniOwner::CloudFrontVpcOrigin => vpc_origin_steps(inv, eni.vpc_id.as_ref().map_or("", |v| v.as_str()), plan),
        EniOwner::Detached => plan.step(P_ENI, format!("delete {eni_id}"), format!("aws ec2 delete-network-interface --network-interface-id {eni_id}"), ""),
        EniOwner::Lambda { function } => plan.step(
            P_OTHER_OWNER,
            format!("remove the VPC configuration of Lambda function {function}"),
            format!("aws lambda update-function-configuration --function-name {function} --vpc-config SubnetIds=[],SecurityGroupIds=[]"),
            format!("until `aws ec2 describe-network-interfaces --network-interface-ids {eni_id}` says it does not exist (Lambda releases ENIs after up to ~20-45 min)"),
        ),
        other => plan.step(P_OTHER_OWNER, format!("make {} let go of {eni_id}", other.label()), other.remedy(eni_id), ""),
    }
}

fn nat_steps(inv: &Inventory, id: &str, plan: &mut Plan) {
    plan.step(
        P_NAT,
        format!("delete the NAT gateway {id}"),
        format!("aws ec2 delete-nat-gateway --nat-gateway-id {id}"),
        format!("aws ec2 wait nat-gateway-deleted --nat-gateway-ids {id}"),
    );
    if let Some(nat) = inv.nat_gateways.get(id) {
        for a in nat
            .nat_gateway_addresses
            .iter()
            .filter_map(|a| a.allocation_id.as_deref())
        {
            plan.step(
                P_NAT,
                format!("release the Elastic IP {a} of {id}"),
                format!("aws ec2 release-address --allocation-id {a}"),
                "",
            );
        }
    }
}

/// The VPC origins whose endpoint is in `vpc` (or, when none matches, those whose endpoint no
/// longer exists: they may be the owners), with the ETag dance to delete them.
fn vpc_origin_steps(inv: &Inventory, vpc: &str, plan: &mut Plan) {
    plan.need(inv, Kind::VpcOrigins);
    let in_vpc: Vec<_> = inv
        .vpc_origins
        .values()
        .filter(|vo| {
            vo.endpoint_arn()
                .and_then(|a| inv.load_balancers.get(a))
                .and_then(|lb| lb.vpc_id.as_ref())
                .is_some_and(|v| v == vpc)
        })
        .collect();
    let (origins, guessed) = if in_vpc.is_empty() {
        (
            inv.vpc_origins
                .values()
                .filter(|vo| {
                    vo.endpoint_arn()
                        .is_none_or(|a| !inv.load_balancers.contains_key(a))
                })
                .collect::<Vec<_>>(),
            true,
        )
    } else {
        (in_vpc, false)
    };
    if origins.is_empty() {
        plan.block("vpc-origin", "?", "cloudfront_managed ENIs belong to a CloudFront VPC origin, but no VPC origin in the data points into this VPC; run `aws cloudfront list-vpc-origins` (CloudFront is global: use the account that owns the distribution)", "CloudFront");
        plan.step(
            P_DELETE_ORIGIN,
            "find the VPC origin whose endpoint is in this VPC",
            "aws cloudfront list-vpc-origins",
            "",
        );
        return;
    }
    for vo in origins {
        let id = vo.id.as_str();
        let endpoint = vo.endpoint_arn().unwrap_or("?");
        let detail = if guessed {
            format!(
                "VPC origin {id} ({}) points at {endpoint}, which is not in the data any more: likely the owner of these ENIs",
                vo.status.as_deref().unwrap_or("?")
            )
        } else {
            format!(
                "VPC origin {id} ({}) points at {endpoint} in this VPC and owns its cloudfront_managed ENIs",
                vo.status.as_deref().unwrap_or("?")
            )
        };
        plan.block("vpc-origin", id, detail, "CloudFront");
        for d in inv.distributions.values() {
            if d.origins.items.iter().any(|o| {
                o.vpc_origin_config
                    .as_ref()
                    .is_some_and(|c| c.vpc_origin_id == vo.id)
            }) {
                let did = d.id.as_str();
                plan.block(
                    "vpc-origin",
                    did,
                    format!("distribution {did} still uses VPC origin {id}"),
                    "CloudFront",
                );
                plan.step(
                    P_DETACH_ORIGIN,
                    format!("remove VPC origin {id} from distribution {did} (edit the config: drop or replace the origin and the behaviors using it)"),
                    format!("aws cloudfront get-distribution-config --id {did} > {did}.json && aws cloudfront update-distribution --id {did} --if-match <ETag from {did}.json> --distribution-config file://{did}-edited.json"),
                    format!("aws cloudfront wait distribution-deployed --id {did}"),
                );
            }
        }
        plan.step(
            P_DELETE_ORIGIN,
            "list the VPC origins (check it is still there)",
            "aws cloudfront list-vpc-origins",
            "",
        );
        let etag = vo.etag.clone().unwrap_or_else(|| "<ETag>".to_owned());
        plan.step(
            P_DELETE_ORIGIN,
            format!(
                "read the ETag of {id}{}",
                vo.etag
                    .as_ref()
                    .map_or(String::new(), |e| format!(" (the snapshot had {e})"))
            ),
            format!("aws cloudfront get-vpc-origin --id {id}"),
            "",
        );
        plan.step(
            P_DELETE_ORIGIN,
            format!("delete the VPC origin {id}"),
            format!("aws cloudfront delete-vpc-origin --id {id} --if-match {etag}"),
            format!("until `aws cloudfront get-vpc-origin --id {id}` fails with EntityNotFound; its cloudfront_managed ENIs then disappear"),
        );
    }
}

/// Blockers of an endpoint; returns whether it is requester-managed (you cannot delete it).
fn endpoint_blockers(
    inv: &Inventory,
    ep: &crate::model::ec2::VpcEndpoint,
    plan: &mut Plan,
) -> bool {
    let id = ep.vpc_endpoint_id.as_str();
    if ep.requester_managed != Some(true) {
        return false;
    }
    plan.need(inv, Kind::CloudTrailEvents);
    let service = ep.service_name.as_deref().unwrap_or("");
    let (owner, action, command) = if tag(&ep.tags, "AWSNetworkFirewallManaged").is_some()
        || tag(&ep.tags, "Firewall").is_some()
    {
        let fw = tag(&ep.tags, "Firewall").unwrap_or("<firewall ARN>");
        let subnets: Vec<&str> = ep.subnet_ids.iter().map(|s| s.as_str()).collect();
        (
            format!(
                "AWS Network Firewall {}",
                fw.rsplit('/').next().unwrap_or(fw)
            ),
            format!(
                "remove the firewall's subnet mapping for {} (or delete the firewall)",
                subnets.join(", ")
            ),
            format!(
                "aws network-firewall disassociate-subnets --firewall-arn {fw} --subnet-ids {}",
                subnets.join(" ")
            ),
        )
    } else if service.contains("elasticache") {
        (
            "ElastiCache Serverless".to_owned(),
            "delete the serverless cache (the endpoint can linger minutes to hours)".to_owned(),
            "aws elasticache delete-serverless-cache --serverless-cache-name <name>".to_owned(),
        )
    } else if service.contains("redshift") {
        (
            "Amazon Redshift".to_owned(),
            "delete the Redshift endpoint access".to_owned(),
            "aws redshift delete-endpoint-access --endpoint-name <name>".to_owned(),
        )
    } else if service.contains("rds") {
        (
            "Amazon RDS (RDS Proxy / Aurora Serverless)".to_owned(),
            "delete the RDS Proxy endpoint or the Aurora Serverless cluster".to_owned(),
            "aws rds delete-db-proxy-endpoint --db-proxy-endpoint-name <name>".to_owned(),
        )
    } else if let Some(invoker) = cloudtrail_creator(inv, id) {
        (
            format!("the service {invoker} (CloudTrail CreateVpcEndpoint)"),
            format!("delete or reconfigure the {invoker} resource that created it"),
            format!(
                "see the service's console; CloudTrail: aws cloudtrail lookup-events --lookup-attributes AttributeKey=ResourceName,AttributeValue={id}"
            ),
        )
    } else {
        (
            "unknown AWS service".to_owned(),
            "find the creating service in CloudTrail (90 days)".to_owned(),
            format!(
                "aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=CreateVpcEndpoint --query \"Events[?contains(CloudTrailEvent, '{id}')]\""
            ),
        )
    };
    let owner = match cloudtrail_creator(inv, id) {
        Some(invoker) if !owner.contains(&invoker) => {
            format!("{owner}; CloudTrail: created by {invoker}")
        }
        _ => owner,
    };
    plan.block(
        "requester-managed-endpoint",
        id,
        format!("{id} ({service}) is requester-managed: DeleteVpcEndpoints fails with \"Operation is not allowed for requester-managed VPC endpoints\""),
        owner,
    );
    plan.step(
        P_ENDPOINT,
        action,
        command,
        format!(
            "until `aws ec2 describe-vpc-endpoints --vpc-endpoint-ids {id}` no longer lists it"
        ),
    );
    true
}

fn cloudtrail_creator(inv: &Inventory, endpoint: &str) -> Option<String> {
    inv.cloudtrail_events
        .values()
        .filter(|e| e.event_name == "CreateVpcEndpoint")
        .find_map(|e| {
            let names_it = e
                .resources
                .iter()
                .any(|r| r.resource_name.as_deref() == Some(endpoint))
                || e.cloud_trail_event
                    .as_deref()
                    .is_some_and(|t| t.contains(endpoint));
            if !names_it {
                return None;
            }
            let record: serde_json::Value =
                serde_json::from_str(e.cloud_trail_event.as_deref()?).ok()?;
            let who = &record["userIdentity"];
            who["invokedBy"]
                .as_str()
                .or_else(|| who["arn"].as_str())
                .map(str::to_owned)
        })
}

/// Everything inside a subnet (or a whole VPC when `subnet` is None).
fn container_blockers(inv: &Inventory, subnet: Option<&str>, vpc: &str, plan: &mut Plan) {
    plan.need(inv, Kind::NetworkInterfaces);
    plan.need(inv, Kind::VpcEndpoints);
    plan.need(inv, Kind::NatGateways);
    let idx = inv.index();
    let enis = match subnet {
        Some(s) => idx.enis_by_subnet.get(s),
        None => idx.enis_by_vpc.get(vpc),
    };
    for eni_id in enis.into_iter().flatten() {
        let Some(eni) = inv.network_interfaces.get(eni_id) else {
            continue;
        };
        let owner = classify_eni_owner(eni, inv);
        plan.block(
            "attached-eni",
            eni_id.as_str(),
            format!(
                "{eni_id} ({}) is in {}",
                eni.private_ip_address.as_deref().unwrap_or("-"),
                subnet.unwrap_or(vpc)
            ),
            owner.label(),
        );
        owner_steps(inv, eni, &owner, plan);
    }
    for ep in inv
        .vpc_endpoints
        .values()
        .filter(|e| e.vpc_id.as_ref().is_some_and(|v| v == vpc))
    {
        if subnet.is_some_and(|s| !ep.subnet_ids.iter().any(|x| x == s)) {
            continue;
        }
        if !endpoint_blockers(inv, ep, plan) {
            let id = &ep.vpc_endpoint_id;
            plan.block(
                "vpc-endpoint",
                id.as_str(),
                format!(
                    "endpoint {id} ({})",
                    ep.service_name.as_deref().unwrap_or("?")
                ),
                "",
            );
            plan.step(
                P_ENDPOINT,
                format!("delete the endpoint {id}"),
                format!("aws ec2 delete-vpc-endpoints --vpc-endpoint-ids {id}"),
                "",
            );
        }
    }
    for nat in inv.nat_gateways.values().filter(|n| {
        n.vpc_id.as_ref().is_some_and(|v| v == vpc) && n.state.as_deref() != Some("deleted")
    }) {
        if subnet.is_some_and(|s| nat.subnet_id.as_ref().is_none_or(|x| x != s)) {
            continue;
        }
        let id = nat.nat_gateway_id.as_str();
        plan.block(
            "nat-gateway",
            id,
            format!(
                "NAT gateway {id} in {}",
                nat.subnet_id.as_ref().map_or("?", |s| s.as_str())
            ),
            "",
        );
        nat_steps(inv, id, plan);
    }
    // VPC origins pointing into this VPC hold ENIs here even if ENIs were not loaded.
    if subnet.is_none()
        && inv.vpc_origins.values().any(|vo| {
            vo.endpoint_arn()
                .and_then(|a| inv.load_balancers.get(a))
                .and_then(|l| l.vpc_id.as_ref())
                .is_some_and(|v| v == vpc)
        })
    {
        vpc_origin_steps(inv, vpc, plan);
    }
    let Some(()) = subnet.is_none().then_some(()) else {
        return;
    };
    plan.need(inv, Kind::SecurityGroups);
    plan.need(inv, Kind::InternetGateways);
    for sg in inv
        .security_groups
        .values()
        .filter(|g| g.vpc_id.as_ref().is_some_and(|v| v == vpc))
    {
        if sg.group_name == "default" {
            continue;
        }
        let id = sg.group_id.as_str();
        plan.block(
            "security-group",
            id,
            format!("security group {id} ({})", sg.group_name),
            "",
        );
        sg_blockers(inv, &sg.group_id, plan, false);
        let action = if sg.group_name == crate::model::VPC_ORIGIN_SERVICE_SG_NAME {
            format!(
                "delete {id} ({}) if it lingers: CloudFront manages it and is expected to remove it once no VPC origin uses this VPC (unverified); never edit its rules",
                sg.group_name
            )
        } else {
            format!("delete the security group {id} ({})", sg.group_name)
        };
        plan.step(
            P_SG,
            action,
            format!("aws ec2 delete-security-group --group-id {id}"),
            "",
        );
    }
    for igw in inv
        .internet_gateways
        .values()
        .filter(|g| g.attachments.iter().any(|a| a.vpc_id == vpc))
    {
        let id = igw.internet_gateway_id.as_str();
        plan.block(
            "internet-gateway",
            id,
            format!("internet gateway {id} is attached to {vpc}"),
            "",
        );
        plan.step(
            P_IGW,
            format!("detach the internet gateway {id}"),
            format!("aws ec2 detach-internet-gateway --internet-gateway-id {id} --vpc-id {vpc}"),
            "",
        );
        plan.step(
            P_IGW,
            format!("delete the internet gateway {id}"),
            format!("aws ec2 delete-internet-gateway --internet-gateway-id {id}"),
            "",
        );
    }
    for pcx in inv.vpc_peering_connections.values() {
        let ours = [&pcx.accepter_vpc_info, &pcx.requester_vpc_info]
            .iter()
            .any(|i| {
                i.as_ref()
                    .and_then(|i| i.vpc_id.as_ref())
                    .is_some_and(|v| v == vpc)
            });
        let active = pcx.status.as_ref().is_none_or(|s| s.code != "deleted");
        if ours && active {
            let id = pcx.vpc_peering_connection_id.as_str();
            plan.block("peering-connection", id, format!("peering {id}"), "");
            plan.step(
                P_PEERING,
                format!("delete the peering {id}"),
                format!("aws ec2 delete-vpc-peering-connection --vpc-peering-connection-id {id}"),
                "",
            );
        }
    }
    for s in inv.subnets.values().filter(|s| s.vpc_id == vpc) {
        let id = s.subnet_id.as_str();
        plan.block(
            "subnet",
            id,
            format!("subnet {id} must be deleted before the VPC"),
            "",
        );
        plan.step(
            P_SUBNET,
            format!("delete the subnet {id}"),
            format!("aws ec2 delete-subnet --subnet-id {id}"),
            "",
        );
    }
    for rt in inv
        .route_tables
        .values()
        .filter(|r| r.vpc_id == vpc && !r.associations.iter().any(|a| a.main))
    {
        let id = rt.route_table_id.as_str();
        plan.step(
            P_TABLES,
            format!("delete the route table {id}"),
            format!("aws ec2 delete-route-table --route-table-id {id}"),
            "",
        );
    }
    for acl in inv
        .network_acls
        .values()
        .filter(|a| a.vpc_id == vpc && !a.is_default)
    {
        let id = acl.network_acl_id.as_str();
        plan.step(
            P_TABLES,
            format!("delete the network ACL {id}"),
            format!("aws ec2 delete-network-acl --network-acl-id {id}"),
            "",
        );
    }
}
