//! The fact schema as the rule engine sees it: kinds, fields, CEL types and docs.
//!
//! The table is generated at build time from `src/facts.rs` (`build.rs` reads each fact struct's
//! field types and doc comments), so there is exactly one place to add a field. A unit test below
//! checks the generated table against the serde serialization of each struct's `Default`, so a
//! `#[serde(rename)]` or a type the build script mapped wrongly fails `cargo test`.

use std::fmt::Write as _;

/// One fact field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSchema {
    /// snake_case name as rules write it (`fact.near_misses`).
    pub name: &'static str,
    /// CEL type: `string`, `int`, `bool`, `double`, `list<string>`, `list<near_miss>`.
    pub ty: &'static str,
    /// The field's doc comment from `src/facts.rs`.
    pub doc: &'static str,
}

/// One fact kind (and `near_miss`, the element type of `hop.near_misses`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindSchema {
    /// `hop`, `origin`, `load_balancer`, `target_group`, `security_group`, `vpc_origin`,
    /// `log_bucket`, or `near_miss` (nested).
    pub kind: &'static str,
    /// The struct's doc comment (paragraphs joined).
    pub doc: &'static str,
    /// Fields, in declaration order (without the `kind` discriminator).
    pub fields: &'static [FieldSchema],
}

include!(concat!(env!("OUT_DIR"), "/fact_schema.rs"));

/// The fact kinds a rule may name in `fact = "…"` (everything but the nested `near_miss`).
pub const FACT_KINDS: [&str; 9] = [
    "hop",
    "origin",
    "load_balancer",
    "target_group",
    "security_group",
    "vpc_origin",
    "log_bucket",
    "change",
    "metric_window",
];

/// Every kind of the schema, including the nested `near_miss`.
#[must_use]
pub fn kinds() -> &'static [KindSchema] {
    GENERATED
}

/// The schema of `kind`, if it exists.
#[must_use]
pub fn kind(kind: &str) -> Option<&'static KindSchema> {
    GENERATED.iter().find(|k| k.kind == kind)
}

impl KindSchema {
    /// The field named `name`; `kind` is a field of every top-level fact.
    #[must_use]
    pub fn field(&self, name: &str) -> Option<FieldSchema> {
        if name == "kind" && self.kind != "near_miss" {
            return Some(FieldSchema {
                name: "kind",
                ty: "string",
                doc: "The fact kind.",
            });
        }
        self.fields.iter().copied().find(|f| f.name == name)
    }

    /// Comma-separated field names, for "known fields" help texts.
    #[must_use]
    pub fn field_names(&self) -> String {
        self.fields
            .iter()
            .map(|f| f.name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The nested object kind a type names (`list<near_miss>` → `near_miss`), if any.
#[must_use]
pub fn element_kind(ty: &str) -> Option<&'static KindSchema> {
    let inner = ty.strip_prefix("list<")?.strip_suffix('>')?;
    kind(inner)
}

/// The schema as text, for `edgepath rules facts`.
#[must_use]
pub fn render_text() -> String {
    let mut s = String::from(
        "Fact schema (src/facts.rs). Rules read one kind (`fact = \"KIND\"`) through `fact.FIELD` \
         in `when` and `{{FIELD}}` in templates.\nAbsent data is \"\" / [] / -1, never a guess.\n",
    );
    for k in GENERATED {
        let _ = write!(s, "\n{}", k.kind);
        if k.kind == "near_miss" {
            s.push_str(" (elements of hop.near_misses; `{{near_miss.FIELD}}` in templates)");
        }
        let _ = writeln!(s, ": {}", k.doc);
        let width = k.fields.iter().map(|f| f.name.len()).max().unwrap_or(0);
        for f in k.fields {
            let _ = writeln!(s, "  {:width$}  {:16}  {}", f.name, f.ty, f.doc);
        }
    }
    s
}

/// The schema as JSON, for `edgepath rules facts --format json`.
#[must_use]
pub fn to_json() -> serde_json::Value {
    serde_json::Value::Array(
        GENERATED
            .iter()
            .map(|k| {
                serde_json::json!({
                    "kind": k.kind,
                    "doc": k.doc,
                    "fields": k.fields.iter().map(|f| serde_json::json!({
                        "name": f.name, "type": f.ty, "doc": f.doc,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

/// The `Default` of each kind as a JSON object (`kind` included for top-level kinds): the base
/// that inline test facts are laid over.
#[must_use]
pub fn default_value(kind: &str) -> Option<serde_json::Value> {
    use crate::facts::{
        ChangeFact, Fact, HopFact, LoadBalancerFact, LogBucketFact, MetricWindowFact, NearMiss,
        OriginFact, SecurityGroupFact, TargetGroupFact, VpcOriginFact,
    };
    let fact = match kind {
        "hop" => Fact::Hop(HopFact::default()),
        "origin" => Fact::Origin(OriginFact::default()),
        "load_balancer" => Fact::LoadBalancer(LoadBalancerFact::default()),
        "target_group" => Fact::TargetGroup(TargetGroupFact::default()),
        "security_group" => Fact::SecurityGroup(SecurityGroupFact::default()),
        "vpc_origin" => Fact::VpcOrigin(VpcOriginFact::default()),
        "log_bucket" => Fact::LogBucket(LogBucketFact::default()),
        "change" => Fact::Change(ChangeFact::default()),
        "metric_window" => Fact::MetricWindow(MetricWindowFact::default()),
        "near_miss" => return serde_json::to_value(NearMiss::default()).ok(),
        _ => return None,
    };
    serde_json::to_value(fact).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_type(v: &serde_json::Value) -> &'static str {
        match v {
            serde_json::Value::String(_) => "string",
            serde_json::Value::Bool(_) => "bool",
            serde_json::Value::Number(n) if n.is_f64() => "double",
            serde_json::Value::Number(_) => "int",
            serde_json::Value::Array(_) => "list",
            _ => "other",
        }
    }

    #[test]
    fn generated_schema_matches_the_serialized_facts() {
        for k in kinds() {
            let value = default_value(k.kind).expect("every schema kind has a Default");
            let obj = value.as_object().expect("facts serialize as objects");
            let mut keys: Vec<&str> = obj
                .keys()
                .map(String::as_str)
                .filter(|k| *k != "kind")
                .collect();
            keys.sort_unstable();
            let mut names: Vec<&str> = k.fields.iter().map(|f| f.name).collect();
            names.sort_unstable();
            assert_eq!(
                keys, names,
                "fields of `{}` differ from its serde keys",
                k.kind
            );
            for f in k.fields {
                let ty = json_type(&obj[f.name]);
                let expected = if f.ty.starts_with("list<") {
                    "list"
                } else {
                    f.ty
                };
                assert_eq!(ty, expected, "type of {}.{}", k.kind, f.name);
                assert!(
                    !f.doc.is_empty(),
                    "{}.{} has no doc comment",
                    k.kind,
                    f.name
                );
            }
        }
        for k in FACT_KINDS {
            assert!(kind(k).is_some(), "no schema for {k}");
        }
    }
}
