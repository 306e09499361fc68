//! Live collection of CloudFront's custom origin request and cache policies, and of the IPv6
//! fields (issue 16), through the AWS SDK: moto_server has no policy API, so `deny_proxy.py`
//! answers the CloudFront calls from the recorded responses in
//! `tests/support/stubs/cloudfront-policies/` (the distribution list is a template naming
//! moto's ALB). The cache policy comes from `list-cache-policies`; the origin request policy
//! is missing from its list and is read with `get-origin-request-policy`. The ALB's
//! `IpAddressType` and an `Ipv6Ranges` rule are set in moto; the origin's `IpAddressType` is in
//! the recorded distribution.

#![cfg(feature = "live")]

mod support;

use std::process::{Command, Output};

use assert_cmd::cargo::CommandCargoExt;
use edgepath::source::snapshot::load_snapshot;
use serde_json::Value;
use support::{Server, aws, aws_env, build_account, start_moto, start_proxy, support_dir};

const ORP: &str = "0dd00000-orp0-4b6e-8f2a-custom000001";
const CP: &str = "c0ffee00-cache-4c1e-9a1b-custom000001";

fn edgepath(server: &Server, args: &[&str]) -> Output {
    Command::cargo_bin("edgepath")
        .expect("binary")
        .args(args)
        .envs(aws_env(server))
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

#[test]
fn custom_policies_and_ipv6_fields_are_collected_live() {
    let Some(moto) = start_moto() else { return };
    let account = build_account(&moto, &["--albs", "1", "--sgs", "0"]);
    let alb_arn = account["albs"][0]["arn"].as_str().expect("arn");
    let alb_dns = account["albs"][0]["dns"].as_str().expect("dns");
    let alb_sg = account["albs"][0]["sg"].as_str().expect("sg");
    aws(
        &moto,
        &[
            "elbv2",
            "set-ip-address-type",
            "--load-balancer-arn",
            alb_arn,
            "--ip-address-type",
            "dualstack",
        ],
    );
    aws(
        &moto,
        &[
            "ec2",
            "authorize-security-group-ingress",
            "--group-id",
            alb_sg,
            "--ip-permissions",
            "IpProtocol=tcp,FromPort=80,ToPort=80,Ipv6Ranges=[{CidrIpv6=::/0}]",
        ],
    );

    let stubs = support_dir().join("stubs/cloudfront-policies");
    let dir = tempfile::tempdir().expect("tmp");
    let list = dir.path().join("distributions.xml");
    let template =
        std::fs::read_to_string(stubs.join("distributions.xml.template")).expect("template");
    std::fs::write(&list, template.replace("{alb_dns}", alb_dns)).expect("write");
    let orp_get = format!("/2020-05-31/origin-request-policy/{ORP}");
    let proxy = start_proxy(
        &moto,
        &[],
        &[
            ("/2020-05-31/distribution", &list),
            (
                "/2020-05-31/origin-request-policy",
                &stubs.join("origin-request-policies-empty.xml"),
            ),
            (&orp_get, &stubs.join("origin-request-policy.xml")),
            (
                "/2020-05-31/cache-policy",
                &stubs.join("cache-policies.xml"),
            ),
        ],
    );

    let snap = dir.path().join("snap");
    let wrote = edgepath(
        &proxy,
        &["snapshot", "--out", snap.to_str().expect("utf-8")],
    );
    assert!(
        wrote.status.success(),
        "{}",
        String::from_utf8_lossy(&wrote.stderr)
    );
    let inv = load_snapshot(&snap).expect("loads").inventory;

    // Policies: the cache policy from the list, the origin request policy from its get.
    let orp = inv
        .origin_request_policies
        .get(ORP)
        .expect("origin request policy collected with get-origin-request-policy");
    assert_eq!(orp.origin_request_policy_config.name, "forward-host");
    assert!(orp.forwarding().forwards_host());
    let cp = inv
        .cache_policies
        .get(CP)
        .expect("cache policy collected with list-cache-policies");
    assert_eq!(cp.cache_policy_config.name, "api-cache");
    assert_eq!(cp.cache_policy_config.max_ttl, Some(60));
    assert!(inv.origin_request_forwarding(ORP).is_ok());
    assert!(inv.cache_forwarding(CP).is_ok());

    // IPv6 fields.
    let lb = inv
        .load_balancers
        .get(alb_arn)
        .expect("the ALB is collected");
    assert_eq!(lb.ip_address_type.as_deref(), Some("dualstack"));
    let origin_type = inv
        .distributions
        .get("EPOLICIES1")
        .and_then(|d| d.origins.items.first())
        .map(edgepath::model::cloudfront::Origin::ip_address_type);
    assert_eq!(origin_type.as_deref(), Some("dualstack"));
    let group = inv.security_groups.get(alb_sg).expect("ALB group");
    assert!(
        group
            .ip_permissions
            .iter()
            .any(|p| p.ipv6_ranges.iter().any(|r| r.cidr_ipv6 == "::/0")),
        "{:?}",
        group.ip_permissions
    );

    // The live check evaluates the IPv6 path of the dualstack origin, and agrees with the
    // snapshot it wrote.
    let live = edgepath(&proxy, &["check", "--format", "json"]);
    let live_json = json(&live);
    let hop = live_json["paths"]
        .as_array()
        .expect("paths")
        .iter()
        .find(|p| p["distribution"] == "EPOLICIES1")
        .map(|p| p["hops"][0].to_string())
        .expect("a path of the recorded distribution");
    assert!(
        hop.contains("CloudFront connects over IPv4 and IPv6"),
        "{hop}"
    );
    let offline = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["check", "--format", "json", "--snapshot"])
        .arg(&snap)
        .output()
        .expect("runs");
    assert_eq!(live_json, json(&offline));
}
