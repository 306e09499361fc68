//! Plan resources that decide where a request goes, mapped to routing [`Change`]s:
//! `aws_lb_listener_rule` (its `condition` and `action` blocks; a new rule on a known
//! listener, a deleted rule), `aws_lb_listener` (`default_action`), the distribution's
//! `origin_request_policy_id` per default/ordered cache behavior and its origins'
//! `custom_header`s, and `aws_cloudfront_origin_request_policy` (`headers_config`: whether
//! Host is forwarded).
//!
//! As everywhere in plan import, nothing is guessed: a value in `after_unknown` (a target
//! group, listener or policy created in the same plan) makes the resource unresolved.

use serde_json::Value;

use super::Actions;
use super::resources::{Mapped, modelled, not_modelled, unknown_after, unresolved};
use crate::whatif::change::{Change, RoutingAction, RuleCondition};

fn list(v: &Value) -> impl Iterator<Item = &Value> {
    v.as_array().into_iter().flatten()
}

fn strings(v: &Value) -> Vec<String> {
    list(v)
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// The `condition` blocks of a rule, one [`RuleCondition`] per block, sorted (Terraform keeps
/// them as a set).
fn conditions(v: &Value) -> Vec<RuleCondition> {
    let mut out = Vec::new();
    for block in list(v) {
        for (key, field) in [
            ("host_header", "host-header"),
            ("path_pattern", "path-pattern"),
            ("http_request_method", "http-request-method"),
            ("source_ip", "source-ip"),
        ] {
            for b in list(&block[key]) {
                out.push(RuleCondition {
                    field: field.to_owned(),
                    header: None,
                    values: strings(&b["values"]),
                });
            }
        }
        for b in list(&block["http_header"]) {
            out.push(RuleCondition {
                field: "http-header".to_owned(),
                header: b["http_header_name"].as_str().map(str::to_owned),
                values: strings(&b["values"]),
            });
        }
        let pairs: Vec<String> = list(&block["query_string"])
            .map(|q| {
                let value = q["value"].as_str().unwrap_or_default();
                match q["key"].as_str().filter(|k| !k.is_empty()) {
                    Some(k) => format!("{k}={value}"),
                    None => value.to_owned(),
                }
            })
            .collect();
        if !pairs.is_empty() {
            out.push(RuleCondition {
                field: "query-string".to_owned(),
                header: None,
                values: pairs,
            });
        }
    }
    out.sort_by_key(RuleCondition::text);
    out
}

/// The `action` / `default_action` blocks, in `order`.
fn actions(v: &Value) -> Result<Vec<RoutingAction>, String> {
    let mut blocks: Vec<&Value> = list(v).collect();
    blocks.sort_by_key(|b| b["order"].as_i64().unwrap_or(i64::MAX));
    let mut out = Vec::new();
    for b in blocks {
        let kind = b["type"].as_str().unwrap_or_default();
        out.push(match kind {
            "forward" => {
                let mut target_groups = Vec::new();
                let mut weights = Vec::new();
                for g in list(&b["forward"][0]["target_group"]) {
                    if let Some(arn) = g["arn"].as_str() {
                        target_groups.push(arn.to_owned());
                        weights.push(g["weight"].as_i64().unwrap_or(1));
                    }
                }
                if target_groups.is_empty()
                    && let Some(arn) = b["target_group_arn"].as_str()
                {
                    target_groups.push(arn.to_owned());
                }
                if target_groups.is_empty() {
                    return Err("a forward action's target group is not in the plan".into());
                }
                if target_groups.len() == 1 {
                    weights.clear();
                }
                RoutingAction::Forward {
                    target_groups,
                    weights,
                }
            }
            "fixed-response" => RoutingAction::FixedResponse {
                status: b["fixed_response"][0]["status_code"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            },
            "redirect" => {
                let r = &b["redirect"][0];
                RoutingAction::Redirect {
                    protocol: r["protocol"].as_str().unwrap_or("#{protocol}").to_owned(),
                    port: r["port"].as_str().map(str::to_owned),
                    status: r["status_code"].as_str().map(str::to_owned),
                }
            }
            "authenticate-oidc" | "authenticate-cognito" => RoutingAction::Authenticate {
                kind: kind.to_owned(),
            },
            other => return Err(format!("action type `{other}` is not modelled")),
        });
    }
    Ok(out)
}

/// `aws_lb_listener_rule`: a new rule on a known listener, a deleted rule, changed conditions
/// or actions.
pub(super) fn listener_rule(
    actions_set: Actions,
    rc: &Value,
    before: &Value,
    after: &Value,
) -> Mapped {
    for key in ["listener_arn", "priority", "condition", "action"] {
        if actions_set.create && unknown_after(rc, key) {
            return unresolved(format!("the rule's {key} is known only after apply"));
        }
    }
    let new_rule = || -> Result<Change, String> {
        let listener = after["listener_arn"]
            .as_str()
            .ok_or("the rule's listener_arn is not in the plan")?;
        let priority = after["priority"]
            .as_i64()
            .ok_or("the rule's priority is not in the plan")?;
        Ok(Change::CreateRule {
            listener: listener.to_owned(),
            priority,
            conditions: conditions(&after["condition"]),
            actions: actions(&after["action"])?,
        })
    };
    if actions_set.create && !actions_set.delete {
        return match new_rule() {
            Ok(c) => modelled(vec![c]),
            Err(why) => unresolved(why),
        };
    }
    let Some(arn) = before["arn"].as_str() else {
        return unresolved("the rule's ARN is not in the plan");
    };
    if actions_set.delete && !actions_set.create {
        return modelled(vec![Change::DeleteRule {
            rule: arn.to_owned(),
        }]);
    }
    let same_place =
        before["listener_arn"] == after["listener_arn"] && before["priority"] == after["priority"];
    if actions_set.delete && !same_place {
        // Replaced on another listener or at another priority: the old rule goes, a new one
        // comes.
        return match new_rule() {
            Ok(c) => modelled(vec![
                Change::DeleteRule {
                    rule: arn.to_owned(),
                },
                c,
            ]),
            Err(why) => unresolved(why),
        };
    }
    if !same_place {
        return not_modelled("moving a rule to another priority is not modelled");
    }
    // An update in place, or a replacement at the same place: the rule keeps its place, and
    // its conditions and actions become the plan's.
    for key in ["condition", "action"] {
        if unknown_after(rc, key) {
            return unresolved(format!("the rule's {key} is known only after apply"));
        }
    }
    let mut out = Vec::new();
    let (old, new) = (
        conditions(&before["condition"]),
        conditions(&after["condition"]),
    );
    if old != new {
        out.push(Change::RuleConditions {
            rule: arn.to_owned(),
            conditions: new,
            exact: true,
        });
    }
    match (actions(&before["action"]), actions(&after["action"])) {
        (_, Err(why)) => return unresolved(why),
        (Ok(old), Ok(new)) if old == new => {}
        (_, Ok(new)) => out.push(Change::RuleActions {
            rule: arn.to_owned(),
            actions: new,
        }),
    }
    modelled(out)
}

/// `aws_lb_listener`: a changed `default_action`.
pub(super) fn listener(actions_set: Actions, rc: &Value, before: &Value, after: &Value) -> Mapped {
    if actions_set.create && !actions_set.delete {
        return not_modelled("new listener: edgepath evaluates the listeners the snapshot holds");
    }
    if actions_set.delete {
        return not_modelled("deleting or replacing a listener is not modelled");
    }
    let Some(arn) = before["arn"].as_str() else {
        return unresolved("the listener's ARN is not in the plan");
    };
    if unknown_after(rc, "default_action") {
        return unresolved("default_action known only after apply");
    }
    match (
        actions(&before["default_action"]),
        actions(&after["default_action"]),
    ) {
        (_, Err(why)) => unresolved(why),
        (Ok(old), Ok(new)) if old == new => modelled(Vec::new()),
        (_, Ok(new)) => modelled(vec![Change::ListenerDefault {
            listener: arn.to_owned(),
            actions: new,
        }]),
    }
}

/// The distribution's behaviors' origin request policies and origins' custom headers that
/// change; `Err` names a value known only after apply.
pub(super) fn distribution_changes(
    dist: &str,
    rc: &Value,
    before: &Value,
    after: &Value,
) -> Result<Vec<Change>, String> {
    let policy = |b: &Value| {
        b["origin_request_policy_id"]
            .as_str()
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
    };
    let unknown = &rc["change"]["after_unknown"];
    let mut out = Vec::new();
    let mut behavior = |pattern: &str, old: Option<&Value>, new: &Value, new_unknown: &Value| {
        if new_unknown["origin_request_policy_id"] == Value::Bool(true) {
            return Err(format!(
                "the origin_request_policy_id of behavior {pattern} is known only after apply"
            ));
        }
        let (old, new) = (old.and_then(policy), policy(new));
        if old != new {
            out.push(Change::OriginRequestPolicy {
                distribution: dist.to_owned(),
                behavior: pattern.to_owned(),
                policy: new,
            });
        }
        Ok(())
    };
    if let Some(new) = after["default_cache_behavior"].get(0) {
        behavior(
            "*",
            before["default_cache_behavior"].get(0),
            new,
            &unknown["default_cache_behavior"][0],
        )?;
    }
    for (i, new) in list(&after["ordered_cache_behavior"]).enumerate() {
        let pattern = new["path_pattern"].as_str().unwrap_or_default();
        let old = list(&before["ordered_cache_behavior"])
            .find(|b| b["path_pattern"] == new["path_pattern"]);
        behavior(pattern, old, new, &unknown["ordered_cache_behavior"][i])?;
    }
    let headers = |o: &Value| -> Vec<(String, String)> {
        list(&o["custom_header"])
            .map(|h| {
                (
                    h["name"].as_str().unwrap_or_default().to_owned(),
                    h["value"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    };
    for o in list(&after["origin"]) {
        let Some(old) = list(&before["origin"]).find(|b| b["origin_id"] == o["origin_id"]) else {
            continue; // a new origin: not modelled (`distribution` says so for its protocol)
        };
        let origin = o["origin_id"].as_str().unwrap_or_default();
        let (old, new) = (headers(old), headers(o));
        for (name, value) in &new {
            if !old.contains(&(name.clone(), value.clone())) {
                out.push(Change::OriginHeader {
                    distribution: dist.to_owned(),
                    origin: origin.to_owned(),
                    name: name.clone(),
                    value: Some(value.clone()),
                });
            }
        }
        for (name, _) in &old {
            if !new.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
                out.push(Change::OriginHeader {
                    distribution: dist.to_owned(),
                    origin: origin.to_owned(),
                    name: name.clone(),
                    value: None,
                });
            }
        }
    }
    Ok(out)
}

/// `aws_cloudfront_origin_request_policy`: which headers an existing policy forwards.
pub(super) fn origin_request_policy(
    actions_set: Actions,
    rc: &Value,
    before: &Value,
    after: &Value,
) -> Mapped {
    if actions_set.create && !actions_set.delete {
        return not_modelled(
            "new origin request policy: it changes no request until a behavior uses it",
        );
    }
    if actions_set.delete {
        return not_modelled(
            "deleting or replacing an origin request policy is not modelled (CloudFront refuses while a behavior uses it)",
        );
    }
    let Some(id) = before["id"].as_str() else {
        return unresolved("the policy's id is not in the plan");
    };
    if unknown_after(rc, "headers_config") {
        return unresolved("headers_config known only after apply");
    }
    let config = |v: &Value| {
        let c = &v["headers_config"][0];
        (
            c["header_behavior"].as_str().unwrap_or("none").to_owned(),
            strings(&c["headers"][0]["items"]),
        )
    };
    let (old, new) = (config(before), config(after));
    if old == new {
        return modelled(Vec::new());
    }
    modelled(vec![Change::PolicyHeaders {
        policy: id.to_owned(),
        header_behavior: new.0,
        headers: new.1,
    }])
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::whatif::terraform::{PlanStatus, parse_plan};

    const LISTENER: &str = "arn:aws:elasticloadbalancing:us-east-1:1:listener/app/web-alb/lb1/l80";
    const RULE: &str =
        "arn:aws:elasticloadbalancing:us-east-1:1:listener-rule/app/web-alb/lb1/l80/r10";

    fn one(
        kind: &str,
        actions: &[&str],
        before: &Value,
        after: &Value,
        unknown: &Value,
    ) -> (PlanStatus, Vec<String>, Option<String>) {
        let plan = json!({"format_version": "1.2", "resource_changes": [
            {"address": format!("{kind}.x"), "type": kind,
             "change": {"actions": actions, "before": before, "after": after, "after_unknown": unknown}}]});
        let p = parse_plan("p.json", &serde_json::to_vec(&plan).expect("json")).expect("a plan");
        let r = &p.resources[0];
        (r.status, r.changes.clone(), r.reason.clone())
    }

    fn rule(host: &[&str], action: &Value) -> Value {
        json!({"arn": RULE, "listener_arn": LISTENER, "priority": 10,
            "condition": [{"host_header": [{"values": host}], "path_pattern": [], "http_header": [],
                           "http_request_method": [], "query_string": [], "source_ip": []},
                          {"host_header": [], "path_pattern": [], "http_request_method": [], "source_ip": [],
                           "http_header": [{"http_header_name": "X-Origin-Verify", "values": ["s3cret"]}],
                           "query_string": [{"key": "v", "value": "1"}, {"key": null, "value": "x"}]}],
            "action": [action]})
    }

    fn forward(tg: &str) -> Value {
        json!({"type": "forward", "order": 1, "target_group_arn": tg, "forward": [], "fixed_response": [], "redirect": []})
    }

    fn fixed(status: &str) -> Value {
        json!({"type": "fixed-response", "order": 1, "target_group_arn": "", "forward": [],
               "fixed_response": [{"content_type": "text/plain", "status_code": status}], "redirect": []})
    }

    #[test]
    fn a_rule_update_sets_its_whole_conditions_and_its_actions() {
        let (status, changes, _) = one(
            "aws_lb_listener_rule",
            &["update"],
            &rule(&["www.example.com"], &forward("arn:tg")),
            &rule(
                &["www.example.com", "web-alb-1.elb.amazonaws.com"],
                &fixed("503"),
            ),
            &json!({}),
        );
        assert_eq!(status, PlanStatus::Modelled);
        assert_eq!(
            changes,
            [
                format!(
                    "set rule {RULE} conditions to host-header www.example.com,web-alb-1.elb.amazonaws.com and http-header X-Origin-Verify=s3cret and query-string v=1,x"
                ),
                format!("set rule {RULE} action to fixed-response:503"),
            ]
        );
        // Tags only: not modelled, saying which attributes changed.
        let mut tagged = rule(&["a"], &forward("arn:tg"));
        tagged["tags"] = json!({"a": "b"});
        let (status, _, reason) = one(
            "aws_alb_listener_rule",
            &["update"],
            &rule(&["a"], &forward("arn:tg")),
            &tagged,
            &json!({}),
        );
        assert_eq!(status, PlanStatus::NotModelled);
        assert!(reason.expect("why").contains("tags"));
    }

    #[test]
    fn a_new_rule_on_a_known_listener_is_created_and_a_deleted_one_deleted() {
        let (status, changes, _) = one(
            "aws_lb_listener_rule",
            &["create"],
            &Value::Null,
            &rule(&["a"], &fixed("404")),
            &json!({"arn": true, "id": true}),
        );
        assert_eq!(status, PlanStatus::Modelled);
        assert!(
            changes[0].starts_with(&format!("add rule 10 to listener {LISTENER}")),
            "{changes:?}"
        );
        let (status, _, reason) = one(
            "aws_lb_listener_rule",
            &["create"],
            &Value::Null,
            &rule(&["a"], &forward("arn:tg")),
            &json!({"action": [{"target_group_arn": true}]}),
        );
        assert_eq!(
            status,
            PlanStatus::Unresolved,
            "a target group of the same plan"
        );
        assert!(reason.expect("why").contains("action"));
        let (status, changes, _) = one(
            "aws_lb_listener_rule",
            &["delete"],
            &rule(&["a"], &fixed("404")),
            &Value::Null,
            &json!({}),
        );
        assert_eq!(
            (status, changes),
            (PlanStatus::Modelled, vec![format!("delete rule {RULE}")])
        );
    }

    #[test]
    fn a_listener_default_action_change_and_other_listener_changes() {
        let listener = |action: Value, port: i64| json!({"arn": LISTENER, "port": port, "protocol": "HTTP", "default_action": [action]});
        let (status, changes, _) = one(
            "aws_lb_listener",
            &["update"],
            &listener(fixed("404"), 80),
            &listener(forward("arn:tg"), 80),
            &json!({}),
        );
        assert_eq!(status, PlanStatus::Modelled);
        assert_eq!(
            changes,
            [format!(
                "set listener {LISTENER} default action to forward:arn:tg"
            )]
        );
        let (status, _, reason) = one(
            "aws_lb_listener",
            &["update"],
            &listener(fixed("404"), 80),
            &listener(fixed("404"), 8080),
            &json!({}),
        );
        assert_eq!(status, PlanStatus::NotModelled);
        assert!(reason.expect("why").contains("port"));
    }

    #[test]
    fn distribution_policies_and_headers_and_a_policy_update() {
        let dist = |policy: &str, secret: &str| {
            json!({"id": "E1",
            "origin": [{"origin_id": "web", "custom_header": [{"name": "X-Origin-Verify", "value": secret}],
                        "custom_origin_config": [{"http_port": 80, "https_port": 443, "origin_protocol_policy": "http-only"}]}],
            "default_cache_behavior": [{"origin_request_policy_id": policy}],
            "ordered_cache_behavior": [{"path_pattern": "/api/*", "origin_request_policy_id": policy}]})
        };
        let (status, changes, _) = one(
            "aws_cloudfront_distribution",
            &["update"],
            &dist("a", "s1"),
            &dist("", "s2"),
            &json!({}),
        );
        assert_eq!(status, PlanStatus::Modelled);
        assert_eq!(
            changes,
            [
                "remove the origin request policy of E1 behavior *",
                "remove the origin request policy of E1 behavior /api/*",
                "set E1 origin web header X-Origin-Verify: s2",
            ]
        );
        let (status, _, reason) = one(
            "aws_cloudfront_distribution",
            &["update"],
            &dist("a", "s1"),
            &dist("b", "s1"),
            &json!({"ordered_cache_behavior": [{"origin_request_policy_id": true}]}),
        );
        assert_eq!(status, PlanStatus::Unresolved);
        assert!(reason.expect("why").contains("/api/*"));
        let policy = |behavior: &str, headers: &[&str]| {
            json!({"id": "p-1", "name": "custom",
            "headers_config": [{"header_behavior": behavior, "headers": [{"items": headers}]}]})
        };
        let (status, changes, _) = one(
            "aws_cloudfront_origin_request_policy",
            &["update"],
            &policy("allViewer", &[]),
            &policy("allExcept", &["Host"]),
            &json!({}),
        );
        assert_eq!(status, PlanStatus::Modelled);
        assert_eq!(
            changes,
            ["set origin request policy p-1 headers to allExcept Host"]
        );
    }
}
