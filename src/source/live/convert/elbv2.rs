//! AWS SDK ELBv2 output → Inventory types (the same model the snapshot loader fills).
//!
//! Each function gives exactly what the snapshot loader reads from the equivalent
//! `aws elbv2 describe-*` JSON: enums become their AWS string, absent fields stay `None`,
//! timestamps are printed the way the AWS CLI prints them. A function returns `None` only when
//! the SDK value lacks the id the model is keyed by.

use aws_sdk_elasticloadbalancingv2::types;
use serde_json::{Map, Value};

use super::cli_timestamp;
use crate::model::elbv2::{
    Action, Attribute, AvailabilityZone, Certificate, FixedResponseConfig, ForwardConfig, Listener,
    LoadBalancer, LoadBalancerState, Matcher, Rule, TargetDescription, TargetGroup,
    TargetGroupTuple, TargetHealth, TargetHealthDescription,
};

/// `describe-load-balancers` → `LoadBalancers[]` item.
pub(crate) fn load_balancer(lb: &types::LoadBalancer) -> Option<LoadBalancer> {
    Some(LoadBalancer {
        load_balancer_arn: lb.load_balancer_arn()?.into(),
        load_balancer_name: lb.load_balancer_name().unwrap_or_default().to_owned(),
        dns_name: lb.dns_name().unwrap_or_default().to_owned(),
        scheme: lb.scheme().map(|s| s.as_str().to_owned()),
        kind: lb.r#type().map(|t| t.as_str().to_owned()),
        vpc_id: lb.vpc_id().map(Into::into),
        state: lb.state().map(load_balancer_state),
        availability_zones: lb
            .availability_zones()
            .iter()
            .map(availability_zone)
            .collect(),
        security_groups: lb
            .security_groups()
            .iter()
            .map(|s| s.as_str().into())
            .collect(),
        ip_address_type: lb.ip_address_type().map(|t| t.as_str().to_owned()),
        canonical_hosted_zone_id: lb.canonical_hosted_zone_id().map(str::to_owned),
        created_time: lb.created_time().and_then(cli_timestamp),
    })
}

/// `{Code, Reason}`.
fn load_balancer_state(s: &types::LoadBalancerState) -> LoadBalancerState {
    LoadBalancerState {
        code: s.code().map(|c| c.as_str().to_owned()).unwrap_or_default(),
        reason: s.reason().map(str::to_owned),
    }
}

/// One enabled AZ.
fn availability_zone(az: &types::AvailabilityZone) -> AvailabilityZone {
    AvailabilityZone {
        zone_name: az.zone_name().unwrap_or_default().to_owned(),
        subnet_id: az.subnet_id().map(Into::into),
    }
}

/// `describe-listeners` → `Listeners[]` item. `None` without a listener or load-balancer ARN.
///
/// Gateway Load Balancer listeners have no port or protocol: they become `0` and `""`.
pub(crate) fn listener(l: &types::Listener) -> Option<Listener> {
    Some(Listener {
        listener_arn: l.listener_arn()?.into(),
        load_balancer_arn: l.load_balancer_arn()?.into(),
        port: l.port().unwrap_or_default(),
        protocol: l
            .protocol()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
        certificates: l
            .certificates()
            .iter()
            .map(|c| Certificate {
                certificate_arn: c.certificate_arn().map(str::to_owned),
            })
            .collect(),
        ssl_policy: l.ssl_policy().map(str::to_owned),
        default_actions: l.default_actions().iter().map(action).collect(),
    })
}

/// A listener or rule action.
fn action(a: &types::Action) -> Action {
    Action {
        kind: a
            .r#type()
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default(),
        target_group_arn: a.target_group_arn().map(Into::into),
        order: a.order(),
        forward_config: a.forward_config().map(forward_config),
        redirect_config: a.redirect_config().map(redirect_config),
        fixed_response_config: a.fixed_response_config().map(fixed_response_config),
    }
}

