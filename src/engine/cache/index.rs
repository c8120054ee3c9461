//! The index as the last build left it, with the hash of what it was made
//! from. The engine keeps an index while that hash stays the same
//! (`Engine::index`): kept in the cache too, a build after an edit that
//! changes no article's front matter, no author and no topic does not
//! index the archive again, and renders again only the Markdown it read.

use super::super::graph::IndexKey;
use super::super::Engine;
use crate::content::Author;
use crate::diag::Diagnostic;
use crate::graph::{ArticleId, Index, Topic};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::OnceLock;

/// The index, as written: its articles by id (their parsed front matter is
/// kept with the article files), with what indexing them found.
#[derive(Serialize)]
pub(super) struct KeptIndexRef<'a> {
    key: IndexKey,
    ids: Vec<ArticleId>,
    slugs: &'a [String],
    urls: &'a [String],
    held_drafts: &'a HashSet<String>,
    authors: &'a [Author],
    article_authors: &'a [Vec<usize>],
    topics: &'a [Topic],
    article_topics: &'a [Vec<usize>],
    sanitize: bool,
    problems: &'a [Diagnostic],
    drafts_skipped: usize,
}

/// The index, as read.
#[derive(Deserialize)]
pub(super) struct KeptIndex {
    key: IndexKey,
    ids: Vec<ArticleId>,
    slugs: Vec<String>,
    urls: Vec<String>,
    held_drafts: HashSet<String>,
    authors: Vec<Author>,
    article_authors: Vec<Vec<usize>>,
    topics: Vec<Topic>,
    article_topics: Vec<Vec<usize>>,
    sanitize: bool,
    problems: Vec<Diagnostic>,
    drafts_skipped: usize,
}

impl KeptIndex {
    /// What the index was made from.
    pub(super) fn key(&self) -> IndexKey {
        self.key
    }
}

/// The engine's index, to keep.
pub(super) fn keep(engine: &Engine) -> Option<KeptIndexRef<'_>> {
    let (key, index) = engine.index.as_ref()?;
    Some(KeptIndexRef {
        key: *key,
        ids: index.articles.iter().map(|p| p.id).collect(),
        slugs: &index.slugs,
        urls: &index.urls,
        held_drafts: &index.held_drafts,
        authors: &index.authors,
        article_authors: &index.article_authors,
        topics: &index.topics,
        article_topics: &index.article_topics,
        sanitize: index.sanitize,
        problems: &engine.index_problems,
        drafts_skipped: engine.drafts_skipped,
    })
}

/// Gives `engine`, holding the article files as kept, the index `kept`;
/// it is left without one when an article of it did not come back.
pub(super) fn restore(kept: KeptIndex, engine: &mut Engine) {
    let parsed = kept.ids.iter().map(|id| {
        let rel = engine.interner.texts().get(id.0.index())?;
        let file = engine.sources.articles.get(&**rel)?;
        file.parsed.clone().filter(|p| p.id == *id)
    });
    let Some(articles) = parsed.collect::<Option<Vec<_>>>() else {
        return;
    };
    let lengths = [
        kept.slugs.len(),
        kept.urls.len(),
        kept.article_authors.len(),
        kept.article_topics.len(),
    ];
    // The graph indexes authors and topics by these numbers.
    let in_range = |lists: &[Vec<usize>], len: usize| lists.iter().flatten().all(|&n| n < len);
    if lengths.iter().any(|&n| n != articles.len())
        || !in_range(&kept.article_authors, kept.authors.len())
        || !in_range(&kept.article_topics, kept.topics.len())
    {
        return;
    }
    let by_path = articles
        .iter()
        .enumerate()
        .map(|(i, p)| (p.article.rel_path.clone(), i))
        .collect();
    let index = Index {
        articles,
        slugs: kept.slugs,
        urls: kept.urls,
        by_path,
        held_drafts: kept.held_drafts,
        authors: kept.authors,
        article_authors: kept.article_authors,
        topics: kept.topics,
        article_topics: kept.article_topics,
        nearest: OnceLock::new(),
        sanitize: kept.sanitize,
    };
    engine.index = Some((kept.key, index));
    engine.index_problems = kept.problems;
    engine.drafts_skipped = kept.drafts_skipped;
}
