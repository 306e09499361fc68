//! What-if changes of where a request goes: listener rules (conditions, actions, a deleted or
//! a new rule), a listener's default action, and what CloudFront sends (a behavior's origin
//! request policy, an origin's custom headers, the headers a custom policy forwards).
//!
//! Here: their data ([`RuleCondition`], [`RoutingAction`]) as `describe-rules` prints them,
//! their text, and the flag grammar (`--rule-condition`, `--rule-action`, `--listener-default`,
//! `--delete-rule`, `--origin-request-policy`, `--origin-header`). How they are resolved and
//! carried out on the Inventory copy is `routing_apply`.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::change::{Change, ChangeError, syntax};
use super::resolve::resolve_tg;
use crate::model::Inventory;
use crate::model::elbv2::{Action, FixedResponseConfig, ForwardConfig, TargetGroupTuple};

/// The condition fields what-if sets.
const FIELDS: &[&str] = &[
    "host-header",
    "path-pattern",
    "http-header",
    "http-request-method",
    "query-string",
    "source-ip",
];

/// One listener-rule condition: a field and its values (ORed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleCondition {
    /// `host-header`, `path-pattern`, `http-header`, `http-request-method`, `query-string`,
    /// `source-ip`.
    pub field: String,
    /// The header name of an `http-header` condition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    /// The values; a `query-string` value is `KEY=VALUE` or `VALUE`.
    pub values: Vec<String>,
}

impl RuleCondition {
    /// `host-header www.example.com,example.com`, `http-header X-Origin-Verify=s3cret`.
    #[must_use]
    pub fn text(&self) -> String {
        match &self.header {
            Some(h) => format!("{} {h}={}", self.field, self.values.join(",")),
            None => format!("{} {}", self.field, self.values.join(",")),
        }
    }

    /// Whether the field is one what-if sets and the condition has values.
    pub(super) fn validate(&self) -> Result<(), String> {
        if !FIELDS.contains(&self.field.as_str()) {
            return Err(format!(
                "condition field `{}` is not one of {}",
                self.field,
                FIELDS.join(", ")
            ));
        }
        if self.field == "http-header" && self.header.as_deref().is_none_or(str::is_empty) {
            return Err("an http-header condition names its header: http-header:NAME=VALUE".into());
        }
        if self.values.is_empty() || self.values.iter().any(String::is_empty) {
            return Err(format!("the {} condition needs values", self.field));
        }
        Ok(())
    }

    /// The condition as `describe-rules` prints it.
    pub(super) fn to_aws(&self) -> Value {
        let values = &self.values;
        match self.field.as_str() {
            "host-header" => json!({"Field": "host-header", "Values": values,
                "HostHeaderConfig": {"Values": values}}),
            "path-pattern" => json!({"Field": "path-pattern", "Values": values,
                "PathPatternConfig": {"Values": values}}),
            "http-header" => json!({"Field": "http-header", "HttpHeaderConfig":
                {"HttpHeaderName": self.header.clone().unwrap_or_default(), "Values": values}}),
            "http-request-method" => json!({"Field": "http-request-method",
                "HttpRequestMethodConfig": {"Values": values}}),
            "query-string" => {
                let pairs: Vec<Value> = values
                    .iter()
                    .map(|v| match v.split_once('=') {
                        Some((k, val)) => json!({"Key": k, "Value": val}),
                        None => json!({"Value": v}),
                    })
                    .collect();
                json!({"Field": "query-string", "QueryStringConfig": {"Values": pairs}})
            }
            other => json!({"Field": other, "SourceIpConfig": {"Values": values}}),
        }
    }

    /// Whether `existing` (a `describe-rules` condition) is the one this condition replaces.
    pub(super) fn replaces(&self, existing: &Value) -> bool {
        if existing["Field"].as_str() != Some(self.field.as_str()) {
            return false;
        }
        match &self.header {
            Some(h) => existing["HttpHeaderConfig"]["HttpHeaderName"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case(h)),
            None => true,
        }
    }
}

/// One listener or rule action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum RoutingAction {
    /// Forward to target groups (name or ARN); weights when several.
    Forward {
        /// The groups.
        target_groups: Vec<String>,
        /// Their weights, in the same order (empty: one group, or equal weights).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        weights: Vec<i64>,
    },
    /// The ALB answers with this status.
    FixedResponse {
        /// `404`, `503`, …
        status: String,
    },
    /// The ALB redirects.
    Redirect {
        /// `HTTPS`, `HTTP` or `#{protocol}`.
        protocol: String,
        /// The port (`443`), or `#{port}` when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        port: Option<String>,
        /// `HTTP_301` (the default) or `HTTP_302`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<String>,
    },
    /// An `authenticate-oidc` / `authenticate-cognito` action before the next one.
    Authenticate {
        /// Which.
        kind: String,
    },
}

