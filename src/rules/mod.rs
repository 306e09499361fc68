//! The declarative rule engine: `rules/*.toml` → checked, compiled rules → findings.
//!
//! The knowledge of how CloudFront → ALB → target paths fail lives in rule files, one per
//! failure pattern of `patterns.md`, not in Rust. A rule names one fact kind (`fact = "hop"`), a
//! CEL condition over it (`when`), and `message` / `fix` templates that interpolate the fact's
//! fields. This module decides:
//!
//! - how rule files are found: the built-in ones are the crate's `rules/` directory, embedded by
//!   `build.rs` (the registry is the directory), plus every `*.toml` of each `--rules DIR`;
//! - what a valid rule is ([`load`]): every field of `when` and every `{{placeholder}}` exists
//!   in the fact schema ([`schema`], generated from `src/facts.rs`), CEL compiles and gives a
//!   boolean, ids are unique and equal the file stem. Errors point into the file (miette spans);
//! - how rules run ([`RuleSet::evaluate`]): each fact is converted to a CEL value once, each
//!   condition was compiled once at load; fired rules become [`Finding`]s, grouped so one cause
//!   gives one finding; a rule that could not decide because the data was missing is reported in
//!   [`Evaluation::not_run`] with the call that would supply it, never silently passed;
//! - which facts come from the Inventory directly ([`inventory_facts`]); hop and origin facts
//!   come from `reach`, log buckets from `logs`.

pub mod eval;
pub mod finding;
pub mod inventory_facts;
pub mod load;
pub mod rank;
pub mod schema;
pub mod template;
pub mod testing;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use miette::{NamedSource, SourceSpan};

use crate::facts::Fact;
pub use finding::{Evaluation, Finding, NotRun, Severity};
pub use inventory_facts::inventory_facts;
use template::Template;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Errors loading rules. Every variant names the rule file; the ones with a span point into it.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum RuleError {
    /// A rule directory or file could not be read.
    #[error("cannot read {path}")]
    #[diagnostic(code(rule::io))]
    Io {
        /// The path.
        path: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML, or has a missing / unexpected key.
    #[error("{path}: invalid rule file: {message}")]
    #[diagnostic(code(rule::toml), help("see rules/README.md for the rule format"))]
    Toml {
        /// The file.
        path: String,
        /// The parser's message.
        message: String,
        /// The file's text.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("here")]
        at: SourceSpan,
    },
    /// `when` or `near_miss` names a field the fact kind does not have.
    #[error("{path}: unknown fact field `{field}` in `{rule_field}`")]
    #[diagnostic(
        code(rule::unknown_field),
        help("`{kind}` facts have: {known} (see `edgepath rules facts`)")
    )]
    UnknownField {
        /// The file.
        path: String,
        /// `when` or `near_miss`.
        rule_field: String,
        /// The unknown field.
        field: String,
        /// The fact kind it was looked up in.
        kind: String,
        /// The fields that exist.
        known: String,
        /// The file's text.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("not in the fact schema")]
        at: SourceSpan,
    },
    /// A CEL syntax or type error.
    #[error("{path}: {message} in `{field}`")]
    #[diagnostic(
        code(rule::cel),
        help("conditions are CEL (https://cel.dev) over `fact`")
    )]
    Cel {
        /// The file.
        path: String,
        /// `when` or `near_miss`.
        field: String,
        /// What is wrong.
        message: String,
        /// The file's text.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("here")]
        at: SourceSpan,
    },
    /// A `{{placeholder}}` of `message` or `fix` is not a field of the fact kind.
    #[error("{path}: unknown template field `{{{{{placeholder}}}}}` in `{template}`")]
    #[diagnostic(
        code(rule::unknown_template_field),
        help("`{kind}` facts have: {known} (see `edgepath rules facts`)")
    )]
    UnknownTemplateField {
        /// The file.
        path: String,
        /// `message` or `fix`.
        template: String,
        /// The placeholder's text.
        placeholder: String,
        /// The fact kind.
        kind: String,
        /// The fields that exist.
        known: String,
        /// The file's text.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("not in the fact schema")]
        at: SourceSpan,
    },
    /// Any other invalid value (severity, hop, fact kind, id ≠ stem, test case).
    #[error("{path}: invalid `{field}`: {message}")]
    #[diagnostic(code(rule::invalid))]
    Invalid {
        /// The file.
        path: String,
        /// The key.
        field: String,
        /// What is wrong.
        message: String,
        /// The file's text.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("here")]
        at: SourceSpan,
    },
    /// A rule without at least one `fires` and one `silent` `[[test]]`.
    #[error("{path}: rule `{id}` has no [[test]] with {lacking}")]
    #[diagnostic(
        code(rule::missing_tests),
        help(
            "every rule needs at least one `[[test]]` with `expect = \"fires\"` and one with `expect = \"silent\"` (the healthy neighbour), each with `facts`, `snapshot` or `logs`; see rules/README.md, \"Tests\""
        )
    )]
    MissingTests {
        /// The file.
        path: String,
        /// The rule id.
        id: String,
        /// Which expectations have no case (`` `expect = "silent"` ``).
        lacking: String,
        /// The file's text.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("this rule needs {lacking} test cases")]
        at: SourceSpan,
    },
    /// Two files define the same id.
    #[error("rule id `{id}` is defined twice: {first} and {second}")]
    #[diagnostic(code(rule::duplicate_id), help("rename one of them (id = file stem)"))]
    DuplicateId {
        /// The id.
        id: String,
        /// The file loaded first.
        first: String,
        /// The file loaded second.
        second: String,
    },
}

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
    /// What it detects, why it gives 504s, an example, the fix.
    pub explain: String,
    /// Whether the rule reports a symptom (every target unhealthy) rather than a cause; symptoms
    /// rank after causes of the same severity.
    pub symptom: bool,
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

