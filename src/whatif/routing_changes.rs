//! What-if changes of where a request goes: listener rules (conditions, actions, a deleted or
//! a new rule), a listener's default action, and what CloudFront sends (a behavior's origin
//! request policy, an origin's custom headers, the headers a custom policy forwards).
//!
//! Their flag grammar (`--rule-condition`, `--rule-action`, `--listener-default`,
//! `--delete-rule`, `--origin-request-policy`, `--origin-header`), their text, and how they are
//! carried out on the Inventory copy: every change is first resolved against the loaded data
//! without touching it ([`check`], which a plan runs before applying a resource's changes), then
//! applied. Reach then walks the changed rules and the changed request as it walks the
//! snapshot's, so the diff names the rule that answers after the change (`alb-routing`).
//!
//! A rule is named by ARN or `ALB:PORT:PRIORITY` (`web-alb:80:10`, `web-alb:80:default`), a
//! listener by ARN or `ALB:PORT`; a name the loaded data lacks is [`ChangeError::UnknownId`]
//! listing the ones it has.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::change::{Change, ChangeError, syntax};
use super::resolve::{resolve_lb, resolve_tg};
use crate::model::cloudfront::{Items, OriginCustomHeader};
use crate::model::elbv2::{Action, FixedResponseConfig, ForwardConfig, Rule, TargetGroupTuple};
use crate::model::policies::HeadersConfig;
use crate::model::{Inventory, LbArn, ListenerArn, RuleArn};

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
    fn validate(&self) -> Result<(), String> {
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
    fn to_aws(&self) -> Value {
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
    fn replaces(&self, existing: &Value) -> bool {
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
    fn to_aws(&self, inv: &Inventory, order: usize) -> Result<Action, ChangeError> {
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

fn lb_name(inv: &Inventory, lb: &LbArn) -> String {
    inv.load_balancers
        .get(lb)
        .map_or_else(|| lb.to_string(), |l| l.load_balancer_name.clone())
}

/// `web-alb:80`.
fn listener_label(inv: &Inventory, arn: &ListenerArn) -> String {
    inv.listeners.get(arn).map_or_else(
        || arn.to_string(),
        |l| format!("{}:{}", lb_name(inv, &l.load_balancer_arn), l.port),
    )
}

fn rules_of<'a>(inv: &'a Inventory, listener: &ListenerArn) -> Vec<&'a Rule> {
    inv.index()
        .rules_by_listener
        .get(listener)
        .into_iter()
        .flatten()
        .filter_map(|r| inv.rules.get(r))
        .collect()
}

/// `web-alb:80:10`, `web-alb:80:default` of every rule of the listeners given (all: every
/// loaded rule).
fn rule_labels(inv: &Inventory, listeners: &[ListenerArn]) -> Vec<String> {
    let all: Vec<ListenerArn>;
    let listeners = if listeners.is_empty() {
        all = inv.listeners.keys().cloned().collect();
        &all
    } else {
        listeners
    };
    let mut out = Vec::new();
    for l in listeners {
        let mut rules = rules_of(inv, l);
        rules.sort_by_key(|r| r.priority.parse::<i64>().unwrap_or(i64::MAX));
        let label = listener_label(inv, l);
        out.extend(rules.iter().map(|r| format!("{label}:{}", r.priority)));
    }
    out
}

/// A listener named by ARN or `ALB:PORT`.
pub(super) fn resolve_listener(inv: &Inventory, s: &str) -> Result<ListenerArn, ChangeError> {
    if inv.listeners.contains_key(s) {
        return Ok(ListenerArn::from(s));
    }
    let all_labels = || {
        inv.listeners
            .keys()
            .map(|l| listener_label(inv, l))
            .collect()
    };
    let unknown = |known| ChangeError::UnknownId {
        id: s.to_owned(),
        what: "listener (ARN or ALB:PORT)",
        known,
    };
    let Some((alb, port)) = s.rsplit_once(':') else {
        return Err(unknown(all_labels()));
    };
    let (Some(lb), Ok(port)) = (resolve_lb(inv, alb), port.parse::<i32>()) else {
        return Err(unknown(all_labels()));
    };
    let mine: Vec<&ListenerArn> = inv
        .index()
        .listeners_by_lb
        .get(&lb)
        .into_iter()
        .flatten()
        .collect();
    mine.iter()
        .find(|l| inv.listeners.get(**l).is_some_and(|l| l.port == port))
        .map(|l| (*l).clone())
        .ok_or_else(|| unknown(mine.iter().map(|l| listener_label(inv, l)).collect()))
}

/// A rule named by ARN or `ALB:PORT:PRIORITY`: its listener, and the rule (`None` only for
/// `ALB:PORT:default` when the snapshot holds no default rule for the listener).
fn resolve_rule(inv: &Inventory, s: &str) -> Result<(ListenerArn, Option<RuleArn>), ChangeError> {
    if let Some(r) = inv.rules.get(s) {
        let listener = r
            .listener_arn
            .clone()
            .or_else(|| Rule::listener_arn_from_rule_arn(s))
            .unwrap_or_default();
        return Ok((listener, Some(r.rule_arn.clone())));
    }
    let unknown = |known| ChangeError::UnknownId {
        id: s.to_owned(),
        what: "listener rule (ARN or ALB:PORT:PRIORITY)",
        known,
    };
    let Some((listener, priority)) = s.rsplit_once(':').filter(|_| !s.starts_with("arn:")) else {
        return Err(unknown(rule_labels(inv, &[])));
    };
    let listener = resolve_listener(inv, listener)?;
    let found = rules_of(inv, &listener)
        .into_iter()
        .find(|r| r.priority.eq_ignore_ascii_case(priority))
        .map(|r| r.rule_arn.clone());
    match found {
        Some(r) => Ok((listener, Some(r))),
        None if priority.eq_ignore_ascii_case("default") => Ok((listener, None)),
        None => Err(unknown(rule_labels(inv, std::slice::from_ref(&listener)))),
    }
}

/// A `ALB:PORT:PRIORITY` rule named by `resolve_rule` that must exist (not a listener's
/// default, which has no conditions and cannot be deleted).
fn resolve_plain_rule(inv: &Inventory, change: &Change, s: &str) -> Result<RuleArn, ChangeError> {
    let (_, rule) = resolve_rule(inv, s)?;
    match rule {
        Some(r) if !inv.rules[&r].is_default => Ok(r),
        _ => Err(syntax(
            &change.describe(),
            "a listener's default rule has no conditions and cannot be deleted (use --listener-default for its action)",
        )),
    }
}

/// A change resolved against the loaded data, ready to apply.
enum Edit {
    RuleConditions(RuleArn, Vec<Value>),
    RuleActions(RuleArn, Vec<Action>),
    ListenerDefault(ListenerArn, Option<RuleArn>, Vec<Action>),
    DeleteRule(RuleArn),
    CreateRule(Box<Rule>),
    BehaviorPolicy {
        dist: String,
        /// `None`: the default behavior.
        behavior: Option<usize>,
        policy: Option<String>,
    },
    OriginHeader {
        dist: String,
        origin: usize,
        name: String,
        value: Option<String>,
    },
    PolicyHeaders(String, HeadersConfig),
}

fn aws_actions(inv: &Inventory, actions: &[RoutingAction]) -> Result<Vec<Action>, ChangeError> {
    actions
        .iter()
        .enumerate()
        .map(|(i, a)| a.to_aws(inv, i))
        .collect()
}

fn aws_conditions(
    change: &Change,
    conditions: &[RuleCondition],
) -> Result<Vec<Value>, ChangeError> {
    conditions
        .iter()
        .map(|c| {
            c.validate()
                .map(|()| c.to_aws())
                .map_err(|why| syntax(&change.describe(), &why))
        })
        .collect()
}

fn unknown_distribution(inv: &Inventory, id: &str) -> ChangeError {
    ChangeError::UnknownId {
        id: id.to_owned(),
        what: "CloudFront distribution",
        known: inv.distributions.keys().map(ToString::to_string).collect(),
    }
}

/// Resolves a change against `inv` without changing it.
fn plan(inv: &Inventory, change: &Change) -> Result<Edit, ChangeError> {
    Ok(match change {
        Change::RuleConditions {
            rule,
            conditions,
            exact,
        } => {
            let arn = resolve_plain_rule(inv, change, rule)?;
            let new = aws_conditions(change, conditions)?;
            let mut all: Vec<Value> = if *exact {
                Vec::new()
            } else {
                inv.rules[&arn]
                    .conditions
                    .iter()
                    .filter(|old| !conditions.iter().any(|c| c.replaces(old)))
                    .cloned()
                    .collect()
            };
            all.extend(new);
            Edit::RuleConditions(arn, all)
        }
        Change::RuleActions { rule, actions } => {
            let (listener, arn) = resolve_rule(inv, rule)?;
            let actions = aws_actions(inv, actions)?;
            match arn {
                Some(r) if !inv.rules[&r].is_default => Edit::RuleActions(r, actions),
                default => Edit::ListenerDefault(listener, default, actions),
            }
        }
        Change::ListenerDefault { listener, actions } => {
            let listener = resolve_listener(inv, listener)?;
            let default = rules_of(inv, &listener)
                .into_iter()
                .find(|r| r.is_default)
                .map(|r| r.rule_arn.clone());
            Edit::ListenerDefault(listener, default, aws_actions(inv, actions)?)
        }
        Change::DeleteRule { rule } => Edit::DeleteRule(resolve_plain_rule(inv, change, rule)?),
        Change::CreateRule {
            listener,
            priority,
            conditions,
            actions,
        } => {
            let listener = resolve_listener(inv, listener)?;
            let taken = rules_of(inv, &listener)
                .iter()
                .any(|r| r.priority == priority.to_string());
            if taken {
                return Err(syntax(
                    &change.describe(),
                    &format!(
                        "{} already has a rule at priority {priority}",
                        listener_label(inv, &listener)
                    ),
                ));
            }
            let rule_arn = format!(
                "{}/planned-{priority}",
                listener
                    .as_str()
                    .replacen(":listener/", ":listener-rule/", 1)
            );
            Edit::CreateRule(Box::new(Rule {
                rule_arn: RuleArn::from(rule_arn.as_str()),
                priority: priority.to_string(),
                conditions: aws_conditions(change, conditions)?,
                actions: aws_actions(inv, actions)?,
                is_default: false,
                listener_arn: Some(listener),
            }))
        }
        Change::OriginRequestPolicy {
            distribution,
            behavior,
            policy,
        } => {
            let d = inv
                .distributions
                .get(distribution.as_str())
                .ok_or_else(|| unknown_distribution(inv, distribution))?;
            let index = if behavior == "*" || behavior == "default" {
                None
            } else {
                let trimmed = |p: &str| p.trim_start_matches('/').to_owned();
                let items = d.cache_behaviors.as_ref().map_or(&[][..], |c| &c.items[..]);
                let found = items.iter().position(|b| {
                    b.path_pattern.as_deref().map(trimmed) == Some(trimmed(behavior))
                });
                let Some(i) = found else {
                    let mut known = vec!["*".to_owned()];
                    known.extend(items.iter().filter_map(|b| b.path_pattern.clone()));
                    return Err(ChangeError::UnknownId {
                        id: behavior.clone(),
                        what: "cache behavior path pattern of that distribution",
                        known,
                    });
                };
                Some(i)
            };
            if let Some(p) = policy
                && inv.origin_request_forwarding(p).is_err()
            {
                return Err(ChangeError::UnknownId {
                    id: p.clone(),
                    what: "origin request policy (a managed policy id, or a custom one in the snapshot)",
                    known: inv.origin_request_policies.keys().cloned().collect(),
                });
            }
            Edit::BehaviorPolicy {
                dist: distribution.clone(),
                behavior: index,
                policy: policy.clone(),
            }
        }
        Change::OriginHeader {
            distribution,
            origin,
            name,
            value,
        } => {
            let d = inv
                .distributions
                .get(distribution.as_str())
                .ok_or_else(|| unknown_distribution(inv, distribution))?;
            let i = d
                .origins
                .items
                .iter()
                .position(|o| o.id == *origin)
                .ok_or_else(|| ChangeError::UnknownId {
                    id: origin.clone(),
                    what: "origin id of that distribution",
                    known: d.origins.items.iter().map(|o| o.id.clone()).collect(),
                })?;
            Edit::OriginHeader {
                dist: distribution.clone(),
                origin: i,
                name: name.clone(),
                value: value.clone(),
            }
        }
        Change::PolicyHeaders {
            policy,
            header_behavior,
            headers,
        } => {
            if !inv.origin_request_policies.contains_key(policy.as_str()) {
                return Err(ChangeError::UnknownId {
                    id: policy.clone(),
                    what: "custom origin request policy",
                    known: inv.origin_request_policies.keys().cloned().collect(),
                });
            }
            Edit::PolicyHeaders(
                policy.clone(),
                HeadersConfig {
                    header_behavior: header_behavior.clone(),
                    headers: (!headers.is_empty()).then(|| Items {
                        quantity: i64::try_from(headers.len()).unwrap_or(i64::MAX),
                        items: headers.clone(),
                    }),
                },
            )
        }
        other => {
            return Err(syntax(
                &other.describe(),
                "not a listener-rule or CloudFront request change",
            ));
        }
    })
}

/// Whether `change` can be applied to `inv` (the same look-ups and errors as [`apply`]).
///
/// # Errors
/// What [`apply`] would return.
pub(super) fn check(inv: &Inventory, change: &Change) -> Result<(), ChangeError> {
    plan(inv, change).map(|_| ())
}

/// Applies one routing change to `inv` (the caller invalidates the index).
///
/// # Errors
/// The change names something not in the Inventory.
pub(super) fn apply(inv: &mut Inventory, change: &Change) -> Result<(), ChangeError> {
    match plan(inv, change)? {
        Edit::RuleConditions(arn, conditions) => {
            if let Some(r) = inv.rules.get_mut(&arn) {
                r.conditions = conditions;
            }
        }
        Edit::RuleActions(arn, actions) => {
            if let Some(r) = inv.rules.get_mut(&arn) {
                r.actions = actions;
            }
        }
        Edit::ListenerDefault(listener, default, actions) => {
            if let Some(r) = default.and_then(|d| inv.rules.get_mut(&d)) {
                r.actions.clone_from(&actions);
            }
            if let Some(l) = inv.listeners.get_mut(&listener) {
                l.default_actions = actions;
            }
        }
        Edit::DeleteRule(arn) => {
            inv.rules.remove(&arn);
        }
        Edit::CreateRule(rule) => {
            inv.rules.insert(rule.rule_arn.clone(), *rule);
        }
        Edit::BehaviorPolicy {
            dist,
            behavior,
            policy,
        } => {
            let d = inv.distributions.get_mut(dist.as_str());
            let b = match behavior {
                None => d.and_then(|d| d.default_cache_behavior.as_mut()),
                Some(i) => d
                    .and_then(|d| d.cache_behaviors.as_mut())
                    .and_then(|c| c.items.get_mut(i)),
            };
            if let Some(b) = b {
                b.origin_request_policy_id = policy;
            }
        }
        Edit::OriginHeader {
            dist,
            origin,
            name,
            value,
        } => {
            let Some(o) = inv
                .distributions
                .get_mut(dist.as_str())
                .and_then(|d| d.origins.items.get_mut(origin))
            else {
                return Ok(());
            };
            let headers = o.custom_headers.get_or_insert_with(Items::default);
            headers
                .items
                .retain(|h| !h.header_name.eq_ignore_ascii_case(&name));
            if let Some(v) = value {
                headers.items.push(OriginCustomHeader {
                    header_name: name,
                    header_value: v,
                });
            }
            headers.quantity = i64::try_from(headers.items.len()).unwrap_or(i64::MAX);
        }
        Edit::PolicyHeaders(policy, config) => {
            if let Some(p) = inv.origin_request_policies.get_mut(policy.as_str()) {
                p.origin_request_policy_config.headers_config = config;
            }
        }
    }
    Ok(())
}

/// The load balancers and distributions a routing change touches (what-if evaluates their
/// paths only); empty for the other changes.
pub(super) fn touched(inv: &Inventory, change: &Change) -> (Vec<LbArn>, Vec<String>) {
    let lb_of = |l: &ListenerArn| inv.listeners.get(l).map(|l| l.load_balancer_arn.clone());
    match change {
        Change::RuleConditions { rule, .. }
        | Change::RuleActions { rule, .. }
        | Change::DeleteRule { rule } => (
            resolve_rule(inv, rule)
                .ok()
                .and_then(|(l, _)| lb_of(&l))
                .into_iter()
                .collect(),
            Vec::new(),
        ),
        Change::ListenerDefault { listener, .. } | Change::CreateRule { listener, .. } => (
            resolve_listener(inv, listener)
                .ok()
                .and_then(|l| lb_of(&l))
                .into_iter()
                .collect(),
            Vec::new(),
        ),
        Change::OriginRequestPolicy { distribution, .. }
        | Change::OriginHeader { distribution, .. } => (Vec::new(), vec![distribution.clone()]),
        Change::PolicyHeaders { policy, .. } => {
            let uses = |d: &crate::model::cloudfront::Distribution| {
                d.default_cache_behavior
                    .iter()
                    .chain(d.cache_behaviors.iter().flat_map(|c| c.items.iter()))
                    .any(|b| b.origin_request_policy_id.as_deref() == Some(policy.as_str()))
            };
            (
                Vec::new(),
                inv.distributions
                    .values()
                    .filter(|d| uses(d))
                    .map(|d| d.id.to_string())
                    .collect(),
            )
        }
        _ => (Vec::new(), Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::policies::OriginRequestPolicy;

    const LISTENER: &str = "arn:aws:elasticloadbalancing:us-east-1:1:listener/app/web-alb/lb1/l80";
    const RULE: &str =
        "arn:aws:elasticloadbalancing:us-east-1:1:listener-rule/app/web-alb/lb1/l80/r10";
    const DEFAULT: &str =
        "arn:aws:elasticloadbalancing:us-east-1:1:listener-rule/app/web-alb/lb1/l80/rdef";
    const TG: &str = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web-tg/t1";

    /// One ALB `web-alb` with listener :80, rule 10 (host-header + http-header) and a default
    /// fixed 404; target group `web-tg`; distribution `E1` with behaviors `*` and `/api/*`; a
    /// custom origin request policy `custom-1`.
    fn inventory() -> Inventory {
        let mut inv = Inventory::default();
        let lb: crate::model::elbv2::LoadBalancer = serde_json::from_value(json!({
            "LoadBalancerArn": "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web-alb/lb1",
            "LoadBalancerName": "web-alb", "DNSName": "web-alb-1.elb.amazonaws.com"
        }))
        .expect("lb");
        inv.load_balancers.insert(lb.load_balancer_arn.clone(), lb);
        let l: crate::model::elbv2::Listener = serde_json::from_value(json!({
            "ListenerArn": LISTENER,
            "LoadBalancerArn": "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web-alb/lb1",
            "Port": 80, "Protocol": "HTTP",
            "DefaultActions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}]
        }))
        .expect("listener");
        inv.listeners.insert(l.listener_arn.clone(), l);
        for r in [
            json!({"RuleArn": RULE, "Priority": "10", "IsDefault": false, "ListenerArn": LISTENER,
                "Conditions": [
                    {"Field": "host-header", "Values": ["www.example.com"]},
                    {"Field": "http-header", "HttpHeaderConfig":
                        {"HttpHeaderName": "X-Origin-Verify", "Values": ["s3cret"]}}],
                "Actions": [{"Type": "forward", "TargetGroupArn": TG}]}),
            json!({"RuleArn": DEFAULT, "Priority": "default", "IsDefault": true,
                "ListenerArn": LISTENER, "Conditions": [],
                "Actions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}]}),
        ] {
            let r: Rule = serde_json::from_value(r).expect("rule");
            inv.rules.insert(r.rule_arn.clone(), r);
        }
        let tg: crate::model::elbv2::TargetGroup = serde_json::from_value(json!({
            "TargetGroupArn": TG, "TargetGroupName": "web-tg"
        }))
        .expect("tg");
        inv.target_groups.insert(tg.target_group_arn.clone(), tg);
        let d: crate::model::cloudfront::Distribution = serde_json::from_value(json!({
            "Id": "E1", "Enabled": true,
            "Origins": {"Quantity": 1, "Items": [{"Id": "web", "DomainName": "web-alb-1.elb.amazonaws.com",
                "CustomHeaders": {"Quantity": 1, "Items": [{"HeaderName": "X-Origin-Verify", "HeaderValue": "s3cret"}]},
                "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "http-only"}}]},
            "DefaultCacheBehavior": {"TargetOriginId": "web", "ViewerProtocolPolicy": "allow-all",
                "OriginRequestPolicyId": "216adef6-5c7f-47e4-b989-5492eafa07d3"},
            "CacheBehaviors": {"Quantity": 1, "Items": [{"PathPattern": "/api/*", "TargetOriginId": "web",
                "ViewerProtocolPolicy": "allow-all"}]}
        }))
        .expect("distribution");
        inv.distributions.insert(d.id.clone(), d);
        let p: OriginRequestPolicy = serde_json::from_value(json!({
            "Id": "custom-1",
            "OriginRequestPolicyConfig": {"Name": "custom",
                "HeadersConfig": {"HeaderBehavior": "allViewer"},
                "CookiesConfig": {"CookieBehavior": "none"},
                "QueryStringsConfig": {"QueryStringBehavior": "none"}}
        }))
        .expect("policy");
        inv.origin_request_policies.insert(p.id.clone(), p);
        inv
    }

    fn applied(inv: &mut Inventory, change: &Change) {
        check(inv, change).expect("check passes");
        apply(inv, change).expect("applies");
        inv.invalidate();
    }

    #[test]
    fn a_condition_flag_replaces_only_its_field_and_a_header_only_its_name() {
        let mut inv = inventory();
        let c =
            Change::parse_rule_condition("web-alb:80:10=host-header:a.example.com,b.example.com")
                .expect("parses");
        assert_eq!(
            c.describe(),
            "set rule web-alb:80:10 host-header a.example.com,b.example.com"
        );
        applied(&mut inv, &c);
        let conditions = &inv.rules[RULE].conditions;
        assert_eq!(conditions.len(), 2, "{conditions:#?}");
        let host = conditions
            .iter()
            .find(|c| c["Field"] == "host-header")
            .expect("host-header");
        assert_eq!(
            host["HostHeaderConfig"]["Values"],
            json!(["a.example.com", "b.example.com"])
        );
        let h = Change::parse_rule_condition("web-alb:80:10=http-header:x-origin-verify=n3w,old")
            .expect("parses");
        applied(&mut inv, &h);
        let conditions = &inv.rules[RULE].conditions;
        assert_eq!(
            conditions.len(),
            2,
            "same header name, any case: {conditions:#?}"
        );
        let header = conditions
            .iter()
            .find(|c| c["Field"] == "http-header")
            .expect("http-header");
        assert_eq!(
            header["HttpHeaderConfig"],
            json!({"HttpHeaderName": "x-origin-verify", "Values": ["n3w", "old"]})
        );
    }

    #[test]
    fn actions_parse_and_resolve_target_groups_by_name() {
        let mut inv = inventory();
        let c =
            Change::parse_routing_action("web-alb:80:10=forward:web-tg", false).expect("parses");
        applied(&mut inv, &c);
        assert_eq!(
            inv.rules[RULE].actions[0]
                .target_group_arn
                .as_ref()
                .map(|t| t.as_str()),
            Some(TG)
        );
        let fixed = Change::parse_routing_action("web-alb:80:10=fixed-response:503", false)
            .expect("parses");
        assert_eq!(
            fixed.describe(),
            "set rule web-alb:80:10 action to fixed-response:503"
        );
        applied(&mut inv, &fixed);
        assert_eq!(
            inv.rules[RULE].actions[0]
                .fixed_response_config
                .as_ref()
                .map(|f| f.status_code.as_str()),
            Some("503")
        );
        let redirect =
            Change::parse_routing_action(&format!("{RULE}=redirect:https"), false).expect("parses");
        applied(&mut inv, &redirect);
        assert_eq!(
            inv.rules[RULE].actions[0]
                .redirect_config
                .as_ref()
                .map(|r| r["Protocol"].clone()),
            Some(json!("HTTPS"))
        );
        let weighted = Change::parse_routing_action("web-alb:80=forward:web-tg=3,web-tg=1", true)
            .expect("parses");
        assert_eq!(
            weighted.describe(),
            "set listener web-alb:80 default action to forward:web-tg=3,web-tg=1"
        );
        for bad in [
            "web-alb:80:10=fixed-response:301",
            "web-alb:80:10=forward:",
            "web-alb:80:10=redirect:ftp",
            "web-alb:80:10",
            "=fixed-response:404",
        ] {
            assert!(Change::parse_routing_action(bad, false).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_default_rule_and_the_listener_default_change_together() {
        let mut inv = inventory();
        for c in [
            Change::parse_routing_action("web-alb:80=forward:web-tg", true).expect("parses"),
            Change::parse_routing_action("web-alb:80:default=fixed-response:503", false)
                .expect("parses"),
        ] {
            applied(&mut inv, &c);
            let listener = &inv.listeners[LISTENER].default_actions;
            assert_eq!(listener, &inv.rules[DEFAULT].actions, "{c:?}");
        }
        let delete_default = Change::parse_delete_rule("web-alb:80:default").expect("parses");
        assert!(matches!(
            check(&inv, &delete_default),
            Err(ChangeError::Syntax { .. })
        ));
    }

    #[test]
    fn deleting_and_creating_rules() {
        let mut inv = inventory();
        applied(
            &mut inv,
            &Change::parse_delete_rule("web-alb:80:10").expect("parses"),
        );
        assert!(!inv.rules.contains_key(RULE));
        let create = Change::CreateRule {
            listener: LISTENER.to_owned(),
            priority: 5,
            conditions: vec![RuleCondition {
                field: "path-pattern".into(),
                header: None,
                values: vec!["/api/*".into()],
            }],
            actions: vec![RoutingAction::FixedResponse {
                status: "503".into(),
            }],
        };
        applied(&mut inv, &create);
        let new = inv
            .rules
            .values()
            .find(|r| r.priority == "5")
            .expect("the new rule");
        assert_eq!(
            new.listener_arn.as_ref().map(|l| l.as_str()),
            Some(LISTENER)
        );
        assert_eq!(
            inv.index().rules_by_listener[LISTENER].len(),
            2,
            "indexed under its listener"
        );
        assert!(
            matches!(check(&inv, &create), Err(ChangeError::Syntax { why, .. }) if why.contains("priority 5"))
        );
    }

    #[test]
    fn unknown_rules_and_listeners_list_the_ones_that_exist() {
        let inv = inventory();
        let c = Change::parse_rule_condition("web-alb:80:11=path-pattern:/x").expect("parses");
        let Err(ChangeError::UnknownId { known, .. }) = check(&inv, &c) else {
            panic!("an unknown rule");
        };
        assert_eq!(known, ["web-alb:80:10", "web-alb:80:default"]);
        let l =
            Change::parse_routing_action("web-alb:443=fixed-response:404", true).expect("parses");
        let Err(ChangeError::UnknownId { known, .. }) = check(&inv, &l) else {
            panic!("an unknown listener");
        };
        assert_eq!(known, ["web-alb:80"]);
        let arn =
            Change::parse_delete_rule("arn:aws:elasticloadbalancing:us-east-1:1:listener-rule/x/y")
                .expect("parses");
        assert!(matches!(
            check(&inv, &arn),
            Err(ChangeError::UnknownId { .. })
        ));
    }

    #[test]
    fn origin_request_policy_behavior_and_header_changes() {
        let mut inv = inventory();
        let c =
            Change::parse_origin_request_policy("E1:api/*=b689b0a8-53d0-40ab-baf2-68738e2966ac")
                .expect("parses");
        applied(&mut inv, &c);
        let d = &inv.distributions["E1"];
        assert_eq!(
            d.cache_behaviors.as_ref().expect("behaviors").items[0]
                .origin_request_policy_id
                .as_deref(),
            Some("b689b0a8-53d0-40ab-baf2-68738e2966ac"),
            "`api/*` and `/api/*` are the same behavior"
        );
        applied(
            &mut inv,
            &Change::parse_origin_request_policy("E1:*=none").expect("parses"),
        );
        assert_eq!(
            inv.distributions["E1"]
                .default_cache_behavior
                .as_ref()
                .expect("default")
                .origin_request_policy_id,
            None
        );
        let h = Change::parse_origin_header("E1:web:x-origin-verify=n3w").expect("parses");
        applied(&mut inv, &h);
        let headers = &inv.distributions["E1"].origins.items[0].custom_headers;
        let headers = headers.as_ref().expect("headers");
        assert_eq!(
            (headers.quantity, headers.items[0].header_value.as_str()),
            (1, "n3w")
        );
        applied(
            &mut inv,
            &Change::parse_origin_header("E1:web:X-Origin-Verify=").expect("parses"),
        );
        assert_eq!(
            inv.distributions["E1"].origins.items[0]
                .custom_headers
                .as_ref()
                .map(|h| h.quantity),
            Some(0)
        );
        let p = Change::PolicyHeaders {
            policy: "custom-1".into(),
            header_behavior: "allExcept".into(),
            headers: vec!["Host".into()],
        };
        applied(&mut inv, &p);
        assert!(
            !inv.origin_request_forwarding("custom-1")
                .expect("loaded")
                .forwards_host()
        );
    }

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
