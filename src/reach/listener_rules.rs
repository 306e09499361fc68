//! Listener rules evaluated as the ALB evaluates them, against the request CloudFront sends.
//!
//! Rules are tried in priority order, then the listener's default action. A rule's conditions
//! are ANDed, the values of one condition ORed. Semantics per condition type (ELB guide,
//! "Condition types for listener rules"):
//! - `host-header`: case-insensitive, `*` (zero or more characters) and `?` (exactly one);
//! - `path-pattern`: case-sensitive, wildcards, the path only (never the query string);
//! - `http-header`: the name case-insensitive, the values case-insensitive with wildcards;
//! - `http-request-method`: case-sensitive, exact;
//! - `query-string`: `{Key, Value}` pairs (key optional), case-insensitive with wildcards;
//! - `source-ip`: CIDRs, against the addresses CloudFront connects from (the origin-facing
//!   prefix list's entries).
//!
//! The request is a [`RequestShape`]: a CloudFront path pattern (a behavior's, or one concrete
//! path), every `Host` CloudFront may send, the headers it sets itself (custom origin headers)
//! and which viewer values it passes on (whose values are unknown offline). So a condition
//! does not only match or fail: it may hold for part of the behavior's paths (a sub-pattern) or
//! only for some viewers ([`Match::Some`]). The walk splits the behavior into the sub-paths each
//! rule takes ([`Route`]) and keeps why every other rule did not match ([`Skipped`]).
//! Pure: no Inventory, no I/O.

use ipnet::Ipv4Net;
use serde::Serialize;

use crate::model::elbv2::{Action, Rule};
use crate::model::parse_ipv4_net;
use crate::model::policies::Forward;

/// What CloudFront sends to the listener, as far as it is known offline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RequestShape {
    /// A CloudFront path pattern (`/api/*`, `*`) or a concrete path (`/api/v2/users`).
    pub path: String,
    /// Every `Host` value CloudFront may send (lower case).
    pub hosts: Vec<String>,
    /// Why those hosts (`because origin request policy … does not forward Host`).
    pub host_why: String,
    /// The methods the behavior allows.
    pub methods: Vec<String>,
    /// Headers CloudFront sets itself (custom origin headers), name and value.
    pub fixed_headers: Vec<(String, String)>,
    /// Which viewer headers pass (their values are the viewer's).
    pub viewer_headers: Forward,
    /// Which query strings pass.
    pub query_strings: Forward,
    /// The addresses CloudFront connects from, when known.
    pub source_cidrs: Option<Vec<Ipv4Net>>,
    /// Whether CloudFront reaches this listener over HTTP (an HTTPS redirect then loops).
    pub over_http: bool,
    /// The path patterns of the distribution's behaviors that come before this one: CloudFront
    /// sends their requests there, so a rule whose paths all fall in one of them takes nothing
    /// from this behavior.
    pub earlier_behaviors: Vec<String>,
}

/// One condition's answer for a request shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Match {
    /// Every request of the shape matches.
    All,
    /// No request matches, and why.
    None(String),
    /// Some requests match: the sub-path they take (path conditions), and on what it depends.
    Some {
        /// The sub-pattern of the path, for a path-pattern condition.
        sub_path: Option<String>,
        /// What else it depends on (viewer values), if anything.
        depends: Option<String>,
    },
}

/// The outcome of the action that answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub(crate) enum Outcome {
    /// Forward to these groups (weights when weighted); stickiness noted.
    Forward {
        /// `(group ARN, weight)`.
        groups: Vec<(String, Option<i64>)>,
        /// Group stickiness on.
        sticky: bool,
    },
    /// The ALB answers with this status.
    FixedResponse {
        /// `404`, `503`, …
        status: String,
    },
    /// The ALB redirects; `loops` when it sends an HTTP origin request to HTTPS, which
    /// CloudFront will fetch over HTTP again.
    Redirect {
        /// `HTTP_301` / `HTTP_302`.
        status: String,
        /// Target protocol (`HTTPS`, `#{protocol}`).
        protocol: String,
        /// Whether it loops behind CloudFront.
        loops: bool,
    },
    /// An authenticate action first (`authenticate-oidc` / `authenticate-cognito`).
    Authenticate {
        /// Which.
        kind: String,
        /// What follows after a login.
        then: Box<Outcome>,
    },
    /// No action the model knows.
    Other {
        /// The action type.
        kind: String,
    },
}

