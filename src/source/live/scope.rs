//! Where a live collection looks: the regions to read and the `--distribution` / `--alb`
//! narrowing.
//!
//! CloudFront is global (its control plane answers in `us-east-1`); everything else is read
//! in the regions of the ALBs the origins point at — from the ALB DNS name
//! (`NAME-ID.REGION.elb.amazonaws.com`) or the VPC origin's endpoint ARN — plus `--region`,
//! or the configured default region when nothing names one. Narrowed, only the load balancers
//! the chosen distributions reach (or `--alb` names) are described, and the EC2 describes are
//! filtered to their VPCs.

use std::collections::BTreeSet;

use crate::model::Inventory;
use crate::source::LiveScope;

/// CloudFront's control plane lives in us-east-1.
pub(super) const CLOUDFRONT_REGION: &str = "us-east-1";

/// The regions to read besides CloudFront's global endpoint: `--region`, the regions of the
/// origins' ALBs and of `--alb` ARNs or DNS names; `default_region` (else us-east-1) when none.
pub(super) fn regions_to_collect(
    asked: &[String],
    scope: &LiveScope,
    inv: &Inventory,
    default_region: Option<String>,
) -> BTreeSet<String> {
    let mut regions: BTreeSet<String> = asked.iter().cloned().collect();
    regions.extend(origin_regions(inv));
    regions.extend(scope.albs.iter().filter_map(|a| region_of_alb(a)));
    if regions.is_empty() {
        regions.insert(default_region.unwrap_or_else(|| CLOUDFRONT_REGION.to_owned()));
    }
    regions
}

/// Keeps only the distributions `--distribution` names (all when it names none).
pub(super) fn narrow_distributions(inv: &mut Inventory, scope: &LiveScope) {
    if !scope.distributions.is_empty() {
        inv.distributions
            .retain(|id, _| scope.distributions.iter().any(|d| d == id.as_str()));
    }
}

/// The region of an ALB DNS name (`NAME-ID.REGION.elb.amazonaws.com`, also `internal-` and
/// `dualstack.` forms) or ALB ARN (`arn:aws:elasticloadbalancing:REGION:…`).
#[must_use]
pub fn region_of_alb(name_or_arn: &str) -> Option<String> {
    if let Some(rest) = name_or_arn.strip_prefix("arn:") {
        let region = rest.split(':').nth(2)?;
        return (!region.is_empty()).then(|| region.to_owned());
    }
    let host = name_or_arn.trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    let elb = labels.iter().position(|l| *l == "elb")?;
    (elb >= 2 && labels.get(elb + 1) == Some(&"amazonaws")).then(|| labels[elb - 1].to_owned())
}

/// The ALB name inside its DNS name (`internal-web-alb-123.eu-west-1.elb…` → `web-alb`).
fn alb_name_from_dns(dns: &str) -> Option<String> {
    let first = dns.trim_end_matches('.').split('.').next()?;
    let first = first.strip_prefix("dualstack-").unwrap_or(first);
    let first = first.strip_prefix("internal-").unwrap_or(first);
    let (name, _id) = first.rsplit_once('-')?;
    (!name.is_empty()).then(|| name.to_owned())
}

/// Regions of the ALBs the distributions' origins point at.
fn origin_regions(inv: &Inventory) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for d in inv.distributions.values() {
        for o in &d.origins.items {
            if let Some(r) = region_of_alb(&o.domain_name) {
                out.insert(r);
            }
        }
    }
    for vo in inv.vpc_origins.values() {
        if let Some(r) = vo.endpoint_arn().and_then(region_of_alb) {
            out.insert(r);
        }
    }
    out
}

/// `--distribution` / `--alb` narrowing: which ALBs to describe (by name or ARN); `None`
/// collects everything.
#[derive(Debug, Clone, Default)]
pub(super) struct AlbFilter {
    names: BTreeSet<String>,
    arns: BTreeSet<String>,
    /// Whether anything was narrowed (`false`: describe every load balancer).
    pub(super) narrowed: bool,
}

impl AlbFilter {
    /// The load balancers the chosen distributions reach, plus those `--alb` names.
    pub(super) fn new(inv: &Inventory, scope: &LiveScope) -> Self {
        if scope.distributions.is_empty() && scope.albs.is_empty() {
            return Self::default();
        }
        let mut filter = Self {
            narrowed: true,
            ..Self::default()
        };
        for a in &scope.albs {
            if a.starts_with("arn:") {
                filter.arns.insert(a.clone());
            } else if region_of_alb(a).is_some() {
                filter.names.extend(alb_name_from_dns(a));
            } else {
                filter.names.insert(a.clone());
            }
        }
        for d in inv.distributions.values() {
            for o in &d.origins.items {
                if region_of_alb(&o.domain_name).is_some() {
                    filter.names.extend(alb_name_from_dns(&o.domain_name));
                }
            }
        }
        for vo in inv.vpc_origins.values() {
            let used = inv.distributions.values().any(|d| {
                d.origins
                    .items
                    .iter()
                    .filter_map(|o| o.vpc_origin_config.as_ref())
                    .any(|c| c.vpc_origin_id == vo.id)
            });
            if used && let Some(arn) = vo.endpoint_arn() {
                filter.arns.insert(arn.to_owned());
            }
        }
        filter
    }

    /// The names (any region: a name is looked up everywhere) and the ARNs of `region`.
    pub(super) fn in_region(&self, region: &str) -> (Vec<String>, Vec<String>) {
        let arns = self
            .arns
            .iter()
            .filter(|a| region_of_alb(a).as_deref() == Some(region))
            .cloned()
            .collect();
        (self.names.iter().cloned().collect(), arns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_come_from_alb_dns_names_and_arns() {
        assert_eq!(
            region_of_alb("web-alb-123456.eu-west-1.elb.amazonaws.com").as_deref(),
            Some("eu-west-1")
        );
        assert_eq!(
            region_of_alb("internal-api-99.us-east-2.elb.amazonaws.com.").as_deref(),
            Some("us-east-2")
        );
        assert_eq!(
            region_of_alb("dualstack.web-1.ap-south-1.elb.amazonaws.com").as_deref(),
            Some("ap-south-1")
        );
        assert_eq!(
            region_of_alb("arn:aws:elasticloadbalancing:sa-east-1:111:loadbalancer/app/x/1")
                .as_deref(),
            Some("sa-east-1")
        );
        assert_eq!(region_of_alb("bucket.s3.amazonaws.com"), None);
        assert_eq!(region_of_alb("example.com"), None);
    }

    #[test]
    fn alb_names_come_from_dns_names() {
        assert_eq!(
            alb_name_from_dns("internal-web-alb-123.eu-west-1.elb.amazonaws.com").as_deref(),
            Some("web-alb")
        );
        assert_eq!(
            alb_name_from_dns("api-7.us-east-1.elb.amazonaws.com").as_deref(),
            Some("api")
        );
    }
}
