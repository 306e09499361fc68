//! Changes: the CloudTrail management events that can change a CloudFront → ALB → target path,
//! typed.
//!
//! `LookupEvents` returns every management event; only the mutating calls of issue 15's list can
//! break a path (security-group rules, ELB security groups and subnets, listeners and rules,
//! target groups and their targets, NACL entries, routes, internet gateways, managed prefix
//! lists, CloudFront distributions, VPC origins and policies). [`parse_change`] turns one event
//! (its `CloudTrailEvent` JSON string) into a [`Change`]: when, who (the actor's ARN and, when the
//! user agent says so, the tool behind it), which resource ids it touched, whether it failed
//! (`errorCode` set: the change did *not* happen, kept and marked), what it did, and the exact
//! inverse command when the event holds enough to write one (a revoked permission is copied from
//! `requestParameters`; a `SetSecurityGroups` needs the groups before it, which the event does not
//! hold: [`Change::set_groups_before`] fills them from an earlier event or the path's evidence).
//!
//! The text of what a change did is data, like `SgRuleRef`'s: one sentence, printed by every
//! renderer the same way. Read-only calls and other mutating calls are not changes here.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::time_window::rfc3339;

pub use super::change_parse::{ChangeError, parse_change, parse_changes};

/// The tool behind a change, from the event's user agent (and `invokedBy`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tool {
    /// The AWS Management Console.
    Console,
    /// Terraform's AWS provider.
    Terraform,
    /// CloudFormation (stack operations).
    CloudFormation,
    /// The AWS Load Balancer Controller of Kubernetes (`elbv2.k8s.aws`).
    LoadBalancerController,
    /// The AWS CLI.
    Cli,
    /// An AWS SDK (boto3, aws-sdk-go, aws-sdk-java, …) not identified further.
    Sdk,
    /// An AWS service acting on the account's behalf (`invokedBy`), e.g. `config.amazonaws.com`.
    Service(String),
    /// No user agent, or one not recognised.
    Unknown,
}

impl fmt::Display for Tool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tool::Console => f.write_str("console"),
            Tool::Terraform => f.write_str("terraform"),
            Tool::CloudFormation => f.write_str("cloudformation"),
            Tool::LoadBalancerController => f.write_str("aws-load-balancer-controller"),
            Tool::Cli => f.write_str("aws-cli"),
            Tool::Sdk => f.write_str("sdk"),
            Tool::Service(s) => f.write_str(s),
            Tool::Unknown => f.write_str("unknown tool"),
        }
    }
}

/// Which way a security-group rule change went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleOp {
    /// `Authorize…`: rules added.
    Authorize,
    /// `Revoke…`: rules removed.
    Revoke,
}

/// One permission of a security-group rule change, as the event gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Permission {
    /// `tcp`, `udp`, `icmp`, `-1`.
    pub protocol: String,
    /// First port, or `None` (all).
    pub from_port: Option<i64>,
    /// Last port, or `None`.
    pub to_port: Option<i64>,
    /// CIDRs, prefix lists and groups, in that order.
    pub peers: Vec<String>,
}

impl Permission {
    /// `tcp/80`, `tcp/8080-8090`, `all`.
    #[must_use]
    pub fn ports_text(&self) -> String {
        let proto = if self.protocol == "-1" {
            return "all".to_owned();
        } else {
            &self.protocol
        };
        match (self.from_port, self.to_port) {
            (Some(a), Some(b)) if a == b => format!("{proto}/{a}"),
            (Some(0), Some(65535)) | (Some(-1), _) | (None, _) => format!("{proto}/all"),
            (Some(a), Some(b)) => format!("{proto}/{a}-{b}"),
            (Some(a), None) => format!("{proto}/{a}"),
        }
    }

