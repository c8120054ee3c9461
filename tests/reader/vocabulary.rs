//! Series pages, the topic vocabulary, the table of contents, image sizes,
//! reading time and the search index, on small sites made for each.

use super::{sample, text};
use crate::common::{article, build_ok, pressroom, read_tree, site, AUTHOR};

fn build(files: &[(&str, &str)]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let s = site(files);
    let out = s.path().join("public");
    build_ok(s.path(), &out, &[]);
    read_tree(&out)
}

const A: &str = "date: 2024-01-02\nauthors: jane-doe\n";

/// The report of `pressroom check` on a site that must fail it.
fn check_fails(s: &tempfile::TempDir) -> String {
    let out = pressroom().arg("check").arg("--root").arg(s.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    stderr
}

#[test]
fn related_articles_leave_out_the_series_and_referenced_by() {
    // Part 1 used to show on Part 2's page three times: in the series
    // navigation, under "Referenced by" and under "Related".
    let files = sample();
    let html = text(&files, "articles/who-pays-for-transmission/index.html");
    let part1 = "href=\"/articles/grid-interconnection-queues/\"";
    let related = &html[html.find("id=\"related-articles\"").unwrap_or(html.len())..];
    assert!(html.contains(part1), "the series lists part 1");
    assert!(!related.contains(part1), "related repeats part 1");
    assert!(
        html.contains("<a href=\"#series\">Building the Grid We Need, part 2 of 3</a>"),
        "{html}"
    );
    assert!(html.contains("<h2 id=\"series-heading\"><a href=\"/series/building-the-grid-we-need/\">"));
    let series = text(&files, "series/building-the-grid-we-need/index.html");
    let order: Vec<usize> = [
        "grid-interconnection-queues",
        "who-pays-for-transmission",
        "a-regional-planning-compact",
    ]
    .iter()
    .map(|s| {
        series
            .find(&format!("/articles/{s}/"))
            .unwrap_or_else(|| panic!("{s} missing"))
    })
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "parts in reading order: {order:?}"
    );
    assert!(text(&files, "sitemap.xml").contains("<loc>https://example.org/series/building-the-grid-we-need/</loc>"));
}

#[test]
fn a_one_part_series_shows_no_part_1_of_1() {
    let files = build(&[
        AUTHOR,
        (
            "articles/alone.md",
            &article(&format!("title: Alone\nseries: Solo\n{A}"), "Text.\n"),
        ),
    ]);
    let html = text(&files, "articles/alone/index.html");
    assert!(!html.contains("part 1 of 1"), "{html}");
    assert!(!html.contains("id=\"series\""));
    assert!(html.contains("<a href=\"/series/solo/\">Solo</a>"));
    assert!(files.contains_key("series/solo/index.html"));
}

#[test]
fn topic_aliases_map_to_one_topic_and_a_parent_lists_its_subtopics() {
    let files = build(&[
        AUTHOR,
        ("topics/asia.yaml", "name: Asia\n"),
        ("topics/east-asia.yaml", "name: East Asia\nparent: asia\n"),
        (
            "topics/korean-peninsula.yaml",
            "name: Korean Peninsula\nparent: East Asia\naliases: [Korea, \"Two Koreas\"]\n",
        ),
        (
            "articles/talks.md",
            &article(&format!("title: Talks\ntopics: [Korea]\n{A}"), "Text.\n"),
        ),
        (
            "articles/summit.md",
            &article(&format!("title: Summit\ntopics: [Two Koreas, asia]\n{A}"), "Text.\n"),
        ),
    ]);
    assert!(!files
        .keys()
        .any(|p| p.starts_with("topics/korea/") || p.starts_with("topics/two-koreas/")));
    let korea = text(&files, "topics/korean-peninsula/index.html");
    assert!(korea.contains("/articles/talks/") && korea.contains("/articles/summit/"));
    assert!(
        korea.contains("<a href=\"/topics/east-asia/\">East Asia</a>"),
        "the parent is linked"
    );
    let asia = text(&files, "topics/asia/index.html");
    assert!(
        asia.contains("/articles/talks/"),
        "a grandparent lists its descendants' articles"
    );
    assert!(asia.contains("Includes <a href=\"/topics/east-asia/\">East Asia</a>"));
}

#[test]
fn strict_topics_makes_an_unknown_topic_an_error_with_a_did_you_mean() {
    let s = site(&[
        AUTHOR,
        ("site.yaml", "strict_topics: true\n"),
        ("topics/energy.yaml", "name: Energy transition\naliases: [Energy]\n"),
        (
            "articles/a.md",
            &article(&format!("title: T\ntopics: [Energy, Enrgy transition]\n{A}"), "Text.\n"),
        ),
    ]);
    let stderr = check_fails(&s);
    assert!(
        stderr.contains("articles/a.md:3:18: error: unknown topic `Enrgy transition`: no file under topics/ names it; did you mean `Energy transition`"),
        "{stderr}"
    );
    assert!(!stderr.contains("`Energy`:"), "an alias is known: {stderr}");
}

