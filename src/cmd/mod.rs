//! One module per subcommand: load the inputs, call the evaluators, build the report, render it.
//! Glue only; decisions live in `reach`, `logs`, `rules`, `blockers` and `whatif`, layout in
//! `report`.
//!
//! `cmd` knows nothing of clap: `cli` turns the parsed arguments into a [`Request`] (the global
//! [`Globals`] and one plain request struct per subcommand).

pub mod athena;
pub mod blockers;
pub mod check;
pub mod inventory;
pub mod logs;
mod logs_s3;
pub mod rules;
pub mod snapshot;
pub mod timeline;
pub mod triage;
pub mod whatif;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use miette::{IntoDiagnostic, Result};

use crate::model::{Inventory, Kind};
use crate::report::style::{Style, init_miette};
use crate::report::{Format, Report, render};
use crate::source::snapshot::{SnapshotWarning, load_snapshot};

/// A command to run: the global options and the subcommand's request.
#[derive(Debug, Clone)]
pub struct Request {
    /// Options every subcommand takes.
    pub globals: Globals,
    /// The subcommand.
    pub command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, Clone, Default)]
pub struct Globals {
    /// Read this snapshot directory instead of the live account.
    pub snapshot: Option<PathBuf>,
    /// AWS profile for live reads.
    pub profile: Option<String>,
    /// AWS regions for live reads, in addition to those of the ALBs the origins point at.
    pub region: Vec<String>,
    /// Output format.
    pub format: Format,
    /// Write the report to this file instead of stdout (`--out FILE` of check, triage,
    /// what-if and blockers).
    pub out: Option<PathBuf>,
    /// Rule directories added to the built-in rules.
    pub rules_dirs: Vec<PathBuf>,
    /// No colour, whatever the terminal.
    pub no_color: bool,
    /// More detail on stderr (0, 1, 2).
    pub verbose: u8,
    /// Only the result: no progress, no warnings.
    pub quiet: bool,
    /// Exit 0 instead of 3 when nothing is broken but some hops could not be checked.
    pub allow_unknown: bool,
}

/// The subcommands, each with its request.
#[derive(Debug, Clone)]
pub enum Command {
    /// `edgepath check`.
    Check(check::CheckRequest),
    /// `edgepath logs`.
    Logs(logs::LogsRequest),
    /// `edgepath triage`.
    Triage(triage::TriageRequest),
    /// `edgepath timeline`.
    Timeline(timeline::TimelineRequest),
    /// `edgepath what-if`.
    WhatIf(whatif::WhatIfRequest),
    /// `edgepath blockers`.
    Blockers(blockers::BlockersRequest),
    /// `edgepath snapshot`.
    Snapshot(snapshot::SnapshotRequest),
    /// `edgepath rules`.
    Rules(rules::RulesRequest),
    /// `edgepath inventory`.
    Inventory,
}

/// How a command ended (errors are `Err`, exit 2). The exit codes are documented in README
/// ("Exit codes") and in `--help`:
///
/// | code | meaning |
/// |---|---|
/// | 0 | nothing broken (and, for `check`, `triage`, `what-if`, every hop checked) |
/// | 1 | broken: a critical finding, a blocked or partial path, a path a change breaks, a blocker |
/// | 2 | usage or input error |
/// | 3 | incomplete: nothing broken in what could be checked, but some hops are `unknown` |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing wrong: exit 0.
    Clean,
    /// A critical finding, a blocked path, a broken path or a blocker: exit 1.
    Problems,
    /// Nothing wrong in what could be checked, but some hops could not be (missing data or a
    /// denied read): exit 3, so a CI gate never takes "did not look" for "all clear".
    Incomplete,
}

impl Outcome {
    /// The process exit code.
    #[must_use]
    pub fn exit_code(self) -> ExitCode {
        ExitCode::from(self.code())
    }

    /// The exit code as a number: 0, 1 or 3 (2 is for errors).
    #[must_use]
    pub fn code(self) -> u8 {
        match self {
            Outcome::Clean => 0,
            Outcome::Problems => 1,
            Outcome::Incomplete => 3,
        }
    }

    /// `Problems` when `bad` holds.
    #[must_use]
    pub fn from_problems(bad: bool) -> Outcome {
        if bad {
            Outcome::Problems
        } else {
            Outcome::Clean
        }
    }

    /// `Problems` when `bad` holds, else `Incomplete` when some hop could not be checked
    /// (`unknown`) and `--allow-unknown` was not given, else `Clean`.
    #[must_use]
    pub fn from_checks(bad: bool, unknown: bool, allow_unknown: bool) -> Outcome {
        if bad {
            Outcome::Problems
        } else if unknown && !allow_unknown {
            Outcome::Incomplete
        } else {
            Outcome::Clean
        }
    }
}

/// Runs the parsed command, writing its report to stdout.
///
/// # Errors
/// Usage or input errors (exit 2), rendered by `main` with miette.
pub fn run(request: &Request) -> Result<Outcome> {
    let g = &request.globals;
    match &request.command {
        Command::Check(a) => check::run(g, a),
        Command::Logs(a) => logs::run(g, a),
        Command::Triage(a) => triage::run(g, a),
        Command::Timeline(a) => timeline::run(g, a),
        Command::WhatIf(a) => whatif::run(g, a),
        Command::Blockers(a) => blockers::run(g, a),
        Command::Snapshot(a) => snapshot::run(g, a),
        Command::Rules(a) => rules::run(g, a),
        Command::Inventory => inventory::run(g),
    }
}

/// Installs the error handler `main` prints errors with (colour decided like text output).
pub fn install_error_handler(g: &Globals) {
    init_miette(g.no_color);
}

