//! The article page's view: headline, byline, lead image, body, authors,
//! "Referenced by", related articles and the series.

use super::i18n::Strings;
use super::views::{author_links, LinkView, ListItem};
use crate::graph::SiteGraph;
use serde::Serialize;

/// An article, as `article` on its own page.
#[derive(Serialize)]
pub struct ArticleView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub permalink: String,
    pub kind: &'a str,
    pub slug: &'a str,
    pub date: String,
    pub date_display: String,
    pub updated: Option<String>,
    pub updated_display: Option<String>,
    pub summary: &'a str,
    /// True when the summary came from front matter (a dek), not the body.
    pub has_dek: bool,
    pub byline: Vec<LinkView<'a>>,
    pub authors: Vec<AuthorView<'a>>,
    pub topics: Vec<LinkView<'a>>,
    pub image: Option<ImageView<'a>>,
    pub html: &'a str,
    pub referenced_by: Vec<ListItem<'a>>,
    pub related: Vec<ListItem<'a>>,
    pub series: Option<SeriesView<'a>>,
    pub extra: Option<&'a serde_yaml::Value>,
}

/// An author in full, for author pages and the block under an article.
#[derive(Serialize)]
pub struct AuthorView<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub url: &'a str,
    pub feed_url: String,
    pub role: Option<&'a str>,
    pub affiliation: Option<&'a str>,
    pub bio_html: &'a str,
    pub photo: Option<String>,
    pub links: &'a [crate::content::NamedLink],
    pub article_count: usize,
}

impl<'a> AuthorView<'a> {
    pub fn new(graph: &'a SiteGraph, au: usize) -> Self {
        let a = &graph.authors[au];
        let url = graph.author_urls[au].as_str();
        AuthorView {
            slug: &a.slug,
            name: &a.name,
            feed_url: format!("{url}feed.xml"),
            url,
            role: a.role.as_deref(),
            affiliation: a.affiliation.as_deref(),
            bio_html: &graph.author_bios[au],
            photo: a.photo.as_deref().map(|p| asset_url(graph, p)),
            links: &a.links,
            article_count: graph.author_articles[au].len(),
        }
    }
}

/// A lead photo.
#[derive(Serialize)]
pub struct ImageView<'a> {
    pub src: String,
    pub alt: &'a str,
    pub caption: Option<&'a str>,
    pub credit: Option<&'a str>,
}

/// The article's series, with its neighbours.
#[derive(Serialize)]
pub struct SeriesView<'a> {
    pub name: &'a str,
    pub part: usize,
    pub total: usize,
    pub prev: Option<LinkView<'a>>,
    pub next: Option<LinkView<'a>>,
    pub parts: Vec<SeriesPart<'a>>,
}

/// One part of a series.
#[derive(Serialize)]
pub struct SeriesPart<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub current: bool,
}

/// A local asset path (`/images/x.svg`) as a URL under the base path.
pub(super) fn asset_url(graph: &SiteGraph, src: &str) -> String {
    if crate::content::fields::is_external(src) {
        src.to_string()
    } else {
        format!("{}{}", graph.base_path, src.trim_start_matches('/'))
    }
}

impl<'a> ArticleView<'a> {
    /// Article `id`'s view; `referenced_by` and `related` are its cards, made by the renderer.
    pub fn new(
        graph: &'a SiteGraph,
        id: usize,
        permalink: String,
        strings: &Strings,
        cards: [Vec<ListItem<'a>>; 2],
    ) -> Self {
        let [referenced_by, related] = cards;
        let a = &graph.articles[id];
        let link = |other: usize| LinkView {
            name: &graph.articles[other].title,
            url: &graph.urls[other],
        };
        let series = graph.links.series[id].as_ref().map(|s| SeriesView {
            name: &s.name,
            part: s.part,
            total: s.parts.len(),
            prev: (s.part > 1).then(|| link(s.parts[s.part - 2])),
            next: s.parts.get(s.part).map(|&n| link(n)),
            parts: s
                .parts
                .iter()
                .map(|&p| SeriesPart {
                    title: &graph.articles[p].title,
                    url: &graph.urls[p],
                    current: p == id,
                })
                .collect(),
        });
        ArticleView {
            title: &a.title,
            url: &graph.urls[id],
            permalink,
            kind: &a.kind,
            slug: &a.slug,
            date: graph.dates[id].0.clone(),
            date_display: strings.date(&graph.dates[id].0),
            updated: a.updated.map(|u| u.machine()),
            updated_display: a.updated.map(|u| strings.date(&u.iso_day())),
            summary: &graph.summaries[id],
            has_dek: a.summary.is_some(),
            byline: author_links(graph, id),
            authors: graph.article_authors[id]
                .iter()
                .map(|&au| AuthorView::new(graph, au))
                .collect(),
            topics: graph.article_topics[id]
                .iter()
                .map(|&t| LinkView {
                    name: &graph.topics[t].name,
                    url: &graph.topic_urls[t],
                })
                .collect(),
            image: a.image.as_ref().map(|img| ImageView {
                src: asset_url(graph, &img.src),
                alt: img.alt.as_deref().unwrap_or(""),
                caption: img.caption.as_deref(),
                credit: img.credit.as_deref(),
            }),
            html: &graph.rendered[id].html,
            referenced_by,
            related,
            series,
            extra: a.extra.as_ref(),
        }
    }
}
