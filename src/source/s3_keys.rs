//! Which S3 objects hold the logs of a time window, decided from their keys alone, before any
//! object is downloaded: the pure half of `edgepath logs s3://…` (the SDK half, listing and
//! reading, is `source::live::s3`).
//!
//! The key layouts AWS writes, and the time each key tells:
//! - CloudFront standard logs (legacy): `prefix/EDISTID.YYYY-MM-DD-HH.unique.gz`, one hour of
//!   requests per file name (a file may hold late records of the hour before: see [`SLACK`]);
//! - CloudFront standard logging v2 to S3, partitioned `{DistributionId}/{yyyy}/{MM}/{dd}/{HH}/…`
//!   or Hive style `year=yyyy/month=MM/day=dd/hour=HH`, files `.gz` (W3C), `.json`, `.parquet`;
//! - ALB access logs: `prefix/AWSLogs/ACCOUNT/elasticloadbalancing/REGION/yyyy/mm/dd/
//!   ACCOUNT_elasticloadbalancing_REGION_app.NAME.ID_YYYYMMDDTHHMMZ_IP_RANDOM.log.gz`, the time
//!   being the end of a 5-minute delivery interval;
//! - VPC flow logs: `prefix/AWSLogs/ACCOUNT/vpcflowlogs/REGION/yyyy/mm/dd[/HH]/
//!   ACCOUNT_vpcflowlogs_REGION_FLOWLOGID_YYYYMMDDTHHMMZ_HASH.log.gz`.
//!
//! The listing walks the prefix level by level (`ListObjectsV2` with `/` as delimiter):
//! [`descend`] tells which common prefixes (date folders, account, region, distribution) can
//! hold records of the window, and [`keep_object`] which objects; a date folder outside the
//! window is never listed, so a `--since 2h` on a year of logs costs a handful of requests.
//! A key whose time cannot be told is kept (its records are still filtered by time when read).

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

use crate::model::TimeWindow;

/// How far a file's records may lie from the time its key tells: CloudFront writes late
/// records of an hour into a later file, and an ALB interval file may be delivered minutes late.
pub const SLACK: Duration = Duration::hours(1);

/// An `s3://bucket/prefix` input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Url {
    /// The bucket name.
    pub bucket: String,
    /// The key prefix (may be empty; not necessarily ending in `/`).
    pub prefix: String,
}

impl S3Url {
    /// Parses `s3://bucket[/prefix]`; `None` when `s` is not an `s3://` URL or names no bucket.
    pub fn parse(s: &str) -> Option<S3Url> {
        let rest = s.strip_prefix("s3://")?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return None;
        }
        Some(S3Url {
            bucket: bucket.to_owned(),
            prefix: prefix.to_owned(),
        })
    }

    /// `s3://bucket/key`: how an object is named in warnings and unread files.
    pub fn object(&self, key: &str) -> String {
        format!("s3://{}/{key}", self.bucket)
    }
}

impl std::fmt::Display for S3Url {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.prefix)
    }
}

/// What narrows the listing besides time: a distribution id or an ALB name (from `--distribution`
/// / `--alb`); folders and files of other distributions or load balancers are skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyFilter {
    /// The window the records must fall in; `None`: every object.
    pub window: Option<TimeWindow>,
    /// Only this CloudFront distribution.
    pub distribution: Option<String>,
    /// Only this load balancer (its name).
    pub alb: Option<String>,
}

/// The time span `[from, to)` whose records a key can hold, at the precision the key tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySpan {
    /// Start of the span.
    pub from: DateTime<Utc>,
    /// End of the span.
    pub to: DateTime<Utc>,
}

impl KeySpan {
    /// Whether the span, widened by [`SLACK`] on both sides, meets the window.
    pub fn meets(&self, w: &TimeWindow) -> bool {
        self.from - SLACK < w.to && w.from < self.to + SLACK
    }
}

/// A date folder path read so far (`2026/11/23/` → year, month, day).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct DateParts {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
    hour: Option<u32>,
}

