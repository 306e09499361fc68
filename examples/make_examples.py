#!/usr/bin/env python3
"""Generates the example snapshots under examples/<scenario>/.

Each scenario is the same realistic base account (one VPC, an internet-facing ALB in two public
subnets, two EC2 targets in private subnets, a CloudFront distribution with the ALB as custom
origin and an S3 origin) with one small mutation that reproduces a known failure pattern. Every
file is the exact shape the AWS CLI prints for one call, plus the parent-id keys edgepath's
snapshot format asks for. Deterministic: re-running produces identical files.

Usage: python3 examples/make_examples.py   (from the repository root)
"""
import copy
import gzip
import json
import os
import random
import shutil

ACCT = "111122223333"
REGION = "us-east-1"
VPC = "vpc-0a1b2c3d4e5f60718"
IGW = "igw-0c0ffee000000001"
NAT = "nat-0nat0000000000001"
PUB_A, PUB_B = "subnet-0pub1a0000000001", "subnet-0pub1b0000000002"
PRV_A, PRV_B = "subnet-0prv1a0000000003", "subnet-0prv1b0000000004"
PL = "pl-3b927c52"
SG_CF, SG_APP, SG_OLD, SG_DEF = "sg-0cf000000000000a1", "sg-0app00000000000b2", "sg-0old000000000000c3", "sg-0default00000000d4"
ALB_ID = "50dc6c495c0c9188"
ALB_ARN = f"arn:aws:elasticloadbalancing:{REGION}:{ACCT}:loadbalancer/app/web-alb/{ALB_ID}"
ALB_DNS = "web-alb-1234567890.us-east-1.elb.amazonaws.com"
LISTENER_ARN = f"arn:aws:elasticloadbalancing:{REGION}:{ACCT}:listener/app/web-alb/{ALB_ID}/f2f7dc8efc522ab2"
TG_ARN = f"arn:aws:elasticloadbalancing:{REGION}:{ACCT}:targetgroup/web-tg/73e2d6bc24d8a067"
I_A, I_B = "i-0aaa1111bbbb2222c", "i-0ddd3333eeee4444f"
DIST = "E2QWRUHAPOMQZL"

CF_CIDRS = """120.52.22.96/27 205.251.249.0/24 180.163.57.128/26 204.246.168.0/22 111.13.171.128/26
18.160.0.0/15 205.251.252.0/23 54.192.0.16/29 204.246.173.0/24 54.230.200.0/21 120.253.240.192/26
116.129.226.128/26 130.176.0.0/17 108.156.0.0/14 99.86.0.0/16 205.251.200.0/21 223.71.71.128/25
13.32.0.0/15 120.253.245.128/26 13.224.0.0/14 70.132.0.0/18 15.158.0.0/16 13.249.0.0/16
18.238.0.0/15 18.244.0.0/15 205.251.208.0/20 65.9.128.0/18 130.176.128.0/18 58.254.138.0/25
54.230.208.0/20 3.160.0.0/14 116.129.226.0/25 52.222.128.0/17 18.164.0.0/15 64.252.128.0/18
205.251.254.0/24 54.230.224.0/19 71.152.0.0/17 216.137.32.0/19 204.246.172.0/24 18.172.0.0/15
120.52.39.128/27 118.193.97.64/26 18.154.0.0/15 54.240.128.0/18""".split()


def tags(**kv):
    return [{"Key": k, "Value": v} for k, v in kv.items()]


