//! The address family of the `cloudfront->alb` hop (issue 16, item 2): an origin's
//! `IpAddressType` decides whether CloudFront connects over IPv6, and the IPv6 path (the IPv6
//! origin-facing prefix list, `Ipv6Ranges`, IPv6 NACL entries, `::/0` routes, subnets' IPv6
//! CIDRs) is evaluated for it. Scenario tests drive the binary on `examples/`; the variants
//! below mutate a loaded example before evaluating it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use edgepath::model::Inventory;
use edgepath::reach::{Evidence, Hop, ReachOptions, ReachReport, Verdict, evaluate};
use edgepath::source::snapshot::load_snapshot;

const IPV4_PL: &str = "pl-3b927c52";
const IPV6_PL: &str = "pl-4fa04526";
const ALB_SG: &str = "sg-0cf000000000000a1";

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

fn load(name: &str) -> Inventory {
    load_snapshot(&example(name))
        .expect("example loads")
        .inventory
}

fn alb_paths(r: &ReachReport) -> Vec<&edgepath::reach::PathTrace> {
    let out: Vec<_> = r.paths.iter().filter(|p| !p.hops.is_empty()).collect();
    assert!(!out.is_empty(), "no paths");
    out
}

/// The `cloudfront->alb` verdicts and the union of their reasons.
fn cf_hops(inv: &Inventory) -> (Vec<Verdict>, Vec<String>) {
    let r = evaluate(inv, &ReachOptions::default());
    let mut verdicts = Vec::new();
    let mut reasons: Vec<String> = Vec::new();
    for p in alb_paths(&r) {
        let h = &p.hops[0];
        assert_eq!(h.hop, Hop::CloudfrontToAlb);
        verdicts.push(h.verdict);
        for x in &h.fact.reasons {
            if !reasons.contains(x) {
                reasons.push(x.clone());
            }
        }
    }
    (verdicts, reasons)
}

fn set_origin_type(inv: &mut Inventory, t: &str) {
    for d in inv.distributions.values_mut() {
        for o in &mut d.origins.items {
            if let Some(c) = o.custom_origin_config.as_mut() {
                c.ip_address_type = Some(t.to_owned());
            }
        }
    }
}

fn json(name: &str) -> (i32, serde_json::Value) {
    let out = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["--snapshot"])
        .arg(example(name))
        .args(["check", "--format", "json"])
        .output()
        .expect("runs");
    let v = serde_json::from_slice(&out.stdout).expect("json");
    (out.status.code().unwrap_or(-1), v)
}

