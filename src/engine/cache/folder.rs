//! The cache folder's housekeeping: the lock that keeps two builds from
//! saving at once (or one from removing a pack another is opening), and
//! the removal of what builds that were stopped left behind.

use super::pack::is_pack;
use std::fs::File;
use std::path::Path;

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
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(LOCK))
        .ok()?;
    let locked = match exclusive {
        true => file.lock(),
        false => file.lock_shared(),
    };
    locked.ok().map(|()| Lock(file))
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