def perm(proto, lo=None, hi=None, cidrs=(), pls=(), sgs=(), desc=None):
    p = {"IpProtocol": proto, "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}
    if proto != "-1":
        p["FromPort"], p["ToPort"] = lo, hi if hi is not None else lo
    for c in cidrs:
        p["IpRanges"].append({"CidrIp": c, **({"Description": desc} if desc else {})})
    for pl in pls:
        p["PrefixListIds"].append({"PrefixListId": pl, **({"Description": desc} if desc else {})})
    for g in sgs:
        p["UserIdGroupPairs"].append({"GroupId": g, "UserId": ACCT, **({"Description": desc} if desc else {})})
    return p


def sg(gid, name, desc, ingress, egress, vpc=VPC, **tg):
    return {"Description": desc, "GroupName": name, "IpPermissions": ingress, "OwnerId": ACCT, "GroupId": gid,
            "IpPermissionsEgress": egress, "Tags": tags(Name=name, **tg), "VpcId": vpc,
            "SecurityGroupArn": f"arn:aws:ec2:{REGION}:{ACCT}:security-group/{gid}"}


def subnet(sid, cidr, az, vpc=VPC, public=False, name=None):
    return {"AvailabilityZone": az, "AvailabilityZoneId": {"us-east-1a": "use1-az1", "us-east-1b": "use1-az2", "us-east-1c": "use1-az4"}[az],
            "AvailableIpAddressCount": 247, "CidrBlock": cidr, "DefaultForAz": False, "MapPublicIpOnLaunch": public,
            "State": "available", "SubnetId": sid, "VpcId": vpc, "OwnerId": ACCT, "AssignIpv6AddressOnCreation": False,
            "Ipv6CidrBlockAssociationSet": [], "Tags": tags(Name=name or sid),
            "SubnetArn": f"arn:aws:ec2:{REGION}:{ACCT}:subnet/{sid}"}


def nacl_entries(extra=()):
    e = [
        {"CidrBlock": "0.0.0.0/0", "Egress": True, "Protocol": "-1", "RuleAction": "allow", "RuleNumber": 100},
        {"CidrBlock": "0.0.0.0/0", "Egress": True, "Protocol": "-1", "RuleAction": "deny", "RuleNumber": 32767},
        {"CidrBlock": "0.0.0.0/0", "Egress": False, "Protocol": "-1", "RuleAction": "allow", "RuleNumber": 100},
        {"CidrBlock": "0.0.0.0/0", "Egress": False, "Protocol": "-1", "RuleAction": "deny", "RuleNumber": 32767},
    ]
    return list(extra) + e


def eni(eid, ip, subnet_id, az, groups, desc, itype="interface", requester=None, managed=False, attach=None, vpc=VPC, tagset=None, status="in-use"):
    e = {"AvailabilityZone": az, "Description": desc, "Groups": [{"GroupName": n, "GroupId": g} for g, n in groups],
         "InterfaceType": itype, "Ipv6Addresses": [], "MacAddress": "0a:1b:2c:3d:4e:" + eid[-2:], "NetworkInterfaceId": eid,
         "OwnerId": ACCT, "PrivateDnsName": f"ip-{ip.replace('.', '-')}.ec2.internal", "PrivateIpAddress": ip,
         "PrivateIpAddresses": [{"Primary": True, "PrivateDnsName": f"ip-{ip.replace('.', '-')}.ec2.internal", "PrivateIpAddress": ip}],
         "RequesterManaged": managed, "SourceDestCheck": True, "Status": status, "SubnetId": subnet_id, "TagSet": tagset or [], "VpcId": vpc}
    if requester:
        e["RequesterId"] = requester
    if attach:
        e["Attachment"] = attach
    return e


def instance(iid, ip, subnet_id, az, eni_id, state="running", groups=((SG_APP, "app-targets"),)):
    g = [{"GroupName": n, "GroupId": x} for x, n in groups]
    return {"AmiLaunchIndex": 0, "ImageId": "ami-0c02fb55956c7d316", "InstanceId": iid, "InstanceType": "t3.small",
            "LaunchTime": "2026-11-01T08:00:00+00:00", "Placement": {"AvailabilityZone": az, "GroupName": "", "Tenancy": "default"},
            "PrivateDnsName": f"ip-{ip.replace('.', '-')}.ec2.internal", "PrivateIpAddress": ip, "ProductCodes": [],
            "State": {"Code": 16 if state == "running" else 80, "Name": state}, "SubnetId": subnet_id, "VpcId": VPC,
            "NetworkInterfaces": [{"Attachment": {"AttachTime": "2026-11-01T08:00:00+00:00", "AttachmentId": "eni-attach-" + eni_id[4:],
                                                  "DeleteOnTermination": True, "DeviceIndex": 0, "Status": "attached", "NetworkCardIndex": 0},
                                   "Description": "", "Groups": g, "MacAddress": "0a:1b:2c:3d:4e:" + eni_id[-2:], "NetworkInterfaceId": eni_id,
                                   "OwnerId": ACCT, "PrivateIpAddress": ip, "SubnetId": subnet_id, "VpcId": VPC, "Status": "in-use",
                                   "PrivateIpAddresses": [{"Primary": True, "PrivateIpAddress": ip}]}],
            "SecurityGroups": g, "Tags": tags(Name="app-" + iid[-4:])}


def instance_eni(iid, eid, ip, subnet_id, az):
    return eni(eid, ip, subnet_id, az, [(SG_APP, "app-targets")], "", requester=None,
               attach={"AttachTime": "2026-11-01T08:00:00+00:00", "AttachmentId": "eni-attach-" + eid[4:], "DeleteOnTermination": True,
                       "DeviceIndex": 0, "NetworkCardIndex": 0, "InstanceId": iid, "InstanceOwnerId": ACCT, "Status": "attached"})


def alb_eni(eid, ip, subnet_id, az, name="web-alb", lb_id=ALB_ID, groups=((SG_CF, "web-alb-cloudfront"),), vpc=VPC):
    return eni(eid, ip, subnet_id, az, list(groups), f"ELB app/{name}/{lb_id}", requester="amazon-elb", managed=True, vpc=vpc,
               attach={"AttachTime": "2026-10-01T10:00:00+00:00", "AttachmentId": "ela-attach-" + eid[4:], "DeleteOnTermination": False,
                       "DeviceIndex": 1, "NetworkCardIndex": 0, "InstanceOwnerId": "amazon-elb", "Status": "attached"})


def base():
    s = {}
    s["ec2-describe-vpcs"] = {"Vpcs": [{"CidrBlock": "10.0.0.0/16", "DhcpOptionsId": "dopt-0d1e2f3a4b5c6d7e8", "State": "available", "VpcId": VPC,
                                        "OwnerId": ACCT, "InstanceTenancy": "default", "IsDefault": False,
                                        "CidrBlockAssociationSet": [{"AssociationId": "vpc-cidr-assoc-0a1b2c3d4e5f6a7b8", "CidrBlock": "10.0.0.0/16", "CidrBlockState": {"State": "associated"}}],
                                        "Tags": tags(Name="prod")}]}
    s["ec2-describe-subnets"] = {"Subnets": [subnet(PUB_A, "10.0.0.0/24", "us-east-1a", public=True, name="public-a"),
                                             subnet(PUB_B, "10.0.1.0/24", "us-east-1b", public=True, name="public-b"),
                                             subnet(PRV_A, "10.0.10.0/24", "us-east-1a", name="private-a"),
                                             subnet(PRV_B, "10.0.11.0/24", "us-east-1b", name="private-b")]}
    s["ec2-describe-route-tables"] = {"RouteTables": [
        {"Associations": [{"Main": False, "RouteTableAssociationId": "rtbassoc-0pub1a000000001", "RouteTableId": "rtb-0public0000000001", "SubnetId": PUB_A, "AssociationState": {"State": "associated"}},
                          {"Main": False, "RouteTableAssociationId": "rtbassoc-0pub1b000000002", "RouteTableId": "rtb-0public0000000001", "SubnetId": PUB_B, "AssociationState": {"State": "associated"}}],
         "PropagatingVgws": [], "RouteTableId": "rtb-0public0000000001",
         "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"},
                    {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": IGW, "Origin": "CreateRoute", "State": "active"}],
         "Tags": tags(Name="public"), "VpcId": VPC, "OwnerId": ACCT},
        {"Associations": [{"Main": True, "RouteTableAssociationId": "rtbassoc-0main00000000003", "RouteTableId": "rtb-0main00000000002", "AssociationState": {"State": "associated"}}],
         "PropagatingVgws": [], "RouteTableId": "rtb-0main00000000002",
         "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"},
                    {"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": NAT, "Origin": "CreateRoute", "State": "active"}],
         "Tags": tags(Name="private"), "VpcId": VPC, "OwnerId": ACCT}]}
    s["ec2-describe-network-acls"] = {"NetworkAcls": [
        {"Associations": [{"NetworkAclAssociationId": f"aclassoc-0{i}00000000000000", "NetworkAclId": "acl-0default000000001", "SubnetId": sn}
                          for i, sn in enumerate([PUB_A, PUB_B, PRV_A, PRV_B])],
         "Entries": nacl_entries(), "IsDefault": True, "NetworkAclId": "acl-0default000000001", "Tags": [], "VpcId": VPC, "OwnerId": ACCT}]}
    s["ec2-describe-internet-gateways"] = {"InternetGateways": [{"Attachments": [{"State": "available", "VpcId": VPC}], "InternetGatewayId": IGW, "OwnerId": ACCT, "Tags": tags(Name="prod-igw")}]}
    s["ec2-describe-nat-gateways"] = {"NatGateways": [{"CreateTime": "2026-10-01T09:00:00.000Z", "NatGatewayAddresses": [
        {"AllocationId": "eipalloc-0nat000000000001", "NetworkInterfaceId": "eni-0nat0000000000005", "PrivateIp": "10.0.0.200", "PublicIp": "3.210.15.7", "IsPrimary": True, "Status": "succeeded"}],
        "NatGatewayId": NAT, "State": "available", "SubnetId": PUB_A, "VpcId": VPC, "ConnectivityType": "public", "Tags": tags(Name="prod-nat")}]}
    s["ec2-describe-security-groups"] = {"SecurityGroups": [
        sg(SG_CF, "web-alb-cloudfront", "web-alb: CloudFront origin-facing only",
           [perm("tcp", 80, 80, pls=[PL], desc="CloudFront origin-facing"), perm("tcp", 443, 443, pls=[PL], desc="CloudFront origin-facing")],
           [perm("tcp", 80, 80, sgs=[SG_APP], desc="to app targets")]),
        sg(SG_APP, "app-targets", "app instances", [perm("tcp", 80, 80, sgs=[SG_CF], desc="from web-alb")], [perm("-1", cidrs=["0.0.0.0/0"])]),
        sg(SG_OLD, "web-alb-allow-all", "legacy allow-all for web-alb", [perm("-1", cidrs=["0.0.0.0/0"])], [perm("-1", cidrs=["0.0.0.0/0"])]),
        sg(SG_DEF, "default", "default VPC security group", [perm("-1", sgs=[SG_DEF])], [perm("-1", cidrs=["0.0.0.0/0"])]),
    ]}
    s["ec2-describe-network-interfaces"] = {"NetworkInterfaces": [
        alb_eni("eni-0alb1a00000000001", "10.0.0.25", PUB_A, "us-east-1a"),
        alb_eni("eni-0alb1b00000000002", "10.0.1.25", PUB_B, "us-east-1b"),
        instance_eni(I_A, "eni-0app1a00000000003", "10.0.10.10", PRV_A, "us-east-1a"),
        instance_eni(I_B, "eni-0app1b00000000004", "10.0.11.10", PRV_B, "us-east-1b"),
        eni("eni-0nat0000000000005", "10.0.0.200", PUB_A, "us-east-1a", [], f"Interface for NAT Gateway {NAT}", itype="nat_gateway", requester="amazon-aws", managed=True,
            attach={"AttachmentId": "ela-attach-0nat00000000005", "DeleteOnTermination": False, "DeviceIndex": 1, "InstanceOwnerId": "amazon-aws", "Status": "attached"}),
    ]}
    s["ec2-describe-instances"] = {"Reservations": [{"Groups": [], "Instances": [instance(I_A, "10.0.10.10", PRV_A, "us-east-1a", "eni-0app1a00000000003"),
                                                                                  instance(I_B, "10.0.11.10", PRV_B, "us-east-1b", "eni-0app1b00000000004")],
                                                     "OwnerId": ACCT, "ReservationId": "r-0a1b2c3d4e5f60718"}]}
    s["ec2-describe-managed-prefix-lists"] = {"PrefixLists": [
        {"PrefixListId": PL, "AddressFamily": "IPv4", "State": "create-complete", "PrefixListArn": f"arn:aws:ec2:{REGION}:aws:prefix-list/{PL}",
         "PrefixListName": "com.amazonaws.global.cloudfront.origin-facing", "MaxEntries": 55, "Version": 57, "Tags": [], "OwnerId": "AWS"},
        {"PrefixListId": "pl-63a5400a", "AddressFamily": "IPv4", "State": "create-complete", "PrefixListArn": f"arn:aws:ec2:{REGION}:aws:prefix-list/pl-63a5400a",
         "PrefixListName": "com.amazonaws.us-east-1.s3", "Tags": [], "OwnerId": "AWS"}]}
    s["ec2-get-managed-prefix-list-entries-cloudfront"] = {"PrefixListId": PL, "Entries": [{"Cidr": c} for c in sorted(CF_CIDRS)]}
    s["ec2-describe-vpc-endpoints"] = {"VpcEndpoints": []}
    s["ec2-describe-vpc-block-public-access-options"] = {"VpcBlockPublicAccessOptions": {
        "AwsAccountId": ACCT, "AwsRegion": REGION, "State": "default-state", "InternetGatewayBlockMode": "off",
        "LastUpdateTimestamp": "2026-10-01T09:00:00.000Z", "ManagedBy": "account", "ExclusionsAllowed": "allowed"}}
    s["ec2-describe-vpc-block-public-access-exclusions"] = {"VpcBlockPublicAccessExclusions": []}
    s["elbv2-describe-load-balancers"] = {"LoadBalancers": [
        {"LoadBalancerArn": ALB_ARN, "DNSName": ALB_DNS, "CanonicalHostedZoneId": "Z35SXDOTRQ7X7K", "CreatedTime": "2026-10-01T10:00:00.000Z",
         "LoadBalancerName": "web-alb", "Scheme": "internet-facing", "VpcId": VPC, "State": {"Code": "active"}, "Type": "application",
         "AvailabilityZones": [{"ZoneName": "us-east-1a", "SubnetId": PUB_A, "LoadBalancerAddresses": []},
                               {"ZoneName": "us-east-1b", "SubnetId": PUB_B, "LoadBalancerAddresses": []}],
         "SecurityGroups": [SG_CF], "IpAddressType": "ipv4", "EnablePrefixForIpv6SourceNat": "off"}]}
    s["elbv2-describe-listeners-web-alb"] = {"Listeners": [
        {"ListenerArn": LISTENER_ARN, "LoadBalancerArn": ALB_ARN, "Port": 80, "Protocol": "HTTP",
         "DefaultActions": [{"Type": "forward", "TargetGroupArn": TG_ARN, "Order": 1,
                             "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": TG_ARN, "Weight": 1}], "TargetGroupStickinessConfig": {"Enabled": False}}}]}]}
    s["elbv2-describe-rules-web-alb-80"] = {"Rules": [
        {"RuleArn": f"arn:aws:elasticloadbalancing:{REGION}:{ACCT}:listener-rule/app/web-alb/{ALB_ID}/f2f7dc8efc522ab2/0d1e2f3a4b5c6d7e", "Priority": "default",
         "Conditions": [], "Actions": [{"Type": "forward", "TargetGroupArn": TG_ARN, "Order": 1,
                                          "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": TG_ARN, "Weight": 1}], "TargetGroupStickinessConfig": {"Enabled": False}}}],
         "IsDefault": True}]}
    s["elbv2-describe-target-groups"] = {"TargetGroups": [
        {"TargetGroupArn": TG_ARN, "TargetGroupName": "web-tg", "Protocol": "HTTP", "Port": 80, "VpcId": VPC, "HealthCheckProtocol": "HTTP",
         "HealthCheckPort": "traffic-port", "HealthCheckEnabled": True, "HealthCheckIntervalSeconds": 30, "HealthCheckTimeoutSeconds": 5,
         "HealthyThresholdCount": 5, "UnhealthyThresholdCount": 2, "HealthCheckPath": "/health", "Matcher": {"HttpCode": "200"},
         "LoadBalancerArns": [ALB_ARN], "TargetType": "instance", "ProtocolVersion": "HTTP1", "IpAddressType": "ipv4"}]}
    s["elbv2-describe-target-health-web-tg"] = {"TargetGroupArn": TG_ARN, "TargetHealthDescriptions": [
        {"Target": {"Id": I_A, "Port": 80}, "HealthCheckPort": "80", "TargetHealth": {"State": "healthy"}},
        {"Target": {"Id": I_B, "Port": 80}, "HealthCheckPort": "80", "TargetHealth": {"State": "healthy"}}]}
    s["elbv2-describe-load-balancer-attributes-web-alb"] = {"LoadBalancerArn": ALB_ARN, "Attributes": [
        {"Key": "access_logs.s3.enabled", "Value": "false"}, {"Key": "idle_timeout.timeout_seconds", "Value": "60"},
        {"Key": "deletion_protection.enabled", "Value": "false"}, {"Key": "routing.http2.enabled", "Value": "true"}]}
    s["elbv2-describe-target-group-attributes-web-tg"] = {"TargetGroupArn": TG_ARN, "Attributes": [
        {"Key": "deregistration_delay.timeout_seconds", "Value": "300"}, {"Key": "load_balancing.cross_zone.enabled", "Value": "use_load_balancer_configuration"}]}
    alb_origin = {"Id": "web-alb-origin", "DomainName": ALB_DNS, "OriginPath": "", "CustomHeaders": {"Quantity": 0},
                  "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "http-only",
                                         "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]}, "OriginReadTimeout": 30, "OriginKeepaliveTimeout": 5},
                  "ConnectionAttempts": 3, "ConnectionTimeout": 10, "OriginShield": {"Enabled": False}, "OriginAccessControlId": ""}
    s3_origin = {"Id": "static-s3", "DomainName": "example-static.s3.us-east-1.amazonaws.com", "OriginPath": "", "CustomHeaders": {"Quantity": 0},
                 "S3OriginConfig": {"OriginAccessIdentity": ""}, "ConnectionAttempts": 3, "ConnectionTimeout": 10,
                 "OriginShield": {"Enabled": False}, "OriginAccessControlId": "E1OACEXAMPLE01"}

    def behavior(origin, pattern=None, policy="redirect-to-https", cache="4135ea2d-6df8-44a3-9df3-4b5a84be39ad"):
        b = {"TargetOriginId": origin, "TrustedSigners": {"Enabled": False, "Quantity": 0}, "TrustedKeyGroups": {"Enabled": False, "Quantity": 0},
             "ViewerProtocolPolicy": policy,
             "AllowedMethods": {"Quantity": 7, "Items": ["HEAD", "DELETE", "POST", "GET", "OPTIONS", "PUT", "PATCH"],
                                "CachedMethods": {"Quantity": 2, "Items": ["HEAD", "GET"]}},
             "SmoothStreaming": False, "Compress": True, "LambdaFunctionAssociations": {"Quantity": 0},
             "FunctionAssociations": {"Quantity": 0}, "FieldLevelEncryptionId": "", "CachePolicyId": cache}
        if pattern:
            b = {"PathPattern": pattern, **b}
        return b
    s["cloudfront-get-distribution"] = {"ETag": "E2QWRUHEXAMPLE", "Distribution": {
        "Id": DIST, "ARN": f"arn:aws:cloudfront::{ACCT}:distribution/{DIST}", "Status": "Deployed", "LastModifiedTime": "2026-11-18T12:00:00.000Z",
        "InProgressInvalidationBatches": 0, "DomainName": "d111111abcdef8.cloudfront.net",
        "DistributionConfig": {"CallerReference": "terraform-20261001", "Aliases": {"Quantity": 1, "Items": ["www.example.com"]}, "DefaultRootObject": "",
                               "Origins": {"Quantity": 2, "Items": [alb_origin, s3_origin]}, "OriginGroups": {"Quantity": 0},
                               "DefaultCacheBehavior": behavior("web-alb-origin"),
                               "CacheBehaviors": {"Quantity": 2, "Items": [behavior("web-alb-origin", "/api/*", cache="4135ea2d-6df8-44a3-9df3-4b5a84be39ad"),
                                                                          behavior("static-s3", "/static/*", cache="658327ea-f89d-4fab-a63d-7e88639e58f6")]},
                               "CustomErrorResponses": {"Quantity": 0}, "Comment": "www", "Logging": {"Enabled": False, "IncludeCookies": False, "Bucket": "", "Prefix": ""},
                               "PriceClass": "PriceClass_All", "Enabled": True, "HttpVersion": "http2", "IsIPV6Enabled": True}}}
    s["cloudfront-list-vpc-origins"] = {"VpcOriginList": {"Marker": "", "MaxItems": 100, "IsTruncated": False, "Quantity": 0, "Items": []}}
    return s


def find(lst, key, val):
    return next(x for x in lst if x[key] == val)


def sgs(s):
    return s["ec2-describe-security-groups"]["SecurityGroups"]


def dist_cfg(s):
    return s["cloudfront-get-distribution"]["Distribution"]["DistributionConfig"]


