//! Evaluating every path of a large synthetic account (`edgepath::synth`): 200 distributions ×
//! 4 behaviors onto 200 ALBs with 50 targets each (≈60,000 paths), next to 5,000 unrelated
//! security groups with 10 rules each, so per-hop lookups must go through the Index; and the
//! shape of issue 3 (2,000 ALBs × 10 targets, 10,000 SGs × 10 rules).

use criterion::{Criterion, criterion_group, criterion_main};
use edgepath::reach::{ReachOptions, evaluate, hop_facts};
use edgepath::synth::{SynthSpec, generate};

fn bench(c: &mut Criterion) {
    let spec = SynthSpec {
        distributions: 200,
        behaviors: 3,
        targets_per_group: 50,
        extra_sgs: 5_000,
        rules_per_sg: 10,
        listener_rules: 0,
    };
    let inv = generate(&spec);
    let opts = ReachOptions::default();
    let _ = inv.index();
    let mut g = c.benchmark_group("reach");
    g.sample_size(10);
    g.bench_function("evaluate_large_account", |b| {
        b.iter(|| evaluate(&inv, &opts).paths.len());
    });
    let report = evaluate(&inv, &opts);
    g.bench_function("hop_facts_large_account", |b| {
        b.iter(|| hop_facts(&report).len())
    });
    // The shape of issue 3: 2,000 ALBs / 20,000 targets / 10,000 SGs / 100,000 rules (one
    // behavior, match-viewer over allow-all: two ports, so 40,000 paths).
    let issue = generate(&SynthSpec {
        distributions: 2_000,
        behaviors: 0,
        targets_per_group: 10,
        extra_sgs: 10_000,
        rules_per_sg: 10,
        listener_rules: 0,
    });
    let _ = issue.index();
    g.bench_function("evaluate_issue3_shape", |b| {
        b.iter(|| evaluate(&issue, &opts).paths.len());
    });
    // The same, without timing the free of the 40,000-path report (the CLI prints it and exits).
    g.bench_function("evaluate_issue3_shape_no_drop", |b| {
        b.iter_with_large_drop(|| evaluate(&issue, &opts));
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
