//! Timing and peak-memory harness for the issue-3 and issue-8 shapes (run under
//! `/usr/bin/time -v`). Prints the wall time and a digest of the full output (paths, hops,
//! evidence, facts) so a speed-up can be checked not to change results.
//!
//! `cargo run --release --no-default-features --example reach_scale -- reach|reach-rules|whatif`
//!
//! `reach-rules` is the issue-3 account with five rules on every listener (a path-pattern rule
//! to a second group, a host-header and an http-header rule CloudFront's requests never match,
//! two fixed-response rules): every behavior is routed through them (issue 16's goal).
//! `… -- reach-rules 910` evaluates 910 distributions instead of 2,000: ≈40,000 paths with the
//! rules, the path count of the plain shape.
//!
//! `… -- snapshot DIR` writes the issue-3 account (2,000 distributions onto 2,000 ALBs) as a
//! snapshot directory, for measuring the other commands on it (the HTML page's size and render
//! time in BENCHMARKS.md).

use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::Instant;

use edgepath::reach::{ReachOptions, evaluate};
use edgepath::source::snapshot::write_snapshot;
use edgepath::synth::{SynthSpec, generate, whatif_bench_changes};
use edgepath::whatif::{WhatIfInput, evaluate_changes};

fn main() {
    let mode = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "reach".to_owned());
    if mode == "whatif" {
        whatif();
        return;
    }
    // `reach|reach-rules N`: N distributions instead of 2,000 (each with its own ALB), e.g.
    // `reach-rules 910` for ≈40,000 paths with the rules.
    let distributions = std::env::args()
        .nth(2)
        .filter(|_| mode.starts_with("reach"))
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000);
    let inv = generate(&SynthSpec {
        distributions,
        behaviors: 0,
        targets_per_group: 10,
        extra_sgs: 10_000,
        rules_per_sg: 10,
        listener_rules: if mode == "reach-rules" { 5 } else { 0 },
    });
    if mode == "snapshot" {
        let dir = std::env::args()
            .nth(2)
            .expect("usage: reach_scale snapshot DIR");
        let files = write_snapshot(&inv, std::path::Path::new(&dir)).expect("write the snapshot");
        println!("snapshot: {} files in {dir}", files.len());
        return;
    }
    let _ = inv.index();
    let opts = ReachOptions::default();
    // `REACH_SCALE_REPEAT=N` evaluates N times more before the timed run (for profiling the
    // evaluation alone with `perf record`).
    let repeat: usize = std::env::var("REACH_SCALE_REPEAT")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    for _ in 0..repeat {
        drop(evaluate(&inv, &opts));
    }
    let t = Instant::now();
    let cpu = cpu_seconds();
    let report = evaluate(&inv, &opts);
    let took = t.elapsed();
    let cpu = cpu_seconds().zip(cpu).map(|(after, before)| after - before);
    let mut h = DefaultHasher::new();
    for p in &report.paths {
        format!("{p:?}").hash(&mut h);
    }
    format!("{:?}{:?}", report.out_of_scope, report.origin_facts).hash(&mut h);
    println!(
        "{mode}: {} paths in {:.3} s (cpu {}), digest {:016x}",
        report.paths.len(),
        took.as_secs_f64(),
        cpu.map_or_else(|| "?".to_owned(), |c| format!("{c:.2} s")),
        h.finish()
    );
}

/// User + system CPU seconds of this process so far, every thread (Linux `/proc/self/stat`,
/// in clock ticks of 1/100 s): on a shared machine the CPU a run used varies less than its
/// wall time.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks = |i: usize| fields.get(i)?.parse::<f64>().ok();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    Some((ticks(11)? + ticks(12)?) / 100.0)
}

fn whatif() {
    let inv = generate(&SynthSpec {
        distributions: 400,
        behaviors: 3,
        targets_per_group: 50,
        extra_sgs: 10_000,
        rules_per_sg: 10,
        listener_rules: 0,
    });
    let _ = inv.index();
    let changes = whatif_bench_changes(&inv);
    let t = Instant::now();
    let r = evaluate_changes(
        &inv,
        WhatIfInput {
            changes,
            ..WhatIfInput::default()
        },
        None,
    )
    .expect("applies");
    let took = t.elapsed();
    let mut h = DefaultHasher::new();
    format!("{:?}{:?}{}{}", r.broken, r.fixed, r.unchanged, r.evaluated).hash(&mut h);
    println!(
        "what-if: {} evaluated, {} broken in {:.3} s, digest {:016x}",
        r.evaluated,
        r.broken.len(),
        took.as_secs_f64(),
        h.finish()
    );
}
