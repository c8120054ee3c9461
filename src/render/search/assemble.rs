//! The index over every article, from their [`SearchDoc`]s: merged a part
//! (a run of consecutive articles) at a time in parallel, then the parts'
//! postings gathered term by term, in order, and encoded.

use super::chunks::{Chunk, Chunker};
use super::doc::{SearchDoc, SearchInput};
use super::postings::Postings;
use super::terms::Terms;
use super::{SearchIndex, TermMap, PART};
use crate::graph::Reader;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;
use std::borrow::Borrow;
use std::collections::BTreeSet;
use std::sync::Arc;

/// The terms of a run of consecutive articles, with their postings.
#[derive(Default)]
pub(super) struct Part {
    /// Each term's index in `postings`.
    terms: Terms,
    postings: Vec<Postings>,
    /// Each article's length in words.
    lengths: Vec<u32>,
}

impl Part {
    /// The parts of every article's doc, `docs[id]` being article `id`'s,
    /// [`PART`] articles each, merged on both cores.
    pub(super) fn all_of<D: Borrow<SearchDoc> + Sync>(docs: &[D]) -> Vec<Part> {
        docs.par_chunks(PART)
            .enumerate()
            .map(|(p, docs)| Part::of(p * PART, docs.iter().map(D::borrow)))
            .collect()
    }

    /// The part made of `docs`, the first of which is article `first`.
    fn of<'d>(first: usize, docs: impl Iterator<Item = &'d SearchDoc>) -> Part {
        let mut part = Part::default();
        for (id, doc) in (first as u32..).zip(docs) {
            part.lengths.push(doc.length() as u32);
            for (term, weight) in doc.terms() {
                let t = part.term(term);
                part.postings[t as usize].push(id, weight);
            }
        }
        part
    }

    /// Adds the next article, `id`, from what it is made of, without
    /// making its [`SearchDoc`] (as [`Part::of`] would take it); returns
    /// the number of words in its body.
    pub(super) fn push_article(&mut self, id: u32, input: SearchInput<'_>, tally: &mut Tally) -> usize {
        let found = input.lowercased(|lower| {
            lower.for_each_term(|term, weight| {
                let t = self.term(term) as usize;
                if t >= tally.weights.len() {
                    tally.weights.resize(t + 1, 0);
                }
                if tally.weights[t] == 0 {
                    tally.touched.push(t as u32);
                }
                tally.weights[t] += weight;
            })
        });
        for t in tally.touched.drain(..) {
            let weight = std::mem::take(&mut tally.weights[t as usize]);
            self.postings[t as usize].push(id, weight);
        }
        self.lengths.push(found.length);
        found.words as usize
    }

    /// Gives back the room kept for more postings, once the part is whole.
    pub(super) fn shrink(&mut self) {
        self.postings.iter_mut().for_each(Postings::shrink);
        self.postings.shrink_to_fit();
    }

    /// `term`'s index in `postings`, which it is given if it has none.
    fn term(&mut self, term: &str) -> u32 {
        match self.terms.get(term) {
            Some(t) => t,
            None => {
                self.postings.push(Postings::default());
                let t = self.postings.len() as u32 - 1;
                self.terms.insert(term, t);
                t
            }
        }
    }
}

/// Each term's weight in the article being added to a part, by the term's
/// index in it, and the terms it has: kept from one article to the next.
#[derive(Default)]
pub(super) struct Tally {
    weights: Vec<u32>,
    touched: Vec<u32>,
}

/// Pushes every term of the parts to `chunker`, in order, with its
/// encoded postings (encoded one at a time: the chunks are their only copy).
pub(super) fn chunk_parts(parts: &[&Part], chunker: &mut Chunker) {
    // Each term, with where its postings are in each part that has it.
    let mut union: TermMap<&str, Vec<(u32, u32)>> = TermMap::default();
    for (p, part) in parts.iter().enumerate() {
        for (term, t) in part.terms.iter() {
            union.entry(term).or_default().push((p as u32, t));
        }
    }
    let mut order: Vec<(&str, Vec<(u32, u32)>)> = union.into_iter().collect();
    order.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut text = String::new();
    for (term, places) in order {
        let postings = places
            .iter()
            .flat_map(|&(p, t)| parts[p as usize].postings[t as usize].iter());
        text.clear();
        encode_term(&mut text, term, postings);
        chunker.push(term, &text);
    }
}

