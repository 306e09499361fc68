//! Aggregation: per-file accumulators merged into one [`LogSummary`], and the log facts the
//! rules read.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use serde::Serialize;

use super::classify::{Signature, Timeouts};
use super::formats::minute_to_rfc3339;
use crate::facts::{Fact, LogBucketFact};

/// Time-taken histogram resolution: 0.1 s bins up to 300 s (the Athena SQL bins the same way).
pub(crate) const BINS: usize = 3001;
/// Bins per second.
pub(crate) const BINS_PER_SECOND: f64 = 10.0;
/// How many bad lines are kept as samples.
pub(crate) const BAD_SAMPLES: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct BucketKey {
    pub(crate) source: &'static str,
    pub(crate) distribution: String,
    pub(crate) behavior: String,
    pub(crate) status: u16,
    pub(crate) detailed: String,
    pub(crate) signature: Signature,
    /// ALB: the record's `target_group_arn` (`-` or empty otherwise).
    pub(crate) target_group_arn: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Bucket {
    pub(crate) count: u64,
    pub(crate) first: i64,
    pub(crate) last: i64,
    hist: Vec<u32>,
}

impl Bucket {
    fn new() -> Bucket {
        Bucket {
            count: 0,
            first: i64::MAX,
            last: i64::MIN,
            hist: vec![0; BINS],
        }
    }
    fn add(&mut self, minute: Option<i64>, t: Option<f64>) {
        self.count += 1;
        if let Some(m) = minute {
            self.first = self.first.min(m);
            self.last = self.last.max(m);
        }
        if let Some(t) = t {
            let bin = ((t * BINS_PER_SECOND).round().max(0.0) as usize).min(BINS - 1);
            self.hist[bin] += 1;
        }
    }
    fn merge(&mut self, o: &Bucket) {
        self.count += o.count;
        self.first = self.first.min(o.first);
        self.last = self.last.max(o.last);
        for (a, b) in self.hist.iter_mut().zip(&o.hist) {
            *a += b;
        }
    }
    fn median(&self) -> f64 {
        let total: u64 = self.hist.iter().map(|&x| u64::from(x)).sum();
        let mut seen = 0;
        for (i, &c) in self.hist.iter().enumerate() {
            seen += u64::from(c);
            if total > 0 && seen * 2 >= total {
                return i as f64 / 10.0;
            }
        }
        0.0
    }
}

/// One file's (or the merged) counts.
#[derive(Debug, Default)]
pub(crate) struct Acc {
    pub(crate) files: u64,
    pub(crate) records: u64,
    pub(crate) cloudfront_records: u64,
    pub(crate) alb_records: u64,
    pub(crate) flow_records: u64,
    pub(crate) other_format_lines: u64,
    pub(crate) bad_lines: u64,
    pub(crate) bad_samples: Vec<String>,
    pub(crate) warnings: Vec<String>,
    pub(crate) by_status: BTreeMap<u16, u64>,
    /// Keyed with [`WordHasher`]: one lookup per classified record.
    pub(crate) buckets: HashMap<BucketKey, Bucket, BuildHasherDefault<WordHasher>>,
    /// minute → (requests, 5xx, 504) of CloudFront.
    pub(crate) timeline: BTreeMap<i64, (u64, u64, u64)>,
    pub(crate) top_uris: HashMap<String, u64>,
    pub(crate) top_edges: HashMap<String, u64>,
    pub(crate) top_countries: HashMap<String, u64>,
    /// (elb_status, target_status) → count.
    pub(crate) alb_pairs: BTreeMap<(u16, String), u64>,
    pub(crate) alb_connect_failures: u64,
    pub(crate) alb_idle_timeouts: u64,
    pub(crate) alb_5xx_minutes: BTreeMap<i64, u64>,
    /// ALB records per signature (classified statuses only).
    pub(crate) alb_signatures: BTreeMap<Signature, u64>,
    /// `target:port` → minute → requests, 5xx and the last 5xx status: the draining check.
    pub(crate) alb_targets: TargetMinutes,
    pub(crate) flow_rejects: BTreeMap<String, u64>,
    pub(crate) flow_reject_interfaces: HashMap<String, u64>,
    /// Records of a format edgepath reads that it can classify (a CloudFront record needs its
    /// status), before the time and distribution filters: the exit-2 rule counts these.
    pub(crate) recognised: u64,
    /// CloudFront records without `sc-status` (RTMP distributions, v2 field selections).
    pub(crate) no_status: u64,
    /// Inputs that yielded no recognised record, and what each looked like.
    pub(crate) unread: Vec<UnreadFile>,
}

/// `target:port` → minute → its requests: looked up once per ALB line, so keyed with
/// [`WordHasher`].
pub(crate) type TargetMinutes =
    HashMap<Vec<u8>, BTreeMap<i64, TargetMinute>, BuildHasherDefault<WordHasher>>;

/// A hasher for the per-record maps (a target's `ip:port`, a bucket's key), eight bytes a step
/// with FxHash's rotate, xor and multiply, where the default SipHash spends several rounds per
/// eight bytes (it was 5 % of an ALB read). Not built to resist chosen collisions: the keys come
/// from the logs the user reads, and the worst case is a slower read. Nothing is output in the
/// maps' order.
#[derive(Default)]
pub(crate) struct WordHasher(u64);

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let (words, rest) = bytes.as_chunks::<8>();
        for w in words {
            self.add(u64::from_le_bytes(*w));
        }
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        // The multiply leaves the best-mixed bits at the top; the table indexes with the low ones.
        self.0.rotate_left(26)
    }
}

