//! Build script: generates the two registries the rule engine must not keep by hand.
//!
//! 1. `builtin_rules.rs`: every `rules/*.toml`, embedded with `include_str!`, so the rule
//!    registry *is* the directory (adding a file adds a rule; nothing else to edit).
//! 2. `fact_schema.rs`: the fact schema (kinds, fields, types, doc) parsed from the doc comments
//!    and field types of `src/facts.rs`, so `edgepath rules facts`, load-time validation and the
//!    Rust structs cannot drift apart. A unit test in `rules::schema` checks the generated table
//!    against `serde_json::to_value` of each struct's `Default`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

/// Fact structs and the `kind` they serialize under (`NearMiss` is nested in hop facts).
const STRUCTS: [(&str, &str); 8] = [
    ("HopFact", "hop"),
    ("OriginFact", "origin"),
    ("LoadBalancerFact", "load_balancer"),
    ("TargetGroupFact", "target_group"),
    ("SecurityGroupFact", "security_group"),
    ("VpcOriginFact", "vpc_origin"),
    ("LogBucketFact", "log_bucket"),
    ("NearMiss", "near_miss"),
];

fn main() {
    let root =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo::rerun-if-changed=rules");
    println!("cargo::rerun-if-changed=src/facts.rs");
    replace(
        &out.join("builtin_rules.rs"),
        &builtin_rules(&root.join("rules")),
    );
    let facts = fs::read_to_string(root.join("src/facts.rs")).expect("src/facts.rs exists");
    replace(&out.join("fact_schema.rs"), &fact_schema(&facts));
}

/// Writes a new file and renames it over `path`: a target directory seeded with hard links
/// (`cp -al`) shares the old inode with other checkouts, which an in-place write would change
/// under them.
fn replace(path: &Path, text: &str) {
    let tmp = path.with_extension("rs.tmp");
    fs::write(&tmp, text).expect("OUT_DIR is writable");
    fs::rename(&tmp, path).expect("OUT_DIR is writable");
}

fn builtin_rules(dir: &Path) -> String {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut s = String::from(
        "/// Built-in rule files: (path relative to the crate root, contents).\n\
         pub(crate) static BUILTIN_RULES: &[(&str, &str)] = &[\n",
    );
    for f in files {
        let name = f
            .file_name()
            .expect("a file")
            .to_string_lossy()
            .into_owned();
        writeln!(
            s,
            "    (\"rules/{name}\", include_str!({:?})),",
            f.display().to_string()
        )
        .expect("writing to a String");
    }
    s.push_str("];\n");
    s
}

fn fact_schema(src: &str) -> String {
    let mut s = String::from(
        "/// The fact schema, generated from `src/facts.rs` by `build.rs`.\n\
         pub(crate) static GENERATED: &[KindSchema] = &[\n",
    );
    for (name, kind) in STRUCTS {
        let (doc, fields) = parse_struct(src, name);
        writeln!(
            s,
            "    KindSchema {{ kind: {kind:?}, doc: {doc:?}, fields: &["
        )
        .expect("String");
        for (field, ty, fdoc) in fields {
            writeln!(
                s,
                "        FieldSchema {{ name: {field:?}, ty: {ty:?}, doc: {fdoc:?} }},"
            )
            .expect("String");
        }
        s.push_str("    ] },\n");
    }
    s.push_str("];\n");
    s
}

/// (struct doc, [(field, type, doc)]) of `pub struct NAME` in facts.rs.
fn parse_struct(src: &str, name: &str) -> (String, Vec<(String, String, String)>) {
    let lines: Vec<&str> = src.lines().collect();
    let header = format!("pub struct {name} {{");
    let Some(start) = lines.iter().position(|l| l.trim() == header) else {
        panic!("src/facts.rs has no `{header}`");
    };
    let mut doc_lines = Vec::new();
    let mut i = start;
    while i > 0 {
        i -= 1;
        let t = lines[i].trim();
        if let Some(d) = t.strip_prefix("///") {
            doc_lines.push(d.trim().to_owned());
        } else if t.starts_with("#[") {
            continue;
        } else {
            break;
        }
    }
    doc_lines.reverse();
    let struct_doc = doc_lines.join(" ").replace("  ", " ").trim().to_owned();
    let mut fields = Vec::new();
    let mut doc = Vec::new();
    for l in &lines[start + 1..] {
        let t = l.trim();
        if t == "}" {
            break;
        }
        if let Some(d) = t.strip_prefix("///") {
            doc.push(d.trim().to_owned());
        } else if let Some(rest) = t.strip_prefix("pub ") {
            let (field, ty) = rest.split_once(':').expect("`pub name: Type,`");
            let ty = match ty.trim().trim_end_matches(',') {
                "String" => "string",
                "i64" => "int",
                "bool" => "bool",
                "f64" => "double",
                "Vec<String>" => "list<string>",
                "Vec<NearMiss>" => "list<near_miss>",
                other => panic!("fact field type `{other}` has no CEL mapping in build.rs"),
            };
            fields.push((field.trim().to_owned(), ty.to_owned(), doc.join(" ")));
            doc.clear();
        }
    }
    (struct_doc, fields)
}
