//! Building the graph: the index (kept while its inputs stay the same),
//! the Markdown that changed, related articles and links; a body-only
//! change patches the graph in place.

use super::markdown::Markdown;
use super::sources::hash_of;
use super::Engine;
use crate::graph::related::compute_related;
use crate::graph::{
    assemble_graph, build_index, layout_key, ArticleId, Assembly, Index, LinkInput, Parsed, RelatedParts, Sym,
};
use crate::timings::Timings;
use std::sync::Arc;

/// What an index was made from, hashed two ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct IndexKey {
    /// Every article's parsed front matter, the authors and the topics.
    pub(super) inputs: u64,
    /// What indexing reads of them (`graph::layout_key`).
    pub(super) layout: u64,
}

/// How the index of a change came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Indexing {
    /// Kept whole: no article's front matter, author or topic changed.
    Kept,
    /// Kept with the articles as now parsed: nothing indexing reads changed.
    Refilled,
    /// Made again.
    Made,
}

impl Engine {
    /// What the index is made from.
    fn index_key(&self) -> IndexKey {
        let (sources, config) = (&self.sources, &self.config);
        let files = || sources.articles.values();
        let parsed: Vec<Option<(ArticleId, u64)>> =
            files().map(|f| f.parsed.as_ref().map(|p| (p.id, p.hash))).collect();
        let inputs = hash_of((&parsed, &sources.authors, &sources.topics));
        let layouts: Vec<u64> = files().filter_map(|f| f.parsed.as_ref().map(|p| p.layout)).collect();
        let layout = layout_key(&layouts, &sources.authors, &sources.topics, config, self.options.drafts);
        IndexKey { inputs, layout }
    }

    /// The index of the articles as loaded: kept while its inputs stay the
    /// same, and kept with the articles put in again while what indexing
    /// reads of them does; an index that found problems is made again
    /// then, as their places in the front matter may have moved.
    fn index(&mut self, key: IndexKey) -> (Index, Indexing) {
        if let Some((old, index)) = self.index.take() {
            if old.inputs == key.inputs {
                return (index, Indexing::Kept);
            }
            if old.layout == key.layout && self.index_problems.is_empty() {
                let parsed = self.sources.articles.values().filter_map(|f| f.parsed.as_ref());
                let refilled = index.with_articles(parsed);
                if let Some(index) = refilled {
                    return (index, Indexing::Refilled);
                }
            }
        }
        let parsed: Vec<Parsed> = self
            .sources
            .articles
            .values()
            .filter_map(|f| f.parsed.clone())
            .collect();
        self.drafts_skipped = match self.options.drafts {
            true => 0,
            false => parsed.iter().filter(|p| p.article.draft).count(),
        };
        let mut problems = Vec::new();
        let index = build_index(
            parsed,
            self.sources.authors.clone(),
            self.sources.topics.clone(),
            &self.config,
            self.options.drafts,
            &mut problems,
        );
        self.index_problems = problems;
        (index, Indexing::Made)
    }

    /// Indexes the articles, renders the Markdown that changed and links the graph.
    pub(super) fn rebuild_graph(&mut self, timings: &mut Timings) {
        let root = self.options.root.clone();
        let key = self.index_key();
        let (index, indexing) = self.index(key);
        timings.lap("index");
        let base_path = self.config.base_path();
        let incremental = self.options.incremental;
        // A refilled index has the same paths, URLs and drafts held back.
        let links_changed = indexing == Indexing::Made || std::mem::take(&mut self.statics_changed);
        let renderings = self
            .markdown
            .update(&root, &index, &mut self.sources, &base_path, incremental, links_changed);
        self.markdown_count = renderings.changed.len();
        self.markdown_problems = renderings.problems;
        timings.lap("markdown");
        if indexing == Indexing::Kept && incremental && self.graph_of == Some(key.inputs) {
            let bodies = renderings
                .changed
                .iter()
                .map(|&i| {
                    let (r, h) = &renderings.rendered[i];
                    (i, Arc::clone(r), *h)
                })
                .collect();
            let mut problems = Vec::new();
            self.graph.replace_bodies(bodies, &index.by_path, &mut problems);
            self.link_problems = problems;
            self.index = Some((key, index));
            timings.lap("link");
            return;
        }
        let related = self.related_of(&index, &renderings.rendered, indexing == Indexing::Made);
        let author_ids: Vec<Sym> = index.authors.iter().map(|a| self.interner.intern(&a.slug)).collect();
        let topic_ids: Vec<Sym> = index.topics.iter().map(|t| self.interner.intern(&t.slug)).collect();
        let mut problems = Vec::new();
        let parts = Assembly {
            index: &index,
            rendered: renderings.rendered,
            author_ids,
            topic_ids,
            related,
        };
        self.graph = assemble_graph(parts, &self.config, &mut problems);
        self.link_problems = problems;
        if incremental {
            self.graph_of = Some(key.inputs);
            self.index = Some((key, index));
        } else {
            // A one-off build needs only the HTML and headings from here.
            self.markdown = Markdown::default();
            self.graph.shed_link_data();
        }
        timings.lap("link");
    }

    /// Related articles: computed again only when the articles' order,
    /// topics, authors or dates changed.
    fn related_of(
        &mut self,
        index: &Index,
        rendered: &[(Arc<crate::markdown::Rendered>, u64)],
        indexed: bool,
    ) -> Vec<Vec<usize>> {
        if let (false, Some((_, related))) = (indexed, &self.related) {
            return related.clone();
        }
        let articles: Vec<Arc<crate::content::Article>> =
            index.articles.iter().map(|p| Arc::clone(&p.article)).collect();
        let plain: Vec<Arc<crate::markdown::Rendered>> = rendered.iter().map(|(r, _)| Arc::clone(r)).collect();
        let input = LinkInput {
            articles: &articles,
            rendered: &plain,
            by_path: &index.by_path,
            article_authors: &index.article_authors,
            article_topics: &index.article_topics,
        };
        let parts = RelatedParts::new(&input);
        let ids: Vec<_> = index.articles.iter().map(|p| p.id).collect();
        let key = hash_of((&ids, &parts.topics, &parts.authors, &parts.days));
        if let Some((old, related)) = &self.related {
            if *old == key {
                return related.clone();
            }
        }
        let related = compute_related(&parts.input());
        if self.options.incremental {
            self.related = Some((key, related.clone()));
        }
        related
    }
}