/// One target's requests in one minute.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TargetMinute {
    requests: u64,
    errors_5xx: u64,
    last_5xx: u16,
}

/// A draining-shaped target: it stopped appearing at least this many minutes before the ALB
/// log's last minute…
pub const DRAINING_GONE_MINUTES: i64 = 2;
/// …and in its last this-many minutes at least half its requests (and at least
/// [`DRAINING_MIN_5XX`]) were 5xx: requests in flight on a target whose task was gone.
pub const DRAINING_WINDOW_MINUTES: i64 = 2;
/// Fewest 5xx in the window for a draining-shaped target.
pub const DRAINING_MIN_5XX: u64 = 3;

impl Acc {
    /// Counts one ALB record on its target (`-` is not a target).
    pub(crate) fn alb_target_minute(&mut self, target: &[u8], minute: i64, status: u16) {
        if target == b"-" || target.is_empty() {
            return;
        }
        let minutes = match self.alb_targets.get_mut(target) {
            Some(m) => m,
            None => self.alb_targets.entry(target.to_vec()).or_default(),
        };
        let e = minutes.entry(minute).or_default();
        e.requests += 1;
        if status >= 500 {
            e.errors_5xx += 1;
            e.last_5xx = status;
        }
    }

    /// Adds an aggregated (Athena) row of one target's minute: its requests, its 5xx and a
    /// 5xx status among them.
    pub(crate) fn alb_target_minute_row(
        &mut self,
        target: &str,
        minute: i64,
        requests: u64,
        errors_5xx: u64,
        status_5xx: u16,
    ) {
        let e = self
            .alb_targets
            .entry(target.as_bytes().to_vec())
            .or_default()
            .entry(minute)
            .or_default();
        e.requests += requests;
        e.errors_5xx += errors_5xx;
        if errors_5xx > 0 {
            e.last_5xx = status_5xx;
        }
    }

    pub(crate) fn bad(&mut self, sample: impl FnOnce() -> String) {
        self.bad_lines += 1;
        if self.bad_samples.len() < BAD_SAMPLES {
            self.bad_samples.push(sample());
        }
    }

    /// Adds `count` records of one bucket that fell in one time-taken bin (`None`: not logged)
    /// between two minutes: an aggregated row (Athena) counted as its records would be.
    pub(crate) fn add_bucket_bin(
        &mut self,
        key: BucketKey,
        minutes: (i64, i64),
        bin: Option<usize>,
        count: u64,
    ) {
        let b = self.buckets.entry(key).or_insert_with(Bucket::new);
        b.count += count;
        b.first = b.first.min(minutes.0);
        b.last = b.last.max(minutes.1);
        if let Some(bin) = bin {
            let n = u32::try_from(count).unwrap_or(u32::MAX);
            b.hist[bin.min(BINS - 1)] = b.hist[bin.min(BINS - 1)].saturating_add(n);
        }
    }

