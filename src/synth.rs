//! A deterministic large-account generator for benchmarks and scale tests: N distributions,
//! each with a few behaviors onto its own ALB, target groups with many targets, target SGs that
//! reference the ALB SG, extra unrelated SGs with many rules, and a sprinkling of known faults
//! (ghost SG references, unhealthy targets) so every code path is exercised.

use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::model::{Direction, Inventory, Kind, Protocol};
use crate::whatif::{Change, Peer, RuleEdit};

/// The shape of the generated account.
#[derive(Debug, Clone, Copy)]
pub struct SynthSpec {
    /// Distributions, each with its own ALB.
    pub distributions: usize,
    /// Ordered cache behaviors per distribution (besides the default).
    pub behaviors: usize,
    /// Targets in each ALB's target group.
    pub targets_per_group: usize,
    /// Unrelated security groups.
    pub extra_sgs: usize,
    /// Inbound rules per unrelated security group.
    pub rules_per_sg: usize,
    /// Listener rules on every listener (0: default actions only). The first forwards
    /// `/api/v2/*` to a second group, the second is a `host-header` rule CloudFront's Host never
    /// matches, the third an `http-header` gate; the rest answer `/rN/*` with a fixed 404.
    pub listener_rules: usize,
}

impl Default for SynthSpec {
    fn default() -> Self {
        SynthSpec {
            distributions: 50,
            behaviors: 3,
            targets_per_group: 20,
            extra_sgs: 2_000,
            rules_per_sg: 10,
            listener_rules: 0,
        }
    }
}

fn de_opt<T: DeserializeOwned>(v: Value) -> Option<T> {
    serde_json::from_value(v).ok()
}

fn perm(port: usize, peer: &Value) -> Value {
    let mut p = json!({"IpProtocol": "tcp", "FromPort": port, "ToPort": port});
    if let Some(s) = peer.as_str() {
        if s.starts_with("pl-") {
            p["PrefixListIds"] = json!([{"PrefixListId": s}]);
        } else if s.starts_with("sg-") {
            p["UserIdGroupPairs"] = json!([{"GroupId": s}]);
        } else {
            p["IpRanges"] = json!([{"CidrIp": s}]);
        }
    }
    p
}

