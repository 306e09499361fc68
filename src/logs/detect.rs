//! Which format a file is, from its first lines: a `#Fields:` header (CloudFront W3C, columns
//! by name), a `{` (JSON: CloudFront v2 only once its first record proves it, [`prove_json`]), a
//! flow-log header or `2 … eni-` record, an ALB record type (`http`, `https`, `h2`, …), or a
//! tab-separated line starting with a date (CloudFront W3C without header: the 33 canonical
//! columns). `--log-format` forces one; real-time logs are only read when forced (their lines
//! carry no field names), and are named as such otherwise. The answer is a [`Layout`]: what the
//! parsers need to read each following line — or a [`Foreign`] format, named so that someone who
//! pointed edgepath at the wrong bucket prefix is told what they gave it instead of "No 5xx".
//!
//! Shapes of the formats named but not read (AWS docs; see `logs.md` in the shared notes):
//! classic ELB lines start with an ISO time then the load balancer's name and `ip:port`; NLB
//! lines start `tls 2.0`; S3 server access logs with the 64-hex canonical id of the bucket owner,
//! the bucket and a `[06/Feb/2019:00:00:38 +0000]` time; nginx/Apache combined with the client,
//! two idents, the same bracketed time and a quoted request; CloudTrail JSON is
//! `{"Records":[{"eventVersion":…}]}`; WAF JSON has `webaclId` and `terminatingRuleId`.

use std::fmt;

use super::alb::{AlbScratch, alb_kind};
use super::formats::{CfColumns, FLOW_V2, FlowColumns};
use super::options::{LogFormat, LogOptions};

/// How the lines of one file are read, decided once per file (again at each `#Fields:` line).
pub(super) enum Layout {
    /// CloudFront W3C or real-time lines, tab separated, with these columns.
    Cloudfront(CfColumns),
    /// CloudFront v2 JSON records (one object per record, possibly over several lines);
    /// `proven` once a record showed a CloudFront timestamp and status ([`prove_json`]).
    Json {
        /// A record has proved the file is CloudFront JSON.
        proven: bool,
    },
    /// ALB access log lines, with the parser's reusable state.
    Alb(AlbScratch),
    /// VPC flow log lines with these columns.
    Flow(FlowColumns),
}

impl Layout {
    /// The format's name, for "all lines bad" warnings.
    pub(super) fn name(&self) -> &'static str {
        match self {
            Layout::Cloudfront(_) => "CloudFront W3C log",
            Layout::Json { .. } => "CloudFront v2 JSON",
            Layout::Alb(_) => "ALB access log",
            Layout::Flow(_) => "VPC flow log",
        }
    }
}

/// A file edgepath does not read, named by what it looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Foreign {
    /// Classic Load Balancer access log.
    ClassicElb,
    /// Network Load Balancer access log (TLS listeners).
    Nlb,
    /// S3 server access log.
    S3Access,
    /// CloudTrail JSON (`{"Records":[…]}` or one event).
    CloudTrail,
    /// AWS WAF log.
    Waf,
    /// nginx / Apache combined (or common) access log.
    Combined,
    /// CloudFront real-time log lines, not forced (their fields are not in the file).
    CloudfrontRealtime,
    /// JSON that is none of the above; the first few top-level keys.
    OtherJson(String),
    /// NUL or control bytes: not a text log.
    Binary,
    /// Text in no known shape; the start of its first line.
    Unknown(String),
}

impl fmt::Display for Foreign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Foreign::ClassicElb => f.write_str("Classic Load Balancer (ELB) access log"),
            Foreign::Nlb => f.write_str("NLB access log"),
            Foreign::S3Access => f.write_str("S3 server access log"),
            Foreign::CloudTrail => f.write_str("CloudTrail JSON"),
            Foreign::Waf => f.write_str("AWS WAF log"),
            Foreign::Combined => f.write_str("nginx/Apache combined access log"),
            Foreign::CloudfrontRealtime => f.write_str(
                "CloudFront real-time log (no field names in the file: read it with --log-format cloudfront-realtime --fields …)",
            ),
            Foreign::OtherJson(keys) => write!(
                f,
                "JSON ({keys}), not a CloudFront, ALB or VPC flow log"
            ),
            Foreign::Binary => f.write_str("binary"),
            Foreign::Unknown(start) => write!(
                f,
                "not a CloudFront, ALB or VPC flow log (first line: `{start}`)"
            ),
        }
    }
}

