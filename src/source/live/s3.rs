//! Log objects read straight from S3 (`edgepath logs s3://bucket/prefix/`): the listing of the
//! objects a time window needs and a streaming read of each, for the log readers. Which keys
//! and folders a window needs is decided in [`crate::source::s3_keys`] (pure, tested without
//! AWS); this file makes the calls.
//!
//! - **Read-only**: `HeadBucket` and `ListObjectsV2` (IAM `s3:ListBucket`), `GetObject`
//!   (`s3:GetObject`); `tests/live_readonly.rs` checks no other operation appears here.
//! - **Credentials and region**: the standard chain (`--profile`, environment, SSO, IMDS) of
//!   `runner::sdk_config`; the bucket's own region is discovered with `HeadBucket` (its
//!   `x-amz-bucket-region` header, also on the 301 a wrong region gets), and the client is
//!   rebuilt for it. A custom endpoint (`AWS_ENDPOINT_URL`, e.g. moto) gets path-style
//!   addressing.
//! - **Listing**: level by level with `/` as delimiter; each level's prefixes are listed
//!   concurrently, date folders outside the window are never listed ([`s3_keys::descend`]).
//! - **Reading**: one `GetObject` per object, its body pumped by a task of the async runtime
//!   into a bounded channel of chunks ([`CHUNKS_IN_FLIGHT`]) that the parser reads as a
//!   blocking `std::io::Read`, so an object is inflated and parsed while it downloads and never
//!   held whole; at most `concurrency` objects at once (the log readers' thread pool).
//! - **Retries**: the SDK's standard retry, at least [`MIN_ATTEMPTS`] attempts (S3 answers
//!   `SlowDown` under load); a body that fails mid-stream is not retried: its records before the
//!   failure are counted and a warning names the object, as for a truncated local file.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::Arc;

use aws_config::Region;
use aws_sdk_s3::Client;
use aws_sdk_s3::config::retry::RetryConfig;
use aws_sdk_s3::error::ProvideErrorMetadata;
use miette::{IntoDiagnostic, Result, miette};
use tokio::sync::{Semaphore, mpsc};

use super::runner::{reason, sdk_config};
use crate::source::s3_keys::{KeyFilter, S3Url, descend, keep_object};

/// Chunks of a body (as the HTTP client hands them, typically 8–64 KiB) buffered ahead of the
/// parser, per object being read.
pub const CHUNKS_IN_FLIGHT: usize = 16;
/// Fewest attempts per request: `SlowDown` is S3's normal answer to a burst of GETs.
pub const MIN_ATTEMPTS: u32 = 5;
/// Objects read at once by default.
pub const DEFAULT_CONCURRENCY: usize = 8;
/// Region asked first when none is configured (any region answers `HeadBucket` with the
/// bucket's region).
const FALLBACK_REGION: &str = "us-east-1";

/// What to read.
#[derive(Debug, Clone, Default)]
pub struct S3Options {
    /// `--profile`; `None` is the SDK's default credential chain.
    pub profile: Option<String>,
    /// Which objects (window, distribution, ALB).
    pub filter: KeyFilter,
    /// Objects read at once (0: [`DEFAULT_CONCURRENCY`]).
    pub concurrency: usize,
}

/// One object selected for reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Object {
    /// Its key.
    pub key: String,
    /// Its size in bytes.
    pub size: u64,
}

/// What the listing cost and found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListingStats {
    /// `ListObjectsV2` requests (pages).
    pub requests: usize,
    /// Objects seen in the listed folders.
    pub listed: usize,
    /// Folders not listed (outside the window, another distribution).
    pub skipped_folders: usize,
}

/// The objects under an `s3://` prefix that a window needs, ready to be read.
pub struct S3Objects {
    runtime: tokio::runtime::Runtime,
    client: Client,
    url: S3Url,
    objects: Vec<S3Object>,
    concurrency: usize,
    /// The bucket's region.
    pub region: String,
    /// What the listing cost.
    pub stats: ListingStats,
}

impl std::fmt::Debug for S3Objects {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Objects")
            .field("url", &self.url)
            .field("objects", &self.objects.len())
            .finish_non_exhaustive()
    }
}

/// Lists the objects under `url` that `options.filter` selects, in key order.
///
/// # Errors
/// The bucket does not exist or cannot be reached (`HeadBucket`), the listing is denied or
/// fails (`ListObjectsV2`), the async runtime cannot start. Each names the call and what it
/// needs.
pub fn list(url: &S3Url, options: &S3Options) -> Result<S3Objects> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .into_diagnostic()?;
    let (client, region) = runtime.block_on(client_for_bucket(url, options.profile.as_deref()))?;
    let concurrency = if options.concurrency == 0 {
        DEFAULT_CONCURRENCY
    } else {
        options.concurrency
    };
    let (objects, stats) =
        runtime.block_on(list_objects(&client, url, &options.filter, concurrency))?;
    Ok(S3Objects {
        runtime,
        client,
        url: url.clone(),
        objects,
        concurrency,
        region,
        stats,
    })
}

