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
use crate::diag::{Diagnostic, Level};
use crate::import::authors::AuthorBook;
use crate::import::body::{convert_markup, heading_ids, Assets, BodyEnv};
use crate::import::edits::Tracked;
use crate::import::front_matter::{read_document, Document};
use crate::import::links::{rewrite_links, LinkCtx, LinkStats};
use crate::import::lookup::{Entry, Lookup};
use crate::import::report::Report;
use crate::import::sanitize::escape_template_syntax;
use crate::import::source::{SiteInfo, SourceSite};
use crate::import::SourceKind;
use crate::markdown::{render_markdown, slugify, LinkContext};
use crate::serve::{resolve, Target};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// Panics unless every diagnostic names `path` at a line of `text` (or the
/// line after its end) and a column of at least 1.
fn assert_placed(problems: &[Diagnostic], path: &str, text: &str) {
    let lines = text.lines().count() + 1;
    for d in problems {
        assert_eq!(d.path, path, "{d}");
        assert!(
            d.line >= 1 && d.line <= lines,
            "line out of the file ({lines} lines): {d}"
        );
        assert!(d.col >= 1, "column 0: {d}");
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
    let ctx = LinkContext {
        by_path: &by_path,
        urls: &urls,
        base_path: "/news/",
        statics: &statics,
        held_drafts: &held_drafts,
    };
    let rendered = render_markdown(body, "2020/c.md", &ctx);
    let lines = body.lines().count() + 1;
    for x in &rendered.xrefs {
        assert!(x.target < urls.len(), "xref to no article: {x:?}");
        assert!(
            x.offset <= body.len() && x.line >= 1 && x.line <= lines && x.col >= 1,
            "{x:?}"
        );
    }
    for p in &rendered.problems {
        assert!(
            p.offset <= body.len() && p.line >= 1 && p.line <= lines && p.col >= 1,
            "{p:?}"
        );
    }
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
        assert!(warning.line <= lines, "{warning:?}");
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
    let site = fuzz_site(kind);
    let entries = [
        ("posts/first.md", "/2020/01/first/"),
        ("posts/second.md", "/2020/02/second/"),
    ]
    .map(|(source, old_url)| Entry {
        source: source.into(),
        old_url: old_url.into(),
        aliases: vec!["/old/first/".into()],
        names: vec![source.trim_start_matches("posts/").trim_end_matches(".md").into()],
    });
    let pages = [("about.md".to_string(), "/about/".to_string())];
    let lookup = Lookup::new(&entries, &pages, Some("https://example.org/blog/"));
    let book = AuthorBook::from_team(&[]);
    let mut report = Report::default();
    let doc: Document = read_document(b"---\ntitle: A post\nauthor: Ann\n---\n", "posts/new.md", &mut report);
    let assets = RefCell::new(Assets::default());
    let env = BodyEnv {
        site: &site,
        lookup: &lookup,
        book: &book,
        doc: &doc,
        source: "posts/new.md",
        old_url: "/2020/03/new/",
        slug: "new",
        bundle_dir: None,
        site_title: "A blog",
        assets: &assets,
    };
    let mut tracked = Tracked::new(body.to_string(), 5);
    convert_markup(&mut tracked, &env, &mut report);
    let headings = vec![heading_ids(&tracked.text), Vec::new(), Vec::new()];
    let out_paths = ["2020/first.md", "2020/second.md", "2020/new.md"].map(String::from);
    let ctx = LinkCtx {
        env: &env,
        out_paths: &out_paths,
        headings: &headings,
        drafts: &[false, true, false],
        current: 2,
    };
    rewrite_links(&mut tracked, &ctx, &mut report, &mut LinkStats::default());
    escape_template_syntax(&mut tracked);
    for delimiter in ["{%", "{{<"] {
        assert!(
            !tracked.text.contains(delimiter),
            "`{delimiter}` left in {:?}",
            tracked.text
        );
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
        topics: Vec::new(),
        topic_keys: vec!["tags".into()],
        static_roots: vec!["static".into()],
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
