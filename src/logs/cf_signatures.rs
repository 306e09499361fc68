//! The CloudFront 5xx signatures, defined once as data.
//!
//! Each row is a list of predicates over a CloudFront record's status, detailed result type,
//! method and `time-taken`, tried in order; the first row whose predicates all hold names the
//! record, none ⇒ [`Signature::Other`]. [`classify`](super::classify) evaluates this table for
//! the local reader and `sql` prints the same table as `CASE WHEN … THEN 'name'` for Athena,
//! so the thresholds exist once. Durations are the distribution's timeouts
//! ([`Timeouts`]) or fixed ones, compared within the shared tolerance
//! ([`near_tolerance`](super::classify)).
//!
//! The origin-side rows encode `shared/logs.md` §3: a connect failure costs k × the connect
//! timeout (k ≤ attempts), a read timeout k × the read timeout (k ≤ attempts for GET/HEAD,
//! which CloudFront retries, else 1); when a duration fits both, the reading that spent its
//! whole budget wins (row 2), and otherwise the connect timeout (row 3 before row 4).

use super::classify::{ALB_CONNECT_TIMEOUT_SECONDS, CACHED_ERROR_MAX_SECONDS, Signature, Timeouts};

/// A duration a CloudFront predicate compares `time-taken` with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CfSeconds {
    /// The origin's `ConnectionTimeout`.
    ConnectTimeout,
    /// The origin's `OriginReadTimeout`.
    ReadTimeout,
    /// The ALB's `idle_timeout.timeout_seconds`.
    AlbIdleTimeout,
    /// A fixed number of seconds.
    Fixed(f64),
}

impl CfSeconds {
    /// The seconds under these timeouts.
    #[must_use]
    pub fn value(self, t: &Timeouts) -> f64 {
        match self {
            CfSeconds::ConnectTimeout => t.connection_timeout,
            CfSeconds::ReadTimeout => t.read_timeout,
            CfSeconds::AlbIdleTimeout => t.alb_idle_timeout,
            CfSeconds::Fixed(x) => x,
        }
    }
}

/// How many times CloudFront may have tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tries {
    /// `ConnectionAttempts` (connects are retried for every method).
    ConnectionAttempts,
    /// `ConnectionAttempts` for GET/HEAD, else 1 (only those reads are retried).
    ReadTries,
}

/// Methods CloudFront retries a read timeout for.
pub const RETRIED_METHODS: &[&str] = &["GET", "HEAD"];

impl Tries {
    /// The number of tries for this method under these timeouts (at least 1).
    #[must_use]
    pub fn count(self, method: &str, t: &Timeouts) -> u32 {
        let attempts = t.connection_attempts.max(1);
        match self {
            Tries::ConnectionAttempts => attempts,
            Tries::ReadTries if RETRIED_METHODS.contains(&method) => attempts,
            Tries::ReadTries => 1,
        }
    }
}

