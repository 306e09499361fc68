//! Path enumeration: distribution × behavior × origin (group members) → ALB → listener →
//! target groups → targets, with the hops evaluated once per distinct input.
//!
//! Where each origin leads is `origin`'s job, which target groups a listener forwards to is
//! `listener`'s, and the hops themselves are `cloudfront_hop`, `alb_target_hop` and `health`;
//! this module walks the combinations in a stable order (distributions in parallel) and shares
//! hops between paths that have the same inputs.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::alb_target_hop::alb_to_target;
use super::cloudfront_hop::{CfInput, cloudfront_to_alb, vpc_origin_deployment};
use super::evidence::HopAcc;
use super::health::target_health;
use super::listener::forwards;
use super::listener_rules::{Outcome, RequestShape, Route, Routing, route};
use super::origin::{Resolved, lb_matches, ports, resolve};
use super::origin_fact::origin_fact;
use super::origin_request::{BehaviorRequests, host_forwarded, request_shape};
use super::unrouted::{ListenerRouting, unrouted_groups};
use super::{
    Evidence, Hop, HopResult, OutOfScopeOrigin, PathTrace, ReachOptions, ReachReport, Verdict,
};
use crate::facts::HopFact;
use crate::model::cloudfront::{CacheBehavior, Distribution};
use crate::model::elbv2::{Listener, LoadBalancer};
use crate::model::{Inventory, Kind, Missing, TgArn};

/// Fills the ALB fields of a hop fact.
fn set_alb_fields(base: &mut HopFact, lb: &LoadBalancer, vpc: bool) {
    base.origin_type = if vpc { "vpc_origin" } else { "custom" }.to_owned();
    base.alb.clone_from(&lb.load_balancer_name);
    base.alb_arn = lb.load_balancer_arn.to_string();
    base.alb_scheme = lb.scheme.clone().unwrap_or_default();
    base.alb_sgs = lb.security_groups.iter().map(ToString::to_string).collect();
    base.alb_sg = base.alb_sgs.first().cloned().unwrap_or_default();
    base.alb_ip_address_type = lb.ip_address_type.clone().unwrap_or_default();
    base.alb_vpc = lb
        .vpc_id
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
}

/// Whether `--alb` keeps `lb` (no filter keeps every load balancer).
fn lb_selected(opts: &ReachOptions, lb: &LoadBalancer) -> bool {
    opts.albs.is_empty() || opts.albs.iter().any(|a| lb_matches(lb, a))
}

/// A path with `hops` and the labels of `base`.
fn path(
    base: &HopFact,
    lb: Option<&LoadBalancer>,
    listener: Option<String>,
    port: i64,
    hops: Vec<Arc<HopResult>>,
) -> PathTrace {
    PathTrace {
        distribution: base.distribution.clone(),
        behavior: base.behavior.clone(),
        origin: base.origin_id.clone(),
        load_balancer: lb.map(|l| l.load_balancer_name.clone()),
        listener,
        sub_path: None,
        forward_share: None,
        target_group: None,
        target: None,
        port,
        verdict: Verdict::combine(hops.iter().map(|h| h.verdict)),
        hops,
    }
}

/// Every path of the enabled distributions `opts` selects.
pub(crate) fn evaluate(inv: &Inventory, opts: &ReachOptions) -> ReachReport {
    let _ = inv.index();
    let dists: Vec<&Distribution> = inv
        .distributions
        .values()
        .filter(|d| {
            d.enabled
                && (opts.distributions.is_empty()
                    || opts.distributions.iter().any(|x| x == d.id.as_str()))
        })
        .collect();
    // Distributions are independent: evaluate them in parallel and concatenate the partial
    // reports in distribution order, so the output is the same as a sequential run. Each worker
    // keeps its own target-side cache (a pure memo, so sharing it or not changes no result).
    let parts: Vec<ReachReport> = dists
        .par_iter()
        .map_init(TargetCache::new, |cache, d| {
            distribution(cache, inv, opts, d)
        })
        .collect();
    let mut report = ReachReport {
        paths: Vec::with_capacity(parts.iter().map(|p| p.paths.len()).sum()),
        ..ReachReport::default()
    };
    for p in parts {
        report.paths.extend(p.paths);
        report.out_of_scope.extend(p.out_of_scope);
        report.origin_facts.extend(p.origin_facts);
        report.listener_routings.extend(p.listener_routings);
    }
    // One request reaches one group by design: the rest are not "unreached".
    if opts.request.is_none() {
        report.unrouted_groups = unrouted_groups(inv, &report.listener_routings);
    }
    report
}

