//! Where an [`Inventory`](crate::model::Inventory) comes from: a snapshot directory of AWS CLI
//! JSON ([`snapshot`]) or the live account through the AWS SDK (`live`, behind the `live`
//! feature). Only `live` touches the network; both produce the same model.

#[cfg(feature = "live")]
pub mod live;
pub mod s3_keys;
pub mod snapshot;

use std::collections::BTreeSet;

use crate::model::{Kind, TimeWindow};

/// What a live collection should narrow to (`--distribution`, `--alb`); empty lists collect the
/// whole account. Plain data, so commands can build one without the `live` feature.
#[derive(Debug, Clone, Default)]
pub struct LiveScope {
    /// Only these distributions.
    pub distributions: Vec<String>,
    /// Only these load balancers (name, DNS name or ARN).
    pub albs: Vec<String>,
    /// Also collect CloudTrail events and CloudWatch metrics over this window (`snapshot`,
    /// `triage`, `timeline`); `None` for commands that look at one instant.
    pub timeline: Option<TimeWindow>,
}

/// What a live collection cost, for the run's summary (`inventory`, `snapshot`). Plain data,
/// so reports can carry it without the `live` feature.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct CollectionStats {
    /// AWS calls made (one per operation and parent resource; all its pages count once).
    pub calls: usize,
    /// HTTP requests the calls took (each page is one), first attempts only.
    pub requests: usize,
    /// Attempts the SDK retried (throttling, 5xx, a timed-out attempt, a reset connection),
    /// bounded by `AWS_MAX_ATTEMPTS`.
    pub retries: usize,
    /// Calls that failed in the end (their kinds are unavailable, with the reason).
    pub failed: usize,
}

/// The IAM actions a live collection uses, for `docs/iam-policy.json` and
/// `edgepath snapshot --print-iam-policy`.
#[must_use]
pub fn iam_actions() -> BTreeSet<&'static str> {
    let mut actions: BTreeSet<&'static str> = Kind::ALL.iter().map(|k| k.iam_action()).collect();
    // get-vpc-origin / get-distribution complete the list calls; get-*-policy reads a custom
    // policy a behavior names when the list is denied or misses it.
    actions.insert("cloudfront:GetVpcOrigin");
    actions.insert("cloudfront:GetDistribution");
    actions.insert("cloudfront:GetOriginRequestPolicy");
    actions.insert("cloudfront:GetCachePolicy");
    // `logs s3://…`: HeadBucket (the bucket's region) and ListObjectsV2 need s3:ListBucket;
    // reading the log objects, s3:GetObject.
    actions.insert("s3:ListBucket");
    actions.insert("s3:GetObject");
    actions
}

/// The least-privilege IAM policy for live collection, as JSON.
#[must_use]
pub fn iam_policy() -> serde_json::Value {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "EdgepathReadOnly",
            "Effect": "Allow",
            "Action": iam_actions().into_iter().collect::<Vec<_>>(),
            "Resource": "*"
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_grants_only_reads() {
        for a in iam_actions() {
            let op = a.split(':').nth(1).unwrap_or_default();
            // CloudTrail's one read is named LookupEvents.
            assert!(
                op.starts_with("Describe")
                    || op.starts_with("List")
                    || op.starts_with("Get")
                    || a == "cloudtrail:LookupEvents",
                "{a} is not a read"
            );
        }
    }

    #[test]
    fn docs_iam_policy_json_is_the_generated_policy() {
        let shipped: serde_json::Value =
            serde_json::from_str(include_str!("../../docs/iam-policy.json")).expect("valid JSON");
        assert_eq!(
            shipped,
            iam_policy(),
            "docs/iam-policy.json is stale: regenerate it with `edgepath snapshot --print-iam-policy > docs/iam-policy.json`"
        );
    }
}
