//! `edgepath logs`: every published sample parses with the right record count, each 504
//! signature comes out of real-shaped lines, and bad input is counted or warned, never fatal.

use std::io::Write;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use edgepath::logs::{LogOptions, Signature, summarize};
use edgepath::rules::log_options::read_options_from_inventory;
use edgepath::source::snapshot::load_snapshot;
use proptest::prelude::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/logs")
        .join(name)
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

#[test]
fn every_sample_parses_with_its_record_count_and_no_bad_line() {
    let cases = [
        (
            "cloudfront_std_legacy_33f_awsdocs_example.log",
            6,
            "cloudfront",
        ),
        (
            "cloudfront_std_legacy_23f_logstash_patterns_spec.log",
            1,
            "cloudfront",
        ),
        ("alb_vrl_parse_aws_alb_log_test_lines.log", 11, "alb"),
        ("vpcflow_v2_default_awsdocs_examples.log", 3, "vpc_flow"),
    ];
    for (file, records, format) in cases {
        let s = summarize(&[fixture(file)], &LogOptions::default()).expect(file);
        assert_eq!(s.records, records, "{file}");
        assert_eq!(s.records_by_format.get(format), Some(&records), "{file}");
        assert_eq!(s.bad_lines, 0, "{file}: {:?}", s.bad_line_samples);
        assert!(s.warnings.is_empty(), "{file}: {:?}", s.warnings);
    }
}

/// AWS's v2 examples select fields without `sc-status`: CloudFront records (a time and
/// CloudFront's own fields) that cannot be classified. Alone, nothing was looked at (an input
/// error naming each); beside a classifiable log, they are counted with a warning.
#[test]
fn v2_samples_without_a_status_are_named_and_counted_only_beside_a_classifiable_log() {
    let cases = [
        (
            "cloudfront_std_v2_cloudwatchlogs_json_awsdocs_example.json",
            1,
        ),
        (
            "cloudfront_std_v2_firehose_ndjson_awsdocs_example.ndjson",
            2,
        ),
        (
            "cloudfront_std_v2_s3_w3c_selected_fields_awsdocs_RECONSTRUCTED.log",
            1,
        ),
    ];
    for (file, records) in cases {
        let err = summarize(&[fixture(file)], &LogOptions::default()).expect_err(file);
        assert!(
            err.to_string()
                .contains(&format!("{file}: CloudFront log without sc-status")),
            "{err}"
        );
        let good = fixture("cloudfront_std_legacy_33f_awsdocs_example.log");
        let s = summarize(&[fixture(file), good], &LogOptions::default()).expect(file);
        assert_eq!(s.records_by_format.get("cloudfront"), Some(&(records + 6)));
        assert!(
            s.warnings
                .iter()
                .any(|w| w.contains(file) && w.contains("without sc-status")),
            "{file}: {:?}",
            s.warnings
        );
    }
}

#[test]
fn the_aws_doc_sample_classifies_its_dns_errors() {
    let s = summarize(
        &[fixture("cloudfront_std_legacy_33f_awsdocs_example.log")],
        &LogOptions::default(),
    )
    .expect("parses");
    assert_eq!(s.by_status.get("502"), Some(&3));
    let dns = s
        .origin_errors
        .iter()
        .find(|e| e.signature == Signature::DnsFailure)
        .expect("dns bucket");
    assert_eq!(
        (dns.status, dns.detailed_result_type.as_str(), dns.count),
        (502, "OriginDnsError", 3)
    );
}

#[test]
fn flow_log_rejects_are_counted_by_port() {
    let s = summarize(
        &[fixture("vpcflow_v2_default_awsdocs_examples.log")],
        &LogOptions::default(),
    )
    .expect("parses");
    assert_eq!(s.flow_rejects_by_dstport.get("3389"), Some(&1));
}

#[test]
fn ghost_reference_logs_are_alb_target_connect_timeouts_from_0549() {
    let s = summarize(
        &[example("ghost-sg-reference/logs")],
        &LogOptions::default(),
    )
    .expect("parses");
    let total_504: u64 = s
        .origin_errors
        .iter()
        .filter(|e| e.status == 504)
        .map(|e| e.count)
        .sum();
    assert_eq!(s.by_status.get("504"), Some(&total_504));
    assert!(
        s.origin_errors
            .iter()
            .all(|e| e.signature == Signature::AlbTargetConnectTimeout)
    );
    assert_eq!(s.onset.as_deref(), Some("2026-11-20T05:49:00Z"));
    assert_eq!(
        s.origin_errors[0].behavior,
        "d111111abcdef8.cloudfront.net /api/*"
    );
}

