//! Exit codes of `check`, `triage` and `what-if` (README, "Exit codes"): 0 nothing broken,
//! 1 broken, 2 input error, 3 incomplete. "Incomplete" is the answer when nothing is broken but
//! some hop is `unknown` (data missing or a read denied): a CI gate must not read "did not look"
//! as "all clear". `--allow-unknown` accepts it (exit 0). The JSON of all three carries the
//! unknown hops, `incomplete` and the snapshot loader's `warnings` (kept with `-q`).

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

/// `tests/fixtures/snapshot-basic`: one path, its `cloudfront->alb` hop unknown (no listeners,
/// NACLs or route tables), two loader warnings.
fn basic() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/snapshot-basic")
}

/// A copy of `examples/healthy` without its target-health output: the `alb->target` hop is
/// unknown, nothing is broken.
fn healthy_without_target_health() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    for entry in std::fs::read_dir(example("healthy")).expect("healthy") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if !name.starts_with("elbv2-describe-target-health") {
            std::fs::copy(&path, dir.path().join(&name)).expect("copy");
        }
    }
    dir
}

fn edgepath(args: &[&str]) -> Output {
    Command::cargo_bin("edgepath")
        .expect("binary")
        .env_remove("EDGEPATH_SNAPSHOT")
        .arg("--no-color")
        .args(args)
        .output()
        .expect("runs")
}

fn run(snapshot: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--snapshot", snapshot.to_str().expect("utf8")];
    all.extend_from_slice(args);
    edgepath(&all)
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

const WHAT_IF: &[&str] = &[
    "what-if",
    "--authorize-ingress",
    "sg-0cf0000000000000a tcp 8080 10.0.0.0/8",
];

#[test]
fn unknown_hops_with_nothing_broken_exit_3_in_check_triage_and_what_if() {
    for args in [&["check"][..], &["triage"], WHAT_IF] {
        let out = run(&basic(), args);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {out:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains(
                "incomplete: no problem in what could be checked; 1 hop could not be checked: \
                 cloudfront->alb of E2QWRUHAPOMQZL * → web-alb :80 \
                 (missing listeners, network_acls, route_tables, vpc_block_public_access_options)"
            ),
            "{args:?}: {text}"
        );
    }
}

#[test]
fn an_example_lacking_target_health_is_incomplete_and_names_what_is_missing() {
    let dir = healthy_without_target_health();
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("alb->target of web-alb → web-tg (missing target_health)"),
        "{text}"
    );
    let out = run(dir.path(), &["-q", "--format", "json", "triage"]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let v = json(&out);
    assert_eq!(v["incomplete"], true);
    assert_eq!(
        v["unknown_hops"],
        serde_json::json!([{
            "hop": "alb->target",
            "resource": "web-alb → web-tg",
            "missing": ["target_health"]
        }])
    );
}

#[test]
fn allow_unknown_accepts_an_incomplete_answer_before_or_after_the_subcommand() {
    for args in [&["check"][..], &["triage"], WHAT_IF] {
        let mut after = args.to_vec();
        after.push("--allow-unknown");
        let out = run(&basic(), &after);
        assert_eq!(out.status.code(), Some(0), "{after:?}: {out:?}");
        // The answer still says it is incomplete; only the exit code changes.
        assert!(String::from_utf8_lossy(&out.stdout).contains("incomplete:"));
        let mut before = vec!["--allow-unknown"];
        before.extend_from_slice(args);
        let out = run(&basic(), &before);
        assert_eq!(out.status.code(), Some(0), "{before:?}: {out:?}");
    }
}

#[test]
fn a_complete_answer_is_not_incomplete() {
    let out = run(&example("healthy"), &["--format", "json", "check"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let v = json(&out);
    assert_eq!(v["incomplete"], false);
    assert_eq!(v["unknown_hops"], serde_json::json!([]));
    assert!(
        !String::from_utf8_lossy(&run(&example("healthy"), &["check"]).stdout)
            .contains("incomplete")
    );
}

#[test]
fn broken_beats_incomplete() {
    // A blocked path exits 1 even when --allow-unknown is given; it is no "incomplete" answer.
    let out = run(
        &example("ghost-sg-reference"),
        &["--allow-unknown", "--format", "json", "check"],
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(json(&out)["incomplete"], false);
}

#[test]
fn json_of_check_triage_and_what_if_keeps_the_loader_warnings_under_q() {
    for args in [&["check"][..], &["triage"], WHAT_IF] {
        let mut all = vec!["-q", "--format", "json"];
        all.extend_from_slice(args);
        let out = run(&basic(), &all);
        assert!(out.stderr.is_empty(), "-q: {out:?}");
        let v = json(&out);
        let warnings = v["warnings"].as_array().expect("warnings[]");
        assert_eq!(warnings.len(), 2, "{args:?}: {v:#}");
        assert!(
            warnings[0]
                .as_str()
                .is_some_and(|w| w.contains("unknown top-level key `SomethingNew`")),
            "{warnings:?}"
        );
        assert!(
            warnings[1]
                .as_str()
                .is_some_and(|w| w.contains("without a top-level \"TargetGroupArn\"")),
            "{warnings:?}"
        );
        assert_eq!(v["incomplete"], true, "{args:?}");
    }
    // And an empty list when the loader had nothing to say.
    let v = json(&run(
        &example("healthy"),
        &["-q", "--format", "json", "check"],
    ));
    assert_eq!(v["warnings"], serde_json::json!([]));
}

#[test]
fn help_documents_the_exit_codes() {
    for args in [
        &["--help"][..],
        &["check", "--help"],
        &["triage", "--help"],
        &["what-if", "--help"],
    ] {
        let out = edgepath(args);
        assert_eq!(out.status.code(), Some(0));
        let help = String::from_utf8_lossy(&out.stdout);
        for needle in [
            "Exit codes:",
            "0  nothing broken",
            "1  broken",
            "2  usage or input error",
            "3  incomplete",
            "--allow-unknown",
        ] {
            assert!(help.contains(needle), "{args:?} lacks {needle:?}:\n{help}");
        }
    }
}
