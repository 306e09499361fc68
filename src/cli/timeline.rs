//! Arguments of `edgepath timeline`, and the window flags `triage` shares.

use std::path::PathBuf;

use crate::cmd::timeline::TimelineRequest;
use crate::model::WindowArgs;

/// `--since` / `--from` / `--to`: the window the changes are read for.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct WindowFlags {
    /// The span before now to read changes for (90m, 6h, 2d, 1h30m). Default: 6 h before the
    /// logs' onset when logs are given, else the last 24 h.
    #[arg(long, value_name = "SPAN", conflicts_with_all = ["from", "to"])]
    pub since: Option<String>,
    /// Start of the window (RFC 3339, e.g. 2026-11-20T05:00:00Z).
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// End of the window (RFC 3339); default now.
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
}

impl From<WindowFlags> for WindowArgs {
    fn from(w: WindowFlags) -> WindowArgs {
        WindowArgs {
            since: w.since,
            from: w.from,
            to: w.to,
        }
    }
}

/// Flags of `edgepath timeline`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  edgepath timeline --snapshot examples/change-seed-story --logs examples/change-seed-story/logs\n  edgepath timeline --since 2d --snapshot ./snap\n  edgepath timeline --from 2026-11-20T05:00:00Z --to 2026-11-20T07:00:00Z --snapshot ./snap"
)]
pub struct TimelineArgs {
    /// CloudFront / ALB log files, directories or globs (they give the onset and the errors).
    #[arg(long, value_name = "FILES", num_args = 1..)]
    pub logs: Vec<PathBuf>,
    /// The window.
    #[command(flatten)]
    pub window: WindowFlags,
}

impl From<TimelineArgs> for TimelineRequest {
    fn from(a: TimelineArgs) -> TimelineRequest {
        TimelineRequest {
            logs: a.logs,
            window: a.window.into(),
        }
    }
}
