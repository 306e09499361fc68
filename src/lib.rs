//! edgepath: why does CloudFront return 504 on the path CloudFront → ALB → targets, and which
//! paths will a security-group change break?
//!
//! The crate is a library with a thin binary (`src/main.rs`), so scenario tests, benchmarks and
//! fuzz targets call the same code as the CLI. Data flows one way:
//!
//! ```text
//! source (snapshot dir | live SDK) → model::Inventory → reach (paths, verdicts, evidence)
//! logs (CloudFront / ALB / flow logs) → classified buckets
//! reach + logs → rules (declarative TOML, CEL) → findings → report (text | json | markdown)
//! blockers, whatif: pure functions of an Inventory, like reach
//! ```
//!
//! | module | decides |
//! |---|---|
//! | [`model`] | the typed account: AWS CLI JSON shapes, ids, indexes |
//! | [`source`] | snapshot directories ⇄ Inventory; the live collector (feature `live`) |
//! | [`reach`] | every CloudFront behavior → ALB → target path, each hop's verdict and evidence |
//! | [`logs`] | readers for CloudFront/ALB/flow logs and the 5xx classifier |
//! | [`facts`] | the typed evidence rules read (the one fact schema) |
//! | [`rules`] | rule files, fact schema, CEL evaluation, findings |
//! | [`blockers`] | why a resource cannot be deleted, and the teardown order |
//! | [`whatif`] | proposed changes applied to a copy, verdicts diffed |
//! | [`report`] | rendering of each command's report as text, JSON or Markdown |
//! | [`cmd`] | one function per subcommand: load → evaluate → report |

pub mod blockers;
pub mod cli;
pub mod cmd;
pub mod facts;
pub mod logs;
pub mod model;
pub mod reach;
pub mod report;
pub mod rules;
pub mod source;
#[doc(hidden)]
pub mod synth;
pub mod whatif;