/// Every path of one distribution.
fn distribution<'i>(
    cache: &mut TargetCache<'i>,
    inv: &'i Inventory,
    opts: &ReachOptions,
    d: &Distribution,
) -> ReachReport {
    let mut report = ReachReport::default();
    let cache = &mut *cache;
    {
        if let Some(host) = opts.request.as_ref().and_then(|r| r.host.as_deref())
            && !d.answers_host(host)
        {
            return report;
        }
        // (behavior pattern, behavior, the path its requests take through the listener rules,
        // the patterns CloudFront tries before it).
        let mut behaviors: Vec<(String, &CacheBehavior, String, Vec<String>)> = Vec::new();
        let in_order: Vec<(&str, &CacheBehavior)> = d.behaviors_in_precedence().collect();
        if let Some(request) = &opts.request {
            // One request: the behavior CloudFront picks for its path, with that path.
            if let Some((pattern, b)) = d.behavior_for_path(&request.path) {
                behaviors.push((pattern.to_owned(), b, request.path.clone(), Vec::new()));
            }
        } else {
            // Listed as before: the default behavior first, then the cache behaviors.
            let n = in_order.len();
            let order: Vec<usize> = if d.default_cache_behavior.is_some() {
                std::iter::once(n - 1).chain(0..n - 1).collect()
            } else {
                (0..n).collect()
            };
            for i in order {
                let (pattern, b) = in_order[i];
                let earlier = in_order[..i].iter().map(|(p, _)| (*p).to_owned()).collect();
                behaviors.push((pattern.to_owned(), b, pattern.to_owned(), earlier));
            }
        }
        for (pattern, b, request_path, earlier) in behaviors {
            let members: Vec<String> = d
                .origin_groups
                .as_ref()
                .and_then(|g| g.items.iter().find(|g| g.id == b.target_origin_id))
                .map_or_else(
                    || vec![b.target_origin_id.clone()],
                    |g| {
                        g.members
                            .items
                            .iter()
                            .map(|m| m.origin_id.clone())
                            .collect()
                    },
                );
            for oid in members {
                let mut base = HopFact {
                    distribution: d.id.to_string(),
                    behavior: pattern.clone(),
                    origin_id: oid.clone(),
                    port: -1,
                    health_check_port: -1,
                    ..HopFact::default()
                };
                let Some(o) = d.origins.items.iter().find(|o| o.id == oid) else {
                    if opts.albs.is_empty() {
                        let mut acc = HopAcc::new(base.clone());
                        acc.fail(Verdict::Unknown, "origin-unresolved", format!("behavior {pattern} targets origin {oid}, which the distribution does not define"));
                        report.paths.push(path(
                            &base,
                            None,
                            None,
                            -1,
                            vec![Arc::new(acc.finish(Hop::CloudfrontToAlb))],
                        ));
                    }
                    continue;
                };
                base.origin_domain.clone_from(&o.domain_name);
                base.origin_ip_address_type = o.ip_address_type();
                let r = resolve(inv, o, opts);
                report
                    .origin_facts
                    .push(origin_fact(inv, d, b, &pattern, o, &r));
                match r {
                    Resolved::OutOfScope(reason) => report.out_of_scope.push(OutOfScopeOrigin {
                        distribution: d.id.to_string(),
                        behavior: pattern.clone(),
                        origin: oid.clone(),
                        domain: o.domain_name.clone(),
                        reason,
                    }),
                    Resolved::Unresolved(ev) => {
                        if !opts.albs.is_empty() {
                            continue;
                        }
                        base.origin_type = if o.vpc_origin_config.is_some() {
                            "vpc_origin"
                        } else {
                            "custom"
                        }
                        .to_owned();
                        let mut acc = HopAcc::new(base.clone());
                        match ev {
                            Evidence::Missing { what, cli } => acc.missing_what(what, cli),
                            Evidence::Problem { code, detail } => {
                                acc.fail(Verdict::Unknown, &code, detail)
                            }
                            other => acc.evidence.push(other),
                        }
                        report.paths.push(path(
                            &base,
                            None,
                            None,
                            -1,
                            vec![Arc::new(acc.finish(Hop::CloudfrontToAlb))],
                        ));
                    }
                    Resolved::VpcOriginConfigMissing {
                        lb,
                        vpc_origin_id,
                        status,
                    } => {
                        if !lb_selected(opts, lb) {
                            continue;
                        }
                        set_alb_fields(&mut base, lb, true);
                        let mut acc = HopAcc::new(base.clone());
                        acc.checked(format!(
                            "VPC origin {vpc_origin_id} points at {} (from list-vpc-origins)",
                            lb.load_balancer_name
                        ));
                        acc.missing_what(
                            format!(
                                "ports and protocol policy of VPC origin {vpc_origin_id} (its VpcOriginEndpointConfig), so the listener, security-group and NACL checks of {} cannot be made",
                                lb.load_balancer_name
                            ),
                            inv.missing_vpc_origin_config(&vpc_origin_id),
                        );
                        vpc_origin_deployment(inv, lb, &vpc_origin_id, &status, &mut acc);
                        report.paths.push(path(
                            &base,
                            Some(lb),
                            None,
                            -1,
                            vec![Arc::new(acc.finish(Hop::CloudfrontToAlb))],
                        ));
                    }
                    Resolved::Alb {
                        lb,
                        vpc,
                        vpc_status,
                        policy,
                        http,
                        https,
                    } => {
                        if !lb_selected(opts, lb) {
                            continue;
                        }
                        set_alb_fields(&mut base, lb, vpc);
                        let status = vpc_status
                            .as_ref()
                            .map(|(id, st)| (id.as_str(), st.as_str()));
                        for (port, proto) in ports(&policy, &b.viewer_protocol_policy, http, https)
                        {
                            let cf = CfPath {
                                vpc,
                                vpc_origin_status: status,
                                host_forwarded: host_forwarded(inv, b),
                                port,
                                proto,
                                shape: request_shape(
                                    inv,
                                    d,
                                    b,
                                    o,
                                    proto,
                                    &BehaviorRequests {
                                        path: &request_path,
                                        viewer_host: opts
                                            .request
                                            .as_ref()
                                            .and_then(|r| r.host.as_deref()),
                                        earlier_behaviors: &earlier,
                                    },
                                ),
                            };
                            alb_paths(cache, inv, &mut report, &base, lb, &cf);
                        }
                    }
                }
            }
        }
    }
    report
}

