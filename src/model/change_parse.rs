//! Reading a [`Change`] out of one `lookup-events` element.
//!
//! The element's `CloudTrailEvent` is the whole CloudTrail record as a JSON *string*, with the
//! field names CloudTrail writes (`eventTime`, `eventName`, `eventSource`, `userIdentity`,
//! `userAgent`, `requestParameters`, `responseElements`, `errorCode`, `errorMessage`). EC2 records
//! use the Query API's shapes (`ipPermissions.items[].prefixListIds.items[].prefixListId`); ELBv2
//! and CloudFront records use their API member names in lowerCamelCase (`loadBalancerArn`,
//! `securityGroups`, `id`). Newer EC2 calls wrap their parameters in `…Request` with PascalCase
//! keys (`ModifySecurityGroupRulesRequest.GroupId`): the resource walk below finds ids anywhere.

use std::fmt;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::change::{Change, ChangeAction, Permission, RuleOp, Tool};
use super::cloudfront::CloudTrailEvent;

/// An event edgepath models but cannot read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeError {
    /// The event id.
    pub event_id: String,
    /// What was wrong.
    pub reason: String,
}

impl fmt::Display for ChangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CloudTrail event {}: {}", self.event_id, self.reason)
    }
}

/// The mutating calls that can change a path (issue 15, item 2), plus tag changes (listed, never
/// linked), with the words for the generic ones (`Other`): what the call did.
const MODELLED: &[(&str, &str)] = &[
    ("AuthorizeSecurityGroupIngress", ""),
    ("AuthorizeSecurityGroupEgress", ""),
    ("RevokeSecurityGroupIngress", ""),
    ("RevokeSecurityGroupEgress", ""),
    (
        "ModifySecurityGroupRules",
        "modified security-group rules of",
    ),
    (
        "ModifyNetworkInterfaceAttribute",
        "changed the attributes (groups) of",
    ),
    (
        "ModifyInstanceAttribute",
        "changed the attributes (groups) of",
    ),
    ("CreateNetworkAclEntry", ""),
    ("ReplaceNetworkAclEntry", "replaced an entry of"),
    ("DeleteNetworkAclEntry", "deleted an entry of"),
    ("ReplaceNetworkAclAssociation", "moved a subnet to"),
    ("CreateRoute", ""),
    ("ReplaceRoute", "replaced a route of"),
    ("DeleteRoute", "deleted a route of"),
    ("DetachInternetGateway", ""),
    ("ModifyManagedPrefixList", "modified the prefix list"),
    ("SetSecurityGroups", ""),
    ("SetSubnets", "changed the subnets of"),
    ("CreateListener", "created a listener on"),
    ("ModifyListener", "modified listener"),
    ("DeleteListener", "deleted listener"),
    ("CreateRule", "created a rule on listener"),
    ("ModifyRule", "modified rule"),
    ("DeleteRule", "deleted rule"),
    ("SetRulePriorities", "changed rule priorities"),
    ("ModifyTargetGroup", "modified target group"),
    (
        "ModifyTargetGroupAttributes",
        "changed the attributes of target group",
    ),
    (
        "ModifyLoadBalancerAttributes",
        "changed the attributes of load balancer",
    ),
    ("RegisterTargets", ""),
    ("DeregisterTargets", ""),
    ("UpdateDistribution", "updated distribution"),
    ("CreateVpcOrigin", "created a VPC origin for"),
    ("UpdateVpcOrigin", "updated VPC origin"),
    ("DeleteVpcOrigin", "deleted VPC origin"),
    ("UpdateOriginRequestPolicy", "updated origin request policy"),
    ("UpdateCachePolicy", "updated cache policy"),
    // Listed in the timeline, never linked to a path: tags do not carry traffic.
    ("CreateTags", "tagged"),
    ("DeleteTags", "removed tags of"),
];

