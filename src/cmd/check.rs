//! `edgepath check`: every path, every hop, with evidence; then the rules over the same facts.

use miette::Result;

use super::{Globals, LiveScope, Outcome, emit, load_inventory};
use crate::model::{Inventory, Kind};
use crate::reach::{ReachOptions, ReachReport, ViewerRequest, evaluate, unknown_hops};
use crate::report::Report;
use crate::report::model::{CheckReport, Coverage};
use crate::rules::{assemble_facts, load_rules};

/// What `edgepath check` evaluates.
#[derive(Debug, Clone, Default)]
pub struct CheckRequest {
    /// Only paths of these distributions (empty = all).
    pub distributions: Vec<String>,
    /// Only paths through these load balancers, by name or ARN (empty = all).
    pub albs: Vec<String>,
    /// `DOMAIN=ALB` pairs mapping a custom origin domain to an ALB, as given.
    pub origin_map: Vec<String>,
    /// One viewer request's path (`--path`), instead of every behavior.
    pub path: Option<String>,
    /// That request's `Host` (`--host`).
    pub host: Option<String>,
}

/// The viewer request of `--path` / `--host`: the path from `/` without its query string.
///
/// # Errors
/// A path that does not start with `/`, or `--host` without `--path`.
pub fn viewer_request(path: Option<&str>, host: Option<&str>) -> Result<Option<ViewerRequest>> {
    let Some(path) = path else {
        if let Some(h) = host {
            return Err(miette::miette!(
                help = format!("give the path too: --path / --host {h}"),
                "--host needs --path: edgepath follows one request, and a request has a path"
            ));
        }
        return Ok(None);
    };
    // A pasted URL: keep its path.
    let path = path
        .strip_prefix("https://")
        .or_else(|| path.strip_prefix("http://"))
        .map_or(path, |rest| rest.find('/').map_or("/", |i| &rest[i..]));
    let path = path.split(['?', '#']).next().unwrap_or_default();
    if !path.starts_with('/') {
        return Err(miette::miette!(
            help = "write it as CloudFront receives it, from the first slash: --path /api/v2/users",
            "--path `{path}` does not start with `/`"
        ));
    }
    let host = host.map(|h| h.trim().trim_end_matches('.').to_ascii_lowercase());
    if host.as_deref() == Some("") {
        return Err(miette::miette!("--host is empty"));
    }
    Ok(Some(ViewerRequest {
        path: path.to_owned(),
        host,
    }))
}

/// Parses `DOMAIN=ALB` pairs.
///
/// # Errors
/// A pair without `=` or with an empty side.
pub fn parse_origin_map(items: &[String]) -> Result<Vec<(String, String)>> {
    items
        .iter()
        .map(|s| match s.split_once('=') {
            Some((d, a)) if !d.trim().is_empty() && !a.trim().is_empty() => {
                Ok((d.trim().to_owned(), a.trim().to_owned()))
            }
            _ => Err(miette::miette!(
                help = "write it as --origin-map api.example.com=web-alb",
                "--origin-map `{s}` is not DOMAIN=ALB"
            )),
        })
        .collect()
}

/// Runs `edgepath check`.
///
/// # Errors
/// Input errors.
pub fn run(g: &Globals, a: &CheckRequest) -> Result<Outcome> {
    let opts = ReachOptions {
        distributions: a.distributions.clone(),
        albs: a.albs.clone(),
        origin_map: parse_origin_map(&a.origin_map)?,
        request: viewer_request(a.path.as_deref(), a.host.as_deref())?,
    };
    let loaded = load_inventory(
        g,
        &LiveScope {
            distributions: a.distributions.clone(),
            albs: a.albs.clone(),
            timeline: None,
        },
    )?;
    super::require_cloudfront_data(&loaded)?;
    check_filters_exist(&loaded.inventory, &opts)?;
    check_host_answered(&loaded.inventory, &opts)?;
    let rules = load_rules(&g.rules_dirs)?;
    let paths = evaluate(&loaded.inventory, &opts);
    check_filters_matched(&loaded.inventory, &opts, &paths)?;
    let mut evaluation = rules.evaluate(&assemble_facts(
        Some(&loaded.inventory),
        std::slice::from_ref(&paths),
        &[],
    ));
    // `check` reads no logs; the log rules' "no logs given" is triage's business.
    evaluation
        .not_run
        .retain(|n| rules.get(&n.rule).is_none_or(|r| r.kind != "log_bucket"));
    let bad = paths.has_problems() || evaluation.has_critical();
    let coverage = Coverage::new(unknown_hops(&paths.paths), bad);
    let outcome = Outcome::from_checks(bad, coverage.incomplete, g.allow_unknown);
    let report = CheckReport {
        paths: &paths,
        rules: evaluation,
        coverage,
        warnings: loaded.warning_texts(),
        request: opts.request.clone(),
    };
    emit(g, &Report::Check(&report))?;
    Ok(outcome)
}