impl DateParts {
    /// The span the parts read so far cover (a year, a month, a day or an hour).
    fn span(&self) -> Option<KeySpan> {
        let year = self.year?;
        let start = NaiveDate::from_ymd_opt(year, self.month.unwrap_or(1), self.day.unwrap_or(1))?;
        let from = Utc.from_utc_datetime(&start.and_hms_opt(self.hour.unwrap_or(0), 0, 0)?);
        let to = match (self.month, self.day, self.hour) {
            (_, _, Some(_)) => from + Duration::hours(1),
            (_, Some(_), None) => from + Duration::days(1),
            (Some(m), None, None) => {
                let (y, m) = if m == 12 {
                    (year + 1, 1)
                } else {
                    (year, m + 1)
                };
                Utc.from_utc_datetime(&NaiveDate::from_ymd_opt(y, m, 1)?.and_hms_opt(0, 0, 0)?)
            }
            (None, None, None) => Utc
                .from_utc_datetime(&NaiveDate::from_ymd_opt(year + 1, 1, 1)?.and_hms_opt(0, 0, 0)?),
        };
        Some(KeySpan { from, to })
    }

    /// Reads one more folder name into the date, if it is the next date part (`2026`, `11`,
    /// `year=2026`, `month=11`, …); `false` when it is not a date part.
    fn push(&mut self, segment: &str) -> bool {
        let (name, value) = match segment.split_once('=') {
            Some((n, v)) => (Some(n.to_ascii_lowercase()), v),
            None => (None, segment),
        };
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        let Ok(n) = value.parse::<u32>() else {
            return false;
        };
        let expect = match (self.year, self.month, self.day, self.hour) {
            (None, ..) => "year",
            (Some(_), None, ..) => "month",
            (Some(_), Some(_), None, _) => "day",
            (Some(_), Some(_), Some(_), None) => "hour",
            _ => return false,
        };
        if name.as_deref().is_some_and(|n| n != expect) {
            return false;
        }
        match expect {
            "year" if value.len() == 4 && (1990..=2999).contains(&n) => {
                self.year = i32::try_from(n).ok();
            }
            "month" if value.len() == 2 && (1..=12).contains(&n) => self.month = Some(n),
            "day" if value.len() == 2 && (1..=31).contains(&n) => self.day = Some(n),
            "hour" if value.len() == 2 && n < 24 => self.hour = Some(n),
            _ => return false,
        }
        true
    }
}

/// The date folders of `path` (a key or a common prefix), in order from the left: the date of
/// the last run of date-looking segments.
fn dates_of(path: &str) -> DateParts {
    let mut date = DateParts::default();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        let mut next = date;
        if next.push(segment) {
            date = next;
        } else if date.year.is_some() && date.hour.is_none() && date.day.is_none() {
            // A non-date segment after a partial date: the date was not a date folder.
            date = DateParts::default();
        }
    }
    date
}

/// Whether `s` looks like a CloudFront distribution id (`E` + 9..=14 upper-case letters/digits).
fn is_distribution_id(s: &str) -> bool {
    (10..=15).contains(&s.len())
        && s.starts_with('E')
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// The time span a key's own name tells, when it tells one: a legacy CloudFront name
/// (`EDISTID.2026-11-23-05.abcd.gz`: that hour) or an ALB / VPC flow log name
/// (`…_20261123T0535Z_…`: the 5 minutes before), else the date folders of its path.
pub fn key_span(key: &str) -> Option<KeySpan> {
    let name = key.rsplit('/').next().unwrap_or(key);
    if let Some(span) = cloudfront_name_span(name).or_else(|| interval_name_span(name)) {
        return Some(span);
    }
    let folder = key.rsplit_once('/').map_or("", |(f, _)| f);
    dates_of(folder).span()
}

/// `EDISTID.YYYY-MM-DD-HH.unique[.gz]`.
fn cloudfront_name_span(name: &str) -> Option<KeySpan> {
    let mut parts = name.split('.');
    let dist = parts.next()?;
    let stamp = parts.next()?;
    if !is_distribution_id(dist) {
        return None;
    }
    let from = hour_stamp(stamp)?;
    Some(KeySpan {
        from,
        to: from + Duration::hours(1),
    })
}

/// `…_YYYYMMDDTHHMMZ_…` (ALB, classic ELB, NLB, VPC flow logs): the end of a 5-minute interval.
fn interval_name_span(name: &str) -> Option<KeySpan> {
    name.split('_').find_map(|part| {
        let b = part.as_bytes();
        if b.len() != 14 || b[8] != b'T' || b[13] != b'Z' {
            return None;
        }
        let digits = |r: std::ops::Range<usize>| -> Option<u32> {
            let s = part.get(r)?;
            s.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| s.parse().ok())?
        };
        let date = NaiveDate::from_ymd_opt(
            i32::try_from(digits(0..4)?).ok()?,
            digits(4..6)?,
            digits(6..8)?,
        )?;
        let end = Utc.from_utc_datetime(&date.and_hms_opt(digits(9..11)?, digits(11..13)?, 0)?);
        Some(KeySpan {
            from: end - Duration::minutes(5),
            to: end,
        })
    })
}