#[test]
fn a_parent_cycle_and_an_unknown_parent_are_errors() {
    let s = site(&[
        AUTHOR,
        ("topics/a.yaml", "name: A\nparent: b\n"),
        ("topics/b.yaml", "name: B\nparent: a\n"),
        ("topics/c.yaml", "name: C\nparent: Asai\n"),
        ("topics/asia.yaml", "name: Asia\n"),
        ("articles/a.md", &article(&format!("title: T\n{A}"), "Text.\n")),
    ]);
    let stderr = check_fails(&s);
    assert!(stderr.contains("would make a cycle"), "{stderr}");
    assert!(
        stderr.contains("topics/c.yaml:2:9: error: unknown parent topic `Asai`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `Asia`"), "{stderr}");
}

#[test]
fn a_table_of_contents_from_four_sections_or_when_forced() {
    let body = "Intro.\n\n## One\n\n### One a\n\n## Two\n\n## Three\n\n## Four\n\nEnd.\n";
    let files = build(&[
        AUTHOR,
        ("articles/long.md", &article(&format!("title: Long\n{A}"), body)),
        (
            "articles/off.md",
            &article(&format!("title: Off\ntoc: false\n{A}"), body),
        ),
        (
            "articles/short.md",
            &article(&format!("title: Short\n{A}"), "## One\n\n## Two\n"),
        ),
        (
            "articles/forced.md",
            &article(&format!("title: Forced\ntoc: true\n{A}"), "## One\n\n## Two\n"),
        ),
    ]);
    let long = text(&files, "articles/long/index.html");
    assert!(long.contains("<li><a href=\"#one\">One</a><ol><li><a href=\"#one-a\">One a</a></li></ol></li><li><a href=\"#two\">Two</a></li>"), "{long}");
    assert!(!text(&files, "articles/off/index.html").contains("class=\"toc\""));
    assert!(!text(&files, "articles/short/index.html").contains("class=\"toc\""));
    assert!(text(&files, "articles/forced/index.html").contains("class=\"toc\""));
    assert!(long.contains("1 min read (8 words)"), "reading time and word count");
}

#[test]
fn images_state_their_size_and_body_images_load_lazily() {
    let png = {
        // A 3 x 2 PNG header is all a size reader needs.
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        b.extend([0, 0, 0, 3, 0, 0, 0, 2, 8, 6, 0, 0, 0]);
        b
    };
    let s = site(&[
        AUTHOR,
        (
            "static/chart.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 360\"></svg>",
        ),
        (
            "articles/t.md",
            &article(
                &format!("title: T\n{A}image:\n  src: /chart.svg\n  alt: A chart\n"),
                "![A dot](/dot.png)\n",
            ),
        ),
    ]);
    std::fs::write(s.path().join("static/dot.png"), png).unwrap();
    let out = s.path().join("public");
    build_ok(s.path(), &out, &[]);
    let html = std::fs::read_to_string(out.join("articles/t/index.html")).unwrap();
    assert!(
        html.contains("<img src=\"/chart.svg\" alt=\"A chart\" width=\"640\" height=\"360\">"),
        "{html}"
    );
    assert!(
        html.contains("<img width=\"3\" height=\"2\" loading=\"lazy\" src=\"/dot.png\" alt=\"A dot\""),
        "{html}"
    );
}

#[test]
fn the_search_index_holds_every_article_and_search_false_leaves_it_out() {
    let files = sample();
    let manifest: serde_json::Value = serde_json::from_str(&text(&files, "search/manifest.json")).unwrap();
    assert_eq!(manifest["articles"], 19);
    let firsts: Vec<&str> = manifest["chunks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(firsts.windows(2).all(|w| w[0] < w[1]), "chunks in term order");
    // "transformer" is in one article's title: find its chunk as search.js does.
    let chunk = firsts.iter().rposition(|f| *f <= "transformer").unwrap();
    let terms: serde_json::Value = serde_json::from_str(&text(&files, &format!("search/terms/{chunk}.json"))).unwrap();
    let postings = terms["transformer"].as_array().expect("the term is indexed");
    let first = postings[0].as_u64().unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text(&files, &format!("search/docs/{first}.json"))).unwrap();
    assert!(
        doc["text"].as_str().unwrap().to_lowercase().contains("transformer"),
        "{doc}"
    );
    let html = text(&files, "index.html");
    assert!(html.contains(
        "<form class=\"site-search\" role=\"search\" aria-label=\"Site\" action=\"/search/\" method=\"get\">"
    ));
    let search = text(&files, "search/index.html");
    assert!(search.contains("<input type=\"search\" id=\"search-input\" name=\"q\""));
    assert!(search.contains("<ol id=\"search-results\""));
    assert!(search.contains("<noscript>") && search.contains("href=\"/archive/\""));

    let off = build(&[
        AUTHOR,
        ("site.yaml", "search: false\n"),
        ("articles/a.md", &article(&format!("title: T\n{A}"), "Text.\n")),
    ]);
    assert!(
        !off.keys().any(|p| p.starts_with("search")),
        "{:?}",
        off.keys().collect::<Vec<_>>()
    );
    assert!(!text(&off, "index.html").contains("role=\"search\""));
}
