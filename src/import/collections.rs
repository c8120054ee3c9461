//! Jekyll collections of people: `_authors/` or any collection of
//! `_config.yml` whose documents name a person (`name`, `full_name`,
//! `first_name` and `last_name`); the body is the bio, `photo` (or
//! `image`, `avatar`) the photo. A collection whose name does not say it
//! holds people counts only when every document names someone and some
//! post's byline answers to one of them.

use super::authors::{member_from_document, PEOPLE_WORDS};
use super::config::lookup;
use super::document::{scalar_text, string_list};
use super::front_matter::read_document;
use super::report::{Report, WarnKind};
use super::source::{file_stem, walk_files, SourcePost, TeamMember};
use serde_yaml::Value;
use std::collections::HashSet;
use std::path::Path;

/// The collections `config` declares, plus `authors`.
fn collection_names(config: &Value) -> Vec<String> {
    let mut names: Vec<String> = match lookup(config, &["collections"]) {
        Some(Value::Mapping(map)) => map.keys().filter_map(scalar_text).collect(),
        Some(Value::Sequence(items)) => items.iter().filter_map(scalar_text).collect(),
        _ => Vec::new(),
    };
    if !names.iter().any(|n| n == "authors") {
        names.push("authors".into());
    }
    names
}

/// Every byline the posts write, lowercased, to tell a collection of people
/// from one of other things that happen to have a `name`.
fn bylines(posts: &[SourcePost]) -> HashSet<String> {
    let mut found = HashSet::new();
    for post in posts {
        if let Some(field) = post.doc.first_of(&["authors", "author", "byline"]) {
            found.extend(string_list(&field.value).into_iter().map(|b| b.trim().to_lowercase()));
        }
    }
    found
}

/// A collection's documents as people: those with a name, and the paths of those without.
fn read_collection(root: &Path, dir: &str, title_is_name: bool, report: &mut Report) -> (Vec<TeamMember>, Vec<String>) {
    let mut members = Vec::new();
    let mut nameless = Vec::new();
    for rel in walk_files(root, dir) {
        let lower = rel.to_ascii_lowercase();
        if ![".md", ".markdown", ".html"].iter().any(|e| lower.ends_with(e)) {
            continue;
        }
        let bytes = match super::source::read_source(&root.join(&rel)) {
            Ok(bytes) => bytes,
            Err(err) => {
                report.warn(WarnKind::Site, &rel, 1, format!("{err:#}"));
                continue;
            }
        };
        let doc = read_document(&bytes, &rel, &mut Report::default());
        let member = member_from_document(&doc, file_stem(&rel), &rel, title_is_name);
        match member.name {
            Some(_) => members.push(member),
            None => nameless.push(rel),
        }
    }
    (members, nameless)
}

/// The people of the site's collections, and the folders they came from.
pub fn people_collections(
    root: &Path,
    config: &Value,
    posts: &[SourcePost],
    report: &mut Report,
) -> (Vec<TeamMember>, Vec<String>) {
    let base = lookup(config, &["collections_dir"])
        .and_then(scalar_text)
        .map(|d| format!("{}/", d.trim_matches('/')))
        .unwrap_or_default();
    let credited = bylines(posts);
    let mut people = Vec::new();
    let mut sources = Vec::new();
    for name in collection_names(config) {
        let dir = format!("{base}_{name}");
        if !root.join(&dir).is_dir() {
            continue;
        }
        let named_for_people = PEOPLE_WORDS.iter().any(|w| name.to_ascii_lowercase().contains(w));
        let (members, nameless) = read_collection(root, &dir, named_for_people, report);
        let answers = |m: &TeamMember| {
            m.id.iter()
                .chain(&m.other_ids)
                .chain(&m.name)
                .any(|key| credited.contains(&key.to_lowercase()))
        };
        let is_people = named_for_people || (nameless.is_empty() && members.iter().any(answers));
        if !is_people || members.is_empty() {
            continue;
        }
        for rel in nameless {
            report.warn(
                WarnKind::AuthorCreated,
                &rel,
                1,
                "no name (`name`, `full_name`, `first_name` and `last_name`) in this person's file; left out",
            );
        }
        people.extend(members);
        sources.push(format!("{dir}/"));
    }
    (people, sources)
}
