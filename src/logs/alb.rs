//! ALB access-log lines: the field split, the record the classifier reads, and the per-record
//! counting of `edgepath logs`.
//!
//! This is the hot loop of an ALB read (1.6 M lines of ≈ 500 bytes in ≈ 1 s of CPU, see
//! BENCHMARKS.md): nothing is allocated per line, and only the fields the summary and the
//! classifier read are split: the first twelve of every line (its status, time and target), the
//! rest up to `error_reason` (the 25th) only for the records that are classified (5xx, 460, 463,
//! 464), the ones after it never. The split looks at eight bytes at a time; the time's seconds
//! are read without the float parser when they have the usual `SS.ffffff` shape, the date
//! arithmetic is done once per minute of log, and the elapsed time only for classified records.

use super::alb_signatures::{
    ALB_ACTION_MIN_STATUS, AlbField, AlbFields, alb_record_classified, alb_status_classified,
    classify_record,
};
use super::classify::Signature;
use super::formats::{minute_of, parse_f64, parse_u16};
use super::options::LogOptions;
use super::summary::{Acc, BucketKey};

/// Fields split for a classified record: up to `error_reason` (index 24). The parser only asks
/// whether a line has fewer than 12, more than 22 or more than 24 fields, which a count capped
/// here answers alike.
const FIELDS_READ: usize = 25;
/// Fields split for every line: a line with fewer is bad, and the rest of an unclassified
/// record (a 2xx, most of a log) is never read.
const HEAD_FIELDS: usize = 12;

/// One ALB access-log record.
#[derive(Debug, Default)]
pub(crate) struct AlbRecord<'a> {
    pub(crate) minute: Option<i64>,
    /// Seconds within the minute of `time` (the end of the request).
    end_secs: f64,
    /// `request_creation_time`, raw.
    request_creation_time: &'a [u8],
    pub(crate) elb_status: u16,
    pub(crate) elb_status_raw: &'a [u8],
    pub(crate) target: &'a [u8],
    pub(crate) target_status: &'a [u8],
    pub(crate) request_processing_time: &'a [u8],
    pub(crate) target_processing_time: &'a [u8],
    pub(crate) response_processing_time: &'a [u8],
    pub(crate) target_group_arn: &'a [u8],
    pub(crate) actions_executed: &'a [u8],
    pub(crate) error_reason: &'a [u8],
    /// Seconds from `request_creation_time` to `time`; `None` until [`AlbRecord::fill_elapsed`]
    /// (and after it when `request_creation_time` is not a time).
    pub(crate) elapsed: Option<f64>,
}

impl AlbRecord<'_> {
    /// Works out [`AlbRecord::elapsed`] (left out of the parse: only classified records need it).
    pub(crate) fn fill_elapsed(&mut self, scratch: &mut AlbScratch) {
        if let Some(minute) = self.minute {
            self.elapsed = alb_time(self.request_creation_time, &mut scratch.minute)
                .map(|(m0, s0)| ((minute - m0) as f64) * 60.0 + self.end_secs - s0);
        }
    }
}

impl AlbFields for AlbRecord<'_> {
    fn field(&self, f: AlbField) -> &[u8] {
        match f {
            AlbField::ElbStatusCode => self.elb_status_raw,
            AlbField::TargetStatusCode => self.target_status,
            AlbField::Target => self.target,
            AlbField::RequestProcessingTime => self.request_processing_time,
            AlbField::TargetProcessingTime => self.target_processing_time,
            AlbField::ResponseProcessingTime => self.response_processing_time,
            AlbField::ErrorReason => self.error_reason,
            AlbField::ActionsExecuted => self.actions_executed,
            AlbField::Elapsed => b"",
        }
    }
    fn elapsed(&self) -> f64 {
        self.elapsed.unwrap_or(-1.0)
    }
}

