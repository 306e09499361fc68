//! Reachability on the example scenarios: verdict, first failing hop, reason codes and evidence.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use edgepath::facts::Fact;
use edgepath::reach::{
    Evidence, Hop, PathTrace, ReachOptions, ReachReport, Verdict, evaluate, hop_facts,
};
use edgepath::source::snapshot::load_snapshot;

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

fn run(name: &str) -> ReachReport {
    let loaded = load_snapshot(&example(name)).expect("example loads");
    evaluate(&loaded.inventory, &ReachOptions::default())
}

fn failing(p: &PathTrace) -> Option<Hop> {
    p.first_failing_hop().map(|h| h.hop)
}

fn reasons(r: &ReachReport, hop: Hop) -> Vec<String> {
    let mut out: Vec<String> = r
        .paths
        .iter()
        .flat_map(|p| p.hops.iter())
        .filter(|h| h.hop == hop)
        .flat_map(|h| h.fact.reasons.iter().cloned())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn healthy_is_allowed_everywhere() {
    let r = run("healthy");
    assert!(!r.paths.is_empty());
    for p in &r.paths {
        assert_eq!(p.verdict, Verdict::Allowed, "{p:?}");
        assert_eq!(p.hops.len(), 4);
        assert!(p.target.is_some());
    }
    assert!(!r.has_problems());
    let cf = &r.paths[0].hops[0];
    assert_eq!(
        cf.fact.admitted_by,
        "sg-0cf000000000000a1 ingress tcp/80 from pl-3b927c52"
    );
}

#[test]
fn ghost_sg_reference_blocks_alb_to_target_with_a_ghost_near_miss() {
    let r = run("ghost-sg-reference");
    let targets: Vec<&str> = r.paths.iter().filter_map(|p| p.target.as_deref()).collect();
    assert!(targets.contains(&"i-0aaa1111bbbb2222c"));
    assert!(targets.contains(&"i-0ddd3333eeee4444f"));
    for p in &r.paths {
        assert_eq!(p.verdict, Verdict::Blocked);
        assert_eq!(failing(p), Some(Hop::AlbToTarget));
        assert_eq!(p.hops[0].verdict, Verdict::Allowed);
        let at = &p.hops[2];
        assert_eq!(at.fact.reasons, vec!["target-sg-no-rule".to_owned()]);
        let nm = at
            .fact
            .near_misses
            .iter()
            .find(|n| n.source_sg == "sg-0old000000000000c3")
            .expect("ghost near miss");
        assert!(nm.source_sg_exists);
        assert!(!nm.source_sg_attached_to_alb);
        assert_eq!(nm.differs, "source");
        assert!(at.evidence.iter().any(|e| matches!(e,
            Evidence::NearMiss { detail, .. } if detail == "sg-0app00000000000b2 admits tcp/80 only from sg-0old000000000000c3, which is not attached to web-alb (the ALB carries sg-0cf000000000000a1)")));
        assert_eq!(p.hops[3].fact.target_reason, "Target.Timeout");
    }
    assert!(r.has_problems());
    let facts = hop_facts(&r);
    assert_eq!(
        facts.iter().filter(|f| matches!(f, Fact::Hop(_))).count(),
        r.paths.len() * 4
    );
    assert!(facts.iter().any(|f| matches!(f, Fact::Origin(_))));
}

#[test]
fn scenario_reason_codes() {
    let cases: [(&str, Hop, &str); 11] = [
        (
            "alb-sg-egress-restricted",
            Hop::AlbToTarget,
            "alb-egress-missing",
        ),
        (
            "alb-sg-missing-cloudfront-prefix-list",
            Hop::CloudfrontToAlb,
            "sg-no-admitting-rule",
        ),
        (
            "all-targets-unhealthy-fail-open",
            Hop::Target,
            "target-unhealthy",
        ),
        (
            "health-check-misconfigured",
            Hop::AlbToTarget,
            "health-check-port-blocked",
        ),
        (
            "internal-alb-as-public-origin",
            Hop::CloudfrontToAlb,
            "internal-alb-public-origin",
        ),
        (
            "internet-facing-alb-in-private-subnets",
            Hop::CloudfrontToAlb,
            "no-igw-route",
        ),
        (
            "nacl-blocks-cloudfront-or-ephemeral",
            Hop::CloudfrontToAlb,
            "nacl-denied-return",
        ),
        (
            "origin-protocol-port-mismatch",
            Hop::CloudfrontToAlb,
            "no-listener",
        ),
        (
            "prefix-list-quota-or-stale-cidrs",
            Hop::CloudfrontToAlb,
            "prefix-list-partial",
        ),
        (
            "target-az-not-enabled",
            Hop::AlbToTarget,
            "target-az-not-enabled",
        ),
        (
            "vpc-origin-alb-sg-missing-service-sg",
            Hop::CloudfrontToAlb,
            "vpc-origin-sg-missing",
        ),
    ];
    for (name, hop, code) in cases {
        let r = run(name);
        assert!(
            reasons(&r, hop).iter().any(|c| c == code),
            "{name}: {:?}",
            reasons(&r, hop)
        );
        assert!(r.has_problems(), "{name}");
    }
    let r = run("vpc-origin-healthy");
    assert!(
        r.paths.iter().all(|p| p.verdict == Verdict::Allowed),
        "{:?}",
        r.paths
    );
}

#[test]
fn check_binary_exit_codes_and_json() {
    let out = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["-q", "--format", "json", "--snapshot"])
        .arg(example("ghost-sg-reference"))
        .arg("check")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let p = &v["paths"][0];
    assert_eq!(p["verdict"], "blocked");
    assert_eq!(p["load_balancer"], "web-alb");
    assert_eq!(p["hops"][2]["hop"], "alb->target");
    assert!(v["out_of_scope"].is_array());

    let ok = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["-q", "--no-color", "--snapshot"])
        .arg(example("healthy"))
        .arg("check")
        .output()
        .expect("runs");
    assert_eq!(ok.status.code(), Some(0));
    let text = String::from_utf8_lossy(&ok.stdout);
    assert!(text.contains("→ web-alb :80 → web-tg"), "{text}");
}

