//! Content rules that once overwrote or lost something silently: each
//! reproduction, with the exact report and the previous output untouched.

use crate::bad_input::{assert_build_fails, text};
use crate::common::{article, pressroom, site, AUTHOR};

const BY_JANE: &str = "authors: jane-doe\n";

#[test]
fn explicit_slug_may_not_take_an_older_articles_file_slug() {
    // `good.md` has had /articles/good/ since 2024-01-02; a newer article
    // asking for `slug: good` would move it to a new URL.
    let front = format!("title: Dup\ndate: 2024-02-01\n{BY_JANE}slug: good\n");
    assert_build_fails(
        &[("articles/2024/dup.md", &text(&front, "x\n"))],
        "articles/2024/dup.md:5:7: error: slug `good` would take the URL that articles/2024/good.md, an article not newer than this one, has from its file name; choose another `slug:` (existing URLs never change)\n1 error, 0 warnings",
    );
}

#[test]
fn years_outside_1_to_9999_are_refused() {
    let front = format!("title: Old\ndate: \"-0001-01-01\"\n{BY_JANE}");
    assert_build_fails(
        &[("articles/2024/old.md", &text(&front, "x\n"))],
        "articles/2024/old.md:3:7: error: date: invalid date `-0001-01-01`: the year must be between 1 and 9999\n1 error, 0 warnings",
    );
}

#[test]
fn lead_image_and_photo_sources_must_be_static_files_or_https() {
    let front =
        format!("title: T\ndate: 2024-01-03\n{BY_JANE}image:\n  src: \"javascript:alert(1)\"\n  alt: A photo\n");
    assert_build_fails(
        &[
            ("articles/2024/bad.md", &text(&front, "x\n")),
            ("authors/jane-doe.yaml", b"name: Jane Doe\nphoto: //evil.example/x.png\n"),
        ],
        "articles/2024/bad.md:6:9: error: image source `javascript:alert(1)` is not allowed: use a path under static/ starting with `/`, or an https:// URL
authors/jane-doe.yaml:2:8: error: image source `//evil.example/x.png` is not allowed: use a path under static/ starting with `/`, or an https:// URL
2 errors, 0 warnings",
    );
}

#[test]
fn a_file_name_with_a_backslash_is_an_error_at_its_own_name() {
    // The name was read back as `articles/2024/a/b.md`, which does not
    // exist: every build failed with "file changed during the build".
    let front = format!("title: Slash\ndate: 2024-01-03\n{BY_JANE}");
    assert_build_fails(
        &[("articles/2024/a\\b.md", &text(&front, "x\n"))],
        "articles/2024/a\\b.md:1:1: error: file name contains `\\`: rename the file (folders are separated by `/`)\n1 error, 0 warnings",
    );
}

/// A line break in a name under `static/` once reached the output: at its
/// top, the output folder's one-name-a-line marker split it and every later
/// build refused the folder; at any depth, `pressroom diff` printed it as
/// two lines, the second read by a deploy as a path to delete. An author's
/// file name becomes a page's path the same way.
#[test]
fn a_file_name_with_a_control_character_is_an_error_at_its_own_name() {
    const WHY: &str =
        "error: file name contains a control character or line separator such as a line break: rename the file (output paths are listed one a line)";
    assert_build_fails(
        &[
            ("static/x\ny.txt", b"hi"),
            ("static/files/x\n- index.html", b"hi"),
            ("static/tab\there.css", b"p {}"),
            ("authors/jo\n- index.html.yaml", b"name: Jo\n"),
        ],
        &format!(
            "authors/jo\\n- index.html.yaml:1:1: {WHY}\n\
             static/files/x\\n- index.html:1:1: {WHY}\n\
             static/tab\\there.css:1:1: {WHY}\n\
             static/x\\ny.txt:1:1: {WHY}\n\
             4 errors, 0 warnings"
        ),
    );
}

