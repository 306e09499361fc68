//! Text rendering of a [`ReachReport`]: one chain per path, the first failing hop marked, and
//! targets with identical results grouped.

use std::io::{self, Write};

use super::{Evidence, PathTrace, ReachReport, Verdict};
use crate::report::Render;
use crate::report::style::Style;

fn colour(style: &Style, v: Verdict) -> String {
    let s = v.as_str().to_ascii_uppercase();
    match v {
        Verdict::Allowed => style.green(&s),
        Verdict::Blocked => style.red(&s),
        Verdict::Partial => style.yellow(&s),
        Verdict::Unknown => style.magenta(&s),
    }
}

fn chain(p: &PathTrace, target: &str) -> String {
    let mut s = format!("{} {}", p.distribution, p.behavior);
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
fn signature(p: &PathTrace) -> Vec<(String, String, Vec<String>)> {
    p.hops
        .iter()
        .map(|h| {
            (
                h.hop.as_str().to_owned(),
                h.verdict.as_str().to_owned(),
                h.fact.reasons.clone(),
            )
        })
        .collect()
}

fn evidence_line(e: &Evidence) -> String {
    match e {
        Evidence::Admitted { rule } => format!("✓ admitted by {rule}"),
        Evidence::DeniedBy { rule } => format!("✗ denied by {rule}"),
        Evidence::NearMiss {
            rule,
            differs,
            detail,
        } => {
            format!("~ near miss ({differs} differs): {rule} — {detail}")
        }
        Evidence::Checked { what } => format!("· {what}"),
        Evidence::Missing { what, cli } => format!("? missing {what}: {cli}"),
        Evidence::Problem { code, detail } => format!("✗ {code}: {detail}"),
    }
}

impl Render for ReachReport {
    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    fn render_text(&self, style: &Style, out: &mut dyn Write) -> io::Result<()> {
        if self.paths.is_empty() {
            writeln!(out, "No CloudFront → ALB paths found.")?;
        }
        let mut i = 0;
        while i < self.paths.len() {
            let p = &self.paths[i];
            // Group following paths that differ only by target and have the same signature.
            let sig = signature(p);
            let mut j = i + 1;
            while j < self.paths.len() {
                let q = &self.paths[j];
                if q.distribution == p.distribution
                    && q.behavior == p.behavior
                    && q.origin == p.origin
                    && q.load_balancer == p.load_balancer
                    && q.port == p.port
                    && q.target_group == p.target_group
                    && signature(q) == sig
                {
                    j += 1;
                } else {
                    break;
                }
            }
            let targets: Vec<&str> = self.paths[i..j]
                .iter()
                .filter_map(|x| x.target.as_deref())
                .collect();
            let target = match targets.len() {
                0 => String::new(),
                1 => targets[0].to_owned(),
                n if n <= 4 => format!("{{{}}}", targets.join(", ")),
                n => format!("{{{}, … {} more}}", targets[..3].join(", "), n - 3),
            };
            writeln!(out, "{}  {}", chain(p, &target), colour(style, p.verdict))?;
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
                    colour(style, h.verdict)
                )?;
                let show_all = h.verdict != Verdict::Allowed;
                for e in &h.evidence {
                    if show_all || matches!(e, Evidence::Admitted { .. }) {
                        writeln!(out, "      {}", style.dim(&evidence_line(e)))?;
                    }
                }
            }
            i = j;
        }
        if !self.out_of_scope.is_empty() {
            writeln!(out)?;
            writeln!(out, "Not evaluated (not an ALB):")?;
            for o in &self.out_of_scope {
                writeln!(
                    out,
                    "  {} {} → {} ({}): {}",
                    o.distribution, o.behavior, o.origin, o.domain, o.reason
                )?;
            }
        }
        let count = |v: Verdict| self.paths.iter().filter(|p| p.verdict == v).count();
        writeln!(out)?;
        writeln!(
            out,
            "{} path(s): {} allowed, {} blocked, {} partial, {} unknown",
            self.paths.len(),
            count(Verdict::Allowed),
            count(Verdict::Blocked),
            count(Verdict::Partial),
            count(Verdict::Unknown)
        )
    }
}
