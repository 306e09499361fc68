//! The declarative rule engine: `rules/*.toml` → checked, compiled rules → findings.
//!
//! The knowledge of how CloudFront → ALB → target paths fail lives in rule files, one per
//! failure pattern of `patterns.md`, not in Rust. A rule names one fact kind (`fact = "hop"`), a
//! CEL condition over it (`when`), and `message` / `fix` templates that interpolate the fact's
//! fields. The files, in the order data flows through them:
//!
//! - [`load`]: finding rule files (the built-in ones are the crate's `rules/` directory,
//!   embedded by `build.rs`, so the registry is the directory; plus every `*.toml` of each
//!   `--rules DIR`) and every check that can fail at load: each field of `when` and each
//!   `{{placeholder}}` exists in the fact [`schema`] (generated from `src/facts.rs`), CEL
//!   ([`eval`]) compiles and gives a boolean, ids are unique and equal the file stem. Errors
//!   ([`RuleError`]) point into the file (miette spans);
//! - [`assemble`]: the facts rules read, from an Inventory ([`inventory_facts`]), reach reports
//!   (hop and origin facts) and classified logs (log buckets);
//! - `evaluate` ([`RuleSet::evaluate`]): each fact converted to a CEL value once, each condition
//!   compiled once at load; fired rules become [`Finding`]s ([`finding`]), grouped so one cause
//!   gives one finding; `missing` decides when a fact lacks what a rule needs, which is
//!   reported in [`Evaluation::not_run`] with the call that would supply it, never silently
//!   passed; `evidence` is the one line of what a fact said;
//! - [`rank`]: triage's order of findings against the log buckets that agree with them;
//! - [`testing`]: the rules' embedded `[[test]]` cases.

pub mod assemble;
pub mod change_facts;
pub mod docs;
mod error;
pub mod eval;
mod evaluate;
mod evidence;
pub mod explain;
pub mod finding;
mod fix_args;
mod hairpin_facts;
pub mod inventory_facts;
pub mod load;
pub mod log_options;
pub mod metric_facts;
mod missing;
pub mod rank;
pub mod schema;
pub mod template;
pub mod testing;
pub mod timeline;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use assemble::assemble_facts;
pub use error::RuleError;
pub use evidence::log_evidence;
pub use finding::{Evaluation, Finding, NotRun, Severity};
pub use inventory_facts::inventory_facts;
pub use load::{load_rules, load_rules_dir};
use template::Template;

/// One `[[test]]` case of a rule.
#[derive(Debug, Clone, PartialEq)]
pub struct TestCase {
    /// Optional name shown by `rules test`.
    pub name: Option<String>,
    /// A snapshot directory (relative to the crate root / current directory).
    pub snapshot: Option<String>,
    /// A log file or directory fixture.
    pub logs: Option<String>,
    /// Inline facts (JSON objects with `kind`), each the kind's defaults plus the given keys.
    pub facts: Vec<serde_json::Value>,
    /// `true` for `expect = "fires"`, `false` for `"silent"`.
    pub fires: bool,
}

/// A loaded, validated, compiled rule.
#[derive(Debug)]
pub struct Rule {
    /// Id (= file stem).
    pub id: String,
    /// One-line title.
    pub title: String,
    /// Severity.
    pub severity: Severity,
    /// Hop it concerns.
    pub hop: String,
    /// The fact kind its condition reads.
    pub kind: &'static str,
    /// The `when` condition as written.
    pub when_source: String,
    when: eval::Condition,
    near_miss: Option<eval::Condition>,
    message: Template,
    fix: Template,
    /// The `message` template as written.
    pub message_source: String,
    /// The `fix` template as written.
    pub fix_source: String,
    /// Fact fields listed as the finding's resources.
    pub resources: Vec<String>,
    /// Documentation links.
    pub references: Vec<String>,
    /// What it detects, why it gives 504s, an example, the fix, as written (`rules show`).
    pub explain: String,
    /// The same, split into its sections (checked at load: none required is missing).
    pub explain_sections: Vec<explain::Section>,
    /// Whether the rule reports a symptom (every target unhealthy) rather than a cause; symptoms
    /// rank after causes of the same severity.
    pub symptom: bool,
    /// Fact fields that may be missing (an idle timeout of -1, target health not loaded) and
    /// that the rule needs: on a fact lacking one, the rule is reported as not run.
    pub requires: Vec<String>,
    /// Log signatures (`cloudfront-read-timeout`, …) whose 5xx buckets confirm the rule's
    /// findings in triage, besides those that point at the finding's hop.
    pub agrees_with: Vec<String>,
    /// Embedded test cases.
    pub tests: Vec<TestCase>,
    /// How the file is named in messages (`rules/x.toml` for built-ins, the path otherwise).
    pub file: String,
    /// The file on disk for `--rules` rules (test paths resolve against its directory's parent
    /// and the current directory); `None` for built-ins.
    pub origin: Option<PathBuf>,
}

/// A set of rules with unique ids.
#[derive(Debug, Default)]
pub struct RuleSet {
    /// Rules in id order.
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// Checks id uniqueness and sorts by id.
    ///
    /// # Errors
    /// Two rules with the same id.
    pub fn new(mut rules: Vec<Rule>) -> Result<RuleSet, RuleError> {
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for r in &rules {
            if let Some(first) = seen.insert(&r.id, &r.file) {
                return Err(RuleError::DuplicateId {
                    id: r.id.clone(),
                    first: first.to_owned(),
                    second: r.file.clone(),
                });
            }
        }
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(RuleSet { rules })
    }

    /// The rule with this id.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Number of rules.
    #[must_use]
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether the set is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}
