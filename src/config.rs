//! `site.yaml`: the site's settings. Unknown keys are errors here, since a
//! typo in a setting silently changes the whole site.

use crate::content::renames::{unknown_key_hint, SITE_RENAMES};
use crate::content::source::{parse_yaml, top_level_keys, Source};
use crate::content::Exclude;
use crate::diag::{Code, Diagnostic, Level, Place};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
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
    /// Whether to build `/search/` and its index.
    pub search: bool,
    /// UTC offset (`-05:00`) given to dates written without a time, for
    /// structured data and feeds; defaults to UTC.
    pub time_zone: String,
    /// schema.org type of an article by its `type:` label, over the built-in mapping.
    pub schema_types: BTreeMap<String, String>,
    /// An article topic with no file under `topics/` is an error.
    pub strict_topics: bool,
    /// Site logo (a path under static/ or a URL) for the publisher in structured data.
    pub logo: Option<String>,
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
    "search",
    "time_zone",
    "schema_types",
    "strict_topics",
    "logo",
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
            search: true,
            time_zone: "+00:00".into(),
            schema_types: BTreeMap::new(),
            strict_topics: false,
            logo: None,
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
            problems.push(
                Diagnostic::error(
                    Code::UnknownKey,
                    &source.path,
                    line,
                    1,
                    format!("unknown key `{key}` in site.yaml"),
                )
                .with_suggestion(hint),
            );
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
            problems.push(Diagnostic::error(
                Code::InvalidBaseUrl,
                &source.path,
                line,
                1,
                format!("base_url: {message}"),
            ));
        }
        if let Err(bad) = Exclude::new(&self.exclude) {
            let pattern = &self.exclude[bad.index];
            let (line, col) = crate::content::fields::locate(&source.text, 1, "exclude", pattern);
            problems.push(Diagnostic::error(
                Code::InvalidSetting,
                &source.path,
                line,
                col,
                bad.message,
            ));
        }
        if self.paginate == 0 {
            let (line, _) = at("paginate");
            problems.push(Diagnostic::error(
                Code::InvalidSetting,
                &source.path,
                line,
                1,
                "paginate must be at least 1",
            ));
        }
        if let Err(message) = parse_offset(&self.time_zone) {
            let (line, _) = at("time_zone");
            problems.push(Diagnostic::error(Code::InvalidSetting, &source.path, line, 1, message));
        }
        if let Some(bad) = self.keep_in_output.iter().find(|k| !is_plain_name(k)) {
            let (line, _) = at("keep_in_output");
            problems.push(Diagnostic::error(Code::InvalidSetting,
                &source.path,
                line,
                1,
                format!("keep_in_output: `{bad}` must be the name of an entry at the top of the output, such as .git or CNAME"),
            ));
        }
        if self.feed_limit == 0 {
            let (line, _) = at("feed_limit");
            problems.push(Diagnostic::error(
                Code::InvalidSetting,
                &source.path,
                line,
                1,
                "feed_limit must be at least 1",
            ));
        }
    }

    /// The site's `time_zone` as an offset (UTC when it does not parse;
    /// loading reports that).
    pub fn offset(&self) -> time::UtcOffset {
        parse_offset(&self.time_zone).unwrap_or(time::UtcOffset::UTC)
    }

    /// The compiled `exclude` patterns (an invalid list, reported when
    /// loading, excludes only the defaults).
    pub fn exclusions(&self) -> Exclude {
        Exclude::new(&self.exclude).unwrap_or_default()
    }

    /// One warning when no `base_url` was set: the site's absolute links
    /// would point at localhost without a word. It is placed at `site.yaml`
    /// when the site has one, else it is about the site as a whole.
    pub fn warn_without_base_url(&self, root: &Path) -> Option<Diagnostic> {
        (!self.base_url_set).then(|| {
            let message = format!(
                "no base_url set, so feeds, the sitemap and canonical links point at {}; \
                 set base_url in site.yaml to the address the site is published at",
                self.base_url
            );
            let place = match root.join("site.yaml").is_file() {
                true => Place::file("site.yaml", 1, 1),
                false => Place::Site,
            };
            Diagnostic::new(Level::Warning, Code::MissingBaseUrl, place, message)
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

/// `+HH:MM`, `-HH:MM`, `Z` or `UTC` as an offset from UTC.
pub fn parse_offset(text: &str) -> Result<time::UtcOffset, String> {
    if matches!(text, "Z" | "UTC" | "utc") {
        return Ok(time::UtcOffset::UTC);
    }
    let format = time::macros::format_description!("[offset_hour sign:mandatory]:[offset_minute]");
    time::UtcOffset::parse(text, &format)
        .map_err(|_| format!("time_zone `{text}` must be an offset from UTC such as -05:00, +01:00 or UTC"))
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
    fn time_zone_is_an_offset() {
        assert_eq!(parse_offset("-05:00").unwrap().whole_hours(), -5);
        assert_eq!(parse_offset("UTC").unwrap(), time::UtcOffset::UTC);
        assert!(parse_offset("America/New_York").is_err());
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