#[test]
fn snapshot_timeouts_and_behaviors_are_used_when_given() {
    let logs = [example("origin-response-timeout-too-short/logs")];
    let defaults = summarize(&logs, &LogOptions::default()).expect("parses");
    assert!(
        defaults
            .origin_errors
            .iter()
            .all(|e| e.signature == Signature::Other),
        "5 s fits no default timeout"
    );
    let inv = load_snapshot(&example("origin-response-timeout-too-short"))
        .expect("loads")
        .inventory;
    let mut opts = LogOptions::default();
    read_options_from_inventory(&inv, &mut opts);
    let s = summarize(&logs, &opts).expect("parses");
    assert!(
        s.origin_errors
            .iter()
            .all(|e| e.signature == Signature::CloudfrontReadTimeout),
        "{:?}",
        s.origin_errors
    );
    assert!(
        s.origin_errors
            .iter()
            .any(|e| e.behavior == "/api/*" && e.distribution == "E2QWRUHAPOMQZL")
    );
    assert!(s.timeouts_used.source.contains("snapshot"));
}

#[test]
fn connect_timeouts_of_a_blocked_origin() {
    let s = summarize(
        &[example("alb-sg-missing-cloudfront-prefix-list/logs")],
        &LogOptions::default(),
    )
    .expect("parses");
    assert!(
        s.origin_errors
            .iter()
            .all(|e| e.signature == Signature::CloudfrontConnectTimeout)
    );
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

#[test]
fn bad_input_is_counted_or_warned_and_the_rest_still_read() {
    let dir = tempfile::tempdir().expect("tmp");
    let good =
        std::fs::read(fixture("cloudfront_std_legacy_33f_awsdocs_example.log")).expect("read");
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
    write(dir.path(), "garbage.bin", &garbage);
    write(dir.path(), "empty.log", b"");
    // truncated gzip: compress the good file and cut it in half
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&good.repeat(50)).expect("gz");
    let full = gz.finish().expect("gz");
    write(dir.path(), "truncated.gz", &full[..full.len() / 2]);
    // whole, but one bit of its CRC-32 flipped: every line reads, then the check fails
    let mut crc_flipped = full.clone();
    let at = crc_flipped.len() - 8;
    crc_flipped[at] ^= 1;
    write(dir.path(), "crc.gz", &crc_flipped);
    // a 10 MB line between two good records, and invalid UTF-8 in a field
    let mut huge = good.clone();
    huge.extend(std::iter::repeat_n(b'x', 10 * 1024 * 1024));
    huge.push(b'\n');
    let mut bad_utf8 = good.split(|&b| b == b'\n').nth(2).expect("record").to_vec();
    let pos = bad_utf8
        .windows(5)
        .position(|w| w == b"/view")
        .unwrap_or(60);
    bad_utf8.insert(pos, 0xff);
    huge.extend_from_slice(&bad_utf8);
    huge.push(b'\n');
    write(dir.path(), "huge.log", &huge);
    write(dir.path(), "good.log", &good);
    let s =
        summarize(&[dir.path().to_owned()], &LogOptions::default()).expect("some input readable");
    assert!(
        s.warnings.iter().any(|w| w.contains("garbage.bin")),
        "{:?}",
        s.warnings
    );
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("truncated.gz") && w.contains("read stopped")),
        "{:?}",
        s.warnings
    );
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("crc.gz") && w.contains("CRC-32") && w.contains("corrupt")),
        "{:?}",
        s.warnings
    );
    assert!(
        s.bad_line_samples
            .iter()
            .any(|b| b.contains("huge.log") && b.contains("longer than")),
        "{:?}",
        s.bad_line_samples
    );
    // good.log (6) + huge.log (6 + the invalid-UTF-8 record) + the readable part of truncated.gz
    // + crc.gz (300, counted before its trailer is checked)
    assert!(s.records > 313, "{}", s.records);
}

