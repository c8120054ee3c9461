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
//!
//! Building the index is two steps, so that a preview redoes only the
//! articles an edit touched:
//! - [`SearchDoc::extract`] reads one article's terms and word counts from
//!   its [`SearchInput`] (headline, summary, body HTML) alone: a pure
//!   function, to keep by a hash of that input and make again only when it
//!   changes. This is where nearly all the work is (reading the text).
//! - [`SearchIndex::assemble`] merges every article's doc, in article order,
//!   with what the graph says of each (year, type, topics, authors) into
//!   the index files. It is cheap next to extraction and runs on both cores.
//!
//! A clean build uses [`SearchIndex::build`], which does both a part of the
//! archive at a time without keeping the docs, and gives the same bytes.

mod assemble;
mod chunks;
mod doc;
mod kept;
mod postings;
mod terms;

pub use chunks::Chunk;
pub use doc::{SearchDoc, SearchInput, TermsSource};
pub use kept::AssemblyCache;

use super::renderer::WordCounts;
use crate::graph::Reader;
use assemble::{assemble_parts, to_json, Part, Tally};
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Borrow;
use std::collections::HashMap;
use std::sync::Arc;

/// A fast hash for the index's many short string keys (FxHash's
/// multiply-rotate, taking a word of up to 8 bytes at once); the index does
/// not face untrusted keys' collisions any more than the site's own text does.
#[derive(Default, Clone, Copy)]
struct TermHasher(u64);

impl std::hash::Hasher for TermHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let word = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or_default());
        let half = |b: &[u8]| u64::from(u32::from_le_bytes(b.try_into().unwrap_or_default()));
        let n = bytes.len();
        let last = match n {
            0 => 0,
            1..=3 => u64::from(bytes[0]) << 16 | u64::from(bytes[n / 2]) << 8 | u64::from(bytes[n - 1]),
            4..=7 => half(&bytes[..4]) << 32 | half(&bytes[n - 4..]),
            _ => {
                let mut chunks = bytes[..n - 1].chunks_exact(8);
                for c in &mut chunks {
                    self.add(word(c));
                }
                // The last 8 bytes, overlapping the last whole chunk.
                word(&bytes[n - 8..])
            }
        };
        self.add(last ^ n as u64);
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
}

impl TermHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type TermMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<TermHasher>>;

/// Articles merged into one part of the index (a task for one core).
const PART: usize = 1024;

/// The index files other than the per-article ones.
pub struct SearchIndex {
    pub manifest: String,
    pub docs: String,
    pub chunks: Vec<Arc<str>>,
}

impl SearchIndex {
    /// The index of `graph`'s articles from their docs, `docs[id]` being
    /// article `id`'s.
    pub fn assemble<D: Borrow<SearchDoc> + Sync>(graph: Reader<'_>, docs: &[D]) -> SearchIndex {
        let parts = Part::all_of(docs);
        assemble_parts(graph, &parts.iter().collect::<Vec<_>>())
    }

    /// As [`SearchIndex::assemble`], doing again only what changed since
    /// the last assembly with `cache`: after an edit to a few articles, only
    /// the terms and chunks their docs touch.
    pub fn assemble_cached(graph: Reader<'_>, docs: &[Arc<SearchDoc>], cache: &mut AssemblyCache) -> SearchIndex {
        cache.assemble(graph, docs)
    }

    /// Extracts every article's doc and assembles the index, a part at a
    /// time; each article's body word count goes to `words_of` for its page.
    pub fn build(graph: Reader<'_>, words_of: &WordCounts) -> SearchIndex {
        let ids: Vec<usize> = (0..graph.article_count()).collect();
        let parts: Vec<Part> = ids
            .par_chunks(PART)
            .map(|ids| {
                let (mut part, mut tally) = (Part::default(), Tally::default());
                for &id in ids {
                    let words = part.push_article(id as u32, search_input(graph, id), &mut tally);
                    words_of.insert(graph.body_hash(id), words);
                }
                part.shrink();
                part
            })
            .collect();
        assemble_parts(graph, &parts.iter().collect::<Vec<_>>())
    }
}

/// What article `id`'s [`SearchDoc`] is made from.
pub fn search_input<'a>(graph: Reader<'a>, id: usize) -> SearchInput<'a> {
    SearchInput {
        title: &graph.article(id).title,
        summary: graph.summary(id),
        html: graph.body_html(id),
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
    // `text` follows, written by `render_fragment`.
}

/// `docs/ID.json`: what a result shows of article `id`, with its date for
/// readers in the site's language.
pub fn render_fragment(graph: Reader<'_>, id: usize, date_display: &str) -> String {
    let a = graph.article(id);
    super::text::with_plain_text(graph.body_html(id), |text| {
        let fragment = Fragment {
            url: graph.url(id),
            title: &a.title,
            kind: &a.kind,
            date: &graph.date(id).0,
            date_display,
            byline: graph
                .article_authors(id)
                .iter()
                .map(|&au| graph.author(au).name.as_str())
                .collect(),
            summary: graph.summary(id),
        };
        // The text, by far the longest value, is escaped on its own and
        // put last, as its field's place in `Fragment` says.
        let mut json = to_json(&fragment, text.len());
        json.truncate(json.len() - "}\n".len());
        json.push_str(",\"text\":");
        super::json::push_quoted(&mut json, text);
        json.push_str("}\n");
        json
    })
}
