//! `examples/collect.sh` against a real `moto_server` on 127.0.0.1: the plain-AWS-CLI path
//! writes a snapshot that edgepath loads, with parent keys attached and empty CloudFront lists
//! recorded as "none" rather than an empty file.
//!
//! The harness (`tests/support`) starts moto on a free port and stops it on drop.

mod support;

use std::path::Path;
use std::process::{Command, Stdio};

use edgepath::model::Kind;
use edgepath::source::snapshot::load_snapshot;
use support::{aws, start_moto};

#[test]
fn collect_sh_writes_a_snapshot_edgepath_loads() {
    let Some(moto) = start_moto() else { return };
    let vpc = aws(
        &moto,
        &[
            "ec2",
            "create-vpc",
            "--cidr-block",
            "10.0.0.0/16",
            "--query",
            "Vpc.VpcId",
        ],
    );
    let a = aws(
        &moto,
        &[
            "ec2",
            "create-subnet",
            "--vpc-id",
            &vpc,
            "--cidr-block",
            "10.0.1.0/24",
            "--availability-zone",
            "us-east-1a",
            "--query",
            "Subnet.SubnetId",
        ],
    );
    let b = aws(
        &moto,
        &[
            "ec2",
            "create-subnet",
            "--vpc-id",
            &vpc,
            "--cidr-block",
            "10.0.2.0/24",
            "--availability-zone",
            "us-east-1b",
            "--query",
            "Subnet.SubnetId",
        ],
    );
    let sg = aws(
        &moto,
        &[
            "ec2",
            "create-security-group",
            "--group-name",
            "web-alb",
            "--description",
            "alb",
            "--vpc-id",
            &vpc,
            "--query",
            "GroupId",
        ],
    );
    let lb = aws(
        &moto,
        &[
            "elbv2",
            "create-load-balancer",
            "--name",
            "web-alb",
            "--subnets",
            &a,
            &b,
            "--security-groups",
            &sg,
            "--query",
            "LoadBalancers[0].LoadBalancerArn",
        ],
    );
    let tg = aws(
        &moto,
        &[
            "elbv2",
            "create-target-group",
            "--name",
            "web-tg",
            "--protocol",
            "HTTP",
            "--port",
            "80",
            "--vpc-id",
            &vpc,
            "--query",
            "TargetGroups[0].TargetGroupArn",
        ],
    );
    aws(
        &moto,
        &[
            "elbv2",
            "create-listener",
            "--load-balancer-arn",
            &lb,
            "--protocol",
            "HTTP",
            "--port",
            "80",
            "--default-actions",
            &format!("Type=forward,TargetGroupArn={tg}"),
            "--query",
            "Listeners[0].ListenerArn",
        ],
    );

    let out = tempfile::tempdir().expect("tmp");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/collect.sh");
    let status = Command::new("bash")
        .arg(script)
        .args(["--region", "us-east-1", "--out"])
        .arg(out.path())
        .env("AWS_ENDPOINT_URL", &moto.url)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_MAX_ATTEMPTS", "1")
        .stderr(Stdio::null())
        .status()
        .expect("collect.sh runs");
    assert!(status.success());

    let loaded = load_snapshot(out.path()).expect("the collected snapshot loads");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let inv = loaded.inventory;
    assert!(inv.vpcs.contains_key(vpc.as_str()));
    assert!(inv.security_groups.contains_key(sg.as_str()));
    assert!(inv.load_balancers.contains_key(lb.as_str()));
    assert_eq!(
        inv.index().listeners_by_lb.get(lb.as_str()).map(Vec::len),
        Some(1)
    );
    assert!(
        inv.has(Kind::TargetHealth),
        "target health collected with its TargetGroupArn key"
    );
    assert!(
        inv.load_balancer_attributes.contains_key(lb.as_str()),
        "LoadBalancerArn key added"
    );
    assert!(
        inv.has(Kind::Distributions),
        "an empty distribution list is recorded, not left as an empty file"
    );
    assert!(inv.rules.values().all(|r| r.listener_arn.is_some()));
}
