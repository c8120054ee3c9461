//! The search index assembled from per-article docs, as a preview does.

use crate::common::{article, site};
use pressroom::engine::load_once;
use pressroom::graph::Reader;
use pressroom::render::search::{search_input, AssemblyCache, SearchDoc, SearchIndex};
use pressroom::render::WordCounts;
use pressroom::timings::Timings;
use std::sync::Arc;

/// A preview (and a cached build) encodes again only the terms an edit
/// touched, from the chunks the last assembly kept, and cuts again only
/// the chunks holding them; the index it gives must be the one made from
/// scratch, and the one a build writes.
#[test]
fn search_index_from_kept_chunks_equals_a_fresh_one() {
    let files: Vec<(String, String)> = (0..2100)
        .map(|i| {
            let front = format!(
                "title: Note {i}\ndate: 2024-0{}-1{}\nauthors: jane-doe\n",
                1 + i % 9,
                i % 10
            );
            let body = format!("Grid queue number {i}, and word{} of many.\n", i % 37);
            (format!("articles/n{i}.md"), article(&front, &body))
        })
        .chain([("authors/jane-doe.yaml".to_string(), "name: Jane Doe\n".to_string())])
        .collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let dir = site(&files);
    let site = load_once(dir.path(), None, false, &mut Timings::default());
    assert!(!site.check().has_errors(), "the site loads");
    let g = site.graph().untracked();
    let mut docs: Vec<Arc<SearchDoc>> = (0..g.article_count())
        .map(|id| Arc::new(SearchDoc::extract(search_input(g, id))))
        .collect();
    let mut cache = AssemblyCache::default();
    let first = SearchIndex::assemble_cached(g, &docs, &mut cache);
    let built = SearchIndex::build(g, &WordCounts::default());
    assert_eq!(
        (&first.manifest, &first.docs, &first.chunks),
        (&built.manifest, &built.docs, &built.chunks)
    );
    // One more "queue" in article 1500: one weight changes, in one chunk,
    // which alone is cut again; the others are the very same texts.
    let queue = format!("{}<p>Queue.</p>", search_input(g, 1500).html);
    docs[1500] = doc_with(g, 1500, &queue);
    let weighed = same_as_fresh(g, &docs, &mut cache);
    let (cut, all) = cache.cut();
    assert!(all >= 4 && cut == 1, "{cut} of {all} chunks cut again");
    let same = first
        .chunks
        .iter()
        .zip(&weighed.chunks)
        .filter(|(a, b)| Arc::ptr_eq(a, b));
    assert_eq!(same.count(), all - 1);
    // An edit: article 1500 now reads like another one.
    docs[1500] = doc_with(g, 1500, "<p>Transmission tariffs, rewritten.</p>");
    let again = same_as_fresh(g, &docs, &mut cache);
    assert_ne!(again.chunks, first.chunks);

    assert!(again.chunks.concat().contains("\"transmission\":[1500,1]"));
    // Edits in a row: many new terms, which move later chunks' cuts; terms
    // before the first and after the last; two articles at once; then the
    // new terms gone again.
    let many: String = (0..3000).map(|n| format!("levy{n} ")).collect();
    docs[20] = doc_with(g, 20, &format!("<p>{many}</p>"));
    let grown = same_as_fresh(g, &docs, &mut cache);
    assert!(grown.chunks.len() > again.chunks.len(), "the new terms make chunks");
    docs[2099] = doc_with(g, 2099, "<p>Aardvark zygote 0000 zzzz.</p>");
    docs[3] = doc_with(g, 3, "<p>Aardvark again, and grid.</p>");
    same_as_fresh(g, &docs, &mut cache);
    docs[20] = doc_with(g, 20, "<p>Grid queue, briefly.</p>");
    docs[2099] = doc_with(g, 2099, "<p>Grid.</p>");
    let shrunk = same_as_fresh(g, &docs, &mut cache);
    assert!(!shrunk.chunks.concat().contains("levy1"), "removed terms are gone");
    assert!(!shrunk.chunks.concat().contains("zygote"), "removed terms are gone");
    // The first terms of two chunks in a row gain a posting: the second
    // chunk is cut again though the cut before it stays.
    let manifest: serde_json::Value = serde_json::from_str(&shrunk.manifest).unwrap();
    let starts = manifest["chunks"].as_array().unwrap();
    assert!(starts.len() > 3, "the index has several chunks");
    let (one, two) = (starts[1].as_str().unwrap(), starts[2].as_str().unwrap());
    let html = format!("{} <p>{one} {two}</p>", search_input(g, 9).html);
    docs[9] = doc_with(g, 9, &html);
    let gained = same_as_fresh(g, &docs, &mut cache);
    assert_eq!(gained.chunks[0], shrunk.chunks[0]);
    assert_ne!(gained.chunks[2], shrunk.chunks[2]);
    // An article removed, then one added back in its place.
    let removed = docs.remove(700);
    same_as_fresh(g, &docs, &mut cache);
    docs.insert(700, removed);
    same_as_fresh(g, &docs, &mut cache);
    docs[700] = doc_with(g, 700, "<p>Queue.</p>");
    same_as_fresh(g, &docs, &mut cache);
    // Only a term's weight changes.
    docs[700] = doc_with(g, 700, "<p>Queue queue queue.</p>");
    same_as_fresh(g, &docs, &mut cache);
}

/// Article `id`'s doc with `html` for its body.
fn doc_with(g: Reader<'_>, id: usize, html: &str) -> Arc<SearchDoc> {
    let mut input = search_input(g, id);
    input.html = html;
    Arc::new(SearchDoc::extract(input))
}

/// The index assembled with `cache`, checked to be the one made afresh.
fn same_as_fresh(g: Reader<'_>, docs: &[Arc<SearchDoc>], cache: &mut AssemblyCache) -> SearchIndex {
    let kept = SearchIndex::assemble_cached(g, docs, cache);
    let fresh = SearchIndex::assemble(g, docs);
    assert_eq!(
        (&kept.manifest, &kept.docs, &kept.chunks),
        (&fresh.manifest, &fresh.docs, &fresh.chunks)
    );
    kept
}