/// What the first meaningful line of a file says.
pub(super) enum Detected {
    /// A format edgepath reads.
    Read(Layout),
    /// A format it names but does not read.
    Foreign(Foreign),
}

/// Whether a line is not text: a NUL, or more than one byte in ten a control character or
/// invalid UTF-8 (a log line is printable: CloudFront URL-encodes everything else).
pub(super) fn is_binary(line: &[u8]) -> bool {
    let head = &line[..line.len().min(512)];
    if head.contains(&0) {
        return true;
    }
    let control = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\r' | 0x1b)) || b == 0x7f)
        .count();
    let invalid = String::from_utf8_lossy(head)
        .chars()
        .filter(|&c| c == char::REPLACEMENT_CHARACTER)
        .count();
    (control + invalid) * 10 > head.len()
}

/// The start of a line, for naming an unknown one.
fn excerpt(text: &str) -> String {
    let mut s: String = text.chars().take(60).collect();
    if s.len() < text.len() {
        s.push('…');
    }
    s
}

/// The layout of a file whose first meaningful line is `line`, or the foreign format it shows.
pub(super) fn detect(line: &[u8], opts: &LogOptions) -> Detected {
    let forced = opts.format;
    if forced == Some(LogFormat::CloudfrontRealtime) {
        return Detected::Read(Layout::Cloudfront(CfColumns::from_names(
            opts.realtime_fields.iter().map(String::as_str),
        )));
    }
    let text = String::from_utf8_lossy(line);
    if let Some(fields) = text.strip_prefix("#Fields:") {
        return Detected::Read(Layout::Cloudfront(CfColumns::from_names(
            fields.split_whitespace(),
        )));
    }
    match forced {
        // Handled above; a Parquet file never reaches the line reader.
        Some(LogFormat::CloudfrontRealtime | LogFormat::CloudfrontParquet) => {
            return Detected::Foreign(Foreign::Unknown(excerpt(&text)));
        }
        Some(LogFormat::Cloudfront) => {
            return Detected::Read(Layout::Cloudfront(CfColumns::canonical()));
        }
        Some(LogFormat::CloudfrontJson) => return Detected::Read(Layout::Json { proven: false }),
        Some(LogFormat::Alb) => return Detected::Read(Layout::Alb(AlbScratch::default())),
        Some(LogFormat::Flow) => {
            let header = if text.starts_with("version ") {
                text.as_ref()
            } else {
                FLOW_V2
            };
            return Detected::Read(Layout::Flow(FlowColumns::from_names(
                header.split_whitespace(),
            )));
        }
        None => {}
    }
    if is_binary(line) {
        return Detected::Foreign(Foreign::Binary);
    }
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        return Detected::Read(Layout::Json { proven: false });
    }
    if trimmed.starts_with('[') {
        return Detected::Foreign(Foreign::OtherJson("an array".into()));
    }
    if text.starts_with("version ") || text.contains(" interface-id ") || text.contains(" srcaddr ")
    {
        return Detected::Read(Layout::Flow(FlowColumns::from_names(
            text.split_whitespace(),
        )));
    }
    let first = line.split(|&b| b == b' ').next().unwrap_or(b"");
    match alb_kind(first) {
        Some(true) => return Detected::Read(Layout::Alb(AlbScratch::default())),
        Some(false) => return Detected::Foreign(Foreign::Nlb),
        None => {}
    }
    if first == b"2" && text.contains(" eni-") {
        return Detected::Read(Layout::Flow(FlowColumns::from_names(FLOW_V2.split(' '))));
    }
    if line.contains(&b'\t') && line.len() > 10 && line[4] == b'-' {
        return Detected::Read(Layout::Cloudfront(CfColumns::canonical()));
    }
    Detected::Foreign(foreign_text(&text))
}

