//! Arguments of `edgepath rules`.

use std::path::PathBuf;

use crate::cmd::rules::RulesRequest;

/// Flags of `edgepath rules`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  edgepath rules list\n  edgepath rules show target-sg-ghost-reference\n  edgepath rules test ./team-rules\n  edgepath rules facts\n  edgepath rules docs --out docs/rules"
)]
pub struct RulesArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: RulesAction,
}

/// `edgepath rules` subcommands.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum RulesAction {
    /// Ids, severities and titles of every rule (built-in and `--rules`).
    List,
    /// One rule's explanation, condition, fix and references.
    Show {
        /// Rule id.
        id: String,
    },
    /// Run the rules' embedded `[[test]]` cases (only DIR's rules when given).
    Test {
        /// A directory of custom rule files.
        dir: Option<PathBuf>,
    },
    /// The fact schema: kinds, fields, types and docs.
    Facts,
    /// Write one markdown page per rule (and an index) into DIR, generated from the rule files.
    Docs {
        /// Directory to write (created when missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

impl From<RulesArgs> for RulesRequest {
    fn from(a: RulesArgs) -> RulesRequest {
        match a.action {
            RulesAction::List => RulesRequest::List,
            RulesAction::Show { id } => RulesRequest::Show { id },
            RulesAction::Test { dir } => RulesRequest::Test { dir },
            RulesAction::Facts => RulesRequest::Facts,
            RulesAction::Docs { out } => RulesRequest::Docs { out },
        }
    }
}