#[test]
fn check_on_the_basic_fixture_reports_missing_data_as_unknown() {
    let out = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["-q", "--format", "json", "--snapshot"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/snapshot-basic"))
        .arg("check")
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    for p in v["paths"].as_array().expect("paths") {
        assert_ne!(p["verdict"], "allowed");
    }
    // Nothing blocked, one hop unknown: incomplete, never an all-clear exit 0.
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(v["incomplete"], true);
}

#[test]
fn filters_narrow_the_paths() {
    let loaded = load_snapshot(&example("healthy")).expect("loads");
    let none = evaluate(
        &loaded.inventory,
        &ReachOptions {
            albs: vec!["no-such-alb".to_owned()],
            ..ReachOptions::default()
        },
    );
    assert!(none.paths.is_empty());
    let some = evaluate(
        &loaded.inventory,
        &ReachOptions {
            albs: vec!["web-alb".to_owned()],
            ..ReachOptions::default()
        },
    );
    assert!(!some.paths.is_empty());
    let keys: std::collections::BTreeSet<_> = some.paths.iter().map(PathTrace::key).collect();
    assert_eq!(keys.len(), some.paths.len(), "path keys are unique");
}

/// An example's files, as JSON by file name, for a test to change before loading.
type Files = std::collections::BTreeMap<String, serde_json::Value>;

/// A copy of example `name` in a temporary directory after `edit` (remove a file to drop that
/// kind), and the engine's answer on it.
fn variant(name: &str, edit: impl FnOnce(&mut Files)) -> (tempfile::TempDir, ReachReport) {
    let mut files = Files::new();
    for entry in std::fs::read_dir(example(name)).expect("example dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).expect("read");
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            files.insert(name, serde_json::from_str(&text).expect("json"));
        }
    }
    edit(&mut files);
    let dir = tempfile::tempdir().expect("tmp");
    for (file, value) in &files {
        std::fs::write(dir.path().join(file), value.to_string()).expect("write");
    }
    let loaded = load_snapshot(dir.path()).expect("variant loads");
    let report = evaluate(&loaded.inventory, &ReachOptions::default());
    (dir, report)
}

/// The security group `id` of a `describe-security-groups` file.
fn group_mut<'a>(files: &'a mut Files, id: &str) -> &'a mut serde_json::Value {
    files
        .get_mut("ec2-describe-security-groups.json")
        .and_then(|f| f["SecurityGroups"].as_array_mut())
        .and_then(|gs| gs.iter_mut().find(|g| g["GroupId"] == id))
        .expect("group in the example")
}

fn missing_clis(h: &edgepath::reach::HopResult) -> Vec<&str> {
    h.evidence
        .iter()
        .filter_map(|e| match e {
            Evidence::Missing { cli, .. } => Some(cli.as_str()),
            _ => None,
        })
        .collect()
}

