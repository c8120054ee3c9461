//! Reading the graph while noting what is read. Every accessor names the
//! record its value belongs to (`Key`) and notes it in the page's
//! `ReadLog`; what a page depends on is then exactly what it read, with no
//! list kept beside the templates. The log is passed explicitly (never a
//! thread-local), so work a page hands to other threads is still its own.

use super::link::SeriesPos;
use super::series::SeriesGroup;
use super::topics::Topic;
use super::SiteGraph;
use crate::content::{Article, Author};
use crate::markdown::Heading;
use std::sync::Mutex;

/// One record of the graph, by position in one graph; see `records.rs`
/// for what each one holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Key {
    /// An article as parsed, with its slug, URL, summary, dates, authors and topics.
    Article(usize),
    /// An article's rendered body (HTML and headings).
    Body(usize),
    /// An article's backlinks, related articles and place in its series.
    Links(usize),
    /// An author's file, URL and biography.
    Author(usize),
    /// An author's articles.
    AuthorArticles(usize),
    /// A topic: slug, name, description, parent and URL.
    Topic(usize),
    /// A topic's articles (its subtopics' included).
    TopicArticles(usize),
    /// Which articles are published, newest first.
    ArticleList,
    /// Every author in full, in order.
    Authors,
    /// Every topic in full, in order.
    Topics,
    /// The years and their articles.
    Years,
    /// The series and their parts.
    Series,
    /// Every article's `Article` record.
    EveryArticle,
    /// Every article's body.
    EveryBody,
    /// A template with the templates it names, and the theme strings.
    #[serde(deserialize_with = "known_template")]
    Template(TemplateName),
    /// The theme strings (dates and labels outside templates).
    Strings,
    /// One file of the search index: 0 the manifest, 1 the docs, 2 + n
    /// term chunk n (the index itself reads `EVERYTHING`).
    SearchFile(usize),
    /// The size of a local image (its path from the site root).
    Image(Box<str>),
}

/// A built-in template's name. (A name, not `&'static str` written out,
/// so that serde reads it through `known_template` and borrows nothing.)
type TemplateName = &'static str;

/// A template's name read back (from a cache): only the built-in names a
/// `Key::Template` can hold.
fn known_template<'de, D: serde::Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let name = <String as serde::Deserialize>::deserialize(d)?;
    crate::render::theme::template_name(&name)
        .ok_or_else(|| serde::de::Error::custom(format!("`{name}` is not a template of this pressroom")))
}

/// The records `Reader::everything` notes: every article's record and
/// body, the authors, topics and years.
pub const EVERYTHING: [Key; 6] = [
    Key::ArticleList,
    Key::EveryArticle,
    Key::EveryBody,
    Key::Authors,
    Key::Topics,
    Key::Years,
];

/// The records one page (or one card) read, in order, with repeats.
#[derive(Debug, Default)]
pub struct ReadLog(Mutex<Vec<Key>>);

impl ReadLog {
    /// Notes a record read.
    pub fn note(&self, key: Key) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(key);
    }

    /// Notes every record another log read (a card used by a page).
    pub fn absorb(&self, keys: &[Key]) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(keys);
    }

    /// The records read, each once.
    pub fn into_keys(self) -> Vec<Key> {
        let mut keys = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        keys.sort_unstable();
        keys.dedup();
        keys
    }
}

/// The graph as a page sees it: each accessor notes the record it reads.
#[derive(Clone, Copy)]
pub struct Reader<'a> {
    graph: &'a SiteGraph,
    log: Option<&'a ReadLog>,
}

impl<'a> Reader<'a> {
    /// A reader noting into `log` (or nothing).
    pub fn new(graph: &'a SiteGraph, log: Option<&'a ReadLog>) -> Self {
        Reader { graph, log }
    }

    /// Notes a record read; for values derived outside the graph (templates, images).
    pub fn note(&self, key: Key) {
        if let Some(log) = self.log {
            log.note(key);
        }
    }

