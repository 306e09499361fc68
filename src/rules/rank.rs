//! Ranking for `edgepath triage`: which finding most likely explains the 5xx that happened.
//!
//! Keys, in order: severity; how many of the logs' 5xx the finding explains (the 5xx of the log
//! buckets that agree with it: among findings of one severity, the one that covers more of what
//! happened is the likelier cause); whether the logs agree at all; a cause before a symptom
//! (`symptom = true` rules, e.g. every target unhealthy); hop order along the path (viewer →
//! CloudFront → ALB → target: an earlier blocker hides later ones). Each diagnosis carries its
//! share ([`Share`], `explains` in JSON) and the triage the 5xx no finding explains
//! (`unexplained_5xx`), so the remainder is never hidden.
//!
//! Agreement: a log bucket agrees with a finding when its signature points at the finding's hop
//! ([`SIGNATURES`]: a CloudFront connect timeout at `cloudfront->alb`, …) or when the finding's
//! rule lists the signature in `agrees_with` (`origin-response-timeout-too-short` agrees with
//! `cloudfront-read-timeout`). What a rule agrees with is written in the rule file, not here.
//! A classified bucket below 5xx (the ALB's fixed-response 403/404, its 460/464) agreeing with a
//! finding is shown as its evidence and sets `logs_agree`, but counts toward no share: the share
//! is of 5xx.

use serde::Serialize;

use super::evidence::thousands;
use super::finding::{Finding, NotRun, Severity, hop_rank};
use super::{RuleSet, log_evidence};
use crate::facts::LogBucketFact;

/// Every log signature `logs` classifies 5xx into, and the hops whose findings it agrees with
/// (patterns.md §0.2–0.3): a CloudFront connect timeout (≈ 30 s, no ALB row) points at
/// `cloudfront->alb`, an ALB target connect timeout (≈ 10 s, `target_status_code -`) at
/// `alb->target`, a read or idle timeout at the `target`. Which *rules* a signature agrees with
/// is the rule's to say (`agrees_with`), checked against these names at load.
/// The ALB access-log classes (`logs::ALB_SIGNATURES`) agree with no hop: each has more than one
/// cause on the same hop, so only the rules that explain them link them (`agrees_with`).
pub const SIGNATURES: &[(&str, &[&str])] = &[
    ("cloudfront-connect-timeout", &["cloudfront->alb"]),
    ("cloudfront-read-timeout", &["target"]),
    ("alb-target-connect-timeout", &["alb->target"]),
    ("alb-idle-timeout", &["target"]),
    ("cached-error", &[]),
    ("dns-failure", &[]),
    ("alb-lambda-invalid-response", &[]),
    ("alb-lambda-invoke-error", &[]),
    ("alb-fixed-response", &[]),
    ("alb-no-targets", &[]),
    ("alb-target-tls-handshake-timeout", &[]),
    ("alb-target-closed-connection", &[]),
    ("alb-client-closed", &[]),
    ("alb-xff-too-long", &[]),
    ("alb-protocol-version-mismatch", &[]),
    ("alb-target-generated", &[]),
    ("alb-draining-target", &[]),
    ("other", &[]),
];

/// Signatures whose buckets re-count records already in their per-record class (a draining
/// target's 5xx are also `alb-target-closed-connection`, `other`, …): they say where 5xx
/// concentrated, so they count for the findings that agree with them but not in the total.
const OVERLAPPING_SIGNATURES: &[&str] = &["alb-draining-target"];

/// Whether a bucket of `signature` re-counts records of other buckets (see
/// [`OVERLAPPING_SIGNATURES`]).
fn overlaps_other_buckets(signature: &str) -> bool {
    OVERLAPPING_SIGNATURES.contains(&signature)
}

/// The hops whose findings a log signature agrees with (none for an unknown signature).
#[must_use]
pub fn signature_hops(signature: &str) -> &'static [&'static str] {
    SIGNATURES
        .iter()
        .find(|(s, _)| *s == signature)
        .map_or(&[], |(_, hops)| hops)
}

/// A part of the logs' 5xx: `count` of `of` (every 5xx in the logs given), `percent` rounded to
/// one decimal. JSON `{count, of, percent}`; text `1,098 of 4,185 5xx (26 %)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Share {
    /// 5xx requests in this part.
    pub count: i64,
    /// 5xx requests in the logs.
    pub of: i64,
    /// `count / of` in percent, one decimal.
    pub percent: f64,
}

