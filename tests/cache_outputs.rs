//! Pages that come, go or move between cached builds: articles added and
//! removed are all found, and output files landing on each other are
//! found as a clean build finds them. A build whose pages are all where
//! the last build wrote them, with the same static files, need not look
//! for clashes again (that build found none, or it would not have been
//! kept); every edit that adds or moves a page or an alias, or changes the
//! static files, is checked as a clean build checks it, and fails with the
//! same errors.

use crate::cache::Site;
use crate::common::{pressroom, write};

/// The sample article that the edits give aliases.
const ALIASED: &str = "articles/2024/grid-interconnection-queues.md";
/// Another sample article, at `/articles/zoning-and-the-missing-middle/`.
const OTHER: &str = "articles/2023/zoning-and-the-missing-middle.md";

impl Site {
    /// A build with the cache (or a clean one into another folder): whether
    /// it succeeded, and its error lines.
    fn errors(&self, cached: bool) -> (bool, Vec<String>) {
        let cache = self.dir.path().join("cache");
        let (out, how) = match cached {
            true => (self.out(), ["--cache", cache.to_str().unwrap()]),
            false => (self.dir.path().join("clean"), ["--no-cache", "--quiet"]),
        };
        let output = pressroom()
            .args(["build", "--root"])
            .arg(self.root())
            .arg("--out")
            .arg(out)
            .args(how)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let errors = stderr.lines().filter(|l| l.contains(": error: ")).map(String::from);
        (output.status.success(), errors.collect())
    }

    /// Sets the front matter of the article `rel` to its own with `lines` added.
    fn front(&self, rel: &str, lines: &str) {
        let original = crate::common::repo_root().join(rel);
        let text = std::fs::read_to_string(original).unwrap();
        let text = text.replacen("---\n", &format!("---\n{lines}"), 1);
        write(&self.root().join(rel), text.as_bytes());
    }

    /// The cached build fails with the errors a clean build reports.
    fn fails_as_clean(&self, what: &str) {
        let (cached_ok, cached) = self.errors(true);
        let (clean_ok, clean) = self.errors(false);
        assert!(!clean_ok && !clean.is_empty(), "{what}: a clean build fails");
        assert!(!cached_ok, "{what}: the cached build fails too");
        assert_eq!(cached, clean, "{what}");
    }

    /// The cached build succeeds.
    fn builds(&self, what: &str) {
        let (ok, errors) = self.errors(true);
        assert!(ok, "{what}: {errors:?}");
    }
}

/// Each way a page or an alias can come to land on another, or a static
/// file on a page, after a cached build: each is found.
#[test]
fn a_cached_build_finds_every_clash_an_edit_makes() {
    let site = Site::new();
    site.builds("the sample archive");
    let clashing = "aliases: [\"/articles/zoning-and-the-missing-middle/\"]\n";
    // A new alias: a page that was not there.
    site.front(ALIASED, clashing);
    site.fails_as_clean("a new alias on an article");
    site.front(ALIASED, "aliases: [\"/old/grid/\"]\n");
    site.builds("a free alias");
    // The same alias page, moved onto the article.
    site.front(ALIASED, clashing);
    site.fails_as_clean("an alias moved onto an article");
    // An article moved onto an alias that was free.
    site.front(ALIASED, "aliases: [\"/articles/future-of-zoning/\"]\n");
    site.builds("another free alias");
    site.front(OTHER, "slug: future-of-zoning\n");
    site.fails_as_clean("an article moved onto an alias");
    site.front(OTHER, "");
    site.builds("the article back");
    // A static file at a page's path, with no page moved.
    write(&site.root().join("static/feed.xml"), b"<feed/>");
    site.fails_as_clean("a static file at the feed's path");
    std::fs::remove_file(site.root().join("static/feed.xml")).unwrap();
    site.builds("the static file gone");
    site.assert_clean();
}

/// Articles added and removed between cached builds, in folders that sort
/// differently as paths and as text (`2023-notes/` and `2023/`), are all
/// found by the listing: the output is a clean build's each time.
#[test]
fn articles_added_and_removed_between_cached_builds_are_found() {
    let site = Site::new();
    site.build();
    let added = [
        "articles/2023-notes/a-note.md",
        "articles/2023/zz-last.md",
        "articles/0-first.md",
    ];
    for (n, rel) in added.iter().enumerate() {
        let text = format!(
            "---\ntitle: \"Added {n}\"\ndate: 2023-05-0{}\nauthors: [mara-okonkwo]\n---\n\nText {n}.\n",
            n + 1
        );
        write(&site.root().join(rel), text.as_bytes());
    }
    site.build();
    site.assert_clean();
    for rel in &added[..2] {
        std::fs::remove_file(site.root().join(rel)).unwrap();
    }
    site.build();
    site.assert_clean();
}
