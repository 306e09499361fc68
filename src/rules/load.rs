//! Reading rule files: TOML with byte spans, then every check that can fail at load time.
//!
//! Nothing is skipped silently: a file that does not parse, names an unknown fact kind or field,
//! has a CEL syntax or type error, a template placeholder outside the schema, an id that is not
//! its file stem, or an id another file already uses is an error that points into the file.

use std::ops::Range;
use std::path::{Path, PathBuf};

use miette::{NamedSource, SourceSpan};
use serde::Deserialize;
use toml::Spanned;

use super::eval::{self, CheckError};
use super::explain;
use super::finding::{HOPS, Severity};
use super::missing::{self, MAY_BE_MISSING};
use super::rank::SIGNATURES;
use super::schema::{self, FACT_KINDS, KindSchema};
use super::template::Template;
use super::{Rule, RuleError, RuleSet, TestCase};

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Loads the built-in rules plus every `*.toml` of `extra_dirs`.
///
/// # Errors
/// The first invalid file, or a duplicate id (naming both files).
pub fn load_rules(extra_dirs: &[PathBuf]) -> Result<RuleSet, RuleError> {
    let mut rules = builtin_rules()?;
    for dir in extra_dirs {
        rules.extend(load_dir(dir)?);
    }
    RuleSet::new(rules)
}

/// Only the rules of `dir` (for `edgepath rules test DIR`).
///
/// # Errors
/// As [`load_rules`].
pub fn load_rules_dir(dir: &Path) -> Result<RuleSet, RuleError> {
    RuleSet::new(load_dir(dir)?)
}

fn builtin_rules() -> Result<Vec<Rule>, RuleError> {
    BUILTIN_RULES
        .iter()
        .map(|(name, text)| parse_rule(name, text, None))
        .collect()
}

fn load_dir(dir: &Path) -> Result<Vec<Rule>, RuleError> {
    let io = |source| RuleError::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut files: Vec<PathBuf> = if dir.is_file() {
        vec![dir.to_path_buf()]
    } else {
        std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect()
    };
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).map_err(|source| RuleError::Io {
                path: f.display().to_string(),
                source,
            })?;
            parse_rule(&f.display().to_string(), &text, Some(f.clone()))
        })
        .collect()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    title: String,
    severity: Spanned<String>,
    hop: Spanned<String>,
    fact: Spanned<String>,
    #[serde(default)]
    requires: Vec<Spanned<String>>,
    when: Spanned<String>,
    #[serde(default)]
    near_miss: Option<Spanned<String>>,
    message: Spanned<String>,
    fix: Spanned<String>,
    #[serde(default)]
    resources: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    references: Option<Spanned<Vec<String>>>,
    explain: Spanned<String>,
    #[serde(default)]
    symptom: bool,
    #[serde(default)]
    agrees_with: Vec<Spanned<String>>,
    #[serde(default, rename = "test")]
    tests: Vec<Spanned<RawTest>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTest {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    snapshot: Option<String>,
    #[serde(default)]
    logs: Option<String>,
    #[serde(default)]
    facts: Vec<toml::Table>,
    expect: Spanned<String>,
}