impl Share {
    /// `count` of `of`; `None` when the logs hold no 5xx (nothing to share).
    #[must_use]
    pub fn new(count: i64, of: i64) -> Option<Share> {
        #[allow(
            clippy::cast_precision_loss,
            reason = "request counts stay far below 2^52"
        )]
        let percent = (count as f64 * 1000.0 / of as f64).round() / 10.0;
        (of > 0).then_some(Share { count, of, percent })
    }
}

impl std::fmt::Display for Share {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let percent = if self.count > 0 && self.percent < 0.5 {
            "<1".to_owned()
        } else {
            format!("{:.0}", self.percent)
        };
        write!(
            f,
            "{} of {} 5xx ({percent} %)",
            thousands(self.count),
            thousands(self.of)
        )
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
    /// How many of the logs' 5xx the agreeing buckets hold; absent without logs (or 5xx in
    /// them), and for a log finding no signature ties to a bucket.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explains: Option<Share>,
}

/// The whole triage answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Triage {
    /// Ranked causes.
    pub diagnoses: Vec<Diagnosis>,
    /// Log buckets of 5xx that no finding explains (largest first).
    pub unexplained_logs: Vec<String>,
    /// How many of the logs' 5xx no finding explains; absent without logs (or 5xx in them).
    #[serde(rename = "unexplained_5xx", skip_serializing_if = "Option::is_none")]
    pub unexplained: Option<Share>,
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
    let (mut buckets, mut below_5xx): (Vec<&LogBucketFact>, Vec<&LogBucketFact>) =
        buckets.iter().partition(|b| b.status >= 500);
    buckets.sort_by_key(|b| std::cmp::Reverse(b.count));
    below_5xx.sort_by_key(|b| std::cmp::Reverse(b.count));
    let total: i64 = buckets
        .iter()
        .filter(|b| !overlaps_other_buckets(&b.signature))
        .map(|b| b.count)
        .sum();
    let mut explained = vec![false; buckets.len()];
    let mut diagnoses: Vec<Diagnosis> = findings
        .iter()
        .map(|f| {
            let mut evidence = Vec::new();
            let mut covered = 0;
            for (i, b) in buckets.iter().enumerate() {
                if agrees(rules, f, b) {
                    explained[i] = true;
                    covered += b.count;
                    if evidence.len() < 3 {
                        evidence.push(log_evidence(&serde_json::to_value(b).unwrap_or_default()));
                    }
                }
            }
            // Classified answers below 5xx (a fixed 403/404, an ALB 460/464) agree too, after
            // the 5xx: evidence, but nothing of the 5xx they could explain.
            for b in &below_5xx {
                if evidence.len() < 3 && agrees(rules, f, b) {
                    evidence.push(log_evidence(&serde_json::to_value(b).unwrap_or_default()));
                }
            }
            // A finding made from the logs themselves is its own log evidence.
            let from_logs = f.fact == "log_bucket";
            // Agreeing with a bucket and with the overlapping bucket over the same records
            // counts them twice: never more than every 5xx.
            let covered = covered.min(total);
            let explains = if from_logs && covered == 0 {
                None
            } else {
                Share::new(covered, total)
            };
            Diagnosis {
                rank: 0,
                logs_agree: !evidence.is_empty() || from_logs,
                log_evidence: evidence,
                explains,
                finding: f.clone(),
            }
        })
        .collect();
    diagnoses.sort_by(|a, b| {
        let key = |d: &Diagnosis| {
            (
                d.finding.severity,
                std::cmp::Reverse(d.explains.map_or(0, |s| s.count)),
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
    let unexplained_count = buckets
        .iter()
        .zip(&explained)
        .filter(|(b, e)| !**e && !overlaps_other_buckets(&b.signature))
        .map(|(b, _)| b.count)
        .sum();
    Triage {
        diagnoses,
        unexplained_logs,
        unexplained: Share::new(unexplained_count, total),
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
    fn within_a_severity_the_finding_that_explains_more_5xx_ranks_first() {
        let f = [
            finding("origin-dns-failure", "cloudfront->alb", Severity::Critical),
            finding(
                "target-sg-ghost-reference",
                "alb->target",
                Severity::Critical,
            ),
        ];
        let mut dns = bucket("dns-failure", 570);
        dns.status = 502;
        let t = rank(
            &rules(),
            &f,
            &[
                dns,
                bucket("alb-target-connect-timeout", 1_098),
                bucket("other", 2_517),
            ],
            &[],
        );
        assert_eq!(t.diagnoses[0].finding.rule, "target-sg-ghost-reference");
        let share = t.diagnoses[0].explains.expect("a share");
        assert_eq!((share.count, share.of, share.percent), (1_098, 4_185, 26.2));
        assert_eq!(share.to_string(), "1,098 of 4,185 5xx (26 %)");
        assert_eq!(t.diagnoses[1].explains.map(|s| s.count), Some(570));
        assert_eq!(t.unexplained.map(|s| s.count), Some(2_517));
        assert_eq!(t.unexplained_logs.len(), 1);
    }

    #[test]
    fn a_draining_target_bucket_is_not_counted_twice_in_the_total() {
        // 40 draining-shaped 5xx are also in their per-record buckets (30 closed connections,
        // 10 other): 100 5xx in all, not 140.
        let f = [finding(
            "deregistration-draining-5xx",
            "target",
            Severity::Warning,
        )];
        let t = rank(
            &rules(),
            &f,
            &[
                bucket("alb-draining-target", 40),
                bucket("alb-target-closed-connection", 60),
                bucket("other", 40),
            ],
            &[],
        );
        let share = t.diagnoses[0].explains.expect("a share");
        assert_eq!((share.count, share.of), (40, 100));
        // The per-record buckets stay unexplained (the draining one is not added again).
        assert_eq!(t.unexplained.map(|s| (s.count, s.of)), Some((100, 100)));
    }

    #[test]
    fn a_fixed_response_agrees_and_only_a_5xx_one_counts_among_the_5xx() {
        let f = [finding(
            "listener-default-fixed-response",
            "alb-routing",
            Severity::Critical,
        )];
        let fixed = |status: i64, count: i64| LogBucketFact {
            source: "alb".into(),
            status,
            detailed_result_type: "target -".into(),
            signature: "alb-fixed-response".into(),
            count,
            first_seen: "2026-11-20T05:30:00Z".into(),
            ..LogBucketFact::default()
        };
        // A fixed 404: agreeing evidence, no 5xx explained (there are none).
        let t = rank(&rules(), &f, &[fixed(404, 240)], &[]);
        let d = &t.diagnoses[0];
        assert!(d.logs_agree);
        assert_eq!(
            d.log_evidence,
            [
                "ALB logs: 240 requests answered by fixed-response 404 since 05:30 UTC (alb-fixed-response)"
            ]
        );
        assert_eq!(d.explains, None);
        // A fixed 503 beside target 5xx: its 503s are explained, the rest are not.
        let t = rank(
            &rules(),
            &f,
            &[fixed(503, 300), fixed(404, 50), bucket("other", 100)],
            &[],
        );
        let d = &t.diagnoses[0];
        let share = d.explains.expect("a share");
        assert_eq!((share.count, share.of), (300, 400));
        assert_eq!(d.log_evidence.len(), 2, "{:?}", d.log_evidence);
        assert!(d.log_evidence[0].contains("fixed-response 503"));
        assert!(d.log_evidence[1].contains("fixed-response 404"));
        assert_eq!(t.unexplained.map(|s| s.count), Some(100));
        // A rule that does not list the class does not agree with it.
        let other = [finding(
            "alb-idle-timeout-too-short",
            "alb->target",
            Severity::Warning,
        )];
        let t = rank(&rules(), &other, &[fixed(404, 240)], &[]);
        assert!(!t.diagnoses[0].logs_agree);
    }

    #[test]
    fn without_logs_no_share_is_claimed() {
        let f = [finding(
            "no-registered-targets",
            "alb->target",
            Severity::Critical,
        )];
        let t = rank(&rules(), &f, &[], &[]);
        assert_eq!(t.diagnoses[0].explains, None);
        assert_eq!(t.unexplained, None);
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
        ]
        .into_iter()
        .chain(crate::logs::ALB_SIGNATURES.iter().map(|d| d.signature))
        .chain([Signature::AlbDrainingTarget])
        {
            assert!(SIGNATURES.iter().any(|(n, _)| *n == s.as_str()), "{s:?}");
        }
    }
}
