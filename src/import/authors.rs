//! People: read from team lists (YAML, JSON, CSV data files), collections
//! of people (Jekyll `_authors/`), Hugo term pages; and the book that turns
//! what a post's byline says into an author slug. A name is taken only from
//! the source; one made up from a username is a guess and reported as one.

use super::data::is_image_record;
use super::document::{scalar_text, Document};
use super::source::TeamMember;
use crate::markdown::slugify;
use serde_yaml::{Mapping, Value};
use std::collections::{BTreeMap, HashMap};

const ID_KEYS: [&str; 8] = ["id", "slug", "key", "handle", "username", "login", "short_name", "uid"];
const NAME_KEYS: [&str; 5] = ["name", "full_name", "fullname", "display_name", "displayname"];
const PHOTO_KEYS: [&str; 7] = [
    "photo",
    "image",
    "avatar",
    "picture",
    "headshot",
    "photo_url",
    "portrait",
];
/// Words in a data file's path or a collection's name that say it lists people.
pub const PEOPLE_WORDS: [&str; 11] = [
    "author",
    "team",
    "people",
    "staff",
    "member",
    "contributor",
    "writer",
    "byline",
    "expert",
    "scholar",
    "fellow",
];

/// An author file to write.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthorEntry {
    /// `None` when the source named the person nowhere (an explicit team
    /// list without a name): written so, and the final check says so.
    pub name: Option<String>,
    pub role: Option<String>,
    pub bio: Option<String>,
    /// The photo as the source writes it.
    pub photo: Option<String>,
    /// Where the person was read from; empty for one known only from a byline.
    pub from: String,
    /// True when the name was made from the byline itself.
    pub guessed: bool,
}

/// True when a path names people (`_data/authors.yml`, `data/team/x.yaml`).
pub fn looks_like_people(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    PEOPLE_WORDS.iter().any(|word| lower.contains(word))
}

fn get_text(map: &Mapping, keys: &[&str]) -> Option<String> {
    keys.iter()
        .filter_map(|k| map.get(*k))
        .filter_map(scalar_text)
        .map(|s| s.trim().to_string())
        .find(|s| !s.is_empty())
}

/// The person's name as the source gives it: a full name, or first and last.
fn name_in(map: &Mapping, extra_keys: &[&str]) -> Option<String> {
    let parts = [
        get_text(map, &["first_name", "firstname", "given_name"]),
        get_text(map, &["last_name", "lastname", "family_name", "surname"]),
    ];
    let joined = parts.iter().flatten().cloned().collect::<Vec<_>>().join(" ");
    get_text(map, &NAME_KEYS)
        .or_else(|| (!joined.is_empty()).then_some(joined))
        .or_else(|| get_text(map, extra_keys))
}

/// A person from a map of fields; `id` from the enclosing key, if any.
pub fn member_from_map(map: &Mapping, id: Option<String>, from: &str) -> TeamMember {
    let own_id = get_text(map, &ID_KEYS);
    let (id, other_ids) = match id {
        Some(id) => (Some(id), own_id.into_iter().collect()),
        None => (own_id, Vec::new()),
    };
    TeamMember {
        id,
        other_ids,
        name: name_in(map, &[]),
        role: get_text(map, &["role", "position", "job_title", "jobtitle", "job"]),
        bio: get_text(map, &["bio", "description", "about", "summary"]),
        photo: get_text(map, &PHOTO_KEYS),
        from: from.to_string(),
        name_guessed: false,
    }
}

/// People from a data file's value, when its shape says it lists people: a
/// list of people, a map of id to person (or to a name), or one person.
/// Otherwise the reason it is not a team list. A list the user named
/// (`lenient`) keeps people without a name, with none.
pub fn team_from_value(value: &Value, stem: &str, from: &str, lenient: bool) -> Result<Vec<TeamMember>, String> {
    match value {
        Value::Sequence(items) => {
            let mut members = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let member = match item {
                    Value::Mapping(map) => member_from_map(map, None, from),
                    _ => return Err(format!("entry {} is not a person", i + 1)),
                };
                if member.name.is_none() && !(lenient && member.id.is_some()) {
                    return Err(format!("entry {} has no name", i + 1));
                }
                members.push(member);
            }
            Ok(members)
        }
        Value::Mapping(map) => {
            if let Some(inner) = ["authors", "team", "people", "members"]
                .iter()
                .find_map(|k| map.get(*k))
            {
                return team_from_value(inner, stem, from, lenient);
            }
            if is_image_record(map) {
                return Err("it describes an image".into());
            }
            if name_in(map, &[]).is_some() {
                return Ok(vec![member_from_map(map, Some(stem.to_string()), from)]);
            }
            let mut members = Vec::new();
            for (key, item) in map {
                let id = scalar_text(key).unwrap_or_default();
                let member = match item {
                    Value::Mapping(person) => member_from_map(person, Some(id.clone()), from),
                    Value::String(name) if !name.trim().is_empty() && !name.contains("://") => TeamMember {
                        id: Some(id.clone()),
                        name: Some(name.trim().to_string()),
                        from: from.to_string(),
                        ..TeamMember::default()
                    },
                    _ => return Err(format!("entry `{id}` is not a person")),
                };
                if member.name.is_none() && !lenient {
                    return Err(format!("entry `{id}` has no name"));
                }
                members.push(member);
            }
            Ok(members)
        }
        _ => Err("it is neither a list nor a map".into()),
    }
}