/// A lone gzip file is inflated on a thread of its own (the pipelined read); its CRC-32 is checked
/// on the parsing side. A flipped trailer must still be reported, naming the file.
#[test]
fn a_lone_gzip_with_a_bad_crc_is_reported_by_the_pipelined_read() {
    let dir = tempfile::tempdir().expect("tmp");
    let good =
        std::fs::read(fixture("cloudfront_std_legacy_33f_awsdocs_example.log")).expect("read");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&good.repeat(20_000)).expect("gz");
    let mut bytes = gz.finish().expect("gz");
    let at = bytes.len() - 5; // ISIZE
    bytes[at] ^= 0x10;
    let path = write(dir.path(), "E2ABCDEF.2025-11-23-05.gz", &bytes);
    let s = summarize(&[path], &LogOptions::default()).expect("readable");
    assert_eq!(s.records, 6 * 20_000);
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("E2ABCDEF.2025-11-23-05.gz")
                && w.contains("gzip member 1")
                && w.contains("size")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn json_output_has_the_contract_keys_and_unreadable_input_exits_2() {
    let out = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["logs", "--format", "json"])
        .arg(example("ghost-sg-reference/logs"))
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let s = &v["summary"];
    assert_eq!(s["records"], 320);
    assert_eq!(s["bad_lines"], 0);
    assert!(s["by_status"]["504"].as_u64().is_some_and(|n| n > 100));
    let e = &s["origin_errors"][0];
    for key in ["status", "detailed_result_type", "signature", "count"] {
        assert!(!e[key].is_null(), "{key}");
    }
    assert_eq!(e["signature"], "alb-target-connect-timeout");
    Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["logs", "/nonexistent/edgepath-logs"])
        .assert()
        .code(2);
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_and_lines_are_accounted(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let dir = tempfile::tempdir().expect("tmp");
        let mut content = b"#Version: 1.0\n#Fields: date time sc-status time-taken x-edge-detailed-result-type cs-uri-stem\n".to_vec();
        content.extend_from_slice(&bytes);
        let p = write(dir.path(), "f.log", &content);
        let lines = content.split(|&b| b == b'\n').filter(|l| !l.iter().all(u8::is_ascii_whitespace) && !l.starts_with(b"#")).count() as u64;
        // Nothing classifiable is an input error naming the file, never an empty summary.
        match summarize(&[p], &LogOptions::default()) {
            Ok(s) => prop_assert!(s.records > 0 && s.records + s.bad_lines <= lines),
            Err(e) => prop_assert!(e.to_string().contains("f.log"), "{e}"),
        }
    }
}