    /// The base URL's path (a setting: every page depends on the settings).
    pub fn base_path(&self) -> &'a str {
        &self.graph.base_path
    }

    /// Article `id` as parsed.
    pub fn article(&self, id: usize) -> &'a Article {
        self.note(Key::Article(id));
        &self.graph.articles[id]
    }

    /// Article `id`'s slug.
    pub fn slug(&self, id: usize) -> &'a str {
        self.note(Key::Article(id));
        &self.graph.slugs[id]
    }

    /// Article `id`'s URL path.
    pub fn url(&self, id: usize) -> &'a str {
        self.note(Key::Article(id));
        &self.graph.urls[id]
    }

    /// Article `id`'s summary.
    pub fn summary(&self, id: usize) -> &'a str {
        self.note(Key::Article(id));
        &self.graph.summaries[id]
    }

    /// Article `id`'s date for machines and for readers.
    pub fn date(&self, id: usize) -> &'a (String, String) {
        self.note(Key::Article(id));
        &self.graph.dates[id]
    }

    /// Article `id`'s authors, by position.
    pub fn article_authors(&self, id: usize) -> &'a [usize] {
        self.note(Key::Article(id));
        &self.graph.article_authors[id]
    }

    /// Article `id`'s topics, by position.
    pub fn article_topics(&self, id: usize) -> &'a [usize] {
        self.note(Key::Article(id));
        &self.graph.article_topics[id]
    }

    /// Article `id`'s body as HTML.
    pub fn body_html(&self, id: usize) -> &'a str {
        self.note(Key::Body(id));
        &self.graph.rendered[id].html
    }

    /// Article `id`'s headings. (The body's record is its HTML and
    /// headings: pages see nothing else of the rendering.)
    pub fn headings(&self, id: usize) -> &'a [Heading] {
        self.note(Key::Body(id));
        &self.graph.rendered[id].headings
    }

    /// The hash of article `id`'s rendered body, to key values derived from it.
    pub fn body_hash(&self, id: usize) -> u64 {
        self.note(Key::Body(id));
        self.graph.rendered_hashes[id]
    }

    /// The articles citing article `id`.
    pub fn backlinks(&self, id: usize) -> &'a [usize] {
        self.note(Key::Links(id));
        &self.graph.links.backlinks[id]
    }

    /// Article `id`'s related articles, best first.
    pub fn related(&self, id: usize) -> &'a [usize] {
        self.note(Key::Links(id));
        &self.graph.links.related[id]
    }

    /// Article `id`'s place in its series.
    pub fn series_pos(&self, id: usize) -> Option<&'a SeriesPos> {
        self.note(Key::Links(id));
        self.graph.links.series[id].as_ref()
    }

    /// Author `au`.
    pub fn author(&self, au: usize) -> &'a Author {
        self.note(Key::Author(au));
        &self.graph.authors[au]
    }

    /// Author `au`'s biography as HTML.
    pub fn author_bio(&self, au: usize) -> &'a str {
        self.note(Key::Author(au));
        &self.graph.author_bios[au]
    }

    /// Author `au`'s page's URL path.
    pub fn author_url(&self, au: usize) -> &'a str {
        self.note(Key::Author(au));
        &self.graph.author_urls[au]
    }

    /// Author `au`'s articles, newest first.
    pub fn author_articles(&self, au: usize) -> &'a [usize] {
        self.note(Key::AuthorArticles(au));
        &self.graph.author_articles[au]
    }

    /// Topic `t`.
    pub fn topic(&self, t: usize) -> &'a Topic {
        self.note(Key::Topic(t));
        &self.graph.topics[t]
    }

    /// Topic `t`'s page's URL path.
    pub fn topic_url(&self, t: usize) -> &'a str {
        self.note(Key::Topic(t));
        &self.graph.topic_urls[t]
    }

    /// Topic `t`'s articles (its subtopics' included), newest first.
    pub fn topic_articles(&self, t: usize) -> &'a [usize] {
        self.note(Key::TopicArticles(t));
        &self.graph.topic_articles[t]
    }

    /// Number of published articles.
    pub fn article_count(&self) -> usize {
        self.note(Key::ArticleList);
        self.graph.articles.len()
    }

    /// Every author, in order.
    pub fn authors(&self) -> &'a [Author] {
        self.note(Key::Authors);
        &self.graph.authors
    }

    /// Every topic, in order.
    pub fn topics(&self) -> &'a [Topic] {
        self.note(Key::Topics);
        &self.graph.topics
    }

    /// The years, newest first, with their articles.
    pub fn years(&self) -> &'a [(i32, Vec<usize>)] {
        self.note(Key::Years);
        &self.graph.years
    }

    /// The site's series.
    pub fn series(&self) -> &'a [SeriesGroup] {
        self.note(Key::Series);
        &self.graph.series
    }

    /// Article `id`'s series, by index into `series`.
    pub fn series_of(&self, id: usize) -> Option<usize> {
        self.note(Key::Series);
        self.graph.series_of[id]
    }

    /// For work over the whole archive (the search index): notes that
    /// every article's record and body are read, and returns a reader
    /// that notes nothing more.
    pub fn everything(&self) -> Reader<'a> {
        for key in EVERYTHING {
            self.note(key);
        }
        Reader::new(self.graph, None)
    }
}
