//! The `explain` text of a rule, as sections: what it detects, why it gives 5xx, an example,
//! the fix (ruff's rule docs have the same fixed sections).
//!
//! A section starts on a line of its own with its heading and a colon: `What it detects:`,
//! `Why …:` (`Why it gives 504s:`, `Why it matters:`), `Example:` and `Fix:`, in that order.
//! `What it detects`, a `Why` and `Fix` are required, `Example` is optional; a rule missing one
//! is a load error, so `edgepath rules show` and the generated rule pages never have a gap.

/// One section of `explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading as written, without the colon (`Why it gives 504s`).
    pub heading: String,
    /// The text after the colon, paragraphs and line breaks as written, trimmed.
    pub body: String,
}

/// The four kinds of section, in the order they must appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Detects,
    Why,
    Example,
    Fix,
}

/// The section a heading opens (`None` for a line that is not a heading).
fn heading_kind(heading: &str) -> Option<Kind> {
    match heading {
        "What it detects" => Some(Kind::Detects),
        "Example" => Some(Kind::Example),
        "Fix" => Some(Kind::Fix),
        // `Why it gives 504s`, `Why it fails`, `Why it matters for 504s`: a short phrase.
        h if h.starts_with("Why ")
            && h.len() <= 40
            && h.chars().all(|c| c.is_alphanumeric() || c == ' ') =>
        {
            Some(Kind::Why)
        }
        _ => None,
    }
}

/// Splits `explain` into sections.
///
/// # Errors
/// What is wrong, for a load error: text before the first heading, a required section
/// missing, a section repeated or out of order.
pub fn sections(explain: &str) -> Result<Vec<Section>, String> {
    let mut out: Vec<(Kind, Section)> = Vec::new();
    for line in explain.lines() {
        let opened = line
            .split_once(':')
            .and_then(|(h, rest)| heading_kind(h).map(|k| (k, h, rest)));
        if let Some((kind, heading, rest)) = opened {
            if let Some((last, _)) = out.last()
                && *last >= kind
            {
                return Err(format!(
                    "`{heading}:` comes after `{}:`; sections are `What it detects:`, `Why …:`, `Example:` (optional), `Fix:`, in that order, once each",
                    out.last().map_or("", |(_, s)| s.heading.as_str())
                ));
            }
            out.push((
                kind,
                Section {
                    heading: heading.to_owned(),
                    body: rest.trim_start().to_owned(),
                },
            ));
        } else if let Some((_, section)) = out.last_mut() {
            section.body.push('\n');
            section.body.push_str(line);
        } else if !line.trim().is_empty() {
            return Err(
                "text before `What it detects:`; each section starts on its own line with its heading"
                    .to_owned(),
            );
        }
    }
    for (kind, heading) in [
        (Kind::Detects, "What it detects:"),
        (Kind::Why, "Why it gives 504s:` (or another `Why …:"),
        (Kind::Fix, "Fix:"),
    ] {
        if !out.iter().any(|(k, _)| *k == kind) {
            return Err(format!("no `{heading}` section"));
        }
    }
    Ok(out
        .into_iter()
        .map(|(_, mut s)| {
            s.body = s.body.trim().to_owned();
            s
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_split_on_their_headings_and_keep_paragraphs() {
        let s = sections(
            "What it detects: a thing\non two lines.\n\nWhy it gives 504s: x.\n\nExample: e.\n\nFix: f.\n",
        )
        .expect("valid");
        let headings: Vec<&str> = s.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(
            headings,
            ["What it detects", "Why it gives 504s", "Example", "Fix"]
        );
        assert_eq!(s[0].body, "a thing\non two lines.");
    }

    #[test]
    fn a_missing_or_misplaced_section_is_an_error() {
        assert!(sections("What it detects: a\nFix: f").is_err_and(|e| e.contains("Why")));
        assert!(sections("Why it fails: w\nWhat it detects: a\nFix: f").is_err());
        assert!(sections("x\nWhat it detects: a\nWhy it fails: w\nFix: f").is_err());
        assert!(sections("What it detects: a\nWhy it fails: w\nFix: f\nFix: g").is_err());
    }
}
