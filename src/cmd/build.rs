//! `pressroom build`: load, check, render, and swap the new output in.
//! With a cache (the default), the engine starts from what the last build
//! kept and renders only the pages that changed; when nothing the build
//! reads changed and the output is as that build left it, the output is
//! left alone.

use super::{counts, site_root, skipped, Context, EXIT_CONTENT, EXIT_OK};
use crate::cli::BuildArgs;
use crate::diag::{plural, Code, Diagnostic, Diagnostics, Format, Level, Place};
use crate::engine::{check_cache_folder, CacheOutcome, CachedBuild, Engine, EngineOptions, Summary, PARTS, SHARDS};
use crate::output::{publish, Destination, Target};
use crate::progress::Progress;
use crate::timings::Timings;
use anyhow::Result;

/// Builds the site; content errors (and warnings, with `--deny-warnings`)
/// leave the previous output as it was.
pub fn build(args: &BuildArgs, cx: &Context) -> Result<i32> {
    build_with(args, cx, None)
}

/// Builds the site; with `distrust` (why the cache was found damaged
/// during a build with it), without using the cache.
fn build_with(args: &BuildArgs, cx: &Context, distrust: Option<String>) -> Result<i32> {
    let root = site_root(args.root.as_deref())?;
    let shown = args.out.clone().unwrap_or_else(|| root.join("public"));
    let target = Target::for_site(&root, &shown)?;
    let out = &shown;
    let format = Format::or_default(args.report.format);
    let progress = Progress::start(&cx.ui);
    let observer = progress.clone();
    let mut timings = Timings::observed(move |phase| observer.phase_ended(phase));
    let options = EngineOptions {
        root: root.clone(),
        base_url: args.base_url.clone().map(|u| (u, "--base-url")),
        drafts: args.drafts,
        incremental: false,
    };
    let cache_dir = args.cache.clone().unwrap_or_else(|| root.join(".pressroom-cache"));
    if !args.no_cache {
        check_cache_folder(&cache_dir, &root, &target)?;
    }
    let mut cache = (!args.no_cache).then(|| CachedBuild::new(&cache_dir, &options));
    if let (Some(cache), Some(why)) = (&mut cache, &distrust) {
        cache.distrust(why);
    }
    let mut engine = match &mut cache {
        None => Engine::load(options, &mut timings),
        Some(cache) => match cache.open(options, &target.path, &mut timings) {
            CacheOutcome::Loaded(engine) => *engine,
            CacheOutcome::Unchanged(summary) => {
                crate::output::clear_leftovers(&target.path);
                timings.lap("cache");
                progress.finish();
                return unchanged(summary, args, cx, out, &timings);
            }
        },
    };
    // The page store is taken out while the renderer borrows the engine.
    let mut store = cache.as_ref().map(|_| engine.take_pages());
    // One renderer checks the output paths, counts and writes the pages, so
    // values made once per site (the search index) are made once.
    let renderer = match &store {
        Some(store) => engine.renderer_for(store),
        None => engine.renderer(),
    };
    let mut diagnostics = engine.diagnostics();
    match (&renderer, &mut store) {
        (Some(renderer), Some(store)) => diagnostics.extend(engine.output_problems_kept(renderer, store)),
        (Some(renderer), None) => diagnostics.extend(engine.output_problems(renderer)),
        _ => {}
    }
    if args.report.deny_warnings {
        diagnostics.deny_warnings();
    }
    let reported = diagnostics.sorted();
    // The cache's own warning never fails a build: the build does not use it.
    let note = cache.as_mut().and_then(|c| c.note.take());
    if let Some(warning) = cache.as_mut().and_then(|c| c.warning.take()) {
        diagnostics.push(warning);
    }
    let written = match &renderer {
        Some(renderer) if !diagnostics.has_errors() => {
            let dest = Destination {
                target,
                force: args.force,
                keep: engine.config().keep_in_output.clone(),
            };
            // The search index's term chunks are added once it is built.
            let pages = renderer.pages_before_index().len();
            progress.expect_files(pages + engine.site_statics().len() + crate::render::theme::STATIC.len());
            let made = publish(&dest, |writer| match &mut store {
                Some(store) => engine.write_changed(renderer, store, &progress.counting(writer)),
                None => engine
                    .write(renderer, &progress.counting(writer))
                    .map(|files| (files, None)),
            });
            match made {
                Ok(made) => Some(made),
                Err(e) => {
                    let problem = e.downcast::<Diagnostic>()?;
                    if problem.code == Code::UnusableCache && distrust.is_none() {
                        // Pages read kept HTML that was damaged: nothing was
                        // published, so the build starts again without the cache.
                        progress.finish();
                        return build_with(args, cx, Some(problem.message));
                    }
                    diagnostics.push(problem);
                    None
                }
            }
        }
        _ => None,
    };
    drop(renderer);
    progress.finish();
    cx.ui.problems(&diagnostics, format)?;
    let Some((files, rendered)) = written else {
        eprintln!("build failed; {} left as it was", out.display());
        return Ok(EXIT_CONTENT);
    };
    timings.lap("write");
    let excluded = engine.excluded();
    let summary = Summary {
        counts: counts(&engine),
        files,
        skipped: skipped(&engine, &excluded),
        excluded,
        diagnostics: reported,
        keep: engine.config().keep_in_output.clone(),
    };
    if let (Some(cache), Some(store)) = (&cache, store) {
        engine.put_pages(store);
        let saved = cache.save(&engine, out, summary.clone());
        if let Ok((shards, parts)) = &saved {
            cx.ui.detail(&format!(
                "cache: {shards} of {SHARDS} shards of the state and {parts} of {PARTS} parts of the pages written"
            ));
        }
        if engine.config().search {
            let (cut, chunks) = engine.search_chunks_cut();
            cx.ui
                .detail(&format!("search index: {cut} of {chunks} term chunks cut"));
        }
        if let Err(e) = saved {
            let mut problem = Diagnostics::default();
            problem.push(
                Diagnostic::new(
                    Level::Warning,
                    Code::UnusableCache,
                    Place::Site,
                    format!("{e:#}; the next build starts without a cache"),
                )
                .with_suggestion("give `--cache` a folder pressroom may write in, or build with `--no-cache`"),
            );
            cx.ui.problems(&problem, format)?;
        }
        timings.lap("save cache");
    }
    // Said only when the cache saved work.
    let how = match rendered {
        Some((rendered, pages)) if rendered < pages => format!("; {rendered} of {} rendered", plural(pages, "page")),
        _ => String::new(),
    };
    report(cx, &summary, &how, out, &timings, args);
    if let Some(note) = note {
        cx.ui.detail(&format!("cache: {note}"));
    }
    // The process ends with the build: its memory goes back to the system
    // whole, which for a large archive is faster than freeing every value
    // the engine holds one by one (nothing of theirs is left to write).
    std::mem::forget(engine);
    std::mem::forget(cache);
    Ok(EXIT_OK)
}

