//! Templates as a theme author writes them: errors at the template's line
//! and column, Tera's built-ins, recursion refused, and the theme's words in
//! the site's language.

use crate::bad_input::assert_build_fails;
use crate::common::{build_ok, copy_dir, fixture, read_tree, repo_root, write};
use pressroom::serve::{classify, Preview, PreviewOptions};
use std::path::{Path, PathBuf};

const ARTICLE: &[u8] = b"{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ article.title }}</h1>\n<p>{{ article.summary }}</p>\n<p>{{ article.subtitle }}</p>\n{% endblock content %}";

#[test]
fn a_failing_variable_is_reported_at_its_line_and_column() {
    assert_build_fails(
        &[("templates/article.html", ARTICLE)],
        "templates/article.html:5:7: error: template error: Variable `article.subtitle` not found in context while rendering 'article.html'\n1 error, 0 warnings",
    );
    // In a macro of another file, and in the card rendered once per article.
    assert_build_fails(
        &[
            ("templates/macros.html", b"{% macro byline(authors, and) %}\n  {{ authors | nope }}{% endmacro byline %}\n{% macro compact(a) %}{% endmacro compact %}\n{% macro pagination(p, label, newer, older, page_of) %}{% endmacro pagination %}"),
        ],
        "templates/macros.html:2:16: error: template error: Filter 'nope' not found (in macro m::byline)\n1 error, 0 warnings",
    );
    assert_build_fails(
        &[("templates/card.html", b"<p>{{ card.title }}</p>\n{{ card.nope }}")],
        "templates/card.html:2:4: error: template error: Variable `card.nope` not found in context while rendering 'card.html'\n1 error, 0 warnings",
    );
    assert_build_fails(
        &[("templates/author_block.html", b"<div>\n{{ author.name }}{{ author.nope }}</div>")],
        "templates/author_block.html:2:21: error: template error: Variable `author.nope` not found in context while rendering 'author_block.html'\n1 error, 0 warnings",
    );
    assert_build_fails(
        &[("templates/header.html", b"<header>\n\n  {{ nav.nope }}</header>")],
        "templates/header.html:3:6: error: template error: Variable `nav.nope` not found in context while rendering 'header.html'\n1 error, 0 warnings",
    );
    assert_build_fails(
        &[("templates/404.html", b"<p>\n  {{ throw(message=\"no 404 page here\") }}</p>")],
        "templates/404.html:2:6: error: template error: Function call 'throw' failed: no 404 page here\n1 error, 0 warnings",
    );
}

#[test]
fn a_site_header_and_footer_replace_the_built_in_ones_on_every_page() {
    // Rendered once per navigation state: each page still gets its own state.
    let header = b"<p class=\"nav\">{{ nav.kind }}|{{ nav.section }}|{{ nav.url }}|{{ strings.nav_label }}</p>\n";
    let files = build_full_with(&[
        ("templates/header.html", header),
        ("templates/footer.html", b"<p class=\"foot\">{{ site.title }}</p>\n"),
    ]);
    let page = |path: &str| String::from_utf8(files[path].clone()).unwrap();
    for (path, nav) in [
        ("index.html", "home|home|/|"),
        ("page/2/index.html", "home|home||"),
        ("topics/index.html", "topics|topics|/topics/|"),
        ("topics/housing/index.html", "topic|topics||"),
        ("authors/index.html", "authors|authors|/authors/|"),
        ("archive/index.html", "archive|archive|/archive/|"),
        ("articles/rents-and-reserves/index.html", "article|||"),
        ("404.html", "404|||"),
    ] {
        let html = page(path);
        let expected = format!(
            "<body class=\"page-{}\">\n<p class=\"nav\">{nav}Sections</p>\n<main",
            &nav[..nav.find('|').unwrap()]
        );
        assert!(html.contains(&expected), "{path}: {html}");
        assert!(html.contains("</main>\n<p class=\"foot\">"), "{path}: {html}");
    }
}

/// A site that wrote its own `header.html`, `footer.html` and
/// `author_block.html` as parts its `base.html` and `article.html` include
/// (the way to split a theme before these names were rendered on their
/// own) builds as before: they see the whole page, and are not rendered
/// on their own without it.
#[test]
fn a_sites_own_partials_of_the_same_names_stay_included() {
    let base = b"<!doctype html>\n<html><body>{% include \"header.html\" %}\n{% block content %}{% endblock content %}\n{% include \"footer.html\" %}</body></html>\n";
    let files = build_full_with(&[
        ("templates/base.html", base),
        ("templates/header.html", b"<p class=\"mine\">{{ page.url }} {{ page.kind }}</p>"),
        ("templates/footer.html", b"<p class=\"foot\">{{ page.title }}</p>"),
        ("templates/author_block.html", b"<p>{{ page.url }}</p>"),
        (
            "templates/article.html",
            b"{% extends \"base.html\" %}{% block content %}{{ article.title }}{% include \"author_block.html\" %}{% endblock content %}",
        ),
    ]);
    let page = |path: &str| String::from_utf8(files[path].clone()).unwrap();
    assert!(
        page("index.html").contains("<p class=\"mine\">/ home</p>"),
        "{}",
        page("index.html")
    );
    let article = page("articles/rents-and-reserves/index.html");
    assert!(
        article.contains("<p class=\"mine\">/articles/rents-and-reserves/ article</p>"),
        "{article}"
    );
    assert!(
        article.contains("<p>/articles/rents-and-reserves/</p>\n<p class=\"foot\">"),
        "{article}"
    );
}