    pub(crate) fn add_bucket(&mut self, key: BucketKey, minute: Option<i64>, t: Option<f64>) {
        self.buckets
            .entry(key)
            .or_insert_with(Bucket::new)
            .add(minute, t);
    }

    pub(crate) fn merge(&mut self, o: Acc) {
        self.files += o.files;
        self.records += o.records;
        self.cloudfront_records += o.cloudfront_records;
        self.alb_records += o.alb_records;
        self.flow_records += o.flow_records;
        self.other_format_lines += o.other_format_lines;
        self.bad_lines += o.bad_lines;
        for s in o.bad_samples {
            if self.bad_samples.len() < BAD_SAMPLES {
                self.bad_samples.push(s);
            }
        }
        self.warnings.extend(o.warnings);
        self.recognised += o.recognised;
        self.no_status += o.no_status;
        self.unread.extend(o.unread);
        for (k, v) in o.by_status {
            *self.by_status.entry(k).or_default() += v;
        }
        for (k, b) in o.buckets {
            match self.buckets.get_mut(&k) {
                Some(mine) => mine.merge(&b),
                None => {
                    self.buckets.insert(k, b);
                }
            }
        }
        for (k, (a, b, c)) in o.timeline {
            let e = self.timeline.entry(k).or_default();
            e.0 += a;
            e.1 += b;
            e.2 += c;
        }
        for (map, other) in [
            (&mut self.top_uris, o.top_uris),
            (&mut self.top_edges, o.top_edges),
            (&mut self.top_countries, o.top_countries),
            (&mut self.flow_reject_interfaces, o.flow_reject_interfaces),
        ] {
            for (k, v) in other {
                *map.entry(k).or_default() += v;
            }
        }
        for (k, v) in o.alb_pairs {
            *self.alb_pairs.entry(k).or_default() += v;
        }
        self.alb_connect_failures += o.alb_connect_failures;
        self.alb_idle_timeouts += o.alb_idle_timeouts;
        for (k, v) in o.alb_5xx_minutes {
            *self.alb_5xx_minutes.entry(k).or_default() += v;
        }
        for (k, v) in o.alb_signatures {
            *self.alb_signatures.entry(k).or_default() += v;
        }
        for (t, minutes) in o.alb_targets {
            let mine = self.alb_targets.entry(t).or_default();
            for (m, x) in minutes {
                let e = mine.entry(m).or_default();
                e.requests += x.requests;
                e.errors_5xx += x.errors_5xx;
                if x.errors_5xx > 0 {
                    e.last_5xx = x.last_5xx;
                }
            }
        }
        for (k, v) in o.flow_rejects {
            *self.flow_rejects.entry(k).or_default() += v;
        }
    }
}

/// An input that yielded no record edgepath could classify.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UnreadFile {
    /// The file as named on the command line (or found under a directory).
    pub file: String,
    /// What it looked like: `empty`, `binary`, `truncated or corrupt gzip`, `CloudTrail JSON`,
    /// `S3 server access log`, `nginx/Apache combined access log`, …
    pub looks_like: String,
}

