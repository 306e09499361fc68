//! `edgepath logs s3://…` against a real `moto_server`, through `deny_proxy.py --s3` (which
//! logs every S3 request, denies and throttles chosen operations):
//! - 96 generated objects (the shape of `scripts/bench-logs.sh`'s split corpus: one gzip W3C
//!   file per distribution-hour, each with its header; and one ALB file per hour under the
//!   `AWSLogs/ACCOUNT/elasticloadbalancing/REGION/yyyy/mm/dd/` layout), each object's records
//!   at the time its key tells; `logs s3://…` gives JSON identical to `logs DIR` on the same
//!   files, for both layouts, and `triage --logs s3://…` equals `triage --logs DIR`;
//! - `--from/--to` reads only the window's objects (the `GetObject`s made) and lists only the
//!   window's date folders (the `ListObjectsV2` prefixes), with the same records in the window
//!   as the local read of every file;
//! - a throttled `GetObject` (`SlowDown`) is retried and the result is unchanged;
//! - a missing bucket, a denied listing and denied reads are errors (exit 2) naming the call
//!   and the permission.

#![cfg(feature = "live")]

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use assert_cmd::cargo::CommandCargoExt;
use support::{Server, aws, aws_env, injected_faults, start_moto, start_proxy_with};

const ACCOUNT: &str = "123456789012";
const ALB_DIR: &str = "AWSLogs/123456789012/elasticloadbalancing/us-east-1";
/// The corpus spans four days from this one, one object per hour and layout.
const DAYS: [&str; 4] = ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"];

/// Runs edgepath against `server`.
fn edgepath(server: &Server, args: &[&str]) -> Output {
    Command::cargo_bin("edgepath")
        .expect("binary")
        .args(args)
        .envs(aws_env(server))
        .env_remove("EDGEPATH_SNAPSHOT")
        .output()
        .expect("edgepath runs")
}

/// Runs edgepath on local files (no AWS).
fn local(args: &[&str]) -> Output {
    Command::cargo_bin("edgepath")
        .expect("binary")
        .args(args)
        .env_remove("EDGEPATH_SNAPSHOT")
        .output()
        .expect("edgepath runs")
}

fn stdout_of(out: &Output) -> String {
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("utf-8")
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).expect("gzip");
    e.finish().expect("gzip")
}

/// The corpus on disk: `cf/E2BENCHDIST0.YYYY-MM-DD-HH.SEED.gz` and the ALB layout, 96 objects
/// each; every object's records moved to the day and hour its key tells.
fn write_corpus(root: &Path) {
    let cf = root.join("cf");
    std::fs::create_dir_all(&cf).expect("mkdir");
    for (d, day) in DAYS.iter().enumerate() {
        let alb = root.join("alb").join(ALB_DIR).join(day.replace('-', "/"));
        std::fs::create_dir_all(&alb).expect("mkdir");
        for hour in 0..24u64 {
            let seed = d as u64 * 24 + hour + 1;
            // CloudFront W3C: date and time are the first two tab-separated fields.
            let mut text = Vec::new();
            edgepath::logs::generate(300, seed, &mut text).expect("generate");
            let text = String::from_utf8(text).expect("utf-8");
            let moved: String = text
                .lines()
                .map(|l| {
                    if l.starts_with('#') {
                        return format!("{l}\n");
                    }
                    let mut f: Vec<String> = l.split('\t').map(str::to_owned).collect();
                    f[0] = (*day).to_owned();
                    f[1] = format!("{hour:02}{}", &f[1][2..]);
                    format!("{}\n", f.join("\t"))
                })
                .collect();
            let name = format!("E2BENCHDIST0.{day}-{hour:02}.{seed:08x}.gz");
            std::fs::write(cf.join(name), gzip(moved.as_bytes())).expect("write");
            // ALB: the time is the second space-separated field.
            let mut lines = Vec::new();
            edgepath::logs::generate_alb(200, seed, 60.0, &mut lines).expect("generate");
            let lines = String::from_utf8(lines).expect("utf-8");
            let moved: String = lines
                .lines()
                .map(|l| {
                    let (kind, rest) = l.split_once(' ').expect("fields");
                    format!("{kind} {day}T{hour:02}{}\n", &rest[13..])
                })
                .collect();
            let stamp = format!("{}T{hour:02}05Z", day.replace('-', ""));
            let name = format!(
                "{ACCOUNT}_elasticloadbalancing_us-east-1_app.web-alb.50dc6c495c0c9188_{stamp}_10.0.12.30_{seed:08x}.log.gz"
            );
            std::fs::write(alb.join(name), gzip(moved.as_bytes())).expect("write");
        }
    }
}

