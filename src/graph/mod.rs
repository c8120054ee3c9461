//! The site as a graph: which articles are published, their URLs, who wrote
//! them, their topics and years, who cites whom, related articles, series.
//!
//! Positions (`usize`) index one graph only; what stays the same from one
//! graph to the next is an article's `ArticleId` and an author's or topic's
//! `Sym`. Pages read the graph only through a `Reader`, which notes every
//! record read (`Key`), so that the records a page was made from are known
//! without a description of them kept by hand (see `records.rs`).

mod assemble;
mod ids;
mod index;
mod indexed;
mod link;
mod reader;
mod records;
pub mod related;
mod series;
mod topics;

pub use assemble::{assemble_graph, summary_of, Assembly};
pub use ids::{ArticleId, IdHasher, IdMap, Interner, PassThrough, Sym};
pub use index::{article_url, build_index, Index, Parsed};
pub use indexed::{layout_hash, layout_key};
pub use link::{fill_links, fill_links_with, LinkInput, Links, RelatedParts, SeriesPos};
pub use reader::{Key, ReadLog, Reader, EVERYTHING};
pub use records::{hash_of, KeyTable, RecordHashes, StableKey};
pub use series::SeriesGroup;
pub use topics::{include_subtopics, Topic};

use crate::content::{Article, Author};
use crate::markdown::Rendered;
use std::sync::Arc;

/// Everything the page renderers need, computed once per change. Its
/// fields are read through `Reader` only.
#[derive(Default)]
pub struct SiteGraph {
    /// The base URL's path, `/` or `/commentary/`.
    base_path: String,
    /// Each article's stable id.
    ids: Vec<ArticleId>,
    /// Each article's content hash (`Parsed::hash`).
    article_hashes: Vec<u64>,
    /// Published articles, newest first, as parsed.
    articles: Vec<Arc<Article>>,
    /// Each article's slug: its own, or made unique by the index.
    slugs: Vec<String>,
    /// URL path of each article (with the base path).
    urls: Vec<String>,
    rendered: Vec<Arc<Rendered>>,
    /// Hash of each article's rendering (HTML and headings).
    rendered_hashes: Vec<u64>,
    /// Summary of each article: front matter, or the first paragraph shortened.
    summaries: Vec<String>,
    /// Each article's date for machines (`2024-03-18`) and for readers (`March 18, 2024`).
    dates: Vec<(String, String)>,
    authors: Vec<Author>,
    /// Each author's stable id (the interned slug).
    author_ids: Vec<Sym>,
    /// Each author's biography as HTML.
    author_bios: Vec<String>,
    /// URL path of each author's page.
    author_urls: Vec<String>,
    topics: Vec<Topic>,
    /// Each topic's stable id (the interned slug).
    topic_ids: Vec<Sym>,
    /// URL path of each topic's page.
    topic_urls: Vec<String>,
    article_authors: Vec<Vec<usize>>,
    author_articles: Vec<Vec<usize>>,
    article_topics: Vec<Vec<usize>>,
    topic_articles: Vec<Vec<usize>>,
    /// Years, newest first, with their articles.
    years: Vec<(i32, Vec<usize>)>,
    links: Links,
    /// The site's series, by name.
    series: Vec<SeriesGroup>,
    /// Each article's series, by index into `series`.
    series_of: Vec<Option<usize>>,
}

impl SiteGraph {
    /// Number of published articles.
    pub fn article_count(&self) -> usize {
        self.articles.len()
    }

    /// Number of authors.
    pub fn author_count(&self) -> usize {
        self.authors.len()
    }

    /// Number of topics.
    pub fn topic_count(&self) -> usize {
        self.topics.len()
    }

    /// The stable id of the article at a position.
    pub fn article_id(&self, id: usize) -> ArticleId {
        self.ids[id]
    }

    /// The stable id of the author at a position.
    pub fn author_id(&self, au: usize) -> Sym {
        self.author_ids[au]
    }

    /// The stable id of the topic at a position.
    pub fn topic_id(&self, t: usize) -> Sym {
        self.topic_ids[t]
    }

    /// The base URL's path.
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// A reader that notes nothing, for work outside any page (listing
    /// pages, checking output paths).
    pub fn untracked(&self) -> Reader<'_> {
        Reader::new(self, None)
    }
}

/// Most words taken from the first paragraph when there is no `summary`.
const SUMMARY_WORDS: usize = 60;

/// Shortens text to at most `SUMMARY_WORDS` words.
pub fn shorten(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= SUMMARY_WORDS {
        return words.join(" ");
    }
    let mut short = words[..SUMMARY_WORDS].join(" ");
    short = short.trim_end_matches([',', ';', ':', '.']).to_string();
    short.push('…');
    short
}
