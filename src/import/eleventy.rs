//! Eleventy: the input and data folders from its config, posts found by
//! folder (`posts/`, `blog/`, a folder with its own `*.11tydata.*`) or by a
//! `post` tag, permalinks from front matter or directory data files.

use super::config::{read_config, site_info};
use super::dates::split_dated_name;
use super::document::{scalar_text, string_list};
use super::front_matter::read_document;
use super::report::{Report, WarnKind};
use super::source::{
    file_stem, is_markdown, modified_date, parent_dir, read_optional, read_source, walk_files, SourcePage, SourcePost,
    SourceSite, UrlRule,
};
use super::team_list::discover_team;
use super::{ImportOptions, SourceKind};
use anyhow::Result;
use regex::Regex;
use std::path::Path;

const POST_DIRS: [&str; 6] = ["posts", "post", "blog", "articles", "news", "_posts"];
const DOC_FILES: [&str; 7] = [
    "readme",
    "contributing",
    "license",
    "changelog",
    "code_of_conduct",
    "security",
    "provenance",
];

/// What a directory data file (`posts/posts.11tydata.js`) says.
#[derive(Debug, Clone, Default)]
struct DirData {
    permalink: Option<String>,
    tags: Vec<String>,
}

/// Loads an Eleventy site.
pub fn load(root: &Path, options: &ImportOptions) -> Result<SourceSite> {
    let mut report = Report::default();
    let (input, data_dir) = config_dirs(root);
    let prefix = |dir: &str| {
        if input.is_empty() {
            dir.to_string()
        } else {
            format!("{input}/{dir}")
        }
    };
    let data_dirs = vec![prefix(&data_dir), "_data".to_string(), "data".to_string()];
    let (config, config_file) = read_site_data(root, &data_dirs, &mut report);
    let info = site_info(&config);
    let mut posts = Vec::new();
    let mut pages = Vec::new();
    for rel in walk_files(root, &input) {
        if !is_markdown(&rel) || data_dirs.iter().any(|d| rel.starts_with(&format!("{d}/"))) {
            continue;
        }
        let inner = rel.strip_prefix(&format!("{input}/")).unwrap_or(&rel).to_string();
        if inner.contains("_includes/") || inner.contains("_layouts/") {
            continue;
        }
        let stem = file_stem(&rel);
        if !inner.contains('/') && DOC_FILES.contains(&stem.to_ascii_lowercase().as_str()) {
            continue;
        }
        let dir_data = dir_data_for(root, parent_dir(&rel), &input);
        let in_post_dir =
            inner.split('/').rev().skip(1).any(|d| POST_DIRS.contains(&d)) || has_own_data_file(root, parent_dir(&rel));
        let bytes = read_source(&root.join(&rel))?;
        let mut page_report = Report::default();
        let peek = read_document(&bytes, &rel, &mut page_report);
        let tagged_post = peek
            .get("tags")
            .map(|f| string_list(&f.value))
            .unwrap_or_default()
            .iter()
            .chain(dir_data.tags.iter())
            .any(|t| t == "post" || t == "posts");
        let path_stem = inner.rsplit_once('.').map_or(inner.as_str(), |(s, _)| s).to_string();
        let default_rule = format!("/{}/", path_stem.trim_end_matches("index"));
        if !(in_post_dir || tagged_post) {
            let url = peek
                .get("permalink")
                .and_then(|f| scalar_text(&f.value))
                .unwrap_or(default_rule);
            pages.push(SourcePage {
                rel_path: rel.clone(),
                url,
            });
            continue;
        }
        let doc = read_document(&bytes, &rel, &mut report);
        // Eleventy strips only a two-digit date prefix from `fileSlug`.
        let url_slug = match split_dated_name(stem, true) {
            Some((_, rest)) => rest.to_string(),
            None => stem.to_string(),
        };
        let (name_date, name_slug) = match split_dated_name(stem, false) {
            Some((date, rest)) => (Some(date), rest.to_string()),
            None => (None, stem.to_string()),
        };
        let rule = dir_data
            .permalink
            .clone()
            .unwrap_or_else(|| "/{{ page.filePathStem }}/".to_string());
        if rule.contains("${") {
            report.warn(
                WarnKind::Site,
                &rel,
                1,
                format!("permalink `{rule}` is JavaScript; old URLs may be wrong"),
            );
        }
        posts.push(SourcePost {
            rel_path: rel.clone(),
            doc,
            name_slug,
            url_slug,
            name_date: split_dated_name(stem, true).map(|(d, _)| d).or(name_date),
            section: Vec::new(),
            path_stem,
            bundle_dir: None,
            url_rule: UrlRule::Eleventy(rule),
            in_drafts: false,
            collection_tags: dir_data.tags.clone(),
            modified: modified_date(&root.join(&rel)),
        });
    }
    let (team, team_sources) = discover_team(root, &data_dirs, options.authors_file.as_deref(), &mut report)?;
    let images = super::data::image_entries(root, &data_dirs, &mut report);
    Ok(SourceSite {
        kind: SourceKind::Eleventy,
        root: root.to_path_buf(),
        info,
        posts,
        pages,
        team,
        team_sources,
        images,
        config,
        config_file,
        topics: Vec::new(),
        topic_keys: vec!["tags".into(), "categories".into(), "topics".into()],
        static_roots: vec![input.clone(), String::new()],
        static_roots_are_sources: true,
        asset_roots: Vec::new(),
        report,
    })
}

