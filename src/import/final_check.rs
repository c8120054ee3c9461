//! The import's last step: what it wrote is loaded through the same code as
//! `pressroom check`. An old URL the new site writes a page or file at (the
//! core decides, from its own list of pages) loses its redirect, reported;
//! whatever else check rejects is left for the user to fix, and the import
//! exits 1.

use super::convert::Converted;
use super::report::{warning, WarnKind};
use super::write::write_article;
use crate::diag::{Code, Diagnostics};
use crate::engine::load_once;
use crate::timings::Timings;
use anyhow::Result;
use std::path::Path;

/// Checks the site written at `out`, first dropping the redirects the core
/// says would overwrite another output file; returns the check's verdict.
pub fn check_and_settle(out: &Path, site: &mut Converted) -> Result<Diagnostics> {
    let first = check_written(out);
    let clashes = alias_clashes(&first);
    if clashes.is_empty() {
        return Ok(first);
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
        write_article(out, article)?;
    }
    let mut sorted = Diagnostics::default();
    sorted.extend(std::mem::take(&mut site.summary.warnings));
    site.summary.warnings = sorted.sorted();
    Ok(check_written(out))
}

/// Loads the written site exactly as `pressroom check` does.
fn check_written(out: &Path) -> Diagnostics {
    load_once(out, None, false, &mut Timings::default()).check()
}

/// The aliases check reports as landing on another output file, with the
/// article (`articles/...`) that declares each.
fn alias_clashes(diagnostics: &Diagnostics) -> Vec<(String, String)> {
    diagnostics
        .sorted()
        .into_iter()
        .filter(|d| d.code == Code::AliasConflict && d.path().is_some_and(|p| p.starts_with("articles/")))
        .filter_map(|d| {
            let rest = d.message.strip_prefix("alias `")?;
            let (alias, tail) = rest.split_once('`')?;
            tail.starts_with(" would overwrite")
                .then(|| (d.path().unwrap_or_default().to_string(), alias.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Code, Diagnostic};

    #[test]
    fn finds_the_aliases_check_refuses() {
        let mut all = Diagnostics::default();
        all.push(Diagnostic::error(
            Code::AliasConflict,
            "articles/2019/a.md",
            5,
            3,
            "alias `/page/2/` would overwrite the generated page /page/2/",
        ));
        all.push(Diagnostic::error(
            Code::MissingKey,
            "articles/2019/b.md",
            1,
            1,
            "missing required key `title`",
        ));
        assert_eq!(
            alias_clashes(&all),
            vec![("articles/2019/a.md".to_string(), "/page/2/".to_string())]
        );
    }
}