impl RoutingAction {
    /// `forward:web-tg`, `fixed-response:503`, `redirect:HTTPS:443`, as the flags spell it.
    #[must_use]
    pub fn text(&self) -> String {
        match self {
            RoutingAction::Forward {
                target_groups,
                weights,
            } => {
                let groups: Vec<String> = target_groups
                    .iter()
                    .enumerate()
                    .map(|(i, g)| match weights.get(i) {
                        Some(w) if target_groups.len() > 1 => format!("{g}={w}"),
                        _ => g.clone(),
                    })
                    .collect();
                format!("forward:{}", groups.join(","))
            }
            RoutingAction::FixedResponse { status } => format!("fixed-response:{status}"),
            RoutingAction::Redirect {
                protocol,
                port,
                status,
            } => format!(
                "redirect:{protocol}{}{}",
                port.as_ref().map_or(String::new(), |p| format!(":{p}")),
                status.as_ref().map_or(String::new(), |s| format!(" ({s})"))
            ),
            RoutingAction::Authenticate { kind } => kind.clone(),
        }
    }

    /// Parses `forward:TG[=W][,TG=W…]`, `fixed-response:STATUS`, `redirect:PROTOCOL[:PORT]`.
    fn parse(whole: &str, text: &str) -> Result<RoutingAction, ChangeError> {
        const EXPECTED: &str =
            "the action is forward:TG[,TG…], fixed-response:STATUS or redirect:https[:PORT]";
        let (kind, rest) = text
            .split_once(':')
            .ok_or_else(|| syntax(whole, EXPECTED))?;
        match kind {
            "forward" => {
                let mut target_groups = Vec::new();
                let mut weights = Vec::new();
                for g in rest.split(',') {
                    let (name, w) = g.split_once('=').unwrap_or((g, "1"));
                    if name.is_empty() {
                        return Err(syntax(whole, "forward:TG names a target group"));
                    }
                    let w: i64 = w
                        .parse()
                        .map_err(|_| syntax(whole, "a forward weight is a number (TG=WEIGHT)"))?;
                    target_groups.push(name.to_owned());
                    weights.push(w);
                }
                if target_groups.len() == 1 {
                    weights.clear();
                }
                Ok(RoutingAction::Forward {
                    target_groups,
                    weights,
                })
            }
            "fixed-response" => {
                let ok = rest.len() == 3
                    && rest.bytes().all(|b| b.is_ascii_digit())
                    && matches!(rest.as_bytes()[0], b'2' | b'4' | b'5');
                if !ok {
                    return Err(syntax(
                        whole,
                        "a fixed-response status is a 2XX, 4XX or 5XX code",
                    ));
                }
                Ok(RoutingAction::FixedResponse {
                    status: rest.to_owned(),
                })
            }
            "redirect" => {
                let (proto, port) = match rest.split_once(':') {
                    Some((p, port)) => (p, Some(port.to_owned())),
                    None => (rest, None),
                };
                let protocol = match proto.to_ascii_lowercase().as_str() {
                    "https" => "HTTPS".to_owned(),
                    "http" => "HTTP".to_owned(),
                    "#{protocol}" => "#{protocol}".to_owned(),
                    _ => return Err(syntax(whole, "a redirect's protocol is http or https")),
                };
                Ok(RoutingAction::Redirect {
                    protocol,
                    port,
                    status: None,
                })
            }
            _ => Err(syntax(whole, EXPECTED)),
        }
    }

    /// The action as `describe-rules` prints it (target groups resolved to ARNs).
    pub(super) fn to_aws(&self, inv: &Inventory, order: usize) -> Result<Action, ChangeError> {
        let mut a = Action {
            kind: String::new(),
            target_group_arn: None,
            order: i32::try_from(order + 1).ok(),
            forward_config: None,
            redirect_config: None,
            fixed_response_config: None,
        };
        match self {
            RoutingAction::Forward {
                target_groups,
                weights,
            } => {
                a.kind = "forward".into();
                let mut groups = Vec::new();
                for (i, g) in target_groups.iter().enumerate() {
                    groups.push(TargetGroupTuple {
                        target_group_arn: resolve_tg(inv, g)?,
                        weight: Some(weights.get(i).copied().unwrap_or(1)),
                    });
                }
                if let [one] = &groups[..] {
                    a.target_group_arn = Some(one.target_group_arn.clone());
                }
                a.forward_config = Some(ForwardConfig {
                    target_groups: groups,
                    target_group_stickiness_config: None,
                });
            }
            RoutingAction::FixedResponse { status } => {
                a.kind = "fixed-response".into();
                a.fixed_response_config = Some(FixedResponseConfig {
                    status_code: status.clone(),
                    content_type: None,
                    message_body: None,
                });
            }
            RoutingAction::Redirect {
                protocol,
                port,
                status,
            } => {
                a.kind = "redirect".into();
                a.redirect_config = Some(json!({
                    "Protocol": protocol,
                    "Port": port.clone().unwrap_or_else(|| "#{port}".into()),
                    "Host": "#{host}",
                    "Path": "/#{path}",
                    "Query": "#{query}",
                    "StatusCode": status.clone().unwrap_or_else(|| "HTTP_301".into()),
                }));
            }
            RoutingAction::Authenticate { kind } => a.kind.clone_from(kind),
        }
        Ok(a)
    }
}

