#!/usr/bin/env python3
"""Scenarios of the remaining configuration patterns (issue 17, item 3): each a firing scenario
and its near miss, built on make_examples.py's base account (same ids, same file shapes).

Usage: python3 examples/make_pattern_examples.py   (from the repository root; deterministic)
"""
import copy
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_examples import (  # noqa: E402
    ACCT, ALB_ARN, I_A, I_B, NAT, PL, PRV_B, PUB_A, PUB_B, REGION, SG_APP, SG_CF, VPC, base, find, perm, scenario, set_health,
    sgs, write, SCENARIOS, eni, sg, tags, PRV_A,
)

del SCENARIOS[:]


def tg_attrs(s):
    return s["elbv2-describe-target-group-attributes-web-tg"]["Attributes"]


def set_cross_zone(s, value):
    find(tg_attrs(s), "Key", "load_balancing.cross_zone.enabled")["Value"] = value


def health_of(s, iid):
    return find(s["elbv2-describe-target-health-web-tg"]["TargetHealthDescriptions"], "Target", {"Id": iid, "Port": 80})


@scenario
def cross_zone_off_az_without_healthy_targets():
    s = base()
    set_cross_zone(s, "false")
    health_of(s, I_B)["TargetHealth"] = {"State": "unhealthy", "Reason": "Target.FailedHealthChecks", "Description": "Health checks failed"}
    write("cross-zone-off-az-without-healthy-targets", s, f"""
# cross-zone-off-az-without-healthy-targets

Pattern G4. `web-tg` sets `load_balancing.cross_zone.enabled` to `false`. Its us-east-1b target
`{I_B}` fails health checks, so the us-east-1b node of `web-alb` has no healthy target in its
own zone, while `{I_A}` in us-east-1a is healthy. CloudFront spreads connections over both
nodes: about half of the requests fail.

Correct diagnosis: the failing zone us-east-1b is named. Top finding:
`cross-zone-off-az-without-healthy-targets`.
""")


@scenario
def cross_zone_off_every_az_healthy():
    s = base()
    set_cross_zone(s, "false")
    write("cross-zone-off-every-az-healthy", s, """
# cross-zone-off-every-az-healthy

Near miss of G4: `web-tg` turns cross-zone load balancing off, but both enabled zones
(us-east-1a, us-east-1b) have a healthy target, so every node has somewhere to send requests.

Correct diagnosis: every path allowed; the cross-zone rule stays silent.
""")


@scenario
def target_group_protocol_version_behind_cloudfront():
    s = base()
    s["elbv2-describe-target-groups"]["TargetGroups"][0]["ProtocolVersion"] = "HTTP2"
    write("target-group-protocol-version-behind-cloudfront", s, """
# target-group-protocol-version-behind-cloudfront

Pattern G3. `web-tg` was created with protocol version `HTTP2` (for internal HTTP/2 callers), and
`web-alb` is the custom origin of the distribution. CloudFront talks HTTP/1.1 to the origin,
so the ALB answers every request with 464.

Correct diagnosis: network paths allowed, but the target group's protocol version is wrong for
CloudFront. Top finding: `target-group-protocol-version-behind-cloudfront`.
""")


@scenario
def target_group_http2_off_cloudfront_path():
    s = base()
    grpc_arn = f"arn:aws:elasticloadbalancing:{REGION}:{ACCT}:targetgroup/grpc-internal/0a9b8c7d6e5f4a3b"
    tg = copy.deepcopy(s["elbv2-describe-target-groups"]["TargetGroups"][0])
    tg.update({"TargetGroupArn": grpc_arn, "TargetGroupName": "grpc-internal", "ProtocolVersion": "GRPC", "LoadBalancerArns": [],
               "Matcher": {"GrpcCode": "12"}, "HealthCheckPath": "/AWS.ALB/healthcheck"})
    s["elbv2-describe-target-groups"]["TargetGroups"].append(tg)
    s["elbv2-describe-target-health-grpc-internal"] = {"TargetGroupArn": grpc_arn, "TargetHealthDescriptions": []}
    s["elbv2-describe-target-group-attributes-grpc-internal"] = {"TargetGroupArn": grpc_arn, "Attributes": [
        {"Key": "deregistration_delay.timeout_seconds", "Value": "300"},
        {"Key": "load_balancing.cross_zone.enabled", "Value": "use_load_balancer_configuration"}]}
    write("target-group-http2-off-cloudfront-path", s, """
# target-group-http2-off-cloudfront-path

Near miss of G3: a gRPC target group `grpc-internal` exists in the account, but no listener of
the CloudFront origin `web-alb` forwards to it (it is prepared for an internal service); the
CloudFront paths reach `web-tg`, which is `HTTP1`.

Correct diagnosis: every path allowed; the protocol-version rule stays silent.
""")