fn hops_of(r: &ReachReport, hop: Hop) -> Vec<&edgepath::reach::HopResult> {
    r.paths
        .iter()
        .flat_map(|p| p.hops.iter())
        .filter(|h| h.hop == hop)
        .map(|h| &**h)
        .collect()
}

/// `check --format json` on a snapshot dir: (exit code, output).
fn check_json(dir: &Path) -> (Option<i32>, serde_json::Value) {
    let out = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["-q", "--format", "json", "--snapshot"])
        .arg(dir)
        .arg("check")
        .output()
        .expect("runs");
    let v = serde_json::from_slice(&out.stdout).expect("json");
    (out.status.code(), v)
}

fn critical_findings(v: &serde_json::Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["severity"] == "critical")
        .map(|f| f["rule"].to_string())
        .collect()
}

const CUSTOMER_PL: &str = "pl-0cust0000000000001";
const ALB_SG: &str = "sg-0cf000000000000a1";
const APP_SG: &str = "sg-0app00000000000b2";
const VPC_ORIGIN: &str = "vo_4Vd8qYzDmJ2xKpLr7Tw1Nc";

#[test]
fn vpc_origin_known_only_from_the_list_is_unknown_and_names_get_vpc_origin() {
    // list-vpc-origins names the ALB; ports and protocol policy come only from get-vpc-origin.
    let (dir, r) = variant("vpc-origin-healthy", |files| {
        files.remove("cloudfront-get-vpc-origin.json");
    });
    assert!(!r.paths.is_empty());
    for p in &r.paths {
        assert_eq!(p.verdict, Verdict::Unknown, "{p:#?}");
        assert_eq!(p.load_balancer.as_deref(), Some("web-alb"));
        let cf = &p.hops[0];
        assert_eq!(cf.hop, Hop::CloudfrontToAlb);
        assert_eq!(cf.fact.reasons, vec!["missing-data"]);
        assert!(
            missing_clis(cf)
                .iter()
                .any(|c| c.contains(&format!("aws cloudfront get-vpc-origin --id {VPC_ORIGIN}"))),
            "{cf:#?}"
        );
        assert!(
            !cf.evidence
                .iter()
                .any(|e| matches!(e, Evidence::Problem { .. } | Evidence::NearMiss { .. })),
            "no guessed-port findings: {cf:#?}"
        );
    }
    let (code, v) = check_json(dir.path());
    assert_eq!(critical_findings(&v), Vec::<String>::new(), "{v:#}");
    // Nothing found, but the hop could not be checked: incomplete (exit 3), not all-clear.
    assert_eq!(code, Some(3));
    assert!(v["unknown_hops"].to_string().contains(VPC_ORIGIN), "{v:#}");
}

#[test]
fn target_rule_on_a_prefix_list_without_entries_is_unknown_not_a_near_miss() {
    let to_customer_pl = |files: &mut Files| {
        group_mut(files, APP_SG)["IpPermissions"] = serde_json::json!([{
            "IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [],
            "Ipv6Ranges": [], "UserIdGroupPairs": [],
            "PrefixListIds": [{"PrefixListId": CUSTOMER_PL}]}]);
    };
    let (_dir, r) = variant("healthy", to_customer_pl);
    let at = hops_of(&r, Hop::AlbToTarget);
    assert!(!at.is_empty());
    for h in &at {
        assert_eq!(h.verdict, Verdict::Unknown, "{h:#?}");
        assert_eq!(h.fact.reasons, vec!["missing-data"]);
        assert!(h.fact.near_misses.is_empty(), "{h:#?}");
        assert!(missing_clis(h).iter().any(|c| c.contains(&format!(
            "get-managed-prefix-list-entries --prefix-list-id {CUSTOMER_PL}"
        ))));
    }
    // With the entries loaded the rule is decided: covering the ALB's addresses admits it …
    let entries =
        |cidr: &str| serde_json::json!({"PrefixListId": CUSTOMER_PL, "Entries": [{"Cidr": cidr}]});
    let (_dir, r) = variant("healthy", |files| {
        to_customer_pl(files);
        files.insert("pl-cust.json".into(), entries("10.0.0.0/16"));
    });
    assert!(
        hops_of(&r, Hop::AlbToTarget)
            .iter()
            .all(|h| h.verdict == Verdict::Allowed)
    );
    // … and not covering them is a block with a source near miss.
    let (_dir, r) = variant("healthy", |files| {
        to_customer_pl(files);
        files.insert("pl-cust.json".into(), entries("192.168.0.0/16"));
    });
    for h in hops_of(&r, Hop::AlbToTarget) {
        assert_eq!(h.verdict, Verdict::Blocked);
        assert_eq!(h.fact.near_misses[0].differs, "source");
    }
}

