//! The `edgepath` binary: parse arguments, run the command, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = edgepath::cli::Args::parse(); // clap exits 2 on usage errors
    match edgepath::cli::run(args) {
        Ok(outcome) => outcome.exit_code(),
        Err(err) => {
            if edgepath::cmd::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("{err:?}");
            ExitCode::from(2)
        }
    }
}
