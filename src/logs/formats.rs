//! Line parsers: CloudFront W3C / v2 JSON, VPC flow logs (ALB access logs: `alb`). Each borrows field
//! slices from the line buffer; nothing is allocated per line.

/// Canonical order of the 33 legacy CloudFront fields (files without a `#Fields:` line).
pub(crate) const CLOUDFRONT_33: &str = "date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end";

/// The default VPC flow log v2 fields.
pub(crate) const FLOW_V2: &str = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";

/// Column positions of the CloudFront fields the classifier reads.
#[derive(Debug, Clone, Default)]
pub(crate) struct CfColumns {
    pub(crate) count: usize,
    /// No `#Fields:` line: older files with fewer columns are valid (missing fields are empty).
    pub(crate) lenient: bool,
    date: Option<usize>,
    time: Option<usize>,
    timestamp_ms: Option<usize>,
    timestamp: Option<usize>,
    edge: Option<usize>,
    method: Option<usize>,
    host: Option<usize>,
    x_host: Option<usize>,
    uri: Option<usize>,
    status: Option<usize>,
    time_taken: Option<usize>,
    result_type: Option<usize>,
    detailed: Option<usize>,
    country: Option<usize>,
    distribution: Option<usize>,
}

impl CfColumns {
    /// From the names of a `#Fields:` line (or the canonical list).
    pub(crate) fn from_names<'a>(names: impl Iterator<Item = &'a str>) -> CfColumns {
        let mut c = CfColumns::default();
        for (i, name) in names.enumerate() {
            c.count = i + 1;
            if let Some(slot) = c.slot(name)
                && slot.is_none()
            {
                *slot = Some(i);
            }
        }
        c
    }

    /// Whether the classifier reads the field `name` (W3C spelling); readers of columnar
    /// files fetch only these columns.
    #[cfg(feature = "parquet")]
    pub(crate) fn reads(name: &str) -> bool {
        CfColumns::default().slot(name).is_some()
    }

    /// Where the position of field `name` goes, `None` for a field the classifier ignores.
    fn slot(&mut self, name: &str) -> Option<&mut Option<usize>> {
        Some(match name {
            "date" => &mut self.date,
            "time" => &mut self.time,
            // The underscore spellings are v2 JSON's when the delivery names fields like its
            // Parquet columns (`sc_status`).
            "timestamp(ms)" | "timestamp_ms" => &mut self.timestamp_ms,
            "timestamp" => &mut self.timestamp,
            "x-edge-location" | "x_edge_location" => &mut self.edge,
            "cs-method" | "cs_method" => &mut self.method,
            "cs(Host)" | "cs-host" | "cs_host" => &mut self.host,
            "x-host-header" | "x_host_header" => &mut self.x_host,
            "cs-uri-stem" | "cs_uri_stem" => &mut self.uri,
            "sc-status" | "sc_status" => &mut self.status,
            "time-taken" | "time_taken" => &mut self.time_taken,
            "x-edge-result-type" | "x_edge_result_type" => &mut self.result_type,
            "x-edge-detailed-result-type" | "x_edge_detailed_result_type" => &mut self.detailed,
            "c-country" | "c_country" => &mut self.country,
            "DistributionId" | "distributionid" => &mut self.distribution,
            _ => return None,
        })
    }

    /// The canonical 33-column layout.
    pub(crate) fn canonical() -> CfColumns {
        CfColumns {
            lenient: true,
            ..CfColumns::from_names(CLOUDFRONT_33.split(' '))
        }
    }
}

/// One CloudFront record, borrowed from the line.
#[derive(Debug, Default)]
pub(crate) struct CfRecord<'a> {
    pub(crate) minute: Option<i64>,
    pub(crate) edge: &'a [u8],
    pub(crate) method: &'a [u8],
    pub(crate) host: &'a [u8],
    pub(crate) uri: &'a [u8],
    pub(crate) status: Option<u16>,
    pub(crate) time_taken: Option<f64>,
    pub(crate) detailed: &'a [u8],
    pub(crate) country: &'a [u8],
    pub(crate) distribution: &'a [u8],
}

fn dash(f: &[u8]) -> &[u8] {
    if f == b"-" { b"" } else { f }
}

pub(crate) fn parse_u16(f: &[u8]) -> Option<u16> {
    if f.is_empty() || f.len() > 5 {
        return None;
    }
    let mut n: u32 = 0;
    for &b in f {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(b - b'0');
    }
    u16::try_from(n).ok()
}

