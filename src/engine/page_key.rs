//! Which page is which from one graph to the next: a page's kind with
//! the stable ids of what it shows, never positions in one graph, so that
//! the page store (`pages.rs`) and a build cache find a page again after
//! articles, authors or topics came or went.

use crate::graph::{Interner, SiteGraph};
use crate::render::{Page, SearchFile};

/// A page's identity from one graph to the next: its kind with stable
/// ids (and the position too where the page's path is made from it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub(super) struct PageKey(Page, usize);

/// The key of `page` of `graph`.
pub(super) fn page_key(graph: &SiteGraph, page: Page, interner: &mut Interner) -> PageKey {
    let article = |id: usize| graph.article_id(id).0.index();
    let author = |au: usize| graph.author_id(au).index();
    let topic = |t: usize| graph.topic_id(t).index();
    let g = graph.untracked();
    let stable = match page {
        Page::Article(id) => Page::Article(article(id)),
        Page::Author(au, n) => Page::Author(author(au), n),
        Page::AuthorFeed(au) => Page::AuthorFeed(author(au)),
        Page::AuthorJsonFeed(au) => Page::AuthorJsonFeed(author(au)),
        Page::Topic(t, n) => Page::Topic(topic(t), n),
        Page::TopicFeed(t) => Page::TopicFeed(topic(t)),
        Page::TopicJsonFeed(t) => Page::TopicJsonFeed(topic(t)),
        Page::Year(y) => Page::Year(g.years()[y].0 as usize),
        Page::Redirect(id, i) => Page::Redirect(article(id), i),
        Page::Series(s) => Page::Series(interner.intern(&g.series()[s].name).index()),
        Page::Citation(id, f) => Page::Citation(article(id), f),
        // Its path is made from its position.
        Page::SearchData(SearchFile::Fragment(id)) => {
            return PageKey(Page::SearchData(SearchFile::Fragment(id)), article(id))
        }
        other => other,
    };
    PageKey(stable, 0)
}