/// The classified summary: JSON keys per the README (`summary.records`, `summary.bad_lines`,
/// `summary.by_status`, `summary.origin_errors[]`).
#[derive(Debug, Clone, Serialize)]
pub struct LogSummary {
    /// Files read.
    pub files: u64,
    /// Records parsed (all formats).
    pub records: u64,
    /// Records per format.
    pub records_by_format: BTreeMap<String, u64>,
    /// Lines that could not be parsed.
    pub bad_lines: u64,
    /// The first few bad lines as `file:line: reason`.
    pub bad_line_samples: Vec<String>,
    /// Lines of another log type that were recognised and skipped (e.g. NLB).
    pub other_format_lines: u64,
    /// Problems reading files (unreadable, truncated gzip, …); every input that yielded no
    /// record is named here too.
    pub warnings: Vec<String>,
    /// Inputs that yielded no record edgepath could classify, with what each looked like.
    pub unread_files: Vec<UnreadFile>,
    /// CloudFront status → count.
    pub by_status: BTreeMap<String, u64>,
    /// 5xx / `000` buckets, largest first.
    pub origin_errors: Vec<OriginError>,
    /// Per-minute CloudFront 5xx counts (only minutes with traffic).
    pub timeline: Vec<TimelinePoint>,
    /// First minute where 504s rose above the baseline, if any.
    pub onset: Option<String>,
    /// Top URIs among 5xx.
    pub top_uris: Vec<(String, u64)>,
    /// Top edge locations among 5xx.
    pub top_edge_locations: Vec<(String, u64)>,
    /// Top viewer countries among 5xx (when logged).
    pub top_countries: Vec<(String, u64)>,
    /// ALB side, when ALB logs were given.
    pub alb: Option<AlbView>,
    /// Flow-log REJECTs by destination port.
    pub flow_rejects_by_dstport: BTreeMap<String, u64>,
    /// Interfaces with the most REJECTs.
    pub flow_reject_interfaces: Vec<(String, u64)>,
    /// The timeouts the signatures assumed.
    pub timeouts_used: Timeouts,
    /// When the classification ran on Athena: the table, bytes scanned and cost.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub athena: Option<super::sql_rows::AthenaStats>,
}

/// One (origin/behavior, status, detailed type, signature) bucket.
#[derive(Debug, Clone, Serialize)]
pub struct OriginError {
    /// `cloudfront` or `alb`.
    pub source: String,
    /// Distribution id, if known.
    pub distribution: String,
    /// Cache behavior path pattern, or `host /prefix/*` without a snapshot.
    pub behavior: String,
    /// HTTP status.
    pub status: u16,
    /// `x-edge-detailed-result-type` (CloudFront) or target status (ALB).
    pub detailed_result_type: String,
    /// Signature name.
    pub signature: Signature,
    /// ALB: the target group the records were forwarded to (`target_group_arn`), else empty.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub target_group_arn: String,
    /// Records.
    pub count: u64,
    /// Share of all requests of its source, CloudFront or ALB (0–1).
    pub share: f64,
    /// Median time-taken (s).
    pub median_time_taken: f64,
    /// First minute seen.
    pub first_seen: String,
    /// Last minute seen.
    pub last_seen: String,
    /// `true`/`false` when ALB logs were given (ALB 5xx rows in the same minutes), else `unknown`.
    pub alb_rows_seen: String,
}

/// A minute of the 5xx timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelinePoint {
    /// `YYYY-MM-DDTHH:MM:00Z`.
    pub minute: String,
    /// CloudFront requests.
    pub requests: u64,
    /// 5xx.
    pub errors_5xx: u64,
    /// 504s.
    pub errors_504: u64,
}

/// What ALB logs say.
#[derive(Debug, Clone, Serialize)]
pub struct AlbView {
    /// ALB records.
    pub records: u64,
    /// `elb_status_code` / `target_status_code` pairs among 5xx.
    pub status_pairs: Vec<(String, u64)>,
    /// 504 with target status `-` and ≈10 s elapsed: the ALB could not connect to a target.
    pub target_connect_failures: u64,
    /// 504 with `target_processing_time` -1 near the idle timeout.
    pub idle_timeouts: u64,
    /// Classified records (5xx, 460, 463, 464) per ALB signature name.
    pub by_signature: BTreeMap<String, u64>,
    /// Targets whose last minutes were mostly 5xx and which then left the log.
    pub draining_targets: Vec<DrainingTarget>,
}

/// A target whose 5xx concentrated in its last minutes before it stopped appearing.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DrainingTarget {
    /// `ip:port`.
    pub target: String,
    /// Requests it received in the whole log.
    pub requests: u64,
    /// 5xx in its last minutes.
    pub errors_5xx: u64,
    /// Requests in its last minutes.
    pub window_requests: u64,
    /// The last 5xx status it got.
    pub status: u16,
    /// Its first minute in the log.
    pub first_seen: String,
    /// Its last minute in the log.
    pub last_seen: String,
    #[serde(skip)]
    last_minute: i64,
}