/// `YYYY-MM-DD-HH` as the start of that hour (UTC).
fn hour_stamp(stamp: &str) -> Option<DateTime<Utc>> {
    let b = stamp.as_bytes();
    if b.len() != 13 || b[4] != b'-' || b[7] != b'-' || b[10] != b'-' {
        return None;
    }
    let n = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = stamp.get(r)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    let date = NaiveDate::from_ymd_opt(i32::try_from(n(0..4)?).ok()?, n(5..7)?, n(8..10)?)?;
    Some(Utc.from_utc_datetime(&date.and_hms_opt(n(11..13)?, 0, 0)?))
}

/// Whether the listing should go into `common_prefix` (a folder under the listed prefix, ending
/// in `/`): not when it is a date folder outside the window, another distribution's folder, or
/// another load balancer's.
pub fn descend(common_prefix: &str, filter: &KeyFilter) -> bool {
    let segment = common_prefix
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    if let Some(want) = &filter.distribution
        && is_distribution_id(segment)
        && segment != want
    {
        return false;
    }
    let Some(window) = &filter.window else {
        return true;
    };
    dates_of(common_prefix)
        .span()
        .is_none_or(|span| span.meets(window))
}

/// Whether an object (its key and size) is read: not a marker (`ELBAccessLogTestFile`, a
/// folder object), not another distribution's or load balancer's log, and its key's time meets
/// the window (kept when the key tells no time).
pub fn keep_object(key: &str, filter: &KeyFilter) -> bool {
    let name = key.rsplit('/').next().unwrap_or(key);
    if name.is_empty() || name.ends_with("ELBAccessLogTestFile") {
        return false;
    }
    if let Some(want) = &filter.distribution {
        let dist = name.split('.').next().unwrap_or("");
        if is_distribution_id(dist) && dist != want {
            return false;
        }
        if key
            .split('/')
            .any(|s| is_distribution_id(s) && s != want.as_str())
        {
            return false;
        }
    }
    if let Some(alb) = &filter.alb
        && name.contains("_elasticloadbalancing_")
        && !name.contains(&format!("_app.{alb}."))
        && !name.contains(&format!("_net.{alb}."))
        && !name.contains(&format!("_{alb}_"))
    {
        return false;
    }
    match (&filter.window, key_span(key)) {
        (Some(w), Some(span)) => span.meets(w),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("time")
            .with_timezone(&Utc)
    }

    fn window(from: &str, to: &str) -> KeyFilter {
        KeyFilter {
            window: Some(TimeWindow::between(t(from), t(to)).expect("window")),
            ..KeyFilter::default()
        }
    }

    #[test]
    fn s3_urls_parse_with_and_without_a_prefix() {
        assert_eq!(
            S3Url::parse("s3://logs-bucket/cf/E2AB/"),
            Some(S3Url {
                bucket: "logs-bucket".into(),
                prefix: "cf/E2AB/".into()
            })
        );
        assert_eq!(
            S3Url::parse("s3://b").map(|u| u.prefix),
            Some(String::new())
        );
        assert_eq!(S3Url::parse("s3:///x"), None);
        assert_eq!(S3Url::parse("./logs"), None);
    }

    #[test]
    fn legacy_cloudfront_names_tell_their_hour() {
        let span = key_span("cf/E2ABCDEFGHIJ.2026-11-23-05.0a1b2c3d.gz").expect("span");
        assert_eq!(span.from, t("2026-11-23T05:00:00Z"));
        assert_eq!(span.to, t("2026-11-23T06:00:00Z"));
        assert_eq!(key_span("cf/E2ABCDEFGHIJ.2026-13-23-05.x.gz"), None);
        assert_eq!(key_span("cf/notes.2026-11-23-05.txt"), None);
    }

    #[test]
    fn alb_and_flow_log_names_tell_their_five_minutes() {
        let alb = "p/AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/11/23/\
                   123456789012_elasticloadbalancing_us-east-1_app.web.50dc6c495c0c9188_20261123T0535Z_10.0.0.1_2soosksi.log.gz";
        let span = key_span(alb).expect("span");
        assert_eq!(
            (span.from, span.to),
            (t("2026-11-23T05:30:00Z"), t("2026-11-23T05:35:00Z"))
        );
        let flow = "AWSLogs/123456789012/vpcflowlogs/eu-west-1/2026/11/23/\
                    123456789012_vpcflowlogs_eu-west-1_fl-1234abcd_20261123T0510Z_fe123456.log.gz";
        assert_eq!(key_span(flow).expect("span").to, t("2026-11-23T05:10:00Z"));
    }

    #[test]
    fn partitioned_v2_paths_tell_their_hour_or_day() {
        let hour = key_span("v2/E2ABCDEFGHIJ/2026/11/23/05/part-0001.parquet").expect("span");
        assert_eq!(
            (hour.from, hour.to),
            (t("2026-11-23T05:00:00Z"), t("2026-11-23T06:00:00Z"))
        );
        let hive = key_span("v2/year=2026/month=11/day=23/hour=07/a.json.gz").expect("span");
        assert_eq!(hive.from, t("2026-11-23T07:00:00Z"));
        let day = key_span("AWSLogs/1/vpcflowlogs/r/2026/12/31/x.log.gz").expect("span");
        assert_eq!(
            (day.from, day.to),
            (t("2026-12-31T00:00:00Z"), t("2027-01-01T00:00:00Z"))
        );
        assert_eq!(key_span("logs/app/access.log.gz"), None);
        // Not a date: a 4-digit name followed by a non-date segment.
        assert_eq!(key_span("2026/readme/a.gz"), None);
    }

    #[test]
    fn date_folders_outside_the_window_are_not_listed() {
        let f = window("2026-11-23T05:00:00Z", "2026-11-23T07:00:00Z");
        let base = "AWSLogs/123456789012/elasticloadbalancing/us-east-1/";
        assert!(descend(base, &f), "non-date folders are listed");
        assert!(descend(&format!("{base}2026/"), &f));
        assert!(!descend(&format!("{base}2025/"), &f));
        assert!(descend(&format!("{base}2026/11/"), &f));
        assert!(!descend(&format!("{base}2026/10/"), &f));
        assert!(descend(&format!("{base}2026/11/23/"), &f));
        assert!(!descend(&format!("{base}2026/11/21/"), &f));
        // The slack reaches the day before only within its last hour.
        let early = window("2026-11-23T00:30:00Z", "2026-11-23T02:00:00Z");
        assert!(descend(&format!("{base}2026/11/22/"), &early));
        assert!(!descend(&format!("{base}2026/11/21/"), &early));
        assert!(descend("v2/E2ABCDEFGHIJ/2026/11/23/06/", &f));
        assert!(!descend("v2/E2ABCDEFGHIJ/2026/11/23/09/", &f));
        assert!(!descend("v2/year=2026/month=11/day=23/hour=03/", &f));
        assert!(descend("anything/", &KeyFilter::default()));
    }

    #[test]
    fn objects_are_kept_by_the_time_their_key_tells_with_slack() {
        let f = window("2026-11-23T05:00:00Z", "2026-11-23T07:00:00Z");
        let k = |h: u32| format!("cf/E2ABCDEFGHIJ.2026-11-23-{h:02}.abcd.gz");
        let kept: Vec<u32> = (0..24).filter(|h| keep_object(&k(*h), &f)).collect();
        assert_eq!(kept, vec![4, 5, 6, 7], "an hour of slack on each side");
        assert!(keep_object("cf/unknown-name.gz", &f), "no time: kept");
        assert!(!keep_object(
            "AWSLogs/1/elasticloadbalancing/us-east-1/ELBAccessLogTestFile",
            &f
        ));
        assert!(!keep_object("cf/", &KeyFilter::default()), "folder object");
    }

    #[test]
    fn a_distribution_or_alb_narrows_the_listing() {
        let f = KeyFilter {
            distribution: Some("E2ABCDEFGHIJ".into()),
            ..KeyFilter::default()
        };
        assert!(keep_object("cf/E2ABCDEFGHIJ.2026-11-23-05.a.gz", &f));
        assert!(!keep_object("cf/E9ZZZZZZZZZZ.2026-11-23-05.a.gz", &f));
        assert!(descend("v2/E2ABCDEFGHIJ/", &f));
        assert!(!descend("v2/E9ZZZZZZZZZZ/", &f));
        assert!(!keep_object("v2/E9ZZZZZZZZZZ/2026/11/23/05/a.parquet", &f));
        let a = KeyFilter {
            alb: Some("web".into()),
            ..KeyFilter::default()
        };
        let name = |lb: &str| {
            format!(
                "AWSLogs/1/elasticloadbalancing/us-east-1/2026/11/23/1_elasticloadbalancing_us-east-1_app.{lb}.50dc6c495c0c9188_20261123T0535Z_10.0.0.1_x.log.gz"
            )
        };
        assert!(keep_object(&name("web"), &a));
        assert!(!keep_object(&name("web-2"), &a));
    }
}
