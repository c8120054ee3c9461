//! "Did you mean" for a missing cross-reference target, without comparing
//! the missing path with every article: with thousands of broken links in a
//! large archive that comparison was quadratic.
//!
//! A typo in a file name (one letter wrong, missing, extra, or two letters
//! swapped) leaves the two names one deletion apart at most on each side,
//! so an index from every name and every one-letter deletion of it finds
//! such names with a few look-ups. The paths in the wanted path's own
//! folder are candidates too when the folder is small, which covers wholly
//! different names in a small site. The best candidate is then chosen as
//! before, by `diag::closest`; at most `MAX_CANDIDATES` are compared.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// Most paths compared with the wanted one.
const MAX_CANDIDATES: usize = 64;
/// A folder with at most this many articles is searched whole.
const SMALL_FOLDER: usize = 32;
/// Names longer than this (in characters) are indexed only as they are.
const MAX_NAME: usize = 64;

/// Article paths (relative to `articles/`), indexed for suggestions.
#[derive(Debug, Default)]
pub struct NearestPaths {
    paths: Vec<String>,
    /// (hash of a name or of a name less one letter, path id), sorted.
    variants: Vec<(u64, u32)>,
    /// Folder -> its paths' ids, for small folders only.
    folders: HashMap<String, Vec<u32>>,
}

impl NearestPaths {
    /// Indexes `paths`.
    pub fn new<'a>(paths: impl IntoIterator<Item = &'a str>) -> Self {
        let mut paths: Vec<String> = paths.into_iter().map(str::to_string).collect();
        paths.sort();
        let mut variants = Vec::new();
        let mut folders: HashMap<String, Vec<u32>> = HashMap::new();
        for (id, path) in paths.iter().enumerate() {
            let (folder, name) = split(path);
            for_each_variant(name, |h| variants.push((h, id as u32)));
            folders.entry(folder.to_string()).or_default().push(id as u32);
        }
        variants.sort_unstable();
        variants.dedup();
        folders.retain(|_, ids| ids.len() <= SMALL_FOLDER);
        NearestPaths {
            paths,
            variants,
            folders,
        }
    }

    /// The indexed path most like `wanted`, if any is like it at all.
    pub fn closest(&self, wanted: &str) -> Option<&str> {
        let (folder, name) = split(wanted);
        // Candidates by likeness: same name, one typo apart, same folder.
        let mut ids: Vec<u32> = Vec::new();
        for_each_variant(name, |h| {
            let start = self.variants.partition_point(|&(v, _)| v < h);
            let same = self.variants[start..].iter().take_while(|&&(v, _)| v == h);
            ids.extend(same.map(|&(_, id)| id).take(MAX_CANDIDATES));
        });
        ids.extend(self.folders.get(folder).into_iter().flatten());
        let mut seen = std::collections::HashSet::new();
        ids.retain(|&id| seen.insert(id));
        ids.truncate(MAX_CANDIDATES);
        let candidates = ids.iter().map(|&id| self.paths[id as usize].as_str());
        crate::diag::closest(wanted, candidates, 1).first().copied()
    }
}

/// A path's folder (empty at the top) and file name.
fn split(path: &str) -> (&str, &str) {
    path.rsplit_once('/').unwrap_or(("", path))
}

/// Calls `f` with the hash of `name` and of `name` less each one letter.
fn for_each_variant(name: &str, mut f: impl FnMut(u64)) {
    let hash = |s: &str| {
        let mut h = DefaultHasher::new();
        s.hash(&mut h);
        h.finish()
    };
    f(hash(name));
    if name.chars().count() > MAX_NAME {
        return;
    }
    let mut less = String::with_capacity(name.len());
    for (i, c) in name.char_indices() {
        less.clear();
        less.push_str(&name[..i]);
        less.push_str(&name[i + c.len_utf8()..]);
        f(hash(&less));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_in_a_large_folder() {
        let names: Vec<String> = (0..5_000).map(|i| format!("2024/note-{i:05}.md")).collect();
        let index = NearestPaths::new(names.iter().map(String::as_str));
        assert_eq!(index.closest("2024/nte-00042.md"), Some("2024/note-00042.md"));
        assert_eq!(index.closest("2024/note-00042.md"), Some("2024/note-00042.md"));
        assert_eq!(index.closest("2024/ntoe-00042.md"), Some("2024/note-00042.md"));
        assert_eq!(index.closest("2023/note-00042.md"), Some("2024/note-00042.md"));
        assert_eq!(index.closest("2024/something-else.md"), None);
    }

    #[test]
    fn a_small_folder_is_searched_whole() {
        let index = NearestPaths::new(["2024/good.md", "2019/a.md"]);
        assert_eq!(index.closest("2024/nope.md"), Some("2024/good.md"));
        assert_eq!(index.closest("2024/godo.md"), Some("2024/good.md"));
    }
}
