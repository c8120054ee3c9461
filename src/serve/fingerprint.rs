//! What each page is made of, hashed. A page is rendered again only when
//! its fingerprint changes; the rendered bytes are then compared, so a
//! fingerprint may change without its page changing, never the reverse.
//! Each function here mirrors what `Renderer::render` reads for that page.

use super::rebuild::Stamp;
use crate::graph::SiteGraph;
use crate::render::{page_count, Page, Renderer, SearchFile, Strings, TemplateSource};
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
/// `extends`, `include` or `import`) and the theme strings, hashed, by template name.
pub(super) fn template_hashes(sources: &[TemplateSource], strings: &Strings) -> HashMap<String, u64> {
    let strings = serde_json::to_string(strings).unwrap_or_default();
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
            strings.hash(&mut h);
            for (_, source) in sources.iter().enumerate().filter(|(i, _)| seen[*i]) {
                (&source.0, &source.1).hash(&mut h);
            }
            (names[start].to_string(), h.finish())
        })
        .collect()
}

/// Feeds every item of a list to a hasher, with the list's length.
fn hash_list(h: &mut DefaultHasher, items: impl ExactSizeIterator<Item = u64>) {
    h.write_usize(items.len());
    for item in items {
        h.write_u64(item);
    }
}

/// Hashes of what pages show of each article, author and topic.
struct Parts<'a> {
    graph: &'a SiteGraph,
    stamps: &'a [Stamp],
    /// An article as a card in listings.
    cards: Vec<u64>,
    /// An article as a feed entry.
    entries: Vec<u64>,
    /// An author in full (with the number of articles).
    authors: Vec<u64>,
    /// A topic in full (with the number of articles).
    topics: Vec<u64>,
    years: u64,
    /// Every article id, newest first (home and the site feed list them).
    all: Vec<usize>,
    feed_limit: usize,
    per_page: usize,
    /// Each series page's name and parts.
    series: Vec<(&'a str, &'a [usize])>,
    renderer: &'a Renderer<'a>,
}

impl<'a> Parts<'a> {
    fn new(r: &'a Renderer<'a>, stamps: &'a [Stamp]) -> Self {
        let g = r.graph;
        let author_links: Vec<u64> = g.authors.iter().map(|a| hash_of((&a.name, &a.slug))).collect();
        let topic_names: Vec<u64> = g.topics.iter().map(|t| hash_of(&t.name)).collect();
        let (cards, entries): (Vec<u64>, Vec<u64>) = (0..g.articles.len())
            .into_par_iter()
            .map(|i| {
                let mut h = DefaultHasher::new();
                (stamps[i].front, &g.summaries[i]).hash(&mut h);
                hash_list(&mut h, g.article_authors[i].iter().map(|&au| author_links[au]));
                let card = h.finish();
                let mut h = DefaultHasher::new();
                (card, stamps[i].html).hash(&mut h);
                hash_list(&mut h, g.article_topics[i].iter().map(|&t| topic_names[t]));
                (card, h.finish())
            })
            .unzip();
        let authors = g
            .authors
            .iter()
            .enumerate()
            .map(|(au, a)| {
                let photo = a.photo.as_deref().and_then(|p| r.images.size(p));
                hash_of((format!("{a:?}"), &g.author_bios[au], g.author_articles[au].len(), photo))
            })
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
            stamps,
            cards,
            entries,
            authors,
            topics,
            years,
            all: (0..g.articles.len()).collect(),
            feed_limit: r.config.feed_limit,
            per_page: r.config.paginate,
            series: r.series.iter().map(|s| (s.name.as_str(), &s.parts[..])).collect(),
            renderer: r,
        }
    }

    fn cards_of(&self, h: &mut DefaultHasher, ids: &[usize]) {
        hash_list(h, ids.iter().map(|&i| self.cards[i]));
    }

    fn entries_of(&self, h: &mut DefaultHasher, ids: &[usize]) {
        let ids = &ids[..ids.len().min(self.feed_limit)];
        hash_list(h, ids.iter().map(|&i| self.entries[i]));
    }

    /// A listing page: page `n` of `ids`.
    fn listing(&self, h: &mut DefaultHasher, ids: &[usize], n: usize) {
        let start = ((n - 1) * self.per_page).min(ids.len());
        let chunk = &ids[start..(start + self.per_page).min(ids.len())];
        (n, page_count(ids.len(), self.per_page), ids.len()).hash(h);
        self.cards_of(h, chunk);
    }

    fn article(&self, h: &mut DefaultHasher, id: usize) {
        let g = self.graph;
        (self.cards[id], self.stamps[id].html).hash(h);
        // Image sizes are read from the files, which may change on their own.
        let r = self.renderer;
        let lead = g.articles[id].image.as_ref().and_then(|i| r.images.size(&i.src));
        lead.hash(h);
        if g.rendered[id].html.contains("<img ") {
            r.body_html(id).hash(h);
        }
        hash_list(h, g.article_authors[id].iter().map(|&au| self.authors[au]));
        hash_list(h, g.article_topics[id].iter().map(|&t| self.topics[t]));
        self.cards_of(h, &g.links.backlinks[id]);
        self.cards_of(h, &g.links.related[id]);
        if let Some(s) = &g.links.series[id] {
            (&s.name, s.part).hash(h);
            self.cards_of(h, &s.parts);
        }
    }

    /// What page `page` shows, apart from its template and the settings
    /// (the sitemap is done apart, from every page's path).
    fn content(&self, h: &mut DefaultHasher, page: Page) {
        let g = self.graph;
        match page {
            Page::Home(n) => self.listing(h, &self.all, n),
            Page::Article(id) => self.article(h, id),
            Page::Authors => self.authors.hash(h),
            Page::Author(au, n) => {
                self.authors[au].hash(h);
                self.listing(h, &g.author_articles[au], n);
            }
            Page::AuthorFeed(au) | Page::AuthorJsonFeed(au) => {
                self.authors[au].hash(h);
                self.entries_of(h, &g.author_articles[au]);
            }
            Page::Topics => self.topics.hash(h),
            Page::Topic(t, n) => {
                self.topics[t].hash(h);
                self.listing(h, &g.topic_articles[t], n);
            }
            Page::TopicFeed(t) | Page::TopicJsonFeed(t) => {
                self.topics[t].hash(h);
                self.entries_of(h, &g.topic_articles[t]);
            }
            Page::Archive => self.years.hash(h),
            Page::Year(y) => {
                (g.years[y].0, self.years).hash(h);
                self.cards_of(h, &g.years[y].1);
            }
            Page::Redirect(id, i) => (self.cards[id], i).hash(h),
            Page::SiteFeed | Page::SiteJsonFeed => self.entries_of(h, &self.all),
            Page::Series(s) => {
                self.series[s].0.hash(h);
                self.cards_of(h, self.series[s].1);
            }
            Page::Citation(id, format) => {
                (self.cards[id], format).hash(h);
                hash_list(h, g.article_topics[id].iter().map(|&t| hash_of(&g.topics[t].name)));
            }
            Page::SearchData(SearchFile::Fragment(id)) => (self.cards[id], self.stamps[id].html).hash(h),
            // The index is built to list the pages anyway: its files are their own fingerprint.
            Page::SearchData(SearchFile::Manifest) => self.renderer.search_index().manifest.hash(h),
            Page::SearchData(SearchFile::Docs) => self.renderer.search_index().docs.hash(h),
            Page::SearchData(SearchFile::Terms(n)) => self.renderer.search_index().chunks[n].hash(h),
            // The search page's filters: every article's type, the authors, topics and years.
            Page::Search => (&self.cards, &self.authors, &self.topics, self.years).hash(h),
            Page::Sitemap | Page::Robots | Page::NotFound => {}
        }
    }
}

