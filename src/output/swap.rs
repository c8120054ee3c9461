//! Putting a finished build in place, and clearing what killed builds left.
//!
//! The new output is built in `.NAME.building-PID` beside the output folder
//! `NAME`. On Linux and macOS the two folders are exchanged in one system
//! call (`renameat2` with `RENAME_EXCHANGE`, `renamex_np` with
//! `RENAME_SWAP`), so the output path always names a complete site. Where
//! the system or file system has no exchange, the old output is first
//! renamed to `.NAME.old-PID` and the new one renamed in: for that moment
//! there is no folder at the output path, and a build killed right then
//! leaves the old site in `.NAME.old-PID`.
//!
//! A build killed at any point leaves at most those two folders. The next
//! build into the same output removes every such folder whose process is
//! gone (or whose number now belongs to a process that is not pressroom),
//! and leaves those of a pressroom build still running beside it.

use anyhow::Result;
use std::path::{Path, PathBuf};

/// The folder a build in process `pid` stages `name` in.
pub(super) fn staging_path(parent: &Path, name: &str, pid: u32) -> PathBuf {
    parent.join(format!(".{name}.building-{pid}"))
}

/// Where the two-rename fallback parks the old output of `name`.
fn old_path(parent: &Path, name: &str, pid: u32) -> PathBuf {
    parent.join(format!(".{name}.old-{pid}"))
}

/// Puts `staging` at `out`. Returns where the old output now is, if there
/// was one, for the caller to remove.
pub(super) fn swap_in(staging: &Path, out: &Path, name: &str) -> Result<Option<PathBuf>> {
    // A build running beside this one may create the output meanwhile:
    // then the rename fails and the exchange below does the work.
    if out.symlink_metadata().is_err() && std::fs::rename(staging, out).is_ok() {
        return Ok(None);
    }
    if exchange(staging, out)? {
        return Ok(Some(staging.to_path_buf()));
    }
    let parent = out.parent().unwrap_or(Path::new("."));
    let old = old_path(parent, name, std::process::id());
    crate::fs::rename(out, &old)?;
    if let Err(e) = crate::fs::rename(staging, out) {
        let _ = crate::fs::rename(&old, out);
        return Err(e);
    }
    Ok(Some(old))
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

/// Removes the staging and old folders of `name` in `parent` that builds
/// no longer running left behind.
pub(super) fn remove_debris(parent: &Path, name: &str) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| debris_pid(n, name)) else {
            continue;
        };
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && !pressroom_running(pid) {
            super::writer::remove_tree_in_parallel(&entry.path())?;
        }
    }
    Ok(())
}

/// The process number in a staging or old folder's name of output `name`.
fn debris_pid(file_name: &str, name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?.strip_prefix(name)?.strip_prefix('.')?;
    let digits = rest.strip_prefix("building-").or_else(|| rest.strip_prefix("old-"))?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Is `pid` a running pressroom other than this process?
#[cfg(target_os = "linux")]
fn pressroom_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    let comm = |p: &str| std::fs::read_to_string(format!("/proc/{p}/comm")).ok();
    match (comm(&pid.to_string()), comm("self")) {
        (Some(theirs), Some(ours)) => theirs == ours,
        (None, _) => false,
        // Cannot tell what we are: assume it may be another build.
        (Some(_), None) => true,
    }
}

/// Is `pid` a running process other than this one? (Here a live process
/// cannot be told apart from pressroom, so it is assumed to be one.)
#[cfg(all(unix, not(target_os = "linux")))]
fn pressroom_running(pid: u32) -> bool {
    use rustix::process::{test_kill_process, Pid};
    let Some(p) = i32::try_from(pid).ok().and_then(Pid::from_raw) else {
        return false;
    };
    pid != std::process::id() && !matches!(test_kill_process(p), Err(rustix::io::Errno::SRCH))
}

/// Without a way to ask, every leftover is assumed to belong to a running build.
#[cfg(not(unix))]
fn pressroom_running(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_naming_is_debris() {
        assert_eq!(debris_pid(".public.building-123", "public"), Some(123));
        assert_eq!(debris_pid(".public.old-7", "public"), Some(7));
        for other in [
            ".public.building-",
            ".public.building-12x",
            ".public.building--1",
            ".publicx.old-7",
            "public.old-7",
            ".public.tmp-7",
            ".site.old-7",
        ] {
            assert_eq!(debris_pid(other, "public"), None, "{other}");
        }
    }

    #[test]
    fn exchange_swaps_two_folders() {
        let d = tempfile::tempdir().unwrap();
        let (a, b) = (d.path().join("a"), d.path().join("b"));
        crate::fs::write(&a.join("f"), b"a").unwrap();
        crate::fs::write(&b.join("f"), b"b").unwrap();
        let old = swap_in(&a, &b, "b").unwrap().unwrap();
        assert_eq!(std::fs::read(b.join("f")).unwrap(), b"a");
        assert_eq!(std::fs::read(old.join("f")).unwrap(), b"b");
        // One exchange, no moment without `b`: the old site is where the new one was.
        #[cfg(target_os = "linux")]
        assert_eq!(old, a);
    }
}
