//! Terminal styling, decided once: colour only when writing to a terminal, without `--no-color`
//! and without `NO_COLOR` (https://no-color.org).
//!
//! Which colour a verdict or a severity gets is decided in `report::text`; this file only knows
//! how to paint.

use std::io::IsTerminal;

/// Whether and how to colour text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    color: bool,
}

impl Style {
    /// Colour on or off, as decided by the caller.
    #[must_use]
    pub fn new(color: bool) -> Style {
        Style { color }
    }

    /// No colour (files, pipes, Markdown).
    #[must_use]
    pub fn plain() -> Style {
        Style::new(false)
    }

    /// Colour for stdout when it is a terminal and nothing says no.
    #[must_use]
    pub fn for_stdout(no_color: bool) -> Style {
        Style::new(!no_color && no_color_env_unset() && std::io::stdout().is_terminal())
    }

    /// Colour for stderr when it is a terminal and nothing says no.
    #[must_use]
    pub fn for_stderr(no_color: bool) -> Style {
        Style::new(!no_color && no_color_env_unset() && std::io::stderr().is_terminal())
    }

    /// Whether colour is on.
    #[must_use]
    pub fn color(&self) -> bool {
        self.color
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
    /// Red (blocked, critical).
    #[must_use]
    pub fn red(&self, s: &str) -> String {
        self.paint("31", s)
    }
    /// Green (allowed).
    #[must_use]
    pub fn green(&self, s: &str) -> String {
        self.paint("32", s)
    }
    /// Yellow (partial, warning).
    #[must_use]
    pub fn yellow(&self, s: &str) -> String {
        self.paint("33", s)
    }
    /// Magenta (unknown).
    #[must_use]
    pub fn magenta(&self, s: &str) -> String {
        self.paint("35", s)
    }
    /// Bold.
    #[must_use]
    pub fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    /// Dim.
    #[must_use]
    pub fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
}

fn no_color_env_unset() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Installs miette's error handler with colour decided like text output.
pub fn init_miette(no_color: bool) {
    let color = Style::for_stderr(no_color).color();
    // A second install fails harmlessly (tests that call `cmd::run` twice): the first handler
    // stays, and it was configured the same way.
    let _ = miette::set_hook(Box::new(move |_| {
        Box::new(
            miette::MietteHandlerOpts::new()
                .color(color)
                .unicode(color)
                .terminal_links(false)
                .build(),
        )
    }));
}