/// Whether an error is a closed stdout (`edgepath check | head`), which is a normal end.
#[must_use]
pub fn is_broken_pipe(err: &miette::Report) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Renders a report to stdout (or `--out FILE`) in the format the user asked for.
///
/// # Errors
/// Writing to stdout or creating / writing the file failed.
pub fn emit(g: &Globals, report: &Report<'_>) -> Result<()> {
    if let Some(path) = &g.out {
        let file = std::fs::File::create(path).map_err(|e| {
            miette::miette!("cannot create the report file {}: {e}", path.display())
        })?;
        let mut out = io::BufWriter::new(file);
        render(report, g.format, &Style::plain(), &mut out)
            .and_then(|()| out.flush())
            .map_err(|e| miette::miette!("cannot write the report file {}: {e}", path.display()))?;
        return Ok(());
    }
    let style = Style::for_stdout(g.no_color);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    render(report, g.format, &style, &mut out).into_diagnostic()?;
    out.flush().into_diagnostic()
}

/// Prints a warning on stderr unless `-q`.
pub fn warn(g: &Globals, message: &str) {
    if !g.quiet {
        let style = Style::for_stderr(g.no_color);
        eprintln!("{} {message}", style.yellow("warning:"));
    }
}

/// Where an Inventory came from.
#[derive(Debug, Clone)]
pub struct LoadedInventory {
    /// The account.
    pub inventory: Inventory,
    /// Loader warnings.
    pub warnings: Vec<SnapshotWarning>,
    /// `snapshot DIR` or `live (profile, regions)`.
    pub source: String,
    /// What a live collection cost (calls, retries, failures); `None` for a snapshot.
    pub collection: Option<crate::source::CollectionStats>,
}

impl LoadedInventory {
    /// The loader's warnings as text, for the reports' `warnings` key (kept with `-q`, which
    /// only silences stderr).
    #[must_use]
    pub fn warning_texts(&self) -> Vec<String> {
        self.warnings.iter().map(ToString::to_string).collect()
    }
}

/// Loads the Inventory from `--snapshot`, or live when no snapshot is given.
///
/// # Errors
/// Snapshot errors (file:line:col), or live collection failing as a whole.
pub fn load_inventory(g: &Globals, scope: &LiveScope) -> Result<LoadedInventory> {
    if let Some(dir) = &g.snapshot {
        let loaded = load_snapshot(dir)?;
        for w in &loaded.warnings {
            warn(g, &w.to_string());
        }
        return Ok(LoadedInventory {
            inventory: loaded.inventory,
            warnings: loaded.warnings,
            source: format!("snapshot {}", dir.display()),
            collection: None,
        });
    }
    load_live(g, scope)
}

/// What is missing for CloudFront paths to be evaluated at all: one line per kind with the call
/// that supplies it (empty when distributions were loaded).
#[must_use]
pub fn missing_cloudfront_data(inv: &Inventory) -> Vec<String> {
    if inv.has(Kind::Distributions) {
        return Vec::new();
    }
    let mut missing = vec![format!(
        "distributions: {}",
        inv.missing_reason(Kind::Distributions)
    )];
    if !inv.has(Kind::VpcOrigins) {
        missing.push(format!(
            "vpc_origins (for VPC origins): {}",
            inv.missing_reason(Kind::VpcOrigins)
        ));
    }
    missing
}

/// The error for data without CloudFront distributions: no path can be evaluated, so "no
/// paths found" would read as "nothing wrong" (exit 2 instead, naming the missing calls).
///
/// # Errors
/// Distributions were not loaded (no `DistributionList` / `Distribution` file, or the call was
/// denied live).
pub fn require_cloudfront_data(loaded: &LoadedInventory) -> Result<()> {
    let missing = missing_cloudfront_data(&loaded.inventory);
    if missing.is_empty() {
        return Ok(());
    }
    Err(miette::miette!(
        help = format!(
            "{}\n(examples/collect.sh collects them; `edgepath inventory` lists everything a snapshot lacks)",
            missing.join("\n")
        ),
        "{} has no CloudFront data: no CloudFront → ALB path could be evaluated",
        loaded.source
    ))
}

pub use crate::source::LiveScope;

/// Collects the Inventory live for a command: maps the global options to the collector's, and
/// warns about every kind that could not be collected.
///
/// # Errors
/// Every call failed (no credentials, no network), or the async runtime could not start.
#[cfg(feature = "live")]
fn load_live(g: &Globals, scope: &LiveScope) -> Result<LoadedInventory> {
    use crate::source::live::{CollectOptions, collect};
    let options = CollectOptions {
        profile: g.profile.clone(),
        regions: g.region.clone(),
        scope: scope.clone(),
        progress: !g.quiet,
        timeline: scope.timeline,
    };
    let collected = collect(&options)?;
    let source = format!(
        "live ({}regions {})",
        options
            .profile
            .as_ref()
            .map(|p| format!("profile {p}, "))
            .unwrap_or_default(),
        collected.regions.join(", ")
    );
    for (kind, reason) in &collected.inventory.unavailable {
        warn(
            g,
            &format!(
                "could not collect {kind}: {reason} (needs {}); the hops that need it are unknown",
                kind.iam_action()
            ),
        );
    }
    Ok(LoadedInventory {
        inventory: collected.inventory,
        warnings: Vec::new(),
        source,
        collection: Some(collected.stats),
    })
}

#[cfg(not(feature = "live"))]
fn load_live(_g: &Globals, _scope: &LiveScope) -> Result<LoadedInventory> {
    Err(miette::miette!(
        help = "pass --snapshot DIR (examples/collect.sh writes one with the AWS CLI), or rebuild with the default `live` feature",
        "this edgepath was built without live AWS support"
    ))
}
