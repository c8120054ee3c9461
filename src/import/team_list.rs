//! Team lists: the data files (YAML, JSON, TOML, CSV) that list a site's
//! people, found by a path that names people and a shape that lists them,
//! or named with `--authors`.

use super::authors::{looks_like_people, member_from_map, team_from_value};
use super::config::read_structured;
use super::data::data_files;
use super::report::{Report, WarnKind};
use super::source::{file_stem, TeamMember};
use anyhow::{bail, Context, Result};
use serde_yaml::{Mapping, Value};
use std::path::Path;

/// Reads a team list: CSV with a header, or YAML/JSON/TOML.
pub fn read_team_file(path: &Path, from: &str, lenient: bool) -> Result<Vec<TeamMember>> {
    let lower = from.to_ascii_lowercase();
    let members = if lower.ends_with(".csv") || lower.contains(".csv.") {
        read_team_csv(&super::source::read_source(path)?, from)?
    } else {
        let value = read_structured(path, from).map_err(anyhow::Error::msg)?;
        match team_from_value(&value, file_stem(from), from, lenient) {
            Ok(members) => members,
            Err(reason) => bail!("not a team list: {reason}"),
        }
    };
    if members.is_empty() {
        bail!("lists no people");
    }
    Ok(members)
}

/// A CSV team list: one person per row; a row without a name keeps its id.
fn read_team_csv(bytes: &[u8], from: &str) -> Result<Vec<TeamMember>> {
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
        let member = member_from_map(&map, None, from);
        if member.id.is_some() || member.name.is_some() {
            members.push(member);
        }
    }
    Ok(members)
}

/// Loads the explicit team list, or else every data file under `data_dirs`
/// whose path names people and whose shape is a team list. Returns the
/// people and the files they came from; a file not read is reported.
pub fn discover_team(
    root: &Path,
    data_dirs: &[String],
    explicit: Option<&Path>,
    report: &mut Report,
) -> Result<(Vec<TeamMember>, Vec<String>)> {
    if let Some(file) = explicit {
        let shown = file.display().to_string();
        let members = read_team_file(file, &shown, true).with_context(|| format!("--authors {shown}"))?;
        for member in members.iter().filter(|m| m.name.is_none()) {
            let id = member.id.as_deref().unwrap_or("?");
            report.warn(
                WarnKind::AuthorCreated,
                &shown,
                1,
                format!("`{id}` has no name in the team list; its author file is written without one"),
            );
        }
        return Ok((members, vec![shown]));
    }
    let mut members = Vec::new();
    let mut sources = Vec::new();
    for rel in data_files(root, data_dirs) {
        if !looks_like_people(&rel) {
            continue;
        }
        match read_team_file(&root.join(&rel), &rel, false) {
            Ok(found) => {
                let named: Vec<TeamMember> = found.into_iter().filter(|m| m.name.is_some()).collect();
                if !named.is_empty() {
                    members.extend(named);
                    sources.push(rel);
                }
            }
            Err(err) => report.warn(
                WarnKind::Site,
                &rel,
                1,
                format!("data file not read as a team list: {err:#}"),
            ),
        }
    }
    Ok((members, sources))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::authors::AuthorBook;

    #[test]
    fn reads_csv_team_lists() {
        let csv = b"id,first_name,last_name,full_name\n18F,18F,,18F\naaron,Aaron,Snow,\nx,,,Xavier Q\n";
        let team = read_team_csv(csv, "t.csv").unwrap();
        assert_eq!(team.len(), 3);
        assert_eq!(team[1].name.as_deref(), Some("Aaron Snow"));
        assert_eq!(team[2].name.as_deref(), Some("Xavier Q"));
        let book = AuthorBook::from_team(&team);
        assert_eq!(book.find("18F"), Some("18f"));
        assert_eq!(book.find("Aaron Snow"), Some("aaron"));
    }
}