    /// The permission as the AWS CLI's `--ip-permissions` JSON element.
    #[must_use]
    pub fn cli_json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        m.insert("IpProtocol".into(), self.protocol.clone().into());
        if let Some(p) = self.from_port {
            m.insert("FromPort".into(), p.into());
        }
        if let Some(p) = self.to_port {
            m.insert("ToPort".into(), p.into());
        }
        let of = |prefix: &str| -> Vec<&String> {
            self.peers
                .iter()
                .filter(|p| p.starts_with(prefix))
                .collect()
        };
        let cidrs: Vec<serde_json::Value> = self
            .peers
            .iter()
            .filter(|p| p.contains('/') && !p.contains(':'))
            .map(|c| serde_json::json!({ "CidrIp": c }))
            .collect();
        let v6: Vec<serde_json::Value> = self
            .peers
            .iter()
            .filter(|p| p.contains('/') && p.contains(':'))
            .map(|c| serde_json::json!({ "CidrIpv6": c }))
            .collect();
        let pls: Vec<serde_json::Value> = of("pl-")
            .into_iter()
            .map(|p| serde_json::json!({ "PrefixListId": p }))
            .collect();
        let sgs: Vec<serde_json::Value> = of("sg-")
            .into_iter()
            .map(|g| serde_json::json!({ "GroupId": g }))
            .collect();
        for (key, list) in [
            ("IpRanges", cidrs),
            ("Ipv6Ranges", v6),
            ("PrefixListIds", pls),
            ("UserIdGroupPairs", sgs),
        ] {
            if !list.is_empty() {
                m.insert(key.into(), list.into());
            }
        }
        serde_json::Value::Object(m)
    }
}

/// What a change did, typed where edgepath can say more (and write the inverse) than "called X".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ChangeAction {
    /// `Authorize/RevokeSecurityGroupIngress/Egress`.
    SgRules {
        /// The group.
        group: String,
        /// `ingress` / `egress`.
        direction: String,
        /// Added or removed.
        op: RuleOp,
        /// The permissions named (empty when the call named rule ids only).
        permissions: Vec<Permission>,
        /// Rule ids named (`sgr-…`), when the call used them.
        rule_ids: Vec<String>,
    },
    /// ELBv2 `SetSecurityGroups`: the load balancer's groups replaced.
    LbSecurityGroups {
        /// The load balancer ARN.
        load_balancer_arn: String,
        /// The groups after the call.
        now: Vec<String>,
        /// The groups before it, when an earlier event or the path's evidence tells
        /// (`before_inferred`: from the evidence).
        before: Option<Vec<String>>,
        /// `before` was inferred (a group the path still expects, absent from `now`).
        before_inferred: bool,
    },
    /// ELBv2 `RegisterTargets` / `DeregisterTargets`.
    Targets {
        /// The target group ARN.
        target_group_arn: String,
        /// Registered (`true`) or deregistered.
        register: bool,
        /// `Id=i-…,Port=80` per target.
        targets: Vec<String>,
    },
    /// EC2 `CreateNetworkAclEntry`.
    NaclEntryCreated {
        /// The ACL.
        acl: String,
        /// Rule number.
        rule_number: i64,
        /// Egress (`true`) or ingress.
        egress: bool,
        /// `allow` / `deny`.
        rule_action: String,
    },
    /// EC2 `CreateRoute`.
    RouteCreated {
        /// The route table.
        route_table: String,
        /// Destination CIDR.
        destination: String,
    },
    /// EC2 `DetachInternetGateway`.
    GatewayDetached {
        /// The gateway.
        gateway: String,
        /// The VPC it left.
        vpc: String,
    },
    /// Any other modelled call: the event name and its main resource.
    Other {
        /// What the call did, in words (`modified listener`).
        verb: String,
        /// The main resource (id or ARN), or empty.
        resource: String,
        /// Key parameters as `key=value` (attribute changes, priorities), possibly empty.
        detail: Vec<String>,
    },
}

/// One change to the account: a mutating CloudTrail event, typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// CloudTrail event id.
    pub event_id: String,
    /// When (`eventTime`).
    #[serde(serialize_with = "ser_time")]
    pub time: DateTime<Utc>,
    /// `SetSecurityGroups`, …
    pub event_name: String,
    /// `ec2.amazonaws.com`, `elasticloadbalancing.amazonaws.com`, `cloudfront.amazonaws.com`.
    pub event_source: String,
    /// The actor: `userIdentity.arn`, else the invoking service, else the principal or user name.
    pub actor: String,
    /// The tool behind the call, from the user agent.
    pub tool: Tool,
    /// Every resource id or ARN the call named (request, response, `Resources[]`), sorted.
    pub resources: Vec<String>,
    /// `errorCode: errorMessage` when the call failed (the change did not happen), else `None`.
    pub failed: Option<String>,
    /// What it did.
    pub action: ChangeAction,
}

fn ser_time<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&rfc3339(*t))
}

