//! The path diagram: distribution/behavior → origin → ALB listener → (routing rule) → target
//! group → targets, one row per route, each hop drawn as a connector coloured by its verdict
//! (and labelled with its icon and word), the first failing hop marked "fails here".
//!
//! Hand-built SVG, not a plotting or graph crate: the layout is a fixed row of boxes, so the
//! whole drawing is a few dozen elements that maud escapes like the rest of the page, with
//! nothing to fetch and no layout engine to ship.
//!
//! A *route* is every path that shares distribution, behavior, origin, load balancer,
//! listener, routing rule and target group; its targets are counted in one box, and each hop's
//! verdict is the combination over its paths (any blocked → blocked, …). Hovering a hop shows
//! its evidence (`<title>`); following it (or opening the fold below the row) lists the
//! evidence: the admitting rule, denying rules, near misses, missing data with the call that
//! supplies it. Large accounts: failing routes are drawn (at most [`MAX_DRAWN`]), healthy ones
//! collapse into a count and a folded table, so the page stays small.
//!
//! Targets are counted per target group, not per Availability Zone: the report's paths do not
//! carry a target's zone.

use std::collections::BTreeMap;

use maud::{Markup, html};

use super::{icon, verdict_badge};
use crate::model::Hop;
use crate::reach::{Evidence, PathTrace, Verdict};

/// Failing routes drawn as diagrams; the rest are listed in a table.
const MAX_DRAWN: usize = 30;
/// Rows of the folded tables (the JSON output has every path).
const MAX_ROWS: usize = 200;
/// Evidence lines per hop.
const MAX_EVIDENCE: usize = 30;

const NODE_W: i64 = 136;
const NODE_H: i64 = 54;
const GAP: i64 = 84;
const TOP: i64 = 22;

/// Paths sharing everything up to the target group.
struct Route<'a> {
    paths: Vec<&'a PathTrace>,
}

impl Route<'_> {
    fn first(&self) -> &PathTrace {
        self.paths[0]
    }

    fn verdict(&self) -> Verdict {
        Verdict::combine(self.paths.iter().map(|p| p.verdict))
    }

    /// Each hop of the route, in path order, with its combined verdict.
    fn hops(&self) -> Vec<(Hop, Verdict)> {
        Hop::ALL
            .iter()
            .filter_map(|&h| {
                let vs: Vec<Verdict> = self
                    .paths
                    .iter()
                    .flat_map(|p| p.hops.iter().filter(|r| r.hop == h).map(|r| r.verdict))
                    .collect();
                (!vs.is_empty()).then(|| (h, Verdict::combine(vs)))
            })
            .collect()
    }

    fn routing_rule(&self) -> Option<String> {
        let p = self.first();
        let fact = p
            .hops
            .iter()
            .find(|h| h.hop == Hop::AlbRouting)
            .map(|h| h.fact.routing_rule.clone())
            .filter(|r| !r.is_empty());
        fact.or_else(|| p.sub_path.clone())
    }

    /// Evidence of `hop` over every path, de-duplicated, in first-seen order.
    fn evidence(&self, hop: Hop) -> Vec<&Evidence> {
        let mut out: Vec<&Evidence> = Vec::new();
        for p in &self.paths {
            for h in p.hops.iter().filter(|h| h.hop == hop) {
                for e in &h.evidence {
                    if !out.contains(&e) {
                        out.push(e);
                    }
                }
            }
        }
        out
    }
}

fn group(paths: &[PathTrace]) -> Vec<Route<'_>> {
    let mut by_key: BTreeMap<_, Route<'_>> = BTreeMap::new();
    let mut order = Vec::new();
    for p in paths {
        let key = (
            &p.distribution,
            &p.behavior,
            &p.origin,
            &p.load_balancer,
            &p.listener,
            &p.sub_path,
            &p.target_group,
        );
        by_key
            .entry(key)
            .or_insert_with(|| {
                order.push(key);
                Route { paths: Vec::new() }
            })
            .paths
            .push(p);
    }
    order
        .into_iter()
        .filter_map(|k| by_key.remove(&k))
        .collect()
}

/// The diagram of `paths`: failing routes drawn, healthy ones counted.
pub(super) fn diagram(paths: &[PathTrace]) -> Markup {
    let routes = group(paths);
    let (failing, healthy): (Vec<&Route<'_>>, Vec<&Route<'_>>) =
        routes.iter().partition(|r| r.verdict() != Verdict::Allowed);
    let healthy_paths: usize = healthy.iter().map(|r| r.paths.len()).sum();
    let failing_paths: usize = failing.iter().map(|r| r.paths.len()).sum();
    html! {
        p.summary data-failing-paths=(failing_paths) data-healthy-paths=(healthy_paths) {
            (paths.len()) " paths: "
            @if failing_paths > 0 { (verdict_badge(Verdict::Blocked)) " " (failing_paths) " not allowed in " (failing.len()) " routes; " }
            (verdict_badge(Verdict::Allowed)) " " (healthy_paths) " allowed in " (healthy.len()) " routes."
        }
        @for (i, r) in failing.iter().take(MAX_DRAWN).enumerate() { (route(i, r)) }
        @if failing.len() > MAX_DRAWN {
            details.more-failing {
                summary { (failing.len() - MAX_DRAWN) " more failing routes (not drawn)" }
                (route_table(&failing[MAX_DRAWN..]))
            }
        }
        @if !healthy.is_empty() {
            details.healthy data-routes=(healthy.len()) {
                summary { (verdict_badge(Verdict::Allowed)) " " (healthy_paths) " allowed paths in " (healthy.len()) " routes (collapsed)" }
                (route_table(&healthy))
            }
        }
    }
}

