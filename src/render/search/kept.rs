//! What one assembly of the index keeps for the next: the docs it was made
//! from and its term chunks. After an edit to a few articles, only the
//! terms their old and new docs weigh differently are encoded again, and
//! only the chunks holding those terms are cut again: work in proportion
//! to the edit, not to the archive. The preview keeps one in memory; the
//! build cache keeps one between builds (its chunks and article order),
//! so a cached build after an edit does the same small work.
//!
//! The result is a fresh assembly's, byte for byte. A term's postings
//! depend only on the articles that hold it and their weights for it: an
//! edited article's ids stay, so a touched term's postings are the ones
//! its kept chunk holds with the edited articles' set anew. Chunks are cut
//! by size, so a change can move every later cut: they are cut again from
//! the chunk holding a touched term until a cut falls where one fell
//! before, and the chunks from there to the one holding the next touched
//! term are kept as they were. Adding or removing an article moves the
//! ids after it, so that, or an edit to many articles at once, assembles
//! afresh.

use super::assemble::{chunk_parts, decode_term, encode_term, index_files, Part};
use super::chunks::{Chunk, Chunker};
use super::{SearchDoc, SearchIndex};
use crate::graph::Reader;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

/// More edited articles than this at once assemble afresh.
const FEW: usize = 64;

/// What the last assembly with it kept, for
/// [`SearchIndex::assemble_cached`].
#[derive(Default)]
pub struct AssemblyCache {
    /// The docs it was made from, in article order.
    docs: Vec<Arc<SearchDoc>>,
    chunks: Vec<Chunk>,
    /// How many term chunks the last assembly cut.
    cut: usize,
}

/// The articles whose postings for a term change: each id with the term's
/// new weight in it, if it still holds the term; by id.
type Changes = Vec<(u32, Option<u32>)>;

impl AssemblyCache {
    /// An assembly that was made from `docs` (in article order) into
    /// `chunks`; `None` when a chunk is not one an assembly writes.
    pub fn from_kept(docs: Vec<Arc<SearchDoc>>, chunks: Vec<Chunk>) -> Option<AssemblyCache> {
        let ordered = chunks.windows(2).all(|w| w[0].first < w[1].first);
        let whole = ordered && chunks.par_iter().all(Chunk::is_whole);
        whole.then_some(AssemblyCache { docs, chunks, cut: 0 })
    }

    /// The term chunks of the last assembly, in order.
    pub fn chunks(&self) -> &[Chunk] {
        &self.chunks
    }

    /// How many term chunks the last assembly cut (again), of how many.
    pub fn cut(&self) -> (usize, usize) {
        (self.cut, self.chunks.len())
    }

    /// The index of `graph`'s articles from `docs`, `docs[id]` being
    /// article `id`'s, doing again only what changed since the last time.
    pub(super) fn assemble(&mut self, graph: Reader<'_>, docs: &[Arc<SearchDoc>]) -> SearchIndex {
        let edited: Vec<usize> = match self.docs.len() == docs.len() {
            true => (0..docs.len())
                .filter(|&id| !Arc::ptr_eq(&self.docs[id], &docs[id]))
                .collect(),
            false => Vec::new(),
        };
        self.cut = 0;
        let edited_again = self.docs.len() == docs.len() && edited.len() <= FEW && self.edit(docs, &edited);
        if !edited_again {
            self.afresh(docs);
        }
        self.docs = docs.to_vec();
        let lengths: Vec<u32> = docs.iter().map(|d| d.length() as u32).collect();
        let (manifest, docs) = index_files(graph, &lengths, &self.chunks);
        SearchIndex {
            manifest,
            docs,
            chunks: self.chunks.iter().map(|c| Arc::clone(&c.json)).collect(),
        }
    }

    /// Merges every doc, a part at a time, then encodes and cuts every term.
    fn afresh(&mut self, docs: &[Arc<SearchDoc>]) {
        let parts = Part::all_of(docs);
        let mut chunker = Chunker::default();
        chunk_parts(&parts.iter().collect::<Vec<_>>(), &mut chunker);
        self.chunks = chunker.finish();
        self.cut = self.chunks.len();
    }

