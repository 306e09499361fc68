//! Path enumeration: distribution × behavior × origin (group members) → ALB → listener →
//! target groups → targets, with the hops evaluated once per distinct input.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::alb_target_hop::alb_to_target;
use super::cloudfront_hop::{CfInput, cloudfront_to_alb};
use super::evidence::HopAcc;
use super::health::target_health;
use super::{
    Evidence, Hop, HopResult, OutOfScopeOrigin, PathTrace, ReachOptions, ReachReport, Verdict,
};
use crate::facts::{HopFact, OriginFact};
use crate::model::Inventory;
use crate::model::cloudfront::{CacheBehavior, Distribution, Origin};
use crate::model::elbv2::{Listener, LoadBalancer};
use crate::model::ids::TgArn;
use crate::model::inventory::{Kind, normalize_dns_name};

/// The managed `CachingDisabled` cache policy.
const CACHING_DISABLED: &str = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

enum Resolved<'a> {
    Alb {
        lb: &'a LoadBalancer,
        vpc: bool,
        /// VPC origin id and status, for VPC origins.
        vpc_status: Option<(String, String)>,
        policy: String,
        http: i32,
        https: i32,
    },
    /// A VPC origin known only from `list-vpc-origins`: its ALB is known, its ports and
    /// protocol policy (from `get-vpc-origin`) are not.
    VpcOriginConfigMissing {
        lb: &'a LoadBalancer,
        vpc_origin_id: String,
        status: String,
    },
    OutOfScope(String),
    Unresolved(Evidence),
}

impl Resolved<'_> {
    /// The load balancer the origin resolved to, if any.
    fn load_balancer(&self) -> Option<&LoadBalancer> {
        match self {
            Resolved::Alb { lb, .. } | Resolved::VpcOriginConfigMissing { lb, .. } => Some(lb),
            Resolved::OutOfScope(_) | Resolved::Unresolved(_) => None,
        }
    }
}

/// The CLI call that supplies a VPC origin's endpoint config (ports and protocol policy).
fn get_vpc_origin_cli(inv: &Inventory, vpc_origin_id: &str) -> String {
    match inv.unavailable.get(&Kind::VpcOrigins) {
        Some(reason) => format!(
            "{reason} (needs cloudfront:GetVpcOrigin for `aws cloudfront get-vpc-origin --id {vpc_origin_id}`)"
        ),
        None => format!(
            "not in the snapshot; add the output of `aws cloudfront get-vpc-origin --id {vpc_origin_id}`"
        ),
    }
}

/// Fills the ALB fields of a hop fact.
fn set_alb_fields(base: &mut HopFact, lb: &LoadBalancer, vpc: bool) {
    base.origin_type = if vpc { "vpc_origin" } else { "custom" }.to_owned();
    base.alb.clone_from(&lb.load_balancer_name);
    base.alb_arn = lb.load_balancer_arn.to_string();
    base.alb_scheme = lb.scheme.clone().unwrap_or_default();
    base.alb_sgs = lb.security_groups.iter().map(ToString::to_string).collect();
    base.alb_sg = base.alb_sgs.first().cloned().unwrap_or_default();
}

/// The note on the first hop of a VPC origin that is not `Deployed`.
fn not_deployed_note(vpc_origin_id: &str, status: &str) -> Option<String> {
    (status != "Deployed").then(|| {
        format!(
            "VPC origin {vpc_origin_id} is `{status}`, not `Deployed`: CloudFront may answer 502/504 until it is"
        )
    })
}

const NON_ALB_SUFFIXES: [&str; 8] = [
    ".s3.amazonaws.com",
    ".execute-api.",
    ".lambda-url.",
    ".cloudfront.net",
    ".mediapackage.",
    ".mediastore.",
    ".appsync-api.",
    ".amplifyapp.com",
];

fn lb_matches(lb: &LoadBalancer, key: &str) -> bool {
    lb.load_balancer_name == key || lb.load_balancer_arn.as_str() == key
}

/// Whether `--alb` keeps `lb` (no filter keeps every load balancer).
fn lb_selected(opts: &ReachOptions, lb: &LoadBalancer) -> bool {
    opts.albs.is_empty() || opts.albs.iter().any(|a| lb_matches(lb, a))
}

fn find_lb<'a>(inv: &'a Inventory, key: &str) -> Option<&'a LoadBalancer> {
    let idx = inv.index();
    idx.lb_by_name
        .get(key)
        .and_then(|a| inv.load_balancers.get(a))
        .or_else(|| inv.load_balancers.get(key))
        .or_else(|| {
            idx.lb_by_dns_name
                .get(&normalize_dns_name(key))
                .and_then(|a| inv.load_balancers.get(a))
        })
}

