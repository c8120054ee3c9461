//! One output file, one source. A generated page, a file from `static/`
//! and an alias's redirect all end up as files in the output folder; when
//! two would be written at one path, one would silently replace the other
//! (an alias `/index.html` the home page, `static/feed.xml` the feed). The
//! page list comes from the renderer, so a page added to the site is
//! protected without a list kept here.

use crate::diag::{Code, Diagnostic};
use crate::render::{Page, Renderer};
use rayon::prelude::*;
use std::collections::HashMap;
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

/// What a file in the output comes from.
enum Owner<'a> {
    /// A generated page (its URL is made only for a clash).
    Page(Page),
    /// A file from `static/`, relative to it.
    Static(&'a str),
    /// One of the theme's own assets (`style.css`) the site does not replace.
    Theme(&'static str),
    /// An alias of the article with this source path.
    Alias(&'a str),
}

/// Two files meant for one output path.
pub enum Clash {
    /// A file from `static/` (relative to it) at a generated page's URL.
    Static { rel: String, url: String },
    /// An article's alias at the path of something else (`with`, said for
    /// the reader).
    Alias {
        source: String,
        alias: String,
        place: (usize, usize),
        with: String,
    },
}

impl Clash {
    /// The error `check` and `build` report for it.
    pub fn diagnostic(&self) -> Diagnostic {
        match self {
            Clash::Static { rel, url } => Diagnostic::error(
                Code::StaticConflict,
                &format!("static/{rel}"),
                1,
                1,
                format!(
                    "static file would replace the generated page {url}; rename it, or change the page in templates/"
                ),
            ),
            Clash::Alias {
                source,
                alias,
                place: (line, col),
                with,
            } => Diagnostic::error(
                Code::AliasConflict,
                source,
                *line,
                *col,
                format!("alias `{alias}` would overwrite {with}"),
            ),
        }
    }
}

/// The owner of a file where `path` needs one of its folders (an alias
/// `/style.css/` is `style.css/index.html`, and `style.css` is a file):
/// writing it would fail, or replace that file with a folder.
fn file_above<'b, V>(owners: &'b HashMap<String, V, Xxh3DefaultBuilder>, path: &str) -> Option<&'b V> {
    path.match_indices('/').find_map(|(i, _)| owners.get(&path[..i]))
}

/// Reports every static file and alias that would share an output path
/// with a generated page, a static file or another alias.
pub fn check_output_paths<'a>(renderer: &'a Renderer<'a>, site_statics: &[String], problems: &mut Vec<Diagnostic>) {
    problems.extend(output_clashes(renderer, site_statics).iter().map(Clash::diagnostic));
}

/// Every static file and alias that would share an output path with a
/// generated page, a static file, one of the theme's assets or another
/// alias. Static files may replace the theme's assets (`style.css`),
/// which are not pages; aliases may not.
pub fn output_clashes<'a>(renderer: &'a Renderer<'a>, site_statics: &[String]) -> Vec<Clash> {
    let renderer = renderer.untracked();
    let g = renderer.g();
    let mut pages = renderer.pages_before_index();
    // The search index's term chunks are listed only when something else
    // could land beside them: listing them means building the index.
    let in_index = |path: &str| path.trim_start_matches('/').starts_with("search/");
    let aliases_in_index = (0..g.article_count())
        .flat_map(|id| &g.article(id).aliases)
        .any(|a| in_index(a));
    if aliases_in_index || site_statics.iter().any(|s| in_index(s)) {
        pages.extend(renderer.term_pages());
    }
    let (redirects, pages): (Vec<Page>, Vec<Page>) = pages.into_iter().partition(|p| matches!(p, Page::Redirect(..)));
    // The paths are made in parallel; the first page at a path owns it.
    let paths: Vec<String> = pages.par_iter().map(|&page| renderer.output_path(page)).collect();
    let mut owners: HashMap<String, Owner<'_>, Xxh3DefaultBuilder> =
        HashMap::with_capacity_and_hasher(pages.len() + site_statics.len(), Xxh3DefaultBuilder);
    for (path, page) in paths.into_iter().zip(pages) {
        owners.entry(path).or_insert(Owner::Page(page));
    }
    let mut clashes = Vec::new();
    for rel in site_statics {
        match owners.get(rel.as_str()).or_else(|| file_above(&owners, rel)) {
            Some(Owner::Page(page)) => clashes.push(Clash::Static {
                rel: rel.clone(),
                url: renderer.url(*page),
            }),
            _ => {
                owners.insert(rel.clone(), Owner::Static(rel));
            }
        }
    }
    for (path, _) in crate::render::theme::site_assets(renderer.config.search) {
        owners.entry(path.to_string()).or_insert(Owner::Theme(path));
    }
    for page in redirects {
        let Page::Redirect(id, i) = page else { continue };
        let article = g.article(id);
        let path = renderer.output_path(page);
        let with = match owners.get(&path).or_else(|| file_above(&owners, &path)) {
            None => {
                owners.insert(path, Owner::Alias(&article.source_path));
                continue;
            }
            Some(Owner::Page(page)) => format!("the generated page {}", renderer.url(*page)),
            Some(Owner::Static(rel)) => format!("the file static/{rel}"),
            Some(Owner::Theme(path)) => format!("the theme's file {path}"),
            Some(Owner::Alias(other)) => format!("an alias of {other}"),
        };
        clashes.push(Clash::Alias {
            source: article.source_path.to_string(),
            alias: article.aliases[i].to_string(),
            place: article.alias_places[i],
            with,
        });
    }
    clashes
}
