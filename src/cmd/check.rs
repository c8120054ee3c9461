//! `pressroom check`: every validation of a build, writing nothing.

use super::{counts, site_root, skipped, Context, EXIT_CONTENT, EXIT_OK};
use crate::cli::CheckArgs;
use crate::diag::Format;
use crate::engine::load_once;
use crate::output::check_pages;
use crate::timings::Timings;
use anyhow::Result;

/// Loads and links the site, renders every page in memory, and reports
/// every problem.
pub fn check(args: &CheckArgs, cx: &Context) -> Result<i32> {
    let root = site_root(args.root.as_deref())?;
    let engine = load_once(&root, None, args.drafts, &mut Timings::default());
    let renderer = engine.renderer();
    let mut diagnostics = engine.diagnostics();
    if let Some(renderer) = &renderer {
        diagnostics.extend(engine.output_problems(renderer));
    }
    let site = renderer.is_some().then_some(&engine);
    if let Some(renderer) = renderer.as_ref().filter(|_| !diagnostics.has_errors()) {
        diagnostics.extend(check_pages(renderer));
    }
    if args.report.deny_warnings {
        diagnostics.deny_warnings();
    }
    cx.ui.problems(&diagnostics, Format::or_default(args.report.format))?;
    match site {
        Some(site) if !diagnostics.has_errors() => {
            let skipped = skipped(site, &site.excluded());
            cx.ui.done("Checked", &format!("{}: no errors{skipped}", counts(site)));
            Ok(EXIT_OK)
        }
        _ => Ok(EXIT_CONTENT),
    }
}
