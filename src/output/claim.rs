//! Which folders beside the output belong to a running build, and which
//! are leftovers of one that was stopped.
//!
//! A process number cannot tell: across PID namespaces (containers sharing
//! a volume) and after a number is reused it names the wrong process. So a
//! build claims a number N before it makes anything: it creates the lock
//! file `.NAME.building-N.lock` beside the output (a name no other build
//! has at that moment) and holds an exclusive lock on it until it is done;
//! the system releases the lock when the process ends, however it ends.
//! The claim covers two folders: `.NAME.building-N` (the staging folder,
//! and the old output once swapped out) and `.NAME.old-N` (where an old
//! output or a spare that cannot be used is parked).
//!
//! A later build removes the folders of a claim whose lock it can take,
//! then the lock file. The lock file is written first, so folders of those
//! names with no lock file beside them were not made by a build of ours (or
//! by one from before the lock) and are never touched. A folder that cannot
//! be removed is said aloud and left with its lock file, to be tried again.

use anyhow::{bail, Context, Result};
use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};

/// What a finished lock file says; its owner wrote it after checking that
/// the folders it claims were free.
const LOCK_TEXT: &str = "# Held by a running `pressroom build`; the folders of this name are its own.\n";

/// The longest file name most file systems take, in bytes.
const NAME_MAX: usize = 255;

/// Refuses an output name too long for the names a build makes beside it.
pub(super) fn check_name(name: &str, shown: &Path) -> Result<()> {
    let room = lock_name(name, u32::MAX).len() - name.len();
    if name.len() + room > NAME_MAX {
        bail!(
            "the output folder name of {} is too long ({} bytes): a build makes `.NAME.building-N.lock` \
             beside it, so the name may have at most {} bytes",
            shown.display(),
            name.len(),
            NAME_MAX - room
        );
    }
    Ok(())
}

fn lock_name(name: &str, n: u32) -> String {
    format!(".{name}.building-{n}.lock")
}

/// The folders a claim on number `n` covers: staging, then parked.
fn folders(parent: &Path, name: &str, n: u32) -> [PathBuf; 2] {
    [
        parent.join(format!(".{name}.building-{n}")),
        parent.join(format!(".{name}.old-{n}")),
    ]
}

/// A number claimed by this build, held until it is released or the
/// process ends.
pub(super) struct Claim {
    file: File,
    lock: PathBuf,
    /// The staging folder (missing until the build makes it).
    pub(super) staging: PathBuf,
    /// Where an old output or an unusable spare is parked.
    pub(super) parked: PathBuf,
    /// The staging folder as made, held open to tell it from one made
    /// anew (whose inode number cannot be this one's while it is open).
    made: Option<File>,
}

/// A file's device and inode.
type FileId = (u64, u64);

/// The device and inode of `meta`.
fn file_id(meta: &std::fs::Metadata) -> FileId {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        (meta.dev(), meta.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        (0, 0)
    }
}

impl Claim {
    /// Claims a number for a build of output `name` in `parent`: the
    /// process's own unless another build holds it or a folder of its
    /// names is not ours.
    pub(super) fn new(parent: &Path, name: &str) -> Result<Claim> {
        let pid = std::process::id();
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        for attempt in 0..64u32 {
            let n = match attempt {
                0 => pid,
                _ => pid.wrapping_add(attempt.wrapping_mul(0x9E37_79B9)) ^ seed,
            };
            if let Some(claim) = Claim::try_number(parent, name, n)? {
                return Ok(claim);
            }
        }
        bail!("could not find a free staging folder name beside {}", parent.display())
    }

    /// Claims `n`, or `None` when it is taken.
    fn try_number(parent: &Path, name: &str, n: u32) -> Result<Option<Claim>> {
        let lock = parent.join(lock_name(name, n));
        let file = match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&lock)
        {
            Ok(file) => file,
            // A stopped build's claim, once cleared, is free again.
            Err(e) if e.kind() == ErrorKind::AlreadyExists && clear(parent, name, n) => {
                return Claim::try_number(parent, name, n);
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("could not create {}", lock.display())),
        };
        // A file system without locks cannot keep other builds out; the
        // check before the swap still sees a staging folder taken away.
        let _ = file.lock();
        let [staging, parked] = folders(parent, name, n);
        let claim = Claim {
            file,
            lock,
            staging,
            parked,
            made: None,
        };
        // A build clearing leftovers may have taken the file away before it was locked.
        if !claim.holds() {
            return Ok(None);
        }
        if claim.staging.symlink_metadata().is_ok() || claim.parked.symlink_metadata().is_ok() {
            // Folders of these names that no claim covered are not ours.
            let _ = std::fs::remove_file(&claim.lock);
            return Ok(None);
        }
        (&claim.file)
            .write_all(LOCK_TEXT.as_bytes())
            .with_context(|| format!("could not write {}", claim.lock.display()))?;
        Ok(Some(claim))
    }

    /// Whether the lock file is still the one this build holds.
    pub(super) fn holds(&self) -> bool {
        same_file(&self.file, &self.lock)
    }

    /// Notes the staging folder the build is about to fill.
    pub(super) fn note_staging(&mut self) {
        self.made = File::open(&self.staging).ok();
    }

    /// Whether the staging folder and the lock are still those this build
    /// made: nothing removed or replaced them while it wrote. (Where a
    /// folder cannot be held open, only the lock is checked.)
    pub(super) fn staging_intact(&self) -> bool {
        if cfg!(not(unix)) {
            return self.holds();
        }
        let now = self.staging.symlink_metadata().ok().map(|m| file_id(&m));
        let made = self.made.as_ref().and_then(|f| f.metadata().ok()).map(|m| file_id(&m));
        self.holds() && made.is_some() && now == made
    }

    /// Removes the claimed folders, then the lock file; a folder that
    /// cannot be removed is said aloud and left with the lock file for a
    /// later build to try again.
    pub(super) fn release(self) {
        if remove_folders(&[self.staging.clone(), self.parked.clone()]) {
            let _ = std::fs::remove_file(&self.lock);
        }
    }
}

