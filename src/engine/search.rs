//! The search index kept from one change to the next: each article's
//! `SearchDoc` by the hash of what it is made from (headline, summary,
//! body), and what the assembly keeps, so an edit extracts one article's
//! terms again and encodes again only those terms and the chunks holding them.
//! The build cache keeps the docs and the assembly too (`cache/search.rs`).

use super::sources::hash_of;
use crate::graph::{ArticleId, IdMap, SiteGraph};
use crate::render::search::{search_input, AssemblyCache, Chunk, SearchDoc};
use crate::render::{SearchIndex, WordCounts};
use rayon::prelude::*;
use std::sync::Arc;

/// Docs, assembly and the last index (a build cache keeps the docs).
#[derive(Default)]
pub(super) struct SearchMemo {
    docs: IdMap<ArticleId, SearchEntry>,
    assembly: AssemblyCache,
    /// The articles of `assembly`, in its order.
    order: Vec<ArticleId>,
    /// The last index, with the hash of the records it was made from.
    index: Option<(u64, Arc<SearchIndex>)>,
    /// The hash of each of its files (`Key::SearchFile`).
    file_hashes: Vec<u64>,
}

/// One article's search doc, with the hash of what it was made from.
pub(super) type SearchEntry = (u64, Arc<SearchDoc>);

impl SearchMemo {
    /// A memo holding the docs a build cache kept.
    pub(super) fn from_docs(docs: IdMap<ArticleId, SearchEntry>) -> SearchMemo {
        SearchMemo {
            docs,
            ..SearchMemo::default()
        }
    }

    /// A memo holding the docs and the assembly a build cache kept: the
    /// assembly of the articles `order`, in that order, into `chunks`;
    /// `None` when the chunks are not an assembly's or an article of it has
    /// no doc.
    pub(super) fn from_kept(
        docs: IdMap<ArticleId, SearchEntry>,
        order: Vec<ArticleId>,
        chunks: Vec<Chunk>,
    ) -> Option<SearchMemo> {
        let of_order = order.iter().map(|id| docs.get(id).map(|(_, doc)| Arc::clone(doc)));
        let assembly = AssemblyCache::from_kept(of_order.collect::<Option<_>>()?, chunks)?;
        Some(SearchMemo {
            docs,
            assembly,
            order,
            ..SearchMemo::default()
        })
    }

    /// The last assembly's articles, in its order, and its term chunks.
    pub(super) fn assembly(&self) -> (&[ArticleId], &[Chunk]) {
        (&self.order, self.assembly.chunks())
    }

    /// Each article's doc, to keep.
    pub(super) fn docs(&self) -> &IdMap<ArticleId, SearchEntry> {
        &self.docs
    }

    /// The index of `graph`, whose search records hash to `key`.
    pub(super) fn index(&mut self, graph: &SiteGraph, key: u64, words: &WordCounts) -> Arc<SearchIndex> {
        if let Some((k, index)) = &self.index {
            if *k == key {
                return Arc::clone(index);
            }
        }
        let g = graph.untracked();
        let docs: Vec<(u64, Arc<SearchDoc>)> = (0..g.article_count())
            .into_par_iter()
            .map(|id| {
                let input = hash_of((&g.article(id).title, g.summary(id), g.body_hash(id)));
                match self.docs.get(&graph.article_id(id)) {
                    Some((h, doc)) if *h == input => (input, Arc::clone(doc)),
                    _ => {
                        let doc = SearchDoc::extract(search_input(g, id));
                        words.insert(g.body_hash(id), doc.words());
                        (input, Arc::new(doc))
                    }
                }
            })
            .collect();
        self.docs = docs
            .iter()
            .enumerate()
            .map(|(id, doc)| (graph.article_id(id), doc.clone()))
            .collect();
        let docs: Vec<Arc<SearchDoc>> = docs.into_iter().map(|(_, doc)| doc).collect();
        let index = Arc::new(SearchIndex::assemble_cached(g, &docs, &mut self.assembly));
        self.order = (0..docs.len()).map(|id| graph.article_id(id)).collect();
        self.file_hashes = file_hashes(
            &index,
            self.index.as_ref().map(|(_, old)| (&**old, &self.file_hashes[..])),
        );
        self.index = Some((key, Arc::clone(&index)));
        index
    }

    /// The hash of each file of the last index: the manifest, the docs,
    /// then each term chunk (as `Key::SearchFile` numbers them).
    pub(super) fn file_hashes(&self) -> &[u64] {
        &self.file_hashes
    }
}

impl super::Engine {
    /// How many term chunks of the search index this run cut (again), of
    /// how many: after one edit with a kept index, the few holding its terms.
    pub fn search_chunks_cut(&self) -> (usize, usize) {
        self.search.assembly.cut()
    }
}

/// The hash of each file of `index`; a file equal to the one at its place
/// in `old` keeps its hash, which is cheaper than hashing it again.
fn file_hashes(index: &SearchIndex, old: Option<(&SearchIndex, &[u64])>) -> Vec<u64> {
    let old: Vec<(&str, u64)> = match old {
        Some((i, hashes)) => files(i).into_iter().zip(hashes.iter().copied()).collect(),
        None => Vec::new(),
    };
    files(index)
        .par_iter()
        .enumerate()
        .map(|(n, text)| match old.get(n) {
            // A kept chunk is the very same text: no need to compare it.
            Some((was, hash)) if std::ptr::eq(*was, *text) || was == text => *hash,
            _ => hash_of(text),
        })
        .collect()
}

/// The index's files, as `Key::SearchFile` numbers them.
fn files(index: &SearchIndex) -> Vec<&str> {
    [index.manifest.as_str(), index.docs.as_str()]
        .into_iter()
        .chain(index.chunks.iter().map(|c| &**c))
        .collect()
}
