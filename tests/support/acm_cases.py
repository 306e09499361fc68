#!/usr/bin/env python3
"""Turns the first five ALBs of moto_account.py's account into the certificate cases of issue 17
(live through moto's ACM). Each ALB web-N gets an HTTPS:443 listener (admitted from the
CloudFront prefix list); its distribution's origin becomes app-N.example.com (https-only; the
test maps the name to web-N with --origin-map), with alias www-N.example.org and two behaviors:

  *        origin request policy no-host (custom): CloudFront verifies app-N.example.com
  /host/*  origin request policy forward-host (custom): CloudFront verifies www-N.example.org

The custom policies are recorded responses (stubs/acm-policies/, served by deny_proxy.py:
moto has no policy API); both behaviors use the managed CachingDisabled cache policy.

  expired           imported, covers both names; NotAfter a few seconds after the import (moto
                    refuses an expired import): this script waits until it has passed
  wrong-san-origin  imported, covers only www-1.example.org (right only when Host is forwarded)
  wrong-san-host    imported, covers only app-2.example.com (right only when it is not)
  pending           request_certificate for both names: PENDING_VALIDATION. Requested last,
                    after the wait, since moto issues it 60 s after the request
                    (MOTO_ACM_VALIDATION_WAIT)
  wildcard          default certificate for other.example.net, SNI certificate *.example.com;
                    the alias is www-4.example.com, so the wildcard covers both names

Prints {case: {"alb", "distribution", "certificate", "origin"}} as JSON ("certificate": the one
CloudFront is answered with).
Usage: acm_cases.py --endpoint URL
"""
import argparse
import datetime
import json
import time

import boto3
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
# The ids of stubs/acm-policies/origin-request-policies.xml.
FORWARD_HOST = "a11ce000-host-4b6e-8f2a-custom000001"
NO_HOST = "b0b00000-nohost-4e1d-9a1b-custom000002"
EXPIRES_AFTER = datetime.timedelta(seconds=8)
CASES = ["expired", "wrong-san-origin", "wrong-san-host", "pending", "wildcard"]


def client(name, endpoint):
    return boto3.client(name, endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test")


def pem(names, not_after):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(min(now, not_after) - datetime.timedelta(days=90))
            .not_valid_after(not_after)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
            .sign(key, hashes.SHA256()))
    return (cert.public_bytes(serialization.Encoding.PEM),
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                              serialization.NoEncryption()))


def behavior(origin_id, request_policy, pattern=None):
    b = {
        "TargetOriginId": origin_id,
        "ViewerProtocolPolicy": "https-only",
        "CachePolicyId": CACHING_DISABLED,
        "OriginRequestPolicyId": request_policy,
        "AllowedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"]},
    }
    if pattern:
        b["PathPattern"] = pattern
    return b


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", required=True)
    a = p.parse_args()
    acm, elb, ec2, cf = (client(n, a.endpoint) for n in ("acm", "elbv2", "ec2", "cloudfront"))
    future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=200)
    pl = next(x["PrefixListId"] for x in ec2.describe_managed_prefix_lists()["PrefixLists"]
              if x["PrefixListName"] == "com.amazonaws.global.cloudfront.origin-facing")

    def imported(names, not_after):
        c, k = pem(names, not_after)
        return acm.import_certificate(Certificate=c, PrivateKey=k)["CertificateArn"]

    # First, so that its wait overlaps the rest of the set-up.
    expires = datetime.datetime.now(datetime.timezone.utc) + EXPIRES_AFTER
    expired = imported(["app-0.example.com", "www-0.example.org"], expires)

    lbs = sorted(elb.describe_load_balancers()["LoadBalancers"], key=lambda lb: lb["LoadBalancerName"])
    dists = cf.list_distributions()["DistributionList"].get("Items", [])
    configs = {d["Id"]: cf.get_distribution_config(Id=d["Id"]) for d in dists}

    def https_listener(lb, default, sni=None):
        tg = elb.describe_target_groups(LoadBalancerArn=lb["LoadBalancerArn"])["TargetGroups"][0]["TargetGroupArn"]
        listener = elb.create_listener(
            LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTPS", Port=443,
            SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06", Certificates=[{"CertificateArn": default}],
            DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])["Listeners"][0]["ListenerArn"]
        if sni:
            elb.add_listener_certificates(ListenerArn=listener, Certificates=[{"CertificateArn": sni}])

    out = {}
    for n, (case, lb) in enumerate(zip(CASES, lbs)):
        origin, alias = f"app-{n}.example.com", f"www-{n}.example.org"
        default = sni = None
        if case == "expired":
            default = expired
        elif case == "wrong-san-origin":
            default = imported([alias], future)
        elif case == "wrong-san-host":
            default = imported([origin], future)
        elif case == "wildcard":
            alias = f"www-{n}.example.com"
            default = imported(["other.example.net"], future)
            sni = imported(["*.example.com"], future)
        if default:  # the pending one's listener comes after the wait
            https_listener(lb, default, sni)
        for sg in lb["SecurityGroups"]:
            ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
                {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "PrefixListIds": [{"PrefixListId": pl}]}])
        dist_id, got = next((i, g) for i, g in configs.items()
                            if g["DistributionConfig"]["Origins"]["Items"][0]["DomainName"] == lb["DNSName"])
        cfg = got["DistributionConfig"]
        o = cfg["Origins"]["Items"][0]
        o["DomainName"] = origin
        o["CustomOriginConfig"]["OriginProtocolPolicy"] = "https-only"
        o["CustomOriginConfig"]["OriginSslProtocols"] = {"Quantity": 1, "Items": ["TLSv1.2"]}
        cfg["Aliases"] = {"Quantity": 1, "Items": [alias]}
        cfg["DefaultCacheBehavior"] = behavior(o["Id"], NO_HOST)
        cfg["CacheBehaviors"] = {"Quantity": 1, "Items": [behavior(o["Id"], FORWARD_HOST, "/host/*")]}
        cf.update_distribution(Id=dist_id, IfMatch=got["ETag"], DistributionConfig=cfg)
        out[case] = {"alb": lb["LoadBalancerName"], "distribution": dist_id,
                     "certificate": sni or default, "origin": origin, "alias": alias}

    # moto issues a requested certificate 60 s after the request: request it only now, after the
    # wait for the expired one, so that it is still pending when the test reads it.
    time.sleep(max(0.0, (expires - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) + 1)
    pending = acm.request_certificate(
        DomainName="app-3.example.com", SubjectAlternativeNames=["app-3.example.com", "www-3.example.org"],
        ValidationMethod="DNS")["CertificateArn"]
    https_listener(lbs[CASES.index("pending")], pending)
    out["pending"]["certificate"] = pending
    print(json.dumps(out))


if __name__ == "__main__":
    main()
