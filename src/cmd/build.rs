//! `pressroom build`: load, check, render, and swap the new output in.

use super::{counts, site_root, skipped, Context, EXIT_CONTENT, EXIT_OK};
use crate::cli::BuildArgs;
use crate::output::{publish, Destination, Target};
use crate::progress::Progress;
use crate::render::TemplateError;
use crate::site::{BuildOptions, Site};
use crate::timings::Timings;
use anyhow::Result;

/// Builds the site; content errors leave the previous output as it was.
pub fn build(args: &BuildArgs, cx: &Context) -> Result<i32> {
    let root = site_root(args.root.as_deref())?;
    let shown = args.out.clone().unwrap_or_else(|| root.join("public"));
    let target = Target::for_site(&root, &shown)?;
    let out = &shown;
    let progress = Progress::start(&cx.ui);
    let observer = progress.clone();
    let mut timings = Timings::observed(move |phase| observer.phase_ended(phase));
    let options = BuildOptions {
        root,
        base_url: args.base_url.clone(),
        drafts: args.drafts,
    };
    let (site, diagnostics) = Site::load(&options, &mut timings);
    if site.is_none() {
        progress.finish();
    }
    progress.suspend(|| cx.ui.problems(&diagnostics));
    let Some(site) = site else {
        eprintln!("build failed; {} left as it was", out.display());
        return Ok(EXIT_CONTENT);
    };
    let dest = Destination {
        target,
        force: args.force,
        keep: site.config.keep_in_output.clone(),
    };
    progress.expect_files(site.renderer().pages().len() + site.site_statics.len() + crate::render::theme::STATIC.len());
    let written = publish(&dest, |writer| site.write(&progress.counting(writer)));
    progress.finish();
    let files = match written {
        Ok(files) => files,
        Err(e) => match e.downcast_ref::<TemplateError>() {
            Some(template) => {
                eprintln!("{template}\n1 error, {} warnings", diagnostics.warning_count());
                eprintln!("build failed; {} left as it was", out.display());
                return Ok(EXIT_CONTENT);
            }
            None => return Err(e),
        },
    };
    timings.lap("write");
    let total: f64 = timings.phases.iter().map(|(_, d)| d.as_secs_f64()).sum();
    cx.ui.done(
        "Built",
        &format!("{} ({files} files) in {total:.2} s{}", counts(&site), skipped(&site)),
    );
    cx.ui.detail(&format!("Output: {}", out.display()));
    for path in &site.excluded {
        cx.ui.detail(&format!("excluded: {path}"));
    }
    if args.timings || cx.ui.verbosity == crate::ui::Verbosity::Verbose {
        eprint!("{}", timings.report());
    }
    Ok(EXIT_OK)
}
