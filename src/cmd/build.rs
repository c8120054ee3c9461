//! `pressroom build`: load, check, render, and swap the new output in.

use super::{site_root, EXIT_CONTENT, EXIT_OK};
use crate::cli::BuildArgs;
use crate::diag::print::print;
use crate::diag::{plural, Diagnostic, Format};
use crate::output::{publish, Destination, Target};
use crate::site::{BuildOptions, Site};
use crate::timings::Timings;
use anyhow::Result;

/// Builds the site; content errors leave the previous output as it was.
pub fn build(args: &BuildArgs) -> Result<i32> {
    let root = site_root(args.root.as_deref())?;
    let shown = args.out.clone().unwrap_or_else(|| root.join("public"));
    let target = Target::for_site(&root, &shown)?;
    let out = &shown;
    let mut timings = Timings::default();
    let options = BuildOptions {
        root,
        base_url: args.base_url.clone(),
        drafts: args.drafts,
    };
    let (site, mut diagnostics) = Site::load(&options, &mut timings);
    if args.report.deny_warnings {
        diagnostics.deny_warnings();
    }
    let built = match site {
        Some(site) if !diagnostics.has_errors() => {
            let dest = Destination {
                target,
                force: args.force,
                keep: site.config.keep_in_output.clone(),
            };
            match publish(&dest, |writer| site.write(writer)) {
                Ok(files) => Some((site, files)),
                Err(e) => {
                    diagnostics.push(e.downcast::<Diagnostic>()?);
                    None
                }
            }
        }
        _ => None,
    };
    print(&diagnostics, Format::or_default(args.report.format));
    let Some((site, files)) = built else {
        eprintln!("build failed; {} left as it was", out.display());
        return Ok(EXIT_CONTENT);
    };
    timings.lap("write");
    let total: f64 = timings.phases.iter().map(|(_, d)| d.as_secs_f64()).sum();
    eprintln!(
        "Built {} ({}) in {:.2} s into {}",
        plural(site.graph.articles.len(), "article"),
        plural(files, "file"),
        total,
        out.display()
    );
    if args.timings {
        eprint!("{}", timings.report());
    }
    Ok(EXIT_OK)
}
