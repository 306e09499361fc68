#!/usr/bin/env python3
"""Builds a CloudFront -> ALB -> targets account in a running moto_server, with boto3.

Used by tests/live_moto.rs (live `check` == snapshot-then-check) and scripts/bench-live.sh
(collection speed vs examples/collect.sh). Prints the ids it created as JSON on stdout.

    moto_account.py --endpoint http://127.0.0.1:5000 [--albs 6] [--sgs 20] [--tgs-per-alb 2]

Every ALB gets: two subnets in two AZs, an SG admitting tcp/80 from the CloudFront
origin-facing prefix list, a target SG admitting tcp/80 from the ALB SG (an SG reference),
target groups with two registered instances each, an HTTP:80 listener forwarding to the first
group and a path rule to the second; one CloudFront distribution per ALB with a custom origin
(http-only) to the ALB's DNS name. Extra SGs (--sgs) carry CIDR rules so there is more than one
page of everything.
"""

import argparse
import json

import boto3

REGION = "us-east-1"
CLOUDFRONT_PL = "com.amazonaws.global.cloudfront.origin-facing"


def client(name, endpoint):
    return boto3.client(
        name,
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--endpoint", required=True)
    p.add_argument("--albs", type=int, default=6)
    p.add_argument("--sgs", type=int, default=20, help="extra SGs with CIDR rules")
    p.add_argument("--tgs-per-alb", type=int, default=2)
    p.add_argument("--instances-per-tg", type=int, default=2)
    a = p.parse_args()

    ec2 = client("ec2", a.endpoint)
    elb = client("elbv2", a.endpoint)
    cf = client("cloudfront", a.endpoint)

    pl = next(
        x["PrefixListId"]
        for x in ec2.describe_managed_prefix_lists()["PrefixLists"]
        if x["PrefixListName"] == CLOUDFRONT_PL
    )
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    subnets = []
    for i, az in enumerate(["us-east-1a", "us-east-1b"]):
        s = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=az)
        sid = s["Subnet"]["SubnetId"]
        ec2.associate_route_table(RouteTableId=rt, SubnetId=sid)
        subnets.append(sid)
    nacl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    for egress in (False, True):
        ec2.create_network_acl_entry(
            NetworkAclId=nacl, RuleNumber=100, Protocol="6", RuleAction="allow",
            Egress=egress, CidrBlock="0.0.0.0/0", PortRange={"From": 0, "To": 65535},
        )
    for i in range(a.sgs):
        g = ec2.create_security_group(GroupName=f"extra-{i}", Description="extra", VpcId=vpc)
        ec2.authorize_security_group_ingress(
            GroupId=g["GroupId"],
            IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                            "IpRanges": [{"CidrIp": f"10.{i % 250}.0.0/16"}]}],
        )

    ami = ec2.describe_images()["Images"][0]["ImageId"]
    out = {"vpc": vpc, "prefix_list": pl, "albs": [], "distributions": []}
    for n in range(a.albs):
        alb_sg = ec2.create_security_group(
            GroupName=f"alb-{n}", Description="alb", VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(
            GroupId=alb_sg,
            IpPermissions=[{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80,
                            "PrefixListIds": [{"PrefixListId": pl}]}],
        )
        tgt_sg = ec2.create_security_group(
            GroupName=f"targets-{n}", Description="targets", VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(
            GroupId=tgt_sg,
            IpPermissions=[{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80,
                            "UserIdGroupPairs": [{"GroupId": alb_sg}]}],
        )
        lb = elb.create_load_balancer(
            Name=f"web-{n}", Subnets=subnets, SecurityGroups=[alb_sg],
            Scheme="internet-facing", Type="application",
        )["LoadBalancers"][0]
        tgs = []
        for t in range(a.tgs_per_alb):
            tg = elb.create_target_group(
                Name=f"tg-{n}-{t}", Protocol="HTTP", Port=80, VpcId=vpc,
                TargetType="instance", HealthCheckPort="traffic-port",
            )["TargetGroups"][0]["TargetGroupArn"]
            ids = []
            for k in range(a.instances_per_tg):
                inst = ec2.run_instances(
                    ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.micro",
                    SubnetId=subnets[k % 2], SecurityGroupIds=[tgt_sg],
                )["Instances"][0]["InstanceId"]
                ids.append(inst)
            elb.register_targets(TargetGroupArn=tg, Targets=[{"Id": i, "Port": 80} for i in ids])
            tgs.append(tg)
        listener = elb.create_listener(
            LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": tgs[0]}],
        )["Listeners"][0]["ListenerArn"]
        if len(tgs) > 1:
            elb.create_rule(
                ListenerArn=listener, Priority=10,
                Conditions=[{"Field": "path-pattern", "Values": ["/api/*"]}],
                Actions=[{"Type": "forward", "TargetGroupArn": tgs[1]}],
            )
        dist = cf.create_distribution(DistributionConfig={
            "CallerReference": f"edgepath-{n}",
            "Comment": f"web-{n}",
            "Enabled": True,
            "Origins": {"Quantity": 1, "Items": [{
                "Id": f"alb-{n}",
                "DomainName": lb["DNSName"],
                "CustomOriginConfig": {
                    "HTTPPort": 80, "HTTPSPort": 443,
                    "OriginProtocolPolicy": "http-only",
                    "OriginReadTimeout": 30, "OriginKeepaliveTimeout": 5,
                },
            }]},
            "DefaultCacheBehavior": {
                "TargetOriginId": f"alb-{n}",
                "ViewerProtocolPolicy": "redirect-to-https",
                "MinTTL": 0,
            },
        })["Distribution"]["Id"]
        out["albs"].append({"arn": lb["LoadBalancerArn"], "dns": lb["DNSName"],
                            "sg": alb_sg, "target_sg": tgt_sg, "target_groups": tgs})
        out["distributions"].append(dist)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
