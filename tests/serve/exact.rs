//! After each kind of edit, the preview's files must be byte-identical to a
//! clean build of the same folder, and only the pages the edit can reach
//! may be rendered again.

use crate::common::{copy_dir, fixture, write};
use pressroom::engine::load_once;
use pressroom::output::MemoryWriter;
use pressroom::serve::{classify, Preview, PreviewOptions, Update};
use pressroom::timings::Timings;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const URL: &str = "http://127.0.0.1:1111/";

/// A copy of a fixture site with a preview of it, and the output and
/// cache of cached builds after each edit.
pub(super) struct Edited {
    dir: tempfile::TempDir,
    built: tempfile::TempDir,
    pub(super) preview: Preview,
    pub(super) pages: usize,
}

impl Edited {
    pub(super) fn new(name: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture(name), dir.path());
        Self::open(dir)
    }

    pub(super) fn open(dir: tempfile::TempDir) -> Self {
        let (preview, update) = Preview::load(PreviewOptions {
            root: dir.path().to_path_buf(),
            base_url: URL.into(),
            drafts: false,
        });
        assert!(!update.diagnostics.has_errors(), "{}", update.diagnostics.report());
        let edited = Edited {
            pages: update.rendered,
            dir,
            built: tempfile::tempdir().unwrap(),
            preview,
        };
        edited.assert_matches_build();
        edited
    }

    pub(super) fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub(super) fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    /// Rewrites a file with `f` and applies the change.
    pub(super) fn edit(&mut self, rel: &str, f: impl FnOnce(&str) -> String) -> Update {
        let text = f(&self.read(rel));
        write(&self.path(rel), text.as_bytes());
        self.apply(&[rel])
    }

    /// Replaces `from` by `to` in a file, which must contain it.
    pub(super) fn replace(&mut self, rel: &str, from: &str, to: &str) -> Update {
        self.edit(rel, |t| {
            assert!(t.contains(from), "{rel} has no `{from}`");
            t.replacen(from, to, 1)
        })
    }

    pub(super) fn apply(&mut self, rels: &[&str]) -> Update {
        let changes: Vec<_> = rels
            .iter()
            .map(|r| (classify(Path::new(r)).expect("a site path"), PathBuf::from(r)))
            .collect();
        self.preview.apply(&changes)
    }

    /// The problems a preview loaded afresh from the folder finds.
    pub(super) fn fresh_report(&self) -> String {
        let options = PreviewOptions {
            root: self.dir.path().to_path_buf(),
            base_url: URL.into(),
            drafts: false,
        };
        Preview::load(options).1.diagnostics.report()
    }

    /// The preview's files, and a cached build's, equal a clean build's.
    pub(super) fn assert_matches_build(&self) {
        let expected = build(self.dir.path());
        assert_same(&self.cached_build(), &expected, "cached build");
        assert_same(&self.preview.files(), &expected, "preview");
    }

    /// Builds the site with the cache the earlier builds left; its files.
    fn cached_build(&self) -> BTreeMap<String, Vec<u8>> {
        let (out, cache) = (self.built.path().join("out"), self.built.path().join("cache"));
        let args = ["--base-url", URL, "--cache", cache.to_str().unwrap()];
        crate::common::build_ok(self.dir.path(), &out, &args);
        crate::manifest::site_files(&out)
    }
}

/// `got` (from `what`) holds exactly the files of `expected`, byte for byte.
fn assert_same(got: &BTreeMap<String, Vec<u8>>, expected: &BTreeMap<String, Vec<u8>>, what: &str) {
    let keys = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(got), keys(expected), "the {what} holds other files than a build");
    let differ: Vec<&String> = expected.keys().filter(|k| got[*k] != expected[*k]).collect();
    if let Some(first) = differ.first() {
        panic!(
            "{} files differ from a clean build: {differ:?}\n--- {what} {first}:\n{}\n--- build:\n{}",
            differ.len(),
            String::from_utf8_lossy(&got[*first]),
            String::from_utf8_lossy(&expected[*first])
        );
    }
}

