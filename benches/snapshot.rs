//! Loading a large snapshot: 10,000 security groups with 100,000 rules and 20,000 ENIs
//! (issue 2's goal: under 2 s in release on the 2-core reference machine).
//!
//! The snapshot is generated into a temp directory (never committed) with the same writer
//! `edgepath snapshot` uses, so the files have the real AWS CLI shapes.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use edgepath::model::ec2::{
    GroupIdentifier, IpPermission, IpRange, NetworkInterface, NetworkInterfacePrivateIp,
    SecurityGroup, UserIdGroupPair,
};
use edgepath::model::{EniId, Inventory, Kind, SgId, SubnetId, VpcId};
use edgepath::source::snapshot::{load_snapshot, write_snapshot};

const SGS: usize = 10_000;
const RULES_PER_SG: usize = 10;
const ENIS: usize = 20_000;

fn large_inventory() -> Inventory {
    let mut inv = Inventory::default();
    let vpc = VpcId::from("vpc-0bench00000000001");
    for i in 0..SGS {
        let id = SgId(format!("sg-{i:017x}"));
        let ingress = (0..RULES_PER_SG)
            .map(|r| {
                let port = 1000 + i32::try_from(r).unwrap_or(0);
                let mut p = IpPermission {
                    ip_protocol: "tcp".into(),
                    from_port: Some(port),
                    to_port: Some(port),
                    ip_ranges: vec![],
                    ipv6_ranges: vec![],
                    prefix_list_ids: vec![],
                    user_id_group_pairs: vec![],
                };
                if r % 2 == 0 {
                    p.ip_ranges.push(IpRange {
                        cidr_ip: format!("10.{}.{}.0/24", i % 250, r),
                        description: Some("bench".into()),
                    });
                } else {
                    p.user_id_group_pairs.push(UserIdGroupPair {
                        group_id: Some(SgId(format!("sg-{:017x}", (i + r) % SGS))),
                        group_name: None,
                        user_id: Some("111122223333".into()),
                        vpc_id: None,
                        vpc_peering_connection_id: None,
                        peering_status: None,
                        description: None,
                    });
                }
                p
            })
            .collect();
        inv.security_groups.insert(
            id.clone(),
            SecurityGroup {
                group_id: id,
                group_name: format!("bench-{i}"),
                description: Some("generated".into()),
                vpc_id: Some(vpc.clone()),
                owner_id: Some("111122223333".into()),
                ip_permissions: ingress,
                ip_permissions_egress: vec![],
                tags: vec![],
            },
        );
    }
    for i in 0..ENIS {
        let id = EniId(format!("eni-{i:017x}"));
        let ip = format!("10.{}.{}.{}", (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff);
        inv.network_interfaces.insert(
            id.clone(),
            NetworkInterface {
                network_interface_id: id,
                interface_type: Some("interface".into()),
                description: Some(format!("bench eni {i}")),
                requester_managed: Some(false),
                requester_id: None,
                groups: vec![GroupIdentifier {
                    group_id: SgId(format!("sg-{:017x}", i % SGS)),
                    group_name: None,
                }],
                subnet_id: Some(SubnetId(format!("subnet-{:017x}", i % 64))),
                vpc_id: Some(vpc.clone()),
                availability_zone: Some("us-east-1a".into()),
                private_ip_address: Some(ip.clone()),
                private_ip_addresses: vec![NetworkInterfacePrivateIp {
                    private_ip_address: ip,
                    primary: true,
                }],
                ipv4_prefixes: vec![],
                ipv6_addresses: vec![],
                attachment: None,
                status: Some("in-use".into()),
                owner_id: Some("111122223333".into()),
                tag_set: vec![],
            },
        );
    }
    inv.mark_loaded(Kind::SecurityGroups);
    inv.mark_loaded(Kind::NetworkInterfaces);
    inv
}

fn dir_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

fn bench_load(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    write_snapshot(&large_inventory(), dir.path()).expect("write");
    eprintln!(
        "snapshot: {SGS} SGs, {} rules, {ENIS} ENIs, {:.1} MB of JSON",
        SGS * RULES_PER_SG,
        dir_size(dir.path()) as f64 / 1e6
    );
    let mut group = c.benchmark_group("snapshot");
    group.sample_size(10);
    group.bench_function("load_10k_sgs_100k_rules_20k_enis", |b| {
        b.iter(|| {
            let loaded = load_snapshot(dir.path()).expect("load");
            // Index build is part of what every command pays once.
            let idx = loaded.inventory.index();
            assert_eq!(idx.eni_by_private_ip.len(), ENIS);
            loaded
        });
    });
    group.finish();
}

criterion_group!(benches, bench_load);
criterion_main!(benches);
