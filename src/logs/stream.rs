//! Named streams as inputs: objects that live elsewhere (S3, read by `source::live::s3`) and
//! reach the readers as a name and a stream of their raw bytes, read as one more file: the same
//! gzip inflation, detection, parsers and warnings as a local file, the object's name
//! (`s3://bucket/key`) where a path would be. Nothing here knows where the bytes come from.
//!
//! Objects are read concurrently, at most [`StreamSource::concurrency`] at once (a thread pool of
//! that size: each thread parses while its object downloads, so the network waits overlap). A
//! text object is parsed while it streams in; never held whole. A Parquet object (a `.parquet`
//! key or the `PAR1` magic) needs random access (its index is at the end): it is copied to a
//! temporary file, read from there as a local Parquet file, and removed.

use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use super::input::{BYTES_READ, Counting, OBJECTS_READ, Sniffed, sniff};
use super::options::{LogFormat, LogOptions};
use super::read::{cannot_read, finish_parquet, merged, read_parquet, read_text};
use super::summary::Acc;

/// One object of a [`StreamSource`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamObject {
    /// How the object is named in warnings and unread files (`s3://bucket/key`); its last `/`
    /// segment is its file name (a CloudFront log's distribution id is read from it).
    pub name: String,
    /// Its size in bytes as stored (for the progress bar).
    pub size: u64,
}

/// Inputs that are streams with a name rather than local files.
pub trait StreamSource: Sync {
    /// The objects to read, in the order their results are merged.
    fn objects(&self) -> &[StreamObject];
    /// Opens object `i` as a stream of its bytes as stored (gzip stays compressed). A read error
    /// later in the stream ends that object's read with a warning naming it, its records before
    /// the error counted.
    ///
    /// # Errors
    /// The object cannot be opened (it becomes a warning and an unread file, named).
    fn open(&self, i: usize) -> io::Result<Box<dyn Read + Send>>;
    /// How many objects are read at once.
    fn concurrency(&self) -> usize;
    /// The source as the user gave it (`s3://bucket/prefix`), for errors.
    fn describe(&self) -> String;
}

/// Reads every object of `src`, at most `src.concurrency()` at once, into one accumulator (merged
/// in object order as the reads finish, so memory does not grow with the number of objects).
pub(super) fn read_streams(src: &dyn StreamSource, opts: &LogOptions) -> Acc {
    let n = src.objects().len();
    let read = || {
        (0..n)
            .into_par_iter()
            .map(|i| {
                let acc = read_stream(src, i, opts);
                OBJECTS_READ.fetch_add(1, Ordering::Relaxed);
                acc
            })
            .reduce(Acc::default, merged)
    };
    match rayon::ThreadPoolBuilder::new()
        .num_threads(src.concurrency().max(1))
        .thread_name(|i| format!("edgepath-stream-{i}"))
        .build()
    {
        Ok(pool) => pool.install(read),
        Err(_) => read(),
    }
}

/// Reads object `i` of `src` as one input.
fn read_stream(src: &dyn StreamSource, i: usize, opts: &LogOptions) -> Acc {
    let name = &src.objects()[i].name;
    let raw = match src.open(i) {
        Ok(raw) => raw,
        Err(e) => return cannot_read(name, &e),
    };
    let counted: Box<dyn Read + Send> = Box::new(Counting {
        inner: raw,
        counter: &BYTES_READ,
    });
    let forced_parquet = opts.format == Some(LogFormat::CloudfrontParquet)
        || name.to_ascii_lowercase().ends_with(".parquet");
    match sniff(counted, false, true) {
        Ok(Sniffed::Parquet(stream)) => read_parquet_stream(name, stream, opts),
        Ok(Sniffed::Text(reader, _)) if forced_parquet => read_parquet_stream(name, reader, opts),
        Ok(Sniffed::Text(reader, gzip)) => read_text(name, reader, gzip, opts),
        Err(e) => cannot_read(name, &e),
    }
}

