//! Terraform plan import: `terraform show -json plan.out` → change operations, with every
//! resource change of the plan accounted for.
//!
//! Reads `resource_changes[]` of plan `format_version` 0.1 to 1.x: 0.1 (Terraform 0.12–0.14)
//! and 0.2 (0.15–1.0.x) have the same `resource_changes` shape as 1.x, so one reader serves all.
//! Each resource change lands in exactly one [`PlanStatus`]: `modelled` (its [`Change`]s are
//! evaluated), `unresolved` (it touches what edgepath models, but a value is known only after
//! apply, or — decided later, against the loaded data — it names something the snapshot lacks),
//! `not_modelled` (its type, or the attributes it changes, are outside what edgepath models) or
//! `no_op`. Nothing vanishes: a CI gate that says "no path breaks" also says what it did not look
//! at. How each resource type maps to changes is `resources`.
//!
//! Input that is not a plan is an error (exit 2): invalid JSON, a binary plan file, the
//! `terraform plan -json` UI stream (newline-delimited log messages, not the plan), a
//! `format_version` edgepath does not read, or a `resource_changes` entry without the keys
//! every Terraform version writes (`address`, `type`, `change.actions`).

mod resources;
mod routing;

use serde::Serialize;
use serde_json::Value;

use super::change::Change;

/// Why a plan cannot be read.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum PlanError {
    /// Not JSON.
    #[error("{path}: not a JSON plan ({message})")]
    #[diagnostic(
        code(whatif::plan_json),
        help("pass the output of `terraform show -json plan.out > plan.json`")
    )]
    Json {
        /// The file.
        path: String,
        /// serde_json's message with line and column.
        message: String,
    },
    /// The binary plan file `terraform plan -out` writes (a zip archive).
    #[error("{path}: a binary Terraform plan file, not its JSON form")]
    #[diagnostic(
        code(whatif::plan_binary),
        help("convert it with `terraform show -json {path} > plan.json` and pass plan.json")
    )]
    Binary {
        /// The file.
        path: String,
    },
    /// The `terraform plan -json` UI stream: one log message per line, not the plan.
    #[error("{path}: the log stream of `terraform plan -json` (one message per line), not a plan")]
    #[diagnostic(
        code(whatif::plan_ui_stream),
        help(
            "save the plan with `terraform plan -out plan.out`, then pass the output of `terraform show -json plan.out > plan.json`"
        )
    )]
    UiStream {
        /// The file.
        path: String,
    },
    /// Unsupported `format_version`.
    #[error("{path}: unsupported plan format_version `{version}` (edgepath reads 0.1 to 1.x)")]
    #[diagnostic(
        code(whatif::plan_version),
        help(
            "Terraform 0.12 and later write 0.1 to 1.x with `terraform show -json plan.out`; a missing format_version means the file is not a plan"
        )
    )]
    Version {
        /// The file.
        path: String,
        /// The version found.
        version: String,
    },
    /// JSON, but not the shape every Terraform version writes.
    #[error("{path}: malformed plan: {at} {why}")]
    #[diagnostic(
        code(whatif::plan_malformed),
        help("pass the unedited output of `terraform show -json plan.out`")
    )]
    Malformed {
        /// The file.
        path: String,
        /// Where, e.g. `resource_changes[3].address`.
        at: String,
        /// What is wrong there.
        why: &'static str,
    },
}

/// Where one resource change of a plan went: exactly one per resource change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// Its changes are applied to the after-state and evaluated.
    Modelled,
    /// It touches what edgepath models, but cannot be evaluated: a value known only after
    /// apply, or something the loaded data lacks (`reason` says which).
    Unresolved,
    /// Its type, or the attributes it changes, are outside what edgepath models.
    NotModelled,
    /// No change (`no-op`, a data source `read`, or `forget`).
    NoOp,
}

impl PlanStatus {
    /// `modelled`, `unresolved`, `not modelled`, `no-op`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Modelled => "modelled",
            PlanStatus::Unresolved => "unresolved",
            PlanStatus::NotModelled => "not modelled",
            PlanStatus::NoOp => "no-op",
        }
    }
}