fn route_table(routes: &[&Route<'_>]) -> Markup {
    html! {
        table {
            thead { tr { th { "distribution" } th { "behavior" } th { "origin" } th { "load balancer" } th { "target group" } th { "targets" } th { "verdict" } th { "first failing hop" } } }
            tbody {
                @for r in routes.iter().take(MAX_ROWS) {
                    @let p = r.first();
                    tr {
                        td { code { (p.distribution) } } td { code { (p.behavior) } } td { (p.origin) }
                        td { (p.load_balancer.as_deref().unwrap_or("—")) " " (p.listener.as_deref().unwrap_or("")) }
                        td { (p.target_group.as_deref().unwrap_or("—")) }
                        td { (r.paths.len()) }
                        td { (verdict_badge(r.verdict())) }
                        td { @if let Some((h, _)) = r.hops().into_iter().find(|(_, v)| *v != Verdict::Allowed) { code { (h.as_str()) } } }
                    }
                }
            }
        }
        @if routes.len() > MAX_ROWS { p.note { "and " (routes.len() - MAX_ROWS) " more routes (every path is in --format json)" } }
    }
}

/// One node of the row.
struct Node {
    kind: &'static str,
    label: String,
    sub: String,
}

fn nodes(r: &Route<'_>) -> Vec<Node> {
    let p = r.first();
    let mut out = vec![
        Node {
            kind: "distribution",
            label: p.distribution.clone(),
            sub: format!("behavior {}", p.behavior),
        },
        Node {
            kind: "origin",
            label: p.origin.clone(),
            sub: "origin".to_owned(),
        },
        Node {
            kind: "listener",
            label: p.load_balancer.clone().unwrap_or_else(|| "—".to_owned()),
            sub: p
                .listener
                .as_ref()
                .map_or_else(|| "no listener".to_owned(), |l| format!("listener {l}")),
        },
    ];
    if let Some(rule) = r.routing_rule() {
        out.push(Node {
            kind: "rule",
            label: rule,
            sub: "routing rule".to_owned(),
        });
    }
    out.push(Node {
        kind: "target-group",
        label: p.target_group.clone().unwrap_or_else(|| "—".to_owned()),
        sub: "target group".to_owned(),
    });
    let targets: Vec<&str> = r.paths.iter().filter_map(|p| p.target.as_deref()).collect();
    out.push(Node {
        kind: "targets",
        label: match targets.as_slice() {
            [] => "no targets".to_owned(),
            [one] => (*one).to_owned(),
            many => format!("{} targets", many.len()),
        },
        sub: verdict_counts(r),
    });
    out
}

fn verdict_counts(r: &Route<'_>) -> String {
    let mut counts: BTreeMap<Verdict, usize> = BTreeMap::new();
    for p in &r.paths {
        *counts.entry(p.verdict).or_default() += 1;
    }
    counts
        .iter()
        .map(|(v, n)| format!("{n} {} {}", icon(*v), v.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which gap (between node `i` and `i + 1`) a hop is drawn in; `None` for the target's health,
/// drawn after the last node.
fn gap_of(hop: Hop, n_nodes: usize) -> Option<usize> {
    match hop {
        Hop::ViewerToCloudfront => Some(0),
        Hop::CloudfrontToAlb => Some(1),
        Hop::AlbRouting => Some(2),
        Hop::AlbToTarget => Some(n_nodes - 2),
        Hop::Target => None,
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

fn evidence_line(e: &Evidence) -> (&'static str, String) {
    match e {
        Evidence::Admitted { rule } => ("admitted by", rule.clone()),
        Evidence::DeniedBy { rule } => ("denied by", rule.clone()),
        Evidence::NearMiss {
            rule,
            differs,
            detail,
        } => (
            "near miss",
            format!("{rule} (differs in {differs}): {detail}"),
        ),
        Evidence::Checked { what } => ("checked", what.clone()),
        Evidence::Missing { what, cli } => ("missing", format!("{what} — supplied by: {cli}")),
        Evidence::Problem { code, detail } => ("problem", format!("{code}: {detail}")),
    }
}

fn route(i: usize, r: &Route<'_>) -> Markup {
    let nodes = nodes(r);
    let hops = r.hops();
    let failing = hops
        .iter()
        .find(|(_, v)| *v != Verdict::Allowed)
        .map(|(h, _)| *h);
    let n = nodes.len();
    let x_of = |k: usize| 10 + i64::try_from(k).unwrap_or(0) * (NODE_W + GAP);
    let width = x_of(n - 1) + NODE_W + 112;
    let height = TOP + NODE_H + 40;
    let mid = TOP + NODE_H / 2;
    let label = format!(
        "Route {} of {}: {}",
        i + 1,
        r.first().distribution,
        r.verdict().as_str()
    );
    html! {
        div.route.failing-route id=(format!("route-{i}")) data-verdict=(r.verdict().as_str()) {
            h3 { "Route " (i + 1) ": " (verdict_badge(r.verdict())) " " code { (r.first().distribution) } " " (r.first().behavior) " → " (r.first().load_balancer.as_deref().unwrap_or("—")) " → " (r.first().target_group.as_deref().unwrap_or("—")) }
            svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox=(format!("0 0 {width} {height}")) width=(width) height=(height) aria-labelledby=(format!("route-{i}-title")) {
                title id=(format!("route-{i}-title")) { (label) }
                // Plain connectors between nodes without a hop of their own.
                @for k in 0..n.saturating_sub(1) {
                    @if !hops.iter().any(|(h, _)| gap_of(*h, n) == Some(k)) {
                        line.axis x1=(x_of(k) + NODE_W) y1=(mid) x2=(x_of(k + 1)) y2=(mid) stroke-width="2" {}
                    }
                }
                @for (k, node) in nodes.iter().enumerate() {
                    g.node data-node=(node.kind) {
                        title { (node.sub) ": " (node.label) }
                        rect x=(x_of(k)) y=(TOP) width=(NODE_W) height=(NODE_H) rx="6" {}
                        text x=(x_of(k) + 8) y=(TOP + 22) { (truncate(&node.label, 18)) }
                        text.sub x=(x_of(k) + 8) y=(TOP + 40) { (truncate(&node.sub, 21)) }
                    }
                }
                @for (j, (hop, v)) in hops.iter().enumerate() {
                    @let (x1, x2) = match gap_of(*hop, n) {
                        Some(k) => (x_of(k) + NODE_W, x_of(k + 1)),
                        None => (x_of(n - 1) + NODE_W, x_of(n - 1) + NODE_W + 14),
                    };
                    @let is_failing = failing == Some(*hop);
                    @let cx = if gap_of(*hop, n).is_some() { (x1 + x2) / 2 } else { x2 + 42 };
                    @let cy = mid;
                    a href=(format!("#ev-{i}-{j}")) {
                        g.hop.(v.as_str()).failing[is_failing] data-hop=(hop.as_str()) data-verdict=(v.as_str()) data-failing=[is_failing.then_some("true")] {
                            title { (hop_title(r, *hop, *v)) }
                            line x1=(x1) y1=(mid) x2=(x2) y2=(mid) {}
                            text.sub x=(cx) y=(cy - 16) text-anchor="middle" { (hop.as_str()) }
                            rect x=(cx - 42) y=(cy - 11) width="84" height="22" rx="11" {}
                            text x=(cx) y=(cy + 4) text-anchor="middle" { (icon(*v)) " " (v.as_str()) }
                            @if is_failing { text.failmark x=(cx) y=(cy + 28) text-anchor="middle" { "▲ fails here" } }
                        }
                    }
                }
            }
            @for (j, (hop, v)) in hops.iter().enumerate() {
                @let is_failing = failing == Some(*hop);
                details.hop-evidence id=(format!("ev-{i}-{j}")) data-hop=(hop.as_str()) data-verdict=(v.as_str()) data-failing=[is_failing.then_some("true")] open[is_failing] {
                    summary { (verdict_badge(*v)) " " code { (hop.as_str()) } @if is_failing { strong.blocked { " — fails here" } } }
                    (evidence_list(r, *hop))
                }
            }
            @if r.paths.len() > 1 {
                details {
                    summary { (r.paths.len()) " targets" }
                    ul { @for p in &r.paths { li { code { (p.target.as_deref().unwrap_or("—")) } " " (verdict_badge(p.verdict)) } } }
                }
            }
        }
    }
}

fn hop_title(r: &Route<'_>, hop: Hop, v: Verdict) -> String {
    let mut lines = vec![format!("{}: {} {}", hop.as_str(), icon(v), v.as_str())];
    for e in r.evidence(hop).into_iter().take(6) {
        let (kind, text) = evidence_line(e);
        lines.push(format!("{kind}: {text}"));
    }
    lines.join("\n")
}

fn evidence_list(r: &Route<'_>, hop: Hop) -> Markup {
    let ev = r.evidence(hop);
    html! {
        @if ev.is_empty() { p.note { "No evidence recorded for this hop." } }
        @else {
            ul {
                @for e in ev.iter().take(MAX_EVIDENCE) {
                    @let (kind, text) = evidence_line(e);
                    li data-evidence=(kind) { span.ev-kind { (kind) } " " (text) }
                }
            }
            @if ev.len() > MAX_EVIDENCE { p.note { "and " (ev.len() - MAX_EVIDENCE) " more" } }
        }
    }
}
