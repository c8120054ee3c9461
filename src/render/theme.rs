//! The built-in theme, compiled into the binary so pressroom works on any
//! folder; a site's own `templates/` and `static/` override it file by file.

/// Built-in templates by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("header.html", include_str!("../../templates/header.html")),
    ("footer.html", include_str!("../../templates/footer.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("card.html", include_str!("../../templates/card.html")),
    ("author_block.html", include_str!("../../templates/author_block.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("article.html", include_str!("../../templates/article.html")),
    ("authors.html", include_str!("../../templates/authors.html")),
    ("author.html", include_str!("../../templates/author.html")),
    ("topics.html", include_str!("../../templates/topics.html")),
    ("topic.html", include_str!("../../templates/topic.html")),
    ("archive.html", include_str!("../../templates/archive.html")),
    ("year.html", include_str!("../../templates/year.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("redirect.html", include_str!("../../templates/redirect.html")),
    ("atom.xml", include_str!("../../templates/atom.xml")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    ("series.html", include_str!("../../templates/series.html")),
    ("search.html", include_str!("../../templates/search.html")),
];

/// Built-in static assets by path under the output root.
pub const STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
    ("search.js", include_bytes!("../../static/search.js")),
];

/// The built-in static assets a site gets: `search.js` only when search is on.
pub fn site_assets(search: bool) -> impl Iterator<Item = &'static (&'static str, &'static [u8])> {
    STATIC.iter().filter(move |(p, _)| search || *p != "search.js")
}

/// Paths of the built-in static assets.
pub fn static_paths() -> Vec<&'static str> {
    STATIC.iter().map(|(p, _)| *p).collect()
}

/// A built-in template's name as a static string (pages are made with these).
pub fn template_name(name: &str) -> Option<&'static str> {
    TEMPLATES.iter().map(|(n, _)| *n).find(|n| *n == name)
}