/// `--distribution` / `--alb` values that name nothing in the data are usage errors (exit 2),
/// with the ids and names that are there.
///
/// # Errors
/// A distribution id or load balancer name / ARN that the data does not hold.
fn check_filters_exist(inv: &Inventory, opts: &ReachOptions) -> Result<()> {
    for id in &opts.distributions {
        if !inv.distributions.keys().any(|d| d.as_str() == id) {
            let known: Vec<String> = inv
                .distributions
                .values()
                .map(|d| match &d.domain_name {
                    Some(domain) => format!("{} ({domain})", d.id),
                    None => d.id.to_string(),
                })
                .collect();
            return Err(miette::miette!(
                help = available("distributions", &known),
                "--distribution {id}: no such distribution in the data"
            ));
        }
    }
    for key in &opts.albs {
        let found = inv
            .load_balancers
            .values()
            .any(|lb| lb.load_balancer_name == *key || lb.load_balancer_arn.as_str() == key);
        if !found {
            let known: Vec<String> = inv
                .load_balancers
                .values()
                .map(|lb| lb.load_balancer_name.clone())
                .collect();
            let help = if inv.has(Kind::LoadBalancers) {
                format!(
                    "{} (give a name or an ARN)",
                    available("load balancers", &known)
                )
            } else {
                format!(
                    "load balancers: {}",
                    inv.missing_reason(Kind::LoadBalancers)
                )
            };
            return Err(miette::miette!(
                help = help,
                "--alb {key}: no such load balancer in the data"
            ));
        }
    }
    Ok(())
}

/// A `--host` that no (selected) distribution answers is a usage error: CloudFront would not
/// route that request to any of them.
///
/// # Errors
/// No enabled distribution in scope has the host as an alias or its `*.cloudfront.net` name.
fn check_host_answered(inv: &Inventory, opts: &ReachOptions) -> Result<()> {
    let Some(host) = opts.request.as_ref().and_then(|r| r.host.as_deref()) else {
        return Ok(());
    };
    let in_scope =
        |id: &str| opts.distributions.is_empty() || opts.distributions.iter().any(|x| x == id);
    let scoped: Vec<_> = inv
        .distributions
        .values()
        .filter(|d| d.enabled && in_scope(d.id.as_str()))
        .collect();
    if scoped.iter().any(|d| d.answers_host(host)) {
        return Ok(());
    }
    let names: Vec<String> = scoped
        .iter()
        .flat_map(|d| {
            d.aliases
                .iter()
                .flat_map(|a| a.items.iter().cloned())
                .chain(d.domain_name.clone())
                .map(move |h| format!("{h} ({})", d.id))
        })
        .collect();
    Err(miette::miette!(
        help = available("hosts", &names),
        "--host {host}: no distribution has it as an alternate domain name (alias) or as its cloudfront.net name"
    ))
}

/// Filters that all exist but select no path together (an ALB no origin points at, a
/// disabled distribution) are usage errors too: "no paths" must not read as "nothing wrong".
///
/// # Errors
/// Filters were given and selected no path (nor, for a distribution filter alone, an
/// out-of-scope origin).
fn check_filters_matched(inv: &Inventory, opts: &ReachOptions, report: &ReachReport) -> Result<()> {
    let filtered = !opts.distributions.is_empty() || !opts.albs.is_empty();
    // Out-of-scope origins (S3, …) match a distribution filter, never an ALB filter.
    let matched =
        !report.paths.is_empty() || (opts.albs.is_empty() && !report.out_of_scope.is_empty());
    if !filtered || matched {
        return Ok(());
    }
    let disabled: Vec<&str> = opts
        .distributions
        .iter()
        .filter(|id| {
            inv.distributions
                .values()
                .any(|d| d.id.as_str() == id.as_str() && !d.enabled)
        })
        .map(String::as_str)
        .collect();
    if !disabled.is_empty() {
        return Err(miette::miette!(
            help = "edgepath evaluates the paths of enabled distributions only",
            "--distribution {}: disabled, so no path to evaluate",
            disabled.join(", ")
        ));
    }
    let mut pairs: Vec<String> = inv
        .distributions
        .values()
        .filter(|d| {
            opts.distributions.is_empty() || opts.distributions.iter().any(|x| x == d.id.as_str())
        })
        .flat_map(|d| {
            let all = ReachOptions {
                distributions: vec![d.id.to_string()],
                albs: Vec::new(),
                origin_map: opts.origin_map.clone(),
                request: None,
            };
            evaluate(inv, &all)
                .paths
                .into_iter()
                .filter_map(|p| {
                    p.load_balancer
                        .map(|lb| format!("{} → {lb}", p.distribution))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    pairs.sort();
    pairs.dedup();
    let mut selected: Vec<String> = opts
        .distributions
        .iter()
        .map(|d| format!("--distribution {d}"))
        .collect();
    selected.extend(opts.albs.iter().map(|a| format!("--alb {a}")));
    Err(miette::miette!(
        help = available("CloudFront → ALB paths", &pairs),
        "{}: no CloudFront → ALB path goes through that",
        selected.join(" ")
    ))
}

/// "distributions in the data: A, B" (or that there are none).
fn available(what: &str, items: &[String]) -> String {
    if items.is_empty() {
        format!("the data holds no {what}")
    } else {
        let mut items = items.to_vec();
        items.sort();
        format!("{what} in the data: {}", items.join(", "))
    }
}