/// Weighted forward; tuples without a target-group ARN are dropped (the model requires one).
fn forward_config(f: &types::ForwardActionConfig) -> ForwardConfig {
    ForwardConfig {
        target_groups: f
            .target_groups()
            .iter()
            .filter_map(|t| {
                Some(TargetGroupTuple {
                    target_group_arn: t.target_group_arn()?.into(),
                    weight: t.weight().map(i64::from),
                })
            })
            .collect(),
        // As the CLI prints it: absent keys stay absent (not `null`).
        target_group_stickiness_config: f.target_group_stickiness_config().map(|c| {
            let mut config = serde_json::Map::new();
            if let Some(enabled) = c.enabled() {
                config.insert("Enabled".into(), enabled.into());
            }
            if let Some(seconds) = c.duration_seconds() {
                config.insert("DurationSeconds".into(), seconds.into());
            }
            serde_json::Value::Object(config)
        }),
    }
}

/// `RedirectConfig` as the CLI prints it (`Protocol`, `Port`, `Host`, `Path`, `Query`,
/// `StatusCode`; absent keys stay absent).
fn redirect_config(r: &types::RedirectActionConfig) -> Value {
    let mut m = Map::new();
    let mut put = |k: &str, v: Option<&str>| {
        if let Some(v) = v {
            m.insert(k.to_owned(), Value::String(v.to_owned()));
        }
    };
    put("Protocol", r.protocol());
    put("Port", r.port());
    put("Host", r.host());
    put("Path", r.path());
    put("Query", r.query());
    put(
        "StatusCode",
        r.status_code()
            .map(types::RedirectActionStatusCodeEnum::as_str),
    );
    Value::Object(m)
}

/// A fixed response.
fn fixed_response_config(f: &types::FixedResponseActionConfig) -> FixedResponseConfig {
    FixedResponseConfig {
        status_code: f.status_code().unwrap_or_default().to_owned(),
        content_type: f.content_type().map(str::to_owned),
        message_body: f.message_body().map(str::to_owned),
    }
}

/// `describe-rules --listener-arn LISTENER` → `Rules[]` item, its parent set to `listener_arn`
/// (what the loader does with a top-level `ListenerArn` key). `None` without a rule ARN.
pub(crate) fn rule(r: &types::Rule, listener_arn: &str) -> Option<Rule> {
    Some(Rule {
        rule_arn: r.rule_arn()?.into(),
        priority: r.priority().unwrap_or_default().to_owned(),
        conditions: r.conditions().iter().map(rule_condition).collect(),
        actions: r.actions().iter().map(action).collect(),
        is_default: r.is_default().unwrap_or(false),
        listener_arn: Some(listener_arn.into()),
    })
}

/// A list of strings as JSON.
fn strings(v: &[String]) -> Value {
    Value::Array(v.iter().cloned().map(Value::String).collect())
}

/// Inserts `key: [..]` when the SDK list was present (an empty list stays `[]`, as in the CLI).
fn put_list(m: &mut Map<String, Value>, key: &str, v: Option<&Vec<String>>) {
    if let Some(v) = v {
        m.insert(key.to_owned(), strings(v));
    }
}

