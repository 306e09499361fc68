//! Running rules over facts: each fact converted to a CEL value once, each condition compiled
//! once at load; fired rules become [`Finding`]s (grouped so one cause gives one finding), and a
//! rule that could not decide because data was missing is reported in [`Evaluation::not_run`]
//! with the call that would supply it, never silently passed.

use super::evidence::evidence;
use super::finding::{self, Evaluation, Finding, HOPS, NotRun};
use super::{Rule, RuleSet, eval, schema, template};
use crate::facts::Fact;

/// One fact, converted once for every rule.
struct Prepared {
    kind: &'static str,
    json: serde_json::Value,
    cel: cel::Value,
}

impl RuleSet {
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
            hop: self.finding_hop(fact),
            resources,
            title: self.title.clone(),
            message: self.message.render(&fact.json, near_miss),
            fix: self.fix.render(&fact.json, near_miss),
            evidence: evidence(fact.kind, &fact.json),
            fact: self.kind.to_owned(),
            symptom: self.symptom,
        }
    }

    /// The hop a finding is about: for a hop fact, the hop that fact describes (a rule whose
    /// condition does not test `fact.hop`, such as `nacl-blocks-cloudfront-or-ephemeral`, fires
    /// on `alb->target` hops too, and must not label them with its declared hop); for a change
    /// fact, the failing hop it touched; for other facts, the rule's `hop`.
    fn finding_hop(&self, fact: &Prepared) -> String {
        let fact_hop = fact.json.get("hop").and_then(serde_json::Value::as_str);
        match fact_hop {
            Some(h) if matches!(fact.kind, "hop" | "change") && HOPS.contains(&h) => h.to_owned(),
            _ => self.hop.clone(),
        }
    }

    /// Whether `fact` is one this rule is about: for hop rules, a hop of the rule's `hop`
    /// (a hop rule whose condition does not name the hop may still read other hops).
    fn concerns(&self, fact: &serde_json::Value) -> bool {
        self.kind != "hop"
            || fact.get("hop").and_then(serde_json::Value::as_str) == Some(self.hop.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{HopFact, LoadBalancerFact, OriginFact, TargetGroupFact};
    use crate::rules::load_rules;

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
    fn a_finding_names_the_hop_of_the_fact_that_fired() {
        let set = load_rules(&[]).expect("built-in rules load");
        // The NACL rule (declared `cloudfront->alb`) does not test `fact.hop`: it also fires
        // on an `alb->target` hop, and must say so.
        let hop = |hop: &str, acl: &str| {
            Fact::Hop(HopFact {
                hop: hop.into(),
                verdict: "blocked".into(),
                reasons: vec!["nacl-denied-return".into()],
                nacl_denied_by: format!("{acl} egress #90 deny"),
                nacl_denied_acl: acl.into(),
                ..HopFact::default()
            })
        };
        let e = set.evaluate(&[hop("alb->target", "acl-1"), hop("cloudfront->alb", "acl-2")]);
        let hops: Vec<(&str, &str)> = e
            .findings
            .iter()
            .filter(|f| f.rule == "nacl-blocks-cloudfront-or-ephemeral")
            .map(|f| (f.hop.as_str(), f.fix.as_str()))
            .collect();
        assert_eq!(hops.len(), 2, "{:#?}", e.findings);
        assert_eq!(hops[0].0, "cloudfront->alb");
        assert!(hops[0].1.contains("acl-2"));
        assert_eq!(hops[1].0, "alb->target");
    }
}
