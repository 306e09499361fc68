//! Shell completions and man pages come from the clap definitions: they name every subcommand
//! and are valid for their tool (a bash function, a roff page with `.TH`).

use std::process::Command;

fn edgepath(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_edgepath"))
        .args(args)
        .output()
        .expect("run edgepath")
}

fn stdout_of(args: &[&str]) -> String {
    let out = edgepath(args);
    assert!(
        out.status.success(),
        "edgepath {}: exit {:?}\nstderr:\n{}",
        args.join(" "),
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

const SUBCOMMANDS: [&str; 8] = [
    "check",
    "logs",
    "triage",
    "what-if",
    "blockers",
    "snapshot",
    "rules",
    "inventory",
];

#[test]
fn bash_completion_names_the_subcommands() {
    let script = stdout_of(&["completions", "bash"]);
    assert!(script.contains("_edgepath()"), "{script}");
    for sub in SUBCOMMANDS {
        assert!(script.contains(sub), "bash completion lacks `{sub}`");
    }
    assert!(script.contains("--snapshot"));
}

#[test]
fn every_shell_gets_a_script() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = stdout_of(&["completions", shell]);
        assert!(
            script.contains("what-if"),
            "{shell} completion lacks what-if"
        );
    }
    let bad = edgepath(&["completions", "tcsh"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn man_page_is_roff_with_a_title() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH edgepath"), "{page}");
    assert!(page.contains("what\\-if") || page.contains("what-if"));
}

#[test]
fn man_out_writes_one_page_per_subcommand() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("man");
    stdout_of(&["man", "--out", out.to_str().expect("utf-8 path")]);
    assert!(out.join("edgepath.1").is_file());
    for sub in SUBCOMMANDS {
        let page = out.join(format!("edgepath-{sub}.1"));
        let text =
            std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        assert!(text.contains(".TH"), "{} has no .TH", page.display());
    }
}

#[test]
fn global_options_stand_under_their_own_heading() {
    let help = stdout_of(&["what-if", "--help"]);
    let global = help
        .find("Global options:")
        .expect("a Global options heading");
    let detach = help.find("--detach-sg").expect("--detach-sg");
    let from = help.find("--from <RESOURCE>").expect("--from");
    let snapshot = help.find("--snapshot <DIR>").expect("--snapshot");
    let format = help.find("--format <FORMAT>").expect("--format");
    assert!(
        detach < from && from < global,
        "command options come first:\n{help}"
    );
    assert!(
        global < snapshot && global < format,
        "global options under the heading:\n{help}"
    );
}
