//! Borrowed, typed views handed to templates. Each derives Serialize and
//! holds references into the site graph, so a page costs only its own view.

use super::i18n::Strings;
use crate::config::SiteConfig;
use crate::graph::Reader;
use serde::Serialize;

/// The whole site, on every page as `site`.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    pub base_path: String,
    pub language: &'a str,
    pub copyright: Option<&'a str>,
    pub extra: Option<&'a serde_yaml::Value>,
    pub feed_url: String,
    /// The site's JSON Feed.
    pub json_feed_url: String,
    /// The search page, or null when `search: false`.
    pub search_url: Option<String>,
    pub nav: Vec<NavItem>,
    /// True only in `serve`, for templates that want to know.
    pub live_reload: bool,
}

/// One entry of the site's section navigation.
#[derive(Serialize)]
pub struct NavItem {
    pub key: &'static str,
    pub title: String,
    pub url: String,
}

impl<'a> SiteView<'a> {
    /// The site's settings, with navigation labels from its theme strings.
    pub fn new(config: &'a SiteConfig, strings: &Strings) -> Self {
        let base = config.base_path();
        let nav = [
            ("home", "nav_latest", ""),
            ("topics", "nav_topics", "topics/"),
            ("authors", "nav_authors", "authors/"),
            ("archive", "nav_archive", "archive/"),
        ]
        .into_iter()
        .map(|(key, label, path)| NavItem {
            key,
            title: strings.text(label, &[]),
            url: format!("{base}{path}"),
        })
        .collect();
        SiteView {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            feed_url: format!("{base}feed.xml"),
            json_feed_url: format!("{base}feed.json"),
            search_url: config.search.then(|| format!("{base}search/")),
            base_path: base,
            language: &config.language,
            copyright: config.copyright.as_deref(),
            extra: config.extra.as_ref(),
            nav,
            live_reload: false,
        }
    }
}

/// What every page says about itself, as `page`.
#[derive(Serialize)]
pub(super) struct PageMeta {
    pub title: String,
    pub description: String,
    /// URL path with the base path.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// Which navigation entry is current: home, topics, authors, archive or "".
    pub section: &'static str,
    /// Feed for this page's listing, if it has one (URL path).
    pub feed_url: Option<String>,
    /// The same feed as JSON Feed.
    pub json_feed_url: Option<String>,
    pub kind: &'static str,
    /// The URL search engines should credit: the permalink, or where an
    /// article first appeared.
    pub canonical: String,
    /// True for pages search engines should not index (the search page).
    pub noindex: bool,
    /// The site header as rendered by `header.html` for this page's
    /// navigation state, and the footer by `footer.html` (both once per build).
    pub header_html: String,
    pub footer_html: String,
}

/// A link with a label.
#[derive(Serialize, Clone)]
pub struct LinkView<'a> {
    pub name: &'a str,
    pub url: &'a str,
}

/// An article in full for `card.html`, which renders it once per build.
#[derive(Serialize)]
pub struct ArticleCard<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub kind: &'a str,
    pub date: &'a str,
    pub date_display: &'a str,
    pub summary: &'a str,
    pub authors: Vec<LinkView<'a>>,
}

impl<'a> ArticleCard<'a> {
    /// Article `id`'s card, with its date for readers.
    pub fn new(graph: Reader<'a>, id: usize, date_display: &'a str) -> Self {
        let a = &graph.article(id);
        ArticleCard {
            title: &a.title,
            url: graph.url(id),
            kind: &a.kind,
            date: &graph.date(id).0,
            date_display,
            summary: graph.summary(id),
            authors: author_links(graph, id),
        }
    }
}

/// An article as listed on other pages: a few fields and its rendered card.
/// Kept small because listings carry many of them.
#[derive(Serialize)]
pub struct ListItem<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub kind: &'a str,
    pub date: &'a str,
    pub date_display: &'a str,
    pub summary: &'a str,
    /// The card rendered by `card.html`, to print with `| safe`.
    pub html: &'a str,
}

impl<'a> ListItem<'a> {
    /// Article `id` as listed, with its date for readers and its rendered card.
    pub fn new(graph: Reader<'a>, id: usize, date_display: &'a str, html: &'a str) -> Self {
        let a = &graph.article(id);
        ListItem {
            title: &a.title,
            url: graph.url(id),
            kind: &a.kind,
            date: &graph.date(id).0,
            date_display,
            summary: graph.summary(id),
            html,
        }
    }
}

/// The byline of article `id` as links.
pub(super) fn author_links(graph: Reader<'_>, id: usize) -> Vec<LinkView<'_>> {
    graph
        .article_authors(id)
        .iter()
        .map(|&au| LinkView {
            name: &graph.author(au).name,
            url: graph.author_url(au),
        })
        .collect()
}

/// Previous and next pages of a listing.
#[derive(Serialize)]
pub(super) struct Paginator {
    pub current: usize,
    pub total: usize,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    /// Number of items over all pages.
    pub items: usize,
}

impl Paginator {
    /// Page `current` (1-based) of a listing whose first page is at `first_url`.
    pub(super) fn new(first_url: &str, current: usize, total: usize, items: usize) -> Self {
        let url = |n: usize| {
            if n == 1 {
                first_url.to_string()
            } else {
                format!("{first_url}page/{n}/")
            }
        };
        Paginator {
            current,
            total,
            prev_url: (current > 1).then(|| url(current - 1)),
            next_url: (current < total).then(|| url(current + 1)),
            items,
        }
    }
}