fn actions_text(actions: &[RoutingAction]) -> String {
    actions
        .iter()
        .map(RoutingAction::text)
        .collect::<Vec<_>>()
        .join(" then ")
}

fn conditions_text(conditions: &[RuleCondition]) -> String {
    if conditions.is_empty() {
        return "none".into();
    }
    conditions
        .iter()
        .map(RuleCondition::text)
        .collect::<Vec<_>>()
        .join(" and ")
}

/// A routing change in words (the other changes are described in `change`).
pub(super) fn describe(change: &Change) -> String {
    match change {
        Change::RuleConditions {
            rule,
            conditions,
            exact,
        } => format!(
            "set rule {rule} {}{}",
            if *exact { "conditions to " } else { "" },
            conditions_text(conditions)
        ),
        Change::RuleActions { rule, actions } => {
            format!("set rule {rule} action to {}", actions_text(actions))
        }
        Change::ListenerDefault { listener, actions } => format!(
            "set listener {listener} default action to {}",
            actions_text(actions)
        ),
        Change::DeleteRule { rule } => format!("delete rule {rule}"),
        Change::CreateRule {
            listener,
            priority,
            conditions,
            actions,
        } => format!(
            "add rule {priority} to listener {listener}: {} → {}",
            conditions_text(conditions),
            actions_text(actions)
        ),
        Change::OriginRequestPolicy {
            distribution,
            behavior,
            policy,
        } => match policy {
            Some(p) => {
                format!("set {distribution} behavior {behavior} origin request policy to {p}")
            }
            None => {
                format!("remove the origin request policy of {distribution} behavior {behavior}")
            }
        },
        Change::OriginHeader {
            distribution,
            origin,
            name,
            value,
        } => match value {
            Some(v) => format!("set {distribution} origin {origin} header {name}: {v}"),
            None => format!("remove {distribution} origin {origin} header {name}"),
        },
        Change::PolicyHeaders {
            policy,
            header_behavior,
            headers,
        } => format!(
            "set origin request policy {policy} headers to {header_behavior}{}",
            if headers.is_empty() {
                String::new()
            } else {
                format!(" {}", headers.join(","))
            }
        ),
        _ => String::new(),
    }
}

impl Change {
    /// Parses `RULE=FIELD:VALUE[,VALUE…]` (`http-header:NAME=VALUE[,VALUE…]`).
    ///
    /// # Errors
    /// The text does not follow the grammar.
    pub fn parse_rule_condition(text: &str) -> Result<Change, ChangeError> {
        const EXPECTED: &str = "expected `RULE=FIELD:VALUE[,VALUE…]`, e.g. `web-alb:80:10=host-header:www.example.com` or `web-alb:80:10=http-header:X-Origin-Verify=s3cret`";
        let (rule, spec) = text.split_once('=').ok_or_else(|| syntax(text, EXPECTED))?;
        let (field, rest) = spec.split_once(':').ok_or_else(|| syntax(text, EXPECTED))?;
        let (header, values) = if field == "http-header" {
            let (name, values) = rest.split_once('=').ok_or_else(|| {
                syntax(text, "an http-header condition is http-header:NAME=VALUE")
            })?;
            (Some(name.to_owned()), values)
        } else {
            (None, rest)
        };
        let condition = RuleCondition {
            field: field.to_owned(),
            header,
            values: values.split(',').map(str::to_owned).collect(),
        };
        condition.validate().map_err(|why| syntax(text, &why))?;
        if rule.is_empty() {
            return Err(syntax(text, EXPECTED));
        }
        Ok(Change::RuleConditions {
            rule: rule.to_owned(),
            conditions: vec![condition],
            exact: false,
        })
    }

