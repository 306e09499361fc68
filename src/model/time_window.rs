//! The time window a timeline covers: which CloudTrail events and CloudWatch datapoints to read.
//!
//! A window is two UTC instants, `from` inclusive and `to` exclusive. The user gives it as
//! `--since 6h` (a span ending now) or `--from`/`--to` (RFC 3339, any offset, stored as UTC);
//! without either, [`TimeWindow::resolve`] applies the default: 6 h before the log onset when logs
//! gave one (the change that broke the path came before the first errors, usually minutes before),
//! else the last 24 h. "Now" is a parameter, never read here: a live run passes the clock, an
//! offline run may pass the snapshot's time, and tests pass a constant.
//!
//! CloudTrail's `LookupEvents` keeps 90 days of management events; a longer window is not an
//! error here (the collector clamps it and says so).

use std::fmt;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::{Serialize, Serializer};

/// Look-back before the log onset when no window is given.
pub const BEFORE_ONSET: Duration = Duration::hours(6);
/// Look-back before now when no window is given and no onset is known.
pub const WITHOUT_ONSET: Duration = Duration::hours(24);

/// A UTC time span `[from, to)`. Always `from < to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeWindow {
    /// First instant inside the window.
    pub from: DateTime<Utc>,
    /// First instant after the window.
    pub to: DateTime<Utc>,
}

/// How the window was asked for on the command line; every field empty means "the default".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WindowArgs {
    /// `--since 6h`: a span ending now.
    pub since: Option<String>,
    /// `--from 2026-11-20T05:00:00Z`.
    pub from: Option<String>,
    /// `--to 2026-11-20T07:00:00Z`; without `--from`, the window is the 24 h before it.
    pub to: Option<String>,
}

/// A window argument that cannot be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeWindowError {
    /// `--since` is not a number followed by `s`, `m`, `h`, `d` or `w` (parts may repeat: `1h30m`).
    #[error("--since `{value}`: expected a span such as 90m, 6h, 2d or 1h30m")]
    BadSpan {
        /// The text given.
        value: String,
    },
    /// `--from`/`--to` is not an RFC 3339 timestamp.
    #[error(
        "--{flag} `{value}`: expected an RFC 3339 time such as 2026-11-20T05:48:00Z ({reason})"
    )]
    BadInstant {
        /// `from` or `to`.
        flag: &'static str,
        /// The text given.
        value: String,
        /// The parser's complaint.
        reason: String,
    },
    /// The window is empty or reversed.
    #[error("the window is empty: --from {from} is not before --to {to}")]
    Empty {
        /// The start, RFC 3339.
        from: String,
        /// The end, RFC 3339.
        to: String,
    },
    /// `--since` and `--from`/`--to` were both given.
    #[error("give either --since or --from/--to, not both")]
    Conflict,
}

impl TimeWindow {
    /// `[from, to)`, or an error when `from` is not before `to`.
    pub fn between(from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Self, TimeWindowError> {
        if from < to {
            Ok(TimeWindow { from, to })
        } else {
            Err(TimeWindowError::Empty {
                from: rfc3339(from),
                to: rfc3339(to),
            })
        }
    }

    /// The `span` ending at `now`.
    pub fn since(span: Duration, now: DateTime<Utc>) -> Self {
        TimeWindow {
            from: now - span,
            to: now,
        }
    }

    /// The default window: from 6 h before the log onset when there is one (else 24 h before
    /// `now`) up to `now`, so changes after the onset (a revert) are seen too. An onset after
    /// `now` (clock skew, a snapshot's "now") still gets its 6 h and ends a minute after the onset.
    pub fn default_for(onset: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Self {
        match onset {
            Some(onset) => TimeWindow {
                from: onset - BEFORE_ONSET,
                to: now.max(onset + Duration::minutes(1)),
            },
            None => Self::since(WITHOUT_ONSET, now),
        }
    }

    /// The window the arguments ask for, or the default for `onset` when they ask for none.
    pub fn resolve(
        args: &WindowArgs,
        onset: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Self, TimeWindowError> {
        let parse =
            |flag, v: &Option<String>| v.as_deref().map(|v| parse_instant(flag, v)).transpose();
        let (from, to) = (parse("from", &args.from)?, parse("to", &args.to)?);
        match (&args.since, from, to) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => Err(TimeWindowError::Conflict),
            (Some(span), None, None) => Ok(Self::since(parse_span(span)?, now)),
            (None, Some(from), to) => Self::between(from, to.unwrap_or(now)),
            (None, None, Some(to)) => Self::between(to - WITHOUT_ONSET, to),
            (None, None, None) => Ok(Self::default_for(onset, now)),
        }
    }

    /// Whether `t` lies in `[from, to)`.
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.from <= t && t < self.to
    }

    /// The length of the window.
    pub fn span(&self) -> Duration {
        self.to - self.from
    }
}

impl fmt::Display for TimeWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} .. {}", rfc3339(self.from), rfc3339(self.to))
    }
}

