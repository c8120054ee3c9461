//! `pressroom check`: every validation of a build, writing nothing.

use super::{counts, site_root, skipped, Context, EXIT_CONTENT, EXIT_OK};
use crate::cli::CheckArgs;
use crate::diag::Format;
use crate::output::check_pages;
use crate::site::{BuildOptions, Site};
use crate::timings::Timings;
use anyhow::Result;

/// Loads and links the site, renders every page in memory, and reports
/// every problem.
pub fn check(args: &CheckArgs, cx: &Context) -> Result<i32> {
    let root = site_root(args.root.as_deref())?;
    let options = BuildOptions {
        root,
        base_url: None,
        drafts: args.drafts,
    };
    let (site, mut diagnostics) = Site::load(&options, &mut Timings::default());
    if let Some(site) = &site {
        diagnostics.extend(check_pages(&site.renderer()));
    }
    if args.report.deny_warnings {
        diagnostics.deny_warnings();
    }
    cx.ui.problems(&diagnostics, Format::or_default(args.report.format));
    match site {
        Some(site) if !diagnostics.has_errors() => {
            cx.ui
                .done("Checked", &format!("{}: no errors{}", counts(&site), skipped(&site)));
            Ok(EXIT_OK)
        }
        _ => Ok(EXIT_CONTENT),
    }
}