/// Parses and validates one rule file. `display` is how errors name it.
pub(crate) fn parse_rule(
    display: &str,
    text: &str,
    origin: Option<PathBuf>,
) -> Result<Rule, RuleError> {
    let src = || NamedSource::new(display, text.to_owned());
    let raw: RawRule = toml::from_str(text).map_err(|e| RuleError::Toml {
        path: display.to_owned(),
        message: e.message().to_owned(),
        src: src(),
        at: e
            .span()
            .map_or_else(|| SourceSpan::from(0..0), SourceSpan::from),
    })?;
    let invalid = |field: &str, message: String, span: Range<usize>| RuleError::Invalid {
        path: display.to_owned(),
        field: field.to_owned(),
        message,
        src: src(),
        at: span.into(),
    };

    let stem = Path::new(display)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if raw.id.get_ref() != &stem {
        return Err(invalid(
            "id",
            format!(
                "id `{}` must equal the file stem `{stem}`",
                raw.id.get_ref()
            ),
            raw.id.span(),
        ));
    }
    let severity = Severity::parse(raw.severity.get_ref()).ok_or_else(|| {
        invalid(
            "severity",
            format!(
                "severity `{}` is not critical, warning or info",
                raw.severity.get_ref()
            ),
            raw.severity.span(),
        )
    })?;
    if !HOPS.contains(&raw.hop.get_ref().as_str()) {
        return Err(invalid(
            "hop",
            format!(
                "hop `{}` is not one of {}",
                raw.hop.get_ref(),
                HOPS.join(", ")
            ),
            raw.hop.span(),
        ));
    }
    let kind = FACT_KINDS
        .contains(&raw.fact.get_ref().as_str())
        .then(|| schema::kind(raw.fact.get_ref()))
        .flatten()
        .ok_or_else(|| {
            invalid(
                "fact",
                format!(
                    "fact kind `{}` is not one of {} (see `edgepath rules facts`)",
                    raw.fact.get_ref(),
                    FACT_KINDS.join(", ")
                ),
                raw.fact.span(),
            )
        })?;

    let cel_error = |field: &str, value: &Spanned<String>, e: CheckError| -> RuleError {
        let base = content_start(text, value);
        let find = |needle: &str| -> Range<usize> {
            find_word(value.get_ref(), needle)
                .map_or(value.span(), |r| base + r.start..base + r.end)
        };
        match e {
            CheckError::UnknownField {
                field: f,
                kind,
                known,
            } => RuleError::UnknownField {
                path: display.to_owned(),
                rule_field: field.to_owned(),
                at: find(&format!(".{f}")).into(),
                field: f,
                kind: kind.to_owned(),
                known,
                src: src(),
            },
            CheckError::NotAnObject { field: f } => invalid(
                field,
                format!("`.{f}` selects a field of a value that is not an object"),
                find(&format!(".{f}")),
            ),
            CheckError::UnknownVariable { name } => invalid(
                field,
                format!("unknown variable `{name}`; the fact is `fact` (near-miss filters: `m`)"),
                find(&name),
            ),
            CheckError::UnknownFunction { name } => {
                invalid(field, format!("unknown function `{name}`"), find(&name))
            }
            CheckError::Syntax {
                message,
                line,
                column,
            } => {
                let off = line_col_offset(value.get_ref(), line, column);
                RuleError::Cel {
                    path: display.to_owned(),
                    field: field.to_owned(),
                    message: format!("CEL syntax error: {message}"),
                    src: src(),
                    at: (base + off..base + off + 1).into(),
                }
            }
            CheckError::Type { message } => RuleError::Cel {
                path: display.to_owned(),
                field: field.to_owned(),
                message: format!("CEL type error: {message}"),
                src: src(),
                at: value.span().into(),
            },
        }
    };

    let when = eval::compile(raw.when.get_ref(), kind, "fact")
        .map_err(|e| cel_error("when", &raw.when, e))?;
    let near_miss = match &raw.near_miss {
        None => None,
        Some(nm) => {
            if kind.kind != "hop" {
                return Err(invalid(
                    "near_miss",
                    "`near_miss` only applies to rules over hop facts".to_owned(),
                    nm.span(),
                ));
            }
            let k = schema::kind("near_miss").expect("near_miss is in the schema");
            Some(eval::compile(nm.get_ref(), k, "m").map_err(|e| cel_error("near_miss", nm, e))?)
        }
    };
    let explain_sections = explain::sections(raw.explain.get_ref())
        .map_err(|m| invalid("explain", m, raw.explain.span()))?;
    let references = match &raw.references {
        Some(r) if !r.get_ref().is_empty() => r.get_ref().clone(),
        Some(r) => {
            return Err(invalid(
                "references",
                "a rule needs at least one documentation or issue link".to_owned(),
                r.span(),
            ));
        }
        None => {
            return Err(invalid(
                "references",
                "a rule needs `references = [\"https://…\"]` (documentation or issue links)"
                    .to_owned(),
                raw.id.span(),
            ));
        }
    };
    let requires = check_requires(&raw, kind, &when, &invalid)?;
    let agrees_with = check_agrees_with(&raw, &invalid)?;
    let template = |field: &str, value: &Spanned<String>| -> Result<Template, RuleError> {
        Template::parse(value.get_ref(), kind).map_err(|u| {
            let base = content_start(text, value);
            RuleError::UnknownTemplateField {
                path: display.to_owned(),
                template: field.to_owned(),
                placeholder: u.placeholder,
                kind: kind.kind.to_owned(),
                known: u.known,
                src: src(),
                at: (base + u.range.start..base + u.range.end).into(),
            }
        })
    };
    let message = template("message", &raw.message)?;
    let fix = template("fix", &raw.fix)?;
    let resources = match &raw.resources {
        None => default_resources(kind.kind),
        Some(r) => {
            for name in r.get_ref() {
                if kind.field(name).is_none() {
                    return Err(invalid(
                        "resources",
                        format!("`{name}` is not a field of `{}` facts", kind.kind),
                        r.span(),
                    ));
                }
            }
            r.get_ref().clone()
        }
    };

    let mut tests = Vec::new();
    for t in raw.tests {
        let span = t.span();
        let t = t.into_inner();
        let fires = match t.expect.get_ref().as_str() {
            "fires" => true,
            "silent" | "does-not-fire" => false,
            other => {
                return Err(invalid(
                    "expect",
                    format!("expect `{other}` is not `fires` or `silent`"),
                    t.expect.span(),
                ));
            }
        };
        if t.snapshot.is_none() && t.logs.is_none() && t.facts.is_empty() {
            return Err(invalid(
                "test",
                "a [[test]] needs `snapshot`, `logs` or `facts`".to_owned(),
                span,
            ));
        }
        let mut facts = Vec::new();
        for table in t.facts {
            facts.push(inline_fact(&table).map_err(|m| invalid("test.facts", m, span.clone()))?);
        }
        tests.push(TestCase {
            name: t.name,
            snapshot: t.snapshot,
            logs: t.logs,
            facts,
            fires,
        });
    }
    // rules/README.md: every rule carries at least one `fires` and one `silent` case, so its
    // condition is known to fire and known to be tight.
    let lacking: Vec<&str> = [("fires", true), ("silent", false)]
        .into_iter()
        .filter(|(_, fires)| !tests.iter().any(|t| t.fires == *fires))
        .map(|(name, _)| name)
        .collect();
    if !lacking.is_empty() {
        return Err(RuleError::MissingTests {
            path: display.to_owned(),
            id: raw.id.get_ref().clone(),
            lacking: lacking
                .iter()
                .map(|l| format!("`expect = \"{l}\"`"))
                .collect::<Vec<_>>()
                .join(" and "),
            src: src(),
            at: raw.id.span().into(),
        });
    }

    Ok(Rule {
        id: raw.id.into_inner(),
        title: raw.title,
        severity,
        hop: raw.hop.into_inner(),
        kind: kind.kind,
        when_source: raw.when.into_inner(),
        when,
        near_miss,
        message,
        fix,
        message_source: raw.message.into_inner(),
        fix_source: raw.fix.into_inner(),
        resources,
        references,
        explain: raw.explain.into_inner(),
        explain_sections,
        symptom: raw.symptom,
        requires,
        agrees_with,
        tests,
        file: display.to_owned(),
        origin,
    })
}

