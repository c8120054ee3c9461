//! `site.yaml`: the site's settings. Unknown keys are errors here, since a
//! typo in a setting silently changes the whole site.

use crate::content::renames::{unknown_key_hint, SITE_RENAMES};
use crate::content::source::{parse_yaml, top_level_keys, Source};
use crate::content::Exclude;
use crate::diag::Diagnostic;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Settings from `site.yaml`, with defaults for what is left out.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct SiteConfig {
    pub title: String,
    pub description: String,
    /// Absolute URL the site is published at, e.g. `https://example.org/commentary/`.
    pub base_url: String,
    pub language: String,
    /// Articles per page on home, author and topic pages.
    pub paginate: usize,
    /// Entries per Atom feed.
    pub feed_limit: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copyright: Option<String>,
    /// Handed to templates untouched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra: Option<serde_yaml::Value>,
    /// Top-level entries of the output folder that are not the build's
    /// (`.git`, `CNAME`): carried from the old output into the new one.
    #[serde(skip_serializing)]
    pub keep_in_output: Vec<String>,
    /// Glob patterns of files under the content folders that are not content.
    #[serde(skip_serializing)]
    pub exclude: Vec<String>,
    /// Whether `site.yaml` set `base_url` (the default points at localhost).
    #[serde(skip)]
    pub base_url_set: bool,
    /// Clean raw HTML and dangerous URLs out of bodies, bios and author
    /// links (for sites whose editors are not all trusted).
    pub sanitize: bool,
}

/// The keys `site.yaml` may use.
pub const SITE_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "paginate",
    "feed_limit",
    "copyright",
    "extra",
    "keep_in_output",
    "exclude",
    "sanitize",
];

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Commentary".into(),
            description: String::new(),
            base_url: "http://localhost/".into(),
            language: "en".into(),
            paginate: 10,
            feed_limit: 20,
            copyright: None,
            extra: None,
            keep_in_output: Vec::new(),
            exclude: Vec::new(),
            base_url_set: false,
            sanitize: false,
        }
    }
}

impl SiteConfig {
    /// Reads `site.yaml` under `root`; a missing file gives the defaults.
    pub fn load(root: &Path, problems: &mut Vec<Diagnostic>) -> SiteConfig {
        let path = root.join("site.yaml");
        if !path.exists() {
            return SiteConfig::default();
        }
        match crate::content::source::read_source(root, &path, problems) {
            Some(source) => SiteConfig::from_source(&source, problems),
            None => SiteConfig::default(),
        }
    }

    /// Parses and checks the text of `site.yaml`; problems go to `problems`.
    pub fn from_source(source: &Source, problems: &mut Vec<Diagnostic>) -> SiteConfig {
        let mut config: SiteConfig = match parse_yaml(&source.text, &source.path, 1) {
            Ok(c) => c,
            Err(d) => {
                problems.push(d);
                // No second complaint about base_url for a file that did not parse.
                return SiteConfig {
                    base_url_set: true,
                    ..SiteConfig::default()
                };
            }
        };
        config.validate(source, problems);
        config
    }

    fn validate(&mut self, source: &Source, problems: &mut Vec<Diagnostic>) {
        let keys = top_level_keys(&source.text, 1);
        let at = |key: &str| (keys.iter().find(|(k, _)| *k == key).map_or(1, |&(_, line)| line), 1);
        for &(key, line) in keys.iter().filter(|(k, _)| !SITE_KEYS.contains(k)) {
            let hint = unknown_key_hint(key, SITE_KEYS, SITE_RENAMES);
            problems.push(Diagnostic::error(
                &source.path,
                line,
                1,
                format!("unknown key `{key}` in site.yaml; {hint}"),
            ));
        }
        // `baseURL:` and the like are reported above; no second word about it.
        let names_base_url = |k: &str| {
            k == "base_url"
                || SITE_RENAMES
                    .iter()
                    .any(|r| r.from == k && r.instead.starts_with("use `base_url`"))
        };
        self.base_url_set = keys.iter().any(|(k, _)| names_base_url(k));
        if let Err(message) = normalize_base_url(&self.base_url).map(|u| self.base_url = u) {
            let (line, _) = at("base_url");
            problems.push(Diagnostic::error(&source.path, line, 1, format!("base_url: {message}")));
        }
        if let Err(bad) = Exclude::new(&self.exclude) {
            let pattern = &self.exclude[bad.index];
            let (line, col) = crate::content::fields::locate(&source.text, 1, "exclude", pattern);
            problems.push(Diagnostic::error(&source.path, line, col, bad.message));
        }
        if self.paginate == 0 {
            let (line, _) = at("paginate");
            problems.push(Diagnostic::error(&source.path, line, 1, "paginate must be at least 1"));
        }
        if let Some(bad) = self.keep_in_output.iter().find(|k| !is_plain_name(k)) {
            let (line, _) = at("keep_in_output");
            problems.push(Diagnostic::error(
                &source.path,
                line,
                1,
                format!("keep_in_output: `{bad}` must be the name of an entry at the top of the output, such as .git or CNAME"),
            ));
        }
        if self.feed_limit == 0 {
            let (line, _) = at("feed_limit");
            problems.push(Diagnostic::error(
                &source.path,
                line,
                1,
                "feed_limit must be at least 1",
            ));
        }
    }

