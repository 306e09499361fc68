//! Evaluating every path of a large synthetic account (`edgepath::synth`): 200 distributions ×
//! 4 behaviors onto 200 ALBs with 50 targets each (≈60,000 paths), next to 5,000 unrelated
//! security groups with 10 rules each, so per-hop lookups must go through the Index.

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
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
