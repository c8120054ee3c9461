//! Writing the site: to a staging folder swapped in at the end (so a failed
//! build never touches the previous output), or to memory for previews.
//! docs/guarantees.md lists what the output folder is promised, with the
//! tests that hold each promise.

mod claim;
mod collisions;
mod intact;
mod listing;
pub mod manifest;
mod replace;
mod reuse;
mod spare;
mod stored;
mod swap;
pub mod target;
mod tree;
mod writer;

pub use collisions::{check_output_paths, output_clashes, Clash};
pub use intact::untouched;
pub use manifest::MANIFEST;
#[cfg(test)]
pub(crate) use replace::write_marker;
pub use replace::MARKER;
pub(crate) use stored::inside_the_output;
pub use target::Target;
pub use writer::{publish, Destination, DiskWriter, MemoryWriter, Writer};

use crate::diag::Diagnostic;
use crate::render::{template_problem, theme, Page, Renderer, SearchFile};
use anyhow::Result;
use rayon::prelude::*;
use std::path::Path;

/// Renders every page and copies static files; returns the number of files.
/// The search index is built while the other pages are rendered, and its
/// own files written after.
pub fn write_site(renderer: &Renderer<'_>, root: &Path, site_statics: &[String], writer: &dyn Writer) -> Result<usize> {
    let (index_files, pages): (Vec<Page>, Vec<Page>) = renderer
        .pages_before_index()
        .into_iter()
        .partition(|p| matches!(p, Page::SearchData(SearchFile::Manifest | SearchFile::Docs)));
    let (terms, written) = rayon::join(|| renderer.term_pages(), || write_pages(renderer, &pages, writer));
    written?;
    writer.expect_more(terms.len());
    write_pages(renderer, &index_files, writer)?;
    write_pages(renderer, &terms, writer)?;
    let pages = pages.len() + index_files.len() + terms.len();
    Ok(pages + write_statics(renderer, root, site_statics, writer)?)
}

/// Copies the static files (see `copy_statics`); returns their number.
pub fn write_statics(
    renderer: &Renderer<'_>,
    root: &Path,
    site_statics: &[String],
    writer: &dyn Writer,
) -> Result<usize> {
    copy_statics(root, site_statics, renderer.config.search, writer)?;
    let theme_only = theme::site_assets(renderer.config.search)
        .filter(|(path, _)| !site_statics.iter().any(|s| s == path))
        .count();
    Ok(theme_only + site_statics.len())
}

/// Renders and writes the given pages, in parallel.
pub fn write_pages(renderer: &Renderer<'_>, pages: &[Page], writer: &dyn Writer) -> Result<()> {
    pages.par_iter().try_for_each(|&page| {
        let text = renderer.render(page)?;
        writer.write(&renderer.output_path(page), text.as_bytes())
    })
}

/// Renders every page in memory and keeps nothing: what `check` does to
/// find the template errors a build would meet. Returns each distinct
/// problem once.
pub fn check_pages(renderer: &Renderer<'_>) -> Vec<Diagnostic> {
    let pages = renderer.pages();
    let mut problems: Vec<Diagnostic> = pages
        .par_iter()
        .filter_map(|&page| {
            let e = renderer.render(page).err()?;
            Some(template_problem(&e, page.template().unwrap_or_default()))
        })
        .collect();
    problems.sort_by(|a, b| (&a.place, &a.message).cmp(&(&b.place, &b.message)));
    problems.dedup();
    problems
}

/// Copies the theme's assets (`search.js` only when `search` is on), then
/// the site's `static/` over them.
pub fn copy_statics(root: &Path, site_statics: &[String], search: bool, writer: &dyn Writer) -> Result<()> {
    for (path, bytes) in theme::site_assets(search) {
        if !site_statics.iter().any(|s| s == path) {
            writer.write(path, bytes)?;
        }
    }
    site_statics
        .par_iter()
        .try_for_each(|rel| writer.copy(&root.join("static").join(rel), rel))
}

/// Removes what stopped builds left beside the output `out` (their
/// claimed folders whose lock no running build holds), as every build
/// that writes does first; for a build that leaves the output alone.
pub fn clear_leftovers(out: &std::path::Path) {
    if let (Some(parent), Some(name)) = (out.parent(), out.file_name().and_then(|n| n.to_str())) {
        claim::remove_debris(parent, name);
    }
}
