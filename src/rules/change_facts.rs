//! The join of changes to paths: one `change` fact per modelled CloudTrail event, linked to the
//! failing hops whose resources it touched, timed against the onset of the errors.
//!
//! A hop's resources are what a change to it can break: its load balancer (ARN), the groups on
//! both sides, the target group, the target, the denying NACL, and, read off the Inventory, the
//! load balancer's subnets with their NACLs and route tables, its listeners and their rules, the
//! VPC's internet gateway, the target's subnet and NACL. The CloudFront prefix list is not one:
//! every origin-facing group of every VPC names it, so a change in another VPC would match.
//!
//! `SetSecurityGroups` records only the groups after the call. The groups before it come from an
//! earlier `SetSecurityGroups` of the same load balancer when the events hold one; otherwise from
//! the failing hop itself: a near miss whose source group exists but is no longer on the load
//! balancer is the group the call removed (marked as inferred).

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use crate::facts::{ChangeFact, Fact, HopFact};
use crate::model::change::{Change, ChangeAction, parse_changes};
use crate::model::time_window::rfc3339;
use crate::model::{Inventory, LbArn};

/// A failing hop and the resources a change to it can break.
struct HopResources<'a> {
    hop: &'a HopFact,
    ids: HashSet<String>,
}

fn is_failing(h: &HopFact) -> bool {
    matches!(h.verdict.as_str(), "blocked" | "partial")
}

fn hop_resources<'a>(inv: &Inventory, h: &'a HopFact) -> HopResources<'a> {
    let mut ids: HashSet<String> = HashSet::new();
    let mut add = |s: &str| {
        if !s.is_empty() && !s.starts_with("pl-") {
            ids.insert(s.to_owned());
        }
    };
    for s in [
        &h.distribution,
        &h.alb_arn,
        &h.target_group_arn,
        &h.target,
        &h.nacl_denied_acl,
    ] {
        add(s);
    }
    h.alb_sgs.iter().for_each(|s| add(s));
    h.target_sgs.iter().for_each(|s| add(s));
    h.subnets_without_igw_route.iter().for_each(|s| add(s));
    for m in &h.near_misses {
        add(&m.sg);
        add(&m.source_sg);
    }
    let idx = inv.index();
    let lb_arn = LbArn::from(h.alb_arn.as_str());
    if let Some(lb) = inv.load_balancers.get(&lb_arn) {
        for subnet in lb.subnet_ids() {
            if let Some(acl) = idx.nacl_by_subnet.get(&subnet) {
                add(acl.as_str());
            }
            if let Some(rt) = idx.route_table_by_subnet.get(&subnet) {
                add(rt.as_str());
            }
            add(subnet.as_str());
        }
        if let Some(vpc) = &lb.vpc_id {
            if let Some(rt) = idx.main_route_table_by_vpc.get(vpc) {
                add(rt.as_str());
            }
            for (igw, g) in &inv.internet_gateways {
                if g.attachments.iter().any(|a| &a.vpc_id == vpc) {
                    add(igw.as_str());
                }
            }
        }
        for l in idx.listeners_by_lb.get(&lb_arn).into_iter().flatten() {
            add(l.as_str());
            for r in idx.rules_by_listener.get(l).into_iter().flatten() {
                add(r.as_str());
            }
        }
    }
    let target_eni = idx
        .primary_eni_by_instance
        .get(h.target.as_str())
        .and_then(|e| inv.network_interfaces.get(e));
    if let Some(eni) = target_eni.filter(|_| h.hop != "cloudfront->alb") {
        add(eni.network_interface_id.as_str());
        if let Some(subnet) = &eni.subnet_id {
            add(subnet.as_str());
            if let Some(acl) = idx.nacl_by_subnet.get(subnet) {
                add(acl.as_str());
            }
        }
    }
    HopResources { hop: h, ids }
}

