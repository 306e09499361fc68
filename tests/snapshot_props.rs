//! Property tests for the snapshot file parser: arbitrary input never panics, and every
//! reported position lies inside the input.

use std::path::Path;

use edgepath::source::snapshot::{SnapshotError, parse_file_text};
use proptest::prelude::*;

fn check(text: String) {
    let lines = text.split('\n').count();
    match parse_file_text(Path::new("fuzz.json"), text.clone()) {
        Ok(()) | Err(SnapshotError::NotAnObject { .. }) => {}
        Err(SnapshotError::Json {
            line, column, at, ..
        }) => {
            assert!(line >= 1 && line <= lines.max(1), "line {line} of {lines}");
            assert!(column >= 1);
            assert!(at.offset() <= text.len());
            assert!(text.is_char_boundary(at.offset()));
        }
        Err(other) => panic!("unexpected error kind {other:?}"),
    }
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in ".{0,300}") {
        check(text);
    }

    #[test]
    fn mutated_aws_json_never_panics(cut in 0usize..400, junk in "[\\[\\]{}\",:a-zA-Z0-9 \\n]{0,8}") {
        let base = r#"{"SecurityGroups": [{"GroupId": "sg-1", "GroupName": "a", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "UserIdGroupPairs": [{"GroupId": "sg-2"}]}], "IpPermissionsEgress": []}], "TargetGroupArn": "x", "TargetHealthDescriptions": [{"Target": {"Id": "i-1", "Port": 80}, "TargetHealth": {"State": "healthy"}}]}"#;
        let cut = cut.min(base.len());
        let mut text = base[..cut].to_owned();
        text.push_str(&junk);
        text.push_str(&base[cut..]);
        check(text);
    }
}

// ---------------------------------------------------------------------------------------------
// The whole loader on arbitrary JSON under each top-level key, merged into a real account, and
// the evaluators on whatever loads: no panic, positions inside the input, and `unknown` never
// rounded to `allowed`. The fuzz target `fuzz/fuzz_targets/snapshot_file.rs` does the same with
// libFuzzer's inputs (nightly only); this one runs in CI.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use edgepath::reach::{ReachOptions, Verdict, evaluate};
use edgepath::rules::{RuleSet, assemble_facts, load_rules};
use edgepath::source::snapshot::{TOP_LEVEL_KEYS, load_snapshot_texts};
use serde_json::Value;

/// Every example account: its files (path, text), in path order.
fn examples() -> &'static [Vec<(PathBuf, String)>] {
    static E: OnceLock<Vec<Vec<(PathBuf, String)>>> = OnceLock::new();
    E.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
            .expect("examples")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        dirs.iter()
            .map(|d| {
                let mut files: Vec<(PathBuf, String)> = walkdir::WalkDir::new(d)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_map(Result::ok)
                    .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
                    .map(|e| {
                        let text = std::fs::read_to_string(e.path()).expect("read");
                        (e.path().to_owned(), text)
                    })
                    .collect();
                files.sort();
                files
            })
            .filter(|f| !f.is_empty())
            .collect()
    })
}

/// Object keys and string values of the examples: arbitrary JSON built from them reaches the
/// loader's typed fields and cross-references real ids.
fn vocabulary() -> &'static (Vec<String>, Vec<String>) {
    static V: OnceLock<(Vec<String>, Vec<String>)> = OnceLock::new();
    V.get_or_init(|| {
        fn walk(v: &Value, keys: &mut BTreeSet<String>, strings: &mut BTreeSet<String>) {
            match v {
                Value::Object(m) => {
                    for (k, x) in m {
                        keys.insert(k.clone());
                        walk(x, keys, strings);
                    }
                }
                Value::Array(a) => a.iter().for_each(|x| walk(x, keys, strings)),
                Value::String(s) => {
                    strings.insert(s.clone());
                }
                _ => {}
            }
        }
        let (mut keys, mut strings) = (BTreeSet::new(), BTreeSet::new());
        for files in examples() {
            for (_, text) in files {
                let v: Value = serde_json::from_str(text).expect("example JSON");
                walk(&v, &mut keys, &mut strings);
            }
        }
        (keys.into_iter().collect(), strings.into_iter().collect())
    })
}

fn rules() -> &'static RuleSet {
    static R: OnceLock<RuleSet> = OnceLock::new();
    R.get_or_init(|| load_rules(&[]).expect("built-in rules"))
}