/// Targets that look like a deregistration race (see [`DRAINING_GONE_MINUTES`]).
fn draining_targets(targets: &TargetMinutes) -> Vec<DrainingTarget> {
    let Some(log_end) = targets
        .values()
        .filter_map(|m| m.keys().next_back())
        .max()
        .copied()
    else {
        return Vec::new();
    };
    let mut out: Vec<DrainingTarget> = targets
        .iter()
        .filter_map(|(t, minutes)| {
            let (&first, _) = minutes.iter().next()?;
            let (&last, _) = minutes.iter().next_back()?;
            if last > log_end - DRAINING_GONE_MINUTES {
                return None;
            }
            let window = minutes.range(last - DRAINING_WINDOW_MINUTES + 1..=last);
            let (mut requests, mut errors, mut status) = (0, 0, 0);
            for (_, x) in window {
                requests += x.requests;
                errors += x.errors_5xx;
                if x.errors_5xx > 0 {
                    status = x.last_5xx;
                }
            }
            (errors >= DRAINING_MIN_5XX && errors * 2 >= requests).then(|| DrainingTarget {
                target: String::from_utf8_lossy(t).into_owned(),
                requests: minutes.values().map(|x| x.requests).sum(),
                errors_5xx: errors,
                window_requests: requests,
                status,
                first_seen: minute_to_rfc3339(first),
                last_seen: minute_to_rfc3339(last),
                last_minute: last,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.errors_5xx
            .cmp(&a.errors_5xx)
            .then_with(|| a.target.cmp(&b.target))
    });
    out
}

fn top(map: HashMap<String, u64>, n: usize) -> Vec<(String, u64)> {
    let mut v: Vec<_> = map.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(n);
    v
}

/// Onset: the first minute whose 504 count is ≥ 5 and ≥ 3× the median of the earlier minutes.
fn onset(timeline: &BTreeMap<i64, (u64, u64, u64)>) -> Option<i64> {
    let mut earlier: Vec<u64> = Vec::new();
    for (&m, &(_, _, e504)) in timeline {
        let mut sorted = earlier.clone();
        sorted.sort_unstable();
        let median = sorted.get(sorted.len() / 2).copied().unwrap_or(0);
        if e504 >= 5 && e504 >= 3 * median.max(1) {
            return Some(m);
        }
        earlier.push(e504);
    }
    None
}

pub(crate) fn build(mut acc: Acc, timeouts: Timeouts) -> LogSummary {
    let onset_minute = onset(&acc.timeline);
    let draining = draining_targets(&acc.alb_targets);
    // Each draining-shaped target is a bucket of its own (its 5xx are also in their
    // per-record class: this one says where they concentrated).
    for d in &draining {
        let key = BucketKey {
            source: "alb",
            distribution: String::new(),
            behavior: String::new(),
            status: d.status,
            detailed: format!("target {}", d.target),
            signature: Signature::AlbDrainingTarget,
            target_group_arn: String::new(),
        };
        let b = acc.buckets.entry(key).or_insert_with(Bucket::new);
        b.count = d.errors_5xx;
        b.first = d.last_minute;
        b.last = d.last_minute;
    }
    let total_cf = acc.cloudfront_records.max(1) as f64;
    let total_alb = acc.alb_records.max(1) as f64;
    let have_alb = acc.alb_records > 0;
    let mut origin_errors: Vec<OriginError> = acc
        .buckets
        .iter()
        .map(|(k, b)| {
            let alb_rows_seen = if !have_alb || k.source != "cloudfront" {
                "unknown".to_owned()
            } else {
                let seen =
                    (b.first..=b.last.max(b.first)).any(|m| acc.alb_5xx_minutes.contains_key(&m));
                seen.to_string()
            };
            OriginError {
                source: k.source.to_owned(),
                distribution: k.distribution.clone(),
                behavior: k.behavior.clone(),
                status: k.status,
                detailed_result_type: k.detailed.clone(),
                signature: k.signature,
                target_group_arn: k.target_group_arn.clone(),
                count: b.count,
                share: b.count as f64
                    / if k.source == "alb" {
                        total_alb
                    } else {
                        total_cf
                    },
                median_time_taken: b.median(),
                first_seen: if b.first == i64::MAX {
                    String::new()
                } else {
                    minute_to_rfc3339(b.first)
                },
                last_seen: if b.last == i64::MIN {
                    String::new()
                } else {
                    minute_to_rfc3339(b.last)
                },
                alb_rows_seen,
            }
        })
        .collect();
    // Busiest first; ties broken on the whole bucket key so the output never depends on hash
    // order (equal counts are common).
    origin_errors.sort_by(|a, b| {
        b.count.cmp(&a.count).then_with(|| {
            (
                &a.source,
                &a.distribution,
                &a.behavior,
                a.status,
                &a.detailed_result_type,
                a.signature,
                &a.target_group_arn,
            )
                .cmp(&(
                    &b.source,
                    &b.distribution,
                    &b.behavior,
                    b.status,
                    &b.detailed_result_type,
                    b.signature,
                    &b.target_group_arn,
                ))
        })
    });
    let mut records_by_format = BTreeMap::new();
    for (k, v) in [
        ("cloudfront", acc.cloudfront_records),
        ("alb", acc.alb_records),
        ("vpc_flow", acc.flow_records),
    ] {
        if v > 0 {
            records_by_format.insert(k.to_owned(), v);
        }
    }
    LogSummary {
        files: acc.files,
        records: acc.records,
        records_by_format,
        bad_lines: acc.bad_lines,
        bad_line_samples: acc.bad_samples,
        other_format_lines: acc.other_format_lines,
        warnings: acc.warnings,
        unread_files: acc.unread,
        by_status: acc
            .by_status
            .iter()
            .map(|(k, v)| (format!("{k:03}"), *v))
            .collect(),
        origin_errors,
        timeline: acc
            .timeline
            .iter()
            .map(|(&m, &(r, e, e504))| TimelinePoint {
                minute: minute_to_rfc3339(m),
                requests: r,
                errors_5xx: e,
                errors_504: e504,
            })
            .collect(),
        onset: onset_minute.map(minute_to_rfc3339),
        top_uris: top(acc.top_uris, 5),
        top_edge_locations: top(acc.top_edges, 5),
        top_countries: top(acc.top_countries, 5),
        alb: have_alb.then(|| AlbView {
            records: acc.alb_records,
            status_pairs: acc
                .alb_pairs
                .iter()
                .map(|((e, t), c)| (format!("{e} / {t}"), *c))
                .collect(),
            target_connect_failures: acc.alb_connect_failures,
            idle_timeouts: acc.alb_idle_timeouts,
            by_signature: acc
                .alb_signatures
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), *v))
                .chain((!draining.is_empty()).then(|| {
                    (
                        Signature::AlbDrainingTarget.as_str().to_owned(),
                        draining.iter().map(|d| d.errors_5xx).sum(),
                    )
                }))
                .collect(),
            draining_targets: draining,
        }),
        flow_rejects_by_dstport: acc.flow_rejects,
        flow_reject_interfaces: top(acc.flow_reject_interfaces, 5),
        timeouts_used: timeouts,
        athena: None,
    }
}

