//! The ALB access-log signatures, defined once as data.
//!
//! Each signature is a list of predicates over the ALB's own field names (the access-log
//! documentation's names, which are also the column names of the Athena table AWS documents),
//! tried in order; the first signature whose predicates all hold names the record. Nothing else
//! in the crate decides an ALB class: [`classify_alb`] evaluates this table, and a later SQL
//! generator (Athena) can print the same table as `CASE WHEN … THEN 'name'` without a second
//! copy of the thresholds. Values are the documented ones (`shared/logs.md` §4): `error_reason`
//! is filled only for Lambda, authenticate, WAF and weighted-target-group failures, so an
//! instance or IP target's 502/504 is read from the status pair, the `-1` processing times and
//! the elapsed time (`time` − `request_creation_time`).

use super::classify::{ALB_CONNECT_TIMEOUT_SECONDS, Signature, near_tolerance};

/// An ALB access-log field a predicate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlbField {
    /// `elb_status_code`.
    ElbStatusCode,
    /// `target_status_code` (`-` when the target sent no response).
    TargetStatusCode,
    /// `target:port` (`-` when no target was chosen).
    Target,
    /// `request_processing_time` (`-1` when not dispatched).
    RequestProcessingTime,
    /// `target_processing_time` (`-1` when not dispatched or no answer before the idle timeout).
    TargetProcessingTime,
    /// `response_processing_time`.
    ResponseProcessingTime,
    /// `error_reason`.
    ErrorReason,
    /// `actions_executed` (a comma list).
    ActionsExecuted,
    /// Seconds from `request_creation_time` to `time` (computed; negative when unknown).
    Elapsed,
}

impl AlbField {
    /// The column name (the documentation's field name; `elapsed` is computed from `time` and
    /// `request_creation_time`).
    #[must_use]
    pub fn column(self) -> &'static str {
        match self {
            AlbField::ElbStatusCode => "elb_status_code",
            AlbField::TargetStatusCode => "target_status_code",
            AlbField::Target => "target:port",
            AlbField::RequestProcessingTime => "request_processing_time",
            AlbField::TargetProcessingTime => "target_processing_time",
            AlbField::ResponseProcessingTime => "response_processing_time",
            AlbField::ErrorReason => "error_reason",
            AlbField::ActionsExecuted => "actions_executed",
            AlbField::Elapsed => "elapsed",
        }
    }
}

/// A duration a predicate compares with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Seconds {
    /// A fixed number of seconds.
    Fixed(f64),
    /// The load balancer's `idle_timeout.timeout_seconds` (from the snapshot, else 60 s).
    IdleTimeout,
}

