//! What each page is made of, hashed. A page is rendered again only when
//! its fingerprint changes; the rendered bytes are then compared, so a
//! fingerprint may change without its page changing, never the reverse.
//! Each function here mirrors what `Renderer::render` reads for that page.

use crate::graph::SiteGraph;
use crate::render::{page_count, Page, Renderer, TemplateSource};
use rayon::prelude::*;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// Hash of one value.
fn hash_of(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// Each template's text with the text of every template it names (through
/// `extends`, `include` or `import`), hashed, by template name.
pub(super) fn template_hashes(sources: &[TemplateSource]) -> HashMap<String, u64> {
    let names: Vec<&str> = sources.iter().map(|(n, _, _)| n.as_str()).collect();
    let mentions: Vec<Vec<usize>> = sources
        .iter()
        .map(|(_, text, _)| {
            (0..names.len())
                .filter(|&i| text.contains(&format!("\"{}\"", names[i])) || text.contains(&format!("'{}'", names[i])))
                .collect()
        })
        .collect();
    (0..sources.len())
        .map(|start| {
            let mut seen = vec![false; sources.len()];
            let mut stack = vec![start];
            while let Some(i) = stack.pop() {
                if !std::mem::replace(&mut seen[i], true) {
                    stack.extend(&mentions[i]);
                }
            }
            let mut h = DefaultHasher::new();
            for (_, source) in sources.iter().enumerate().filter(|(i, _)| seen[*i]) {
                (&source.0, &source.1).hash(&mut h);
            }
            (names[start].to_string(), h.finish())
        })
        .collect()
}

/// Hashes of what pages show of each article, author and topic.
struct Parts<'a> {
    graph: &'a SiteGraph,
    config: u64,
    templates: &'a HashMap<String, u64>,
    /// Markdown render stamp of each article: changes whenever it is rendered again.
    stamps: &'a [u64],
    /// An article as a card in listings.
    cards: Vec<u64>,
    /// An article as a feed entry.
    entries: Vec<u64>,
    /// An author in full (with the number of articles).
    authors: Vec<u64>,
    /// A topic in full (with the number of articles).
    topics: Vec<u64>,
    years: u64,
    feed_limit: usize,
    per_page: usize,
}

impl<'a> Parts<'a> {
    fn new(r: &Renderer<'a>, stamps: &'a [u64], templates: &'a HashMap<String, u64>) -> Self {
        let g = r.graph;
        let author_links: Vec<u64> = g.authors.iter().map(|a| hash_of((&a.name, &a.slug))).collect();
        let cards: Vec<u64> = (0..g.articles.len())
            .into_par_iter()
            .map(|i| {
                let a = &g.articles[i];
                let authors: Vec<u64> = g.article_authors[i].iter().map(|&au| author_links[au]).collect();
                hash_of((&a.source_path, &a.rel_path, &a.front_matter, &g.summaries[i], authors))
            })
            .collect();
        let entries = (0..g.articles.len())
            .map(|i| {
                let topics: Vec<&str> = g.article_topics[i].iter().map(|&t| g.topics[t].name.as_str()).collect();
                hash_of((cards[i], stamps[i], topics))
            })
            .collect();
        let authors = g
            .authors
            .iter()
            .enumerate()
            .map(|(au, a)| hash_of((format!("{a:?}"), &g.author_bios[au], g.author_articles[au].len())))
            .collect();
        let topics = g
            .topics
            .iter()
            .enumerate()
            .map(|(t, topic)| hash_of((format!("{topic:?}"), g.topic_articles[t].len())))
            .collect();
        let years = hash_of(g.years.iter().map(|(y, ids)| (*y, ids.len())).collect::<Vec<_>>());
        Parts {
            graph: g,
            config: hash_of(format!("{:?}", r.config)),
            templates,
            stamps,
            cards,
            entries,
            authors,
            topics,
            years,
            feed_limit: r.config.feed_limit,
            per_page: r.config.paginate,
        }
    }

    fn cards_of(&self, ids: &[usize]) -> Vec<u64> {
        ids.iter().map(|&i| self.cards[i]).collect()
    }

