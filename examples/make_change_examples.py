#!/usr/bin/env python3
"""Generates the change-timeline scenarios (issue 15): make_examples.py's base account and logs,
plus `cloudtrail-lookup-events.json`, the output of `aws cloudtrail lookup-events` whose
`CloudTrailEvent` strings carry the fields exactly as CloudTrail writes them (EC2's Query-API
request shapes, ELBv2's lowerCamelCase members, user agents of Terraform, the console, boto3).

Usage: python3 examples/make_change_examples.py   (from the repository root; deterministic)
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_examples import (  # noqa: E402
    ACCT, ALB_ARN, DIST, I_A, I_B, PL, REGION, SG_APP, SG_CF, SG_OLD, TG_ARN, base, cf_log_lines, find, perm,
    set_health, sgs, write)

TERRAFORM_UA = ("APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.40.0 "
                "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.1 "
                "md/GOOS#linux md/GOARCH#amd64 api/elasticloadbalancingv2#1.30.1")
BOTO_UA = "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.210 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.69"
CONSOLE_UA = "AWS Internal"
TERRAFORM_ROLE = f"arn:aws:sts::{ACCT}:assumed-role/terraform-deployer/gh-actions-8841"
REMEDIATION_ROLE = f"arn:aws:sts::{ACCT}:assumed-role/sg-auto-remediation/sg-auto-remediation-fn"
CONSOLE_USER = f"arn:aws:sts::{ACCT}:assumed-role/AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6a7b/jane.doe@example.com"


def identity(arn):
    role = arn.split("/")[1]
    return {"type": "AssumedRole", "principalId": f"AROAEXAMPLE{role.upper()[:8]}:{arn.split('/')[-1]}", "arn": arn, "accountId": ACCT,
            "accessKeyId": "ASIAEXAMPLEKEY000001",
            "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": f"AROAEXAMPLE{role.upper()[:8]}",
                                                 "arn": f"arn:aws:iam::{ACCT}:role/{role}", "accountId": ACCT, "userName": role},
                               "attributes": {"creationDate": "2026-11-20T05:40:00Z", "mfaAuthenticated": "false"}}}


def event(n, name, source, time, actor, agent, req, resp, resources, error=None):
    """One element of `lookup-events`' `Events[]`, with its CloudTrail record as a JSON string."""
    eid = f"5e1c{n:04d}-7a2b-4c3d-9e8f-0a1b2c3d4e{n:02d}"
    record = {"eventVersion": "1.09", "userIdentity": identity(actor), "eventTime": time, "eventSource": source,
              "eventName": name, "awsRegion": REGION, "sourceIPAddress": "203.0.113.24", "userAgent": agent,
              "requestParameters": req, "responseElements": resp, "requestID": f"c0ffee{n:02d}-1234-4abc-9def-00000000{n:04d}",
              "eventID": eid, "readOnly": False, "eventType": "AwsApiCall", "managementEvent": True,
              "recipientAccountId": ACCT, "eventCategory": "Management"}
    if error:
        record["errorCode"], record["errorMessage"] = error
        record["responseElements"] = None
    return {"EventId": eid, "EventName": name, "ReadOnly": "false", "AccessKeyId": "ASIAEXAMPLEKEY000001",
            "EventTime": time.replace("Z", "+00:00"), "EventSource": source, "Username": actor.split("/")[-1],
            "Resources": [{"ResourceType": t, "ResourceName": r} for t, r in resources],
            "CloudTrailEvent": json.dumps(record)}


def pl_permission(port):
    return {"ipProtocol": "tcp", "fromPort": port, "toPort": port, "groups": {}, "ipRanges": {}, "ipv6Ranges": {},
            "prefixListIds": {"items": [{"prefixListId": PL, "description": "CloudFront origin-facing"}]}}


def ghost_config():
    s = base()
    find(sgs(s), "GroupId", SG_APP)["IpPermissions"] = [perm("tcp", 80, 80, sgs=[SG_OLD], desc="from web-alb (resolved by Name tag)")]
    find(sgs(s), "GroupId", SG_CF)["IpPermissionsEgress"] = [perm("-1", cidrs=["0.0.0.0/0"])]
    set_health(s, "unhealthy", "Target.Timeout", "Request timed out")
    return s


def change_seed_story():
    s = ghost_config()
    s["cloudtrail-lookup-events"] = {"Events": [
        event(1, "SetSecurityGroups", "elasticloadbalancing.amazonaws.com", "2026-11-20T05:48:17Z", TERRAFORM_ROLE, TERRAFORM_UA,
              {"loadBalancerArn": ALB_ARN, "securityGroups": [SG_CF]}, {"securityGroupIds": [SG_CF]},
              [("AWS::ElasticLoadBalancingV2::LoadBalancer", ALB_ARN)]),
    ]}
    write("change-seed-story", s, f"""
# change-seed-story

The seed story with its CloudTrail (issue 15): `ghost-sg-reference`'s account and logs, and the
`SetSecurityGroups` call that caused them. At 05:48:17 UTC Terraform (role `terraform-deployer`)
set `web-alb`'s security groups to `{SG_CF}` alone, removing the legacy `{SG_OLD}`; the targets'
group `{SG_APP}` admits tcp/80 only from `{SG_OLD}`, so from 05:49 CloudFront relays 504s at ≈10 s.

Correct diagnosis: `target-sg-ghost-reference` (forward fix: admit `{SG_CF}` on `{SG_APP}`) and
`recent-change-broke-path`: SetSecurityGroups at 05:48:17 by `{TERRAFORM_ROLE}` (terraform), 43 s
before the 05:49 onset, removed `{SG_OLD}` (inferred from the ghost reference: the event records
only the groups after the call); revert:
`aws elbv2 set-security-groups --load-balancer-arn {ALB_ARN} --security-groups {SG_CF} {SG_OLD}`.
The timeline lists the change, the onset and the first and last errors.
""", logs=cf_log_lines("504", "Error", 10.0))


