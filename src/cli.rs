//! Command-line arguments (clap derive). Each subcommand's own flags live beside its code in
//! `cmd/<name>.rs`; this file holds the global flags and the list of subcommands.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::cmd;

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
(read-only: only Describe/List/Get calls). Exit codes: 0 nothing wrong, 1 critical finding or
broken path, 2 usage or input error.";

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
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate every CloudFront → ALB → target path, hop by hop, and run the rules.
    Check(cmd::check::CheckArgs),
    /// Read CloudFront / ALB access logs and VPC flow logs and classify the 5xx.
    Logs(cmd::logs::LogsArgs),
    /// check + logs + rules: the likely causes, ranked, with the fix.
    Triage(cmd::triage::TriageArgs),
    /// Simulate security-group / NACL / target-group / origin changes and show the paths that break.
    #[command(name = "what-if")]
    WhatIf(cmd::whatif::WhatIfArgs),
    /// Why can't this SG / ENI / VPC endpoint / subnet / VPC be deleted, and in which order to tear down.
    Blockers(cmd::blockers::BlockersArgs),
    /// Collect the live account into a snapshot directory.
    Snapshot(cmd::snapshot::SnapshotArgs),
    /// List, show and test the rules.
    Rules(cmd::rules::RulesArgs),
    /// What a snapshot (or the live account) holds, and which checks lack data.
    Inventory(cmd::inventory::InventoryArgs),
}
