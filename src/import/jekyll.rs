//! Jekyll: `_config.yml`, `_posts/YYYY-MM-DD-slug.md` (categories from the
//! folders above `_posts`), `_drafts/`, `_data/` team lists and
//! collections of people.

use super::config::{lookup, read_config, site_info, text_at};
use super::dates::split_dated_name;
use super::document::scalar_text;
use super::front_matter::read_document;
use super::report::Report;
use super::source::{file_stem, modified_date, walk_files, SourcePage, SourcePost, SourceSite, UrlRule};
use super::team_list::discover_team;
use super::{ImportOptions, SourceKind};
use anyhow::Result;
use serde_yaml::Value;
use std::path::Path;

/// Loads a Jekyll site.
pub fn load(root: &Path, options: &ImportOptions) -> Result<SourceSite> {
    let mut report = Report::default();
    let config_file = if root.join("_config.yaml").exists() {
        "_config.yaml"
    } else {
        "_config.yml"
    };
    let config = read_config(root, config_file, &mut report);
    let mut info = site_info(&config);
    if let (Some(url), Some(base)) = (&info.base_url, text_at(&config, &[&["baseurl"]])) {
        info.base_url = Some(format!("{}/{}", url.trim_end_matches('/'), base.trim_matches('/')));
    }
    let pattern = text_at(&config, &[&["permalink"]]).unwrap_or_else(|| "date".to_string());
    let defaults = post_defaults(&config);
    let mut posts = Vec::new();
    let mut pages = Vec::new();
    for rel in walk_files(root, "") {
        let ext_ok = [".md", ".markdown", ".html"]
            .iter()
            .any(|e| rel.to_ascii_lowercase().ends_with(e));
        if !ext_ok {
            continue;
        }
        let dirs: Vec<&str> = rel.split('/').collect();
        let dirs = &dirs[..dirs.len() - 1];
        let in_posts = dirs.contains(&"_posts");
        let in_drafts = dirs.contains(&"_drafts");
        if !in_posts && !in_drafts {
            if !dirs.iter().any(|d| d.starts_with('_')) && is_page(root, &rel) {
                pages.push(page_of(root, &rel)?);
            }
            continue;
        }
        let bytes = super::source::read_source(&root.join(&rel))?;
        let mut doc = read_document(&bytes, &rel, &mut report);
        for (key, value) in &defaults {
            if doc.get(key).is_none() {
                doc.fields.push(super::document::Field {
                    key: key.clone(),
                    value: value.clone(),
                    line: 0,
                });
            }
        }
        let stem = file_stem(&rel);
        let (name_date, name_slug) = match split_dated_name(stem, false) {
            Some((date, rest)) => (Some(date), rest.to_string()),
            None => (None, stem.to_string()),
        };
        if in_posts && name_date.is_none() {
            report.warn(
                super::report::WarnKind::Date,
                &rel,
                1,
                "file name has no YYYY-MM-DD- prefix (Jekyll skips such posts); imported anyway",
            );
        }
        let section = dirs
            .iter()
            .take_while(|d| **d != "_posts" && **d != "_drafts")
            .map(|d| d.to_string())
            .collect();
        posts.push(SourcePost {
            rel_path: rel.clone(),
            doc,
            url_slug: name_slug.clone(),
            name_slug,
            name_date,
            section,
            path_stem: rel.rsplit_once('.').map_or(rel.as_str(), |(s, _)| s).to_string(),
            bundle_dir: None,
            url_rule: UrlRule::Jekyll(pattern.clone()),
            in_drafts,
            collection_tags: Vec::new(),
            modified: modified_date(&root.join(&rel)),
        });
    }
    let data_dirs = vec!["_data".to_string()];
    let (mut team, mut team_sources) = discover_team(root, &data_dirs, options.authors_file.as_deref(), &mut report)?;
    if options.authors_file.is_none() {
        let (people, folders) = super::collections::people_collections(root, &config, &posts, &mut report);
        // Collection documents first: they carry bios and photos.
        team.splice(0..0, people);
        team_sources.splice(0..0, folders);
    }
    let images = super::data::image_entries(root, &data_dirs, &mut report);
    Ok(SourceSite {
        kind: SourceKind::Jekyll,
        root: root.to_path_buf(),
        info,
        posts,
        pages,
        team,
        team_sources,
        images,
        config,
        config_file: root.join(config_file).is_file().then(|| config_file.to_string()),
        topics: Vec::new(),
        topic_keys: vec![
            "tags".into(),
            "tag".into(),
            "categories".into(),
            "category".into(),
            "topics".into(),
        ],
        static_roots: vec![String::new()],
        static_roots_are_sources: true,
        asset_roots: Vec::new(),
        report,
    })
}

/// Values from `defaults:` entries that apply to posts.
fn post_defaults(config: &Value) -> Vec<(String, Value)> {
    let Some(Value::Sequence(entries)) = lookup(config, &["defaults"]) else {
        return Vec::new();
    };
    let mut values = Vec::new();
    for entry in entries {
        let scope_type = lookup(entry, &["scope", "type"]).and_then(scalar_text);
        let scope_path = lookup(entry, &["scope", "path"])
            .and_then(scalar_text)
            .unwrap_or_default();
        let applies = scope_type.as_deref().is_none_or(|t| t == "posts")
            && (scope_path.is_empty() || scope_path.contains("_posts"));
        if let (true, Some(Value::Mapping(map))) = (applies, lookup(entry, &["values"])) {
            for (key, value) in map {
                if let Some(key) = key.as_str() {
                    if key != "layout" {
                        values.push((key.to_string(), value.clone()));
                    }
                }
            }
        }
    }
    values
}

/// Jekyll only renders files with front matter as pages.
fn is_page(root: &Path, rel: &str) -> bool {
    crate::fs::read_regular(&root.join(rel))
        .map(|bytes| bytes.trim_ascii_start().starts_with(b"---"))
        .unwrap_or(false)
}

fn page_of(root: &Path, rel: &str) -> Result<SourcePage> {
    let bytes = super::source::read_source(&root.join(rel))?;
    let mut quiet = Report::default();
    let doc = read_document(&bytes, rel, &mut quiet);
    let url = doc
        .get("permalink")
        .and_then(|f| scalar_text(&f.value))
        .unwrap_or_else(|| {
            let stem = rel.rsplit_once('.').map_or(rel, |(s, _)| s);
            match stem.strip_suffix("index") {
                Some(dir) => format!("/{dir}"),
                None => format!("/{stem}.html"),
            }
        });
    Ok(SourcePage {
        rel_path: rel.to_string(),
        url,
    })
}
