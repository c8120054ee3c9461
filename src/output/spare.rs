//! The spare: the output a build swapped out, kept beside the new one as
//! `.NAME.spare` so that the next build brings it up to date and swaps it
//! in, instead of staging a complete new tree and linking every unchanged
//! file into it (one system call or more per file of the site).
//!
//! The spare holds the build before last and shares its unchanged files'
//! inodes with the live output, so no file in it is ever written in place:
//! a file is replaced (unlinked, then written or linked anew). Only a spare
//! that a build finished and marked is used, and only the build that
//! renames it to its own staging name: a second build at once finds none
//! and stages a new tree, and a build killed while updating it leaves a
//! staging folder the next build removes as debris, never a spare. A spare
//! is taken only with its manifest, and cleaned of every name its manifest
//! does not list (a stray file, the marker, kept deploy files) before use.
//! Its files are looked at in the same pass, once: each as its build left
//! it (the listed size, older than the manifest) is vouched for, so that
//! keeping one of 43,000 costs a look-up in the manifest, not on disk, and
//! a file the build replaces is vouched for no more.

#[cfg(unix)]
pub(super) use unix::*;

#[cfg(unix)]
mod unix {
    use crate::output::listing::Listing;
    use crate::output::manifest::{Entry, MANIFEST};
    use crate::output::replace::MARKER;
    use crate::output::reuse::{as_listed, Previous};
    use crate::output::tree;
    use anyhow::Result;
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicU64, Ordering};

    /// The file that marks a folder as a finished spare of ours.
    const SPARE_MARK: &str = ".pressroom-spare";

    /// What the mark says.
    const MARK_TEXT: &str =
        "# The output `pressroom build` replaced last, kept to be updated and swapped in by the next build.\n";

    /// Where the spare of output `name` lives.
    fn spare_path(parent: &Path, name: &str) -> PathBuf {
        parent.join(format!(".{name}.spare"))
    }

    /// A spare taken for a build: its files as its manifest lists them.
    pub(in crate::output) struct Spare {
        built: Previous,
        /// The files found as the build left them when the spare was taken
        /// (see `clean`), a bit per position in its manifest; a file is
        /// forgotten when the build replaces it.
        vouched: Vec<AtomicU64>,
    }

    impl Spare {
        /// Takes the spare of `name` in `parent` to `staging`, cleaned of
        /// what its manifest does not list; `None` when there is none to use
        /// (then `staging` does not exist). A spare taken but not usable is
        /// moved to `parked` and removed: it may share files with the live
        /// output, so nothing is ever written into it.
        pub(in crate::output) fn take(parent: &Path, name: &str, staging: &Path, parked: &Path) -> Option<Spare> {
            let spare = spare_path(parent, name);
            if !marked(&spare) || std::fs::rename(&spare, staging).is_err() {
                return None;
            }
            // Only now is the folder this build's: another may have taken it first.
            let taken = marked(staging)
                .then(|| tree::open_dir(rustix::fs::CWD, staging))
                .flatten();
            let spare = taken
                .map(Previous::in_dir)
                .and_then(|built| clean(&built, staging).map(|vouched| Spare { built, vouched }));
            if spare.is_none() && std::fs::rename(staging, parked).is_ok() {
                // What cannot be removed now is left to the build's claim.
                let _ = crate::output::writer::remove_tree_in_parallel(parked);
            }
            spare
        }

        /// Where the spare's manifest lists the file at `rel`, if the file
        /// holds bytes of `entry`: listed with them, and found as the build
        /// left it.
        pub(in crate::output) fn holds(&self, rel: &str, entry: Entry) -> Option<usize> {
            let (at, listed) = self.listing()?.find(rel)?;
            let (word, bit) = (at / 64, 1 << (at % 64));
            (listed == entry && self.vouched[word].load(Ordering::Relaxed) & bit != 0).then_some(at)
        }

        /// Notes that the file at `rel` is being replaced: the spare no
        /// longer vouches for it.
        pub(in crate::output) fn forget(&self, rel: &str) {
            if let Some((at, _)) = self.listing().and_then(|listing| listing.find(rel)) {
                self.vouched[at / 64].fetch_and(!(1 << (at % 64)), Ordering::Relaxed);
            }
        }

        /// The spare's manifest (a spare is taken only with one).
        pub(in crate::output) fn listing(&self) -> Option<&Listing> {
            self.built.manifest().map(|(listing, _)| listing)
        }

        /// Removes the spare's files that the build did not make (`made`
        /// lists what it made, sorted by path), and the folders that leaves
        /// empty; fails when such a file cannot be removed (it would be
        /// published).
        pub(in crate::output) fn remove_unmade(&self, made: &[(&str, Entry)]) -> Result<()> {
            use rayon::prelude::*;
            use rustix::fs::{unlinkat, AtFlags};
            use rustix::io::Errno;
            let Some((manifest, _)) = self.built.manifest() else {
                return Ok(());
            };
            let dir = self.built.dir();
            // Both lists are sorted: one walk through them finds the rest.
            debug_assert!(made.windows(2).all(|w| w[0].0 < w[1].0), "made files unsorted");
            let mut new = made.iter().map(|(path, _)| *path).peekable();
            let unmade: Vec<&str> = manifest
                .iter()
                .map(|(rel, _)| rel)
                .filter(|rel| {
                    while new.next_if(|path| path < rel).is_some() {}
                    new.peek() != Some(rel)
                })
                .collect();
            // A file that stays would be published though no build made it.
            unmade
                .par_iter()
                .try_for_each(|rel| match unlinkat(dir, *rel, AtFlags::empty()) {
                    Ok(()) | Err(Errno::NOENT | Errno::NOTDIR) => Ok(()),
                    Err(e) => Err(anyhow::anyhow!("could not remove {rel} from the spare it updates: {e}")),
                })?;
            // Only a folder a removed file lay in can be left empty; one that
            // is not refuses to go. The deepest first, so a folder's folders
            // are gone before it.
            let mut emptied: Vec<&str> = unmade
                .iter()
                .flat_map(|rel| rel.match_indices('/').map(|(slash, _)| &rel[..slash]))
                .collect();
            emptied.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
            emptied.dedup();
            for folder in emptied {
                let _ = unlinkat(dir, folder, AtFlags::REMOVEDIR);
            }
            Ok(())
        }
    }

    /// Whether `dir` holds our spare mark.
    fn marked(dir: &Path) -> bool {
        crate::fs::holds_exactly(&dir.join(SPARE_MARK), MARK_TEXT.as_bytes())
    }

    /// Takes the manifest, marker and mark out of a taken spare and removes
    /// every name its manifest does not list; `None` when it has no manifest
    /// or cannot be cleaned (then it is not used). Each listed file is
    /// looked at in the same pass: the files found as the build left them
    /// (`reuse::as_listed`) are marked, a bit per position in the manifest,
    /// so that keeping one costs no look-up on disk.
    fn clean(built: &Previous, staging: &Path) -> Option<Vec<AtomicU64>> {
        use rustix::fs::{unlinkat, AtFlags};
        let (manifest, stamp) = built.manifest()?;
        let dir = built.dir();
        for name in [MANIFEST, MARKER, SPARE_MARK] {
            if unlinkat(dir, name, AtFlags::empty()).is_err() && name != MARKER {
                return None;
            }
        }
        let vouched: Vec<AtomicU64> = (0..manifest.len().div_ceil(64)).map(|_| AtomicU64::new(0)).collect();
        let vouch = |at: usize, stat: Option<rustix::fs::Stat>| {
            if stat.is_some_and(|stat| as_listed(&stat, manifest.file(at).1.size, stamp)) {
                vouched[at / 64].fetch_or(1 << (at % 64), Ordering::Relaxed);
            }
            true
        };
        let strays = tree::unlisted(dir, manifest, stamp, |_| false, vouch)?;
        for rel in &strays {
            if unlinkat(dir, rel.as_str(), AtFlags::empty()).is_err()
                && crate::fs::remove_dir_all(&staging.join(rel)).is_err()
            {
                return None;
            }
            // A link or file where a listed folder was: the files looked up
            // through it went with it.
            for at in manifest.starting_with(&format!("{rel}/")) {
                vouched[at / 64].fetch_and(!(1 << (at % 64)), Ordering::Relaxed);
            }
        }
        Some(vouched)
    }

    /// Keeps `old`, the output a build just swapped out, as the next build's
    /// spare, unless it has no manifest or a spare is already there (then
    /// it stays where it is, for the build's claim to remove).
    pub(in crate::output) fn put_back(old: &Path, parent: &Path, name: &str) {
        let _ = old.join(MANIFEST).is_file()
            && crate::fs::write_fresh(&old.join(SPARE_MARK), MARK_TEXT.as_bytes()).is_ok()
            && rename_new(old, &spare_path(parent, name));
    }

    /// Renames `from` to `to` unless `to` exists.
    fn rename_new(from: &Path, to: &Path) -> bool {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        use rustix::io::Errno;
        match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
            Ok(()) => true,
            Err(Errno::INVAL | Errno::NOSYS | Errno::NOTSUP) => {
                to.symlink_metadata().is_err() && std::fs::rename(from, to).is_ok()
            }
            Err(_) => false,
        }
    }
}

/// Without `*at` calls there is no spare: every build stages a new tree.
#[cfg(not(unix))]
pub(super) struct Spare;

#[cfg(not(unix))]
impl Spare {
    pub(super) fn take(
        _parent: &std::path::Path,
        _name: &str,
        _staging: &std::path::Path,
        _parked: &std::path::Path,
    ) -> Option<Spare> {
        None
    }

    pub(super) fn holds(&self, _rel: &str, _entry: super::manifest::Entry) -> Option<usize> {
        None
    }

    pub(super) fn listing(&self) -> Option<&super::listing::Listing> {
        None
    }

    pub(super) fn forget(&self, _rel: &str) {}

    pub(super) fn remove_unmade(&self, _made: &[(&str, super::manifest::Entry)]) -> anyhow::Result<()> {
        Ok(())
    }
}

#[cfg(not(unix))]
pub(super) fn put_back(_old: &std::path::Path, _parent: &std::path::Path, _name: &str) {}
