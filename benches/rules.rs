//! Every built-in rule over 10,000 facts (STYLE §9): conditions are compiled once at load and
//! each fact is converted to a CEL value once, so the cost is rules × facts condition runs.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use edgepath::facts::{Fact, HopFact, LogBucketFact, NearMiss, TargetGroupFact};
use edgepath::rules::load_rules;

fn facts(n: usize) -> Vec<Fact> {
    (0..n)
        .map(|i| match i % 3 {
            0 => Fact::Hop(HopFact {
                hop: "alb->target".into(),
                verdict: if i % 2 == 0 { "blocked" } else { "allowed" }.into(),
                alb: format!("alb-{}", i % 50),
                target: format!("10.0.{}.{}", i / 250 % 250, i % 250),
                port: 8080,
                reasons: vec!["target-sg-no-rule".into()],
                near_misses: vec![NearMiss {
                    differs: "source".into(),
                    source_sg: format!("sg-{i:x}"),
                    source_sg_exists: true,
                    ..NearMiss::default()
                }],
                ..HopFact::default()
            }),
            1 => Fact::TargetGroup(TargetGroupFact {
                target_group: format!("tg-{i}"),
                health_known: true,
                forwarded_to: true,
                registered: 3,
                healthy: 3,
                ..TargetGroupFact::default()
            }),
            _ => Fact::LogBucket(LogBucketFact {
                status: 504,
                signature: "cloudfront-connect-timeout".into(),
                count: 10,
                ..LogBucketFact::default()
            }),
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let set = load_rules(&[]).expect("built-in rules load");
    let mut g = c.benchmark_group("rules");
    g.sample_size(10);
    for n in [1_000, 10_000] {
        let input = facts(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(format!("evaluate_{n}_facts"), |b| {
            b.iter(|| set.evaluate(&input));
        });
    }
    g.bench_function("load_builtin_rules", |b| {
        b.iter(|| load_rules(&[]).expect("rules load"));
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
