//! Keeping unchanged files: a file whose new bytes equal the previous
//! output's file at the same path is hard-linked from there into the
//! staging folder instead of written, so it keeps its modification time
//! (and its inode) while the swap stays old-or-new.
//!
//! When may the previous file stand for the new bytes? The previous
//! manifest says what the last build wrote, but the file may have been
//! edited since. It is trusted without reading only when the manifest
//! lists the same size and hash as the new bytes and the file on disk has
//! that size and a modification time older than the manifest's own (which
//! is written after every file of a build); otherwise its bytes are read and
//! compared. An edit that keeps the size and sets the time back by hand is
//! the one change this does not see. A build that took a spare asks only
//! for the few files the spare lacks: the first of them are compared by
//! their bytes (or their hash) without reading the manifest at all.
//!
//! The previous output is opened once and every look-up is relative to
//! that open folder, so a build swapping another output in meanwhile
//! cannot make this one link a file it did not check. Links work only
//! within one file system: if the staging folder is on another, or the
//! system refuses a link (EXDEV, EPERM), every file is written instead.

use super::listing::Listing;
use super::manifest::{ContentHash, Entry, MANIFEST};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Whether a previous file holds the bytes a build would write.
#[cfg(unix)]
enum Vouch {
    /// It does not.
    No,
    /// The manifest lists them (at this position), and the file is as the
    /// build left it.
    Listed(usize),
    /// Only reading the file can tell.
    Unsure,
}

/// The output a build replaces, for files it need not write again.
#[cfg_attr(not(unix), allow(dead_code))]
pub(super) struct Previous {
    #[cfg(unix)]
    dir: std::os::fd::OwnedFd,
    /// The manifest's text and modification time (seconds, nanoseconds),
    /// read when first asked for: a build whose spare holds every file
    /// never reads them. (The open folder is the one the files are in,
    /// whatever is renamed meanwhile.)
    read: std::sync::OnceLock<Option<(String, (i64, i64))>>,
    /// The manifest, read when first asked for (a build that takes its
    /// files from the spare may never ask); `None` when it is damaged.
    manifest: std::sync::OnceLock<Option<Listing>>,
    /// Whether links still work (false after one was refused).
    linking: AtomicBool,
    /// How many files are still compared by their bytes rather than by
    /// the manifest, while it is unread (see `few_first`).
    by_bytes: AtomicUsize,
}

/// How many files a build that took a spare compares by their bytes before
/// it reads the output's manifest: the spare holds all but the few files
/// the last build changed, and reading a few dozen of them costs less than
/// reading a manifest of 43,000 files.
pub(super) const FEW: usize = 64;

#[cfg(unix)]
impl Previous {
    /// Opens the output at `out` for a build staged in `staging`; `None`
    /// when there is none or links cannot reach the staging folder.
    pub(super) fn open(out: &Path, staging: &Path) -> Option<Previous> {
        use std::os::unix::fs::MetadataExt;
        let dir = super::tree::open_dir(rustix::fs::CWD, out)?;
        let same_fs = rustix::fs::fstat(&dir).ok()?.st_dev as u64 == std::fs::metadata(staging).ok()?.dev();
        same_fs.then(|| Previous::in_dir(dir))
    }

    /// The build in the open folder `dir`, with its manifest if it has one.
    pub(super) fn in_dir(dir: std::os::fd::OwnedFd) -> Previous {
        Previous {
            read: std::sync::OnceLock::new(),
            dir,
            manifest: std::sync::OnceLock::new(),
            linking: AtomicBool::new(true),
            by_bytes: AtomicUsize::new(0),
        }
    }

    /// The same, comparing the first `few` files asked for by their bytes
    /// instead of reading the manifest (see `FEW`).
    pub(super) fn few_first(self, few: usize) -> Previous {
        self.by_bytes.store(few, Ordering::Relaxed);
        self
    }

    /// The manifest and its time, when the folder has a readable one.
    pub(super) fn manifest(&self) -> Option<(&Listing, (i64, i64))> {
        let (text, stamp) = self.read.get_or_init(|| read_manifest(&self.dir)).as_ref()?;
        let manifest = self.manifest.get_or_init(|| Listing::parse(text));
        Some((manifest.as_ref()?, *stamp))
    }

    /// The open folder.
    pub(super) fn dir(&self) -> &std::os::fd::OwnedFd {
        &self.dir
    }