/// One condition on a CloudFront record.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CfPred {
    /// The detailed result type is exactly this.
    DetailedIs(&'static str),
    /// The detailed result type is not this.
    DetailedIsNot(&'static str),
    /// The detailed result type blames the origin (`Origin…` or `AbortedOrigin`).
    OriginSide,
    /// The status is at least this.
    StatusAtLeast(u16),
    /// The status is exactly this.
    StatusIs(u16),
    /// `time-taken` is below this (a missing time-taken counts as -1).
    TimeBelow(CfSeconds),
    /// `time-taken` is within the tolerance of this.
    Near(CfSeconds),
    /// `time-taken` is within the tolerance of k × this, for some k from 1 to the tries.
    NearSomeTry(CfSeconds, Tries),
    /// `time-taken` is within the tolerance of tries × this (the whole budget spent).
    NearLastTry(CfSeconds, Tries),
    /// Not all of these hold.
    NotAll(&'static [CfPred]),
}

/// One named signature.
#[derive(Debug, Clone, Copy)]
pub struct CfSignatureDef {
    /// The signature.
    pub signature: Signature,
    /// All must hold.
    pub all: &'static [CfPred],
    /// Why these values mean this (for docs and generated SQL comments).
    pub why: &'static str,
}

use CfPred as P;
use CfSeconds as S;

/// Detailed result types that blame the origin without being `Origin…`.
pub const ORIGIN_SIDE_EXTRA: &[&str] = &["AbortedOrigin"];

/// The CloudFront signatures, tried in this order; the first whose predicates all hold wins.
pub const CF_SIGNATURES: &[CfSignatureDef] = &[
    CfSignatureDef {
        signature: Signature::DnsFailure,
        all: &[P::DetailedIs("OriginDnsError")],
        why: "OriginDnsError: the origin's name did not resolve",
    },
    CfSignatureDef {
        signature: Signature::CloudfrontReadTimeout,
        all: &[
            P::OriginSide,
            P::DetailedIsNot("OriginConnectError"),
            P::NearLastTry(S::ReadTimeout, Tries::ReadTries),
            P::NotAll(&[
                P::DetailedIsNot("OriginReadError"),
                P::NearLastTry(S::ConnectTimeout, Tries::ConnectionAttempts),
            ]),
        ],
        why: "origin error after the whole read budget (read timeout × tries) that is not also the whole connect budget",
    },
    CfSignatureDef {
        signature: Signature::CloudfrontConnectTimeout,
        all: &[
            P::OriginSide,
            P::DetailedIsNot("OriginReadError"),
            P::NearSomeTry(S::ConnectTimeout, Tries::ConnectionAttempts),
        ],
        why: "origin error after k × the connect timeout (k ≤ connection attempts): CloudFront could not connect",
    },
    CfSignatureDef {
        signature: Signature::CloudfrontReadTimeout,
        all: &[
            P::OriginSide,
            P::DetailedIsNot("OriginConnectError"),
            P::NearSomeTry(S::ReadTimeout, Tries::ReadTries),
        ],
        why: "origin error after k × the read timeout (GET/HEAD are retried): the origin did not answer in time",
    },
    CfSignatureDef {
        signature: Signature::CachedError,
        all: &[
            P::DetailedIs("Error"),
            P::StatusAtLeast(500),
            P::TimeBelow(S::Fixed(CACHED_ERROR_MAX_SECONDS)),
        ],
        why: "a 5xx with detailed type Error served in milliseconds: from CloudFront's error cache",
    },
    CfSignatureDef {
        signature: Signature::AlbTargetConnectTimeout,
        all: &[
            P::DetailedIs("Error"),
            P::StatusIs(504),
            P::Near(S::Fixed(ALB_CONNECT_TIMEOUT_SECONDS)),
        ],
        why: "a 504 relayed from the origin after ≈10 s: the ALB's fixed target connect timeout",
    },
    CfSignatureDef {
        signature: Signature::AlbIdleTimeout,
        all: &[
            P::DetailedIs("Error"),
            P::StatusIs(504),
            P::Near(S::AlbIdleTimeout),
        ],
        why: "a 504 relayed from the origin after ≈ the ALB idle timeout",
    },
];

/// One CloudFront record as the predicates see it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CfFields<'a> {
    pub(crate) status: u16,
    pub(crate) detailed: &'a str,
    pub(crate) method: &'a str,
    /// Seconds; -1 when not logged.
    pub(crate) time_taken: f64,
}

/// Whether `x` is within the shared tolerance of `target`.
pub(crate) fn near(x: f64, target: f64) -> bool {
    (x - target).abs() <= super::classify::near_tolerance(target)
}

/// Whether a detailed result type blames the origin.
#[must_use]
pub fn origin_side(detailed: &str) -> bool {
    detailed.starts_with("Origin") || ORIGIN_SIDE_EXTRA.contains(&detailed)
}

fn holds(p: &CfPred, r: &CfFields<'_>, t: &Timeouts) -> bool {
    match *p {
        P::DetailedIs(v) => r.detailed == v,
        P::DetailedIsNot(v) => r.detailed != v,
        P::OriginSide => origin_side(r.detailed),
        P::StatusAtLeast(s) => r.status >= s,
        P::StatusIs(s) => r.status == s,
        P::TimeBelow(s) => r.time_taken < s.value(t),
        P::Near(s) => near(r.time_taken, s.value(t)),
        P::NearSomeTry(s, tries) => {
            (1..=tries.count(r.method, t)).any(|k| near(r.time_taken, s.value(t) * f64::from(k)))
        }
        P::NearLastTry(s, tries) => near(
            r.time_taken,
            s.value(t) * f64::from(tries.count(r.method, t)),
        ),
        P::NotAll(ps) => !ps.iter().all(|p| holds(p, r, t)),
    }
}

/// The first row of [`CF_SIGNATURES`] that holds, else [`Signature::Other`].
pub(crate) fn classify_cf(r: &CfFields<'_>, t: &Timeouts) -> Signature {
    CF_SIGNATURES
        .iter()
        .find(|d| d.all.iter().all(|p| holds(p, r, t)))
        .map_or(Signature::Other, |d| d.signature)
}
