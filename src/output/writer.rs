//! Where output goes: a folder on disk or a map in memory.

use anyhow::{bail, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A destination for output files, addressed by `/`-separated relative paths.
pub trait Writer: Sync {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()>;

    /// Copies a file from disk to `path`.
    fn copy(&self, from: &Path, path: &str) -> Result<()> {
        self.write(path, &crate::fs::read(from)?)
    }
}

/// Writes under a folder.
pub struct DiskWriter {
    pub dir: PathBuf,
}

impl Writer for DiskWriter {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        crate::fs::write(&self.dir.join(path), bytes)
    }

    fn copy(&self, from: &Path, path: &str) -> Result<()> {
        let to = self.dir.join(path);
        if let Some(parent) = to.parent() {
            crate::fs::create_dir_all(parent)?;
        }
        std::fs::copy(from, &to)
            .map_err(|e| anyhow::anyhow!("could not copy {} to {}: {e}", from.display(), to.display()))?;
        Ok(())
    }
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

/// Builds into a staging folder beside `out` with `build`, then swaps it in.
/// If `build` fails, the staging folder is removed and `out` is untouched.
pub fn publish<T>(out: &Path, build: impl FnOnce(&DiskWriter) -> Result<T>) -> Result<T> {
    if out.exists() && !out.is_dir() {
        bail!("output {} exists and is not a folder", out.display());
    }
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    crate::fs::create_dir_all(parent)?;
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.building-{pid}"));
    let old = parent.join(format!(".{name}.old-{pid}"));
    crate::fs::remove_dir_all(&staging)?;
    crate::fs::create_dir_all(&staging)?;
    let writer = DiskWriter { dir: staging.clone() };
    let result = match build(&writer) {
        Ok(r) => r,
        Err(e) => {
            let _ = crate::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    if out.exists() {
        crate::fs::rename(out, &old)?;
    }
    if let Err(e) = crate::fs::rename(&staging, out) {
        let _ = crate::fs::rename(&old, out);
        return Err(e);
    }
    remove_tree_in_parallel(&old)?;
    Ok(result)
}

/// Removes a large output tree, its top-level entries in parallel.
fn remove_tree_in_parallel(dir: &Path) -> Result<()> {
    use rayon::prelude::*;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.par_iter().try_for_each(|p| {
        if p.is_dir() {
            crate::fs::remove_dir_all(p)
        } else {
            std::fs::remove_file(p).map_err(|e| anyhow::anyhow!("could not remove {}: {e}", p.display()))
        }
    })?;
    crate::fs::remove_dir_all(dir)
}
