//! One line of what a fact said, shown beside a finding (a hop's summary, a log bucket's
//! numbers) and, for log buckets, beside the triage diagnoses they agree with.

/// One line of what a fact said, shown beside a finding.
pub(super) fn evidence(kind: &str, f: &serde_json::Value) -> String {
    let s = |k: &str| f.get(k).and_then(serde_json::Value::as_str).unwrap_or("");
    match kind {
        "hop" => {
            let mut e = s("summary").to_owned();
            if e.is_empty() {
                e = format!("{} {}", s("hop"), s("verdict"));
            }
            e
        }
        "log_bucket" => log_evidence(f),
        _ => String::new(),
    }
}

/// The ALB log class of a listener rule's own answer (`logs::Signature::AlbFixedResponse`).
const FIXED_RESPONSE: &str = "alb-fixed-response";

/// "504 OriginCommError ×21,404 at ~30 s on /api/* since 05:49 UTC"; an ALB fixed-response
/// bucket as "ALB logs: 1,200 requests answered by fixed-response 404 since 05:30 UTC".
#[must_use]
pub fn log_evidence(f: &serde_json::Value) -> String {
    let s = |k: &str| f.get(k).and_then(serde_json::Value::as_str).unwrap_or("");
    let count = f
        .get("count")
        .and_then(serde_json::Value::as_i64)
        .unwrap_or(0);
    let status = f
        .get("status")
        .and_then(serde_json::Value::as_i64)
        .unwrap_or(0);
    let secs = f
        .get("median_time_taken")
        .and_then(serde_json::Value::as_f64)
        .unwrap_or(0.0);
    let since = if s("onset").is_empty() {
        s("first_seen")
    } else {
        s("onset")
    };
    if s("signature") == FIXED_RESPONSE {
        // No target and no time to speak of: what the ALB answered is the whole story.
        let mut e = format!(
            "ALB logs: {} requests answered by fixed-response {status}",
            thousands(count)
        );
        if let Some(hh_mm) = minute_of_day(s("first_seen")) {
            e.push_str(&format!(" since {hh_mm} UTC"));
        }
        e.push_str(&format!(" ({FIXED_RESPONSE})"));
        return e;
    }
    let mut e = format!(
        "{status} {} ×{} at ~",
        s("detailed_result_type"),
        thousands(count)
    );
    if secs >= 1.0 {
        e.push_str(&format!("{secs:.0} s"));
    } else {
        e.push_str(&format!("{secs:.2} s"));
    }
    if !s("behavior").is_empty() {
        e.push_str(&format!(" on {}", s("behavior")));
    }
    // `2026-11-20T05:49:00Z` → `05:49`; a user-written test fact may hold anything, so the
    // slice is taken by characters, never by a byte index that could split one.
    if let Some(hh_mm) = minute_of_day(since) {
        e.push_str(&format!(" since {hh_mm} UTC"));
    }
    e.push_str(&format!(" ({})", s("signature")));
    e
}

/// `HH:MM` of an ISO 8601 timestamp (`2026-11-20T05:49:00Z`), if it is long enough.
fn minute_of_day(timestamp: &str) -> Option<&str> {
    let start = timestamp.char_indices().nth(11)?.0;
    let end = timestamp
        .char_indices()
        .nth(16)
        .map_or(timestamp.len(), |(i, _)| i);
    (timestamp[..end].chars().count() == 16).then(|| &timestamp[start..end])
}

/// `1098` → `1,098`.
pub(super) fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_evidence_reads_like_an_incident_note() {
        let f = serde_json::json!({
            "status": 504, "detailed_result_type": "OriginCommError", "count": 21404,
            "median_time_taken": 30.2, "behavior": "/api/*", "onset": "2026-11-20T05:49:00Z",
            "signature": "cloudfront-connect-timeout"
        });
        assert_eq!(
            log_evidence(&f),
            "504 OriginCommError ×21,404 at ~30 s on /api/* since 05:49 UTC (cloudfront-connect-timeout)"
        );
    }

    #[test]
    fn a_fixed_response_bucket_says_what_the_alb_answered() {
        let f = serde_json::json!({
            "source": "alb", "status": 404, "detailed_result_type": "target -", "count": 1200,
            "median_time_taken": 0.0, "first_seen": "2026-11-20T05:30:00Z",
            "onset": "2026-11-20T05:49:00Z", "signature": "alb-fixed-response"
        });
        assert_eq!(
            log_evidence(&f),
            "ALB logs: 1,200 requests answered by fixed-response 404 since 05:30 UTC (alb-fixed-response)"
        );
    }

    #[test]
    fn a_short_or_multibyte_onset_in_a_test_fact_does_not_panic() {
        let with = |onset: &str| {
            log_evidence(&serde_json::json!({
                "status": 504, "count": 1, "onset": onset, "signature": "other"
            }))
        };
        assert!(!with("05:49").contains("since"));
        // 16 bytes but fewer characters, and a byte 11 inside a character.
        assert!(!with("2026-11-2é€T05").contains("since"));
        assert!(with("2026-11-20T0é:49:00Z").contains("since 0é:49 UTC"));
        assert!(with("2026-11-20T05:49").contains("since 05:49 UTC"));
    }
}
