//! The reachability engine on small hand-built Inventories: one behavior, one ALB in two
//! subnets, one target. Each test breaks one thing and checks verdict, reason codes and evidence.

use edgepath::model::Inventory;
use edgepath::model::Kind;
use edgepath::reach::{Evidence, Hop, HopResult, ReachOptions, ReachReport, Verdict, evaluate};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const LB: &str = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web-alb/abc";
const TG: &str = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-tg/def";
const L80: &str =
    "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/web-alb/abc/l80";

fn de<T: DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("model value")
}

fn perm(proto: &str, from: i64, to: i64, peer: Value) -> Value {
    let mut p = json!({"IpProtocol": proto, "FromPort": from, "ToPort": to,
        "IpRanges": [], "PrefixListIds": [], "UserIdGroupPairs": []});
    match peer {
        Value::String(s) if s.starts_with("pl-") => {
            p["PrefixListIds"] = json!([{"PrefixListId": s}])
        }
        Value::String(s) if s.starts_with("sg-") => p["UserIdGroupPairs"] = json!([{"GroupId": s}]),
        Value::String(s) => p["IpRanges"] = json!([{"CidrIp": s}]),
        _ => {}
    }
    if proto == "-1" {
        p.as_object_mut().map(|o| {
            o.remove("FromPort");
            o.remove("ToPort")
        });
    }
    p
}

fn sg(id: &str, name: &str, ingress: Vec<Value>, egress: Vec<Value>) -> Value {
    json!({"GroupId": id, "GroupName": name, "VpcId": "vpc-1",
        "IpPermissions": ingress, "IpPermissionsEgress": egress})
}

