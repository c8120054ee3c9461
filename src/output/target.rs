//! Where an output folder really is, decided before anything is written.
//!
//! A path is a promise about the future: `newdir/../site` names nothing while
//! `newdir` is missing and names `site` itself as soon as a build creates
//! `newdir`. So a path is resolved the way the system will resolve it once
//! its missing folders exist: through its nearest existing ancestor (symbolic
//! links followed), the rest lexically. Every command that writes resolves
//! its output here and checks it against the folders it must never touch with
//! the one overlap rule below.

use crate::content::INPUT_FOLDERS;
use anyhow::{bail, Context, Result};
use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};

/// The sources of a site: what a build reads and must never replace
/// (`site.yaml` and `content::INPUT_FOLDERS`).
fn site_sources() -> impl Iterator<Item = &'static str> {
    std::iter::once("site.yaml").chain(INPUT_FOLDERS.iter().copied())
}

/// An output folder, as the user spelled it and as it resolves.
#[derive(Debug, Clone)]
pub struct Target {
    /// The path as given, for messages.
    pub shown: PathBuf,
    /// The absolute path it names once its missing folders exist.
    pub path: PathBuf,
}

impl Target {
    /// Resolves `shown`; fails on paths that cannot be an output folder.
    pub fn resolve(shown: &Path) -> Result<Target> {
        let path = resolve(shown)?;
        if path.parent().is_none() {
            bail!(
                "{} cannot be an output folder: it is the root of the file system",
                shown.display()
            );
        }
        Ok(Target {
            shown: shown.to_path_buf(),
            path,
        })
    }

    /// Resolves the output folder of the site at `root`, refusing one that
    /// is, holds or lies inside the site folder's sources.
    pub fn for_site(root: &Path, shown: &Path) -> Result<Target> {
        let target = Target::resolve(shown)?;
        if let Some(source) = target.source_overlap(root)? {
            bail!(
                "refusing to use {} as the output folder: it would replace the site's own files ({source})",
                shown.display()
            );
        }
        Ok(target)
    }

    /// The name of the source of the site at `root` (`site.yaml` or a
    /// folder of inputs) that this target is, holds or lies inside.
    pub fn source_overlap(&self, root: &Path) -> Result<Option<String>> {
        let root = resolve(root)?;
        let sources: Vec<PathBuf> = site_sources().map(|s| root.join(s)).collect();
        let source = self.overlaps_any(&sources);
        Ok(source.map(|s| s.file_name().unwrap_or_default().to_string_lossy().into_owned()))
    }

    /// The first of `protected` that this target is, holds or lies inside.
    /// Each protected path must itself be resolved.
    pub fn overlaps_any<'a>(&self, protected: &'a [PathBuf]) -> Option<&'a Path> {
        protected
            .iter()
            .find(|p| self.path.starts_with(p) || p.starts_with(&self.path))
            .map(PathBuf::as_path)
    }
}

/// The absolute path `path` names once its missing folders are created:
/// existing components are resolved by the system (symbolic links and all),
/// missing ones and the `..` after them lexically.
pub fn resolve(path: &Path) -> Result<PathBuf> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let mut resolved = PathBuf::new();
    // How many trailing components of `resolved` do not exist yet.
    let mut missing = 0usize;
    for component in cwd.join(path).components() {
        match component {
            Component::Prefix(_) | Component::RootDir => resolved.push(component),
            Component::CurDir => {}
            Component::ParentDir => {
                // A missing folder will be a plain folder, so `..` undoes it;
                // an existing one is already its real path.
                resolved.pop();
                missing = missing.saturating_sub(1);
            }
            Component::Normal(name) => {
                resolved.push(name);
                if missing > 0 {
                    missing += 1;
                    continue;
                }
                match std::fs::canonicalize(&resolved) {
                    Ok(real) => resolved = real,
                    Err(e) if e.kind() == ErrorKind::NotFound => {
                        if resolved.symlink_metadata().is_ok() {
                            bail!(
                                "{} leads through a broken symbolic link at {}",
                                path.display(),
                                resolved.display()
                            );
                        }
                        missing = 1;
                    }
                    Err(e) => return Err(e).with_context(|| format!("cannot resolve {}", path.display())),
                }
            }
        }
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> (tempfile::TempDir, PathBuf) {
        let d = tempfile::tempdir().unwrap();
        let real = std::fs::canonicalize(d.path()).unwrap();
        std::fs::create_dir_all(real.join("site/articles")).unwrap();
        (d, real)
    }

    #[test]
    fn missing_folders_and_their_dotdots_cancel_out() {
        let (_d, base) = dir();
        assert_eq!(resolve(&base.join("newdir/../site")).unwrap(), base.join("site"));
        assert_eq!(
            resolve(&base.join("site/nonexist/../../site")).unwrap(),
            base.join("site")
        );
        assert_eq!(resolve(&base.join("a/b/../c/./d")).unwrap(), base.join("a/c/d"));
    }

    #[cfg(unix)]
    #[test]
    fn existing_links_are_followed_before_dotdot() {
        let (_d, base) = dir();
        std::os::unix::fs::symlink(base.join("site/articles"), base.join("link")).unwrap();
        // `link/..` is the link target's parent, as the system sees it.
        assert_eq!(resolve(&base.join("link/..")).unwrap(), base.join("site"));
        assert_eq!(resolve(&base.join("link/new/..")).unwrap(), base.join("site/articles"));
    }

    #[cfg(unix)]
    #[test]
    fn broken_links_are_refused() {
        let (_d, base) = dir();
        std::os::unix::fs::symlink(base.join("nowhere"), base.join("dangling")).unwrap();
        assert!(resolve(&base.join("dangling/out")).is_err());
    }

    #[test]
    fn site_sources_and_their_ancestors_are_refused() {
        let (_d, base) = dir();
        let root = base.join("site");
        for bad in ["site", "site/articles/x", "site/static", "zz/../site", "."] {
            let shown = if bad == "." { base.clone() } else { base.join(bad) };
            assert!(Target::for_site(&root, &shown).is_err(), "{bad} accepted");
        }
        for good in ["site/public", "public", "site/articles-old"] {
            assert!(Target::for_site(&root, &base.join(good)).is_ok(), "{good} refused");
        }
    }
}
