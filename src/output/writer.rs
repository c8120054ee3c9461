//! Where output goes: a folder on disk or a map in memory.

use super::claim::{self, Claim};
use super::listing::Listing;
use super::manifest::{self, ContentHash, Entry, MANIFEST};
use super::reuse::Previous;
use super::spare::{self, Spare};
use super::target::Target;
use super::{replace, reuse, swap};
use anyhow::{bail, Context, Result};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// A destination for output files, addressed by `/`-separated relative paths.
pub trait Writer: Sync {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()>;

    /// Hears that `files` more files will be written than were first
    /// announced (the search index's term chunks, counted once it is built).
    fn expect_more(&self, _files: usize) {}

    /// Copies a file from disk to `path`.
    fn copy(&self, from: &Path, path: &str) -> Result<()> {
        self.write(path, &crate::fs::read(from)?)
    }

    /// Puts the previous output's file at `path` in the new output, if it
    /// is known to hold bytes of size and hash `entry` without reading
    /// them; `false` when the caller must write the bytes.
    fn keep(&self, _path: &str, _entry: Entry) -> Result<bool> {
        Ok(false)
    }
}

/// Writes under a folder, keeping the previous output's file where the
/// bytes are the same, and notes every file for the manifest.
pub struct DiskWriter {
    dir: PathBuf,
    previous: Option<Previous>,
    /// The spare being brought up to date in `dir`, if one was taken: its
    /// files are replaced, never written in place (see `spare`).
    spare: Option<Spare>,
    /// Every file written or linked, in the order written.
    made: Mutex<Vec<(String, Entry)>>,
    /// The files of the spare it keeps, a bit per position in its manifest:
    /// most files of a build after an edit, noted without a copy of their
    /// path or a lock.
    kept: Vec<AtomicU64>,
    /// Folders made so far: each is made once, not asked for again with
    /// every file written in it (a system call or two per file).
    folders: Mutex<HashSet<PathBuf>>,
}

impl DiskWriter {
    /// A writer into `dir` (a spare, or an empty folder) that reuses what
    /// it can of `previous`.
    fn new(dir: PathBuf, previous: Option<Previous>, spare: Option<Spare>) -> DiskWriter {
        let listed = spare.as_ref().and_then(Spare::listing).map_or(0, |l| l.len());
        DiskWriter {
            dir,
            previous,
            spare,
            made: Mutex::default(),
            kept: (0..listed.div_ceil(64)).map(|_| AtomicU64::new(0)).collect(),
            folders: Mutex::default(),
        }
    }

    /// Makes the folder `path` goes in, unless it was made already.
    fn make_parent(&self, path: &Path) -> Result<()> {
        let Some(parent) = path.parent() else {
            return Ok(());
        };
        if !self.folders.lock().is_ok_and(|f| f.contains(parent)) {
            if std::fs::create_dir_all(parent).is_err() && self.spare.is_some() {
                // A file of the spare where the build wants a folder.
                for above in parent
                    .ancestors()
                    .take_while(|a| a.starts_with(&self.dir) && *a != self.dir)
                {
                    if above.symlink_metadata().is_ok_and(|m| !m.is_dir()) {
                        let _ = std::fs::remove_file(above);
                    }
                }
            }
            crate::fs::create_dir_all(parent)?;
            if let Ok(mut f) = self.folders.lock() {
                f.insert(parent.to_path_buf());
            }
        }
        Ok(())
    }

    /// Removes what a spare holds that the build did not make, then
    /// writes the manifest of every file written so far into the folder
    /// (once: the list is handed over).
    fn finish(&self) -> Result<()> {
        use rayon::prelude::*;
        let mut made = std::mem::take(&mut *self.made.lock().map_err(|_| anyhow::anyhow!("manifest poisoned"))?);
        // Stable, so that a path written twice keeps its last bytes.
        made.par_sort_by(|a, b| a.0.cmp(&b.0));
        let mut written: Vec<(&str, Entry)> = Vec::with_capacity(made.len());
        for (path, entry) in &made {
            if written.last().is_some_and(|(last, _)| last == path) {
                written.pop();
            }
            written.push((path, *entry));
        }
        let files = match self.spare.as_ref().and_then(Spare::listing) {
            Some(listing) => with_kept(listing, &self.kept, written),
            None => written,
        };
        if let Some(spare) = &self.spare {
            spare.remove_unmade(&files)?;
        }
        let parts = manifest::json_parts(&files);
        let parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        crate::fs::write_fresh_parts(&self.dir.join(MANIFEST), &parts)
    }

    /// Whether the spare in the folder already holds bytes of `entry` at
    /// `path`; if so, it is noted as kept.
    fn kept_in_spare(&self, path: &str, entry: Entry) -> bool {
        let Some(at) = self.spare.as_ref().and_then(|s| s.holds(path, entry)) else {
            return false;
        };
        self.kept[at / 64].fetch_or(1 << (at % 64), Ordering::Relaxed);
        true
    }

