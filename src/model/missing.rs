//! Data missing from the Inventory, and the AWS call that would supply it.
//!
//! Every `unknown` verdict names what is missing and how to get it: for a snapshot, the AWS CLI
//! call whose output to add; for a live run that was refused (AccessDenied), the recorded reason
//! and the IAM action to grant. [`Missing`] holds that answer as data and prints the sentence
//! once; [`Inventory::missing_for`](super::Inventory::missing_for) and its siblings build it,
//! narrowed to one resource when the evaluator knows which (`--group-ids sg-…`).

use std::borrow::Cow;
use std::fmt;

use super::ids::{PrefixListId, SgId};
use super::inventory::{Inventory, Kind};

/// Why some data is not in the Inventory, with the call that supplies it.
///
/// Displays as `not in the snapshot; add the output of `aws ec2 describe-network-acls``, or,
/// when collection was refused, `AccessDenied … (needs ec2:DescribeNetworkAcls)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// The source tried and failed (e.g. AccessDenied).
    Unavailable {
        /// The recorded failure.
        reason: String,
        /// The IAM action that would allow the call.
        iam_action: &'static str,
        /// The call, when it differs from the one of the kind (shown after the action);
        /// `None` names only the action.
        cli: Option<String>,
    },
    /// The source did not include it.
    NotLoaded {
        /// Where it was looked for: `the snapshot`, `the loaded security groups`.
        place: &'static str,
        /// The AWS CLI call whose output supplies it.
        cli: Cow<'static, str>,
        /// What to add besides the call's output (`(plus a top-level … key)`), or `None`.
        extra: Option<String>,
    },
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Missing::Unavailable {
                reason,
                iam_action,
                cli: None,
            } => write!(f, "{reason} (needs {iam_action})"),
            Missing::Unavailable {
                reason,
                iam_action,
                cli: Some(cli),
            } => write!(f, "{reason} (needs {iam_action} for `{cli}`)"),
            Missing::NotLoaded { place, cli, extra } => {
                write!(f, "not in {place}; add the output of `{cli}`")?;
                match extra {
                    Some(extra) => write!(f, " {extra}"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl Inventory {
    /// Why `kind` is missing: the recorded failure and its IAM action, or the CLI call that
    /// supplies it.
    #[must_use]
    pub fn missing_for(&self, kind: Kind) -> Missing {
        match self.unavailable.get(&kind) {
            Some(reason) => Missing::Unavailable {
                reason: reason.clone(),
                iam_action: kind.iam_action(),
                cli: None,
            },
            None => Missing::NotLoaded {
                place: "the snapshot",
                cli: Cow::Borrowed(kind.cli()),
                extra: None,
            },
        }
    }

    /// Why the entries of prefix list `id` are missing.
    #[must_use]
    pub fn missing_prefix_list_entries(&self, id: &PrefixListId) -> Missing {
        match self.missing_for(Kind::PrefixListEntries) {
            Missing::NotLoaded { place, .. } => Missing::NotLoaded {
                place,
                cli: Cow::Owned(format!(
                    "aws ec2 get-managed-prefix-list-entries --prefix-list-id {id}"
                )),
                extra: Some(format!("(plus a top-level \"PrefixListId\": \"{id}\" key)")),
            },
            unavailable => unavailable,
        }
    }

    /// Why security group `id` is missing when other groups were loaded.
    #[must_use]
    pub fn missing_security_group(&self, id: &SgId) -> Missing {
        match self.missing_for(Kind::SecurityGroups) {
            Missing::NotLoaded { .. } => Missing::NotLoaded {
                place: "the loaded security groups",
                cli: Cow::Owned(format!("aws ec2 describe-security-groups --group-ids {id}")),
                extra: None,
            },
            unavailable => unavailable,
        }
    }

    /// Why the endpoint config (ports, protocol policy) of VPC origin `id` is missing: only
    /// `get-vpc-origin` returns it, not `list-vpc-origins`.
    #[must_use]
    pub fn missing_vpc_origin_config(&self, id: &str) -> Missing {
        let cli = format!("aws cloudfront get-vpc-origin --id {id}");
        match self.unavailable.get(&Kind::VpcOrigins) {
            Some(reason) => Missing::Unavailable {
                reason: reason.clone(),
                iam_action: "cloudfront:GetVpcOrigin",
                cli: Some(cli),
            },
            None => Missing::NotLoaded {
                place: "the snapshot",
                cli: Cow::Owned(cli),
                extra: None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_data_names_the_call_or_the_refused_permission() {
        let mut inv = Inventory::default();
        assert_eq!(
            inv.missing_for(Kind::NetworkAcls).to_string(),
            "not in the snapshot; add the output of `aws ec2 describe-network-acls`"
        );
        assert_eq!(
            inv.missing_prefix_list_entries(&PrefixListId::from("pl-1"))
                .to_string(),
            "not in the snapshot; add the output of `aws ec2 get-managed-prefix-list-entries --prefix-list-id pl-1` (plus a top-level \"PrefixListId\": \"pl-1\" key)"
        );
        inv.unavailable
            .insert(Kind::SecurityGroups, "AccessDenied".to_owned());
        assert_eq!(
            inv.missing_security_group(&SgId::from("sg-1")).to_string(),
            "AccessDenied (needs ec2:DescribeSecurityGroups)"
        );
        inv.unavailable
            .insert(Kind::VpcOrigins, "AccessDenied".to_owned());
        assert_eq!(
            inv.missing_vpc_origin_config("vo-1").to_string(),
            "AccessDenied (needs cloudfront:GetVpcOrigin for `aws cloudfront get-vpc-origin --id vo-1`)"
        );
    }
}
