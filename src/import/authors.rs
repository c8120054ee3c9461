//! Authors from team lists (YAML, JSON, CSV), Hugo term pages or bylines,
//! and the book that turns what a post's front matter says into a slug.

use super::front_matter::{scalar_text, Document};
use super::text::{name_from_id, slugify};
use anyhow::{bail, Context, Result};
use serde_yaml::{Mapping, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// A person from a team list or a term page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TeamMember {
    /// The id front matter uses for this person (`aaron-burk`), if any.
    pub id: Option<String>,
    pub name: String,
    pub role: Option<String>,
    pub bio: Option<String>,
}

/// An author file to write.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthorEntry {
    pub name: String,
    pub role: Option<String>,
    pub bio: Option<String>,
    /// True when the author comes from a team list or term page.
    pub from_data: bool,
}

/// True when a data file's name says it lists people.
pub fn looks_like_team_file(path: &str) -> bool {
    let stem = super::source::file_stem(path).to_ascii_lowercase();
    [
        "author",
        "team",
        "people",
        "staff",
        "member",
        "contributor",
        "writer",
        "byline",
    ]
    .iter()
    .any(|word| stem.contains(word))
}

/// Reads a team list: CSV with a header, or YAML/JSON as a list of people
/// or a map from id to person.
pub fn read_team_file(path: &Path) -> Result<Vec<TeamMember>> {
    let name = path.to_string_lossy().to_ascii_lowercase();
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if name.ends_with(".csv") || name.contains(".csv.") {
        return read_team_csv(&bytes).with_context(|| format!("cannot read {}", path.display()));
    }
    let text = String::from_utf8_lossy(&bytes);
    let text = text.trim_start_matches('\u{feff}');
    let value: Value = if name.ends_with(".json") || name.contains(".json.") {
        let json: serde_json::Value =
            serde_json::from_str(text).with_context(|| format!("{} is not valid JSON", path.display()))?;
        serde_yaml::to_value(json)?
    } else {
        serde_yaml::from_str(text).with_context(|| format!("{} is not valid YAML", path.display()))?
    };
    let members = team_from_value(&value);
    if members.is_empty() {
        bail!("{} lists no people (expected a list or map with names)", path.display());
    }
    Ok(members)
}

fn read_team_csv(bytes: &[u8]) -> Result<Vec<TeamMember>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let mut members = Vec::new();
    for record in reader.records() {
        let record = record?;
        let mut map = Mapping::new();
        for (header, field) in headers.iter().zip(record.iter()) {
            if !field.trim().is_empty() {
                map.insert(Value::String(header.clone()), Value::String(field.trim().to_string()));
            }
        }
        if let Some(member) = member_from_map(&map, None) {
            members.push(member);
        }
    }
    Ok(members)
}

