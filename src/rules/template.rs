//! `{{field}}` templates of `message` and `fix`.
//!
//! A placeholder names a field of the rule's fact kind (`{{alb_sg}}`), or, for hop facts, a
//! field of the *selected near miss* (`{{near_miss.source_sg}}`): the first element of
//! `near_misses` for which the rule's optional `near_miss` condition holds (the first element
//! when the rule has none). Lists render joined by spaces; an empty value renders as `<field>`
//! so a fix command never silently loses an argument.

use std::sync::LazyLock;

use regex::Regex;

use super::schema::{self, KindSchema};

static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{\{\s*([A-Za-z0-9_.]*)\s*\}\}").expect("the placeholder regex is valid")
});

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Field(String),
    NearMiss(String),
}

/// A placeholder that names no field, with its byte range inside the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnknownPlaceholder {
    pub(crate) placeholder: String,
    pub(crate) range: std::ops::Range<usize>,
    pub(crate) known: String,
}

impl Template {
    /// Parses `text` against the schema of `kind`.
    pub(crate) fn parse(text: &str, kind: &KindSchema) -> Result<Template, UnknownPlaceholder> {
        let mut parts = Vec::new();
        let mut last = 0;
        for cap in PLACEHOLDER.captures_iter(text) {
            let whole = cap.get(0).expect("group 0 always matches");
            let name = cap.get(1).map_or("", |m| m.as_str());
            if whole.start() > last {
                parts.push(Part::Text(text[last..whole.start()].to_owned()));
            }
            last = whole.end();
            let unknown = |known: String| UnknownPlaceholder {
                placeholder: name.to_owned(),
                range: whole.range(),
                known,
            };
            if let Some(inner) = name.strip_prefix("near_miss.") {
                let nm = schema::kind("near_miss").expect("near_miss is in the schema");
                if kind.kind != "hop" || nm.field(inner).is_none() {
                    return Err(unknown(format!("near_miss.{{{}}}", nm.field_names())));
                }
                parts.push(Part::NearMiss(inner.to_owned()));
            } else if kind.field(name).is_some() {
                parts.push(Part::Field(name.to_owned()));
            } else {
                return Err(unknown(kind.field_names()));
            }
        }
        if last < text.len() {
            parts.push(Part::Text(text[last..].to_owned()));
        }
        Ok(Template { parts })
    }

    /// Renders with `fact` (a JSON object) and the selected near miss, if any.
    pub(crate) fn render(
        &self,
        fact: &serde_json::Value,
        near_miss: Option<&serde_json::Value>,
    ) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Field(f) => push_value(&mut out, fact.get(f), f),
                Part::NearMiss(f) => {
                    push_value(&mut out, near_miss.and_then(|m| m.get(f)), f);
                }
            }
        }
        out
    }
}

/// Renders one value: strings as-is, lists joined by spaces, empty as `<name>`.
pub(crate) fn value_text(v: Option<&serde_json::Value>) -> String {
    match v {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|i| value_text(Some(i)))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
        Some(serde_json::Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn push_value(out: &mut String, v: Option<&serde_json::Value>, name: &str) {
    let text = value_text(v);
    if text.is_empty() {
        out.push('<');
        out.push_str(name);
        out.push('>');
    } else {
        out.push_str(&text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_fields_lists_and_near_misses() {
        let hop = schema::kind("hop").expect("hop");
        let t = Template::parse(
            "{{alb}} sgs {{alb_sgs}} old {{near_miss.source_sg}} {{target}}",
            hop,
        )
        .expect("valid");
        let fact = serde_json::json!({"alb": "web", "alb_sgs": ["sg-1", "sg-2"], "target": ""});
        let nm = serde_json::json!({"source_sg": "sg-old"});
        assert_eq!(
            t.render(&fact, Some(&nm)),
            "web sgs sg-1 sg-2 old sg-old <target>"
        );
    }

    #[test]
    fn unknown_placeholders_are_errors_with_their_range() {
        let hop = schema::kind("hop").expect("hop");
        let err = Template::parse("x {{albb}}", hop).expect_err("unknown");
        assert_eq!(err.placeholder, "albb");
        assert_eq!(err.range, 2..10);
        let lb = schema::kind("load_balancer").expect("lb");
        assert!(Template::parse("{{near_miss.sg}}", lb).is_err());
    }
}
