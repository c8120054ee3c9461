//! Front-matter field types shared by articles and authors.

use crate::diag::{Code, Finding};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt;

/// A list that may also be written as a single string (`authors: jane-doe`);
/// always written as a list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct OneOrMany(pub Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany(vec![v.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<String>()? {
                    items.push(item);
                }
                Ok(OneOrMany(items))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A lead photo as written in front matter.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct Image {
    pub src: String,
    pub alt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
}

/// Where an article first appeared: a URL, or `{url, name}` to name the
/// publication ("Originally published in The Ledger").
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(untagged)]
pub enum Canonical {
    Url(String),
    Named {
        url: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
}

impl Canonical {
    /// The absolute URL.
    pub fn url(&self) -> &str {
        match self {
            Canonical::Url(url) | Canonical::Named { url, .. } => url,
        }
    }

    /// The publication's name, or the URL's host when none is given.
    pub fn name(&self) -> String {
        match self {
            Canonical::Named { name: Some(n), .. } if !n.trim().is_empty() => n.clone(),
            _ => {
                let after = self.url().split_once("://").map_or(self.url(), |(_, r)| r);
                let host = after.split('/').next().unwrap_or(after);
                host.trim_start_matches("www.").to_string()
            }
        }
    }
}

/// A labelled link, as in an author's `links`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct NamedLink {
    pub title: String,
    pub url: String,
}

/// Files that `static/` (the site's or the theme's) will put at the output root.
pub type StaticFiles = HashSet<String>;

/// True for `https://...`, `mailto:...` and other links with a scheme, or `//host`.
pub fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !url[..i].contains('/')
        }
        None => false,
    }
}

/// Is `url` an `https://` URL with a host?
pub fn is_https(url: &str) -> bool {
    url.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://"))
        && !url[8..].is_empty()
        && !url[8..].starts_with('/')
}

/// Checks a lead image's or an author photo's source: a file under
/// `static/` written from its root (`/images/x.jpg`), or an `https://`
/// URL. Anything else with a scheme (`javascript:`, `data:`, `http://`) or
/// a host of its own (`//host/x.png`) is refused.
pub fn check_image_source(src: &str, statics: &StaticFiles) -> Result<(), Finding> {
    if is_https(src) {
        return Ok(());
    }
    if is_external(src) {
        return Err(Finding::new(
            Code::BadImagePath,
            format!(
                "image source `{src}` is not allowed: use a path under static/ starting with `/`, or an https:// URL"
            ),
        ));
    }
    check_asset_path(src, statics).map(drop)
}

/// Checks a local asset path (`/images/x.svg`) against `static/`; returns the
/// path without its leading slash, or what is wrong.
pub fn check_asset_path(src: &str, statics: &StaticFiles) -> Result<String, Finding> {
    let trimmed = src.trim_start_matches('/');
    let bad = |message: String| Err(Finding::new(Code::BadImagePath, message));
    if trimmed.split('/').any(|part| part == ".." || part == ".") || src.contains('\\') {
        return bad(format!(
            "image path `{src}` tries to leave the site: write it from the root of static/, e.g. /images/photo.jpg"
        ));
    }
    if !src.starts_with('/') {
        return bad(format!(
            "image path `{src}` must start with `/` (it is looked up in static/), or be a full https:// URL"
        ));
    }
    if statics.contains(trimmed) {
        Ok(trimmed.to_string())
    } else {
        let hint = crate::diag::closest(trimmed, statics.iter().map(String::as_str), 1)
            .first()
            .map(|c| format!("did you mean `/{c}`?"));
        Err(Finding::new(Code::BadImagePath, format!("image `{src}` not found in static/")).with_suggestion(hint))
    }
}

/// Is `slug` made only of `a-z`, `0-9` and `-`?
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Where `needle` first appears at or after the line of top-level `key`,
/// as a file line and column; falls back to the key's line.
pub fn locate(yaml: &str, first_line: usize, key: &str, needle: &str) -> (usize, usize) {
    let keys = super::source::top_level_keys(yaml, first_line);
    let Some(&(_, key_line)) = keys.iter().find(|(k, _)| *k == key) else {
        return (first_line.saturating_sub(1).max(1), 1);
    };
    for (i, line) in yaml.lines().enumerate().skip(key_line - first_line) {
        let start = if i == key_line - first_line { key.len() + 1 } else { 0 };
        if let Some(pos) = line.get(start..).and_then(|rest| rest.find(needle)) {
            return (first_line + i, line[..start + pos].chars().count() + 1);
        }
    }
    (key_line, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_or_many_accepts_both() {
        let one: OneOrMany = serde_yaml::from_str("jane").unwrap();
        let many: OneOrMany = serde_yaml::from_str("[a, b]").unwrap();
        assert_eq!(one.0, vec!["jane"]);
        assert_eq!(many.0, vec!["a", "b"]);
    }

    #[test]
    fn external_links_have_a_scheme() {
        assert!(is_external("https://x.org/a"));
        assert!(is_external("mailto:a@b"));
        assert!(is_external("//cdn.example/x"));
        assert!(!is_external("../2019/a.md"));
        assert!(!is_external("/2019/a.md#x:y"));
    }

    #[test]
    fn asset_paths_stay_inside() {
        let statics: StaticFiles = ["images/a.svg".to_string()].into();
        assert_eq!(check_asset_path("/images/a.svg", &statics).unwrap(), "images/a.svg");
        assert!(check_asset_path("/../../etc/passwd", &statics)
            .unwrap_err()
            .message
            .contains("leave"));
        let missing = check_asset_path("/images/b.svg", &statics).unwrap_err();
        assert_eq!(missing.suggestion.as_deref(), Some("did you mean `/images/a.svg`?"));
    }

    #[test]
    fn image_sources_are_static_files_or_https() {
        let statics: StaticFiles = ["images/a.svg".to_string()].into();
        assert!(check_image_source("/images/a.svg", &statics).is_ok());
        assert!(check_image_source("https://cdn.example.org/a.jpg", &statics).is_ok());
        assert!(check_image_source("HTTPS://cdn.example.org/a.jpg", &statics).is_ok());
        for bad in [
            "javascript:alert(1)",
            "data:image/png;base64,AAAA",
            "http://example.org/a.png",
            "//example.org/a.png",
            "https:///a.png",
            "JavaScript:alert(1)",
        ] {
            let message = check_image_source(bad, &statics).unwrap_err().message;
            assert!(
                message.contains("is not allowed") || message.contains("must start"),
                "{bad}: {message}"
            );
        }
    }

    #[test]
    fn locate_finds_the_value() {
        let yaml = "title: x\nauthors:\n  - jane\n  - jon\n";
        assert_eq!(locate(yaml, 2, "authors", "jon"), (5, 5));
        assert_eq!(locate(yaml, 2, "title", "x"), (2, 8));
    }
}