impl Outcome {
    /// Whether the ALB answers itself (no target is reached).
    pub(crate) fn answered_by_alb(&self) -> bool {
        match self {
            Outcome::FixedResponse { .. } | Outcome::Redirect { .. } => true,
            Outcome::Authenticate { then, .. } => then.answered_by_alb(),
            Outcome::Forward { .. } | Outcome::Other { .. } => false,
        }
    }

    /// The groups reached.
    /// The percent of the requests a weighted forward to several groups sends to `group`;
    /// `None` for a forward to one group (or any other action).
    pub(crate) fn weight_share(&self, group: &str) -> Option<i64> {
        match self {
            Outcome::Forward { groups, .. } => {
                let live: Vec<(&str, i64)> = groups
                    .iter()
                    .map(|(g, w)| (g.as_str(), w.unwrap_or(1)))
                    .filter(|(_, w)| *w > 0)
                    .collect();
                let total: i64 = live.iter().map(|(_, w)| w).sum();
                if live.len() < 2 || total == 0 {
                    return None;
                }
                live.iter()
                    .find(|(g, _)| *g == group)
                    .map(|(_, w)| (w * 100 + total / 2) / total)
            }
            Outcome::Authenticate { then, .. } => then.weight_share(group),
            _ => None,
        }
    }

    pub(crate) fn groups(&self) -> Vec<&str> {
        match self {
            Outcome::Forward { groups, .. } => groups
                .iter()
                .filter(|(_, w)| *w != Some(0))
                .map(|(g, _)| g.as_str())
                .collect(),
            Outcome::Authenticate { then, .. } => then.groups(),
            _ => Vec::new(),
        }
    }
}

/// The rule that answers (or `default`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct RuleRef {
    /// Priority, or `default`.
    pub priority: String,
    /// The rule ARN (absent for a listener's default action when no default rule is loaded).
    pub arn: Option<String>,
}

/// One sub-path of the request shape and the rule that takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Route {
    /// The sub-pattern (the whole shape, a rule's path value, or the shape's rest).
    pub path: String,
    /// Whether this is "the rest" of the shape after the routes before it.
    pub rest: bool,
    /// The rule.
    pub rule: RuleRef,
    /// Its outcome.
    pub outcome: Outcome,
    /// What else this route depends on (viewer headers, query strings).
    pub depends: Option<String>,
}

/// A rule that did not match, with the condition and the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Skipped {
    /// The rule.
    pub rule: RuleRef,
    /// The condition as text (`host-header www.example.com`).
    pub condition: String,
    /// Why it never matches.
    pub reason: String,
    /// The groups it forwards to.
    pub groups: Vec<String>,
}

/// Where a request shape goes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub(crate) struct Routing {
    /// The sub-paths, in rule order.
    pub routes: Vec<Route>,
    /// Rules that never match.
    pub skipped: Vec<Skipped>,
}

/// A condition of `describe-rules`, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Condition {
    /// `host-header`.
    Host(Vec<String>),
    /// `path-pattern`.
    Path(Vec<String>),
    /// `http-header`.
    Header(String, Vec<String>),
    /// `http-request-method`.
    Method(Vec<String>),
    /// `query-string`: `(key, value)`.
    Query(Vec<(Option<String>, String)>),
    /// `source-ip`.
    SourceIp(Vec<String>),
    /// A field or a regex match this model does not evaluate.
    Unsupported(String),
}