/// A rule condition as the CLI prints it.
fn rule_condition(c: &types::RuleCondition) -> Value {
    let mut m = Map::new();
    if let Some(f) = c.field() {
        m.insert("Field".to_owned(), Value::String(f.to_owned()));
    }
    put_list(&mut m, "Values", c.values.as_ref());
    if let Some(h) = c.host_header_config() {
        let mut o = Map::new();
        put_list(&mut o, "Values", h.values.as_ref());
        put_list(&mut o, "RegexValues", h.regex_values.as_ref());
        m.insert("HostHeaderConfig".to_owned(), Value::Object(o));
    }
    if let Some(p) = c.path_pattern_config() {
        let mut o = Map::new();
        put_list(&mut o, "Values", p.values.as_ref());
        put_list(&mut o, "RegexValues", p.regex_values.as_ref());
        m.insert("PathPatternConfig".to_owned(), Value::Object(o));
    }
    if let Some(h) = c.http_header_config() {
        let mut o = Map::new();
        if let Some(n) = h.http_header_name() {
            o.insert("HttpHeaderName".to_owned(), Value::String(n.to_owned()));
        }
        put_list(&mut o, "Values", h.values.as_ref());
        put_list(&mut o, "RegexValues", h.regex_values.as_ref());
        m.insert("HttpHeaderConfig".to_owned(), Value::Object(o));
    }
    if let Some(q) = c.query_string_config() {
        let mut o = Map::new();
        if let Some(values) = &q.values {
            let pairs = values
                .iter()
                .map(|kv| {
                    let mut p = Map::new();
                    if let Some(k) = kv.key() {
                        p.insert("Key".to_owned(), Value::String(k.to_owned()));
                    }
                    if let Some(v) = kv.value() {
                        p.insert("Value".to_owned(), Value::String(v.to_owned()));
                    }
                    Value::Object(p)
                })
                .collect();
            o.insert("Values".to_owned(), Value::Array(pairs));
        }
        m.insert("QueryStringConfig".to_owned(), Value::Object(o));
    }
    if let Some(h) = c.http_request_method_config() {
        let mut o = Map::new();
        put_list(&mut o, "Values", h.values.as_ref());
        m.insert("HttpRequestMethodConfig".to_owned(), Value::Object(o));
    }
    if let Some(s) = c.source_ip_config() {
        let mut o = Map::new();
        put_list(&mut o, "Values", s.values.as_ref());
        m.insert("SourceIpConfig".to_owned(), Value::Object(o));
    }
    put_list(&mut m, "RegexValues", c.regex_values.as_ref());
    Value::Object(m)
}

/// `describe-target-groups` → `TargetGroups[]` item. `None` without a target-group ARN.
pub(crate) fn target_group(tg: &types::TargetGroup) -> Option<TargetGroup> {
    Some(TargetGroup {
        target_group_arn: tg.target_group_arn()?.into(),
        target_group_name: tg.target_group_name().unwrap_or_default().to_owned(),
        protocol: tg.protocol().map(|p| p.as_str().to_owned()),
        port: tg.port(),
        vpc_id: tg.vpc_id().map(Into::into),
        target_type: tg.target_type().map(|t| t.as_str().to_owned()),
        health_check_protocol: tg.health_check_protocol().map(|p| p.as_str().to_owned()),
        health_check_port: tg.health_check_port().map(str::to_owned),
        health_check_enabled: tg.health_check_enabled(),
        health_check_path: tg.health_check_path().map(str::to_owned),
        health_check_interval_seconds: tg.health_check_interval_seconds(),
        health_check_timeout_seconds: tg.health_check_timeout_seconds(),
        healthy_threshold_count: tg.healthy_threshold_count(),
        unhealthy_threshold_count: tg.unhealthy_threshold_count(),
        matcher: tg.matcher().map(matcher),
        load_balancer_arns: tg
            .load_balancer_arns()
            .iter()
            .map(|a| a.as_str().into())
            .collect(),
        protocol_version: tg.protocol_version().map(str::to_owned),
    })
}

/// Health-check success codes.
fn matcher(m: &types::Matcher) -> Matcher {
    Matcher {
        http_code: m.http_code().map(str::to_owned),
        grpc_code: m.grpc_code().map(str::to_owned),
    }
}

/// `describe-target-health` → `TargetHealthDescriptions[]` item (the caller keys it by group).
pub(crate) fn target_health_description(
    d: &types::TargetHealthDescription,
) -> TargetHealthDescription {
    TargetHealthDescription {
        target: d.target().map_or_else(
            || TargetDescription {
                id: String::new(),
                port: None,
                availability_zone: None,
            },
            target_description,
        ),
        health_check_port: d.health_check_port().map(str::to_owned),
        target_health: d.target_health().map(target_health),
    }
}