impl S3Objects {
    /// The selected objects, in key order.
    pub fn objects(&self) -> &[S3Object] {
        &self.objects
    }

    /// The prefix listed.
    pub fn url(&self) -> &S3Url {
        &self.url
    }

    /// Objects to read at once.
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// Starts reading object `i`: `GetObject`, then its body streamed as a blocking reader.
    /// Call from a thread outside the async runtime (the log readers' threads).
    ///
    /// # Errors
    /// `GetObject` failed (denied, missing, throttled past the retries): the error names the
    /// call and the permission.
    pub fn open(&self, i: usize) -> io::Result<Box<dyn Read + Send>> {
        let key = &self.objects[i].key;
        let answer = self.runtime.block_on(
            self.client
                .get_object()
                .bucket(&self.url.bucket)
                .key(key)
                .send(),
        );
        let out = answer.map_err(|e| {
            let denied = e.code() == Some("AccessDenied");
            io::Error::other(format!(
                "`GetObject` failed: {}{}",
                reason(&e),
                if denied {
                    " (needs s3:GetObject on the object)"
                } else {
                    ""
                }
            ))
        })?;
        let (tx, rx) = mpsc::channel(CHUNKS_IN_FLIGHT);
        let mut body = out.body;
        self.runtime.spawn(async move {
            loop {
                let next = match body.next().await {
                    Some(Ok(chunk)) => Ok(chunk),
                    Some(Err(e)) => Err(io::Error::other(format!(
                        "the `GetObject` body failed mid-stream: {e}"
                    ))),
                    None => return,
                };
                let failed = next.is_err();
                // The parser stopped early (its receiver is gone), or the body failed.
                if tx.send(next).await.is_err() || failed {
                    return;
                }
            }
        });
        Ok(Box::new(ChunkReader {
            rx,
            cur: None,
            pos: 0,
        }))
    }
}

/// A blocking reader over the chunks a body task sends; dropping it ends the task.
struct ChunkReader<T> {
    rx: mpsc::Receiver<io::Result<T>>,
    cur: Option<T>,
    pos: usize,
}

impl<T: AsRef<[u8]>> Read for ChunkReader<T> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            if let Some(cur) = &self.cur {
                let rest = &cur.as_ref()[self.pos..];
                if !rest.is_empty() {
                    let n = rest.len().min(out.len());
                    out[..n].copy_from_slice(&rest[..n]);
                    self.pos += n;
                    return Ok(n);
                }
            }
            match self.rx.blocking_recv() {
                Some(Ok(chunk)) => {
                    self.cur = Some(chunk);
                    self.pos = 0;
                }
                Some(Err(e)) => return Err(e),
                None => return Ok(0),
            }
        }
    }
}

/// A client in the bucket's region, and the region: `HeadBucket` in the configured region
/// (else [`FALLBACK_REGION`]) tells it, in its answer or in the redirect's header.
async fn client_for_bucket(url: &S3Url, profile: Option<&str>) -> Result<(Client, String)> {
    let base = sdk_config(profile).await;
    let attempts = base
        .retry_config()
        .map_or(MIN_ATTEMPTS, RetryConfig::max_attempts)
        .max(MIN_ATTEMPTS);
    let path_style = base.endpoint_url().is_some();
    let make = |region: &str| {
        Client::from_conf(
            aws_sdk_s3::config::Builder::from(&base)
                .region(Region::new(region.to_owned()))
                .retry_config(RetryConfig::standard().with_max_attempts(attempts))
                .force_path_style(path_style)
                .build(),
        )
    };
    let first = base
        .region()
        .map_or(FALLBACK_REGION.to_owned(), |r| r.as_ref().to_owned());
    let client = make(&first);
    let head = client.head_bucket().bucket(&url.bucket).send().await;
    let region = match head {
        Ok(out) => out.bucket_region().unwrap_or(&first).to_owned(),
        Err(e) => {
            let told = e
                .raw_response()
                .and_then(|r| r.headers().get("x-amz-bucket-region"))
                .map(str::to_owned);
            let status = e.raw_response().map(|r| r.status().as_u16());
            match (told, status) {
                (Some(region), Some(301 | 400)) if region != first => region,
                (_, Some(404)) => {
                    return Err(miette!(
                        help = "check the bucket name (and --profile: the bucket may be in another account)",
                        "s3://{}: no such bucket (`HeadBucket` answered 404 NotFound)",
                        url.bucket
                    ));
                }
                (_, Some(403)) => {
                    return Err(miette!(
                        help = format!(
                            "edgepath needs s3:ListBucket on arn:aws:s3:::{} and s3:GetObject on its objects (edgepath snapshot --print-iam-policy)",
                            url.bucket
                        ),
                        "s3://{}: access denied (`HeadBucket` answered 403 AccessDenied)",
                        url.bucket
                    ));
                }
                _ => {
                    return Err(miette!(
                        "s3://{}: `HeadBucket` failed: {}",
                        url.bucket,
                        reason(&e)
                    ));
                }
            }
        }
    };
    if region == first {
        Ok((client, region))
    } else {
        Ok((make(&region), region))
    }
}

