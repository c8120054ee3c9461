//! Rendering one page of the site, and the list of every page.

use super::article_view::{ArticleView, AuthorView};
use super::feeds;
use super::i18n::Strings;
use super::images::ImageSizes;
use super::page::{CiteFormat, Page, SearchFile};
use super::page_data::{
    ArchiveData, ArticleData, AuthorData, AuthorsData, CardCtx, Empty, Listing, RedirectData, TopicData, TopicView,
    TopicsData, YearData, YearLink,
};
use super::search::SearchIndex;
use super::series::{series_groups, SeriesGroup};
use super::templates::{template_problem, Theme};
use super::views::{ArticleCard, ListItem, PageMeta, Paginator, SiteView};
use crate::config::SiteConfig;
use crate::diag::Diagnostic;
use crate::graph::SiteGraph;
use anyhow::{anyhow, Result};
use serde::Serialize;
use std::sync::OnceLock;

/// Renders pages of one site with one set of templates.
pub struct Renderer<'a> {
    pub theme: &'a Theme,
    pub graph: &'a SiteGraph,
    pub config: &'a SiteConfig,
    pub site: SiteView<'a>,
    /// Each article's date for readers, in the site's language.
    pub(super) date_display: Vec<String>,
    /// Each article's HTML with absolute links, made once for all the feeds it is in.
    feed_content: Vec<std::sync::OnceLock<String>>,
    /// Each article's card, rendered by `card.html` once for every listing.
    card_html: Vec<std::sync::OnceLock<Result<String, Diagnostic>>>,
    /// Every article id, newest first.
    pub(super) all_ids: Vec<usize>,
    /// The site's series, by name.
    pub series: Vec<SeriesGroup>,
    /// Each article's series, by index into `series`.
    pub(super) series_of: Vec<Option<usize>>,
    /// Sizes of the site's images.
    pub images: ImageSizes,
    /// Each article's word count, counted once.
    pub(super) words: Vec<OnceLock<usize>>,
    pub(super) search: OnceLock<SearchIndex>,
}

#[derive(Serialize)]
struct Ctx<'a, T: Serialize> {
    site: &'a SiteView<'a>,
    strings: &'a Strings,
    page: PageMeta,
    #[serde(flatten)]
    data: T,
}

/// Number of pages needed for `items` at `per_page` (at least one).
pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page).max(1)
}

fn chunk(ids: &[usize], n: usize, per_page: usize) -> &[usize] {
    let start = ((n - 1) * per_page).min(ids.len());
    &ids[start..(start + per_page).min(ids.len())]
}

impl<'a> Renderer<'a> {
    pub fn new(theme: &'a Theme, graph: &'a SiteGraph, config: &'a SiteConfig) -> Self {
        let feed_content = (0..graph.articles.len()).map(|_| std::sync::OnceLock::new()).collect();
        let (series, series_of) = series_groups(graph);
        Renderer {
            theme,
            graph,
            config,
            site: SiteView::new(config, &theme.strings),
            date_display: graph.dates.iter().map(|(iso, _)| theme.strings.date(iso)).collect(),
            feed_content,
            card_html: (0..graph.articles.len()).map(|_| std::sync::OnceLock::new()).collect(),
            all_ids: (0..graph.articles.len()).collect(),
            series,
            series_of,
            images: ImageSizes::default(),
            words: (0..graph.articles.len()).map(|_| OnceLock::new()).collect(),
            search: OnceLock::new(),
        }
    }

    /// Reads image sizes from the site folder `root` (its `static/`).
    pub fn with_static_root(mut self, root: &std::path::Path) -> Self {
        self.images = ImageSizes::new(Some(root.to_path_buf()));
        self
    }

    /// Every page of the site, in a fixed order. Listing the search index's
    /// term chunks builds the index.
    pub fn pages(&self) -> Vec<Page> {
        self.list_pages(true)
    }

