//! A CloudFront record, from whichever format it came in (W3C or real-time line, v2 JSON, v2
//! Parquet row), counted the same way: which distribution it belongs to (its own
//! `DistributionId` field, the log file's name, or the `*.cloudfront.net` host of a snapshot's
//! distribution), which cache behavior its URI falls under (CloudFront's path-pattern match, in
//! the snapshot's behavior order), and so which origin timeouts `classify` judges it by.

use std::path::Path;

use super::classify::classify;
use super::formats::{CfColumns, CfRecord, parse_cloudfront};
use super::options::LogOptions;
use super::summary::{Acc, BucketKey};
use crate::model::cloudfront::path_pattern_matches;

/// The distribution id of a CloudFront log file name (`E2ABCDEFGHIJ.2025-11-23-05.abcd.gz`),
/// empty when the name does not start with one.
pub(super) fn distribution_of_file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .and_then(|n| n.split_once('.').map(|(d, _)| d.to_owned()))
        .filter(|d| {
            d.len() >= 10 && d.starts_with('E') && d.chars().all(|c| c.is_ascii_alphanumeric())
        })
        .unwrap_or_default()
}

/// Reads one CloudFront v2 JSON record (all values strings) through the W3C line parser: the
/// keys become the columns, the values a tab-separated line.
pub(super) fn json_record(
    acc: &mut Acc,
    opts: &LogOptions,
    record: &[u8],
    name: &str,
    line_no: u64,
    file_dist: &str,
) {
    let map: serde_json::Map<String, serde_json::Value> = match serde_json::from_slice(record) {
        Ok(m) => m,
        Err(e) => {
            acc.bad(|| format!("{name}:{line_no}: invalid JSON record: {e}"));
            return;
        }
    };
    let names: Vec<&str> = map.keys().map(String::as_str).collect();
    let cols = CfColumns::from_names(names.iter().copied());
    let line: Vec<u8> = names
        .iter()
        .map(|k| match &map[*k] {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\t")
        .into_bytes();
    match parse_cloudfront(&line, &cols) {
        Ok(rec) => cloudfront_record(acc, opts, &rec, file_dist),
        Err(reason) => acc.bad(|| format!("{name}:{line_no}: {reason}")),
    }
}

/// Counts one CloudFront record: filters (time, distribution), the status timeline, and for a
/// 5xx (or `000`) its behavior, timeouts and signature in a bucket, plus the top URIs, edges
/// and countries.
pub(super) fn cloudfront_record(
    acc: &mut Acc,
    opts: &LogOptions,
    rec: &CfRecord<'_>,
    file_distribution: &str,
) {
    // Counted before the filters: a record outside `--since` was still recognised.
    if rec.status.is_some() {
        acc.recognised += 1;
    } else {
        acc.no_status += 1;
    }
    // The record's own DistributionId (v2 field) wins over the one in the file name.
    let file_dist = if rec.distribution.is_empty() {
        file_distribution
    } else {
        std::str::from_utf8(rec.distribution).unwrap_or("")
    };
    if let (Some(since), Some(m)) = (opts.since, rec.minute)
        && m < since
    {
        return;
    }
    if let (Some(until), Some(m)) = (opts.until, rec.minute)
        && m >= until
    {
        return;
    }
    let dist_conf = opts.distributions.iter().find(|d| {
        (!file_dist.is_empty() && d.id == file_dist)
            || (!rec.host.is_empty() && d.domain.as_bytes().eq_ignore_ascii_case(rec.host))
    });
    let dist_id = dist_conf.map_or(file_dist, |d| d.id.as_str());
    if let Some(only) = &opts.distribution
        && dist_id != only
    {
        return;
    }
    acc.records += 1;
    acc.cloudfront_records += 1;
    let Some(status) = rec.status else { return };
    *acc.by_status.entry(status).or_default() += 1;
    let is_error = status >= 500 || status == 0;
    if let Some(m) = rec.minute {
        let e = acc.timeline.entry(m).or_default();
        e.0 += 1;
        if is_error {
            e.1 += 1;
        }
        if status == 504 {
            e.2 += 1;
        }
    }
    if !is_error {
        return;
    }
    let (behavior, timeouts) = match dist_conf.and_then(|d| {
        d.behaviors
            .iter()
            .find(|(p, _)| path_pattern_matches(p, rec.uri))
    }) {
        Some((p, t)) => (p.clone(), t),
        None => {
            let host = String::from_utf8_lossy(rec.host);
            let seg = rec
                .uri
                .split(|&b| b == b'/')
                .find(|s| !s.is_empty())
                .map(String::from_utf8_lossy);
            let group = match seg {
                Some(s) if rec.uri.iter().filter(|&&b| b == b'/').count() > 1 => {
                    format!("{host} /{s}/*")
                }
                _ => format!("{host} /*"),
            };
            (group, &opts.timeouts)
        }
    };
    let detailed = String::from_utf8_lossy(rec.detailed).into_owned();
    let method = std::str::from_utf8(rec.method).unwrap_or("");
    let sig = classify(
        status,
        &detailed,
        method,
        rec.time_taken.unwrap_or(-1.0),
        timeouts,
    );
    let key = BucketKey {
        source: "cloudfront",
        distribution: dist_id.to_owned(),
        behavior,
        status,
        detailed,
        signature: sig,
        target_group_arn: String::new(),
    };
    acc.add_bucket(key, rec.minute, rec.time_taken);
    *acc.top_uris
        .entry(String::from_utf8_lossy(rec.uri).into_owned())
        .or_default() += 1;
    if !rec.edge.is_empty() {
        *acc.top_edges
            .entry(String::from_utf8_lossy(rec.edge).into_owned())
            .or_default() += 1;
    }
    if !rec.country.is_empty() {
        *acc.top_countries
            .entry(String::from_utf8_lossy(rec.country).into_owned())
            .or_default() += 1;
    }
}
