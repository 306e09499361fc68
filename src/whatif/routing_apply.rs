//! Routing changes (`routing_changes`) resolved against the loaded data and carried out on the
//! Inventory copy.
//!
//! Every change is first resolved without touching the Inventory ([`check`], which a plan runs
//! before applying a resource's changes), then applied. Reach then walks the changed rules and
//! the changed request as it walks the snapshot's, so the diff names the rule that answers
//! after the change (`alb-routing`).
//!
//! A rule is named by ARN or `ALB:PORT:PRIORITY` (`web-alb:80:10`, `web-alb:80:default`), a
//! listener by ARN or `ALB:PORT`; a name the loaded data lacks is [`ChangeError::UnknownId`]
//! listing the ones it has. A rule's actions set on the default rule set the listener's
//! default actions too (reach reads the listener's).

use serde_json::Value;

use super::change::{Change, ChangeError, syntax};
use super::resolve::resolve_lb;
use super::routing_changes::{RoutingAction, RuleCondition};
use crate::model::cloudfront::{Items, OriginCustomHeader};
use crate::model::elbv2::{Action, Rule};
use crate::model::policies::HeadersConfig;
use crate::model::{Inventory, LbArn, ListenerArn, RuleArn};

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
    use serde_json::json;

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
}
