//! Reading the source generator's config into [`SiteInfo`].

use super::document::scalar_text;
use super::fm_formats::toml_to_yaml;
use super::report::{Report, WarnKind};
use super::source::SiteInfo;
use serde_yaml::Value;
use std::path::Path;

/// Parses a YAML, TOML or JSON config file into a YAML value; a file that
/// cannot be parsed is reported and read as empty.
pub fn read_config(root: &Path, rel: &str, report: &mut Report) -> Value {
    if !root.join(rel).is_file() {
        return Value::Null;
    }
    read_structured(&root.join(rel), rel).unwrap_or_else(|err| {
        report.warn(WarnKind::Site, rel, 1, format!("config not read: {err}"));
        Value::Null
    })
}

/// Reads a YAML, TOML or JSON file (by the extension in `name`) as a YAML value.
pub fn read_structured(path: &Path, name: &str) -> Result<Value, String> {
    let bytes = super::source::read_source(path).map_err(|e| format!("{e:#}"))?;
    let text = String::from_utf8_lossy(&bytes);
    let text = text.trim_start_matches('\u{feff}');
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".toml") {
        text.parse::<toml::Table>()
            .map(|t| toml_to_yaml(toml::Value::Table(t)))
            .map_err(|e| e.message().to_string())
    } else if lower.ends_with(".json") || lower.contains(".json.") {
        serde_json::from_str::<serde_json::Value>(text)
            .map_err(|e| e.to_string())
            .and_then(|v| serde_yaml::to_value(v).map_err(|e| e.to_string()))
    } else {
        serde_yaml::from_str(text).map_err(|e| e.to_string())
    }
}

/// The value at a path of keys, matching keys case-insensitively (Hugo
/// accepts `baseURL` and `baseurl`).
pub fn lookup<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut current = value;
    for key in path {
        let Value::Mapping(map) = current else {
            return None;
        };
        current = map
            .iter()
            .find_map(|(k, v)| k.as_str().filter(|k| k.eq_ignore_ascii_case(key)).map(|_| v))?;
    }
    Some(current)
}

/// The text at the first of several key paths that has one.
pub fn text_at(value: &Value, paths: &[&[&str]]) -> Option<String> {
    paths.iter().filter_map(|p| lookup(value, p)).find_map(|v| {
        match v {
            Value::Mapping(_) => lookup(v, &["name"]).and_then(scalar_text),
            other => scalar_text(other),
        }
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
    })
}

/// Site settings common to all three generators' configs.
pub fn site_info(config: &Value) -> SiteInfo {
    SiteInfo {
        title: text_at(config, &[&["title"], &["name"], &["params", "title"]]),
        description: text_at(config, &[&["description"], &["params", "description"], &["tagline"]]),
        base_url: text_at(config, &[&["baseURL"], &["url"], &["base_url"], &["site_url"]]),
        language: text_at(
            config,
            &[
                &["languageCode"],
                &["lang"],
                &["language"],
                &["locale"],
                &["defaultContentLanguage"],
            ],
        ),
        paginate: lookup(config, &["paginate"])
            .or_else(|| lookup(config, &["pagination", "pagerSize"]))
            .or_else(|| lookup(config, &["paginate", "per_page"]))
            .and_then(Value::as_u64),
        copyright: text_at(config, &[&["copyright"], &["params", "copyright"]]),
        author: text_at(config, &[&["author"], &["params", "author"], &["authors"]]),
    }
}