/// The groups a `SetSecurityGroups` replaced: the previous call's for the same load balancer,
/// else a near miss's source group that the failing hop still expects (inferred).
fn fill_groups_before(changes: &mut [Change], failing: &[HopResources<'_>]) {
    for i in 0..changes.len() {
        let ChangeAction::LbSecurityGroups {
            load_balancer_arn,
            now,
            ..
        } = &changes[i].action
        else {
            continue;
        };
        let (lb, now) = (load_balancer_arn.clone(), now.clone());
        let earlier = changes[..i].iter().rev().find_map(|c| match &c.action {
            ChangeAction::LbSecurityGroups {
                load_balancer_arn,
                now,
                ..
            } if *load_balancer_arn == lb && c.failed.is_none() => Some(now.clone()),
            _ => None,
        });
        if let Some(before) = earlier {
            changes[i].set_groups_before(before, false);
            continue;
        }
        let mut ghosts: Vec<String> = failing
            .iter()
            .filter(|h| h.hop.alb_arn == lb)
            .flat_map(|h| &h.hop.near_misses)
            .filter(|m| {
                m.differs == "source"
                    && m.source_sg_exists
                    && !m.source_sg_attached_to_alb
                    && !now.contains(&m.source_sg)
            })
            .map(|m| m.source_sg.clone())
            .collect();
        ghosts.sort();
        ghosts.dedup();
        if !ghosts.is_empty() {
            let mut before = now.clone();
            before.extend(ghosts);
            changes[i].set_groups_before(before, true);
        }
    }
}

/// The `change` facts of the Inventory's CloudTrail events: `hops` are every hop fact of the
/// evaluated paths, `onset` the onset of the errors (none without logs or metrics).
#[must_use]
pub fn change_facts(inv: &Inventory, hops: &[&HopFact], onset: Option<DateTime<Utc>>) -> Vec<Fact> {
    let (mut changes, _unreadable) = parse_changes(inv.cloudtrail_events.values());
    if changes.is_empty() {
        return Vec::new();
    }
    let failing: Vec<HopResources<'_>> = hops
        .iter()
        .filter(|h| is_failing(h))
        .map(|h| hop_resources(inv, h))
        .collect();
    fill_groups_before(&mut changes, &failing);
    changes
        .iter()
        .map(|c| change_fact(c, &failing, onset))
        .collect()
}

fn change_fact(c: &Change, failing: &[HopResources<'_>], onset: Option<DateTime<Utc>>) -> Fact {
    let mut hops: Vec<String> = Vec::new();
    let mut linked: Vec<String> = Vec::new();
    let mut first: Option<&HopFact> = None;
    if c.can_break_path() {
        for h in failing {
            let touched: Vec<&String> = c.resources.iter().filter(|r| h.ids.contains(*r)).collect();
            if touched.is_empty() {
                continue;
            }
            first.get_or_insert(h.hop);
            if !hops.contains(&h.hop.hop) {
                hops.push(h.hop.hop.clone());
            }
            linked.extend(touched.into_iter().cloned());
        }
    }
    linked.sort();
    linked.dedup();
    let seconds_before_onset = onset
        .filter(|o| c.time <= *o)
        .map_or(-1, |o| (o - c.time).num_seconds());
    Fact::Change(ChangeFact {
        event_id: c.event_id.clone(),
        time: rfc3339(c.time),
        event_name: c.event_name.clone(),
        actor: c.actor.clone(),
        tool: c.tool.to_string(),
        resources: c.resources.clone(),
        failed: c.failed.is_some(),
        error: c.failed.clone().unwrap_or_default(),
        summary: c.summary(),
        hop: hops.first().cloned().unwrap_or_default(),
        failing_hops: hops,
        linked_resources: linked,
        distribution: first.map(|h| h.distribution.clone()).unwrap_or_default(),
        alb: first.map(|h| h.alb.clone()).unwrap_or_default(),
        onset: onset.map(rfc3339).unwrap_or_default(),
        seconds_before_onset,
        revertible: c.revert().is_some(),
        revert_arg: c.revert().map_or_else(
            || {
                format!(
                    "cloudtrail lookup-events --lookup-attributes AttributeKey=EventId,AttributeValue={}",
                    c.event_id
                )
            },
            |r| r.strip_prefix("aws ").unwrap_or(&r).to_owned(),
        ),
    })
}

/// The onset of the errors the log buckets saw: the classifier's onset (504s above the
/// baseline), else the first minute of any 5xx bucket; `None` without logs.
#[must_use]
pub fn log_onset(buckets: &[crate::facts::LogBucketFact]) -> Option<DateTime<Utc>> {
    let parse = |s: &str| {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    };
    buckets
        .iter()
        .filter_map(|b| parse(&b.onset))
        .min()
        .or_else(|| {
            buckets
                .iter()
                .filter(|b| b.status >= 500)
                .filter_map(|b| parse(&b.first_seen))
                .min()
        })
}