/// One entry of the plan's `resource_changes`, and where it went.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedResource {
    /// `module.alb.aws_security_group.web`.
    pub address: String,
    /// The resource type as the plan writes it (`aws_alb` stays `aws_alb`).
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Terraform's actions: `["update"]`, `["delete", "create"]`, …
    pub actions: Vec<String>,
    /// Where it went.
    pub status: PlanStatus,
    /// The changes in words (`revoke sg-… ingress tcp/5432 from sg-…`); empty unless modelled.
    pub changes: Vec<String>,
    /// Why it is unresolved or not modelled; `None` when modelled or a no-op.
    pub reason: Option<String>,
    /// The changes to apply (modelled only).
    #[serde(skip)]
    pub planned: Vec<Change>,
}

impl PlannedResource {
    /// Marks it unresolved (the loaded data lacks what it names): its changes are not applied.
    pub fn unresolve(&mut self, reason: String) {
        self.status = PlanStatus::Unresolved;
        self.reason = Some(reason);
        self.changes.clear();
        self.planned.clear();
    }
}

/// What a plan turned into: one entry per `resource_changes` entry, in plan order.
#[derive(Debug, Default)]
pub struct PlanChanges {
    /// Every resource change, each with its status.
    pub resources: Vec<PlannedResource>,
}

impl PlanChanges {
    /// Whether any resource change is modelled (needs the Inventory to be evaluated).
    #[must_use]
    pub fn has_modelled(&self) -> bool {
        self.resources
            .iter()
            .any(|r| r.status == PlanStatus::Modelled)
    }
}

/// The action set of one resource change.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Actions {
    create: bool,
    delete: bool,
    update: bool,
}

impl Actions {
    /// Only a create (the resource is new: its id is known only after apply).
    fn create_only(self) -> bool {
        self.create && !self.delete
    }
    /// Only a delete.
    fn delete_only(self) -> bool {
        self.delete && !self.create
    }
    /// Delete and create, in either order: a replacement with a new id.
    fn replace(self) -> bool {
        self.delete && self.create
    }
}

/// Parses a plan file's bytes.
///
/// # Errors
/// Not a JSON plan (binary plan, UI stream, invalid JSON), an unsupported `format_version`,
/// or a `resource_changes` entry without `address`, `type` or `change.actions`.
pub fn parse_plan(path: &str, bytes: &[u8]) -> Result<PlanChanges, PlanError> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(PlanError::Binary {
            path: path.to_owned(),
        });
    }
    let plan: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            if is_ui_stream(bytes) {
                return Err(PlanError::UiStream {
                    path: path.to_owned(),
                });
            }
            return Err(PlanError::Json {
                path: path.to_owned(),
                message: e.to_string(),
            });
        }
    };
    let malformed = |at: String, why| PlanError::Malformed {
        path: path.to_owned(),
        at,
        why,
    };
    let Some(top) = plan.as_object() else {
        return Err(malformed("the top level".into(), "is not a JSON object"));
    };
    if is_ui_message(top) {
        return Err(PlanError::UiStream {
            path: path.to_owned(),
        });
    }
    let version = top.get("format_version").and_then(Value::as_str);
    if !version.is_some_and(|v| matches!(v, "0.1" | "0.2") || v.starts_with("1.")) {
        return Err(PlanError::Version {
            path: path.to_owned(),
            version: version.unwrap_or("(missing)").to_owned(),
        });
    }
    // Terraform leaves `resource_changes` out when nothing changes in some versions and writes
    // `[]` in others: both are a plan with nothing to do.
    let list = match top.get("resource_changes") {
        None | Some(Value::Null) => &Vec::new(),
        Some(Value::Array(list)) => list,
        Some(_) => {
            return Err(malformed("resource_changes".into(), "is not a list"));
        }
    };
    let mut out = PlanChanges::default();
    for (i, rc) in list.iter().enumerate() {
        let at = |key: &str| format!("resource_changes[{i}].{key}");
        let address = rc["address"]
            .as_str()
            .ok_or_else(|| malformed(at("address"), "is not a string"))?;
        let resource_type = rc["type"]
            .as_str()
            .ok_or_else(|| malformed(at("type"), "is not a string"))?;
        let actions: Vec<String> = rc["change"]["actions"]
            .as_array()
            .ok_or_else(|| malformed(at("change.actions"), "is not a list"))?
            .iter()
            .map(|a| a.as_str().map(str::to_owned))
            .collect::<Option<_>>()
            .ok_or_else(|| malformed(at("change.actions"), "holds a non-string"))?;
        if actions.is_empty() {
            return Err(malformed(at("change.actions"), "is empty"));
        }
        let set = Actions {
            create: actions.iter().any(|a| a == "create"),
            delete: actions.iter().any(|a| a == "delete"),
            update: actions.iter().any(|a| a == "update"),
        };
        let mapped = if set.create || set.delete || set.update {
            resources::map(resource_type, set, rc)
        } else {
            // `no-op`, `read` (a data source) and `forget` (Terraform stops managing it)
            // change nothing in the account.
            resources::Mapped {
                status: PlanStatus::NoOp,
                planned: Vec::new(),
                reason: None,
            }
        };
        out.resources.push(PlannedResource {
            address: address.to_owned(),
            resource_type: resource_type.to_owned(),
            actions,
            status: mapped.status,
            changes: mapped.planned.iter().map(Change::describe).collect(),
            reason: mapped.reason,
            planned: mapped.planned,
        });
    }
    Ok(out)
}