pub(crate) fn parse_f64(f: &[u8]) -> Option<f64> {
    std::str::from_utf8(f).ok()?.parse().ok()
}

/// Minutes since the Unix epoch of `YYYY-MM-DD` and `HH:MM…`, without allocating; `None` when malformed.
pub fn minute_of(date: &[u8], time: &[u8]) -> Option<i64> {
    if date.len() < 10 || time.len() < 5 || date[4] != b'-' || date[7] != b'-' || time[2] != b':' {
        return None;
    }
    let num = |s: &[u8]| -> Option<i64> {
        let mut n = 0i64;
        for &b in s {
            if !b.is_ascii_digit() {
                return None;
            }
            n = n * 10 + i64::from(b - b'0');
        }
        Some(n)
    };
    let (y, m, d) = (num(&date[0..4])?, num(&date[5..7])?, num(&date[8..10])?);
    let (hh, mm) = (num(&time[0..2])?, num(&time[3..5])?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 {
        return None;
    }
    Some(days_from_civil(y, m, d) * 1440 + hh * 60 + mm)
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DDTHH:MM:00Z` of a minute number.
pub(crate) fn minute_to_rfc3339(minute: i64) -> String {
    let days = minute.div_euclid(1440);
    let rem = minute.rem_euclid(1440);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:00Z", rem / 60, rem % 60)
}

/// Parses one tab-separated CloudFront line with the given layout.
///
/// # Errors
/// A short reason when the line has fewer columns than its header announces.
/// Splits `line` on TAB into `fields` (those past its end are dropped) and returns the number of
/// fields the line has. The split is most of the per-line cost: it looks at eight bytes at a
/// time (SWAR: a word's TAB bytes become its zero bytes, found exactly with carry-free
/// arithmetic), which beats one `memchr` call per field on CloudFront's many short fields.
fn split_tabs<'a, const N: usize>(line: &'a [u8], fields: &mut [&'a [u8]; N]) -> usize {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const TABS: u64 = 0x0909_0909_0909_0909;
    let mut n = 0;
    let mut start = 0;
    let mut field_ends_at = |tab: usize| {
        if n < N {
            fields[n] = &line[start..tab];
        }
        n += 1;
        start = tab + 1;
    };
    let (words, rest) = line.as_chunks::<8>();
    for (w, word) in words.iter().enumerate() {
        let x = u64::from_le_bytes(*word) ^ TABS;
        // High bit of each byte set exactly where that byte of x is zero (no borrow between
        // bytes, unlike the shorter has-zero-byte trick).
        let mut zeros = !(((x & LOW7) + LOW7) | x | LOW7);
        while zeros != 0 {
            field_ends_at(w * 8 + (zeros.trailing_zeros() / 8) as usize);
            zeros &= zeros - 1;
        }
    }
    let rest_at = words.len() * 8;
    for (i, &b) in rest.iter().enumerate() {
        if b == b'\t' {
            field_ends_at(rest_at + i);
        }
    }
    if n < N {
        fields[n] = &line[start..];
    }
    n + 1
}

pub(crate) fn parse_cloudfront<'a>(
    line: &'a [u8],
    cols: &CfColumns,
) -> Result<CfRecord<'a>, &'static str> {
    let mut fields: [&[u8]; 64] = [b""; 64];
    let mut n = split_tabs(line, &mut fields);
    // A stray trailing TAB (seen in AWS's own example) adds one empty column.
    if n == cols.count + 1 && fields.get(cols.count).is_some_and(|f| f.is_empty()) {
        n = cols.count;
    }
    if cols.lenient && n < 12 {
        return Err("too few columns for a CloudFront log line (fewer than 12)");
    }
    if !cols.lenient && n < cols.count {
        return Err("truncated line: fewer columns than the #Fields header");
    }
    record_of_fields(&fields[..n.min(fields.len())], cols)
}

/// A CloudFront record from its fields (a line already split, or the columns of a Parquet row),
/// laid out as `cols` says; a missing field is empty, like `-`.
///
/// # Errors
/// A short reason when `sc-status` is not a number or `date`/`time` is malformed.
pub(crate) fn record_of_fields<'a>(
    fields: &[&'a [u8]],
    cols: &CfColumns,
) -> Result<CfRecord<'a>, &'static str> {
    let get = |i: Option<usize>| {
        i.and_then(|i| fields.get(i).copied())
            .map(dash)
            .unwrap_or(b"")
    };
    let mut rec = CfRecord {
        edge: get(cols.edge),
        method: get(cols.method),
        host: if cols.host.is_some() {
            get(cols.host)
        } else {
            get(cols.x_host)
        },
        uri: {
            let u = get(cols.uri);
            memchr::memchr(b'?', u).map_or(u, |i| &u[..i])
        },
        detailed: {
            let d = get(cols.detailed);
            if d.is_empty() {
                get(cols.result_type)
            } else {
                d
            }
        },
        country: get(cols.country),
        distribution: get(cols.distribution),
        ..CfRecord::default()
    };
    if cols.status.is_some() {
        let s = get(cols.status);
        rec.status = Some(parse_u16(s).ok_or("sc-status is not a number")?);
    }
    rec.time_taken = parse_f64(get(cols.time_taken));
    rec.minute = match (cols.date, cols.time) {
        (Some(_), Some(_)) => Some(
            minute_of(get(cols.date), get(cols.time)).ok_or("date/time not YYYY-MM-DD HH:MM:SS")?,
        ),
        _ if get(cols.timestamp_ms).is_empty() => {
            parse_f64(get(cols.timestamp)).map(|secs| (secs / 60.0).floor() as i64)
        }
        _ => parse_f64(get(cols.timestamp_ms)).map(|ms| (ms / 60_000.0).floor() as i64),
    };
    Ok(rec)
}

/// Column positions of flow-log fields.
#[derive(Debug, Clone, Default)]
pub(crate) struct FlowColumns {
    pub(crate) count: usize,
    dstport: Option<usize>,
    action: Option<usize>,
    interface: Option<usize>,
}

impl FlowColumns {
    pub(crate) fn from_names<'a>(names: impl Iterator<Item = &'a str>) -> FlowColumns {
        let mut c = FlowColumns::default();
        for (i, n) in names.enumerate() {
            c.count = i + 1;
            match n {
                "dstport" => c.dstport = Some(i),
                "action" => c.action = Some(i),
                "interface-id" => c.interface = Some(i),
                _ => {}
            }
        }
        c
    }
}

/// One flow-log record.
pub(crate) struct FlowRecord<'a> {
    pub(crate) reject: bool,
    pub(crate) dstport: &'a [u8],
    pub(crate) interface: &'a [u8],
}

/// Parses one flow-log line.
///
/// # Errors
/// A short reason when the column count does not match the header.
pub(crate) fn parse_flow<'a>(
    line: &'a [u8],
    cols: &FlowColumns,
) -> Result<FlowRecord<'a>, &'static str> {
    let fields: Vec<&[u8]> = line
        .split(|&b| b == b' ')
        .filter(|f| !f.is_empty())
        .collect();
    if fields.len() != cols.count {
        return Err("flow log line does not have the header's field count");
    }
    let get = |i: Option<usize>| i.and_then(|i| fields.get(i).copied()).unwrap_or(b"");
    Ok(FlowRecord {
        reject: get(cols.action) == b"REJECT",
        dstport: get(cols.dstport),
        interface: get(cols.interface),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The word-at-a-time split equals `split(|b| b == TAB)`, for any bytes (TABs dense or
        /// none, bytes like 0x08/0x89 next to them, lines not a multiple of 8) and field caps.
        #[test]
        fn split_tabs_equals_the_plain_split(
            line in proptest::collection::vec(proptest::sample::select(vec![b'\t', b'\t', 0x08, 0x89, 0x00, 0xff, b'a', b'-']), 0..200),
        ) {
            let want: Vec<&[u8]> = line.split(|&b| b == b'\t').collect();
            let mut fields: [&[u8]; 64] = [b""; 64];
            let n = split_tabs(&line, &mut fields);
            proptest::prop_assert_eq!(n, want.len());
            proptest::prop_assert_eq!(&fields[..n.min(64)], &want[..n.min(64)]);
            let mut few: [&[u8]; 3] = [b""; 3];
            proptest::prop_assert_eq!(split_tabs(&line, &mut few), want.len());
            proptest::prop_assert_eq!(&few[..want.len().min(3)], &want[..want.len().min(3)]);
        }
    }

    #[test]
    fn minutes_round_trip_through_rfc3339() {
        let m = minute_of(b"2026-11-20", b"05:49:12").expect("valid");
        assert_eq!(minute_to_rfc3339(m), "2026-11-20T05:49:00Z");
        assert_eq!(
            minute_to_rfc3339(minute_of(b"2016-02-29", b"23:59:00").expect("leap")),
            "2016-02-29T23:59:00Z"
        );
        assert!(minute_of(b"2026-13-01", b"00:00").is_none());
    }
}
