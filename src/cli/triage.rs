//! Arguments of `edgepath triage`.

use std::path::PathBuf;

use crate::cmd::triage::TriageRequest;

/// Flags of `edgepath triage`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = concat!(
    "Examples:\n  edgepath triage --logs ./cf-logs/ --snapshot ./snap\n  edgepath triage --snapshot examples/ghost-sg-reference --format markdown\n\n",
    exit_codes!()
))]
pub struct TriageArgs {
    /// CloudFront / ALB / flow log files, directories, globs or s3://bucket/prefix/ (with
    /// --since/--from/--to, only the objects of the window are read).
    #[arg(long, value_name = "FILES", num_args = 1..)]
    pub logs: Vec<PathBuf>,
    /// The timeline's window.
    #[command(flatten)]
    pub window: super::timeline::WindowFlags,
    /// `--out FILE`.
    #[command(flatten)]
    pub out: super::ReportOut,
}

impl From<TriageArgs> for TriageRequest {
    fn from(a: TriageArgs) -> TriageRequest {
        TriageRequest {
            logs: a.logs,
            window: a.window.into(),
        }
    }
}