    fn entries_of(&self, ids: &[usize]) -> Vec<u64> {
        ids[..ids.len().min(self.feed_limit)]
            .iter()
            .map(|&i| self.entries[i])
            .collect()
    }

    /// A listing page: page `n` of `ids`.
    fn listing(&self, ids: &[usize], n: usize) -> (usize, usize, usize, Vec<u64>) {
        let start = ((n - 1) * self.per_page).min(ids.len());
        let chunk = &ids[start..(start + self.per_page).min(ids.len())];
        (n, page_count(ids.len(), self.per_page), ids.len(), self.cards_of(chunk))
    }

    fn article(&self, id: usize) -> u64 {
        let g = self.graph;
        let authors: Vec<u64> = g.article_authors[id].iter().map(|&au| self.authors[au]).collect();
        let topics: Vec<u64> = g.article_topics[id].iter().map(|&t| self.topics[t]).collect();
        let series = g.links.series[id]
            .as_ref()
            .map(|s| (&s.name, s.part, self.cards_of(&s.parts)));
        hash_of((
            self.cards[id],
            self.stamps[id],
            authors,
            topics,
            self.cards_of(&g.links.backlinks[id]),
            self.cards_of(&g.links.related[id]),
            series,
        ))
    }

    /// What page `page` shows, apart from its template and the settings.
    fn content(&self, r: &Renderer<'_>, page: Page) -> u64 {
        let g = self.graph;
        let all: Vec<usize>;
        match page {
            Page::Home(n) => {
                all = (0..g.articles.len()).collect();
                hash_of(self.listing(&all, n))
            }
            Page::Article(id) => self.article(id),
            Page::Authors => hash_of(&self.authors),
            Page::Author(au, n) => hash_of((self.authors[au], self.listing(&g.author_articles[au], n))),
            Page::AuthorFeed(au) => hash_of((self.authors[au], self.entries_of(&g.author_articles[au]))),
            Page::Topics => hash_of(&self.topics),
            Page::Topic(t, n) => hash_of((self.topics[t], self.listing(&g.topic_articles[t], n))),
            Page::TopicFeed(t) => hash_of((self.topics[t], self.entries_of(&g.topic_articles[t]))),
            Page::Archive => self.years,
            Page::Year(y) => hash_of((g.years[y].0, self.cards_of(&g.years[y].1), self.years)),
            Page::Redirect(id, i) => hash_of((self.cards[id], i)),
            Page::SiteFeed => {
                all = (0..g.articles.len().min(self.feed_limit)).collect();
                hash_of(self.entries_of(&all))
            }
            Page::Sitemap => {
                let mut h = DefaultHasher::new();
                for p in r.pages() {
                    if matches!(p, Page::Redirect(..) | Page::NotFound | Page::Robots | Page::Sitemap)
                        || matches!(p, Page::SiteFeed | Page::AuthorFeed(_) | Page::TopicFeed(_))
                    {
                        continue;
                    }
                    r.url(p).hash(&mut h);
                    if let Page::Article(id) = p {
                        (g.articles[id].date, g.articles[id].updated).hash(&mut h);
                    }
                }
                h.finish()
            }
            Page::Robots | Page::NotFound => 0,
        }
    }
}

/// Every page of the site with its output path and fingerprint.
pub(super) fn page_fingerprints(
    r: &Renderer<'_>,
    stamps: &[u64],
    templates: &HashMap<String, u64>,
) -> Vec<(Page, String, u64)> {
    let parts = Parts::new(r, stamps, templates);
    r.pages()
        .into_par_iter()
        .map(|page| {
            let template = page.template().and_then(|t| parts.templates.get(t)).copied();
            // The page's kind, never its ids: ids move when articles are
            // added or re-dated, and the content hash already names what is shown.
            let kind = std::mem::discriminant(&page);
            let fingerprint = hash_of((parts.config, template, kind, parts.content(r, page)));
            (page, r.output_path(page), fingerprint)
        })
        .collect()
}
