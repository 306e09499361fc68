//! VPC Block Public Access (BPA): the account's regional mode and its exclusions, as
//! `aws ec2 describe-vpc-block-public-access-options` and
//! `describe-vpc-block-public-access-exclusions` print them.
//!
//! With the mode `block-bidirectional` or `block-ingress`, traffic from the internet through
//! internet gateways into the Region's VPCs is dropped, whatever the security groups, NACLs
//! and routes say, except for VPCs and subnets with an exclusion; only an `allow-bidirectional`
//! exclusion admits inbound traffic (`allow-egress` admits only outbound). An account whose
//! exclusions are not allowed (declarative policy: `ExclusionsAllowed = not-allowed`) has none
//! in effect. (EC2 API `VpcBlockPublicAccessOptions`, `VpcBlockPublicAccessExclusion` [doc];
//! patterns.md B6.)

use serde::{Deserialize, Serialize};

/// `describe-vpc-block-public-access-options` → `VpcBlockPublicAccessOptions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcBlockPublicAccessOptions {
    /// Region the options apply to; `None` when the output does not say (then: every Region
    /// of the snapshot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_region: Option<String>,
    /// Account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_account_id: Option<String>,
    /// `default-state`, `update-in-progress`, `update-complete`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// `off`, `block-bidirectional`, `block-ingress`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internet_gateway_block_mode: Option<String>,
    /// `allowed` / `not-allowed` (a declarative policy forbids exclusions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclusions_allowed: Option<String>,
    /// `account` or `declarative-policy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_by: Option<String>,
    /// Why the last update failed, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl VpcBlockPublicAccessOptions {
    /// Whether the mode drops inbound internet traffic (`block-bidirectional`, `block-ingress`).
    #[must_use]
    pub fn blocks_ingress(&self) -> bool {
        matches!(
            self.internet_gateway_block_mode.as_deref(),
            Some("block-bidirectional" | "block-ingress")
        )
    }

    /// Whether exclusions take effect (not forbidden by a declarative policy).
    #[must_use]
    pub fn exclusions_allowed(&self) -> bool {
        self.exclusions_allowed.as_deref() != Some("not-allowed")
    }
}

/// `describe-vpc-block-public-access-exclusions` → `VpcBlockPublicAccessExclusions[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcBlockPublicAccessExclusion {
    /// `vpcbpa-exclude-…`.
    pub exclusion_id: String,
    /// `allow-bidirectional` or `allow-egress`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internet_gateway_exclusion_mode: Option<String>,
    /// The excluded VPC or subnet (`arn:aws:ec2:REGION:ACCOUNT:vpc/vpc-…` or `…:subnet/subnet-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_arn: Option<String>,
    /// `create-complete`, `update-complete`, `delete-complete`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

impl VpcBlockPublicAccessExclusion {
    /// The excluded resource's id (`vpc-…` or `subnet-…`), from its ARN.
    #[must_use]
    pub fn resource_id(&self) -> Option<&str> {
        self.resource_arn.as_deref()?.rsplit('/').next()
    }

    /// Whether the exclusion is in effect and admits inbound traffic: `allow-bidirectional`,
    /// created (an update in progress or failed keeps the previous exclusion).
    #[must_use]
    pub fn admits_ingress(&self) -> bool {
        self.internet_gateway_exclusion_mode.as_deref() == Some("allow-bidirectional")
            && matches!(
                self.state.as_deref(),
                Some(
                    "create-complete" | "update-in-progress" | "update-complete" | "update-failed"
                )
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_created_bidirectional_exclusion_admits_ingress() {
        let mut e: VpcBlockPublicAccessExclusion = serde_json::from_str(
            r#"{"ExclusionId": "vpcbpa-exclude-1", "InternetGatewayExclusionMode": "allow-bidirectional",
                "ResourceArn": "arn:aws:ec2:us-east-1:111122223333:subnet/subnet-1", "State": "create-complete"}"#,
        )
        .expect("parses");
        assert_eq!(e.resource_id(), Some("subnet-1"));
        assert!(e.admits_ingress());
        e.internet_gateway_exclusion_mode = Some("allow-egress".into());
        assert!(!e.admits_ingress());
        e.internet_gateway_exclusion_mode = Some("allow-bidirectional".into());
        e.state = Some("delete-complete".into());
        assert!(!e.admits_ingress());
    }
}