#[test]
fn alb_egress_to_a_prefix_list_without_entries_is_unknown() {
    let (_dir, r) = variant("healthy", |files| {
        group_mut(files, ALB_SG)["IpPermissionsEgress"] = serde_json::json!([{
            "IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [],
            "Ipv6Ranges": [], "UserIdGroupPairs": [],
            "PrefixListIds": [{"PrefixListId": CUSTOMER_PL}]}]);
    });
    for h in hops_of(&r, Hop::AlbToTarget) {
        assert_eq!(h.verdict, Verdict::Unknown, "{h:#?}");
        assert!(!h.fact.reasons.contains(&"alb-egress-missing".to_owned()));
        assert!(
            missing_clis(h)
                .iter()
                .any(|c| c.contains(&format!("--prefix-list-id {CUSTOMER_PL}")))
        );
    }
}

#[test]
fn alb_security_group_missing_from_the_snapshot_is_unknown_on_both_hops() {
    let (_dir, r) = variant("healthy", |files| {
        let groups = files
            .get_mut("ec2-describe-security-groups.json")
            .and_then(|f| f["SecurityGroups"].as_array_mut())
            .expect("groups");
        groups.retain(|g| g["GroupId"] != ALB_SG);
    });
    assert!(!r.paths.is_empty());
    for p in &r.paths {
        assert_eq!(p.verdict, Verdict::Unknown, "{p:#?}");
        for h in p
            .hops
            .iter()
            .filter(|h| h.hop != Hop::Target && h.hop != Hop::AlbRouting)
        {
            assert_eq!(h.verdict, Verdict::Unknown, "{h:#?}");
            assert!(h.evidence.iter().any(|e| matches!(e,
                Evidence::Missing { what, cli } if what.starts_with(ALB_SG)
                    && cli.contains(&format!("describe-security-groups --group-ids {ALB_SG}")))));
        }
    }
}

#[test]
fn vpc_origin_admitted_by_an_unidentified_prefix_list_is_unknown() {
    // The ALB admits pl-3b927c52 instead of the service SG; without describe-managed-prefix-lists
    // nothing says whether that is the CloudFront origin-facing list.
    let via_prefix_list = |files: &mut Files| {
        group_mut(files, ALB_SG)["IpPermissions"] = serde_json::json!([{
            "IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [],
            "Ipv6Ranges": [], "UserIdGroupPairs": [],
            "PrefixListIds": [{"PrefixListId": "pl-3b927c52"}]}]);
    };
    let (dir, r) = variant("vpc-origin-healthy", |files| {
        via_prefix_list(files);
        files.remove("ec2-describe-managed-prefix-lists.json");
    });
    for cf in hops_of(&r, Hop::CloudfrontToAlb) {
        assert_eq!(cf.verdict, Verdict::Unknown, "{cf:#?}");
        assert!(cf.fact.near_misses.is_empty());
        assert!(
            missing_clis(cf)
                .iter()
                .any(|c| c.contains("aws ec2 describe-managed-prefix-lists"))
        );
    }
    assert_eq!(
        critical_findings(&check_json(dir.path()).1),
        Vec::<String>::new()
    );
    // With the list's name known it is CloudFront's, which a VPC origin accepts.
    let (_dir, r) = variant("vpc-origin-healthy", via_prefix_list);
    assert!(
        r.paths.iter().all(|p| p.verdict == Verdict::Allowed),
        "{:#?}",
        r.paths
    );
}

