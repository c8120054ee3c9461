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
//! parallel, and each file is looked up by its name in its own folder,
//! opened once for the files that follow in it: a path walked from the top
//! for each of 43,000 files costs the kernel twice as much.

#![cfg(unix)]

use super::listing::Listing;
use rayon::prelude::*;
use rustix::fs::{fstat, statat, AtFlags, FileType, Stat};
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
/// folders they lie in, skipping top-level names `ours` accepts; `None`
/// when a folder cannot be read or `file` refuses a listed file. `file` is
/// given each listed file's position and its metadata (`None` when it is
/// missing). Folders unchanged since `stamp` are not read (see the
/// module's note).
///
/// One pass over the files, in parallel: each folder is checked where its
/// files begin, and the files of a folder (which mostly come together in
/// path order) are looked up by their names in the folder opened once,
/// not each by its whole path from the top.
pub(super) fn unlisted(
    dir: &OwnedFd,
    listing: &Listing,
    stamp: Time,
    ours: impl Fn(&str) -> bool + Sync,
    file: impl Fn(usize, Option<Stat>) -> bool + Sync,
) -> Option<Vec<String>> {
    let listed = |rel: &str| listing.lists(rel);
    let mut found = strays(dir, "", &listed)?;
    found.retain(|name| !ours(name));
    let rest: Vec<String> = (0..listing.len())
        .into_par_iter()
        .with_min_len(256)
        .try_fold(
            || (Near::default(), Vec::new()),
            |(mut near, mut found), i| {
                let rel = listing.file(i).0;
                let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
                let open = near.open(dir, folder);
                for new in listing.new_folders(i) {
                    let meta = match open {
                        Some(fd) if new == folder => fstat(fd).ok(),
                        _ => stat(dir, new),
                    };
                    match meta {
                        // A missing folder holds nothing unlisted.
                        None => {}
                        Some(s) if FileType::from_raw_mode(s.st_mode as _) != FileType::Directory => {
                            found.push(new.to_string())
                        }
                        Some(s) if changed(&s) < stamp => {}
                        Some(_) => found.extend(strays(dir, new, &listed)?),
                    }
                }
                let meta = match open {
                    Some(fd) => statat(fd, name, AtFlags::SYMLINK_NOFOLLOW).ok(),
                    None => stat(dir, rel),
                };
                file(i, meta).then_some((near, found))
            },
        )
        .map(|walked| walked.map(|(_, found)| found))
        .try_reduce(Vec::new, |mut all, more| {
            all.extend(more);
            Some(all)
        })?;
    found.extend(rest);
    Some(found)
}

/// The folder the last file was looked up in, open, for the files after it
/// in the same folder.
#[derive(Default)]
struct Near<'a> {
    /// The folder's path and the folder, `None` when it could not be opened
    /// (then its files are looked up by their whole paths).
    last: Option<(&'a str, Option<OwnedFd>)>,
}

impl<'a> Near<'a> {
    /// The folder `folder` under `dir`, opened unless it was the last one;
    /// `None` for the top folder, or when it cannot be opened.
    fn open(&mut self, dir: &OwnedFd, folder: &'a str) -> Option<&OwnedFd> {
        if folder.is_empty() {
            return None;
        }
        if self.last.as_ref().is_none_or(|(last, _)| *last != folder) {
            self.last = Some((folder, open_path(dir, folder)));
        }
        self.last.as_ref()?.1.as_ref()
    }
}

/// Opens the folder at `rel` under `dir` only to look names up in it and
/// read its metadata (on Linux, without opening it for reading), never
/// through a link.
fn open_path(dir: &OwnedFd, rel: &str) -> Option<OwnedFd> {
    use rustix::fs::{openat, Mode, OFlags};
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let only = OFlags::PATH;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let only = OFlags::RDONLY;
    let flags = only | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    openat(dir, rel, flags, Mode::empty()).ok()
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

    /// Files of one folder apart in path order (a subfolder's between
    /// them), at the top and deep down: each file's own metadata is given
    /// for it, and a file missing among others is given as missing.
    #[test]
    fn each_file_is_looked_up_at_its_own_path() {
        let d = tempfile::tempdir().unwrap();
        let paths = [
            "a/b/a.html",
            "a/b/c/x",
            "a/b/c/y/z",
            "a/b/d.html",
            "a/b-c/e",
            "a/b.html",
            "f",
            "g/h/i/j",
        ];
        // Each file's size is its position, plus one.
        let listing = Listing::of(&Manifest::new(
            paths.iter().map(|p| (p.to_string(), Entry::of(p.as_bytes()))).collect(),
        ));
        for (i, (rel, _)) in listing.iter().enumerate() {
            crate::fs::write(&d.path().join(rel), &vec![b'x'; i + 1]).unwrap();
        }
        let dir = open_dir(rustix::fs::CWD, d.path()).unwrap();
        let sizes = |listing: &Listing| {
            let seen: Vec<std::sync::atomic::AtomicU64> = (0..listing.len()).map(|_| u64::MAX.into()).collect();
            let stamp = (i64::MAX, 0);
            unlisted(
                &dir,
                listing,
                stamp,
                |_| false,
                |i, stat| {
                    let size = stat.map_or(0, |s| s.st_size as u64);
                    seen[i].store(size, std::sync::atomic::Ordering::Relaxed);
                    true
                },
            )
            .unwrap();
            seen.into_iter().map(|s| s.into_inner()).collect::<Vec<u64>>()
        };
        assert_eq!(sizes(&listing), (1..=paths.len() as u64).collect::<Vec<_>>());
        let missing = listing.iter().position(|(rel, _)| rel == "a/b/d.html").unwrap();
        std::fs::remove_file(d.path().join("a/b/d.html")).unwrap();
        let mut expected: Vec<u64> = (1..=paths.len() as u64).collect();
        expected[missing] = 0;
        assert_eq!(sizes(&listing), expected);
    }

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
        assert_eq!(
            unlisted(&dir, &manifest, stamp, ours, |_, _| true).unwrap(),
            Vec::<String>::new()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        crate::fs::write(&root.join("a/b/stray"), b"").unwrap();
        crate::fs::write(&root.join("top"), b"").unwrap();
        let mut found = unlisted(&dir, &manifest, stamp, ours, |_, _| true).unwrap();
        found.sort();
        assert_eq!(found, ["a/b/stray", "top"]);
    }
}
