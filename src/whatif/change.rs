//! The changes what-if understands, and each change in words.
//!
//! A [`Change`] is plain data: the flags (`grammar`), a `--changes` file (serde, `op` tagged) and
//! a Terraform plan (`terraform`) all produce it, `apply` carries it out on a copy of the
//! Inventory, and [`Change::describe`] is how the report names it. Ids stay as people typed
//! them (a group by id or name, an ALB by name or ARN): `resolve` turns them into ids when the
//! change is applied, so a typo is reported against the loaded data, not at parse time.

use serde::{Deserialize, Serialize};

use crate::model::{Direction, PortRange, Protocol, SgId, SgRuleRef};

pub use super::routing_changes::{RoutingAction, RuleCondition};
pub use crate::model::Peer;

/// Why a change cannot be applied.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ChangeError {
    /// The text of a change does not follow the grammar.
    #[error("cannot read the change `{text}`: {why}")]
    #[diagnostic(
        code(whatif::syntax),
        help("see `edgepath what-if --help` for the grammar and examples")
    )]
    Syntax {
        /// The change as typed.
        text: String,
        /// What was expected.
        why: String,
    },
    /// The change names something the Inventory does not have.
    #[error("`{id}` ({what}) is not in the loaded data{}", known_suffix(.known))]
    #[diagnostic(
        code(whatif::unknown_id),
        help("check the id; with --snapshot, the snapshot must include it")
    )]
    UnknownId {
        /// The id or name.
        id: String,
        /// What kind of resource was expected.
        what: &'static str,
        /// The ids of that kind the loaded data has, where listing them helps (may be empty).
        known: Vec<String>,
    },
}

/// `; it has: a, b, c` (at most ten, then how many more), or nothing.
fn known_suffix(known: &[String]) -> String {
    const SHOWN: usize = 10;
    if known.is_empty() {
        return String::new();
    }
    let mut text = known
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if known.len() > SHOWN {
        text.push_str(&format!(" and {} more", known.len() - SHOWN));
    }
    format!("; it has: {text}")
}

/// Adding or removing one security-group rule (one peer of one permission).
///
/// In a `--changes` file the peer keeps its own shape, `{"sg": "sg-…"}`, `{"prefix_list":
/// "pl-…"}` or `{"cidr": "10.0.0.0/16"}` (see `peer_file`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleEdit {
    /// `true` to add, `false` to remove.
    pub authorize: bool,
    /// `ingress` or `egress`.
    pub direction: Direction,
    /// The group holding the rule (id or name).
    pub sg: String,
    /// The rule's protocol (any AWS spelling in a file; written as the API spells it).
    pub protocol: Protocol,
    /// First port; `None` for all ports.
    pub from_port: Option<i32>,
    /// Last port; `None` for all ports.
    pub to_port: Option<i32>,
    /// Source or destination.
    #[serde(with = "peer_file")]
    pub peer: Peer,
}

impl RuleEdit {
    /// The ports the rule covers: every port for protocol `all` or when none are given.
    #[must_use]
    pub fn ports(&self) -> PortRange {
        if self.protocol == Protocol::All {
            PortRange::ALL
        } else {
            PortRange::from_aws(self.from_port, self.to_port)
        }
    }

    /// The rule as a person finds it in the console (the group as typed, id or name).
    #[must_use]
    pub fn rule(&self) -> SgRuleRef {
        SgRuleRef {
            sg: SgId::from(self.sg.as_str()),
            direction: self.direction,
            protocol: self.protocol.clone(),
            ports: self.ports(),
            peer: self.peer.clone(),
        }
    }

    /// `authorize sg-0abc ingress tcp/443 from pl-…`.
    fn describe(&self) -> String {
        let verb = if self.authorize {
            "authorize"
        } else {
            "revoke"
        };
        format!("{verb} {}", self.rule())
    }
}

/// The `--changes` file shape of a rule's peer: one key naming the kind, the id or CIDR as a
/// string (the model's [`Peer`] carries a group's account too, which files never name).
mod peer_file {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::model::Peer;

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum PeerFile {
        Sg(String),
        PrefixList(String),
        Cidr(String),
    }

