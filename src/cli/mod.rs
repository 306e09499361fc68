//! Command-line arguments: the only code that knows clap. One file per subcommand's flags; this
//! file holds the global options, the list of subcommands and the conversion of the parsed
//! arguments into `cmd`'s plain [`Request`](crate::cmd::Request). `completions` and `man` are
//! answered here, from the same clap definitions (`generate`).

/// The exit codes of `check`, `triage` and `what-if`, for their `--help` (a macro so that
/// `concat!` can join it to each command's examples).
macro_rules! exit_codes {
    () => {
        "Exit codes:
  0  nothing broken, and every hop checked
  1  broken: a critical finding, a blocked or partial path, a path that a change breaks
  2  usage or input error
  3  incomplete: nothing broken in what could be checked, but some hops could not be checked
     (data missing or a read denied); --allow-unknown exits 0 instead"
    };
}

mod athena;
mod blockers;
mod check;
mod generate;
mod inventory;
mod logs;
mod rules;
mod snapshot;
mod timeline;
mod triage;
mod whatif;
mod window;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

pub use blockers::BlockersArgs;
pub use check::CheckArgs;
pub use generate::{render_completions, render_man, write_man_pages};
pub use inventory::InventoryArgs;
pub use logs::LogsArgs;
pub use rules::{RulesAction, RulesArgs};
pub use snapshot::SnapshotArgs;
pub use timeline::{TimelineArgs, WindowFlags};
pub use triage::TriageArgs;
pub use whatif::WhatIfArgs;

use crate::cmd;
use crate::report;

const ABOUT: &str = "Why does CloudFront return 504? Follows CloudFront → ALB → targets through \
prefix lists, security groups, NACLs, routes, listeners and target health; classifies the 5xx \
in CloudFront/ALB logs; and shows which paths a security-group change would break.";