/// Target-side hops already evaluated, by (ALB ARN, target group ARN, target id, target port).
/// The stored hops carry the labels (distribution, behavior, origin) of the path they were last
/// used on; paths with the same labels share them.
/// The key borrows from the inventory: a lookup allocates nothing.
type TargetCache<'i> = HashMap<(&'i str, &'i str, &'i str, i32), (Arc<HopResult>, Arc<HopResult>)>;

/// Whether a cached target-side fact already carries the labels of `base`.
fn same_labels(f: &HopFact, base: &HopFact) -> bool {
    f.distribution == base.distribution
        && f.behavior == base.behavior
        && f.origin_id == base.origin_id
        && f.origin_domain == base.origin_domain
        && f.origin_type == base.origin_type
}

/// How CloudFront connects to an ALB on one path.
struct CfPath<'a> {
    /// Through a VPC origin.
    vpc: bool,
    /// The VPC origin's id and status.
    vpc_origin_status: Option<(&'a str, &'a str)>,
    /// Whether the behavior forwards Host (`None`: unknown).
    host_forwarded: Option<bool>,
    /// The port CloudFront connects to.
    port: i32,
    /// `HTTP` or `HTTPS`.
    proto: &'a str,
    /// The request CloudFront sends, or what is missing to know it.
    shape: Result<RequestShape, Missing>,
}

