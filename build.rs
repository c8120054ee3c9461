//! Puts the commit into `pressroom --version` when built from a git
//! checkout; a build from a source tarball (no git, no `.git`) gets the
//! plain version number and never fails for the lack of it.

use std::process::Command;

fn main() {
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    // Only this package's own checkout counts, not a repository that
    // happens to hold an unpacked tarball.
    let own = git(&["rev-parse", "--show-toplevel"]).is_some_and(|top| {
        let here = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
        std::fs::canonicalize(top).ok() == std::fs::canonicalize(here).ok()
    });
    let commit = own.then(|| git(&["rev-parse", "--short", "HEAD"])).flatten();
    let full = match commit {
        Some(commit) => {
            watch_git_head();
            format!("{version} ({commit})")
        }
        None => version,
    };
    println!("cargo:rustc-env=PRESSROOM_VERSION={full}");
}

/// Rebuilds when HEAD moves: HEAD itself and the branch it points at.
fn watch_git_head() {
    for name in ["HEAD", "packed-refs"] {
        if let Some(path) = git(&["rev-parse", "--git-path", name]) {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        if let Some(path) = git(&["rev-parse", "--git-path", &branch]) {
            println!("cargo:rerun-if-changed={path}");
        }
    }
}

/// The trimmed output of a successful `git` command, or `None`.
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (out.status.success() && !text.is_empty()).then(|| text.to_string())
}