/// A control character is invisible in an editor and cannot be in XML:
/// one in the body, or escaped in a quoted value, made a feed that feed
/// readers refuse whole, and the build said nothing. A backslash and an
/// escaped letter are fine.
#[test]
fn a_control_character_in_the_text_or_a_value_is_an_error_at_its_place() {
    const WHY: &str = "remove it (feeds, which are XML, cannot hold one)";
    assert_build_fails(
        &[
            (
                "articles/2024/body.md",
                &text(
                    "title: Body\ndate: 2024-01-02\nauthors: jane-doe\n",
                    "Text with a \u{7} bell.\n",
                ),
            ),
            (
                "articles/2024/title.md",
                &text(
                    "title: \"Back \\\\ slash, \\u00e9, \\a bell\"\ndate: 2024-01-03\nauthors: jane-doe\n",
                    "x\n",
                ),
            ),
            (
                "articles/2024/fine.md",
                &text(
                    "title: \"Back \\\\ slash and \\u00e9\"\ndate: 2024-01-04\nauthors: jane-doe\n",
                    "x\n",
                ),
            ),
        ],
        &format!(
            "articles/2024/body.md:7:13: error: invisible control character U+0007: {WHY}\n\
             articles/2024/title.md:2:32: error: invisible control character U+0007: {WHY}\n\
             2 errors, 0 warnings"
        ),
    );
}