/// The paths behind `lb` on `port`: the CloudFront hop, then each target of each target group
/// the listener forwards to (target-side hops from `cache` when already evaluated).
fn alb_paths<'i>(
    cache: &mut TargetCache<'i>,
    inv: &'i Inventory,
    report: &mut ReachReport,
    base: &HopFact,
    lb: &'i LoadBalancer,
    how: &CfPath<'_>,
) {
    let (vpc, port, proto) = (how.vpc, how.port, how.proto);
    let listener = inv
        .index()
        .listeners_by_lb
        .get(&lb.load_balancer_arn)
        .into_iter()
        .flatten()
        .filter_map(|l| inv.listeners.get(l))
        .find(|l| l.port == port);
    let mut cf_base = base.clone();
    cf_base.port = i64::from(port);
    cf_base.protocol = proto.to_owned();
    let cf = cloudfront_to_alb(
        inv,
        &CfInput {
            lb,
            vpc_origin: vpc,
            port,
            protocol: proto,
            listener,
            vpc_origin_status: how.vpc_origin_status,
            origin_domain: &base.origin_domain,
            host_forwarded: how.host_forwarded,
        },
        cf_base,
    );
    let listener_name = listener.map(|l| format!("{}:{}", l.protocol, l.port));
    let Some(l) = listener else {
        report.paths.push(path(
            base,
            Some(lb),
            None,
            i64::from(port),
            vec![Arc::new(cf)],
        ));
        return;
    };
    let cf = Arc::new(cf);
    let ctx = GroupCtx {
        lb,
        listener_name: listener_name.clone(),
        port,
    };
    let routing = match &how.shape {
        Ok(shape) => routing_of(inv, l, shape),
        Err(missing) => {
            // Without the request, every group the listener forwards to stays a path, behind
            // an unknown routing hop naming the call.
            let (tgs, notes) = forwards(inv, l);
            let mut acc = HopAcc::new(routing_base(base, l));
            acc.missing_what(
                format!(
                    "the request CloudFront sends for behavior {}",
                    base.behavior
                ),
                missing,
            );
            for n in notes {
                acc.checked(format!("{n} (answered by the ALB, no target)"));
            }
            let hop = Arc::new(acc.finish(Hop::AlbRouting));
            if tgs.is_empty() {
                report.paths.push(path(
                    base,
                    Some(lb),
                    listener_name.clone(),
                    i64::from(port),
                    vec![Arc::clone(&cf), Arc::clone(&hop)],
                ));
            }
            for arn in tgs {
                group_paths(
                    cache,
                    inv,
                    report,
                    base,
                    &ctx,
                    &arn,
                    &[Arc::clone(&cf), Arc::clone(&hop)],
                );
            }
            return;
        }
    };
    report
        .listener_routings
        .push(ListenerRouting::new(inv, lb, l, &routing));
    for r in &routing.routes {
        let hop = Arc::new(routing_hop(base, l, r, &routing));
        let groups = r.outcome.groups();
        if r.outcome.answered_by_alb() || groups.is_empty() {
            let mut p = path(
                base,
                Some(lb),
                listener_name.clone(),
                i64::from(port),
                vec![Arc::clone(&cf), hop],
            );
            p.sub_path = sub_path_label(base, r);
            report.paths.push(p);
            continue;
        }
        for g in groups {
            let before = report.paths.len();
            group_paths(
                cache,
                inv,
                report,
                base,
                &ctx,
                &TgArn::from(g),
                &[Arc::clone(&cf), Arc::clone(&hop)],
            );
            for p in &mut report.paths[before..] {
                p.sub_path = sub_path_label(base, r);
                p.forward_share = r.outcome.weight_share(g);
            }
        }
    }
}

/// The sub-path a route takes, when it is not the whole behavior.
fn sub_path_label(base: &HopFact, r: &Route) -> Option<String> {
    if r.rest {
        Some(format!("{} (rest)", r.path))
    } else if r.path != base.behavior {
        Some(r.path.clone())
    } else {
        None
    }
}

/// The routing of `shape` through the rules of listener `l`.
fn routing_of(inv: &Inventory, l: &Listener, shape: &RequestShape) -> Routing {
    let rules: Vec<&crate::model::elbv2::Rule> = inv
        .index()
        .rules_by_listener
        .get(&l.listener_arn)
        .into_iter()
        .flatten()
        .filter_map(|r| inv.rules.get(r))
        .collect();
    let default_arn = rules
        .iter()
        .find(|r| r.is_default)
        .map(|r| r.rule_arn.to_string());
    route(shape, &rules, &l.default_actions, default_arn.as_deref())
}

fn routing_base(base: &HopFact, l: &Listener) -> HopFact {
    let mut f = base.clone();
    f.port = i64::from(l.port);
    f.protocol.clone_from(&l.protocol);
    f.listener_arn = l.listener_arn.to_string();
    f
}

