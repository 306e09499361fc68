//! Typed identifiers.
//!
//! AWS hands out every id as a plain string; here each kind gets its own newtype so that a
//! security-group id cannot be passed where an ENI id is expected. They serialize as the bare
//! string AWS uses, so snapshot JSON round-trips untouched.

use std::borrow::Borrow;
use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_newtype {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The id as AWS writes it.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }
        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }
        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }
        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    )*};
}

id_newtype! {
    /// `vpc-…`
    VpcId;
    /// `subnet-…`
    SubnetId;
    /// `sg-…`
    SgId;
    /// `eni-…`
    EniId;
    /// `i-…`
    InstanceId;
    /// `rtb-…`
    RouteTableId;
    /// `acl-…`
    NaclId;
    /// `igw-…`
    IgwId;
    /// `nat-…`
    NatGatewayId;
    /// `pl-…`
    PrefixListId;
    /// `vpce-…`
    VpcEndpointId;
    /// `pcx-…`
    PeeringId;
    /// ARN of a load balancer (`arn:aws:elasticloadbalancing:…:loadbalancer/app/NAME/ID`).
    LbArn;
    /// ARN of a listener.
    ListenerArn;
    /// ARN of a listener rule.
    RuleArn;
    /// ARN of a target group.
    TgArn;
    /// CloudFront distribution id (`E…`).
    DistributionId;
    /// CloudFront VPC origin id (`vo_…`).
    VpcOriginId;
}
