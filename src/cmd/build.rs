//! `pressroom build`: load, check, render, and swap the new output in.

use super::{site_root, EXIT_CONTENT, EXIT_OK};
use crate::cli::BuildArgs;
use crate::output::{publish, Destination, Target};
use crate::render::TemplateError;
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
    let (site, diagnostics) = Site::load(&options, &mut timings);
    if !diagnostics.is_empty() {
        eprint!("{}", diagnostics.report());
    }
    let Some(site) = site else {
        eprintln!("build failed; {} left as it was", out.display());
        return Ok(EXIT_CONTENT);
    };
    let dest = Destination {
        target,
        force: args.force,
        keep: site.config.keep_in_output.clone(),
    };
    let files = match publish(&dest, |writer| site.write(writer)) {
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
    eprintln!(
        "Built {} articles ({files} files) in {:.2} s into {}",
        site.graph.articles.len(),
        total,
        out.display()
    );
    if args.timings {
        eprint!("{}", timings.report());
    }
    Ok(EXIT_OK)
}