fn outcome_text(o: &Outcome) -> String {
    match o {
        Outcome::Forward { groups, sticky } => format!(
            "forward to {}{}",
            groups
                .iter()
                .map(|(g, w)| match w {
                    Some(w) => format!("{} (weight {w})", short_tg(g)),
                    None => short_tg(g).to_owned(),
                })
                .collect::<Vec<_>>()
                .join(", "),
            if *sticky { " (sticky)" } else { "" }
        ),
        Outcome::FixedResponse { status } => format!("fixed-response {status}"),
        Outcome::Redirect {
            status, protocol, ..
        } => format!("redirect {status} to {protocol}"),
        Outcome::Authenticate { kind, then } => format!("{kind}, then {}", outcome_text(then)),
        Outcome::Other { kind } => kind.clone(),
    }
}

/// `targetgroup/NAME/ID` → `NAME`.
fn short_tg(arn: &str) -> &str {
    arn.split_once(":targetgroup/")
        .and_then(|(_, t)| t.split('/').next())
        .unwrap_or(arn)
}

fn action_kind(o: &Outcome) -> &str {
    match o {
        Outcome::Forward { .. } => "forward",
        Outcome::FixedResponse { .. } => "fixed-response",
        Outcome::Redirect { .. } => "redirect",
        Outcome::Authenticate { kind, .. } | Outcome::Other { kind } => kind,
    }
}

/// The alb-routing hop of one route: the rule that answers, the rules that did not match.
fn routing_hop(base: &HopFact, l: &Listener, r: &Route, routing: &Routing) -> HopResult {
    let mut f = routing_base(base, l);
    f.sub_path.clone_from(&r.path);
    f.routing_rule.clone_from(&r.rule.priority);
    f.routing_rule_arn = r.rule.arn.clone().unwrap_or_default();
    f.routing_action = action_kind(&r.outcome).to_owned();
    if let Outcome::FixedResponse { status } = &r.outcome {
        f.routing_status.clone_from(status);
    }
    f.redirect_loops = matches!(r.outcome, Outcome::Redirect { loops: true, .. });
    f.skipped_rules = routing
        .skipped
        .iter()
        .map(|s| format!("rule {} {}: {}", s.rule.priority, s.condition, s.reason))
        .collect();
    f.intended_target_group_arn = routing
        .skipped
        .iter()
        .find_map(|s| s.groups.first().cloned())
        .unwrap_or_default();
    f.host_not_forwarded = routing.skipped.iter().any(|s| {
        s.condition.starts_with("host-header") && s.reason.contains("does not forward Host")
    });
    f.header_mismatch = routing.skipped.iter().any(|s| {
        s.condition.starts_with("http-header") && s.reason.contains("origin custom header")
    });
    let mut acc = HopAcc::new(f);
    for s in &routing.skipped {
        acc.checked(format!(
            "rule {} {} does not match: {}",
            s.rule.priority, s.condition, s.reason
        ));
    }
    let who = if r.rule.priority == "default" {
        "the default action".to_owned()
    } else {
        format!("rule {}", r.rule.priority)
    };
    let what = format!(
        "{} answers {}{}{}: {}",
        who,
        r.path,
        if r.rest { " (the rest)" } else { "" },
        r.depends
            .as_ref()
            .map_or_else(String::new, |d| format!(" (only {d})")),
        outcome_text(&r.outcome)
    );
    match &r.outcome {
        Outcome::FixedResponse { status } => acc.fail(
            Verdict::Blocked,
            "alb-fixed-response",
            format!("{what} (the ALB answers {status}; no target is reached)"),
        ),
        Outcome::Redirect { loops: true, .. } => acc.fail(
            Verdict::Blocked,
            "redirect-loop",
            format!("{what}: CloudFront fetches over HTTP again, so viewers loop"),
        ),
        Outcome::Redirect { .. } => acc.fail(
            Verdict::Blocked,
            "alb-redirect",
            format!("{what} (the ALB answers; no target is reached)"),
        ),
        _ => acc.checked(what),
    }
    acc.finish(Hop::AlbRouting)
}

/// The listener side of the paths behind one ALB port.
struct GroupCtx<'a> {
    lb: &'a LoadBalancer,
    listener_name: Option<String>,
    port: i32,
}