/// The index files from the parts, which cover every article of `graph`
/// in order.
pub(super) fn assemble_parts(graph: Reader<'_>, parts: &[&Part]) -> SearchIndex {
    let mut chunker = Chunker::default();
    chunk_parts(parts, &mut chunker);
    let chunks = chunker.finish();
    let lengths: Vec<u32> = parts.iter().flat_map(|p| p.lengths.iter().copied()).collect();
    let (manifest, docs) = index_files(graph, &lengths, &chunks);
    SearchIndex {
        manifest,
        docs,
        chunks: chunks.iter().map(|c| Arc::clone(&c.json)).collect(),
    }
}

/// `manifest.json` and `docs.json` of the articles of `graph`, of
/// `lengths` words, whose terms are in `chunks`.
pub(super) fn index_files(graph: Reader<'_>, lengths: &[u32], chunks: &[Chunk]) -> (String, String) {
    let firsts: Vec<&str> = chunks.iter().map(|c| &*c.first).collect();
    let filters = Filters::new(graph);
    let manifest = json!({
        "version": 1,
        "articles": graph.article_count(),
        "chunks": firsts,
        "topics": filters.topics,
        "authors": filters.authors,
        "types": filters.types,
        "years": filters.years,
    });
    let docs = DocsFile {
        average: lengths.iter().map(|&l| l as usize).sum::<usize>() as f64 / lengths.len().max(1) as f64,
        docs: lengths
            .iter()
            .enumerate()
            .map(|(id, &len)| filters.of(graph, id, len))
            .collect(),
    };
    (to_json(&manifest, 4096), to_json(&docs, lengths.len() * 24))
}

/// Appends `"term":[first id,w,id - previous id,w,...]`.
pub(super) fn encode_term(text: &mut String, term: &str, postings: impl Iterator<Item = (u32, u32)>) {
    text.push_str(&serde_json::to_string(term).unwrap_or_default());
    text.push_str(":[");
    let mut previous = 0;
    for (i, (doc, w)) in postings.enumerate() {
        if i > 0 {
            text.push(',');
        }
        push_number(text, doc - previous);
        text.push(',');
        push_number(text, w);
        previous = doc;
    }
    text.push(']');
}

/// The postings of an entry `"term":[...]` as [`encode_term`] writes it:
/// article ids and weights, in order; `None` if it is not such an entry.
pub(super) fn decode_term(entry: &str) -> Option<Vec<(u32, u32)>> {
    let numbers = entry.rsplit_once(":[")?.1.strip_suffix(']')?;
    let mut postings = Vec::new();
    let mut id = 0u32;
    let mut numbers = numbers.split(',').filter(|_| !numbers.is_empty());
    while let Some(delta) = numbers.next() {
        id = id.checked_add(delta.parse().ok()?)?;
        postings.push((id, numbers.next()?.parse().ok()?));
    }
    Some(postings)
}

/// Appends a number in decimal, without the formatting machinery.
fn push_number(text: &mut String, mut n: u32) {
    if n < 10 {
        text.push(char::from(b'0' + n as u8));
        return;
    }
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    while n > 0 {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    digits[at..].iter().for_each(|&d| text.push(char::from(d)));
}

/// `value` as JSON and a line end, written into a buffer made for about
/// `size` bytes (so a long text is not copied as the buffer grows).
pub(super) fn to_json<T: Serialize>(value: &T, size: usize) -> String {
    let mut bytes = Vec::with_capacity(size + size / 16 + 512);
    if serde_json::to_writer(&mut bytes, value).is_err() {
        bytes = b"{}".to_vec();
    }
    bytes.push(b'\n');
    String::from_utf8(bytes).unwrap_or_default()
}

/// `docs.json`.
#[derive(Serialize)]
struct DocsFile<'g> {
    /// The average length in words.
    average: f64,
    docs: Vec<DocEntry<'g>>,
}

/// `[length, year index, type index, [topic ids], [author ids]]`.
type DocEntry<'g> = (u32, usize, usize, Vec<usize>, &'g [usize]);

/// The values articles can be filtered by, as `[slug, name]` lists.
struct Filters<'g> {
    topics: Vec<(&'g str, &'g str)>,
    authors: Vec<(&'g str, &'g str)>,
    types: Vec<&'g str>,
    years: Vec<i32>,
}

