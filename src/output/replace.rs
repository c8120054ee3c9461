//! Which output folders a build may replace, and what it carries over.
//!
//! A build replaces its output folder wholesale, so it must know the folder
//! is its own: every build writes a marker listing the top-level entries it
//! made. A folder is replaced only when it is missing, empty, or holds
//! nothing but those entries and the deploy files the site names in
//! `keep_in_output` (a `.git` checkout, a `CNAME`); anything else stops the
//! build unless `--force`. Kept entries are carried into the new output by
//! hard links (a copy where links fail), so at every moment one complete
//! copy sits in the output folder and none lives only in a temporary one.

use crate::diag::print::escape_controls;
use anyhow::{bail, Context, Result};
use std::path::Path;

/// The marker file written at the top of every output folder.
pub const MARKER: &str = ".pressroom-output";

const HEADER: &str = "# Made by `pressroom build`, which replaces this folder on the next build.\n\
# Top-level entries it made (anything else here stops the build unless --force):\n";

/// Writes the marker into a finished output folder, listing its entries.
pub(crate) fn write_marker(dir: &Path) -> Result<()> {
    let mut text = String::from(HEADER);
    for name in entry_names(dir)? {
        if name != MARKER {
            text.push_str(&name);
            text.push('\n');
        }
    }
    crate::fs::write_fresh(&dir.join(MARKER), text.as_bytes())
}

/// The entries of `dir` that neither an earlier build made nor `keep`
/// names: empty when the folder may be replaced.
pub(super) fn foreign_entries(dir: &Path, keep: &[String]) -> Result<Vec<String>> {
    if dir.symlink_metadata().is_err() {
        return Ok(Vec::new());
    }
    // Without a valid marker nothing here is ours, not even a stray marker.
    // The marker is read only as a file of the folder itself: a link could
    // name another output's marker, and a named pipe would be waited on.
    let text = crate::fs::open_file(std::fs::OpenOptions::new().read(true), &dir.join(MARKER), false)
        .ok()
        .and_then(|mut file| {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut file, &mut text).ok().map(|_| text)
        });
    let made: Option<Vec<String>> = match text {
        Some(text) if text.starts_with(HEADER) => Some(text[HEADER.len()..].lines().map(str::to_string).collect()),
        _ => None,
    };
    let ours = |name: &String| match &made {
        Some(made) => name == MARKER || name == super::MANIFEST || made.contains(name),
        None => false,
    };
    Ok(entry_names(dir)?
        .into_iter()
        .filter(|n| !ours(n) && !keep.contains(n))
        .collect())
}

/// Refuses to replace `dir` while it holds entries that are not ours.
pub(super) fn refuse_foreign(dir: &Path, shown: &Path, keep: &[String], force: bool) -> Result<()> {
    let foreign = foreign_entries(dir, keep)?;
    if foreign.is_empty() {
        return Ok(());
    }
    // Any name may be there: shown escaped, each stays on the line.
    let foreign: Vec<_> = foreign.iter().map(|name| escape_controls(name)).collect();
    if force {
        eprintln!(
            "note: --force: replacing {}, removing {}",
            shown.display(),
            foreign.join(", ")
        );
        return Ok(());
    }
    bail!(
        "output folder {} holds files an earlier build did not make: {}; \
         pass --force to replace it, or list deploy files to carry over under `keep_in_output` in site.yaml",
        shown.display(),
        foreign.join(", ")
    )
}

/// Links each entry of `keep` that `old` has into `new`, unless the build
/// made an entry of that name itself (then the build's wins, said aloud).
pub(super) fn carry_kept(old: &Path, new: &Path, keep: &[String]) -> Result<()> {
    for name in keep {
        let from = old.join(name);
        if from.symlink_metadata().is_err() {
            continue;
        }
        let to = new.join(name);
        if to.symlink_metadata().is_ok() {
            eprintln!("note: the build made its own {name}; the old one in the output is replaced");
            continue;
        }
        link_tree(&from, &to)?;
    }
    Ok(())
}

/// Recreates the tree at `from` under `to`: folders made, files hard-linked
/// (copied where linking fails), symbolic links recreated, not followed.
fn link_tree(from: &Path, to: &Path) -> Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.with_context(|| format!("could not read {}", from.display()))?;
        let rel = entry.path().strip_prefix(from).unwrap_or(Path::new(""));
        let dest = if rel.as_os_str().is_empty() {
            to.to_path_buf()
        } else {
            to.join(rel)
        };
        let kind = entry.file_type();
        let done = if kind.is_dir() {
            std::fs::create_dir(&dest)
        } else if kind.is_symlink() {
            std::fs::read_link(entry.path()).and_then(|t| symlink(&t, &dest))
        } else {
            std::fs::hard_link(entry.path(), &dest).or_else(|_| std::fs::copy(entry.path(), &dest).map(|_| ()))
        };
        done.with_context(|| format!("could not carry {} over to {}", entry.path().display(), dest.display()))?;
    }
    Ok(())
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::fs::copy(target, link).map(|_| ())
}

/// The names in `dir`, sorted.
fn entry_names(dir: &Path) -> Result<Vec<String>> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("could not read {}", dir.display()))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("could not read {}", dir.display()))?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "x").unwrap();
    }

    #[test]
    fn only_missing_empty_or_marked_folders_are_ours() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        assert!(foreign_entries(&out, &[]).unwrap().is_empty(), "missing");
        std::fs::create_dir(&out).unwrap();
        assert!(foreign_entries(&out, &[]).unwrap().is_empty(), "empty");
        touch(&out.join("index.html"));
        touch(&out.join("CNAME"));
        assert_eq!(foreign_entries(&out, &[]).unwrap(), ["CNAME", "index.html"]);
        std::fs::remove_file(out.join("CNAME")).unwrap();
        write_marker(&out).unwrap();
        assert!(foreign_entries(&out, &[]).unwrap().is_empty(), "marked");
        touch(&out.join(".git/HEAD"));
        assert_eq!(foreign_entries(&out, &[]).unwrap(), [".git"]);
        assert!(foreign_entries(&out, &[".git".into()]).unwrap().is_empty(), "kept");
    }

    #[test]
    fn a_marker_alone_is_not_a_licence() {
        // A stray marker with the wrong header marks nothing.
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join(MARKER), "index.html\n").unwrap();
        touch(&d.path().join("index.html"));
        assert_eq!(foreign_entries(d.path(), &[]).unwrap(), [MARKER, "index.html"]);
    }

    #[test]
    fn kept_entries_are_carried_and_the_build_wins() {
        let d = tempfile::tempdir().unwrap();
        let (old, new) = (d.path().join("old"), d.path().join("new"));
        touch(&old.join(".git/objects/ab"));
        touch(&old.join("CNAME"));
        touch(&new.join("CNAME"));
        std::fs::write(new.join("CNAME"), "new").unwrap();
        carry_kept(&old, &new, &[".git".into(), "CNAME".into(), "missing".into()]).unwrap();
        assert_eq!(std::fs::read_to_string(new.join(".git/objects/ab")).unwrap(), "x");
        assert_eq!(std::fs::read_to_string(new.join("CNAME")).unwrap(), "new");
        assert!(
            old.join(".git/objects/ab").exists(),
            "the old copy stays until the swap"
        );
    }
}
