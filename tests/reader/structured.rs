//! JSON-LD, social cards, citations and JSON Feed of the sample build.

use super::{resolves, sample, text};
use serde_json::Value;

/// The JSON-LD of a page, parsed.
fn json_ld(html: &str, path: &str) -> Value {
    let start = html
        .find("<script type=\"application/ld+json\">")
        .unwrap_or_else(|| panic!("{path} has no JSON-LD"));
    let rest = &html[start + "<script type=\"application/ld+json\">".len()..];
    let json = &rest[..rest.find("</script>").unwrap()];
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{path}: JSON-LD does not parse: {e}\n{json}"))
}

/// RFC 3339 with a time zone: `2024-03-18T00:00:00-05:00` or `...Z`.
fn has_time_zone(date: &str) -> bool {
    regex::Regex::new(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
        .unwrap()
        .is_match(date)
}

fn str_of<'a>(v: &'a Value, key: &str, path: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{path}: `{key}` missing or not a string in {v}"))
}

#[test]
fn json_ld_of_every_article_and_author_page_is_complete_and_resolves() {
    let files = sample();
    let mut checked = (0, 0);
    for path in files.keys().filter(|p| p.ends_with("index.html")) {
        let parts: Vec<&str> = path.split('/').collect();
        let html = text(&files, path);
        match parts.as_slice() {
            ["articles", _, "index.html"] => {
                let ld = json_ld(&html, path);
                assert_eq!(ld["@context"], "https://schema.org", "{path}");
                let kind = str_of(&ld, "@type", path);
                assert!(kind.ends_with("Article") || kind == "Report", "{path}: @type {kind}");
                assert!(!str_of(&ld, "headline", path).is_empty());
                for key in ["datePublished", "dateModified"] {
                    let date = str_of(&ld, key, path);
                    assert!(has_time_zone(date), "{path}: {key} `{date}` has no time zone");
                }
                assert!(resolves(&files, str_of(&ld, "url", path)), "{path}: url");
                let authors = ld["author"].as_array().unwrap_or_else(|| panic!("{path}: author"));
                assert!(!authors.is_empty());
                for a in authors {
                    assert_eq!(a["@type"], "Person", "{path}");
                    assert!(!str_of(a, "name", path).is_empty());
                    assert!(resolves(&files, str_of(a, "url", path)), "{path}: author url {a}");
                }
                let publisher = &ld["publisher"];
                assert_eq!(publisher["@type"], "Organization");
                assert!(resolves(&files, str_of(publisher, "url", path)));
                if html.contains("class=\"lead-image\"") {
                    let image = &ld["image"];
                    assert_eq!(image["@type"], "ImageObject", "{path}");
                    assert!(resolves(&files, str_of(image, "url", path)), "{path}: image url");
                    assert!(!str_of(image, "caption", path).is_empty());
                    assert!(!str_of(image, "creditText", path).is_empty());
                    assert!(image["width"].as_u64().is_some_and(|w| w > 0), "{path}: image width");
                }
                if let Some(series) = ld.get("isPartOf") {
                    assert!(resolves(&files, str_of(series, "url", path)), "{path}: series url");
                }
                let main = str_of(&ld, "mainEntityOfPage", path);
                assert!(
                    resolves(&files, main) || html.contains("class=\"originally-published\""),
                    "{path}: {main}"
                );
                checked.0 += 1;
            }
            ["authors", _, "index.html"] => {
                let ld = json_ld(&html, path);
                assert_eq!(ld["@context"], "https://schema.org", "{path}");
                assert_eq!(ld["@type"], "Person", "{path}");
                assert!(!str_of(&ld, "name", path).is_empty());
                assert!(resolves(&files, str_of(&ld, "url", path)), "{path}: url");
                if let Some(image) = ld.get("image") {
                    assert!(resolves(&files, image.as_str().unwrap()), "{path}: image");
                }
                checked.1 += 1;
            }
            _ => {}
        }
    }
    assert_eq!(checked, (19, 7), "(articles, authors) checked");
}