impl<'g> Filters<'g> {
    fn new(g: Reader<'g>) -> Self {
        let mut types: Vec<&str> = (0..g.article_count()).map(|id| g.article(id).kind.as_str()).collect();
        types.sort_unstable();
        types.dedup();
        Filters {
            topics: g.topics().iter().map(|t| (t.slug.as_str(), t.name.as_str())).collect(),
            authors: g.authors().iter().map(|a| (a.slug.as_str(), a.name.as_str())).collect(),
            types,
            years: g.years().iter().map(|(y, _)| *y).collect(),
        }
    }

    /// Article `id`'s entry in `docs.json`; a topic's articles include its
    /// subtopics'.
    fn of(&self, g: Reader<'g>, id: usize, len: u32) -> DocEntry<'g> {
        let a = g.article(id);
        let year = self.years.iter().position(|y| *y == a.date.year()).unwrap_or(0);
        let kind = self.types.iter().position(|k| *k == a.kind).unwrap_or(0);
        let mut topics = BTreeSet::new();
        for &t in g.article_topics(id) {
            let mut up = Some(t);
            while let Some(t) = up.filter(|t| !topics.contains(t)) {
                topics.insert(t);
                up = g.topic(t).parent;
            }
        }
        (len, year, kind, topics.into_iter().collect(), g.article_authors(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_in_decimal() {
        let mut text = String::new();
        for n in [0, 7, 10, 99, 4_294_967_295] {
            push_number(&mut text, n);
            text.push(' ');
        }
        assert_eq!(text, "0 7 10 99 4294967295 ");
    }

    /// A build adds articles to a part from their inputs, without making
    /// their docs: the part must be the one made from their docs.
    #[test]
    fn a_part_from_inputs_is_the_part_from_their_docs() {
        let input = |title, summary, html| SearchInput { title, summary, html };
        let inputs = [
            input(
                "Grid Queue",
                "Queue reform",
                "<p>The grid, the GRID; grid’s <em>qu</em>eue.</p>",
            ),
            input("Élan", "", "<h2>ΟΔΟΣ</h2><p>élan 2024 x&amp;y</p>"),
            input("", "Only a summary", ""),
            input("Grid", "grid", "<p>Reform reform, queue.</p>"),
        ];
        let docs: Vec<SearchDoc> = inputs.iter().map(|i| SearchDoc::extract(*i)).collect();
        let from_docs = Part::of(5, docs.iter());
        let (mut streamed, mut tally) = (Part::default(), Tally::default());
        let words: Vec<usize> = (5..)
            .zip(&inputs)
            .map(|(id, i)| streamed.push_article(id, *i, &mut tally))
            .collect();
        let index = |part: &Part| {
            let mut chunker = Chunker::default();
            chunk_parts(&[part], &mut chunker);
            chunker.finish().iter().map(|c| c.json.to_string()).collect::<Vec<_>>()
        };
        assert_eq!(index(&from_docs), index(&streamed));
        assert_eq!(from_docs.lengths, streamed.lengths);
        assert_eq!(words, docs.iter().map(SearchDoc::words).collect::<Vec<_>>());
    }

    #[test]
    fn chunks_hold_delta_encoded_postings_in_term_order() {
        let terms = [("alpha", vec![(2, 1), (5, 90210)]), ("beta", vec![(0, 3)])];
        let encoded: Vec<(&str, String)> = terms
            .iter()
            .map(|(t, p)| {
                let mut text = String::new();
                encode_term(&mut text, t, p.iter().copied());
                (*t, text)
            })
            .collect();
        let mut chunker = Chunker::default();
        for (term, text) in &encoded {
            chunker.push(term, text);
        }
        let chunks = chunker.finish();
        assert_eq!(chunks.len(), 1);
        assert_eq!(&*chunks[0].first, "alpha");
        assert_eq!(&*chunks[0].json, "{\"alpha\":[2,1,3,90210],\"beta\":[0,3]}\n");
        for ((_, postings), (_, text)) in terms.iter().zip(&encoded) {
            assert_eq!(decode_term(text).as_ref(), Some(postings), "{text}");
        }
        assert_eq!(decode_term("\"a\":[]"), Some(Vec::new()));
        for bad in [
            "\"a\":[1]",
            "\"a\":[1,2,]",
            "\"a\":[1,x]",
            "\"a\":1,2",
            "\"a\":[4294967295,1,1,1]",
        ] {
            assert_eq!(decode_term(bad), None, "{bad}");
        }
    }
}
