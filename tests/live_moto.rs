//! Live collection through the AWS SDK against a real `moto_server` on 127.0.0.1:
//! - live `check` and `snapshot`-then-`--snapshot` `check` give identical JSON, with every page
//!   size forced to 5 so paginated calls take several pages;
//! - the SDK path and the AWS CLI path (`examples/collect.sh`) see the same account;
//! - a permission missing on one API (DescribeNetworkAcls, answered 403 by `deny_proxy.py`)
//!   does not abort: the NACL part of the hops becomes `unknown` and names `ec2:DescribeNetworkAcls`.

#![cfg(feature = "live")]

mod support;

use std::path::Path;
use std::process::{Command, Output};

use assert_cmd::cargo::CommandCargoExt;
use edgepath::model::Kind;
use edgepath::source::snapshot::load_snapshot;
use serde_json::Value;
use support::{Server, aws_env, build_account, start_deny_proxy, start_moto};

/// Runs edgepath against `server` (no --snapshot: live).
fn edgepath(server: &Server, args: &[&str]) -> Output {
    Command::cargo_bin("edgepath")
        .expect("binary")
        .args(args)
        .envs(aws_env(server))
        .env("EDGEPATH_PAGE_SIZE", "5")
        .env_remove("EDGEPATH_SNAPSHOT")
        .output()
        .expect("edgepath runs")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn paths(v: &Value) -> &Vec<Value> {
    v["paths"].as_array().expect("paths[]")
}

#[test]
fn live_check_equals_snapshot_then_check() {
    let Some(moto) = start_moto() else { return };
    let account = build_account(&moto, &["--albs", "6", "--sgs", "12"]);

    let live = edgepath(&moto, &["check", "--format", "json"]);
    assert!(
        live.status.code().is_some_and(|c| c <= 1),
        "live check failed: {}",
        String::from_utf8_lossy(&live.stderr)
    );
    let live_json = json(&live);

    let dir = tempfile::tempdir().expect("tmp");
    let snap = dir.path().join("snap");
    let wrote = edgepath(&moto, &["snapshot", "--out", snap.to_str().expect("utf-8")]);
    assert!(
        wrote.status.success(),
        "snapshot failed: {}",
        String::from_utf8_lossy(&wrote.stderr)
    );
    let offline = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["check", "--format", "json", "--snapshot"])
        .arg(&snap)
        .output()
        .expect("edgepath runs");
    assert_eq!(
        live_json,
        json(&offline),
        "live check and snapshot-then-check differ"
    );

    // Every distribution was found (6 ALBs > page size 5 → DescribeLoadBalancers paginated),
    // and each path's CloudFront → ALB hop is admitted by the prefix-list rule.
    let dists: std::collections::BTreeSet<&str> = paths(&live_json)
        .iter()
        .filter_map(|p| p["distribution"].as_str())
        .collect();
    let expected = account["distributions"].as_array().expect("ids");
    assert_eq!(dists.len(), expected.len(), "{dists:?}");
    for p in paths(&live_json) {
        let first = &p["hops"][0];
        assert_eq!(first["hop"], "cloudfront->alb", "{p}");
        assert_eq!(first["verdict"], "allowed", "{p}");
    }

    // The written snapshot holds every instance (24 > page size 5 → DescribeInstances paginated).
    let inv = load_snapshot(&snap).expect("loads").inventory;
    assert_eq!(inv.instances.len(), 6 * 2 * 2);
    assert_eq!(inv.load_balancers.len(), 6);
    // moto 5 does not implement these three, nor CloudTrail LookupEvents, nor CloudWatch's
    // rpc-v2-cbor protocol that the SDK speaks (tests/live_timeline.rs stubs them); everything
    // else must have been collected.
    let moto_lacks = [
        Kind::SecurityGroupReferences,
        Kind::StaleSecurityGroups,
        Kind::VpcOrigins,
        Kind::CloudTrailEvents,
        Kind::MetricData,
    ];
    assert!(
        inv.unavailable.keys().all(|k| moto_lacks.contains(k)),
        "{:?}",
        inv.unavailable
    );

    // --distribution narrows the collection to that distribution's ALB and its children.
    let first = expected[0].as_str().expect("id");
    let narrow = dir.path().join("narrow");
    let wrote = edgepath(
        &moto,
        &[
            "snapshot",
            "--distribution",
            first,
            "--out",
            narrow.to_str().expect("utf-8"),
        ],
    );
    assert!(
        wrote.status.success(),
        "{}",
        String::from_utf8_lossy(&wrote.stderr)
    );
    let small = load_snapshot(&narrow).expect("loads").inventory;
    assert_eq!(
        small
            .distributions
            .keys()
            .map(|d| d.as_str())
            .collect::<Vec<_>>(),
        vec![first]
    );
    let alb = account["albs"][0]["arn"].as_str().expect("arn");
    assert_eq!(
        small
            .load_balancers
            .keys()
            .map(|l| l.as_str())
            .collect::<Vec<_>>(),
        vec![alb]
    );
    assert_eq!(
        small.target_groups.len(),
        2,
        "only that ALB's target groups"
    );
    assert!(
        small
            .listeners
            .values()
            .all(|l| l.load_balancer_arn.as_str() == alb)
    );
}