/// Loads the built-in rules plus every `*.toml` of `extra_dirs`.
///
/// # Errors
/// The first invalid file, or a duplicate id (naming both files).
pub fn load_rules(extra_dirs: &[PathBuf]) -> Result<RuleSet, RuleError> {
    let mut rules = builtin_rules()?;
    for dir in extra_dirs {
        rules.extend(load_dir(dir)?);
    }
    RuleSet::new(rules)
}

/// Only the rules of `dir` (for `edgepath rules test DIR`).
///
/// # Errors
/// As [`load_rules`].
pub fn load_rules_dir(dir: &Path) -> Result<RuleSet, RuleError> {
    RuleSet::new(load_dir(dir)?)
}

fn builtin_rules() -> Result<Vec<Rule>, RuleError> {
    BUILTIN_RULES
        .iter()
        .map(|(name, text)| load::parse_rule(name, text, None))
        .collect()
}

fn load_dir(dir: &Path) -> Result<Vec<Rule>, RuleError> {
    let io = |source| RuleError::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut files: Vec<PathBuf> = if dir.is_file() {
        vec![dir.to_path_buf()]
    } else {
        std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect()
    };
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).map_err(|source| RuleError::Io {
                path: f.display().to_string(),
                source,
            })?;
            load::parse_rule(&f.display().to_string(), &text, Some(f.clone()))
        })
        .collect()
}

/// One fact, converted once for every rule.
struct Prepared {
    kind: &'static str,
    json: serde_json::Value,
    cel: cel::Value,
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

    /// Runs every rule over `facts`.
    #[must_use]
    pub fn evaluate(&self, facts: &[Fact]) -> Evaluation {
        let values: Vec<serde_json::Value> = facts
            .iter()
            .filter_map(|f| serde_json::to_value(f).ok())
            .collect();
        self.evaluate_json(&values)
    }

