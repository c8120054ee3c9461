//! Folders beside the output that the building user cannot change: a spare
//! made read-only, an output left by a build run with other rights (`sudo`).
//! A failed build still leaves the output as it was, a finished one is still
//! a clean build, and a leftover that cannot be removed is a warning, never a
//! reason for every later build to fail (docs/guarantees.md, "Output folder").
//!
//! Root may change any folder, so when the tests run as root the builds run
//! as `nobody` (user and group 65534), over a copy of the binary that user
//! can reach; otherwise they run as the user running the tests.

use crate::common::{read_tree, write};
use crate::manifest::{edit_article, site_files, DELETED, DELETED_PAGE};
use crate::output::mksite;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};

/// The user the builds run as when the tests run as root.
const NOBODY: u32 = 65534;

/// A site in `dir/site` built into `dir/out`, by a user who is not root.
struct Site {
    dir: tempfile::TempDir,
    /// The binary, where that user can run it.
    bin: PathBuf,
}

fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        mksite(&dir.path().join("site"));
        let bin = dir.path().join("bin/pressroom");
        std::fs::create_dir_all(bin.parent().unwrap()).unwrap();
        std::fs::copy(assert_cmd::cargo::cargo_bin("pressroom"), &bin).unwrap();
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
        let site = Site { dir, bin };
        site.hand_over(site.dir.path());
        site
    }

    /// A site built, edited and built again: its output and the spare
    /// beside it, which shares the unchanged files' inodes.
    fn with_spare() -> (Site, PathBuf) {
        let site = Site::new();
        site.build_ok(false);
        std::thread::sleep(std::time::Duration::from_millis(30));
        edit_article(&site.root());
        site.build_ok(false);
        let spare = site.dir.path().join(".out.spare");
        assert!(spare.join(".pressroom-spare").is_file());
        (site, spare)
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    /// Gives the tree at `path` to the building user.
    fn hand_over(&self, path: &Path) {
        if !is_root() {
            return;
        }
        for entry in walkdir::WalkDir::new(path) {
            let entry = entry.unwrap();
            std::os::unix::fs::lchown(entry.path(), Some(NOBODY), Some(NOBODY)).unwrap();
        }
    }

    /// A build as the building user (`as_root`: as root, when the tests
    /// are root); returns the exit code and stderr.
    fn build(&self, as_root: bool, extra: &[&str]) -> (i32, String) {
        let mut command = std::process::Command::new(&self.bin);
        command
            .args(["build", "--root"])
            .arg(self.root())
            .arg("--out")
            .arg(self.out())
            .args(extra)
            .env_remove("GITHUB_ACTIONS");
        if is_root() && !as_root {
            command.uid(NOBODY).gid(NOBODY);
        }
        let output = command.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        (output.status.code().unwrap_or(-1), stderr)
    }

    fn build_ok(&self, as_root: bool) -> String {
        let (code, stderr) = self.build(as_root, &[]);
        assert_eq!(code, 0, "build failed:\n{stderr}");
        stderr
    }

    /// The output equals a clean build's, file for file, marker and all.
    fn assert_clean(&self) {
        let clean = self.dir.path().join("clean");
        crate::common::build_ok(&self.root(), &clean, &["--no-cache"]);
        let (got, want) = (read_tree(&self.out()), read_tree(&clean));
        assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>());
        assert!(
            site_files(&self.out()) == site_files(&clean),
            "the output differs from a clean build"
        );
        std::fs::remove_dir_all(clean).unwrap();
    }

    fn names(&self) -> Vec<String> {
        crate::output::names(self.dir.path())
    }
}

/// A spare whose top folder the user cannot write: the build failing
/// afterwards wrote into it as if it were empty, through inodes it shares
/// with the live output, so `out/404.html` changed though the build said the
/// output was left as it was; a build that succeeded published the spare's
/// mark. The spare that cannot be cleaned is never written into.
#[test]
fn a_spare_that_cannot_be_cleaned_is_never_written_into() {
    let (site, spare) = Site::with_spare();
    std::fs::set_permissions(&spare, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = read_tree(&site.out());
    let template = site.root().join("templates/article.html");
    let good = std::fs::read_to_string(&template).unwrap();
    let broken = good.replacen(
        "{% block content %}",
        "{% block content %}{{ no_such_value.at_all }}",
        1,
    );
    assert_ne!(broken, good);
    write(&template, broken.as_bytes());
    // A new title reaches every page, those the broken template does not render too.
    let config = site.root().join("site.yaml");
    let settings = std::fs::read_to_string(&config).unwrap();
    write(&config, settings.replacen("title: \"", "title: \"The ", 1).as_bytes());
    let (code, stderr) = site.build(false, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("left as it was"), "{stderr}");
    assert!(read_tree(&site.out()) == before, "a failed build changed the output");
    write(&template, good.as_bytes());
    edit_article(&site.root());
    site.build_ok(false);
    site.assert_clean();
    // The spare the user cannot change is parked under a stopped build's
    // claim, and goes once it can be removed.
    let names = site.names();
    let parked: Vec<&String> = names.iter().filter(|n| n.starts_with(".out.old-")).collect();
    assert_eq!(names.len(), 6, "{names:?}");
    assert_eq!(parked.len(), 1, "{names:?}");
    let parked = site.dir.path().join(parked[0]);
    assert!(parked.join(".pressroom-spare").is_file());
    std::fs::set_permissions(&parked, std::fs::Permissions::from_mode(0o755)).unwrap();
    edit_article(&site.root());
    site.build_ok(false);
    assert_eq!(site.names(), [".out.spare", "bin", "out", "site"]);
}

/// After one build with more rights (`sudo`), the next build could not
/// remove the old output it had swapped out and failed, though the new
/// output was in place; every later build failed the same way. Now the
/// leftover is a warning, the build succeeds, and later builds too.
#[test]
fn an_old_output_that_cannot_be_removed_is_a_warning() {
    let site = Site::new();
    site.build_ok(true);
    // Without root, an output the user cannot change stands for one of root's.
    if !is_root() {
        std::fs::set_permissions(site.out(), std::fs::Permissions::from_mode(0o555)).unwrap();
    }
    for round in 0..3 {
        std::thread::sleep(std::time::Duration::from_millis(30));
        edit_article(&site.root());
        let stderr = site.build_ok(false);
        assert!(
            round > 0 || stderr.contains("warning: could not remove"),
            "round {round}: {stderr}"
        );
        site.assert_clean();
    }
}

/// A spare with a folder the user cannot write, holding a page the build no
/// longer makes: the page could not be removed, and was published though no
/// build made it. Now the build fails and leaves the output as it was; the
/// next one stages a new tree and equals a clean build.
#[test]
fn a_page_the_spare_cannot_drop_is_never_published() {
    let (site, spare) = Site::with_spare();
    let folder = spare.join(DELETED_PAGE);
    let folder = folder.parent().unwrap();
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    std::fs::remove_file(site.root().join(DELETED)).unwrap();
    let before = read_tree(&site.out());
    let (code, stderr) = site.build(false, &[]);
    assert_ne!(code, 0, "{stderr}");
    assert!(stderr.contains("could not remove"), "{stderr}");
    assert!(read_tree(&site.out()) == before, "a failed build changed the output");
    edit_article(&site.root());
    site.build_ok(false);
    site.assert_clean();
}
