//! Authors (`authors/<slug>.yaml` or `.md`) and topics (`topics/<slug>.yaml`).

use super::fields::{check_image_source, locate, NamedLink, StaticFiles};
use super::renames::{AUTHOR_RENAMES, TOPIC_RENAMES};
use super::source::{parse_yaml, split_front_matter, warn_unknown_keys, Source};
use crate::diag::{Code, Diagnostic, Level};
use serde::{Deserialize, Serialize};

/// Keys an author file may use.
pub const AUTHOR_KEYS: &[&str] = &["name", "role", "affiliation", "bio", "photo", "links"];
/// Keys a topic file may use.
pub const TOPIC_KEYS: &[&str] = &["name", "description", "aliases", "parent"];

/// An author file as written: what the loader reads and `import` writes.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct AuthorFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bio: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub photo: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<NamedLink>>,
}

/// A contributor, identified by the slug that articles use in `authors:`.
#[derive(Debug, Clone, Hash, Serialize, Deserialize)]
pub struct Author {
    pub slug: String,
    pub source_path: String,
    pub name: String,
    pub role: Option<String>,
    pub affiliation: Option<String>,
    /// The biography as Markdown.
    pub bio: Option<String>,
    pub photo: Option<String>,
    pub links: Vec<NamedLink>,
    /// File line and column of each link's URL.
    pub link_places: Vec<(usize, usize)>,
}

impl Author {
    /// Reads an author file; `.md` files carry the bio as their body.
    pub fn from_source(
        source: &Source,
        slug: &str,
        statics: &StaticFiles,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<Author> {
        let path = source.path.as_str();
        let (yaml, first_line, body) = if path.ends_with(".md") {
            match split_front_matter(source) {
                Ok(s) => (s.yaml, s.yaml_line, Some(s.body)),
                Err(d) => {
                    problems.push(d);
                    return None;
                }
            }
        } else {
            (source.text.as_str(), 1, None)
        };
        let file: AuthorFile = match parse_yaml(yaml, path, first_line) {
            Ok(f) => f,
            Err(d) => {
                problems.push(d);
                return None;
            }
        };
        problems.extend(warn_unknown_keys(yaml, first_line, path, AUTHOR_KEYS, AUTHOR_RENAMES));
        let Some(name) = file.name.filter(|n| !n.trim().is_empty()) else {
            problems.push(Diagnostic::error(
                Code::MissingKey,
                path,
                1,
                1,
                "missing required key `name`",
            ));
            return None;
        };
        if let Some(photo) = &file.photo {
            if let Err(finding) = check_image_source(photo, statics) {
                let (line, col) = locate(yaml, first_line, "photo", photo);
                problems.push(finding.at(Level::Error, path, line, col));
            }
        }
        let body_bio = body.map(str::trim).filter(|b| !b.is_empty()).map(str::to_string);
        let links = file.links.unwrap_or_default();
        let link_places = links
            .iter()
            .map(|l| locate(yaml, first_line, "links", &l.url))
            .collect();
        Some(Author {
            slug: slug.to_string(),
            source_path: path.to_string(),
            name,
            role: file.role.filter(|r| !r.trim().is_empty()),
            affiliation: file.affiliation.filter(|a| !a.trim().is_empty()),
            bio: body_bio.or(file.bio).filter(|b| !b.trim().is_empty()),
            photo: file.photo,
            links,
            link_places,
        })
    }
}

/// A topic file as written: what the loader reads and `import` writes.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct TopicFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aliases: Option<super::fields::OneOrMany>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// A topic described by a file under `topics/`.
#[derive(Debug, Clone, Hash)]
pub struct TopicInfo {
    pub slug: String,
    pub source_path: String,
    pub name: String,
    pub description: Option<String>,
    /// Other names articles may use for this topic ("U.S." for "United
    /// States"), each with the line and column it is written at.
    pub aliases: Vec<(String, usize, usize)>,
    /// The broader topic's slug or name, with the line and column it is written at.
    pub parent: Option<(String, usize, usize)>,
}

impl TopicInfo {
    /// Reads `topics/<slug>.yaml`.
    pub fn from_source(source: &Source, slug: &str, problems: &mut Vec<Diagnostic>) -> Option<TopicInfo> {
        let path = source.path.as_str();
        let file: TopicFile = match parse_yaml(&source.text, path, 1) {
            Ok(f) => f,
            Err(d) => {
                problems.push(d);
                return None;
            }
        };
        problems.extend(warn_unknown_keys(&source.text, 1, path, TOPIC_KEYS, TOPIC_RENAMES));
        let Some(name) = file.name.filter(|n| !n.trim().is_empty()) else {
            problems.push(Diagnostic::error(
                Code::MissingKey,
                path,
                1,
                1,
                "missing required key `name`",
            ));
            return None;
        };
        let parent = file.parent.filter(|p| !p.trim().is_empty()).map(|p| {
            let (line, col) = locate(&source.text, 1, "parent", &p);
            (p, line, col)
        });
        Some(TopicInfo {
            slug: slug.to_string(),
            source_path: path.to_string(),
            name,
            description: file.description.filter(|d| !d.trim().is_empty()),
            aliases: file
                .aliases
                .map(|a| a.0)
                .unwrap_or_default()
                .into_iter()
                .map(|a| {
                    let (line, col) = locate(&source.text, 1, "aliases", &a);
                    (a, line, col)
                })
                .collect(),
            parent,
        })
    }
}
