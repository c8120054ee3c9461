//! What each kind of page hands its template, besides `site` and `page`.

use super::article_view::{ArticleView, AuthorView};
use super::i18n::Strings;
use super::views::{ArticleCard, ListItem, Paginator, SiteView};
use crate::graph::SiteGraph;
use serde::Serialize;

#[derive(Serialize)]
pub(super) struct Empty {}

#[derive(Serialize)]
pub(super) struct CardCtx<'a> {
    pub(super) site: &'a SiteView<'a>,
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
    pub count: usize,
}

impl<'a> TopicView<'a> {
    pub(super) fn new(g: &'a SiteGraph, t: usize) -> Self {
        let topic = &g.topics[t];
        let url = g.topic_urls[t].clone();
        TopicView {
            slug: &topic.slug,
            name: &topic.name,
            description: topic.description.as_deref(),
            feed_url: format!("{url}feed.xml"),
            url,
            count: g.topic_articles[t].len(),
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
