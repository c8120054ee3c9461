//! The command line, as clap derive structs.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// pressroom: a static-site generator for archives of policy commentary.
#[derive(Debug, Parser)]
#[command(name = "pressroom", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
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
    #[arg(long, value_name = "URL")]
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
}
