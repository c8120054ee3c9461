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

use super::text::plain_text;
use crate::graph::SiteGraph;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};

/// A term in a headline counts this many times a term in the body.
const TITLE_WEIGHT: u32 = 8;
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

/// Lowercase words of `text`: runs of letters and digits. `search.js`
/// splits queries the same way.
pub fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// Each term of one article with its weight, and the article's length.
fn article_terms(graph: &SiteGraph, id: usize) -> (Vec<(String, u32)>, usize) {
    let mut counts: HashMap<String, u32> = HashMap::new();
    let text = plain_text(&graph.rendered[id].html);
    let mut len = 0;
    for t in terms(&text) {
        *counts.entry(t).or_default() += 1;
        len += 1;
    }
    for t in terms(&graph.articles[id].title) {
        *counts.entry(t).or_default() += TITLE_WEIGHT;
        len += 1;
    }
    for t in terms(&graph.summaries[id]) {
        *counts.entry(t).or_default() += 1;
    }
    (counts.into_iter().collect(), len)
}

/// Builds the index of every article of `graph`.
pub fn build_search_index(graph: &SiteGraph) -> SearchIndex {
    let mut postings: HashMap<String, Vec<(u32, u32)>> = HashMap::new();
    let mut lengths = Vec::with_capacity(graph.articles.len());
    let ids: Vec<usize> = (0..graph.articles.len()).collect();
    for batch in ids.chunks(BATCH) {
        let found: Vec<(Vec<(String, u32)>, usize)> = batch.par_iter().map(|&id| article_terms(graph, id)).collect();
        for (&id, (list, len)) in batch.iter().zip(found) {
            lengths.push(len);
            for (term, w) in list {
                postings.entry(term).or_default().push((id as u32, w));
            }
        }
    }
    let mut sorted: Vec<(String, Vec<(u32, u32)>)> = postings.into_iter().collect();
    sorted.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let (chunks, firsts) = chunk_terms(&sorted);
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

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "{}".into()) + "\n"
}

/// Cuts the sorted terms into chunks of about `CHUNK_BYTES`; returns the
/// chunks' JSON and each chunk's first term.
fn chunk_terms(sorted: &[(String, Vec<(u32, u32)>)]) -> (Vec<String>, Vec<String>) {
    let mut chunks = Vec::new();
    let mut firsts = Vec::new();
    let mut current = String::new();
    for (term, list) in sorted {
        if current.is_empty() {
            firsts.push(term.clone());
            current.push('{');
        } else {
            current.push(',');
        }
        current.push_str(&serde_json::to_string(term).unwrap_or_default());
        current.push_str(":[");
        let mut previous = 0;
        for (i, (doc, w)) in list.iter().enumerate() {
            if i > 0 {
                current.push(',');
            }
            current.push_str(&format!("{},{w}", doc - previous));
            previous = *doc;
        }
        current.push(']');
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

/// `docs/ID.json`: what a result shows of article `id`.
pub fn render_fragment(graph: &SiteGraph, id: usize) -> String {
    let a = &graph.articles[id];
    let byline: Vec<&str> = graph.article_authors[id]
        .iter()
        .map(|&au| graph.authors[au].name.as_str())
        .collect();
    to_json(&json!({
        "url": graph.urls[id],
        "title": a.title,
        "kind": a.kind,
        "date": graph.dates[id].0,
        "date_display": graph.dates[id].1,
        "byline": byline,
        "summary": graph.summaries[id],
        "text": plain_text(&graph.rendered[id].html),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_lowercase_words() {
        let t: Vec<String> = terms("Grid’s queue — 2024 Élan").collect();
        assert_eq!(t, ["grid", "s", "queue", "2024", "élan"]);
    }

    #[test]
    fn chunks_hold_delta_encoded_postings_in_term_order() {
        let sorted = vec![
            ("alpha".to_string(), vec![(2, 1), (5, 9)]),
            ("beta".to_string(), vec![(0, 3)]),
        ];
        let (chunks, firsts) = chunk_terms(&sorted);
        assert_eq!(firsts, ["alpha"]);
        assert_eq!(chunks, ["{\"alpha\":[2,1,3,9],\"beta\":[0,3]}\n"]);
    }
}