#[test]
fn social_cards_use_absolute_urls() {
    let files = sample();
    let html = text(&files, "articles/grid-interconnection-queues/index.html");
    for wanted in [
        r#"<meta property="og:image" content="https://example.org/images/interconnection-queue.svg">"#,
        r#"<meta property="og:image:alt" content="Stacked bar chart"#,
        r#"<meta property="article:published_time" content="2024-02-06T00:00:00-05:00">"#,
        r#"<meta property="article:modified_time" content="2024-02-06T00:00:00-05:00">"#,
        r#"<meta property="article:author" content="https://example.org/authors/mara-okonkwo/">"#,
        r#"<meta property="article:tag" content="Grid reliability">"#,
        r#"<meta name="twitter:card" content="summary_large_image">"#,
        r#"<img src="/images/interconnection-queue.svg" alt="Stacked"#,
        r#"width="800" height="450""#,
    ] {
        assert!(html.contains(wanted), "missing {wanted}");
    }
    let plain = text(&files, "articles/we-need-more-electricians/index.html");
    assert!(plain.contains(r#"<meta name="twitter:card" content="summary">"#));
}

#[test]
fn an_article_first_published_elsewhere_says_so_and_points_its_canonical_there() {
    let files = sample();
    let html = text(&files, "articles/we-need-more-electricians/index.html");
    let original = "https://riverton-courier.example.com/opinion/2025/04/15/we-need-more-electricians";
    assert!(
        html.contains(&format!("<link rel=\"canonical\" href=\"{original}\">")),
        "{html}"
    );
    assert!(html.contains(&format!(
        "Originally published in <a href=\"{original}\">The Riverton Courier</a>."
    )));
    let other = text(&files, "articles/grid-interconnection-queues/index.html");
    assert!(
        other.contains("<link rel=\"canonical\" href=\"https://example.org/articles/grid-interconnection-queues/\">")
    );
}

#[test]
fn citations_of_an_article_with_three_authors() {
    let files = sample();
    let base = "articles/electrifying-rental-housing/";
    let html = text(&files, &format!("{base}index.html"));
    let authors: Vec<&str> = html
        .match_indices("<meta name=\"citation_author\" content=\"")
        .map(|(i, _)| &html[i..])
        .collect();
    assert_eq!(authors.len(), 3, "one citation_author per author");
    for (meta, name) in authors
        .iter()
        .zip(["Greaves, Hannah", "Lindqvist, Theo", "Raman, Priya"])
    {
        assert!(
            meta.starts_with(&format!("<meta name=\"citation_author\" content=\"{name}\">")),
            "{meta:.80}"
        );
    }
    let title = "Electrifying Rental Housing Without Raising Rents";
    for wanted in [
        format!("<meta name=\"citation_title\" content=\"{title}\">"),
        "<meta name=\"citation_publication_date\" content=\"2024/".to_string(),
        "<meta name=\"citation_publisher\" content=\"Alderwick Institute for Public Policy\">".to_string(),
        format!("<meta name=\"citation_fulltext_html_url\" content=\"https://example.org/{base}\">"),
        format!("Greaves, Hannah, Theo Lindqvist, and Priya Raman. “{title}.” Alderwick Institute for Public Policy,"),
        "Greaves, H., Lindqvist, T., &amp; Raman, P. (2024, ".to_string(),
        format!("Greaves, Hannah, et al. “{title}.” Alderwick Institute for Public Policy, "),
        "author = {Greaves, Hannah and Lindqvist, Theo and Raman, Priya}".to_string(),
        format!("<a href=\"/{base}electrifying-rental-housing.bib\" download>"),
        format!("<a href=\"/{base}electrifying-rental-housing.ris\" download>"),
    ] {
        assert!(html.contains(&wanted), "missing {wanted}");
    }
    let bib = text(&files, &format!("{base}electrifying-rental-housing.bib"));
    assert!(bib.starts_with("@misc{greaves2024electrifying,\n"), "{bib}");
    assert!(bib.contains(&format!("  title = {{{{{title}}}}},\n")), "{bib}");
    assert!(bib.trim_end().ends_with('}'));
    let ris = text(&files, &format!("{base}electrifying-rental-housing.ris"));
    let lines: Vec<&str> = ris.split("\r\n").collect();
    assert_eq!(lines[0], "TY  - ELEC");
    assert_eq!(
        &lines[1..4],
        ["AU  - Greaves, Hannah", "AU  - Lindqvist, Theo", "AU  - Raman, Priya"]
    );
    assert!(lines.contains(&format!("TI  - {title}").as_str()));
    assert!(lines.contains(&format!("UR  - https://example.org/{base}").as_str()));
    assert_eq!(lines[lines.len() - 2], "ER  - ");
}

#[test]
fn a_json_feed_beside_every_atom_feed_has_the_required_fields() {
    let files = sample();
    let atoms: Vec<&String> = files.keys().filter(|p| p.ends_with("feed.xml")).collect();
    assert!(atoms.len() > 10);
    for atom in atoms {
        let path = atom.replace("feed.xml", "feed.json");
        let feed: Value = serde_json::from_str(&text(&files, &path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        // JSON Feed 1.1: version and title are required, and items; each item an id and content.
        assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1", "{path}");
        assert!(feed["title"].as_str().is_some_and(|t| !t.is_empty()), "{path}");
        assert!(resolves(&files, feed["home_page_url"].as_str().unwrap()), "{path}");
        assert_eq!(
            feed["feed_url"].as_str().unwrap(),
            format!("https://example.org/{path}")
        );
        let items = feed["items"].as_array().unwrap_or_else(|| panic!("{path}: items"));
        assert!(!items.is_empty(), "{path}");
        for item in items {
            assert!(item["id"].as_str().is_some_and(|i| !i.is_empty()), "{path}: item id");
            assert!(
                item["content_html"].is_string() || item["content_text"].is_string(),
                "{path}"
            );
            assert!(
                resolves(&files, item["url"].as_str().unwrap()),
                "{path}: {}",
                item["url"]
            );
            for key in ["date_published", "date_modified"] {
                assert!(has_time_zone(item[key].as_str().unwrap()), "{path}: {key}");
            }
            for a in item["authors"].as_array().unwrap() {
                assert!(a["name"].is_string() && resolves(&files, a["url"].as_str().unwrap()));
            }
        }
    }
}
