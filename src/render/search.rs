//! The full-text search index, written by the build from the articles it
//! already holds, and read in the browser by the theme's `search.js`: no
//! server, and a query fetches only the few files it needs.
//!
//! Files under `search/`:
//! - `manifest.json`: the first term of every term chunk, and the names of
//!   the filter values (topics, authors, types, years);
//! - `docs.json`: per article its length in words and its filter values;
//! - `terms/N.json`: terms in order, each with its postings, delta-encoded
//!   article ids and weights (`[id, w, id - previous id, w, ...]`);
//! - `docs/ID.json`: one article's title, URL, date, byline and text, fetched
//!   for the results shown, to draw the excerpt.
//!
//! The format is documented in docs/search.md; `search.js` is its one reader.

use super::text::{plain_text, word_count};
use crate::graph::SiteGraph;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// A term in a headline counts this many times a term in the body.
const TITLE_WEIGHT: u32 = 8;
/// A fast hash for the index's many short string keys (FxHash's
/// multiply-rotate); the index does not face untrusted keys' collisions
/// any more than the site's own text does.
#[derive(Default, Clone, Copy)]
struct TermHasher(u64);

impl std::hash::Hasher for TermHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or_default()));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }
}

impl TermHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type TermMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<TermHasher>>;

/// Term chunks are cut once they pass this many bytes.
const CHUNK_BYTES: usize = 24 * 1024;
/// Articles tokenized at once before their terms are merged.
const BATCH: usize = 1024;

/// The index files other than the per-article ones.
pub struct SearchIndex {
    pub manifest: String,
    pub docs: String,
    pub chunks: Vec<String>,
}

/// Runs of letters and digits of already lowercased text; `search.js`
/// lowercases a query and splits it the same way.
fn words(lower: &str) -> impl Iterator<Item = &str> {
    lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// One article's terms with their weights, and its length in words.
struct ArticleTerms {
    terms: Vec<(Box<str>, u32)>,
    len: usize,
}

/// The terms of article `id`; its word count goes to `words_of` for its page.
fn article_terms(graph: &SiteGraph, id: usize, words_of: &[OnceLock<usize>]) -> ArticleTerms {
    let text = plain_text(&graph.rendered[id].html);
    let _ = words_of[id].set(word_count(&text));
    let body = text.to_lowercase();
    drop(text);
    let title = graph.articles[id].title.to_lowercase();
    let summary = graph.summaries[id].to_lowercase();
    let mut counts: TermMap<&str, u32> = TermMap::with_capacity_and_hasher(1024, Default::default());
    let mut len = 0;
    for (text, weight, counted) in [(&body, 1, true), (&title, TITLE_WEIGHT, true), (&summary, 1, false)] {
        for w in words(text) {
            *counts.entry(w).or_default() += weight;
            len += usize::from(counted);
        }
    }
    ArticleTerms {
        terms: counts.into_iter().map(|(t, w)| (Box::from(t), w)).collect(),
        len,
    }
}

/// A term's postings, in article order.
type Postings = Vec<(u32, u32)>;

/// Builds the index of every article of `graph`. Articles are tokenized
/// in parallel, a batch at a time, and their terms merged into one
/// dictionary; the terms are then sorted and encoded in parallel.
pub fn build_search_index(graph: &SiteGraph, words_of: &[OnceLock<usize>]) -> SearchIndex {
    let mut term_ids: TermMap<Box<str>, u32> = TermMap::default();
    let mut postings: Vec<Postings> = Vec::new();
    let mut lengths = Vec::with_capacity(graph.articles.len());
    let all: Vec<usize> = (0..graph.articles.len()).collect();
    for batch in all.chunks(BATCH) {
        let found: Vec<ArticleTerms> = batch.par_iter().map(|&id| article_terms(graph, id, words_of)).collect();
        for (&id, found) in batch.iter().zip(found) {
            lengths.push(found.len);
            for (term, w) in found.terms {
                let t = match term_ids.get(&term) {
                    Some(&t) => t,
                    None => {
                        postings.push(Vec::new());
                        term_ids.insert(term, postings.len() as u32 - 1);
                        postings.len() as u32 - 1
                    }
                };
                postings[t as usize].push((id as u32, w));
            }
        }
    }
    let mut order: Vec<(Box<str>, u32)> = term_ids.into_iter().collect();
    order.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let encoded: Vec<(Box<str>, String)> = order
        .into_par_iter()
        .map(|(term, t)| {
            let text = encode_term(&term, &postings[t as usize]);
            (term, text)
        })
        .collect();
    let (chunks, firsts) = chunk_terms(encoded.into_iter());
    let filters = Filters::new(graph);
    let manifest = json!({
        "version": 1,
        "articles": graph.articles.len(),
        "chunks": firsts,
        "topics": filters.topics,
        "authors": filters.authors,
        "types": filters.types,
        "years": filters.years,
    });
    let docs_json = json!({
        "average": lengths.iter().sum::<usize>() as f64 / lengths.len().max(1) as f64,
        "docs": (0..graph.articles.len()).map(|id| filters.of(graph, id, lengths[id])).collect::<Vec<_>>(),
    });
    SearchIndex {
        manifest: to_json(&manifest),
        docs: to_json(&docs_json),
        chunks,
    }
}

/// `"term":[first id,w,id - previous id,w,...]`.
fn encode_term(term: &str, postings: &[(u32, u32)]) -> String {
    let mut text = serde_json::to_string(term).unwrap_or_default();
    text.reserve(postings.len() * 6 + 3);
    text.push_str(":[");
    let mut previous = 0;
    for (i, &(doc, w)) in postings.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        push_number(&mut text, doc - previous);
        text.push(',');
        push_number(&mut text, w);
        previous = doc;
    }
    text.push(']');
    text
}

