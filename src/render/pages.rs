//! Every page of the site as a value (`Page`), and rendering one page.
//! Listing the pages first lets the build render them in parallel, and
//! lets a preview server re-render just the ones an edit touches.

use super::article_view::{ArticleView, AuthorView};
use super::feeds;
use super::i18n::Strings;
use super::page_data::{
    ArchiveData, ArticleData, AuthorData, AuthorsData, CardCtx, Empty, Listing, RedirectData, TopicData, TopicView,
    TopicsData, YearData, YearLink,
};
use super::templates::{template_problem, Theme};
use super::views::{ArticleCard, ListItem, PageMeta, Paginator, SiteView};
use crate::config::SiteConfig;
use crate::diag::Diagnostic;
use crate::graph::SiteGraph;
use anyhow::{anyhow, Result};
use serde::Serialize;

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
}

impl Page {
    /// The template the page is rendered with; robots.txt has none.
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
            Page::Robots => return None,
        })
    }
}

/// Renders pages of one site with one set of templates.
pub struct Renderer<'a> {
    pub theme: &'a Theme,
    pub graph: &'a SiteGraph,
    pub config: &'a SiteConfig,
    pub site: SiteView<'a>,
    /// Each article's date for readers, in the site's language.
    date_display: Vec<String>,
    /// Each article's HTML with absolute links, made once for all the feeds it is in.
    feed_content: Vec<std::sync::OnceLock<String>>,
    /// Each article's card, rendered by `card.html` once for every listing.
    card_html: Vec<std::sync::OnceLock<Result<String, Diagnostic>>>,
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
        Renderer {
            theme,
            graph,
            config,
            site: SiteView::new(config, &theme.strings),
            date_display: graph.dates.iter().map(|(iso, _)| theme.strings.date(iso)).collect(),
            feed_content,
            card_html: (0..graph.articles.len()).map(|_| std::sync::OnceLock::new()).collect(),
        }
    }

    /// Every page of the site, in a fixed order.
    pub fn pages(&self) -> Vec<Page> {
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
        ];
        pages.extend((1..=page_count(g.articles.len(), per)).map(Page::Home));
        pages.extend((0..g.articles.len()).map(Page::Article));
        for (au, list) in g.author_articles.iter().enumerate() {
            pages.extend((1..=page_count(list.len(), per)).map(|n| Page::Author(au, n)));
            pages.push(Page::AuthorFeed(au));
        }
        for (t, list) in g.topic_articles.iter().enumerate() {
            pages.extend((1..=page_count(list.len(), per)).map(|n| Page::Topic(t, n)));
            pages.push(Page::TopicFeed(t));
        }
        pages.extend((0..g.years.len()).map(Page::Year));
        for (id, a) in g.articles.iter().enumerate() {
            pages.extend((0..a.aliases.len()).map(|i| Page::Redirect(id, i)));
        }
        pages
    }

    /// The page's URL path, with the base path (`/commentary/articles/x/`).
    pub fn url(&self, page: Page) -> String {
        let g = self.graph;
        let base = &g.base_path;
        let paged = |first: String, n: usize| if n == 1 { first } else { format!("{first}page/{n}/") };
        match page {
            Page::Home(n) => paged(base.clone(), n),
            Page::Article(id) => g.urls[id].clone(),
            Page::Authors => format!("{base}authors/"),
            Page::Author(au, n) => paged(format!("{base}authors/{}/", g.authors[au].slug), n),
            Page::AuthorFeed(au) => format!("{base}authors/{}/feed.xml", g.authors[au].slug),
            Page::Topics => format!("{base}topics/"),
            Page::Topic(t, n) => paged(g.topic_urls[t].clone(), n),
            Page::TopicFeed(t) => format!("{}feed.xml", g.topic_urls[t].clone()),
            Page::Archive => format!("{base}archive/"),
            Page::Year(y) => format!("{base}archive/{}/", g.years[y].0),
            Page::Redirect(id, i) => format!("{base}{}", g.articles[id].aliases[i].trim_start_matches('/')),
            Page::SiteFeed => format!("{base}feed.xml"),
            Page::Sitemap => format!("{base}sitemap.xml"),
            Page::Robots => format!("{base}robots.txt"),
            Page::NotFound => format!("{base}404.html"),
        }
    }

    /// Where the page goes under the output folder (`articles/x/index.html`).
    pub fn output_path(&self, page: Page) -> String {
        let url = self.url(page);
        let path = url.strip_prefix(self.graph.base_path.as_str()).unwrap_or(&url);
        if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else if matches!(page, Page::Redirect(..)) && !path.rsplit('/').next().unwrap_or("").contains('.') {
            format!("{path}/index.html")
        } else {
            path.to_string()
        }
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
                let cards = [self.cards(&g.links.backlinks[id])?, self.cards(&g.links.related[id])?];
                let article = ArticleView::new(g, id, self.config.absolute(&g.urls[id]), &self.theme.strings, cards);
                let title = article.title.to_string();
                self.html(page, title, "", &ArticleData { article })
            }
            Page::Authors => {
                let authors: Vec<AuthorView<'_>> = (0..g.authors.len()).map(|au| AuthorView::new(g, au)).collect();
                self.html(page, self.text("authors", &[]), "authors", &AuthorsData { authors })
            }
            Page::Author(au, n) => {
                let list = &g.author_articles[au];
                let author = AuthorView::new(g, au);
                let paginator = Paginator::new(author.url, n, page_count(list.len(), per), list.len());
                let title = self.paged_title(&g.authors[au].name, n);
                let articles = self.cards(chunk(list, n, per))?;
                self.html(
                    page,
                    title,
                    "authors",
                    &AuthorData {
                        author,
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

    fn html<T: Serialize>(&self, page: Page, title: String, section: &'static str, data: &T) -> Result<String> {
        let url = self.url(page);
        let feed_url = match page {
            Page::Home(_) => Some(self.site.feed_url.clone()),
            Page::Author(au, _) => Some(self.url(Page::AuthorFeed(au))),
            Page::Topic(t, _) => Some(self.url(Page::TopicFeed(t))),
            _ => None,
        };
        let meta = PageMeta {
            description: self.description(page),
            permalink: self.config.absolute(&url),
            url,
            title,
            section,
            feed_url,
            kind: kind_name(page),
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

fn kind_name(page: Page) -> &'static str {
    match page {
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
        _ => "file",
    }
}