/// The paths through target group `arn`, behind the hops `front`.
fn group_paths<'i>(
    cache: &mut TargetCache<'i>,
    inv: &'i Inventory,
    report: &mut ReachReport,
    base: &HopFact,
    ctx: &GroupCtx<'i>,
    arn: &TgArn,
    front: &[Arc<HopResult>],
) {
    let (lb, port) = (ctx.lb, ctx.port);
    let listener_name = ctx.listener_name.clone();
    let with = |more: Vec<Arc<HopResult>>| -> Vec<Arc<HopResult>> {
        front.iter().cloned().chain(more).collect()
    };
    {
        // The base fact with the group filled in; built only where a hop is evaluated (a cached
        // target-side hop needs just the labels `base` already carries).
        let group_base = |name: Option<&str>| {
            let mut tbase = base.clone();
            tbase.target_group_arn = arn.to_string();
            if let Some(name) = name {
                tbase.target_group = name.to_owned();
            }
            tbase
        };
        let Some(tg) = inv.target_groups.get(arn) else {
            let mut acc = HopAcc::new(group_base(None));
            acc.missing_what(
                format!("target group {arn}"),
                inv.missing_reason(Kind::TargetGroups),
            );
            let mut p = path(
                base,
                Some(lb),
                listener_name.clone(),
                i64::from(port),
                with(vec![Arc::new(acc.finish(Hop::AlbToTarget))]),
            );
            p.target_group = Some(arn.to_string());
            report.paths.push(p);
            return;
        };
        let targets = inv.target_health.get(arn);
        let Some(targets) = targets.filter(|t| !t.is_empty()) else {
            let mut acc = HopAcc::new(group_base(Some(&tg.target_group_name)));
            if targets.is_some() {
                acc.fail(
                    Verdict::Blocked,
                    "no-registered-targets",
                    format!("{} has no registered targets", tg.target_group_name),
                );
            } else if inv.has(Kind::TargetHealth) {
                acc.missing_what(
                    format!("target health of {}", tg.target_group_name),
                    Kind::TargetHealth.cli().to_owned(),
                );
            } else {
                acc.missing(inv, Kind::TargetHealth);
            }
            let mut p = path(
                base,
                Some(lb),
                listener_name.clone(),
                i64::from(port),
                with(vec![Arc::new(acc.finish(Hop::AlbToTarget))]),
            );
            p.target_group = Some(tg.target_group_name.clone());
            report.paths.push(p);
            return;
        };
        for desc in targets {
            // The two target-side hops depend only on (ALB, group, target): evaluate them once
            // and re-label the copies for each behavior and origin.
            let key = (
                lb.load_balancer_arn.as_str(),
                tg.target_group_arn.as_str(),
                desc.target.id.as_str(),
                desc.target.port.unwrap_or(-1),
            );
            let (at, th) = match cache.get_mut(&key) {
                Some((at, th)) => {
                    if !same_labels(&at.fact, base) {
                        for h in [&mut *at, &mut *th] {
                            let f = &mut Arc::make_mut(h).fact;
                            f.distribution.clone_from(&base.distribution);
                            f.behavior.clone_from(&base.behavior);
                            f.origin_id.clone_from(&base.origin_id);
                            f.origin_domain.clone_from(&base.origin_domain);
                            f.origin_type.clone_from(&base.origin_type);
                        }
                    }
                    (Arc::clone(at), Arc::clone(th))
                }
                None => {
                    let mut t_base = group_base(Some(&tg.target_group_name));
                    t_base.target.clone_from(&desc.target.id);
                    let at = alb_to_target(inv, lb, tg, desc, t_base.clone());
                    let mut th_base = t_base;
                    th_base.port = at.fact.port;
                    th_base.protocol.clone_from(&at.fact.protocol);
                    th_base.health_check_port = at.fact.health_check_port;
                    th_base.target_sgs.clone_from(&at.fact.target_sgs);
                    th_base.target_sg.clone_from(&at.fact.target_sg);
                    let th = target_health(tg, desc, th_base);
                    let (at, th) = (Arc::new(at), Arc::new(th));
                    cache.insert(key, (Arc::clone(&at), Arc::clone(&th)));
                    (at, th)
                }
            };
            let mut p = path(
                base,
                Some(lb),
                listener_name.clone(),
                i64::from(port),
                with(vec![at, th]),
            );
            p.target_group = Some(tg.target_group_name.clone());
            p.target = Some(desc.target.id.clone());
            report.paths.push(p);
        }
    }
}
