//! TLS from CloudFront to an ALB's HTTPS listener: which certificate answers, and whether
//! CloudFront accepts it.
//!
//! CloudFront sends a name as SNI and checks the certificate against it: the origin's domain
//! name, or, when the behavior forwards the viewer's `Host` header, the viewer's host (one of the
//! distribution's aliases)
//! (<https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-cloudfront-to-custom-origin.html>:
//! "the domain name in the certificate must match the domain name that you specify for Origin
//! Domain Name … or the domain name in the Host header if you configured CloudFront to forward
//! the Host header to your origin"). A mismatch, an expired or not-issued certificate, a key
//! type CloudFront cannot use, or no protocol in common fails the handshake: CloudFront answers
//! 502 at once and the ALB logs nothing, so every request of the path fails (`blocked`).
//!
//! The ALB picks the certificate by SNI: a listener certificate (default or SNI) whose names
//! cover the name, else the default one
//! (<https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html>).
//! Wildcards follow RFC 6125 §6.4.3: `*` stands for exactly one whole left-most label.
//! When several match, the ALB's "smart selection" decides; we take an exact name before a
//! wildcard, then the latest `NotAfter` (the renewed one) [inferred].
//!
//! Missing certificate data (`describe-listener-certificates`, `acm describe-certificate`) makes
//! the hop `unknown` naming the call. The `*.elb.amazonaws.com` case (no public certificate can
//! cover it) is decided in `cloudfront_hop` before any certificate is read.
//!
//! "Now" is the clock, or `EDGEPATH_NOW` (RFC 3339 or a date) for reproducible runs and tests.

use super::evidence::HopAcc;
use super::{Verdict, cloudfront_hop::CfInput};
use crate::model::acm::{AcmCertificate, format_iso8601, parse_iso8601};
use crate::model::elbv2::Listener;
use crate::model::{Inventory, Kind, Missing, normalize_dns_name};

/// A certificate this close to `NotAfter` is a warning (days).
pub(crate) const EXPIRING_SOON_DAYS: i64 = 14;

/// Key algorithms CloudFront can verify on an origin: RSA, and ECDSA on the curves it supports
/// (prime256v1, secp384r1: <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-ciphers-cloudfront-to-origin.html>).
const SUPPORTED_KEYS: [&str; 6] = [
    "RSA_1024",
    "RSA_2048",
    "RSA_3072",
    "RSA_4096",
    "EC_prime256v1",
    "EC_secp384r1",
];