#[test]
fn ip_targets_resolve_to_the_eni_of_the_target_groups_vpc() {
    // Two IP targets; another VPC has an ENI with the same private address as the first one,
    // carrying a group that admits nothing from the ALB.
    let (_dir, r) = variant("healthy", |files| {
        let tg = &mut files
            .get_mut("elbv2-describe-target-groups.json")
            .expect("tgs")["TargetGroups"][0];
        tg["TargetType"] = "ip".into();
        let health = &mut files
            .get_mut("elbv2-describe-target-health-web-tg.json")
            .expect("health")["TargetHealthDescriptions"];
        health[0]["Target"]["Id"] = "10.0.10.10".into();
        health[1]["Target"]["Id"] = "10.0.11.10".into();
        let enis = files
            .get_mut("ec2-describe-network-interfaces.json")
            .and_then(|f| f["NetworkInterfaces"].as_array_mut())
            .expect("enis");
        // The other VPC's ENI sorts last by id, so an index by address alone would keep it.
        enis.push(serde_json::json!({
            "NetworkInterfaceId": "eni-0zzzz0other000001", "VpcId": "vpc-0other000000000001",
            "SubnetId": "subnet-0other00000001", "PrivateIpAddress": "10.0.10.10",
            "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.10.10", "Primary": true}],
            "Groups": [{"GroupId": "sg-0default00000000d4", "GroupName": "default"}],
            "InterfaceType": "interface", "Description": "other vpc", "Status": "in-use"}));
    });
    let at = hops_of(&r, Hop::AlbToTarget);
    let targets: std::collections::BTreeSet<&str> =
        at.iter().map(|h| h.fact.target.as_str()).collect();
    assert_eq!(targets, ["10.0.10.10", "10.0.11.10"].into());
    for h in at {
        assert_eq!(h.verdict, Verdict::Allowed, "{h:#?}");
        assert_eq!(h.fact.target_sgs, vec![APP_SG]);
    }
}

#[test]
fn nacl_allowing_part_of_the_return_ports_is_partial_naming_allow_and_deny() {
    // Egress allows tcp/32768-65535 to anywhere and everything inside the VPC, then `*` deny:
    // CloudFront's return traffic on 1024-32767 is denied, the rest allowed.
    let (_dir, r) = variant("healthy", |files| {
        let acl = &mut files
            .get_mut("ec2-describe-network-acls.json")
            .expect("acls")["NetworkAcls"][0];
        let mut entries: Vec<serde_json::Value> = acl["Entries"]
            .as_array()
            .expect("entries")
            .iter()
            .filter(|e| e["Egress"] == false)
            .cloned()
            .collect();
        entries.extend([
            serde_json::json!({"RuleNumber": 100, "Protocol": "6", "RuleAction": "allow",
                "Egress": true, "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 32768, "To": 65535}}),
            serde_json::json!({"RuleNumber": 110, "Protocol": "-1", "RuleAction": "allow",
                "Egress": true, "CidrBlock": "10.0.0.0/16"}),
            serde_json::json!({"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny",
                "Egress": true, "CidrBlock": "0.0.0.0/0"}),
        ]);
        acl["Entries"] = entries.into();
    });
    for cf in hops_of(&r, Hop::CloudfrontToAlb) {
        assert_eq!(cf.verdict, Verdict::Partial, "{cf:#?}");
        assert_eq!(cf.fact.reasons, vec!["nacl-denied-return"]);
        let problem = cf
            .evidence
            .iter()
            .find_map(|e| match e {
                Evidence::Problem { detail, .. } => Some(detail.as_str()),
                _ => None,
            })
            .expect("problem");
        assert!(
            problem.contains(
                "allowed by acl-0default000000001 egress #100 allow 0.0.0.0/0 tcp/32768-65535"
            ) && problem.contains("denied by acl-0default000000001 egress #* deny 0.0.0.0/0"),
            "{problem}"
        );
        assert!(cf.evidence.contains(&Evidence::DeniedBy {
            rule: "acl-0default000000001 egress #* deny 0.0.0.0/0".into()
        }));
    }
    // Inside the VPC #110 covers the rest of the range: the ALB → target hop stays allowed.
    for h in hops_of(&r, Hop::AlbToTarget) {
        assert_eq!(h.verdict, Verdict::Allowed, "{h:#?}");
    }
}

#[test]
fn unidentified_prefix_list_names_describe_managed_prefix_lists_once() {
    // The entries file is there; what is missing is the list that names pl-3b927c52.
    let (_dir, r) = variant("healthy", |files| {
        files.remove("ec2-describe-managed-prefix-lists.json");
    });
    let cf = hops_of(&r, Hop::CloudfrontToAlb);
    assert!(!cf.is_empty());
    for h in cf {
        assert_eq!(h.verdict, Verdict::Unknown, "{h:#?}");
        let clis = missing_clis(h);
        assert!(
            clis.iter()
                .any(|c| c.contains("aws ec2 describe-managed-prefix-lists")),
            "{clis:?}"
        );
        assert!(
            !clis
                .iter()
                .any(|c| c.contains("get-managed-prefix-list-entries")),
            "{clis:?}"
        );
        let rule = format!("{ALB_SG} ingress tcp/{} from pl-3b927c52", h.fact.port);
        for e in &h.evidence {
            if let Evidence::Checked { what } = e {
                assert!(what.matches(&rule).count() <= 1, "{what}");
            }
        }
    }
}
