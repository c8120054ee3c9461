//! `pressroom build`: load, check, render, and swap the new output in.

use super::{site_root, EXIT_CONTENT, EXIT_OK};
use crate::cli::BuildArgs;
use crate::output::publish;
use crate::render::TemplateError;
use crate::site::{BuildOptions, Site};
use crate::timings::Timings;
use anyhow::{bail, Result};
use std::path::Path;

/// Builds the site; content errors leave the previous output as it was.
pub fn build(args: &BuildArgs) -> Result<i32> {
    let root = site_root(args.root.as_deref())?;
    let out = args.out.clone().unwrap_or_else(|| root.join("public"));
    refuse_dangerous_output(&root, &out)?;
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
    let files = match publish(&out, |writer| site.write(writer)) {
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

/// The output folder is replaced wholesale, so it must not hold the sources.
fn refuse_dangerous_output(root: &Path, out: &Path) -> Result<()> {
    let root = std::fs::canonicalize(root)?;
    let out_abs = match std::fs::canonicalize(out) {
        Ok(p) => p,
        Err(_) => {
            let parent = out
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            match std::fs::canonicalize(parent) {
                Ok(p) => p.join(out.file_name().unwrap_or_default()),
                Err(_) => return Ok(()),
            }
        }
    };
    let inside_sources = ["articles", "authors", "topics", "templates", "static"]
        .iter()
        .any(|d| out_abs.starts_with(root.join(d)));
    if root.starts_with(&out_abs) || inside_sources {
        bail!(
            "refusing to use {} as the output folder: it would replace the site's own files",
            out.display()
        );
    }
    Ok(())
}