    /// Runs every rule over facts given as JSON objects with a `kind` (inline test facts).
    #[must_use]
    pub fn evaluate_json(&self, facts: &[serde_json::Value]) -> Evaluation {
        let prepared: Vec<Prepared> = facts
            .iter()
            .filter_map(|json| {
                let kind = json.get("kind")?.as_str()?;
                let kind = schema::FACT_KINDS.iter().find(|k| **k == kind)?;
                Some(Prepared {
                    kind,
                    json: json.clone(),
                    cel: eval::to_cel(json),
                })
            })
            .collect();
        let root = cel::Context::default();
        let mut raw = Vec::new();
        let mut not_run = Vec::new();
        for rule in &self.rules {
            let mut any = false;
            for fact in prepared.iter().filter(|p| p.kind == rule.kind) {
                any = true;
                // A rule never fires on data that is not there (rules/README.md, "Missing
                // data"): a fact lacking what the rule reads is checked before the condition,
                // and the rule is reported as not run for it instead.
                if let Some(reason) = rule.missing_data(&fact.json) {
                    let reported = rule.concerns(&fact.json)
                        || matches!(rule.when.eval(&root, "fact", &fact.cel), Ok(true));
                    if reported {
                        not_run.push(NotRun {
                            rule: rule.id.clone(),
                            reason,
                        });
                    }
                    continue;
                }
                match rule.when.eval(&root, "fact", &fact.cel) {
                    Ok(true) => raw.push(rule.finding(&root, fact)),
                    Ok(false) => {}
                    Err(e) => not_run.push(NotRun {
                        rule: rule.id.clone(),
                        reason: format!("condition failed on a {} fact: {e}", rule.kind),
                    }),
                }
            }
            if !any && rule.kind == "log_bucket" {
                not_run.push(NotRun {
                    rule: rule.id.clone(),
                    reason: "no logs given (pass --logs with CloudFront or ALB access logs)"
                        .to_owned(),
                });
            }
        }
        not_run.sort();
        not_run.dedup();
        Evaluation {
            findings: finding::group(raw),
            not_run,
        }
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

impl Rule {
    fn finding(&self, root: &cel::Context<'_>, fact: &Prepared) -> Finding {
        let near_miss = fact
            .json
            .get("near_misses")
            .and_then(serde_json::Value::as_array)
            .and_then(|items| {
                items.iter().find(|m| match &self.near_miss {
                    None => true,
                    Some(c) => c.eval(root, "m", &eval::to_cel(m)).unwrap_or(false),
                })
            });
        let mut resources = Vec::new();
        for field in &self.resources {
            match fact.json.get(field) {
                Some(serde_json::Value::Array(items)) => {
                    resources.extend(items.iter().map(|i| template::value_text(Some(i))));
                }
                v => resources.push(template::value_text(v)),
            }
        }
        resources.retain(|r| !r.is_empty());
        resources.dedup();
        Finding {
            rule: self.id.clone(),
            severity: self.severity,
            hop: self.hop.clone(),
            resources,
            title: self.title.clone(),
            message: self.message.render(&fact.json, near_miss),
            fix: self.fix.render(&fact.json, near_miss),
            evidence: evidence(fact.kind, &fact.json),
            fact: self.kind.to_owned(),
            symptom: self.symptom,
        }
    }

    /// Whether `fact` is one this rule is about: for hop rules, a hop of the rule's `hop`
    /// (a hop rule whose condition does not name the hop may still read other hops).
    fn concerns(&self, fact: &serde_json::Value) -> bool {
        self.kind != "hop"
            || fact.get("hop").and_then(serde_json::Value::as_str) == Some(self.hop.as_str())
    }

    /// Why this rule cannot decide on `fact`, when the fact lacks data the rule reads: a hop
    /// whose verdict is `unknown` or whose `missing` list is not empty, an idle timeout of -1,
    /// target health not loaded.
    fn missing_data(&self, fact: &serde_json::Value) -> Option<String> {
        let s = |k: &str| {
            fact.get(k)
                .and_then(serde_json::Value::as_str)
                .unwrap_or("")
        };
        let i = |k: &str| fact.get(k).and_then(serde_json::Value::as_i64).unwrap_or(0);
        let reads = |k: &str| self.when.reads.contains(k);
        match self.kind {
            "hop" => {
                let missing = template::value_text(fact.get("missing"));
                if s("verdict") == "unknown" || !missing.is_empty() {
                    let what = if missing.is_empty() {
                        "verdict unknown".to_owned()
                    } else {
                        missing
                    };
                    return Some(format!(
                        "{} hop of {} {} → {}: {what}",
                        s("hop"),
                        s("distribution"),
                        s("behavior"),
                        s("alb")
                    ));
                }
                None
            }
            "origin"
                if reads("alb_idle_timeout_seconds")
                    && i("alb_idle_timeout_seconds") < 0
                    && !s("alb").is_empty() =>
            {
                Some(format!(
                    "idle timeout of {} unknown: add `aws elbv2 describe-load-balancer-attributes --load-balancer-arn {}`",
                    s("alb"),
                    s("alb_arn")
                ))
            }
            "load_balancer" if reads("idle_timeout_seconds") && i("idle_timeout_seconds") < 0 => {
                Some(format!(
                    "idle timeout of {} unknown: add `aws elbv2 describe-load-balancer-attributes --load-balancer-arn {}`",
                    s("alb"),
                    s("alb_arn")
                ))
            }
            "target_group"
                if fact.get("health_known") == Some(&serde_json::Value::Bool(false))
                    && ["registered", "healthy", "unhealthy", "unused", "reasons"]
                        .iter()
                        .any(|f| reads(f)) =>
            {
                Some(format!(
                    "target health of {} not loaded: add `aws elbv2 describe-target-health --target-group-arn {}`",
                    s("target_group"),
                    s("target_group_arn")
                ))
            }
            _ => None,
        }
    }
}

/// One line of what a fact said, shown beside a finding.
fn evidence(kind: &str, f: &serde_json::Value) -> String {
    let s = |k: &str| f.get(k).and_then(serde_json::Value::as_str).unwrap_or("");
    match kind {
        "hop" => {
            let mut e = s("summary").to_owned();
            if e.is_empty() {
                e = format!("{} {}", s("hop"), s("verdict"));
            }
            e
        }
        "log_bucket" => log_evidence(f),
        _ => String::new(),
    }
}

/// "504 OriginCommError ×21,404 at ~30 s on /api/* since 05:49 UTC".
#[must_use]
pub fn log_evidence(f: &serde_json::Value) -> String {
    let s = |k: &str| f.get(k).and_then(serde_json::Value::as_str).unwrap_or("");
    let count = f
        .get("count")
        .and_then(serde_json::Value::as_i64)
        .unwrap_or(0);
    let status = f
        .get("status")
        .and_then(serde_json::Value::as_i64)
        .unwrap_or(0);
    let secs = f
        .get("median_time_taken")
        .and_then(serde_json::Value::as_f64)
        .unwrap_or(0.0);
    let mut e = format!(
        "{status} {} ×{} at ~",
        s("detailed_result_type"),
        thousands(count)
    );
    if secs >= 1.0 {
        e.push_str(&format!("{secs:.0} s"));
    } else {
        e.push_str(&format!("{secs:.2} s"));
    }
    if !s("behavior").is_empty() {
        e.push_str(&format!(" on {}", s("behavior")));
    }
    let since = if s("onset").is_empty() {
        s("first_seen")
    } else {
        s("onset")
    };
    if since.len() >= 16 {
        e.push_str(&format!(" since {} UTC", &since[11..16]));
    }
    e.push_str(&format!(" ({})", s("signature")));
    e
}

fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{HopFact, LoadBalancerFact, OriginFact, TargetGroupFact};

    #[test]
    fn rules_do_not_fire_on_missing_data_and_say_which_check_could_not_run() {
        let set = load_rules(&[]).expect("built-in rules load");
        let facts = [
            Fact::Hop(HopFact {
                hop: "alb->target".into(),
                verdict: "unknown".into(),
                distribution: "E2EXAMPLE".into(),
                behavior: "*".into(),
                alb: "web-alb".into(),
                missing: vec!["target ENIs: aws ec2 describe-network-interfaces".into()],
                ..HopFact::default()
            }),
            Fact::Origin(OriginFact {
                alb: "web-alb".into(),
                alb_idle_timeout_seconds: -1,
                read_timeout_seconds: 30,
                keepalive_timeout_seconds: 5,
                ..OriginFact::default()
            }),
            Fact::TargetGroup(TargetGroupFact {
                target_group: "web-tg".into(),
                forwarded_to: true,
                health_known: false,
                ..TargetGroupFact::default()
            }),
            Fact::LoadBalancer(LoadBalancerFact {
                alb: "web-alb".into(),
                state: "active".into(),
                used_by_cloudfront: true,
                idle_timeout_seconds: -1,
                ..LoadBalancerFact::default()
            }),
        ];
        let e = set.evaluate(&facts);
        assert!(e.findings.is_empty(), "{:#?}", e.findings);
        let reason = |id: &str| {
            e.not_run
                .iter()
                .find(|n| n.rule == id)
                .map(|n| n.reason.clone())
                .unwrap_or_default()
        };
        assert!(reason("target-sg-ghost-reference").contains("describe-network-interfaces"));
        assert!(reason("alb-idle-timeout-too-short").contains("describe-load-balancer-attributes"));
        assert!(reason("no-registered-targets").contains("describe-target-health"));
        assert!(reason("origin-dns-failure").contains("no logs"));
        // A cloudfront->alb rule is not "not run" because an alb->target hop lacked data.
        assert!(reason("alb-sg-missing-cloudfront-prefix-list").is_empty());
    }

    #[test]
    fn a_hop_with_missing_data_is_not_run_even_when_the_condition_would_hold() {
        let set = load_rules(&[]).expect("built-in rules load");
        // The verdict and reason alone match alb-sg-missing-cloudfront-prefix-list, but one of
        // the ALB's security groups was not loaded: the rule must not fire on that.
        let hop = Fact::Hop(HopFact {
            hop: "cloudfront->alb".into(),
            origin_type: "custom".into(),
            verdict: "blocked".into(),
            distribution: "E2EXAMPLE".into(),
            behavior: "*".into(),
            alb: "web-alb".into(),
            reasons: vec!["sg-no-admitting-rule".into()],
            missing: vec!["security group sg-0cf: aws ec2 describe-security-groups".into()],
            ..HopFact::default()
        });
        let e = set.evaluate(&[hop]);
        assert!(e.findings.is_empty(), "{:#?}", e.findings);
        let not_run: Vec<&NotRun> = e
            .not_run
            .iter()
            .filter(|n| n.rule == "alb-sg-missing-cloudfront-prefix-list")
            .collect();
        assert_eq!(not_run.len(), 1, "{:#?}", e.not_run);
        assert!(
            not_run[0]
                .reason
                .contains("aws ec2 describe-security-groups"),
            "{:?}",
            not_run[0]
        );
        // A rule of another hop is not "not run" because of this hop.
        assert!(
            !e.not_run
                .iter()
                .any(|n| n.rule == "target-sg-ghost-reference")
        );
    }

    #[test]
    fn a_ghost_reference_on_two_targets_is_one_finding_with_the_real_fix() {
        let set = load_rules(&[]).expect("built-in rules load");
        let hop = |target: &str| {
            Fact::Hop(HopFact {
                hop: "alb->target".into(),
                verdict: "blocked".into(),
                distribution: "E2EXAMPLE".into(),
                alb: "web-alb".into(),
                alb_sg: "sg-new".into(),
                alb_sgs: vec!["sg-new".into()],
                target_group: "web-tg".into(),
                target: target.into(),
                port: 8080,
                reasons: vec!["target-sg-no-rule".into()],
                near_misses: vec![crate::facts::NearMiss {
                    sg: "sg-app".into(),
                    differs: "source".into(),
                    source_sg: "sg-old".into(),
                    source_sg_exists: true,
                    source_sg_attached_to_alb: false,
                    ..Default::default()
                }],
                ..HopFact::default()
            })
        };
        let e = set.evaluate(&[hop("i-1"), hop("i-2")]);
        let ids: Vec<&str> = e.findings.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(ids, ["target-sg-ghost-reference"]);
        let f = &e.findings[0];
        assert_eq!(
            f.fix,
            "aws ec2 authorize-security-group-ingress --group-id sg-app --protocol tcp --port 8080 --source-group sg-new"
        );
        assert_eq!(
            f.resources,
            ["E2EXAMPLE", "web-alb", "web-tg", "i-1", "i-2"]
        );
        assert!(e.has_critical());
    }

    #[test]
    fn log_evidence_reads_like_an_incident_note() {
        let f = serde_json::json!({
            "status": 504, "detailed_result_type": "OriginCommError", "count": 21404,
            "median_time_taken": 30.2, "behavior": "/api/*", "onset": "2026-11-20T05:49:00Z",
            "signature": "cloudfront-connect-timeout"
        });
        assert_eq!(
            log_evidence(&f),
            "504 OriginCommError ×21,404 at ~30 s on /api/* since 05:49 UTC (cloudfront-connect-timeout)"
        );
    }
}
