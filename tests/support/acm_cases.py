#!/usr/bin/env python3
"""Turns the first four ALBs of moto_account.py's account into the four certificate cases of
issue 17 (live through moto's ACM): each gets an HTTPS:443 listener (admitted from the
CloudFront prefix list) and its distribution's origin becomes https-only.

  expired   imported certificate for the ALB's name, NotAfter 20 s after the import (moto
            refuses an already expired one; the caller waits)
  wrong-san imported certificate for other.example.com only
  pending   request_certificate for the ALB's name (PENDING_VALIDATION)
  wildcard  default certificate for other.example.com, SNI certificate *.<region>.elb.amazonaws.com

Prints {case: {"alb": name, "distribution": id, "certificate": arn}} as JSON.
Usage: acm_cases.py --endpoint URL
"""
import argparse
import datetime
import json

import boto3
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


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


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", required=True)
    a = p.parse_args()
    acm, elb, ec2, cf = (client(n, a.endpoint) for n in ("acm", "elbv2", "ec2", "cloudfront"))
    now = datetime.datetime.now(datetime.timezone.utc)
    # moto refuses to import an expired certificate: this one expires seconds after the import
    # (the caller waits for it).
    future, past = now + datetime.timedelta(days=200), now + datetime.timedelta(seconds=20)
    pl = next(x["PrefixListId"] for x in ec2.describe_managed_prefix_lists()["PrefixLists"]
              if x["PrefixListName"] == "com.amazonaws.global.cloudfront.origin-facing")

    def imported(names, not_after):
        c, k = pem(names, not_after)
        return acm.import_certificate(Certificate=c, PrivateKey=k)["CertificateArn"]

    lbs = sorted(elb.describe_load_balancers()["LoadBalancers"], key=lambda lb: lb["LoadBalancerName"])
    dists = cf.list_distributions()["DistributionList"].get("Items", [])
    out = {}
    for case, lb in zip(["expired", "wrong-san", "pending", "wildcard"], lbs):
        dns = lb["DNSName"]
        wildcard = "*." + dns.split(".", 1)[1]
        if case == "expired":
            default = cert = imported([dns], past)
        elif case == "wrong-san":
            default = cert = imported(["other.example.com"], future)
        elif case == "pending":
            default = cert = acm.request_certificate(DomainName=dns, ValidationMethod="DNS")["CertificateArn"]
        else:
            default = imported(["other.example.com"], future)
            cert = imported([wildcard], future)
        tg = elb.describe_target_groups(LoadBalancerArn=lb["LoadBalancerArn"])["TargetGroups"][0]["TargetGroupArn"]
        listener = elb.create_listener(
            LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTPS", Port=443,
            SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06", Certificates=[{"CertificateArn": default}],
            DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])["Listeners"][0]["ListenerArn"]
        if cert != default:
            elb.add_listener_certificates(ListenerArn=listener, Certificates=[{"CertificateArn": cert}])
        for sg in lb["SecurityGroups"]:
            ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
                {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "PrefixListIds": [{"PrefixListId": pl}]}])
        configs = ((d["Id"], cf.get_distribution_config(Id=d["Id"])) for d in dists)
        dist_id, got = next((i, g) for i, g in configs
                            if g["DistributionConfig"]["Origins"]["Items"][0]["DomainName"] == dns)
        cfg = got["DistributionConfig"]
        cfg["Origins"]["Items"][0]["CustomOriginConfig"]["OriginProtocolPolicy"] = "https-only"
        cf.update_distribution(Id=dist_id, IfMatch=got["ETag"], DistributionConfig=cfg)
        out[case] = {"alb": lb["LoadBalancerName"], "distribution": dist_id, "certificate": cert}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
