//! The index over every article, from their [`SearchDoc`]s: merged a part
//! (a run of consecutive articles) at a time in parallel, then the parts'
//! postings gathered term by term, in order, and encoded.

use super::doc::SearchDoc;
use super::{SearchIndex, TermMap};
use crate::graph::Reader;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;
use std::borrow::Borrow;
use std::collections::BTreeSet;

/// Term chunks are cut once they pass this many bytes.
const CHUNK_BYTES: usize = 24 * 1024;

/// A term's postings: article ids and weights, in article order.
type Postings = Vec<(u32, u32)>;

/// The terms of a run of consecutive articles, with their postings.
#[derive(Default)]
pub(super) struct Part {
    /// Each term's index in `postings`.
    terms: TermMap<Box<str>, u32>,
    postings: Vec<Postings>,
    /// Each article's length in words.
    lengths: Vec<u32>,
}

impl Part {
    /// The part made of `docs`, the first of which is article `first`.
    pub(super) fn of<D: Borrow<SearchDoc>>(first: usize, docs: impl Iterator<Item = D>) -> Part {
        let mut part = Part::default();
        for (id, doc) in (first as u32..).zip(docs) {
            let doc = doc.borrow();
            part.lengths.push(doc.length() as u32);
            for (term, weight) in doc.terms() {
                let t = match part.terms.get(term) {
                    Some(&t) => t,
                    None => {
                        part.postings.push(Vec::new());
                        let t = part.postings.len() as u32 - 1;
                        part.terms.insert(term.into(), t);
                        t
                    }
                };
                part.postings[t as usize].push((id, weight));
            }
        }
        part
    }
}

/// The index files from the parts, which cover every article of `graph`
/// in order.
pub(super) fn assemble_parts(graph: Reader<'_>, parts: &[&Part]) -> SearchIndex {
    // Each term, with where its postings are in each part that has it.
    let mut union: TermMap<&str, Vec<(u32, u32)>> = TermMap::default();
    for (p, part) in parts.iter().enumerate() {
        for (term, &t) in &part.terms {
            union.entry(term).or_default().push((p as u32, t));
        }
    }
    let mut order: Vec<(&str, Vec<(u32, u32)>)> = union.into_iter().collect();
    order.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    let encoded: Vec<String> = order
        .par_iter()
        .map(|(term, places)| {
            let postings = places
                .iter()
                .flat_map(|&(p, t)| &parts[p as usize].postings[t as usize]);
            encode_term(term, postings)
        })
        .collect();
    let (chunks, firsts) = chunk_terms(order.iter().map(|(term, _)| *term).zip(encoded));
    let lengths: Vec<u32> = parts.iter().flat_map(|p| p.lengths.iter().copied()).collect();
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
    SearchIndex {
        manifest: to_json(&manifest),
        docs: to_json(&docs),
        chunks,
    }
}

/// `"term":[first id,w,id - previous id,w,...]`.
fn encode_term<'p>(term: &str, postings: impl Iterator<Item = &'p (u32, u32)>) -> String {
    let mut text = serde_json::to_vec(term).unwrap_or_default();
    text.extend_from_slice(b":[");
    let mut previous = 0;
    for (i, &(doc, w)) in postings.enumerate() {
        if i > 0 {
            text.push(b',');
        }
        push_number(&mut text, doc - previous);
        text.push(b',');
        push_number(&mut text, w);
        previous = doc;
    }
    text.push(b']');
    String::from_utf8(text).unwrap_or_default()
}

/// Appends a number in decimal, without the formatting machinery.
fn push_number(text: &mut Vec<u8>, mut n: u32) {
    if n < 10 {
        text.push(b'0' + n as u8);
        return;
    }
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    while n > 0 {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    text.extend_from_slice(&digits[at..]);
}

pub(super) fn to_json<T: Serialize>(value: &T) -> String {
    let mut bytes = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
    bytes.push(b'\n');
    String::from_utf8(bytes).unwrap_or_default()
}

/// Cuts the encoded terms, in order, into chunks of about `CHUNK_BYTES`;
/// returns the chunks' JSON and each chunk's first term.
fn chunk_terms<'t>(terms: impl Iterator<Item = (&'t str, String)>) -> (Vec<String>, Vec<String>) {
    let mut chunks = Vec::new();
    let mut firsts = Vec::new();
    let mut current = String::new();
    for (term, text) in terms {
        if current.is_empty() {
            firsts.push(term.to_string());
            current.reserve(CHUNK_BYTES + 1024);
            current.push('{');
        } else {
            current.push(',');
        }
        current.push_str(&text);
        if current.len() > CHUNK_BYTES {
            current.push_str("}\n");
            chunks.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        current.push_str("}\n");
        chunks.push(current);
    }
    (chunks, firsts)
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
        let mut text = Vec::new();
        for n in [0, 7, 10, 99, 4_294_967_295] {
            push_number(&mut text, n);
            text.push(b' ');
        }
        assert_eq!(text, b"0 7 10 99 4294967295 ");
    }

    #[test]
    fn chunks_hold_delta_encoded_postings_in_term_order() {
        let terms = [("alpha", vec![(2, 1), (5, 90210)]), ("beta", vec![(0, 3)])];
        let encoded = terms.iter().map(|(t, p)| (*t, encode_term(t, p.iter())));
        let (chunks, firsts) = chunk_terms(encoded);
        assert_eq!(firsts, ["alpha"]);
        assert_eq!(chunks, ["{\"alpha\":[2,1,3,90210],\"beta\":[0,3]}\n"]);
    }
}