    /// Parses `RULE=ACTION` (`--rule-action`) or `LISTENER=ACTION` (`--listener-default`).
    ///
    /// # Errors
    /// The text does not follow the grammar.
    pub fn parse_routing_action(text: &str, listener_default: bool) -> Result<Change, ChangeError> {
        let expected = if listener_default {
            "expected `LISTENER=ACTION`, e.g. `web-alb:80=fixed-response:404`"
        } else {
            "expected `RULE=ACTION`, e.g. `web-alb:80:10=forward:web-tg`"
        };
        let (id, action) = text.split_once('=').ok_or_else(|| syntax(text, expected))?;
        if id.is_empty() {
            return Err(syntax(text, expected));
        }
        let actions = vec![RoutingAction::parse(text, action)?];
        Ok(if listener_default {
            Change::ListenerDefault {
                listener: id.to_owned(),
                actions,
            }
        } else {
            Change::RuleActions {
                rule: id.to_owned(),
                actions,
            }
        })
    }

    /// Parses `RULE` (`--delete-rule`).
    ///
    /// # Errors
    /// The text is not one word.
    pub fn parse_delete_rule(text: &str) -> Result<Change, ChangeError> {
        let w: Vec<&str> = text.split_whitespace().collect();
        let [rule] = w[..] else {
            return Err(syntax(
                text,
                "expected one rule: its ARN or ALB:PORT:PRIORITY",
            ));
        };
        Ok(Change::DeleteRule {
            rule: rule.to_owned(),
        })
    }

    /// Parses `DIST:PATTERN=POLICY_ID` (`none` removes the policy).
    ///
    /// # Errors
    /// The text does not follow the grammar.
    pub fn parse_origin_request_policy(text: &str) -> Result<Change, ChangeError> {
        const EXPECTED: &str = "expected `DISTRIBUTION:PATH_PATTERN=POLICY_ID` (`*` for the default behavior, `none` to remove the policy)";
        let (left, policy) = text
            .rsplit_once('=')
            .ok_or_else(|| syntax(text, EXPECTED))?;
        let (dist, behavior) = left.split_once(':').ok_or_else(|| syntax(text, EXPECTED))?;
        if dist.is_empty() || behavior.is_empty() || policy.is_empty() {
            return Err(syntax(text, EXPECTED));
        }
        Ok(Change::OriginRequestPolicy {
            distribution: dist.to_owned(),
            behavior: behavior.to_owned(),
            policy: (policy != "none").then(|| policy.to_owned()),
        })
    }

    /// Parses `DIST:ORIGIN:NAME=VALUE` (an empty value removes the header).
    ///
    /// # Errors
    /// The text does not follow the grammar.
    pub fn parse_origin_header(text: &str) -> Result<Change, ChangeError> {
        const EXPECTED: &str =
            "expected `DISTRIBUTION:ORIGIN_ID:HEADER=VALUE` (an empty VALUE removes the header)";
        let (left, value) = text.split_once('=').ok_or_else(|| syntax(text, EXPECTED))?;
        let (dist, rest) = left.split_once(':').ok_or_else(|| syntax(text, EXPECTED))?;
        let (origin, name) = rest
            .rsplit_once(':')
            .ok_or_else(|| syntax(text, EXPECTED))?;
        if [dist, origin, name].iter().any(|s| s.is_empty()) {
            return Err(syntax(text, EXPECTED));
        }
        Ok(Change::OriginHeader {
            distribution: dist.to_owned(),
            origin: origin.to_owned(),
            name: name.to_owned(),
            value: (!value.is_empty()).then(|| value.to_owned()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routing_changes_keep_the_op_tagged_file_shape() {
        let json = json!([
            {"op": "rule-conditions", "rule": "web-alb:80:10",
             "conditions": [{"field": "http-header", "header": "X-Origin-Verify", "values": ["a"]}],
             "exact": false},
            {"op": "rule-actions", "rule": "web-alb:80:10",
             "actions": [{"type": "fixed-response", "status": "503"}]},
            {"op": "listener-default", "listener": "web-alb:80",
             "actions": [{"type": "forward", "target_groups": ["web-tg"]}]},
            {"op": "delete-rule", "rule": "web-alb:80:10"},
            {"op": "origin-request-policy", "distribution": "E1", "behavior": "*", "policy": null},
            {"op": "origin-header", "distribution": "E1", "origin": "web", "name": "X", "value": "1"},
            {"op": "policy-headers", "policy": "custom-1", "header_behavior": "none", "headers": []}
        ]);
        let changes: Vec<Change> = serde_json::from_value(json.clone()).expect("changes");
        assert_eq!(serde_json::to_value(&changes).expect("serializes"), json);
        let parsed = Change::parse_rule_condition("web-alb:80:10=http-header:X-Origin-Verify=a")
            .expect("parses");
        assert_eq!(parsed, changes[0]);
    }
}
