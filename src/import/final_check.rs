//! The import's last step: what it wrote is loaded through the same code as
//! `pressroom check`. An old URL the new site writes a page or file at (the
//! core decides, from its own list of pages) loses its redirect, reported;
//! whatever else check rejects is left for the user to fix, and the import
//! exits 1.

use super::convert::Converted;
use super::report::{warning, WarnKind};
use super::write::rewrite_article;
use crate::diag::Diagnostics;
use crate::engine::{load_once, Engine};
use crate::timings::Timings;
use anyhow::Result;
use std::path::Path;

/// Checks the site written at `out`, first dropping the redirects the core
/// says would overwrite another output file; returns the check's verdict.
pub fn check_and_settle(out: &Path, site: &mut Converted) -> Result<Diagnostics> {
    let first = load_written(out);
    let clashes = first.alias_clashes();
    if clashes.is_empty() {
        return Ok(first.check());
    }
    for (path, alias) in clashes {
        let Some(article) = site
            .articles
            .iter_mut()
            .find(|a| format!("articles/{}", a.path) == path)
        else {
            continue;
        };
        if let Some(aliases) = &mut article.front.aliases {
            aliases.0.retain(|a| *a != alias);
        }
        if article.front.aliases.as_ref().is_some_and(|a| a.0.is_empty()) {
            article.front.aliases = None;
        }
        let message = format!("old URL {alias} is where the new site writes another page or file; no redirect from it");
        site.summary
            .warnings
            .push(warning(WarnKind::Slug, &article.source, 1, 1, message));
        rewrite_article(out, article)?;
    }
    let mut sorted = Diagnostics::default();
    sorted.extend(std::mem::take(&mut site.summary.warnings));
    site.summary.warnings = sorted.sorted();
    Ok(check_written(out))
}

/// Loads the written site exactly as `pressroom check` does.
fn load_written(out: &Path) -> Engine {
    load_once(out, None, false, &mut Timings::default())
}

/// What `pressroom check` says of the written site.
fn check_written(out: &Path) -> Diagnostics {
    load_written(out).check()
}
