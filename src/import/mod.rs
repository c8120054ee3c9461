//! `pressroom import`: bring a Hugo, Jekyll or Eleventy archive over as a
//! pressroom site folder, keeping every article, byline, topic, date and
//! cross-reference it can, and reporting exactly what it could not.
//!
//! The flow: detect the kind, load the source into plain values
//! ([`source::SourceSite`]), convert (front matter, then bodies in two
//! passes), write. The source folder is only ever read.

pub mod article;
pub mod assemble;
pub mod assets;
pub mod authors;
pub mod body;
pub mod cli;
pub mod collections;
pub mod config;
pub mod convert;
pub mod credits;
pub mod data;
pub mod dates;
pub mod detect;
pub mod document;
pub mod edits;
pub mod eleventy;
pub mod final_check;
pub mod fm_formats;
pub mod front_matter;
pub mod hugo;
pub mod images;
pub mod jekyll;
pub mod links;
pub mod liquid;
pub mod lookup;
pub mod mapped;
pub mod markup;
pub mod old_site;
pub mod permalink;
pub mod report;
pub mod sanitize;
pub mod shortcode_map;
pub mod shortcodes;
pub mod source;
pub mod spans;
pub mod tally;
pub mod team_list;
pub mod text;
pub mod write;

pub use report::ImportSummary;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::output::Target;
use anyhow::{bail, Context, Result};
use shortcode_map::ShortcodeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The generator a source site was written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Hugo,
    Jekyll,
    Eleventy,
}

impl SourceKind {
    /// Lowercase name, as on the command line.
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Hugo => "hugo",
            SourceKind::Jekyll => "jekyll",
            SourceKind::Eleventy => "eleventy",
        }
    }
}

/// What to import and where.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// `None`: detect from the source folder.
    pub kind: Option<SourceKind>,
    pub source: PathBuf,
    pub out: PathBuf,
    pub force: bool,
    /// Team list to read authors from instead of the data folder.
    pub authors_file: Option<PathBuf>,
    /// The original site's address, overriding its config.
    pub base_url: Option<String>,
    /// What the site's own shortcodes become (`--shortcodes MAP.yaml`).
    pub shortcodes: Option<PathBuf>,
}

/// Problems in the content that stop the import (exit status 1).
#[derive(Debug)]
pub struct ContentErrors(pub Diagnostics);

impl fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.report())
    }
}

impl std::error::Error for ContentErrors {}

/// What an import did: its summary, and what `check` says of the site it wrote.
pub struct Outcome {
    pub summary: ImportSummary,
    /// The final check of the written site, through the same code as `pressroom check`.
    pub check: Diagnostics,
}

/// Runs an import, then checks what it wrote. Usage and I/O problems are
/// plain errors; content that cannot be imported is a [`ContentErrors`].
pub fn run(options: &ImportOptions) -> Result<Outcome> {
    let source = options
        .source
        .canonicalize()
        .with_context(|| format!("cannot open source folder {}", options.source.display()))?;
    if !source.is_dir() {
        bail!("{} is not a folder", options.source.display());
    }
    let out = check_output(&source, &options.out, options.force)?;
    if let Some(url) = &options.base_url {
        old_site::check_base_url_option(url)?;
    }
    let map = match &options.shortcodes {
        Some(path) => ShortcodeMap::load(path)?,
        None => ShortcodeMap::default(),
    };
    let kind = match options.kind {
        Some(kind) => kind,
        None => detect::detect(&source).with_context(|| {
            format!(
                "cannot tell what generator {} was made for; name it: pressroom import hugo|jekyll|eleventy {}",
                options.source.display(),
                options.source.display()
            )
        })?,
    };
    let mut site = match kind {
        SourceKind::Hugo => hugo::load(&source, options)?,
        SourceKind::Jekyll => jekyll::load(&source, options)?,
        SourceKind::Eleventy => eleventy::load(&source, options)?,
    };
    for name in source::unreadable_names(&source) {
        let message = format!("`{name}` is passed over: its name is not UTF-8 (rename it to import it)");
        site.report.warn(report::WarnKind::Site, ".", 1, message);
    }
    if site.posts.is_empty() {
        let mut errors = Diagnostics::default();
        errors.push(Diagnostic::site(
            Code::ImportNoPosts,
            format!(
                "no posts found in {} (read as a {} site)",
                options.source.display(),
                kind.name()
            ),
        ));
        return Err(ContentErrors(errors).into());
    }
    let mut converted = convert::convert(site, options, &map);
    write::make_room(&out, &converted, options.force)?;
    write::write_site(&out, &converted, &source)?;
    let check = final_check::check_and_settle(&out, &mut converted)?;
    Ok(Outcome {
        summary: converted.summary,
        check,
    })
}

/// Resolves the output folder (see [`crate::output::target`]) and refuses
/// one that overlaps the source, or a non-empty one without `--force`.
/// Returns the resolved folder, which is where the import writes.
fn check_output(source: &Path, out: &Path, force: bool) -> Result<PathBuf> {
    let target = Target::resolve(out)?;
    if target.overlaps_any(&[source.to_path_buf()]).is_some() {
        bail!(
            "output folder {} overlaps the source folder; the source is never written to",
            out.display()
        );
    }
    if target.path.exists() {
        let mut entries = std::fs::read_dir(&target.path).with_context(|| format!("cannot read {}", out.display()))?;
        if entries.next().is_some() && !force {
            bail!(
                "output folder {} is not empty; pass --force to write into it, replacing what an earlier import wrote there",
                out.display()
            );
        }
    }
    Ok(target.path)
}
