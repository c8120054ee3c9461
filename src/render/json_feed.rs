//! JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>) beside every Atom
//! feed, with the same entries.

use super::feeds::{feed_source, FeedOf};
use super::page::Page;
use super::renderer::Scope;
use anyhow::Result;
use serde::Serialize;

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: String,
    home_page_url: String,
    feed_url: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    description: String,
    language: &'a str,
    authors: Vec<JsonAuthor<'a>>,
    items: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct JsonAuthor<'a> {
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
struct Item<'a> {
    id: String,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_url: Option<&'a str>,
    title: &'a str,
    content_html: Box<serde_json::value::RawValue>,
    #[serde(skip_serializing_if = "str::is_empty")]
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    date_published: String,
    date_modified: String,
    authors: Vec<JsonAuthor<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
}

/// Renders the JSON Feed of the site (`of` is `None`), an author or a topic.
pub(super) fn render_json_feed(r: &Scope<'_>, page: Page, of: Option<FeedOf>) -> Result<String> {
    let g = r.g();
    let source = feed_source(r, of);
    let zone = r.config.offset();
    let items = source
        .ids
        .iter()
        .map(|&id| {
            let a = &g.article(id);
            let url = r.config.absolute(g.url(id));
            Item {
                id: url.clone(),
                url,
                external_url: a.canonical.as_ref().map(|c| c.url()),
                title: &a.title,
                content_html: super::json::json_str(r.feed_content(id)),
                summary: g.summary(id),
                image: a.image.as_ref().map(|i| r.absolute_asset(&i.src)),
                date_published: a.date.rfc3339_at(zone),
                date_modified: a.updated.unwrap_or(a.date).rfc3339_at(zone),
                authors: g
                    .article_authors(id)
                    .iter()
                    .map(|&au| JsonAuthor {
                        name: &g.author(au).name,
                        url: r.config.absolute(g.author_url(au)),
                    })
                    .collect(),
                tags: g.article_topics(id).iter().map(|&t| g.topic(t).name.as_str()).collect(),
            }
        })
        .collect();
    let feed = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: source.title,
        home_page_url: r.config.absolute(&source.html_url),
        feed_url: r.config.absolute(&r.url(page)),
        description: source.subtitle,
        language: &r.config.language,
        authors: vec![JsonAuthor {
            name: &r.config.title,
            url: r.config.base_url.clone(),
        }],
        items,
    };
    // Written into a buffer made for about its size (bodies and some room
    // for each item), rather than one grown by doubling.
    let size: usize = feed.items.iter().map(|i| i.content_html.get().len() + 1024).sum();
    let mut bytes = Vec::with_capacity(size + 2048);
    serde_json::to_writer_pretty(&mut bytes, &feed)?;
    bytes.push(b'\n');
    Ok(String::from_utf8(bytes)?)
}
