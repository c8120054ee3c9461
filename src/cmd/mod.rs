//! One small file per subcommand; each returns the process exit status.

mod build;
mod check;
mod new;
mod serve;

pub use build::build;
pub use check::check;
pub use new::new_article;
pub use serve::serve_site;

use crate::cli::{Cli, Command};
use anyhow::{bail, Result};
use std::path::{Path, PathBuf};

/// Exit status: success (warnings allowed).
pub const EXIT_OK: i32 = 0;
/// Exit status: problems in the content.
pub const EXIT_CONTENT: i32 = 1;
/// Exit status: usage or I/O errors.
pub const EXIT_USAGE: i32 = 2;

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Build(args) => build(&args),
        Command::Check(args) => check(&args),
        Command::New(args) => new_article(&args),
        Command::Serve(args) => serve_site(&args),
        Command::Import(args) => crate::import::cli::run_cli(&args),
    }
}

/// The site folder from `--root`, checked to exist.
pub fn site_root(root: Option<&Path>) -> Result<PathBuf> {
    let root = root.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    if !root.is_dir() {
        bail!("site folder {} does not exist", root.display());
    }
    Ok(root)
}
