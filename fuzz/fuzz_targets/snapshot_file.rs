//! The snapshot loader on arbitrary JSON per top-level key, merged into a real account
//! (`examples/healthy`), then the path evaluator and the rules on whatever loads.
//!
//! Input: when it starts with `{`, it is a whole snapshot file. Otherwise its first byte picks a
//! top-level key (`TOP_LEVEL_KEYS`), its second byte whether a parent key (`PrefixListId`, …)
//! comes along, and the rest (lossy UTF-8) is the value: `{"KEY": REST}` or
//! `{"KEY": REST, "PARENT": "…"}`. Seeds in `fuzz/seeds/snapshot_file/` are real files.
//!
//! Invariants, not just "no panic": an error is a JSON error naming the fuzzed file with a
//! position inside it (on a char boundary), or "not an object"; a loaded account evaluates, and a
//! path with a hop that is not `allowed` is never `allowed` (`unknown` is never rounded up).
//! `tests/snapshot_props.rs` runs the same checks under proptest in CI.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use edgepath::reach::{ReachOptions, Verdict, evaluate};
use edgepath::rules::{RuleSet, assemble_facts, load_rules};
use edgepath::source::snapshot::{SnapshotError, TOP_LEVEL_KEYS, load_snapshot_texts};
use libfuzzer_sys::fuzz_target;

const PARENTS: &[(&str, &str)] = &[
    ("PrefixListId", "\"pl-3b927c52\""),
    (
        "TargetGroupArn",
        "\"arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-tg/73e2d6bc24d8a067\"",
    ),
    (
        "LoadBalancerArn",
        "\"arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web-alb/50dc6c495c0c9188\"",
    ),
    ("ListenerArn", "7"),
];

/// The files of `examples/healthy`, read once.
fn base() -> &'static [(PathBuf, String)] {
    static B: OnceLock<Vec<(PathBuf, String)>> = OnceLock::new();
    B.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/healthy");
        let mut files: Vec<(PathBuf, String)> = std::fs::read_dir(&dir)
            .expect("examples/healthy")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .map(|p| {
                let text = std::fs::read_to_string(&p).expect("read");
                (p, text)
            })
            .collect();
        files.sort();
        files
    })
}

fn rules() -> &'static RuleSet {
    static R: OnceLock<RuleSet> = OnceLock::new();
    R.get_or_init(|| load_rules(&[]).expect("built-in rules"))
}

fn file_text(data: &[u8]) -> String {
    if data.first() == Some(&b'{') || data.len() < 2 {
        return String::from_utf8_lossy(data).into_owned();
    }
    let key = TOP_LEVEL_KEYS[usize::from(data[0]) % TOP_LEVEL_KEYS.len()];
    let value = String::from_utf8_lossy(&data[2..]);
    let value = if value.trim().is_empty() { "null" } else { &value };
    match PARENTS.get(usize::from(data[1]) % (PARENTS.len() * 2)) {
        Some((parent, parent_value)) => {
            format!("{{\"{key}\": {value}, \"{parent}\": {parent_value}}}")
        }
        None => format!("{{\"{key}\": {value}}}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let text = file_text(data);
    let fuzzed = PathBuf::from("zz-fuzzed.json");
    let mut files = base().to_vec();
    files.push((fuzzed.clone(), text.clone()));
    match load_snapshot_texts(files) {
        Err(SnapshotError::Json {
            path, line, column, at, ..
        }) => {
            assert_eq!(path, fuzzed);
            assert!(line >= 1 && line <= text.split('\n').count(), "line {line}");
            assert!(column >= 1);
            assert!(at.offset() <= text.len());
            assert!(text.is_char_boundary(at.offset()));
        }
        Err(SnapshotError::NotAnObject { path, .. }) => assert_eq!(path, fuzzed),
        Err(other) => panic!("unexpected error kind {other:?}"),
        Ok(loaded) => {
            let report = evaluate(&loaded.inventory, &ReachOptions::default());
            for p in &report.paths {
                if p.hops.iter().any(|h| h.verdict != Verdict::Allowed) {
                    assert_ne!(p.verdict, Verdict::Allowed, "{p:#?}");
                }
            }
            let facts = assemble_facts(Some(&loaded.inventory), std::slice::from_ref(&report), &[]);
            let _ = rules().evaluate(&facts);
        }
    }
});
