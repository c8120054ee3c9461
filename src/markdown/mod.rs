//! Markdown to HTML: a pure function of the article body and the link map,
//! so every article renders independently (and in parallel). It also
//! collects what later stages need: headings (anchors), cross-references
//! with their offsets (backlinks, error positions) and the first paragraph.

mod footnotes;
mod html;
mod links;
mod nearest;
mod render;
mod sanitize;

pub use html::{Html, HtmlSource};
pub use links::{LinkContext, Resolved};
pub use nearest::NearestPaths;
pub use render::{parser_options, render_markdown, Heading, LocalAnchor, Lookups, Rendered, XRef};
pub use sanitize::{is_safe_url, sanitize_html, SAFE_SCHEMES};

/// A short biography in Markdown, as HTML; sanitized when the site asks.
pub fn render_bio(bio: &str, sanitize: bool) -> String {
    let mut html = String::new();
    let parser = pulldown_cmark::Parser::new_ext(
        bio,
        pulldown_cmark::Options::ENABLE_SMART_PUNCTUATION | pulldown_cmark::Options::ENABLE_STRIKETHROUGH,
    );
    pulldown_cmark::html::push_html(&mut html, parser);
    if sanitize {
        html = sanitize_html(&html);
    }
    html
}

/// `Climate & energy` -> `climate-energy`: the one slug rule for topics,
/// file names and heading ids.
pub fn slugify(text: &str) -> String {
    slug::slugify(text)
}

/// Ids the theme's templates use on an article page; headings never take them.
pub const RESERVED_IDS: &[&str] = &[
    "main-content",
    "site-header",
    "site-nav",
    "site-footer",
    "article-title",
    "topics-heading",
    "article-authors",
    "authors-heading",
    "referenced-by",
    "referenced-by-heading",
    "related-articles",
    "related-heading",
    "series",
    "series-heading",
    "footnotes",
    "notes-heading",
    "toc-heading",
    "cite",
    "cite-heading",
    "site-search-q",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_matches_the_spec_examples() {
        assert_eq!(slugify("Climate & energy"), "climate-energy");
        assert_eq!(slugify("Costs, benefits & risks"), "costs-benefits-risks");
        assert_eq!(slugify("Why Talks Failed"), "why-talks-failed");
        assert_eq!(slugify("Résumé of 2019"), "resume-of-2019");
    }
}