/// A clean build of `root` into memory, under the preview's URL.
fn build(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let site = load_once(root, Some((URL.into(), "--base-url")), false, &mut Timings::default());
    let diagnostics = site.check();
    assert!(!diagnostics.has_errors(), "build failed:\n{}", diagnostics.report());
    let writer = MemoryWriter::default();
    site.write(&site.renderer().unwrap(), &writer).unwrap();
    writer.files.into_inner().unwrap()
}

pub(super) fn ok(update: &Update) {
    assert!(!update.diagnostics.has_errors(), "{}", update.diagnostics.report());
}

#[test]
fn body_edit_renders_the_article_and_its_feeds() {
    let mut site = Edited::new("full");
    let update = site.replace(
        "articles/2024/rents-and-reserves.md",
        "Up four percent.",
        "Up five percent.",
    );
    ok(&update);
    site.assert_matches_build();
    assert!(update
        .changed
        .contains(&"articles/rents-and-reserves/index.html".to_string()));
    assert_eq!(update.markdown, 1);
    // The article, the Atom feeds listing it (the site's, its author's, its
    // two topics' and the parent topic's) and their JSON Feeds, its search
    // excerpt and the search-index files holding the changed words.
    assert!(
        update.rendered <= 13,
        "{} of {} pages rendered",
        update.rendered,
        site.pages
    );
}

#[test]
fn title_edit_renders_the_pages_that_list_it() {
    let mut site = Edited::new("full");
    let update = site.replace(
        "articles/2022/rainy-day-funds.md",
        "Rainy-Day Funds, Explained",
        "Reserves, Explained",
    );
    ok(&update);
    site.assert_matches_build();
    assert_eq!(update.markdown, 0, "a title edit needs no Markdown rendered");
    // Its page, the pages citing it, listings and feeds all show the title.
    for path in [
        "articles/rainy-day-funds/index.html",
        "articles/zoning-reform/index.html",
        "authors/ada-park/feed.xml",
        "archive/2022/index.html",
        "topics/budgets/page/2/index.html",
    ] {
        assert!(
            update.changed.contains(&path.to_string()),
            "{path} not in {:?}",
            update.changed
        );
    }
}

#[test]
fn date_edit_moves_the_article_between_years_and_pages() {
    let mut site = Edited::new("full");
    ok(&site.replace(
        "articles/2022/rainy-day-funds.md",
        "date: 2022-03-01",
        "date: 2024-12-30",
    ));
    site.assert_matches_build();
    ok(&site.replace(
        "articles/2024/water-rates-part-3.md",
        "date: 2024-01-20",
        "date: 2021-01-20",
    ));
    site.assert_matches_build();
}

#[test]
fn authors_topics_and_summary_edits() {
    let mut site = Edited::new("full");
    ok(&site.replace(
        "articles/2024/rents-and-reserves.md",
        "authors: [ben-osei]",
        "authors: [dev-rao, ben-osei]",
    ));
    site.assert_matches_build();
    ok(&site.replace(
        "articles/2024/rents-and-reserves.md",
        "topics: [Rental housing, Budgets]",
        "topics: [Rental housing, Budgets, Water, Rent control]",
    ));
    site.assert_matches_build();
    ok(&site.replace(
        "articles/2024/rents-and-reserves.md",
        "summary: \"Two numbers",
        "summary: \"Three numbers",
    ));
    site.assert_matches_build();
    // Without a summary, the first paragraph is the summary.
    ok(&site.edit("articles/2024/rents-and-reserves.md", |t| {
        t.lines()
            .filter(|l| !l.starts_with("summary:"))
            .map(|l| format!("{l}\n"))
            .collect()
    }));
    site.assert_matches_build();
    ok(&site.replace(
        "articles/2024/rents-and-reserves.md",
        "Rents rose again",
        "Rents rose yet again",
    ));
    site.assert_matches_build();
}