#[test]
fn cloudfront_realtime_lines_classify_with_the_given_fields() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rt.log");
    let fields = "timestamp,c-ip,time-to-first-byte,sc-status,cs-method,cs-uri-stem,x-host-header,time-taken,x-edge-detailed-result-type";
    let lines = [
        "1763874000.123\t192.0.2.1\t0.002\t200\tGET\t/api/a?x=1\tapp.example.com\t0.004\tMiss",
        "1763874001.456\t192.0.2.2\t-\t504\tGET\t/api/b\tapp.example.com\t30.002\tOriginCommError",
        "1763874002.789\t192.0.2.3\t-\t504\tGET\t/api/c\tapp.example.com\t10.004\tError",
        "1763874003.000\t192.0.2.4\t-\t502\tGET\t/api/d\tapp.example.com\t0.110\tOriginDnsError",
    ];
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let opts = LogOptions {
        format: Some(edgepath::logs::LogFormat::CloudfrontRealtime),
        realtime_fields: edgepath::logs::parse_realtime_fields(fields).unwrap(),
        ..LogOptions::default()
    };
    let s = summarize(std::slice::from_ref(&path), &opts).unwrap();
    assert_eq!(s.records, 4);
    assert_eq!(s.bad_lines, 0, "{:?}", s.bad_line_samples);
    let sig = |x: Signature| {
        s.origin_errors
            .iter()
            .filter(|e| e.signature == x)
            .map(|e| e.count)
            .sum::<u64>()
    };
    assert_eq!(sig(Signature::CloudfrontConnectTimeout), 1);
    assert_eq!(sig(Signature::AlbTargetConnectTimeout), 1);
    assert_eq!(sig(Signature::DnsFailure), 1);

    // Missing or unknown --fields: a clear error.
    let out = Command::cargo_bin("edgepath")
        .unwrap()
        .args(["logs", "--log-format", "cloudfront-realtime"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs --fields"));
    let out = Command::cargo_bin("edgepath")
        .unwrap()
        .args([
            "logs",
            "--log-format",
            "cloudfront-realtime",
            "--fields",
            "timestamp,bogus",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("`bogus` is not"));
}

#[test]
fn generated_truth_equals_the_classifier_counts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gen.log.gz");
    let out = Command::cargo_bin("edgepath")
        .unwrap()
        .args(["logs", "--generate", "20000", "--seed", "7", "--out"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let truth: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let out = Command::cargo_bin("edgepath")
        .unwrap()
        .args(["logs", "-q", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let summary = &v["summary"];
    assert_eq!(summary["records"], truth["records"]);
    assert_eq!(summary["bad_lines"], 0);
    let mut got = std::collections::BTreeMap::<String, u64>::new();
    for e in summary["origin_errors"].as_array().unwrap() {
        *got.entry(e["signature"].as_str().unwrap().to_owned())
            .or_default() += e["count"].as_u64().unwrap();
    }
    let want: std::collections::BTreeMap<String, u64> =
        serde_json::from_value(truth["by_signature"].clone()).unwrap();
    assert_eq!(want.len(), 6, "every signature generated: {want:?}");
    assert_eq!(got, want);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn every_forced_reader_survives_arbitrary_lines(
        which in 0usize..5,
        lines in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 0..20),
    ) {
        use edgepath::logs::LogFormat;
        let format = [LogFormat::Cloudfront, LogFormat::CloudfrontJson, LogFormat::Alb, LogFormat::Flow, LogFormat::CloudfrontRealtime][which];
        let dir = tempfile::tempdir().expect("tmp");
        let content: Vec<u8> = lines.iter().flat_map(|l| l.iter().copied().filter(|&b| b != b'\n').chain([b'\n'])).collect();
        let p = write(dir.path(), "f.log", &content);
        let opts = LogOptions {
            format: Some(format),
            realtime_fields: edgepath::logs::parse_realtime_fields("timestamp,sc-status,cs-method,cs-uri-stem,time-taken,x-edge-detailed-result-type").expect("fields"),
            ..LogOptions::default()
        };
        let n = content.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count() as u64;
        match summarize(&[p], &opts) {
            Ok(s) => prop_assert!(s.records + s.bad_lines <= n),
            Err(e) => prop_assert!(e.to_string().contains("f.log"), "{e}"),
        }
    }
}

#[test]
fn quiet_silences_warnings_on_stderr_and_json_still_carries_them() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::copy(
        fixture("cloudfront_std_legacy_33f_awsdocs_example.log"),
        dir.path().join("good.log"),
    )
    .expect("copy");
    // a gzip header followed by garbage: a warning naming the file, not an error
    write(dir.path(), "bad.gz", b"\x1f\x8b\x08\x00garbage");
    let run = |args: &[&str]| {
        Command::cargo_bin("edgepath")
            .expect("binary")
            .args(["--no-color"])
            .args(args)
            .arg("logs")
            .arg(dir.path())
            .output()
            .expect("runs")
    };
    let loud = run(&[]);
    assert!(loud.status.success());
    let stderr = String::from_utf8_lossy(&loud.stderr);
    assert!(
        stderr.contains("warning:") && stderr.contains("bad.gz"),
        "{stderr}"
    );
    for args in [&["-q"][..], &["-q", "--format", "markdown"][..]] {
        let quiet = run(args);
        assert!(quiet.status.success());
        assert!(
            quiet.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&quiet.stderr)
        );
        let stdout = String::from_utf8_lossy(&quiet.stdout);
        assert!(!stdout.contains("warning:"), "{args:?}: {stdout}");
    }
    let json = run(&["-q", "--format", "json"]);
    assert!(json.stderr.is_empty());
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert!(
        v["summary"]["warnings"].as_array().is_some_and(|w| w
            .iter()
            .any(|w| w.as_str().is_some_and(|w| w.contains("bad.gz")))),
        "{v:#}"
    );
}
