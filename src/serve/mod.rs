//! `pressroom serve`: the engine kept alive and its pages held in memory,
//! served over HTTP on a loopback address, updated as files are edited,
//! and reloaded in the browser through server-sent events. What an edit
//! rebuilds is the engine's business; this module watches, serves and
//! tells the browser.

mod conn;
mod host;
mod http;
mod live;
mod open;
mod output;
mod slots;
mod watch;
mod wire;

pub use crate::engine::{classify, ChangeKind};
pub use http::{content_type, percent_decode, resolve, Target};
pub use live::{inject_script, EVENTS_PATH};
pub use output::{Output, Preview, PreviewOptions, Update};

use crate::diag::plural;
use anyhow::{Context as _, Result};
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// What to serve, and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: bool,
    /// Host names answered besides loopback names and the bound address.
    pub allow_hosts: Vec<String>,
    /// Open the site in the browser once it is served.
    pub open: bool,
    /// Print problems only, not a line per rebuild.
    pub quiet: bool,
}

/// Serves the site until the process is stopped.
pub fn serve(options: &ServeOptions) -> Result<i32> {
    let listener = http::bind(SocketAddr::new(options.bind, options.port))?;
    let port = listener.local_addr().map_or(options.port, |a| a.port());
    let url = site_url(options.bind, port);
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}, so other machines on your network can see this preview",
            options.bind
        );
    }
    let started = Instant::now();
    let (mut preview, update) = Preview::load(PreviewOptions {
        root: options.root.clone(),
        base_url: url.clone(),
        drafts: options.drafts,
    });
    let mut terminal = Terminal {
        quiet: options.quiet,
        ..Terminal::default()
    };
    terminal.report(&update, started, &preview, true);
    let hub = Arc::new(live::Hub::default());
    live::Hub::keep_alive(&hub)?;
    let site = http::Site {
        output: preview.output(),
        hub: Arc::clone(&hub),
        hosts: host::Hosts::new(options.bind, &options.allow_hosts),
    };
    http::spawn(listener, site)?;
    let mut watcher = watch::Watcher::start(&options.root)?;
    // The address is the line tools read; a standard output that cannot be
    // written is an error, not a panic.
    let mut out = std::io::stdout().lock();
    writeln!(out, "Serving {} at {url}", display_root(&options.root))
        .and_then(|()| out.flush())
        .context("could not write to standard output")?;
    drop(out);
    if !options.quiet {
        eprintln!("Watching for changes; press Ctrl+C to stop.");
    }
    if options.open {
        open::open_in_browser(&url);
    }

    let mut had_errors = update.diagnostics.has_errors();
    loop {
        let paths = watcher.next_batch()?;
        let changes: Vec<(ChangeKind, PathBuf)> = paths.into_iter().filter_map(|p| Some((classify(&p)?, p))).collect();
        if changes.is_empty() {
            continue;
        }
        let started = Instant::now();
        let update = preview.apply(&changes);
        let errors = update.diagnostics.has_errors();
        if errors {
            hub.broadcast(&live::errors_event(&output::read(&preview.output()).errors));
        } else if !update.changed.is_empty() {
            hub.broadcast(&live::reload_event(&update.changed));
        } else if had_errors {
            hub.broadcast(&live::ok_event());
        }
        had_errors = errors;
        terminal.report(&update, started, &preview, false);
    }
}

/// The URL the site is served at (and built for).
fn site_url(bind: IpAddr, port: u16) -> String {
    match bind {
        IpAddr::V4(a) if a.is_unspecified() => format!("http://127.0.0.1:{port}/"),
        IpAddr::V6(a) if a.is_unspecified() => format!("http://[::1]:{port}/"),
        IpAddr::V4(a) => format!("http://{a}:{port}/"),
        IpAddr::V6(a) => format!("http://[{a}]:{port}/"),
    }
}

fn display_root(root: &Path) -> String {
    std::fs::canonicalize(root)
        .unwrap_or_else(|_| root.to_path_buf())
        .display()
        .to_string()
}

/// What the terminal was last told, so unchanged warnings are not
/// printed after every save.
#[derive(Default)]
struct Terminal {
    last_report: String,
    /// `--quiet`: problems only, no line per rebuild.
    quiet: bool,
}

impl Terminal {
    /// Prints what a (re)build did, and its problems.
    fn report(&mut self, update: &Update, started: Instant, preview: &Preview, first: bool) {
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let problems = if update.diagnostics.is_empty() {
            String::new()
        } else {
            update.diagnostics.styled_report()
        };
        if update.diagnostics.has_errors() || problems != self.last_report {
            anstream::eprint!("{problems}");
        }
        self.last_report = problems;
        if self.quiet {
            return;
        }
        if update.diagnostics.has_errors() {
            eprintln!("Build failed in {ms:.1} ms; serving the last pages that built (if any).");
            return;
        }
        let files = output::read(&preview.output()).pages.len();
        if first {
            eprintln!("Built {} in {ms:.0} ms", plural(files, "page"));
            return;
        }
        let shown: Vec<&str> = update.changed.iter().take(3).map(String::as_str).collect();
        let more = update.changed.len().saturating_sub(shown.len());
        let list = match (shown.is_empty(), more) {
            (true, _) => String::new(),
            (false, 0) => format!(": {}", shown.join(", ")),
            (false, n) => format!(": {} and {n} more", shown.join(", ")),
        };
        eprintln!(
            "Rebuilt in {ms:.1} ms ({} of {} rendered, {} changed{list})",
            update.rendered,
            plural(files, "page"),
            plural(update.changed.len(), "file"),
        );
        if std::env::var_os("PRESSROOM_TIMINGS").is_some() {
            eprint!("{}", update.timings.report());
        }
    }
}