    /// Where the manifest lists the file at `rel`, if it holds bytes of
    /// `entry` by the manifest's word, without reading it.
    pub(super) fn listed(&self, rel: &str, entry: Entry) -> Option<usize> {
        match self.vouch(rel, entry) {
            Vouch::Listed(at) => Some(at),
            _ => None,
        }
    }

    /// Links the previous file at `rel` to `dest` if it holds exactly
    /// `bytes` (whose hash is `hash`); `false` when `dest` must be written.
    pub(super) fn reuse(&self, rel: &str, bytes: &[u8], hash: ContentHash, dest: &Path) -> bool {
        let entry = Entry {
            size: bytes.len() as u64,
            hash,
        };
        let same = match self.vouch(rel, entry) {
            Vouch::No => return false,
            Vouch::Listed(_) => true,
            Vouch::Unsure => self.holds(rel, bytes.len(), |old| old == bytes),
        };
        same && self.link(rel, dest)
    }

    /// Links the previous file at `rel` to `dest` if it holds bytes of
    /// `entry`: by the manifest's word, or else by the hash of its bytes;
    /// `false` when `dest` must be written.
    pub(super) fn reuse_listed(&self, rel: &str, entry: Entry, dest: &Path) -> bool {
        let same = match self.vouch(rel, entry) {
            Vouch::No => return false,
            Vouch::Listed(_) => true,
            Vouch::Unsure => self.holds(rel, entry.size as usize, |old| ContentHash::of(old) == entry.hash),
        };
        same && self.link(rel, dest)
    }

    /// What the manifest and the file's size and time say of whether the
    /// previous file at `rel` holds bytes of `entry`.
    fn vouch(&self, rel: &str, entry: Entry) -> Vouch {
        use super::tree;
        if !self.linking.load(Ordering::Relaxed) {
            return Vouch::No;
        }
        let Some(stat) = tree::stat(&self.dir, rel) else {
            return Vouch::No;
        };
        if !tree::is_file(&stat) || stat.st_size as u64 != entry.size {
            return Vouch::No;
        }
        let mtime = tree::modified(&stat);
        let unread = self.manifest.get().is_none();
        if unread
            && self
                .by_bytes
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                .is_ok()
        {
            return Vouch::Unsure;
        }
        let manifest = self.manifest();
        match manifest.and_then(|(m, stamp)| Some((m.find(rel)?, stamp))) {
            Some(((_, listed), _)) if listed != entry => Vouch::No,
            Some(((at, _), stamp)) if as_built(mtime, stamp) => Vouch::Listed(at),
            _ => Vouch::Unsure,
        }
    }

    /// Hard-links the previous file at `rel` to `dest`.
    fn link(&self, rel: &str, dest: &Path) -> bool {
        use rustix::fs::{linkat, AtFlags, CWD};
        use rustix::io::Errno;
        match linkat(&self.dir, rel, CWD, dest, AtFlags::empty()) {
            Ok(()) => true,
            Err(Errno::XDEV | Errno::PERM | Errno::NOTSUP) => {
                self.linking.store(false, Ordering::Relaxed);
                false
            }
            Err(_) => false,
        }
    }

    /// Does the previous file at `rel` hold `size` bytes that `same`
    /// accepts?
    fn holds(&self, rel: &str, size: usize, same: impl FnOnce(&[u8]) -> bool) -> bool {
        use std::io::Read;
        let Some(file) = super::tree::open_file(&self.dir, rel) else {
            return false;
        };
        let mut old = Vec::with_capacity(size + 1);
        // One byte more than expected shows a file that grew meanwhile.
        file.take(size as u64 + 1).read_to_end(&mut old).is_ok() && old.len() == size && same(&old)
    }
}

/// Whether a file of the size its manifest lists, last modified at
/// `mtime`, is as the build left it: older than the manifest (`stamp`),
/// which the build wrote after every file. (Both as seconds, nanoseconds.)
pub(super) fn as_built(mtime: (i64, i64), stamp: (i64, i64)) -> bool {
    mtime < stamp
}

/// The text and modification time of the manifest in `dir`; `None` when
/// it is missing or unreadable (then every file is compared byte for byte).
#[cfg(unix)]
pub(super) fn read_manifest(dir: &std::os::fd::OwnedFd) -> Option<(String, (i64, i64))> {
    use std::io::Read;
    let mut file = super::tree::open_file(dir, MANIFEST)?;
    let stamp = super::tree::modified(&rustix::fs::fstat(&file).ok()?);
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    Some((text, stamp))
}

