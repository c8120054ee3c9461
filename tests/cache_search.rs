//! The search index in the build cache (docs/search.md): a cached build
//! after an edit cuts again only the term chunks the edit touched, and a
//! damaged chunk in the cache is found and nothing of the cache is used.

use crate::cache::{rendered, Site};
use crate::common::write;

impl Site {
    /// The sample archive with `n` more articles, each of its own words,
    /// so that the index has many term chunks.
    fn with_notes(n: usize) -> Site {
        let site = Site::new();
        for i in 0..n {
            let words: String = (0..150).map(|j| format!("w{i}x{j} ")).collect();
            let text = format!(
                "---\ntitle: \"Note {i}\"\ndate: 2023-01-{:02}\nauthors: [mara-okonkwo]\n---\n\n{words}\n",
                1 + i % 28
            );
            write(
                &site.root().join(format!("articles/notes/note-{i}.md")),
                text.as_bytes(),
            );
        }
        site
    }
}

/// "search index: 1 of 12 term chunks cut", as `--verbose` says.
fn chunks_cut(stderr: &str) -> (usize, usize) {
    let line = stderr.lines().find(|l| l.starts_with("search index: "));
    let words: Vec<&str> = line
        .unwrap_or_else(|| panic!("no chunk count:\n{stderr}"))
        .split(' ')
        .collect();
    (words[2].parse().unwrap(), words[4].parse().unwrap())
}

/// Appends `text` to the note `i`.
fn append(site: &Site, i: usize, text: &str) {
    let path = site.root().join(format!("articles/notes/note-{i}.md"));
    let was = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{was}\n{text}\n")).unwrap();
}

/// One body edit: the build keeps the last index's chunks and cuts again
/// only those holding the terms the edit touched, and its index is a
/// clean build's, byte for byte. A build that cut every chunk again would
/// cost in proportion to the archive.
#[test]
fn a_body_edit_cuts_again_only_the_search_chunks_it_touches() {
    let site = Site::with_notes(80);
    let (cut, all) = chunks_cut(&site.build_verbose());
    assert!(all >= 8 && cut == all, "a first build cuts every chunk: {cut} of {all}");
    // Another weight for a word the note has: the chunk holding it keeps
    // its size, so it alone is cut again.
    append(&site, 40, "W40x7.");
    let (cut, all) = chunks_cut(&site.build_verbose());
    assert_eq!(cut, 1, "{cut} of {all} chunks cut again");
    site.assert_clean();
    // New words, which move the cuts after them, then gone again.
    append(&site, 40, "Kilowatt aardvark zygote.");
    site.build();
    site.assert_clean();
    let path = site.root().join("articles/notes/note-40.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("\nKilowatt aardvark zygote.\n", "")).unwrap();
    site.build();
    site.assert_clean();
}

/// A chunk of the kept index damaged in the pack: the build warns, uses
/// nothing of the cache, and writes a whole one again.
#[test]
fn a_damaged_search_chunk_in_the_cache_is_found_and_not_used() {
    let site = Site::with_notes(40);
    site.build();
    let chunk = std::fs::read(site.out().join("search/terms/2.json")).unwrap();
    let pack = site.pack();
    let mut bytes = std::fs::read(&pack).unwrap();
    let at = bytes
        .windows(chunk.len())
        .position(|w| w == chunk)
        .expect("the chunk is in the pack");
    bytes[at + chunk.len() / 2] ^= 0x01;
    std::fs::write(&pack, &bytes).unwrap();
    append(&site, 3, "Kilowatt.");
    let stderr = site.build();
    assert!(
        stderr.contains("has a chunk of its search index missing from its pack or not matching its checksum"),
        "{stderr}"
    );
    assert_eq!(rendered(&stderr), None, "nothing of the damaged cache is used");
    site.assert_clean();
    append(&site, 3, "W3x9.");
    let stderr = site.build_verbose();
    assert!(!stderr.contains("build cache"), "a whole cache was written:\n{stderr}");
    assert_eq!(chunks_cut(&stderr).0, 1, "{stderr}");
    site.assert_clean();
}