fn open_acl(id: &str, subnets: &[&str]) -> Value {
    json!({"NetworkAclId": id, "VpcId": "vpc-1", "IsDefault": false,
    "Associations": subnets.iter().map(|s| json!({"SubnetId": s})).collect::<Vec<_>>(),
    "Entries": [
        {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"},
        {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": false, "CidrBlock": "0.0.0.0/0"},
        {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": true, "CidrBlock": "0.0.0.0/0"},
        {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": true, "CidrBlock": "0.0.0.0/0"}
    ]})
}

/// A healthy account: CloudFront → web-alb:80 (HTTP) → web-tg:8080 → i-1 in subnet-app.
fn healthy() -> Inventory {
    let mut inv = Inventory::default();
    inv.distributions.insert("E1".into(), de(json!({
        "Id": "E1", "Status": "Deployed", "Enabled": true,
        "Origins": {"Quantity": 1, "Items": [{"Id": "alb", "DomainName": "web-alb-1.us-east-1.elb.amazonaws.com",
            "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "http-only"}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "alb", "ViewerProtocolPolicy": "allow-all"}
    })));
    inv.load_balancers.insert(LB.into(), de(json!({
        "LoadBalancerArn": LB, "LoadBalancerName": "web-alb",
        "DNSName": "web-alb-1.us-east-1.elb.amazonaws.com", "Scheme": "internet-facing", "Type": "application",
        "VpcId": "vpc-1", "SecurityGroups": ["sg-alb"],
        "AvailabilityZones": [{"ZoneName": "us-east-1a", "SubnetId": "subnet-a"}, {"ZoneName": "us-east-1b", "SubnetId": "subnet-b"}]
    })));
    inv.listeners.insert(
        L80.into(),
        de(
            json!({"ListenerArn": L80, "LoadBalancerArn": LB, "Port": 80, "Protocol": "HTTP",
        "DefaultActions": [{"Type": "forward", "TargetGroupArn": TG}]}),
        ),
    );
    inv.target_groups.insert(TG.into(), de(json!({"TargetGroupArn": TG, "TargetGroupName": "web-tg", "Protocol": "HTTP",
        "Port": 8080, "VpcId": "vpc-1", "TargetType": "instance", "HealthCheckPort": "traffic-port", "LoadBalancerArns": [LB]})));
    inv.target_health.insert(
        TG.into(),
        vec![de(json!({"Target": {"Id": "i-1", "Port": 8080},
        "TargetHealth": {"State": "healthy"}}))],
    );
    inv.instances.insert(
        "i-1".into(),
        de(json!({"InstanceId": "i-1", "PrivateIpAddress": "10.0.10.5",
        "SubnetId": "subnet-app", "VpcId": "vpc-1", "Placement": {"AvailabilityZone": "us-east-1a"},
        "SecurityGroups": [{"GroupId": "sg-app"}]})),
    );
    inv.network_interfaces.insert(
        "eni-alb-a".into(),
        de(json!({"NetworkInterfaceId": "eni-alb-a",
        "Description": "ELB app/web-alb/abc", "SubnetId": "subnet-a", "VpcId": "vpc-1",
        "PrivateIpAddress": "10.0.1.10", "Groups": [{"GroupId": "sg-alb"}]})),
    );
    inv.network_interfaces.insert(
        "eni-alb-b".into(),
        de(json!({"NetworkInterfaceId": "eni-alb-b",
        "Description": "ELB app/web-alb/abc", "SubnetId": "subnet-b", "VpcId": "vpc-1",
        "PrivateIpAddress": "10.0.2.10", "Groups": [{"GroupId": "sg-alb"}]})),
    );
    for (id, cidr, az) in [
        ("subnet-a", "10.0.1.0/24", "us-east-1a"),
        ("subnet-b", "10.0.2.0/24", "us-east-1b"),
        ("subnet-app", "10.0.10.0/24", "us-east-1a"),
    ] {
        inv.subnets.insert(id.into(), de(json!({"SubnetId": id, "VpcId": "vpc-1", "CidrBlock": cidr, "AvailabilityZone": az})));
    }
    inv.vpcs.insert(
        "vpc-1".into(),
        de(json!({"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"})),
    );
    inv.security_groups.insert(
        "sg-alb".into(),
        de(sg(
            "sg-alb",
            "alb",
            vec![perm("tcp", 80, 80, json!("pl-cf"))],
            vec![perm("tcp", 8080, 8080, json!("sg-app"))],
        )),
    );
    inv.security_groups.insert(
        "sg-app".into(),
        de(sg(
            "sg-app",
            "app",
            vec![perm("tcp", 8080, 8080, json!("sg-alb"))],
            vec![perm("-1", 0, 0, json!("0.0.0.0/0"))],
        )),
    );
    inv.prefix_lists.insert(
        "pl-cf".into(),
        de(json!({"PrefixListId": "pl-cf",
        "PrefixListName": "com.amazonaws.global.cloudfront.origin-facing"})),
    );
    inv.prefix_list_entries.insert(
        "pl-cf".into(),
        vec![
            de(json!({"Cidr": "13.32.0.0/15"})),
            de(json!({"Cidr": "52.84.0.0/15"})),
            de(json!({"Cidr": "64.252.64.0/18"})),
        ],
    );
    inv.network_acls.insert(
        "acl-1".into(),
        de(open_acl("acl-1", &["subnet-a", "subnet-b", "subnet-app"])),
    );
    inv.route_tables.insert("rtb-1".into(), de(json!({"RouteTableId": "rtb-1", "VpcId": "vpc-1",
        "Associations": [{"Main": true}],
        "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1", "State": "active"}]})));
    // DescribeVpcBlockPublicAccessOptions answers every Region, "off" unless someone turned it on.
    inv.vpc_bpa_options.insert(
        String::new(),
        de(json!({"InternetGatewayBlockMode": "off", "ExclusionsAllowed": "allowed"})),
    );
    for k in Kind::ALL {
        inv.mark_loaded(k);
    }
    inv
}

fn run(inv: &Inventory) -> ReachReport {
    evaluate(inv, &ReachOptions::default())
}

fn hop(r: &ReachReport, h: Hop) -> &HopResult {
    r.paths[0]
        .hops
        .iter()
        .find(|x| x.hop == h)
        .expect("hop present")
}

fn set_ingress(inv: &mut Inventory, sg_id: &str, perms: Vec<Value>) {
    let g = inv.security_groups.get_mut(sg_id).expect("sg");
    g.ip_permissions = perms.into_iter().map(de).collect();
    inv.invalidate();
}

#[test]
fn healthy_account_is_allowed() {
    let r = run(&healthy());
    assert_eq!(r.paths.len(), 1);
    let p = &r.paths[0];
    assert_eq!(p.verdict, Verdict::Allowed, "{p:#?}");
    assert_eq!(p.target.as_deref(), Some("i-1"));
    assert_eq!(
        hop(&r, Hop::CloudfrontToAlb).fact.admitted_by,
        "sg-alb ingress tcp/80 from pl-cf"
    );
    assert_eq!(
        hop(&r, Hop::AlbToTarget).fact.admitted_by,
        "sg-alb egress tcp/8080 to sg-app"
    );
    assert_eq!(hop(&r, Hop::AlbToTarget).fact.port, 8080);
}

#[test]
fn protocol_all_and_port_ranges_admit() {
    let mut inv = healthy();
    set_ingress(&mut inv, "sg-alb", vec![perm("-1", 0, 0, json!("pl-cf"))]);
    set_ingress(
        &mut inv,
        "sg-app",
        vec![perm("tcp", 8000, 8100, json!("sg-alb"))],
    );
    let r = run(&inv);
    assert_eq!(r.paths[0].verdict, Verdict::Allowed, "{:#?}", r.paths[0]);
    assert_eq!(
        hop(&r, Hop::CloudfrontToAlb).fact.admitted_by,
        "sg-alb ingress all from pl-cf"
    );
}

#[test]
fn icmp_and_udp_do_not_admit_tcp() {
    let mut inv = healthy();
    set_ingress(
        &mut inv,
        "sg-alb",
        vec![
            perm("icmp", -1, -1, json!("pl-cf")),
            perm("udp", 80, 80, json!("pl-cf")),
        ],
    );
    let r = run(&inv);
    let cf = hop(&r, Hop::CloudfrontToAlb);
    assert_eq!(cf.verdict, Verdict::Blocked);
    assert_eq!(cf.fact.reasons, vec!["sg-no-admitting-rule"]);
    // The UDP rule is a protocol near miss; ICMP is not a near miss at all.
    assert_eq!(cf.fact.near_misses.len(), 1);
    assert_eq!(cf.fact.near_misses[0].differs, "protocol");
}

#[test]
fn cidr_rules_compare_with_prefix_list_entries() {
    let mut inv = healthy();
    // Two of three ranges: partial, with the uncovered one named.
    set_ingress(
        &mut inv,
        "sg-alb",
        vec![
            perm("tcp", 80, 80, json!("13.32.0.0/15")),
            perm("tcp", 80, 80, json!("52.84.0.0/15")),
        ],
    );
    let r = run(&inv);
    let cf = hop(&r, Hop::CloudfrontToAlb);
    assert_eq!(cf.verdict, Verdict::Partial);
    assert_eq!(cf.fact.reasons, vec!["prefix-list-partial"]);
    assert_eq!(cf.fact.uncovered_cidrs, vec!["64.252.64.0/18"]);
    // Adjacent halves covering the third range: allowed.
    set_ingress(
        &mut inv,
        "sg-alb",
        vec![
            perm("tcp", 80, 80, json!("13.32.0.0/15")),
            perm("tcp", 80, 80, json!("52.84.0.0/15")),
            perm("tcp", 80, 80, json!("64.252.64.0/19")),
            perm("tcp", 80, 80, json!("64.252.96.0/19")),
        ],
    );
    assert_eq!(
        hop(&run(&inv), Hop::CloudfrontToAlb).verdict,
        Verdict::Allowed
    );
    // Entries not loaded: unknown, never allowed.
    inv.prefix_list_entries.clear();
    let r = run(&inv);
    let cf = hop(&r, Hop::CloudfrontToAlb);
    assert_eq!(cf.verdict, Verdict::Unknown);
    assert!(
        cf.evidence
            .iter()
            .any(|e| matches!(e, Evidence::Missing { .. }))
    );
    // 0.0.0.0/0 admits without the entries.
    set_ingress(
        &mut inv,
        "sg-alb",
        vec![perm("tcp", 80, 80, json!("0.0.0.0/0"))],
    );
    assert_eq!(
        hop(&run(&inv), Hop::CloudfrontToAlb).verdict,
        Verdict::Allowed
    );
}

#[test]
fn ghost_reference_is_a_source_near_miss() {
    let mut inv = healthy();
    inv.security_groups
        .insert("sg-old".into(), de(sg("sg-old", "old", vec![], vec![])));
    set_ingress(
        &mut inv,
        "sg-app",
        vec![perm("tcp", 8080, 8080, json!("sg-old"))],
    );
    let r = run(&inv);
    let at = hop(&r, Hop::AlbToTarget);
    assert_eq!(at.verdict, Verdict::Blocked);
    assert_eq!(at.fact.reasons, vec!["target-sg-no-rule"]);
    let nm = &at.fact.near_misses[0];
    assert_eq!(
        (
            nm.source_sg.as_str(),
            nm.source_sg_exists,
            nm.source_sg_attached_to_alb
        ),
        ("sg-old", true, false)
    );
    assert!(at.evidence.iter().any(|e| matches!(e, Evidence::NearMiss { detail, .. }
        if detail == "sg-app admits tcp/8080 only from sg-old, which is not attached to web-alb (the ALB carries sg-alb)")));
    assert_eq!(
        r.paths[0].first_failing_hop().map(|h| h.hop),
        Some(Hop::AlbToTarget)
    );
}

#[test]
fn cidr_must_cover_every_alb_address() {
    let mut inv = healthy();
    set_ingress(
        &mut inv,
        "sg-app",
        vec![perm("tcp", 8080, 8080, json!("10.0.1.0/24"))],
    );
    assert_eq!(hop(&run(&inv), Hop::AlbToTarget).verdict, Verdict::Blocked);
    set_ingress(
        &mut inv,
        "sg-app",
        vec![perm("tcp", 8080, 8080, json!("10.0.0.0/16"))],
    );
    assert_eq!(hop(&run(&inv), Hop::AlbToTarget).verdict, Verdict::Allowed);
}

#[test]
fn empty_alb_egress_blocks_and_health_check_port_is_checked() {
    let mut inv = healthy();
    inv.security_groups
        .get_mut("sg-alb")
        .expect("sg")
        .ip_permissions_egress
        .clear();
    let r = run(&inv);
    assert_eq!(
        hop(&r, Hop::AlbToTarget).fact.reasons,
        vec!["alb-egress-missing"]
    );

    let mut inv = healthy();
    inv.target_groups.get_mut(TG).expect("tg").health_check_port = Some("9000".into());
    inv.security_groups
        .get_mut("sg-alb")
        .expect("sg")
        .ip_permissions_egress = vec![de(perm("-1", 0, 0, json!("0.0.0.0/0")))];
    let r = run(&inv);
    let at = hop(&r, Hop::AlbToTarget);
    assert_eq!(at.fact.reasons, vec!["health-check-port-blocked"]);
    assert_eq!(at.fact.health_check_port, 9000);
    assert_eq!(at.fact.near_misses[0].differs, "port");
}

#[test]
fn nacl_deny_before_allow_and_same_subnet_exemption() {
    let mut inv = healthy();
    // Deny the app subnet's return traffic to subnet-b only.
    let mut acl: Value = open_acl("acl-app", &["subnet-app"]);
    acl["Entries"].as_array_mut().expect("entries").insert(0, json!(
        {"RuleNumber": 50, "Protocol": "6", "RuleAction": "deny", "Egress": true, "CidrBlock": "10.0.2.0/24",
         "PortRange": {"From": 1024, "To": 65535}}));
    inv.network_acls.insert("acl-app".into(), de(acl));
    inv.network_acls.insert(
        "acl-1".into(),
        de(open_acl("acl-1", &["subnet-a", "subnet-b"])),
    );
    inv.invalidate();
    let r = run(&inv);
    let at = hop(&r, Hop::AlbToTarget);
    assert_eq!(at.verdict, Verdict::Partial, "{at:#?}");
    assert_eq!(at.fact.reasons, vec!["nacl-denied-return"]);
    assert_eq!(
        at.fact.nacl_denied_by,
        "acl-app egress #50 deny 10.0.2.0/24"
    );
    // CloudFront side: a deny of one CloudFront range before the allow is partial.
    let mut acl: Value = open_acl("acl-1", &["subnet-a", "subnet-b"]);
    acl["Entries"].as_array_mut().expect("entries").insert(0, json!(
        {"RuleNumber": 10, "Protocol": "-1", "RuleAction": "deny", "Egress": false, "CidrBlock": "52.84.0.0/15"}));
    inv.network_acls.insert("acl-1".into(), de(acl));
    inv.invalidate();
    let cf = hop(&run(&inv), Hop::CloudfrontToAlb).clone();
    assert_eq!(cf.verdict, Verdict::Partial);
    assert_eq!(cf.fact.reasons, vec!["nacl-denied-inbound"]);

    // Target in the ALB's only subnet, whose NACL denies everything: no NACL applies between
    // them, so alb->target is allowed while cloudfront->alb is blocked.
    let mut inv = healthy();
    inv.instances.get_mut("i-1").expect("i").subnet_id = Some("subnet-a".into());
    inv.load_balancers
        .get_mut(LB)
        .expect("lb")
        .availability_zones
        .truncate(1);
    inv.network_acls.insert(
        "acl-1".into(),
        de(json!({"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": false,
            "Associations": [{"SubnetId": "subnet-a"}],
            "Entries": [{"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": false, "CidrBlock": "0.0.0.0/0"},
                        {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": true, "CidrBlock": "0.0.0.0/0"}]})),
    );
    inv.invalidate();
    let r = run(&inv);
    assert_eq!(hop(&r, Hop::AlbToTarget).verdict, Verdict::Allowed);
    let cf = hop(&r, Hop::CloudfrontToAlb);
    assert_eq!(cf.verdict, Verdict::Blocked);
    assert_eq!(
        cf.fact.reasons,
        vec!["nacl-denied-inbound", "nacl-denied-return"]
    );
}

#[test]
fn missing_kinds_are_unknown_never_allowed() {
    for kind in [Kind::SecurityGroups, Kind::NetworkAcls, Kind::RouteTables] {
        let mut inv = healthy();
        inv.loaded.remove(&kind);
        inv.invalidate();
        let r = run(&inv);
        let cf = hop(&r, Hop::CloudfrontToAlb);
        assert_eq!(cf.verdict, Verdict::Unknown, "{kind}");
        assert!(cf.fact.reasons.contains(&"missing-data".to_owned()));
        assert!(
            cf.evidence
                .iter()
                .any(|e| matches!(e, Evidence::Missing { cli, .. } if !cli.is_empty()))
        );
        assert_eq!(r.paths[0].verdict, Verdict::Unknown);
    }
    let mut inv = healthy();
    inv.target_health.clear();
    inv.loaded.remove(&Kind::TargetHealth);
    let r = run(&inv);
    assert_eq!(r.paths[0].verdict, Verdict::Unknown);
}

#[test]
fn scheme_routes_listener_and_health() {
    let mut inv = healthy();
    inv.load_balancers.get_mut(LB).expect("lb").scheme = Some("internal".into());
    assert!(
        hop(&run(&inv), Hop::CloudfrontToAlb)
            .fact
            .reasons
            .contains(&"internal-alb-public-origin".to_owned())
    );

    let mut inv = healthy();
    inv.route_tables.insert(
        "rtb-a".into(),
        de(json!({"RouteTableId": "rtb-a", "VpcId": "vpc-1",
        "Associations": [{"Main": false, "SubnetId": "subnet-a"}], "Routes": []})),
    );
    inv.invalidate();
    let r = run(&inv);
    let cf = hop(&r, Hop::CloudfrontToAlb);
    assert_eq!(cf.verdict, Verdict::Partial);
    assert_eq!(cf.fact.subnets_without_igw_route, vec!["subnet-a"]);

    let mut inv = healthy();
    inv.listeners.get_mut(L80).expect("l").protocol = "HTTPS".into();
    assert_eq!(
        hop(&run(&inv), Hop::CloudfrontToAlb).fact.reasons,
        vec!["protocol-mismatch"]
    );

    let mut inv = healthy();
    inv.target_health.insert(
        TG.into(),
        vec![de(json!({"Target": {"Id": "i-1", "Port": 8080},
        "TargetHealth": {"State": "unhealthy", "Reason": "Target.Timeout"}}))],
    );
    let r = run(&inv);
    let t = hop(&r, Hop::Target);
    assert_eq!(t.fact.reasons, vec!["target-unhealthy"]);
    assert_eq!(t.fact.target_reason, "Target.Timeout");

    let mut inv = healthy();
    inv.instances.get_mut("i-1").expect("i").placement =
        Some(de(json!({"AvailabilityZone": "us-east-1c"})));
    assert_eq!(
        hop(&run(&inv), Hop::AlbToTarget).fact.reasons,
        vec!["target-az-not-enabled"]
    );
}

#[test]
fn origins_resolve_by_map_and_s3_is_out_of_scope() {
    let mut inv = healthy();
    let d = inv.distributions.get_mut("E1").expect("d");
    d.origins.items[0].domain_name = "api.example.com".into();
    d.origins
        .items
        .push(de(json!({"Id": "s3", "DomainName": "b.s3.amazonaws.com"})));
    d.cache_behaviors = Some(de(json!({"Quantity": 1, "Items": [
        {"PathPattern": "/static/*", "TargetOriginId": "s3", "ViewerProtocolPolicy": "allow-all"}]})));
    let r = run(&inv);
    assert_eq!(r.paths.len(), 1);
    assert_eq!(r.paths[0].verdict, Verdict::Unknown);
    assert_eq!(r.out_of_scope.len(), 1);
    let r = evaluate(
        &inv,
        &ReachOptions {
            origin_map: vec![("api.example.com".into(), "web-alb".into())],
            ..ReachOptions::default()
        },
    );
    assert_eq!(r.paths[0].verdict, Verdict::Allowed);
    assert_eq!(r.origin_facts.len(), 2);
}

#[test]
fn origin_groups_weighted_forwards_and_match_viewer_ports() {
    let mut inv = healthy();
    let tg2 = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-tg2/fed";
    let mut tg: edgepath::model::elbv2::TargetGroup = inv.target_groups[TG].clone();
    tg.target_group_arn = tg2.into();
    tg.target_group_name = "web-tg2".into();
    inv.target_groups.insert(tg2.into(), tg);
    inv.target_health.insert(tg2.into(), vec![]);
    inv.listeners.get_mut(L80).expect("l").default_actions = vec![de(json!({"Type": "forward",
        "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": TG, "Weight": 90}, {"TargetGroupArn": tg2, "Weight": 10}]}}))];
    let d = inv.distributions.get_mut("E1").expect("d");
    let mut second = d.origins.items[0].clone();
    second.id = "alb2".into();
    second
        .custom_origin_config
        .as_mut()
        .expect("custom")
        .origin_protocol_policy = "match-viewer".into();
    d.origins.items.push(second);
    d.origin_groups = Some(de(json!({"Quantity": 1, "Items": [{"Id": "grp",
        "Members": {"Quantity": 2, "Items": [{"OriginId": "alb"}, {"OriginId": "alb2"}]}}]})));
    d.default_cache_behavior
        .as_mut()
        .expect("b")
        .target_origin_id = "grp".into();
    inv.invalidate();
    let r = run(&inv);
    // alb: port 80 → 2 target groups; alb2 (match-viewer, allow-all): 80 → 2 groups, 443 → no listener.
    assert_eq!(
        r.paths.len(),
        5,
        "{:#?}",
        r.paths.iter().map(|p| p.key()).collect::<Vec<_>>()
    );
    assert!(
        r.paths
            .iter()
            .any(|p| p.target_group.as_deref() == Some("web-tg2")
                && p.hops[2].fact.reasons == ["no-registered-targets"])
    );
    assert!(r.paths.iter().any(|p| p.origin == "alb2"
        && p.port == 443
        && p.hops[0].fact.reasons.contains(&"no-listener".to_owned())));
    assert!(r.has_problems());
}

#[test]
fn cloudfront_only_nacl_without_the_prefix_list_is_unknown_not_blocked() {
    let mut inv = healthy();
    set_ingress(
        &mut inv,
        "sg-alb",
        vec![perm("tcp", 80, 80, json!("0.0.0.0/0"))],
    );
    // The ALB subnets admit tcp/80 only from CloudFront's three ranges.
    let mut acl = open_acl("acl-1", &["subnet-a", "subnet-b", "subnet-app"]);
    let entries = acl["Entries"].as_array_mut().expect("entries");
    entries.retain(|e| e["Egress"] == true || e["RuleNumber"] == 32767);
    for (n, cidr) in [
        (100, "13.32.0.0/15"),
        (110, "52.84.0.0/15"),
        (120, "64.252.64.0/18"),
    ] {
        entries.push(
            json!({"RuleNumber": n, "Protocol": "6", "RuleAction": "allow",
            "Egress": false, "CidrBlock": cidr, "PortRange": {"From": 80, "To": 80}}),
        );
    }
    entries.push(
        json!({"RuleNumber": 130, "Protocol": "-1", "RuleAction": "allow",
        "Egress": false, "CidrBlock": "10.0.0.0/16"}),
    );
    inv.network_acls.insert("acl-1".into(), de(acl));
    inv.invalidate();
    assert_eq!(
        hop(&run(&inv), Hop::CloudfrontToAlb).verdict,
        Verdict::Allowed
    );
    // Without describe-managed-prefix-lists CloudFront's ranges are unknown: the NACL admits
    // some addresses, and whether they are CloudFront's cannot be told.
    inv.prefix_lists.clear();
    inv.loaded.remove(&Kind::PrefixLists);
    inv.invalidate();
    let r = run(&inv);
    let cf = hop(&r, Hop::CloudfrontToAlb);
    assert_eq!(cf.verdict, Verdict::Unknown, "{cf:#?}");
    assert_eq!(cf.fact.reasons, vec!["missing-data"]);
    assert!(cf.evidence.iter().any(|e| matches!(e,
        Evidence::Missing { cli, .. } if cli.contains("aws ec2 describe-managed-prefix-lists"))));
}

#[test]
fn target_security_group_missing_is_unknown_not_blocked() {
    let mut inv = healthy();
    inv.security_groups.remove("sg-app");
    inv.invalidate();
    let r = run(&inv);
    let at = hop(&r, Hop::AlbToTarget);
    // The ALB's egress names sg-app, which the target carries: admitted; the target's own
    // ingress rules are unknown.
    assert_eq!(at.verdict, Verdict::Unknown, "{at:#?}");
    assert_eq!(at.fact.reasons, vec!["missing-data"]);
    assert!(at.fact.near_misses.is_empty());
    assert!(at.evidence.iter().any(|e| matches!(e,
        Evidence::Missing { what, cli } if what.starts_with("sg-app")
            && cli.contains("describe-security-groups --group-ids sg-app"))));
}

#[test]
fn ip_target_on_a_secondary_address_is_that_address() {
    let mut inv = healthy();
    inv.network_interfaces.insert(
        "eni-app".into(),
        de(
            json!({"NetworkInterfaceId": "eni-app", "SubnetId": "subnet-app", "VpcId": "vpc-1",
        "AvailabilityZone": "us-east-1a", "PrivateIpAddress": "10.0.10.5",
        "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.10.5", "Primary": true},
                               {"PrivateIpAddress": "10.0.10.7", "Primary": false}],
        "Groups": [{"GroupId": "sg-app"}]}),
        ),
    );
    inv.target_groups.get_mut(TG).expect("tg").target_type = Some("ip".into());
    inv.target_health.insert(
        TG.into(),
        vec![de(json!({"Target": {"Id": "10.0.10.7", "Port": 8080},
        "TargetHealth": {"State": "healthy"}}))],
    );
    // The ALB may send only to the secondary address.
    inv.security_groups
        .get_mut("sg-alb")
        .expect("sg")
        .ip_permissions_egress = vec![de(perm("tcp", 8080, 8080, json!("10.0.10.7/32")))];
    inv.invalidate();
    let r = run(&inv);
    let at = hop(&r, Hop::AlbToTarget);
    assert_eq!(at.verdict, Verdict::Allowed, "{at:#?}");
    assert_eq!(
        at.fact.admitted_by,
        "sg-alb egress tcp/8080 to 10.0.10.7/32"
    );
    assert_eq!(at.fact.target_sgs, vec!["sg-app"]);
}
