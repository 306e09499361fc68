//! Rendering. Each command builds one report value (the whole answer: sorting, ranking and
//! de-duplication happen while it is built); the renderers only read it, so text, JSON and
//! Markdown always say the same thing.
//!
//! JSON is the serde serialization of the report type, with the stable snake_case keys of the
//! README's "JSON output" section: adding a key is fine, renaming one breaks users.

pub mod style;

use std::io::{self, Write};

use crate::cli::Format;
use style::Style;

/// A report that can be rendered in every output format.
pub trait Render {
    /// The JSON value (serde of the report model).
    fn to_json(&self) -> serde_json::Value;
    /// Text for a terminal.
    ///
    /// # Errors
    /// Writing failed.
    fn render_text(&self, style: &Style, out: &mut dyn Write) -> io::Result<()>;
    /// Markdown for an incident channel. Defaults to the text rendering in a code block.
    ///
    /// # Errors
    /// Writing failed.
    fn render_markdown(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "```text")?;
        self.render_text(&Style::plain(), out)?;
        writeln!(out, "```")
    }
}

/// Renders `report` in `format`.
///
/// # Errors
/// Writing failed.
pub fn render(
    report: &dyn Render,
    format: Format,
    style: &Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &report.to_json()).map_err(io::Error::other)?;
            writeln!(out)
        }
        Format::Text => report.render_text(style, out),
        Format::Markdown => report.render_markdown(out),
    }
}
