//! `pressroom new`: what it writes, the next build accepts, and it never
//! moves a published article's URL.

use crate::common::{article, build_ok, pressroom, site, AUTHOR};
use predicates::prelude::*;

/// A published article from the file name `three-fixes.md`, as the starter site has.
const PUBLISHED: (&str, &str) = (
    "articles/three-fixes.md",
    "---\ntitle: Three fixes\ndate: 2026-11-29\nauthors: jane-doe\n---\n\nPublished.\n",
);

/// The title of the article page at `url` (under the build's output).
fn title_at(out: &std::path::Path, url: &str) -> String {
    let page = std::fs::read_to_string(out.join(url).join("index.html")).unwrap();
    let start = page.find("<title>").unwrap() + "<title>".len();
    page[start..start + page[start..].find("</title>").unwrap()].to_string()
}

/// Why: `new` only warned that the slug was taken; the article it wrote
/// (in a year folder, which sorts first on the same date) took the URL.
#[test]
fn new_refuses_a_title_whose_slug_an_article_has() {
    let s = site(&[AUTHOR, PUBLISHED]);
    pressroom()
        .args(["new", "Three Fixes!", "--date", "2026-11-29", "--root"])
        .arg(s.path())
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "error: articles/three-fixes.md already has the slug `three-fixes`",
        ))
        .stderr(predicate::str::contains("choose another title"));
    assert!(!s.path().join("articles/2026").exists());
}

/// Why: a draft the build leaves out claimed its slug before a published
/// article of the same date, whose URL then moved to `three-fixes-2026-11-29`.
#[test]
fn a_draft_left_out_of_the_build_never_takes_a_published_url() {
    let draft = article(
        "title: Draft\ndate: 2026-11-29\nauthors: jane-doe\ndraft: true\n",
        "Draft.\n",
    );
    let s = site(&[AUTHOR, PUBLISHED, ("articles/2026/three-fixes.md", &draft)]);
    let out = s.path().join("public");
    build_ok(s.path(), &out, &[]);
    assert!(title_at(&out, "articles/three-fixes").starts_with("Three fixes"));
    assert!(!out.join("articles/three-fixes-2026-11-29").exists());
}

/// Runs `new` in `root` with `args` (dated 2024-05-06).
fn new_in(root: &std::path::Path, args: &[&str]) -> assert_cmd::assert::Assert {
    pressroom()
        .arg("new")
        .args(args)
        .args(["--date", "2024-05-06", "--root"])
        .arg(root)
        .assert()
}

/// Why: a control character went into the front matter as it was, and
/// the next build failed on the new file. The build refuses one in any
/// value (a feed cannot hold it), so `new` refuses it before writing.
#[test]
fn a_title_with_control_characters_is_refused_as_the_build_refuses_it() {
    let s = site(&[AUTHOR]);
    for (title, file) in [("A\u{1}B", "a-b"), ("Esc\u{1b}[0m", "esc-0m"), ("Del\u{7f}x", "del-x")] {
        new_in(s.path(), &[title])
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(format!(
                "error: the build would refuse articles/2024/{file}.md, so it was not written:"
            )))
            .stderr(predicate::str::contains("invisible control character U+"));
        assert!(!s.path().join(format!("articles/2024/{file}.md")).exists());
    }
}

/// Why: `--topic ""` (or one without letters or digits) was written, and
/// the next build failed: "topic has no letters or digits".
#[test]
fn new_refuses_a_topic_the_build_would_refuse() {
    let s = site(&[AUTHOR]);
    for topic in ["", "   ", "!!!"] {
        new_in(s.path(), &["Outlook", "--topic", topic])
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(
                "error: the build would refuse articles/2024/outlook.md, so it was not written:",
            ))
            .stderr(predicate::str::contains(format!(
                "error: topic `{topic}` has no letters or digits"
            )));
    }
    assert!(!s.path().join("articles/2024/outlook.md").exists());
}

/// Why: `new "Readme"` wrote readme.md, which the build skips as a
/// README; a title matching an `exclude:` pattern was skipped the same way.
#[test]
fn new_refuses_a_file_the_build_would_skip() {
    let config = "base_url: http://localhost/\nexclude: [\"articles/**/secret-*\"]\n";
    let s = site(&[AUTHOR, ("site.yaml", config)]);
    for (title, file) in [
        ("Readme", "readme"),
        ("README", "readme"),
        ("Secret plans", "secret-plans"),
    ] {
        new_in(s.path(), &[title]).code(2).stderr(format!(
            "error: the build skips articles/2024/{file}.md (a README, or a name that `exclude:` in site.yaml \
             matches); choose another title\n"
        ));
    }
    assert!(!s.path().join("articles/2024").exists());
}

/// Why: a year folder that was a symbolic link was written through, so
/// the article landed outside the site (and the build skips links).
#[test]
fn new_refuses_to_write_through_a_linked_folder() {
    let s = site(&[
        AUTHOR,
        (
            "articles/a.md",
            &article("title: A\ndate: 2024-01-02\nauthors: jane-doe\n", "A.\n"),
        ),
    ]);
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), s.path().join("articles/2024")).unwrap();
    new_in(s.path(), &["Outlook"]).code(2).stderr(
        "error: articles/2024 is a symbolic link, which the build skips: new writes only into the site's own \
         folders; replace the link with a folder\n",
    );
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
}
