//! Origin resolution: which load balancer a CloudFront origin is, and on which ports and
//! protocols CloudFront connects to it.
//!
//! A VPC origin names its ALB by ARN (from `list-vpc-origins`; its ports and protocol policy
//! only come with `get-vpc-origin`). A custom origin is matched by DNS name (also with the
//! `dualstack.` prefix CloudFront accepts) or through `--origin-map` for CNAMEs. S3, API
//! Gateway, Lambda URLs and other AWS endpoints are out of scope; a load-balancer name that is
//! not in the inventory, or a domain matching nothing, is `origin-unresolved`.

use super::{Evidence, ReachOptions};
use crate::model::cloudfront::Origin;
use crate::model::elbv2::LoadBalancer;
use crate::model::inventory::normalize_dns_name;
use crate::model::{Inventory, Kind};

/// What an origin resolved to.
pub(crate) enum Resolved<'a> {
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
    pub(crate) fn load_balancer(&self) -> Option<&LoadBalancer> {
        match self {
            Resolved::Alb { lb, .. } | Resolved::VpcOriginConfigMissing { lb, .. } => Some(lb),
            Resolved::OutOfScope(_) | Resolved::Unresolved(_) => None,
        }
    }
}

/// Domains of AWS endpoints that are origins but not load balancers.
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

/// Whether `key` is the name or ARN of `lb`.
pub(crate) fn lb_matches(lb: &LoadBalancer, key: &str) -> bool {
    lb.load_balancer_name == key || lb.load_balancer_arn.as_str() == key
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

/// Resolves `origin` to its load balancer.
pub(crate) fn resolve<'a>(
    inv: &'a Inventory,
    origin: &Origin,
    opts: &ReachOptions,
) -> Resolved<'a> {
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

/// The ports and protocols CloudFront connects on, from the origin protocol policy (`http-only`,
/// `https-only`, `match-viewer`) and the behavior's viewer protocol policy.
pub(crate) fn ports(policy: &str, viewer: &str, http: i32, https: i32) -> Vec<(i32, &'static str)> {
    match policy {
        "http-only" => vec![(http, "HTTP")],
        "https-only" => vec![(https, "HTTPS")],
        _ if matches!(viewer, "redirect-to-https" | "https-only") => vec![(https, "HTTPS")],
        _ => vec![(http, "HTTP"), (https, "HTTPS")],
    }
}
