//! ALB access-log signatures: one fixture per signature (the documented field layout; the
//! Lambda one holds a published real line) gives exactly that signature and count, and the
//! ALB generator's truth equals the classifier's counts for every signature.

use std::path::{Path, PathBuf};

use edgepath::logs::{ALB_SIGNATURES, LogOptions, Signature, generate_alb, summarize};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/logs/alb")
        .join(name)
}

fn by_signature(files: &[PathBuf]) -> std::collections::BTreeMap<String, u64> {
    let s = summarize(files, &LogOptions::default()).expect("reads");
    assert_eq!(s.bad_lines, 0, "{:?}", s.bad_line_samples);
    s.alb.expect("ALB records").by_signature
}

#[test]
fn every_signature_has_a_fixture_that_gives_exactly_it() {
    let mut names: Vec<&str> = ALB_SIGNATURES
        .iter()
        .map(|d| d.signature.as_str())
        .collect();
    names.push(Signature::AlbDrainingTarget.as_str());
    for name in names {
        let file = fixture(&format!("{name}.log"));
        let text = std::fs::read_to_string(&file).expect("fixture exists for every signature");
        let counts = by_signature(std::slice::from_ref(&file));
        if name == Signature::AlbDrainingTarget.as_str() {
            // Its 5xx keep their per-record class too; the draining bucket counts those of the
            // target's last two minutes.
            assert_eq!(counts.get(name), Some(&6), "{name}: {counts:?}");
            assert_eq!(counts.get("alb-target-closed-connection"), Some(&6));
            continue;
        }
        let lines = text.lines().count() as u64;
        let expected = std::collections::BTreeMap::from([(name.to_owned(), lines)]);
        assert_eq!(counts, expected, "{name}");
    }
}

#[test]
fn the_draining_target_is_named_with_its_window() {
    let s = summarize(
        &[fixture("alb-draining-target.log")],
        &LogOptions::default(),
    )
    .unwrap();
    let alb = s.alb.unwrap();
    assert_eq!(alb.draining_targets.len(), 1, "{:?}", alb.draining_targets);
    let d = &alb.draining_targets[0];
    assert_eq!(d.target, "10.0.10.99:80");
    assert_eq!((d.errors_5xx, d.window_requests, d.requests), (6, 6, 9));
    assert_eq!(d.last_seen, "2026-11-20T05:12:00Z");
    let bucket = s
        .origin_errors
        .iter()
        .find(|e| e.signature == Signature::AlbDrainingTarget)
        .expect("a draining bucket");
    assert_eq!((bucket.count, bucket.status), (6, 502));
    assert_eq!(bucket.detailed_result_type, "target 10.0.10.99:80");
}

#[test]
fn a_target_still_serving_at_the_end_of_the_log_is_not_draining() {
    // The closed-connection fixture's targets have 5xx in their last minute, but its log ends
    // there: nothing says they left.
    let s = summarize(
        &[fixture("alb-target-closed-connection.log")],
        &LogOptions::default(),
    )
    .unwrap();
    assert!(s.alb.unwrap().draining_targets.is_empty());
}

#[test]
fn the_generator_truth_equals_the_classifier_counts_per_signature() {
    let dir = tempfile::tempdir().unwrap();
    for (n, seed) in [(6_000u64, 1u64), (20_000, 7), (50_000, 42)] {
        let path = dir.path().join(format!("alb-{n}-{seed}.log"));
        let mut f = std::fs::File::create(&path).unwrap();
        let truth = generate_alb(n, seed, 60.0, &mut f).unwrap();
        drop(f);
        let s = summarize(std::slice::from_ref(&path), &LogOptions::default()).unwrap();
        assert_eq!(s.records, n);
        assert_eq!(s.bad_lines, 0);
        let alb = s.alb.unwrap();
        assert_eq!(alb.by_signature, truth.by_signature, "n={n} seed={seed}");
        for d in ALB_SIGNATURES {
            assert!(
                truth.by_signature.get(d.signature.as_str()).copied() > Some(0),
                "the generator writes {:?}",
                d.signature
            );
        }
        assert_eq!(alb.draining_targets.len(), 1);
        // The generator writes 403 and 404 only as fixed responses, which are counted too.
        let classified_5xx: u64 = truth
            .by_status
            .iter()
            .filter(|(k, _)| edgepath::logs::alb_status_classified(**k) || [403, 404].contains(*k))
            .map(|(_, v)| v)
            .sum();
        let pairs: u64 = alb.status_pairs.iter().map(|(_, c)| c).sum();
        assert_eq!(
            pairs, classified_5xx,
            "every 5xx/460/463/464 and fixed 403/404 is counted once"
        );
    }
}

fn triage_rules(scenario: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(scenario);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_edgepath"))
        .args(["-q", "--format", "json", "triage", "--snapshot"])
        .arg(&dir)
        .arg("--logs")
        .arg(dir.join("logs"))
        .output()
        .expect("run edgepath");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    v["diagnoses"]
        .as_array()
        .expect("diagnoses")
        .iter()
        .map(|d| d["rule"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn triage_ranks_the_keepalive_finding_from_alb_logs_and_not_on_the_near_miss() {
    let fires = triage_rules("target-keepalive-shorter-than-alb-idle");
    assert_eq!(
        fires.first().map(String::as_str),
        Some("target-keepalive-shorter-than-alb-idle"),
        "{fires:?}"
    );
    let near_miss = triage_rules("target-errors-passed-through");
    assert!(
        !near_miss
            .iter()
            .any(|r| r == "target-keepalive-shorter-than-alb-idle"),
        "{near_miss:?}"
    );
}
