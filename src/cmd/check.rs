//! `pressroom check`: every validation of a build, writing nothing.

use super::{site_root, EXIT_CONTENT, EXIT_OK};
use crate::cli::CheckArgs;
use crate::site::{BuildOptions, Site};
use crate::timings::Timings;
use anyhow::Result;

/// Loads and links the site and reports every problem.
pub fn check(args: &CheckArgs) -> Result<i32> {
    let root = site_root(args.root.as_deref())?;
    let options = BuildOptions {
        root,
        base_url: None,
        drafts: args.drafts,
    };
    let (site, diagnostics) = Site::load(&options, &mut Timings::default());
    if !diagnostics.is_empty() {
        eprint!("{}", diagnostics.report());
    }
    match site {
        Some(site) => {
            eprintln!("{} articles checked, no errors", site.graph.articles.len());
            Ok(EXIT_OK)
        }
        None => Ok(EXIT_CONTENT),
    }
}