    /// Every page but the search index's term chunks (how many there are is
    /// known only once the index is built): these can be listed, and
    /// rendered, while the index is built, apart from its manifest and
    /// filter data.
    pub fn pages_before_index(&self) -> Vec<Page> {
        self.list_pages(false)
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

    fn list_pages(&self, with_terms: bool) -> Vec<Page> {
        let g = self.graph;
        let per = self.config.paginate;
        let mut pages = vec![
            Page::SiteFeed,
            Page::Sitemap,
            Page::Robots,
            Page::NotFound,
            Page::Authors,
            Page::Topics,
            Page::Archive,
            Page::SiteJsonFeed,
        ];
        pages.extend((1..=page_count(g.articles.len(), per)).map(Page::Home));
        for id in 0..g.articles.len() {
            pages.push(Page::Article(id));
            pages.push(Page::Citation(id, CiteFormat::Bib));
            pages.push(Page::Citation(id, CiteFormat::Ris));
        }
        for (au, list) in g.author_articles.iter().enumerate() {
            pages.extend((1..=page_count(list.len(), per)).map(|n| Page::Author(au, n)));
            pages.push(Page::AuthorFeed(au));
            pages.push(Page::AuthorJsonFeed(au));
        }
        for (t, list) in g.topic_articles.iter().enumerate() {
            pages.extend((1..=page_count(list.len(), per)).map(|n| Page::Topic(t, n)));
            pages.push(Page::TopicFeed(t));
            pages.push(Page::TopicJsonFeed(t));
        }
        pages.extend((0..self.series.len()).map(Page::Series));
        if self.config.search {
            pages.extend([
                Page::Search,
                Page::SearchData(SearchFile::Manifest),
                Page::SearchData(SearchFile::Docs),
            ]);
            if with_terms {
                pages.extend(self.term_pages());
            }
            pages.extend((0..g.articles.len()).map(|id| Page::SearchData(SearchFile::Fragment(id))));
        }
        pages.extend((0..g.years.len()).map(Page::Year));
        for (id, a) in g.articles.iter().enumerate() {
            pages.extend((0..a.aliases.len()).map(|i| Page::Redirect(id, i)));
        }
        pages
    }

    /// Renders one page to its bytes.
    pub fn render(&self, page: Page) -> Result<String> {
        let g = self.graph;
        let per = self.config.paginate;
        match page {
            Page::Home(n) => {
                let ids: Vec<usize> = (0..g.articles.len()).collect();
                let articles = self.cards(chunk(&ids, n, per))?;
                let paginator = Paginator::new(&g.base_path, n, page_count(ids.len(), per), ids.len());
                let title = if n == 1 {
                    self.config.title.clone()
                } else {
                    self.text("latest_title", &[("n", n.to_string())])
                };
                self.html(page, title, "home", &Listing { articles, paginator })
            }
            Page::Article(id) => {
                let cards = [self.cards(&g.links.backlinks[id])?, self.cards(&self.related(id))?];
                let article = ArticleView::new(self, id, cards);
                let title = article.title.to_string();
                self.html(page, title, "", &ArticleData { article })
            }
            Page::Authors => {
                let authors: Vec<AuthorView<'_>> = (0..g.authors.len()).map(|au| AuthorView::new(self, au)).collect();
                self.html(page, self.text("authors", &[]), "authors", &AuthorsData { authors })
            }
            Page::Author(au, n) => {
                let list = &g.author_articles[au];
                let author = AuthorView::new(self, au);
                let person = super::structured::script_json(&super::article_view::person(self, au).to_page_json());
                let paginator = Paginator::new(author.url, n, page_count(list.len(), per), list.len());
                let title = self.paged_title(&g.authors[au].name, n);
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
                let topics: Vec<TopicView<'_>> = (0..g.topics.len()).map(|t| TopicView::new(g, t)).collect();
                self.html(page, self.text("topics", &[]), "topics", &TopicsData { topics })
            }
            Page::Topic(t, n) => {
                let list = &g.topic_articles[t];
                let topic = TopicView::new(g, t);
                let paginator = Paginator::new(&topic.url, n, page_count(list.len(), per), list.len());
                let title = self.paged_title(&g.topics[t].name, n);
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
                let (year, ids) = &g.years[y];
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
                    target_url: self.config.absolute(&g.urls[id]),
                    target_title: &g.articles[id].title,
                };
                self.html(page, g.articles[id].title.clone(), "", &data)
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

    /// Cards of the given articles, each rendered by `card.html` once per build.
    pub fn cards(&self, ids: &[usize]) -> Result<Vec<ListItem<'_>>> {
        ids.iter()
            .map(|&id| {
                Ok(ListItem::new(
                    self.graph,
                    id,
                    &self.date_display[id],
                    self.card_html(id)?,
                ))
            })
            .collect()
    }

    fn card_html(&self, id: usize) -> Result<&str> {
        let html = self.card_html[id].get_or_init(|| {
            let card = ArticleCard::new(self.graph, id, &self.date_display[id]);
            let ctx = CardCtx {
                site: &self.site,
                strings: self.theme.strings_for("card.html"),
                card,
            };
            self.render_template("card.html", &ctx)
                .map_err(|e| template_problem(&e, "card.html"))
        });
        html.as_deref().map_err(|problem| anyhow::Error::new(problem.clone()))
    }

    /// Article `id`'s HTML for feeds, with absolute links.
    pub fn feed_content(&self, id: usize) -> &str {
        self.feed_content[id]
            .get_or_init(|| feeds::absolute_links(&self.graph.rendered[id].html, &self.config.absolute("")))
    }

    fn year_links(&self) -> Vec<YearLink> {
        self.graph
            .years
            .iter()
            .enumerate()
            .map(|(y, (year, ids))| YearLink {
                year: *year,
                url: self.url(Page::Year(y)),
                count: ids.len(),
            })
            .collect()
    }

    pub(super) fn html<T: Serialize>(
        &self,
        page: Page,
        title: String,
        section: &'static str,
        data: &T,
    ) -> Result<String> {
        let url = self.url(page);
        let (feed_url, json_feed_url) = match page {
            Page::Home(_) => (Some(self.site.feed_url.clone()), Some(self.url(Page::SiteJsonFeed))),
            Page::Author(au, _) => (
                Some(self.url(Page::AuthorFeed(au))),
                Some(self.url(Page::AuthorJsonFeed(au))),
            ),
            Page::Topic(t, _) => (
                Some(self.url(Page::TopicFeed(t))),
                Some(self.url(Page::TopicJsonFeed(t))),
            ),
            _ => (None, None),
        };
        let permalink = self.config.absolute(&url);
        let canonical = match page {
            Page::Article(id) => self.graph.articles[id].canonical.as_ref().map(|c| c.url().to_string()),
            _ => None,
        };
        let meta = PageMeta {
            description: self.description(page),
            canonical: canonical.unwrap_or_else(|| permalink.clone()),
            permalink,
            url,
            title,
            section,
            feed_url,
            json_feed_url,
            kind: page.kind_name(),
            noindex: page == Page::Search,
        };
        let template = page.template().unwrap_or_default();
        self.render_template(
            template,
            &Ctx {
                site: &self.site,
                strings: self.theme.strings_for(template),
                page: meta,
                data,
            },
        )
    }

    /// Renders a template with any serializable context.
    pub fn render_template<T: Serialize>(&self, template: &str, ctx: &T) -> Result<String> {
        let context = tera::Context::from_serialize(ctx).map_err(|e| anyhow!(super::templates::error_chain(&e)))?;
        self.theme
            .tera
            .render(template, &context)
            .map_err(|e| anyhow::Error::new(self.theme.render_error(template, &e)))
    }

    /// A theme string of the site's language, filled with `values`.
    fn text(&self, key: &str, values: &[(&str, String)]) -> String {
        self.theme.strings.text(key, values)
    }

    fn paged_title(&self, name: &str, n: usize) -> String {
        if n == 1 {
            name.to_string()
        } else {
            self.text("paged_title", &[("name", name.to_string()), ("n", n.to_string())])
        }
    }

    fn description(&self, page: Page) -> String {
        let g = self.graph;
        match page {
            Page::Article(id) => g.summaries[id].clone(),
            Page::Author(au, _) => g.authors[au]
                .role
                .clone()
                .unwrap_or_else(|| self.text("articles_by", &[("name", g.authors[au].name.clone())])),
            Page::Topic(t, _) => g.topics[t]
                .description
                .clone()
                .unwrap_or_else(|| self.text("articles_on", &[("name", g.topics[t].name.clone())])),
            _ => self.config.description.clone(),
        }
    }
}
