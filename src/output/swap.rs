//! Putting a finished build in place.
//!
//! The new output is built in a staging folder beside the output folder
//! `NAME` (see `claim`). On Linux and macOS the two folders are exchanged
//! in one system call (`renameat2` with `RENAME_EXCHANGE`, `renamex_np`
//! with `RENAME_SWAP`), so the output path always names a complete site.
//! Where the system or file system has no exchange, the old output is
//! first renamed to the build's parking name and the new one renamed in:
//! for that moment there is no folder at the output path, and a build
//! killed right then leaves the old site parked, for the next build to
//! clear with the rest of its claim.

use anyhow::Result;
use std::path::{Path, PathBuf};

/// Puts `staging` at `out`, parking the old output at `parked` where the
/// two cannot be exchanged. Returns where the old output now is, if there
/// was one, for the caller to remove.
pub(super) fn swap_in(staging: &Path, out: &Path, parked: &Path) -> Result<Option<PathBuf>> {
    // A build running beside this one may create the output meanwhile:
    // then the rename fails and the exchange below does the work.
    if out.symlink_metadata().is_err() && std::fs::rename(staging, out).is_ok() {
        return Ok(None);
    }
    if exchange(staging, out)? {
        return Ok(Some(staging.to_path_buf()));
    }
    crate::fs::rename(out, parked)?;
    if let Err(e) = crate::fs::rename(staging, out) {
        let _ = crate::fs::rename(parked, out);
        return Err(e);
    }
    Ok(Some(parked.to_path_buf()))
}

/// Refuses an output folder that is a mount point (a Docker volume, a bind
/// mount): it can be neither renamed nor exchanged, so no build could ever
/// put a new site there.
pub(super) fn refuse_mount_point(out: &Path, shown: &Path) -> Result<()> {
    if is_mount_point(out) {
        anyhow::bail!("{}", mount_point_problem(shown));
    }
    Ok(())
}

/// What to say of an output folder that is a mount point.
fn mount_point_problem(shown: &Path) -> String {
    format!(
        "{} is a mount point (a Docker volume or a bind mount), which cannot be exchanged with the new site; \
         build into a folder inside it instead (--out {}) and serve that, or mount the folder that holds it",
        shown.display(),
        shown.join("site").display()
    )
}

/// Whether the folder at `path` is the root of a mount.
#[cfg(target_os = "linux")]
fn is_mount_point(path: &Path) -> bool {
    use rustix::fs::{statx, AtFlags, StatxAttributes, StatxFlags, CWD};
    match statx(CWD, path, AtFlags::SYMLINK_NOFOLLOW, StatxFlags::BASIC_STATS) {
        Ok(s) if s.stx_attributes_mask.contains(StatxAttributes::MOUNT_ROOT) => {
            s.stx_attributes.contains(StatxAttributes::MOUNT_ROOT)
        }
        _ => other_device_than_parent(path),
    }
}

#[cfg(not(target_os = "linux"))]
fn is_mount_point(path: &Path) -> bool {
    other_device_than_parent(path)
}

/// Whether `path` lies on another device than its parent folder.
fn other_device_than_parent(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let dev = |p: &Path| p.symlink_metadata().map(|m| m.dev());
        match (dev(path), path.parent().map(dev)) {
            (Ok(a), Some(Ok(b))) => a != b,
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// Exchanges two folders atomically; `false` when this system or file
/// system cannot.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(Errno::INVAL | Errno::NOSYS | Errno::NOTSUP) => Ok(false),
        Err(Errno::BUSY) => Err(anyhow::anyhow!("{}", mount_point_problem(b))),
        Err(e) => Err(anyhow::anyhow!(
            "could not exchange {} and {}: {e}",
            a.display(),
            b.display()
        )),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_a: &Path, _b: &Path) -> Result<bool> {
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_swaps_two_folders() {
        let d = tempfile::tempdir().unwrap();
        let (a, b) = (d.path().join("a"), d.path().join("b"));
        crate::fs::write(&a.join("f"), b"a").unwrap();
        crate::fs::write(&b.join("f"), b"b").unwrap();
        let old = swap_in(&a, &b, &d.path().join("parked")).unwrap().unwrap();
        assert_eq!(std::fs::read(b.join("f")).unwrap(), b"a");
        assert_eq!(std::fs::read(old.join("f")).unwrap(), b"b");
        // One exchange, no moment without `b`: the old site is where the new one was.
        #[cfg(target_os = "linux")]
        assert_eq!(old, a);
    }
}
