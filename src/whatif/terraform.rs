//! Terraform plan import: `terraform show -json plan.out` → change operations.
//!
//! Reads `resource_changes[]` (format_version 1.x) and maps the resources that decide
//! CloudFront → ALB → target reachability to [`Change`]s by their real ids (`before.id`,
//! `before.arn`). Resources the plan creates have no id yet: rules referencing them are reported
//! as unresolved instead of guessed. Resource types that cannot affect these paths are listed as
//! unsupported, never silently ignored.

use std::collections::BTreeSet;

use serde_json::Value;

use super::change::{Change, Peer, RuleEdit};
use crate::model::{Direction, Protocol, SgId};

/// Why a plan cannot be read.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum PlanError {
    /// Not JSON.
    #[error("{path}: not a JSON plan ({message})")]
    #[diagnostic(
        code(whatif::plan_json),
        help(
            "pass the output of `terraform show -json tf.plan > plan.json`, not the binary plan file"
        )
    )]
    Json {
        /// The file.
        path: String,
        /// serde_json's message with line and column.
        message: String,
    },
    /// Unsupported `format_version`.
    #[error("{path}: unsupported plan format_version `{version}` (edgepath reads 1.x)")]
    #[diagnostic(
        code(whatif::plan_version),
        help("produce it with Terraform ≥ 0.12 `terraform show -json`")
    )]
    Version {
        /// The file.
        path: String,
        /// The version found.
        version: String,
    },
}

/// What a plan turned into.
#[derive(Debug, Default)]
pub struct PlanChanges {
    /// Changes to apply.
    pub changes: Vec<Change>,
    /// `address (type)` of resources whose type edgepath does not model.
    pub unsupported: Vec<String>,
    /// Changes that reference values unknown until apply.
    pub unresolved: Vec<String>,
}

