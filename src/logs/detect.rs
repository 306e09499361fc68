//! Which format a file is, from its first lines: a `#Fields:` header (CloudFront W3C, columns
//! by name), a `{` (CloudFront v2 JSON), a flow-log header or `2 … eni-` record, an ALB record
//! type (`http`, `https`, `h2`, …), or a tab-separated line starting with a date (CloudFront W3C
//! without header: the 33 canonical columns). `--log-format` forces one; real-time logs are only
//! ever forced (their lines carry no marker). The answer is a [`Layout`]: what the parsers need
//! to read each following line.

use super::formats::{CfColumns, FLOW_V2, FlowColumns, alb_kind};
use super::options::{LogFormat, LogOptions};

/// How the lines of one file are read, decided once per file (again at each `#Fields:` line).
pub(super) enum Layout {
    /// CloudFront W3C or real-time lines, tab separated, with these columns.
    Cloudfront(CfColumns),
    /// CloudFront v2 JSON records (one object per record, possibly over several lines).
    Json,
    /// ALB access log lines; the vector is the parser's reusable field-span scratch.
    Alb(Vec<(usize, usize)>),
    /// VPC flow log lines with these columns.
    Flow(FlowColumns),
}

/// The layout of a file whose first meaningful line is `line` (or `None`: not a known format).
pub(super) fn detect(line: &[u8], opts: &LogOptions) -> Option<Layout> {
    let forced = opts.format;
    if forced == Some(LogFormat::CloudfrontRealtime) {
        return Some(Layout::Cloudfront(CfColumns::from_names(
            opts.realtime_fields.iter().map(String::as_str),
        )));
    }
    let text = String::from_utf8_lossy(line);
    if let Some(fields) = text.strip_prefix("#Fields:") {
        return Some(Layout::Cloudfront(CfColumns::from_names(
            fields.split_whitespace(),
        )));
    }
    match forced {
        // Handled above; a Parquet file never reaches the line reader.
        Some(LogFormat::CloudfrontRealtime | LogFormat::CloudfrontParquet) => return None,
        Some(LogFormat::Cloudfront) => return Some(Layout::Cloudfront(CfColumns::canonical())),
        Some(LogFormat::CloudfrontJson) => return Some(Layout::Json),
        Some(LogFormat::Alb) => return Some(Layout::Alb(Vec::new())),
        Some(LogFormat::Flow) => {
            let header = if text.starts_with("version ") {
                text.as_ref()
            } else {
                FLOW_V2
            };
            return Some(Layout::Flow(FlowColumns::from_names(
                header.split_whitespace(),
            )));
        }
        None => {}
    }
    if text.starts_with('{') {
        return Some(Layout::Json);
    }
    if text.starts_with("version ") || text.contains(" interface-id ") || text.contains(" srcaddr ")
    {
        return Some(Layout::Flow(FlowColumns::from_names(
            text.split_whitespace(),
        )));
    }
    let first = line.split(|&b| b == b' ').next().unwrap_or(b"");
    if alb_kind(first).is_some() {
        return Some(Layout::Alb(Vec::new()));
    }
    if first == b"2" && text.contains(" eni-") {
        return Some(Layout::Flow(FlowColumns::from_names(FLOW_V2.split(' '))));
    }
    if line.contains(&b'\t') && line.len() > 10 && line[4] == b'-' {
        return Some(Layout::Cloudfront(CfColumns::canonical()));
    }
    None
}
