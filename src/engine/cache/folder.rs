//! The cache folder's housekeeping: the lock that keeps two builds from
//! saving at once (or one from removing a pack another is opening), and
//! the removal of what builds that were stopped left behind.

use super::pack::is_pack;
use crate::output::Target;
use anyhow::{bail, Result};
use std::fs::File;
use std::path::Path;

/// The tag file that marks a folder as a cache (and tells backup tools
/// that it can be made again), with what ours says.
pub(super) const TAG: (&str, &[u8]) = (
    "CACHEDIR.TAG",
    b"Signature: 8a477f597d28d172789f06886806bc55\n# pressroom's build cache\n",
);

/// Refuses `dir` (as the user named it) as the cache folder of the site
/// at `root` building into `out` when using it could harm files the user
/// did not give it: when it is, holds or lies inside the site's sources or
/// the output, or holds anything but a cache of ours (its tag). A build
/// writes, replaces and removes files in its cache folder.
pub fn check_folder(dir: &Path, root: &Path, out: &Target) -> Result<()> {
    let cache = Target {
        shown: dir.to_path_buf(),
        path: crate::output::target::resolve(dir)?,
    };
    let refuse = |why: String| -> Result<()> { bail!("refusing to use {} as the cache folder: {why}", dir.display()) };
    if cache.path.parent().is_none() {
        return refuse("it is the root of the file system".into());
    }
    if let Some(source) = cache.source_overlap(root)? {
        return refuse(format!("it would mix with the site's own files ({source})"));
    }
    if cache.overlaps_any(std::slice::from_ref(&out.path)).is_some() {
        return refuse(format!("it would mix with the output folder {}", out.shown.display()));
    }
    let mut entries = match std::fs::read_dir(&cache.path) {
        Ok(entries) => entries,
        // Missing, or no folder to write in (a file in the way, no
        // permission): nothing of the user's can be lost, and the cache's
        // own warning says it cannot be used.
        Err(_) => return Ok(()),
    };
    if !marked(&cache.path) && entries.next().is_some() {
        return refuse(format!(
            "it holds files and is not a pressroom cache (it has no {} of pressroom's); \
             name a new or empty folder",
            TAG.0
        ));
    }
    Ok(())
}

/// Whether the folder `dir` holds our tag.
fn marked(dir: &Path) -> bool {
    crate::fs::holds_exactly(&dir.join(TAG.0), TAG.1)
}

/// Tags the existing folder `dir` as a cache before a build puts anything
/// else in it, so that a build stopped at any point leaves a folder later
/// builds know as theirs (and backup tools know they may skip).
pub(super) fn mark(dir: &Path) {
    let tag = dir.join(TAG.0);
    if std::fs::symlink_metadata(&tag).is_err() {
        let _ = std::fs::write(tag, TAG.1);
    }
}

/// The lock file's name in the cache folder.
const LOCK: &str = "lock";

/// Holds the cache folder's lock until dropped.
pub(super) struct Lock(#[allow(dead_code)] File);

/// Takes the lock of the cache folder `dir`: shared to read the index
/// and open its pack, exclusive to save. None when the folder has no
/// lock and cannot get one (a read-only cache): such a cache is not saved
/// to, and reading it unlocked risks no more than a damaged entry, which
/// its checksum shows.
pub(super) fn lock(dir: &Path, exclusive: bool) -> Option<Lock> {
    let file = lock_file(dir)?;
    let locked = match exclusive {
        true => file.lock(),
        false => file.lock_shared(),
    };
    locked.ok().map(|()| Lock(file))
}

/// The exclusive lock of the cache folder `dir` if no other build holds
/// it now; none otherwise, without waiting.
pub(super) fn try_lock(dir: &Path) -> Option<Lock> {
    let file = lock_file(dir)?;
    file.try_lock().ok().map(|()| Lock(file))
}

/// The lock file of the cache folder `dir`, opened to be locked.
fn lock_file(dir: &Path) -> Option<File> {
    mark(dir);
    // Not waiting for a reader, should a named pipe stand in its place.
    let mut options = std::fs::OpenOptions::new();
    crate::fs::open_file(options.create(true).truncate(false).write(true), &dir.join(LOCK), true).ok()
}

/// Removes what no index names, with the exclusive lock held (no other
/// build is writing): temporary files of builds stopped while saving,
/// packs other than `keep`, and the single-file cache of older versions.
pub(super) fn clean(dir: &Path, keep: Option<&str>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let stale = (name.starts_with('.') && name.ends_with(".tmp"))
            || (is_pack(name) && Some(name) != keep)
            || name == "build.bin";
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