fn resolve<'a>(inv: &'a Inventory, origin: &Origin, opts: &ReachOptions) -> Resolved<'a> {
    let domain = normalize_dns_name(&origin.domain_name);
    if let Some(vc) = &origin.vpc_origin_config {
        let Some(vo) = inv.vpc_origins.get(&vc.vpc_origin_id) else {
            return Resolved::Unresolved(Evidence::Missing {
                what: format!("VPC origin {}", vc.vpc_origin_id),
                cli: inv.missing_reason(Kind::VpcOrigins),
            });
        };
        let Some(lb) = vo.endpoint_arn().and_then(|a| inv.load_balancers.get(a)) else {
            return Resolved::Unresolved(Evidence::Problem {
                code: "origin-unresolved".to_owned(),
                detail: format!(
                    "VPC origin {} points at {}, which is not a load balancer in the inventory",
                    vc.vpc_origin_id,
                    vo.endpoint_arn().unwrap_or("nothing")
                ),
            });
        };
        // The list shape names the ALB but not the ports or the protocol policy; guessing
        // them (match-viewer, 80/443) would evaluate ports CloudFront may never use.
        let Some(config) = vo.vpc_origin_endpoint_config.as_ref() else {
            return Resolved::VpcOriginConfigMissing {
                lb,
                vpc_origin_id: vc.vpc_origin_id.to_string(),
                status: vo.status.clone().unwrap_or_default(),
            };
        };
        let (policy, http, https) = (
            config.origin_protocol_policy.clone(),
            config.http_port,
            config.https_port,
        );
        return Resolved::Alb {
            lb,
            vpc: true,
            vpc_status: Some((
                vc.vpc_origin_id.to_string(),
                vo.status.clone().unwrap_or_default(),
            )),
            policy,
            http,
            https,
        };
    }
    let Some(cc) = &origin.custom_origin_config else {
        return Resolved::OutOfScope("S3 origin".to_owned());
    };
    let mapped = opts
        .origin_map
        .iter()
        .find(|(d, _)| normalize_dns_name(d) == domain)
        .and_then(|(_, alb)| find_lb(inv, alb));
    let by_dns = || {
        let idx = inv.index();
        idx.lb_by_dns_name
            .get(&domain)
            .or_else(|| {
                domain
                    .strip_prefix("dualstack.")
                    .and_then(|d| idx.lb_by_dns_name.get(d))
            })
            .and_then(|a| inv.load_balancers.get(a))
    };
    if let Some(lb) = mapped.or_else(by_dns) {
        return Resolved::Alb {
            lb,
            vpc: false,
            vpc_status: None,
            policy: cc.origin_protocol_policy.clone(),
            http: cc.http_port,
            https: cc.https_port,
        };
    }
    if domain.ends_with(".elb.amazonaws.com") {
        return Resolved::Unresolved(Evidence::Problem {
            code: "origin-unresolved".to_owned(),
            detail: format!(
                "{domain} is a load balancer that is not in the inventory: add the ALB's region, or pass --origin-map {domain}=ALB"
            ),
        });
    }
    if NON_ALB_SUFFIXES.iter().any(|s| domain.contains(s)) {
        return Resolved::OutOfScope(format!("{domain} is not a load balancer"));
    }
    Resolved::Unresolved(Evidence::Problem {
        code: "origin-unresolved".to_owned(),
        detail: format!(
            "{domain} does not match any ALB DNS name; if it is a CNAME to an ALB, pass --origin-map {domain}=ALB_NAME"
        ),
    })
}

fn ports(policy: &str, viewer: &str, http: i32, https: i32) -> Vec<(i32, &'static str)> {
    match policy {
        "http-only" => vec![(http, "HTTP")],
        "https-only" => vec![(https, "HTTPS")],
        _ if matches!(viewer, "redirect-to-https" | "https-only") => vec![(https, "HTTPS")],
        _ => vec![(http, "HTTP"), (https, "HTTPS")],
    }
}

fn priority(p: &str) -> i64 {
    p.parse().unwrap_or(i64::MAX)
}