/// One `log_bucket` fact per 5xx bucket, for the rules.
#[must_use]
pub fn bucket_facts(s: &LogSummary) -> Vec<Fact> {
    s.origin_errors
        .iter()
        .map(|e| {
            Fact::LogBucket(LogBucketFact {
                source: e.source.clone(),
                distribution: e.distribution.clone(),
                behavior: e.behavior.clone(),
                origin_id: String::new(),
                status: i64::from(e.status),
                detailed_result_type: e.detailed_result_type.clone(),
                signature: e.signature.as_str().to_owned(),
                count: i64::try_from(e.count).unwrap_or(i64::MAX),
                share: e.share,
                median_time_taken: e.median_time_taken,
                first_seen: e.first_seen.clone(),
                last_seen: e.last_seen.clone(),
                onset: s.onset.clone().unwrap_or_default(),
                alb_rows_seen: e.alb_rows_seen.clone(),
                #[allow(
                    clippy::cast_possible_truncation,
                    reason = "idle timeouts are whole seconds, 1 to 4000"
                )]
                alb_idle_timeout_seconds: s.timeouts_used.alb_idle_timeout.round() as i64,
                target_group_arn_arg: e.target_group_arn.clone(),
                timeouts_source: s.timeouts_used.source.clone(),
                ..LogBucketFact::default()
            })
        })
        .collect()
}
