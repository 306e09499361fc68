//! The change join (issue 15) on 10,000 CloudTrail events: parse each event's `CloudTrailEvent`
//! string into a typed change, link it to the failing hops of the seed story's paths (resource-set
//! intersection) and time it against the onset — `rules::change_facts`, as `triage` runs it.
//! A tenth of the events touch the failing hop (security groups set on web-alb), the rest touch
//! groups of other VPCs.

use chrono::{TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use edgepath::facts::{Fact, HopFact};
use edgepath::model::cloudfront::CloudTrailEvent;
use edgepath::model::{Inventory, Kind};
use edgepath::reach::{ReachOptions, evaluate, hop_facts};
use edgepath::rules::change_facts::change_facts;
use edgepath::source::snapshot::load_snapshot;

const ALB: &str =
    "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web-alb/50dc6c495c0c9188";

fn with_events(mut inv: Inventory, n: usize) -> Inventory {
    for i in 0..n {
        let minute = i % 300;
        let time = format!(
            "2026-11-20T{:02}:{:02}:{:02}Z",
            1 + minute / 60,
            minute % 60,
            i % 60
        );
        let (name, req) = if i % 10 == 0 {
            (
                "SetSecurityGroups",
                serde_json::json!({"loadBalancerArn": ALB, "securityGroups": ["sg-0cf000000000000a1"]}),
            )
        } else {
            (
                "AuthorizeSecurityGroupIngress",
                serde_json::json!({"groupId": format!("sg-0bench{i:012}"), "ipPermissions": {"items": [
                    {"ipProtocol": "tcp", "fromPort": 443, "toPort": 443,
                     "ipRanges": {"items": [{"cidrIp": "10.20.0.0/16"}]}}]}}),
            )
        };
        let record = serde_json::json!({
            "eventTime": time, "eventName": name, "eventSource": "ec2.amazonaws.com",
            "userIdentity": {"arn": "arn:aws:sts::111122223333:assumed-role/terraform-deployer/ci"},
            "userAgent": "APN/1.0 HashiCorp/1.0 Terraform/1.7.5 terraform-provider-aws/5.40.0",
            "requestParameters": req, "responseElements": {"_return": true}
        });
        let id = format!("bench-{i:06}");
        inv.cloudtrail_events.insert(
            id.clone(),
            CloudTrailEvent {
                event_id: id,
                event_name: name.into(),
                event_time: None,
                event_source: None,
                username: None,
                resources: Vec::new(),
                cloud_trail_event: Some(record.to_string()),
            },
        );
    }
    inv.mark_loaded(Kind::CloudTrailEvents);
    inv
}

fn bench(c: &mut Criterion) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/change-seed-story");
    let loaded = load_snapshot(&dir).expect("the seed-story snapshot loads");
    let inv = with_events(loaded.inventory, 10_000);
    let reach = evaluate(&inv, &ReachOptions::default());
    let facts = hop_facts(&reach);
    let hops: Vec<&HopFact> = facts
        .iter()
        .filter_map(|f| match f {
            Fact::Hop(h) => Some(h),
            _ => None,
        })
        .collect();
    let onset = Utc.with_ymd_and_hms(2026, 11, 20, 5, 49, 0).single();
    let mut g = c.benchmark_group("change_join");
    g.throughput(Throughput::Elements(10_000));
    g.sample_size(10);
    g.bench_function("10k events", |b| {
        b.iter(|| change_facts(&inv, &hops, onset).len());
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