/// A temporary file removed when dropped.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Copies a Parquet object to a temporary file (it needs random access) and reads it there.
fn read_parquet_stream(name: &str, mut stream: impl Read, opts: &LogOptions) -> Acc {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let tmp = TempFile(std::env::temp_dir().join(format!(
        "edgepath-{}-{}.parquet",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )));
    let copied = std::fs::File::create(&tmp.0).and_then(|mut f| io::copy(&mut stream, &mut f));
    if let Err(e) = copied {
        return cannot_read(
            name,
            &format!("copying the Parquet object to {}: {e}", tmp.0.display()),
        );
    }
    // The bytes were counted while copied; the local read counts into a scratch counter.
    let scratch = AtomicU64::new(0);
    let mut acc = read_parquet(&tmp.0, name, opts, &scratch);
    finish_parquet(&mut acc, name);
    acc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::read::summarize_inputs;
    use std::io::Write;
    use std::sync::Mutex;

    /// In-memory objects; `fail_after` cuts object streams after that many bytes.
    struct Memory {
        objects: Vec<StreamObject>,
        bodies: Vec<Vec<u8>>,
        fail_after: Option<usize>,
        opened: Mutex<Vec<usize>>,
    }

    struct Cut {
        inner: io::Cursor<Vec<u8>>,
        left: usize,
    }

    impl Read for Cut {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.left == 0 {
                return Err(io::Error::other("connection reset mid-body"));
            }
            let n = buf.len().min(self.left);
            let got = self.inner.read(&mut buf[..n])?;
            self.left -= got;
            Ok(got)
        }
    }

    impl StreamSource for Memory {
        fn objects(&self) -> &[StreamObject] {
            &self.objects
        }
        fn open(&self, i: usize) -> io::Result<Box<dyn Read + Send>> {
            self.opened.lock().expect("lock").push(i);
            let body = self.bodies[i].clone();
            Ok(match self.fail_after {
                Some(left) => Box::new(Cut {
                    inner: io::Cursor::new(body),
                    left,
                }),
                None => Box::new(io::Cursor::new(body)),
            })
        }
        fn concurrency(&self) -> usize {
            3
        }
        fn describe(&self) -> String {
            "memory://".into()
        }
    }

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).expect("gz");
        e.finish().expect("gz")
    }

    #[test]
    fn streamed_objects_read_exactly_as_the_same_local_files() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut objects = Vec::new();
        let mut bodies = Vec::new();
        let mut paths = Vec::new();
        for (i, seed) in [3u64, 5, 8].into_iter().enumerate() {
            let mut text = Vec::new();
            crate::logs::generate(2_000, seed, &mut text).expect("generate");
            let name = format!("E2ABCDEFGHIJ.2025-11-23-0{i}.abcd.gz");
            let body = gz(&text);
            std::fs::write(dir.path().join(&name), &body).expect("write");
            paths.push(dir.path().join(&name));
            objects.push(StreamObject {
                name: format!("s3://b/cf/{name}"),
                size: body.len() as u64,
            });
            bodies.push(body);
        }
        let src = Memory {
            objects,
            bodies,
            fail_after: None,
            opened: Mutex::new(Vec::new()),
        };
        let opts = LogOptions::default();
        let local = summarize_inputs(&paths, &[], &opts).expect("local");
        let streamed = summarize_inputs(&[], &[&src], &opts).expect("streamed");
        assert!(local.records > 5_000);
        assert_eq!(
            serde_json::to_value(&streamed).expect("json"),
            serde_json::to_value(&local).expect("json")
        );
        let mut opened = src.opened.lock().expect("lock").clone();
        opened.sort_unstable();
        assert_eq!(opened, vec![0, 1, 2], "each object opened once");
    }

    #[test]
    fn an_object_failing_mid_stream_is_a_warning_naming_it_with_its_records_counted() {
        let mut text = Vec::new();
        crate::logs::generate(5_000, 4, &mut text).expect("generate");
        let src = Memory {
            objects: vec![StreamObject {
                name: "s3://b/cf/E2ABCDEFGHIJ.2025-11-23-05.abcd".into(),
                size: text.len() as u64,
            }],
            fail_after: Some(text.len() / 2),
            bodies: vec![text],
            opened: Mutex::new(Vec::new()),
        };
        let s = summarize_inputs(&[], &[&src], &LogOptions::default()).expect("read");
        assert!(s.records > 1_000 && s.records < 5_000, "{}", s.records);
        assert!(
            s.warnings
                .iter()
                .any(|w| w.contains("s3://b/cf/E2ABCDEFGHIJ.2025-11-23-05.abcd")
                    && w.contains("connection reset mid-body")),
            "{:?}",
            s.warnings
        );
    }
}