fn path_verdicts(v: &serde_json::Value) -> Vec<String> {
    v["paths"]
        .as_array()
        .expect("paths")
        .iter()
        .filter(|p| !p["load_balancer"].is_null())
        .map(|p| p["verdict"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn an_ipv6_origin_to_an_alb_admitting_only_the_ipv4_list_is_blocked_naming_the_ipv6_list() {
    let (code, v) = json("alb-sg-missing-cloudfront-ipv6-prefix-list");
    assert_eq!(code, 1);
    let verdicts = path_verdicts(&v);
    assert!(!verdicts.is_empty());
    assert!(verdicts.iter().all(|x| x == "blocked"), "{verdicts:?}");
    let top = &v["findings"][0];
    assert_eq!(top["rule"], "alb-sg-missing-cloudfront-ipv6-prefix-list");
    let fix = top["fix"].as_str().expect("fix");
    assert!(fix.contains(&format!("PrefixListId={IPV6_PL}")), "{fix}");
    assert!(fix.contains(&format!("--group-id {ALB_SG}")), "{fix}");
    assert!(!fix.contains(IPV4_PL), "{fix}");
    // The IPv4 rule stays silent: its list is admitted, and it is not what is missing.
    assert!(
        !v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["rule"] == "alb-sg-missing-cloudfront-prefix-list")
    );
}

#[test]
fn the_blocked_ipv6_hop_names_the_missing_rule_and_the_ipv4_list_as_near_miss() {
    let inv = load("alb-sg-missing-cloudfront-ipv6-prefix-list");
    let r = evaluate(&inv, &ReachOptions::default());
    for p in alb_paths(&r) {
        let h = &p.hops[0];
        assert_eq!(h.verdict, Verdict::Blocked);
        assert_eq!(h.fact.reasons, vec!["ipv6-sg-no-admitting-rule".to_owned()]);
        assert_eq!(h.fact.origin_ip_address_type, "ipv6");
        assert_eq!(h.fact.alb_ip_address_type, "dualstack");
        assert!(h.evidence.iter().any(|e| matches!(e,
            Evidence::Problem { code, detail } if code == "ipv6-sg-no-admitting-rule"
                && detail.contains("com.amazonaws.global.ipv6.cloudfront.origin-facing")
                && detail.contains(IPV6_PL))));
        let nm = &h.fact.near_misses[0];
        assert_eq!(nm.differs, "source");
        assert_eq!(nm.source_cidr, IPV4_PL);
        // An ipv6 origin never uses the IPv4 path: nothing of it is recorded as admitting.
        assert!(h.fact.admitted_by.is_empty(), "{}", h.fact.admitted_by);
    }
}

#[test]
fn a_dualstack_origin_with_ipv6_blocked_and_ipv4_allowed_is_partial() {
    let (code, v) = json("dualstack-origin-ipv6-blocked");
    assert_eq!(code, 1);
    let verdicts = path_verdicts(&v);
    assert!(verdicts.iter().all(|x| x == "partial"), "{verdicts:?}");
    let top = &v["findings"][0];
    assert_eq!(top["rule"], "alb-sg-missing-cloudfront-ipv6-prefix-list");
    assert!(
        top["fix"]
            .as_str()
            .expect("fix")
            .contains(&format!("PrefixListId={IPV6_PL}"))
    );
}

#[test]
fn a_dualstack_origin_whose_group_admits_the_ipv6_list_is_allowed() {
    let (code, v) = json("dualstack-origin-healthy");
    assert_eq!(code, 0);
    let verdicts = path_verdicts(&v);
    assert!(verdicts.iter().all(|x| x == "allowed"), "{verdicts:?}");
    assert_eq!(v["findings"].as_array().expect("findings").len(), 0);
    let inv = load("dualstack-origin-healthy");
    let r = evaluate(&inv, &ReachOptions::default());
    for p in alb_paths(&r) {
        assert!(p.hops[0].evidence.iter().any(|e| matches!(e,
            Evidence::Admitted { rule } if rule == &format!("{ALB_SG} ingress tcp/80 from {IPV6_PL}"))));
    }
}

#[test]
fn an_ipv4_origin_on_the_dualstack_account_ignores_the_ipv6_path() {
    let mut inv = load("dualstack-origin-ipv6-blocked");
    set_origin_type(&mut inv, "ipv4");
    let (verdicts, reasons) = cf_hops(&inv);
    assert!(
        verdicts.iter().all(|v| *v == Verdict::Allowed),
        "{reasons:?}"
    );
}

#[test]
fn both_families_blocked_is_blocked_not_partial() {
    let mut inv = load("dualstack-origin-ipv6-blocked");
    for g in inv.security_groups.values_mut() {
        if g.group_id.as_str() == ALB_SG {
            g.ip_permissions.clear();
        }
    }
    let (verdicts, reasons) = cf_hops(&inv);
    assert!(
        verdicts.iter().all(|v| *v == Verdict::Blocked),
        "{verdicts:?}"
    );
    assert!(reasons.contains(&"sg-no-admitting-rule".to_owned()));
    assert!(reasons.contains(&"ipv6-sg-no-admitting-rule".to_owned()));
}

#[test]
fn an_ipv6_origin_to_an_ipv4_alb_has_no_address_to_connect_to() {
    let mut inv = load("dualstack-origin-healthy");
    set_origin_type(&mut inv, "ipv6");
    for lb in inv.load_balancers.values_mut() {
        lb.ip_address_type = Some("ipv4".into());
    }
    let (verdicts, reasons) = cf_hops(&inv);
    assert!(verdicts.iter().all(|v| *v == Verdict::Blocked));
    assert_eq!(reasons, vec!["ip-address-type-mismatch".to_owned()]);
    // A dualstack origin falls back to IPv4 there.
    set_origin_type(&mut inv, "dualstack");
    let (verdicts, _) = cf_hops(&inv);
    assert!(verdicts.iter().all(|v| *v == Verdict::Allowed));
}

#[test]
fn an_ipv4_origin_to_an_alb_without_public_ipv4_is_blocked() {
    let mut inv = load("dualstack-origin-healthy");
    set_origin_type(&mut inv, "ipv4");
    for lb in inv.load_balancers.values_mut() {
        lb.ip_address_type = Some("dualstack-without-public-ipv4".into());
    }
    let (verdicts, reasons) = cf_hops(&inv);
    assert!(verdicts.iter().all(|v| *v == Verdict::Blocked));
    assert_eq!(reasons, vec!["ip-address-type-mismatch".to_owned()]);
}

#[test]
fn an_ipv6_range_of_everything_admits_the_ipv6_path() {
    let mut inv = load("alb-sg-missing-cloudfront-ipv6-prefix-list");
    for g in inv.security_groups.values_mut() {
        if g.group_id.as_str() == ALB_SG {
            for p in &mut g.ip_permissions {
                p.ipv6_ranges = vec![
                    serde_json::from_value(serde_json::json!({"CidrIpv6": "::/0"})).expect("range"),
                ];
            }
        }
    }
    let (verdicts, reasons) = cf_hops(&inv);
    assert!(
        verdicts.iter().all(|v| *v == Verdict::Allowed),
        "{reasons:?}"
    );
}

#[test]
fn an_ipv6_range_covering_part_of_the_list_is_partial() {
    let mut inv = load("alb-sg-missing-cloudfront-ipv6-prefix-list");
    for g in inv.security_groups.values_mut() {
        if g.group_id.as_str() == ALB_SG {
            for p in &mut g.ip_permissions {
                p.ipv6_ranges = vec![
                    serde_json::from_value(serde_json::json!({"CidrIpv6": "2600:9000::/20"}))
                        .expect("range"),
                ];
            }
        }
    }
    let (verdicts, reasons) = cf_hops(&inv);
    assert!(
        verdicts.iter().all(|v| *v == Verdict::Partial),
        "{verdicts:?}"
    );
    assert_eq!(reasons, vec!["ipv6-prefix-list-partial".to_owned()]);
}

#[test]
fn an_ipv6_nacl_deny_blocks_only_the_ipv6_family() {
    let mut inv = load("dualstack-origin-healthy");
    for acl in inv.network_acls.values_mut() {
        for e in &mut acl.entries {
            if e.ipv6_cidr_block.is_some() && !e.egress && e.rule_number == 101 {
                e.rule_action = "deny".into();
            }
        }
    }
    let (verdicts, reasons) = cf_hops(&inv);
    assert!(
        verdicts.iter().all(|v| *v == Verdict::Partial),
        "{verdicts:?}"
    );
    assert_eq!(reasons, vec!["ipv6-nacl-denied-inbound".to_owned()]);
    // An ipv6 origin has nothing else: blocked.
    set_origin_type(&mut inv, "ipv6");
    let (verdicts, _) = cf_hops(&inv);
    assert!(
        verdicts.iter().all(|v| *v == Verdict::Blocked),
        "{verdicts:?}"
    );
}

#[test]
fn an_egress_only_gateway_is_no_ipv6_route_in() {
    let mut inv = load("dualstack-origin-healthy");
    set_origin_type(&mut inv, "ipv6");
    for rt in inv.route_tables.values_mut() {
        for r in &mut rt.routes {
            if r.destination_ipv6_cidr_block.as_deref() == Some("::/0") {
                r.gateway_id = None;
                r.egress_only_internet_gateway_id = Some("eigw-0123456789abcdef0".into());
            }
        }
    }
    let (verdicts, reasons) = cf_hops(&inv);
    assert!(
        verdicts.iter().all(|v| *v == Verdict::Blocked),
        "{verdicts:?}"
    );
    assert_eq!(reasons, vec!["ipv6-no-igw-route".to_owned()]);
}

#[test]
fn subnets_without_ipv6_cidrs_give_the_alb_no_ipv6_address() {
    let mut inv = load("dualstack-origin-healthy");
    set_origin_type(&mut inv, "ipv6");
    if let Some(s) = inv
        .subnets
        .values_mut()
        .find(|s| s.subnet_id.as_str() == "subnet-0pub1a0000000001")
    {
        s.ipv6_cidr_block_association_set.clear();
    }
    let (verdicts, reasons) = cf_hops(&inv);
    assert!(
        verdicts.iter().all(|v| *v == Verdict::Partial),
        "{verdicts:?}"
    );
    assert_eq!(reasons, vec!["ipv6-subnet-without-ipv6-cidr".to_owned()]);
}

#[test]
fn missing_ipv6_list_entries_with_cidr_rules_are_unknown_never_allowed() {
    let mut inv = load("alb-sg-missing-cloudfront-ipv6-prefix-list");
    inv.prefix_list_entries.remove(IPV6_PL);
    for g in inv.security_groups.values_mut() {
        if g.group_id.as_str() == ALB_SG {
            for p in &mut g.ip_permissions {
                p.ipv6_ranges = vec![
                    serde_json::from_value(serde_json::json!({"CidrIpv6": "2600:9000::/20"}))
                        .expect("range"),
                ];
            }
        }
    }
    let (verdicts, reasons) = cf_hops(&inv);
    assert!(
        verdicts.iter().all(|v| *v == Verdict::Unknown),
        "{verdicts:?}"
    );
    assert!(reasons.contains(&"missing-data".to_owned()));
}
