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
use super::origin::{Resolved, lb_matches, ports, resolve};
use super::origin_fact::origin_fact;
use super::{
    Evidence, Hop, HopResult, OutOfScopeOrigin, PathTrace, ReachOptions, ReachReport, Verdict,
};
use crate::facts::HopFact;
use crate::model::cloudfront::{CacheBehavior, Distribution};
use crate::model::elbv2::LoadBalancer;
use crate::model::{Inventory, Kind};

/// Fills the ALB fields of a hop fact.
fn set_alb_fields(base: &mut HopFact, lb: &LoadBalancer, vpc: bool) {
    base.origin_type = if vpc { "vpc_origin" } else { "custom" }.to_owned();
    base.alb.clone_from(&lb.load_balancer_name);
    base.alb_arn = lb.load_balancer_arn.to_string();
    base.alb_scheme = lb.scheme.clone().unwrap_or_default();
    base.alb_sgs = lb.security_groups.iter().map(ToString::to_string).collect();
    base.alb_sg = base.alb_sgs.first().cloned().unwrap_or_default();
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
    }
    report
}

/// Every path of one distribution.
fn distribution(
    cache: &mut TargetCache,
    inv: &Inventory,
    opts: &ReachOptions,
    d: &Distribution,
) -> ReachReport {
    let mut report = ReachReport::default();
    let cache = &mut *cache;
    {
        let mut behaviors: Vec<(String, &CacheBehavior)> = Vec::new();
        if let Some(b) = &d.default_cache_behavior {
            behaviors.push(("*".to_owned(), b));
        }
        if let Some(cb) = &d.cache_behaviors {
            for b in &cb.items {
                behaviors.push((b.path_pattern.clone().unwrap_or_default(), b));
            }
        }
        for (pattern, b) in behaviors {
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
                                host_forwarded: b.forwards_host_header(),
                                port,
                                proto,
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
type TargetCache = HashMap<(String, String, String, i32), (Arc<HopResult>, Arc<HopResult>)>;

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
}

/// The paths behind `lb` on `port`: the CloudFront hop, then each target of each target group
/// the listener forwards to (target-side hops from `cache` when already evaluated).
fn alb_paths(
    cache: &mut TargetCache,
    inv: &Inventory,
    report: &mut ReachReport,
    base: &HopFact,
    lb: &LoadBalancer,
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
    let mut cf = cloudfront_to_alb(
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
    let (tgs, notes) = forwards(inv, l);
    for n in notes {
        cf.evidence.push(Evidence::Checked {
            what: format!("{n} (answered by the ALB, no target)"),
        });
    }
    let cf = Arc::new(cf);
    if tgs.is_empty() {
        report.paths.push(path(
            base,
            Some(lb),
            listener_name,
            i64::from(port),
            vec![cf],
        ));
        return;
    }
    for arn in tgs {
        let mut tbase = base.clone();
        tbase.target_group_arn = arn.to_string();
        let Some(tg) = inv.target_groups.get(&arn) else {
            let mut acc = HopAcc::new(tbase);
            acc.missing_what(
                format!("target group {arn}"),
                inv.missing_reason(Kind::TargetGroups),
            );
            let mut p = path(
                base,
                Some(lb),
                listener_name.clone(),
                i64::from(port),
                vec![Arc::clone(&cf), Arc::new(acc.finish(Hop::AlbToTarget))],
            );
            p.target_group = Some(arn.to_string());
            report.paths.push(p);
            continue;
        };
        tbase.target_group.clone_from(&tg.target_group_name);
        let targets = inv.target_health.get(&arn);
        let Some(targets) = targets.filter(|t| !t.is_empty()) else {
            let mut acc = HopAcc::new(tbase);
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
                vec![Arc::clone(&cf), Arc::new(acc.finish(Hop::AlbToTarget))],
            );
            p.target_group = Some(tg.target_group_name.clone());
            report.paths.push(p);
            continue;
        };
        for desc in targets {
            let mut t_base = tbase.clone();
            t_base.target.clone_from(&desc.target.id);
            // The two target-side hops depend only on (ALB, group, target): evaluate them once
            // and re-label the copies for each behavior and origin.
            let key = (
                lb.load_balancer_arn.to_string(),
                arn.to_string(),
                desc.target.id.clone(),
                desc.target.port.unwrap_or(-1),
            );
            let (at, th) = match cache.get_mut(&key) {
                Some((at, th)) => {
                    if !same_labels(&at.fact, &t_base) {
                        for h in [&mut *at, &mut *th] {
                            let f = &mut Arc::make_mut(h).fact;
                            f.distribution.clone_from(&t_base.distribution);
                            f.behavior.clone_from(&t_base.behavior);
                            f.origin_id.clone_from(&t_base.origin_id);
                            f.origin_domain.clone_from(&t_base.origin_domain);
                            f.origin_type.clone_from(&t_base.origin_type);
                        }
                    }
                    (Arc::clone(at), Arc::clone(th))
                }
                None => {
                    let at = alb_to_target(inv, lb, tg, desc, t_base.clone());
                    let mut th_base = t_base.clone();
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
                vec![Arc::clone(&cf), at, th],
            );
            p.target_group = Some(tg.target_group_name.clone());
            p.target = Some(desc.target.id.clone());
            report.paths.push(p);
        }
    }
}