    pub(super) fn serialize<S: Serializer>(peer: &Peer, s: S) -> Result<S::Ok, S::Error> {
        let text = peer.as_str().to_owned();
        match peer {
            Peer::Sg { .. } => PeerFile::Sg(text),
            Peer::PrefixList(_) => PeerFile::PrefixList(text),
            Peer::Cidr(_) => PeerFile::Cidr(text),
        }
        .serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Peer, D::Error> {
        Ok(match PeerFile::deserialize(d)? {
            PeerFile::Sg(id) => Peer::Sg {
                id: id.into(),
                account: None,
            },
            PeerFile::PrefixList(id) => Peer::PrefixList(id.into()),
            PeerFile::Cidr(c) => Peer::Cidr(c),
        })
    }
}

/// One proposed change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum Change {
    /// Take a group off an ALB, ENI or instance.
    DetachSg {
        /// The group.
        sg: String,
        /// ALB name/ARN, `eni-…`, `i-…`.
        from: String,
    },
    /// Put a group on an ALB, ENI or instance.
    AttachSg {
        /// The group.
        sg: String,
        /// ALB name/ARN, `eni-…`, `i-…`.
        to: String,
    },
    /// Delete a group (AWS refuses while referenced or attached: reported as blockers).
    DeleteSg {
        /// The group.
        sg: String,
    },
    /// Add or remove one rule.
    Rule(RuleEdit),
    /// Add or replace a NACL entry.
    NaclEntry {
        /// `acl-…`.
        acl: String,
        /// Outbound when true.
        egress: bool,
        /// Rule number.
        number: i32,
        /// `allow` / `deny`.
        action: String,
        /// The entry's protocol.
        protocol: Protocol,
        /// First port.
        from_port: Option<i32>,
        /// Last port.
        to_port: Option<i32>,
        /// CIDR.
        cidr: String,
    },
    /// Change a target group's traffic port (and its registered targets').
    TgPort {
        /// Name or ARN.
        tg: String,
        /// New port.
        port: i32,
    },
    /// Change a target group's health-check port.
    TgHealthPort {
        /// Name or ARN.
        tg: String,
        /// New port.
        port: i32,
    },
    /// Change a CloudFront origin's protocol policy and ports.
    OriginProtocol {
        /// Distribution id.
        distribution: String,
        /// Origin id.
        origin: String,
        /// `http-only`, `https-only`, `match-viewer`.
        policy: String,
        /// HTTP port, if changed.
        http_port: Option<i32>,
        /// HTTPS port, if changed.
        https_port: Option<i32>,
    },
    /// Set a listener rule's conditions: each replaces the rule's condition of its field (an
    /// `http-header` one: of its header name); with `exact` they become all its conditions.
    RuleConditions {
        /// Rule ARN or `ALB:PORT:PRIORITY`.
        rule: String,
        /// The conditions.
        conditions: Vec<RuleCondition>,
        /// Replace every condition (a plan's whole `condition` blocks), not only these fields.
        #[serde(default)]
        exact: bool,
    },
    /// Set a listener rule's actions (of the default rule: the listener's default actions).
    RuleActions {
        /// Rule ARN or `ALB:PORT:PRIORITY` (`ALB:PORT:default` for the default rule).
        rule: String,
        /// The actions, in order.
        actions: Vec<RoutingAction>,
    },
    /// Set a listener's default actions.
    ListenerDefault {
        /// Listener ARN or `ALB:PORT`.
        listener: String,
        /// The actions, in order.
        actions: Vec<RoutingAction>,
    },
    /// Delete a listener rule (its requests fall to the next rule or the default action).
    DeleteRule {
        /// Rule ARN or `ALB:PORT:PRIORITY`.
        rule: String,
    },
    /// Add a listener rule (a plan's new `aws_lb_listener_rule`).
    CreateRule {
        /// Listener ARN or `ALB:PORT`.
        listener: String,
        /// Its priority.
        priority: i64,
        /// Its conditions.
        conditions: Vec<RuleCondition>,
        /// Its actions, in order.
        actions: Vec<RoutingAction>,
    },
    /// Set (or, with no policy, remove) a cache behavior's origin request policy.
    OriginRequestPolicy {
        /// Distribution id.
        distribution: String,
        /// The behavior's path pattern (`*` or `default` for the default behavior).
        behavior: String,
        /// The policy id (managed or in the loaded data); `None` removes it.
        policy: Option<String>,
    },
    /// Set (or, with no value, remove) one custom header CloudFront sends to an origin.
    OriginHeader {
        /// Distribution id.
        distribution: String,
        /// Origin id.
        origin: String,
        /// Header name.
        name: String,
        /// Its value; `None` removes the header.
        value: Option<String>,
    },
    /// Set which viewer headers a custom origin request policy forwards.
    PolicyHeaders {
        /// The policy id.
        policy: String,
        /// `none`, `whitelist`, `allViewer`, `allViewerAndWhitelistCloudFront`, `allExcept`.
        header_behavior: String,
        /// The headers it lists.
        #[serde(default)]
        headers: Vec<String>,
    },
}

