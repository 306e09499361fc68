//! Blockers and what-if over a large synthetic account (`edgepath::synth`).
//!
//! Goals (issues 7 and 8): blockers over 20,000 ENIs and 10,000 SGs answer in under 200 ms; a
//! what-if of 50 changes re-evaluates only the affected paths in under 1 s.

use criterion::{Criterion, criterion_group, criterion_main};
use edgepath::blockers::blockers_for;
use edgepath::synth::{SynthSpec, generate, whatif_bench_changes};
use edgepath::whatif::{WhatIfInput, evaluate_changes};

fn bench(c: &mut Criterion) {
    let inv = generate(&SynthSpec {
        distributions: 400,
        behaviors: 3,
        targets_per_group: 50,
        extra_sgs: 10_000,
        rules_per_sg: 10,
        listener_rules: 0,
    });
    eprintln!(
        "account: {} ENIs, {} SGs, {} load balancers, {} targets",
        inv.network_interfaces.len(),
        inv.security_groups.len(),
        inv.load_balancers.len(),
        inv.target_health.values().map(Vec::len).sum::<usize>()
    );
    let _ = inv.index();
    let mut g = c.benchmark_group("large_account");
    g.sample_size(10);
    let busiest_sg = inv
        .index()
        .enis_by_sg
        .iter()
        .max_by_key(|(_, v)| v.len())
        .map(|(k, _)| k.to_string())
        .expect("ENIs carry groups");
    let vpc = inv
        .vpcs
        .keys()
        .next()
        .map(ToString::to_string)
        .expect("a VPC");
    g.bench_function("blockers_busiest_sg", |b| {
        b.iter(|| {
            blockers_for(&inv, &busiest_sg)
                .expect("known")
                .blockers
                .len()
        })
    });
    g.bench_function("blockers_whole_vpc", |b| {
        b.iter(|| blockers_for(&inv, &vpc).expect("known").steps.len())
    });
    let changes = whatif_bench_changes(&inv);
    g.bench_function("what_if_50_changes", |b| {
        b.iter(|| {
            let r = evaluate_changes(
                &inv,
                WhatIfInput {
                    changes: changes.clone(),
                    ..WhatIfInput::default()
                },
                None,
            )
            .expect("applies");
            (r.evaluated, r.broken.len())
        });
    });
    let r = evaluate_changes(
        &inv,
        WhatIfInput {
            changes: changes.clone(),
            ..WhatIfInput::default()
        },
        None,
    )
    .expect("applies");
    eprintln!(
        "what-if: {} paths evaluated (affected only), {} broken",
        r.evaluated,
        r.broken.len()
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