/// Names a text line that is none of the formats read.
fn foreign_text(text: &str) -> Foreign {
    let tab_first = text.split('\t').next().unwrap_or("");
    // Real-time lines open with epoch seconds and milliseconds: `1607374321.541<TAB>…`.
    if text.contains('\t')
        && tab_first.split_once('.').is_some_and(|(s, ms)| {
            (9..=11).contains(&s.len())
                && ms.len() == 3
                && s.bytes().chain(ms.bytes()).all(|b| b.is_ascii_digit())
        })
    {
        return Foreign::CloudfrontRealtime;
    }
    let tokens: Vec<&str> = text.split(' ').take(5).collect();
    let token = |i: usize| tokens.get(i).copied().unwrap_or("");
    let iso_time = |t: &str| {
        let b = t.as_bytes();
        b.len() >= 20 && b[4] == b'-' && b[10] == b'T' && t.ends_with('Z')
    };
    let ip_port = |t: &str| {
        t.rsplit_once(':')
            .is_some_and(|(ip, port)| !ip.is_empty() && port.bytes().all(|b| b.is_ascii_digit()))
    };
    if iso_time(token(0)) && ip_port(token(2)) {
        return Foreign::ClassicElb;
    }
    if token(0).len() == 64
        && token(0).bytes().all(|b| b.is_ascii_hexdigit())
        && token(2).starts_with('[')
    {
        return Foreign::S3Access;
    }
    if token(3).starts_with('[') && text.contains("] \"") {
        return Foreign::Combined;
    }
    Foreign::Unknown(excerpt(text))
}

/// What the first complete JSON record of a file says.
pub(super) enum JsonVerdict {
    /// A CloudFront v2 record: read it and the rest.
    Cloudfront,
    /// Not CloudFront: stop reading the file.
    Foreign(Foreign),
    /// Not a JSON object: a bad line; the next record decides.
    Invalid,
}