/// Appends a number in decimal, without the formatting machinery.
fn push_number(text: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    text.extend(digits[at..].iter().map(|&d| char::from(d)));
}

fn to_json<T: Serialize>(value: &T) -> String {
    let mut bytes = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
    bytes.push(b'\n');
    String::from_utf8(bytes).unwrap_or_default()
}

/// Cuts the encoded terms, in order, into chunks of about `CHUNK_BYTES`;
/// returns the chunks' JSON and each chunk's first term.
fn chunk_terms(terms: impl Iterator<Item = (Box<str>, String)>) -> (Vec<String>, Vec<String>) {
    let mut chunks = Vec::new();
    let mut firsts = Vec::new();
    let mut current = String::new();
    for (term, text) in terms {
        if current.is_empty() {
            firsts.push(term.to_string());
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

/// The values articles can be filtered by, as `[slug, name]` lists.
struct Filters {
    topics: Vec<(String, String)>,
    authors: Vec<(String, String)>,
    types: Vec<String>,
    years: Vec<i32>,
}

impl Filters {
    fn new(g: &SiteGraph) -> Self {
        let mut types: Vec<String> = g.articles.iter().map(|a| a.kind.clone()).collect();
        types.sort();
        types.dedup();
        Filters {
            topics: g.topics.iter().map(|t| (t.slug.clone(), t.name.clone())).collect(),
            authors: g.authors.iter().map(|a| (a.slug.clone(), a.name.clone())).collect(),
            types,
            years: g.years.iter().map(|(y, _)| *y).collect(),
        }
    }

    /// `[length, year index, type index, [topic ids], [author ids]]`; a
    /// topic's articles include its subtopics'.
    fn of(&self, g: &SiteGraph, id: usize, len: usize) -> serde_json::Value {
        let a = &g.articles[id];
        let year = self.years.iter().position(|y| *y == a.date.year()).unwrap_or(0);
        let kind = self.types.iter().position(|k| *k == a.kind).unwrap_or(0);
        let mut topics: BTreeMap<usize, ()> = BTreeMap::new();
        for &t in &g.article_topics[id] {
            let mut up = Some(t);
            while let Some(t) = up.filter(|t| !topics.contains_key(t)) {
                topics.insert(t, ());
                up = g.topics[t].parent;
            }
        }
        json!([
            len,
            year,
            kind,
            topics.keys().collect::<Vec<_>>(),
            g.article_authors[id]
        ])
    }
}

/// What a result shows of an article, as `docs/ID.json`.
#[derive(Serialize)]
struct Fragment<'a> {
    url: &'a str,
    title: &'a str,
    kind: &'a str,
    date: &'a str,
    date_display: &'a str,
    byline: Vec<&'a str>,
    summary: &'a str,
    text: &'a str,
}

/// `docs/ID.json`: what a result shows of article `id`, with its date for
/// readers in the site's language.
pub fn render_fragment(graph: &SiteGraph, id: usize, date_display: &str) -> String {
    let a = &graph.articles[id];
    let text = plain_text(&graph.rendered[id].html);
    let fragment = Fragment {
        url: &graph.urls[id],
        title: &a.title,
        kind: &a.kind,
        date: &graph.dates[id].0,
        date_display,
        byline: graph.article_authors[id]
            .iter()
            .map(|&au| graph.authors[au].name.as_str())
            .collect(),
        summary: &graph.summaries[id],
        text: &text,
    };
    to_json(&fragment)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_lowercase_words() {
        let lower = "Grid’s queue — 2024 Élan".to_lowercase();
        assert_eq!(
            words(&lower).collect::<Vec<_>>(),
            ["grid", "s", "queue", "2024", "élan"]
        );
    }

    #[test]
    fn chunks_hold_delta_encoded_postings_in_term_order() {
        let terms = [("alpha", vec![(2, 1), (5, 90210)]), ("beta", vec![(0, 3)])];
        let encoded = terms.iter().map(|(t, p)| (Box::from(*t), encode_term(t, p)));
        let (chunks, firsts) = chunk_terms(encoded);
        assert_eq!(firsts, ["alpha"]);
        assert_eq!(chunks, ["{\"alpha\":[2,1,3,90210],\"beta\":[0,3]}\n"]);
    }
}
