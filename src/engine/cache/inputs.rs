//! What a build read: every file under the site folder that the engine's
//! own classifier (`classify`, the one the preview's watcher uses) says is
//! an input, with a hash of its bytes. Comparing two scans gives the
//! changes since the cached build, as the preview would have seen them.
//!
//! Bytes, not times, decide: a CI checkout gives every file a new time. A
//! file is read again unless its size, modification and change times and
//! inode are those recorded with its hash, and its change time is older
//! than the scan that recorded them, with a second to spare for the
//! coarseness of file times (as git trusts its index): the change time is
//! set by the system on every write and cannot be set back by hand, so a
//! file written after that scan began has another.

use super::super::change::{classify, ChangeKind};
use crate::content::tree::Kind;
use crate::content::Tree;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One input file: the XXH3-128 hash of its bytes (of its target's name,
/// for a link) and what its metadata was when they were read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Input {
    hash: u128,
    meta: Meta,
}

/// Size, modification and change times (seconds, nanoseconds) and inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Meta {
    size: u64,
    modified: (i64, i64),
    changed: (i64, i64),
    inode: u64,
}

/// Every input file, by path relative to the site folder.
pub(super) type Inputs = BTreeMap<String, Input>;

/// The folders at the top of a site that hold its inputs (with `site.yaml`).
pub(super) use crate::content::INPUT_FOLDERS as FOLDERS;

/// The site's settings file: the one input read through a symbolic link
/// (`SiteConfig::load` follows it; a link anywhere else is skipped).
const CONFIG: &str = "site.yaml";

/// The metadata of the input `rel` as the build reads it: through the
/// link for `site.yaml`, so that an edit of the file it points at is seen.
fn metadata(root: &Path, rel: &str) -> Option<std::fs::Metadata> {
    let path = root.join(rel);
    match rel == CONFIG {
        true => std::fs::metadata(path).ok(),
        false => std::fs::symlink_metadata(path).ok(),
    }
}

/// The time a second ago, as (seconds, nanoseconds): taken before a scan,
/// a file changed after this scan began has a later change time.
pub(super) fn clock_before_now() -> (i64, i64) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .saturating_sub(std::time::Duration::from_secs(1));
    (now.as_secs() as i64, i64::from(now.subsec_nanos()))
}

/// Hashes every input file of the site at `root`, whose folders `FOLDERS`
/// are walked in `tree`. A file whose metadata is as `known` recorded it,
/// and changed before `since` (from `clock_before_now` when `known` was
/// scanned), keeps its recorded hash unread.
pub(super) fn scan(root: &Path, tree: &Tree, known: &Inputs, since: Option<(i64, i64)>) -> Inputs {
    let config = root.join(CONFIG);
    let config_meta = metadata(root, CONFIG);
    let mut paths: Vec<(&str, &Path, Option<&std::fs::Metadata>)> = Vec::new();
    if let Some(meta) = config_meta.as_ref().filter(|m| !m.is_dir()) {
        paths.push((CONFIG, &config, Some(meta)));
    }
    for found in tree.entries() {
        let Ok(rel) = found.path.strip_prefix(root) else {
            continue;
        };
        // A named pipe, socket or device is no input (a build skips it),
        // and reading one could wait for ever.
        if found.kind == Kind::Other {
            continue;
        }
        // A name that is not UTF-8 is an input too: the engine reports it.
        if classify(rel).is_some() || rel.to_str().is_none() {
            paths.push((&found.rel, &found.path, found.meta.as_ref()));
        }
    }
    paths
        .into_par_iter()
        .map(|(rel, path, meta)| {
            // The metadata first (read by the walk): a write after it gives
            // other metadata next time.
            let kept = known.get(rel).filter(|old| vouches(old, meta.and_then(meta_of), since));
            if let Some(old) = kept {
                return (rel.to_string(), old.clone());
            }
            let bytes = match meta {
                Some(m) if m.file_type().is_symlink() => {
                    std::fs::read_link(path).map(|t| t.to_string_lossy().into_owned().into_bytes())
                }
                _ => crate::fs::read_regular(path),
            };
            // An unreadable file hashes as none: it differs from any content.
            let hash = bytes.map_or(0, |b| xxhash_rust::xxh3::xxh3_128(&b) | 1);
            (
                rel.to_string(),
                Input {
                    hash,
                    meta: recorded(meta),
                },
            )
        })
        .collect::<Vec<_>>()
        // Sorted and built in one go (rayon would insert one path at a time).
        .into_iter()
        .collect()
}

/// Whether `old`, recorded by a scan that began after `since`, stands for
/// a file whose metadata is now `meta` without reading it.
fn vouches(old: &Input, meta: Option<Meta>, since: Option<(i64, i64)>) -> bool {
    meta == Some(old.meta) && since.is_some_and(|since| old.meta.changed < since)
}

/// Whether a scan after `known` (recorded with `since`) that found `now`
/// read no file: when it read some whose bytes were the same (touched,
/// checked out again, or changed too soon before `known` was recorded),
/// recording `now` spares the next scan reading them again.
pub(super) fn all_vouched(known: &Inputs, now: &Inputs, since: (i64, i64)) -> bool {
    // Without change times nothing is vouched for: recording helps nothing.
    !cfg!(unix)
        || known.len() == now.len()
            && known
                .iter()
                .zip(now)
                .all(|((p, old), (q, new))| p == q && vouches(old, Some(new.meta), Some(since)))
}

