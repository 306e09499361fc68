//! The facts rules read, assembled in one place from what the evaluators produced.
//!
//! Rules never look at the Inventory, a reach report or log records themselves: they read flat
//! facts. This is the one function that gathers them, so `check`, `triage`, `what-if` and the
//! rules' own `[[test]]` cases hand a rule exactly the same facts for the same input:
//!
//! - the classified log buckets (`log_bucket` facts, from `logs::bucket_facts`);
//! - the Inventory's own facts ([`inventory_facts`]: load balancers, target groups, security
//!   group quotas, VPC origins);
//! - for each reach report, one `hop` fact per hop of every path and one `origin` fact per
//!   origin (`reach::hop_facts`).
//!
//! The order (logs, Inventory, hops) does not change any finding: a rule reads one fact kind.

use super::inventory_facts;
use crate::facts::{Fact, LogBucketFact};
use crate::model::Inventory;
use crate::reach::{ReachReport, hop_facts};

/// The facts of an Inventory (if one was loaded), the reach reports evaluated over it (none,
/// one, or one per what-if variant) and the classified log buckets (empty without logs).
#[must_use]
pub fn assemble_facts(
    inventory: Option<&Inventory>,
    reach: &[ReachReport],
    log_buckets: &[LogBucketFact],
) -> Vec<Fact> {
    let mut facts: Vec<Fact> = log_buckets.iter().cloned().map(Fact::LogBucket).collect();
    if let Some(inv) = inventory {
        facts.extend(inventory_facts(inv));
    }
    for report in reach {
        facts.extend(hop_facts(report));
    }
    facts
}