/// Nothing the build reads changed and the output is as the last build
/// left it: reports what that build reported, and leaves the output alone.
fn unchanged(
    summary: Summary,
    args: &BuildArgs,
    cx: &Context,
    out: &std::path::Path,
    timings: &Timings,
) -> Result<i32> {
    let mut diagnostics = Diagnostics::default();
    diagnostics.extend(summary.diagnostics.iter().cloned());
    if args.report.deny_warnings {
        diagnostics.deny_warnings();
    }
    cx.ui.problems(&diagnostics, Format::or_default(args.report.format))?;
    if diagnostics.has_errors() {
        eprintln!("build failed; {} left as it was", out.display());
        return Ok(EXIT_CONTENT);
    }
    report(
        cx,
        &summary,
        "; nothing changed, output left as it was",
        out,
        timings,
        args,
    );
    Ok(EXIT_OK)
}

/// The closing lines of a build that succeeded.
fn report(cx: &Context, summary: &Summary, how: &str, out: &std::path::Path, timings: &Timings, args: &BuildArgs) {
    let total: f64 = timings.phases.iter().map(|(_, d)| d.as_secs_f64()).sum();
    cx.ui.done(
        "Built",
        &format!(
            "{} ({}) in {total:.2} s{}{how}",
            summary.counts,
            plural(summary.files, "file"),
            summary.skipped
        ),
    );
    cx.ui.detail(&format!("Output: {}", out.display()));
    for path in &summary.excluded {
        cx.ui
            .detail(&format!("excluded: {}", crate::diag::escape_controls(path)));
    }
    if args.timings || cx.ui.verbosity == crate::ui::Verbosity::Verbose {
        eprint!("{}", timings.report());
    }
}
