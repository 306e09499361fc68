//! Time-taken signatures: which component gave up, read from status, detailed result type and
//! how long the request took.
//!
//! Why the numbers: CloudFront tries `ConnectionAttempts` (default 3) connections of
//! `ConnectionTimeout` (default 10 s) each, so a dropped SYN shows as ≈10/20/30 s; a read
//! timeout shows as ≈`OriginReadTimeout` (default 30 s), or a multiple for GET/HEAD, which
//! CloudFront retries; an ALB that cannot connect to a target gives up after its fixed 10 s and
//! CloudFront relays the 504 with detailed type `Error`; an ALB idle timeout (default 60 s) does
//! the same at that duration; a cached error is served in milliseconds.

use serde::Serialize;

/// Largest tolerance around an expected duration, in seconds; smaller timeouts get 10 % of
/// their value (at least 0.25 s), so a 4 s connect and a 5 s read timeout stay apart.
pub const TOLERANCE_SECONDS: f64 = 1.5;
/// Below this a 5xx with detailed type `Error` was served from the error cache.
pub const CACHED_ERROR_MAX_SECONDS: f64 = 0.2;
/// The ALB's fixed target connect timeout.
pub const ALB_CONNECT_TIMEOUT_SECONDS: f64 = 10.0;

/// The signature names used in output and facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Signature {
    /// CloudFront could not connect to the origin (≈ k × connect timeout).
    CloudfrontConnectTimeout,
    /// CloudFront connected but the origin did not answer in time.
    CloudfrontReadTimeout,
    /// The ALB could not connect to a target (≈10 s, detailed type `Error`).
    AlbTargetConnectTimeout,
    /// The ALB's idle timeout fired (≈ idle timeout, detailed type `Error`).
    AlbIdleTimeout,
    /// Served from CloudFront's error cache.
    CachedError,
    /// ALB: a Lambda target's answer was unusable (`LambdaInvalidResponse`, …).
    AlbLambdaInvalidResponse,
    /// ALB: the Lambda target could not be invoked (`LambdaAccessDenied`, `LambdaThrottling`, …).
    AlbLambdaInvokeError,
    /// ALB: a listener rule's fixed-response action answered (no target was asked).
    AlbFixedResponse,
    /// ALB: 503, a forward action with no target to send to.
    AlbNoTargets,
    /// ALB: 502 at ≈10 s, the TLS handshake to an HTTPS target timed out.
    AlbTargetTlsHandshakeTimeout,
    /// ALB: 502, the target closed a connection with a request outstanding (keep-alive race).
    AlbTargetClosedConnection,
    /// ALB: 460, the client (CloudFront) closed first.
    AlbClientClosed,
    /// ALB: 463, X-Forwarded-For longer than 30 addresses.
    AlbXffTooLong,
    /// ALB: 464, protocol version mismatch with the target group.
    AlbProtocolVersionMismatch,
    /// ALB: the target made the 5xx and the ALB passed it on.
    AlbTargetGenerated,
    /// ALB: 5xx concentrated on a target that then left the log (a draining target).
    AlbDrainingTarget,
    /// The origin name did not resolve.
    DnsFailure,
    /// None of the above.
    Other,
}

impl Signature {
    /// Every signature.
    pub const ALL: [Signature; 18] = [
        Signature::CloudfrontConnectTimeout,
        Signature::CloudfrontReadTimeout,
        Signature::AlbTargetConnectTimeout,
        Signature::AlbIdleTimeout,
        Signature::CachedError,
        Signature::AlbLambdaInvalidResponse,
        Signature::AlbLambdaInvokeError,
        Signature::AlbFixedResponse,
        Signature::AlbNoTargets,
        Signature::AlbTargetTlsHandshakeTimeout,
        Signature::AlbTargetClosedConnection,
        Signature::AlbClientClosed,
        Signature::AlbXffTooLong,
        Signature::AlbProtocolVersionMismatch,
        Signature::AlbTargetGenerated,
        Signature::AlbDrainingTarget,
        Signature::DnsFailure,
        Signature::Other,
    ];

    /// The signature of a kebab-case name ([`Signature::as_str`]).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Signature> {
        Signature::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// The kebab-case name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Signature::CloudfrontConnectTimeout => "cloudfront-connect-timeout",
            Signature::CloudfrontReadTimeout => "cloudfront-read-timeout",
            Signature::AlbTargetConnectTimeout => "alb-target-connect-timeout",
            Signature::AlbIdleTimeout => "alb-idle-timeout",
            Signature::CachedError => "cached-error",
            Signature::AlbLambdaInvalidResponse => "alb-lambda-invalid-response",
            Signature::AlbLambdaInvokeError => "alb-lambda-invoke-error",
            Signature::AlbFixedResponse => "alb-fixed-response",
            Signature::AlbNoTargets => "alb-no-targets",
            Signature::AlbTargetTlsHandshakeTimeout => "alb-target-tls-handshake-timeout",
            Signature::AlbTargetClosedConnection => "alb-target-closed-connection",
            Signature::AlbClientClosed => "alb-client-closed",
            Signature::AlbXffTooLong => "alb-xff-too-long",
            Signature::AlbProtocolVersionMismatch => "alb-protocol-version-mismatch",
            Signature::AlbTargetGenerated => "alb-target-generated",
            Signature::AlbDrainingTarget => "alb-draining-target",
            Signature::DnsFailure => "dns-failure",
            Signature::Other => "other",
        }
    }
}