    /// Takes away whatever a spare has at `to`, which is about to be
    /// made anew: its file may share its inode with the live output.
    fn clear(&self, to: &Path) -> Result<()> {
        if self.spare.is_none() {
            return Ok(());
        }
        match std::fs::remove_file(to) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound && to.is_dir() => crate::fs::remove_dir_all(to),
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(e).with_context(|| format!("could not replace {}", to.display()))
            }
            _ => Ok(()),
        }
    }
}

impl Writer for DiskWriter {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        let hash = ContentHash::of(bytes);
        let entry = Entry {
            size: bytes.len() as u64,
            hash,
        };
        if self.kept_in_spare(path, entry) {
            return Ok(());
        }
        let to = self.dir.join(path);
        self.make_parent(&to)?;
        self.clear(&to)?;
        let kept = self.previous.as_ref().is_some_and(|p| p.reuse(path, bytes, hash, &to));
        if !kept {
            crate::fs::write_fresh(&to, bytes)?;
        }
        self.note(path, entry)
    }

    fn keep(&self, path: &str, entry: Entry) -> Result<bool> {
        if self.kept_in_spare(path, entry) {
            return Ok(true);
        }
        let Some(previous) = &self.previous else {
            return Ok(false);
        };
        let to = self.dir.join(path);
        self.make_parent(&to)?;
        self.clear(&to)?;
        if !previous.reuse_listed(path, entry, &to) {
            return Ok(false);
        }
        self.note(path, entry)?;
        Ok(true)
    }
}

impl DiskWriter {
    /// Notes a file made, for the manifest.
    fn note(&self, path: &str, entry: Entry) -> Result<()> {
        self.made
            .lock()
            .map_err(|_| anyhow::anyhow!("manifest poisoned"))?
            .push((path.to_string(), entry));
        Ok(())
    }
}

/// The files of a build: those kept from the spare (`kept` marks their
/// positions in its manifest `listing`) and those `written` (sorted, each
/// once), sorted; a path in both was written after it was kept.
fn with_kept<'a>(listing: &'a Listing, kept: &[AtomicU64], written: Vec<(&'a str, Entry)>) -> Vec<(&'a str, Entry)> {
    let bits: Vec<u64> = kept.iter().map(|word| word.load(Ordering::Relaxed)).collect();
    let is_kept = |at: usize| bits[at / 64] & (1 << (at % 64)) != 0;
    let count = bits.iter().map(|word| word.count_ones() as usize).sum::<usize>();
    let mut files = Vec::with_capacity(count + written.len());
    let mut written = written.into_iter().peekable();
    for at in (0..listing.len()).filter(|&at| is_kept(at)) {
        let (path, entry) = listing.file(at);
        while let Some(new) = written.next_if(|(new, _)| *new < path) {
            files.push(new);
        }
        match written.next_if(|(new, _)| *new == path) {
            Some(new) => files.push(new),
            None => files.push((path, entry)),
        }
    }
    files.extend(written);
    files
}

/// Keeps files in memory (for previews and tests).
#[derive(Default)]
pub struct MemoryWriter {
    pub files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl Writer for MemoryWriter {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        self.files
            .lock()
            .map_err(|_| anyhow::anyhow!("output map poisoned"))?
            .insert(path.to_string(), bytes.to_vec());
        Ok(())
    }
}

/// Where `publish` puts a site and what it may replace there.
#[derive(Debug, Clone)]
pub struct Destination {
    /// The output folder, resolved.
    pub target: Target,
    /// Replace the folder even if it holds entries no build made.
    pub force: bool,
    /// Top-level entries of the old output carried into the new one.
    pub keep: Vec<String>,
}

