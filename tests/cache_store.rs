//! The build cache's folder (docs/cli.md#the-build-cache): the HTML in a
//! pack read on demand and appended to, kept in bounds, never trusted
//! unchecked, and nothing left behind by builds that were stopped.

use crate::cache::{rendered, Site};
use crate::common::build_ok;
use crate::manifest::{edit_article, EDITED};
use std::path::{Path, PathBuf};

impl Site {
    fn cache(&self) -> PathBuf {
        self.dir.path().join("cache")
    }

    /// The pack file of the cache (there is one).
    pub(crate) fn pack(&self) -> PathBuf {
        let packs: Vec<PathBuf> = std::fs::read_dir(self.cache())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("pack-"))
            .collect();
        assert_eq!(packs.len(), 1, "{packs:?}");
        packs.into_iter().next().unwrap()
    }
}

impl Site {
    /// A build with `--verbose`: its standard error.
    pub(crate) fn build_verbose(&self) -> String {
        let cache = self.cache();
        build_ok(
            &self.root(),
            &self.out(),
            &["--cache", cache.to_str().unwrap(), "--verbose"],
        )
    }
}

/// How many shards of the state, and parts of the pages, the build's save
/// wrote, as `--verbose` says.
fn written(stderr: &str) -> (usize, usize) {
    let line = stderr.lines().find(|l| l.contains("shards of the state and"));
    let line = line.unwrap_or_else(|| panic!("no shard count:\n{stderr}"));
    let words: Vec<&str> = line.trim_start_matches("cache: ").split(' ').collect();
    (words[0].parse().unwrap(), words[8].parse().unwrap())
}

/// How many shards of the state the build's save wrote.
fn shards_written(stderr: &str) -> usize {
    written(stderr).0
}

/// The bytes of every file in `dir`.
fn folder_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum()
}

/// A damaged pack is found when its HTML is read: the build starts again
/// without the cache, warns, and its output is a clean build's.
#[test]
fn a_damaged_pack_is_detected_and_the_build_starts_afresh() {
    let site = Site::new();
    site.build();
    let pack = site.pack();
    let mut bytes = std::fs::read(&pack).unwrap();
    for b in bytes.iter_mut().step_by(97) {
        *b ^= 0x01;
    }
    std::fs::write(&pack, &bytes).unwrap();
    // A template every article page uses: every page shows its HTML again.
    let template = site.root().join("templates/article.html");
    let text = std::fs::read_to_string(&template).unwrap();
    std::fs::write(&template, text.replace("</article>", "<!-- again --></article>")).unwrap();
    let stderr = site.build();
    assert!(stderr.contains("build cache"), "{stderr}");
    assert!(stderr.contains("does not match its checksum"), "{stderr}");
    assert_eq!(rendered(&stderr), None, "nothing of the damaged cache is used");
    site.assert_clean();
    edit_article(&site.root());
    let stderr = site.build();
    assert!(!stderr.contains("build cache"), "a whole cache was written:\n{stderr}");
    assert!(rendered(&stderr).is_some(), "{stderr}");
    site.assert_clean();
}

/// Temporary files and packs of builds stopped while saving are removed
/// by the next build that saves; the cache's other files stay.
#[test]
fn stale_temporary_files_are_removed() {
    let site = Site::new();
    site.build();
    let stale = [".index.bin.4242.tmp", "pack-1-4242.bin", "build.bin"];
    for name in stale {
        std::fs::write(site.cache().join(name), b"left by a build that was stopped").unwrap();
    }
    edit_article(&site.root());
    site.build();
    for name in stale {
        assert!(!site.cache().join(name).exists(), "{name} is still there");
    }
    assert!(site.cache_file().is_file());
    assert!(site.cache().join("CACHEDIR.TAG").is_file());
    site.pack();
}

