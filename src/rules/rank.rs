//! Ranking for `edgepath triage`: which finding most likely explains the 5xx that happened.
//!
//! Three keys, in order: severity; whether the logs agree with the finding (a log signature
//! pointing at the same hop or rule ranks the finding up); hop order along the path
//! (viewer → CloudFront → ALB → target: an earlier blocker hides later ones). Within those,
//! a cause ranks before a symptom (`symptom = true` rules, e.g. every target unhealthy).
//!
//! Agreement: a log bucket agrees with a finding when its signature points at the finding's hop
//! ([`SIGNATURES`]: a CloudFront connect timeout at `cloudfront->alb`, …) or when the finding's
//! rule lists the signature in `agrees_with` (`origin-response-timeout-too-short` agrees with
//! `cloudfront-read-timeout`). What a rule agrees with is written in the rule file, not here.

use serde::Serialize;

use super::finding::{Finding, NotRun, Severity, hop_rank};
use super::{RuleSet, log_evidence};
use crate::facts::LogBucketFact;

/// Every log signature `logs` classifies 5xx into, and the hops whose findings it agrees with
/// (patterns.md §0.2–0.3): a CloudFront connect timeout (≈ 30 s, no ALB row) points at
/// `cloudfront->alb`, an ALB target connect timeout (≈ 10 s, `target_status_code -`) at
/// `alb->target`, a read or idle timeout at the `target`. Which *rules* a signature agrees with
/// is the rule's to say (`agrees_with`), checked against these names at load.
pub const SIGNATURES: [(&str, &[&str]); 7] = [
    ("cloudfront-connect-timeout", &["cloudfront->alb"]),
    ("cloudfront-read-timeout", &["target"]),
    ("alb-target-connect-timeout", &["alb->target"]),
    ("alb-idle-timeout", &["target"]),
    ("cached-error", &[]),
    ("dns-failure", &[]),
    ("other", &[]),
];

/// The hops whose findings a log signature agrees with (none for an unknown signature).
#[must_use]
pub fn signature_hops(signature: &str) -> &'static [&'static str] {
    SIGNATURES
        .iter()
        .find(|(s, _)| *s == signature)
        .map_or(&[], |(_, hops)| hops)
}

/// One ranked cause.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnosis {
    /// 1 = most likely.
    pub rank: usize,
    /// The configuration (or log) finding.
    #[serde(flatten)]
    pub finding: Finding,
    /// Whether log evidence agrees with it.
    pub logs_agree: bool,
    /// The agreeing log buckets, largest first, as one line each.
    pub log_evidence: Vec<String>,
}

/// The whole triage answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Triage {
    /// Ranked causes.
    pub diagnoses: Vec<Diagnosis>,
    /// Log buckets of 5xx that no finding explains (largest first).
    pub unexplained_logs: Vec<String>,
    /// Checks that could not run.
    pub not_run: Vec<NotRun>,
}

fn agrees(rules: &RuleSet, f: &Finding, b: &LogBucketFact) -> bool {
    let by_hop = signature_hops(&b.signature).contains(&f.hop.as_str());
    let by_rule = rules
        .get(&f.rule)
        .is_some_and(|r| r.agrees_with.contains(&b.signature));
    // A finding about another distribution does not agree with this bucket.
    let same_place = b.distribution.is_empty()
        || f.resources.contains(&b.distribution)
        || !f.resources.iter().any(|r| is_distribution_id(r));
    (by_hop || by_rule) && same_place
}

