//! Atom feeds (site, each author, each topic) and the sitemap.

use super::page::Page;
use super::renderer::Scope;
use super::views::SiteView;
use anyhow::Result;
use serde::Serialize;

/// Whose articles a feed lists; `None` in `render_feed` is the whole site.
#[derive(Debug, Clone, Copy)]
pub enum FeedOf {
    Author(usize),
    Topic(usize),
}

#[derive(Serialize)]
struct FeedCtx<'a> {
    site: &'a SiteView<'a>,
    feed: FeedMeta,
    entries: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct FeedMeta {
    title: String,
    subtitle: String,
    /// Absolute URL of the feed itself (also its id).
    self_url: String,
    /// Absolute URL of the HTML page the feed mirrors.
    alternate_url: String,
    updated: String,
}

#[derive(Serialize)]
struct Entry<'a> {
    title: &'a str,
    permalink: String,
    published: String,
    updated: String,
    summary: &'a str,
    content: &'a str,
    authors: Vec<EntryAuthor<'a>>,
    topics: Vec<&'a str>,
}

#[derive(Serialize)]
struct EntryAuthor<'a> {
    name: &'a str,
    uri: String,
}

/// What a feed lists and says about itself.
pub(super) struct FeedSource {
    /// The newest articles, at most `feed_limit`.
    pub ids: Vec<usize>,
    pub title: String,
    pub subtitle: String,
    /// URL path of the HTML page the feed mirrors.
    pub html_url: String,
}

/// The articles and titles of the site's feed (`of` is `None`), an author's or a topic's.
pub(super) fn feed_source(r: &Scope<'_>, of: Option<FeedOf>) -> FeedSource {
    let g = r.g();
    let all: Vec<usize>;
    let (ids, title, subtitle, html_url): (&[usize], String, String, String) = match of {
        None => (
            {
                all = (0..g.article_count().min(r.config.feed_limit)).collect();
                &all
            },
            r.config.title.clone(),
            r.config.description.clone(),
            g.base_path().to_string(),
        ),
        Some(FeedOf::Author(au)) => {
            let a = &g.author(au);
            (
                g.author_articles(au),
                format!("{}: {}", r.config.title, a.name),
                a.role.clone().unwrap_or_default(),
                r.url(Page::Author(au, 1)),
            )
        }
        Some(FeedOf::Topic(t)) => {
            let topic = &g.topic(t);
            (
                g.topic_articles(t),
                format!("{}: {}", r.config.title, topic.name),
                topic.description.clone().unwrap_or_default(),
                r.url(Page::Topic(t, 1)),
            )
        }
    };
    FeedSource {
        ids: ids[..ids.len().min(r.config.feed_limit)].to_vec(),
        title,
        subtitle,
        html_url,
    }
}

/// Renders an Atom feed of the newest articles.
pub fn render_feed(r: &Scope<'_>, page: Page, of: Option<FeedOf>) -> Result<String> {
    let g = r.g();
    let FeedSource {
        ids,
        title,
        subtitle,
        html_url,
    } = feed_source(r, of);
    let zone = r.config.offset();
    let entries: Vec<Entry<'_>> = ids
        .iter()
        .map(|&id| {
            let a = &g.article(id);
            Entry {
                title: &a.title,
                permalink: r.config.absolute(g.url(id)),
                published: a.date.rfc3339_at(zone),
                updated: a.updated.unwrap_or(a.date).rfc3339_at(zone),
                summary: g.summary(id),
                content: r.feed_content(id),
                authors: g
                    .article_authors(id)
                    .iter()
                    .map(|&au| EntryAuthor {
                        name: &g.author(au).name,
                        uri: r.config.absolute(&r.url(Page::Author(au, 1))),
                    })
                    .collect(),
                topics: g.article_topics(id).iter().map(|&t| g.topic(t).name.as_str()).collect(),
            }
        })
        .collect();
    let updated = ids
        .iter()
        .map(|&id| g.article(id).updated.unwrap_or(g.article(id).date))
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339_at(zone));
    let feed = FeedMeta {
        title,
        subtitle,
        self_url: r.config.absolute(&r.url(page)),
        alternate_url: r.config.absolute(&html_url),
        updated,
    };
    r.render_template(
        page.template().unwrap_or_default(),
        &FeedCtx {
            site: &r.site,
            feed,
            entries,
        },
    )
}