    /// The compiled `exclude` patterns (an invalid list, reported when
    /// loading, excludes only the defaults).
    pub fn exclusions(&self) -> Exclude {
        Exclude::new(&self.exclude).unwrap_or_default()
    }

    /// One warning when no `base_url` was set: the site's absolute links
    /// would point at localhost without a word.
    pub fn warn_without_base_url(&self) -> Option<Diagnostic> {
        (!self.base_url_set).then(|| {
            Diagnostic::warning(
                "site.yaml",
                1,
                1,
                format!(
                    "no base_url set, so feeds, the sitemap and canonical links point at {}; \
                     set base_url in site.yaml to the address the site is published at",
                    self.base_url
                ),
            )
        })
    }

    /// The path part of the base URL, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, r)| r);
        match after_scheme.find('/') {
            Some(i) => after_scheme[i..].to_string(),
            None => "/".to_string(),
        }
    }

    /// The absolute URL of a path from the base path (`/commentary/x/`).
    pub fn absolute(&self, path: &str) -> String {
        let origin_end = self.base_url.len() - self.base_path().len();
        format!("{}{}", &self.base_url[..origin_end], path)
    }
}

/// A single file or folder name: no separators, not `.` or `..`.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\'])
}

/// Checks an absolute http(s) URL and makes it end in `/`.
pub fn normalize_base_url(url: &str) -> Result<String, String> {
    let valid = (url.starts_with("http://") || url.starts_with("https://"))
        && url
            .split_once("://")
            .is_some_and(|(_, rest)| !rest.is_empty() && !rest.starts_with('/'))
        && !url.contains(['?', '#', ' ', '"', '<', '>']);
    if !valid {
        return Err(format!(
            "`{url}` is not an absolute http(s) URL such as https://example.org/commentary/"
        ));
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_and_absolute_urls() {
        let c = SiteConfig {
            base_url: "https://example.org/commentary/".into(),
            ..Default::default()
        };
        assert_eq!(c.base_path(), "/commentary/");
        assert_eq!(
            c.absolute("/commentary/feed.xml"),
            "https://example.org/commentary/feed.xml"
        );
        let root = SiteConfig {
            base_url: "https://example.org/".into(),
            ..Default::default()
        };
        assert_eq!(root.base_path(), "/");
    }

    #[test]
    fn site_keys_are_the_settings() {
        let full = SiteConfig {
            copyright: Some("c".into()),
            extra: Some(serde_yaml::Value::Bool(true)),
            ..SiteConfig::default()
        };
        let value = serde_yaml::to_value(full).unwrap();
        let mut keys: Vec<String> = value
            .as_mapping()
            .unwrap()
            .keys()
            .map(|k| k.as_str().unwrap().to_string())
            .collect();
        keys.extend(["keep_in_output".to_string(), "exclude".to_string()]);
        let mut known: Vec<String> = SITE_KEYS.iter().map(|k| k.to_string()).collect();
        keys.sort();
        known.sort();
        assert_eq!(keys, known);
    }

    #[test]
    fn errors_point_at_their_own_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("site.yaml"),
            "title: x\nbase_url: example.org\npaginate: 0\nbaseURL: y\n",
        )
        .unwrap();
        let mut problems = Vec::new();
        SiteConfig::load(dir.path(), &mut problems);
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "site.yaml:4:1: error: unknown key `baseURL` in site.yaml; use `base_url` (`baseURL` comes from Hugo)",
                "site.yaml:2:1: error: base_url: `example.org` is not an absolute http(s) URL such as https://example.org/commentary/",
                "site.yaml:3:1: error: paginate must be at least 1",
            ]
        );
    }

    #[test]
    fn base_url_is_checked() {
        assert_eq!(normalize_base_url("https://x.org/a").unwrap(), "https://x.org/a/");
        assert!(normalize_base_url("x.org").is_err());
        assert!(normalize_base_url("https:///a").is_err());
    }
}
