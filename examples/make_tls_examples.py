#!/usr/bin/env python3
"""Generates the TLS / certificate scenarios under examples/ (issue 17, item 1).

Same base account as make_examples.py (imported), with an HTTPS:443 listener and the two outputs
a certificate check needs: `aws elbv2 describe-listener-certificates --listener-arn L` (plus the
`ListenerArn` key) and `aws acm describe-certificate --certificate-arn C` per certificate.
Kept apart from make_examples.py so the scenario families can grow without touching each other.
Deterministic. Certificates that must stay valid carry NotAfter 2035-06-30 so the scenarios do
not age; run with EDGEPATH_NOW=... to move the clock.

Usage: python3 examples/make_tls_examples.py   (from the repository root)
"""
import make_examples as m
from make_examples import ACCT, ALB_DNS, ALB_ID, PL, REGION, SG_CF

HTTPS_LISTENER = f"arn:aws:elasticloadbalancing:{REGION}:{ACCT}:listener/app/web-alb/{ALB_ID}/9a443c0ffee00443"
CERT_DEFAULT = f"arn:aws:acm:{REGION}:{ACCT}:certificate/5f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"
CERT_SNI = f"arn:aws:acm:{REGION}:{ACCT}:certificate/0c9d8e7f-6a5b-4c3d-9e2f-1a0b9c8d7e6f"
# AllViewer: forwards every viewer header, Host included.
ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3"
VALID_UNTIL = "2035-06-30T23:59:59+00:00"


def acm(arn, domain, sans, status="ISSUED", not_after=VALID_UNTIL, not_before="2026-06-30T00:00:00+00:00", key="RSA_2048"):
    cert = {"CertificateArn": arn, "DomainName": domain, "SubjectAlternativeNames": sans,
            "DomainValidationOptions": [{"DomainName": n, "ValidationDomain": n, "ValidationStatus": "SUCCESS" if status != "PENDING_VALIDATION" else "PENDING_VALIDATION",
                                         "ValidationMethod": "DNS"} for n in sans],
            "Serial": "0a:1b:2c:3d:4e:5f:60:71:82:93:a4:b5:c6:d7:e8:f9",
            "Subject": f"CN={domain}", "Issuer": "Amazon", "CreatedAt": "2026-06-30T00:00:00+00:00",
            "Status": status, "KeyAlgorithm": key, "SignatureAlgorithm": "SHA256WITHRSA",
            "InUseBy": [m.ALB_ARN], "Type": "AMAZON_ISSUED", "KeyUsages": [{"Name": "DIGITAL_SIGNATURE"}, {"Name": "KEY_ENCIPHERMENT"}],
            "ExtendedKeyUsages": [{"Name": "TLS_WEB_SERVER_AUTHENTICATION", "OID": "1.3.6.1.5.5.7.3.1"}],
            "RenewalEligibility": "ELIGIBLE", "Options": {"CertificateTransparencyLoggingPreference": "ENABLED"}}
    if status == "ISSUED" or status == "EXPIRED":
        cert["IssuedAt"] = not_before
        cert["NotBefore"] = not_before
        cert["NotAfter"] = not_after
    return {"Certificate": cert}


def https_base(host_forwarded=True, certs=(), ssl_protocols=("TLSv1.2",), policy="ELBSecurityPolicy-TLS13-1-2-2021-06"):
    """Origin https-only to the ALB's DNS name; with `host_forwarded` the behaviors use AllViewer,
    so CloudFront sends and verifies the viewer's host (www.example.com)."""
    s = m.base()
    cfg = m.alb_origin(s)["CustomOriginConfig"]
    cfg["OriginProtocolPolicy"] = "https-only"
    cfg["OriginSslProtocols"] = {"Quantity": len(ssl_protocols), "Items": list(ssl_protocols)}
    m.find(m.sgs(s), "GroupId", SG_CF)["IpPermissions"] = [m.perm("tcp", 443, 443, pls=[PL], desc="CloudFront origin-facing")]
    m.add_https_listener(s)
    m.find(s["elbv2-describe-listeners-web-alb"]["Listeners"], "Port", 443)["SslPolicy"] = policy
    s.pop("acm-describe-certificate-default")  # each scenario describes its own certificates
    if host_forwarded:
        dc = m.dist_cfg(s)
        for b in [dc["DefaultCacheBehavior"]] + dc["CacheBehaviors"]["Items"]:
            if b["TargetOriginId"] == "web-alb-origin":
                b["OriginRequestPolicyId"] = ALL_VIEWER
    listed = []
    for i, (arn, body) in enumerate(certs):
        listed.append({"CertificateArn": arn, "IsDefault": i == 0})
        s[f"acm-describe-certificate-{i}"] = body
    s["elbv2-describe-listener-certificates-web-alb-443"] = {"ListenerArn": HTTPS_LISTENER, "Certificates": listed}
    return s


SCENARIOS = []


def scenario(fn):
    SCENARIOS.append(fn)
    return fn