#[derive(Serialize)]
struct SitemapCtx {
    urls: Vec<SitemapUrl>,
}

#[derive(Serialize)]
struct SitemapUrl {
    loc: String,
    lastmod: Option<String>,
}

/// Renders `sitemap.xml`: every HTML page once (redirects and 404 left out).
pub fn render_sitemap(r: &Scope<'_>) -> Result<String> {
    let g = r.g();
    let pages = r.indexable_pages();
    let urls = pages
        .into_iter()
        .map(|page| SitemapUrl {
            loc: r.config.absolute(&r.url(page)),
            lastmod: match page {
                Page::Article(id) => Some(g.article(id).updated.unwrap_or(g.article(id).date).iso_day()),
                _ => None,
            },
        })
        .collect();
    r.render_template(Page::Sitemap.template().unwrap_or_default(), &SitemapCtx { urls })
}

/// Makes root-relative `href` and `src` values absolute, since feed readers
/// show entries away from the site; protocol-relative ones (`//host/x`) stay,
/// and so does any `="{origin}//` already there, written `="//`. One pass
/// over the body (it was three `replace` passes, for every article).
pub(super) fn absolute_links(html: &str, origin: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 32);
    let mut copied = 0;
    for at in memchr::memmem::find_iter(html.as_bytes(), b"=\"") {
        if at < copied {
            continue;
        }
        let (before, value) = (&html[..at], &html[at + 2..]);
        let root_relative = (before.ends_with(" href") || before.ends_with(" src")) && value.starts_with('/');
        if root_relative && !value.starts_with("//") {
            out.push_str(&html[copied..at + 2]);
            out.push_str(origin);
            copied = at + 2;
        } else if !root_relative && value.starts_with(origin) && value[origin.len()..].starts_with("//") {
            out.push_str(&html[copied..at + 2]);
            copied = at + 2 + origin.len();
        }
    }
    out.push_str(&html[copied..]);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn feed_links_become_absolute() {
        let html =
            r#"<a href="/a/">x</a><img src="/i.png"><a href="//cdn.example/x">y</a><a href="https://o.org/">z</a>"#;
        assert_eq!(
            super::absolute_links(html, "https://example.org"),
            r#"<a href="https://example.org/a/">x</a><img src="https://example.org/i.png"><a href="//cdn.example/x">y</a><a href="https://o.org/">z</a>"#
        );
    }

    /// What the links were made with before the single pass, the oracle.
    fn three_passes(html: &str, origin: &str) -> String {
        html.replace(" href=\"/", &format!(" href=\"{origin}/"))
            .replace(" src=\"/", &format!(" src=\"{origin}/"))
            .replace(&format!("=\"{origin}//"), "=\"//")
    }

    #[test]
    fn one_pass_gives_what_three_replaces_gave() {
        let cases = [
            r#"<a href="/a/">x</a> <img src="/i.png" alt="é"> <a href="//cdn/x">y</a>"#,
            r#"<a href="https://example.org//twice">t</a><a data-href="/no">n</a><a href=/bare>b</a>"#,
            r#"<img src="/"><a href="/">root</a><a title="/x" href="/y">z</a>="/end"#,
            r#"<p>a="https://example.org//x" and =" and =""#,
            r#"<a  href="/two-spaces">s</a><a href='/single'>q</a> href="/"#,
            "",
            "no links at all",
        ];
        for origin in ["https://example.org", "", "http://h.test:8080"] {
            for html in cases {
                assert_eq!(
                    super::absolute_links(html, origin),
                    three_passes(html, origin),
                    "{html:?} at {origin:?}"
                );
            }
        }
    }
}
