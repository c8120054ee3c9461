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
/// exactly what that manifest lists, untouched; `None` otherwise (or when
/// this system cannot tell).
#[cfg(unix)]
pub fn untouched(out: &Path, keep: &[String]) -> Option<ContentHash> {
    use super::manifest::Entry;
    use super::tree;
    use rustix::fs::Stat;
    use std::io::Read;
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
