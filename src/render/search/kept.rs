//! What one assembly of the index keeps for the next, so that after an
//! edit to a few articles a preview encodes again only the terms their old
//! and new docs weigh differently, and writes again only the chunks
//! holding those: work in proportion to the edit, not to the archive.
//!
//! The result is a fresh assembly's, byte for byte. A term's postings
//! depend only on the articles that hold it and their weights for it.
//! Chunks are cut by size, so a change can move every later cut: they are
//! cut again from the chunk holding a touched term until a cut falls where
//! one fell before, and the chunks from there to the one holding the next
//! touched term are kept as they were. Adding or removing an article
//! moves the ids after it, so that, or an edit to many articles at once,
//! assembles afresh.

use super::assemble::{chunk_parts, index_files, merge_term, Part};
use super::chunks::{Chunk, Chunker, Placed};
use super::{SearchDoc, SearchIndex, PART};
use crate::graph::Reader;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::sync::Arc;

/// More edited articles than this at once assemble afresh.
const FEW: usize = 64;

/// What the last assembly with it kept, for
/// [`SearchIndex::assemble_cached`].
#[derive(Default)]
pub struct AssemblyCache {
    /// The docs it was made from, in article order.
    docs: Vec<Arc<SearchDoc>>,
    /// The merged runs of `PART` articles.
    parts: Vec<Part>,
    /// Every term, with its encoded postings in its chunk.
    terms: BTreeMap<Box<str>, Placed>,
    chunks: Vec<Chunk>,
}

impl AssemblyCache {
    /// The index of `graph`'s articles from `docs`, `docs[id]` being
    /// article `id`'s, doing again only what changed since the last time.
    pub(super) fn assemble(&mut self, graph: Reader<'_>, docs: &[Arc<SearchDoc>]) -> SearchIndex {
        let edited: Vec<usize> = match self.docs.len() == docs.len() {
            true => (0..docs.len())
                .filter(|&id| !Arc::ptr_eq(&self.docs[id], &docs[id]))
                .collect(),
            false => Vec::new(),
        };
        if self.docs.len() != docs.len() || edited.len() > FEW {
            self.afresh(docs);
        } else if !edited.is_empty() {
            self.edit(docs, &edited);
        }
        self.docs = docs.to_vec();
        let parts: Vec<&Part> = self.parts.iter().collect();
        let firsts: Vec<&str> = self.chunks.iter().map(|c| &*c.first).collect();
        let (manifest, docs) = index_files(graph, &parts, &firsts);
        SearchIndex {
            manifest,
            docs,
            chunks: self.chunks.iter().map(|c| Arc::clone(&c.json)).collect(),
        }
    }

    /// Merges again the parts with a doc that is not the very one (the
    /// same `Arc`) it was, then encodes and cuts every term.
    fn afresh(&mut self, docs: &[Arc<SearchDoc>]) {
        let was = std::mem::take(&mut self.docs);
        let mut parts = std::mem::take(&mut self.parts);
        parts.resize_with(docs.len().div_ceil(PART), Part::default);
        self.parts = parts
            .into_par_iter()
            .zip(docs.par_chunks(PART))
            .enumerate()
            .map(|(p, (part, docs))| {
                let old = was.get(p * PART..p * PART + docs.len()).unwrap_or(&[]);
                let same = part.len() == docs.len()
                    && old.len() == docs.len()
                    && old.iter().zip(docs).all(|(a, b)| Arc::ptr_eq(a, b));
                match same {
                    true => part,
                    false => Part::of(p * PART, docs.iter().map(|d| &**d)),
                }
            })
            .collect();
        let parts: Vec<&Part> = self.parts.iter().collect();
        let mut chunker = Chunker::placing();
        chunk_parts(&parts, &mut chunker);
        let chunker = chunker.finish();
        self.terms = chunker.placed.into_iter().collect();
        self.chunks = chunker.chunks;
    }

    /// Takes in the docs of the `edited` articles: their parts, the terms
    /// their old and new docs weigh differently (a term's postings change
    /// only there: ids stay), and the chunks with those terms.
    fn edit(&mut self, docs: &[Arc<SearchDoc>], edited: &[usize]) {
        let mut touched: BTreeSet<&str> = BTreeSet::new();
        for &id in edited {
            let (old, new) = (&self.docs[id], &docs[id]);
            self.parts[id / PART].replace(id as u32, id % PART, old, new);
            differing(old, new, &mut touched);
        }
        let parts = &self.parts;
        let touched: Vec<&str> = touched.into_iter().collect();
        let merged: Vec<(&str, Option<String>)> = touched
            .par_iter()
            .map(|&term| (term, merge_term(parts, term)))
            .collect();
        for (term, text) in merged {
            match text {
                None => drop(self.terms.remove(term)),
                Some(text) => match self.terms.get_mut(term) {
                    Some(slot) => *slot = Placed::own(text),
                    None => drop(self.terms.insert(term.into(), Placed::own(text))),
                },
            }
        }
        let touched: Vec<Box<str>> = touched.into_iter().map(Box::from).collect();
        self.cut_again(&touched);
    }

    /// Cuts again the chunks holding a `touched` term (in order): from
    /// each such chunk's start until a cut falls where one fell before;
    /// from there the chunks are as they were until the one holding the
    /// next touched term.
    fn cut_again(&mut self, touched: &[Box<str>]) {
        let old = std::mem::take(&mut self.chunks);
        let mut chunker = Chunker::placing();
        let (mut t, mut kept) = (0, 0);
        while t < touched.len() {
            // The old chunk holding the next touched term, and those before
            // it, unchanged.
            let at = old
                .partition_point(|c| c.first <= touched[t])
                .saturating_sub(1)
                .max(kept);
            self.chunks.extend_from_slice(&old[kept..at]);
            let start = match at {
                0 => Bound::Unbounded,
                _ => Bound::Included(&*old[at].first),
            };
            kept = old.len();
            for (term, placed) in self.terms.range::<str, _>((start, Bound::Unbounded)) {
                while t < touched.len() && touched[t] < *term {
                    t += 1;
                }
                if chunker.at_cut() {
                    let later = old.get(at + 1..).unwrap_or(&[]);
                    if let Ok(j) = later.binary_search_by(|c| c.first.cmp(term)) {
                        kept = at + 1 + j;
                        break;
                    }
                }
                chunker.push(term, placed.text());
            }
            if kept == old.len() {
                t = touched.len();
            }
            chunker = chunker.finish();
            self.chunks.append(&mut chunker.chunks);
        }
        self.chunks.extend_from_slice(&old[kept..]);
        for (term, placed) in chunker.placed {
            if let Some(slot) = self.terms.get_mut(&*term) {
                *slot = placed;
            }
        }
    }
}

/// Adds to `out` the terms `old` and `new` weigh differently, or that only
/// one of them holds.
fn differing<'d>(old: &'d SearchDoc, new: &'d SearchDoc, out: &mut BTreeSet<&'d str>) {
    let (mut a, mut b) = (old.terms().peekable(), new.terms().peekable());
    loop {
        match (a.peek().copied(), b.peek().copied()) {
            (None, None) => break,
            (Some(x), Some(y)) if x.0 == y.0 => {
                if x.1 != y.1 {
                    out.insert(x.0);
                }
                a.next();
                b.next();
            }
            (Some(x), y) if y.is_none_or(|y| x.0 < y.0) => {
                out.insert(x.0);
                a.next();
            }
            (_, y) => {
                out.extend(y.map(|y| y.0));
                b.next();
            }
        }
    }
}
