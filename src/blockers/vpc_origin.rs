//! CloudFront VPC origins: the owners of `cloudfront_managed` ENIs, which outlive the
//! distribution that used them.
//!
//! The ENIs go only when the VPC origin is deleted, which needs the distributions to stop using
//! it first and the origin's current ETag (`--if-match`). CloudFront is global: the origin may
//! live in another account than the VPC.

use super::plan::{Action, P_DELETE_ORIGIN, P_DETACH_ORIGIN, Plan};
use crate::model::{Inventory, Kind};

/// The VPC origins whose endpoint is in `vpc` (or, when none matches, those whose endpoint no
/// longer exists: they may be the owners), with the ETag dance to delete them.
pub(super) fn vpc_origin_steps(inv: &Inventory, vpc: &str, plan: &mut Plan) {
    plan.need(inv, Kind::VpcOrigins);
    let in_vpc: Vec<_> = inv
        .vpc_origins
        .values()
        .filter(|vo| {
            vo.endpoint_arn()
                .and_then(|a| inv.load_balancers.get(a))
                .and_then(|lb| lb.vpc_id.as_ref())
                .is_some_and(|v| v == vpc)
        })
        .collect();
    let (origins, guessed) = if in_vpc.is_empty() {
        (
            inv.vpc_origins
                .values()
                .filter(|vo| {
                    vo.endpoint_arn()
                        .is_none_or(|a| !inv.load_balancers.contains_key(a))
                })
                .collect::<Vec<_>>(),
            true,
        )
    } else {
        (in_vpc, false)
    };
    if origins.is_empty() {
        plan.block("vpc-origin", "?", "cloudfront_managed ENIs belong to a CloudFront VPC origin, but no VPC origin in the data points into this VPC; run `aws cloudfront list-vpc-origins` (CloudFront is global: use the account that owns the distribution)", "CloudFront");
        plan.step(
            P_DELETE_ORIGIN,
            "find the VPC origin whose endpoint is in this VPC",
            "aws cloudfront list-vpc-origins",
            "",
        );
        return;
    }
    for vo in origins {
        let id = vo.id.as_str();
        let endpoint = vo.endpoint_arn().unwrap_or("?");
        let detail = if guessed {
            format!(
                "VPC origin {id} ({}) points at {endpoint}, which is not in the data any more: likely the owner of these ENIs",
                vo.status.as_deref().unwrap_or("?")
            )
        } else {
            format!(
                "VPC origin {id} ({}) points at {endpoint} in this VPC and owns its cloudfront_managed ENIs",
                vo.status.as_deref().unwrap_or("?")
            )
        };
        plan.block("vpc-origin", id, detail, "CloudFront");
        for d in inv.distributions.values() {
            if d.origins.items.iter().any(|o| {
                o.vpc_origin_config
                    .as_ref()
                    .is_some_and(|c| c.vpc_origin_id == vo.id)
            }) {
                let did = d.id.as_str();
                plan.block(
                    "vpc-origin",
                    did,
                    format!("distribution {did} still uses VPC origin {id}"),
                    "CloudFront",
                );
                // Dropping an origin changes what a live distribution serves: destructive.
                plan.add(
                    P_DETACH_ORIGIN,
                    Action::new(
                        format!("remove VPC origin {id} from distribution {did} (edit the config: drop or replace the origin and the behaviors using it)"),
                        format!("aws cloudfront get-distribution-config --id {did} > {did}.json && aws cloudfront update-distribution --id {did} --if-match <ETag from {did}.json> --distribution-config file://{did}-edited.json"),
                        format!("aws cloudfront wait distribution-deployed --id {did}"),
                    )
                    .destructive(true),
                    did,
                    None,
                );
            }
        }
        plan.step(
            P_DELETE_ORIGIN,
            "list the VPC origins (check it is still there)",
            "aws cloudfront list-vpc-origins",
            "",
        );
        let etag = vo.etag.clone().unwrap_or_else(|| "<ETag>".to_owned());
        plan.step(
            P_DELETE_ORIGIN,
            format!(
                "read the ETag of {id}{}",
                vo.etag
                    .as_ref()
                    .map_or(String::new(), |e| format!(" (the snapshot had {e})"))
            ),
            format!("aws cloudfront get-vpc-origin --id {id}"),
            "",
        );
        plan.step(
            P_DELETE_ORIGIN,
            format!("delete the VPC origin {id}"),
            format!("aws cloudfront delete-vpc-origin --id {id} --if-match {etag}"),
            format!("until `aws cloudfront get-vpc-origin --id {id}` fails with EntityNotFound; its cloudfront_managed ENIs then disappear"),
        );
    }
}