    /// Takes in the docs of the `edited` articles: encodes again the terms
    /// their old and new docs weigh differently, from the postings their
    /// chunks hold, and cuts again the chunks with those terms. `false`
    /// when a kept chunk could not be read (nothing is changed then).
    fn edit(&mut self, docs: &[Arc<SearchDoc>], edited: &[usize]) -> bool {
        let olds: Vec<Arc<SearchDoc>> = edited.iter().map(|&id| Arc::clone(&self.docs[id])).collect();
        let mut changes: BTreeMap<&str, Changes> = BTreeMap::new();
        for (&id, old) in edited.iter().zip(&olds) {
            differing(old, &docs[id], |term, weight| {
                changes.entry(term).or_default().push((id as u32, weight));
            });
        }
        let changes: Vec<(&str, Changes)> = changes.into_iter().collect();
        let Some(touched) = self.encode_again(&changes) else {
            return false;
        };
        self.cut_again(&touched);
        true
    }

    /// Each changed term with its encoded postings, `None` when no article
    /// holds it any more; `None` when a kept chunk could not be read.
    fn encode_again<'t>(&self, changes: &[(&'t str, Changes)]) -> Option<Vec<(&'t str, Option<String>)>> {
        // The terms by the kept chunk that holds them, or would.
        let mut by_chunk: Vec<(usize, &[(&str, Changes)])> = Vec::new();
        let mut rest = changes;
        while let Some((term, _)) = rest.first() {
            let c = self.chunks.partition_point(|c| *c.first <= **term).saturating_sub(1);
            let next = self.chunks.get(c + 1).map(|c| &*c.first);
            let n = rest.partition_point(|(t, _)| next.is_none_or(|next| *t < next));
            by_chunk.push((c, &rest[..n]));
            rest = &rest[n..];
        }
        let encoded: Vec<Option<Vec<_>>> = by_chunk
            .par_iter()
            .map(|&(c, changes)| {
                let old: BTreeMap<_, _> = match self.chunks.get(c) {
                    Some(chunk) => chunk.terms().collect::<Option<_>>()?,
                    None => BTreeMap::new(),
                };
                changes
                    .iter()
                    .map(|(term, changed)| {
                        let postings = match old.get(*term) {
                            Some(text) => decode_term(text)?,
                            None => Vec::new(),
                        };
                        Some((*term, encode_changed(term, &postings, changed)))
                    })
                    .collect()
            })
            .collect();
        let mut touched = Vec::with_capacity(changes.len());
        for chunk in encoded {
            touched.extend(chunk?);
        }
        Some(touched)
    }

    /// Cuts again the chunks holding a `touched` term (in order, with its
    /// encoded postings or `None` when it is gone): from each such chunk's
    /// start until a cut falls where one fell before; from there the
    /// chunks are as they were until the one holding the next touched term.
    fn cut_again(&mut self, touched: &[(&str, Option<String>)]) {
        let old = std::mem::take(&mut self.chunks);
        let (mut t, mut kept) = (0, 0);
        while t < touched.len() {
            // The old chunk holding the next touched term, and those before
            // it, unchanged.
            let at = old
                .partition_point(|c| *c.first <= *touched[t].0)
                .saturating_sub(1)
                .max(kept);
            self.chunks.extend_from_slice(&old[kept..at]);
            let before = self.chunks.len();
            kept = cut_from(&old, at, touched, &mut t, &mut self.chunks);
            self.cut += self.chunks.len() - before;
        }
        self.chunks.extend_from_slice(&old[kept..]);
    }
}

/// Cuts the terms of the `old` chunks from chunk `at` on, with the
/// `touched` terms from the `t`th on in their places, into `out`, until a
/// cut falls at the start of an old chunk; returns that chunk's number (or
/// the number of old chunks), with `t` past the touched terms cut.
fn cut_from(
    old: &[Chunk],
    at: usize,
    touched: &[(&str, Option<String>)],
    t: &mut usize,
    out: &mut Vec<Chunk>,
) -> usize {
    let mut chunker = Chunker::default();
    for (c, chunk) in old.iter().enumerate().skip(at) {
        // Every kept chunk is whole (`from_kept`, or cut here).
        for (n, (term, text)) in chunk.terms().map_while(|entry| entry).enumerate() {
            while let Some((new, text)) = touched.get(*t).filter(|(new, _)| *new < &*term) {
                if let Some(text) = text {
                    chunker.push(new, text);
                }
                *t += 1;
            }
            let same = touched.get(*t).filter(|(same, _)| *same == &*term);
            if n == 0 && c > at && chunker.at_cut() && !matches!(same, Some((_, None))) {
                out.append(&mut chunker.finish());
                return c;
            }
            match same {
                Some((_, new)) => {
                    *t += 1;
                    if let Some(text) = new {
                        chunker.push(&term, text);
                    }
                }
                None => chunker.push(&term, text),
            }
        }
    }
    for (new, text) in &touched[*t..] {
        if let Some(text) = text {
            chunker.push(new, text);
        }
    }
    *t = touched.len();
    out.append(&mut chunker.finish());
    old.len()
}