/// Parses a plan JSON text.
///
/// # Errors
/// Not JSON, or a format version other than 1.x.
pub fn parse_plan(path: &str, text: &str) -> Result<PlanChanges, PlanError> {
    let plan: Value = serde_json::from_str(text).map_err(|e| PlanError::Json {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    let version = plan["format_version"].as_str().unwrap_or("");
    if !version.starts_with("1.") {
        return Err(PlanError::Version {
            path: path.to_owned(),
            version: if version.is_empty() {
                "(missing)".into()
            } else {
                version.to_owned()
            },
        });
    }
    let mut out = PlanChanges::default();
    for rc in plan["resource_changes"].as_array().into_iter().flatten() {
        let kind = rc["type"].as_str().unwrap_or("");
        let address = rc["address"].as_str().unwrap_or("?").to_owned();
        let actions: Vec<&str> = rc["change"]["actions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if actions == ["no-op"] || actions == ["read"] {
            continue;
        }
        let before = &rc["change"]["before"];
        let after = &rc["change"]["after"];
        let deleting = actions.contains(&"delete");
        let creating = actions.contains(&"create");
        match kind {
            "aws_lb" | "aws_alb" => {
                let lb = before["arn"]
                    .as_str()
                    .or(before["name"].as_str())
                    .unwrap_or("");
                if lb.is_empty() {
                    out.unresolved
                        .push(format!("{address}: new load balancer (no ARN until apply)"));
                    continue;
                }
                let old = string_set(&before["security_groups"]);
                let new = if deleting && !creating {
                    BTreeSet::new()
                } else {
                    string_set(&after["security_groups"])
                };
                if after["security_groups"].is_null() && !deleting {
                    out.unresolved
                        .push(format!("{address}: security_groups known only after apply"));
                    continue;
                }
                for sg in old.difference(&new) {
                    out.changes.push(Change::DetachSg {
                        sg: sg.clone(),
                        from: lb.to_owned(),
                    });
                }
                for sg in new.difference(&old) {
                    if sg.starts_with("sg-") {
                        out.changes.push(Change::AttachSg {
                            sg: sg.clone(),
                            to: lb.to_owned(),
                        });
                    }
                }
            }
            "aws_security_group" => {
                let id = before["id"].as_str().unwrap_or("");
                if deleting && !creating {
                    if !id.is_empty() {
                        out.changes.push(Change::DeleteSg { sg: id.to_owned() });
                    }
                    continue;
                }
                if id.is_empty() {
                    out.unresolved
                        .push(format!("{address}: new security group (no id until apply)"));
                    continue;
                }
                for (field, direction) in [
                    ("ingress", Direction::Ingress),
                    ("egress", Direction::Egress),
                ] {
                    let old = inline_rules(id, &before[field], direction);
                    let new = inline_rules(id, &after[field], direction);
                    for c in old.iter().filter(|c| !new.contains(c)) {
                        out.changes.push(set_authorize(c.clone(), false));
                    }
                    for c in new.iter().filter(|c| !old.contains(c)) {
                        out.changes.push(set_authorize(c.clone(), true));
                    }
                }
            }
            "aws_security_group_rule"
            | "aws_vpc_security_group_ingress_rule"
            | "aws_vpc_security_group_egress_rule" => {
                if deleting {
                    out.changes.extend(standalone_rule(kind, before, false));
                }
                if creating {
                    let rules = standalone_rule(kind, after, true);
                    if rules.is_empty() {
                        out.unresolved.push(format!(
                            "{address}: rule refers to values known only after apply"
                        ));
                    }
                    out.changes.extend(rules);
                }
            }
            "aws_lb_target_group" => {
                let tg = before["arn"].as_str().unwrap_or("");
                if tg.is_empty() {
                    continue;
                }
                if before["port"] != after["port"]
                    && let Some(p) = after["port"].as_i64()
                {
                    out.changes.push(Change::TgPort {
                        tg: tg.to_owned(),
                        port: i32::try_from(p).unwrap_or(0),
                    });
                }
                let hp = |v: &Value| v["health_check"][0]["port"].as_str().map(str::to_owned);
                if hp(before) != hp(after)
                    && let Some(p) = hp(after).and_then(|p| p.parse().ok())
                {
                    out.changes.push(Change::TgHealthPort {
                        tg: tg.to_owned(),
                        port: p,
                    });
                }
            }
            "aws_cloudfront_distribution" => {
                let dist = before["id"].as_str().unwrap_or("");
                for o in after["origin"].as_array().into_iter().flatten() {
                    let id = o["origin_id"].as_str().unwrap_or("");
                    let new = &o["custom_origin_config"][0];
                    let old = before["origin"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .find(|b| b["origin_id"] == o["origin_id"])
                        .map(|b| &b["custom_origin_config"][0]);
                    if new.is_null() || old.is_some_and(|old| old == new) || dist.is_empty() {
                        continue;
                    }
                    out.changes.push(Change::OriginProtocol {
                        distribution: dist.to_owned(),
                        origin: id.to_owned(),
                        policy: new["origin_protocol_policy"]
                            .as_str()
                            .unwrap_or("https-only")
                            .to_owned(),
                        http_port: new["http_port"]
                            .as_i64()
                            .and_then(|p| i32::try_from(p).ok()),
                        https_port: new["https_port"]
                            .as_i64()
                            .and_then(|p| i32::try_from(p).ok()),
                    });
                }
            }
            "aws_network_acl_rule" => {
                let v = if deleting && !creating { before } else { after };
                let (Some(acl), Some(number)) =
                    (v["network_acl_id"].as_str(), v["rule_number"].as_i64())
                else {
                    out.unresolved
                        .push(format!("{address}: network ACL id known only after apply"));
                    continue;
                };
                let action = if deleting && !creating {
                    "deny".to_owned()
                } else {
                    v["rule_action"].as_str().unwrap_or("deny").to_owned()
                };
                out.changes.push(Change::NaclEntry {
                    acl: acl.to_owned(),
                    egress: v["egress"].as_bool().unwrap_or(false),
                    number: i32::try_from(number).unwrap_or(0),
                    action,
                    protocol: proto(&v["protocol"]),
                    from_port: v["from_port"].as_i64().and_then(|p| i32::try_from(p).ok()),
                    to_port: v["to_port"].as_i64().and_then(|p| i32::try_from(p).ok()),
                    cidr: v["cidr_block"].as_str().unwrap_or("0.0.0.0/0").to_owned(),
                });
            }
            _ => out.unsupported.push(format!("{address} ({kind})")),
        }
    }
    Ok(out)
}

fn string_set(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

fn set_authorize(c: Change, authorize: bool) -> Change {
    match c {
        Change::Rule(rule) => Change::Rule(RuleEdit { authorize, ..rule }),
        other => other,
    }
}

fn port(v: &Value) -> Option<i32> {
    v.as_i64().and_then(|p| i32::try_from(p).ok())
}

/// A rule's protocol in any spelling Terraform keeps (`tcp`, `6`, `-1`, `all`); absent is all.
fn proto(v: &Value) -> Protocol {
    Protocol::parse(v.as_str().unwrap_or("-1"))
}

/// A group peer (Terraform names groups by id).
fn sg_peer(id: &str) -> Peer {
    Peer::Sg {
        id: SgId::from(id),
        account: None,
    }
}

/// Inline `ingress`/`egress` blocks of an `aws_security_group`, one change per peer.
fn inline_rules(sg: &str, blocks: &Value, direction: Direction) -> Vec<Change> {
    let mut out = Vec::new();
    for b in blocks.as_array().into_iter().flatten() {
        let (protocol, from_port, to_port) = (
            proto(&b["protocol"]),
            port(&b["from_port"]),
            port(&b["to_port"]),
        );
        let mut peers: Vec<Peer> = Vec::new();
        peers.extend(string_set(&b["cidr_blocks"]).into_iter().map(Peer::Cidr));
        peers.extend(
            string_set(&b["prefix_list_ids"])
                .into_iter()
                .map(|pl| Peer::PrefixList(pl.into())),
        );
        peers.extend(
            string_set(&b["security_groups"])
                .into_iter()
                .map(|g| sg_peer(&g)),
        );
        if b["self"].as_bool() == Some(true) {
            peers.push(sg_peer(sg));
        }
        for peer in peers {
            out.push(Change::Rule(RuleEdit {
                authorize: true,
                direction,
                sg: sg.to_owned(),
                protocol: protocol.clone(),
                from_port,
                to_port,
                peer,
            }));
        }
    }
    out
}

fn standalone_rule(kind: &str, v: &Value, authorize: bool) -> Vec<Change> {
    let Some(sg) = v["security_group_id"].as_str() else {
        return Vec::new();
    };
    let direction = match kind {
        "aws_vpc_security_group_egress_rule" => Direction::Egress,
        "aws_vpc_security_group_ingress_rule" => Direction::Ingress,
        _ if v["type"] == "egress" => Direction::Egress,
        _ => Direction::Ingress,
    };
    let protocol = proto(if v["ip_protocol"].is_null() {
        &v["protocol"]
    } else {
        &v["ip_protocol"]
    });
    let (from_port, to_port) = (port(&v["from_port"]), port(&v["to_port"]));
    let mut peers: Vec<Peer> = Vec::new();
    for key in ["source_security_group_id", "referenced_security_group_id"] {
        if let Some(s) = v[key].as_str() {
            peers.push(sg_peer(s));
        }
    }
    if let Some(c) = v["cidr_ipv4"].as_str() {
        peers.push(Peer::Cidr(c.to_owned()));
    }
    peers.extend(string_set(&v["cidr_blocks"]).into_iter().map(Peer::Cidr));
    if let Some(p) = v["prefix_list_id"].as_str() {
        peers.push(Peer::PrefixList(p.into()));
    }
    peers.extend(
        string_set(&v["prefix_list_ids"])
            .into_iter()
            .map(|pl| Peer::PrefixList(pl.into())),
    );
    if v["self"].as_bool() == Some(true) {
        peers.push(sg_peer(sg));
    }
    peers
        .into_iter()
        .map(|peer| {
            Change::Rule(RuleEdit {
                authorize,
                direction,
                sg: sg.to_owned(),
                protocol: protocol.clone(),
                from_port,
                to_port,
                peer,
            })
        })
        .collect()
}
