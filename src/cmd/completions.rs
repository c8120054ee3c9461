//! `pressroom completions SHELL`: a completion script made from the same
//! clap definition the command line is parsed with, so it never goes stale.

use super::{write_stdout, EXIT_OK};
use crate::cli::{Cli, CompletionsArgs, Shell};
use anyhow::Result;
use clap::CommandFactory;
use clap_complete::{generate, shells};

/// Writes the completion script for the shell to standard output. The
/// script is made in memory first: clap_complete's writer panics on a
/// failed write.
pub fn completions(args: &CompletionsArgs) -> Result<i32> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    match args.shell {
        Shell::Bash => generate(shells::Bash, &mut command, "pressroom", &mut script),
        Shell::Zsh => generate(shells::Zsh, &mut command, "pressroom", &mut script),
        Shell::Fish => generate(shells::Fish, &mut command, "pressroom", &mut script),
    }
    write_stdout(&script)?;
    Ok(EXIT_OK)
}