/// A `terraform plan -json` UI message: `@level`, `@message` and `type` keys.
fn is_ui_message(obj: &serde_json::Map<String, Value>) -> bool {
    obj.contains_key("@level") || obj.contains_key("@message")
}

/// The UI stream saved to a file: its first non-empty line is a UI message.
fn is_ui_stream(bytes: &[u8]) -> bool {
    bytes
        .split(|&b| b == b'\n')
        .find(|l| !l.iter().all(u8::is_ascii_whitespace))
        .and_then(|l| serde_json::from_slice::<Value>(l).ok())
        .and_then(|v| v.as_object().map(is_ui_message))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(resource_changes: &Value) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({
            "format_version": "1.2",
            "resource_changes": resource_changes,
        }))
        .expect("serializes")
    }

    fn statuses(p: &PlanChanges) -> Vec<(String, PlanStatus)> {
        p.resources
            .iter()
            .map(|r| (r.address.clone(), r.status))
            .collect()
    }

    #[test]
    fn a_standalone_rule_update_is_a_revoke_of_the_old_rule_and_an_authorize_of_the_new() {
        let rule = |port: i64, proto: &str| {
            serde_json::json!({
                "type": "ingress", "security_group_id": "sg-1", "protocol": proto,
                "from_port": port, "to_port": port, "source_security_group_id": "sg-2",
                "cidr_blocks": [], "self": false
            })
        };
        let p = parse_plan(
            "p.json",
            &plan(&serde_json::json!([
                {"address": "aws_security_group_rule.db", "type": "aws_security_group_rule",
                 "change": {"actions": ["update"], "before": rule(5432, "tcp"), "after": rule(5433, "tcp")}},
                {"address": "aws_security_group_rule.dns", "type": "aws_security_group_rule",
                 "change": {"actions": ["update"], "before": rule(53, "tcp"), "after": rule(53, "udp")}},
                {"address": "aws_security_group_rule.same", "type": "aws_security_group_rule",
                 "change": {"actions": ["update"], "before": rule(80, "tcp"), "after": rule(80, "tcp")}}
            ])),
        )
        .expect("a plan");
        assert_eq!(
            p.resources[0].changes,
            [
                "revoke sg-1 ingress tcp/5432 from sg-2",
                "authorize sg-1 ingress tcp/5433 from sg-2"
            ]
        );
        assert_eq!(
            p.resources[1].changes,
            [
                "revoke sg-1 ingress tcp/53 from sg-2",
                "authorize sg-1 ingress udp/53 from sg-2"
            ]
        );
        assert_eq!(p.resources[2].status, PlanStatus::NotModelled);
    }

    #[test]
    fn every_resource_change_is_accounted_for_once() {
        let p = parse_plan(
            "p.json",
            &plan(&serde_json::json!([
                {"address": "aws_cloudfront_distribution.new", "type": "aws_cloudfront_distribution",
                 "change": {"actions": ["create"], "before": null, "after": {"origin": []}}},
                {"address": "aws_lb.web", "type": "aws_lb",
                 "change": {"actions": ["delete", "create"],
                            "before": {"arn": "arn:lb", "security_groups": ["sg-1"]},
                            "after": {"security_groups": ["sg-1"]}}},
                {"address": "aws_alb_listener.web", "type": "aws_alb_listener",
                 "change": {"actions": ["create"], "before": null, "after": {}}},
                {"address": "aws_s3_bucket.b", "type": "aws_s3_bucket",
                 "change": {"actions": ["no-op"], "before": {}, "after": {}}},
                {"address": "data.aws_vpc.v", "type": "aws_vpc",
                 "change": {"actions": ["read"], "before": null, "after": {}}}
            ])),
        )
        .expect("a plan");
        assert_eq!(
            statuses(&p),
            [
                (
                    "aws_cloudfront_distribution.new".into(),
                    PlanStatus::NotModelled
                ),
                ("aws_lb.web".into(), PlanStatus::Unresolved),
                ("aws_alb_listener.web".into(), PlanStatus::NotModelled),
                ("aws_s3_bucket.b".into(), PlanStatus::NoOp),
                ("data.aws_vpc.v".into(), PlanStatus::NoOp),
            ]
        );
        assert!(
            p.resources
                .iter()
                .filter(|r| r.status != PlanStatus::NoOp)
                .all(|r| r.reason.is_some()),
            "{p:#?}"
        );
    }

    #[test]
    fn the_alb_aliases_map_to_the_lb_types() {
        let p = parse_plan(
            "p.json",
            &plan(&serde_json::json!([
                {"address": "aws_alb_target_group.web", "type": "aws_alb_target_group",
                 "change": {"actions": ["update"],
                            "before": {"arn": "arn:tg", "port": 80}, "after": {"arn": "arn:tg", "port": 8080}}}
            ])),
        )
        .expect("a plan");
        assert_eq!(
            p.resources[0].changes,
            ["set target group arn:tg port to 8080"]
        );
    }

    #[test]
    fn old_format_versions_are_read_and_others_refused() {
        for v in ["0.1", "0.2", "1.0", "1.2"] {
            let text = format!(r#"{{"format_version": "{v}", "resource_changes": []}}"#);
            assert!(parse_plan("p.json", text.as_bytes()).is_ok(), "{v}");
        }
        for text in [
            r#"{"format_version": "2.0"}"#,
            r#"{"resource_changes": []}"#,
        ] {
            assert!(
                matches!(
                    parse_plan("p.json", text.as_bytes()),
                    Err(PlanError::Version { .. })
                ),
                "{text}"
            );
        }
    }

    #[test]
    fn malformed_entries_are_errors_not_silence() {
        for text in [
            r#"{"format_version": "1.2", "resource_changes": [{"address": 5}]}"#,
            r#"{"format_version": "1.2", "resource_changes": [{"address": "a", "type": "aws_lb"}]}"#,
            r#"{"format_version": "1.2", "resource_changes": {}}"#,
            r#"[1, 2]"#,
        ] {
            assert!(
                matches!(
                    parse_plan("p.json", text.as_bytes()),
                    Err(PlanError::Malformed { .. })
                ),
                "{text}"
            );
        }
    }

    #[test]
    fn the_ui_stream_and_a_binary_plan_are_named_as_what_they_are() {
        let stream = concat!(
            r#"{"@level":"info","@message":"Terraform 1.9.8","@module":"terraform.ui","type":"version"}"#,
            "\n",
            r#"{"@level":"info","@message":"Plan: 1 to add","type":"change_summary"}"#,
            "\n"
        );
        assert!(matches!(
            parse_plan("p.json", stream.as_bytes()),
            Err(PlanError::UiStream { .. })
        ));
        assert!(matches!(
            parse_plan("p.json", b"PK\x03\x04\x14\x00"),
            Err(PlanError::Binary { .. })
        ));
    }
}
