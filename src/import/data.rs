//! The old site's data files (`data/`, `_data/`): read whatever their
//! format, and the image entries among them, which image shortcodes name by id.

use super::config::read_structured;
use super::document::scalar_text;
use super::report::{Report, WarnKind};
use super::source::{file_stem, walk_files, ImageEntry};
use serde_yaml::{Mapping, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// Data files under `dirs` (relative to `root`) in a format this reads.
pub fn data_files(root: &Path, dirs: &[String]) -> Vec<String> {
    let mut files: Vec<String> = dirs
        .iter()
        .filter(|d| root.join(d).is_dir())
        .flat_map(|d| walk_files(root, d))
        .filter(|rel| {
            let lower = rel.to_ascii_lowercase();
            [".yml", ".yaml", ".json", ".toml", ".csv"]
                .iter()
                .any(|e| lower.ends_with(e))
                || lower.contains(".csv.")
        })
        .collect();
    files.sort();
    files.dedup();
    files
}

/// Keys that say a map describes an image file.
const FILE_KEYS: [&str; 6] = ["src", "file", "path", "url", "format", "uid"];
/// Keys that say a map describes how an image is shown.
const SHOWN_KEYS: [&str; 5] = ["alt", "caption", "credit", "attribution", "copyright"];

/// True when a map reads as one image's metadata.
pub fn is_image_record(map: &Mapping) -> bool {
    let has = |keys: &[&str]| keys.iter().any(|k| map.contains_key(*k));
    has(&FILE_KEYS) && has(&SHOWN_KEYS)
}

/// Every image entry of the data files under `dirs`, by lowercase id: a
/// file that is one record (id: its `uid`/`id`, else the file name), a map
/// of id to record, or a list of records with ids.
pub fn image_entries(root: &Path, dirs: &[String], report: &mut Report) -> BTreeMap<String, ImageEntry> {
    let mut entries = BTreeMap::new();
    for rel in data_files(root, dirs) {
        if rel.to_ascii_lowercase().contains(".csv") {
            continue;
        }
        let value = match read_structured(&root.join(&rel), &rel) {
            Ok(value) => value,
            Err(message) => {
                report.warn(WarnKind::Site, &rel, 1, format!("data file not read: {message}"));
                continue;
            }
        };
        let mut add = |id: Option<String>, map: &Mapping| {
            let id = id
                .or_else(|| {
                    ["uid", "id", "key"]
                        .iter()
                        .find_map(|k| map.get(*k).and_then(scalar_text))
                })
                .unwrap_or_else(|| file_stem(&rel).to_string());
            entries.entry(id.to_lowercase()).or_insert_with(|| ImageEntry {
                file: rel.clone(),
                fields: map.clone(),
            });
        };
        match &value {
            Value::Mapping(map) if is_image_record(map) => add(None, map),
            Value::Mapping(map) => {
                for (key, item) in map {
                    if let (Some(key), Value::Mapping(record)) = (scalar_text(key), item) {
                        if is_image_record(record) {
                            add(Some(key), record);
                        }
                    }
                }
            }
            Value::Sequence(items) => {
                for item in items {
                    if let Value::Mapping(record) = item {
                        if is_image_record(record) && ["uid", "id", "key"].iter().any(|k| record.contains_key(*k)) {
                            add(None, record);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_image_records_in_each_shape() {
        let dir = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "data/photos/crane.yaml",
            "format: jpg\nalt: A crane\ncredit: Port staff\n",
        );
        write(
            "data/gallery.json",
            r#"{"dock": {"src": "/img/dock.png", "caption": "The dock"}}"#,
        );
        write("data/menu.yaml", "- name: Home\n  url: /\n");
        let mut report = Report::default();
        let entries = image_entries(dir.path(), &["data".to_string()], &mut report);
        assert_eq!(entries.keys().collect::<Vec<_>>(), ["crane", "dock"]);
        assert_eq!(entries["crane"].file, "data/photos/crane.yaml");
        assert!(report.warnings.is_empty());
    }
}
