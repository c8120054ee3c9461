//! Keys other generators use (Hugo, Jekyll, Eleventy) and the pressroom
//! key that does the same job, so a key brought over from another site
//! gets a hint that helps (`tags`: use `topics`) instead of the nearest
//! spelling (`tags`: did you mean `image`?). docs/content.md lists them;
//! a test keeps the two in step.

/// A key from another generator and what to write instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rename {
    /// The other generator's key.
    pub from: &'static str,
    /// Which generators use it.
    pub origin: &'static str,
    /// What to write in pressroom instead (`use `topics``).
    pub instead: &'static str,
}

const fn r(from: &'static str, origin: &'static str, instead: &'static str) -> Rename {
    Rename { from, origin, instead }
}

/// Article front matter.
pub const ARTICLE_RENAMES: &[Rename] = &[
    r("tags", "Hugo, Jekyll and Eleventy", "use `topics`"),
    r("categories", "Hugo and Jekyll", "use `topics`"),
    r("keywords", "Hugo", "use `topics`"),
    r("category", "Jekyll", "use `topics`"),
    r("description", "Hugo and Eleventy", "use `summary`"),
    r("excerpt", "Jekyll", "use `summary`"),
    r(
        "author",
        "Hugo, Jekyll and Eleventy",
        "use `authors`, a list of author slugs",
    ),
    r("lastmod", "Hugo", "use `updated`"),
    r("last_modified_at", "Jekyll", "use `updated`"),
    r("modified", "Jekyll", "use `updated`"),
    r("publishDate", "Hugo", "use `date`"),
    r("pubDate", "Astro and Eleventy", "use `date`"),
    r("published", "Jekyll", "use `draft: true` for an unpublished article"),
    r(
        "permalink",
        "Jekyll and Eleventy",
        "use `slug` (and `aliases` to keep the old address working)",
    ),
    r(
        "url",
        "Hugo",
        "use `slug` (and `aliases` to keep the old address working)",
    ),
    r("redirect_from", "Jekyll", "use `aliases`"),
    r("images", "Hugo", "use `image`, a map with src and alt"),
    r("featured_image", "Hugo themes", "use `image`, a map with src and alt"),
    r("cover", "Hugo themes", "use `image`, a map with src and alt"),
    r("thumbnail", "Hugo themes", "use `image`, a map with src and alt"),
    r(
        "layout",
        "Jekyll and Eleventy",
        "pressroom has no per-article layout: override templates/article.html instead",
    ),
    r("eleventyExcludeFromCollections", "Eleventy", "use `draft: true`"),
];

/// `site.yaml`.
pub const SITE_RENAMES: &[Rename] = &[
    r("baseURL", "Hugo", "use `base_url`"),
    r("baseurl", "Jekyll", "use `base_url`, the full address, path included"),
    r("url", "Jekyll and Eleventy", "use `base_url`"),
    r("languageCode", "Hugo", "use `language`"),
    r("defaultContentLanguage", "Hugo", "use `language`"),
    r("lang", "Jekyll", "use `language`"),
    r("pagination", "Hugo", "use `paginate`, a number"),
    r("params", "Hugo", "use `extra`"),
    r("subtitle", "Jekyll", "use `description`"),
    r("tagline", "Jekyll", "use `description`"),
    r(
        "theme",
        "Hugo and Jekyll",
        "use `templates/` and `static/` in the site folder (see `pressroom theme export`)",
    ),
    r("author", "Jekyll", "use a file in authors/ for each author"),
];

/// Author files.
pub const AUTHOR_RENAMES: &[Rename] = &[
    r("title", "Hugo themes", "use `role`"),
    r("description", "Hugo themes", "use `bio`"),
    r("avatar", "Jekyll themes", "use `photo`"),
    r("image", "Hugo themes", "use `photo`"),
    r("twitter", "Jekyll themes", "use `links`, a list of title and url"),
    r("website", "Jekyll themes", "use `links`, a list of title and url"),
    r("social", "Hugo themes", "use `links`, a list of title and url"),
];

/// Topic files.
pub const TOPIC_RENAMES: &[Rename] = &[
    r("title", "Hugo", "use `name`"),
    r("summary", "Hugo", "use `description`"),
];

/// The hint for an unknown key: what to use instead when another generator
/// uses the key, else the nearest known key, else the list of known keys.
pub fn unknown_key_hint(key: &str, known: &[&str], renames: &[Rename]) -> String {
    if let Some(rename) = renames.iter().find(|r| r.from == key) {
        return format!("{} (`{key}` comes from {})", rename.instead, rename.origin);
    }
    match crate::diag::closest(key, known.iter().copied(), 1).first() {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("known keys: {}", known.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_generators_keys_name_the_pressroom_key() {
        let known = crate::content::ARTICLE_KEYS;
        assert_eq!(
            unknown_key_hint("tags", known, ARTICLE_RENAMES),
            "use `topics` (`tags` comes from Hugo, Jekyll and Eleventy)"
        );
        assert_eq!(
            unknown_key_hint("titel", known, ARTICLE_RENAMES),
            "did you mean `title`?"
        );
    }

    #[test]
    fn every_rename_is_listed_in_the_docs_and_points_at_an_unknown_key() {
        let docs = include_str!("../../docs/content.md");
        let tables = [
            (ARTICLE_RENAMES, crate::content::ARTICLE_KEYS),
            (SITE_RENAMES, crate::config::SITE_KEYS),
            (AUTHOR_RENAMES, crate::content::AUTHOR_KEYS),
            (TOPIC_RENAMES, crate::content::TOPIC_KEYS),
        ];
        for (renames, known) in tables {
            for rename in renames {
                assert!(!known.contains(&rename.from), "`{}` is a pressroom key", rename.from);
                let row = format!("| `{}` | {} | {} |", rename.from, rename.origin, rename.instead);
                assert!(docs.contains(&row), "docs/content.md lacks the row {row}");
            }
        }
    }
}
