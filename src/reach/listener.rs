//! Listener forwarding: the target groups a listener sends traffic to, through its rules in
//! priority order and its default action.
//!
//! Every forward action counts (weighted target groups included); `fixed-response` and
//! `redirect` actions are answered by the ALB itself and noted, since they reach no target.
//! Which rule a given request matches (host, path conditions) is not evaluated.

use crate::model::Inventory;
use crate::model::elbv2::Listener;
use crate::model::ids::TgArn;

/// A rule priority as a number (`default` and unparsable ones last).
fn priority(p: &str) -> i64 {
    p.parse().unwrap_or(i64::MAX)
}

/// Target groups the listener forwards to, and notes on terminal actions.
pub(crate) fn forwards(inv: &Inventory, l: &Listener) -> (Vec<TgArn>, Vec<String>) {
    let mut tgs: Vec<TgArn> = Vec::new();
    let mut notes = Vec::new();
    let mut rules: Vec<_> = inv
        .index()
        .rules_by_listener
        .get(&l.listener_arn)
        .into_iter()
        .flatten()
        .filter_map(|r| inv.rules.get(r))
        .filter(|r| !r.is_default)
        .collect();
    rules.sort_by_key(|r| priority(&r.priority));
    let mut add = |what: &str, actions: &[crate::model::elbv2::Action], tgs: &mut Vec<TgArn>| {
        for a in actions {
            let fw = a.forward_target_groups();
            for (arn, _) in fw {
                if !tgs.contains(arn) {
                    tgs.push(arn.clone());
                }
            }
            match a.kind.as_str() {
                "fixed-response" => notes.push(format!(
                    "{what}: fixed-response {}",
                    a.fixed_response_config
                        .as_ref()
                        .map_or("", |c| c.status_code.as_str())
                )),
                "redirect" => notes.push(format!("{what}: redirect")),
                _ => {}
            }
        }
    };
    for r in rules {
        add(
            &format!("rule priority {}", r.priority),
            &r.actions,
            &mut tgs,
        );
    }
    add("default action", &l.default_actions, &mut tgs);
    (tgs, notes)
}