/// The current time in epoch seconds: `EDGEPATH_NOW` when set and valid, else the clock.
pub(crate) fn now() -> i64 {
    if let Ok(v) = std::env::var("EDGEPATH_NOW")
        && let Some(t) = parse_iso8601(&v)
    {
        return t;
    }
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Whether certificate name `pattern` covers host `name` (RFC 6125 §6.4.3: a `*` is one whole
/// left-most label, never a partial label or several labels, and never the public suffix alone).
#[must_use]
pub(crate) fn name_covers(pattern: &str, name: &str) -> bool {
    let p = normalize_dns_name(pattern);
    let n = normalize_dns_name(name);
    match p.strip_prefix("*.") {
        Some(rest) => {
            rest.contains('.')
                && n.split_once('.')
                    .is_some_and(|(label, tail)| !label.is_empty() && tail == rest)
        }
        None => p == n,
    }
}

/// The TLS versions an ELB security policy offers
/// (<https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html>),
/// in CloudFront's spelling; `None` for a name not in the table.
#[must_use]
pub(crate) fn policy_protocols(policy: &str) -> Option<&'static [&'static str]> {
    const V13: &[&str] = &["TLSv1.3"];
    const V12: &[&str] = &["TLSv1.2", "TLSv1.3"];
    const V11: &[&str] = &["TLSv1.1", "TLSv1.2", "TLSv1.3"];
    const V10: &[&str] = &["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];
    const L12: &[&str] = &["TLSv1.2"];
    const L11: &[&str] = &["TLSv1.1", "TLSv1.2"];
    const L10: &[&str] = &["TLSv1", "TLSv1.1", "TLSv1.2"];
    let p = policy.strip_prefix("ELBSecurityPolicy-")?;
    // TLS 1.3 families (incl. FIPS, Res, Ext and PQ variants): TLS13-1-<min>-….
    if let Some(rest) = p.strip_prefix("TLS13-1-") {
        return match rest.as_bytes().first() {
            Some(b'3') => Some(V13),
            Some(b'2') => Some(V12),
            Some(b'1') => Some(V11),
            Some(b'0') => Some(V10),
            _ => None,
        };
    }
    match p {
        "TLS-1-2-2017-01"
        | "TLS-1-2-Ext-2018-06"
        | "FS-1-2-2019-08"
        | "FS-1-2-Res-2019-08"
        | "FS-1-2-Res-2020-10" => Some(L12),
        "TLS-1-1-2017-01" | "FS-1-1-2019-08" => Some(L11),
        "2016-08" | "2015-05" | "TLS-1-0-2015-04" | "FS-2018-06" => Some(L10),
        _ => None,
    }
}

/// The protocols CloudFront offers an origin given its `OriginSslProtocols`. The setting is the
/// minimum protocol (<https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CustomOriginConfig.html>);
/// with `TLSv1.2` allowed CloudFront also negotiates TLS 1.3 [inferred from the origin cipher
/// table, which lists TLS 1.3 ciphers].
fn offered(origin: &[String]) -> Vec<&'static str> {
    let mut out = Vec::new();
    for (name, v) in [
        ("SSLv3", "SSLv3"),
        ("TLSv1", "TLSv1"),
        ("TLSv1.1", "TLSv1.1"),
        ("TLSv1.2", "TLSv1.2"),
    ] {
        if origin.iter().any(|o| o == name) {
            out.push(v);
        }
    }
    if out.contains(&"TLSv1.2") {
        out.push("TLSv1.3");
    }
    out
}

/// One name's outcome: `Ok(what was checked)` or `Err((code, detail))`.
type NameOutcome = Result<String, (&'static str, String)>;

/// Evaluates CloudFront's TLS handshake with `listener` (HTTPS) and records it on `acc`.
pub(crate) fn origin_tls(
    inv: &Inventory,
    input: &CfInput<'_>,
    listener: &Listener,
    acc: &mut HopAcc,
) {
    acc.fact.listener_arn = listener.listener_arn.to_string();
    acc.fact.listener_ssl_policy = listener.ssl_policy.clone().unwrap_or_default();
    protocols(inv, input, listener, acc);
    let names = tls_names(inv, input, acc);
    acc.fact.tls_names = names.iter().map(|(n, _)| n.clone()).collect();
    let Some(certs) = listener_certs(inv, listener, acc) else {
        return;
    };
    let now = now();
    let mut outcomes: Vec<(bool, NameOutcome)> = Vec::new();
    for (name, via_host) in &names {
        outcomes.push((*via_host, check_name(name, &certs, now, acc)));
    }
    let ok = outcomes.iter().filter(|o| o.1.is_ok()).count();
    let verdict = if ok == 0 {
        Verdict::Blocked
    } else if input.host_forwarded.is_none() {
        // The outcome depends on whether Host is forwarded, which the data does not say.
        Verdict::Unknown
    } else {
        Verdict::Partial
    };
    for (_, o) in outcomes {
        match o {
            Ok(what) => acc.checked(what),
            Err((code, detail)) => acc.fail(verdict, code, detail),
        }
    }
}

/// The names CloudFront verifies: `(name, true when it is a viewer host via forwarded Host)`.
fn tls_names(inv: &Inventory, input: &CfInput<'_>, acc: &HopAcc) -> Vec<(String, bool)> {
    let origin = vec![(normalize_dns_name(input.origin_domain), false)];
    let viewer = || -> Vec<(String, bool)> {
        let Some(d) = inv.distributions.get(acc.fact.distribution.as_str()) else {
            return Vec::new();
        };
        let mut hosts: Vec<(String, bool)> = d
            .aliases
            .as_ref()
            .map(|a| {
                a.items
                    .iter()
                    .map(|h| (normalize_dns_name(h), true))
                    .collect()
            })
            .unwrap_or_default();
        if hosts.is_empty() {
            hosts.extend(
                d.domain_name
                    .as_deref()
                    .map(|h| (normalize_dns_name(h), true)),
            );
        }
        hosts
    };
    match input.host_forwarded {
        Some(false) => origin,
        Some(true) => {
            let v = viewer();
            if v.is_empty() { origin } else { v }
        }
        None => {
            let mut all = origin;
            for v in viewer() {
                if !all.iter().any(|a| a.0 == v.0) {
                    all.push(v);
                }
            }
            all
        }
    }
}

/// The listener's certificates (default first) with their ACM descriptions, or `None` after
/// recording what is missing.
fn listener_certs<'a>(
    inv: &'a Inventory,
    listener: &Listener,
    acc: &mut HopAcc,
) -> Option<Vec<(bool, &'a AcmCertificate)>> {
    let arn = &listener.listener_arn;
    let Some(list) = inv.listener_certificates.get(arn) else {
        let cli = format!(
            "aws elbv2 describe-listener-certificates --listener-arn {arn} (plus a top-level \"ListenerArn\" key)"
        );
        let missing = match inv.missing_for(Kind::ListenerCertificates) {
            Missing::Unavailable {
                reason, iam_action, ..
            } => Missing::Unavailable {
                reason,
                iam_action,
                cli: Some(cli),
            },
            Missing::NotLoaded { place, .. } => Missing::NotLoaded {
                place,
                cli: cli.into(),
                extra: None,
            },
        };
        acc.missing_what(format!("certificates of listener {arn}"), missing);
        return None;
    };
    let mut arns: Vec<(bool, &str)> = Vec::new();
    // describe-listeners names the default certificate too; trust it when the list does not say.
    let default_arn = list
        .iter()
        .find(|c| c.is_default == Some(true))
        .map(|c| c.certificate_arn.as_str())
        .or_else(|| {
            listener
                .certificates
                .first()
                .and_then(|c| c.certificate_arn.as_deref())
        });
    if let Some(d) = default_arn {
        arns.push((true, d));
    }
    for c in list {
        if Some(c.certificate_arn.as_str()) != default_arn {
            arns.push((false, &c.certificate_arn));
        }
    }
    if arns.is_empty() {
        acc.fail(
            Verdict::Blocked,
            "listener-certificate-name-mismatch",
            format!("HTTPS listener {arn} has no certificate"),
        );
        return None;
    }
    let mut out = Vec::new();
    let mut complete = true;
    for (is_default, c) in arns {
        match inv.acm_certificates.get(c) {
            Some(desc) => out.push((is_default, desc)),
            None => {
                complete = false;
                let cli = format!("aws acm describe-certificate --certificate-arn {c}");
                let missing = match inv.missing_for(Kind::AcmCertificates) {
                    Missing::Unavailable {
                        reason, iam_action, ..
                    } => Missing::Unavailable {
                        reason,
                        iam_action,
                        cli: Some(cli),
                    },
                    Missing::NotLoaded { place, .. } => Missing::NotLoaded {
                        place,
                        cli: cli.into(),
                        extra: None,
                    },
                };
                acc.missing_what(format!("certificate {c}"), missing);
            }
        }
    }
    complete.then_some(out)
}

/// Which certificate answers `name`, and whether CloudFront accepts it.
fn check_name(
    name: &str,
    certs: &[(bool, &AcmCertificate)],
    now: i64,
    acc: &mut HopAcc,
) -> NameOutcome {
    let covers = |c: &AcmCertificate| c.names().iter().any(|p| name_covers(p, name));
    let exact = |c: &AcmCertificate| {
        c.names()
            .iter()
            .any(|p| normalize_dns_name(p) == normalize_dns_name(name))
    };
    let chosen = certs
        .iter()
        .filter(|(_, c)| covers(c))
        .max_by_key(|(_, c)| {
            (
                exact(c),
                c.not_after.as_ref().and_then(|t| t.epoch_seconds()),
            )
        })
        .copied();
    let (cert, how) = match chosen {
        Some((true, c)) => (c, "the default certificate"),
        Some((false, c)) => (c, "the SNI certificate"),
        None => {
            let (_, default) = certs[0];
            set_cert_fields(acc, default, now);
            return Err((
                "listener-certificate-name-mismatch",
                format!(
                    "TLS: CloudFront verifies {name}, but no certificate of the listener covers it; the ALB answers with the default certificate {} ({}), so every handshake fails (502, no ALB log row)",
                    default.certificate_arn,
                    default.names().join(", ")
                ),
            ));
        }
    };
    set_cert_fields(acc, cert, now);
    let arn = &cert.certificate_arn;
    let status = cert.status.as_deref().unwrap_or("");
    let not_after = cert.not_after.as_ref().and_then(|t| t.epoch_seconds());
    match status {
        "" | "ISSUED" => {}
        "EXPIRED" => {
            return Err((
                "listener-certificate-expired",
                expired_text(name, arn, not_after, how),
            ));
        }
        "PENDING_VALIDATION" => {
            return Err((
                "listener-certificate-pending-validation",
                format!(
                    "TLS: {how} for {name} ({arn}) is PENDING_VALIDATION: ACM has not issued it, so the ALB has no valid certificate to present and every handshake fails"
                ),
            ));
        }
        other => {
            return Err((
                "listener-certificate-not-issued",
                format!(
                    "TLS: {how} for {name} ({arn}) is {other}, not ISSUED: CloudFront rejects it and every handshake fails"
                ),
            ));
        }
    }
    if let Some(t) = not_after
        && t <= now
    {
        return Err((
            "listener-certificate-expired",
            expired_text(name, arn, not_after, how),
        ));
    }
    // The API model spells them `RSA_2048`; DescribeCertificate answers (and the ACM
    // documentation's examples show) `RSA-2048`, `EC-prime256v1`: accept both.
    if let Some(key) = cert.key_algorithm.as_deref()
        && !SUPPORTED_KEYS.contains(&key.replace('-', "_").as_str())
    {
        return Err((
            "listener-certificate-key-unsupported",
            format!(
                "TLS: {how} for {name} ({arn}) has key algorithm {key}, which CloudFront does not accept from an origin (RSA, ECDSA P-256/P-384): every handshake fails"
            ),
        ));
    }
    let until = match not_after {
        None => "NotAfter unknown".to_owned(),
        Some(t) if (t - now) / 86_400 < EXPIRING_SOON_DAYS => format!(
            "valid until {} but expiring in {} days",
            format_iso8601(t),
            (t - now) / 86_400
        ),
        Some(t) => format!("valid until {}", format_iso8601(t)),
    };
    Ok(format!(
        "TLS: {how} {arn} covers {name} ({}), {until}",
        cert.names().join(", ")
    ))
}

fn expired_text(name: &str, arn: &str, not_after: Option<i64>, how: &str) -> String {
    let when = not_after.map_or_else(String::new, |t| format!(" on {}", format_iso8601(t)));
    format!(
        "TLS: {how} for {name} ({arn}) expired{when}: CloudFront rejects it and every handshake fails (502, no ALB log row)"
    )
}

/// Fills the fact's certificate fields from the answering certificate.
fn set_cert_fields(acc: &mut HopAcc, cert: &AcmCertificate, now: i64) {
    if !acc.fact.certificate_arn.is_empty() {
        return;
    }
    acc.fact.certificate_arn.clone_from(&cert.certificate_arn);
    acc.fact.certificate_status = cert.status.clone().unwrap_or_default();
    acc.fact.certificate_names = cert.names().iter().map(|s| (*s).to_owned()).collect();
    let not_after = cert.not_after.as_ref().and_then(|t| t.epoch_seconds());
    acc.fact.certificate_not_after = not_after.map(format_iso8601).unwrap_or_default();
    acc.fact.certificate_days_left = match not_after {
        Some(t) if t > now => (t - now) / 86_400,
        _ => -1,
    };
}

/// The listener policy's protocols against the origin's `OriginSslProtocols`.
fn protocols(inv: &Inventory, input: &CfInput<'_>, listener: &Listener, acc: &mut HopAcc) {
    let origin: Vec<String> = origin_ssl_protocols(inv, input, acc);
    acc.fact.origin_ssl_protocols.clone_from(&origin);
    let Some(policy) = listener.ssl_policy.as_deref() else {
        return;
    };
    let Some(listener_side) = policy_protocols(policy) else {
        acc.checked(format!(
            "TLS: security policy {policy} is not in edgepath's table of ELB policies; its protocols were not compared with the origin's"
        ));
        return;
    };
    acc.fact.listener_protocols = listener_side.iter().map(|s| (*s).to_owned()).collect();
    if origin.is_empty() {
        return;
    }
    let cf_side = offered(&origin);
    if cf_side.iter().any(|p| listener_side.contains(p)) {
        return;
    }
    acc.fail(
        Verdict::Blocked,
        "origin-ssl-protocols-vs-listener-policy",
        format!(
            "TLS: CloudFront offers {} to the origin (OriginSslProtocols {}), but {policy} on the listener accepts only {}: no protocol in common, every handshake fails (502)",
            cf_side.join(", "),
            origin.join(", "),
            listener_side.join(", ")
        ),
    );
}

/// The origin's `OriginSslProtocols` (custom origin, or the VPC origin's endpoint config).
fn origin_ssl_protocols(inv: &Inventory, input: &CfInput<'_>, acc: &HopAcc) -> Vec<String> {
    let Some(d) = inv.distributions.get(acc.fact.distribution.as_str()) else {
        return Vec::new();
    };
    let Some(o) = d.origins.items.iter().find(|o| o.id == acc.fact.origin_id) else {
        return Vec::new();
    };
    if let Some(c) = &o.custom_origin_config {
        return c
            .origin_ssl_protocols
            .as_ref()
            .map(|p| p.items.clone())
            .unwrap_or_default();
    }
    if input.vpc_origin
        && let Some(v) = &o.vpc_origin_config
        && let Some(vo) = inv.vpc_origins.get(&v.vpc_origin_id)
        && let Some(c) = &vo.vpc_origin_endpoint_config
    {
        return c
            .origin_ssl_protocols
            .as_ref()
            .map(|p| p.items.clone())
            .unwrap_or_default();
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wildcard_covers_exactly_one_label() {
        assert!(name_covers("*.example.com", "origin.example.com"));
        assert!(name_covers("*.Example.com.", "ORIGIN.example.com"));
        assert!(!name_covers("*.example.com", "a.b.example.com"));
        assert!(!name_covers("*.example.com", "example.com"));
        assert!(!name_covers("*.com", "example.com"));
        assert!(name_covers("origin.example.com", "origin.example.com."));
        assert!(!name_covers("origin.example.com", "www.example.com"));
    }

    #[test]
    fn policies_map_to_their_protocols() {
        assert_eq!(
            policy_protocols("ELBSecurityPolicy-TLS13-1-2-2021-06"),
            Some(&["TLSv1.2", "TLSv1.3"][..])
        );
        assert_eq!(
            policy_protocols("ELBSecurityPolicy-TLS13-1-3-2021-06"),
            Some(&["TLSv1.3"][..])
        );
        assert_eq!(
            policy_protocols("ELBSecurityPolicy-2016-08"),
            Some(&["TLSv1", "TLSv1.1", "TLSv1.2"][..])
        );
        assert_eq!(policy_protocols("custom"), None);
        assert_eq!(offered(&["TLSv1".to_owned()]), vec!["TLSv1"]);
        assert_eq!(offered(&["TLSv1.2".to_owned()]), vec!["TLSv1.2", "TLSv1.3"]);
    }
}