def bpa(s, mode, exclusions=()):
    s["ec2-describe-vpc-block-public-access-options"]["VpcBlockPublicAccessOptions"].update(
        {"InternetGatewayBlockMode": mode, "State": "update-complete", "LastUpdateTimestamp": "2026-11-20T04:40:00.000Z"})
    s["ec2-describe-vpc-block-public-access-exclusions"]["VpcBlockPublicAccessExclusions"] = list(exclusions)


def exclusion(xid, resource, mode="allow-bidirectional"):
    kind = "vpc" if resource.startswith("vpc-") else "subnet"
    return {"ExclusionId": xid, "InternetGatewayExclusionMode": mode, "ResourceArn": f"arn:aws:ec2:{REGION}:{ACCT}:{kind}/{resource}",
            "State": "create-complete", "CreationTimestamp": "2026-11-20T04:45:00.000Z", "LastUpdateTimestamp": "2026-11-20T04:45:00.000Z",
            "Tags": []}


@scenario
def vpc_block_public_access():
    s = base()
    # An egress-only exclusion of the NAT subnet does not admit inbound traffic to the ALB.
    bpa(s, "block-bidirectional", [exclusion("vpcbpa-exclude-0a1b2c3d4e5f60001", PUB_A, "allow-egress")])
    write("vpc-block-public-access", s, f"""
# vpc-block-public-access

Pattern B6. A security team turned on VPC Block Public Access (`block-bidirectional`) for
{REGION}. The only exclusion is `allow-egress` for `{PUB_A}` (so the NAT gateway keeps working),
which does not admit inbound traffic. Security groups, NACLs and routes of `web-alb` are all
right, yet CloudFront's connections are dropped at the internet gateway: 504 after ≈ 30 s.

Correct diagnosis: `cloudfront->alb` **blocked**, with BPA and both ALB subnets as evidence.
Top finding: `vpc-block-public-access`.
""")


@scenario
def vpc_block_public_access_excluded():
    s = base()
    bpa(s, "block-ingress", [exclusion("vpcbpa-exclude-0a1b2c3d4e5f60002", VPC)])
    write("vpc-block-public-access-excluded", s, f"""
# vpc-block-public-access-excluded

Near miss of B6: VPC Block Public Access is `block-ingress` in {REGION}, but the ALB's VPC
`{VPC}` has an `allow-bidirectional` exclusion, so CloudFront still reaches `web-alb`.

Correct diagnosis: every path allowed; the BPA rule stays silent.
""")


@scenario
def guardduty_managed_endpoint():
    s = base()
    vpce, gd_sg, gd_eni = "vpce-0gd00000000000001", f"sg-0gd0000000000000e5", "eni-0gdep000000000001"
    s["ec2-describe-security-groups"]["SecurityGroups"].append(
        sg(gd_sg, f"GuardDutyManagedSecurityGroup-{VPC}", "Associated with VPC-" + VPC + " and tagged as GuardDutyManaged",
           [perm("tcp", 443, 443, cidrs=["10.0.0.0/16"])], [perm("-1", cidrs=["0.0.0.0/0"])], GuardDutyManaged="true"))
    s["ec2-describe-vpc-endpoints"] = {"VpcEndpoints": [{
        "VpcEndpointId": vpce, "VpcEndpointType": "Interface", "VpcId": VPC, "ServiceName": f"com.amazonaws.{REGION}.guardduty-data",
        "State": "available", "RouteTableIds": [], "SubnetIds": [PRV_A], "Groups": [{"GroupId": gd_sg, "GroupName": f"GuardDutyManagedSecurityGroup-{VPC}"}],
        "IpAddressType": "ipv4", "RequesterManaged": False, "NetworkInterfaceIds": [gd_eni], "DnsEntries": [], "PrivateDnsEnabled": True,
        "CreationTimestamp": "2026-09-01T09:00:00.000Z", "Tags": tags(GuardDutyManaged="true"), "OwnerId": ACCT}]}
    s["ec2-describe-network-interfaces"]["NetworkInterfaces"].append(
        eni(gd_eni, "10.0.10.77", PRV_A, "us-east-1a", [(gd_sg, f"GuardDutyManagedSecurityGroup-{VPC}")], f"VPC Endpoint Interface {vpce}",
            itype="vpc_endpoint", requester="727180483921", managed=True))
    write("guardduty-managed-endpoint", s, f"""
# guardduty-managed-endpoint

Pattern G7 (teardown). GuardDuty Runtime Monitoring with automated agent configuration created
the interface endpoint `{vpce}` (`com.amazonaws.{REGION}.guardduty-data`, tag
`GuardDutyManaged=true`) and its group `{gd_sg}` (`GuardDutyManagedSecurityGroup-{VPC}`) in
`{VPC}`. Deleting them works, and GuardDuty creates them again minutes later.

Correct answer for `edgepath blockers {vpce}` (and `{gd_sg}`): blocked, owner Amazon GuardDuty;
the step is `aws guardduty update-detector … EC2_AGENT_MANAGEMENT … DISABLED` (turn off automated
agent management), not a delete.
""")


