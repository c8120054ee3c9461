//! `pressroom build`: load, check, render, and swap the new output in.

use super::{counts, site_root, skipped, Context, EXIT_CONTENT, EXIT_OK};
use crate::cli::BuildArgs;
use crate::diag::{plural, Diagnostic, Format};
use crate::engine::{load_once, Engine};
use crate::output::{publish, Destination, Target};
use crate::progress::Progress;
use crate::timings::Timings;
use anyhow::Result;

/// Builds the site; content errors (and warnings, with `--deny-warnings`)
/// leave the previous output as it was.
pub fn build(args: &BuildArgs, cx: &Context) -> Result<i32> {
    let root = site_root(args.root.as_deref())?;
    let shown = args.out.clone().unwrap_or_else(|| root.join("public"));
    let target = Target::for_site(&root, &shown)?;
    let out = &shown;
    let format = Format::or_default(args.report.format);
    let progress = Progress::start(&cx.ui);
    let observer = progress.clone();
    let mut timings = Timings::observed(move |phase| observer.phase_ended(phase));
    let base_url = args.base_url.clone().map(|u| (u, "--base-url"));
    let engine = load_once(&root, base_url, args.drafts, &mut timings);
    // One renderer checks the output paths, counts and writes the pages, so
    // values made once per site (the search index) are made once.
    let renderer = engine.renderer();
    let mut diagnostics = engine.diagnostics();
    if let Some(renderer) = &renderer {
        diagnostics.extend(engine.output_problems(renderer));
    }
    if args.report.deny_warnings {
        diagnostics.deny_warnings();
    }
    let site: Option<&Engine> = Some(&engine).filter(|_| renderer.is_some() && !diagnostics.has_errors());
    let written = match (&site, &renderer) {
        (Some(site), Some(renderer)) => {
            let dest = Destination {
                target,
                force: args.force,
                keep: site.config().keep_in_output.clone(),
            };
            // The search index's term chunks are added once it is built.
            let pages = renderer.pages_before_index().len();
            progress.expect_files(pages + site.site_statics().len() + crate::render::theme::STATIC.len());
            match publish(&dest, |writer| site.write(renderer, &progress.counting(writer))) {
                Ok(files) => Some(files),
                Err(e) => {
                    diagnostics.push(e.downcast::<Diagnostic>()?);
                    None
                }
            }
        }
        _ => None,
    };
    progress.finish();
    cx.ui.problems(&diagnostics, format);
    let (Some(site), Some(files)) = (site, written) else {
        eprintln!("build failed; {} left as it was", out.display());
        return Ok(EXIT_CONTENT);
    };
    timings.lap("write");
    let total: f64 = timings.phases.iter().map(|(_, d)| d.as_secs_f64()).sum();
    cx.ui.done(
        "Built",
        &format!(
            "{} ({}) in {total:.2} s{}",
            counts(site),
            plural(files, "file"),
            skipped(site)
        ),
    );
    cx.ui.detail(&format!("Output: {}", out.display()));
    for path in &site.excluded() {
        cx.ui.detail(&format!("excluded: {path}"));
    }
    if args.timings || cx.ui.verbosity == crate::ui::Verbosity::Verbose {
        eprint!("{}", timings.report());
    }
    Ok(EXIT_OK)
}
