//! What a build read: every file under the site folder that the engine's
//! own classifier (`classify`, the one the preview's watcher uses) says is
//! an input, with a hash of its bytes. Comparing two scans gives the
//! changes since the cached build, as the preview would have seen them.
//! Bytes, not modification times: a CI checkout gives every file a new time.

use super::super::change::{classify, ChangeKind};
use crate::diag::display_path;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every input file, by path relative to the site folder, with the
/// XXH3-128 hash of its bytes (of its target's name, for a link).
pub(super) type Inputs = BTreeMap<String, u128>;

/// The folders (and file) at the top of a site that hold its inputs.
const TOPS: &[&str] = &[
    "site.yaml",
    "articles",
    "authors",
    "topics",
    "templates",
    "i18n",
    "static",
];

/// Hashes every input file of the site at `root`.
pub(super) fn scan(root: &Path) -> Inputs {
    let mut paths: Vec<(String, PathBuf)> = Vec::new();
    for top in TOPS {
        for entry in walkdir::WalkDir::new(root.join(top))
            .follow_links(false)
            .into_iter()
            .flatten()
        {
            if entry.file_type().is_dir() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(root) else {
                continue;
            };
            // A name that is not UTF-8 is an input too: the engine reports it.
            if classify(rel).is_some() || rel.to_str().is_none() {
                paths.push((display_path(Path::new(""), rel), entry.into_path()));
            }
        }
    }
    paths
        .into_par_iter()
        .map(|(rel, path)| {
            let bytes = match std::fs::symlink_metadata(&path) {
                Ok(m) if m.file_type().is_symlink() => {
                    std::fs::read_link(&path).map(|t| t.to_string_lossy().into_owned().into_bytes())
                }
                _ => std::fs::read(&path),
            };
            // An unreadable file hashes as none: it differs from any content.
            let hash = bytes.map_or(0, |b| xxhash_rust::xxh3::xxh3_128(&b) | 1);
            (rel, hash)
        })
        .collect()
}

/// The paths added, changed or removed between two scans, each with what
/// it means to the engine (paths the classifier no longer knows are left out).
pub(super) fn changes(old: &Inputs, new: &Inputs) -> Vec<(ChangeKind, PathBuf)> {
    let changed = new.iter().filter(|(p, h)| old.get(*p) != Some(*h)).map(|(p, _)| p);
    let removed = old.keys().filter(|p| !new.contains_key(*p));
    changed
        .chain(removed)
        .filter_map(|p| Some((classify(Path::new(p))?, PathBuf::from(p))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scan_sees_each_kind_of_change() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        for (rel, text) in [
            ("site.yaml", "title: T\n"),
            ("articles/2019/a.md", "a"),
            ("articles/2019/b.md", "b"),
            ("static/x.svg", "<svg/>"),
            ("public/index.html", "not an input"),
            ("articles/2019/.a.md.swp", "not an input"),
        ] {
            crate::fs::write(&root.join(rel), text.as_bytes()).unwrap();
        }
        let before = scan(root);
        assert_eq!(
            before.keys().collect::<Vec<_>>(),
            ["articles/2019/a.md", "articles/2019/b.md", "site.yaml", "static/x.svg"]
        );
        std::fs::write(root.join("articles/2019/a.md"), "A").unwrap();
        std::fs::remove_file(root.join("articles/2019/b.md")).unwrap();
        crate::fs::write(&root.join("templates/article.html"), b"t").unwrap();
        let after = scan(root);
        let mut found = changes(&before, &after);
        found.sort_by(|a, b| a.1.cmp(&b.1));
        let want = [
            (ChangeKind::Article, "articles/2019/a.md"),
            (ChangeKind::Article, "articles/2019/b.md"),
            (ChangeKind::Templates, "templates/article.html"),
        ];
        let want: Vec<(ChangeKind, PathBuf)> = want.iter().map(|(k, p)| (*k, PathBuf::from(p))).collect();
        assert_eq!(found, want);
        assert!(changes(&after, &scan(root)).is_empty());
    }
}
