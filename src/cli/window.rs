//! The time-window flags shared by the commands that read a time axis (`--since`, `--from`,
//! `--to`); parsed and resolved by [`crate::model::TimeWindow`].

use crate::model::WindowArgs;

/// `--since 6h` or `--from T [--to T]`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct WindowFlags {
    /// How far back to read CloudTrail and CloudWatch: 90m, 6h, 2d, 1h30m (default: 6 h before
    /// the log onset when logs are given, else 24 h).
    #[arg(long, value_name = "SPAN", conflicts_with_all = ["from", "to"])]
    pub since: Option<String>,
    /// Start of the window, RFC 3339 (2026-11-20T05:00:00Z).
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// End of the window, RFC 3339 (default: now).
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
}

impl From<WindowFlags> for WindowArgs {
    fn from(f: WindowFlags) -> WindowArgs {
        WindowArgs {
            since: f.since,
            from: f.from,
            to: f.to,
        }
    }
}