#[test]
fn draft_flag_publishes_and_withdraws() {
    let mut site = Edited::new("full");
    ok(&site.replace("articles/2024/unfinished-draft.md", "draft: true", "draft: false"));
    site.assert_matches_build();
    assert!(site
        .preview
        .files()
        .contains_key("articles/unfinished-draft/index.html"));
    ok(&site.replace("articles/2024/unfinished-draft.md", "draft: false", "draft: true"));
    site.assert_matches_build();
    assert!(!site
        .preview
        .files()
        .contains_key("articles/unfinished-draft/index.html"));
}

#[test]
fn heading_edit_breaks_an_anchor_and_the_fix_recovers() {
    let mut site = Edited::new("full");
    let before = site.preview.files();
    let update = site.replace(
        "articles/2022/rainy-day-funds.md",
        "## How big is big enough",
        "## How large is large enough",
    );
    let report = update.diagnostics.report();
    assert!(
        report.contains("articles/2023/zoning-reform.md:16:55:")
            && report.contains("has no heading `#how-big-is-big-enough`"),
        "{report}"
    );
    assert_eq!(site.preview.files(), before, "errors keep the last good pages");
    ok(&site.replace(
        "articles/2023/zoning-reform.md",
        "#how-big-is-big-enough",
        "#how-large-is-large-enough",
    ));
    site.assert_matches_build();
}

#[test]
fn slug_edit_rewrites_the_links_to_it() {
    let mut site = Edited::new("full");
    let update = site.replace(
        "articles/2022/rainy-day-funds.md",
        "topics: [Budgets]\n",
        "topics: [Budgets]\nslug: reserves-explained\n",
    );
    ok(&update);
    site.assert_matches_build();
    assert_eq!(update.markdown, 2, "the two articles linking to it are rendered again");
    assert!(update
        .changed
        .contains(&"articles/rainy-day-funds/index.html".to_string()));
    assert!(update
        .changed
        .contains(&"articles/reserves-explained/index.html".to_string()));
}

#[test]
fn add_delete_and_rename_articles() {
    let mut site = Edited::new("full");
    let new = "articles/2025/new-look.md";
    write(
        &site.path(new),
        b"---\ntitle: \"A New Look at Reserves\"\ndate: 2025-01-05\nauthors: [ada-park]\ntopics: [Budgets, Water]\n---\n\nSee [the bonds](../2023/water-rates-part-2.md#ratings-and-rates).\n",
    );
    ok(&site.apply(&[new]));
    site.assert_matches_build();

    std::fs::remove_file(site.path("articles/2024/rents-and-reserves.md")).unwrap();
    ok(&site.apply(&["articles/2024/rents-and-reserves.md"]));
    site.assert_matches_build();

    let (from, to) = ("articles/2024/water-rates-part-3.md", "articles/2024/water-fix.md");
    std::fs::rename(site.path(from), site.path(to)).unwrap();
    ok(&site.apply(&[from, to]));
    site.assert_matches_build();

    // A folder renamed at once: only the folder's own path is reported.
    std::fs::rename(site.path("articles/2025"), site.path("articles/2025-new")).unwrap();
    ok(&site.apply(&["articles/2025", "articles/2025-new"]));
    site.assert_matches_build();
}

#[test]
fn deleting_a_cited_article_is_an_error_until_the_citation_goes() {
    let mut site = Edited::new("full");
    std::fs::remove_file(site.path("articles/2023/zoning-reform.md")).unwrap();
    let update = site.apply(&["articles/2023/zoning-reform.md"]);
    assert!(
        update
            .diagnostics
            .report()
            .contains("articles/2024/rents-and-reserves.md:11:42: error: broken cross-reference"),
        "{}",
        update.diagnostics.report()
    );
    ok(&site.replace(
        "articles/2024/rents-and-reserves.md",
        "[the zoning fight](../2023/zoning-reform.md)",
        "the zoning fight",
    ));
    site.assert_matches_build();
}