/// One condition on one field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pred {
    /// The field is exactly this text.
    Eq(AlbField, &'static str),
    /// The field is not this text.
    Ne(AlbField, &'static str),
    /// The field is one of these.
    In(AlbField, &'static [&'static str]),
    /// The comma list holds this item.
    ListHas(AlbField, &'static str),
    /// Numeric field ≥ this value.
    AtLeast(AlbField, f64),
    /// Numeric field within the shared tolerance of this duration.
    Near(AlbField, Seconds),
    /// Numeric field below this duration minus the shared tolerance (and not negative).
    Before(AlbField, Seconds),
    /// `elb_status_code` equals `target_status_code` (the target made the error).
    StatusFromTarget,
}

/// One named signature.
#[derive(Debug, Clone, Copy)]
pub struct AlbSignatureDef {
    /// The signature.
    pub signature: Signature,
    /// All must hold.
    pub all: &'static [Pred],
    /// Why these values mean this (for docs and generated SQL comments).
    pub why: &'static str,
}

/// Lambda `error_reason` values that mean the function ran and its answer was unusable
/// (D11); the documented list.
pub const LAMBDA_RESPONSE_ERRORS: &[&str] = &[
    "LambdaInvalidResponse",
    "LambdaResponseTooLarge",
    "LambdaUnhandled",
    "LambdaUnhandledException",
];

/// Lambda `error_reason` values where the function could not be invoked (permissions, VPC
/// networking, KMS, throttling, service errors); the documented list.
pub const LAMBDA_INVOKE_ERRORS: &[&str] = &[
    "LambdaAccessDenied",
    "LambdaBadRequest",
    "LambdaConnectionTimeout",
    "LambdaEC2AccessDeniedException",
    "LambdaEC2ThrottledException",
    "LambdaEC2UnexpectedException",
    "LambdaENILimitReachedException",
    "LambdaInvalidRuntimeException",
    "LambdaInvalidSecurityGroupIDException",
    "LambdaInvalidSubnetIDException",
    "LambdaInvalidZipFileException",
    "LambdaKMSAccessDeniedException",
    "LambdaKMSDisabledException",
    "LambdaKMSInvalidStateException",
    "LambdaKMSNotFoundException",
    "LambdaRequestTooLarge",
    "LambdaResourceNotFound",
    "LambdaServiceException",
    "LambdaSubnetIPAddressLimitReachedException",
    "LambdaThrottling",
];

use AlbField as F;
use Pred as P;

const CONNECT: Seconds = Seconds::Fixed(ALB_CONNECT_TIMEOUT_SECONDS);

/// The ALB signatures, tried in this order; the first whose predicates all hold wins.
pub const ALB_SIGNATURES: &[AlbSignatureDef] = &[
    AlbSignatureDef {
        signature: Signature::AlbLambdaInvalidResponse,
        all: &[P::In(F::ErrorReason, LAMBDA_RESPONSE_ERRORS)],
        why: "error_reason names a Lambda answer the ALB could not use (malformed, too large, unhandled error)",
    },
    AlbSignatureDef {
        signature: Signature::AlbLambdaInvokeError,
        all: &[P::In(F::ErrorReason, LAMBDA_INVOKE_ERRORS)],
        why: "error_reason names a failure to invoke the Lambda target (permissions, VPC, KMS, throttling)",
    },
    AlbSignatureDef {
        signature: Signature::AlbFixedResponse,
        all: &[
            P::ListHas(F::ActionsExecuted, "fixed-response"),
            P::Eq(F::Target, "-"),
            P::Eq(F::TargetStatusCode, "-"),
            P::Eq(F::RequestProcessingTime, "-1"),
            P::Eq(F::TargetProcessingTime, "-1"),
            P::Eq(F::ResponseProcessingTime, "-1"),
        ],
        why: "actions_executed fixed-response, no target and no target status, the three processing times -1 (nothing was dispatched): a listener rule (often the default action) answered with its configured status",
    },
    AlbSignatureDef {
        signature: Signature::AlbNoTargets,
        all: &[
            P::Eq(F::ElbStatusCode, "503"),
            P::Eq(F::Target, "-"),
            P::Eq(F::TargetStatusCode, "-"),
            P::ListHas(F::ActionsExecuted, "forward"),
            P::Eq(F::ErrorReason, "-"),
        ],
        why: "503 on a forward action with no target chosen: the target group has no registered targets (or none in an enabled zone)",
    },
    AlbSignatureDef {
        signature: Signature::AlbTargetConnectTimeout,
        all: &[
            P::Eq(F::ElbStatusCode, "504"),
            P::Eq(F::TargetStatusCode, "-"),
            P::Near(F::Elapsed, CONNECT),
        ],
        why: "504 without a target status after ≈10 s: the ALB's fixed target connect timeout",
    },
    AlbSignatureDef {
        signature: Signature::AlbIdleTimeout,
        all: &[
            P::Eq(F::ElbStatusCode, "504"),
            P::Eq(F::TargetProcessingTime, "-1"),
            P::Near(F::Elapsed, Seconds::IdleTimeout),
        ],
        why: "504 with target_processing_time -1 after ≈ the idle timeout: the target accepted and stayed silent",
    },
    AlbSignatureDef {
        signature: Signature::AlbTargetTlsHandshakeTimeout,
        all: &[
            P::Eq(F::ElbStatusCode, "502"),
            P::Eq(F::TargetStatusCode, "-"),
            P::Ne(F::Target, "-"),
            P::Eq(F::ErrorReason, "-"),
            P::Near(F::Elapsed, CONNECT),
        ],
        why: "502 without a target status after ≈10 s: the TLS handshake to an HTTPS target timed out (10 s)",
    },
    AlbSignatureDef {
        signature: Signature::AlbTargetClosedConnection,
        all: &[
            P::Eq(F::ElbStatusCode, "502"),
            P::Eq(F::TargetStatusCode, "-"),
            P::Ne(F::Target, "-"),
            P::Eq(F::ErrorReason, "-"),
            P::AtLeast(F::RequestProcessingTime, 0.0),
            P::Eq(F::TargetProcessingTime, "-1"),
            P::Eq(F::ResponseProcessingTime, "-1"),
            P::Before(F::Elapsed, CONNECT),
        ],
        why: "502 dispatched to a target that sent no response (target and response times -1) well before any timeout: the target closed (FIN/RST) a connection the ALB was using; on a reused keep-alive connection, the target's keep-alive is shorter than the ALB's idle timeout",
    },
    AlbSignatureDef {
        signature: Signature::AlbClientClosed,
        all: &[P::Eq(F::ElbStatusCode, "460")],
        why: "460: the client closed the connection before the idle timeout (CloudFront gave up first)",
    },
    AlbSignatureDef {
        signature: Signature::AlbXffTooLong,
        all: &[P::Eq(F::ElbStatusCode, "463")],
        why: "463: the X-Forwarded-For header had more than 30 addresses",
    },
    AlbSignatureDef {
        signature: Signature::AlbProtocolVersionMismatch,
        all: &[P::Eq(F::ElbStatusCode, "464")],
        why: "464: the request's protocol version does not match the target group's (HTTP/1.1 from CloudFront to an HTTP2/gRPC target group)",
    },
    AlbSignatureDef {
        signature: Signature::AlbTargetGenerated,
        all: &[P::StatusFromTarget],
        why: "elb_status_code equals target_status_code: the target made the error and the ALB passed it on",
    },
];

/// ALB status codes other than 5xx that the table classifies (counted beside the 5xx).
pub const ALB_CLASSIFIED_4XX: &[u16] = &[460, 463, 464];

/// `actions_executed` items whose records are classified from [`ALB_ACTION_MIN_STATUS`] up,
/// whatever the status: the listener rule answered itself, so a fixed 403/404 is the
/// configuration speaking, not a client error (`alb-fixed-response`). A `redirect` has no row:
/// a 301/302 is the answer the rule is meant to give (every HTTP→HTTPS listener sends them to
/// direct clients), and a redirect *loop* is the same record repeated, which one record's class
/// cannot tell apart; the `redirect-loop-to-https` rule reads the configuration instead.
pub const ALB_CLASSIFIED_ACTIONS: &[&str] = &["fixed-response"];

/// The lowest status an [`ALB_CLASSIFIED_ACTIONS`] record is counted at: a fixed 2xx (a
/// health or maintenance page) is an answer meant for the viewer.
pub const ALB_ACTION_MIN_STATUS: u16 = 400;

/// What a predicate reads from one record.
pub(crate) trait AlbFields {
    /// The raw field (unquoted), or empty when absent.
    fn field(&self, f: AlbField) -> &[u8];
    /// Seconds from request creation to the log time, negative when unknown.
    fn elapsed(&self) -> f64;
}

fn number(raw: &[u8]) -> Option<f64> {
    std::str::from_utf8(raw).ok()?.parse().ok()
}

fn seconds(s: Seconds, idle: f64) -> f64 {
    match s {
        Seconds::Fixed(x) => x,
        Seconds::IdleTimeout => idle,
    }
}

fn value(r: &impl AlbFields, f: AlbField) -> Option<f64> {
    if f == AlbField::Elapsed {
        let e = r.elapsed();
        (e >= 0.0).then_some(e)
    } else {
        number(r.field(f))
    }
}

/// Whether a comma list holds `item`.
fn list_has(list: &[u8], item: &str) -> bool {
    list.split(|&b| b == b',').any(|x| x == item.as_bytes())
}

fn holds(p: &Pred, r: &impl AlbFields, idle: f64) -> bool {
    match *p {
        Pred::Eq(f, v) => r.field(f) == v.as_bytes(),
        Pred::Ne(f, v) => r.field(f) != v.as_bytes(),
        Pred::In(f, vs) => vs.iter().any(|v| r.field(f) == v.as_bytes()),
        Pred::ListHas(f, v) => list_has(r.field(f), v),
        Pred::AtLeast(f, x) => value(r, f).is_some_and(|v| v >= x),
        Pred::Near(f, s) => {
            let target = seconds(s, idle);
            value(r, f).is_some_and(|v| (v - target).abs() <= near_tolerance(target))
        }
        Pred::Before(f, s) => {
            let target = seconds(s, idle);
            value(r, f).is_some_and(|v| v < target - near_tolerance(target))
        }
        Pred::StatusFromTarget => {
            r.field(AlbField::TargetStatusCode) == r.field(AlbField::ElbStatusCode)
        }
    }
}

/// Classifies one ALB record (any status) by the first matching row of [`ALB_SIGNATURES`].
pub(crate) fn classify_record(r: &impl AlbFields, alb_idle_timeout: f64) -> Signature {
    ALB_SIGNATURES
        .iter()
        .find(|d| d.all.iter().all(|p| holds(p, r, alb_idle_timeout)))
        .map_or(Signature::Other, |d| d.signature)
}

/// Whether an ALB record of this status is classified and counted, whatever its actions.
#[must_use]
pub fn alb_status_classified(status: u16) -> bool {
    status >= 500 || ALB_CLASSIFIED_4XX.contains(&status)
}

/// Whether an ALB record is classified and counted: a status [`alb_status_classified`] names,
/// or one from [`ALB_ACTION_MIN_STATUS`] up answered by an [`ALB_CLASSIFIED_ACTIONS`] action.
pub(crate) fn alb_record_classified(r: &impl AlbFields, status: u16) -> bool {
    alb_status_classified(status)
        || (status >= ALB_ACTION_MIN_STATUS
            && ALB_CLASSIFIED_ACTIONS
                .iter()
                .any(|a| list_has(r.field(AlbField::ActionsExecuted), a)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record given as the fields a predicate reads.
    #[derive(Default)]
    struct Rec {
        elb: &'static str,
        target_status: &'static str,
        target: &'static str,
        times: [&'static str; 3],
        error_reason: &'static str,
        actions: &'static str,
        elapsed: f64,
    }

    impl AlbFields for Rec {
        fn field(&self, f: AlbField) -> &[u8] {
            match f {
                AlbField::ElbStatusCode => self.elb.as_bytes(),
                AlbField::TargetStatusCode => self.target_status.as_bytes(),
                AlbField::Target => self.target.as_bytes(),
                AlbField::RequestProcessingTime => self.times[0].as_bytes(),
                AlbField::TargetProcessingTime => self.times[1].as_bytes(),
                AlbField::ResponseProcessingTime => self.times[2].as_bytes(),
                AlbField::ErrorReason => self.error_reason.as_bytes(),
                AlbField::ActionsExecuted => self.actions.as_bytes(),
                AlbField::Elapsed => b"",
            }
        }
        fn elapsed(&self) -> f64 {
            self.elapsed
        }
    }

    fn rec(elb: &'static str, target_status: &'static str, elapsed: f64) -> Rec {
        Rec {
            elb,
            target_status,
            target: "10.0.1.5:80",
            times: ["-1", "-1", "-1"],
            error_reason: "-",
            actions: "forward",
            elapsed,
        }
    }

    #[test]
    fn alb_504s_by_target_status_and_elapsed_time() {
        let idle = 60.0;
        let c = |r: &Rec| classify_record(r, idle);
        assert_eq!(
            c(&rec("504", "-", 10.003)),
            Signature::AlbTargetConnectTimeout
        );
        assert_eq!(c(&rec("504", "-", 60.2)), Signature::AlbIdleTimeout);
        assert_eq!(
            c(&rec("504", "504", 10.0)),
            Signature::AlbTargetGenerated,
            "a target answered"
        );
        assert_eq!(
            c(&rec("504", "-", -1.0)),
            Signature::Other,
            "elapsed unknown"
        );
        assert_eq!(c(&rec("504", "-", 30.0)), Signature::Other);
    }

    #[test]
    fn each_502_class_from_its_documented_fields() {
        let idle = 60.0;
        let c = |r: &Rec| classify_record(r, idle);
        assert_eq!(
            c(&rec("502", "-", 10.0)),
            Signature::AlbTargetTlsHandshakeTimeout
        );
        let closed = Rec {
            times: ["0.001", "-1", "-1"],
            ..rec("502", "-", 0.004)
        };
        assert_eq!(c(&closed), Signature::AlbTargetClosedConnection);
        // Not dispatched (request time -1): not a target closing on the ALB.
        assert_eq!(c(&rec("502", "-", 0.004)), Signature::Other);
        for reason in LAMBDA_RESPONSE_ERRORS {
            let r = Rec {
                target: "-",
                error_reason: reason,
                ..rec("502", "-", 0.5)
            };
            assert_eq!(c(&r), Signature::AlbLambdaInvalidResponse, "{reason}");
        }
        for reason in LAMBDA_INVOKE_ERRORS {
            let r = Rec {
                target: "-",
                error_reason: reason,
                ..rec("502", "-", 0.5)
            };
            assert_eq!(c(&r), Signature::AlbLambdaInvokeError, "{reason}");
        }
        // An authenticate failure is documented in error_reason too, and is none of these.
        let auth = Rec {
            error_reason: "AuthInvalidIdToken",
            ..rec("502", "-", 0.004)
        };
        assert_eq!(c(&auth), Signature::Other);
    }

    #[test]
    fn the_503_needs_a_forward_action_with_no_target() {
        let c = |r: &Rec| classify_record(r, 60.0);
        let none = Rec {
            target: "-",
            ..rec("503", "-", 0.0)
        };
        assert_eq!(c(&none), Signature::AlbNoTargets);
        let fixed = Rec {
            actions: "fixed-response",
            ..none
        };
        assert_eq!(
            c(&fixed),
            Signature::AlbFixedResponse,
            "a fixed-response 503 is configured, not a group without targets"
        );
        let waf_then_forward = Rec {
            target: "-",
            actions: "waf,forward",
            ..rec("503", "-", 0.0)
        };
        assert_eq!(c(&waf_then_forward), Signature::AlbNoTargets);
    }

    #[test]
    fn the_4xx_the_alb_makes() {
        let c = |r: &Rec| classify_record(r, 60.0);
        assert_eq!(c(&rec("460", "-", 12.0)), Signature::AlbClientClosed);
        assert_eq!(c(&rec("463", "-", 0.0)), Signature::AlbXffTooLong);
        assert_eq!(
            c(&rec("464", "-", 0.0)),
            Signature::AlbProtocolVersionMismatch
        );
        for s in [460, 463, 464, 500, 502, 599] {
            assert!(alb_status_classified(s), "{s}");
        }
        for s in [200, 404, 408, 499] {
            assert!(!alb_status_classified(s), "{s}");
        }
    }

    /// The fields of a real fixed-response line (target `-`, `-1 -1 -1`, target status `-`,
    /// `"fixed-response"`), at the statuses a listener rule answers with.
    fn fixed(elb: &'static str) -> Rec {
        Rec {
            target: "-",
            actions: "fixed-response",
            ..rec(elb, "-", 0.001)
        }
    }

    #[test]
    fn a_fixed_response_is_the_rule_answering_at_any_error_status() {
        let c = |r: &Rec| classify_record(r, 60.0);
        for elb in ["403", "404", "503", "500"] {
            let r = fixed(elb);
            assert_eq!(c(&r), Signature::AlbFixedResponse, "{elb}");
            let status: u16 = elb.parse().unwrap();
            assert!(alb_record_classified(&r, status), "{elb} is counted");
        }
        // After WAF or authenticate actions the rule still answered.
        let waf = Rec {
            actions: "waf,fixed-response",
            ..fixed("403")
        };
        assert_eq!(c(&waf), Signature::AlbFixedResponse);
        // A fixed 200 (a health or maintenance page) is an answer, not counted.
        assert!(!alb_record_classified(&fixed("200"), 200));
        // A 404 the target made is not the ALB's and stays uncounted.
        let target_404 = Rec {
            times: ["0.001", "0.004", "0.000"],
            ..rec("404", "404", 0.005)
        };
        assert!(!alb_record_classified(&target_404, 404));
        // Dispatched somewhere (a processing time set): not a fixed answer.
        let dispatched = Rec {
            times: ["0.001", "-1", "-1"],
            ..fixed("503")
        };
        assert_eq!(c(&dispatched), Signature::Other);
        // A redirect is no class: a 3xx is the rule's intended answer.
        let redirect = Rec {
            actions: "redirect",
            ..fixed("301")
        };
        assert!(!alb_record_classified(&redirect, 301));
    }

    #[test]
    fn every_signature_row_names_fields_and_a_reason() {
        let mut seen = std::collections::BTreeSet::new();
        for d in ALB_SIGNATURES {
            assert!(!d.all.is_empty() && !d.why.is_empty(), "{:?}", d.signature);
            assert!(seen.insert(d.signature), "{:?} twice", d.signature);
            assert!(d.signature.as_str().starts_with("alb-"));
        }
    }
}