/// JSON: `{"from": "2026-11-20T05:00:00Z", "to": "…"}`.
impl Serialize for TimeWindow {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("TimeWindow", 2)?;
        st.serialize_field("from", &rfc3339(self.from))?;
        st.serialize_field("to", &rfc3339(self.to))?;
        st.end()
    }
}

/// `2026-11-20T05:48:31Z` (fractions only when present).
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// An RFC 3339 instant (`2026-11-20T05:48:31Z`, `…+01:00`, fractional seconds allowed) as UTC.
/// `flag` names the argument in the error.
pub fn parse_instant(flag: &'static str, value: &str) -> Result<DateTime<Utc>, TimeWindowError> {
    DateTime::parse_from_rfc3339(value.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| TimeWindowError::BadInstant {
            flag,
            value: value.to_string(),
            reason: e.to_string(),
        })
}

/// A span such as `90m`, `6h`, `2d`, `1w` or `1h30m` (units `s m h d w`); zero is refused.
pub fn parse_span(value: &str) -> Result<Duration, TimeWindowError> {
    let bad = || TimeWindowError::BadSpan {
        value: value.to_string(),
    };
    let mut total = Duration::zero();
    let mut digits = String::new();
    for c in value.trim().chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let n: i64 = digits.parse().map_err(|_| bad())?;
        digits.clear();
        let part = match c.to_ascii_lowercase() {
            's' => Duration::try_seconds(n),
            'm' => Duration::try_minutes(n),
            'h' => Duration::try_hours(n),
            'd' => Duration::try_days(n),
            'w' => Duration::try_weeks(n),
            _ => None,
        };
        total = part.and_then(|p| total.checked_add(&p)).ok_or_else(bad)?;
    }
    // A trailing number without a unit ("6"), or nothing at all, is ambiguous.
    if !digits.is_empty() || total <= Duration::zero() {
        return Err(bad());
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        parse_instant("from", s).unwrap()
    }

    fn args(since: Option<&str>, from: Option<&str>, to: Option<&str>) -> WindowArgs {
        WindowArgs {
            since: since.map(str::to_string),
            from: from.map(str::to_string),
            to: to.map(str::to_string),
        }
    }

    const NOW: &str = "2026-11-20T08:00:00Z";

    #[test]
    fn spans_parse_in_every_unit_and_in_combination() {
        assert_eq!(parse_span("6h").unwrap(), Duration::hours(6));
        assert_eq!(parse_span("90m").unwrap(), Duration::minutes(90));
        assert_eq!(parse_span("2d").unwrap(), Duration::days(2));
        assert_eq!(parse_span("1w").unwrap(), Duration::weeks(1));
        assert_eq!(parse_span("45s").unwrap(), Duration::seconds(45));
        assert_eq!(parse_span("1h30m").unwrap(), Duration::minutes(90));
        assert_eq!(parse_span(" 6H ").unwrap(), Duration::hours(6));
    }

    #[test]
    fn spans_without_unit_or_zero_or_garbage_are_refused() {
        for bad in [
            "",
            "6",
            "h",
            "0h",
            "6x",
            "-6h",
            "6h30",
            "1.5h",
            "99999999999999999999d",
        ] {
            assert!(
                matches!(parse_span(bad), Err(TimeWindowError::BadSpan { .. })),
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn instants_with_offsets_and_fractions_become_utc() {
        assert_eq!(t("2026-11-20T06:48:31+01:00"), t("2026-11-20T05:48:31Z"));
        assert_eq!(
            rfc3339(t("2026-11-20T05:48:31.250Z")),
            "2026-11-20T05:48:31.250Z"
        );
        assert_eq!(rfc3339(t("2026-11-20T05:48:31Z")), "2026-11-20T05:48:31Z");
        let err = parse_instant("to", "yesterday").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("--to `yesterday`: expected an RFC 3339")
        );
    }

    #[test]
    fn since_is_a_span_ending_now() {
        let w = TimeWindow::resolve(&args(Some("6h"), None, None), None, t(NOW)).unwrap();
        assert_eq!(w.from, t("2026-11-20T02:00:00Z"));
        assert_eq!(w.to, t(NOW));
        assert_eq!(w.span(), Duration::hours(6));
    }

    #[test]
    fn from_and_to_give_the_window_and_from_alone_ends_now() {
        let w = TimeWindow::resolve(
            &args(
                None,
                Some("2026-11-20T05:00:00Z"),
                Some("2026-11-20T06:00:00Z"),
            ),
            None,
            t(NOW),
        )
        .unwrap();
        assert_eq!(
            w.to_string(),
            "2026-11-20T05:00:00Z .. 2026-11-20T06:00:00Z"
        );
        let w = TimeWindow::resolve(
            &args(None, Some("2026-11-20T05:00:00Z"), None),
            None,
            t(NOW),
        )
        .unwrap();
        assert_eq!(w.to, t(NOW));
        let w = TimeWindow::resolve(
            &args(None, None, Some("2026-11-20T06:00:00Z")),
            None,
            t(NOW),
        )
        .unwrap();
        assert_eq!(w.from, t("2026-11-19T06:00:00Z"));
    }

    #[test]
    fn reversed_or_conflicting_arguments_are_errors() {
        let reversed = args(
            None,
            Some("2026-11-20T06:00:00Z"),
            Some("2026-11-20T05:00:00Z"),
        );
        assert!(matches!(
            TimeWindow::resolve(&reversed, None, t(NOW)),
            Err(TimeWindowError::Empty { .. })
        ));
        let both = args(Some("6h"), Some("2026-11-20T05:00:00Z"), None);
        assert_eq!(
            TimeWindow::resolve(&both, None, t(NOW)),
            Err(TimeWindowError::Conflict)
        );
    }

    #[test]
    fn default_is_six_hours_before_the_onset_else_the_last_day() {
        let onset = t("2026-11-20T05:49:00Z");
        let w = TimeWindow::resolve(&WindowArgs::default(), Some(onset), t(NOW)).unwrap();
        assert_eq!(w.from, t("2026-11-19T23:49:00Z"));
        assert_eq!(
            w.to,
            t(NOW),
            "the window runs to now so a revert after the onset is seen"
        );
        let w = TimeWindow::resolve(&WindowArgs::default(), None, t(NOW)).unwrap();
        assert_eq!(w.from, t("2026-11-19T08:00:00Z"));
        // An onset later than "now" (an old snapshot's time) still covers the onset.
        let w = TimeWindow::default_for(Some(t("2026-11-21T00:00:00Z")), t(NOW));
        assert!(w.contains(t("2026-11-21T00:00:00Z")));
        assert_eq!(w.from, t("2026-11-20T18:00:00Z"));
    }

    #[test]
    fn contains_is_half_open_and_json_is_two_strings() {
        let w = TimeWindow::between(t("2026-11-20T05:00:00Z"), t("2026-11-20T06:00:00Z")).unwrap();
        assert!(w.contains(t("2026-11-20T05:00:00Z")));
        assert!(!w.contains(t("2026-11-20T06:00:00Z")));
        assert_eq!(
            serde_json::to_string(&w).unwrap(),
            r#"{"from":"2026-11-20T05:00:00Z","to":"2026-11-20T06:00:00Z"}"#
        );
    }
}
