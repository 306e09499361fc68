//! Target groups that a listener CloudFront reaches forwards to, but that no CloudFront request
//! reaches: every rule forwarding to them is skipped for the requests CloudFront sends (a
//! `host-header` CloudFront's Host never matches, paths an earlier behavior takes), or earlier
//! rules answer every request first. They are listed beside the paths, never as paths, so an
//! unhealthy group that CloudFront cannot reach is not blamed for CloudFront's 5xx, and a group
//! someone expects CloudFront to use is visibly not used.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use super::listener::forwards;
use super::listener_rules::Routing;
use crate::model::elbv2::{Listener, LoadBalancer};
use crate::model::{Inventory, TgArn};

/// What one routing of CloudFront's requests through a listener used and skipped.
#[derive(Debug, Clone, Default)]
pub(crate) struct ListenerRouting {
    /// The load balancer's name.
    pub load_balancer: String,
    /// `PROTOCOL:PORT`.
    pub listener: String,
    /// Every group the listener's rules and default action forward to (ARNs).
    pub forwards: Vec<String>,
    /// The groups the routing reached.
    pub routed: Vec<String>,
    /// `(group ARN, why the rule forwarding to it did not match)`.
    pub skipped: Vec<(String, String)>,
}

impl ListenerRouting {
    /// The record of `routing` through listener `l` of `lb`.
    pub(crate) fn new(inv: &Inventory, lb: &LoadBalancer, l: &Listener, routing: &Routing) -> Self {
        let (all, _) = forwards(inv, l);
        ListenerRouting {
            load_balancer: lb.load_balancer_name.clone(),
            listener: format!("{}:{}", l.protocol, l.port),
            forwards: all.iter().map(ToString::to_string).collect(),
            routed: routing
                .routes
                .iter()
                .flat_map(|r| r.outcome.groups())
                .map(str::to_owned)
                .collect(),
            skipped: routing
                .skipped
                .iter()
                .flat_map(|s| {
                    let why = format!("rule {} {}: {}", s.rule.priority, s.condition, s.reason);
                    s.groups.iter().map(move |g| (g.clone(), why.clone()))
                })
                .collect(),
        }
    }
}

/// A target group no CloudFront request reaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnroutedGroup {
    /// The load balancer's name.
    pub load_balancer: String,
    /// `PROTOCOL:PORT` of the listener(s) forwarding to it.
    pub listeners: Vec<String>,
    /// The target group's name (its ARN when the group is not in the data).
    pub target_group: String,
    /// Its ARN.
    pub target_group_arn: String,
    /// Why CloudFront's requests never reach it, one line per rule (deduplicated).
    pub why: Vec<String>,
}

/// The groups forwarded to by the listeners in `seen` that no routing in `seen` reached, in
/// load balancer / group name order.
pub(crate) fn unrouted_groups(inv: &Inventory, seen: &[ListenerRouting]) -> Vec<UnroutedGroup> {
    let reached: HashSet<&str> = seen
        .iter()
        .flat_map(|s| s.routed.iter().map(String::as_str))
        .collect();
    let mut out: BTreeMap<(String, String), UnroutedGroup> = BTreeMap::new();
    for s in seen {
        for g in s.forwards.iter().filter(|g| !reached.contains(g.as_str())) {
            let name = inv
                .target_groups
                .get(&TgArn::from(g.as_str()))
                .map_or_else(|| g.clone(), |t| t.target_group_name.clone());
            let entry = out
                .entry((s.load_balancer.clone(), name.clone()))
                .or_insert_with(|| UnroutedGroup {
                    load_balancer: s.load_balancer.clone(),
                    listeners: Vec::new(),
                    target_group: name,
                    target_group_arn: g.clone(),
                    why: Vec::new(),
                });
            if !entry.listeners.contains(&s.listener) {
                entry.listeners.push(s.listener.clone());
            }
            let mut whys: Vec<String> = s
                .skipped
                .iter()
                .filter(|(group, _)| group == g)
                .map(|(_, why)| why.clone())
                .collect();
            if whys.is_empty() {
                whys.push(format!(
                    "earlier rules of {} answer every request CloudFront sends (or it has weight 0)",
                    s.listener
                ));
            }
            for w in whys {
                if !entry.why.contains(&w) {
                    entry.why.push(w);
                }
            }
        }
    }
    out.into_values().collect()
}