#[test]
fn sdk_and_aws_cli_collect_the_same_account() {
    let Some(moto) = start_moto() else { return };
    build_account(&moto, &["--albs", "2", "--sgs", "3"]);
    let dir = tempfile::tempdir().expect("tmp");
    let sdk_dir = dir.path().join("sdk");
    let cli_dir = dir.path().join("cli");
    let wrote = edgepath(
        &moto,
        &["snapshot", "--out", sdk_dir.to_str().expect("utf-8")],
    );
    assert!(
        wrote.status.success(),
        "{}",
        String::from_utf8_lossy(&wrote.stderr)
    );
    let status = Command::new("bash")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/collect.sh"))
        .args(["--region", "us-east-1", "--out"])
        .arg(&cli_dir)
        .envs(aws_env(&moto))
        .stderr(std::process::Stdio::null())
        .status()
        .expect("collect.sh runs");
    assert!(status.success());
    let sdk = load_snapshot(&sdk_dir).expect("sdk snapshot").inventory;
    let cli = load_snapshot(&cli_dir).expect("cli snapshot").inventory;
    assert_eq!(sdk.vpcs, cli.vpcs);
    assert_eq!(sdk.subnets, cli.subnets);
    assert_eq!(sdk.route_tables, cli.route_tables);
    assert_eq!(sdk.network_acls, cli.network_acls);
    assert_eq!(sdk.security_groups, cli.security_groups);
    assert_eq!(sdk.network_interfaces, cli.network_interfaces);
    assert_eq!(sdk.instances, cli.instances);
    // Timestamps differ only in notation (the AWS CLI v1 prints `…074000Z`, the SDK path
    // writes CLI v2's `…074000+00:00`).
    let mut sdk_lbs = sdk.load_balancers.clone();
    let mut cli_lbs = cli.load_balancers.clone();
    for lb in sdk_lbs.values_mut().chain(cli_lbs.values_mut()) {
        lb.created_time = None;
    }
    assert_eq!(sdk_lbs, cli_lbs);
    assert_eq!(sdk.listeners, cli.listeners);
    assert_eq!(sdk.rules, cli.rules);
    assert_eq!(sdk.target_groups, cli.target_groups);
    assert_eq!(sdk.target_health, cli.target_health);
    assert_eq!(sdk.load_balancer_attributes, cli.load_balancer_attributes);
    assert_eq!(
        sdk.distributions.keys().collect::<Vec<_>>(),
        cli.distributions.keys().collect::<Vec<_>>()
    );
    for (id, d) in &sdk.distributions {
        assert_eq!(d.origins, cli.distributions[id].origins, "{id}");
        assert_eq!(
            d.default_cache_behavior, cli.distributions[id].default_cache_behavior,
            "{id}"
        );
    }
    let cf_pl = sdk
        .cloudfront_prefix_lists()
        .next()
        .expect("origin-facing list");
    assert_eq!(
        sdk.prefix_list_entries.get(&cf_pl.prefix_list_id),
        cli.prefix_list_entries.get(&cf_pl.prefix_list_id)
    );
}