/// The fingerprint of each page (`paths` are their output paths).
pub(super) fn page_fingerprints(
    r: &Renderer<'_>,
    pages: &[Page],
    paths: &[String],
    stamps: &[Stamp],
    templates: &HashMap<String, u64>,
) -> Vec<u64> {
    let parts = Parts::new(r, stamps);
    let config = hash_of(format!("{:?}", r.config));
    // The sitemap lists every page's URL (from its path) and articles' dates.
    let mut sitemap = DefaultHasher::new();
    for (&page, path) in pages.iter().zip(paths) {
        match page {
            Page::Article(id) => (path, r.graph.articles[id].date, r.graph.articles[id].updated).hash(&mut sitemap),
            Page::Home(_) | Page::Authors | Page::Author(..) | Page::Topics | Page::Topic(..) => {
                path.hash(&mut sitemap)
            }
            Page::Archive | Page::Year(_) => path.hash(&mut sitemap),
            _ => {}
        }
    }
    let sitemap = sitemap.finish();
    pages
        .par_iter()
        .map(|&page| {
            let mut h = DefaultHasher::new();
            // The page's kind, never its ids: ids move when articles are
            // added or re-dated, and the content hash already names what is shown.
            let template = page.template().and_then(|t| templates.get(t)).copied();
            // Listings and article pages also show cards made by card.html.
            let cards = matches!(
                page,
                Page::Home(_) | Page::Article(_) | Page::Author(..) | Page::Topic(..) | Page::Year(_)
            )
            .then(|| templates.get("card.html").copied());
            (config, template, cards, std::mem::discriminant(&page)).hash(&mut h);
            match page {
                Page::Sitemap => sitemap.hash(&mut h),
                _ => parts.content(&mut h, page),
            }
            h.finish()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(name: &str, text: &str) -> TemplateSource {
        (name.to_string(), text.to_string(), format!("templates/{name}"))
    }

    #[test]
    fn a_template_changes_with_the_templates_it_names() {
        let before = [
            source("base.html", "<body>{% block content %}{% endblock content %}</body>"),
            source("macros.html", "{% macro card(a) %}{{ a }}{% endmacro card %}"),
            source(
                "article.html",
                "{% extends \"base.html\" %}{% import 'macros.html' as m %}",
            ),
            source("atom.xml", "<feed/>"),
        ];
        let mut after = before.clone();
        after[1].1.push_str("<!-- changed -->");
        let (a, b) = (
            template_hashes(&before, &Strings::default()),
            template_hashes(&after, &Strings::default()),
        );
        assert_ne!(a["article.html"], b["article.html"], "imports macros.html");
        assert_ne!(a["macros.html"], b["macros.html"]);
        assert_eq!(a["base.html"], b["base.html"]);
        assert_eq!(a["atom.xml"], b["atom.xml"]);
    }
}