/// Whether `path` names the file open as `file`.
fn same_file(file: &File, path: &Path) -> bool {
    match (file.metadata(), path.symlink_metadata()) {
        (Ok(a), Ok(b)) => file_id(&a) == file_id(&b) && b.is_file(),
        _ => false,
    }
}

/// Removes `folders` where they exist; `false` (said aloud) when one
/// could not be removed.
fn remove_folders(folders: &[PathBuf]) -> bool {
    let mut all = true;
    for folder in folders {
        if folder.symlink_metadata().is_err() {
            continue;
        }
        if let Err(e) = super::writer::remove_tree_in_parallel(folder) {
            eprintln!(
                "warning: could not remove {}, left by a build: {e:#}; remove it yourself \
                 (it may need the rights of the user who built it)",
                folder.display()
            );
            all = false;
        }
    }
    all
}

/// Removes the folders of every claim on output `name` in `parent` whose
/// lock no running build holds, then their lock files.
pub(super) fn remove_debris(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        if let Some(n) = file_name.to_str().and_then(|f| claimed_number(f, name)) {
            let _ = clear(parent, name, n);
        }
    }
}

/// Clears the claim on `n` if no running build holds it; whether its
/// lock file is gone.
fn clear(parent: &Path, name: &str, n: u32) -> bool {
    let lock = parent.join(lock_name(name, n));
    let Ok(file) = open_lock(&lock) else {
        return false;
    };
    // Held by a running build, or locks cannot tell on this file system.
    if file.try_lock().is_err() || !same_file(&file, &lock) {
        return false;
    }
    let mut text = Vec::new();
    if (&file).take(LOCK_TEXT.len() as u64 + 1).read_to_end(&mut text).is_err() {
        return false;
    }
    let finished = text == LOCK_TEXT.as_bytes();
    // A lock file never finished (empty, or cut short) was made by a build
    // stopped before it checked its folders: they are not known to be its
    // own. A file holding anything else is not ours, and stays.
    if !finished && !LOCK_TEXT.as_bytes().starts_with(&text) {
        return false;
    }
    (!finished || remove_folders(&folders(parent, name, n))) && std::fs::remove_file(&lock).is_ok()
}

/// Opens a lock file for locking, never through a link: for writing
/// where it can (what locks over NFS need), else for reading (a lock file
/// another user left).
fn open_lock(path: &Path) -> std::io::Result<File> {
    // Nor waiting, should a named pipe stand in its place.
    let open = |write: bool| crate::fs::open_file(std::fs::OpenOptions::new().read(true).write(write), path, false);
    match open(true) {
        Err(e) if e.kind() == ErrorKind::PermissionDenied => open(false),
        file => file,
    }
}

/// The number in the name of a lock file of output `name`.
fn claimed_number(file_name: &str, name: &str) -> Option<u32> {
    let rest = file_name
        .strip_prefix('.')?
        .strip_prefix(name)?
        .strip_prefix(".building-")?;
    let digits = rest.strip_suffix(".lock")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_lock_files_name_claims() {
        assert_eq!(claimed_number(".public.building-123.lock", "public"), Some(123));
        for other in [
            ".public.building-123",
            ".public.old-7",
            ".public.building-.lock",
            ".public.building-12x.lock",
            ".publicx.building-7.lock",
            "public.building-7.lock",
            ".site.building-7.lock",
        ] {
            assert_eq!(claimed_number(other, "public"), None, "{other}");
        }
    }

    #[test]
    fn a_held_claim_is_kept_and_a_released_one_cleared() {
        let d = tempfile::tempdir().unwrap();
        let claim = Claim::new(d.path(), "out").unwrap();
        std::fs::create_dir(&claim.staging).unwrap();
        std::fs::write(claim.staging.join("index.html"), "x").unwrap();
        remove_debris(d.path(), "out");
        assert!(claim.staging.is_dir(), "a held claim's folder was removed");
        // A second claim in the same process gets another number.
        let other = Claim::new(d.path(), "out").unwrap();
        assert_ne!(other.staging, claim.staging);
        let (staging, lock) = (claim.staging.clone(), claim.lock.clone());
        drop(claim);
        remove_debris(d.path(), "out");
        assert!(!staging.exists() && !lock.exists(), "a stopped build's claim stays");
        other.release();
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_staging_folder_made_anew_or_a_lost_lock_is_seen() {
        let d = tempfile::tempdir().unwrap();
        let mut claim = Claim::new(d.path(), "out").unwrap();
        std::fs::create_dir(&claim.staging).unwrap();
        claim.note_staging();
        assert!(claim.staging_intact());
        // Removed and made again by a writer that did not know.
        std::fs::remove_dir(&claim.staging).unwrap();
        std::fs::create_dir(&claim.staging).unwrap();
        assert!(!claim.staging_intact(), "a staging folder made anew");
        claim.note_staging();
        std::fs::remove_file(&claim.lock).unwrap();
        std::fs::write(&claim.lock, LOCK_TEXT).unwrap();
        assert!(!claim.staging_intact(), "a lock file taken away");
    }
}