/// One listed folder: the objects kept and the subfolders to list next.
type Level = (Vec<S3Object>, Vec<String>, ListingStats);

/// Lists `url` level by level, each level's folders concurrently (at most `concurrency`).
async fn list_objects(
    client: &Client,
    url: &S3Url,
    filter: &KeyFilter,
    concurrency: usize,
) -> Result<(Vec<S3Object>, ListingStats)> {
    let semaphore = Arc::new(Semaphore::new(concurrency.max(1)));
    let mut stats = ListingStats::default();
    let mut objects = Vec::new();
    let mut queue = VecDeque::from([url.prefix.clone()]);
    while !queue.is_empty() {
        let mut tasks = tokio::task::JoinSet::new();
        for prefix in queue.drain(..) {
            let client = client.clone();
            let bucket = url.bucket.clone();
            let filter = filter.clone();
            let semaphore = Arc::clone(&semaphore);
            tasks.spawn(async move {
                let _permit = semaphore.acquire_owned().await;
                list_folder(&client, &bucket, &prefix, &filter).await
            });
        }
        while let Some(joined) = tasks.join_next().await {
            let (found, folders, s) = joined.into_diagnostic()??;
            objects.extend(found);
            queue.extend(folders);
            stats.requests += s.requests;
            stats.listed += s.listed;
            stats.skipped_folders += s.skipped_folders;
        }
    }
    objects.sort_by(|a, b| a.key.cmp(&b.key));
    Ok((objects, stats))
}

/// Lists one folder (all its pages): the objects `filter` keeps and the subfolders to descend.
async fn list_folder(
    client: &Client,
    bucket: &str,
    prefix: &str,
    filter: &KeyFilter,
) -> Result<Level> {
    let mut stats = ListingStats::default();
    let mut objects = Vec::new();
    let mut folders = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = client
            .list_objects_v2()
            .bucket(bucket)
            .prefix(prefix)
            .delimiter("/")
            .set_continuation_token(token.take())
            .send()
            .await;
        stats.requests += 1;
        let page = page.map_err(|e| {
            let denied = e.code() == Some("AccessDenied");
            miette!(
                help = if denied {
                    format!("edgepath needs s3:ListBucket on arn:aws:s3:::{bucket}")
                } else {
                    "check the bucket and prefix".to_owned()
                },
                "s3://{bucket}/{prefix}: `ListObjectsV2` failed: {}",
                reason(&e)
            )
        })?;
        for object in page.contents() {
            let Some(key) = object.key() else { continue };
            stats.listed += 1;
            if keep_object(key, filter) {
                objects.push(S3Object {
                    key: key.to_owned(),
                    size: object
                        .size()
                        .and_then(|s| u64::try_from(s).ok())
                        .unwrap_or(0),
                });
            }
        }
        for folder in page.common_prefixes() {
            let Some(p) = folder.prefix() else { continue };
            if descend(p, filter) {
                folders.push(p.to_owned());
            } else {
                stats.skipped_folders += 1;
            }
        }
        match page.next_continuation_token() {
            Some(t) if page.is_truncated() == Some(true) => token = Some(t.to_owned()),
            _ => break,
        }
    }
    Ok((objects, folders, stats))
}

#[cfg(test)]
mod tests {
    use super::ChunkReader;
    use std::io::Read;
    use tokio::sync::mpsc;

    #[test]
    fn chunks_read_back_as_one_stream_then_the_error() {
        let (tx, rx) = mpsc::channel(2);
        let sender = std::thread::spawn(move || {
            for part in [&b"ab"[..], b"", b"cdef", b"g"] {
                tx.blocking_send(Ok(part.to_vec())).expect("send");
            }
            tx.blocking_send(Err(std::io::Error::other("reset")))
                .expect("send");
        });
        let mut r = ChunkReader {
            rx,
            cur: None,
            pos: 0,
        };
        let mut got = Vec::new();
        let mut buf = [0u8; 3];
        let err = loop {
            match r.read(&mut buf) {
                Ok(0) => panic!("ended without the error"),
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) => break e,
            }
        };
        sender.join().expect("sender");
        assert_eq!(got, b"abcdefg");
        assert_eq!(err.to_string(), "reset");
    }
}
