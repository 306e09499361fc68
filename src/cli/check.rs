//! Arguments of `edgepath check`.

use crate::cmd::check::CheckRequest;

/// Flags of `edgepath check`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = concat!(
    "Examples:\n  edgepath check --snapshot examples/ghost-sg-reference\n  edgepath check --distribution E2EXAMPLE --format json\n  edgepath check --snapshot ./snap --allow-unknown     # exit 0 even if some hops lack data\n\n",
    exit_codes!()
))]
pub struct CheckArgs {
    /// Only paths of this distribution.
    #[arg(long, value_name = "ID")]
    pub distribution: Vec<String>,
    /// Only paths through this load balancer (name or ARN).
    #[arg(long, value_name = "NAME|ARN")]
    pub alb: Vec<String>,
    /// Map a custom origin domain to an ALB (name or ARN) when DNS names do not match.
    #[arg(long = "origin-map", value_name = "DOMAIN=ALB")]
    pub origin_map: Vec<String>,
    /// `--out FILE`.
    #[command(flatten)]
    pub out: super::ReportOut,
}

impl From<CheckArgs> for CheckRequest {
    fn from(a: CheckArgs) -> CheckRequest {
        CheckRequest {
            distributions: a.distribution,
            albs: a.alb,
            origin_map: a.origin_map,
        }
    }
}