const EXAMPLES: &str = "\
Examples:
  edgepath triage --logs ./cf-logs/ --snapshot ./snap     # 3 a.m.: what is wrong, ranked, with the fix
  edgepath check --snapshot examples/ghost-sg-reference   # every path, every hop, with evidence
  edgepath logs ./cf-logs/*.gz                            # classify the 504s
  edgepath what-if --detach-sg sg-0old --from web-alb     # what breaks before you change it
  edgepath blockers vpc-0abc123                           # why can't I delete this VPC?
  edgepath snapshot --out ./snap                          # save the account for offline use

Without --snapshot, commands read the account live with your usual AWS credentials
(read-only: only Describe/List/Get calls).

Exit codes:
  0  nothing broken
  1  broken: a critical finding, a blocked or partial path, a path a change breaks, a blocker
  2  usage or input error
  3  incomplete (check, triage, what-if): nothing broken in what could be checked, but some
     hops are unknown (data missing or a read denied); --allow-unknown turns this into 0";

/// edgepath command line.
#[derive(Debug, Parser)]
#[command(name = "edgepath", version, about = ABOUT, after_help = EXAMPLES, propagate_version = true)]
pub struct Args {
    /// Flags every subcommand takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// Flags shared by every subcommand.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Read this snapshot directory (AWS CLI JSON) instead of the live account.
    #[arg(long, global = true, value_name = "DIR", env = "EDGEPATH_SNAPSHOT")]
    pub snapshot: Option<PathBuf>,
    /// AWS profile for live reads.
    #[arg(long, global = true, value_name = "PROFILE")]
    pub profile: Option<String>,
    /// AWS region(s) for live reads, in addition to the regions of the ALBs the origins point at.
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Vec<String>,
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Add the rule files of this directory to the built-in rules.
    #[arg(long = "rules", global = true, value_name = "DIR")]
    pub rules_dirs: Vec<PathBuf>,
    /// No colour in text output (also when NO_COLOR is set or stdout is not a terminal).
    #[arg(long, global = true)]
    pub no_color: bool,
    /// More detail on stderr (-v, -vv).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only the result: no progress, no warnings on stderr.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// check, triage, what-if: exit 0 instead of 3 when nothing is broken but some hops could
    /// not be checked (data missing or a read denied).
    #[arg(long, global = true)]
    pub allow_unknown: bool,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people, in a terminal.
    Text,
    /// For machines; stable keys (see README, "JSON output").
    Json,
    /// For pasting into an incident channel or ticket.
    Markdown,
    /// One self-contained HTML page (triage, check, what-if, blockers; best with --out FILE).
    Html,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate every CloudFront → ALB → target path, hop by hop, and run the rules.
    Check(CheckArgs),
    /// Read CloudFront / ALB access logs and VPC flow logs and classify the 5xx.
    Logs(LogsArgs),
    /// check + logs + rules: the likely causes, ranked, with the fix.
    Triage(TriageArgs),
    /// What changed (CloudTrail) before the errors began (logs), in time order, linked to the findings.
    Timeline(TimelineArgs),
    /// Simulate security-group / NACL / target-group / origin changes and show the paths that break.
    #[command(name = "what-if")]
    WhatIf(WhatIfArgs),
    /// Why can't this SG / ENI / VPC endpoint / subnet / VPC be deleted, and in which order to tear down.
    Blockers(BlockersArgs),
    /// Collect the live account into a snapshot directory.
    Snapshot(SnapshotArgs),
    /// List, show and test the rules.
    Rules(RulesArgs),
    /// What a snapshot (or the live account) holds, and which checks lack data.
    Inventory(InventoryArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Examples:\n  edgepath completions bash > /etc/bash_completion.d/edgepath\n  edgepath completions zsh > \"${fpath[1]}/_edgepath\"\n  edgepath completions fish > ~/.config/fish/completions/edgepath.fish"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write one page per subcommand into a directory.
    #[command(after_help = "Examples:\n  edgepath man | man -l -\n  edgepath man --out ./man")]
    Man {
        /// Write `edgepath.1` and one `edgepath-<subcommand>.1` per subcommand here.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

impl From<Format> for report::Format {
    fn from(f: Format) -> report::Format {
        match f {
            Format::Text => report::Format::Text,
            Format::Json => report::Format::Json,
            Format::Markdown => report::Format::Markdown,
            Format::Html => report::Format::Html,
        }
    }
}

/// `--out FILE` of the commands whose report is worth a file (check, triage, what-if,
/// blockers; `--format html` writes one page).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ReportOut {
    /// Write the report to FILE instead of stdout (e.g. `--format html --out report.html`).
    #[arg(long = "out", value_name = "FILE")]
    pub file: Option<PathBuf>,
}

impl From<GlobalArgs> for cmd::Globals {
    fn from(g: GlobalArgs) -> cmd::Globals {
        cmd::Globals {
            out: None,
            snapshot: g.snapshot,
            profile: g.profile,
            region: g.region,
            format: g.format.into(),
            rules_dirs: g.rules_dirs,
            no_color: g.no_color,
            verbose: g.verbose,
            quiet: g.quiet,
            allow_unknown: g.allow_unknown,
        }
    }
}

/// What the parsed command line asks for: a command to run, or output about the command line
/// itself (completions, man pages).
#[derive(Debug)]
pub enum Action {
    /// Run a command.
    Run(cmd::Request),
    /// Print a completion script for this shell.
    Completions(clap_complete::Shell),
    /// Print the man page, or write one per subcommand into the directory.
    Man(Option<PathBuf>),
}

impl Args {
    /// What the arguments ask for.
    #[must_use]
    pub fn into_action(self) -> Action {
        let out = match &self.command {
            Command::Check(a) => a.out.file.clone(),
            Command::Triage(a) => a.out.file.clone(),
            Command::WhatIf(a) => a.out.file.clone(),
            Command::Blockers(a) => a.out.file.clone(),
            _ => None,
        };
        let command = match self.command {
            Command::Check(a) => cmd::Command::Check(a.into()),
            Command::Logs(a) => cmd::Command::Logs(a.into()),
            Command::Triage(a) => cmd::Command::Triage(a.into()),
            Command::Timeline(a) => cmd::Command::Timeline(a.into()),
            Command::WhatIf(a) => cmd::Command::WhatIf(a.into()),
            Command::Blockers(a) => cmd::Command::Blockers(a.into()),
            Command::Snapshot(a) => cmd::Command::Snapshot(a.into()),
            Command::Rules(a) => cmd::Command::Rules(a.into()),
            Command::Inventory(InventoryArgs {}) => cmd::Command::Inventory,
            Command::Completions { shell } => return Action::Completions(shell),
            Command::Man { out } => return Action::Man(out),
        };
        let mut globals: cmd::Globals = self.global.into();
        globals.out = out;
        Action::Run(cmd::Request { globals, command })
    }
}

/// Runs what the command line asks for, writing to stdout.
///
/// # Errors
/// The command's usage or input errors (exit 2); writing completions or man pages failed.
pub fn run(args: Args) -> miette::Result<cmd::Outcome> {
    let no_color = args.global.no_color;
    match args.into_action() {
        Action::Run(request) => {
            cmd::install_error_handler(&request.globals);
            cmd::run(&request)
        }
        Action::Completions(shell) => {
            cmd::install_error_handler(&cmd::Globals {
                no_color,
                ..cmd::Globals::default()
            });
            let mut out = std::io::stdout().lock();
            render_completions(shell, &mut out)
                .map_err(|e| miette::miette!("cannot write the completion script: {e}"))?;
            Ok(cmd::Outcome::Clean)
        }
        Action::Man(dir) => {
            cmd::install_error_handler(&cmd::Globals {
                no_color,
                ..cmd::Globals::default()
            });
            match dir {
                Some(dir) => write_man_pages(&dir).map_err(|e| {
                    miette::miette!("cannot write man pages to {}: {e}", dir.display())
                })?,
                None => render_man(&mut std::io::stdout().lock())
                    .map_err(|e| miette::miette!("cannot write the man page: {e}"))?,
            }
            Ok(cmd::Outcome::Clean)
        }
    }
}