/// High bit of each byte of `word` set exactly where that byte equals the byte repeated in
/// `pattern` (no borrow between bytes, unlike the shorter has-zero-byte trick).
fn bytes_equal(word: u64, pattern: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = word ^ pattern;
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// Where the splitter is between two bytes that matter (space, `"`, `\`).
#[derive(Clone, Copy)]
enum Split {
    /// After a separator: the next field starts at the first byte from here that is not a space.
    Gap(usize),
    /// In an unquoted field that started here; a space ends it.
    Bare(usize),
    /// In a quoted field whose text starts here; bytes before the second position are escaped.
    Quoted(usize, usize),
}

/// Splits an ALB line into field spans, appended to `out` until it holds `upto` of them: spaces
/// separate (runs of them too), a field opening with `"` runs to the next unescaped `"` (a
/// backslash escapes the byte after it) and its span leaves the quotes out, an unclosed one runs
/// to the end of the line. Resumes after the spans already in `out` (a split stopped at `upto`
/// goes on from there). Eight bytes at a time: only spaces, quotes and backslashes are looked at
/// one by one.
fn alb_fields(line: &[u8], out: &mut Vec<(usize, usize)>, upto: usize) {
    const SPACES: u64 = 0x2020_2020_2020_2020;
    const QUOTES: u64 = 0x2222_2222_2222_2222;
    const BACKSLASHES: u64 = 0x5c5c_5c5c_5c5c_5c5c;
    if out.len() >= upto {
        return;
    }
    // A field ends at the byte before its separator (space or closing quote), or at the end of
    // the line, where the split ends too.
    let from = match out.last() {
        Some(&(_, end)) if end >= line.len() => return,
        Some(&(_, end)) => end + 1,
        None => 0,
    };
    let mut state = Split::Gap(from);
    // One byte that matters, at `p`; false once the fields wanted are split.
    let mut step = |p: usize, b: u8, out: &mut Vec<(usize, usize)>| -> bool {
        loop {
            match state {
                Split::Gap(g) if p > g => state = Split::Bare(g),
                Split::Gap(_) => {
                    state = match b {
                        b' ' => Split::Gap(p + 1),
                        b'"' => Split::Quoted(p + 1, 0),
                        _ => Split::Bare(p),
                    };
                    return true;
                }
                Split::Bare(s) => {
                    if b == b' ' {
                        out.push((s, p));
                        state = Split::Gap(p + 1);
                    }
                    return out.len() < upto;
                }
                Split::Quoted(s, escaped_until) => {
                    if p >= escaped_until {
                        if b == b'\\' {
                            state = Split::Quoted(s, p + 2);
                        } else if b == b'"' {
                            out.push((s, p));
                            state = Split::Gap(p + 1);
                        }
                    }
                    return out.len() < upto;
                }
            }
        }
    };
    let (words, rest) = line[from..].as_chunks::<8>();
    for (w, word) in words.iter().enumerate() {
        let x = u64::from_le_bytes(*word);
        let mut hits =
            bytes_equal(x, SPACES) | bytes_equal(x, QUOTES) | bytes_equal(x, BACKSLASHES);
        while hits != 0 {
            let i = (hits.trailing_zeros() / 8) as usize;
            if !step(from + w * 8 + i, word[i], out) {
                return;
            }
            hits &= hits - 1;
        }
    }
    let rest_at = from + words.len() * 8;
    for (i, &b) in rest.iter().enumerate() {
        if matches!(b, b' ' | b'"' | b'\\') && !step(rest_at + i, b, out) {
            return;
        }
    }
    match state {
        Split::Gap(g) if g < line.len() => out.push((g, line.len())),
        Split::Gap(_) => {}
        Split::Bare(s) | Split::Quoted(s, _) => out.push((s, line.len())),
    }
}

/// `SS` or `SS.ffffff` (at most 15 digits in all) as seconds, `None` for any other shape. Equal
/// to the float parser's result: the digits are an integer below 2⁵³ and the power of ten is
/// exact, so the one division is correctly rounded, as the parser's result is.
fn plain_seconds(s: &[u8]) -> Option<f64> {
    const TENS: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let (int, frac) = match memchr::memchr(b'.', s) {
        Some(dot) => (&s[..dot], &s[dot + 1..]),
        None => (s, &b""[..]),
    };
    if int.is_empty() || (frac.is_empty() && int.len() < s.len()) || int.len() + frac.len() > 15 {
        return None;
    }
    let mut n: u64 = 0;
    for &b in int.iter().chain(frac) {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u64::from(b - b'0');
    }
    Some(n as f64 / TENS[frac.len()])
}

/// The reusable state of one file's ALB parse: the field spans of the line being read, and the
/// minute number of the last time's `YYYY-MM-DDTHH:MM` (a log's lines come minute by minute, so
/// the date arithmetic is done once a minute, not once a line).
#[derive(Debug, Default)]
pub(crate) struct AlbScratch {
    spans: Vec<(usize, usize)>,
    minute: Option<([u8; 16], i64)>,
}

/// Minute number and seconds within the minute of an ISO-8601 `…THH:MM:SS.ffffffZ` time.
fn alb_time(t: &[u8], memo: &mut Option<([u8; 16], i64)>) -> Option<(i64, f64)> {
    if t.len() < 19 || t[10] != b'T' {
        return None;
    }
    let minute = match memo {
        Some((prefix, m)) if prefix[..] == t[..16] => *m,
        _ => {
            let m = minute_of(&t[..10], &t[11..16])?;
            let mut prefix = [0u8; 16];
            prefix.copy_from_slice(&t[..16]);
            *memo = Some((prefix, m));
            m
        }
    };
    let fraction = &t[17..t.len().saturating_sub(1).max(19)];
    let secs = plain_seconds(fraction)
        .or_else(|| parse_f64(fraction))
        .or_else(|| parse_f64(&t[17..19]))?;
    Some((minute, secs))
}

/// Whether the first token marks an ALB line (others, like NLB `tls`, are a different format).
pub(crate) fn alb_kind(first: &[u8]) -> Option<bool> {
    match first {
        b"http" | b"https" | b"h2" | b"grpcs" | b"ws" | b"wss" => Some(true),
        b"tls" | b"tcp" | b"udp" => Some(false),
        _ => None,
    }
}

/// Parses one ALB access-log line, every field the classifier reads (its elapsed time is left
/// to [`AlbRecord::fill_elapsed`]).
///
/// # Errors
/// A short reason when the line is not an ALB record.
#[cfg(test)]
pub(crate) fn parse_alb<'a>(
    line: &'a [u8],
    scratch: &mut AlbScratch,
) -> Result<AlbRecord<'a>, &'static str> {
    let mut r = parse_alb_head(line, scratch)?;
    r.read_rest(line, scratch);
    Ok(r)
}

