//! Every internal `href` and `src` in the output leads to a file that
//! exists, and every `#fragment` to an element with that id: for the sample
//! archive, the fixture site, and both under a base URL with a path.

use crate::common::{build_ok, fixture, read_tree, repo_root};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// Values of `href="..."` and `src="..."` attributes (our output always quotes with `"`).
fn links_in(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            out.push(rest[..end].replace("&amp;", "&"));
        }
    }
    out
}

fn ids_in(html: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        ids.insert(rest[..rest.find('"').unwrap_or(0)].to_string());
    }
    ids
}

/// Checks the output in `out` built for a site published at `origin` + `base_path`.
fn check_links(out: &Path, origin: &str, base_path: &str) -> usize {
    let files: BTreeMap<String, Vec<u8>> = read_tree(out);
    let mut checked = 0;
    let mut broken = Vec::new();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for link in links_in(&html) {
            let local = if let Some(rest) = link.strip_prefix(origin) {
                rest.to_string()
            } else if link.starts_with('/') {
                link.clone()
            } else if let Some(fragment) = link.strip_prefix('#') {
                let own = ids_in(&html);
                if !fragment.is_empty() && !own.contains(fragment) {
                    broken.push(format!("{path}: #{fragment} (no such id on the page)"));
                }
                checked += 1;
                continue;
            } else {
                assert!(
                    link.contains("://") || link.starts_with("mailto:"),
                    "{path}: relative link {link}"
                );
                continue;
            };
            checked += 1;
            let Some(inside) = local.strip_prefix(base_path) else {
                broken.push(format!("{path}: {link} is outside the base path {base_path}"));
                continue;
            };
            let (file, fragment) = inside.split_once('#').map_or((inside, None), |(f, a)| (f, Some(a)));
            let target = if file.is_empty() || file.ends_with('/') {
                format!("{file}index.html")
            } else {
                file.to_string()
            };
            match files.get(&target) {
                None => broken.push(format!("{path}: {link} (no file {target})")),
                Some(bytes) => {
                    if let Some(fragment) = fragment {
                        if !ids_in(&String::from_utf8_lossy(bytes)).contains(fragment) {
                            broken.push(format!("{path}: {link} (no id {fragment} in {target})"));
                        }
                    }
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    checked
}

#[test]
fn sample_archive_has_no_broken_links() {
    let dir = tempfile::tempdir().unwrap();
    build_ok(&repo_root(), dir.path(), &[]);
    let checked = check_links(dir.path(), "https://example.org", "/");
    assert!(checked > 500, "only {checked} links checked");
}

#[test]
fn sample_archive_under_a_base_path_has_no_broken_links() {
    let dir = tempfile::tempdir().unwrap();
    build_ok(
        &repo_root(),
        dir.path(),
        &["--base-url", "https://example.org/commentary/"],
    );
    let checked = check_links(dir.path(), "https://example.org", "/commentary/");
    assert!(checked > 500, "only {checked} links checked");
    let home = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(home.contains("href=\"/commentary/style.css\""));
    assert!(!home.contains("href=\"/articles/"), "a link escaped the base path");
    let feed = std::fs::read_to_string(dir.path().join("feed.xml")).unwrap();
    assert!(feed.contains("<id>https://example.org/commentary/feed.xml</id>"));
    let sitemap = std::fs::read_to_string(dir.path().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.org/commentary/articles/"));
}

#[test]
fn fixture_site_with_the_default_theme_has_no_broken_links() {
    let dir = tempfile::tempdir().unwrap();
    build_ok(
        &fixture("full"),
        dir.path(),
        &["--base-url", "https://example.org/a/b/"],
    );
    check_links(dir.path(), "https://example.org", "/a/b/");
}

#[test]
fn cross_references_become_links_to_the_target_heading() {
    let dir = tempfile::tempdir().unwrap();
    build_ok(&fixture("full"), dir.path(), &["--base-url", "https://example.org/a/"]);
    let page = std::fs::read_to_string(dir.path().join("articles/water-rates-part-2/index.html")).unwrap();
    assert!(
        page.contains("href=\"/a/articles/water-rates-part-1/#the-fixed-charge\""),
        "{page}"
    );
    let target = std::fs::read_to_string(dir.path().join("articles/water-rates-part-1/index.html")).unwrap();
    assert!(target.contains("<h2 id=\"the-fixed-charge\">"));
    // And the target lists its citers under "Referenced by".
    let refs = &target[target.find("Referenced by").expect("Referenced by section")..];
    assert!(refs.contains("/a/articles/water-rates-part-2/") && refs.contains("/a/articles/water-rates-part-3/"));
}