def alb_origin(s):
    return find(dist_cfg(s)["Origins"]["Items"], "Id", "web-alb-origin")


def set_health(s, state, reason=None, desc=None):
    for d in s["elbv2-describe-target-health-web-tg"]["TargetHealthDescriptions"]:
        d["TargetHealth"] = {"State": state, **({"Reason": reason} if reason else {}), **({"Description": desc} if desc else {})}


def add_https_listener(s):
    """An HTTPS:443 listener on web-alb (ACM certificate for the company's domain), forwarding to web-tg."""
    https_id = "9a443c0ffee00443"
    forward = [{"Type": "forward", "TargetGroupArn": TG_ARN, "Order": 1,
                "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": TG_ARN, "Weight": 1}], "TargetGroupStickinessConfig": {"Enabled": False}}}]
    s["elbv2-describe-listeners-web-alb"]["Listeners"].append(
        {"ListenerArn": f"arn:aws:elasticloadbalancing:{REGION}:{ACCT}:listener/app/web-alb/{ALB_ID}/{https_id}", "LoadBalancerArn": ALB_ARN,
         "Port": 443, "Protocol": "HTTPS", "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
         "Certificates": [{"CertificateArn": f"arn:aws:acm:{REGION}:{ACCT}:certificate/5f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"}],
         "DefaultActions": copy.deepcopy(forward)})
    s["elbv2-describe-rules-web-alb-443"] = {"Rules": [
        {"RuleArn": f"arn:aws:elasticloadbalancing:{REGION}:{ACCT}:listener-rule/app/web-alb/{ALB_ID}/{https_id}/1e2f3a4b5c6d7e8f", "Priority": "default",
         "Conditions": [], "Actions": forward, "IsDefault": True}]}
    # Its certificate, listed and described: issued for the company's names, valid until 2030.
    cert = f"arn:aws:acm:{REGION}:{ACCT}:certificate/5f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"
    s["elbv2-describe-listener-certificates-web-alb-443"] = {
        "ListenerArn": f"arn:aws:elasticloadbalancing:{REGION}:{ACCT}:listener/app/web-alb/{ALB_ID}/{https_id}",
        "Certificates": [{"CertificateArn": cert, "IsDefault": True}]}
    s["acm-describe-certificate-default"] = {"Certificate": {
        "CertificateArn": cert, "DomainName": "www.example.com", "SubjectAlternativeNames": ["www.example.com", "*.example.com"],
        "Status": "ISSUED", "KeyAlgorithm": "RSA-2048", "SignatureAlgorithm": "SHA256WITHRSA", "InUseBy": [ALB_ARN],
        "Type": "AMAZON_ISSUED", "IssuedAt": "2026-01-15T00:00:00+00:00", "NotBefore": "2026-01-15T00:00:00+00:00",
        "NotAfter": "2030-01-15T23:59:59+00:00", "RenewalEligibility": "ELIGIBLE"}}


def cf_log_lines(onset_status, detailed, taken, start_minute=30, onset_minute=49, end_minute=70, seed=7):
    rnd = random.Random(seed)
    fields = ("date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query "
              "cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol "
              "ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte "
              "x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end")
    out = ["#Version: 1.0", "#Fields: " + fields]
    edges = ["IAD89-C1", "FRA56-P5", "NRT57-P3", "DFW53-C1", "SIN2-P4"]
    for minute in range(start_minute, end_minute):
        hh, mm = 5 + minute // 60, minute % 60
        for i in range(8):
            ss = rnd.randrange(60)
            uri = rnd.choice(["/api/orders", "/api/cart", "/api/users/42", "/"])
            method = "GET" if i % 3 else "POST"
            failing = minute >= onset_minute and i < 7
            if failing:
                status, rtype, dtype, t = onset_status, "Error", detailed, taken + rnd.randrange(0, 90) / 1000
                ctype, clen, sbytes = "text/html", "915", 1214
            else:
                status, rtype, dtype, t = "200", "Miss", "Miss", rnd.randrange(20, 400) / 1000
                ctype, clen, sbytes = "application/json", str(rnd.randrange(200, 4000)), rnd.randrange(600, 4500)
            reqid = "".join(rnd.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(40)) + "=="
            ip = f"198.51.100.{rnd.randrange(1, 254)}"
            row = [f"2026-11-20", f"{hh:02d}:{mm:02d}:{ss:02d}", rnd.choice(edges), str(sbytes), ip, method, "d111111abcdef8.cloudfront.net",
                   uri, status, "-", "Mozilla/5.0%20(Macintosh;%20Intel%20Mac%20OS%20X%2010_15_7)", "-", "-", rtype, reqid,
                   "www.example.com", "https", str(rnd.randrange(200, 900)), f"{t:.3f}", "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", rtype,
                   "HTTP/2.0", "-", "-", str(rnd.randrange(1024, 65535)), f"{t:.3f}", dtype, ctype, clen, "-", "-"]
            out.append("\t".join(row))
    return "\n".join(out) + "\n"


def alb_log_lines(failing, start_minute=30, end_minute=60, seed=5):
    """ALB access-log lines (the documented 30-field layout) from `web-alb` to the two targets:
    `failing(rnd, minute, i)` returns None for a 200 or (elb, target_status, times, elapsed, reason),
    optionally with the actions as a sixth item: `fixed-response` means a listener rule answered
    (no target, no target group, the default action's priority 0)."""
    rnd = random.Random(seed)
    out = []
    for minute in range(start_minute, end_minute):
        hh, mm = 5 + minute // 60, minute % 60
        for i in range(20):
            ss = rnd.randrange(60) + rnd.randrange(1000000) / 1e6
            target = rnd.choice(["10.0.10.10:80", "10.0.11.10:80"])
            f = failing(rnd, minute, i)
            if f is None:
                t = rnd.randrange(2, 300) / 1000
                elb, ts, times, elapsed, reason = 200, "200", f"0.001 {t:.3f} 0.000", t + 0.001, "-"
            else:
                elb, ts, times, elapsed, reason = f[:5]
            actions = f[5] if f is not None and len(f) > 5 else "forward"
            fixed = actions == "fixed-response"
            created = f"2026-11-20T{hh:02d}:{mm:02d}:{ss:09.6f}Z"
            end = ss + elapsed
            done = f"2026-11-20T{hh + (mm + int(end // 60)) // 60:02d}:{(mm + int(end // 60)) % 60:02d}:{end % 60:09.6f}Z"
            uri = rnd.choice(["/api/orders", "/api/cart", "/api/users/42", "/"])
            host = ALB_DNS if fixed else "www.example.com"
            target = "-" if fixed else target
            out.append(f'http {done} app/web-alb/{ALB_ID} 130.176.{rnd.randrange(256)}.{rnd.randrange(256)}:{rnd.randrange(1024, 65535)} {target} '
                       f'{times} {elb} {ts} {rnd.randrange(200, 900)} {rnd.randrange(300, 5000) if ts != "-" else 0} '
                       f'"GET http://{host}:80{uri} HTTP/1.1" "Amazon CloudFront" - - {"-" if fixed else TG_ARN} '
                       f'"Root=1-6743f0a1-{rnd.getrandbits(96):024x}" "-" "-" 0 {created} "{actions}" "-" "{reason}" "{target}" "{ts}" "-" "-" '
                       f'TID_{rnd.getrandbits(128):032x}')
    return "\n".join(out) + "\n"


def write(name, s, readme, logs=None, alb_logs=None):
    d = os.path.join(os.path.dirname(os.path.abspath(__file__)), name)
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    for fname, body in sorted(s.items()):
        with open(os.path.join(d, fname + ".json"), "w") as f:
            json.dump(body, f, indent=4)
            f.write("\n")
    with open(os.path.join(d, "README.md"), "w") as f:
        f.write(readme.strip() + "\n")
    if logs:
        ld = os.path.join(d, "logs", "cloudfront")
        os.makedirs(ld)
        path = os.path.join(ld, f"{DIST}.2026-11-20-05.a1b2c3d4.gz")
        with open(path, "wb") as raw:
            with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
                gz.write(logs.encode())
    if alb_logs:
        ld = os.path.join(d, "logs", "alb")
        os.makedirs(ld)
        path = os.path.join(ld, f"{ACCT}_elasticloadbalancing_{REGION}_app.web-alb.{ALB_ID}_20261120T0600Z_10.0.0.25_5x7z9q1k.log.gz")
        with open(path, "wb") as raw:
            with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
                gz.write(alb_logs.encode())


SCENARIOS = []


def scenario(fn):
    SCENARIOS.append(fn)
    return fn


@scenario
def healthy():
    write("healthy", base(), f"""
# healthy

The baseline: internet-facing ALB `web-alb` in two public subnets admits tcp/80 and tcp/443 only
from the CloudFront origin-facing prefix list `{PL}` (`{SG_CF}`), sends tcp/80 to the targets'
group `{SG_APP}`, which admits tcp/80 from `{SG_CF}`. Both targets healthy. Distribution
`{DIST}` uses the ALB as an `http-only` custom origin for `/api/*` and the default behavior, and an
S3 origin for `/static/*` (out of scope).

Correct diagnosis: every path `allowed`; no critical finding; the S3 origin listed as out of scope.
`{SG_OLD}` (legacy allow-all) exists but is attached to nothing.
""")


@scenario
def ghost_sg_reference():
    s = base()
    app = find(sgs(s), "GroupId", SG_APP)
    app["IpPermissions"] = [perm("tcp", 80, 80, sgs=[SG_OLD], desc="from web-alb (resolved by Name tag)")]
    find(sgs(s), "GroupId", SG_CF)["IpPermissionsEgress"] = [perm("-1", cidrs=["0.0.0.0/0"])]
    set_health(s, "unhealthy", "Target.Timeout", "Request timed out")
    write("ghost-sg-reference", s, f"""
# ghost-sg-reference

The seed story (pattern D2 `target-sg-ghost-reference`). `web-alb` used to carry the legacy
"allow all" group `{SG_OLD}`; a hardening change detached it, leaving only `{SG_CF}`, which
admits tcp/80 and tcp/443 from the CloudFront prefix list `{PL}`. The targets' group
`{SG_APP}` still admits tcp/80 **only from `{SG_OLD}`** (its Terraform looked the ALB group up
by Name tag). ALB nodes now connect from ENIs that carry only `{SG_CF}`, so the SYN is dropped:
both targets are `unhealthy` with `Target.Timeout`, the ALB fails open, waits its 10 s connect
timeout and returns 504, which CloudFront relays (`logs/`: 504 `Error` at ≈10 s from 05:49 UTC).

Correct diagnosis: `cloudfront->alb` allowed (admitted by `{SG_CF}` ingress tcp/80 from `{PL}`);
`alb->target` **blocked** for `{I_A}` and `{I_B}`: "{SG_APP} admits tcp/80 only from {SG_OLD},
which is not attached to web-alb (the ALB carries {SG_CF})" — a near miss whose source group
exists but is not attached to the ALB. Top finding: `target-sg-ghost-reference`; fix:
`aws ec2 authorize-security-group-ingress --group-id {SG_APP} --protocol tcp --port 80 --source-group {SG_CF}`.
""", logs=cf_log_lines("504", "Error", 10.0))


@scenario
def seed_story_before():
    s = base()
    s["elbv2-describe-load-balancers"]["LoadBalancers"][0]["SecurityGroups"] = [SG_CF, SG_OLD]
    for e in s["ec2-describe-network-interfaces"]["NetworkInterfaces"]:
        if e["Description"].startswith("ELB app/web-alb/"):
            e["Groups"].append({"GroupName": "web-alb-allow-all", "GroupId": SG_OLD})
    find(sgs(s), "GroupId", SG_APP)["IpPermissions"] = [perm("tcp", 80, 80, sgs=[SG_OLD], desc="from web-alb (resolved by Name tag)")]
    find(sgs(s), "GroupId", SG_CF)["IpPermissionsEgress"] = [perm("-1", cidrs=["0.0.0.0/0"])]
    write("seed-story-before", s, f"""
# seed-story-before

The account *before* the hardening change of `ghost-sg-reference`: `web-alb` carries both
`{SG_CF}` (CloudFront prefix list) and the legacy allow-all `{SG_OLD}`; the targets' group
`{SG_APP}` admits tcp/80 only from `{SG_OLD}`. Every path is `allowed` — for now.

`edgepath what-if --detach-sg {SG_OLD} --from web-alb` (or the Terraform plan
`tests/fixtures/terraform/seed-story.json`) must report the paths that break at `alb->target`
with the `target-sg-ghost-reference` finding: this is the check that would have prevented the
incident.
""")


