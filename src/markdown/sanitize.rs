//! The `sanitize: true` setting, for sites whose editors are not all
//! trusted. By default raw HTML in Markdown passes through (editors write
//! embeds and tables by hand); with the setting, article bodies and author
//! bios go through ammonia's allow-list (no scripts, event handlers, styles
//! or dangerous URL schemes), keeping what the renderer itself writes:
//! heading ids, footnote markup and links.

use std::sync::OnceLock;

/// URL schemes a link may use when sanitizing; a URL without a scheme
/// (`/about/`, `#notes`, `../x/`) is always allowed.
pub const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// `html` with everything outside the allow-list removed.
pub fn sanitize_html(html: &str) -> String {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    let cleaner = CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["section"])
            .add_generic_attributes(["id", "class", "role", "aria-label", "aria-labelledby"])
            .url_schemes(SAFE_SCHEMES.iter().copied().collect())
            .link_rel(None);
        b
    });
    cleaner.clean(html).to_string()
}

/// Is `url` safe to put in an `href` or `src`: no scheme, or one of
/// `SAFE_SCHEMES`? Whitespace and control characters, which browsers
/// ignore inside a scheme (`java\tscript:`), are ignored here too.
pub fn is_safe_url(url: &str) -> bool {
    let bare: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    let Some((scheme, _)) = bare.split_once(':') else {
        return true;
    };
    let is_scheme = scheme
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // `a/b:c` or `?x=1:2` has no scheme: the colon comes after a path.
    !is_scheme || SAFE_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_dangerous_urls_are_removed_and_the_renderers_markup_kept() {
        let html = concat!(
            "<h2 id=\"costs\">Costs</h2>\n<p onclick=\"x()\">A<script>alert(1)</script>",
            "<a href=\"javascript:alert(1)\">j</a><a href=\"/articles/b/#x\">b</a>",
            "<img src=\"data:image/png;base64,AA\" alt=\"d\"></p>\n",
            "<section class=\"footnotes\" id=\"footnotes\" aria-labelledby=\"notes-heading\"></section>"
        );
        assert_eq!(
            sanitize_html(html),
            concat!(
                "<h2 id=\"costs\">Costs</h2>\n<p>A<a>j</a><a href=\"/articles/b/#x\">b</a>",
                "<img alt=\"d\"></p>\n",
                "<section class=\"footnotes\" id=\"footnotes\" aria-labelledby=\"notes-heading\"></section>"
            )
        );
    }

    #[test]
    fn safe_urls() {
        for ok in [
            "https://x.org/",
            "/about/",
            "#n",
            "../a.md",
            "mailto:a@b.org",
            "a/b:c",
            "HTTP://x",
        ] {
            assert!(is_safe_url(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            " JavaScript:x",
            "java\tscript:x",
            "data:text/html,x",
            "vbscript:x",
        ] {
            assert!(!is_safe_url(bad), "{bad}");
        }
    }
}