/// Target groups the listener forwards to, and notes on terminal actions.
fn forwards(inv: &Inventory, l: &Listener) -> (Vec<TgArn>, Vec<String>) {
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

fn error_ttl(d: &Distribution, code: i32) -> i64 {
    d.custom_error_responses
        .as_ref()
        .and_then(|c| c.items.iter().find(|e| e.error_code == code))
        .and_then(|e| e.error_caching_min_ttl)
        .unwrap_or(10)
}

fn origin_fact(
    inv: &Inventory,
    d: &Distribution,
    b: &CacheBehavior,
    pattern: &str,
    o: &Origin,
    r: &Resolved<'_>,
) -> OriginFact {
    let (origin_type, policy, http, https) = match (r, &o.custom_origin_config) {
        (
            Resolved::Alb {
                vpc: true,
                policy,
                http,
                https,
                ..
            },
            _,
        ) => ("vpc_origin", policy.clone(), *http, *https),
        (_, Some(c)) => (
            "custom",
            c.origin_protocol_policy.clone(),
            c.http_port,
            c.https_port,
        ),
        _ if o.vpc_origin_config.is_some() => ("vpc_origin", String::new(), -1, -1),
        _ => ("s3", String::new(), -1, -1),
    };
    let read = o.read_timeout().unwrap_or(30);
    let keep = o.keepalive_timeout().unwrap_or(5);
    let mut f = OriginFact {
        distribution: d.id.to_string(),
        distribution_status: d.status.clone().unwrap_or_default(),
        behavior: pattern.to_owned(),
        viewer_protocol_policy: b.viewer_protocol_policy.clone(),
        origin_id: o.id.clone(),
        origin_domain: o.domain_name.clone(),
        origin_type: origin_type.to_owned(),
        origin_protocol_policy: policy,
        http_port: i64::from(http),
        https_port: i64::from(https),
        read_timeout_seconds: i64::from(read),
        connection_timeout_seconds: i64::from(o.connection_timeout.unwrap_or(10)),
        connection_attempts: i64::from(o.connection_attempts.unwrap_or(3)),
        keepalive_timeout_seconds: i64::from(keep),
        alb_idle_timeout_seconds: -1,
        error_caching_min_ttl_504: error_ttl(d, 504),
        error_caching_min_ttl_502: error_ttl(d, 502),
        error_caching_min_ttl_503: error_ttl(d, 503),
        caching_disabled: b.cache_policy_id.as_deref() == Some(CACHING_DISABLED),
        host_header_forwarded: b
            .forwards_host_header()
            .map(|f| f.to_string())
            .unwrap_or_default(),
        ..OriginFact::default()
    };
    if let Some(lb) = r.load_balancer() {
        f.alb.clone_from(&lb.load_balancer_name);
        f.alb_arn = lb.load_balancer_arn.to_string();
        f.alb_scheme = lb.scheme.clone().unwrap_or_default();
        f.alb_idle_timeout_seconds = inv
            .lb_attribute(&lb.load_balancer_arn, "idle_timeout.timeout_seconds")
            .and_then(|v| v.parse().ok())
            .unwrap_or(-1);
        f.alb_listeners = inv
            .index()
            .listeners_by_lb
            .get(&lb.load_balancer_arn)
            .into_iter()
            .flatten()
            .filter_map(|l| inv.listeners.get(l))
            .map(|l| format!("{}/{}", l.port, l.protocol))
            .collect();
    }
    f
}

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
                            get_vpc_origin_cli(inv, &vpc_origin_id),
                        );
                        if let Some(what) = not_deployed_note(&vpc_origin_id, &status) {
                            acc.checked(what);
                        }
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
                        for (port, proto) in ports(&policy, &b.viewer_protocol_policy, http, https)
                        {
                            let from = report.paths.len();
                            alb_paths(cache, inv, &mut report, &base, lb, vpc, port, proto);
                            if let Some(what) = vpc_status
                                .as_ref()
                                .and_then(|(id, status)| not_deployed_note(id, status))
                            {
                                // Paths behind one listener share their first hop: note it once
                                // per distinct hop, and share the noted copy again.
                                let mut noted: Option<(Arc<HopResult>, Arc<HopResult>)> = None;
                                for p in &mut report.paths[from..] {
                                    let h = &mut p.hops[0];
                                    if let Some((orig, new)) = &noted
                                        && Arc::ptr_eq(orig, h)
                                    {
                                        *h = Arc::clone(new);
                                        continue;
                                    }
                                    let orig = Arc::clone(h);
                                    Arc::make_mut(h)
                                        .evidence
                                        .push(Evidence::Checked { what: what.clone() });
                                    noted = Some((orig, Arc::clone(h)));
                                }
                            }
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
#[allow(clippy::too_many_arguments)]
fn alb_paths(
    cache: &mut TargetCache,
    inv: &Inventory,
    report: &mut ReachReport,
    base: &HopFact,
    lb: &LoadBalancer,
    vpc: bool,
    port: i32,
    proto: &str,
) {
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
                    let th = target_health(desc, th_base);
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