impl Condition {
    /// Parses one condition object (`Values` of the legacy form or the `*Config` form).
    pub(crate) fn parse(v: &serde_json::Value) -> Condition {
        let field = v.get("Field").and_then(|f| f.as_str()).unwrap_or_default();
        let strings = |config: &str| -> Vec<String> {
            let from = |x: Option<&serde_json::Value>| -> Vec<String> {
                x.and_then(|x| x.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|s| s.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let c = from(v.get(config).and_then(|c| c.get("Values")));
            if c.is_empty() {
                from(v.get("Values"))
            } else {
                c
            }
        };
        let regex = |config: &str| {
            v.get(config)
                .and_then(|c| c.get("RegexValues"))
                .and_then(|r| r.as_array())
                .is_some_and(|a| !a.is_empty())
        };
        match field {
            "host-header" if !regex("HostHeaderConfig") => {
                Condition::Host(strings("HostHeaderConfig"))
            }
            "path-pattern" if !regex("PathPatternConfig") => {
                Condition::Path(strings("PathPatternConfig"))
            }
            "http-header" if !regex("HttpHeaderConfig") => {
                let c = v.get("HttpHeaderConfig");
                let name = c
                    .and_then(|c| c.get("HttpHeaderName"))
                    .and_then(|n| n.as_str())
                    .unwrap_or_default()
                    .to_owned();
                Condition::Header(name, strings("HttpHeaderConfig"))
            }
            "http-request-method" => Condition::Method(strings("HttpRequestMethodConfig")),
            "query-string" => Condition::Query(
                v.get("QueryStringConfig")
                    .and_then(|c| c.get("Values"))
                    .and_then(|a| a.as_array())
                    .map(|a| {
                        a.iter()
                            .map(|kv| {
                                (
                                    kv.get("Key").and_then(|k| k.as_str()).map(str::to_owned),
                                    kv.get("Value")
                                        .and_then(|k| k.as_str())
                                        .unwrap_or_default()
                                        .to_owned(),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
            "source-ip" => Condition::SourceIp(strings("SourceIpConfig")),
            other => Condition::Unsupported(other.to_owned()),
        }
    }

    /// `host-header www.example.com`, as people read it.
    pub(crate) fn text(&self) -> String {
        match self {
            Condition::Host(v) => format!("host-header {}", v.join(",")),
            Condition::Path(v) => format!("path-pattern {}", v.join(",")),
            Condition::Header(n, v) => format!("http-header {n}={}", v.join(",")),
            Condition::Method(v) => format!("http-request-method {}", v.join(",")),
            Condition::Query(v) => format!(
                "query-string {}",
                v.iter()
                    .map(|(k, val)| k.as_ref().map_or(val.clone(), |k| format!("{k}={val}")))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            Condition::SourceIp(v) => format!("source-ip {}", v.join(",")),
            Condition::Unsupported(f) => format!("{f} (regex)"),
        }
    }

    /// This condition against a request shape.
    pub(crate) fn eval(&self, req: &RequestShape) -> Match {
        match self {
            Condition::Host(values) => eval_host(values, req),
            Condition::Path(values) => eval_path(values, &req.path),
            Condition::Header(name, values) => eval_header(name, values, req),
            Condition::Method(values) => {
                let hit = req.methods.iter().filter(|m| values.contains(m)).count();
                if hit == req.methods.len() && hit > 0 {
                    Match::All
                } else if hit == 0 {
                    Match::None(format!(
                        "the behavior allows {} only",
                        req.methods.join(",")
                    ))
                } else {
                    Match::Some {
                        sub_path: None,
                        depends: Some(format!("method {}", values.join(","))),
                    }
                }
            }
            Condition::Query(values) => {
                if req.query_strings == Forward::None {
                    Match::None("CloudFront forwards no query string to the origin".to_owned())
                } else {
                    Match::Some {
                        sub_path: None,
                        depends: Some(format!("the viewer's query string ({})", self.text())),
                    }
                    .keep_if(!values.is_empty())
                }
            }
            Condition::SourceIp(values) => eval_source_ip(values, req),
            Condition::Unsupported(f) => Match::Some {
                sub_path: None,
                depends: Some(format!("{f} condition not evaluated")),
            },
        }
    }
}

impl Match {
    fn keep_if(self, cond: bool) -> Match {
        if cond { self } else { Match::All }
    }
}

fn eval_host(values: &[String], req: &RequestShape) -> Match {
    let matching: Vec<&String> = req
        .hosts
        .iter()
        .filter(|h| values.iter().any(|v| host_matches(v, h)))
        .collect();
    if matching.len() == req.hosts.len() && !matching.is_empty() {
        Match::All
    } else if matching.is_empty() {
        Match::None(format!(
            "CloudFront sends Host: {}{}",
            req.hosts.join(" or "),
            if req.host_why.is_empty() {
                String::new()
            } else {
                format!(" {}", req.host_why)
            }
        ))
    } else {
        Match::Some {
            sub_path: None,
            depends: Some(format!(
                "viewers asking for {}",
                matching
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

fn eval_path(values: &[String], shape: &str) -> Match {
    let mut subs = Vec::new();
    for v in values {
        match relation(shape, v) {
            Relation::Within => return Match::All,
            Relation::Overlap(sub) => subs.push(sub),
            Relation::Disjoint => {}
        }
    }
    if subs.is_empty() {
        Match::None(format!("no request of {shape} matches"))
    } else {
        Match::Some {
            sub_path: Some(subs.join(" | ")),
            depends: None,
        }
    }
}

fn eval_header(name: &str, values: &[String], req: &RequestShape) -> Match {
    if let Some((n, value)) = req
        .fixed_headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
    {
        let lower = value.to_ascii_lowercase();
        return if values.iter().any(|v| glob(&v.to_ascii_lowercase(), &lower)) {
            Match::All
        } else {
            Match::None(format!(
                "CloudFront sends {n}: {value} (origin custom header), the rule expects {}",
                values.join(" or ")
            ))
        };
    }
    if req.viewer_headers.includes(name) {
        Match::Some {
            sub_path: None,
            depends: Some(format!("viewers sending {name}: {}", values.join(" or "))),
        }
    } else {
        Match::None(format!(
            "CloudFront neither sets nor forwards the {name} header"
        ))
    }
}

fn eval_source_ip(values: &[String], req: &RequestShape) -> Match {
    let Some(cidrs) = &req.source_cidrs else {
        return Match::Some {
            sub_path: None,
            depends: Some("CloudFront's origin-facing addresses (entries not loaded)".to_owned()),
        };
    };
    let nets: Vec<Ipv4Net> = values.iter().filter_map(|v| parse_ipv4_net(v)).collect();
    let inside = cidrs
        .iter()
        .filter(|c| nets.iter().any(|n| n.contains(*c)))
        .count();
    let touching = cidrs
        .iter()
        .filter(|c| nets.iter().any(|n| n.contains(*c) || c.contains(n)))
        .count();
    if inside == cidrs.len() && !cidrs.is_empty() {
        Match::All
    } else if touching == 0 {
        Match::None(format!(
            "CloudFront connects from its origin-facing ranges, none in {}",
            values.join(",")
        ))
    } else {
        Match::Some {
            sub_path: None,
            depends: Some("some of CloudFront's origin-facing ranges".to_owned()),
        }
    }
}

/// `*` matches zero or more characters, `?` exactly one; the caller folds case.
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// A host-header value against a host: case-insensitive wildcards.
pub(crate) fn host_matches(value: &str, host: &str) -> bool {
    glob(&value.to_ascii_lowercase(), &host.to_ascii_lowercase())
}

/// How the paths of a CloudFront pattern relate to a rule's path pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Relation {
    /// Every path of the shape matches the rule.
    Within,
    /// Some do: the sub-pattern they form.
    Overlap(String),
    /// None do.
    Disjoint,
}

/// A CloudFront path pattern as a path glob: CloudFront reads `api/*` as `/api/*`.
fn cloudfront_pattern(p: &str) -> String {
    if p.starts_with('/') {
        p.to_owned()
    } else {
        format!("/{p}")
    }
}

fn has_wildcard(s: &str) -> bool {
    s.contains(['*', '?'])
}

fn literal_prefix(s: &str) -> &str {
    s.find(['*', '?']).map_or(s, |i| &s[..i])
}

fn relation(shape: &str, rule: &str) -> Relation {
    // CloudFront's default behavior `*` is every path (they all start with `/`).
    let shape = if shape == "*" { "/*" } else { shape };
    if !has_wildcard(shape) {
        return if glob(rule, shape) {
            Relation::Within
        } else {
            Relation::Disjoint
        };
    }
    // The shape's paths all match when the rule, read against the shape's text, matches it
    // with `*` only (a `?` of the rule may not stand for the shape's wildcard).
    if !rule.contains('?') && glob(rule, shape) {
        return Relation::Within;
    }
    let (a, b) = (literal_prefix(shape), literal_prefix(rule));
    if b.starts_with(a) || a.starts_with(b) {
        // The more specific pattern is the sub-path.
        let sub = if !has_wildcard(rule) || glob(shape, rule) {
            rule
        } else {
            shape
        };
        Relation::Overlap(sub.to_owned())
    } else {
        Relation::Disjoint
    }
}

/// The outcome of a list of actions (`Order` first).
pub(crate) fn outcome(actions: &[Action], over_http: bool, sticky: bool) -> Outcome {
    let mut sorted: Vec<&Action> = actions.iter().collect();
    sorted.sort_by_key(|a| a.order.unwrap_or(i32::MAX));
    let Some(first) = sorted.first() else {
        return Outcome::Other {
            kind: "none".to_owned(),
        };
    };
    match first.kind.as_str() {
        "authenticate-oidc" | "authenticate-cognito" => {
            let rest: Vec<Action> = sorted[1..].iter().map(|a| (*a).clone()).collect();
            Outcome::Authenticate {
                kind: first.kind.clone(),
                then: Box::new(outcome(&rest, over_http, sticky)),
            }
        }
        "forward" => Outcome::Forward {
            groups: first
                .forward_target_groups()
                .into_iter()
                .map(|(g, w)| (g.to_string(), w))
                .collect(),
            sticky: sticky
                || first
                    .forward_config
                    .as_ref()
                    .is_some_and(|_| forward_sticky(first)),
        },
        "fixed-response" => Outcome::FixedResponse {
            status: first
                .fixed_response_config
                .as_ref()
                .map_or_else(String::new, |c| c.status_code.clone()),
        },
        "redirect" => {
            let cfg = first.redirect_config.as_ref();
            let get = |k: &str| {
                cfg.and_then(|c| c.get(k))
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
            };
            let protocol = get("Protocol").unwrap_or_else(|| "#{protocol}".to_owned());
            let host = get("Host").unwrap_or_else(|| "#{host}".to_owned());
            Outcome::Redirect {
                status: get("StatusCode").unwrap_or_default(),
                loops: over_http && protocol.eq_ignore_ascii_case("HTTPS") && host == "#{host}",
                protocol,
            }
        }
        other => Outcome::Other {
            kind: other.to_owned(),
        },
    }
}

fn forward_sticky(a: &Action) -> bool {
    a.forward_config
        .as_ref()
        .and_then(|f| f.target_group_stickiness_config.as_ref())
        .and_then(|c| c.get("Enabled"))
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false)
}

/// A rule priority as a number (`default` and unparsable ones last).
pub(crate) fn priority(p: &str) -> i64 {
    p.parse().unwrap_or(i64::MAX)
}

/// Where every request of `req` goes through `rules` (non-default, any order) and then
/// `default_actions`.
pub(crate) fn route(
    req: &RequestShape,
    rules: &[&Rule],
    default_actions: &[Action],
    default_arn: Option<&str>,
) -> Routing {
    let mut sorted: Vec<&&Rule> = rules.iter().filter(|r| !r.is_default).collect();
    sorted.sort_by_key(|r| priority(&r.priority));
    let mut out = Routing::default();
    for r in sorted {
        let rule = RuleRef {
            priority: r.priority.clone(),
            arn: Some(r.rule_arn.to_string()),
        };
        let conditions: Vec<Condition> = r.conditions.iter().map(Condition::parse).collect();
        let mut sub_path = None;
        let mut depends = Vec::new();
        let mut failed = None;
        for c in &conditions {
            match c.eval(req) {
                Match::All => {}
                Match::None(reason) => {
                    failed = Some((c.text(), reason));
                    break;
                }
                Match::Some {
                    sub_path: s,
                    depends: d,
                } => {
                    if s.is_some() {
                        sub_path = s;
                    }
                    depends.extend(d);
                }
            }
        }
        if let Some((condition, reason)) = failed {
            let groups = outcome(&r.actions, req.over_http, false)
                .groups()
                .into_iter()
                .map(str::to_owned)
                .collect();
            out.skipped.push(Skipped {
                rule,
                condition,
                reason,
                groups,
            });
            continue;
        }
        if let Some(sub) = &sub_path
            && let Some(earlier) = req
                .earlier_behaviors
                .iter()
                .find(|b| relation(sub, &cloudfront_pattern(b)) == Relation::Within)
        {
            let groups = outcome(&r.actions, req.over_http, false)
                .groups()
                .into_iter()
                .map(str::to_owned)
                .collect();
            out.skipped.push(Skipped {
                rule,
                condition: format!("path-pattern {sub}"),
                reason: format!(
                    "CloudFront sends {sub} to its earlier behavior {earlier}, never through {}",
                    req.path
                ),
                groups,
            });
            continue;
        }
        let whole = sub_path.is_none() && depends.is_empty();
        out.routes.push(Route {
            path: sub_path.unwrap_or_else(|| req.path.clone()),
            rest: false,
            rule,
            outcome: outcome(&r.actions, req.over_http, false),
            depends: (!depends.is_empty()).then(|| depends.join("; ")),
        });
        if whole {
            return out;
        }
    }
    let rest = !out.routes.is_empty();
    out.routes.push(Route {
        path: req.path.clone(),
        rest,
        rule: RuleRef {
            priority: "default".to_owned(),
            arn: default_arn.map(str::to_owned),
        },
        outcome: outcome(default_actions, req.over_http, false),
        depends: None,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shape(path: &str, hosts: &[&str]) -> RequestShape {
        RequestShape {
            path: path.to_owned(),
            hosts: hosts.iter().map(|h| (*h).to_owned()).collect(),
            host_why: String::new(),
            methods: vec!["GET".into(), "HEAD".into()],
            fixed_headers: vec![("X-Origin-Verify".into(), "s3cret".into())],
            viewer_headers: Forward::AllExcept(vec!["Host".into()]),
            query_strings: Forward::All,
            source_cidrs: Some(vec![parse_ipv4_net("130.176.0.0/18").expect("cidr")]),
            over_http: false,
            earlier_behaviors: Vec::new(),
        }
    }

    fn cond(v: serde_json::Value) -> Condition {
        Condition::parse(&v)
    }

    #[test]
    fn host_header_is_case_insensitive_with_both_wildcards() {
        // ELB guide examples: example.com, test.example.com, *.example.com.
        assert!(host_matches("*.example.com", "test.example.com"));
        assert!(host_matches("*.example.com", "WWW.Example.COM"));
        assert!(!host_matches("*.example.com", "example.com"));
        assert!(host_matches("www.example.???", "www.example.com"));
        assert!(!host_matches("www.example.??", "www.example.com"));
        let c = cond(json!({"Field": "host-header",
            "HostHeaderConfig": {"Values": ["www.example.com", "*.example.org"]}}));
        assert_eq!(c.eval(&shape("*", &["www.example.com"])), Match::All);
        assert_eq!(c.eval(&shape("*", &["a.example.org"])), Match::All, "OR");
        assert!(
            matches!(c.eval(&shape("*", &["alb-1.elb.amazonaws.com"])), Match::None(r)
            if r.contains("CloudFront sends Host: alb-1.elb.amazonaws.com"))
        );
        assert!(matches!(
            c.eval(&shape("*", &["www.example.com", "other.net"])),
            Match::Some { .. }
        ));
    }

    #[test]
    fn path_pattern_is_case_sensitive_and_splits_a_behavior() {
        // ELB guide examples: /img/*, /img/*/pics, /js/*.
        assert!(glob("/img/*", "/img/a.png"));
        assert!(glob("/img/*/pics", "/img/2024/pics"));
        assert!(!glob("/img/*", "/IMG/a.png"), "case-sensitive");
        let c = cond(json!({"Field": "path-pattern", "Values": ["/api/v2/*"]}));
        assert_eq!(c.eval(&shape("/api/v2/users", &["h"])), Match::All);
        assert!(matches!(
            c.eval(&shape("/Api/v2/users", &["h"])),
            Match::None(_)
        ));
        assert_eq!(
            c.eval(&shape("/api/*", &["h"])),
            Match::Some {
                sub_path: Some("/api/v2/*".into()),
                depends: None
            }
        );
        assert_eq!(c.eval(&shape("/api/v2/x/*", &["h"])), Match::All);
        assert!(matches!(
            c.eval(&shape("/static/*", &["h"])),
            Match::None(_)
        ));
        let all = cond(json!({"Field": "path-pattern", "Values": ["/img/*", "*"]}));
        assert_eq!(all.eval(&shape("*", &["h"])), Match::All, "OR of values");
    }

    #[test]
    fn http_header_name_case_insensitive_value_wildcards() {
        let ok = cond(json!({"Field": "http-header", "HttpHeaderConfig":
            {"HttpHeaderName": "x-origin-verify", "Values": ["S3CR*"]}}));
        assert_eq!(ok.eval(&shape("*", &["h"])), Match::All);
        let bad = cond(json!({"Field": "http-header", "HttpHeaderConfig":
            {"HttpHeaderName": "X-Origin-Verify", "Values": ["other"]}}));
        assert!(matches!(bad.eval(&shape("*", &["h"])), Match::None(r) if r.contains("s3cret")));
        // ELB guide example: User-Agent *Chrome*, *Safari* — a forwarded viewer header.
        let ua = cond(json!({"Field": "http-header", "HttpHeaderConfig":
            {"HttpHeaderName": "User-Agent", "Values": ["*Chrome*", "*Safari*"]}}));
        assert!(matches!(ua.eval(&shape("*", &["h"])), Match::Some { .. }));
        let mut none = shape("*", &["h"]);
        none.viewer_headers = Forward::None;
        assert!(matches!(ua.eval(&none), Match::None(_)));
    }

    #[test]
    fn method_query_and_source_ip() {
        let m = cond(json!({"Field": "http-request-method",
            "HttpRequestMethodConfig": {"Values": ["GET", "HEAD"]}}));
        assert_eq!(m.eval(&shape("*", &["h"])), Match::All);
        let post = cond(json!({"Field": "http-request-method",
            "HttpRequestMethodConfig": {"Values": ["POST"]}}));
        assert!(matches!(post.eval(&shape("*", &["h"])), Match::None(_)));
        let lower = cond(json!({"Field": "http-request-method",
            "HttpRequestMethodConfig": {"Values": ["get"]}}));
        assert!(
            matches!(lower.eval(&shape("*", &["h"])), Match::None(_)),
            "case-sensitive"
        );
        // ELB guide example: version=v1, *=example.
        let q = cond(json!({"Field": "query-string", "QueryStringConfig":
            {"Values": [{"Key": "version", "Value": "v1"}, {"Value": "*example*"}]}}));
        assert!(matches!(q.eval(&shape("*", &["h"])), Match::Some { .. }));
        let mut no_qs = shape("*", &["h"]);
        no_qs.query_strings = Forward::None;
        assert!(matches!(q.eval(&no_qs), Match::None(_)));
        let ip =
            cond(json!({"Field": "source-ip", "SourceIpConfig": {"Values": ["130.176.0.0/16"]}}));
        assert_eq!(ip.eval(&shape("*", &["h"])), Match::All);
        let other =
            cond(json!({"Field": "source-ip", "SourceIpConfig": {"Values": ["10.0.0.0/8"]}}));
        assert!(matches!(other.eval(&shape("*", &["h"])), Match::None(_)));
    }

    fn rule(priority: &str, conditions: serde_json::Value, actions: serde_json::Value) -> Rule {
        serde_json::from_value(
            json!({"RuleArn": format!("arn:r/{priority}"), "Priority": priority,
            "Conditions": conditions, "Actions": actions, "IsDefault": false}),
        )
        .expect("rule")
    }

    #[test]
    fn conditions_are_anded_rules_in_priority_order_then_default() {
        let fwd = |tg: &str| json!([{"Type": "forward", "TargetGroupArn": tg}]);
        let r10 = rule(
            "10",
            json!([{"Field": "path-pattern", "Values": ["/api/v2/*"]}]),
            fwd("tg-v2"),
        );
        let r5 = rule(
            "5",
            json!([{"Field": "host-header", "Values": ["www.example.com"]},
                   {"Field": "path-pattern", "Values": ["/api/*"]}]),
            fwd("tg-www"),
        );
        let default: Vec<Action> = serde_json::from_value(fwd("tg-legacy")).expect("a");
        let req = shape("/api/*", &["alb-1.elb.amazonaws.com"]);
        let routing = route(&req, &[&r10, &r5], &default, None);
        assert_eq!(routing.skipped.len(), 1);
        assert_eq!(routing.skipped[0].rule.priority, "5");
        assert_eq!(routing.routes.len(), 2);
        assert_eq!(routing.routes[0].path, "/api/v2/*");
        assert_eq!(routing.routes[0].outcome.groups(), vec!["tg-v2"]);
        assert!(routing.routes[1].rest);
        assert_eq!(routing.routes[1].outcome.groups(), vec!["tg-legacy"]);
        // A concrete path takes one route.
        let one = route(
            &shape("/api/v2/users", &["www.example.com"]),
            &[&r10, &r5],
            &default,
            None,
        );
        assert_eq!(one.routes.len(), 1);
        assert_eq!(one.routes[0].rule.priority, "5");
    }

    #[test]
    fn a_rule_whose_paths_an_earlier_behavior_takes_gets_nothing_from_this_one() {
        let fwd = |tg: &str| json!([{"Type": "forward", "TargetGroupArn": tg}]);
        let r10 = rule(
            "10",
            json!([{"Field": "path-pattern", "Values": ["/api/v2/*"]}]),
            fwd("tg-v2"),
        );
        let r20 = rule(
            "20",
            json!([{"Field": "path-pattern", "Values": ["/img/*"]}]),
            fwd("tg-img"),
        );
        let default: Vec<Action> = serde_json::from_value(fwd("tg-web")).expect("a");
        // The default behavior `*` comes after `api/*` (CloudFront reads it as `/api/*`).
        let mut req = shape("*", &["www.example.com"]);
        req.earlier_behaviors = vec!["api/*".to_owned()];
        let routing = route(&req, &[&r10, &r20], &default, None);
        assert_eq!(routing.skipped.len(), 1, "{routing:#?}");
        assert_eq!(routing.skipped[0].rule.priority, "10");
        assert!(
            routing.skipped[0]
                .reason
                .contains("CloudFront sends /api/v2/* to its earlier behavior api/*"),
            "{routing:#?}"
        );
        let taken: Vec<&str> = routing.routes.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(taken, vec!["/img/*", "*"]);
        // Without the earlier behavior, rule 10 takes its sub-path of `*`.
        req.earlier_behaviors.clear();
        assert_eq!(route(&req, &[&r10, &r20], &default, None).routes.len(), 3);
    }

    #[test]
    fn actions_fixed_redirect_loop_and_authenticate() {
        let fixed: Vec<Action> = serde_json::from_value(json!([{"Type": "fixed-response",
            "FixedResponseConfig": {"StatusCode": "404"}}]))
        .expect("a");
        assert!(outcome(&fixed, false, false).answered_by_alb());
        let redirect: Vec<Action> = serde_json::from_value(json!([{"Type": "redirect",
            "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}]))
        .expect("a");
        assert!(matches!(
            outcome(&redirect, true, false),
            Outcome::Redirect { loops: true, .. }
        ));
        assert!(matches!(
            outcome(&redirect, false, false),
            Outcome::Redirect { loops: false, .. }
        ));
        let auth: Vec<Action> = serde_json::from_value(json!([
            {"Type": "forward", "TargetGroupArn": "tg", "Order": 2},
            {"Type": "authenticate-oidc", "Order": 1}]))
        .expect("a");
        let o = outcome(&auth, false, false);
        assert!(matches!(&o, Outcome::Authenticate { kind, .. } if kind == "authenticate-oidc"));
        assert_eq!(o.groups(), vec!["tg"]);
        let weighted: Vec<Action> = serde_json::from_value(json!([{"Type": "forward",
            "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": "a", "Weight": 100},
            {"TargetGroupArn": "b", "Weight": 0}],
            "TargetGroupStickinessConfig": {"Enabled": true}}}]))
        .expect("a");
        let w = outcome(&weighted, false, false);
        assert_eq!(w.groups(), vec!["a"], "weight 0 takes no traffic");
        assert!(matches!(w, Outcome::Forward { sticky: true, .. }));
        assert_eq!(w.weight_share("a"), None, "one group takes every request");
        let split: Vec<Action> = serde_json::from_value(json!([{"Type": "forward",
            "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": "a", "Weight": 2},
            {"TargetGroupArn": "b", "Weight": 1}, {"TargetGroupArn": "c", "Weight": 0}]}}]))
        .expect("a");
        let w = outcome(&split, false, false);
        assert_eq!(w.weight_share("a"), Some(67));
        assert_eq!(w.weight_share("b"), Some(33));
        assert_eq!(w.weight_share("c"), None, "weight 0 takes no traffic");
    }
}
