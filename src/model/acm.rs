//! Listener certificates and their ACM descriptions, as the AWS CLI prints them.
//!
//! `aws elbv2 describe-listener-certificates --listener-arn L` lists every certificate of an
//! HTTPS listener (the default one with `IsDefault: true`, then the SNI ones); its output does not
//! name the listener, so the snapshot file carries a top-level `ListenerArn` key.
//! `aws acm describe-certificate --certificate-arn C` → `Certificate` describes one: names,
//! validity, status and key algorithm. A certificate the listener names but ACM did not
//! describe is missing data, never assumed valid.

use serde::{Deserialize, Serialize};

/// `describe-listener-certificates` → `Certificates[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListenerCertificate {
    /// ACM (or IAM) certificate ARN.
    pub certificate_arn: String,
    /// Whether this is the listener's default certificate (`None`: the output did not say,
    /// which AWS does for SNI certificates in some versions: treated as not default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_default: Option<bool>,
}

/// A timestamp as the AWS CLI prints it: ISO 8601 (`2027-01-15T23:59:59+00:00`, CLI v2) or
/// epoch seconds (`1705363199.0`, `--cli-timestamp-format none` and older CLIs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AwsTime {
    /// Epoch seconds.
    Epoch(f64),
    /// ISO 8601 text.
    Text(String),
}

impl AwsTime {
    /// Seconds since 1970-01-01T00:00:00Z, or `None` when the text is not a timestamp.
    #[must_use]
    pub fn epoch_seconds(&self) -> Option<i64> {
        match self {
            #[allow(
                clippy::cast_possible_truncation,
                reason = "timestamps fit in i64 seconds"
            )]
            AwsTime::Epoch(s) if s.is_finite() => Some(s.floor() as i64),
            AwsTime::Epoch(_) => None,
            AwsTime::Text(t) => parse_iso8601(t),
        }
    }
}

impl std::fmt::Display for AwsTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AwsTime::Text(t) => f.write_str(t),
            AwsTime::Epoch(_) => match self.epoch_seconds() {
                Some(s) => f.write_str(&format_iso8601(s)),
                None => f.write_str("?"),
            },
        }
    }
}

/// `acm describe-certificate` → `Certificate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AcmCertificate {
    /// ARN.
    pub certificate_arn: String,
    /// The primary name (also among the SANs for ACM-issued certificates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_name: Option<String>,
    /// Every name the certificate covers (`*.example.com` covers one label).
    #[serde(default)]
    pub subject_alternative_names: Vec<String>,
    /// `ISSUED`, `PENDING_VALIDATION`, `EXPIRED`, `REVOKED`, `INACTIVE`, `FAILED`,
    /// `VALIDATION_TIMED_OUT` (open: kept as text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `AMAZON_ISSUED`, `IMPORTED`, `PRIVATE`.
    #[serde(default, rename = "Type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Not valid before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<AwsTime>,
    /// Not valid after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_after: Option<AwsTime>,
    /// `RSA_2048`, `EC_prime256v1`, … (open).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_algorithm: Option<String>,
    /// ARNs of the resources using it (load balancers, distributions).
    #[serde(default)]
    pub in_use_by: Vec<String>,
}

impl AcmCertificate {
    /// The names it covers: the SANs, plus the domain name when the SAN list lacks it.
    #[must_use]
    pub fn names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .subject_alternative_names
            .iter()
            .map(String::as_str)
            .collect();
        if let Some(d) = &self.domain_name
            && !out.iter().any(|n| n.eq_ignore_ascii_case(d))
        {
            out.insert(0, d);
        }
        out
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)` (or a date alone) → epoch seconds.
#[must_use]
pub fn parse_iso8601(text: &str) -> Option<i64> {
    let t = text.trim();
    let num = |s: &str| -> Option<i64> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let (date, rest) = match t.find(['T', 't', ' ']) {
        Some(i) => (&t[..i], &t[i + 1..]),
        None => (t, ""),
    };
    let mut dp = date.split('-');
    let (y, m, d) = (num(dp.next()?)?, num(dp.next()?)?, num(dp.next()?)?);
    if dp.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut secs = days_from_civil(y, m, d) * 86_400;
    if rest.is_empty() {
        return Some(secs);
    }
    let (clock, offset) = match rest.find(['Z', 'z', '+', '-']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let clock = clock.split('.').next()?;
    let mut cp = clock.split(':');
    let (h, mi) = (num(cp.next()?)?, num(cp.next()?)?);
    let s = cp.next().map_or(Some(0), num)?;
    if h > 23 || mi > 59 || s > 60 {
        return None;
    }
    secs += h * 3600 + mi * 60 + s;
    match offset.chars().next() {
        None | Some('Z' | 'z') => Some(secs),
        Some(sign) => {
            let o = offset[1..].replace(':', "");
            if o.len() != 4 {
                return None;
            }
            let off = num(&o[..2])? * 3600 + num(&o[2..])? * 60;
            Some(if sign == '+' { secs - off } else { secs + off })
        }
    }
}

/// Epoch seconds → `YYYY-MM-DDTHH:MM:SSZ`.
#[must_use]
pub fn format_iso8601(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // civil_from_days
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_parse_in_both_cli_formats_and_round_trip() {
        assert_eq!(parse_iso8601("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_iso8601("2024-02-29T12:00:00+00:00"),
            Some(1_709_208_000)
        );
        assert_eq!(
            parse_iso8601("2024-02-29T14:00:00.123+02:00"),
            Some(1_709_208_000)
        );
        assert_eq!(parse_iso8601("2024-02-29"), Some(1_709_164_800));
        assert_eq!(parse_iso8601("not a date"), None);
        assert_eq!(parse_iso8601("2024-13-01T00:00:00Z"), None);
        assert_eq!(format_iso8601(1_709_208_000), "2024-02-29T12:00:00Z");
        let t: AwsTime = serde_json::from_str("1709208000.0").expect("epoch");
        assert_eq!(t.epoch_seconds(), Some(1_709_208_000));
        let t: AwsTime = serde_json::from_str("\"2024-02-29T12:00:00+00:00\"").expect("text");
        assert_eq!(t.epoch_seconds(), Some(1_709_208_000));
    }

    #[test]
    fn names_include_the_domain_once() {
        let c: AcmCertificate = serde_json::from_str(
            r#"{"CertificateArn":"arn:c","DomainName":"example.com","SubjectAlternativeNames":["example.com","*.example.com"]}"#,
        )
        .expect("parse");
        assert_eq!(c.names(), vec!["example.com", "*.example.com"]);
    }
}