/// An author's or topic's file name is its page's folder: a space, `?`
/// or `#` there made links that lead elsewhere (`/authors/q?x/` asks the
/// server for `/authors/q`), with no word at build time.
#[test]
fn an_author_or_topic_file_name_that_breaks_its_url_is_an_error_at_the_file() {
    const WHY: &str = "name files here by their slug, without spaces, `?`, `#`, `%`, quotes, `<>`, `[]`, `{}`, `|`, `^` or a backquote";
    assert_build_fails(
        &[
            ("authors/jane doe.yaml", b"name: Jane Doe\n"),
            ("authors/q?x.md", b"---\nname: Q X\n---\nBio.\n"),
            ("topics/a#b.yaml", b"name: A B\n"),
            ("topics/ümlaut_ok.v2.yaml", b"name: Fine\n"),
            ("topics/c++.yaml", b"name: C++\n"),
            ("authors/o'brien.yaml", b"name: O'Brien\n"),
            ("topics/at&t,(x)@a!.yaml", b"name: Fine too\n"),
            ("topics/index.html.yaml", b"name: Index\n"),
        ],
        &format!(
            "authors/jane doe.yaml:1:1: error: file name `jane doe` cannot be part of a URL: its page would be /authors/jane doe/; {WHY}; rename it to authors/jane-doe.yaml\n\
             authors/q?x.md:1:1: error: file name `q?x` cannot be part of a URL: its page would be /authors/q?x/; {WHY}; rename it to authors/q-x.md\n\
             topics/a#b.yaml:1:1: error: file name `a#b` cannot be part of a URL: its page would be /topics/a#b/; {WHY}; rename it to topics/a-b.yaml\n\
             topics/index.html.yaml:1:1: error: file name `index.html` ends like a file: its page's folder /topics/index.html/ would be named like the files the build writes (`index.html`, `feed.xml`); name files here by their slug; rename it to topics/index-html.yaml\n\
             4 errors, 0 warnings"
        ),
    );
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_an_error_at_its_own_name() {
    use std::os::unix::ffi::OsStrExt;
    let s = site(&[
        AUTHOR,
        (
            "articles/good.md",
            &article("title: G\ndate: 2024-01-02\nauthors: jane-doe\n", "x\n"),
        ),
    ]);
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    std::fs::write(
        s.path().join("articles").join(name),
        article("title: C\ndate: 2024-01-02\nauthors: jane-doe\n", "x\n"),
    )
    .unwrap();
    std::fs::write(
        s.path()
            .join("articles")
            .join(std::ffi::OsStr::from_bytes(b"static\xff")),
        b"x",
    )
    .unwrap();
    let output = pressroom().arg("check").arg("--root").arg(s.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "articles/caf\u{fffd}.md:1:1: error: file name is not valid UTF-8: rename the file\n1 error, 0 warnings\n"
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_skipped_with_a_warning() {
    let s = site(&[
        AUTHOR,
        (
            "articles/good.md",
            &article("title: G\ndate: 2024-01-02\nauthors: jane-doe\n", "x\n"),
        ),
    ]);
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        article("title: S\ndate: 2024-01-02\nauthors: jane-doe\n", "x\n"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.md"), s.path().join("articles/linked.md")).unwrap();
    std::fs::create_dir_all(s.path().join("static")).unwrap();
    std::os::unix::fs::symlink(outside.path(), s.path().join("static/shared")).unwrap();
    let out = s.path().join("public");
    let stderr = crate::common::build_ok(s.path(), &out, &[]);
    assert_eq!(
        stderr.lines().take(3).collect::<Vec<_>>(),
        [
            "articles/linked.md:1:1: warning: symbolic link skipped: pressroom reads only regular files in the site; copy the file or folder here instead",
            "static/shared:1:1: warning: symbolic link skipped: pressroom reads only regular files in the site; copy the file or folder here instead",
            "0 errors, 2 warnings",
        ]
    );
    assert!(!out.join("articles/linked").exists());
    assert!(!out.join("shared").exists());
}

#[test]
fn links_to_an_article_with_front_matter_errors_report_only_its_error() {
    // The target failing to load made each citing article report a broken
    // cross-reference with an unrelated suggestion, before the real error.
    let target = text("title: Target\ndate: 2024-13-01\nauthors: jane-doe\n", "Text.\n");
    let citing = |title: &str| {
        text(
            &format!("title: {title}\ndate: 2024-01-03\n{BY_JANE}"),
            "See [it](target.md).\n",
        )
    };
    assert_build_fails(
        &[
            ("articles/2024/target.md", &target),
            ("articles/2024/a.md", &citing("A")),
            ("articles/2024/b.md", &citing("B")),
        ],
        "articles/2024/target.md:3:7: error: date: invalid date `2024-13-01`: expected YYYY-MM-DD (2024-03-18) or RFC 3339 (2024-03-18T09:30:00-05:00)\n1 error, 0 warnings",
    );
}

fn with_aliases(aliases: &str) -> Vec<u8> {
    text(
        &format!("title: Moved\ndate: 2024-01-03\n{BY_JANE}aliases: {aliases}\n"),
        "x\n",
    )
}

#[test]
fn an_alias_may_not_replace_the_home_page_in_any_spelling() {
    assert_build_fails(
        &[(
            "articles/2024/moved.md",
            &with_aliases(r#"["/index.html", "//", "/%69ndex.html"]"#),
        )],
        "articles/2024/moved.md:5:12: error: alias `/` would overwrite the generated page /
articles/2024/moved.md:5:27: error: alias `/` would overwrite the generated page /
articles/2024/moved.md:5:33: error: alias `/` would overwrite the generated page /
3 errors, 0 warnings",
    );
}

#[test]
fn an_alias_may_not_replace_another_article_or_a_static_file() {
    assert_build_fails(
        &[
            (
                "articles/2024/moved.md",
                &with_aliases(r#"["/articles/good/index.html", "/images/chart.png", "/feed.xml"]"#),
            ),
            ("static/images/chart.png", b"png"),
        ],
        "articles/2024/moved.md:5:12: error: alias `/articles/good/` would overwrite the generated page /articles/good/
articles/2024/moved.md:5:41: error: alias `/images/chart.png` would overwrite the file static/images/chart.png
articles/2024/moved.md:5:62: error: alias `/feed.xml` would overwrite the generated page /feed.xml
3 errors, 0 warnings",
    );
}

/// The theme's own assets are written when the site has no file of that
/// name: an alias there was dropped without a word.
#[test]
fn an_alias_may_not_replace_one_of_the_themes_files() {
    assert_build_fails(
        &[(
            "articles/2024/moved.md",
            &with_aliases(r#"["/style.css", "/search.js"]"#),
        )],
        "articles/2024/moved.md:5:12: error: alias `/style.css` would overwrite the theme's file style.css
articles/2024/moved.md:5:26: error: alias `/search.js` would overwrite the theme's file search.js
2 errors, 0 warnings",
    );
}

/// An alias that needs a folder where a file is (`/style.css/` is
/// `style.css/index.html`) was let through by `check`, and the build then
/// failed with the system's "Is a directory" or "File exists".
#[test]
fn an_alias_may_not_need_a_folder_where_a_file_is() {
    assert_build_fails(
        &[(
            "articles/2024/moved.md",
            &with_aliases(r#"["/style.css/", "/feed.xml/old/"]"#),
        )],
        "articles/2024/moved.md:5:12: error: alias `/style.css/` would overwrite the theme's file style.css
articles/2024/moved.md:5:27: error: alias `/feed.xml/old/` would overwrite the generated page /feed.xml
2 errors, 0 warnings",
    );
}

#[test]
fn two_aliases_may_not_name_one_file() {
    assert_build_fails(
        &[
            ("articles/2024/moved.md", &with_aliases(r#"["/old/post/"]"#)),
            ("articles/2024/other.md", &with_aliases(r#"["/old/%70ost"]"#)),
        ],
        "articles/2024/other.md:5:12: error: alias `/old/post/` would overwrite an alias of articles/2024/moved.md\n1 error, 0 warnings",
    );
}

#[test]
fn a_static_file_may_not_replace_a_generated_page() {
    assert_build_fails(
        &[("static/index.html", b"<p>mine</p>"), ("static/feed.xml", b"<feed/>"), ("static/style.css", b"p{}")],
        "static/feed.xml:1:1: error: static file would replace the generated page /feed.xml; rename it, or change the page in templates/
static/index.html:1:1: error: static file would replace the generated page /; rename it, or change the page in templates/
2 errors, 0 warnings",
    );
}

/// The search index's term chunks are listed apart (listing them builds
/// the index), and still may not be replaced.
#[test]
fn a_static_file_or_alias_may_not_replace_a_search_index_chunk() {
    assert_build_fails(
        &[
            ("static/search/terms/0.json", b"{}"),
            ("articles/2024/moved.md", &with_aliases(r#"["/search/terms/0.json"]"#)),
        ],
        "articles/2024/moved.md:5:12: error: alias `/search/terms/0.json` would overwrite the generated page /search/terms/0.json
static/search/terms/0.json:1:1: error: static file would replace the generated page /search/terms/0.json; rename it, or change the page in templates/
2 errors, 0 warnings",
    );
}

/// A site whose article, author bio and author links carry raw HTML and
/// `javascript:` URLs; `settings` are the lines of its site.yaml.
fn site_with_raw_html(settings: &str) -> tempfile::TempDir {
    let body = "Hi<script>alert(1)</script> [x](javascript:alert(2)) ![p](data:image/png;base64,AA)\n\n## Costs\n";
    let author = "name: Jane Doe\nbio: \"Bio <img src=x onerror=alert(3)>\"\nlinks:\n  - title: Home\n    url: \"javascript:alert(4)\"\n  - title: Site\n    url: \"https://jane.example/\"\n";
    site(&[
        ("site.yaml", settings),
        ("authors/jane-doe.yaml", author),
        (
            "articles/a.md",
            &article(&format!("title: A\ndate: 2024-01-02\n{BY_JANE}"), body),
        ),
    ])
}

#[test]
fn raw_html_passes_through_by_default() {
    // The documented default: editors are trusted.
    let s = site_with_raw_html("title: Open\n");
    let out = s.path().join("public");
    crate::common::build_ok(s.path(), &out, &[]);
    let page = std::fs::read_to_string(out.join("articles/a/index.html")).unwrap();
    assert!(page.contains("<script>alert(1)</script>"), "{page}");
    assert!(page.contains("href=\"javascript:alert(2)\""));
    let author = std::fs::read_to_string(out.join("authors/jane-doe/index.html")).unwrap();
    assert!(author.contains("onerror=alert(3)"));
    assert!(author.contains("javascript:alert(4)"));
}

#[test]
fn sanitize_cleans_bodies_bios_and_author_links() {
    let s = site_with_raw_html("title: Guarded\nsanitize: true\n");
    let out = s.path().join("public");
    let stderr = crate::common::build_ok(s.path(), &out, &[]);
    assert_eq!(
        stderr.lines().next().unwrap(),
        "authors/jane-doe.yaml:5:11: warning: link `javascript:alert(4)` dropped: sanitize allows only http, https, mailto, tel URLs or paths"
    );
    let page = std::fs::read_to_string(out.join("articles/a/index.html")).unwrap();
    // Body images load lazily (docs/content.md, Images).
    assert!(
        page.contains("<p>Hi <a>x</a> <img loading=\"lazy\" alt=\"p\"></p>"),
        "{page}"
    );
    assert!(page.contains("<h2 id=\"costs\">Costs</h2>"));
    let author = std::fs::read_to_string(out.join("authors/jane-doe/index.html")).unwrap();
    assert!(author.contains("Bio <img src=\"x\">"), "{author}");
    assert!(
        !author.contains("onerror") && !author.contains("javascript:"),
        "{author}"
    );
    assert!(author.contains("https://jane.example/"));
}