/// A registered target.
fn target_description(t: &types::TargetDescription) -> TargetDescription {
    TargetDescription {
        id: t.id().unwrap_or_default().to_owned(),
        port: t.port(),
        availability_zone: t.availability_zone().map(str::to_owned),
    }
}

/// `{State, Reason, Description}`.
fn target_health(h: &types::TargetHealth) -> TargetHealth {
    TargetHealth {
        state: h.state().map(|s| s.as_str().to_owned()).unwrap_or_default(),
        reason: h.reason().map(|r| r.as_str().to_owned()),
        description: h.description().map(str::to_owned),
    }
}

/// `describe-load-balancer-attributes` → `Attributes[]` item.
pub(crate) fn lb_attribute(a: &types::LoadBalancerAttribute) -> Attribute {
    Attribute {
        key: a.key().unwrap_or_default().to_owned(),
        value: a.value().unwrap_or_default().to_owned(),
    }
}

/// `describe-target-group-attributes` → `Attributes[]` item.
pub(crate) fn tg_attribute(a: &types::TargetGroupAttribute) -> Attribute {
    Attribute {
        key: a.key().unwrap_or_default().to_owned(),
        value: a.value().unwrap_or_default().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_types::DateTime;

    fn from_json<T: serde::de::DeserializeOwned>(v: Value) -> T {
        serde_json::from_value(v).expect("model parses the CLI JSON")
    }

    const LB: &str =
        "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188";
    const LISTENER: &str = "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2";
    const TG_A: &str =
        "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/blue/73e2d6bc24d8a067";
    const TG_B: &str =
        "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/green/83e2d6bc24d8a068";

    #[test]
    fn listener_with_weighted_forward_matches_cli_json() {
        let sdk = types::Listener::builder()
            .listener_arn(LISTENER)
            .load_balancer_arn(LB)
            .port(443)
            .protocol(types::ProtocolEnum::Https)
            .certificates(
                types::Certificate::builder()
                    .certificate_arn("arn:aws:acm:us-east-1:111122223333:certificate/abc")
                    .build(),
            )
            .ssl_policy("ELBSecurityPolicy-TLS13-1-2-2021-06")
            .default_actions(
                types::Action::builder()
                    .r#type(types::ActionTypeEnum::Forward)
                    .order(1)
                    .forward_config(
                        types::ForwardActionConfig::builder()
                            .target_groups(
                                types::TargetGroupTuple::builder()
                                    .target_group_arn(TG_A)
                                    .weight(80)
                                    .build(),
                            )
                            .target_groups(
                                types::TargetGroupTuple::builder()
                                    .target_group_arn(TG_B)
                                    .weight(20)
                                    .build(),
                            )
                            .target_group_stickiness_config(
                                types::TargetGroupStickinessConfig::builder()
                                    .enabled(false)
                                    .build(),
                            )
                            .build(),
                    )
                    .build(),
            )
            .build();
        let cli: Listener = from_json(serde_json::json!({
            "ListenerArn": LISTENER,
            "LoadBalancerArn": LB,
            "Port": 443,
            "Protocol": "HTTPS",
            "Certificates": [{"CertificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/abc"}],
            "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
            "DefaultActions": [{
                "Type": "forward",
                "Order": 1,
                "ForwardConfig": {
                    "TargetGroups": [
                        {"TargetGroupArn": TG_A, "Weight": 80},
                        {"TargetGroupArn": TG_B, "Weight": 20}
                    ],
                    "TargetGroupStickinessConfig": {"Enabled": false}
                }
            }]
        }));
        assert_eq!(listener(&sdk), Some(cli));
        assert_eq!(listener(&types::Listener::builder().port(80).build()), None);
    }

    #[test]
    fn target_group_and_target_health_match_cli_json() {
        let sdk_tg = types::TargetGroup::builder()
            .target_group_arn(TG_A)
            .target_group_name("blue")
            .protocol(types::ProtocolEnum::Http)
            .port(8080)
            .vpc_id("vpc-0abc")
            .health_check_protocol(types::ProtocolEnum::Http)
            .health_check_port("traffic-port")
            .health_check_enabled(true)
            .health_check_interval_seconds(30)
            .health_check_timeout_seconds(5)
            .healthy_threshold_count(5)
            .unhealthy_threshold_count(2)
            .health_check_path("/health")
            .matcher(types::Matcher::builder().http_code("200-299").build())
            .load_balancer_arns(LB)
            .target_type(types::TargetTypeEnum::Ip)
            .protocol_version("HTTP1")
            .ip_address_type(types::TargetGroupIpAddressTypeEnum::Ipv4)
            .build();
        let cli_tg: TargetGroup = from_json(serde_json::json!({
            "TargetGroupArn": TG_A,
            "TargetGroupName": "blue",
            "Protocol": "HTTP",
            "Port": 8080,
            "VpcId": "vpc-0abc",
            "HealthCheckProtocol": "HTTP",
            "HealthCheckPort": "traffic-port",
            "HealthCheckEnabled": true,
            "HealthCheckIntervalSeconds": 30,
            "HealthCheckTimeoutSeconds": 5,
            "HealthyThresholdCount": 5,
            "UnhealthyThresholdCount": 2,
            "HealthCheckPath": "/health",
            "Matcher": {"HttpCode": "200-299"},
            "LoadBalancerArns": [LB],
            "TargetType": "ip",
            "ProtocolVersion": "HTTP1",
            "IpAddressType": "ipv4"
        }));
        assert_eq!(target_group(&sdk_tg), Some(cli_tg));

        let sdk_th = types::TargetHealthDescription::builder()
            .target(
                types::TargetDescription::builder()
                    .id("10.0.1.23")
                    .port(8080)
                    .availability_zone("us-east-1a")
                    .build(),
            )
            .health_check_port("8080")
            .target_health(
                types::TargetHealth::builder()
                    .state(types::TargetHealthStateEnum::Unhealthy)
                    .reason(types::TargetHealthReasonEnum::Timeout)
                    .description("Request timed out")
                    .build(),
            )
            .build();
        let cli_th: TargetHealthDescription = from_json(serde_json::json!({
            "Target": {"Id": "10.0.1.23", "Port": 8080, "AvailabilityZone": "us-east-1a"},
            "HealthCheckPort": "8080",
            "TargetHealth": {
                "State": "unhealthy",
                "Reason": "Target.Timeout",
                "Description": "Request timed out"
            }
        }));
        assert_eq!(target_health_description(&sdk_th), cli_th);

        let attr = types::TargetGroupAttribute::builder()
            .key("deregistration_delay.timeout_seconds")
            .value("300")
            .build();
        let cli_attr: Attribute = from_json(serde_json::json!({
            "Key": "deregistration_delay.timeout_seconds", "Value": "300"
        }));
        assert_eq!(tg_attribute(&attr), cli_attr);
    }

    #[test]
    fn load_balancer_and_rule_match_cli_json() {
        let sdk_lb = types::LoadBalancer::builder()
            .load_balancer_arn(LB)
            .dns_name("web-1234567890.us-east-1.elb.amazonaws.com")
            .canonical_hosted_zone_id("Z35SXDOTRQ7X7K")
            .created_time(DateTime::from_secs_and_nanos(1_700_000_000, 120_000_000))
            .load_balancer_name("web")
            .scheme(types::LoadBalancerSchemeEnum::InternetFacing)
            .vpc_id("vpc-0abc")
            .state(
                types::LoadBalancerState::builder()
                    .code(types::LoadBalancerStateEnum::Active)
                    .build(),
            )
            .r#type(types::LoadBalancerTypeEnum::Application)
            .availability_zones(
                types::AvailabilityZone::builder()
                    .zone_name("us-east-1a")
                    .subnet_id("subnet-0a")
                    .build(),
            )
            .security_groups("sg-0lb")
            .ip_address_type(types::IpAddressType::Ipv4)
            .build();
        let cli_lb: LoadBalancer = from_json(serde_json::json!({
            "LoadBalancerArn": LB,
            "DNSName": "web-1234567890.us-east-1.elb.amazonaws.com",
            "CanonicalHostedZoneId": "Z35SXDOTRQ7X7K",
            "CreatedTime": "2023-11-14T22:13:20.120000+00:00",
            "LoadBalancerName": "web",
            "Scheme": "internet-facing",
            "VpcId": "vpc-0abc",
            "State": {"Code": "active"},
            "Type": "application",
            "AvailabilityZones": [{"ZoneName": "us-east-1a", "SubnetId": "subnet-0a", "LoadBalancerAddresses": []}],
            "SecurityGroups": ["sg-0lb"],
            "IpAddressType": "ipv4"
        }));
        assert_eq!(load_balancer(&sdk_lb), Some(cli_lb));
        assert_eq!(
            cli_timestamp(&DateTime::from_secs(1_700_000_000)).as_deref(),
            Some("2023-11-14T22:13:20+00:00")
        );

        let rule_arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";
        let sdk_rule = types::Rule::builder()
            .rule_arn(rule_arn)
            .priority("10")
            .conditions(
                types::RuleCondition::builder()
                    .field("path-pattern")
                    .values("/api/*")
                    .path_pattern_config(
                        types::PathPatternConditionConfig::builder()
                            .values("/api/*")
                            .build(),
                    )
                    .build(),
            )
            .conditions(
                types::RuleCondition::builder()
                    .field("http-header")
                    .http_header_config(
                        types::HttpHeaderConditionConfig::builder()
                            .http_header_name("X-Origin-Secret")
                            .values("s3cr3t")
                            .build(),
                    )
                    .build(),
            )
            .actions(
                types::Action::builder()
                    .r#type(types::ActionTypeEnum::FixedResponse)
                    .order(1)
                    .fixed_response_config(
                        types::FixedResponseActionConfig::builder()
                            .status_code("403")
                            .content_type("text/plain")
                            .message_body("denied")
                            .build(),
                    )
                    .build(),
            )
            .actions(
                types::Action::builder()
                    .r#type(types::ActionTypeEnum::Redirect)
                    .order(2)
                    .redirect_config(
                        types::RedirectActionConfig::builder()
                            .protocol("HTTPS")
                            .port("443")
                            .host("#{host}")
                            .path("/#{path}")
                            .query("#{query}")
                            .status_code(types::RedirectActionStatusCodeEnum::Http301)
                            .build(),
                    )
                    .build(),
            )
            .is_default(false)
            .build();
        let cli_rule: Rule = from_json(serde_json::json!({
            "RuleArn": rule_arn,
            "Priority": "10",
            "Conditions": [
                {"Field": "path-pattern", "Values": ["/api/*"], "PathPatternConfig": {"Values": ["/api/*"]}},
                {"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-Origin-Secret", "Values": ["s3cr3t"]}}
            ],
            "Actions": [
                {"Type": "fixed-response", "Order": 1, "FixedResponseConfig": {"StatusCode": "403", "ContentType": "text/plain", "MessageBody": "denied"}},
                {"Type": "redirect", "Order": 2, "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "Host": "#{host}", "Path": "/#{path}", "Query": "#{query}", "StatusCode": "HTTP_301"}}
            ],
            "IsDefault": false,
            "ListenerArn": LISTENER
        }));
        let converted = rule(&sdk_rule, LISTENER).expect("rule has an ARN");
        assert_eq!(converted, cli_rule);
        // The parent the loader would derive from the rule ARN is the one given.
        assert_eq!(
            Rule::listener_arn_from_rule_arn(rule_arn),
            converted.listener_arn
        );
    }
}