/// `requires`: each field exists in the fact schema and may be missing (a field that is always
/// known needs no declaration), and every field the condition reads that may be missing, or
/// that means nothing while one is missing, is declared: a rule must not fire on absent data.
fn check_requires(
    raw: &RawRule,
    kind: &KindSchema,
    when: &eval::Condition,
    invalid: &dyn Fn(&str, String, Range<usize>) -> RuleError,
) -> Result<Vec<String>, RuleError> {
    let may_be_missing = || {
        let fields: Vec<&str> = MAY_BE_MISSING
            .iter()
            .filter(|m| m.kind == kind.kind)
            .map(|m| m.field)
            .collect();
        if fields.is_empty() {
            format!("no field of `{}` facts may be missing", kind.kind)
        } else {
            format!(
                "fields of `{}` facts that may be missing: {}",
                kind.kind,
                fields.join(", ")
            )
        }
    };
    for field in &raw.requires {
        let name = field.get_ref();
        if kind.field(name).is_none() {
            return Err(invalid(
                "requires",
                format!("`{name}` is not a field of `{}` facts", kind.kind),
                field.span(),
            ));
        }
        if missing::may_be_missing(kind.kind, name).is_none() {
            return Err(invalid(
                "requires",
                format!("`{name}` is always known; {}", may_be_missing()),
                field.span(),
            ));
        }
    }
    for m in MAY_BE_MISSING.iter().filter(|m| m.kind == kind.kind) {
        let read = std::iter::once(m.field)
            .chain(m.guards.iter().copied())
            .find(|f| when.reads.contains(*f));
        if let Some(read) = read
            && !raw.requires.iter().any(|r| r.get_ref() == m.field)
        {
            return Err(invalid(
                "when",
                format!(
                    "`when` reads `fact.{read}`, which is absent when `{}` is missing; add `requires = [\"{}\"]` so the rule is reported as not run instead of deciding on absent data",
                    m.field, m.field
                ),
                raw.when.span(),
            ));
        }
    }
    Ok(raw.requires.iter().map(|r| r.get_ref().clone()).collect())
}

