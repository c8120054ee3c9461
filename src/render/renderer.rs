//! What rendering one snapshot of the site shares between its pages, and
//! the scope each page is rendered in (the log of what it reads).

use super::images::ImageSizes;
use super::page::Page;
use super::partials::NavState;
use super::search::SearchIndex;
use super::templates::Theme;
use super::views::SiteView;
use crate::config::SiteConfig;
use crate::diag::Diagnostic;
use crate::graph::{Key, ReadLog, SiteGraph};
use anyhow::Result;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// What rendering one snapshot of the site shares between its pages: the
/// graph, templates, settings, and values made once for every page
/// (cards, feed bodies, word counts, the search index).
pub struct Renderer<'a> {
    pub theme: &'a Theme,
    pub(super) graph: &'a SiteGraph,
    pub config: &'a SiteConfig,
    pub site: SiteView<'a>,
    /// `site` as a JSON value (or why it is not one), made on first use.
    pub(super) site_json: OnceLock<Result<serde_json::Value, String>>,
    /// Each article's date for readers, in the site's language.
    pub(super) date_display: Vec<OnceLock<String>>,
    /// Each article's HTML with absolute links, made once for all the feeds it is in.
    pub(super) feed_content: Vec<OnceLock<String>>,
    /// Each article's card, rendered by `card.html` once for every listing,
    /// with the records it read.
    pub(super) card_html: Vec<OnceLock<Partial>>,
    /// Each author's block under their articles, rendered by `author_block.html` once.
    pub(super) author_html: Vec<OnceLock<Partial>>,
    /// The site header (`header.html`) for each navigation state, and the
    /// footer (`footer.html`), each rendered once.
    pub(super) header_html: Mutex<HashMap<NavState, Arc<OnceLock<Partial>>>>,
    pub(super) footer_html: OnceLock<Partial>,
    /// Each article's `.bib` and `.ris` texts as its page made them, until
    /// the files take them (builds that track reads make their own).
    pub(super) citation_files: Vec<Mutex<CitationSlot>>,
    /// Sizes of the site's images.
    pub(super) images: &'a ImageSizes,
    /// Word counts of article bodies, by body hash.
    pub(super) words: &'a WordCounts,
    pub(super) search: OnceLock<Arc<SearchIndex>>,
    /// Whether cards note what they read (for `render_page`).
    pub(super) tracking: bool,
}

/// A part rendered once (a card, the header): its HTML or why it failed,
/// with the records it read.
pub(super) type Partial = (Result<String, Diagnostic>, Vec<Key>);

/// An article's citation files: whether its page or one of the files came
/// first, and the texts the page left for the files (`.bib`, `.ris`).
pub(super) type CitationSlot = (bool, [Option<String>; 2]);

/// One page's rendering: the shared renderer, and the log of the records
/// the page reads. Views are made from a `Scope`, and read the graph only
/// through `g()`.
pub struct Scope<'a> {
    pub(super) shared: &'a Renderer<'a>,
    pub(super) log: Option<&'a ReadLog>,
}

impl<'a> std::ops::Deref for Scope<'a> {
    type Target = Renderer<'a>;

    fn deref(&self) -> &Renderer<'a> {
        self.shared
    }
}

/// Word counts of article bodies by the hash of their HTML, kept by the
/// engine from one change to the next.
#[derive(Default)]
pub struct WordCounts(std::sync::RwLock<HashMap<u64, usize>>);

impl WordCounts {
    /// The count for a body, counted on first use.
    pub fn get_or_count(&self, hash: u64, html: &str) -> usize {
        if let Some(&n) = self.0.read().unwrap_or_else(|e| e.into_inner()).get(&hash) {
            return n;
        }
        let n = super::text::html_word_count(html);
        self.insert(hash, n);
        n
    }

    /// Records a body's count, counted elsewhere.
    pub fn insert(&self, hash: u64, n: usize) {
        self.0.write().unwrap_or_else(|e| e.into_inner()).insert(hash, n);
    }

    /// Keeps only the counts of the bodies `live`.
    pub fn retain(&self, live: &std::collections::HashSet<u64>) {
        self.0
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|h, _| live.contains(h));
    }
}

/// A page rendered, with where it goes and the records it read.
pub struct RenderedPage {
    pub path: String,
    pub text: Result<String>,
    pub reads: Vec<Key>,
}

impl<'a> Renderer<'a> {
    /// A renderer of `graph`; `images` and `words` are kept by the caller
    /// from one graph to the next.
    pub fn new(
        theme: &'a Theme,
        graph: &'a SiteGraph,
        config: &'a SiteConfig,
        images: &'a ImageSizes,
        words: &'a WordCounts,
    ) -> Self {
        let n = graph.article_count();
        Renderer {
            theme,
            graph,
            config,
            site: SiteView::new(config, &theme.strings),
            site_json: OnceLock::new(),
            date_display: (0..n).map(|_| OnceLock::new()).collect(),
            feed_content: (0..n).map(|_| OnceLock::new()).collect(),
            card_html: (0..n).map(|_| OnceLock::new()).collect(),
            author_html: (0..graph.author_count()).map(|_| OnceLock::new()).collect(),
            citation_files: (0..n).map(|_| Mutex::default()).collect(),
            header_html: Mutex::default(),
            footer_html: OnceLock::new(),
            images,
            words,
            search: OnceLock::new(),
            tracking: false,
        }
    }

    /// A renderer with the search index already made (it is a function
    /// of every article's record and body, the authors, topics and years).
    pub fn with_search(self, index: Arc<SearchIndex>) -> Self {
        let _ = self.search.set(index);
        self
    }

    /// A renderer whose pages and cards note the records they read, for
    /// `render_page`.
    pub fn tracked(mut self) -> Self {
        self.tracking = true;
        self
    }

    /// A scope that notes nothing, for work outside any page.
    pub fn untracked(&'a self) -> Scope<'a> {
        Scope {
            shared: self,
            log: None,
        }
    }

    /// Every page of the site, in a fixed order. Listing the search
    /// index's term chunks builds the index.
    pub fn pages(&'a self) -> Vec<Page> {
        self.untracked().pages()
    }

    /// Every page but the search index's term chunks.
    pub fn pages_before_index(&'a self) -> Vec<Page> {
        self.untracked().pages_before_index()
    }

    /// The search index's term chunks; builds the index.
    pub fn term_pages(&'a self) -> Vec<Page> {
        self.untracked().term_pages()
    }

    /// Where the page goes under the output folder.
    pub fn output_path(&'a self, page: Page) -> String {
        self.untracked().output_path(page)
    }

    /// Renders one page, noting the records it reads (its path's included).
    pub fn render_page(&'a self, page: Page) -> RenderedPage {
        debug_assert!(self.tracking, "a renderer made with `tracked`");
        let log = ReadLog::default();
        let scope = Scope {
            shared: self,
            log: Some(&log),
        };
        let path = scope.output_path(page);
        let text = scope.render(page);
        if let Some(template) = page.template() {
            log.note(Key::Template(template));
        }
        RenderedPage {
            path,
            text,
            reads: log.into_keys(),
        }
    }

    /// Renders one page to its bytes.
    pub fn render(&'a self, page: Page) -> Result<String> {
        self.untracked().render(page)
    }
}
