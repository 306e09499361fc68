//! Arguments of `edgepath snapshot`.

use std::path::PathBuf;

use super::window::WindowFlags;
use crate::cmd::snapshot::SnapshotRequest;

const EXAMPLES: &str = "\
Examples:
  edgepath snapshot --out ./snap                          # the CloudFront → ALB paths of the account
  edgepath snapshot --out ./snap --distribution E2ABC     # only what that distribution's paths need
  edgepath snapshot --out ./snap --alb web-alb --region eu-west-1
  edgepath snapshot --out ./snap --since 6h               # with CloudTrail changes and CloudWatch metrics
  edgepath snapshot --print-iam-policy > edgepath-policy.json
  edgepath check --snapshot ./snap                        # later, offline";

/// Flags of `edgepath snapshot`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct SnapshotArgs {
    /// Directory to write (created; must be empty unless --force).
    #[arg(long, value_name = "DIR", required_unless_present = "print_iam_policy")]
    pub out: Option<PathBuf>,
    /// Write into a non-empty directory, replacing the snapshot files there.
    #[arg(long)]
    pub force: bool,
    /// Only the resources on this distribution's paths (repeatable).
    #[arg(long, value_name = "ID")]
    pub distribution: Vec<String>,
    /// Only the resources on this ALB's paths: name, ARN or DNS name (repeatable).
    #[arg(long, value_name = "ALB")]
    pub alb: Vec<String>,
    /// Print the least-privilege IAM policy for live collection and exit.
    #[arg(long)]
    pub print_iam_policy: bool,
    /// Also save CloudTrail events and CloudWatch metrics of the paths over this window.
    #[command(flatten)]
    pub window: WindowFlags,
}

impl From<SnapshotArgs> for SnapshotRequest {
    fn from(a: SnapshotArgs) -> SnapshotRequest {
        SnapshotRequest {
            out: a.out,
            force: a.force,
            distribution: a.distribution,
            alb: a.alb,
            print_iam_policy: a.print_iam_policy,
            window: a.window.into(),
        }
    }
}
