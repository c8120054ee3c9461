//! `pressroom completions SHELL`: a completion script made from the same
//! clap definition the command line is parsed with, so it never goes stale.

use super::EXIT_OK;
use crate::cli::{Cli, CompletionsArgs, Shell};
use clap::CommandFactory;
use clap_complete::{generate, shells};

/// Writes the completion script for the shell to standard output.
pub fn completions(args: &CompletionsArgs) -> i32 {
    let mut command = Cli::command();
    let mut out = std::io::stdout();
    match args.shell {
        Shell::Bash => generate(shells::Bash, &mut command, "pressroom", &mut out),
        Shell::Zsh => generate(shells::Zsh, &mut command, "pressroom", &mut out),
        Shell::Fish => generate(shells::Fish, &mut command, "pressroom", &mut out),
    }
    EXIT_OK
}