@scenario
def alb_sg_missing_cloudfront_prefix_list():
    s = base()
    find(sgs(s), "GroupId", SG_CF)["IpPermissions"] = [perm("tcp", 80, 80, cidrs=["10.0.0.0/8"], desc="internal only")]
    write("alb-sg-missing-cloudfront-prefix-list", s, f"""
# alb-sg-missing-cloudfront-prefix-list

Pattern B1. `web-alb`'s only group `{SG_CF}` admits tcp/80 from `10.0.0.0/8` only: no rule for the
CloudFront origin-facing prefix list `{PL}` or its ranges. CloudFront cannot connect: 504
`OriginCommError` after ≈30 s (3 × 10 s connect attempts), no ALB log rows (`logs/`).

Correct diagnosis: `cloudfront->alb` **blocked** on port 80: no rule of `{SG_CF}` admits the
CloudFront ranges; near miss `{SG_CF} ingress tcp/80 from 10.0.0.0/8` (source does not cover).
Top finding: `alb-sg-missing-cloudfront-prefix-list`.
""", logs=cf_log_lines("504", "OriginCommError", 30.0))


@scenario
def origin_protocol_port_mismatch():
    s = base()
    cfg = alb_origin(s)["CustomOriginConfig"]
    cfg["OriginProtocolPolicy"] = "https-only"
    find(sgs(s), "GroupId", SG_CF)["IpPermissions"] = [perm("tcp", 80, 80, pls=[PL], desc="CloudFront origin-facing")]
    write("origin-protocol-port-mismatch", s, f"""
# origin-protocol-port-mismatch

Pattern B2 (CDK's HTTPS default to an HTTP-only ALB). The origin `web-alb-origin` is `https-only`
on port 443, but `web-alb` has only an `HTTP:80` listener and `{SG_CF}` admits only tcp/80.
CloudFront's TLS connections to 443 are dropped: 504 `OriginCommError` ≈30 s (`logs/`).

Correct diagnosis: `cloudfront->alb` **blocked** on 443/HTTPS: no listener on 443 and no SG rule
for tcp/443 (near miss: `{SG_CF}` ingress tcp/80 from `{PL}`, wrong port). Top finding:
`origin-protocol-port-mismatch`.
""", logs=cf_log_lines("504", "OriginCommError", 30.0, seed=11))


@scenario
def https_origin_cert_mismatch():
    s = base()
    cfg = alb_origin(s)["CustomOriginConfig"]
    cfg["OriginProtocolPolicy"] = "https-only"
    find(sgs(s), "GroupId", SG_CF)["IpPermissions"] = [perm("tcp", 443, 443, pls=[PL], desc="CloudFront origin-facing")]
    add_https_listener(s)
    write("https-origin-cert-mismatch", s, f"""
# https-origin-cert-mismatch

Pattern B10 (the classic trap). The origin `web-alb-origin` is `https-only` and its domain is the
ALB's own name `{ALB_DNS}`. `web-alb` has an `HTTPS:443` listener (ACM certificate for the
company's domain) and `{SG_CF}` admits tcp/443 from the CloudFront prefix list, so every hop is
open — but no public certificate can cover `*.elb.amazonaws.com`, and the behaviors do not
forward `Host` (CachingDisabled / CachingOptimized, no origin request policy), so CloudFront
checks the certificate against that name and the TLS handshake fails: fast 502s, no ALB rows.

Correct diagnosis: every network rule open, yet `cloudfront->alb` `blocked` (reason
`origin-tls-name-mismatch`); finding `https-origin-cert-mismatch`: point
the origin at a name the certificate covers (a Route 53 alias to the ALB).
""")


@scenario
def internal_alb_as_public_origin():
    s = base()
    lb = s["elbv2-describe-load-balancers"]["LoadBalancers"][0]
    lb["Scheme"] = "internal"
    lb["DNSName"] = "internal-" + ALB_DNS
    alb_origin(s)["DomainName"] = "internal-" + ALB_DNS
    write("internal-alb-as-public-origin", s, """
# internal-alb-as-public-origin

Pattern B4. `web-alb` is `internal` (DNS name `internal-web-alb-…`), and the distribution uses it
as a plain custom origin, without a CloudFront VPC origin. CloudFront's edges cannot reach
private addresses: 504 `OriginCommError` ≈30 s.

Correct diagnosis: `cloudfront->alb` **blocked**: internal ALB used as a public custom origin.
Top finding: `internal-alb-as-public-origin`; fix: create a VPC origin for the ALB.
""")


@scenario
def internet_facing_alb_in_private_subnets():
    s = base()
    rts = s["ec2-describe-route-tables"]["RouteTables"]
    pub = find(rts, "RouteTableId", "rtb-0public0000000001")
    pub["Associations"] = [a for a in pub["Associations"] if a["SubnetId"] != PUB_B]
    write("internet-facing-alb-in-private-subnets", s, f"""
# internet-facing-alb-in-private-subnets

Pattern B5, partial variant. `web-alb` is internet-facing, but its subnet `{PUB_B}` lost its
explicit association with the public route table, so it uses the VPC main table
`rtb-0main00000000002` whose default route goes to a NAT gateway, not an internet gateway. The
ALB node in us-east-1b is unreachable: intermittent 504s.

Correct diagnosis: `cloudfront->alb` **partial**: `{PUB_B}` has no 0.0.0.0/0 route to an internet
gateway (`{PUB_A}` does). Top finding: `internet-facing-alb-in-private-subnets`.
""")


@scenario
def nacl_blocks_cloudfront_or_ephemeral():
    s = base()
    acls = s["ec2-describe-network-acls"]["NetworkAcls"]
    default = acls[0]
    default["Associations"] = [a for a in default["Associations"] if a["SubnetId"] not in (PUB_A, PUB_B)]
    acls.append({"Associations": [{"NetworkAclAssociationId": f"aclassoc-0pub{i}000000000000", "NetworkAclId": "acl-0public000000002", "SubnetId": sn}
                                  for i, sn in enumerate([PUB_A, PUB_B])],
                 "Entries": nacl_entries([{"CidrBlock": "0.0.0.0/0", "Egress": True, "Protocol": "6", "PortRange": {"From": 1024, "To": 65535},
                                           "RuleAction": "deny", "RuleNumber": 90}]),
                 "IsDefault": False, "NetworkAclId": "acl-0public000000002", "Tags": tags(Name="public-hardened"), "VpcId": VPC, "OwnerId": ACCT})
    write("nacl-blocks-cloudfront-or-ephemeral", s, """
# nacl-blocks-cloudfront-or-ephemeral

Pattern B7. The ALB subnets use NACL `acl-0public000000002`, whose outbound rule 90 denies tcp
1024-65535 before rule 100 allows everything. Requests from CloudFront arrive, but the replies
to CloudFront's ephemeral ports are dropped (NACLs are stateless): 504 ≈30 s.

Correct diagnosis: `cloudfront->alb` **blocked**: `acl-0public000000002 egress #90 deny tcp
1024-65535` drops the return traffic. Top finding: `nacl-blocks-cloudfront-or-ephemeral`.
""")


@scenario
def alb_sg_egress_restricted():
    s = base()
    find(sgs(s), "GroupId", SG_CF)["IpPermissionsEgress"] = [perm("tcp", 443, 443, cidrs=["0.0.0.0/0"])]
    set_health(s, "unhealthy", "Target.Timeout", "Request timed out")
    write("alb-sg-egress-restricted", s, f"""
# alb-sg-egress-restricted

Pattern D3. Terraform replaced `{SG_CF}`'s egress with tcp/443 to 0.0.0.0/0 only, so the ALB
cannot send to its targets on tcp/80 (traffic and health checks). Targets `Target.Timeout`.

Correct diagnosis: `alb->target` **blocked**: no egress rule of `{SG_CF}` admits tcp/80 to the
targets (near miss: egress tcp/443, wrong port). Top finding: `alb-sg-egress-restricted`.
""")


@scenario
def target_sg_missing_alb_sg():
    s = base()
    find(sgs(s), "GroupId", SG_APP)["IpPermissions"] = [perm("tcp", 8080, 8080, sgs=[SG_CF], desc="from web-alb")]
    set_health(s, "unhealthy", "Target.Timeout", "Request timed out")
    write("target-sg-missing-alb-sg", s, f"""
# target-sg-missing-alb-sg

Pattern D1. The targets' group `{SG_APP}` admits the ALB group `{SG_CF}` on tcp/8080, but the
target group sends traffic and health checks to port 80.

Correct diagnosis: `alb->target` **blocked**: near miss `{SG_APP} ingress tcp/8080 from {SG_CF}`
(wrong port). Top finding: `target-sg-missing-alb-sg`.
""")


@scenario
def health_check_misconfigured():
    s = base()
    find(s["elbv2-describe-target-groups"]["TargetGroups"], "TargetGroupName", "web-tg")["HealthCheckPort"] = "8081"
    find(sgs(s), "GroupId", SG_CF)["IpPermissionsEgress"] = [perm("tcp", 80, 81, sgs=[SG_APP]), perm("tcp", 8081, 8081, sgs=[SG_APP])]
    for d in s["elbv2-describe-target-health-web-tg"]["TargetHealthDescriptions"]:
        d["HealthCheckPort"] = "8081"
    set_health(s, "unhealthy", "Target.Timeout", "Request timed out")
    write("health-check-misconfigured", s, f"""
# health-check-misconfigured

Pattern D4. The target group checks health on port 8081, which `{SG_APP}` does not admit (it
admits only tcp/80 from `{SG_CF}`). Traffic port is fine, but both targets are `unhealthy`
(`Target.Timeout`).

Correct diagnosis: `alb->target` **blocked** on the health-check port 8081. Top finding:
`health-check-misconfigured`.
""")


@scenario
def no_registered_targets():
    s = base()
    s["elbv2-describe-target-health-web-tg"]["TargetHealthDescriptions"] = []
    write("no-registered-targets", s, """
# no-registered-targets

Pattern D6. `web-tg` has no registered targets (the Auto Scaling group scaled to zero): the ALB
answers 503 for every request.

Correct diagnosis: the path ends at `web-tg` with no targets (`blocked`). Top finding:
`no-registered-targets`.
""")


@scenario
def all_targets_unhealthy_fail_open():
    s = base()
    set_health(s, "unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [500]")
    write("all-targets-unhealthy-fail-open", s, """
# all-targets-unhealthy-fail-open

Pattern D5. Network paths are fine, but every target fails its health check with
`Target.ResponseCodeMismatch` (the app returns 500 on /health). The ALB fails open and routes to
the unhealthy targets anyway.

Correct diagnosis: `cloudfront->alb` and `alb->target` allowed; `target` **blocked** (unhealthy).
Top finding: `all-targets-unhealthy-fail-open`.
""")


@scenario
def alb_idle_timeout_too_short():
    s = base()
    for a in s["elbv2-describe-load-balancer-attributes-web-alb"]["Attributes"]:
        if a["Key"] == "idle_timeout.timeout_seconds":
            a["Value"] = "15"
    write("alb-idle-timeout-too-short", s, """
# alb-idle-timeout-too-short

Pattern B9. `web-alb`'s idle timeout is 15 s, shorter than CloudFront's origin read timeout of
30 s: slow requests get an ALB 504 after 15 s, relayed by CloudFront.

Correct diagnosis: paths allowed; finding `alb-idle-timeout-too-short` (warning).
""")


@scenario
def origin_response_timeout_too_short():
    s = base()
    alb_origin(s)["CustomOriginConfig"]["OriginReadTimeout"] = 5
    write("origin-response-timeout-too-short", s, """
# origin-response-timeout-too-short

Pattern B8. The origin read timeout is 5 s; report endpoints take longer, so CloudFront gives up:
504 `OriginCommError` at ≈5 s (POST) or ≈15 s (GET/HEAD, 3 attempts) — see `logs/`.

Correct diagnosis: paths allowed; finding `origin-response-timeout-too-short` (warning).
""", logs=cf_log_lines("504", "OriginCommError", 5.0, seed=13))


