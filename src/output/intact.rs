//! Whether an output folder is exactly what its last build left: every
//! file its manifest lists, as the build wrote it (by the rule `reuse`
//! trusts: the listed size, and older than the manifest; or else the
//! listed hash), and no other file but the marker and the entries kept
//! for deploys. A cached build
//! that finds nothing changed in its inputs leaves such a folder alone.

use super::manifest::{ContentHash, Manifest, MANIFEST};
use super::replace::MARKER;
use std::path::Path;

/// The hash of the manifest of the output at `out` when the folder holds
/// exactly what that manifest lists, untouched; `None` otherwise (or when
/// this system cannot tell).
#[cfg(unix)]
pub fn untouched(out: &Path, keep: &[String]) -> Option<ContentHash> {
    use std::os::unix::fs::MetadataExt;
    let time = |m: &std::fs::Metadata| (m.mtime(), m.mtime_nsec());
    let text = std::fs::read(out.join(MANIFEST)).ok()?;
    let stamp = time(&std::fs::symlink_metadata(out.join(MANIFEST)).ok()?);
    let manifest = Manifest::parse(std::str::from_utf8(&text).ok()?, MANIFEST).ok()?;
    let kept = |rel: &str| {
        let top = rel.split('/').next().unwrap_or(rel);
        rel == MANIFEST || rel == MARKER || keep.iter().any(|k| k == top)
    };
    let mut found = 0usize;
    let walk = walkdir::WalkDir::new(out).min_depth(1).follow_links(false);
    for entry in walk {
        let entry = entry.ok()?;
        let rel = entry.path().strip_prefix(out).ok()?.to_str()?.replace('\\', "/");
        if kept(&rel) || entry.file_type().is_dir() {
            continue;
        }
        let listed = manifest.files.get(&rel)?;
        let meta = entry.metadata().ok()?;
        if !meta.is_file() || meta.len() != listed.size {
            return None;
        }
        // A file as recent as the manifest (file times are coarser than
        // a build is fast), or touched since, is read to be sure.
        let as_built = super::reuse::as_built(time(&meta), stamp)
            || std::fs::read(entry.path()).is_ok_and(|bytes| ContentHash::of(&bytes) == listed.hash);
        if !as_built {
            return None;
        }
        found += 1;
    }
    (found == manifest.files.len()).then(|| ContentHash::of(&text))
}

/// Without file times in nanoseconds, an output is never taken as it was.
#[cfg(not(unix))]
pub fn untouched(_out: &Path, _keep: &[String]) -> Option<ContentHash> {
    None
}