#[test]
fn a_site_author_block_is_printed_under_each_of_their_articles() {
    let block = b"<div class=\"mine\">{{ author.name }} ({{ author.article_count }}) {{ strings.author }}</div>\n";
    let files = build_full_with(&[("templates/author_block.html", block)]);
    let html = String::from_utf8(files["articles/rents-and-reserves/index.html"].clone()).unwrap();
    let start = html.find("<section id=\"article-authors\"").unwrap();
    let section = &html[start..start + html[start..].find("</section>").unwrap()];
    assert!(
        section.ends_with("</h2>\n<div class=\"mine\">Ben Osei (2) Author</div>\n"),
        "{section}"
    );
}

#[test]
fn a_parse_error_points_at_the_unclosed_tag() {
    assert_build_fails(
        &[("templates/article.html", b"{% extends \"base.html\" %}\n{% block content %}{{ article.title }\n{% endblock content %}")],
        "templates/article.html:2:20: error: template error: `{{` is never closed with `}}` (Failed to parse 'article.html': expected `or`, `and`, `not`, `<=`, `>=`, `<`, `>`, `==`, `!=`, `+`, `-`, `*`, `/`, `%`, a filter, or a variable end (`}}`))\n1 error, 0 warnings",
    );
    let unclosed_if = b"{% extends \"base.html\" %}\n{% block content %}\n  {% if article.summary %}<p>{{ article.summary }}</p>\n<h1>{{ article.title }}</h1>\n{% endblock content %}\n";
    let report = "templates/article.html:3:3: error: template error: `{% if %}` is never closed with `{% endif %}`";
    assert_build_fails_starting(&[("templates/article.html", unclosed_if)], report);
}

/// The `full` fixture built with `files` added: its output files.
fn build_full_with(files: &[(&str, &[u8])]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixture("full"), &root);
    for (path, bytes) in files {
        write(&root.join(path), bytes);
    }
    let out = dir.path().join("out");
    build_ok(&root, &out, &[]);
    read_tree(&out)
}

/// Like `assert_build_fails`, for reports whose end quotes Tera at length.
fn assert_build_fails_starting(files: &[(&str, &[u8])], start: &str) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("full"), dir.path());
    for (path, bytes) in files {
        write(&dir.path().join(path), bytes);
    }
    let output = crate::common::pressroom()
        .arg("build")
        .arg("--root")
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with(start), "{stderr}");
}

#[test]
fn the_preview_overlay_shows_the_failing_line() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("full"), dir.path());
    let (mut preview, update) = Preview::load(PreviewOptions {
        root: dir.path().to_path_buf(),
        base_url: "http://127.0.0.1:1111/".into(),
        drafts: false,
    });
    assert!(!update.diagnostics.has_errors(), "{}", update.diagnostics.report());
    let rel = "templates/article.html";
    write(&dir.path().join(rel), ARTICLE);
    let change = (classify(Path::new(rel)).unwrap(), PathBuf::from(rel));
    let report = preview.apply(&[change]).diagnostics.report();
    assert!(
        report.contains("templates/article.html:5:7: error: template error: Variable `article.subtitle` not found"),
        "{report}"
    );
}

#[test]
fn every_tera_built_in_renders() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixture("full"), &root);
    copy_dir(&fixture("builtins"), &root.join("templates"));
    let out = dir.path().join("out");
    build_ok(&root, &out, &[]);
    let got = String::from_utf8(read_tree(&out).remove("404.html").unwrap()).unwrap();
    let expected_path = fixture("builtins.expected.html");
    if std::env::var_os("PRESSROOM_BLESS").is_some() {
        std::fs::write(&expected_path, &got).unwrap();
    }
    assert_eq!(got, std::fs::read_to_string(expected_path).unwrap());
}

#[test]
fn recursion_is_a_template_error_not_a_crash() {
    assert_build_fails(
        &[("templates/card.html", b"<article>\n{% include \"card.html\" %}</article>")],
        "templates/card.html:2:1: error: template error: recursion: card.html includes card.html; templates and macros cannot use themselves, directly or through others\n1 error, 0 warnings",
    );
    assert_build_fails(
        &[
            ("templates/404.html", b"{% include \"a.html\" %}"),
            ("templates/a.html", b"<p>\n  {% include \"b.html\" %}"),
            ("templates/b.html", b"{% if true %}{% include \"a.html\" %}{% endif %}"),
        ],
        "templates/a.html:2:3: error: template error: recursion: a.html includes b.html, then b.html includes a.html; templates and macros cannot use themselves, directly or through others\n1 error, 0 warnings",
    );
    assert_build_fails(
        &[(
            "templates/macros.html",
            b"{% macro byline(authors, and) %}{{ self::byline(authors=authors, and=and) }}{% endmacro byline %}\n{% macro compact(a) %}{% endmacro compact %}\n{% macro pagination(p, label, newer, older, page_of) %}{% endmacro pagination %}",
        )],
        "templates/macros.html:1:36: error: template error: recursion: macro `byline` of macros.html calls macro `byline` of macros.html; templates and macros cannot use themselves, directly or through others\n1 error, 0 warnings",
    );
}