@scenario
def listener_certificate_expired():
    s = https_base(certs=[(CERT_DEFAULT, acm(CERT_DEFAULT, "www.example.com", ["www.example.com", "example.com"], status="EXPIRED",
                                             not_before="2025-09-01T00:00:00+00:00", not_after="2026-10-01T23:59:59+00:00"))])
    m.write("listener-certificate-expired", s, f"""
# listener-certificate-expired

The origin `web-alb-origin` is `https-only` to `{ALB_DNS}` and the behaviors forward `Host`
(AllViewer), so CloudFront sends `www.example.com` as SNI and verifies the ALB's certificate
against it. The listener's only certificate `{CERT_DEFAULT}` covers `www.example.com` but is
`EXPIRED` (NotAfter 2026-10-01: renewal failed after its DNS validation record was removed).
Every handshake fails: fast 502s, nothing in the ALB log.

Correct diagnosis: `cloudfront->alb` **blocked** (reason `listener-certificate-expired`, the
certificate as evidence); top finding `listener-certificate-expired`.
""")


@scenario
def listener_certificate_name_mismatch():
    s = https_base(certs=[(CERT_DEFAULT, acm(CERT_DEFAULT, "api.example.com", ["api.example.com"]))])
    m.write("listener-certificate-name-mismatch", s, f"""
# listener-certificate-name-mismatch

The behaviors forward `Host` (AllViewer), so CloudFront verifies the ALB's certificate against
the viewer's host `www.example.com`. The listener's only certificate `{CERT_DEFAULT}` covers
`api.example.com` alone: every handshake fails (502, no ALB log row). Without the forwarded
Host CloudFront would check `{ALB_DNS}`, which no certificate covers either; with a CNAME origin
(`--origin-map origin.example.com=web-alb`) the origin domain is checked instead.

Correct diagnosis: `cloudfront->alb` **blocked** (reason `listener-certificate-name-mismatch`,
the default certificate and its names as evidence); top finding
`listener-certificate-name-mismatch`.
""")


@scenario
def listener_certificate_pending_validation():
    s = https_base(certs=[(CERT_DEFAULT, acm(CERT_DEFAULT, "legacy.example.org", ["legacy.example.org"])),
                          (CERT_SNI, acm(CERT_SNI, "www.example.com", ["www.example.com"], status="PENDING_VALIDATION"))])
    m.write("listener-certificate-pending-validation", s, f"""
# listener-certificate-pending-validation

The behaviors forward `Host`, so CloudFront sends `www.example.com` as SNI. The SNI certificate
for it, `{CERT_SNI}`, is `PENDING_VALIDATION` (its DNS validation CNAME was never created), and
the default certificate covers only `legacy.example.org`.

Correct diagnosis: `cloudfront->alb` **blocked** (reason
`listener-certificate-pending-validation`); top finding `listener-certificate-pending-validation`.
""")


@scenario
def listener_certificate_sni_wildcard():
    s = https_base(certs=[(CERT_DEFAULT, acm(CERT_DEFAULT, "legacy.example.org", ["legacy.example.org"])),
                          (CERT_SNI, acm(CERT_SNI, "*.example.com", ["*.example.com", "example.com"]))])
    m.write("listener-certificate-sni-wildcard", s, f"""
# listener-certificate-sni-wildcard (near miss: silent)

The behaviors forward `Host`; CloudFront verifies `www.example.com`. The default certificate
covers only `legacy.example.org`, but the SNI certificate `{CERT_SNI}` (`*.example.com`, ISSUED,
valid until 2035-06-30) covers it, and the ALB picks it by SNI.

Correct diagnosis: every hop **allowed**; no TLS finding (the wildcard covers one label:
`www.example.com` yes, `a.www.example.com` would not be).
""")


@scenario
def origin_ssl_protocols_vs_listener_policy():
    s = https_base(certs=[(CERT_DEFAULT, acm(CERT_DEFAULT, "www.example.com", ["www.example.com"]))],
                   ssl_protocols=("TLSv1", "TLSv1.1"), policy="ELBSecurityPolicy-TLS13-1-2-2021-06")
    m.write("origin-ssl-protocols-vs-listener-policy", s, f"""
# origin-ssl-protocols-vs-listener-policy

`web-alb-origin` still allows only `TLSv1` and `TLSv1.1` to the origin (a distribution created
years ago), and the HTTPS listener was moved to `ELBSecurityPolicy-TLS13-1-2-2021-06` (TLS 1.2
and 1.3 only). The certificate is fine; there is no protocol in common, every handshake fails.

Correct diagnosis: `cloudfront->alb` **blocked** (reason
`origin-ssl-protocols-vs-listener-policy`); top finding `origin-ssl-protocols-vs-listener-policy`.
""")


if __name__ == "__main__":
    for fn in SCENARIOS:
        fn()
    print(f"wrote {len(SCENARIOS)} TLS scenarios under examples/")
