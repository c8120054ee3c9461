//! Every output file of the site as a value: listing the pages first lets
//! the build render them in parallel, and lets a preview server re-render
//! just the ones an edit touches.

/// One output file of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CiteFormat {
    Bib,
    Ris,
}

/// The files of the search index (see `search.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
