//! Helpers shared by the integration tests.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The `pressroom` binary, run as outside GitHub Actions (where its
/// default output format would be workflow commands).
pub(crate) fn pressroom() -> assert_cmd::Command {
    let mut command = assert_cmd::Command::cargo_bin("pressroom").expect("binary built");
    command.env_remove("GITHUB_ACTIONS");
    command
}

/// The repository root (the bundled sample archive).
pub(crate) fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture site folder under tests/fixtures/.
pub(crate) fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// A temporary site made of `(path, text)` files; without a `site.yaml`
/// among them it gets one that sets `base_url` (to the default), as a
/// real site does, so no test sees the warning about a missing base_url.
pub(crate) fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    if !files.iter().any(|(path, _)| *path == "site.yaml") {
        write(&dir.path().join("site.yaml"), b"base_url: http://localhost/\n");
    }
    for (path, text) in files {
        write(&dir.path().join(path), text.as_bytes());
    }
    dir
}

/// Writes a file, creating its folders.
pub(crate) fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Copies a folder tree.
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, by relative path.
pub(crate) fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Builds `root` into `out` and returns stderr; panics unless it succeeds.
pub(crate) fn build_ok(root: &Path, out: &Path, extra: &[&str]) -> String {
    let output = pressroom()
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "build failed:\n{stderr}");
    stderr
}

/// A minimal valid author file and article, for bad-input tests to vary.
pub(crate) const AUTHOR: (&str, &str) = ("authors/jane-doe.yaml", "name: Jane Doe\nrole: Fellow\n");

/// An article's text from its front-matter lines and body.
pub(crate) fn article(front: &str, body: &str) -> String {
    format!("---\n{front}---\n\n{body}")
}
