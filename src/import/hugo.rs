//! Hugo: config (TOML, YAML or JSON), `content/<section>/` pages and leaf
//! bundles, `[permalinks]`, author and tag term pages (`_index.md`).

use super::authors::member_from_document;
use super::config::{lookup, read_config, site_info, text_at};
use super::dates::split_dated_name;
use super::document::{scalar_text, string_list};
use super::front_matter::read_document;
use super::report::Report;
use super::source::{
    file_stem, is_markdown, modified_date, parent_dir, walk_files, SourcePage, SourcePost, SourceSite, TopicInfo,
    UrlRule,
};
use super::team_list::discover_team;
use super::{ImportOptions, SourceKind};
use anyhow::Result;
use serde_yaml::Value;
use std::path::Path;

const CONFIG_FILES: [&str; 12] = [
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
    "config/_default/hugo.toml",
    "config/_default/config.toml",
    "config/_default/hugo.yaml",
    "config/_default/config.yaml",
];

/// Loads a Hugo site.
pub fn load(root: &Path, options: &ImportOptions) -> Result<SourceSite> {
    let mut report = Report::default();
    let config_file = CONFIG_FILES
        .iter()
        .find(|f| root.join(f).is_file())
        .map(|f| f.to_string());
    let config = config_file
        .as_deref()
        .map_or(Value::Null, |f| read_config(root, f, &mut report));
    let info = site_info(&config);
    let content_dir = text_at(&config, &[&["contentDir"]]).unwrap_or_else(|| "content".into());
    let static_dir = text_at(&config, &[&["staticDir"]]).unwrap_or_else(|| "static".into());
    let taxonomies = taxonomy_names(&config);
    let author_tax: Vec<String> = taxonomies.iter().filter(|t| t.starts_with("author")).cloned().collect();
    let topic_keys: Vec<String> = taxonomies
        .iter()
        .filter(|t| !t.starts_with("author"))
        .cloned()
        .collect();
    let main_sections = lookup(&config, &["params", "mainSections"])
        .map(string_list)
        .unwrap_or_default();
    let mut posts = Vec::new();
    let mut pages = Vec::new();
    let mut team = Vec::new();
    let mut topics = Vec::new();
    for rel in walk_files(root, &content_dir) {
        if !is_markdown(&rel) {
            continue;
        }
        let inner = rel.strip_prefix(&format!("{content_dir}/")).unwrap_or(&rel).to_string();
        let dirs: Vec<String> = inner.split('/').map(String::from).collect();
        let dirs = &dirs[..dirs.len() - 1];
        let stem = file_stem(&rel);
        let first = dirs.first().cloned().unwrap_or_default();
        let bytes = super::source::read_source(&root.join(&rel))?;
        if stem == "_index" {
            if dirs.len() == 2 && taxonomies.contains(&first) {
                let doc = read_document(&bytes, &rel, &mut Report::default());
                if author_tax.contains(&first) {
                    let mut member = member_from_document(&doc, &dirs[1], &rel, true);
                    if member.name.is_none() {
                        // The term page names nobody: its folder's name is all there is.
                        member.name = Some(super::text::name_from_id(&dirs[1]));
                        member.name_guessed = true;
                    }
                    team.push(member);
                } else {
                    topics.push(term_topic(&dirs[1], &doc));
                }
            }
            continue;
        }
        let is_post = !dirs.is_empty()
            && !taxonomies.contains(&first)
            && (main_sections.is_empty() || main_sections.contains(&first));
        let mut page_report = Report::default();
        let doc = read_document(&bytes, &rel, if is_post { &mut report } else { &mut page_report });
        if !is_post {
            let url = doc.get("url").and_then(|f| scalar_text(&f.value)).unwrap_or_else(|| {
                let path = inner.rsplit_once('.').map_or(inner.as_str(), |(s, _)| s);
                format!("/{}/", path.trim_end_matches("/index").to_lowercase())
            });
            pages.push(SourcePage {
                rel_path: rel.clone(),
                url,
            });
            continue;
        }
        let bundle = stem == "index";
        let name = if bundle {
            dirs.last().cloned().unwrap_or_default()
        } else {
            stem.to_string()
        };
        let (name_date, name_slug) = match split_dated_name(&name, false) {
            Some((date, rest)) => (Some(date), rest.to_string()),
            None => (None, name.clone()),
        };
        let section: Vec<String> = if bundle {
            dirs[..dirs.len() - 1].to_vec()
        } else {
            dirs.to_vec()
        };
        let pattern =
            permalink_for(&config, &first).unwrap_or_else(|| format!("/{}/:slugorfilename/", section.join("/")));
        posts.push(SourcePost {
            rel_path: rel.clone(),
            doc,
            name_slug,
            url_slug: name,
            name_date,
            section,
            path_stem: inner.rsplit_once('.').map_or(inner.as_str(), |(s, _)| s).to_string(),
            bundle_dir: bundle.then(|| parent_dir(&rel).to_string()),
            url_rule: UrlRule::Hugo(pattern),
            in_drafts: false,
            collection_tags: Vec::new(),
            modified: modified_date(&root.join(&rel)),
        });
    }
    let data_dirs = vec!["data".to_string()];
    let (data_team, mut team_sources) = discover_team(root, &data_dirs, options.authors_file.as_deref(), &mut report)?;
    let images = super::data::image_entries(root, &data_dirs, &mut report);
    if !team.is_empty() {
        team_sources.push(format!(
            "{content_dir}/{}/",
            author_tax.first().cloned().unwrap_or_default()
        ));
    }
    team.extend(data_team);
    Ok(SourceSite {
        kind: SourceKind::Hugo,
        root: root.to_path_buf(),
        info,
        posts,
        pages,
        team,
        team_sources,
        images,
        config,
        config_file,
        topics,
        topic_keys,
        static_roots: vec![static_dir],
        static_roots_are_sources: false,
        asset_roots: vec!["assets".to_string()],
        report,
    })
}

/// Plural taxonomy names: the config's, or Hugo's defaults plus `authors`.
fn taxonomy_names(config: &Value) -> Vec<String> {
    match lookup(config, &["taxonomies"]) {
        Some(Value::Mapping(map)) => map.values().filter_map(scalar_text).collect(),
        _ => vec!["tags".into(), "categories".into(), "authors".into()],
    }
}

/// The `[permalinks]` pattern for a section (old and new config layouts).
fn permalink_for(config: &Value, section: &str) -> Option<String> {
    text_at(config, &[&["permalinks", "page", section], &["permalinks", section]])
}

fn term_topic(slug: &str, doc: &super::document::Document) -> TopicInfo {
    let name = doc
        .get("title")
        .and_then(|f| scalar_text(&f.value))
        .unwrap_or_else(|| slug.to_string());
    let description = doc
        .first_of(&["description", "summary"])
        .and_then(|f| scalar_text(&f.value))
        .or_else(|| Some(doc.body.trim().to_string()).filter(|b| !b.is_empty()));
    TopicInfo { name, description }
}
