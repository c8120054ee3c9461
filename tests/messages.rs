//! Messages in the editor's words: no Rust type names, each problem at its
//! own line, usage errors with status 2, hints that name pressroom's key
//! for another generator's, and `exclude`.

use crate::common::{article, pressroom, site, AUTHOR};
use predicates::prelude::*;

const GOOD: (&str, &str) = (
    "articles/good.md",
    "---\ntitle: Good\ndate: 2024-01-02\nauthors: jane-doe\n---\nFine.\n",
);

/// `check` on a site of `files` (plus an author and a good article):
/// the problem lines, without the summary.
fn problems(files: &[(&str, &str)]) -> Vec<String> {
    let mut all = vec![AUTHOR, GOOD];
    all.extend_from_slice(files);
    let s = site(&all);
    let out = pressroom().args(["check", "--root"]).arg(s.path()).output().unwrap();
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
        .map(str::to_string)
        .collect()
}

fn front(yaml: &str) -> String {
    article(yaml, "Text.\n")
}

#[test]
fn wrong_types_are_named_in_words() {
    let image = front("title: T\ndate: 2024-01-02\nauthors: jane-doe\nimage: chart.png\n");
    assert_eq!(
        problems(&[("articles/a.md", &image)]),
        ["articles/a.md:5:8: error: image: expected a map with src and alt (and optionally caption and credit), found the text \"chart.png\""]
    );
    assert_eq!(
        problems(&[("site.yaml", "base_url: https://x.org/\npaginate: -1\n")]),
        ["site.yaml:2:11: error: paginate: expected a whole number, 0 or more, found the number -1"]
    );
    assert_eq!(
        problems(&[("site.yaml", "base_url: https://x.org/\nfeed_limit: 99999999999999999999999\n")]),
        ["site.yaml:2:13: error: feed_limit: expected a whole number, 0 or more, found the number 99999999999999999999999"]
    );
    assert_eq!(
        problems(&[("site.yaml", "My Site\n")]),
        ["site.yaml:1:1: error: expected a map of settings, one `key: value` per line, found the text \"My Site\""]
    );
}

#[test]
fn a_repeated_key_is_reported_at_the_repeat() {
    let twice = front("title: One\ndate: 2024-01-02\nauthors: jane-doe\ntitle: Two\n");
    assert_eq!(
        problems(&[("articles/a.md", &twice)]),
        ["articles/a.md:5:1: error: duplicate key `title`"]
    );
}

#[test]
fn site_yaml_problems_are_on_their_own_lines() {
    // Why: a bad base_url on line 2 was reported on line 3.
    assert_eq!(
        problems(&[("site.yaml", "title: X\nbase_url: example.org\npaginate: 3\n")]),
        ["site.yaml:2:1: error: base_url: `example.org` is not an absolute http(s) URL such as https://example.org/commentary/"]
    );
    assert_eq!(
        problems(&[("site.yaml", "title: X\nbaseURL: https://x.org/\nbaseurl: /blog\n")]),
        [
            "site.yaml:2:1: error: unknown key `baseURL` in site.yaml; use `base_url` (`baseURL` comes from Hugo)",
            "site.yaml:3:1: error: unknown key `baseurl` in site.yaml; use `base_url`, the full address, path included (`baseurl` comes from Jekyll)",
        ]
    );
}

#[test]
fn an_empty_site_yaml_and_a_missing_base_url_get_one_warning_about_site_yaml() {
    let expected = "site.yaml:1:1: warning: no base_url set, so feeds, the sitemap and canonical links point at http://localhost/; set base_url in site.yaml to the address the site is published at";
    assert_eq!(problems(&[("site.yaml", "")]), [expected]);
    assert_eq!(problems(&[("site.yaml", "title: X\n")]), [expected]);
    // Serve publishes at its own address: no warning there.
}

#[test]
fn other_generators_keys_name_the_pressroom_key() {
    let hugo = front("title: T\ndate: 2024-01-02\nauthors: jane-doe\ntags: [a]\ncategories: [b]\ndescription: d\nlastmod: 2024-02-03\nauthor: jane-doe\n");
    assert_eq!(
        problems(&[("articles/a.md", &hugo)]),
        [
            "articles/a.md:5:1: warning: unknown key `tags` ignored; use `topics` (`tags` comes from Hugo, Jekyll and Eleventy)",
            "articles/a.md:6:1: warning: unknown key `categories` ignored; use `topics` (`categories` comes from Hugo and Jekyll)",
            "articles/a.md:7:1: warning: unknown key `description` ignored; use `summary` (`description` comes from Hugo and Eleventy)",
            "articles/a.md:8:1: warning: unknown key `lastmod` ignored; use `updated` (`lastmod` comes from Hugo)",
            "articles/a.md:9:1: warning: unknown key `author` ignored; use `authors`, a list of author slugs (`author` comes from Hugo, Jekyll and Eleventy)",
        ]
    );
}

#[test]
fn a_bad_base_url_flag_is_a_usage_error() {
    let s = site(&[AUTHOR, GOOD]);
    pressroom()
        .args(["build", "--base-url", "example.org", "--root"])
        .arg(s.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "invalid value 'example.org' for '--base-url <URL>': `example.org` is not an absolute http(s) URL",
        ));
    assert!(!s.path().join("public").exists());
}

#[test]
fn readme_files_and_excluded_patterns_are_not_content() {
    // Why: a README.md in articles/ was an error, and nothing could be excluded.
    let s = site(&[
        AUTHOR,
        GOOD,
        (
            "site.yaml",
            "base_url: https://x.org/\nexclude: [\"*.txt.md\", \"articles/old/**\"]\n",
        ),
        ("articles/README.md", "# How to write articles here\n"),
        ("authors/README.md", "# One file per author\n"),
        ("articles/notes.txt.md", "scratch\n"),
        ("articles/old/2001/a.md", "not front matter\n"),
        (
            "articles/draft.md",
            "---\ntitle: D\ndate: 2024-01-02\nauthors: jane-doe\ndraft: true\n---\nx\n",
        ),
    ]);
    let out = pressroom().args(["build", "--root"]).arg(s.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.starts_with("Built 1 article, 1 author, 0 topics (")
            && stderr.contains("; 1 draft skipped, 4 files excluded\n"),
        "{stderr}"
    );
    // Each excluded file is one line of `--verbose`, a line break in its name escaped.
    std::fs::write(s.path().join("articles/old/2001/b\nc.md"), "scratch\n").unwrap();
    let out = pressroom()
        .args(["build", "--verbose", "--root"])
        .arg(s.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("excluded: articles/old/2001/b\\nc.md\n"), "{stderr}");
    assert_eq!(
        problems(&[("site.yaml", "base_url: https://x.org/\nexclude: [\"a[\"]\n")]),
        ["site.yaml:2:12: error: exclude: `a[` is not a valid pattern: unclosed character class; missing ']'"]
    );
}