/// Whether a JSON record is CloudFront standard logging v2: it needs a timestamp (`timestamp`,
/// `timestamp(ms)`, or `date` and `time`) and either `sc-status` / `sc_status` or, for a field
/// selection without the status, CloudFront's own fields (`x-edge-…`, `cs(Host)`,
/// `x-host-header`, `cs-uri-stem`) — such records are counted but cannot be classified. Any
/// other JSON is named: CloudTrail, WAF, or its top-level keys.
pub(super) fn prove_json(record: &[u8]) -> JsonVerdict {
    let map: serde_json::Map<String, serde_json::Value> = match serde_json::from_slice(record) {
        Ok(m) => m,
        Err(_) => {
            // Too long to be read whole (a CloudTrail export is one line of megabytes), or not
            // an object: the keys near the start still tell.
            let head = String::from_utf8_lossy(&record[..record.len().min(4096)]);
            return if head.contains("\"eventVersion\"") || head.contains("{\"Records\"") {
                JsonVerdict::Foreign(Foreign::CloudTrail)
            } else if head.contains("\"webaclId\"") {
                JsonVerdict::Foreign(Foreign::Waf)
            } else {
                JsonVerdict::Invalid
            };
        }
    };
    let has = |k: &str| map.contains_key(k);
    if has("Records") || (has("eventVersion") && has("eventSource")) {
        return JsonVerdict::Foreign(Foreign::CloudTrail);
    }
    if has("webaclId") || has("terminatingRuleId") {
        return JsonVerdict::Foreign(Foreign::Waf);
    }
    let timestamp = has("timestamp")
        || has("timestamp(ms)")
        || has("timestamp_ms")
        || (has("date") && has("time"));
    let status = has("sc-status") || has("sc_status");
    let cloudfront_fields = map.keys().any(|k| {
        k.starts_with("x-edge-")
            || k.starts_with("x_edge_")
            || k.starts_with("cs(")
            || matches!(
                k.as_str(),
                "x-host-header" | "x_host_header" | "cs-uri-stem" | "cs_uri_stem"
            )
    });
    if timestamp && (status || cloudfront_fields) {
        return JsonVerdict::Cloudfront;
    }
    let mut keys: Vec<&str> = map.keys().map(String::as_str).take(3).collect();
    if map.len() > 3 {
        keys.push("…");
    }
    let keys = if keys.is_empty() {
        "an empty object".to_owned()
    } else {
        format!("keys {}", keys.join(", "))
    };
    JsonVerdict::Foreign(Foreign::OtherJson(keys))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(line: &str) -> Option<Foreign> {
        match detect(line.as_bytes(), &LogOptions::default()) {
            Detected::Read(_) => None,
            Detected::Foreign(f) => Some(f),
        }
    }

    #[test]
    fn foreign_access_logs_are_named() {
        assert_eq!(
            named(
                r#"2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.000073 0.001048 0.000057 200 200 0 29 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.38.0" - -"#
            ),
            Some(Foreign::ClassicElb)
        );
        assert_eq!(
            named(
                "tls 2.0 2018-12-20T02:59:40 net/my-nlb/c6e77e28c25b2234 g3d4b5e8bb8464cd 72.21.218.154:51341 172.100.100.185:443 5 2 98 246 - arn - ECDHE-RSA-AES128-SHA tlsv12 - my-nlb.elb.amazonaws.com - - - 2018-12-20T02:59:30"
            ),
            Some(Foreign::Nlb)
        );
        assert_eq!(
            named(
                r#"3f4c8a6b0e1d2c3b4a5968778695a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7 logs-bucket [06/Feb/2026:00:00:38 +0000] 192.0.2.3 - 3E57427F3EXAMPLE REST.GET.OBJECT index.html "GET /index.html HTTP/1.1" 200 - 113 113 7 6 "-" "curl/8.0" -"#
            ),
            Some(Foreign::S3Access)
        );
        assert_eq!(
            named(
                r#"203.0.113.9 - - [20/Nov/2026:05:49:12 +0000] "GET /api/orders HTTP/1.1" 504 167 "-" "curl/8.0""#
            ),
            Some(Foreign::Combined)
        );
        assert_eq!(
            named("1763874000.123\t192.0.2.1\t0.002\t200\tGET"),
            Some(Foreign::CloudfrontRealtime)
        );
        assert_eq!(named("a\0b"), Some(Foreign::Binary));
        assert!(matches!(named("hello world"), Some(Foreign::Unknown(_))));
    }

    #[test]
    fn json_proves_cloudfront_only_with_its_fields() {
        let verdict = |s: &str| match prove_json(s.as_bytes()) {
            JsonVerdict::Cloudfront => None,
            JsonVerdict::Foreign(f) => Some(f),
            JsonVerdict::Invalid => Some(Foreign::Unknown("invalid".into())),
        };
        assert_eq!(
            verdict(r#"{"timestamp":"1763874000","sc-status":"504"}"#),
            None
        );
        assert_eq!(
            verdict(r#"{"Records":[{"eventVersion":"1.08"}]}"#),
            Some(Foreign::CloudTrail)
        );
        assert_eq!(
            verdict(r#"{"timestamp":1,"webaclId":"x","terminatingRuleId":"Default_Action"}"#),
            Some(Foreign::Waf)
        );
        assert_eq!(
            verdict(r#"{"SecurityGroups": []}"#),
            Some(Foreign::OtherJson("keys SecurityGroups".into()))
        );
        assert_eq!(
            verdict(r#"{"sc-status":"504"}"#),
            Some(Foreign::OtherJson("keys sc-status".into())),
            "a status without a time is not a log record"
        );
        let long = format!(
            r#"{{"Records":[{{"eventVersion":"1.08","x":"{}"#,
            "a".repeat(100)
        );
        assert_eq!(verdict(&long), Some(Foreign::CloudTrail));
    }
}
