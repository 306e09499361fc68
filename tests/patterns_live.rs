//! VPC Block Public Access collected live through the AWS SDK: moto lacks the two describes, so
//! `deny_proxy.py` answers them in AWS's XML shape (tests/support) in front of a real
//! `moto_server` account. A Region in `block-bidirectional` blocks every internet-facing
//! `cloudfront->alb` hop with BPA as evidence; a refused `DescribeVpcBlockPublicAccessOptions`
//! makes it `unknown` naming the permission, never `allowed`.

#![cfg(feature = "live")]

mod support;

use std::process::{Command, Output};

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;
use support::{Server, aws_env, build_account, start_bpa_proxy, start_moto};

fn check(server: &Server) -> (Output, Value) {
    let out = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["check", "--format", "json"])
        .envs(aws_env(server))
        .env_remove("EDGEPATH_SNAPSHOT")
        .output()
        .expect("edgepath runs");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out, json)
}

fn first_hops(report: &Value) -> Vec<&Value> {
    report["paths"]
        .as_array()
        .expect("paths[]")
        .iter()
        .map(|p| &p["hops"][0])
        .collect()
}

#[test]
fn bpa_bidirectional_blocks_the_cloudfront_hop_live() {
    let Some(moto) = start_moto() else { return };
    build_account(&moto, &["--albs", "1", "--sgs", "2"]);
    let proxy = start_bpa_proxy(&moto, "block-bidirectional", &[]);
    let (out, report) = check(&proxy);
    assert_eq!(out.status.code(), Some(1), "blocked paths exit 1");
    let hops = first_hops(&report);
    assert!(!hops.is_empty());
    for hop in hops {
        assert_eq!(hop["hop"], "cloudfront->alb");
        assert_eq!(hop["verdict"], "blocked", "{hop:#}");
        assert!(
            hop["evidence"].to_string().contains("vpc-bpa-blocks-igw"),
            "{hop:#}"
        );
    }
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"vpc-block-public-access"), "{rules:?}");
}

#[test]
fn refused_bpa_options_make_the_hop_unknown_naming_the_permission() {
    let Some(moto) = start_moto() else { return };
    build_account(&moto, &["--albs", "1", "--sgs", "2"]);
    let proxy = start_bpa_proxy(&moto, "off", &["DescribeVpcBlockPublicAccessOptions"]);
    let (_, report) = check(&proxy);
    for hop in first_hops(&report) {
        assert_eq!(hop["verdict"], "unknown", "{hop:#}");
        assert!(
            hop["evidence"]
                .to_string()
                .contains("ec2:DescribeVpcBlockPublicAccessOptions"),
            "{hop:#}"
        );
    }
}