/// moto with the corpus in bucket `logs`, and a `--s3` proxy in front logging every request
/// (and `extra` arguments: denials, faults).
struct Setup {
    _dir: tempfile::TempDir,
    root: PathBuf,
    moto: Server,
}

fn setup() -> Option<Setup> {
    let moto = start_moto()?;
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join("corpus");
    write_corpus(&root);
    aws(&moto, &["s3", "mb", "s3://logs"]);
    aws(
        &moto,
        &[
            "s3",
            "cp",
            "--recursive",
            "--quiet",
            root.to_str().expect("utf-8"),
            "s3://logs/",
        ],
    );
    Some(Setup {
        _dir: dir,
        root,
        moto,
    })
}

impl Setup {
    /// A `--s3` proxy in front of moto logging to a fresh file, with `extra` arguments.
    fn proxy(&self, extra: &[&str]) -> (Server, PathBuf) {
        let log = self
            ._dir
            .path()
            .join(format!("requests-{}.log", rand_suffix()));
        let mut args = vec![
            "--s3".to_owned(),
            "--request-log".to_owned(),
            log.display().to_string(),
        ];
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        (start_proxy_with(&self.moto, &args), log)
    }

    fn local(&self, sub: &str) -> String {
        self.root.join(sub).display().to_string()
    }

    /// A directory holding copies of these objects of the corpus (keys relative to its root).
    fn subset(&self, keys: &[String]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tmp");
        for k in keys {
            let name = Path::new(k).file_name().expect("a file name");
            std::fs::copy(self.root.join(k), dir.path().join(name)).expect("copy");
        }
        dir
    }
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    N.fetch_add(1, Ordering::Relaxed).to_string()
}

