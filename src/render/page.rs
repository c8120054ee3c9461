//! Every output file of the site as a value, and where each goes: listing
//! the pages first lets the build render them in parallel, and lets a
//! preview server re-render just the ones an edit touches.

use super::renderer::Scope;

/// One output file of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Page {
    /// Home, page n (1-based).
    Home(usize),
    Article(usize),
    Authors,
    /// Author id, page n.
    Author(usize, usize),
    AuthorFeed(usize),
    Topics,
    /// Topic id, page n.
    Topic(usize, usize),
    TopicFeed(usize),
    Archive,
    /// Index into the graph's years.
    Year(usize),
    /// Article id and index of its alias.
    Redirect(usize, usize),
    SiteFeed,
    Sitemap,
    Robots,
    NotFound,
    /// JSON Feed beside the site's Atom feed.
    SiteJsonFeed,
    AuthorJsonFeed(usize),
    TopicJsonFeed(usize),
    /// Index into the renderer's series.
    Series(usize),
    /// An article's citation as a file to download.
    Citation(usize, CiteFormat),
    /// `/search/`.
    Search,
    /// A file of the search index.
    SearchData(SearchFile),
}

/// Formats an article's citation is downloadable in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum CiteFormat {
    Bib,
    Ris,
}

/// The files of the search index (see `search.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum SearchFile {
    Manifest,
    Docs,
    /// Term chunk n.
    Terms(usize),
    /// What a result shows of article id.
    Fragment(usize),
}

impl Page {
    /// The template the page is rendered with; generated files have none.
    pub fn template(self) -> Option<&'static str> {
        Some(match self {
            Page::Home(_) => "index.html",
            Page::Article(_) => "article.html",
            Page::Authors => "authors.html",
            Page::Author(..) => "author.html",
            Page::Topics => "topics.html",
            Page::Topic(..) => "topic.html",
            Page::Archive => "archive.html",
            Page::Year(_) => "year.html",
            Page::Redirect(..) => "redirect.html",
            Page::NotFound => "404.html",
            Page::AuthorFeed(_) | Page::TopicFeed(_) | Page::SiteFeed => "atom.xml",
            Page::Sitemap => "sitemap.xml",
            Page::Series(_) => "series.html",
            Page::Search => "search.html",
            Page::Robots
            | Page::SiteJsonFeed
            | Page::AuthorJsonFeed(_)
            | Page::TopicJsonFeed(_)
            | Page::Citation(..)
            | Page::SearchData(_) => return None,
        })
    }

    /// The page's kind, as `page.kind`.
    pub(super) fn kind_name(self) -> &'static str {
        match self {
            Page::Home(_) => "home",
            Page::Article(_) => "article",
            Page::Authors => "authors",
            Page::Author(..) => "author",
            Page::Topics => "topics",
            Page::Topic(..) => "topic",
            Page::Archive => "archive",
            Page::Year(_) => "year",
            Page::NotFound => "404",
            Page::Redirect(..) => "redirect",
            Page::Series(_) => "series",
            Page::Search => "search",
            _ => "file",
        }
    }

    /// Is this an HTML page for search engines to index (the sitemap lists these)?
    pub fn indexable(self) -> bool {
        matches!(
            self,
            Page::Home(_)
                | Page::Article(_)
                | Page::Authors
                | Page::Author(..)
                | Page::Topics
                | Page::Topic(..)
                | Page::Archive
                | Page::Year(_)
                | Page::Series(_)
        )
    }
}

impl Scope<'_> {
    /// The page's URL path, with the base path (`/commentary/articles/x/`).
    pub fn url(&self, page: Page) -> String {
        let g = self.g();
        let base = &g.base_path();
        let paged = |first: String, n: usize| if n == 1 { first } else { format!("{first}page/{n}/") };
        match page {
            Page::Home(n) => paged(base.to_string(), n),
            Page::Article(id) => g.url(id).to_string(),
            Page::Authors => format!("{base}authors/"),
            Page::Author(au, n) => paged(format!("{base}authors/{}/", g.author(au).slug), n),
            Page::AuthorFeed(au) => format!("{base}authors/{}/feed.xml", g.author(au).slug),
            Page::Topics => format!("{base}topics/"),
            Page::Topic(t, n) => paged(g.topic_url(t).to_string(), n),
            Page::TopicFeed(t) => format!("{}feed.xml", g.topic_url(t)),
            Page::Archive => format!("{base}archive/"),
            Page::Year(y) => format!("{base}archive/{}/", g.years()[y].0),
            Page::Redirect(id, i) => format!("{base}{}", g.article(id).aliases[i].trim_start_matches('/')),
            Page::SiteFeed => format!("{base}feed.xml"),
            Page::Sitemap => format!("{base}sitemap.xml"),
            Page::Robots => format!("{base}robots.txt"),
            Page::NotFound => format!("{base}404.html"),
            Page::SiteJsonFeed => format!("{base}feed.json"),
            Page::AuthorJsonFeed(au) => format!("{base}authors/{}/feed.json", g.author(au).slug),
            Page::TopicJsonFeed(t) => format!("{}feed.json", g.topic_url(t)),
            Page::Series(s) => format!("{base}series/{}/", g.series()[s].slug),
            Page::Citation(id, CiteFormat::Bib) => format!("{}{}.bib", g.url(id), g.article(id).slug),
            Page::Citation(id, CiteFormat::Ris) => format!("{}{}.ris", g.url(id), g.article(id).slug),
            Page::Search => format!("{base}search/"),
            Page::SearchData(file) => match file {
                SearchFile::Manifest => format!("{base}search/manifest.json"),
                SearchFile::Docs => format!("{base}search/docs.json"),
                SearchFile::Terms(n) => format!("{base}search/terms/{n}.json"),
                SearchFile::Fragment(id) => format!("{base}search/docs/{id}.json"),
            },
        }
    }

    /// Where the page goes under the output folder (`articles/x/index.html`).
    pub fn output_path(&self, page: Page) -> String {
        let url = self.url(page);
        let path = url.strip_prefix(self.g().base_path()).unwrap_or(&url);
        if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else if matches!(page, Page::Redirect(..)) && !path.rsplit('/').next().unwrap_or("").contains('.') {
            format!("{path}/index.html")
        } else {
            path.to_string()
        }
    }
}
