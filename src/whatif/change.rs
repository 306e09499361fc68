//! The changes what-if understands, and each change in words.
//!
//! A [`Change`] is plain data: the flags (`grammar`), a `--changes` file (serde, `op` tagged) and
//! a Terraform plan (`terraform`) all produce it, `apply` carries it out on a copy of the
//! Inventory, and [`Change::describe`] is how the report names it. Ids stay as people typed
//! them (a group by id or name, an ALB by name or ARN): `resolve` turns them into ids when the
//! change is applied, so a typo is reported against the loaded data, not at parse time.

use serde::{Deserialize, Serialize};

use crate::model::Direction;

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
    #[error("`{id}` ({what}) is not in the loaded data")]
    #[diagnostic(
        code(whatif::unknown_id),
        help("check the id; with --snapshot, the snapshot must include it")
    )]
    UnknownId {
        /// The id or name.
        id: String,
        /// What kind of resource was expected.
        what: &'static str,
    },
}

/// The source or destination of a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Peer {
    /// A security group.
    Sg(String),
    /// A prefix list.
    PrefixList(String),
    /// An IPv4 CIDR.
    Cidr(String),
}

impl Peer {
    /// Reads a peer as typed: `sg-…`, `pl-…`, anything else a CIDR.
    pub(crate) fn parse(s: &str) -> Peer {
        if s.starts_with("sg-") {
            Peer::Sg(s.to_owned())
        } else if s.starts_with("pl-") {
            Peer::PrefixList(s.to_owned())
        } else {
            Peer::Cidr(s.to_owned())
        }
    }
    /// The id or CIDR.
    pub(crate) fn text(&self) -> &str {
        match self {
            Peer::Sg(s) | Peer::PrefixList(s) | Peer::Cidr(s) => s,
        }
    }
}

/// Adding or removing one security-group rule (one peer of one permission).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleEdit {
    /// `true` to add, `false` to remove.
    pub authorize: bool,
    /// `ingress` or `egress`.
    pub direction: Direction,
    /// The group holding the rule (id or name).
    pub sg: String,
    /// `tcp`, `udp`, `icmp`, `-1`.
    pub protocol: String,
    /// First port; `None` for all ports.
    pub from_port: Option<i32>,
    /// Last port; `None` for all ports.
    pub to_port: Option<i32>,
    /// Source or destination.
    pub peer: Peer,
}

impl RuleEdit {
    /// `authorize sg-0abc ingress tcp/443 from pl-…`.
    fn describe(&self) -> String {
        let verb = if self.authorize {
            "authorize"
        } else {
            "revoke"
        };
        let ports = match (self.from_port, self.to_port) {
            (Some(a), Some(b)) if a == b => format!("/{a}"),
            (Some(a), Some(b)) => format!("/{a}-{b}"),
            _ => String::new(),
        };
        let word = if self.direction == Direction::Ingress {
            "from"
        } else {
            "to"
        };
        format!(
            "{verb} {} {} {}{ports} {word} {}",
            self.sg,
            self.direction.as_str(),
            if self.protocol == "-1" {
                "all"
            } else {
                &self.protocol
            },
            self.peer.text()
        )
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
        /// `tcp`, `udp`, `all` or a number.
        protocol: String,
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
                "set {acl} {} #{number} {action} {protocol} {}-{} {cidr}",
                if *egress { "egress" } else { "ingress" },
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
}
