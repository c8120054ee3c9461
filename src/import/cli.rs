//! The `pressroom import` command line: kept in one struct so the main
//! binary only has to add one subcommand.

use super::{ImportOptions, SourceKind};
use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::PathBuf;

/// What a failed write of the summary says (the site is written by then).
const STDOUT: &str = "the site was written, but its summary could not be written to standard output";

/// Arguments of `pressroom import [KIND] SOURCE_DIR --out DIR`.
#[derive(clap::Args, Debug, Clone)]
#[command(
    after_help = "KIND is hugo, jekyll or eleventy; left out, it is detected from SOURCE_DIR.\n\
                  SOURCE_DIR is only read. See docs/import.md for what maps to what."
)]
pub struct ImportArgs {
    /// [KIND] SOURCE_DIR: the kind of site (hugo, jekyll, eleventy) and its folder
    #[arg(value_name = "[KIND] SOURCE_DIR", num_args = 1..=2, required = true)]
    pub positional: Vec<String>,
    /// Folder to write the pressroom site into (must be empty unless --force)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Write into a non-empty output folder, replacing what an earlier import wrote there
    #[arg(long)]
    pub force: bool,
    /// Team list (YAML, JSON, TOML or CSV) to read authors from, when it is not in the data folder
    #[arg(long, value_name = "FILE")]
    pub authors: Option<PathBuf>,
    /// The original site's address, when its config does not say it
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// YAML file saying what the site's own shortcodes become (see docs/import.md)
    #[arg(long, value_name = "MAP")]
    pub shortcodes: Option<PathBuf>,
}

impl ImportArgs {
    /// Turns the parsed arguments into import options, checking KIND.
    pub fn to_options(&self) -> Result<ImportOptions> {
        let (kind, source) = match self.positional.as_slice() {
            [source] => (None, source),
            [kind, source] => (Some(parse_kind(kind)?), source),
            _ => bail!("expected [KIND] SOURCE_DIR"),
        };
        Ok(ImportOptions {
            kind,
            source: PathBuf::from(source),
            out: self.out.clone(),
            force: self.force,
            authors_file: self.authors.clone(),
            base_url: self.base_url.clone(),
            shortcodes: self.shortcodes.clone(),
        })
    }
}

fn parse_kind(text: &str) -> Result<SourceKind> {
    match text.to_ascii_lowercase().as_str() {
        "hugo" => Ok(SourceKind::Hugo),
        "jekyll" => Ok(SourceKind::Jekyll),
        "eleventy" | "11ty" => Ok(SourceKind::Eleventy),
        other => bail!("unknown site kind `{other}`: expected hugo, jekyll or eleventy"),
    }
}

/// Runs `pressroom import` and returns the exit status: 0 done (warnings
/// allowed), 1 content problems stopped the import or the written site
/// does not pass `check`, 2 usage or I/O error. `quiet` (the global
/// `--quiet`) prints only the summary, not each warning.
pub fn run_cli(args: &ImportArgs, quiet: bool) -> Result<i32> {
    let options = match args.to_options() {
        Ok(options) => options,
        Err(err) => {
            eprintln!("error: {err:#}");
            return Ok(2);
        }
    };
    match super::run(&options) {
        Ok(outcome) => {
            super::report::print_summary(&outcome.summary, quiet).context(STDOUT)?;
            let check = &outcome.check;
            if check.has_errors() {
                eprint!("{}", check.report());
                eprintln!(
                    "the imported site does not pass `pressroom check --root {}`: fix the errors above",
                    options.out.display()
                );
                return Ok(1);
            }
            let line = crate::diag::print::summary(check.error_count(), check.warning_count());
            let mut out = std::io::stdout().lock();
            writeln!(out, "  check: {line}")
                .and_then(|()| out.flush())
                .context(STDOUT)?;
            Ok(0)
        }
        Err(err) => match err.downcast_ref::<super::ContentErrors>() {
            Some(errors) => {
                crate::diag::print::try_print(&errors.0, crate::diag::Format::Human).context(STDOUT)?;
                eprintln!("import stopped");
                Ok(1)
            }
            None => Err(err),
        },
    }
}