#[test]
fn template_edit_renders_the_pages_using_it() {
    let mut site = Edited::new("full");
    let builtin = std::fs::read_to_string(crate::common::repo_root().join("templates/article.html")).unwrap();
    let rel = "templates/article.html";
    let edited = builtin.replace("{% endblock content %}", "<!-- edited -->{% endblock content %}");
    assert_ne!(edited, builtin);
    write(&site.path(rel), edited.as_bytes());
    let update = site.apply(&[rel]);
    ok(&update);
    site.assert_matches_build();
    assert_eq!(update.rendered, 6, "one page per published article");
    assert_eq!(update.changed.len(), 6);

    let base = std::fs::read_to_string(crate::common::repo_root().join("templates/base.html")).unwrap();
    write(
        &site.path("templates/base.html"),
        base.replace("</main>", "</main><!-- b -->").as_bytes(),
    );
    let update = site.apply(&["templates/base.html"]);
    ok(&update);
    site.assert_matches_build();
    // Every HTML page but the alias redirect (a page of its own) extends base.html.
    let html = site.preview.files().keys().filter(|k| k.ends_with(".html")).count();
    assert_eq!(update.rendered, html - 1);

    // The footer is rendered once for every page: an edit reaches them all.
    let footer = std::fs::read_to_string(crate::common::repo_root().join("templates/footer.html")).unwrap();
    write(
        &site.path("templates/footer.html"),
        footer.replace("</footer>", "</footer><!-- f -->").as_bytes(),
    );
    let update = site.apply(&["templates/footer.html"]);
    ok(&update);
    site.assert_matches_build();
    assert!(update.rendered >= html - 1, "{} of {html} pages", update.rendered);
}

#[test]
fn static_edits_copy_only_that_file() {
    let mut site = Edited::new("full");
    write(
        &site.path("static/images/reservoir.svg"),
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
    let update = site.apply(&["static/images/reservoir.svg"]);
    ok(&update);
    site.assert_matches_build();
    // The article whose lead image it is states the image's size, read from the file.
    assert_eq!(
        update.changed,
        ["articles/water-rates-part-1/index.html", "images/reservoir.svg"]
    );
    assert_eq!(update.rendered, 1);

    write(&site.path("static/notes/a.txt"), b"hello\n");
    ok(&site.apply(&["static/notes/a.txt"]));
    site.assert_matches_build();
    // The site's own style.css replaces the theme's, and deleting it brings the theme's back.
    write(&site.path("static/style.css"), b"body{}\n");
    ok(&site.apply(&["static/style.css"]));
    site.assert_matches_build();
    std::fs::remove_file(site.path("static/style.css")).unwrap();
    ok(&site.apply(&["static/style.css"]));
    site.assert_matches_build();
}

#[test]
fn image_removed_from_static_is_an_error_and_coming_back_recovers() {
    let mut site = Edited::new("full");
    let svg = site.read("static/images/reservoir.svg");
    std::fs::remove_file(site.path("static/images/reservoir.svg")).unwrap();
    let update = site.apply(&["static/images/reservoir.svg"]);
    assert!(
        update.diagnostics.report().contains("not found in static/"),
        "{}",
        update.diagnostics.report()
    );
    write(&site.path("static/images/reservoir.svg"), svg.as_bytes());
    ok(&site.apply(&["static/images/reservoir.svg"]));
    site.assert_matches_build();
}

#[test]
fn author_and_topic_files() {
    let mut site = Edited::new("full");
    ok(&site.replace("authors/ada-park.yaml", "name: \"Ada Park\"", "name: \"Ada J. Park\""));
    site.assert_matches_build();
    ok(&site.replace("topics/housing.yaml", "Zoning, rents", "Zoning, rent"));
    site.assert_matches_build();
}

#[test]
fn site_yaml_rebuilds_everything() {
    let mut site = Edited::new("full");
    let update = site.replace("site.yaml", "paginate: 2", "paginate: 3");
    ok(&update);
    site.assert_matches_build();
    let update = site.replace("site.yaml", "Northgate Policy Review", "Northgate Review");
    ok(&update);
    site.assert_matches_build();
    // The theme's style.css, favicon.svg and search.js, and the fixture's two images.
    let statics = 5;
    assert_eq!(
        update.rendered,
        site.preview.files().len() - statics,
        "every page is rendered again"
    );
}

/// A site of `n` articles over several years, authors and topics, citing
/// one another, for counting how much an edit renders.
fn archive(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        &root.join("site.yaml"),
        b"title: \"Archive\"\nbase_url: \"https://example.org/\"\npaginate: 5\nfeed_limit: 5\n",
    );
    for a in 0..6 {
        write(
            &root.join(format!("authors/author-{a}.yaml")),
            format!("name: \"Author {a}\"\n").as_bytes(),
        );
    }
    let topics = ["Trade", "Energy", "Housing", "Health", "Water"];
    for i in 0..n {
        let year = 2015 + i % 8;
        let (month, day) = (1 + i % 12, 1 + (i * 7) % 28);
        let cite = if i >= 3 {
            let j = i / 2;
            format!("See [an earlier piece](../{}/piece-{j}.md#findings).\n", 2015 + j % 8)
        } else {
            String::new()
        };
        let text = format!(
            "---\ntitle: \"Piece {i}\"\ndate: {year}-{month:02}-{day:02}\nauthors: [author-{}]\ntopics: [{}, {}]\n---\n\nOpening of piece {i}.\n\n## Findings\n\n{cite}\n",
            i % 6,
            topics[i % 5],
            topics[(i / 5) % 5],
        );
        write(&root.join(format!("articles/{year}/piece-{i}.md")), text.as_bytes());
    }
    dir
}

