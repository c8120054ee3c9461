//! The fixture site `tests/fixtures/full` built with data-printing templates
//! (`tests/fixtures/snapshot-templates`) and compared page by page with
//! `tests/fixtures/full.expected`. Every page kind and every template
//! variable shows up there, independent of the default theme's markup.
//!
//! After an intended change, regenerate with `PRESSROOM_BLESS=1 cargo test`.

use crate::common::{build_ok, copy_dir, fixture, read_tree};

/// The theme's own assets, copied byte for byte; compared with their
/// sources below rather than kept twice in the expected output.
const THEME_ASSETS: &[&str] = &["style.css", "favicon.svg", "search.js"];

fn build_fixture() -> std::collections::BTreeMap<String, Vec<u8>> {
    build_fixture_with(&[])
}

/// The fixture built with `args` (a clean build with `--no-cache`).
fn build_fixture_with(args: &[&str]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixture("full"), &root);
    copy_dir(&fixture("snapshot-templates"), &root.join("templates"));
    let out = dir.path().join("out");
    build_ok(&root, &out, args);
    let mut files = read_tree(&out);
    // The manifest holds the theme assets' hashes and is tested on its own
    // (tests/manifest.rs); kept here, every theme edit would change it.
    files.remove(pressroom::output::MANIFEST);
    for asset in THEME_ASSETS {
        let copied = files
            .remove(*asset)
            .unwrap_or_else(|| panic!("{asset} missing from the output"));
        let source = std::fs::read(crate::common::repo_root().join("static").join(asset)).unwrap();
        assert!(copied == source, "{asset} was not copied unchanged from the theme");
    }
    files
}

#[test]
fn every_page_kind_matches_the_expected_output() {
    let got = build_fixture();
    let expected_dir = fixture("full.expected");
    if std::env::var_os("PRESSROOM_BLESS").is_some() {
        let _ = std::fs::remove_dir_all(&expected_dir);
        for (path, bytes) in &got {
            crate::common::write(&expected_dir.join(path), bytes);
        }
        return;
    }
    let expected = read_tree(&expected_dir);
    let got_paths: Vec<&String> = got.keys().collect();
    let expected_paths: Vec<&String> = expected.keys().collect();
    assert_eq!(got_paths, expected_paths, "the set of output files differs");
    for (path, bytes) in &expected {
        let actual = String::from_utf8_lossy(&got[path]);
        let wanted = String::from_utf8_lossy(bytes);
        assert!(
            actual == wanted,
            "{path} differs from the expected output:\n--- expected\n{wanted}\n--- got\n{actual}"
        );
    }
}

#[test]
fn a_clean_build_gives_the_same_files() {
    // A clean build renders without noting reads, and shares work between
    // pages (an article page leaves its citation texts for its files).
    let clean = build_fixture_with(&["--no-cache"]);
    let cached = build_fixture();
    assert_eq!(clean.keys().collect::<Vec<_>>(), cached.keys().collect::<Vec<_>>());
    for (path, bytes) in &cached {
        assert!(
            clean[path] == *bytes,
            "{path} differs between a clean and a cached build"
        );
    }
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let got = build_fixture();
    assert!(!got.keys().any(|p| p.contains("unfinished-draft")));
    let dir = tempfile::tempdir().unwrap();
    build_ok(&fixture("full"), dir.path(), &["--drafts"]);
    assert!(dir.path().join("articles/unfinished-draft/index.html").exists());
}

#[test]
fn two_builds_are_byte_identical() {
    // Parallel rendering and hash maps must never leak into the output.
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    build_ok(&crate::common::repo_root(), &a, &[]);
    build_ok(&crate::common::repo_root(), &b, &[]);
    let (ta, tb) = (read_tree(&a), read_tree(&b));
    assert!(
        ta.len() > 50,
        "sample archive output looks too small: {} files",
        ta.len()
    );
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (path, bytes) in &ta {
        assert!(bytes == &tb[path], "{path} differs between two builds");
    }
}

#[test]
fn front_matter_values_are_escaped_in_html_and_xml() {
    let got = build_fixture();
    let page = String::from_utf8_lossy(&got["articles/rents-and-reserves/index.html"]);
    assert!(page.contains("Rents &amp; Reserves: &lt;Notes&gt; for 2024"), "{page}");
    assert!(!page.contains("<Notes>"));
    let feed = String::from_utf8_lossy(&got["feed.xml"]);
    assert!(feed.contains("<title>Rents &amp; Reserves: &lt;Notes&gt; for 2024</title>"));
    let zoning = String::from_utf8_lossy(&got["articles/zoning-reform/index.html"]);
    assert!(zoning.contains("Zoning Reform &quot;Without&quot; the Fight"));
}

#[test]
fn aliases_redirect_to_the_article() {
    let got = build_fixture();
    let page = String::from_utf8_lossy(&got["2023/09/05/zoning/index.html"]);
    assert!(
        page.contains("url=https://example.org/articles/zoning-reform/"),
        "{page}"
    );
    assert!(page.contains("rel=\"canonical\" href=\"https://example.org/articles/zoning-reform/\""));
}