#[test]
fn denied_describe_network_acls_makes_nacl_checks_unknown_and_names_the_permission() {
    let Some(moto) = start_moto() else { return };
    build_account(&moto, &["--albs", "1", "--sgs", "0"]);
    let proxy = start_deny_proxy(&moto, &["DescribeNetworkAcls"]);

    let out = edgepath(&proxy, &["check", "--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        // 3 = incomplete (the NACL hops are unknown), 1 when something else is broken; never
        // 0 (all-clear) and never 2 (input error).
        out.status.code().is_some_and(|c| c == 1 || c == 3),
        "a denied API is reported as incomplete, not a crash nor an all-clear: {stderr}"
    );
    assert!(
        stderr.contains("ec2:DescribeNetworkAcls"),
        "the warning names the permission: {stderr}"
    );
    let v = json(&out);
    assert!(!paths(&v).is_empty());
    for p in paths(&v) {
        let hop = &p["hops"][0];
        assert_eq!(hop["verdict"], "unknown", "{p}");
        assert!(
            hop.to_string().contains("ec2:DescribeNetworkAcls"),
            "the unknown hop names the missing permission: {hop}"
        );
    }

    // The snapshot records what could not be collected, so an offline check says the same.
    let dir = tempfile::tempdir().expect("tmp");
    let snap = dir.path().join("snap");
    let wrote = edgepath(
        &proxy,
        &["snapshot", "--out", snap.to_str().expect("utf-8")],
    );
    assert!(wrote.status.success());
    let inv = load_snapshot(&snap).expect("loads").inventory;
    assert!(!inv.has(Kind::NetworkAcls));
    assert!(
        inv.unavailable[&Kind::NetworkAcls].contains("UnauthorizedOperation"),
        "{:?}",
        inv.unavailable
    );
}

/// moto has no CloudFront VPC origins: the distribution list and the VPC-origin calls are
/// answered with recorded responses (the XML CloudFront returns) by the proxy, EC2 and ELBv2
/// by moto. The collector must find the region from the endpoint ARN, merge list and get, and
/// reach must follow the VPC origin to the ALB.
#[test]
fn vpc_origins_from_recorded_cloudfront_responses_reach_the_alb() {
    let Some(moto) = start_moto() else { return };
    let account = build_account(&moto, &["--albs", "1", "--sgs", "0"]);
    let alb_arn = account["albs"][0]["arn"].as_str().expect("arn");
    let alb_dns = account["albs"][0]["dns"].as_str().expect("dns");
    let dir = tempfile::tempdir().expect("tmp");
    let ns = "http://cloudfront.amazonaws.com/doc/2020-05-31/";
    let list = dir.path().join("distributions.xml");
    std::fs::write(
        &list,
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<DistributionList xmlns="{ns}"><Marker></Marker><MaxItems>100</MaxItems><IsTruncated>false</IsTruncated><Quantity>1</Quantity><Items>
<DistributionSummary><Id>EVPCORIGIN1</Id><ARN>arn:aws:cloudfront::123456789012:distribution/EVPCORIGIN1</ARN><Status>Deployed</Status>
<LastModifiedTime>2025-06-01T00:00:00Z</LastModifiedTime><DomainName>d111111abcdef8.cloudfront.net</DomainName>
<Aliases><Quantity>0</Quantity></Aliases>
<Origins><Quantity>1</Quantity><Items><Origin><Id>private-alb</Id><DomainName>{alb_dns}</DomainName><OriginPath></OriginPath>
<CustomHeaders><Quantity>0</Quantity></CustomHeaders>
<VpcOriginConfig><VpcOriginId>vo_recorded1</VpcOriginId><OriginReadTimeout>30</OriginReadTimeout><OriginKeepaliveTimeout>5</OriginKeepaliveTimeout></VpcOriginConfig>
<ConnectionAttempts>3</ConnectionAttempts><ConnectionTimeout>10</ConnectionTimeout></Origin></Items></Origins>
<OriginGroups><Quantity>0</Quantity></OriginGroups>
<DefaultCacheBehavior><TargetOriginId>private-alb</TargetOriginId><ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy></DefaultCacheBehavior>
<CacheBehaviors><Quantity>0</Quantity></CacheBehaviors><CustomErrorResponses><Quantity>0</Quantity></CustomErrorResponses>
<Comment>vpc origin</Comment><PriceClass>PriceClass_All</PriceClass><Enabled>true</Enabled><HttpVersion>http2</HttpVersion><IsIPV6Enabled>true</IsIPV6Enabled><Staging>false</Staging>
</DistributionSummary></Items></DistributionList>"#
        ),
    )
    .expect("write");
    let summary = "<Id>vo_recorded1</Id><Name>private-alb</Name><Status>Deployed</Status>\
         <CreatedTime>2025-06-01T00:00:00Z</CreatedTime><LastModifiedTime>2025-06-01T00:00:00Z</LastModifiedTime>\
         <Arn>arn:aws:cloudfront::123456789012:vpcorigin/vo_recorded1</Arn>";
    let vo_list = dir.path().join("vpc-origins.xml");
    std::fs::write(
        &vo_list,
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<VpcOriginList xmlns="{ns}"><Marker></Marker><MaxItems>100</MaxItems><IsTruncated>false</IsTruncated><Quantity>1</Quantity>
<Items><VpcOriginSummary>{summary}<OriginEndpointArn>{alb_arn}</OriginEndpointArn></VpcOriginSummary></Items></VpcOriginList>"#
        ),
    )
    .expect("write");
    let vo_get = dir.path().join("vpc-origin.xml");
    std::fs::write(
        &vo_get,
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<VpcOrigin xmlns="{ns}">{summary}<VpcOriginEndpointConfig><Name>private-alb</Name><Arn>{alb_arn}</Arn>
<HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>http-only</OriginProtocolPolicy>
<OriginSslProtocols><Quantity>1</Quantity><Items><SslProtocol>TLSv1.2</SslProtocol></Items></OriginSslProtocols>
</VpcOriginEndpointConfig></VpcOrigin>"#
        ),
    )
    .expect("write");
    let proxy = support::start_proxy(
        &moto,
        &[],
        &[
            ("/2020-05-31/distribution", &list),
            ("/2020-05-31/vpc-origin", &vo_list),
            ("/2020-05-31/vpc-origin/vo_recorded1", &vo_get),
        ],
    );

    let live = edgepath(&proxy, &["check", "--format", "json"]);
    assert!(
        live.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&live.stderr)
    );
    let live_json = json(&live);
    let vpc_paths: Vec<&Value> = paths(&live_json)
        .iter()
        .filter(|p| p["distribution"] == "EVPCORIGIN1")
        .collect();
    assert!(!vpc_paths.is_empty(), "{live_json}");
    for p in &vpc_paths {
        assert!(p["load_balancer"].to_string().contains("web-0"), "{p}");
        assert_eq!(p["hops"][0]["hop"], "cloudfront->alb", "{p}");
        assert_eq!(p["hops"][0]["verdict"], "allowed", "{p}");
    }

    let snap = dir.path().join("snap");
    let wrote = edgepath(
        &proxy,
        &["snapshot", "--out", snap.to_str().expect("utf-8")],
    );
    assert!(wrote.status.success());
    let inv = load_snapshot(&snap).expect("loads").inventory;
    let vo = &inv.vpc_origins["vo_recorded1"];
    assert_eq!(vo.endpoint_arn(), Some(alb_arn), "list and get merged");
    assert_eq!(
        vo.etag.as_deref(),
        Some("E2STUBETAG"),
        "the get's ETag kept"
    );
    assert_eq!(
        vo.vpc_origin_endpoint_config.as_ref().map(|c| c.http_port),
        Some(80)
    );
    let offline = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["check", "--format", "json", "--snapshot"])
        .arg(&snap)
        .output()
        .expect("runs");
    assert_eq!(live_json, json(&offline));
}