/// Builds into a staging folder beside the output with `build`, then swaps
/// it in. If anything fails, the staging folder is removed and the output
/// is untouched; a folder that is not ours is refused before any work.
pub fn publish<T>(dest: &Destination, build: impl FnOnce(&DiskWriter) -> Result<T>) -> Result<T> {
    let out = &dest.target.path;
    let shown = &dest.target.shown;
    if out.exists() && !out.is_dir() {
        bail!("output {} exists and is not a folder", shown.display());
    }
    let (Some(parent), Some(name)) = (out.parent(), out.file_name().and_then(|n| n.to_str())) else {
        bail!("{} cannot be an output folder: its name must be UTF-8", shown.display());
    };
    claim::check_name(name, shown)?;
    crate::fs::create_dir_all(parent)?;
    claim::remove_debris(parent, name);
    replace::refuse_foreign(out, shown, &dest.keep, dest.force)?;
    swap::refuse_mount_point(out, shown)?;
    let mut claim = Claim::new(parent, name)?;
    let staging = claim.staging.clone();
    let spare = Spare::take(parent, name, &staging, &claim.parked);
    if spare.is_none() {
        // A new, empty folder: nothing in it can share a file with the output.
        crate::fs::create_dir(&staging)?;
    }
    claim.note_staging();
    // With a spare, only the files the last build changed are asked of the
    // output: few enough to compare by their bytes.
    let few = if spare.is_some() { reuse::FEW } else { 0 };
    let previous = Previous::open(out, &staging).map(|p| p.few_first(few));
    let writer = DiskWriter::new(staging.clone(), previous, spare);
    let swapped = build(&writer).and_then(|result| {
        // The manifest is written last, after every file: its time is the
        // next build's test of whether a file was edited since.
        writer.finish()?;
        replace::write_marker(&staging)?;
        // Files may have appeared in the output while the site was built.
        if !dest.force {
            replace::refuse_foreign(out, shown, &dest.keep, false)?;
        }
        replace::carry_kept(out, &staging, &dest.keep)?;
        if !claim.staging_intact() {
            bail!(
                "the staging folder {} was removed or replaced while the site was built; {} is left as it was",
                staging.display(),
                shown.display()
            );
        }
        Ok((result, swap::swap_in(&staging, out, &claim.parked)?))
    });
    // Exchanged: the old output becomes the next build's spare.
    if let Ok((_, Some(old))) = &swapped {
        if *old == staging {
            spare::put_back(old, parent, name);
        }
    }
    // Whatever is left (the old output, a failed build's staging folder)
    // goes with the claim; what cannot be removed is said aloud.
    claim.release();
    swapped.map(|(result, _)| result)
}

/// Removes a large output tree, its top-level entries in parallel.
/// A link (or a file) in the folder's place is removed itself: nothing is
/// ever removed through a link.
pub(super) fn remove_tree_in_parallel(dir: &Path) -> Result<()> {
    use rayon::prelude::*;
    match std::fs::symlink_metadata(dir) {
        Err(_) => return Ok(()),
        Ok(meta) if !meta.is_dir() => {
            return std::fs::remove_file(dir).map_err(|e| anyhow::anyhow!("could not remove {}: {e}", dir.display()))
        }
        Ok(_) => {}
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let paths: Vec<(PathBuf, bool)> = entries
        .filter_map(|e| e.ok().map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir()))))
        .collect();
    paths.par_iter().try_for_each(|(p, is_dir)| {
        if *is_dir {
            crate::fs::remove_dir_all(p)
        } else {
            std::fs::remove_file(p).map_err(|e| anyhow::anyhow!("could not remove {}: {e}", p.display()))
        }
    })?;
    crate::fs::remove_dir_all(dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::manifest::Manifest;

    /// A file of the spare the build writes anew is no longer the spare's
    /// to keep: asked to keep it afterwards, the build writes it instead of
    /// noting the spare's bytes that are gone.
    #[cfg(unix)]
    #[test]
    fn a_file_replaced_in_the_spare_is_not_kept_from_it() {
        let d = tempfile::tempdir().unwrap();
        let (parent, old) = (d.path(), d.path().join("old"));
        crate::output::intact::tests::built(&old, &[("a", "one"), ("b/c", "two")]);
        spare::put_back(&old, parent, "out");
        let staging = parent.join("staging");
        let spare = Spare::take(parent, "out", &staging, &parent.join("parked")).expect("a spare");
        let writer = DiskWriter::new(staging.clone(), None, Some(spare));
        assert!(writer.keep("b/c", Entry::of(b"two")).unwrap(), "as the build left it");
        writer.write("a", b"new").unwrap();
        assert!(!writer.keep("a", Entry::of(b"one")).unwrap(), "replaced since");
        assert_eq!(std::fs::read(staging.join("a")).unwrap(), b"new");
    }

    #[test]
    fn kept_and_written_files_merge_sorted_and_the_written_bytes_win() {
        let spare = ["a", "b/c", "b/d", "e", "f"];
        let listing = Listing::of(&Manifest::new(
            spare.iter().map(|p| (p.to_string(), Entry::of(p.as_bytes()))).collect(),
        ));
        let kept: Vec<AtomicU64> = (0..1).map(|_| AtomicU64::new(0)).collect();
        for at in [0, 2, 3] {
            kept[0].fetch_or(1 << at, Ordering::Relaxed);
        }
        let new = Entry::of(b"new");
        let written = vec![("0", new), ("b/c2", new), ("e", new), ("g", new)];
        let files = with_kept(&listing, &kept, written);
        let paths: Vec<&str> = files.iter().map(|(p, _)| *p).collect();
        assert_eq!(paths, ["0", "a", "b/c2", "b/d", "e", "g"]);
        assert_eq!(files[1].1, Entry::of(b"a"), "kept as listed");
        assert_eq!(files[4].1, new, "written after it was kept");
    }
}
