//! `edgepath snapshot`: collect the live account into a snapshot directory (one file per call,
//! with the parent-id keys of the snapshot format), to attach to an incident ticket or analyse
//! later with `--snapshot DIR`; or print the IAM policy live collection needs.

use std::path::{Path, PathBuf};

use miette::Result;

use super::{Globals, LiveScope, Outcome};
use crate::model::{TimeWindow, WindowArgs};

/// Where and what `edgepath snapshot` collects.
#[derive(Debug, Clone, Default)]
pub struct SnapshotRequest {
    /// Directory to write (created; must be empty unless --force).
    pub out: Option<PathBuf>,
    /// Write into a non-empty directory, replacing the snapshot files there.
    pub force: bool,
    /// Only the resources on this distribution's paths (repeatable).
    pub distribution: Vec<String>,
    /// Only the resources on this ALB's paths: name, ARN or DNS name (repeatable).
    pub alb: Vec<String>,
    /// Print the least-privilege IAM policy for live collection and exit.
    pub print_iam_policy: bool,
    /// `--since` / `--from` / `--to`: also collect CloudTrail events and CloudWatch metrics
    /// over this window (none given: the last 24 h).
    pub window: WindowArgs,
}

/// Runs `edgepath snapshot`.
///
/// # Errors
/// The output directory is not empty (without `--force`) or cannot be written; collection failed.
pub fn run(g: &Globals, a: &SnapshotRequest) -> Result<Outcome> {
    if a.print_iam_policy {
        let policy = serde_json::to_string_pretty(&crate::source::iam_policy())
            .map_err(|e| miette::miette!("{e}"))?;
        println!("{policy}");
        return Ok(Outcome::Clean);
    }
    let Some(out) = &a.out else {
        return Err(miette::miette!("--out DIR is required"));
    };
    check_out_dir(out, a.force)?;
    if g.snapshot.is_some() {
        return Err(miette::miette!(
            help = "copy the directory instead; `snapshot` reads the live account",
            "`edgepath snapshot` collects live; --snapshot makes no sense here"
        ));
    }
    // A snapshot is the evidence of an incident: it carries the last 24 h of changes and
    // metrics unless a window is given.
    let window = TimeWindow::resolve(&a.window, None, chrono::Utc::now())
        .map_err(|e| miette::miette!("{e}"))?;
    let scope = LiveScope {
        distributions: a.distribution.clone(),
        albs: a.alb.clone(),
        timeline: Some(window),
    };
    collect_and_write(g, &scope, out)
}

#[cfg(feature = "live")]
fn collect_and_write(g: &Globals, scope: &LiveScope, out: &Path) -> Result<Outcome> {
    let loaded = super::load_inventory(g, scope)?;
    let written = crate::source::snapshot::write_snapshot(&loaded.inventory, out)?;
    if !g.quiet {
        let resources: usize = crate::model::Kind::ALL
            .iter()
            .map(|k| loaded.inventory.count(*k))
            .sum();
        eprintln!(
            "wrote {} files ({resources} resources) to {} from {}",
            written.len(),
            out.display(),
            loaded.source
        );
        if let Some(c) = loaded.collection {
            eprintln!(
                "{} AWS calls ({} requests), {} retried, {} failed",
                c.calls, c.requests, c.retries, c.failed
            );
        }
        if !loaded.inventory.unavailable.is_empty() {
            eprintln!(
                "{} kinds could not be collected; they are recorded in the snapshot as unavailable (see `edgepath inventory --snapshot {}`)",
                loaded.inventory.unavailable.len(),
                out.display()
            );
        }
    }
    Ok(Outcome::Clean)
}

#[cfg(not(feature = "live"))]
fn collect_and_write(g: &Globals, scope: &LiveScope, _out: &Path) -> Result<Outcome> {
    super::load_inventory(g, scope).map(|_| Outcome::Clean)
}

/// Refuses to mix a new snapshot into a directory holding other files.
fn check_out_dir(out: &Path, force: bool) -> Result<()> {
    match std::fs::read_dir(out) {
        Ok(mut entries) => {
            if entries.next().is_some() && !force {
                return Err(miette::miette!(
                    help = "choose a new directory, or pass --force to replace the snapshot files in it",
                    "{} is not empty",
                    out.display()
                ));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => Err(miette::miette!(
            "{} exists and is not a directory",
            out.display()
        )),
        Err(e) => Err(miette::miette!("cannot read {}: {e}", out.display())),
    }
}
