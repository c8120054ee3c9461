//! Whether an output folder is exactly what its last build left: every
//! file its manifest lists, as the build wrote it (by the rule `reuse`
//! trusts: the listed size, and older than the manifest; or else the
//! listed hash), and no other file but the marker and the entries kept
//! for deploys. A cached build that finds nothing changed in its inputs
//! leaves such a folder alone.
//!
//! One look-up per file and per folder, in one pass in parallel and
//! relative to the open folder; a folder is read only when its change time
//! says a name in it may have changed since the build (see `tree`).

use super::listing::Listing;
use super::manifest::{ContentHash, MANIFEST};
use super::replace::MARKER;
use std::path::Path;

/// The hash of the manifest of the output at `out` when the folder holds
/// exactly what that manifest lists, untouched, and its marker says it is
/// ours; `None` otherwise (or when this system cannot tell).
#[cfg(unix)]
pub fn untouched(out: &Path, keep: &[String]) -> Option<ContentHash> {
    use super::manifest::Entry;
    use super::tree;
    use rustix::fs::Stat;
    use std::io::Read;
    // Without its marker (or with entries it does not list) the next build
    // would refuse the folder as not ours: it is not as built.
    if !super::replace::foreign_entries(out, keep).is_ok_and(|f| f.is_empty()) {
        return None;
    }
    let dir = tree::open_dir(rustix::fs::CWD, out)?;
    let (text, stamp) = super::reuse::read_manifest(&dir)?;
    let manifest = Listing::parse(&text)?;
    let ours = |name: &str| name == MANIFEST || name == MARKER || keep.iter().any(|k| k == name);
    let as_built = |rel: &str, listed: Entry, stat: Option<Stat>| {
        let Some(stat) = stat else {
            return false;
        };
        if !tree::is_file(&stat) || stat.st_size as u64 != listed.size {
            return false;
        }
        // A file as recent as the manifest (file times are coarser than
        // a build is fast), or touched since, is read to be sure.
        super::reuse::as_built(tree::modified(&stat), stamp)
            || tree::open_file(&dir, rel)
                .and_then(|mut file| {
                    let mut bytes = Vec::new();
                    file.read_to_end(&mut bytes).ok()?;
                    Some(bytes)
                })
                .is_some_and(|bytes| ContentHash::of(&bytes) == listed.hash)
    };
    let strays = tree::unlisted_or_refused(&dir, &manifest, stamp, ours, as_built)?;
    strays.is_empty().then(|| ContentHash::of(text.as_bytes()))
}

/// Without file times in nanoseconds, an output is never taken as it was.
#[cfg(not(unix))]
pub fn untouched(_out: &Path, _keep: &[String]) -> Option<ContentHash> {
    None
}

#[cfg(all(test, unix))]
pub(super) mod tests {
    use super::*;
    use crate::output::manifest::{Entry, Manifest};

    /// A built folder: `files` with their manifest, written after them.
    pub(in crate::output) fn built(root: &Path, files: &[(&str, &str)]) -> ContentHash {
        for (rel, text) in files {
            crate::fs::write(&root.join(rel), text.as_bytes()).unwrap();
        }
        let manifest = Manifest::new(
            files
                .iter()
                .map(|(rel, text)| (rel.to_string(), Entry::of(text.as_bytes())))
                .collect(),
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        let text = manifest.to_json();
        crate::fs::write(&root.join(MANIFEST), text.as_bytes()).unwrap();
        crate::output::replace::write_marker(root).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        ContentHash::of(text.as_bytes())
    }

    #[test]
    fn every_edit_deletion_and_addition_at_any_depth_is_seen() {
        let files = [
            ("index.html", "home"),
            ("a/b-c/y.html", "y"),
            ("a/b.html", "b"),
            ("a/b/c.html", "c"),
            ("a/b/index.html", "one"),
            ("a/b/index.bib", "bib"),
            ("a/b/d/z.json", "z"),
            ("e/f/g/h.html", "h"),
        ];
        let keep = ["CNAME".to_string()];
        type Change = (&'static str, fn(&Path));
        let changes: [Change; 9] = [
            ("a page edited in place, same size", |r| {
                std::fs::write(r.join("a/b/index.bib"), "BIB").unwrap()
            }),
            ("a page deleted", |r| {
                std::fs::remove_file(r.join("a/b/d/z.json")).unwrap()
            }),
            ("a file added deep down", |r| {
                std::fs::write(r.join("e/f/g/stray"), "").unwrap()
            }),
            ("a file added beside a folder", |r| {
                std::fs::write(r.join("a/stray"), "").unwrap()
            }),
            ("a folder added", |r| std::fs::create_dir(r.join("a/b/new")).unwrap()),
            ("a file added at the top", |r| {
                std::fs::write(r.join("stray"), "").unwrap()
            }),
            ("a file where a folder was", |r| {
                crate::fs::remove_dir_all(&r.join("e/f/g")).unwrap();
                std::fs::write(r.join("e/f/g"), "").unwrap()
            }),
            ("the marker deleted", |r| std::fs::remove_file(r.join(MARKER)).unwrap()),
            ("a folder moved out and linked to, its files as built", |r| {
                let moved = r.parent().unwrap().join("moved");
                std::fs::rename(r.join("a/b/d"), &moved).unwrap();
                std::os::unix::fs::symlink(&moved, r.join("a/b/d")).unwrap();
            }),
        ];
        for (what, change) in changes {
            let d = tempfile::tempdir().unwrap();
            let out = d.path().join("out");
            let hash = built(&out, &files);
            assert_eq!(untouched(&out, &keep), Some(hash), "as built");
            change(&out);
            assert_eq!(untouched(&out, &keep), None, "{what}");
        }
        // Written again with the same bytes, a deploy file kept: still as built.
        let d = tempfile::tempdir().unwrap();
        let hash = built(d.path(), &files);
        std::fs::write(d.path().join("a/b/index.html"), "one").unwrap();
        std::fs::write(d.path().join("CNAME"), "example.org").unwrap();
        assert_eq!(untouched(d.path(), &keep), Some(hash));
    }
}
