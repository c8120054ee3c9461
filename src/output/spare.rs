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

#[cfg(unix)]
pub(super) use unix::*;

#[cfg(unix)]
mod unix {
    use crate::output::listing::Listing;
    use crate::output::manifest::{Entry, MANIFEST};
    use crate::output::replace::MARKER;
    use crate::output::reuse::Previous;
    use crate::output::tree;
    use anyhow::Result;
    use std::path::{Path, PathBuf};

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
                .and_then(|built| clean(&built, staging).then_some(Spare { built }));
            if spare.is_none() && std::fs::rename(staging, parked).is_ok() {
                // What cannot be removed now is left to the build's claim.
                let _ = crate::output::writer::remove_tree_in_parallel(parked);
            }
            spare
        }

        /// Where the spare's manifest lists the file at `rel`, if the file
        /// holds bytes of `entry`.
        pub(in crate::output) fn holds(&self, rel: &str, entry: Entry) -> Option<usize> {
            self.built.listed(rel, entry)
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
    /// every name its manifest does not list; `false` when it has no manifest
    /// or cannot be cleaned (then it is not used).
    fn clean(built: &Previous, staging: &Path) -> bool {
        use rustix::fs::{unlinkat, AtFlags};
        let Some((manifest, stamp)) = built.manifest() else {
            return false;
        };
        let dir = built.dir();
        for name in [MANIFEST, MARKER, SPARE_MARK] {
            if unlinkat(dir, name, AtFlags::empty()).is_err() && name != MARKER {
                return false;
            }
        }
        let Some(strays) = tree::unlisted(dir, manifest, stamp, |_| false) else {
            return false;
        };
        strays.iter().all(|rel| {
            unlinkat(dir, rel.as_str(), AtFlags::empty()).is_ok()
                || crate::fs::remove_dir_all(&staging.join(rel)).is_ok()
        })
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

    pub(super) fn remove_unmade(&self, _made: &[(&str, super::manifest::Entry)]) -> anyhow::Result<()> {
        Ok(())
    }
}

#[cfg(not(unix))]
pub(super) fn put_back(_old: &std::path::Path, _parent: &std::path::Path, _name: &str) {}