/// A person from a document of a collection of people or a Hugo term page:
/// the body is the bio. `title` counts as the name only where `title_is_name`.
pub fn member_from_document(doc: &Document, stem: &str, from: &str, title_is_name: bool) -> TeamMember {
    let map: Mapping = doc
        .fields
        .iter()
        .map(|f| (Value::String(f.key.clone()), f.value.clone()))
        .collect();
    let mut member = member_from_map(&map, Some(stem.to_string()), from);
    if member.name.is_none() && title_is_name {
        member.name = get_text(&map, &["title"]);
    }
    let body = doc.body.trim();
    if !body.is_empty() {
        member.bio = Some(body.to_string());
    }
    member
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
            let ids: Vec<&String> = member.id.iter().chain(&member.other_ids).collect();
            if ids.iter().any(|id| book.keys.contains_key(&id.to_lowercase())) {
                continue;
            }
            let base = member.id.as_deref().map(slugify).filter(|s| !s.is_empty());
            let base = base.or_else(|| member.name.as_deref().map(slugify)).unwrap_or_default();
            if base.is_empty() {
                continue;
            }
            let slug = book.free_slug(&base);
            book.entries.insert(
                slug.clone(),
                AuthorEntry {
                    name: member.name.clone(),
                    role: member.role.clone(),
                    bio: member.bio.clone(),
                    photo: member.photo.clone(),
                    from: member.from.clone(),
                    guessed: member.name_guessed,
                },
            );
            for id in ids {
                book.keys.insert(id.to_lowercase(), slug.clone());
                book.keys.entry(slugify(id)).or_insert(slug.clone());
            }
            book.keys.entry(slug.clone()).or_insert(slug.clone());
            if let Some(name) = &member.name {
                book.keys.entry(name.to_lowercase()).or_insert(slug.clone());
                book.keys.entry(slugify(name)).or_insert(slug.clone());
            }
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
        self.entries.get(slug).and_then(|e| e.name.as_deref())
    }

    /// Adds an author known only from a byline; returns its slug. A byline
    /// that reads as a name (a space or a capital) is the name; otherwise the
    /// name is made from it and marked as guessed.
    pub fn create(&mut self, byline: &str) -> Option<String> {
        let base = slugify(byline);
        if base.is_empty() {
            return None;
        }
        let looks_like_name = byline.trim().contains(' ') || byline.chars().any(|c| c.is_uppercase());
        let name = if looks_like_name {
            byline.trim().to_string()
        } else {
            super::text::name_from_id(byline)
        };
        let slug = self.free_slug(&base);
        self.entries.insert(
            slug.clone(),
            AuthorEntry {
                name: Some(name),
                role: None,
                bio: None,
                photo: None,
                from: String::new(),
                guessed: !looks_like_name,
            },
        );
        self.keys.insert(byline.trim().to_lowercase(), slug.clone());
        self.keys.entry(base).or_insert(slug.clone());
        Some(slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_yaml_maps_lists_and_single_people() {
        let map: Value = serde_yaml::from_str("jdoe:\n  name: Jane Doe\n  role: Fellow\nbob: Bob B\n").unwrap();
        let team = team_from_value(&map, "authors", "a.yml", false).unwrap();
        assert_eq!(team[0].name.as_deref(), Some("Jane Doe"));
        assert_eq!(team[0].role.as_deref(), Some("Fellow"));
        assert_eq!(team[1].id.as_deref(), Some("bob"));
        let list: Value = serde_yaml::from_str("- name: Ann Lee\n  slug: ann\n").unwrap();
        assert_eq!(
            team_from_value(&list, "x", "x", false).unwrap()[0].id.as_deref(),
            Some("ann")
        );
        let one: Value = serde_yaml::from_str("first_name: Ann\nlast_name: Lee\n").unwrap();
        assert_eq!(
            team_from_value(&one, "alee", "x", false).unwrap()[0].id.as_deref(),
            Some("alee")
        );
    }

    #[test]
    fn image_metadata_is_not_a_team_list() {
        // An image record once became an author file with an empty name.
        let image: Value =
            serde_yaml::from_str("uid: crane\nformat: jpg\nalt: A crane\ncaption: ''\ncredit: ''\n").unwrap();
        assert!(team_from_value(&image, "team-photo", "x", false).is_err());
        let nameless: Value = serde_yaml::from_str("- id: a\n  role: Fellow\n").unwrap();
        assert_eq!(
            team_from_value(&nameless, "x", "x", false).unwrap_err(),
            "entry 1 has no name"
        );
        // A list named with --authors keeps them: the final check then says what is missing.
        assert_eq!(team_from_value(&nameless, "x", "x", true).unwrap()[0].name, None);
    }

    #[test]
    fn names_made_from_bylines_are_marked_guessed() {
        let mut book = AuthorBook::default();
        assert_eq!(book.create("Jane Doe").as_deref(), Some("jane-doe"));
        assert_eq!(book.find("jane doe"), Some("jane-doe"));
        assert!(!book.entries["jane-doe"].guessed);
        assert_eq!(book.create("jdoe").as_deref(), Some("jdoe"));
        assert_eq!(book.entries["jdoe"].name.as_deref(), Some("Jdoe"));
        assert!(book.entries["jdoe"].guessed);
    }
}
