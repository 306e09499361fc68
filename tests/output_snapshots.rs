//! The output contract, reviewed as a diff: every command on every `examples/` scenario, in
//! every format, recorded with `insta`. A change to what edgepath prints shows up here as a
//! snapshot diff (`INSTA_UPDATE=always cargo test --test output_snapshots`, then review
//! `git diff tests/snapshots/`).
//!
//! Each snapshot holds the exit code, stdout and stderr of one run, with paths relative to the
//! repository root so they are the same on every machine.

use std::path::Path;
use std::process::Command;

const FORMATS: [&str; 3] = ["text", "json", "markdown"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every example scenario (a directory of `examples/` holding a snapshot).
fn scenarios() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("examples"))
        .expect("examples/")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    names
}

fn has_logs(scenario: &str) -> bool {
    root().join("examples").join(scenario).join("logs").is_dir()
}

/// Runs the binary from the repository root; the snapshot text of the run.
fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_edgepath"))
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_REGION")
        .args(args)
        .output()
        .expect("run edgepath");
    format!(
        "args: {}\nexit: {}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        out.status
            .code()
            .map_or_else(|| "signal".to_owned(), |c| c.to_string()),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    )
}

fn snap(name: &str, args: &[&str]) {
    let text = run(args);
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(name.to_owned(), text);
    });
}

fn with_format<'a>(args: &[&'a str], format: &'a str) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend(["--format", format, "--no-color"]);
    all
}

#[test]
fn check_every_scenario() {
    for scenario in scenarios() {
        let dir = format!("examples/{scenario}");
        for format in FORMATS {
            snap(
                &format!("check__{scenario}__{format}"),
                &with_format(&["check", "--snapshot", &dir], format),
            );
        }
    }
}

#[test]
fn triage_every_scenario() {
    for scenario in scenarios() {
        let dir = format!("examples/{scenario}");
        let logs = format!("{dir}/logs");
        for format in FORMATS {
            let mut args = vec!["triage", "--snapshot", dir.as_str()];
            if has_logs(&scenario) {
                args.extend(["--logs", logs.as_str()]);
            }
            snap(
                &format!("triage__{scenario}__{format}"),
                &with_format(&args, format),
            );
        }
    }
}

#[test]
fn logs_every_scenario_with_logs() {
    for scenario in scenarios().into_iter().filter(|s| has_logs(s)) {
        let dir = format!("examples/{scenario}");
        let logs = format!("{dir}/logs");
        for format in FORMATS {
            snap(
                &format!("logs__{scenario}__{format}"),
                &with_format(&["logs", &logs], format),
            );
            snap(
                &format!("logs_with_snapshot__{scenario}__{format}"),
                &with_format(&["logs", "--snapshot", &dir, &logs], format),
            );
        }
    }
}

#[test]
fn blockers_of_the_scenarios_resources() {
    let cases: &[(&str, &str, &str)] = &[
        ("sg", "sg-cannot-delete", "sg-0old000000000000c3"),
        ("vpc", "vpc-origin-leftover-eni", "vpc-0b2c3d4e5f6071829"),
        (
            "vpce",
            "requester-managed-endpoint",
            "vpce-0fw00000000000001",
        ),
    ];
    for (label, scenario, resource) in cases {
        let dir = format!("examples/{scenario}");
        for format in FORMATS {
            snap(
                &format!("blockers__{scenario}__{label}__{format}"),
                &with_format(&["blockers", "--snapshot", &dir, resource], format),
            );
        }
    }
}

#[test]
fn what_if_changes_and_plans() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "detach",
            "seed-story-before",
            &["--detach-sg", "sg-0old000000000000c3", "--from", "web-alb"],
        ),
        (
            "plan",
            "seed-story-before",
            &[
                "--terraform-plan",
                "tests/fixtures/terraform/seed-story.json",
            ],
        ),
        (
            "unrelated-plan",
            "healthy",
            &[
                "--terraform-plan",
                "tests/fixtures/terraform/unrelated.json",
            ],
        ),
    ];
    for (label, scenario, change) in cases {
        let dir = format!("examples/{scenario}");
        for format in FORMATS {
            let mut args = vec!["what-if", "--snapshot", dir.as_str()];
            args.extend_from_slice(change);
            snap(
                &format!("whatif__{scenario}__{label}__{format}"),
                &with_format(&args, format),
            );
        }
    }
}

#[test]
fn rules_and_inventory() {
    snap("rules_list", &["rules", "list", "--no-color"]);
    snap(
        "rules_show__target-sg-ghost-reference",
        &["rules", "show", "target-sg-ghost-reference", "--no-color"],
    );
    for format in FORMATS {
        snap(
            &format!("inventory__ghost-sg-reference__{format}"),
            &with_format(
                &["inventory", "--snapshot", "examples/ghost-sg-reference"],
                format,
            ),
        );
    }
}

/// One HTML page (`--format html`), one tag per line so a change reads as a diff: the triage of
/// the seed story (path diagram, 5xx chart, findings).
#[test]
fn html_triage_of_the_seed_story() {
    let text = run(&with_format(
        &[
            "triage",
            "--snapshot",
            "examples/ghost-sg-reference",
            "--logs",
            "examples/ghost-sg-reference/logs",
        ],
        "html",
    ))
    .replace("><", ">\n<");
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!("triage__ghost-sg-reference__html".to_owned(), text);
    });
}
