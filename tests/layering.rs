//! Dependencies between the top-level modules run one way (DESIGN, issue 13):
//!
//! ```text
//! model ← facts ← source, reach, logs, blockers ← rules ← whatif ← report ← synth ← cmd ← cli ← main
//! ```
//!
//! `source`, `reach`, `logs` and `blockers` are siblings: none imports another. `synth` (the
//! test-data generator) may import anything below `cmd`; `main.rs` only `cli` and `cmd`.
//!
//! The test reads `src/**/*.rs` and collects every reference to another top-level module:
//! `use crate::x::…`, grouped `use crate::{a, b::c}`, `crate::x::` paths inside function bodies,
//! and `super::x` from a module's root file. Comment lines are skipped (doc links are not
//! imports). A reference to a module at the same level or above fails the test with file:line.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Top-level modules, lowest first. Modules of one level are siblings and may not import each
/// other.
const LEVELS: &[&[&str]] = &[
    &["model"],
    &["facts"],
    &["source", "reach", "logs", "blockers"],
    &["rules"],
    &["whatif"],
    &["report"],
    &["synth"],
    &["cmd"],
    &["cli"],
];

fn level(module: &str) -> Option<usize> {
    LEVELS.iter().position(|l| l.contains(&module))
}

/// One reference from a file to a top-level module.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reference {
    line: usize,
    target: String,
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn ident_at(s: &str) -> &str {
    let end = s.find(|c: char| !is_ident_char(c)).unwrap_or(s.len());
    &s[..end]
}

/// The first-level names of a `{…}` group starting at `s[0] == '{'`, with their offsets in
/// `s`: `{a, b::c, d::{e}}` gives `a`, `b`, `d`.
fn group_heads(s: &str) -> Vec<(usize, &str)> {
    let mut heads = Vec::new();
    let mut depth = 0usize;
    let mut expect_head = false;
    for (i, c) in s.char_indices() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 {
                    expect_head = true;
                }
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => expect_head = true,
            c if expect_head && depth == 1 && !c.is_whitespace() => {
                expect_head = false;
                let head = ident_at(&s[i..]);
                if !head.is_empty() {
                    heads.push((i, head));
                }
            }
            _ => {}
        }
    }
    heads
}

/// The names that follow a path root at `rest` (a single path head or a group's heads), with
/// their offsets in `rest`.
fn heads_after(rest: &str) -> Vec<(usize, &str)> {
    let skipped = rest.len() - rest.trim_start().len();
    let rest = &rest[skipped..];
    let heads = if rest.starts_with('{') {
        group_heads(rest)
    } else {
        let head = ident_at(rest);
        if head.is_empty() {
            Vec::new()
        } else {
            vec![(0, head)]
        }
    };
    heads.into_iter().map(|(i, h)| (i + skipped, h)).collect()
}

