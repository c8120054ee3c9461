use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// A static-site generator for archives of policy commentary.
#[derive(Parser)]
#[command(name = "pressroom", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Convert a Hugo, Jekyll or Eleventy site into a pressroom site folder.
    Import(pressroom::import::cli::ImportArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Import(args) => pressroom::import::cli::run_cli(args),
    };
    match result {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(2)),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