/// `term`'s encoded postings: `postings` with `changed` set anew; `None`
/// when no article holds it then.
fn encode_changed(term: &str, postings: &[(u32, u32)], changed: &[(u32, Option<u32>)]) -> Option<String> {
    let mut all: Vec<(u32, u32)> = Vec::with_capacity(postings.len() + changed.len());
    let mut changed = changed.iter().peekable();
    for &(id, weight) in postings {
        let mut replaced = false;
        while let Some(&(new, w)) = changed.next_if(|(new, _)| *new <= id) {
            all.extend(w.map(|w| (new, w)));
            replaced |= new == id;
        }
        if !replaced {
            all.push((id, weight));
        }
    }
    all.extend(changed.filter_map(|&(new, w)| w.map(|w| (new, w))));
    if all.is_empty() {
        return None;
    }
    let mut text = String::new();
    encode_term(&mut text, term, all.into_iter());
    Some(text)
}

/// Calls `out` with each term `old` and `new` weigh differently, or that
/// only one of them holds, and its weight in `new` (`None`: not in it).
fn differing<'d>(old: &'d SearchDoc, new: &'d SearchDoc, mut out: impl FnMut(&'d str, Option<u32>)) {
    let (mut a, mut b) = (old.terms().peekable(), new.terms().peekable());
    loop {
        match (a.peek().copied(), b.peek().copied()) {
            (None, None) => break,
            (Some(x), Some(y)) if x.0 == y.0 => {
                if x.1 != y.1 {
                    out(y.0, Some(y.1));
                }
                a.next();
                b.next();
            }
            (Some(x), y) if y.is_none_or(|y| x.0 < y.0) => {
                out(x.0, None);
                a.next();
            }
            (_, y) => {
                if let Some(y) = y {
                    out(y.0, Some(y.1));
                }
                b.next();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(first: &str, json: &str) -> Chunk {
        Chunk {
            first: first.into(),
            json: json.into(),
        }
    }

    /// A kept assembly is used only when every chunk is one an assembly
    /// writes, named by its first term, in order.
    #[test]
    fn a_kept_assembly_with_a_chunk_not_as_written_or_out_of_order_is_not_used() {
        let (a, b) = (chunk("a", "{\"a\":[0,1]}\n"), chunk("b", "{\"b\":[0,2],\"c\":[1,1]}\n"));
        let kept = |chunks: Vec<Chunk>| AssemblyCache::from_kept(Vec::new(), chunks).is_some();
        assert!(kept(vec![a.clone(), b.clone()]));
        assert!(!kept(vec![b.clone(), a.clone()]), "out of order");
        assert!(
            !kept(vec![a.clone(), chunk("b", "{\"b\":[0,2],\"c\":[1,1]")]),
            "cut short"
        );
        assert!(!kept(vec![a.clone(), chunk("c", &b.json)]), "named by another term");
        assert!(!kept(vec![a, chunk("b", "{\"b\":[0,2],\"c\"[1,1]}\n")]), "not a chunk");
    }

    /// An edited article's postings are set anew among the others', in
    /// article order; a term no article holds any more is gone.
    #[test]
    fn changed_postings_are_set_in_article_order() {
        let postings = [(2, 1), (5, 3), (9, 2)];
        let text = |changed: &[(u32, Option<u32>)]| encode_changed("t", &postings, changed);
        assert_eq!(
            text(&[(0, Some(8)), (5, None), (7, Some(4))]).unwrap(),
            "\"t\":[0,8,2,1,5,4,2,2]"
        );
        assert_eq!(text(&[(9, Some(6)), (12, Some(1))]).unwrap(), "\"t\":[2,1,3,3,4,6,3,1]");
        assert_eq!(encode_changed("t", &[(4, 1)], &[(4, None)]), None);
    }
}
