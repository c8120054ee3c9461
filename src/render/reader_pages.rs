//! The pages that serve readers beyond the archive's listings: JSON Feed,
//! citation files, series, the search page and its index; and what article
//! pages need for them (word counts, sized images, absolute asset URLs).

use super::feeds::FeedOf;
use super::page::{CiteFormat, Page, SearchFile};
use super::page_data::{SearchData, SeriesData};
use super::renderer::Scope;
use super::search::SearchIndex;
use crate::graph::Key;
use anyhow::Result;

impl<'a> Scope<'a> {
    /// Renders a JSON Feed, citation file, series page, the search page or
    /// a file of the search index.
    pub(super) fn render_reader_page(&self, page: Page) -> Result<String> {
        let g = self.g();
        match page {
            Page::SiteJsonFeed => super::json_feed::render_json_feed(self, page, None),
            Page::AuthorJsonFeed(au) => super::json_feed::render_json_feed(self, page, Some(FeedOf::Author(au))),
            Page::TopicJsonFeed(t) => super::json_feed::render_json_feed(self, page, Some(FeedOf::Topic(t))),
            Page::Citation(id, format) => Ok(self.citation_file(id, format)),
            Page::Series(s) => {
                let group = &g.series()[s];
                let data = SeriesData {
                    name: &group.name,
                    parts: self.cards(&group.parts)?,
                };
                self.html(page, group.name.clone(), "", &data)
            }
            Page::Search => self.html(page, "Search".into(), "", &SearchData::new(self)),
            Page::SearchData(SearchFile::Fragment(id)) => {
                Ok(super::search::render_fragment(g, id, self.date_display(id)))
            }
            Page::SearchData(file) => Ok(self.search_file(file).to_string()),
            _ => Err(anyhow::anyhow!("{page:?} is rendered by Renderer::render")),
        }
    }

    /// Article `id`'s `.bib` or `.ris` file: the text its page made when
    /// the page came first (each is about as costly as the page's other
    /// citations together), else made here.
    fn citation_file(&self, id: usize, format: CiteFormat) -> String {
        let left = (!self.tracking).then(|| {
            let mut slot = self.citation_files[id].lock().unwrap_or_else(|e| e.into_inner());
            slot.0 = true;
            slot.1[format as usize].take()
        });
        left.flatten()
            .unwrap_or_else(|| super::article_view::citation_file(self, id, format))
    }

    /// Leaves article `id`'s `.bib` and `.ris` texts for its files, unless
    /// one of them came first.
    pub(super) fn leave_citation_files(&self, id: usize, bib: &str, ris: &str) {
        if self.tracking {
            return;
        }
        let mut slot = self.citation_files[id].lock().unwrap_or_else(|e| e.into_inner());
        if !slot.0 {
            *slot = (true, [Some(bib.to_string()), Some(ris.to_string())]);
        }
    }

    /// Words in article `id`'s body.
    pub fn word_count(&self, id: usize) -> usize {
        let g = self.g();
        self.words.get_or_count(g.body_hash(id), g.body_html(id))
    }

    /// Article `id`'s body with its images sized and loaded lazily.
    pub fn body_html(&self, id: usize) -> String {
        super::images::size_body_images(self.g().body_html(id), &|p| self.image_size(p), self.g().base_path())
    }

    /// The absolute URL of a local asset path (`/images/x.svg`), or the URL itself.
    pub fn absolute_asset(&self, src: &str) -> String {
        self.config.absolute(&super::article_view::asset_url(self.g(), src))
    }

    /// The search index, built once; it reads every article.
    pub fn search_index(&self) -> &'a SearchIndex {
        let everything = self.g().everything();
        let words = self.words;
        self.shared()
            .search
            .get_or_init(|| std::sync::Arc::new(super::search::SearchIndex::build(everything, words)))
    }

    /// A file of the search index (not a fragment). A page showing it
    /// reads that file's record: the index is made once for all of them.
    fn search_file(&self, file: SearchFile) -> &'a str {
        let index = self.shared().search.get_or_init(|| {
            let everything = self.g().everything();
            std::sync::Arc::new(super::search::SearchIndex::build(everything, self.words))
        });
        let (n, text) = match file {
            SearchFile::Manifest => (0, index.manifest.as_str()),
            SearchFile::Docs => (1, index.docs.as_str()),
            SearchFile::Terms(n) => (2 + n, &*index.chunks[n]),
            SearchFile::Fragment(_) => (usize::MAX, index.docs.as_str()),
        };
        self.g().note(Key::SearchFile(n));
        text
    }

    /// Article `id`'s related articles, less those its series navigation and
    /// "Referenced by" already list.
    pub(super) fn related(&self, id: usize) -> Vec<usize> {
        let g = self.g();
        let series = g.series_pos(id).map_or(&[][..], |s| &s.parts[..]);
        g.related(id)
            .iter()
            .copied()
            .filter(|r| !g.backlinks(id).contains(r) && !series.contains(r))
            .collect()
    }
}