@scenario
def sg_cannot_delete():
    s = base()
    groups = sgs(s)
    find(groups, "GroupId", SG_APP)["IpPermissions"].append(perm("tcp", 9000, 9000, sgs=[SG_OLD], desc="metrics from legacy group"))
    groups.append(sg("sg-0batch0000000000f6", "batch-workers", "batch workers", [], [perm("tcp", 443, 443, sgs=[SG_OLD], desc="to legacy")]))
    enis = s["ec2-describe-network-interfaces"]["NetworkInterfaces"]
    enis.append(eni("eni-0run000000000000a", "10.0.10.30", PRV_A, "us-east-1a", [(SG_OLD, "web-alb-allow-all")], "",
                    attach={"AttachmentId": "eni-attach-0run000000000a", "DeleteOnTermination": True, "DeviceIndex": 0, "InstanceId": "i-0legacy1running0001",
                            "InstanceOwnerId": ACCT, "Status": "attached"}))
    enis.append(eni("eni-0stop00000000000b", "10.0.11.31", PRV_B, "us-east-1b", [(SG_OLD, "web-alb-allow-all")], "",
                    attach={"AttachmentId": "eni-attach-0stop00000000b", "DeleteOnTermination": True, "DeviceIndex": 0, "InstanceId": "i-0legacy2stopped0002",
                            "InstanceOwnerId": ACCT, "Status": "attached"}))
    enis.append(eni("eni-0vpce0000000000c", "10.0.10.40", PRV_A, "us-east-1a", [(SG_OLD, "web-alb-allow-all")], "VPC Endpoint Interface vpce-0ssm00000000000001",
                    itype="vpc_endpoint", requester="727180483921", managed=True))
    enis.append(eni("eni-0lambda000000000d", "10.0.11.41", PRV_B, "us-east-1b", [(SG_OLD, "web-alb-allow-all")], "AWS Lambda VPC ENI-report-builder-7c1f6b2e-3a4d-4e5f-8a9b-0c1d2e3f4a5b",
                    itype="lambda", requester=f"{ACCT}:awslambda_report-builder", managed=True))
    res = s["ec2-describe-instances"]["Reservations"]
    res.append({"Groups": [], "OwnerId": ACCT, "ReservationId": "r-0legacy000000001", "Instances": [
        dict(instance("i-0legacy1running0001", "10.0.10.30", PRV_A, "us-east-1a", "eni-0run000000000000a", groups=((SG_OLD, "web-alb-allow-all"),))),
        dict(instance("i-0legacy2stopped0002", "10.0.11.31", PRV_B, "us-east-1b", "eni-0stop00000000000b", state="stopped", groups=((SG_OLD, "web-alb-allow-all"),)))]})
    s["ec2-describe-vpc-endpoints"] = {"VpcEndpoints": [{
        "VpcEndpointId": "vpce-0ssm00000000000001", "VpcEndpointType": "Interface", "VpcId": VPC, "ServiceName": "com.amazonaws.us-east-1.ssm",
        "State": "available", "PolicyDocument": "{\"Statement\":[{\"Action\":\"*\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Resource\":\"*\"}]}",
        "RouteTableIds": [], "SubnetIds": [PRV_A], "Groups": [{"GroupId": SG_OLD, "GroupName": "web-alb-allow-all"}], "IpAddressType": "ipv4",
        "DnsOptions": {"DnsRecordIpType": "ipv4"}, "PrivateDnsEnabled": True, "RequesterManaged": False, "NetworkInterfaceIds": ["eni-0vpce0000000000c"],
        "DnsEntries": [{"DnsName": "vpce-0ssm00000000000001-abcd1234.ssm.us-east-1.vpce.amazonaws.com", "HostedZoneId": "Z7HUB22UULQXV"}],
        "CreationTimestamp": "2026-09-01T10:00:00.000Z", "Tags": [], "OwnerId": ACCT}]}
    write("sg-cannot-delete", s, f"""
# sg-cannot-delete

Pattern F1. `terraform destroy` of the legacy group `{SG_OLD}` (web-alb-allow-all) fails with
`DependencyViolation`. What holds it:

- rules of other groups naming it: `{SG_APP}` ingress tcp/9000 from `{SG_OLD}`, and
  `sg-0batch0000000000f6` egress tcp/443 to `{SG_OLD}`;
- ENIs carrying it: `eni-0run000000000000a` (instance `i-0legacy1running0001`, running),
  `eni-0stop00000000000b` (instance `i-0legacy2stopped0002`, **stopped** — still counts),
  `eni-0vpce0000000000c` (interface endpoint `vpce-0ssm00000000000001`, which uses the group),
  `eni-0lambda000000000d` (Lambda function `report-builder`; released only after its VPC config
  is removed).

Correct answer: blocked; steps in order — remove the two referencing rules, detach or terminate
the instances (or change their groups), change the endpoint's groups or delete it, remove the
Lambda VPC config and wait for the ENI to go, then `aws ec2 delete-security-group --group-id {SG_OLD}`.
""")


