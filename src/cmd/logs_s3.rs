//! Log inputs that may be `s3://bucket/prefix` URLs besides local files (`logs`, `triage --logs`,
//! `timeline --logs`): each URL is listed (`source::live::s3`, the objects its window needs) and
//! its objects handed to the log readers as named streams (`logs::StreamSource`), read with the
//! local files into one summary. Glue only: the key selection is `source::s3_keys`, the calls
//! `source::live::s3`, the reading `logs`.

use std::path::PathBuf;

use miette::{Result, miette};

use super::Globals;
use crate::logs::{LogOptions, LogSummary, summarize};
use crate::model::TimeWindow;
use crate::source::s3_keys::S3Url;

/// Which S3 objects to read, besides the prefix: the window their keys must meet and what
/// narrows the listing.
#[derive(Debug, Clone, Default)]
#[cfg_attr(not(feature = "live"), allow(dead_code))]
pub(crate) struct S3Selection {
    /// Objects whose key time meets this window (`None`: all).
    pub window: Option<TimeWindow>,
    /// Only this distribution's objects.
    pub distribution: Option<String>,
    /// Only this load balancer's objects (its name).
    pub alb: Option<String>,
    /// Objects read at once (0: the default).
    pub concurrency: usize,
}

/// Reads and classifies `inputs`: local files, directories, globs, `-`, and `s3://` URLs.
///
/// # Errors
/// As `logs::summarize`; an `s3://` input that cannot be listed (missing bucket, denied), or
/// that holds no object for the window; `s3://` without the `live` feature.
pub(crate) fn summarize_logs(
    g: &Globals,
    inputs: &[PathBuf],
    select: &S3Selection,
    opts: &LogOptions,
) -> Result<LogSummary> {
    let (urls, local): (Vec<&PathBuf>, Vec<&PathBuf>) = inputs
        .iter()
        .partition(|p| p.to_str().is_some_and(|s| s.starts_with("s3://")));
    if urls.is_empty() {
        return Ok(summarize(inputs, opts)?);
    }
    let mut parsed = Vec::new();
    for u in urls {
        let text = u.to_string_lossy();
        parsed
            .push(S3Url::parse(&text).ok_or_else(|| {
                miette!("`{text}` is not an S3 URL: expected s3://bucket/prefix")
            })?);
    }
    let local: Vec<PathBuf> = local.into_iter().cloned().collect();
    read_s3(g, &parsed, &local, select, opts)
}

#[cfg(not(feature = "live"))]
fn read_s3(
    _g: &Globals,
    urls: &[S3Url],
    _local: &[PathBuf],
    _select: &S3Selection,
    _opts: &LogOptions,
) -> Result<LogSummary> {
    Err(miette!(
        help = "rebuild with the default features, or download the objects first (aws s3 cp --recursive) and pass the directory",
        "{}: reading from S3 needs the AWS SDK, and this edgepath was built without the `live` feature",
        urls[0]
    ))
}

#[cfg(feature = "live")]
fn read_s3(
    g: &Globals,
    urls: &[S3Url],
    local: &[PathBuf],
    select: &S3Selection,
    opts: &LogOptions,
) -> Result<LogSummary> {
    use crate::logs::{StreamSource, summarize_inputs};
    use crate::source::live::s3::{S3Options, list};
    use crate::source::s3_keys::KeyFilter;

    let options = S3Options {
        profile: g.profile.clone(),
        filter: KeyFilter {
            window: select.window,
            distribution: select.distribution.clone(),
            alb: select.alb.clone(),
        },
        concurrency: select.concurrency,
    };
    let mut sources = Vec::new();
    for url in urls {
        let listed = list(url, &options)?;
        if listed.objects().is_empty() {
            let window = select
                .window
                .map(|w| format!(" meeting the window {w}"))
                .unwrap_or_default();
            let message = format!(
                "{url}: no log object{window} ({} object(s) listed in {} ListObjectsV2 request(s), {} folder(s) outside the window or scope not listed)",
                listed.stats.listed, listed.stats.requests, listed.stats.skipped_folders
            );
            if urls.len() == 1 && local.is_empty() {
                return Err(miette!(
                    help = "check the prefix (it should end at the folder holding the logs, e.g. s3://bucket/AWSLogs/ACCOUNT/elasticloadbalancing/REGION/), --since/--from/--to and --distribution/--alb",
                    "{message}"
                ));
            }
            super::warn(g, &message);
        }
        sources.push(S3Stream::new(listed));
    }
    let refs: Vec<&dyn StreamSource> = sources.iter().map(|s| s as &dyn StreamSource).collect();
    Ok(summarize_inputs(local, &refs, opts)?)
}

/// The objects of one listed prefix as the log readers' named streams.
#[cfg(feature = "live")]
struct S3Stream {
    objects: crate::source::live::s3::S3Objects,
    named: Vec<crate::logs::StreamObject>,
}

#[cfg(feature = "live")]
impl S3Stream {
    fn new(objects: crate::source::live::s3::S3Objects) -> S3Stream {
        let named = objects
            .objects()
            .iter()
            .map(|o| crate::logs::StreamObject {
                name: objects.url().object(&o.key),
                size: o.size,
            })
            .collect();
        S3Stream { objects, named }
    }
}

#[cfg(feature = "live")]
impl crate::logs::StreamSource for S3Stream {
    fn objects(&self) -> &[crate::logs::StreamObject] {
        &self.named
    }

    fn open(&self, i: usize) -> std::io::Result<Box<dyn std::io::Read + Send>> {
        self.objects.open(i)
    }

    fn concurrency(&self) -> usize {
        self.objects.concurrency()
    }

    fn describe(&self) -> String {
        self.objects.url().to_string()
    }
}
