//! Arguments of `edgepath check`.

use crate::cmd::check::CheckRequest;

/// Flags of `edgepath check`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = concat!(
    "Examples:\n  edgepath check --snapshot examples/ghost-sg-reference\n  edgepath check --distribution E2EXAMPLE --format json\n  edgepath check --snapshot ./snap --allow-unknown     # exit 0 even if some hops lack data\n  edgepath check --path /api/v2/users --host www.example.com   # one request: its behavior, the listener rule that answers it\n\n",
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
    /// Follow one viewer request: the behavior CloudFront picks for this path, and the path
    /// itself through the ALB's listener rules (a pasted URL is cut to its path; the query
    /// string is ignored).
    #[arg(long, value_name = "PATH")]
    pub path: Option<String>,
    /// The viewer's Host for `--path` (an alias of the distribution, or its cloudfront.net
    /// name): only distributions answering it are followed, and where the behavior forwards
    /// Host, the listener rules see this one.
    #[arg(long, value_name = "HOST", requires = "path")]
    pub host: Option<String>,
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
            path: a.path,
            host: a.host,
        }
    }
}