/// The scan `scanned` as a build that read the site's files after it may
/// record it: a file whose metadata is no longer what the scan found may
/// have been read by the build in another state than the scan hashed, so
/// its hash is forgotten and the next scan sees it as changed, whatever it
/// holds then (an edit during a build, undone after it, is not missed).
/// An article file `unread` says the build did not read (given its path
/// relative to `articles/`) is not looked at: what the build made of it is
/// what the scan hashed, and a later change of its metadata has the next
/// scan read it.
pub(super) fn settled(root: &Path, scanned: &Inputs, unread: impl Fn(&str) -> bool + Sync) -> Inputs {
    scanned
        .par_iter()
        .map(|(rel, input)| {
            if rel.strip_prefix("articles/").is_some_and(&unread) {
                return (rel.clone(), input.clone());
            }
            let now = metadata(root, rel);
            let hash = match recorded(now.as_ref()) == input.meta {
                true => input.hash,
                false => 0,
            };
            (rel.clone(), Input { hash, meta: input.meta })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

/// A file's metadata as a scan records it: for a file gone, or where the
/// system has no change time, metadata no file has (never vouched for).
fn recorded(meta: Option<&std::fs::Metadata>) -> Meta {
    meta.and_then(meta_of).unwrap_or(Meta {
        size: 0,
        modified: (0, 0),
        changed: (i64::MAX, 0),
        inode: 0,
    })
}

/// A file's metadata; none where the system has no change time.
#[cfg(unix)]
fn meta_of(m: &std::fs::Metadata) -> Option<Meta> {
    use std::os::unix::fs::MetadataExt;
    Some(Meta {
        size: m.len(),
        modified: (m.mtime(), m.mtime_nsec()),
        changed: (m.ctime(), m.ctime_nsec()),
        inode: m.ino(),
    })
}

#[cfg(not(unix))]
fn meta_of(_: &std::fs::Metadata) -> Option<Meta> {
    None
}

/// Whether two scans found the same files with the same bytes.
pub(super) fn same(old: &Inputs, new: &Inputs) -> bool {
    old.len() == new.len() && old.iter().zip(new).all(|((p, a), (q, b))| p == q && a.hash == b.hash)
}

/// The paths added, changed or removed between two scans, each with what
/// it means to the engine (paths the classifier no longer knows are left out).
pub(super) fn changes(old: &Inputs, new: &Inputs) -> Vec<(ChangeKind, PathBuf)> {
    let changed = new
        .iter()
        .filter(|(p, i)| old.get(*p).is_none_or(|o| o.hash != i.hash))
        .map(|(p, _)| p);
    let removed = old.keys().filter(|p| !new.contains_key(*p));
    changed
        .chain(removed)
        .filter_map(|p| Some((classify(Path::new(p))?, PathBuf::from(p))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scan with a walk of its own.
    fn scan(root: &Path, known: &Inputs, since: Option<(i64, i64)>) -> Inputs {
        super::scan(root, &Tree::walk_with_metadata(root, FOLDERS), known, since)
    }

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
        let before = scan(root, &Inputs::new(), None);
        assert_eq!(
            before.keys().collect::<Vec<_>>(),
            ["articles/2019/a.md", "articles/2019/b.md", "site.yaml", "static/x.svg"]
        );
        std::fs::write(root.join("articles/2019/a.md"), "A").unwrap();
        std::fs::remove_file(root.join("articles/2019/b.md")).unwrap();
        crate::fs::write(&root.join("templates/article.html"), b"t").unwrap();
        let after = scan(root, &before, None);
        let mut found = changes(&before, &after);
        found.sort_by(|a, b| a.1.cmp(&b.1));
        let want = [
            (ChangeKind::Article, "articles/2019/a.md"),
            (ChangeKind::Article, "articles/2019/b.md"),
            (ChangeKind::Templates, "templates/article.html"),
        ];
        let want: Vec<(ChangeKind, PathBuf)> = want.iter().map(|(k, p)| (*k, PathBuf::from(p))).collect();
        assert_eq!(found, want);
        assert!(changes(&after, &scan(root, &after, None)).is_empty());
    }

    #[test]
    fn a_file_is_read_again_unless_its_metadata_vouches_for_it() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        let file = root.join("articles/a.md");
        crate::fs::write(&file, b"one").unwrap();
        let first = scan(root, &Inputs::new(), None);
        let later = (i64::MAX, 0);
        // Recorded hashes of files unchanged since are kept unread: a
        // recorded hash that is not the file's shows it.
        let mut forged = first.clone();
        forged.get_mut("articles/a.md").unwrap().hash = 7;
        assert_eq!(scan(root, &forged, Some(later))["articles/a.md"].hash, 7);
        // Not before the cache was written, or with other metadata: read.
        assert_ne!(scan(root, &forged, None)["articles/a.md"].hash, 7);
        assert_ne!(scan(root, &forged, Some((0, 0)))["articles/a.md"].hash, 7);
        std::fs::write(&file, b"two").unwrap();
        let edited = scan(root, &forged, Some(later));
        assert_ne!(edited["articles/a.md"].hash, 7);
        assert!(!same(&first, &edited));
        assert!(same(&edited, &scan(root, &edited, Some(later))));
    }
}
