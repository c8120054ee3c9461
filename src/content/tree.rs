//! The site's folders walked once per load. The engine's listings (article
//! files, authors and topics, static files), the files `exclude` skips and
//! the build cache's scan of its inputs all read the same walk, so a build
//! lists a 10,000-article archive once, not once per use; and what is
//! skipped (hidden and editor files, symbolic links, what `exclude` names)
//! is decided here and in `Exclude`, nowhere else.

use super::{is_ignored_name, Exclude};
use crate::diag::display_path;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The folders that hold content, in the order their skipped files are listed.
pub const CONTENT_FOLDERS: [&str; 4] = ["articles", "authors", "topics", "static"];

/// Every folder at the top of a site that holds its inputs (beside
/// `site.yaml`): what the build cache scans, the preview watches and an
/// output folder may never be; exactly the folders the engine's
/// `classify` gives a kind.
pub const INPUT_FOLDERS: &[&str] = &["articles", "authors", "topics", "templates", "i18n", "static"];

/// What an entry of a walked folder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    /// A symbolic link, never followed.
    Link,
    /// Anything else that is not a folder (a socket, a device).
    Other,
    /// A folder that could not be read, so its files are not known.
    Unreadable,
}

/// One entry found under a walked folder.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    /// The path from the site folder, `/`-separated (`display_path`).
    pub rel: String,
    pub kind: Kind,
    /// Its metadata (a link's own), when the walk read it.
    pub meta: Option<std::fs::Metadata>,
}

/// Folders of one site as walked, each entry in path order (hidden and
/// editor temporary files and what is under hidden folders left out).
#[derive(Debug, Default)]
pub struct Tree {
    folders: BTreeMap<String, Vec<Found>>,
}

impl Tree {
    /// Walks the folders `names` (relative to `root`); one that is missing is empty.
    pub fn walk(root: &Path, names: &[&str]) -> Tree {
        Tree::walk_reading(root, names, false)
    }

    /// As `walk`, with each entry's metadata (for the build cache's scan).
    pub fn walk_with_metadata(root: &Path, names: &[&str]) -> Tree {
        Tree::walk_reading(root, names, true)
    }

    fn walk_reading(root: &Path, names: &[&str], meta: bool) -> Tree {
        let folders = names
            .iter()
            .map(|name| (name.to_string(), walk_folder(root, name, meta)))
            .collect();
        Tree { folders }
    }

    /// Walks the content folders.
    pub fn content(root: &Path) -> Tree {
        Tree::walk(root, &CONTENT_FOLDERS)
    }

    /// The entries of the folder `name`, walked if `self` has not.
    pub fn folder(&self, root: &Path, name: &str) -> std::borrow::Cow<'_, [Found]> {
        match self.folders.get(name) {
            Some(found) => std::borrow::Cow::Borrowed(found),
            None => std::borrow::Cow::Owned(walk_folder(root, name, false)),
        }
    }

    /// Every entry of every folder walked.
    pub fn entries(&self) -> impl Iterator<Item = &Found> {
        self.folders.values().flatten()
    }
}

/// What a content folder holds for the site, split by `exclude`.
#[derive(Debug, Default)]
pub struct Split {
    /// The regular files `keep` accepts and `exclude` does not skip.
    pub files: Vec<Found>,
    /// The symbolic links (to files `keep` accepts, or to folders).
    pub links: Vec<PathBuf>,
    /// The regular files `exclude` skips, from the site folder.
    pub excluded: Vec<String>,
    /// The folders that could not be read.
    pub unreadable: Vec<PathBuf>,
}

/// The regular files `exclude` skips, by content folder.
#[derive(Debug, Default, Clone)]
pub struct Skipped(BTreeMap<String, Vec<String>>);

impl Skipped {
    /// Notes the files skipped in `folder` as it was last listed.
    pub fn set(&mut self, folder: &str, files: Vec<String>) {
        self.0.insert(folder.to_string(), files);
    }

    /// Every file skipped, folder by folder (`CONTENT_FOLDERS`), each in path order.
    pub fn all(&self) -> Vec<String> {
        CONTENT_FOLDERS
            .iter()
            .filter_map(|folder| self.0.get(*folder))
            .flatten()
            .cloned()
            .collect()
    }
}

/// The entries `found` of one folder split by `exclude` and `keep`.
pub fn split(found: &[Found], exclude: &Exclude, keep: impl Fn(&Path) -> bool) -> Split {
    let mut split = Split::default();
    for entry in found {
        match entry.kind {
            Kind::File if exclude.is_excluded(&entry.rel) => split.excluded.push(entry.rel.clone()),
            Kind::File if keep(&entry.path) => split.files.push(entry.clone()),
            Kind::Link if (keep(&entry.path) && !exclude.is_excluded(&entry.rel)) || entry.path.is_dir() => {
                split.links.push(entry.path.clone())
            }
            Kind::Unreadable => split.unreadable.push(entry.path.clone()),
            _ => {}
        }
    }
    split
}

/// Every entry under `root/name` but folders, in path order, skipping
/// hidden and editor temporary names (and all under a hidden folder).
/// Links are not followed, so nothing outside the site is read through one.
fn walk_folder(root: &Path, name: &str, meta: bool) -> Vec<Found> {
    let dir = root.join(name);
    if !dir.is_dir() {
        return Vec::new();
    }
    walk_dir(root, &dir, meta)
}

