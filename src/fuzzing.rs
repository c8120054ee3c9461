//! Entry points for the fuzz targets under `fuzz/`: each takes raw input,
//! runs one part of the core on it as a build, `import` or `serve` would,
//! and panics if a promise is broken (a diagnostic without a place in the
//! file, a cross-reference to no article, template syntax left in an
//! imported body, a request path that leaves the site). It is compiled and
//! tested with the crate, so it follows the code it calls; it is not meant
//! for other use.

use crate::config::SiteConfig;
use crate::content::source::{normalize_line_ends, source_from_bytes, split_front_matter, Source};
use crate::content::{file_slug, Article, Author, StaticFiles};
use crate::diag::{Diagnostic, Level, Place};
use crate::import::convert::convert;
use crate::import::front_matter::read_document;
use crate::import::report::Report;
use crate::import::shortcode_map::ShortcodeMap;
use crate::import::source::{SiteInfo, SourcePost, SourceSite, UrlRule};
use crate::import::{ImportOptions, SourceKind};
use crate::markdown::{render_markdown, slugify, LinkContext, Rendered};
use crate::serve::{resolve, Target};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Panics unless every diagnostic names `path` at a line of `text` (or the
/// line after its end) and a column of at least 1.
fn assert_placed(problems: &[Diagnostic], path: &str, text: &str) {
    let lines = text.lines().count() + 1;
    for d in problems {
        let Place::File { path: at, line, col } = &d.place else {
            panic!("not placed in a file: {d}");
        };
        assert_eq!(at, path, "{d}");
        assert!(
            *line >= 1 && *line <= lines,
            "line out of the file ({lines} lines): {d}"
        );
        assert!(*col >= 1, "column 0: {d}");
    }
}

/// A content file's bytes read as an article and as an author file, through
/// the splitter and the front-matter parser.
pub fn front_matter(bytes: &[u8]) {
    let mut problems = Vec::new();
    let Some(source) = source_from_bytes("articles/a.md".into(), bytes.to_vec(), &mut problems) else {
        let text = normalize_line_ends(String::from_utf8_lossy(bytes).into_owned());
        assert_placed(&problems, "articles/a.md", &text);
        return;
    };
    if let Ok(split) = split_front_matter(&source) {
        let text = source.text.as_str();
        assert!(text.len() >= split.yaml.len() + split.body.len());
        assert!(text.ends_with(split.body), "the body is the end of the file");
        assert_eq!(
            split.body_line,
            text[..text.len() - split.body.len()].lines().count() + 1
        );
    }
    let statics: StaticFiles = ["images/a.png".to_string()].into_iter().collect();
    let article = Article::from_source(&source, "a.md", &statics, &mut problems);
    // An article with an error is never built; one without has a usable slug.
    let has_errors = problems.iter().any(|d| d.level == Level::Error);
    if let Some(article) = article.filter(|_| !has_errors) {
        assert!(
            crate::content::fields::is_valid_slug(&article.slug),
            "slug {:?}",
            article.slug
        );
    }
    assert_placed(&problems, "articles/a.md", &source.text);

    let mut problems = Vec::new();
    let author = Source {
        path: "authors/ann.md".into(),
        text: source.text.clone(),
    };
    Author::from_source(&author, "ann", &statics, &mut problems);
    assert_placed(&problems, "authors/ann.md", &author.text);
}

/// A body rendered as the article `2020/c.md` of a site with a few others,
/// cross-references rewritten.
pub fn markdown(body: &str) {
    let by_path: HashMap<String, usize> = [("2020/a.md", 0), ("b.md", 1), ("2020/c.md", 2)]
        .into_iter()
        .map(|(p, i)| (p.to_string(), i))
        .collect();
    let urls = ["/news/articles/a/", "/news/articles/b/", "/news/articles/c/"].map(String::from);
    let statics: StaticFiles = ["images/a.png".to_string()].into_iter().collect();
    let held_drafts: HashSet<String> = ["draft.md".to_string()].into_iter().collect();
    let nearest = OnceLock::new();
    // With raw HTML, also as a site with `sanitize: true` renders it.
    for sanitize in [false, true].into_iter().take(if body.contains('<') { 2 } else { 1 }) {
        let ctx = LinkContext {
            by_path: &by_path,
            urls: &urls,
            base_path: "/news/",
            statics: &statics,
            held_drafts: &held_drafts,
            nearest: &nearest,
            sanitize,
        };
        check_rendered(body, &render_markdown(body, "2020/c.md", &ctx), &by_path);
    }
}

/// Panics unless the cross-references, problems and headings of `body`'s
/// rendering are sound.
fn check_rendered(body: &str, rendered: &Rendered, by_path: &HashMap<String, usize>) {
    let lines = body.lines().count() + 1;
    for x in &rendered.xrefs {
        assert!(by_path.contains_key(&x.target), "xref to no article: {x:?}");
        assert!(
            x.offset <= body.len() && x.line >= 1 && x.line <= lines && x.col >= 1,
            "{x:?}"
        );
    }
    assert_placed(&rendered.problems, "articles/2020/c.md", body);
    let mut ids = HashSet::new();
    for h in &rendered.headings {
        assert!(ids.insert(h.id.as_str()), "heading id {:?} used twice", h.id);
    }
}

/// The slug rule: its output is a valid slug (or empty) and a fixed point.
pub fn slug(text: &str) {
    let slug = slugify(text);
    assert!(
        slug.is_empty() || crate::content::fields::is_valid_slug(&slug),
        "{slug:?}"
    );
    assert_eq!(slugify(&slug), slug, "slugify is not idempotent");
    let from_file = file_slug(&format!("2020/{text}.md"));
    assert!(from_file.is_empty() || crate::content::fields::is_valid_slug(&from_file));
}

/// `site.yaml` parsed and checked; a config without errors gives a
/// usable base path and absolute URLs.
pub fn site_yaml(bytes: &[u8]) {
    let mut problems = Vec::new();
    let Some(source) = source_from_bytes("site.yaml".into(), bytes.to_vec(), &mut problems) else {
        return;
    };
    let config = SiteConfig::from_source(&source, &mut problems);
    assert_placed(&problems, "site.yaml", &source.text);
    if problems.is_empty() {
        let base = config.base_path();
        assert!(base.starts_with('/') && base.ends_with('/'), "base path {base:?}");
        assert!(config.absolute(&base).starts_with("http"));
    }
}

/// A source file read by import's lenient front-matter reader.
pub fn import_front_matter(bytes: &[u8]) {
    let mut report = Report::default();
    let doc = read_document(bytes, "posts/a.md", &mut report);
    let text = normalize_line_ends(String::from_utf8_lossy(bytes).into_owned());
    let lines = text.split('\n').count() + 1;
    assert!(
        doc.body_line >= 1 && doc.body_line <= lines,
        "body line {}",
        doc.body_line
    );
    for field in &doc.fields {
        assert!(
            field.line >= 1 && field.line <= lines,
            "{} at line {}",
            field.key,
            field.line
        );
    }
    for warning in &report.warnings {
        if let Place::File { line, .. } = warning.place {
            assert!(line <= lines, "{warning}");
        }
    }
}

/// A Hugo post body through import's body passes: shortcodes, links, escaping.
pub fn import_hugo_body(body: &str) {
    import_body(SourceKind::Hugo, body);
}

/// A Jekyll post body through import's body passes: Liquid, links, escaping.
pub fn import_jekyll_body(body: &str) {
    import_body(SourceKind::Jekyll, body);
}

fn import_body(kind: SourceKind, body: &str) {
    let fixed = [
        ("first", "---\ntitle: First\ndate: 2020-01-01\n---\n## Intro\n"),
        (
            "second",
            "---\ntitle: Second\ndate: 2020-02-01\ndraft: true\n---\nText\n",
        ),
    ];
    let mut site = fuzz_site(kind);
    for (name, text) in fixed {
        site.posts
            .push(fuzz_post(kind, name, text.as_bytes(), &mut site.report));
    }
    let new = [
        b"---\ntitle: New\nauthor: Ann\ndate: 2020-03-01\n---\n".as_slice(),
        body.as_bytes(),
    ]
    .concat();
    site.posts.push(fuzz_post(kind, "new", &new, &mut site.report));
    let options = ImportOptions {
        kind: Some(kind),
        source: site.root.clone(),
        out: site.root.join("out"),
        force: false,
        authors_file: None,
        base_url: Some("https://example.org/blog/".into()),
        shortcodes: None,
    };
    let converted = convert(site, &options, &ShortcodeMap::default());
    for article in &converted.articles {
        for delimiter in ["{%", "{{<"] {
            assert!(
                !article.body.contains(delimiter),
                "`{delimiter}` left in {:?}",
                article.body
            );
        }
    }
}

/// A post `posts/NAME.md` of the source site from its bytes.
fn fuzz_post(kind: SourceKind, name: &str, bytes: &[u8], report: &mut Report) -> SourcePost {
    let rel_path = format!("posts/{name}.md");
    let url_rule = match kind {
        SourceKind::Hugo => UrlRule::Hugo("/:year/:month/:slug/".into()),
        SourceKind::Jekyll => UrlRule::Jekyll("/:year/:month/:day/:title.html".into()),
        SourceKind::Eleventy => UrlRule::Eleventy("/{{ page.fileSlug }}/".into()),
    };
    SourcePost {
        doc: read_document(bytes, &rel_path, report),
        rel_path,
        name_slug: name.into(),
        url_slug: name.into(),
        name_date: None,
        section: vec!["posts".into()],
        path_stem: format!("posts/{name}"),
        bundle_dir: None,
        url_rule,
        in_drafts: false,
        collection_tags: Vec::new(),
        modified: None,
    }
}

/// A source site with nothing on disk.
fn fuzz_site(kind: SourceKind) -> SourceSite {
    SourceSite {
        kind,
        root: std::env::temp_dir().join("pressroom-fuzz-no-such-site"),
        info: SiteInfo::default(),
        posts: Vec::new(),
        pages: Vec::new(),
        team: Vec::new(),
        team_sources: Vec::new(),
        images: Default::default(),
        config: serde_yaml::Value::Null,
        config_file: None,
        topics: Vec::new(),
        topic_keys: vec!["tags".into()],
        static_roots: vec!["static".into()],
        static_roots_are_sources: false,
        asset_roots: Vec::new(),
        report: Report::default(),
    }
}

/// A request path resolved by the preview server against a few files.
pub fn serve_path(path: &str) {
    let files = [
        "index.html",
        "articles/a/index.html",
        "café/index.html",
        "style.css",
        "a b.txt",
    ];
    let exists = |p: &str| files.contains(&p);
    match resolve(path, exists) {
        Target::File(file) => {
            assert!(files.contains(&file.as_str()), "{file:?}");
        }
        Target::Redirect(to) => {
            assert!(
                to.starts_with('/') && !to.starts_with("//"),
                "redirect off the site: {to:?}"
            );
            assert!(
                to.bytes().all(|b| b.is_ascii_graphic()),
                "redirect is not a header value: {to:?}"
            );
            let followed = resolve(&to, exists);
            assert!(
                matches!(followed, Target::File(_)),
                "redirect {to:?} leads to {followed:?}"
            );
        }
        Target::NotFound | Target::BadRequest => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_points_accept_ordinary_input() {
        let article = "---\ntitle: A\ndate: 2020-01-02\nauthors: [ann]\n---\nSee [b](../b.md#x).\n";
        front_matter(article.as_bytes());
        markdown("# Hi\n\nSee [a](a.md), [b](../b.md) and ![x](/images/a.png).\n");
        slug("Climate & energy");
        site_yaml(b"title: T\nbase_url: https://example.org/news\n");
        import_front_matter(b"+++\ntitle = \"x\"\n+++\nbody\n");
        import_hugo_body("{{< ref \"first\" >}} and {{< figure src=\"/a.png\" >}}\n");
        import_jekyll_body("{% post_url first %} and {{ page.title }}\n");
        serve_path("/articles/a");
    }
}