/// `agrees_with`: each entry is a log signature (`edgepath logs` names them).
fn check_agrees_with(
    raw: &RawRule,
    invalid: &dyn Fn(&str, String, Range<usize>) -> RuleError,
) -> Result<Vec<String>, RuleError> {
    for signature in &raw.agrees_with {
        if !SIGNATURES.iter().any(|(s, _)| s == signature.get_ref()) {
            let known: Vec<&str> = SIGNATURES.iter().map(|(s, _)| *s).collect();
            return Err(invalid(
                "agrees_with",
                format!(
                    "`{}` is not a log signature; one of {}",
                    signature.get_ref(),
                    known.join(", ")
                ),
                signature.span(),
            ));
        }
    }
    Ok(raw
        .agrees_with
        .iter()
        .map(|s| s.get_ref().clone())
        .collect())
}

/// Resources a finding lists when the rule does not say (`resources = [...]`).
fn default_resources(kind: &str) -> Vec<String> {
    let fields: &[&str] = match kind {
        "hop" => &["distribution", "alb", "target_group", "target"],
        "origin" => &["distribution", "origin_id", "alb"],
        "load_balancer" => &["alb"],
        "target_group" => &["target_group", "albs"],
        "security_group" => &["sg"],
        "vpc_origin" => &["vpc_origin", "distributions"],
        _ => &["distribution", "behavior", "origin_id"],
    };
    fields.iter().map(|s| (*s).to_owned()).collect()
}

/// Builds the JSON of an inline test fact: the kind's `Default` with the table's keys laid
/// over it; every key (and every near-miss key) must be in the schema.
pub(crate) fn inline_fact(table: &toml::Table) -> Result<serde_json::Value, String> {
    let kind = table
        .get("kind")
        .and_then(toml::Value::as_str)
        .ok_or("an inline fact needs `kind = \"hop\"` (or another fact kind)")?;
    overlay(kind, table)
}

fn overlay(kind: &str, table: &toml::Table) -> Result<serde_json::Value, String> {
    let schema = schema::kind(kind).ok_or(format!("unknown fact kind `{kind}`"))?;
    let mut base = schema::default_value(kind).ok_or(format!("unknown fact kind `{kind}`"))?;
    let obj = base.as_object_mut().ok_or("facts are objects")?;
    for (key, value) in table {
        if key == "kind" {
            continue;
        }
        let field = schema
            .field(key)
            .ok_or(format!("`{key}` is not a field of `{kind}` facts"))?;
        let json = if let Some(elem) = schema::element_kind(field.ty) {
            let items = value
                .as_array()
                .ok_or(format!("`{key}` must be a list of tables"))?;
            let mut out = Vec::new();
            for item in items {
                let t = item
                    .as_table()
                    .ok_or(format!("`{key}` must be a list of tables"))?;
                out.push(overlay(elem.kind, t)?);
            }
            serde_json::Value::Array(out)
        } else {
            let v = serde_json::to_value(value).map_err(|e| e.to_string())?;
            let ok = match field.ty {
                "string" => v.is_string(),
                "int" => v.is_i64(),
                "bool" => v.is_boolean(),
                "double" => v.is_number(),
                _ => v
                    .as_array()
                    .is_some_and(|a| a.iter().all(serde_json::Value::is_string)),
            };
            if !ok {
                return Err(format!("`{key}` must be a {}", field.ty));
            }
            v
        };
        obj.insert(key.clone(), json);
    }
    Ok(base)
}

/// Byte offset in the file where a string value's content starts (after the quotes).
fn content_start(text: &str, value: &Spanned<String>) -> usize {
    let span = value.span();
    let raw = text.get(span.clone()).unwrap_or("");
    let first_line = value.get_ref().lines().next().unwrap_or("");
    match raw.find(first_line) {
        Some(i) if !first_line.is_empty() => span.start + i,
        _ => span.start + raw.chars().take_while(|c| *c == '"' || *c == '\'').count(),
    }
}

/// The range of `needle` in `hay`, not followed by an identifier character.
fn find_word(hay: &str, needle: &str) -> Option<Range<usize>> {
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        let start = from + i;
        let end = start + needle.len();
        let next = hay[end..].chars().next();
        if !next.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            return Some(start..end);
        }
        from = end;
    }
    None
}

/// Byte offset of (1-based line, 1-based column) in `s`.
fn line_col_offset(s: &str, line: usize, column: usize) -> usize {
    let mut off = 0;
    for (i, l) in s.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return (off + column.saturating_sub(1)).min(s.len().saturating_sub(1));
        }
        off += l.len();
    }
    s.len().saturating_sub(1)
}
