//! Ranking for `edgepath triage`: which finding most likely explains the 5xx that happened.
//!
//! Three keys, in order: severity; whether the logs agree with the finding (a log signature
//! pointing at the same hop or rule ranks the finding up); hop order along the path
//! (viewer → CloudFront → ALB → target: an earlier blocker hides later ones). Within those,
//! a cause ranks before a symptom (`symptom = true` rules, e.g. every target unhealthy).
//!
//! Agreement (patterns.md §0.2–0.3): a CloudFront connect timeout (≈ 30 s, no ALB row) agrees
//! with `cloudfront->alb` findings; an ALB target connect timeout (≈ 10 s, `target_status_code
//! -`) with `alb->target` findings; a read timeout with the timeout rules and `target` findings;
//! an ALB idle timeout with `alb-idle-timeout-too-short`; cached errors with
//! `error-caching-masks-fix`; DNS failures with `origin-dns-failure`.

use serde::Serialize;

use super::finding::{Finding, NotRun, Severity, hop_rank};
use super::log_evidence;
use crate::facts::LogBucketFact;

/// Hops and rule ids a log signature agrees with.
#[must_use]
pub fn agreement(signature: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match signature {
        "cloudfront-connect-timeout" => (
            &["cloudfront->alb"],
            &["cloudfront-connect-timeout-in-logs"],
        ),
        "cloudfront-read-timeout" => (
            &["target"],
            &[
                "origin-response-timeout-too-short",
                "cloudfront-read-timeout-in-logs",
                "alb-idle-timeout-too-short",
            ],
        ),
        "alb-target-connect-timeout" => (&["alb->target"], &["alb-target-connect-timeout-in-logs"]),
        "alb-idle-timeout" => (&["target"], &["alb-idle-timeout-too-short"]),
        "cached-error" => (&[], &["error-caching-masks-fix"]),
        "dns-failure" => (&[], &["origin-dns-failure"]),
        _ => (&[], &[]),
    }
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

fn agrees(f: &Finding, b: &LogBucketFact) -> bool {
    let (hops, rules) = agreement(&b.signature);
    // A finding about another distribution does not agree with this bucket.
    let same_place = b.distribution.is_empty()
        || f.resources.contains(&b.distribution)
        || !f.resources.iter().any(|r| is_distribution_id(r));
    (hops.contains(&f.hop.as_str()) || rules.contains(&f.rule.as_str())) && same_place
}

/// CloudFront distribution ids: `E` + 12-13 upper-case letters and digits.
fn is_distribution_id(s: &str) -> bool {
    s.starts_with('E')
        && (13..=14).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Ranks `findings` against the classified log buckets.
#[must_use]
pub fn rank(findings: &[Finding], buckets: &[LogBucketFact], not_run: &[NotRun]) -> Triage {
    let mut buckets: Vec<&LogBucketFact> = buckets.iter().filter(|b| b.status >= 500).collect();
    buckets.sort_by_key(|b| std::cmp::Reverse(b.count));
    let mut explained = vec![false; buckets.len()];
    let mut diagnoses: Vec<Diagnosis> = findings
        .iter()
        .map(|f| {
            let mut evidence = Vec::new();
            for (i, b) in buckets.iter().enumerate() {
                if agrees(f, b) {
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
        let t = rank(&f, &[bucket("alb-target-connect-timeout", 100)], &[]);
        assert_eq!(t.diagnoses[0].finding.rule, "target-sg-ghost-reference");
        assert!(t.diagnoses[0].logs_agree);
        assert_eq!(t.diagnoses[0].log_evidence.len(), 1);
        let t = rank(&f, &[], &[]);
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
            &f,
            &[bucket("alb-idle-timeout", 5), bucket("other", 3)],
            &[],
        );
        assert_eq!(t.diagnoses[0].finding.rule, "no-registered-targets");
        assert!(t.diagnoses[1].logs_agree);
        assert_eq!(t.unexplained_logs.len(), 1);
    }
}
