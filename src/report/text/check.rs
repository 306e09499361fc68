//! `check` as text: one chain per path, the first failing hop marked, targets with identical
//! results grouped; then the rules' findings.

use std::io::{self, Write};

use super::{paint_severity, paint_verdict};
use crate::reach::{Evidence, PathTrace, ReachReport, Verdict};
use crate::report::model::CheckReport;
use crate::report::style::Style;
use crate::rules::Evaluation;

pub(super) fn render(r: &CheckReport<'_>, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    if let Some(req) = &r.request {
        let host = req
            .host
            .as_deref()
            .map_or_else(|| "any Host".to_owned(), |h| format!("Host {h}"));
        writeln!(out, "{} {} ({host})", style.bold("Request"), req.path)?;
        for (distribution, behavior) in r.request_behaviors() {
            writeln!(out, "  {distribution}: behavior {behavior} serves it")?;
        }
        if r.paths.paths.is_empty() && r.paths.out_of_scope.is_empty() {
            writeln!(out, "  no distribution in scope serves it")?;
        }
        writeln!(out)?;
    }
    render_paths(r.paths, style, out)?;
    render_findings(&r.rules, style, out)?;
    if let Some(m) = r.coverage.message() {
        writeln!(out, "\n{}", style.magenta(&m))?;
    }
    Ok(())
}

fn verdict(style: &Style, v: Verdict) -> String {
    paint_verdict(style, v, &v.as_str().to_ascii_uppercase())
}

fn chain(p: &PathTrace, target: &str) -> String {
    let mut s = format!("{} {}", p.distribution, p.behavior);
    if let Some(sub) = &p.sub_path {
        s.push_str(&format!(" [{sub}]"));
    }
    if let Some(lb) = &p.load_balancer {
        if p.port >= 0 {
            s.push_str(&format!(" → {lb} :{}", p.port));
        } else {
            s.push_str(&format!(" → {lb} (port unknown)"));
        }
    } else {
        s.push_str(&format!(" → origin {}", p.origin));
    }
    if let Some(tg) = &p.target_group {
        s.push_str(&format!(" → {tg}"));
    }
    if !target.is_empty() {
        s.push_str(&format!(" → {target}"));
    }
    s
}

/// The per-target signature: hop verdicts and reasons (targets with equal signatures group).
fn signature(p: &PathTrace) -> Vec<(&'static str, Verdict, &[String])> {
    p.hops
        .iter()
        .map(|h| (h.hop.as_str(), h.verdict, h.fact.reasons.as_slice()))
        .collect()
}

/// Whether `q` is `p` with another target and the same result (they print as one line).
fn same_but_target(p: &PathTrace, q: &PathTrace) -> bool {
    q.distribution == p.distribution
        && q.behavior == p.behavior
        && q.sub_path == p.sub_path
        && q.origin == p.origin
        && q.load_balancer == p.load_balancer
        && q.port == p.port
        && q.target_group == p.target_group
        && signature(q) == signature(p)
}

/// One evidence line under a hop: a mark, then the evidence.
fn evidence_line(e: &Evidence) -> String {
    match e {
        Evidence::Admitted { .. } => format!("✓ {e}"),
        Evidence::DeniedBy { .. } => format!("✗ {e}"),
        Evidence::NearMiss {
            rule,
            differs,
            detail,
        } => format!("~ near miss ({differs} differs): {rule} — {detail}"),
        Evidence::Checked { .. } => format!("· {e}"),
        Evidence::Missing { what, cli } => format!("? missing {what}: {cli}"),
        Evidence::Problem { code, detail } => format!("✗ {code}: {detail}"),
    }
}

fn render_paths(r: &ReachReport, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    if r.paths.is_empty() {
        writeln!(out, "No CloudFront → ALB paths found.")?;
    }
    let mut i = 0;
    while i < r.paths.len() {
        let p = &r.paths[i];
        let group = 1 + r.paths[i + 1..]
            .iter()
            .take_while(|q| same_but_target(p, q))
            .count();
        let targets: Vec<&str> = r.paths[i..i + group]
            .iter()
            .filter_map(|x| x.target.as_deref())
            .collect();
        let target = match targets.len() {
            0 => String::new(),
            1 => targets[0].to_owned(),
            n if n <= 4 => format!("{{{}}}", targets.join(", ")),
            n => format!("{{{}, … {} more}}", targets[..3].join(", "), n - 3),
        };
        writeln!(out, "{}  {}", chain(p, &target), verdict(style, p.verdict))?;
        let first_bad = p.hops.iter().position(|h| h.verdict != Verdict::Allowed);
        for (k, h) in p.hops.iter().enumerate() {
            let mark = if Some(k) == first_bad {
                style.bold("▶")
            } else {
                " ".to_owned()
            };
            let reasons = if h.fact.reasons.is_empty() {
                String::new()
            } else {
                format!(" ({})", h.fact.reasons.join(", "))
            };
            writeln!(
                out,
                "  {mark} {:<16} {}{reasons}",
                h.hop.as_str(),
                verdict(style, h.verdict)
            )?;
            let show_all = h.verdict != Verdict::Allowed;
            for e in &h.evidence {
                if show_all || matches!(e, Evidence::Admitted { .. }) {
                    writeln!(out, "      {}", style.dim(&evidence_line(e)))?;
                }
            }
        }
        i += group;
    }
    if !r.out_of_scope.is_empty() {
        writeln!(out)?;
        writeln!(out, "Not evaluated (not an ALB):")?;
        for o in &r.out_of_scope {
            writeln!(
                out,
                "  {} {} → {} ({}): {}",
                o.distribution, o.behavior, o.origin, o.domain, o.reason
            )?;
        }
    }
    if !r.unrouted_groups.is_empty() {
        writeln!(out)?;
        writeln!(out, "Target groups no CloudFront request reaches:")?;
        for g in &r.unrouted_groups {
            writeln!(
                out,
                "  {} {} → {}",
                g.load_balancer,
                g.listeners.join(", "),
                g.target_group
            )?;
            for why in &g.why {
                writeln!(out, "      {why}")?;
            }
        }
    }
    let count = |v: Verdict| r.paths.iter().filter(|p| p.verdict == v).count();
    writeln!(out)?;
    writeln!(
        out,
        "{} path(s): {} allowed, {} blocked, {} partial, {} unknown",
        r.paths.len(),
        count(Verdict::Allowed),
        count(Verdict::Blocked),
        count(Verdict::Partial),
        count(Verdict::Unknown)
    )
}

/// Findings and checks that could not run.
fn render_findings(e: &Evaluation, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    if e.findings.is_empty() {
        writeln!(out, "\n{}", style.green("Findings: none."))?;
    } else {
        writeln!(out, "\n{}", style.bold("Findings"))?;
    }
    for f in &e.findings {
        let sev = paint_severity(style, f.severity, f.severity.as_str());
        writeln!(
            out,
            "\n{sev}  {} [{}]  {}",
            style.bold(&f.title),
            f.rule,
            f.hop
        )?;
        writeln!(out, "   {}", f.message)?;
        if !f.resources.is_empty() {
            writeln!(out, "   on:  {}", f.resources.join(", "))?;
        }
        writeln!(out, "   fix: {}", f.fix)?;
    }
    if !e.not_run.is_empty() {
        writeln!(out, "\n{}", style.bold("Checks that could not run"))?;
        for n in &e.not_run {
            writeln!(out, "  {}: {}", n.rule, n.reason)?;
        }
    }
    Ok(())
}