/// Whether `event_name` is one of the modelled mutating calls.
#[must_use]
pub(crate) fn is_modelled(event_name: &str) -> bool {
    MODELLED.iter().any(|(n, _)| *n == event_name)
}

/// The typed changes of `events` (modelled calls only), oldest first, and the events that could
/// not be read (a warning each; the rest still count).
pub fn parse_changes<'a>(
    events: impl IntoIterator<Item = &'a CloudTrailEvent>,
) -> (Vec<Change>, Vec<ChangeError>) {
    let mut changes = Vec::new();
    let mut errors = Vec::new();
    for e in events {
        match parse_change(e) {
            Ok(Some(c)) => changes.push(c),
            Ok(None) => {}
            Err(err) => errors.push(err),
        }
    }
    changes.sort_by(|a, b| {
        a.time
            .cmp(&b.time)
            .then_with(|| a.event_id.cmp(&b.event_id))
    });
    (changes, errors)
}

/// The change of one event: `Ok(None)` for calls that are not modelled (read-only calls, calls
/// that cannot change a path); an error when a modelled event has no readable record or time.
pub fn parse_change(e: &CloudTrailEvent) -> Result<Option<Change>, ChangeError> {
    if !is_modelled(&e.event_name) {
        return Ok(None);
    }
    let err = |reason: String| ChangeError {
        event_id: e.event_id.clone(),
        reason,
    };
    let record: Value = match e.cloud_trail_event.as_deref() {
        Some(text) => serde_json::from_str(text)
            .map_err(|x| err(format!("CloudTrailEvent is not JSON ({x})")))?,
        None => Value::Null,
    };
    let time = record["eventTime"]
        .as_str()
        .or_else(|| e.event_time.as_ref().and_then(Value::as_str))
        .ok_or_else(|| err("no eventTime".to_owned()))
        .and_then(|t| {
            parse_time(t).ok_or_else(|| err(format!("eventTime `{t}` is not RFC 3339")))
        })?;
    let req = &record["requestParameters"];
    let resp = &record["responseElements"];
    let who = &record["userIdentity"];
    let actor = [&who["arn"], &who["invokedBy"], &who["principalId"]]
        .into_iter()
        .find_map(|v| v.as_str().filter(|s| !s.is_empty()))
        .map(str::to_owned)
        .or_else(|| e.username.clone())
        .unwrap_or_else(|| "unknown actor".to_owned());
    let event_source = record["eventSource"]
        .as_str()
        .map(str::to_owned)
        .or_else(|| e.event_source.clone())
        .unwrap_or_default();
    let mut resources = Vec::new();
    collect_ids(req, &mut resources);
    collect_ids(resp, &mut resources);
    resources.extend(e.resources.iter().filter_map(|r| r.resource_name.clone()));
    if event_source.starts_with("cloudfront") {
        // CloudFront names its distributions, policies and VPC origins by `id`.
        if let Some(id) = req["id"].as_str() {
            resources.push(id.to_owned());
        }
    }
    resources.sort();
    resources.dedup();
    let failed = record["errorCode"]
        .as_str()
        .map(|code| match record["errorMessage"].as_str() {
            Some(m) => format!("{code}: {m}"),
            None => code.to_owned(),
        });
    Ok(Some(Change {
        event_id: e.event_id.clone(),
        time,
        event_name: e.event_name.clone(),
        event_source,
        actor,
        tool: tool(
            record["userAgent"].as_str().unwrap_or_default(),
            who["invokedBy"].as_str(),
        ),
        action: action(&e.event_name, req, resp, &resources),
        resources,
        failed,
    }))
}