/// Parses the first twelve fields of an ALB line: enough to tell a record from a bad line and
/// to count it on its target; the fields after them are for [`AlbRecord::read_rest`].
///
/// # Errors
/// A short reason when the line is not an ALB record.
fn parse_alb_head<'a>(
    line: &'a [u8],
    scratch: &mut AlbScratch,
) -> Result<AlbRecord<'a>, &'static str> {
    let spans = &mut scratch.spans;
    spans.clear();
    alb_fields(line, spans, HEAD_FIELDS);
    if spans.len() < HEAD_FIELDS {
        return Err("ALB line with fewer than 12 fields");
    }
    let f = |i: usize| {
        let (a, b) = spans[i];
        &line[a..b]
    };
    if alb_kind(f(0)) != Some(true) {
        return Err("not an ALB request type (http, https, h2, grpcs, ws, wss)");
    }
    let (minute, end_secs) = alb_time(f(1), &mut scratch.minute).ok_or("time is not ISO 8601")?;
    let elb_status = parse_u16(f(8)).ok_or("elb_status_code is not a number")?;
    Ok(AlbRecord {
        minute: Some(minute),
        end_secs,
        elb_status,
        elb_status_raw: f(8),
        target: f(4),
        target_status: f(9),
        request_processing_time: f(5),
        target_processing_time: f(6),
        response_processing_time: f(7),
        actions_executed: b"-",
        error_reason: b"-",
        ..AlbRecord::default()
    })
}

impl<'a> AlbRecord<'a> {
    /// Splits the rest of `line` (whose head this record was parsed from, spans in `scratch`)
    /// up to `error_reason` and reads the fields there.
    fn read_rest(&mut self, line: &'a [u8], scratch: &mut AlbScratch) {
        let spans = &mut scratch.spans;
        alb_fields(line, spans, FIELDS_READ);
        let f = |i: usize| spans.get(i).map_or(&b""[..], |&(a, b)| &line[a..b]);
        self.request_creation_time = f(21);
        self.target_group_arn = f(16);
        // Older lines end before these fields: absent reads as `-`.
        if spans.len() > 22 {
            self.actions_executed = f(22);
        }
        if spans.len() > 24 {
            self.error_reason = f(24);
        }
    }
}