def web_tg(s):
    return find(s["elbv2-describe-target-groups"]["TargetGroups"], "TargetGroupName", "web-tg")


@scenario
def target_tls_handshake_failure():
    s = base()
    web_tg(s).update({"Protocol": "HTTPS", "HealthCheckProtocol": "HTTP", "HealthCheckPort": "traffic-port"})
    write("target-tls-handshake-failure", s, f"""
# target-tls-handshake-failure

Pattern E2. The app on `{I_A}` and `{I_B}` serves plain HTTP on port 80. `web-tg` was created
with protocol `HTTPS` ("encrypt to the target"); when its health checks failed, its
health-check protocol was set to `HTTP` on the traffic port, and both targets turned healthy.
Every request `web-alb` forwards opens TLS to a plain-HTTP port: the handshake fails and the
ALB answers 502 (`target_status_code -`, ALB log signature `alb-target-tls-handshake-timeout`).

Correct diagnosis: every network path allowed and every target healthy, but the target group's
protocol is not what the targets serve. Top finding: `target-tls-handshake-failure`, fixed by a
new `HTTP` target group for the same targets.
""")


@scenario
def target_tls_health_check_port_separate():
    s = base()
    web_tg(s).update({"Protocol": "HTTPS", "HealthCheckProtocol": "HTTP", "HealthCheckPort": "8081"})
    find(sgs(s), "GroupId", SG_CF)["IpPermissionsEgress"] = [perm("tcp", 80, 80, sgs=[SG_APP]), perm("tcp", 8081, 8081, sgs=[SG_APP])]
    find(sgs(s), "GroupId", SG_APP)["IpPermissions"].append(perm("tcp", 8081, 8081, sgs=[SG_CF]))
    for d in s["elbv2-describe-target-health-web-tg"]["TargetHealthDescriptions"]:
        d["HealthCheckPort"] = "8081"
    write("target-tls-health-check-port-separate", s, """
# target-tls-health-check-port-separate

Near miss of E2: `web-tg` is `HTTPS` on port 80 and its health checks are plain `HTTP`, but on
the app's separate health port 8081, not on the traffic port. That the health port speaks HTTP
says nothing about port 80, which serves TLS.

Correct diagnosis: every path allowed; `target-tls-handshake-failure` stays silent.
""")


NAT_EIP = "3.210.15.7"


def alb_sg_with_vpc_cidr(s):
    g = find(sgs(s), "GroupId", SG_CF)
    g["IpPermissions"].append(perm("tcp", 80, 80, cidrs=["10.0.0.0/16"], desc="internal services"))
    return g


@scenario
def hairpin_through_locked_alb():
    s = base()
    alb_sg_with_vpc_cidr(s)
    write("hairpin-through-locked-alb", s, f"""
# hairpin-through-locked-alb

Pattern B14. `web-alb`'s group `{SG_CF}` was locked to the CloudFront origin-facing prefix list.
To keep the order service (in the private subnets of `{VPC}`) working, someone added
`10.0.0.0/16` on 80. But the order service calls the public name `app.example.com`, which
resolves to the ALB's public addresses: the calls leave through NAT gateway `{NAT}` and arrive
from its public IP {NAT_EIP}, which no rule admits. They time out; CloudFront's requests are fine.

Correct diagnosis: every CloudFront path allowed; a warning naming {NAT_EIP} and `{NAT}`. Top
finding: `hairpin-through-locked-alb` (with flow logs the REJECTs from {NAT_EIP} would confirm it;
edgepath's flow-log summary does not keep sources yet).
""")


@scenario
def hairpin_nat_eip_admitted():
    s = base()
    g = alb_sg_with_vpc_cidr(s)
    g["IpPermissions"].append(perm("tcp", 80, 80, cidrs=[f"{NAT_EIP}/32"], desc="NAT hairpin"))
    write("hairpin-nat-eip-admitted", s, f"""
# hairpin-nat-eip-admitted

Near miss of B14: like `hairpin-through-locked-alb`, but `{SG_CF}` also admits the NAT
gateway's public IP {NAT_EIP}/32 on the listener port 80, so internal callers through the public name
get in.

Correct diagnosis: every path allowed; `hairpin-through-locked-alb` stays silent.
""")


if __name__ == "__main__":
    for fn in SCENARIOS:
        fn()
    print(f"wrote {len(SCENARIOS)} pattern scenarios under examples/")
