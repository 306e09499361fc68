//! Findings (what fired) and checks that could not run (what the data did not allow), with the
//! de-duplication that turns one finding per path × target into one per cause.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

/// How bad a finding is. Orders `Critical` first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Traffic fails now (exit code 1).
    Critical,
    /// Traffic fails sometimes, or will after a likely change.
    Warning,
    /// Worth knowing; not a failure by itself.
    Info,
}

impl Severity {
    /// `critical`, `warning`, `info`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// Parses the rule-file spelling.
    #[must_use]
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "critical" => Some(Severity::Critical),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

/// The hops a rule may name, in path order (ranking uses the order).
pub const HOPS: [&str; 5] = [
    "viewer->cloudfront",
    "cloudfront->alb",
    "alb-routing",
    "alb->target",
    "target",
];

/// Position of `hop` in path order (unknown hops last).
#[must_use]
pub fn hop_rank(hop: &str) -> usize {
    HOPS.iter().position(|h| *h == hop).unwrap_or(HOPS.len())
}

/// One fired rule, rendered with the facts that made it fire.
///
/// JSON keys are DESIGN's contract: `rule`, `severity`, `hop`, `resources`, `message`, `fix`
/// (plus `title` and `evidence`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Rule id (= rule file stem).
    pub rule: String,
    /// Severity from the rule.
    pub severity: Severity,
    /// The hop of the fact that fired for hop rules, the rule's declared hop otherwise
    /// (`cloudfront->alb`, `alb->target`, `target`, `viewer->cloudfront`).
    pub hop: String,
    /// Resources involved (ids and names), de-duplicated, in first-seen order.
    pub resources: Vec<String>,
    /// The rule's title.
    pub title: String,
    /// The rendered message; when several facts fired with different messages, the first one
    /// with a count of the others.
    pub message: String,
    /// The rendered fix (an AWS CLI command or an exact console setting).
    pub fix: String,
    /// What the fact said (a hop's summary, a log bucket's numbers), or empty.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub evidence: String,
    /// The fact kind the rule read (`hop`, `origin`, …, `log_bucket`).
    pub fact: String,
    /// The rule reports a symptom, not a cause (ranks after causes of the same severity).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub symptom: bool,
}

/// A rule that could not decide because data was missing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct NotRun {
    /// Rule id.
    pub rule: String,
    /// What was missing, and the AWS CLI call (or flag) that supplies it.
    pub reason: String,
}

/// The outcome of running a rule set over facts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    /// Fired rules, de-duplicated, critical first, then hop order, then rule id.
    pub findings: Vec<Finding>,
    /// Checks that could not run, and why.
    pub not_run: Vec<NotRun>,
}

impl Evaluation {
    /// Whether any finding is critical (exit code 1).
    #[must_use]
    pub fn has_critical(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity == Severity::Critical)
    }
}

/// Groups raw findings: one per (rule, hop, fix). Resources are merged; distinct messages keep the
/// first and count the rest ("… (+3 similar)"), so 40 targets behind one SG give one finding.
pub(crate) fn group(raw: Vec<Finding>) -> Vec<Finding> {
    /// One group: the first finding, and what later ones added (sets keep merging linear).
    struct Group {
        first: Finding,
        resources: HashSet<String>,
        messages: HashSet<String>,
        extra_messages: usize,
        evidence: HashSet<String>,
        extra_evidence: usize,
    }
    let mut order: Vec<(String, String, String)> = Vec::new();
    let mut groups: HashMap<(String, String, String), Group> = HashMap::new();
    for f in raw {
        // A rule firing on two hops with the same fix is two findings: each names its hop.
        let key = (f.rule.clone(), f.hop.clone(), f.fix.clone());
        if let Some(g) = groups.get_mut(&key) {
            for r in f.resources {
                if g.resources.insert(r.clone()) {
                    g.first.resources.push(r);
                }
            }
            if g.messages.insert(f.message) {
                g.extra_messages += 1;
            }
            if !f.evidence.is_empty() && g.evidence.insert(f.evidence) {
                g.extra_evidence += 1;
            }
        } else {
            order.push(key.clone());
            let resources: HashSet<String> = f.resources.iter().cloned().collect();
            let mut first = f;
            first.resources.dedup();
            let messages = HashSet::from([first.message.clone()]);
            let evidence: HashSet<String> = if first.evidence.is_empty() {
                HashSet::new()
            } else {
                HashSet::from([first.evidence.clone()])
            };
            groups.insert(
                key,
                Group {
                    first,
                    resources,
                    messages,
                    extra_messages: 0,
                    evidence,
                    extra_evidence: 0,
                },
            );
        }
    }
    let mut out: Vec<Finding> = order
        .into_iter()
        .filter_map(|k| groups.remove(&k))
        .map(|g| {
            let mut f = g.first;
            if g.extra_messages > 0 {
                f.message = format!("{} (+{} similar)", f.message, g.extra_messages);
            }
            if g.extra_evidence > 0 {
                f.evidence = format!("{} (+{} similar)", f.evidence, g.extra_evidence);
            }
            f
        })
        .collect();
    out.sort_by(|a, b| {
        let key = |f: &Finding| (f.severity, f.symptom, hop_rank(&f.hop));
        key(a).cmp(&key(b)).then_with(|| a.rule.cmp(&b.rule))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, target: &str, message: &str) -> Finding {
        Finding {
            rule: rule.into(),
            severity: Severity::Critical,
            hop: "alb->target".into(),
            resources: vec!["web-alb".into(), target.into()],
            title: String::new(),
            message: message.into(),
            fix: "aws ec2 authorize-security-group-ingress --group-id sg-1".into(),
            evidence: String::new(),
            fact: "hop".into(),
            symptom: false,
        }
    }

    #[test]
    fn per_target_duplicates_group_into_one_finding() {
        let out = group(vec![
            finding("r", "i-1", "m1"),
            finding("r", "i-2", "m2"),
            finding("r", "i-2", "m2"),
        ]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].resources, ["web-alb", "i-1", "i-2"]);
        assert_eq!(out[0].message, "m1 (+1 similar)");
    }

    #[test]
    fn findings_sort_by_severity_then_hop() {
        let mut info = finding("b", "i-1", "m");
        info.severity = Severity::Info;
        let mut edge = finding("z", "i-1", "m");
        edge.hop = "cloudfront->alb".into();
        edge.fix = "other".into();
        let out = group(vec![info, finding("a", "i-1", "m"), edge]);
        let ids: Vec<&str> = out.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(ids, ["z", "a", "b"]);
    }
}