/// Counts one ALB line of a file read as an ALB log: its target's minute, and for a classified
/// status its status pair, signature and bucket; a line that is not an ALB record is bad
/// (`bad` gives its sample).
pub(crate) fn count_alb_line(
    acc: &mut Acc,
    opts: &LogOptions,
    line: &[u8],
    scratch: &mut AlbScratch,
    bad: impl FnOnce(&str) -> String,
) {
    let first = line.split(|&b| b == b' ').next().unwrap_or(b"");
    if alb_kind(first) == Some(false) {
        acc.other_format_lines += 1;
        return;
    }
    let mut r = match parse_alb_head(line, scratch) {
        Ok(r) => r,
        Err(reason) => return acc.bad(|| bad(reason)),
    };
    acc.recognised += 1;
    acc.records += 1;
    acc.alb_records += 1;
    if let Some(m) = r.minute {
        acc.alb_target_minute(r.target, m, r.elb_status);
    }
    // Below the classified statuses only a 4xx a listener action answered (a fixed-response)
    // is classified: the rest of the line is split only for a 4xx or a classified status.
    let by_status = alb_status_classified(r.elb_status);
    if !by_status && r.elb_status < ALB_ACTION_MIN_STATUS {
        return;
    }
    r.read_rest(line, scratch);
    if !by_status && !alb_record_classified(&r, r.elb_status) {
        return;
    }
    r.fill_elapsed(scratch);
    let target = String::from_utf8_lossy(r.target_status).into_owned();
    *acc.alb_pairs.entry((r.elb_status, target)).or_default() += 1;
    if let (Some(m), true) = (r.minute, r.elb_status >= 500) {
        *acc.alb_5xx_minutes.entry(m).or_default() += 1;
    }
    let sig = classify_record(&r, opts.timeouts.alb_idle_timeout);
    match sig {
        Signature::AlbTargetConnectTimeout => acc.alb_connect_failures += 1,
        Signature::AlbIdleTimeout => acc.alb_idle_timeouts += 1,
        _ => {}
    }
    *acc.alb_signatures.entry(sig).or_default() += 1;
    let detailed = if r.error_reason == b"-" || r.error_reason.is_empty() {
        format!("target {}", String::from_utf8_lossy(r.target_status))
    } else {
        format!(
            "target {} {}",
            String::from_utf8_lossy(r.target_status),
            String::from_utf8_lossy(r.error_reason)
        )
    };
    let key = BucketKey {
        source: "alb",
        distribution: String::new(),
        behavior: String::new(),
        status: r.elb_status,
        detailed,
        signature: sig,
        target_group_arn: if r.target_group_arn == b"-" {
            String::new()
        } else {
            String::from_utf8_lossy(r.target_group_arn).into_owned()
        },
    };
    acc.add_bucket(key, r.minute, r.elapsed);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The field split as it was written first, one byte at a time and every field: the
    /// reference the word-at-a-time split must equal on its first [`FIELDS_READ`] fields.
    fn reference_fields(line: &[u8]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < line.len() {
            while i < line.len() && line[i] == b' ' {
                i += 1;
            }
            if i >= line.len() {
                break;
            }
            if line[i] == b'"' {
                let start = i + 1;
                i += 1;
                while i < line.len() && line[i] != b'"' {
                    if line[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                out.push((start, i.min(line.len())));
                i += 1;
            } else {
                let start = i;
                while i < line.len() && line[i] != b' ' {
                    i += 1;
                }
                out.push((start, i));
            }
        }
        out
    }

    proptest::proptest! {
        /// Any bytes, dense in spaces, quotes and backslashes (and bytes one off them, which
        /// word-at-a-time tricks get wrong): the same spans as the reference, capped.
        #[test]
        fn the_word_split_equals_the_byte_split(
            line in proptest::collection::vec(proptest::sample::select(
                vec![b' ', b' ', b'"', b'\\', b'!', b'#', b'[', b']', 0x00, 0xa0, 0xa2, 0xdc, b'a', b'-']), 0..300),
        ) {
            let want = reference_fields(&line);
            let mut got = Vec::new();
            alb_fields(&line, &mut got, FIELDS_READ);
            proptest::prop_assert_eq!(&got[..], &want[..want.len().min(FIELDS_READ)]);
            // Stopped after `first` fields and resumed: the same spans.
            for first in [1, 3, HEAD_FIELDS] {
                got.clear();
                alb_fields(&line, &mut got, first);
                proptest::prop_assert_eq!(&got[..], &want[..want.len().min(first)]);
                alb_fields(&line, &mut got, FIELDS_READ);
                proptest::prop_assert_eq!(&got[..], &want[..want.len().min(FIELDS_READ)]);
            }
        }

        /// The seconds read without the float parser equal the parser's, whatever the digits.
        #[test]
        fn plain_seconds_equal_the_float_parser(s in "[0-9]{0,9}(\\.[0-9]{0,9})?|[0-9.eE+-]{0,6}") {
            if let Some(x) = plain_seconds(s.as_bytes()) {
                proptest::prop_assert_eq!(Some(x.to_bits()), s.parse::<f64>().ok().map(f64::to_bits), "{}", s);
            }
        }
    }

    #[test]
    fn plain_seconds_take_only_the_plain_shapes() {
        assert_eq!(plain_seconds(b"07.259017"), Some(7.259_017));
        assert_eq!(plain_seconds(b"59"), Some(59.0));
        for odd in [
            &b""[..],
            b".5",
            b"5.",
            b"1e3",
            b"-1",
            b"1.2.3",
            b"1234567890.1234567",
        ] {
            assert_eq!(plain_seconds(odd), None, "{}", String::from_utf8_lossy(odd));
        }
        let mut memo = None;
        assert_eq!(
            alb_time(b"2026-11-20T05:50:10.004000Z", &mut memo).map(|(_, s)| s),
            Some(10.004)
        );
        assert_eq!(alb_time(b"2026-11-20T05:50:1x.004000Z", &mut memo), None);
    }

    #[test]
    fn the_minute_memo_gives_the_minute_worked_out_afresh() {
        let mut memo = None;
        let times: [&[u8]; 5] = [
            b"2026-11-20T05:50:10.004000Z",
            b"2026-11-20T05:50:59.999999Z",
            b"2026-11-20T05:51:00.000000Z",
            b"2026-13-20T05:51:00.000000Z",
            b"2026-11-20T05:50:10.004000Z",
        ];
        for t in times {
            let fresh = alb_time(t, &mut None);
            assert_eq!(
                alb_time(t, &mut memo),
                fresh,
                "{}",
                String::from_utf8_lossy(t)
            );
        }
        assert_eq!(alb_time(times[3], &mut memo), None, "month 13");
    }

    #[test]
    fn alb_quoted_fields_and_elapsed_time() {
        let line = br#"https 2026-11-20T05:50:10.004000Z app/web-alb/50dc6c495c0c9188 130.176.1.2:41234 10.0.10.10:80 -1 -1 -1 504 - 300 0 "GET https://www.example.com:443/api/orders HTTP/1.1" "Amazon CloudFront" ECDHE TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web-tg/73 "Root=1-1" "www.example.com" "arn:cert" 0 2026-11-20T05:50:00.001000Z "forward" "-" "-" "10.0.10.10:80" "-" "-" "-" TID_1"#;
        let mut scratch = AlbScratch::default();
        let mut r = parse_alb(line, &mut scratch).expect("parses");
        assert_eq!(r.elb_status, 504);
        assert_eq!(r.target_status, b"-");
        assert_eq!(r.actions_executed, b"forward");
        assert_eq!(r.error_reason, b"-");
        assert_eq!(r.elapsed, None, "left to fill_elapsed");
        r.fill_elapsed(&mut scratch);
        assert!((r.elapsed.expect("elapsed") - 10.003).abs() < 0.01);
        assert_eq!(
            scratch.spans.len(),
            FIELDS_READ,
            "the fields after error_reason are not split"
        );
    }
}
