//! `pressroom check`: every validation of a build, writing nothing.

use super::{counts, site_root, skipped, Context, EXIT_CONTENT, EXIT_OK};
use crate::cli::CheckArgs;
use crate::site::{BuildOptions, Site};
use crate::timings::Timings;
use anyhow::Result;

/// Loads and links the site and reports every problem.
pub fn check(args: &CheckArgs, cx: &Context) -> Result<i32> {
    let root = site_root(args.root.as_deref())?;
    let options = BuildOptions {
        root,
        base_url: None,
        drafts: args.drafts,
    };
    let (site, diagnostics) = Site::load(&options, &mut Timings::default());
    cx.ui.problems(&diagnostics);
    match site {
        Some(site) => {
            cx.ui
                .done("Checked", &format!("{}: no errors{}", counts(&site), skipped(&site)));
            Ok(EXIT_OK)
        }
        None => Ok(EXIT_CONTENT),
    }
}
