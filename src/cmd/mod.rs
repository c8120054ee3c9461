//! One small file per subcommand; each returns the process exit status.

mod build;
mod check;
mod completions;
mod diff;
mod init;
mod new;
mod serve;
mod theme;

pub use build::build;
pub use check::check;
pub use completions::completions;
pub use diff::diff;
pub use init::init;
pub use new::new_article;
pub use serve::serve_site;
pub use theme::export_theme;

use crate::cli::{Cli, Command, ThemeCommand};
use crate::content::Date;
use crate::diag::plural;
use crate::ui::Ui;
use anyhow::{bail, Context as _, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Exit status: success (warnings allowed).
pub const EXIT_OK: i32 = 0;
/// Exit status: problems in the content.
pub const EXIT_CONTENT: i32 = 1;
/// Exit status: usage or I/O errors.
pub const EXIT_USAGE: i32 = 2;

/// What every command gets besides its options.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    pub ui: Ui,
    /// Today in the local time zone, read before any thread started (the
    /// local offset cannot be read soundly once threads run).
    pub today: Date,
}

/// Runs a parsed command line.
pub fn run(cli: Cli, cx: &Context) -> Result<i32> {
    match cli.command {
        Command::Init(args) => init(&args, cx),
        Command::Build(args) => build(&args, cx),
        Command::Check(args) => check(&args, cx),
        Command::New(args) => new_article(&args, cx),
        Command::Serve(args) => serve_site(&args, cx),
        Command::Import(args) => crate::import::cli::run_cli(&args, cx.ui.verbosity == crate::ui::Verbosity::Quiet),
        Command::Diff(args) => diff(&args, cx),
        Command::Theme(ThemeCommand::Export(args)) => export_theme(&args, cx),
        Command::Completions(args) => completions(&args),
    }
}

/// Writes `text` to standard output, all of it: a failure (a full disk, a
/// closed pipe) is an error to report, never a panic.
fn write_stdout(text: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text)
        .and_then(|()| out.flush())
        .context("could not write to standard output")
}

/// The site folder from `--root` (default: the current folder), checked to
/// be a folder that holds a site: `site.yaml` or `articles/`.
pub fn site_root(root: Option<&Path>) -> Result<PathBuf> {
    let given = root.is_some();
    let root = root.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let shown = root.display();
    if !root.exists() {
        bail!("site folder {shown} does not exist; run `pressroom init {shown}` to start a site there");
    }
    if !root.is_dir() {
        bail!("{shown} is a file, not a folder: --root takes the folder that holds site.yaml and articles/");
    }
    if !root.join("site.yaml").exists() && !root.join("articles").is_dir() {
        let place = if given {
            format!("{shown} is")
        } else {
            "the current folder is".to_string()
        };
        bail!(
            "{place} not a pressroom site: it has no site.yaml and no articles/ folder\n\
             hint: run `pressroom init` to start a site here, or pass --root with the site's folder"
        );
    }
    Ok(root)
}

/// `19 articles, 7 authors, 9 topics`: what a build made pages for.
fn counts(site: &crate::engine::Engine) -> String {
    let g = site.graph();
    format!(
        "{}, {}, {}",
        plural(g.article_count(), "article"),
        plural(g.author_count(), "author"),
        plural(g.topic_count(), "topic")
    )
}

/// `; 1 draft skipped, 2 files excluded`, or nothing when nothing was left
/// out; `excluded` is `site.excluded()` (the caller lists those files too).
fn skipped(site: &crate::engine::Engine, excluded: &[String]) -> String {
    let mut parts = Vec::new();
    if site.drafts_skipped() > 0 {
        parts.push(format!("{} skipped", plural(site.drafts_skipped(), "draft")));
    }
    if !excluded.is_empty() {
        parts.push(format!("{} excluded", plural(excluded.len(), "file")));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("; {}", parts.join(", "))
    }
}