fn parse_time(t: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(t)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The tool behind a call, from its user agent (CloudTrail's `userAgent`).
#[must_use]
pub(crate) fn tool(user_agent: &str, invoked_by: Option<&str>) -> Tool {
    let ua = user_agent.to_ascii_lowercase();
    if ua.contains("cloudformation") || invoked_by == Some("cloudformation.amazonaws.com") {
        Tool::CloudFormation
    } else if ua.contains("terraform") {
        Tool::Terraform
    } else if ua.contains("elbv2.k8s.aws") || ua.contains("aws-load-balancer-controller") {
        Tool::LoadBalancerController
    } else if ua.starts_with("console.")
        || ua.contains("console.amazonaws.com")
        || ua == "aws internal"
    {
        Tool::Console
    } else if ua.starts_with("aws-cli/") || ua.contains(" aws-cli/") {
        Tool::Cli
    } else if ua.contains("aws-sdk") || ua.contains("boto") || ua.contains("aws-internal") {
        Tool::Sdk
    } else if let Some(s) = invoked_by.filter(|s| !s.is_empty()) {
        Tool::Service(s.to_owned())
    } else if ua.ends_with(".amazonaws.com") {
        Tool::Service(ua)
    } else {
        Tool::Unknown
    }
}

/// Whether `s` looks like a resource id or ARN a path can hold.
fn is_resource_id(s: &str) -> bool {
    if s.starts_with("arn:aws:elasticloadbalancing:") || s.starts_with("arn:aws:cloudfront:") {
        return true;
    }
    if s.starts_with("vo_") && s.len() > 5 {
        return true;
    }
    let Some((prefix, rest)) = s.split_once('-') else {
        return false;
    };
    const PREFIXES: [&str; 12] = [
        "sg", "sgr", "acl", "aclassoc", "rtb", "subnet", "igw", "pl", "i", "eni", "vpc", "vpce",
    ];
    PREFIXES.contains(&prefix) && rest.len() >= 8 && rest.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn collect_ids(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if is_resource_id(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| collect_ids(x, out)),
        Value::Object(m) => m.values().for_each(|x| collect_ids(x, out)),
        _ => {}
    }
}

/// `{"items": [...]}` (EC2 Query shapes) or a plain array, as a slice.
fn items(v: &Value) -> &[Value] {
    v["items"]
        .as_array()
        .or_else(|| v.as_array())
        .map_or(&[], Vec::as_slice)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn permission(p: &Value) -> Permission {
    let mut peers: Vec<String> = items(&p["ipRanges"])
        .iter()
        .filter_map(|r| r["cidrIp"].as_str().map(str::to_owned))
        .collect();
    peers.extend(
        items(&p["ipv6Ranges"])
            .iter()
            .filter_map(|r| r["cidrIpv6"].as_str().map(str::to_owned)),
    );
    peers.extend(
        items(&p["prefixListIds"])
            .iter()
            .filter_map(|r| r["prefixListId"].as_str().map(str::to_owned)),
    );
    peers.extend(
        items(&p["groups"])
            .iter()
            .filter_map(|r| r["groupId"].as_str().map(str::to_owned)),
    );
    Permission {
        protocol: p["ipProtocol"].as_str().unwrap_or("-1").to_owned(),
        from_port: p["fromPort"].as_i64(),
        to_port: p["toPort"].as_i64(),
        peers,
    }
}

fn action(name: &str, req: &Value, resp: &Value, resources: &[String]) -> ChangeAction {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    match name {
        "AuthorizeSecurityGroupIngress"
        | "AuthorizeSecurityGroupEgress"
        | "RevokeSecurityGroupIngress"
        | "RevokeSecurityGroupEgress" => ChangeAction::SgRules {
            group: s(&req["groupId"]),
            direction: if name.ends_with("Egress") {
                "egress"
            } else {
                "ingress"
            }
            .to_owned(),
            op: if name.starts_with("Authorize") {
                RuleOp::Authorize
            } else {
                RuleOp::Revoke
            },
            permissions: items(&req["ipPermissions"])
                .iter()
                .map(permission)
                .collect(),
            rule_ids: items(&req["securityGroupRuleIds"])
                .iter()
                .filter_map(|r| r["securityGroupRuleId"].as_str().map(str::to_owned))
                .collect(),
        },
        "SetSecurityGroups" => {
            let mut now = strings(&resp["securityGroupIds"]);
            if now.is_empty() {
                now = strings(&req["securityGroups"]);
            }
            ChangeAction::LbSecurityGroups {
                load_balancer_arn: s(&req["loadBalancerArn"]),
                now,
                before: None,
                before_inferred: false,
            }
        }
        "RegisterTargets" | "DeregisterTargets" => ChangeAction::Targets {
            target_group_arn: s(&req["targetGroupArn"]),
            register: name == "RegisterTargets",
            targets: req["targets"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| {
                    let id = t["id"].as_str()?;
                    Some(match t["port"].as_i64() {
                        Some(p) => format!("Id={id},Port={p}"),
                        None => format!("Id={id}"),
                    })
                })
                .collect(),
        },
        "CreateNetworkAclEntry" => ChangeAction::NaclEntryCreated {
            acl: s(&req["networkAclId"]),
            rule_number: req["ruleNumber"].as_i64().unwrap_or(-1),
            egress: req["egress"].as_bool().unwrap_or(false),
            rule_action: s(&req["ruleAction"]),
        },
        "CreateRoute" if req["destinationCidrBlock"].is_string() => ChangeAction::RouteCreated {
            route_table: s(&req["routeTableId"]),
            destination: s(&req["destinationCidrBlock"]),
        },
        "DetachInternetGateway" => ChangeAction::GatewayDetached {
            gateway: s(&req["internetGatewayId"]),
            vpc: s(&req["vpcId"]),
        },
        _ => {
            let verb = MODELLED
                .iter()
                .find(|(n, _)| *n == name)
                .map_or("called", |(_, v)| if v.is_empty() { "called" } else { v });
            let main = [
                "listenerArn",
                "ruleArn",
                "targetGroupArn",
                "loadBalancerArn",
                "networkAclId",
                "routeTableId",
                "networkInterfaceId",
                "instanceId",
                "id",
            ]
            .iter()
            .find_map(|k| req[*k].as_str())
            .map(str::to_owned)
            .or_else(|| {
                req.as_object()
                    .and_then(|m| {
                        m.values()
                            .find_map(|v| v["PrefixListId"].as_str().or(v["GroupId"].as_str()))
                    })
                    .map(str::to_owned)
            })
            .or_else(|| resources.first().cloned())
            .unwrap_or_default();
            let mut detail: Vec<String> = req["attributes"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| Some(format!("{}={}", a["key"].as_str()?, a["value"].as_str()?)))
                .collect();
            for key in ["healthCheckPort", "healthCheckPath", "port", "protocol"] {
                if let Some(v) = req[key]
                    .as_str()
                    .map(str::to_owned)
                    .or_else(|| req[key].as_i64().map(|n| n.to_string()))
                {
                    detail.push(format!("{key}={v}"));
                }
            }
            if name == "SetSubnets" {
                detail.extend(strings(&req["subnets"]));
            }
            ChangeAction::Other {
                verb: verb.to_owned(),
                resource: main,
                detail,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(name: &str, record: &Value) -> CloudTrailEvent {
        CloudTrailEvent {
            event_id: "e1".into(),
            event_name: name.into(),
            event_time: None,
            event_source: None,
            username: None,
            resources: Vec::new(),
            cloud_trail_event: Some(record.to_string()),
        }
    }

    #[test]
    fn a_revoked_prefix_list_rule_is_typed_with_its_inverse() {
        let record = serde_json::json!({
            "eventTime": "2026-11-20T05:47:12Z", "eventSource": "ec2.amazonaws.com",
            "eventName": "RevokeSecurityGroupIngress",
            "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::111122223333:assumed-role/ops/alice"},
            "userAgent": "aws-cli/2.15.10 Python/3.11.6 Linux/6.1 exe/x86_64.amzn.2 prompt/off command/ec2.revoke-security-group-ingress",
            "requestParameters": {"groupId": "sg-0cf000000000000a1", "ipPermissions": {"items": [
                {"ipProtocol": "tcp", "fromPort": 80, "toPort": 80, "groups": {}, "ipRanges": {},
                 "ipv6Ranges": {}, "prefixListIds": {"items": [{"prefixListId": "pl-3b927c52"}]}}]}},
            "responseElements": {"requestId": "r", "_return": true}
        });
        let c = parse_change(&event("RevokeSecurityGroupIngress", &record))
            .unwrap()
            .unwrap();
        assert_eq!(c.tool, Tool::Cli);
        assert_eq!(c.resources, ["pl-3b927c52", "sg-0cf000000000000a1"]);
        assert_eq!(
            c.summary(),
            "removed ingress rule tcp/80 from pl-3b927c52 of sg-0cf000000000000a1"
        );
        assert_eq!(
            c.revert().unwrap(),
            r#"aws ec2 authorize-security-group-ingress --group-id sg-0cf000000000000a1 --ip-permissions '[{"FromPort":80,"IpProtocol":"tcp","PrefixListIds":[{"PrefixListId":"pl-3b927c52"}],"ToPort":80}]'"#
        );
    }

    #[test]
    fn failed_calls_are_kept_marked_and_have_no_revert() {
        let record = serde_json::json!({
            "eventTime": "2026-11-20T05:40:00Z", "eventSource": "ec2.amazonaws.com",
            "userIdentity": {"arn": "arn:aws:iam::111122223333:user/bob"},
            "userAgent": "console.ec2.amazonaws.com",
            "errorCode": "Client.UnauthorizedOperation", "errorMessage": "You are not authorized",
            "requestParameters": {"internetGatewayId": "igw-0c0ffee000000001", "vpcId": "vpc-0a1b2c3d4e5f60718"}
        });
        let c = parse_change(&event("DetachInternetGateway", &record))
            .unwrap()
            .unwrap();
        assert_eq!(c.tool, Tool::Console);
        assert!(
            c.failed
                .as_deref()
                .unwrap()
                .starts_with("Client.UnauthorizedOperation")
        );
        assert!(c.summary().contains("nothing changed"));
        assert_eq!(c.revert(), None);
    }

    #[test]
    fn read_only_calls_are_not_changes_and_garbage_is_an_error() {
        let record = serde_json::json!({"eventTime": "2026-11-20T05:40:00Z"});
        assert_eq!(
            parse_change(&event("DescribeSecurityGroups", &record)),
            Ok(None)
        );
        let mut bad = event("SetSecurityGroups", &record);
        bad.cloud_trail_event = Some("{not json".into());
        assert!(
            parse_change(&bad)
                .unwrap_err()
                .to_string()
                .contains("not JSON")
        );
        let no_time = event("SetSecurityGroups", &serde_json::json!({}));
        assert!(
            parse_change(&no_time)
                .unwrap_err()
                .reason
                .contains("eventTime")
        );
    }

    #[test]
    fn tools_from_user_agents() {
        assert_eq!(
            tool(
                "APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.40.0 aws-sdk-go-v2/1.25.2",
                None
            ),
            Tool::Terraform
        );
        assert_eq!(
            tool(
                "elbv2.k8s.aws/v2.7.1 aws-sdk-go/1.50.10 (go1.21.6; linux; amd64)",
                None
            ),
            Tool::LoadBalancerController
        );
        assert_eq!(
            tool(
                "cloudformation.amazonaws.com",
                Some("cloudformation.amazonaws.com")
            ),
            Tool::CloudFormation
        );
        assert_eq!(tool("Boto3/1.34.0 md/Botocore#1.34.0", None), Tool::Sdk);
        assert_eq!(
            tool("", Some("config.amazonaws.com")),
            Tool::Service("config.amazonaws.com".into())
        );
        assert_eq!(tool("", None), Tool::Unknown);
    }
}