fn json_value() -> impl Strategy<Value = Value> {
    let (keys, strings) = vocabulary();
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-70_000i64..70_000).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        prop::sample::select(strings.clone()).prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    let keys = keys.clone();
    leaf.prop_recursive(4, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(keys.clone()), inner), 0..7)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Loads `files` and, when they load, evaluates paths and rules; checks the invariants.
fn load_and_evaluate(files: Vec<(PathBuf, String)>, fuzzed: &Path) {
    let fuzzed_text = files
        .iter()
        .find(|(p, _)| p == fuzzed)
        .map(|(_, t)| t.clone())
        .unwrap_or_default();
    match load_snapshot_texts(files) {
        Err(SnapshotError::Json {
            path,
            line,
            column,
            at,
            ..
        }) => {
            // Only the fuzzed file can be malformed: the others are real outputs.
            assert_eq!(path, fuzzed);
            assert!(line >= 1 && line <= fuzzed_text.split('\n').count());
            assert!(column >= 1);
            assert!(at.offset() <= fuzzed_text.len());
            assert!(fuzzed_text.is_char_boundary(at.offset()));
        }
        Err(SnapshotError::NotAnObject { path, .. }) => assert_eq!(path, fuzzed),
        Err(other) => panic!("unexpected error kind {other:?}"),
        Ok(loaded) => {
            for w in &loaded.warnings {
                assert!(!w.message.is_empty());
            }
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
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// `{"KEY": arbitrary}` (sometimes beside a parent key) added to an example account.
    #[test]
    fn arbitrary_json_under_each_top_level_key_never_panics(
        example in 0usize..64,
        key in prop::sample::select(TOP_LEVEL_KEYS),
        parent in prop::option::of(prop::sample::select(
            &["PrefixListId", "TargetGroupArn", "LoadBalancerArn", "ListenerArn"][..])),
        value in json_value(),
        parent_value in json_value(),
    ) {
        let all = examples();
        let mut files = all[example % all.len()].clone();
        let mut obj = serde_json::Map::new();
        obj.insert(key.to_owned(), value);
        if let Some(p) = parent {
            obj.insert(p.to_owned(), parent_value);
        }
        let fuzzed = PathBuf::from("zz-fuzzed.json");
        files.push((fuzzed.clone(), Value::Object(obj).to_string()));
        load_and_evaluate(files, &fuzzed);
    }

    /// One file of an example account with one subtree replaced by arbitrary JSON.
    #[test]
    fn a_real_file_with_one_subtree_replaced_never_panics(
        example in 0usize..64,
        file in 0usize..64,
        steps in prop::collection::vec(0usize..64, 1..7),
        value in json_value(),
        same_kind in any::<bool>(),
        string in prop::sample::select(vocabulary().1.clone()),
        int in prop_oneof![-70_000i64..70_000, any::<i64>()],
    ) {
        let all = examples();
        let mut files = all[example % all.len()].clone();
        let i = file % files.len();
        let mut doc: Value = serde_json::from_str(&files[i].1).expect("example JSON");
        // Walk down `steps` (each picks a child) and replace where the walk stops.
        let mut pointer = String::new();
        let mut at = &doc;
        for s in steps {
            let (token, next) = match at {
                Value::Object(m) if !m.is_empty() => {
                    let (k, v) = m.iter().nth(s % m.len()).expect("key");
                    (k.replace('~', "~0").replace('/', "~1"), v)
                }
                Value::Array(a) if !a.is_empty() => ((s % a.len()).to_string(), &a[s % a.len()]),
                _ => break,
            };
            pointer.push('/');
            pointer.push_str(&token);
            at = next;
        }
        let at = doc.pointer_mut(&pointer).expect("the walked path");
        // Half the time a value of the same JSON type (another id, a wild number, the other
        // boolean): it loads, so the evaluators see it; otherwise anything.
        *at = match (&*at, same_kind) {
            (Value::String(_), true) => Value::from(string),
            (Value::Number(_), true) => Value::from(int),
            (Value::Bool(b), true) => Value::from(!b),
            _ => value,
        };
        files[i].1 = doc.to_string();
        let fuzzed = files[i].0.clone();
        load_and_evaluate(files, &fuzzed);
    }
}
