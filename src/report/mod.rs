//! Rendering. Each command builds one report value (the whole answer: sorting, ranking and
//! de-duplication happen while it is built); the renderers only read it, so text, JSON and
//! Markdown always say the same thing.
//!
//! | file | knows |
//! |---|---|
//! | [`model`] | the report data of each command (what `cmd` builds) |
//! | [`json`] | the JSON shape: serde of the report types, plus the envelopes of DESIGN's keys |
//! | [`text`] | terminal layout and colour (one file per command) |
//! | [`markdown`] | Markdown for an incident channel or ticket |
//! | [`html`] | one self-contained HTML page (path diagram, 5xx chart, findings) |
//! | [`style`] | whether and how to paint |
//!
//! Nothing outside this module decides layout, colour or JSON shape; the evaluators (`reach`,
//! `logs`, `blockers`, `whatif`, `rules`) return data.

pub mod html;
pub mod json;
pub mod markdown;
pub mod metrics;
pub mod model;
pub mod style;
pub mod text;
mod triage_outline;

use std::io::{self, Write};

use style::Style;

pub use model::Report;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// For people, in a terminal.
    #[default]
    Text,
    /// For machines; stable keys (see README, "JSON output").
    Json,
    /// For pasting into an incident channel or ticket.
    Markdown,
    /// One self-contained HTML page, for a browser, a ticket attachment or a review.
    Html,
}

/// Renders `report` in `format`.
///
/// # Errors
/// Writing failed, or the report could not be serialized.
pub fn render(
    report: &Report<'_>,
    format: Format,
    style: &Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Json => json::render(report, out),
        Format::Text => text::render(report, style, out),
        Format::Markdown => markdown::render(report, out),
        Format::Html => html::render(report, out),
    }
}