/// The entries under `dir`, in path order. Folders are read level by level,
/// each level's folders and each folder's entries in parallel, and laid out
/// depth first from an explicit stack, so that no depth of folders can
/// exhaust a thread's stack. With `meta`, each file's metadata is read from
/// the open folder (no path to resolve again), for the cache's scan.
fn walk_dir(root: &Path, dir: &Path, meta: bool) -> Vec<Found> {
    let mut read: HashMap<PathBuf, Vec<Item>> = HashMap::new();
    let mut level = vec![dir.to_path_buf()];
    while !level.is_empty() {
        let listed: Vec<(PathBuf, Vec<Item>)> = level
            .into_par_iter()
            .map(|folder| {
                let items = read_folder(root, &folder, meta);
                (folder, items)
            })
            .collect();
        level = listed
            .iter()
            .flat_map(|(_, items)| items.iter())
            .filter_map(|item| match item {
                Item::Folder(path) => Some(path.clone()),
                Item::Entry(_) => None,
            })
            .collect();
        read.extend(listed);
    }
    let mut found = Vec::new();
    let mut stack = vec![read.remove(dir).unwrap_or_default().into_iter()];
    while let Some(top) = stack.last_mut() {
        match top.next() {
            Some(Item::Entry(entry)) => found.push(entry),
            Some(Item::Folder(path)) => stack.push(read.remove(&path).unwrap_or_default().into_iter()),
            None => {
                stack.pop();
            }
        }
    }
    found
}

/// What one folder holds: entries, and folders to read next.
// Moved, never copied, and gone when the walk ends: boxing the large
// variant would cost an allocation per file.
#[allow(clippy::large_enum_variant)]
enum Item {
    Entry(Found),
    Folder(PathBuf),
}

/// The entries of one folder, sorted by name, hidden and editor temporary
/// names left out; a folder that cannot be read is an entry of its own
/// (`Kind::Unreadable`), so that its files are not silently missing.
fn read_folder(root: &Path, dir: &Path, meta: bool) -> Vec<Item> {
    let read = match std::fs::read_dir(dir) {
        Ok(read) => read,
        // Removed since its parent was read: it holds nothing now.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(_) => {
            return vec![Item::Entry(Found {
                path: dir.to_path_buf(),
                rel: display_path(root, dir),
                kind: Kind::Unreadable,
                meta: None,
            })]
        }
    };
    let mut entries: Vec<(std::ffi::OsString, std::fs::DirEntry)> = read
        .filter_map(Result::ok)
        .map(|e| (e.file_name(), e))
        .filter(|(name, _)| !is_ignored_name(&name.to_string_lossy()))
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries
        .into_par_iter()
        .filter_map(|(_, entry)| {
            let file_type = entry.file_type().ok()?;
            let path = entry.path();
            if file_type.is_dir() {
                return Some(Item::Folder(path));
            }
            let kind = match file_type {
                t if t.is_file() => Kind::File,
                t if t.is_symlink() => Kind::Link,
                _ => Kind::Other,
            };
            let rel = display_path(root, &path);
            let meta = meta.then(|| entry.metadata().ok()).flatten();
            Some(Item::Entry(Found { path, rel, kind, meta }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_that_cannot_be_read_is_an_entry_of_its_own() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        // Reading a file as a folder fails as an unreadable folder would
        // (permissions cannot show it to a test run as root).
        let not_a_folder = root.join("articles/2019");
        crate::fs::write(&not_a_folder, b"x").unwrap();
        let items = read_folder(root, &not_a_folder, false);
        let found: Vec<Found> = items
            .into_iter()
            .filter_map(|item| match item {
                Item::Entry(found) => Some(found),
                Item::Folder(_) => None,
            })
            .collect();
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].kind, found[0].rel.as_str()),
            (Kind::Unreadable, "articles/2019")
        );
        let split = split(&found, &Exclude::default(), |_| true);
        assert_eq!(split.unreadable, [not_a_folder]);
        assert!(
            read_folder(root, &root.join("gone"), false).is_empty(),
            "a folder removed meanwhile is empty"
        );
    }

    #[test]
    fn one_walk_gives_listings_and_skipped_files() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        for rel in [
            "articles/2019/b.md",
            "articles/2019/a.md",
            "articles/README.md",
            "articles/notes.txt",
            "articles/.hidden/c.md",
            "articles/2019/a.md~",
            "static/logo.svg",
        ] {
            crate::fs::write(&root.join(rel), b"x").unwrap();
        }
        let tree = Tree::content(root);
        let rels: Vec<&str> = tree.entries().map(|f| f.rel.as_str()).collect();
        assert_eq!(
            rels,
            [
                "articles/2019/a.md",
                "articles/2019/b.md",
                "articles/README.md",
                "articles/notes.txt",
                "static/logo.svg"
            ]
        );
        let exclude = Exclude::new(&["*.txt".to_string()]).unwrap();
        let articles = split(&tree.folder(root, "articles"), &exclude, super::super::is_article_file);
        let names: Vec<&str> = articles.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(names, ["articles/2019/a.md", "articles/2019/b.md"]);
        assert_eq!(articles.excluded, ["articles/README.md", "articles/notes.txt"]);
        // A folder not walked is walked when asked for.
        let statics = Tree::walk(root, &["articles"]);
        assert_eq!(statics.folder(root, "static").len(), 1);
    }

    #[test]
    fn folders_of_any_depth_are_walked_without_recursion() {
        let d = tempfile::tempdir().unwrap();
        let deep: PathBuf = std::iter::repeat_n("a", 1_900).collect();
        crate::fs::write(&d.path().join("articles").join(&deep).join("x.md"), b"x").unwrap();
        crate::fs::write(&d.path().join("articles/y.md"), b"y").unwrap();
        let tree = Tree::content(d.path());
        let rels: Vec<&str> = tree.entries().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels.len(), 2);
        assert!(rels[0].ends_with("a/x.md") && rels[1] == "articles/y.md", "{rels:?}");
    }
}