/// Generates the account. The same spec always gives the same Inventory.
#[must_use]
pub fn generate(spec: &SynthSpec) -> Inventory {
    let mut inv = Inventory::default();
    let vpc = "vpc-0synth0000000001";
    if let Some(v) = de_opt(json!({"VpcId": vpc, "CidrBlock": "10.0.0.0/8"})) {
        inv.vpcs.insert(vpc.into(), v);
    }
    let pl = "pl-3b927c52";
    if let Some(p) = de_opt(json!({"PrefixListId": pl,
        "PrefixListName": crate::model::inventory::CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST}))
    {
        inv.prefix_lists.insert(pl.into(), p);
    }
    inv.prefix_list_entries.insert(
        pl.into(),
        (0..45)
            .filter_map(|i| {
                de_opt(json!({"Cidr": format!("{}.{}.0.0/16", 13 + i / 8, (i % 8) * 16)}))
            })
            .collect(),
    );
    let azs = ["us-east-1a", "us-east-1b", "us-east-1c"];
    let mut subnets = Vec::new();
    for (i, az) in azs.iter().enumerate() {
        for (kind, base) in [("pub", 0usize), ("app", 100)] {
            let id = format!("subnet-0{kind}{i:013}");
            if let Some(s) = de_opt(json!({"SubnetId": id, "VpcId": vpc,
                "CidrBlock": format!("10.{}.0.0/16", base + i), "AvailabilityZone": az}))
            {
                inv.subnets.insert(id.as_str().into(), s);
            }
            subnets.push(id);
        }
    }
    let entries = json!([
        {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"},
        {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": false, "CidrBlock": "0.0.0.0/0"},
        {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": true, "CidrBlock": "0.0.0.0/0"},
        {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": true, "CidrBlock": "0.0.0.0/0"}
    ]);
    if let Some(a) = de_opt(
        json!({"NetworkAclId": "acl-0synth000000001", "VpcId": vpc, "IsDefault": true,
        "Associations": subnets.iter().map(|s| json!({"SubnetId": s})).collect::<Vec<_>>(),
        "Entries": entries}),
    ) {
        inv.network_acls.insert("acl-0synth000000001".into(), a);
    }
    if let Some(r) = de_opt(json!({"RouteTableId": "rtb-0synth000000001", "VpcId": vpc,
        "Associations": [{"Main": true}],
        "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-0synth000000001", "State": "active"}]}))
    {
        inv.route_tables.insert("rtb-0synth000000001".into(), r);
    }
    for i in 0..spec.extra_sgs {
        let id = format!("sg-0x{i:015x}");
        let ingress: Vec<Value> = (0..spec.rules_per_sg)
            .map(|r| perm(1000 + r, &json!(format!("10.{}.{}.0/24", i % 200, r % 250))))
            .collect();
        if let Some(g) = de_opt(
            json!({"GroupId": id, "GroupName": format!("extra-{i}"), "VpcId": vpc,
            "IpPermissions": ingress, "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}),
        ) {
            inv.security_groups.insert(id.as_str().into(), g);
        }
    }
    for d in 0..spec.distributions {
        add_distribution(&mut inv, spec, d, vpc, pl, &azs);
    }
    // VPC Block Public Access off for the Region (every kind is marked loaded below).
    inv.vpc_bpa_options.insert(
        String::new(),
        crate::model::bpa::VpcBlockPublicAccessOptions {
            aws_region: None,
            aws_account_id: None,
            state: Some("default-state".to_owned()),
            internet_gateway_block_mode: Some("off".to_owned()),
            exclusions_allowed: Some("allowed".to_owned()),
            managed_by: Some("account".to_owned()),
            reason: None,
        },
    );
    for k in Kind::ALL {
        inv.mark_loaded(k);
    }
    inv
}

fn add_distribution(
    inv: &mut Inventory,
    spec: &SynthSpec,
    d: usize,
    vpc: &str,
    pl: &str,
    azs: &[&str],
) {
    let name = format!("alb-{d:04}");
    let lb_arn = format!(
        "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/{name}/{d:016x}"
    );
    let tg_arn = format!(
        "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/tg-{d:04}/{d:016x}"
    );
    let l_arn = format!(
        "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/{name}/{d:016x}/{d:016x}"
    );
    let dns = format!("{name}-{d}.us-east-1.elb.amazonaws.com");
    let alb_sg = format!("sg-0alb{d:013x}");
    let app_sg = format!("sg-0app{d:013x}");
    let old_sg = format!("sg-0old{d:013x}");
    let behaviors: Vec<Value> = (0..spec.behaviors)
        .map(|b| json!({"PathPattern": format!("/p{b}/*"), "TargetOriginId": "alb", "ViewerProtocolPolicy": "redirect-to-https"}))
        .collect();
    let dist: crate::model::cloudfront::Distribution = match de_opt(json!({
        "Id": format!("E{d:013}"), "Status": "Deployed", "Enabled": true,
        "Origins": {"Quantity": 1, "Items": [{"Id": "alb", "DomainName": dns,
            "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "match-viewer"}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "alb", "ViewerProtocolPolicy": "allow-all"},
        "CacheBehaviors": {"Quantity": behaviors.len(), "Items": behaviors}
    })) {
        Some(x) => x,
        None => return,
    };
    inv.distributions.insert(dist.id.clone(), dist);
    let zones: Vec<Value> = azs
        .iter()
        .enumerate()
        .map(|(i, z)| json!({"ZoneName": z, "SubnetId": format!("subnet-0pub{i:013}")}))
        .collect();
    if let Some(lb) = de_opt(
        json!({"LoadBalancerArn": lb_arn, "LoadBalancerName": name, "DNSName": dns,
        "Scheme": "internet-facing", "Type": "application", "VpcId": vpc, "SecurityGroups": [alb_sg],
        "AvailabilityZones": zones}),
    ) {
        inv.load_balancers.insert(lb_arn.as_str().into(), lb);
    }
    let tg2_arn = format!(
        "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/tg2-{d:04}/{d:016x}"
    );
    for (port, proto) in [(80, "HTTP"), (443, "HTTPS")] {
        let arn = format!("{l_arn}{port}");
        for r in 0..spec.listener_rules {
            let (conditions, actions) = match r {
                0 => (
                    json!([{"Field": "path-pattern", "Values": ["/api/v2/*"]}]),
                    json!([{"Type": "forward", "TargetGroupArn": tg2_arn}]),
                ),
                1 => (
                    json!([{"Field": "host-header", "Values": [format!("www.example{d}.com")]}]),
                    json!([{"Type": "forward", "TargetGroupArn": tg2_arn}]),
                ),
                2 => (
                    json!([{"Field": "http-header", "HttpHeaderConfig":
                        {"HttpHeaderName": "X-Origin-Verify", "Values": ["s3cret"]}}]),
                    json!([{"Type": "forward", "TargetGroupArn": tg_arn}]),
                ),
                _ => (
                    json!([{"Field": "path-pattern", "Values": [format!("/r{r}/*")]}]),
                    json!([{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}]),
                ),
            };
            let rule_arn = format!(
                "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener-rule/app/{name}/{d:016x}/{d:016x}{port}/{r:016x}"
            );
            if let Some(rule) = de_opt::<crate::model::elbv2::Rule>(json!({
                "RuleArn": rule_arn, "Priority": ((r + 1) * 10).to_string(),
                "Conditions": conditions, "Actions": actions, "IsDefault": false,
                "ListenerArn": arn}))
            {
                inv.rules.insert(rule_arn.as_str().into(), rule);
            }
        }
        if let Some(l) = de_opt(
            json!({"ListenerArn": arn, "LoadBalancerArn": lb_arn, "Port": port, "Protocol": proto,
            "DefaultActions": [{"Type": "forward", "TargetGroupArn": tg_arn}]}),
        ) {
            inv.listeners.insert(arn.as_str().into(), l);
        }
    }
    if let Some(tg) = de_opt(
        json!({"TargetGroupArn": tg_arn, "TargetGroupName": format!("tg-{d:04}"),
        "Protocol": "HTTP", "Port": 8080, "VpcId": vpc, "TargetType": "instance", "HealthCheckPort": "traffic-port",
        "LoadBalancerArns": [lb_arn]}),
    ) {
        inv.target_groups.insert(tg_arn.as_str().into(), tg);
    }
    // Every 7th ALB: the app SG still references a detached group (the ghost reference).
    let source = if d % 7 == 3 { &old_sg } else { &alb_sg };
    let groups = [
        (
            alb_sg.clone(),
            vec![perm(80, &json!(pl)), perm(443, &json!(pl))],
            vec![perm(8080, &json!(app_sg))],
        ),
        (app_sg.clone(), vec![perm(8080, &json!(source))], vec![]),
        (old_sg.clone(), vec![], vec![]),
    ];
    for (id, ingress, egress) in groups {
        if let Some(g) = de_opt(json!({"GroupId": id, "GroupName": id, "VpcId": vpc,
            "IpPermissions": ingress, "IpPermissionsEgress": egress}))
        {
            inv.security_groups.insert(id.as_str().into(), g);
        }
    }
    for (i, (z, _)) in azs.iter().zip(0..).enumerate() {
        let eni = format!("eni-0alb{d:06x}{i:07x}");
        if let Some(e) = de_opt(
            json!({"NetworkInterfaceId": eni, "Description": format!("ELB app/{name}/{d:016x}"),
            "SubnetId": format!("subnet-0pub{i:013}"), "VpcId": vpc, "AvailabilityZone": z,
            "PrivateIpAddress": format!("10.{i}.{}.{}", d / 250, d % 250 + 1), "Groups": [{"GroupId": alb_sg}]}),
        ) {
            inv.network_interfaces.insert(eni.as_str().into(), e);
        }
    }
    let mut health = Vec::new();
    for t in 0..spec.targets_per_group {
        let id = format!("i-0{d:06x}{t:010x}");
        let az = t % azs.len();
        let ip = format!(
            "10.{}.{}.{}",
            100 + az,
            (d * spec.targets_per_group + t) / 250 % 250,
            t % 250 + 1
        );
        let eni = format!("eni-0t{d:06x}{t:09x}");
        if let Some(e) = de_opt(
            json!({"NetworkInterfaceId": eni, "SubnetId": format!("subnet-0app{az:013}"),
            "VpcId": vpc, "AvailabilityZone": azs[az], "PrivateIpAddress": ip, "Groups": [{"GroupId": app_sg}],
            "Attachment": {"InstanceId": id, "DeviceIndex": 0}}),
        ) {
            inv.network_interfaces.insert(eni.as_str().into(), e);
        }
        let state = if d % 7 == 3 || t % 11 == 5 {
            json!({"State": "unhealthy", "Reason": "Target.Timeout"})
        } else {
            json!({"State": "healthy"})
        };
        health.push(de_opt(
            json!({"Target": {"Id": id, "Port": 8080}, "TargetHealth": state}),
        ));
    }
    let health: Vec<_> = health.into_iter().flatten().collect();
    if spec.listener_rules > 0
        && let Some(tg2) = de_opt(
            json!({"TargetGroupArn": tg2_arn, "TargetGroupName": format!("tg2-{d:04}"),
            "Protocol": "HTTP", "Port": 8080, "VpcId": vpc, "TargetType": "instance", "HealthCheckPort": "traffic-port",
            "LoadBalancerArns": [lb_arn]}),
        )
    {
        inv.target_groups.insert(tg2_arn.as_str().into(), tg2);
        inv.target_health
            .insert(tg2_arn.as_str().into(), health.clone());
    }
    inv.target_health.insert(tg_arn.as_str().into(), health);
}

/// The what-if benchmark's change set (issue 8's shape): 49 rules authorized on SGs other than
/// the first ALB's, then that ALB's first SG detached from it. Shared by the criterion bench
/// and `examples/reach_scale.rs` so both measure the same thing.
///
/// # Panics
/// If `inv` has no load balancer with a security group (never for [`generate`]'s output).
#[must_use]
pub fn whatif_bench_changes(inv: &Inventory) -> Vec<Change> {
    let alb = inv.load_balancers.values().next().expect("an ALB");
    let alb_sg = alb.security_groups[0].to_string();
    let mut changes: Vec<Change> = inv
        .security_groups
        .keys()
        .filter(|id| id.as_str() != alb_sg)
        .take(49)
        .map(|sg| {
            Change::Rule(RuleEdit {
                authorize: true,
                direction: Direction::Ingress,
                sg: sg.to_string(),
                protocol: Protocol::Tcp,
                from_port: Some(9999),
                to_port: Some(9999),
                peer: Peer::Cidr("10.99.0.0/16".into()),
            })
        })
        .collect();
    changes.push(Change::DetachSg {
        sg: alb_sg,
        from: alb.load_balancer_name.clone(),
    });
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_and_evaluates() {
        let spec = SynthSpec {
            distributions: 8,
            behaviors: 1,
            targets_per_group: 3,
            extra_sgs: 5,
            rules_per_sg: 2,
            listener_rules: 0,
        };
        let a = generate(&spec);
        assert_eq!(a, generate(&spec));
        assert_eq!(a.distributions.len(), 8);
        let r = crate::reach::evaluate(&a, &crate::reach::ReachOptions::default());
        // 8 distributions × 2 behaviors × 3 targets; match-viewer + redirect-to-https: one port
        // for the extra behavior, two for the default.
        assert_eq!(r.paths.len(), 8 * (2 + 1) * 3);
        assert!(
            r.paths
                .iter()
                .any(|p| p.verdict == crate::reach::Verdict::Allowed)
        );
        assert!(
            r.paths
                .iter()
                .any(|p| p.hops[2].fact.reasons == ["target-sg-no-rule"])
        );
        // With listener rules: `/api/v2/*` of the default behavior goes to the second group
        // (a sub-path), the `/rN/*` rules answer with a fixed 404, the host and header rules
        // never match CloudFront's requests.
        let with_rules = generate(&SynthSpec {
            listener_rules: 5,
            ..spec
        });
        let r = crate::reach::evaluate(&with_rules, &crate::reach::ReachOptions::default());
        let sub = |s: &str| {
            r.paths
                .iter()
                .filter(|p| p.sub_path.as_deref() == Some(s))
                .count()
        };
        assert!(sub("/api/v2/*") > 0);
        assert!(sub("/r3/*") > 0 && sub("/r4/*") > 0);
        assert!(
            r.paths
                .iter()
                .any(|p| p.target_group.as_deref() == Some("tg2-0000"))
        );
        // The host-header rule's group is reached through `/api/v2/*`: nothing is unreached.
        assert!(r.unrouted_groups.is_empty(), "{:?}", r.unrouted_groups);
    }
}