#[test]
fn edits_render_few_pages_of_a_larger_archive() {
    let mut site = Edited::open(archive(120));
    let total = site.pages;
    assert!(total > 200, "{total} pages");
    let rel = "articles/2016/piece-41.md";

    let update = site.replace(rel, "Opening of piece 41.", "Opening of piece forty-one.");
    ok(&update);
    site.assert_matches_build();
    assert_eq!(update.markdown, 1);
    // As above, with a JSON Feed beside each Atom feed and the search files
    // that hold the article's words.
    assert!(
        update.rendered <= 22,
        "body edit rendered {} of {total}",
        update.rendered
    );

    let update = site.replace(rel, "title: \"Piece 41\"", "title: \"Piece Forty-One\"");
    ok(&update);
    site.assert_matches_build();
    assert_eq!(update.markdown, 0);
    assert!(
        update.rendered <= 30,
        "title edit rendered {} of {total}",
        update.rendered
    );

    let update = site.replace(rel, "topics: [Energy", "topics: [Health");
    ok(&update);
    site.assert_matches_build();
    // Its related articles and the listings, feeds and JSON Feeds of both
    // topics, and the search index's filter data.
    assert!(
        update.rendered <= 75,
        "topic edit rendered {} of {total}",
        update.rendered
    );

    let update = site.replace(rel, "## Findings", "## Results");
    assert!(update.diagnostics.has_errors(), "pieces citing #findings break");
    let update = site.replace(rel, "## Results", "## Findings");
    ok(&update);
    site.assert_matches_build();
    assert_eq!(update.rendered, 0, "back to what was served");
}

#[test]
fn an_older_namesake_takes_the_slug_of_an_article_not_edited() {
    // Slugs from file names go to the oldest article: adding an older
    // zoning-reform.md moves the existing one, and the article citing it
    // must link to its new URL.
    let mut site = Edited::new("full");
    let rel = "articles/2021/zoning-reform.md";
    write(
        &site.path(rel),
        b"---\ntitle: \"Zoning, the First Round\"\ndate: 2021-04-01\nauthors: [ben-osei]\ntopics: [Housing]\n---\n\nEarlier.\n",
    );
    let update = site.apply(&[rel]);
    assert!(!update.diagnostics.has_errors(), "{}", update.diagnostics.report());
    site.assert_matches_build();
    assert!(update
        .changed
        .contains(&"articles/rents-and-reserves/index.html".to_string()));
    std::fs::remove_file(site.path(rel)).unwrap();
    ok(&site.apply(&[rel]));
    site.assert_matches_build();
}