/// `(operation, what)` of each logged S3 request (`what`: `/bucket/key` or `… prefix=P`).
fn requests(log: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .map(|l| {
            let mut parts = l.splitn(3, ' ');
            let _time = parts.next();
            (
                parts.next().unwrap_or("").to_owned(),
                parts.next().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

fn gets(log: &Path) -> Vec<String> {
    let mut g: Vec<String> = requests(log)
        .into_iter()
        .filter(|(op, _)| op == "GetObject")
        .map(|(_, key)| key)
        .collect();
    g.sort();
    g
}

#[test]
fn both_layouts_read_from_s3_give_the_json_of_the_local_read() {
    let Some(s) = setup() else { return };
    let (proxy, log) = s.proxy(&[]);
    for (url, dir) in [("s3://logs/cf/", "cf"), ("s3://logs/alb/", "alb")] {
        let remote = stdout_of(&edgepath(&proxy, &["logs", "-q", "--format", "json", url]));
        let want = stdout_of(&local(&["logs", "-q", "--format", "json", &s.local(dir)]));
        assert_eq!(remote, want, "{url} vs {dir}");
        let v: serde_json::Value = serde_json::from_str(&remote).expect("json");
        let records = v["summary"]["records"].as_u64().unwrap_or(0);
        assert!(records >= 96 * 200, "{url}: {records} records");
    }
    assert_eq!(gets(&log).len(), 192, "every object read once");
    // triage reads the same inputs the same way (its timeline window ends "now": left out).
    let triage = |out: &Output| {
        let mut v: serde_json::Value = serde_json::from_str(&stdout_of(out)).expect("json");
        v.as_object_mut()
            .expect("an object")
            .remove("timeline_window");
        v
    };
    let remote = triage(&edgepath(
        &proxy,
        &[
            "triage",
            "-q",
            "--format",
            "json",
            "--logs",
            "s3://logs/cf/",
        ],
    ));
    let want = triage(&local(&[
        "triage",
        "-q",
        "--format",
        "json",
        "--logs",
        &s.local("cf"),
    ]));
    assert!(
        remote["diagnoses"]
            .as_array()
            .is_some_and(|d| !d.is_empty())
    );
    assert_eq!(remote, want);
}

#[test]
fn a_window_reads_only_its_objects_and_lists_only_its_date_folders() {
    let Some(s) = setup() else { return };
    let window = [
        "--from",
        "2026-11-21T05:00:00Z",
        "--to",
        "2026-11-21T07:00:00Z",
    ];
    let (proxy, log) = s.proxy(&[]);
    // An hour of slack on each side of 05:00–07:00: the objects of hours 04 to 07.
    let cf: Vec<String> = (4..8)
        .map(|h| format!("cf/E2BENCHDIST0.2026-11-21-{h:02}.{:08x}.gz", 24 + h + 1))
        .collect();
    let alb: Vec<String> = (4..8)
        .map(|h| {
            format!(
                "alb/{ALB_DIR}/2026/11/21/{ACCOUNT}_elasticloadbalancing_us-east-1_app.web-alb.50dc6c495c0c9188_20261121T{h:02}05Z_10.0.12.30_{:08x}.log.gz",
                24 + h + 1
            )
        })
        .collect();
    for (url, keys) in [("s3://logs/cf/", &cf), ("s3://logs/alb/", &alb)] {
        let mut args = vec!["logs", "-q", "--format", "json", url];
        args.extend(window);
        let remote = stdout_of(&edgepath(&proxy, &args));
        let subset = s.subset(keys);
        let subset_dir = subset.path().display().to_string();
        args[4] = &subset_dir;
        assert_eq!(
            remote,
            stdout_of(&local(&args)),
            "{url}: the window's objects, read as local files"
        );
    }
    let mut want: Vec<String> = cf
        .iter()
        .chain(&alb)
        .map(|k| format!("/logs/{k}"))
        .collect();
    want.sort();
    assert_eq!(gets(&log), want);
    let listed: Vec<String> = requests(&log)
        .into_iter()
        .filter(|(op, _)| op == "ListObjectsV2")
        .map(|(_, what)| what)
        .collect();
    assert!(
        listed
            .iter()
            .any(|l| l.ends_with(&format!("prefix=alb/{ALB_DIR}/2026/11/21/"))),
        "{listed:?}"
    );
    // One listing for the flat CloudFront prefix; one per folder level down to the one day
    // for the ALB tree (alb/, AWSLogs/, account, service, region, year, month, day).
    assert_eq!(listed.len(), 1 + 8, "{listed:?}");
    for other in ["20", "22", "23"] {
        assert!(
            !listed
                .iter()
                .any(|l| l.contains(&format!("/2026/11/{other}/"))),
            "day {other} listed: {listed:?}"
        );
    }
}

#[test]
fn a_throttled_get_object_is_retried() {
    let Some(s) = setup() else { return };
    let (proxy, log) = s.proxy(&["--fault", "op=GetObject,kind=throttle,attempts=1"]);
    let args = [
        "logs",
        "-q",
        "--format",
        "json",
        "s3://logs/cf/",
        "--since",
        "2026-11-23T22:00:00Z",
    ];
    let remote = stdout_of(&edgepath(&proxy, &args));
    let keys: Vec<String> = (21..24)
        .map(|h| {
            format!(
                "cf/E2BENCHDIST0.2026-11-23-{h:02}.{:08x}.gz",
                3 * 24 + h + 1
            )
        })
        .collect();
    let subset = s.subset(&keys);
    let subset_dir = subset.path().display().to_string();
    let mut local_args = args;
    local_args[4] = &subset_dir;
    assert_eq!(remote, stdout_of(&local(&local_args)));
    // Hours 21 to 23 of the last day, each throttled once, then read.
    assert_eq!(
        injected_faults(&proxy)["GetObject"]["throttle"],
        serde_json::json!(3)
    );
    let attempts = requests(&log)
        .iter()
        .filter(|(op, _)| op == "GetObject")
        .count();
    assert_eq!(attempts, 6, "each object twice: throttled, then read");
}

#[test]
fn a_missing_bucket_or_a_denial_is_an_error_naming_the_call_and_permission() {
    let Some(s) = setup() else { return };
    let (proxy, _) = s.proxy(&[]);
    let out = edgepath(&proxy, &["logs", "s3://no-such-bucket/cf/"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("HeadBucket") && err.contains("no such bucket"),
        "{err}"
    );

    let (denied, _) = s.proxy(&["--deny", "ListObjectsV2"]);
    let out = edgepath(&denied, &["logs", "s3://logs/cf/"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("ListObjectsV2")
            && err.contains("AccessDenied")
            && err.contains("s3:ListBucket"),
        "{err}"
    );

    let (denied, _) = s.proxy(&["--deny", "GetObject"]);
    let out = edgepath(
        &denied,
        &["logs", "s3://logs/cf/", "--since", "2026-11-23T23:00:00Z"],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("GetObject")
            && err.contains("AccessDenied")
            && err.contains("s3:GetObject")
            && err.contains("s3://logs/cf/E2BENCHDIST0.2026-11-23-23."),
        "{err}"
    );

    // A window with no object is an error saying what was listed, not an empty report.
    let out = edgepath(
        &proxy,
        &[
            "logs",
            "s3://logs/alb/",
            "--from",
            "2025-01-01T00:00:00Z",
            "--to",
            "2025-01-02T00:00:00Z",
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("no log object"), "{err}");
}