/// Without `*at` calls every file is written.
#[cfg(not(unix))]
impl Previous {
    pub(super) fn open(_out: &Path, _staging: &Path) -> Option<Previous> {
        None
    }

    pub(super) fn few_first(self, _few: usize) -> Previous {
        self
    }

    pub(super) fn reuse(&self, _rel: &str, _bytes: &[u8], _hash: ContentHash, _dest: &Path) -> bool {
        false
    }

    pub(super) fn reuse_listed(&self, _rel: &str, _entry: Entry, _dest: &Path) -> bool {
        false
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::output::manifest::{Entry, Manifest};
    use std::os::unix::fs::MetadataExt;

    /// Asks `previous` to reuse `rel` for `bytes`; the inode linked, if any.
    fn reuse(previous: &Previous, staging: &Path, rel: &str, bytes: &[u8]) -> Option<u64> {
        let dest = staging.join(rel);
        let _ = std::fs::remove_file(&dest);
        previous
            .reuse(rel, bytes, ContentHash::of(bytes), &dest)
            .then(|| std::fs::metadata(&dest).unwrap().ino())
    }

    /// A previous build in `dir`/old of `same`, `unlisted` (not in its
    /// manifest) and `edited` (edited by hand since: same size, other
    /// bytes, a later time), and an empty staging folder beside it.
    fn built_then_edited(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
        let (old, staging) = (dir.join("old"), dir.join("staging"));
        std::fs::create_dir_all(&staging).unwrap();
        for (rel, text) in [("same", "same"), ("unlisted", "unlisted"), ("edited", "one")] {
            crate::fs::write(&old.join(rel), text.as_bytes()).unwrap();
        }
        let listed = [("same", "same"), ("edited", "one")];
        let manifest = Manifest::new(
            listed
                .iter()
                .map(|(p, t)| (p.to_string(), Entry::of(t.as_bytes())))
                .collect(),
        );
        crate::fs::write(&old.join(MANIFEST), manifest.to_json().as_bytes()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(old.join("edited"), "two").unwrap();
        (old, staging)
    }

    #[test]
    fn files_are_linked_only_when_their_bytes_are_the_new_ones() {
        let d = tempfile::tempdir().unwrap();
        let (old, staging) = built_then_edited(d.path());
        let previous = Previous::open(&old, &staging).unwrap();
        let inode = |rel: &str| std::fs::metadata(old.join(rel)).unwrap().ino();
        assert_eq!(reuse(&previous, &staging, "same", b"same"), Some(inode("same")));
        assert_eq!(reuse(&previous, &staging, "same", b"sama"), None, "changed bytes");
        assert_eq!(
            reuse(&previous, &staging, "unlisted", b"unlisted"),
            Some(inode("unlisted"))
        );
        assert_eq!(
            reuse(&previous, &staging, "edited", b"one"),
            None,
            "the manifest is out of date"
        );
        assert_eq!(
            reuse(&previous, &staging, "edited", b"two"),
            None,
            "listed with other bytes"
        );
        assert_eq!(reuse(&previous, &staging, "missing", b""), None);
    }

    /// Compared by their bytes while the manifest is unread, files are
    /// linked only when they hold the bytes asked for: a file edited by
    /// hand is not taken for the bytes its manifest lists.
    #[test]
    fn the_first_few_files_are_compared_by_their_bytes() {
        let d = tempfile::tempdir().unwrap();
        let (old, staging) = built_then_edited(d.path());
        let previous = Previous::open(&old, &staging).unwrap().few_first(5);
        let keep = |rel: &str, text: &str| {
            let dest = staging.join(rel);
            let _ = std::fs::remove_file(&dest);
            previous.reuse_listed(rel, Entry::of(text.as_bytes()), &dest)
        };
        assert!(keep("same", "same"));
        assert!(!keep("edited", "one"), "edited by hand since its manifest");
        assert!(keep("edited", "two"), "holds the bytes asked for");
        assert!(!keep("same", "sama") && !keep("missing", ""));
        assert_eq!(reuse(&previous, &staging, "edited", b"one"), None);
        assert!(
            previous.manifest.get().is_none(),
            "the manifest is not read for a few files"
        );
        assert!(keep("same", "same") && !keep("edited", "one"));
        assert!(previous.manifest.get().is_some(), "read once more files are asked for");
    }
}
