//! The evidence accumulator of one hop ([`HopAcc`]): every check a hop makes lands here as a
//! verdict, a piece of [`Evidence`] and the matching fields of the hop's fact.
//!
//! Every failed check is recorded (all reason codes, not only the first), and missing data
//! makes the hop `unknown`, never `allowed`: the combined verdict is [`Verdict::combine`] of
//! everything recorded. The hop modules (`cloudfront_hop`, `alb_target_hop`, `health`) decide
//! what to record; this module only keeps the evidence and the fact in step.

use std::borrow::Borrow;
use std::fmt::Display;

use super::nacl::NaclDeny;
use super::{Evidence, Hop, HopResult, Verdict};
use crate::facts::{HopFact, NearMiss};
use crate::model::{Inventory, Kind};

/// Accumulates the checks of one hop.
#[derive(Debug, Default)]
pub(crate) struct HopAcc {
    verdicts: Vec<Verdict>,
    pub(crate) evidence: Vec<Evidence>,
    pub(crate) fact: HopFact,
}

impl HopAcc {
    pub(crate) fn new(fact: HopFact) -> HopAcc {
        HopAcc {
            verdicts: Vec::new(),
            evidence: Vec::new(),
            fact,
        }
    }

    pub(crate) fn fail(&mut self, v: Verdict, code: &str, detail: String) {
        self.verdicts.push(v);
        if !self.fact.reasons.iter().any(|r| r == code) {
            self.fact.reasons.push(code.to_owned());
        }
        if self.fact.summary.is_empty() {
            self.fact.summary.clone_from(&detail);
        }
        self.evidence.push(Evidence::Problem {
            code: code.to_owned(),
            detail,
        });
    }

    /// Records that `kind` was not loaded, with the call (or permission) that supplies it.
    pub(crate) fn missing(&mut self, inv: &Inventory, kind: Kind) {
        self.missing_what(kind.name().to_owned(), inv.missing_for(kind));
    }

    /// Records that `what` is missing; `cli` says how to get it (a [`crate::model::Missing`] or
    /// a bare CLI call).
    pub(crate) fn missing_what(&mut self, what: String, cli: impl Display) {
        let cli = cli.to_string();
        self.verdicts.push(Verdict::Unknown);
        if !self.fact.reasons.iter().any(|r| r == "missing-data") {
            self.fact.reasons.push("missing-data".to_owned());
        }
        let line = format!("{what}: {cli}");
        if !self.fact.missing.contains(&line) {
            self.fact.missing.push(line);
            self.evidence.push(Evidence::Missing { what, cli });
        }
    }

    pub(crate) fn admitted(&mut self, rule: String) {
        if self.fact.admitted_by.is_empty() {
            self.fact.admitted_by.clone_from(&rule);
        }
        self.evidence.push(Evidence::Admitted { rule });
    }

    pub(crate) fn checked(&mut self, what: String) {
        self.evidence.push(Evidence::Checked { what });
    }

    pub(crate) fn near_miss(&mut self, nm: NearMiss, detail: String) {
        if self.fact.near_misses.contains(&nm) {
            return;
        }
        self.evidence.push(Evidence::NearMiss {
            rule: nm.rule.clone(),
            differs: nm.differs.clone(),
            detail,
        });
        self.fact.near_misses.push(nm);
    }

    /// Records a denying NACL entry; the first one names the fact's ACL and the free rule number
    /// before it.
    pub(crate) fn denied_by(&mut self, deny: &NaclDeny, free_rule_before_deny: Option<i32>) {
        if self.fact.nacl_denied_by.is_empty() {
            self.fact.nacl_denied_by.clone_from(&deny.rule);
            self.fact.nacl_denied_acl = deny.acl.to_string();
            self.fact.nacl_rule_number_before_deny = free_rule_before_deny.map_or(-1, i64::from);
        }
        let e = Evidence::DeniedBy {
            rule: deny.rule.clone(),
        };
        if !self.evidence.contains(&e) {
            self.evidence.push(e);
        }
    }

    /// Takes over the checks of `sub`, a check of one address family run on its own
    /// accumulator: its failure codes prefixed with `prefix` (`ipv6-`), each verdict passed
    /// through `map` (a dualstack origin's blocked family is `partial` while the other works),
    /// and its fact's findings added to this one's.
    pub(crate) fn absorb(&mut self, sub: HopAcc, prefix: &str, map: impl Fn(Verdict) -> Verdict) {
        let HopAcc {
            verdicts,
            evidence,
            fact,
        } = sub;
        self.verdicts.extend(verdicts.into_iter().map(map));
        let rename = |code: &str| {
            if code == "missing-data" {
                code.to_owned()
            } else {
                format!("{prefix}{code}")
            }
        };
        for e in evidence {
            let e = match e {
                Evidence::Problem { code, detail } => Evidence::Problem {
                    code: rename(&code),
                    detail,
                },
                Evidence::Missing { what, cli } => {
                    let line = format!("{what}: {cli}");
                    if self.fact.missing.contains(&line) {
                        continue;
                    }
                    self.fact.missing.push(line);
                    Evidence::Missing { what, cli }
                }
                other => other,
            };
            if !self.evidence.contains(&e) {
                self.evidence.push(e);
            }
        }
        for r in &fact.reasons {
            let r = rename(r);
            if !self.fact.reasons.contains(&r) {
                self.fact.reasons.push(r);
            }
        }
        let f = &mut self.fact;
        if f.summary.is_empty() {
            f.summary = fact.summary;
        }
        if f.admitted_by.is_empty() {
            f.admitted_by = fact.admitted_by;
        }
        for nm in fact.near_misses {
            if !f.near_misses.contains(&nm) {
                f.near_misses.push(nm);
            }
        }
        for c in fact.uncovered_cidrs {
            if !f.uncovered_cidrs.contains(&c) {
                f.uncovered_cidrs.push(c);
            }
        }
        for s in fact.subnets_without_igw_route {
            if !f.subnets_without_igw_route.contains(&s) {
                f.subnets_without_igw_route.push(s);
            }
        }
        if f.nacl_denied_by.is_empty() && !fact.nacl_denied_by.is_empty() {
            f.nacl_denied_by = fact.nacl_denied_by;
            f.nacl_denied_acl = fact.nacl_denied_acl;
            f.nacl_rule_number_before_deny = fact.nacl_rule_number_before_deny;
        }
    }

    /// The verdict of the checks recorded so far.
    pub(crate) fn verdict(&self) -> Verdict {
        Verdict::combine(self.verdicts.iter().copied())
    }

    pub(crate) fn finish(mut self, hop: Hop) -> HopResult {
        let verdict = Verdict::combine(self.verdicts.iter().copied());
        self.fact.hop = hop.as_str().to_owned();
        self.fact.verdict = verdict.as_str().to_owned();
        if self.fact.summary.is_empty() {
            self.fact.summary = match verdict {
                Verdict::Allowed if !self.fact.admitted_by.is_empty() => {
                    format!("allowed by {}", self.fact.admitted_by)
                }
                v => v.as_str().to_owned(),
            };
        }
        HopResult {
            hop,
            verdict,
            evidence: self.evidence,
            fact: self.fact,
        }
    }
}

/// What is missing to know something: (what, the call that supplies it).
pub(crate) type MissingData = (String, String);

/// Rule texts (or ids) in first-seen order, each once.
pub(crate) fn unique_rules<'a, S: Borrow<str> + 'a>(
    rules: impl IntoIterator<Item = &'a S>,
) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for r in rules {
        let r = r.borrow();
        if !out.contains(&r) {
            out.push(r);
        }
    }
    out
}