/// Shortens an ARN to its resource part for sentences (`loadbalancer/app/web-alb/50dc…` →
/// `web-alb`, `targetgroup/web-tg/73e2…` → `web-tg`); ids stay as they are.
#[must_use]
pub fn short_name(id: &str) -> &str {
    if !id.starts_with("arn:") {
        return id;
    }
    let res = id.splitn(6, ':').nth(5).unwrap_or(id);
    let parts: Vec<&str> = res.split('/').collect();
    match parts.as_slice() {
        ["loadbalancer", "app" | "net", name, ..] => name,
        ["targetgroup", name, ..] => name,
        ["listener", "app" | "net", name, _, l] => {
            let _ = name;
            l
        }
        [.., last] => last,
        [] => res,
    }
}

fn join(v: &[String]) -> String {
    v.join(" ")
}

impl fmt::Display for ChangeAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChangeAction::SgRules {
                group,
                direction,
                op,
                permissions,
                rule_ids,
            } => {
                let verb = match op {
                    RuleOp::Authorize => "added",
                    RuleOp::Revoke => "removed",
                };
                let rules: Vec<String> = permissions
                    .iter()
                    .map(|p| {
                        let dir = if direction == "egress" { "to" } else { "from" };
                        format!("{} {dir} {}", p.ports_text(), p.peers.join(", "))
                    })
                    .chain(rule_ids.iter().cloned())
                    .collect();
                write!(f, "{verb} {direction} rule {} of {group}", rules.join("; "))
            }
            ChangeAction::LbSecurityGroups {
                load_balancer_arn,
                now,
                before,
                before_inferred,
            } => {
                let lb = short_name(load_balancer_arn);
                let removed: Vec<String> = before
                    .iter()
                    .flatten()
                    .filter(|g| !now.contains(g))
                    .cloned()
                    .collect();
                let added: Vec<String> = before
                    .as_ref()
                    .map(|b| now.iter().filter(|g| !b.contains(g)).cloned().collect())
                    .unwrap_or_default();
                match (removed.is_empty(), added.is_empty(), before.is_some()) {
                    (_, _, false) => {
                        write!(f, "set {lb}'s security groups to {}", join(now))
                    }
                    (false, true, true) => {
                        write!(
                            f,
                            "removed {} from {lb}'s security groups (now: {})",
                            join(&removed),
                            join(now)
                        )?;
                        if *before_inferred {
                            f.write_str(" [the removed group inferred from the path]")?;
                        }
                        Ok(())
                    }
                    (true, false, true) => write!(
                        f,
                        "added {} to {lb}'s security groups (now: {})",
                        join(&added),
                        join(now)
                    ),
                    _ => write!(
                        f,
                        "replaced {lb}'s security groups {} with {}",
                        join(before.as_deref().unwrap_or_default()),
                        join(now)
                    ),
                }
            }
            ChangeAction::Targets {
                target_group_arn,
                register,
                targets,
            } => {
                let (verb, prep) = if *register {
                    ("registered", "in")
                } else {
                    ("deregistered", "from")
                };
                write!(
                    f,
                    "{verb} {} {prep} {}",
                    targets.join(" "),
                    short_name(target_group_arn)
                )
            }
            ChangeAction::NaclEntryCreated {
                acl,
                rule_number,
                egress,
                rule_action,
            } => {
                let dir = if *egress { "egress" } else { "ingress" };
                write!(
                    f,
                    "added {dir} entry #{rule_number} ({rule_action}) to {acl}"
                )
            }
            ChangeAction::RouteCreated {
                route_table,
                destination,
            } => write!(f, "added route {destination} to {route_table}"),
            ChangeAction::GatewayDetached { gateway, vpc } => {
                write!(f, "detached {gateway} from {vpc}")
            }
            ChangeAction::Other {
                verb,
                resource,
                detail,
            } => {
                write!(f, "{verb}")?;
                if !resource.is_empty() {
                    write!(f, " {}", short_name(resource))?;
                }
                if !detail.is_empty() {
                    write!(f, " ({})", detail.join(", "))?;
                }
                Ok(())
            }
        }
    }
}

impl Change {
    /// `sg-0old… removed from web-alb …` plus `(failed: …)` for a call that did not happen.
    #[must_use]
    pub fn summary(&self) -> String {
        match &self.failed {
            Some(err) => format!("{} (failed: {err}; nothing changed)", self.action),
            None => self.action.to_string(),
        }
    }

