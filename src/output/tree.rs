//! Checking a built folder against its manifest without reading every
//! folder: what `untouched` asks of the output and what a spare is
//! cleaned of before it is used.
//!
//! A folder's change time moves whenever a name in it is added, removed or
//! renamed, and when the folder itself is moved; nobody can set it back. A
//! folder whose change time is older than the manifest (written after every
//! file of its build) therefore holds exactly the names the build left in
//! it, and only the others are read. The top folder is always read: the
//! marker, kept deploy files and the swap itself change it after the
//! manifest. Every look-up is relative to the folder opened once, in
//! parallel.

#![cfg(unix)]

use super::listing::Listing;
use super::manifest::Entry;
use rayon::prelude::*;
use rustix::fs::{statat, AtFlags, FileType, Stat};
use std::os::fd::OwnedFd;

/// A file or folder's time as (seconds, nanoseconds).
pub(super) type Time = (i64, i64);

/// The metadata of `rel` under `dir`, never through a link.
pub(super) fn stat(dir: &OwnedFd, rel: &str) -> Option<Stat> {
    statat(dir, rel, AtFlags::SYMLINK_NOFOLLOW).ok()
}

/// The modification time in `stat`.
#[allow(clippy::unnecessary_cast)]
pub(super) fn modified(stat: &Stat) -> Time {
    (stat.st_mtime as i64, stat.st_mtime_nsec as i64)
}

/// The change time in `stat`.
#[allow(clippy::unnecessary_cast)]
fn changed(stat: &Stat) -> Time {
    (stat.st_ctime as i64, stat.st_ctime_nsec as i64)
}

/// Whether `stat` is a regular file.
pub(super) fn is_file(stat: &Stat) -> bool {
    FileType::from_raw_mode(stat.st_mode as _) == FileType::RegularFile
}

/// Opens the folder at `path` (relative to `dir`, or absolute), never
/// through a link.
pub(super) fn open_dir(dir: impl rustix::fd::AsFd, path: impl rustix::path::Arg) -> Option<OwnedFd> {
    use rustix::fs::{openat, Mode, OFlags};
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    openat(dir, path, flags, Mode::empty()).ok()
}

/// Opens the regular file at `rel` under `dir`, never through a link.
pub(super) fn open_file(dir: &OwnedFd, rel: &str) -> Option<std::fs::File> {
    use rustix::fs::{openat, Mode, OFlags};
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let file = std::fs::File::from(openat(dir, rel, flags, Mode::empty()).ok()?);
    file.metadata().ok()?.is_file().then_some(file)
}

/// The paths under `dir` that are neither files the manifest lists nor
/// folders they lie in, skipping top-level names `ours` accepts. Folders
/// unchanged since `stamp` are not read (see the module's note). `None`
/// when a folder cannot be read.
pub(super) fn unlisted(
    dir: &OwnedFd,
    listing: &Listing,
    stamp: Time,
    ours: impl Fn(&str) -> bool + Sync,
) -> Option<Vec<String>> {
    walk(dir, listing, stamp, ours, None::<fn(&str, Entry, Option<Stat>) -> bool>)
}

/// As `unlisted`, and `None` too unless `file` accepts every listed file,
/// given with its listed entry and its metadata (`None` when it is
/// missing). Each folder is looked at just before its first file: the
/// look-up of one finds what the other's left in the caches.
pub(super) fn unlisted_or_refused(
    dir: &OwnedFd,
    listing: &Listing,
    stamp: Time,
    ours: impl Fn(&str) -> bool + Sync,
    file: impl Fn(&str, Entry, Option<Stat>) -> bool + Sync,
) -> Option<Vec<String>> {
    walk(dir, listing, stamp, ours, Some(file))
}

/// What `unlisted` and `unlisted_or_refused` share: one pass over the
/// files, in parallel, each folder checked where its files begin.
fn walk(
    dir: &OwnedFd,
    listing: &Listing,
    stamp: Time,
    ours: impl Fn(&str) -> bool + Sync,
    file: Option<impl Fn(&str, Entry, Option<Stat>) -> bool + Sync>,
) -> Option<Vec<String>> {
    let listed = |rel: &str| listing.lists(rel);
    let mut found = strays(dir, "", &listed)?;
    found.retain(|name| !ours(name));
    let rest: Vec<Vec<String>> = (0..listing.len())
        .into_par_iter()
        .map(|i| {
            let mut found = Vec::new();
            for folder in listing.new_folders(i) {
                match stat(dir, folder) {
                    // A missing folder holds nothing unlisted.
                    None => {}
                    Some(s) if FileType::from_raw_mode(s.st_mode as _) != FileType::Directory => {
                        found.push(folder.to_string())
                    }
                    Some(s) if changed(&s) < stamp => {}
                    Some(_) => found.extend(strays(dir, folder, &listed)?),
                }
            }
            let (rel, entry) = listing.file(i);
            match &file {
                Some(accepts) if !accepts(rel, entry, stat(dir, rel)) => None,
                _ => Some(found),
            }
        })
        .collect::<Option<_>>()?;
    found.extend(rest.into_iter().flatten());
    Some(found)
}

/// The paths in the folder `folder` under `dir` that `listed` does not know.
fn strays(dir: &OwnedFd, folder: &str, listed: &(impl Fn(&str) -> bool + Sync)) -> Option<Vec<String>> {
    let fd = if folder.is_empty() {
        open_dir(dir, ".")?
    } else {
        open_dir(dir, folder)?
    };
    let mut found = Vec::new();
    for entry in rustix::fs::Dir::read_from(&fd).ok()? {
        let entry = entry.ok()?;
        let name = entry.file_name().to_str().ok()?;
        if name == "." || name == ".." {
            continue;
        }
        let rel = if folder.is_empty() {
            name.to_string()
        } else {
            format!("{folder}/{name}")
        };
        if !listed(&rel) {
            found.push(rel);
        }
    }
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::manifest::{Entry, Manifest};

    #[test]
    fn only_changed_folders_are_read_for_strays() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        for rel in ["index.html", "a/b/index.html", "a/c.html"] {
            crate::fs::write(&root.join(rel), b"x").unwrap();
        }
        let manifest = Listing::of(&Manifest::new(
            ["index.html", "a/b/index.html", "a/c.html"]
                .iter()
                .map(|p| (p.to_string(), Entry::of(b"x")))
                .collect(),
        ));
        std::thread::sleep(std::time::Duration::from_millis(20));
        crate::fs::write(&root.join("stamp"), b"").unwrap();
        let stamp = std::fs::metadata(root.join("stamp")).unwrap();
        use std::os::unix::fs::MetadataExt;
        let stamp = (stamp.mtime(), stamp.mtime_nsec());
        let dir = open_dir(rustix::fs::CWD, root).unwrap();
        let ours = |n: &str| n == "stamp";
        assert_eq!(unlisted(&dir, &manifest, stamp, ours).unwrap(), Vec::<String>::new());
        std::thread::sleep(std::time::Duration::from_millis(20));
        crate::fs::write(&root.join("a/b/stray"), b"").unwrap();
        crate::fs::write(&root.join("top"), b"").unwrap();
        let mut found = unlisted(&dir, &manifest, stamp, ours).unwrap();
        found.sort();
        assert_eq!(found, ["a/b/stray", "top"]);
    }
}