@scenario
def vpc_origin_leftover_eni():
    vpc2 = "vpc-0b2c3d4e5f6071829"
    sa, sb = "subnet-0vo1a00000000007", "subnet-0vo1b00000000008"
    svc_sg = "sg-0cfvpco00000000e5"
    int_sg = "sg-0intalb00000000e6"
    int_id = "60dc6c495c0c9189"
    int_arn = f"arn:aws:elasticloadbalancing:{REGION}:{ACCT}:loadbalancer/app/int-alb/{int_id}"
    vo = "vo_BQwjxxQxjCaBcQLzJUFkDM"
    s = {}
    s["ec2-describe-vpcs"] = {"Vpcs": [{"CidrBlock": "10.20.0.0/16", "DhcpOptionsId": "dopt-0d1e2f3a4b5c6d7e8", "State": "available", "VpcId": vpc2,
                                        "OwnerId": ACCT, "InstanceTenancy": "default", "IsDefault": False,
                                        "CidrBlockAssociationSet": [{"AssociationId": "vpc-cidr-assoc-0b2c3d4e5f6a7b8c9", "CidrBlock": "10.20.0.0/16", "CidrBlockState": {"State": "associated"}}],
                                        "Tags": tags(Name="internal-app")}]}
    s["ec2-describe-subnets"] = {"Subnets": [subnet(sa, "10.20.1.0/24", "us-east-1a", vpc=vpc2, name="int-a"), subnet(sb, "10.20.2.0/24", "us-east-1b", vpc=vpc2, name="int-b")]}
    s["ec2-describe-route-tables"] = {"RouteTables": [{"Associations": [{"Main": True, "RouteTableAssociationId": "rtbassoc-0vomain0000000001", "RouteTableId": "rtb-0vomain000000001", "AssociationState": {"State": "associated"}}],
                                                       "PropagatingVgws": [], "RouteTableId": "rtb-0vomain000000001",
                                                       "Routes": [{"DestinationCidrBlock": "10.20.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"}],
                                                       "Tags": [], "VpcId": vpc2, "OwnerId": ACCT}]}
    s["ec2-describe-network-acls"] = {"NetworkAcls": [{"Associations": [{"NetworkAclAssociationId": f"aclassoc-0vo{i}00000000000", "NetworkAclId": "acl-0vodefault0000001", "SubnetId": x} for i, x in enumerate([sa, sb])],
                                                       "Entries": nacl_entries(), "IsDefault": True, "NetworkAclId": "acl-0vodefault0000001", "Tags": [], "VpcId": vpc2, "OwnerId": ACCT}]}
    s["ec2-describe-internet-gateways"] = {"InternetGateways": [{"Attachments": [{"State": "available", "VpcId": vpc2}], "InternetGatewayId": "igw-0vo0000000000002", "OwnerId": ACCT, "Tags": tags(Name="internal-app-igw")}]}
    s["ec2-describe-nat-gateways"] = {"NatGateways": []}
    s["ec2-describe-vpc-endpoints"] = {"VpcEndpoints": []}
    s["ec2-describe-security-groups"] = {"SecurityGroups": [
        sg(svc_sg, "CloudFront-VPCOrigins-Service-SG", "CloudFront VPC origins service security group", [], [perm("-1", cidrs=["0.0.0.0/0"])], vpc=vpc2),
        sg(int_sg, "int-alb", "internal ALB", [perm("tcp", 80, 80, sgs=[svc_sg], desc="CloudFront VPC origin")], [perm("-1", cidrs=["0.0.0.0/0"])], vpc=vpc2),
        sg("sg-0vodefault000000e7", "default", "default VPC security group", [perm("-1", sgs=["sg-0vodefault000000e7"])], [perm("-1", cidrs=["0.0.0.0/0"])], vpc=vpc2)]}
    for g in s["ec2-describe-security-groups"]["SecurityGroups"]:
        if g["GroupId"] == svc_sg:
            g["Tags"] = tags(**{"aws.cloudfront.vpcorigin": "enabled"})
    cf_tags = tags(**{"aws.cloudfront.vpcorigin": "enabled"})
    s["ec2-describe-network-interfaces"] = {"NetworkInterfaces": [
        eni("eni-0cfmgd0000000000a", "10.20.1.50", sa, "us-east-1a", [(svc_sg, "CloudFront-VPCOrigins-Service-SG")], "", itype="cloudfront_managed",
            requester="AROAEXAMPLEROLEID:CloudFrontVpcOrigin", managed=True, vpc=vpc2, tagset=cf_tags),
        eni("eni-0cfmgd0000000000b", "10.20.2.50", sb, "us-east-1b", [(svc_sg, "CloudFront-VPCOrigins-Service-SG")], "", itype="cloudfront_managed",
            requester="AROAEXAMPLEROLEID:CloudFrontVpcOrigin", managed=True, vpc=vpc2, tagset=cf_tags),
        alb_eni("eni-0intalb1a0000000c", "10.20.1.25", sa, "us-east-1a", name="int-alb", lb_id=int_id, groups=((int_sg, "int-alb"),), vpc=vpc2),
        alb_eni("eni-0intalb1b0000000d", "10.20.2.25", sb, "us-east-1b", name="int-alb", lb_id=int_id, groups=((int_sg, "int-alb"),), vpc=vpc2)]}
    s["ec2-describe-instances"] = {"Reservations": []}
    s["elbv2-describe-load-balancers"] = {"LoadBalancers": [
        {"LoadBalancerArn": int_arn, "DNSName": "internal-int-alb-987654321.us-east-1.elb.amazonaws.com", "CanonicalHostedZoneId": "Z35SXDOTRQ7X7K",
         "CreatedTime": "2026-09-01T10:00:00.000Z", "LoadBalancerName": "int-alb", "Scheme": "internal", "VpcId": vpc2, "State": {"Code": "active"},
         "Type": "application", "AvailabilityZones": [{"ZoneName": "us-east-1a", "SubnetId": sa, "LoadBalancerAddresses": []}, {"ZoneName": "us-east-1b", "SubnetId": sb, "LoadBalancerAddresses": []}],
         "SecurityGroups": [int_sg], "IpAddressType": "ipv4"}]}
    s["elbv2-describe-target-groups"] = {"TargetGroups": []}
    s["cloudfront-list-distributions"] = {"DistributionList": {"Marker": "", "MaxItems": 100, "IsTruncated": False, "Quantity": 0, "Items": []}}
    s["cloudfront-list-vpc-origins"] = {"VpcOriginList": {"Marker": "", "MaxItems": 100, "IsTruncated": False, "Quantity": 1, "Items": [
        {"Id": vo, "Name": "int-alb-origin", "Status": "Deployed", "CreatedTime": "2026-09-01T10:30:00.000Z", "LastModifiedTime": "2026-09-01T10:41:00.000Z",
         "Arn": f"arn:aws:cloudfront::{ACCT}:vpcorigin/{vo}", "OriginEndpointArn": int_arn}]}}
    s["cloudfront-get-vpc-origin"] = {"ETag": "E3UN6WX5RRO2AG", "VpcOrigin": {
        "Id": vo, "Arn": f"arn:aws:cloudfront::{ACCT}:vpcorigin/{vo}", "Status": "Deployed", "CreatedTime": "2026-09-01T10:30:00.000Z",
        "LastModifiedTime": "2026-09-01T10:41:00.000Z",
        "VpcOriginEndpointConfig": {"Name": "int-alb-origin", "Arn": int_arn, "HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "http-only",
                                    "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]}}}}
    write("vpc-origin-leftover-eni", s, f"""
# vpc-origin-leftover-eni

Pattern F3. `cdk destroy` removed the distribution, but the CloudFront VPC origin `{vo}`
(Deployed, endpoint `int-alb`) was left behind. Its two `cloudfront_managed` ENIs
(`eni-0cfmgd0000000000a` in `{sa}`, `eni-0cfmgd0000000000b` in `{sb}`, group
`CloudFront-VPCOrigins-Service-SG` `{svc_sg}`) cannot be detached or deleted, so
`DeleteSubnet` / `DeleteVpc` of `{vpc2}` fail with `DependencyViolation`.

Correct answer for `edgepath blockers {vpc2}`: blockers are the VPC origin's ENIs (owner:
CloudFront VPC origin `{vo}`), the internal ALB `int-alb` and its ENIs, the groups and the rule of
`{int_sg}` referencing `{svc_sg}`, the IGW. Steps in order: (no distribution uses the origin any
more) `aws cloudfront get-vpc-origin --id {vo}` (ETag `E3UN6WX5RRO2AG`) → `aws cloudfront
delete-vpc-origin --id {vo} --if-match E3UN6WX5RRO2AG` → wait until get-vpc-origin returns
EntityNotFound → delete the ALB → revoke the rule referencing the service group → delete the
groups → detach and delete the IGW → delete the subnets → delete the VPC last.
""")


@scenario
def requester_managed_endpoint():
    s = base()
    fw_arn = f"arn:aws:network-firewall:{REGION}:{ACCT}:firewall/prod-fw"
    vpce = "vpce-0fw00000000000001"
    s["ec2-describe-vpc-endpoints"] = {"VpcEndpoints": [{
        "VpcEndpointId": vpce, "VpcEndpointType": "GatewayLoadBalancer", "VpcId": VPC, "ServiceName": "com.amazonaws.vpce.us-east-1.vpce-svc-0fw0000000000000a",
        "State": "available", "RouteTableIds": [], "SubnetIds": [PUB_A], "Groups": [], "IpAddressType": "ipv4", "RequesterManaged": True,
        "NetworkInterfaceIds": ["eni-0fwep000000000001"], "DnsEntries": [], "CreationTimestamp": "2026-08-01T09:00:00.000Z",
        "Tags": tags(AWSNetworkFirewallManaged="true", Firewall=fw_arn), "OwnerId": ACCT}]}
    s["ec2-describe-network-interfaces"]["NetworkInterfaces"].append(
        eni("eni-0fwep000000000001", "10.0.0.90", PUB_A, "us-east-1a", [], f"VPC Endpoint Interface {vpce}", itype="gateway_load_balancer_endpoint",
            requester="672818339580", managed=True))
    event = {"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole", "principalId": "AROAEXAMPLEFW:NetworkFirewall",
                                                       "arn": f"arn:aws:sts::{ACCT}:assumed-role/AWSServiceRoleForNetworkFirewall/NetworkFirewall",
                                                       "accountId": ACCT, "invokedBy": "network-firewall.amazonaws.com"},
             "eventTime": "2026-08-01T09:00:00Z", "eventSource": "ec2.amazonaws.com", "eventName": "CreateVpcEndpoint", "awsRegion": REGION,
             "sourceIPAddress": "network-firewall.amazonaws.com", "userAgent": "network-firewall.amazonaws.com",
             "responseElements": {"CreateVpcEndpointResponse": {"vpcEndpoint": {"vpcEndpointId": vpce}}}}
    s["cloudtrail-lookup-events"] = {"Events": [{
        "EventId": "8f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f", "EventName": "CreateVpcEndpoint", "ReadOnly": "false", "EventTime": "2026-08-01T09:00:00+00:00",
        "EventSource": "ec2.amazonaws.com", "Username": "NetworkFirewall", "Resources": [{"ResourceType": "AWS::EC2::VPCEndpoint", "ResourceName": vpce}],
        "CloudTrailEvent": json.dumps(event)}]}
    write("requester-managed-endpoint", s, f"""
# requester-managed-endpoint

Pattern F2. `aws ec2 delete-vpc-endpoints --vpc-endpoint-ids {vpce}` fails with "Operation is not
allowed for requester-managed VPC endpoints". The endpoint is a `GatewayLoadBalancer` endpoint
created by AWS Network Firewall: `RequesterManaged: true`, tags `AWSNetworkFirewallManaged=true`
and `Firewall={fw_arn}`, and the CloudTrail `CreateVpcEndpoint` event was invoked by
`network-firewall.amazonaws.com`. Its ENI is `eni-0fwep000000000001`.

Correct answer for `edgepath blockers {vpce}`: blocked; owner AWS Network Firewall `prod-fw`;
step: remove the firewall's subnet mapping for `{PUB_A}` (`aws network-firewall
disassociate-subnets`) or delete the firewall; the endpoint then disappears on its own.
""")


@scenario
def vpc_origin_alb_sg_missing_service_sg():
    s = base()
    vo = "vo_4Vd8qYzDmJ2xKpLr7Tw1Nc"
    lb = s["elbv2-describe-load-balancers"]["LoadBalancers"][0]
    lb["Scheme"] = "internal"
    lb["DNSName"] = "internal-" + ALB_DNS
    lb["AvailabilityZones"] = [{"ZoneName": "us-east-1a", "SubnetId": PRV_A, "LoadBalancerAddresses": []}, {"ZoneName": "us-east-1b", "SubnetId": PRV_B, "LoadBalancerAddresses": []}]
    for e in s["ec2-describe-network-interfaces"]["NetworkInterfaces"]:
        if e["NetworkInterfaceId"] == "eni-0alb1a00000000001":
            e["SubnetId"], e["PrivateIpAddress"] = PRV_A, "10.0.10.25"
            e["PrivateIpAddresses"][0]["PrivateIpAddress"] = "10.0.10.25"
        if e["NetworkInterfaceId"] == "eni-0alb1b00000000002":
            e["SubnetId"], e["PrivateIpAddress"] = PRV_B, "10.0.11.25"
            e["PrivateIpAddresses"][0]["PrivateIpAddress"] = "10.0.11.25"
    svc = sg("sg-0cfvpco00000000e5", "CloudFront-VPCOrigins-Service-SG", "CloudFront VPC origins service security group", [], [perm("-1", cidrs=["0.0.0.0/0"])])
    sgs(s).append(svc)
    find(sgs(s), "GroupId", SG_CF)["IpPermissions"] = [perm("tcp", 80, 80, cidrs=["10.0.0.0/16"], desc="VPC")]
    origin = alb_origin(s)
    origin["DomainName"] = "internal-" + ALB_DNS
    del origin["CustomOriginConfig"]
    origin["VpcOriginConfig"] = {"VpcOriginId": vo, "OriginReadTimeout": 30, "OriginKeepaliveTimeout": 5}
    s["cloudfront-get-vpc-origin"] = {"ETag": "E1VPCOEXAMPLE", "VpcOrigin": {
        "Id": vo, "Arn": f"arn:aws:cloudfront::{ACCT}:vpcorigin/{vo}", "Status": "Deployed", "CreatedTime": "2026-10-02T10:30:00.000Z",
        "LastModifiedTime": "2026-10-02T10:41:00.000Z",
        "VpcOriginEndpointConfig": {"Name": "web-alb-vpc-origin", "Arn": ALB_ARN, "HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "http-only",
                                    "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]}}}}
    s["cloudfront-list-vpc-origins"] = {"VpcOriginList": {"Quantity": 1, "Items": [{"Id": vo, "Name": "web-alb-vpc-origin", "Status": "Deployed",
                                                                                   "Arn": f"arn:aws:cloudfront::{ACCT}:vpcorigin/{vo}", "OriginEndpointArn": ALB_ARN}]}}
    write("vpc-origin-alb-sg-missing-service-sg", s, f"""
# vpc-origin-alb-sg-missing-service-sg

Pattern C1. `web-alb` is internal and reached through the CloudFront VPC origin `{vo}`. Its group
`{SG_CF}` admits tcp/80 only from the VPC CIDR 10.0.0.0/16 — reported not to work for VPC-origin
traffic. It must reference `CloudFront-VPCOrigins-Service-SG` (`sg-0cfvpco00000000e5`) or the
CloudFront prefix list.

Correct diagnosis: `cloudfront->alb` **blocked**: no rule references the VPC-origin service group
(near miss: `{SG_CF} ingress tcp/80 from 10.0.0.0/16`). Top finding:
`vpc-origin-alb-sg-missing-service-sg`.
""")
    s2 = copy.deepcopy(s)
    find(sgs(s2), "GroupId", SG_CF)["IpPermissions"] = [perm("tcp", 80, 80, sgs=["sg-0cfvpco00000000e5"], desc="CloudFront VPC origin")]
    write("vpc-origin-healthy", s2, f"""
# vpc-origin-healthy

The VPC-origin baseline: internal `web-alb` behind VPC origin `{vo}`; `{SG_CF}` admits tcp/80 from
`CloudFront-VPCOrigins-Service-SG` (`sg-0cfvpco00000000e5`). Every path `allowed`, no critical
finding.
""")
    s3 = copy.deepcopy(s2)
    s3["cloudfront-get-vpc-origin"]["VpcOrigin"]["Status"] = "Deploying"
    s3["cloudfront-list-vpc-origins"]["VpcOriginList"]["Items"][0]["Status"] = "Deploying"
    write("vpc-origin-not-deployed", s3, f"""
# vpc-origin-not-deployed

Pattern C2. Same as `vpc-origin-healthy`, but the VPC origin `{vo}` is still `Deploying` (just
created: no `cloudfront_managed` ENI in the VPC yet). 502/504 until it is `Deployed`.

Correct diagnosis: every path `blocked` on `cloudfront->alb` (reason `vpc-origin-not-deployed`:
CloudFront has no way into the VPC yet), finding `vpc-origin-not-deployed`. With CloudFront-managed
ENIs already in the VPC (an in-place update), the hop is `unknown` while it deploys, never `allowed`.
""")
    s5 = copy.deepcopy(s2)
    s5["cloudfront-get-vpc-origin"]["VpcOrigin"]["VpcOriginEndpointConfig"]["OriginProtocolPolicy"] = "https-only"
    find(sgs(s5), "GroupId", SG_CF)["IpPermissions"] = [perm("tcp", 443, 443, sgs=["sg-0cfvpco00000000e5"], desc="CloudFront VPC origin")]
    add_https_listener(s5)
    write("vpc-origin-https-sni-mismatch", s5, f"""
# vpc-origin-https-sni-mismatch

Pattern C4. Same as `vpc-origin-healthy`, but the VPC origin `{vo}` is `https-only` (HTTPS:443
listener with the company's certificate; `{SG_CF}` admits tcp/443 from the VPC-origin service
group) while the distribution's origin domain is still the ALB's internal name
`internal-{ALB_DNS}`, and `Host` is not forwarded: the certificate cannot match that name, the
TLS handshake fails (fast 502, no ALB rows) although every hop is open.

Correct diagnosis: every network rule open, yet `cloudfront->alb` `blocked` (reason
`origin-tls-name-mismatch`); finding `vpc-origin-https-sni-mismatch`.
""")
    s4 = copy.deepcopy(s2)
    s4["ec2-describe-internet-gateways"]["InternetGateways"][0]["Attachments"] = []
    write("vpc-origin-no-igw", s4, f"""
# vpc-origin-no-igw

Pattern C3 (a prerequisite). Same as `vpc-origin-healthy`, but the internet gateway
`{IGW}` was detached from `{VPC}` ("the ALB is internal, nothing uses it"). CloudFront requires
an internet gateway attached to the VPC of a VPC origin even though the traffic never crosses
it: without one the VPC origin cannot be created or stops serving (502/504, no ALB log rows).

Correct diagnosis: finding `vpc-origin-vpc-without-igw` with the command that attaches a
gateway to `{VPC}`.
""")


@scenario
def target_az_not_enabled():
    s = base()
    s["ec2-describe-subnets"]["Subnets"].append(subnet("subnet-0prv1c0000000009", "10.0.12.0/24", "us-east-1c", name="private-c"))
    s["ec2-describe-network-acls"]["NetworkAcls"][0]["Associations"].append(
        {"NetworkAclAssociationId": "aclassoc-09000000000000000", "NetworkAclId": "acl-0default000000001", "SubnetId": "subnet-0prv1c0000000009"})
    i_c = "i-0ccc5555ffff6666a"
    s["ec2-describe-instances"]["Reservations"][0]["Instances"].append(instance(i_c, "10.0.12.10", "subnet-0prv1c0000000009", "us-east-1c", "eni-0app1c0000000000e"))
    s["ec2-describe-network-interfaces"]["NetworkInterfaces"].append(instance_eni(i_c, "eni-0app1c0000000000e", "10.0.12.10", "subnet-0prv1c0000000009", "us-east-1c"))
    s["elbv2-describe-target-health-web-tg"]["TargetHealthDescriptions"].append(
        {"Target": {"Id": i_c, "Port": 80}, "TargetHealth": {"State": "unused", "Reason": "Target.NotInUse",
                                                             "Description": "Target is in an Availability Zone that is not enabled for the load balancer"}})
    write("target-az-not-enabled", s, f"""
# target-az-not-enabled

Pattern D7. A third target `{i_c}` runs in us-east-1c, but `web-alb` is enabled only in
us-east-1a and us-east-1b: the target is `unused` with `Target.NotInUse`.

Correct diagnosis: the path to `{i_c}` is **blocked** (`target-az-not-enabled`); the other two
targets are allowed. Top finding: `target-az-not-enabled`.
""")


@scenario
def prefix_list_quota_or_stale_cidrs():
    s = base()
    stale = sorted(CF_CIDRS)[:-4]
    find(sgs(s), "GroupId", SG_CF)["IpPermissions"] = [perm("tcp", 80, 80, cidrs=stale, desc="CloudFront (copied 2025-03)")]
    write("prefix-list-quota-or-stale-cidrs", s, f"""
# prefix-list-quota-or-stale-cidrs

Pattern B3. Because the CloudFront prefix list weighs 55 rules, someone copied its CIDRs into
`{SG_CF}` as literal ranges; four ranges added to the list since are missing. Requests from
those edge ranges time out: intermittent 504s by edge location.

Correct diagnosis: `cloudfront->alb` **partial**: 4 CIDRs of `{PL}` not covered (listed). Top
finding: `prefix-list-quota-or-stale-cidrs`.
""")


@scenario
def error_caching_masks_fix():
    s = base()
    dist_cfg(s)["CustomErrorResponses"] = {"Quantity": 2, "Items": [
        {"ErrorCode": 504, "ResponsePagePath": "", "ResponseCode": "", "ErrorCachingMinTTL": 300},
        {"ErrorCode": 502, "ResponsePagePath": "", "ResponseCode": "", "ErrorCachingMinTTL": 300}]}
    write("error-caching-masks-fix", s, """
# error-caching-masks-fix

Pattern A1. The distribution caches 502/504 for 300 s on the dynamic `/api/*` behavior, so after
any origin incident the error keeps being served for five minutes after the fix.

Correct diagnosis: paths allowed; finding `error-caching-masks-fix` (warning).
""")


def metric_data(series, start, minutes):
    """`aws cloudwatch get-metric-data` output with its queries beside it (`MetricDataQueries`).
    `series` is [(namespace, metric, stat, dimensions, value_of_minute)]; a value of None is no
    datapoint (CloudWatch's count metrics have none in a minute without anything to count)."""
    queries, results = [], []
    for i, (ns, metric, stat, dims, value_of) in enumerate(series):
        qid = f"m{i}"
        queries.append({"Id": qid, "MetricStat": {"Metric": {"Namespace": ns, "MetricName": metric,
                        "Dimensions": [{"Name": k, "Value": v} for k, v in dims]}, "Period": 60, "Stat": stat}})
        ts, vals = [], []
        for m in range(minutes - 1, -1, -1):  # newest first, as CloudWatch returns them
            v = value_of(m)
            if v is not None:
                t = start + m
                ts.append(f"2026-11-20T{t // 60:02d}:{t % 60:02d}:00+00:00")
                vals.append(float(v))
        results.append({"Id": qid, "Label": metric, "Timestamps": ts, "Values": vals, "StatusCode": "Complete"})
    return {"MetricDataQueries": queries, "MetricDataResults": results, "Messages": []}


@scenario
def alb_capacity_rejected_connections():
    s = base()
    lb = [("LoadBalancer", f"app/web-alb/{ALB_ID}")]
    cf = [("DistributionId", DIST), ("Region", "Global")]
    onset = 19  # 05:49
    rejected = lambda m: 40 + 2 * (m - onset) if m >= onset else None
    s["cloudwatch-metric-data"] = metric_data([
        ("AWS/ApplicationELB", "RequestCount", "Sum", lb, lambda m: 1200 if m < onset else 1100),
        ("AWS/ApplicationELB", "RejectedConnectionCount", "Sum", lb, rejected),
        ("AWS/ApplicationELB", "HTTPCode_ELB_502_Count", "Sum", lb, lambda m: None),
        ("AWS/ApplicationELB", "HTTPCode_ELB_503_Count", "Sum", lb, lambda m: None),
        ("AWS/ApplicationELB", "HTTPCode_ELB_504_Count", "Sum", lb, lambda m: None),
        ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", lb, lambda m: None),
        ("AWS/ApplicationELB", "TargetConnectionErrorCount", "Sum", lb, lambda m: None),
        ("AWS/ApplicationELB", "TargetResponseTime", "p99", lb, lambda m: 0.18),
        ("AWS/ApplicationELB", "UnHealthyHostCount", "Maximum",
         [("LoadBalancer", f"app/web-alb/{ALB_ID}"), ("TargetGroup", "targetgroup/web-tg/73e2d6bc24d8a067")], lambda m: 0),
        ("AWS/ApplicationELB", "HealthyHostCount", "Minimum",
         [("LoadBalancer", f"app/web-alb/{ALB_ID}"), ("TargetGroup", "targetgroup/web-tg/73e2d6bc24d8a067")], lambda m: 2),
        ("AWS/CloudFront", "Requests", "Sum", cf, lambda m: 1250),
        ("AWS/CloudFront", "5xxErrorRate", "Average", cf, lambda m: round(100 * rejected(m) / 1250, 2) if m >= onset else 0),
        ("AWS/CloudFront", "504ErrorRate", "Average", cf, lambda m: None),
        ("AWS/CloudFront", "502ErrorRate", "Average", cf, lambda m: None),
        ("AWS/CloudFront", "OriginLatency", "p99", cf, lambda m: None),
    ], start=5 * 60 + 30, minutes=40)
    write("alb-capacity-rejected-connections", s, f"""
# alb-capacity-rejected-connections

Pattern E1 (capacity), seen only in CloudWatch: the configuration is the healthy baseline, and
no logs are at hand (standard CloudFront logs arrive late). From 05:49 the ALB `web-alb` rejects
a growing number of connections (`RejectedConnectionCount` 40/min, rising) while its own 5xx
counters stay empty: the connections never reach it. CloudFront's `5xxErrorRate` rises with
them. The distribution has no additional metrics (`504ErrorRate` absent).

`cloudwatch-metric-data.json` is `aws cloudwatch get-metric-data` output with the queries kept
beside the results under `MetricDataQueries`.

Correct diagnosis (metrics-only triage): paths `allowed`; finding
`alb-capacity-rejected-connections`; metrics: onset 05:49, still rising; CloudFront's 5xx with
none at the ALB (CloudFront cannot reach the ALB); a note that additional metrics are off.
""")


ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
RULE_ARN = f"arn:aws:elasticloadbalancing:{REGION}:{ACCT}:listener-rule/app/web-alb/{ALB_ID}/f2f7dc8efc522ab2"
TG_V2_ARN = f"arn:aws:elasticloadbalancing:{REGION}:{ACCT}:targetgroup/api-v2-tg/9a8b7c6d5e4f3a2b"


def forward_to(tg):
    return [{"Type": "forward", "TargetGroupArn": tg, "Order": 1,
             "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": tg, "Weight": 1}], "TargetGroupStickinessConfig": {"Enabled": False}}}]


def routed(s, rules, default_actions, request_policy=None):
    """The listener's rules and default action; the ALB behaviors' origin request policy."""
    s["elbv2-describe-listeners-web-alb"]["Listeners"][0]["DefaultActions"] = copy.deepcopy(default_actions)
    s["elbv2-describe-rules-web-alb-80"]["Rules"] = [
        {"RuleArn": f"{RULE_ARN}/{rid}", "Priority": prio, "Conditions": conds, "Actions": actions, "IsDefault": False}
        for prio, rid, conds, actions in rules
    ] + [{"RuleArn": f"{RULE_ARN}/0d1e2f3a4b5c6d7e", "Priority": "default", "Conditions": [],
          "Actions": copy.deepcopy(default_actions), "IsDefault": True}]
    if request_policy:
        cfg = dist_cfg(s)
        for b in [cfg["DefaultCacheBehavior"]] + cfg["CacheBehaviors"]["Items"]:
            if b["TargetOriginId"] == "web-alb-origin":
                b["OriginRequestPolicyId"] = request_policy


FIXED_404 = [{"Type": "fixed-response", "Order": 1, "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain", "MessageBody": "not found"}}]
FIXED_403 = [{"Type": "fixed-response", "Order": 1, "FixedResponseConfig": {"StatusCode": "403", "ContentType": "text/plain", "MessageBody": "forbidden"}}]


def host_rule(values):
    return ("10", "1a2b3c4d5e6f7a8b", [{"Field": "host-header", "Values": values, "HostHeaderConfig": {"Values": values}}], forward_to(TG_ARN))


@scenario
def alb_host_header_not_forwarded():
    s = base()
    routed(s, [host_rule(["www.example.com"])], FIXED_404, ALL_VIEWER_EXCEPT_HOST)
    write("alb-host-header-not-forwarded", s, f"""
# alb-host-header-not-forwarded

Pattern B12 (`host-header-not-forwarded`). `web-alb`'s rule 10 forwards `host-header
www.example.com` to `web-tg`; the listener's default action is a fixed 404. The ALB behaviors use
the managed origin request policy AllViewerExceptHostHeader, so CloudFront sends `Host: {ALB_DNS}`
and rule 10 never matches.

Correct diagnosis: every ALB path `blocked` at `alb-routing`, answered by the default action
(fixed-response 404), with rule 10 listed as not matching and why. Top finding:
`host-header-not-forwarded`.
""")


FIXED_503 = [{"Type": "fixed-response", "Order": 1, "FixedResponseConfig": {"StatusCode": "503", "ContentType": "text/plain", "MessageBody": "service unavailable"}}]


@scenario
def alb_host_header_not_forwarded_fixed_503():
    def failing(rnd, minute, i):
        # Every request CloudFront sends carries Host: the ALB's name: the default answers.
        return (503, "-", "-1 -1 -1", rnd.randrange(1, 3) / 1000, "-", "fixed-response")
    s = base()
    routed(s, [host_rule(["www.example.com"])], FIXED_503, ALL_VIEWER_EXCEPT_HOST)
    write("alb-host-header-not-forwarded-fixed-503", s, f"""
# alb-host-header-not-forwarded-fixed-503

Pattern B12 (`host-header-not-forwarded`), seen in ALB logs. As `alb-host-header-not-forwarded`,
but the listener's default action is a fixed **503**: `web-alb`'s rule 10 forwards `host-header
www.example.com` to `web-tg`, the ALB behaviors use AllViewerExceptHostHeader, so CloudFront
sends `Host: {ALB_DNS}`, rule 10 never matches and the default answers. `logs/alb/` (05:30–06:00)
holds every such request: `elb_status_code` 503, `target:port` and `target_status_code` `-`,
processing times `-1 -1 -1`, `actions_executed` `fixed-response`, no target group, a few ms
after the request.

Correct diagnosis: every ALB path `blocked` at `alb-routing` (default action, fixed-response
503). Triage with the logs: top finding `host-header-not-forwarded`, whose log evidence is the
ALB log class `alb-fixed-response` ("ALB logs: 600 requests answered by fixed-response 503"),
explaining every 5xx in the logs; `listener-default-fixed-response` (the symptom) agrees too and
ranks after it.
""", alb_logs=alb_log_lines(failing, seed=7))


PL6 = "pl-4fa04526"
CF_IPV6_CIDRS = """2600:9000:1000::/36 2600:9000:2000::/36 2600:9000:3000::/36 2600:9000:4000::/36 2600:9000:5000::/36
2600:9000:f000::/36 2600:9000:ddd::/48 2600:9000:fff::/48 2600:9000:eee::/48 2400:7fc0:500::/40""".split()


def dualstack_account(origin_type, admit_ipv6):
    """The base account made dualstack: IPv6 CIDRs on the VPC and ALB subnets, ::/0 to the
    internet gateway, IPv6 NACL entries, a `dualstack` ALB, both CloudFront origin-facing lists
    (IPv4 and IPv6) with their entries, and the ALB origin's `IpAddressType` set to
    `origin_type`. The ALB group admits the IPv4 list, and the IPv6 list when `admit_ipv6`."""
    s = base()
    vpc = s["ec2-describe-vpcs"]["Vpcs"][0]
    vpc["Ipv6CidrBlockAssociationSet"] = [{"AssociationId": "vpc-cidr-assoc-0ipv6000000000001", "Ipv6CidrBlock": "2600:1f18:2b3c:d400::/56",
                                           "Ipv6CidrBlockState": {"State": "associated"}, "NetworkBorderGroup": REGION, "Ipv6Pool": "Amazon"}]
    for sid, net in ((PUB_A, "2600:1f18:2b3c:d400::/64"), (PUB_B, "2600:1f18:2b3c:d401::/64")):
        sn = find(s["ec2-describe-subnets"]["Subnets"], "SubnetId", sid)
        sn["Ipv6CidrBlockAssociationSet"] = [{"AssociationId": "subnet-cidr-assoc-" + sid[-12:], "Ipv6CidrBlock": net,
                                              "Ipv6CidrBlockState": {"State": "associated"}}]
    pub = find(s["ec2-describe-route-tables"]["RouteTables"], "RouteTableId", "rtb-0public0000000001")
    pub["Routes"].insert(1, {"DestinationIpv6CidrBlock": "2600:1f18:2b3c:d400::/56", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"})
    pub["Routes"].append({"DestinationIpv6CidrBlock": "::/0", "GatewayId": IGW, "Origin": "CreateRoute", "State": "active"})
    acl = s["ec2-describe-network-acls"]["NetworkAcls"][0]
    for egress in (True, False):
        acl["Entries"] += [
            {"Ipv6CidrBlock": "::/0", "Egress": egress, "Protocol": "-1", "RuleAction": "allow", "RuleNumber": 101},
            {"Ipv6CidrBlock": "::/0", "Egress": egress, "Protocol": "-1", "RuleAction": "deny", "RuleNumber": 32768}]
    s["ec2-describe-managed-prefix-lists"]["PrefixLists"].insert(1, {
        "PrefixListId": PL6, "AddressFamily": "IPv6", "State": "create-complete", "PrefixListArn": f"arn:aws:ec2:{REGION}:aws:prefix-list/{PL6}",
        "PrefixListName": "com.amazonaws.global.ipv6.cloudfront.origin-facing", "MaxEntries": 20, "Version": 12, "Tags": [], "OwnerId": "AWS"})
    s["ec2-get-managed-prefix-list-entries-cloudfront-ipv6"] = {"PrefixListId": PL6, "Entries": [{"Cidr": c} for c in sorted(CF_IPV6_CIDRS)]}
    s["elbv2-describe-load-balancers"]["LoadBalancers"][0]["IpAddressType"] = "dualstack"
    alb_origin(s)["CustomOriginConfig"]["IpAddressType"] = origin_type
    if admit_ipv6:
        g = find(sgs(s), "GroupId", SG_CF)
        g["IpPermissions"] += [perm("tcp", 80, 80, pls=[PL6], desc="CloudFront origin-facing IPv6"),
                               perm("tcp", 443, 443, pls=[PL6], desc="CloudFront origin-facing IPv6")]
    return s


@scenario
def alb_sg_missing_cloudfront_ipv6_prefix_list():
    write("alb-sg-missing-cloudfront-ipv6-prefix-list", dualstack_account("ipv6", False), f"""
# alb-sg-missing-cloudfront-ipv6-prefix-list

Issue 16 (address family). The VPC, the ALB subnets and `web-alb` are dualstack (IPv6 CIDRs,
`::/0` to the internet gateway, IPv6 NACL entries, `IpAddressType` `dualstack`), and the
distribution's ALB origin has `IpAddressType` `ipv6`: CloudFront connects over IPv6 only. The
ALB's group `{SG_CF}` admits tcp/80 and tcp/443 from the IPv4 origin-facing list `{PL}` only; the
IPv6 list `com.amazonaws.global.ipv6.cloudfront.origin-facing` (`{PL6}`) is named nowhere.
Every connection times out: 504 `OriginCommError`.

Correct diagnosis: `cloudfront->alb` **blocked** (`ipv6-sg-no-admitting-rule`), near miss
`{SG_CF} ingress tcp/80 from {PL}` (the IPv4 list). Top finding:
`alb-sg-missing-cloudfront-ipv6-prefix-list`, whose fix adds `{PL6}`.
""")


@scenario
def alb_host_header_forwarded():
    s = base()
    routed(s, [host_rule(["www.example.com", "d111111abcdef8.cloudfront.net"])], FIXED_404, ALL_VIEWER)
    write("alb-host-header-forwarded", s, """
# alb-host-header-forwarded

The fixed version of `alb-host-header-not-forwarded`: the ALB behaviors use AllViewer, which
forwards the viewer's Host, and rule 10 matches both names viewers use (the alias
`www.example.com` and `d111111abcdef8.cloudfront.net`).

Correct diagnosis: every path `allowed` through rule 10; no critical finding.
""")


@scenario
def dualstack_origin_ipv6_blocked():
    write("dualstack-origin-ipv6-blocked", dualstack_account("dualstack", False), f"""
# dualstack-origin-ipv6-blocked

Issue 16 (address family). Same account as `alb-sg-missing-cloudfront-ipv6-prefix-list`, but the
origin's `IpAddressType` is `dualstack`: CloudFront connects over IPv4 and IPv6. IPv4 works
(`{PL}` is admitted); IPv6 does not (`{PL6}` is not), so the connections CloudFront opens over
IPv6 fail while those over IPv4 succeed: intermittent 504s.

Correct diagnosis: `cloudfront->alb` **partial** (`ipv6-sg-no-admitting-rule`). Top finding:
`alb-sg-missing-cloudfront-ipv6-prefix-list`, whose fix adds `{PL6}`.
""")


@scenario
def alb_secret_header_mismatch():
    s = base()
    alb_origin(s)["CustomHeaders"] = {"Quantity": 1, "Items": [{"HeaderName": "X-Origin-Verify", "HeaderValue": "rotated-2026-11"}]}
    values = ["initial-2026-01"]
    routed(s, [("1", "5e6f7a8b9c0d1e2f", [{"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-Origin-Verify", "Values": values}}],
                forward_to(TG_ARN))], FIXED_403)
    write("alb-secret-header-mismatch", s, """
# alb-secret-header-mismatch

Pattern B12 (secret-header gate). `web-alb` forwards only requests with `X-Origin-Verify:
initial-2026-01` (rule 1) and answers everything else with a fixed 403; the origin's custom
header was rotated to `rotated-2026-11` on CloudFront only.

Correct diagnosis: every ALB path `blocked` at `alb-routing`, answered by the default action
(fixed-response 403). Top finding: `secret-header-mismatch`.
""")


@scenario
def alb_behavior_split_unhealthy():
    s = base()
    routed(s, [("10", "2b3c4d5e6f7a8b9c", [{"Field": "path-pattern", "Values": ["/api/v2/*"], "PathPatternConfig": {"Values": ["/api/v2/*"]}}],
                forward_to(TG_V2_ARN))], forward_to(TG_ARN))
    tg = copy.deepcopy(s["elbv2-describe-target-groups"]["TargetGroups"][0])
    tg.update({"TargetGroupArn": TG_V2_ARN, "TargetGroupName": "api-v2-tg"})
    s["elbv2-describe-target-groups"]["TargetGroups"].append(tg)
    s["elbv2-describe-target-health-api-v2-tg"] = {"TargetGroupArn": TG_V2_ARN, "TargetHealthDescriptions": [
        {"Target": {"Id": I_A, "Port": 80}, "HealthCheckPort": "80", "TargetHealth": {"State": "healthy"}}]}
    s["elbv2-describe-target-group-attributes-api-v2-tg"] = dict(s["elbv2-describe-target-group-attributes-web-tg"], TargetGroupArn=TG_V2_ARN)
    set_health(s, "unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [500]")
    write("alb-behavior-split-unhealthy", s, """
# alb-behavior-split-unhealthy

`/api/*` is split by `web-alb`'s rules: rule 10 sends `/api/v2/*` to the healthy `api-v2-tg`,
the rest goes to the default action's `web-tg`, whose targets all fail health checks.

Correct diagnosis: the `/api/*` behavior has both sub-paths: `/api/v2/*` → `api-v2-tg`
`allowed`, the rest → `web-tg` `blocked` at `target`.
The default behavior `*` is not split: CloudFront sends every `/api/v2/*` request to the earlier
`/api/*` behavior, so `*` reaches only `web-tg` (rule 10 is listed as not matching, with that reason).
Findings: `all-targets-unhealthy-fail-open` (web-tg) and
`behavior-split-reaches-unhealthy-group` for `/api/*` (only the rest fails).
`check --path /api/v2/users` follows that one request: behavior `/api/*`, rule 10, `api-v2-tg`.
""")


@scenario
def dualstack_origin_healthy():
    write("dualstack-origin-healthy", dualstack_account("dualstack", True), f"""
# dualstack-origin-healthy

Issue 16 (address family), the near miss of `dualstack-origin-ipv6-blocked`: the ALB's group
`{SG_CF}` admits both origin-facing lists, `{PL}` (IPv4) and `{PL6}` (IPv6), so a `dualstack`
origin reaches `web-alb` over either family.

Correct diagnosis: every path allowed; no finding.
""")


@scenario
def target_keepalive_shorter_than_alb_idle():
    def failing(rnd, minute, i):
        # About one request in 25 lands on a connection the target is closing.
        if rnd.randrange(25) == 0:
            return (502, "-", "0.001 -1 -1", rnd.randrange(1, 40) / 1000, "-")
        return None
    write("target-keepalive-shorter-than-alb-idle", base(), """
# target-keepalive-shorter-than-alb-idle

Pattern D8. Every path is `allowed` and both targets are healthy, but the application closes
idle keep-alive connections after 5 s while `web-alb` keeps them for 60 s: a few requests in a
hundred are sent on a connection the target is closing and get an ALB 502 with
`target_status_code -`, `target_processing_time -1`, `response_processing_time -1`, a few ms
after the request (`logs/alb/`, 30 minutes).

Correct diagnosis: paths allowed; top finding `target-keepalive-shorter-than-alb-idle` (warning),
from the ALB log class `alb-target-closed-connection`.
""", alb_logs=alb_log_lines(failing))


@scenario
def target_errors_passed_through():
    def failing(rnd, minute, i):
        # The application answers 500 itself (a bug): the ALB passes it on.
        if rnd.randrange(25) == 0:
            return (500, "500", "0.001 0.042 0.000", 0.043, "-")
        return None
    write("target-errors-passed-through", base(), """
# target-errors-passed-through

Near miss of D8. Same 5xx rate as `target-keepalive-shorter-than-alb-idle`, but the targets
answered the 500s themselves (`elb_status_code` = `target_status_code` = 500, with a target
processing time): ALB log class `alb-target-generated`, an application error.

Correct diagnosis: paths allowed; no keep-alive or other network rule fires; the 500s stay
unexplained by any configuration pattern.
""", alb_logs=alb_log_lines(failing, seed=6))


CANARY_TG_ARN = f"arn:aws:elasticloadbalancing:{REGION}:{ACCT}:targetgroup/canary-tg/1a2b3c4d5e6f7a8b"


@scenario
def alb_weighted_forward_empty_group():
    s = base()
    weighted = [{"Type": "forward", "Order": 1, "ForwardConfig": {
        "TargetGroups": [{"TargetGroupArn": TG_ARN, "Weight": 80}, {"TargetGroupArn": CANARY_TG_ARN, "Weight": 20}],
        "TargetGroupStickinessConfig": {"Enabled": False}}}]
    routed(s, [], weighted)
    tg = copy.deepcopy(s["elbv2-describe-target-groups"]["TargetGroups"][0])
    tg.update({"TargetGroupArn": CANARY_TG_ARN, "TargetGroupName": "canary-tg"})
    s["elbv2-describe-target-groups"]["TargetGroups"].append(tg)
    s["elbv2-describe-target-health-canary-tg"] = {"TargetGroupArn": CANARY_TG_ARN, "TargetHealthDescriptions": []}
    s["elbv2-describe-target-group-attributes-canary-tg"] = dict(s["elbv2-describe-target-group-attributes-web-tg"], TargetGroupArn=CANARY_TG_ARN)
    write("alb-weighted-forward-empty-group", s, """
# alb-weighted-forward-empty-group

A canary release half done: `web-alb`'s default action forwards with weights, 80 to `web-tg`
(healthy) and 20 to `canary-tg`, which has no registered target yet. One request in five gets
the ALB's 503.

Correct diagnosis: for each behavior, the path to `web-tg` `allowed` and the path to
`canary-tg` `blocked` (no registered targets); findings `no-registered-targets` (canary-tg)
and `weighted-forward-to-empty-group` (20 % of the requests), both fixes naming `canary-tg`.
""")


if __name__ == "__main__":
    for fn in SCENARIOS:
        fn()
    print(f"wrote {len(SCENARIOS)} scenario generators' output under examples/")
