//! The site as a graph: which articles are published, their URLs, who wrote
//! them, their topics and years, who cites whom, related articles, series.

mod index;
mod link;
pub mod related;
mod topics;

pub use index::{article_url, build_index, Index};
pub use link::{fill_links, fill_links_with, LinkInput, Links, RelatedParts, SeriesPos};
pub use topics::{include_subtopics, Topic};

use crate::content::{Article, Author};
use crate::markdown::Rendered;

/// Everything the page renderers need, computed once per build.
#[derive(Default)]
pub struct SiteGraph {
    /// The base URL's path, `/` or `/commentary/`.
    pub base_path: String,
    /// Published articles, newest first; an article's id is its position.
    pub articles: Vec<Article>,
    /// URL path of each article (with the base path).
    pub urls: Vec<String>,
    pub rendered: Vec<Rendered>,
    /// Summary of each article: front matter, or the first paragraph shortened.
    pub summaries: Vec<String>,
    pub authors: Vec<Author>,
    /// Each author's biography as HTML.
    pub author_bios: Vec<String>,
    /// URL path of each author's page.
    pub author_urls: Vec<String>,
    /// URL path of each topic's page.
    pub topic_urls: Vec<String>,
    /// Each article's date for machines (`2024-03-18`) and for readers (`March 18, 2024`).
    pub dates: Vec<(String, String)>,
    pub article_authors: Vec<Vec<usize>>,
    pub author_articles: Vec<Vec<usize>>,
    pub topics: Vec<Topic>,
    pub article_topics: Vec<Vec<usize>>,
    pub topic_articles: Vec<Vec<usize>>,
    /// Years, newest first, with their articles.
    pub years: Vec<(i32, Vec<usize>)>,
    pub links: Links,
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