/// A [`ChangeError::Syntax`] for `text`.
pub(super) fn syntax(text: &str, why: &str) -> ChangeError {
    ChangeError::Syntax {
        text: text.to_owned(),
        why: why.to_owned(),
    }
}

impl Change {
    /// The change in words.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Change::DetachSg { sg, from } => format!("detach {sg} from {from}"),
            Change::AttachSg { sg, to } => format!("attach {sg} to {to}"),
            Change::DeleteSg { sg } => format!("delete {sg} (after detaching it everywhere)"),
            Change::Rule(rule) => rule.describe(),
            Change::NaclEntry {
                acl,
                egress,
                number,
                action,
                protocol,
                from_port,
                to_port,
                cidr,
            } => format!(
                "set {acl} {} #{number} {action} {} {}-{} {cidr}",
                if *egress { "egress" } else { "ingress" },
                protocol.as_aws(),
                from_port.unwrap_or(0),
                to_port.unwrap_or(65535)
            ),
            Change::TgPort { tg, port } => format!("set target group {tg} port to {port}"),
            Change::TgHealthPort { tg, port } => {
                format!("set target group {tg} health-check port to {port}")
            }
            Change::OriginProtocol {
                distribution,
                origin,
                policy,
                http_port,
                https_port,
            } => format!(
                "set {distribution} origin {origin} to {policy}{}{}",
                http_port.map_or(String::new(), |p| format!(" http={p}")),
                https_port.map_or(String::new(), |p| format!(" https={p}"))
            ),
            routing => super::routing_changes::describe(routing),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_change_keeps_its_flat_op_tagged_file_shape() {
        let json = serde_json::json!({
            "op": "rule", "authorize": false, "direction": "ingress", "sg": "sg-0abc",
            "protocol": "tcp", "from_port": 443, "to_port": 443, "peer": {"prefix_list": "pl-1"}
        });
        let change: Change = serde_json::from_value(json.clone()).expect("a rule change");
        assert_eq!(
            change.describe(),
            "revoke sg-0abc ingress tcp/443 from pl-1"
        );
        assert_eq!(serde_json::to_value(&change).expect("serializes"), json);
    }

    #[test]
    fn a_group_peer_keeps_its_string_shape_in_a_changes_file() {
        let json = serde_json::json!({
            "op": "rule", "authorize": true, "direction": "egress", "sg": "web",
            "protocol": "all", "from_port": null, "to_port": null, "peer": {"sg": "sg-9"}
        });
        let change: Change = serde_json::from_value(json).expect("a rule change");
        assert_eq!(change.describe(), "authorize web egress all to sg-9");
        let back = serde_json::to_value(&change).expect("serializes");
        assert_eq!(back["peer"], serde_json::json!({"sg": "sg-9"}));
        assert_eq!(back["protocol"], "-1");
    }
}