#[test]
fn the_sample_archive_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    for part in ["articles", "authors", "topics", "static"] {
        copy_dir(&repo_root().join(part), &root.join(part));
    }
    let config = std::fs::read_to_string(repo_root().join("site.yaml")).unwrap();
    let config = config.replace("language: \"en\"", "language: \"fr\"");
    assert!(config.contains("language: \"fr\""));
    write(&root.join("site.yaml"), config.as_bytes());
    // A site's own table overrides single strings.
    write(&root.join("i18n/fr.yaml"), "related: Sur le même sujet\n".as_bytes());
    let out = dir.path().join("out");
    build_ok(&root, &out, &[]);
    let files = read_tree(&out);
    let page = "articles/who-pays-for-transmission/index.html";
    let got = String::from_utf8(files[page].clone()).unwrap();
    let expected_path = fixture("fr/who-pays-for-transmission.html");
    if std::env::var_os("PRESSROOM_BLESS").is_some() {
        std::fs::create_dir_all(expected_path.parent().unwrap()).unwrap();
        std::fs::write(&expected_path, &got).unwrap();
    }
    assert_eq!(got, std::fs::read_to_string(expected_path).unwrap());
    let home = String::from_utf8(files["index.html"].clone()).unwrap();
    assert!(
        home.contains("Page 1 sur 2") && home.contains("Plus anciens →"),
        "{home}"
    );
    let search = String::from_utf8(files["search/index.html"].clone()).unwrap();
    assert!(
        search.contains("<legend>Filtrer</legend>")
            && search.contains("Toutes les années")
            && search.contains("Parcourez plutôt les <a")
            && search.contains("data-searching=\"Recherche…\"")
            && search.contains("articles trouvés pour « {query} »")
            && search.contains("data-by=\"Par \""),
        "{search}"
    );
    // Search results show dates for readers in French too.
    let fragments: Vec<String> = files
        .iter()
        .filter(|(path, _)| path.starts_with("search/docs/"))
        .map(|(_, bytes)| String::from_utf8(bytes.clone()).unwrap())
        .collect();
    assert!(!fragments.is_empty());
    let english = [
        "January", "February", "March", "April", "June", "July", "August", "October", "December",
    ];
    for fragment in &fragments {
        let date: serde_json::Value = serde_json::from_str(fragment).unwrap();
        let date = date["date_display"].as_str().unwrap().to_string();
        assert!(!english.iter().any(|m| date.contains(m)), "{date}");
    }
    let (_, series) = files
        .iter()
        .find(|(path, _)| path.starts_with("series/") && path.ends_with("index.html"))
        .expect("a series page");
    let series = String::from_utf8(series.clone()).unwrap();
    assert!(
        series.contains("<p class=\"kicker\">Série</p>") && series.contains("dans l’ordre de lecture."),
        "{series}"
    );
}

#[test]
fn a_site_table_is_checked_against_the_english_keys() {
    assert_build_fails(
        &[
            ("site.yaml", b"title: T\nbase_url: https://example.org/\nlanguage: fr\n"),
            ("i18n/fr.yaml", b"related: Voir aussi\nrelatd: Voir\narticle_count: beaucoup\n"),
        ],
        "i18n/fr.yaml:2:1: error: unknown theme string `relatd` (see docs/templates.md for the keys)\ni18n/fr.yaml:3:1: error: theme string `article_count` must have the same form as the English one\n2 errors, 0 warnings",
    );
}

#[test]
fn a_language_without_strings_is_english_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("full"), dir.path());
    let config = std::fs::read_to_string(dir.path().join("site.yaml")).unwrap();
    assert!(config.contains("\nlanguage: \"en\"\n"));
    write(
        &dir.path().join("site.yaml"),
        config.replace("language: \"en\"", "language: \"de\"").as_bytes(),
    );
    let out = dir.path().join("out");
    let stderr = build_ok(dir.path(), &out, &[]);
    assert!(
        stderr.contains(
            "site.yaml:4:12: warning: no theme strings for language `de`: pages use English; add i18n/de.yaml"
        ),
        "{stderr}"
    );
    let home = String::from_utf8(read_tree(&out).remove("index.html").unwrap()).unwrap();
    assert!(
        home.contains("<html lang=\"de\">") && home.contains(">Latest</a>"),
        "{home}"
    );
}