/// The module path of a file under `src/`: `cmd/check.rs` → `[cmd, check]`, `cmd/mod.rs` →
/// `[cmd]`, `synth.rs` → `[synth]`.
fn module_path(rel: &str) -> Vec<String> {
    let rel = rel.trim_end_matches(".rs");
    let mut parts: Vec<String> = rel.split('/').map(str::to_owned).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// Every reference of a file's text to a top-level module in `known`. `rel` is the path under
/// `src/` (it decides where `super::` leads). Comment lines are blanked first; `main.rs`
/// references the library as `edgepath::`.
fn references(rel: &str, text: &str, known: &BTreeSet<String>) -> Vec<Reference> {
    let here = module_path(rel);
    let code: String = text
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("//") {
                ""
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let line_of = |offset: usize| code[..offset].matches('\n').count() + 1;
    let mut out = Vec::new();
    let mut push = |base: usize, heads: Vec<(usize, &str)>| {
        for (i, h) in heads {
            if known.contains(h) {
                out.push(Reference {
                    line: line_of(base + i),
                    target: h.to_owned(),
                });
            }
        }
    };
    let root = if rel == "main.rs" {
        "edgepath::"
    } else {
        "crate::"
    };
    for (at, _) in code.match_indices(root) {
        let before = code[..at].chars().next_back();
        if !before.is_some_and(|c| is_ident_char(c) || c == '$') {
            let base = at + root.len();
            push(base, heads_after(&code[base..]));
        }
    }
    // `super::x` from a module's root file (`src/x/mod.rs`, `src/x.rs`) leads to the crate
    // root; deeper files need one `super::` per level.
    let mut from = 0;
    while let Some(pos) = code[from..].find("super::") {
        let at = from + pos;
        let before = code[..at].chars().next_back();
        let mut end = at;
        let mut ups = 0;
        while code[end..].starts_with("super::") {
            ups += 1;
            end += "super::".len();
        }
        if !before.is_some_and(|c| is_ident_char(c) || c == ':') && ups >= here.len() {
            push(end, heads_after(&code[end..]));
        }
        from = end;
    }
    out.sort_by_key(|r| r.line);
    out
}

/// The top-level module a file belongs to (`None` for `lib.rs`, which only declares them).
fn owner(rel: &str) -> Option<String> {
    if rel == "lib.rs" {
        return None;
    }
    Some(module_path(rel)[0].clone())
}

/// Every upward or sideways reference, as `file:line: module imports target`.
fn violations(files: &[(String, String)]) -> Vec<String> {
    let known: BTreeSet<String> = LEVELS
        .iter()
        .flat_map(|l| l.iter())
        .map(|m| (*m).to_owned())
        .collect();
    let mut out = Vec::new();
    for (rel, text) in files {
        let Some(module) = owner(rel) else { continue };
        for r in references(rel, text, &known) {
            if r.target == module {
                continue;
            }
            let allowed = if module == "main" {
                r.target == "cli" || r.target == "cmd"
            } else {
                match (level(&module), level(&r.target)) {
                    (Some(from), Some(to)) => to < from,
                    _ => true,
                }
            };
            if !allowed {
                out.push(format!(
                    "src/{rel}:{}: `{module}` imports `{}`, which is not below it",
                    r.line, r.target
                ));
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read src/")
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Every `src/**/*.rs` file as (path relative to `src/`, text).
fn source_files() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    rust_files(&src, &mut paths);
    paths
        .iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&src)
                .expect("under src/")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(p).expect("read source file"))
        })
        .collect()
}

/// Crates that only one layer may name: clap only the CLI layer (so `logs` and `reach` could
/// become crates of their own without it), the AWS SDK only the live collector, the HTML
/// template crate only the HTML renderer.
const CONFINED_CRATES: &[(&str, &[&str])] = &[
    ("clap", &["cli/", "main.rs"]),
    ("clap_complete", &["cli/"]),
    ("clap_mangen", &["cli/"]),
    ("aws_sdk_", &["source/live/"]),
    ("aws_config", &["source/live/"]),
    ("aws_smithy_types", &["source/live/"]),
    ("maud", &["report/html/"]),
];

/// `file:line` of each use of a confined crate outside the files allowed to name it.
fn confined_crate_violations(files: &[(String, String)]) -> Vec<String> {
    let mut bad = Vec::new();
    for (rel, text) in files {
        for (i, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for (krate, allowed) in CONFINED_CRATES {
                let named = code.match_indices(krate).any(|(at, _)| {
                    let before = code[..at].chars().next_back();
                    let after = &code[at + krate.len()..];
                    !before.is_some_and(is_ident_char)
                        && (krate.ends_with('_') || after.starts_with("::"))
                });
                if named && !allowed.iter().any(|a| rel.starts_with(a) || rel == *a) {
                    bad.push(format!("src/{rel}:{}: names `{krate}`", i + 1));
                }
            }
        }
    }
    bad
}

#[test]
fn clap_and_the_aws_sdk_stay_in_their_layer() {
    let bad = confined_crate_violations(&source_files());
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn a_confined_crate_outside_its_layer_is_flagged() {
    let files = vec![
        (
            "logs/options.rs".to_owned(),
            "use clap::ValueEnum;\n".to_owned(),
        ),
        ("cli/logs.rs".to_owned(), "use clap::Args;\n".to_owned()),
        (
            "reach/mod.rs".to_owned(),
            "// clap::Parser in a comment\n".to_owned(),
        ),
    ];
    assert_eq!(
        confined_crate_violations(&files),
        vec!["src/logs/options.rs:1: names `clap`".to_owned()]
    );
}

#[test]
fn dependencies_run_one_way() {
    let files = source_files();
    let bad = violations(&files);
    assert!(
        bad.is_empty(),
        "{} upward import(s):\n{}",
        bad.len(),
        bad.join("\n")
    );
}

fn file(rel: &str, text: &str) -> Vec<(String, String)> {
    vec![(rel.to_owned(), text.to_owned())]
}

#[test]
fn an_upward_use_is_flagged_with_file_and_line() {
    let bad = violations(&file(
        "model/ids.rs",
        "//! Ids.\n\nuse crate::report::style::Style;\n",
    ));
    assert_eq!(
        bad,
        ["src/model/ids.rs:3: `model` imports `report`, which is not below it"]
    );
}

#[test]
fn grouped_uses_and_paths_in_bodies_are_flagged() {
    let text = "use crate::{\n    model::Inventory,\n    cli::{Args, GlobalArgs},\n};\nfn f() {\n    let x = crate::cmd::run();\n}\n";
    let bad = violations(&file("reach/paths.rs", text));
    assert_eq!(bad.len(), 2, "{bad:?}");
    assert!(bad[0].starts_with("src/reach/paths.rs:3: `reach` imports `cli`"));
    assert!(bad[1].starts_with("src/reach/paths.rs:6: `reach` imports `cmd`"));
}

#[test]
fn siblings_may_not_import_each_other() {
    let bad = violations(&file("logs/read.rs", "use crate::reach::Verdict;\n"));
    assert_eq!(bad.len(), 1, "{bad:?}");
}

#[test]
fn super_from_a_module_root_is_a_crate_path() {
    let bad = violations(&file("reach/mod.rs", "use super::rules::Severity;\n"));
    assert_eq!(bad.len(), 1, "{bad:?}");
    // From a file below the module root, `super::` stays inside the module.
    assert!(violations(&file("reach/sg.rs", "use super::rules::Severity;\n")).is_empty());
}

#[test]
fn downward_imports_comments_and_main_are_allowed() {
    let ok = "//! See [`crate::cli::Args`].\nuse crate::model::Inventory;\nuse crate::{facts::Fact, model::Kind};\n";
    assert!(violations(&file("reach/paths.rs", ok)).is_empty());
    assert!(violations(&file("main.rs", "fn main() { edgepath::cli::run(); }\n")).is_empty());
    assert_eq!(
        violations(&file(
            "main.rs",
            "fn main() { edgepath::report::render(); }\n"
        ))
        .len(),
        1
    );
}