/// The timeouts a classification assumed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeouts {
    /// CloudFront `ConnectionTimeout`.
    pub connection_timeout: f64,
    /// CloudFront `ConnectionAttempts`.
    pub connection_attempts: u32,
    /// CloudFront `OriginReadTimeout`.
    pub read_timeout: f64,
    /// ALB `idle_timeout.timeout_seconds`.
    pub alb_idle_timeout: f64,
    /// `AWS defaults` or `snapshot (distribution …)`.
    pub source: String,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connection_timeout: 10.0,
            connection_attempts: 3,
            read_timeout: 30.0,
            alb_idle_timeout: 60.0,
            source: "AWS defaults".to_owned(),
        }
    }
}

/// The tolerance around an expected duration (10 % of it, between 0.25 s and
/// [`TOLERANCE_SECONDS`]); CloudFront and ALB signatures share it.
pub(crate) fn near_tolerance(target: f64) -> f64 {
    (target * 0.1).clamp(0.25, TOLERANCE_SECONDS)
}

/// Classifies one 5xx (or `000`) CloudFront record; `method` is its `cs-method` (empty when
/// not logged: then not assumed to be retried). The rules are the rows of
/// [`CF_SIGNATURES`](super::cf_signatures::CF_SIGNATURES), which the Athena SQL is generated
/// from too.
#[must_use]
pub fn classify(
    status: u16,
    detailed: &str,
    method: &str,
    time_taken: f64,
    t: &Timeouts,
) -> Signature {
    let r = super::cf_signatures::CfFields {
        status,
        detailed,
        method,
        time_taken,
    };
    super::cf_signatures::classify_cf(&r, t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_signature_from_real_shaped_values() {
        let t = Timeouts::default();
        assert_eq!(
            classify(504, "OriginCommError", "GET", 30.004, &t),
            Signature::CloudfrontConnectTimeout
        );
        assert_eq!(
            classify(504, "OriginConnectError", "POST", 10.2, &t),
            Signature::CloudfrontConnectTimeout
        );
        assert_eq!(
            classify(504, "OriginCommError", "GET", 90.1, &t),
            Signature::CloudfrontReadTimeout
        );
        assert_eq!(
            classify(504, "OriginCommError", "POST", 60.1, &t),
            Signature::Other,
            "POST is not retried"
        );
        assert_eq!(
            classify(504, "Error", "GET", 10.03, &t),
            Signature::AlbTargetConnectTimeout
        );
        assert_eq!(
            classify(504, "Error", "GET", 60.0, &t),
            Signature::AlbIdleTimeout
        );
        assert_eq!(
            classify(504, "Error", "GET", 0.001, &t),
            Signature::CachedError
        );
        assert_eq!(
            classify(502, "OriginDnsError", "GET", 0.1, &t),
            Signature::DnsFailure
        );
        assert_eq!(
            classify(502, "OriginConnectError", "GET", 0.4, &t),
            Signature::Other
        );
    }

    #[test]
    fn custom_timeouts_move_the_signatures() {
        let t = Timeouts {
            read_timeout: 5.0,
            connection_timeout: 4.0,
            ..Timeouts::default()
        };
        assert_eq!(
            classify(504, "OriginCommError", "POST", 5.1, &t),
            Signature::CloudfrontReadTimeout
        );
        assert_eq!(
            classify(504, "OriginCommError", "GET", 15.05, &t),
            Signature::CloudfrontReadTimeout
        );
        assert_eq!(
            classify(504, "OriginCommError", "GET", 8.0, &t),
            Signature::CloudfrontConnectTimeout
        );
    }

    #[test]
    fn a_post_at_the_read_timeout_is_a_read_timeout_even_when_it_equals_one_connect_timeout() {
        let t = Timeouts {
            read_timeout: 10.0,
            ..Timeouts::default()
        };
        for method in ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"] {
            assert_eq!(
                classify(504, "OriginCommError", method, 10.02, &t),
                Signature::CloudfrontReadTimeout,
                "{method}: not retried, so one read timeout is the whole budget"
            );
        }
        // GET/HEAD are retried: one read timeout is not the whole budget, 3 are; 3 × 10 s is
        // also the whole connect budget, which stays the reading (as with the defaults).
        assert_eq!(
            classify(504, "OriginCommError", "GET", 10.02, &t),
            Signature::CloudfrontConnectTimeout
        );
        assert_eq!(
            classify(504, "OriginCommError", "POST", 30.0, &t),
            Signature::CloudfrontConnectTimeout
        );
        assert_eq!(
            classify(504, "OriginReadError", "GET", 10.02, &t),
            Signature::CloudfrontReadTimeout
        );
        assert_eq!(
            classify(504, "OriginConnectError", "POST", 10.02, &t),
            Signature::CloudfrontConnectTimeout
        );
    }
}
