//! The search index assembled from per-article docs, as a preview does.

use crate::common::{article, site};
use pressroom::engine::load_once;
use pressroom::render::search::{search_input, AssemblyCache, SearchDoc, SearchIndex};
use pressroom::render::WordCounts;
use pressroom::timings::Timings;
use std::sync::Arc;

/// A preview merges again only the part of the index (1,024 articles) an
/// edit touched; the index it gives must be the one made from scratch, and
/// the one a build writes.
#[test]
fn search_index_from_kept_parts_equals_a_fresh_one() {
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
    // An edit: article 1500 now reads like another one.
    let mut input = search_input(g, 1500);
    input.html = "<p>Transmission tariffs, rewritten.</p>";
    docs[1500] = Arc::new(SearchDoc::extract(input));
    let again = SearchIndex::assemble_cached(g, &docs, &mut cache);
    let fresh = SearchIndex::assemble(g, &docs);
    assert_eq!(
        (&again.manifest, &again.docs, &again.chunks),
        (&fresh.manifest, &fresh.docs, &fresh.chunks)
    );
    assert_ne!(again.chunks, first.chunks);
    assert!(again.chunks.concat().contains("\"transmission\":[1500,1]"));
}
