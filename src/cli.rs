//! The command line, as clap derive structs.

use crate::diag::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// pressroom: a static-site generator for archives of policy commentary.
#[derive(Debug, Parser)]
#[command(name = "pressroom", version = env!("PRESSROOM_VERSION"), about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// When to colour messages: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_name = "WHEN", value_enum, default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,
    /// Print only problems (errors and warnings), no progress or summary.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more: each phase's time, each file skipped or written.
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

/// The `--color` choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a new site that builds as it is (in DIR, default: the current folder).
    Init(InitArgs),
    /// Build the site into the output folder (public/ by default).
    Build(BuildArgs),
    /// Run every validation and write nothing.
    Check(CheckArgs),
    /// Create a new article from a title.
    New(NewArgs),
    /// Convert a Hugo, Jekyll or Eleventy site into a pressroom site folder.
    Import(crate::import::cli::ImportArgs),
    /// Preview the site locally, rebuilding and reloading the browser on every edit.
    Serve(ServeArgs),
    /// List the files added, changed and removed between two builds.
    Diff(DiffArgs),
    /// Work with the built-in theme.
    #[command(subcommand)]
    Theme(ThemeCommand),
    /// Print a shell completion script (bash, zsh or fish) to standard output.
    Completions(CompletionsArgs),
}

/// Options of `pressroom init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder for the new site (created if missing; default: the current folder).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Also write into a folder that is not empty; existing files are kept, never overwritten.
    #[arg(long)]
    pub force: bool,
    /// Also copy the built-in templates and stylesheet into the site, to edit them.
    #[arg(long)]
    pub theme: bool,
}

/// `pressroom theme ...`.
#[derive(Debug, Subcommand)]
pub enum ThemeCommand {
    /// Copy the built-in templates and stylesheet into DIR/templates and DIR/static (existing files are kept).
    Export(ThemeExportArgs),
}

/// Options of `pressroom theme export`.
#[derive(Debug, Args)]
pub struct ThemeExportArgs {
    /// Site folder to copy the theme into (default: the current folder).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Options of `pressroom completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write completions for.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Shells `pressroom completions` writes scripts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

/// Parses `--base-url`, so a bad URL is a usage error like any other bad flag.
fn parse_base_url(text: &str) -> Result<String, String> {
    crate::config::normalize_base_url(text)
}

/// Options of `pressroom build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Site folder (default: the current folder).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Output folder (default: public/ in the site folder).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Publish under this URL instead of site.yaml's base_url.
    #[arg(long, value_name = "URL", value_parser = parse_base_url)]
    pub base_url: Option<String>,
    /// Include articles marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Print the time spent in each phase.
    #[arg(long)]
    pub timings: bool,
    /// Replace the output folder even if it holds files no build made.
    #[arg(long)]
    pub force: bool,
    /// Keep what a later build can reuse in DIR (default: .pressroom-cache/ in the site folder).
    #[arg(long, value_name = "DIR", conflicts_with = "no_cache")]
    pub cache: Option<PathBuf>,
    /// Build everything, without reading or writing a cache.
    #[arg(long)]
    pub no_cache: bool,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// How `build` and `check` report problems.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// How to print problems: human, json (one object per line) or github
    /// (workflow commands; the default when GITHUB_ACTIONS=true).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,
    /// Fail (exit status 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Options of `pressroom check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Site folder (default: the current folder).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Also check articles marked `draft: true` as if published.
    #[arg(long)]
    pub drafts: bool,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Options of `pressroom diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier build: an output folder, or a manifest file kept from it.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The later build: an output folder, or its manifest file.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// When OLD does not exist, compare with an empty build: every file
    /// of NEW is added (a first deploy).
    #[arg(long)]
    pub allow_missing_old: bool,
    /// How to print the changes: plain (a line per path: `+`, `~` or `-`,
    /// a space, the path) or json (one object with added, changed, removed).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = DiffFormat::Plain)]
    pub format: DiffFormat,
}

/// The `diff --format` choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Plain,
    Json,
}

/// Options of `pressroom new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The article's title.
    pub title: String,
    /// Author slug (a file under authors/); repeat for several authors.
    #[arg(long = "author", value_name = "SLUG")]
    pub authors: Vec<String>,
    /// Topic name; repeat for several topics.
    #[arg(long = "topic", value_name = "NAME")]
    pub topics: Vec<String>,
    /// Site folder (default: the current folder).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Publication date, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
}

/// Options of `pressroom serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Site folder (default: the current folder).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Port to listen on (0: any free port).
    #[arg(long, value_name = "N", default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on; anything but a loopback address shows the
    /// preview to your network.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Include articles marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Also answer requests for this host name (besides localhost,
    /// 127.0.0.1, [::1] and the --bind address); repeat for several.
    #[arg(long = "allow-host", value_name = "NAME")]
    pub allow_hosts: Vec<String>,
    /// Open the site in the web browser once it is served.
    #[arg(long)]
    pub open: bool,
}
