//! Shell completions (`clap_complete`) and man pages (`clap_mangen`), generated from the same
//! clap definitions as the parser, so they never drift from the flags.

use std::io::{self, Write};
use std::path::Path;

use clap::CommandFactory;

use super::Args;

/// Writes the completion script for `shell`.
///
/// # Errors
/// Writing failed.
pub fn render_completions(shell: clap_complete::Shell, out: &mut dyn Write) -> io::Result<()> {
    let mut command = Args::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut command, "edgepath", &mut buf);
    out.write_all(&buf)?;
    out.flush()
}

/// Writes the man page of `edgepath` (roff).
///
/// # Errors
/// Writing failed.
pub fn render_man(out: &mut dyn Write) -> io::Result<()> {
    clap_mangen::Man::new(Args::command()).render(out)?;
    out.flush()
}

/// Writes `edgepath.1` and one `edgepath-<subcommand>.1` per subcommand into `dir` (created).
///
/// # Errors
/// The directory cannot be created or written.
pub fn write_man_pages(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    clap_mangen::generate_to(Args::command(), dir)
}