/// People from a YAML/JSON value: a list of maps, or a map of id to map/name.
pub fn team_from_value(value: &Value) -> Vec<TeamMember> {
    match value {
        Value::Sequence(items) => items
            .iter()
            .filter_map(|item| match item {
                Value::Mapping(map) => member_from_map(map, None),
                _ => None,
            })
            .collect(),
        Value::Mapping(map) => {
            if let Some(inner) = ["authors", "team", "people", "members"]
                .iter()
                .find_map(|k| map.get(*k))
            {
                return team_from_value(inner);
            }
            map.iter()
                .filter_map(|(key, item)| {
                    let id = scalar_text(key)?;
                    match item {
                        Value::Mapping(person) => member_from_map(person, Some(id)),
                        Value::String(name) => Some(TeamMember {
                            id: Some(id),
                            name: name.clone(),
                            ..TeamMember::default()
                        }),
                        _ => None,
                    }
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

fn get_text(map: &Mapping, keys: &[&str]) -> Option<String> {
    keys.iter()
        .filter_map(|k| map.get(*k))
        .filter_map(scalar_text)
        .map(|s| s.trim().to_string())
        .find(|s| !s.is_empty())
}

fn member_from_map(map: &Mapping, id: Option<String>) -> Option<TeamMember> {
    let id = id.or_else(|| get_text(map, &["id", "slug", "key", "handle", "username", "login", "short_name"]));
    let full = get_text(
        map,
        &["name", "full_name", "fullname", "display_name", "displayname", "title"],
    );
    let parts = [
        get_text(map, &["first_name", "firstname", "given_name"]),
        get_text(map, &["last_name", "lastname", "family_name", "surname"]),
    ];
    let joined = parts.iter().flatten().cloned().collect::<Vec<_>>().join(" ");
    let name = full
        .or_else(|| (!joined.is_empty()).then_some(joined))
        .or_else(|| id.as_deref().map(name_from_id))?;
    Some(TeamMember {
        id,
        name,
        role: get_text(map, &["role", "position", "job_title", "jobtitle", "job"]),
        bio: get_text(map, &["bio", "description", "about", "summary"]),
    })
}

/// A person from a Hugo author term page (`content/authors/<slug>/_index.md`).
pub fn member_from_term_page(slug: &str, doc: &Document) -> TeamMember {
    let text = |keys: &[&str]| {
        doc.first_of(keys)
            .and_then(|f| scalar_text(&f.value))
            .filter(|s| !s.trim().is_empty())
    };
    let body = doc.body.trim();
    TeamMember {
        id: Some(slug.to_string()),
        name: text(&["name", "title"]).unwrap_or_else(|| name_from_id(slug)),
        role: text(&["role", "position", "job_title"]),
        bio: text(&["bio", "description", "summary"]).or_else(|| (!body.is_empty()).then(|| body.to_string())),
    }
}

/// Every author of the new site, and how bylines find them.
#[derive(Debug, Default)]
pub struct AuthorBook {
    pub entries: BTreeMap<String, AuthorEntry>,
    keys: HashMap<String, String>,
}

impl AuthorBook {
    /// A book holding every team member, each under a unique slug.
    pub fn from_team(team: &[TeamMember]) -> AuthorBook {
        let mut book = AuthorBook::default();
        for member in team {
            let base = member.id.as_deref().map(slugify).filter(|s| !s.is_empty());
            let base = base.unwrap_or_else(|| slugify(&member.name));
            if base.is_empty() {
                continue;
            }
            if let Some(id) = &member.id {
                if book.keys.contains_key(&id.to_lowercase()) {
                    continue;
                }
            }
            let slug = book.free_slug(&base);
            book.entries.insert(
                slug.clone(),
                AuthorEntry {
                    name: member.name.clone(),
                    role: member.role.clone(),
                    bio: member.bio.clone(),
                    from_data: true,
                },
            );
            if let Some(id) = &member.id {
                book.keys.insert(id.to_lowercase(), slug.clone());
            }
            book.keys.entry(slug.clone()).or_insert(slug.clone());
            book.keys.entry(member.name.to_lowercase()).or_insert(slug.clone());
            book.keys.entry(slugify(&member.name)).or_insert(slug.clone());
        }
        book
    }

    fn free_slug(&self, base: &str) -> String {
        let mut slug = base.to_string();
        let mut n = 2;
        while self.entries.contains_key(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        slug
    }

    /// The slug for a byline, if someone in the book answers to it.
    pub fn find(&self, byline: &str) -> Option<&str> {
        let byline = byline.trim();
        [byline.to_lowercase(), slugify(byline)]
            .iter()
            .find_map(|key| self.keys.get(key))
            .map(String::as_str)
    }

    /// The display name of a byline's author, if known.
    pub fn name_of(&self, byline: &str) -> Option<&str> {
        let slug = self.find(byline)?;
        self.entries.get(slug).map(|e| e.name.as_str())
    }

    /// Adds an author known only from a byline; returns its slug.
    pub fn create(&mut self, byline: &str) -> Option<String> {
        let base = slugify(byline);
        if base.is_empty() {
            return None;
        }
        let looks_like_name = byline.contains(' ') || byline.chars().any(|c| c.is_uppercase());
        let name = if looks_like_name {
            byline.trim().to_string()
        } else {
            name_from_id(byline)
        };
        let slug = self.free_slug(&base);
        self.entries.insert(
            slug.clone(),
            AuthorEntry {
                name,
                role: None,
                bio: None,
                from_data: false,
            },
        );
        self.keys.insert(byline.trim().to_lowercase(), slug.clone());
        self.keys.entry(base).or_insert(slug.clone());
        Some(slug)
    }
}

/// Loads the explicit team list, or else every team-like data file found in
/// `data_dirs` (relative to `root`). Returns the people and where they came from.
pub fn discover_team(
    root: &Path,
    data_dirs: &[String],
    explicit: Option<&Path>,
    report: &mut super::report::Report,
) -> Result<(Vec<TeamMember>, Vec<String>)> {
    if let Some(file) = explicit {
        let members = read_team_file(file)?;
        return Ok((members, vec![file.display().to_string()]));
    }
    let mut members = Vec::new();
    let mut sources = Vec::new();
    for dir in data_dirs {
        for rel in super::source::walk_files(root, dir) {
            let lower = rel.to_ascii_lowercase();
            let data_ext = [".yml", ".yaml", ".json", ".csv"].iter().any(|e| lower.ends_with(e));
            if !data_ext || !looks_like_team_file(&rel) {
                continue;
            }
            match read_team_file(&root.join(&rel)) {
                Ok(found) => {
                    members.extend(found);
                    sources.push(rel);
                }
                Err(err) => report.warn(
                    super::report::WarnKind::Site,
                    &rel,
                    0,
                    format!("team list skipped: {err:#}"),
                ),
            }
        }
    }
    Ok((members, sources))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_csv_team_lists() {
        let csv = b"id,first_name,last_name,full_name\n18F,18F,,18F\naaron,Aaron,Snow,\nx,,,Xavier Q\n";
        let team = read_team_csv(csv).unwrap();
        assert_eq!(team.len(), 3);
        assert_eq!(team[1].name, "Aaron Snow");
        assert_eq!(team[2].name, "Xavier Q");
        let book = AuthorBook::from_team(&team);
        assert_eq!(book.find("18F"), Some("18f"));
        assert_eq!(book.find("Aaron Snow"), Some("aaron"));
    }

    #[test]
    fn reads_yaml_maps_and_lists() {
        let map: Value = serde_yaml::from_str("jdoe:\n  name: Jane Doe\n  role: Fellow\nbob: Bob B\n").unwrap();
        let team = team_from_value(&map);
        assert_eq!(team[0].name, "Jane Doe");
        assert_eq!(team[0].role.as_deref(), Some("Fellow"));
        assert_eq!(team[1].id.as_deref(), Some("bob"));
        let list: Value = serde_yaml::from_str("- name: Ann Lee\n  slug: ann\n").unwrap();
        assert_eq!(team_from_value(&list)[0].id.as_deref(), Some("ann"));
    }

    #[test]
    fn creates_authors_from_bylines() {
        let mut book = AuthorBook::default();
        assert_eq!(book.create("Jane Doe").as_deref(), Some("jane-doe"));
        assert_eq!(book.find("jane doe"), Some("jane-doe"));
        assert_eq!(book.create("jdoe").as_deref(), Some("jdoe"));
        assert_eq!(book.entries["jdoe"].name, "Jdoe");
    }
}