/// The `dir.input` and `dir.data` settings from the Eleventy config, if it
/// states them as plain strings.
fn config_dirs(root: &Path) -> (String, String) {
    let configs = [
        ".eleventy.js",
        ".eleventy.cjs",
        "eleventy.config.js",
        "eleventy.config.mjs",
        "eleventy.config.cjs",
    ];
    let text = configs
        .iter()
        .find_map(|c| read_optional(&root.join(c)))
        .unwrap_or_default();
    let find = |key: &str| {
        Regex::new(&format!(r#"\b{key}\s*:\s*["'`]([^"'`]+)["'`]"#))
            .ok()
            .and_then(|re| re.captures(&text).map(|c| c[1].to_string()))
    };
    let input = find("input").unwrap_or_default();
    let input = input
        .trim_start_matches("./")
        .trim_end_matches('/')
        .trim_matches('.')
        .to_string();
    let data = find("data").unwrap_or_else(|| "_data".into());
    (input, data.trim_start_matches("./").trim_end_matches('/').to_string())
}

/// The site's global data file (`_data/site.json`, `metadata.json`, ...).
fn read_site_data(root: &Path, data_dirs: &[String], report: &mut Report) -> (serde_yaml::Value, Option<String>) {
    for dir in data_dirs {
        for name in ["site", "metadata", "meta", "config"] {
            for ext in ["json", "yaml", "yml"] {
                let rel = format!("{dir}/{name}.{ext}");
                if root.join(&rel).is_file() {
                    return (read_config(root, &rel, report), Some(rel));
                }
            }
        }
    }
    (serde_yaml::Value::Null, None)
}

fn has_own_data_file(root: &Path, dir: &str) -> bool {
    let name = dir.rsplit('/').next().unwrap_or(dir);
    ["js", "cjs", "json"]
        .iter()
        .any(|ext| root.join(dir).join(format!("{name}.11tydata.{ext}")).is_file())
}

/// The nearest directory data file's settings, from `dir` up to the input root.
fn dir_data_for(root: &Path, dir: &str, input: &str) -> DirData {
    let mut data = DirData::default();
    let mut current = dir.to_string();
    loop {
        let name = current.rsplit('/').next().unwrap_or(&current).to_string();
        for ext in ["json", "js", "cjs"] {
            let path = root.join(&current).join(format!("{name}.11tydata.{ext}"));
            if let Some(text) = read_optional(&path) {
                let found = parse_dir_data(&text, ext == "json");
                if data.permalink.is_none() {
                    data.permalink = found.permalink;
                }
                if data.tags.is_empty() {
                    data.tags = found.tags;
                }
            }
        }
        if current.is_empty() || current == input {
            break;
        }
        current = parent_dir(&current).to_string();
    }
    data
}

fn parse_dir_data(text: &str, json: bool) -> DirData {
    if json {
        let value: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
        return DirData {
            permalink: value.get("permalink").and_then(|v| v.as_str()).map(String::from),
            tags: match value.get("tags") {
                Some(serde_json::Value::String(s)) => vec![s.clone()],
                Some(serde_json::Value::Array(a)) => a.iter().filter_map(|v| v.as_str().map(String::from)).collect(),
                _ => Vec::new(),
            },
        };
    }
    let permalink = Regex::new(r#"permalink\s*:\s*(?:"([^"]*)"|'([^']*)'|`([^`]*)`)"#)
        .ok()
        .and_then(|re| re.captures(text))
        .and_then(|c| c.get(1).or(c.get(2)).or(c.get(3)).map(|m| m.as_str().to_string()));
    let tags = Regex::new(r#"tags\s*:\s*\[?\s*((?:["'][^"']*["']\s*,?\s*)+)"#)
        .ok()
        .and_then(|re| re.captures(text).map(|c| c[1].to_string()))
        .map(|list| {
            list.split(',')
                .map(|t| t.trim().trim_matches(['"', '\'']).to_string())
                .filter(|t| !t.is_empty())
                .collect()
        })
        .unwrap_or_default();
    DirData { permalink, tags }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_js_directory_data() {
        let data = parse_dir_data(
            "module.exports = {\n  layout: 'post.html',\n  tags: ['posts'],\n  permalink: '/{{ page.date | toDatePath }}/{{ page.fileSlug }}/',\n}",
            false,
        );
        assert_eq!(
            data.permalink.as_deref(),
            Some("/{{ page.date | toDatePath }}/{{ page.fileSlug }}/")
        );
        assert_eq!(data.tags, vec!["posts"]);
    }
}