def change_revoked_prefix_list():
    s = base()
    find(sgs(s), "GroupId", SG_CF)["IpPermissions"] = [perm("tcp", 443, 443, pls=[PL], desc="CloudFront origin-facing")]
    s["cloudtrail-lookup-events"] = {"Events": [
        event(1, "RevokeSecurityGroupIngress", "ec2.amazonaws.com", "2026-11-20T05:47:12Z", REMEDIATION_ROLE, BOTO_UA,
              {"groupId": SG_CF, "ipPermissions": {"items": [pl_permission(80)]}},
              {"requestId": "c0ffee01-1234-4abc-9def-000000000001", "_return": True},
              [("AWS::EC2::SecurityGroup", SG_CF)]),
    ]}
    write("change-revoked-prefix-list", s, f"""
# change-revoked-prefix-list

A rule revoked by an auto-remediation (issue 15). At 05:47:12 UTC a Lambda (role
`sg-auto-remediation`, boto3) revoked `{SG_CF}`'s ingress tcp/80 from the CloudFront prefix list
`{PL}`, judging port 80 "unencrypted". The origin is `http-only` on port 80, so CloudFront cannot
connect: 504 `OriginCommError` at ≈30 s from 05:49 (`logs/`).

Correct diagnosis: `alb-sg-missing-cloudfront-prefix-list` on `cloudfront->alb`, and
`recent-change-broke-path`: the RevokeSecurityGroupIngress 108 s before the onset, with its
inverse copied from the event:
`aws ec2 authorize-security-group-ingress --group-id {SG_CF} --ip-permissions '[{{"FromPort":80,"IpProtocol":"tcp","PrefixListIds":[{{"PrefixListId":"{PL}"}}],"ToPort":80}}]'`.
""", logs=cf_log_lines("504", "OriginCommError", 30.0))


def change_unrelated():
    s = ghost_config()
    other_sg, other_vpc = "sg-0ext000000000000e5", "vpc-0ffe1d2c3b4a59687"
    s["cloudtrail-lookup-events"] = {"Events": [
        event(1, "ModifyTargetGroupAttributes", "elasticloadbalancing.amazonaws.com", "2026-11-18T05:30:02Z", TERRAFORM_ROLE, TERRAFORM_UA,
              {"targetGroupArn": TG_ARN, "attributes": [{"key": "deregistration_delay.timeout_seconds", "value": "300"}]},
              {"attributes": [{"key": "deregistration_delay.timeout_seconds", "value": "300"}]},
              [("AWS::ElasticLoadBalancingV2::TargetGroup", TG_ARN)]),
        event(2, "DetachInternetGateway", "ec2.amazonaws.com", "2026-11-20T05:44:40Z", CONSOLE_USER, CONSOLE_UA,
              {"internetGatewayId": "igw-0c0ffee000000001", "vpcId": "vpc-0a1b2c3d4e5f60718"}, None,
              [("AWS::EC2::InternetGateway", "igw-0c0ffee000000001")],
              error=("Client.UnauthorizedOperation", "You are not authorized to perform this operation.")),
        event(3, "AuthorizeSecurityGroupIngress", "ec2.amazonaws.com", "2026-11-20T05:45:10Z", CONSOLE_USER, CONSOLE_UA,
              {"groupId": other_sg, "ipPermissions": {"items": [
                  {"ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432, "groups": {}, "ipRanges": {"items": [{"cidrIp": "10.20.0.0/16"}]},
                   "ipv6Ranges": {}, "prefixListIds": {}}]}},
              {"requestId": "c0ffee03-1234-4abc-9def-000000000003", "_return": True, "securityGroupRuleSet": {"items": [
                  {"groupOwnerId": ACCT, "groupId": other_sg, "securityGroupRuleId": "sgr-0e5a1b2c3d4e5f607", "isEgress": False,
                   "ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrIpv4": "10.20.0.0/16"}]}},
              [("AWS::EC2::SecurityGroup", other_sg)]),
        event(4, "CreateTags", "ec2.amazonaws.com", "2026-11-20T05:46:30Z", TERRAFORM_ROLE, TERRAFORM_UA,
              {"resourcesSet": {"items": [{"resourceId": SG_APP}]}, "tagSet": {"items": [{"key": "CostCenter", "value": "web"}]}},
              {"requestId": "c0ffee04-1234-4abc-9def-000000000004", "_return": True},
              [("AWS::EC2::SecurityGroup", SG_APP)]),
    ]}
    write("change-unrelated", s, f"""
# change-unrelated

`ghost-sg-reference`'s account and logs with changes that did not cause them (issue 15): a
target-group attribute set by Terraform two days earlier (2026-11-18 05:30), a
`DetachInternetGateway` from the console that failed (UnauthorizedOperation: nothing changed), a
rule added to `{other_sg}` in another VPC (`{other_vpc}`, not in the snapshot), and a tag put on
`{SG_APP}`. The `SetSecurityGroups` that removed `{SG_OLD}` from `web-alb` predates the window.

Correct answer: the findings of `ghost-sg-reference` (`target-sg-ghost-reference`), no
`recent-change-broke-path`; the timeline lists the changes in the window (the failed one marked),
links none of them, and says that no change in the window explains the errors.
""", logs=cf_log_lines("504", "Error", 10.0))


if __name__ == "__main__":
    for fn in (change_seed_story, change_revoked_prefix_list, change_unrelated):
        fn()
    print("wrote 3 change scenarios under examples/")