/// CloudFront distribution ids: `E` + 12-13 upper-case letters and digits.
fn is_distribution_id(s: &str) -> bool {
    s.starts_with('E')
        && (13..=14).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Ranks `findings` (made by `rules`) against the classified log buckets.
#[must_use]
pub fn rank(
    rules: &RuleSet,
    findings: &[Finding],
    buckets: &[LogBucketFact],
    not_run: &[NotRun],
) -> Triage {
    let mut buckets: Vec<&LogBucketFact> = buckets.iter().filter(|b| b.status >= 500).collect();
    buckets.sort_by_key(|b| std::cmp::Reverse(b.count));
    let mut explained = vec![false; buckets.len()];
    let mut diagnoses: Vec<Diagnosis> = findings
        .iter()
        .map(|f| {
            let mut evidence = Vec::new();
            for (i, b) in buckets.iter().enumerate() {
                if agrees(rules, f, b) {
                    explained[i] = true;
                    if evidence.len() < 3 {
                        evidence.push(log_evidence(&serde_json::to_value(b).unwrap_or_default()));
                    }
                }
            }
            // A finding made from the logs themselves is its own log evidence.
            let from_logs = f.fact == "log_bucket";
            Diagnosis {
                rank: 0,
                logs_agree: !evidence.is_empty() || from_logs,
                log_evidence: evidence,
                finding: f.clone(),
            }
        })
        .collect();
    diagnoses.sort_by(|a, b| {
        let key = |d: &Diagnosis| {
            (
                d.finding.severity,
                !d.logs_agree,
                d.finding.symptom,
                hop_rank(&d.finding.hop),
            )
        };
        key(a)
            .cmp(&key(b))
            .then_with(|| a.finding.rule.cmp(&b.finding.rule))
    });
    for (i, d) in diagnoses.iter_mut().enumerate() {
        d.rank = i + 1;
    }
    let unexplained_logs = buckets
        .iter()
        .zip(&explained)
        .filter(|(_, e)| !**e)
        .map(|(b, _)| log_evidence(&serde_json::to_value(b).unwrap_or_default()))
        .collect();
    Triage {
        diagnoses,
        unexplained_logs,
        not_run: not_run.to_vec(),
    }
}

impl Triage {
    /// Whether the top cause is critical (exit code 1).
    #[must_use]
    pub fn has_critical(&self) -> bool {
        self.diagnoses
            .iter()
            .any(|d| d.finding.severity == Severity::Critical)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, hop: &str, severity: Severity) -> Finding {
        Finding {
            rule: rule.into(),
            severity,
            hop: hop.into(),
            resources: vec!["E2EXAMPLE".into(), "web-alb".into()],
            title: String::new(),
            message: String::new(),
            fix: String::new(),
            evidence: String::new(),
            fact: "hop".into(),
            symptom: false,
        }
    }

    fn rules() -> RuleSet {
        crate::rules::load_rules(&[]).expect("built-in rules load")
    }

    fn bucket(signature: &str, count: i64) -> LogBucketFact {
        LogBucketFact {
            distribution: "E2EXAMPLE".into(),
            status: 504,
            detailed_result_type: "OriginCommError".into(),
            signature: signature.into(),
            count,
            median_time_taken: 30.0,
            ..LogBucketFact::default()
        }
    }

    #[test]
    fn agreeing_logs_rank_a_finding_up_within_its_severity() {
        let f = [
            finding(
                "alb-sg-missing-cloudfront-prefix-list",
                "cloudfront->alb",
                Severity::Critical,
            ),
            finding(
                "target-sg-ghost-reference",
                "alb->target",
                Severity::Critical,
            ),
        ];
        let t = rank(
            &rules(),
            &f,
            &[bucket("alb-target-connect-timeout", 100)],
            &[],
        );
        assert_eq!(t.diagnoses[0].finding.rule, "target-sg-ghost-reference");
        assert!(t.diagnoses[0].logs_agree);
        assert_eq!(t.diagnoses[0].log_evidence.len(), 1);
        let t = rank(&rules(), &f, &[], &[]);
        assert_eq!(
            t.diagnoses[0].finding.rule,
            "alb-sg-missing-cloudfront-prefix-list"
        );
    }

    #[test]
    fn severity_outranks_agreement_and_unexplained_logs_are_kept() {
        let f = [
            finding(
                "alb-idle-timeout-too-short",
                "alb->target",
                Severity::Warning,
            ),
            finding("no-registered-targets", "alb->target", Severity::Critical),
        ];
        let t = rank(
            &rules(),
            &f,
            &[bucket("alb-idle-timeout", 5), bucket("other", 3)],
            &[],
        );
        assert_eq!(t.diagnoses[0].finding.rule, "no-registered-targets");
        assert!(t.diagnoses[1].logs_agree);
        assert_eq!(t.unexplained_logs.len(), 1);
    }

    #[test]
    fn every_signature_the_classifier_names_is_known() {
        use crate::logs::Signature;
        for s in [
            Signature::CloudfrontConnectTimeout,
            Signature::CloudfrontReadTimeout,
            Signature::AlbTargetConnectTimeout,
            Signature::AlbIdleTimeout,
            Signature::CachedError,
            Signature::DnsFailure,
            Signature::Other,
        ] {
            assert!(SIGNATURES.iter().any(|(n, _)| *n == s.as_str()), "{s:?}");
        }
    }
}
