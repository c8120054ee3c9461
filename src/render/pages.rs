//! Rendering one page of the site, and the list of every page, in a
//! page's `Scope`.

use super::article_view::{ArticleView, AuthorView};
use super::feeds;
use super::i18n::Strings;
use super::page::{CiteFormat, Page, SearchFile};
use super::page_data::{
    ArchiveData, ArticleData, AuthorData, AuthorsData, Empty, Listing, RedirectData, TopicData, TopicView, TopicsData,
    YearData, YearLink,
};
use super::renderer::{Renderer, Scope};
use super::views::Paginator;
use crate::graph::{Key, Reader};
use anyhow::Result;

/// Number of pages needed for `items` at `per_page` (at least one).
pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page).max(1)
}

fn chunk(ids: &[usize], n: usize, per_page: usize) -> &[usize] {
    let start = ((n - 1) * per_page).min(ids.len());
    &ids[start..(start + per_page).min(ids.len())]
}

impl<'a> Scope<'a> {
    /// What every page of the snapshot shares.
    pub(super) fn shared(&self) -> &'a Renderer<'a> {
        self.shared
    }

    /// The graph, each read noted in this page's log.
    pub fn g(&self) -> Reader<'a> {
        Reader::new(self.shared.graph, self.log)
    }

    /// Article `id`'s date for readers, in the site's language.
    pub(super) fn date_display(&self, id: usize) -> &'a str {
        let (iso, _) = self.g().date(id);
        let strings = self.strings();
        self.shared.date_display[id].get_or_init(|| strings.date(iso))
    }

    /// The theme strings of the site's language.
    pub fn strings(&self) -> &'a Strings {
        self.g().note(Key::Strings);
        &self.shared.theme.strings
    }

    /// The size of a local image.
    pub fn image_size(&self, src: &str) -> Option<super::images::Size> {
        self.g().note(Key::Image(src.trim_start_matches('/').into()));
        self.shared.images.size(src)
    }

    /// Every page of the site, in a fixed order.
    pub fn pages(&self) -> Vec<Page> {
        self.list_pages(true, true)
    }

    /// Every page but the search index's term chunks (how many there are is
    /// known only once the index is built): these can be listed, and
    /// rendered, while the index is built, apart from its manifest and
    /// filter data.
    pub fn pages_before_index(&self) -> Vec<Page> {
        self.list_pages(true, false)
    }

    /// The search index's term chunks; builds the index.
    pub fn term_pages(&self) -> Vec<Page> {
        match self.config.search {
            true => (0..self.search_index().chunks.len())
                .map(|n| Page::SearchData(SearchFile::Terms(n)))
                .collect(),
            false => Vec::new(),
        }
    }

    /// The pages for search engines (the sitemap's), in the same order.
    pub(super) fn indexable_pages(&self) -> Vec<Page> {
        self.list_pages(false, false)
    }

    /// The site's pages in a fixed order; `all` adds those that are not
    /// `indexable` (feeds, citations, the search index, redirects...), and
    /// `with_terms` the search index's term chunks (which builds the index).
    fn list_pages(&self, all: bool, with_terms: bool) -> Vec<Page> {
        let g = self.g();
        let per = self.config.paginate;
        let mut pages = Vec::new();
        if all {
            pages.extend([Page::SiteFeed, Page::Sitemap, Page::Robots, Page::NotFound]);
        }
        pages.extend([Page::Authors, Page::Topics, Page::Archive]);
        if all {
            pages.push(Page::SiteJsonFeed);
        }
        let articles = g.article_count();
        pages.extend((1..=page_count(articles, per)).map(Page::Home));
        for id in 0..articles {
            pages.push(Page::Article(id));
            if all {
                pages.push(Page::Citation(id, CiteFormat::Bib));
                pages.push(Page::Citation(id, CiteFormat::Ris));
            }
        }
        for au in 0..g.authors().len() {
            let count = g.author_articles(au).len();
            pages.extend((1..=page_count(count, per)).map(|n| Page::Author(au, n)));
            if all {
                pages.extend([Page::AuthorFeed(au), Page::AuthorJsonFeed(au)]);
            }
        }
        for t in 0..g.topics().len() {
            let count = g.topic_articles(t).len();
            pages.extend((1..=page_count(count, per)).map(|n| Page::Topic(t, n)));
            if all {
                pages.extend([Page::TopicFeed(t), Page::TopicJsonFeed(t)]);
            }
        }
        pages.extend((0..g.series().len()).map(Page::Series));
        if all && self.config.search {
            pages.extend([
                Page::Search,
                Page::SearchData(SearchFile::Manifest),
                Page::SearchData(SearchFile::Docs),
            ]);
            if with_terms {
                pages.extend(self.term_pages());
            }
            pages.extend((0..articles).map(|id| Page::SearchData(SearchFile::Fragment(id))));
        }
        pages.extend((0..g.years().len()).map(Page::Year));
        if all {
            for id in 0..articles {
                pages.extend((0..g.article(id).aliases.len()).map(|i| Page::Redirect(id, i)));
            }
        }
        pages
    }

    /// Renders one page to its bytes.
    pub fn render(&self, page: Page) -> Result<String> {
        let g = self.g();
        let per = self.config.paginate;
        match page {
            Page::Home(n) => {
                let ids: Vec<usize> = (0..g.article_count()).collect();
                let articles = self.cards(chunk(&ids, n, per))?;
                let paginator = Paginator::new(g.base_path(), n, page_count(ids.len(), per), ids.len());
                let title = if n == 1 {
                    self.config.title.clone()
                } else {
                    self.text("latest_title", &[("n", n.to_string())])
                };
                self.html(page, title, "home", &Listing { articles, paginator })
            }
            Page::Article(id) => {
                let cards = [self.cards(g.backlinks(id))?, self.cards(&self.related(id))?];
                let blocks = g.article_authors(id).iter().map(|&au| self.author_html(au));
                let mut article = ArticleView::new(self, id, cards, blocks.collect::<Result<_>>()?);
                let title = article.title.to_string();
                // The body is moved into the context, not copied by serializing it.
                let body = std::mem::take(&mut article.html);
                self.html_then(page, title, "", &ArticleData { article }, |context| {
                    context["article"]["html"] = body.into();
                })
            }
            Page::Authors => {
                let authors: Vec<AuthorView<'_>> = (0..g.authors().len()).map(|au| AuthorView::new(self, au)).collect();
                self.html(page, self.text("authors", &[]), "authors", &AuthorsData { authors })
            }
            Page::Author(au, n) => {
                let list = &g.author_articles(au);
                let author = AuthorView::new(self, au);
                let person = super::structured::script_json(&super::article_view::person(self, au).to_page_json());
                let paginator = Paginator::new(author.url, n, page_count(list.len(), per), list.len());
                let title = self.paged_title(&g.author(au).name, n);
                let articles = self.cards(chunk(list, n, per))?;
                self.html(
                    page,
                    title,
                    "authors",
                    &AuthorData {
                        author,
                        person_json_ld: person,
                        articles,
                        paginator,
                    },
                )
            }
            Page::Topics => {
                let topics: Vec<TopicView<'_>> = (0..g.topics().len()).map(|t| TopicView::new(g, t)).collect();
                self.html(page, self.text("topics", &[]), "topics", &TopicsData { topics })
            }
            Page::Topic(t, n) => {
                let list = &g.topic_articles(t);
                let topic = TopicView::new(g, t);
                let paginator = Paginator::new(&topic.url, n, page_count(list.len(), per), list.len());
                let title = self.paged_title(&g.topic(t).name, n);
                let articles = self.cards(chunk(list, n, per))?;
                self.html(
                    page,
                    title,
                    "topics",
                    &TopicData {
                        topic,
                        articles,
                        paginator,
                    },
                )
            }
            Page::Archive => {
                let years = self.year_links();
                self.html(page, self.text("archive", &[]), "archive", &ArchiveData { years })
            }
            Page::Year(y) => {
                let (year, ids) = &g.years()[y];
                let data = YearData {
                    year: *year,
                    articles: self.cards(ids)?,
                    years: self.year_links(),
                };
                self.html(
                    page,
                    self.text("year_title", &[("year", year.to_string())]),
                    "archive",
                    &data,
                )
            }
            Page::NotFound => self.html(page, self.text("not_found", &[]), "", &Empty {}),
            Page::Redirect(id, _) => {
                let data = RedirectData {
                    target_url: self.config.absolute(g.url(id)),
                    target_title: &g.article(id).title,
                };
                self.html(page, g.article(id).title.clone(), "", &data)
            }
            Page::SiteFeed => feeds::render_feed(self, page, None),
            Page::AuthorFeed(au) => feeds::render_feed(self, page, Some(feeds::FeedOf::Author(au))),
            Page::TopicFeed(t) => feeds::render_feed(self, page, Some(feeds::FeedOf::Topic(t))),
            Page::Sitemap => feeds::render_sitemap(self),
            Page::SiteJsonFeed
            | Page::AuthorJsonFeed(_)
            | Page::TopicJsonFeed(_)
            | Page::Citation(..)
            | Page::Series(_)
            | Page::Search
            | Page::SearchData(_) => self.render_reader_page(page),
            Page::Robots => Ok(format!(
                "User-agent: *\nAllow: /\n\nSitemap: {}\n",
                self.config.absolute(&self.url(Page::Sitemap))
            )),
        }
    }

    /// Article `id`'s HTML for feeds, with absolute links.
    pub fn feed_content(&self, id: usize) -> &'a str {
        let html = self.g().body_html(id);
        self.shared.feed_content[id].get_or_init(|| feeds::absolute_links(html, &self.config.absolute("")))
    }

    fn year_links(&self) -> Vec<YearLink> {
        self.g()
            .years()
            .iter()
            .enumerate()
            .map(|(y, (year, ids))| YearLink {
                year: *year,
                url: self.url(Page::Year(y)),
                count: ids.len(),
            })
            .collect()
    }

    /// A theme string of the site's language, filled with `values`.
    pub(super) fn text(&self, key: &str, values: &[(&str, String)]) -> String {
        self.strings().text(key, values)
    }

    fn paged_title(&self, name: &str, n: usize) -> String {
        if n == 1 {
            name.to_string()
        } else {
            self.text("paged_title", &[("name", name.to_string()), ("n", n.to_string())])
        }
    }
}