    /// `arn:…/terraform-deployer/… via terraform`.
    #[must_use]
    pub fn actor_text(&self) -> String {
        match &self.tool {
            Tool::Unknown => self.actor.clone(),
            t => format!("{} via {t}", self.actor),
        }
    }

    /// Whether the call can change how traffic flows (tag changes cannot: they are listed in a
    /// timeline, never linked to a path); a failed call changed nothing.
    #[must_use]
    pub fn can_break_path(&self) -> bool {
        self.failed.is_none() && !self.event_name.ends_with("Tags")
    }

    /// Sets the groups a `SetSecurityGroups` replaced (no-op for other actions).
    pub fn set_groups_before(&mut self, groups: Vec<String>, inferred: bool) {
        if let ChangeAction::LbSecurityGroups {
            before,
            before_inferred,
            ..
        } = &mut self.action
        {
            *before = Some(groups);
            *before_inferred = inferred;
        }
    }

    /// The exact inverse command, when the event holds what it needs; `None` for a failed call
    /// (nothing to undo) and for calls whose previous state the event does not record.
    #[must_use]
    pub fn revert(&self) -> Option<String> {
        if self.failed.is_some() {
            return None;
        }
        match &self.action {
            ChangeAction::SgRules {
                group,
                direction,
                op,
                permissions,
                ..
            } if !permissions.is_empty() => {
                let verb = match op {
                    RuleOp::Authorize => "revoke",
                    RuleOp::Revoke => "authorize",
                };
                let json: Vec<serde_json::Value> =
                    permissions.iter().map(Permission::cli_json).collect();
                Some(format!(
                    "aws ec2 {verb}-security-group-{direction} --group-id {group} --ip-permissions '{}'",
                    serde_json::Value::Array(json)
                ))
            }
            ChangeAction::LbSecurityGroups {
                load_balancer_arn,
                before: Some(before),
                ..
            } if !before.is_empty() => Some(format!(
                "aws elbv2 set-security-groups --load-balancer-arn {load_balancer_arn} --security-groups {}",
                join(before)
            )),
            ChangeAction::Targets {
                target_group_arn,
                register,
                targets,
            } if !targets.is_empty() => {
                let verb = if *register { "deregister" } else { "register" };
                Some(format!(
                    "aws elbv2 {verb}-targets --target-group-arn {target_group_arn} --targets {}",
                    join(targets)
                ))
            }
            ChangeAction::NaclEntryCreated {
                acl,
                rule_number,
                egress,
                ..
            } => Some(format!(
                "aws ec2 delete-network-acl-entry --network-acl-id {acl} --rule-number {rule_number} {}",
                if *egress { "--egress" } else { "--ingress" }
            )),
            ChangeAction::RouteCreated {
                route_table,
                destination,
            } => Some(format!(
                "aws ec2 delete-route --route-table-id {route_table} --destination-cidr-block {destination}"
            )),
            ChangeAction::GatewayDetached { gateway, vpc } => Some(format!(
                "aws ec2 attach-internet-gateway --internet-gateway-id {gateway} --vpc-id {vpc}"
            )),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_of_elb_arns() {
        assert_eq!(
            short_name(
                "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web-alb/50dc6c495c0c9188"
            ),
            "web-alb"
        );
        assert_eq!(
            short_name(
                "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-tg/73e2d6bc24d8a067"
            ),
            "web-tg"
        );
        assert_eq!(short_name("sg-0abc"), "sg-0abc");
    }

    #[test]
    fn a_permission_becomes_cli_json_with_every_peer_kind() {
        let p = Permission {
            protocol: "tcp".into(),
            from_port: Some(80),
            to_port: Some(80),
            peers: vec!["10.0.0.0/8".into(), "pl-3b927c52".into(), "sg-0abc".into()],
        };
        assert_eq!(p.ports_text(), "tcp/80");
        assert_eq!(
            p.cli_json().to_string(),
            r#"{"FromPort":80,"IpProtocol":"tcp","IpRanges":[{"CidrIp":"10.0.0.0/8"}],"PrefixListIds":[{"PrefixListId":"pl-3b927c52"}],"ToPort":80,"UserIdGroupPairs":[{"GroupId":"sg-0abc"}]}"#
        );
    }
}
