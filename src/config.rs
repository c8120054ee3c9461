//! `site.yaml`: the site's settings. Unknown keys are errors here, since a
//! typo in a setting silently changes the whole site.

use crate::content::source::{parse_yaml, Source};
use crate::diag::Diagnostic;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Settings from `site.yaml`, with defaults for what is left out.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
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
    pub copyright: Option<String>,
    /// Handed to templates untouched.
    pub extra: Option<serde_yaml::Value>,
    /// Top-level entries of the output folder that are not the build's
    /// (`.git`, `CNAME`): carried from the old output into the new one.
    #[serde(skip_serializing)]
    pub keep_in_output: Vec<String>,
}

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
                return SiteConfig::default();
            }
        };
        config.validate(source, problems);
        config
    }

    fn validate(&mut self, source: &Source, problems: &mut Vec<Diagnostic>) {
        let at = |key: &str| crate::content::fields::locate(&source.text, 1, key, ":");
        if let Err(message) = normalize_base_url(&self.base_url).map(|u| self.base_url = u) {
            let (line, _) = at("base_url");
            problems.push(Diagnostic::error(&source.path, line, 1, message));
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
            "base_url `{url}` must be an absolute http(s) URL such as https://example.org/commentary/"
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
    fn base_url_is_checked() {
        assert_eq!(normalize_base_url("https://x.org/a").unwrap(), "https://x.org/a/");
        assert!(normalize_base_url("x.org").is_err());
        assert!(normalize_base_url("https:///a").is_err());
    }
}
