//! What each kind of page hands its template, besides `site` and `page`.

use super::article_view::{ArticleView, AuthorView};
use super::i18n::Strings;
use super::views::{ArticleCard, LinkView, ListItem, Paginator, SiteView};
use crate::graph::Reader;
use serde::Serialize;

#[derive(Serialize)]
pub(super) struct Empty {}

#[derive(Serialize)]
pub(super) struct CardCtx<'a> {
    /// Left out when `card.html` cannot print it (it is made for every article).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) site: Option<&'a SiteView<'a>>,
    pub(super) strings: &'a Strings,
    pub(super) card: ArticleCard<'a>,
}

#[derive(Serialize)]
pub(super) struct Listing<'a> {
    pub(super) articles: Vec<ListItem<'a>>,
    pub(super) paginator: Paginator,
}

#[derive(Serialize)]
pub(super) struct ArticleData<'a> {
    pub(super) article: ArticleView<'a>,
}

#[derive(Serialize)]
pub(super) struct AuthorsData<'a> {
    pub(super) authors: Vec<AuthorView<'a>>,
}

#[derive(Serialize)]
pub(super) struct AuthorData<'a> {
    pub(super) author: AuthorView<'a>,
    /// The author as schema.org `Person` JSON-LD.
    pub(super) person_json_ld: String,
    pub(super) articles: Vec<ListItem<'a>>,
    pub(super) paginator: Paginator,
}

/// A topic, as `topic` on its page and in the topics index.
#[derive(Serialize)]
pub(super) struct TopicView<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub url: String,
    pub feed_url: String,
    pub json_feed_url: String,
    /// Articles on the topic and its subtopics.
    pub count: usize,
    /// The broader topic.
    pub parent: Option<LinkView<'a>>,
    /// Its subtopics.
    pub children: Vec<LinkView<'a>>,
}

impl<'a> TopicView<'a> {
    pub(super) fn new(g: Reader<'a>, t: usize) -> Self {
        let topic = &g.topic(t);
        let url = g.topic_url(t).to_string();
        let link = |t: usize| LinkView {
            name: &g.topic(t).name,
            url: g.topic_url(t),
        };
        TopicView {
            slug: &topic.slug,
            name: &topic.name,
            description: topic.description.as_deref(),
            feed_url: format!("{url}feed.xml"),
            json_feed_url: format!("{url}feed.json"),
            url,
            count: g.topic_articles(t).len(),
            parent: topic.parent.map(link),
            children: (0..g.topics().len())
                .filter(|&c| g.topic(c).parent == Some(t))
                .map(link)
                .collect(),
        }
    }
}

#[derive(Serialize)]
pub(super) struct TopicsData<'a> {
    pub(super) topics: Vec<TopicView<'a>>,
}

#[derive(Serialize)]
pub(super) struct TopicData<'a> {
    pub(super) topic: TopicView<'a>,
    pub(super) articles: Vec<ListItem<'a>>,
    pub(super) paginator: Paginator,
}

#[derive(Serialize)]
pub(super) struct YearLink {
    pub(super) year: i32,
    pub(super) url: String,
    pub(super) count: usize,
}

#[derive(Serialize)]
pub(super) struct ArchiveData {
    pub(super) years: Vec<YearLink>,
}

#[derive(Serialize)]
pub(super) struct YearData<'a> {
    pub(super) year: i32,
    pub(super) articles: Vec<ListItem<'a>>,
    pub(super) years: Vec<YearLink>,
}

#[derive(Serialize)]
pub(super) struct RedirectData<'a> {
    pub(super) target_url: String,
    pub(super) target_title: &'a str,
}

#[derive(Serialize)]
pub(super) struct SeriesData<'a> {
    pub(super) name: &'a str,
    /// The parts as cards, in reading order.
    pub(super) parts: Vec<ListItem<'a>>,
}

/// A filter of the search page: its values as `{value, name}`.
#[derive(Serialize)]
pub(super) struct FilterOption {
    pub(super) value: String,
    pub(super) name: String,
}

fn option(value: &str, name: &str) -> FilterOption {
    FilterOption {
        value: value.to_string(),
        name: name.to_string(),
    }
}

/// The search page's filters, for the form to list without JavaScript.
#[derive(Serialize)]
pub(super) struct SearchData {
    pub(super) search: SearchForm,
}

#[derive(Serialize)]
pub(super) struct SearchForm {
    /// URL path of the folder holding the index files.
    pub(super) index_url: String,
    pub(super) script_url: String,
    pub(super) topics: Vec<FilterOption>,
    pub(super) authors: Vec<FilterOption>,
    pub(super) types: Vec<FilterOption>,
    pub(super) years: Vec<FilterOption>,
}

impl SearchData {
    pub(super) fn new(r: &super::renderer::Scope<'_>) -> Self {
        let g = r.g();
        let mut types: Vec<&str> = (0..g.article_count()).map(|id| g.article(id).kind.as_str()).collect();
        types.sort_unstable();
        types.dedup();
        let base = &g.base_path();
        SearchData {
            search: SearchForm {
                index_url: format!("{base}search/"),
                script_url: format!("{base}search.js"),
                topics: g.topics().iter().map(|t| option(&t.slug, &t.name)).collect(),
                authors: g.authors().iter().map(|a| option(&a.slug, &a.name)).collect(),
                types: types.into_iter().map(|k| option(k, k)).collect(),
                years: g
                    .years()
                    .iter()
                    .map(|(y, _)| option(&y.to_string(), &y.to_string()))
                    .collect(),
            },
        }
    }
}