/// Twenty edits each add their HTML to the pack; what no index needs is
/// dropped once it outweighs the rest, so the folder stays in bounds.
#[test]
fn the_cache_folder_does_not_grow_without_bound() {
    let site = Site::new();
    site.build();
    let first = folder_size(&site.cache());
    let path = site.root().join(EDITED);
    let original = std::fs::read_to_string(&path).unwrap();
    let mut largest = 0;
    for n in 0..20 {
        // A long paragraph, other each time: a new entry in the pack.
        let paragraph = format!("Edit {n}: ") + &"the ledger grew again. ".repeat(400);
        std::fs::write(&path, format!("{original}\n{paragraph}\n")).unwrap();
        let stderr = site.build();
        assert!(rendered(&stderr).is_some(), "edit {n}: {stderr}");
        largest = largest.max(folder_size(&site.cache()));
    }
    site.assert_clean();
    // Each edit appends its body and its shard of the state (more than
    // 20 * 400 * 23 bytes in all, kept without bound); what no index needs
    // is dropped once it outweighs the rest.
    let grown = 20 * 400 * 23;
    assert!(
        largest < 2 * first + grown / 2,
        "the cache grew from {first} to {largest} bytes over 20 edits"
    );
}

/// An article file edited to the same size, or to another size, is read
/// again; one only touched is hashed again and renders nothing.
#[test]
fn edited_files_are_read_again_and_touched_ones_render_nothing() {
    let site = Site::new();
    site.build();
    let path = site.root().join(EDITED);
    let text = std::fs::read_to_string(&path).unwrap();
    let title = text.lines().find(|l| l.starts_with("title:")).unwrap();
    // One letter of the title, so the size stays.
    let renamed = title.replacen('a', "o", 1);
    assert_eq!(renamed.len(), title.len());
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&path, text.replacen(title, &renamed, 1)).unwrap();
    let stderr = site.build();
    assert!(rendered(&stderr).is_some(), "{stderr}");
    site.assert_clean();
    std::fs::write(
        &path,
        text.replacen(title, &title.replacen(": \"", ": \"Again: ", 1), 1),
    )
    .unwrap();
    assert!(rendered(&site.build()).is_some());
    site.assert_clean();
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .unwrap();
    let stderr = site.build();
    assert!(stderr.contains("nothing changed"), "{stderr}");
    site.assert_clean();
}

/// A build after one edit appends its HTML and the one shard of the state
/// holding that article, not the whole state; a pack cut short where those
/// were appended is found when the shards are read, and the build after
/// the next edit warns and gives a clean build's output.
#[test]
fn one_edit_appends_one_shard_and_a_cut_shard_is_found() {
    let site = Site::new();
    assert_eq!(written(&site.build_verbose()), (64, 64));
    let before = std::fs::metadata(site.pack()).unwrap().len();
    let index = std::fs::metadata(site.cache_file()).unwrap().len();
    edit_article(&site.root());
    let stderr = site.build_verbose();
    assert_eq!(shards_written(&stderr), 1, "{stderr}");
    // The pages' parts written are those holding a page rendered again.
    let (rendered_pages, pages) = rendered(&stderr).expect("a count of pages rendered");
    let parts = written(&stderr).1;
    assert!(
        parts >= 1 && parts <= rendered_pages && rendered_pages < pages,
        "{stderr}"
    );
    site.assert_clean();
    let pack = site.pack();
    let after = std::fs::metadata(&pack).unwrap().len();
    assert!(after > before, "the edit's entries are appended");
    // With the search index's term chunks the edit's words fall in (the
    // sample archive has two).
    let chunks: u64 = std::fs::read_dir(site.out().join("search/terms"))
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    assert!(
        after - before < index + chunks,
        "one shard, one body and the chunks cut again ({} bytes) are less than the index ({index} bytes) and every chunk ({chunks})",
        after - before
    );
    let bytes = std::fs::read(&pack).unwrap();
    std::fs::write(&pack, &bytes[..before as usize]).unwrap();
    edit_article(&site.root());
    let stderr = site.build();
    assert!(stderr.contains("build cache"), "{stderr}");
    assert!(stderr.contains("part of its state"), "{stderr}");
    assert_eq!(rendered(&stderr), None, "nothing of the damaged cache is used");
    site.assert_clean();
}
