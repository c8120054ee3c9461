//! The output folder: nothing the user did not ask to replace is deleted,
//! whatever path `--out` is spelled with (docs/guarantees.md, "Output folder").

use crate::common::{copy_dir, fixture, pressroom, read_tree, repo_root, write};
use predicates::prelude::*;
use std::path::Path;

/// Copies the sample archive (the repository's own site) into `dir`.
pub(crate) fn mksite(dir: &Path) {
    for part in ["articles", "authors", "topics", "static", "templates"] {
        copy_dir(&repo_root().join(part), &dir.join(part));
    }
    std::fs::copy(repo_root().join("site.yaml"), dir.join("site.yaml")).unwrap();
}

/// The sample archive with `keep_in_output: KEEP` added to its site.yaml.
fn mksite_keeping(dir: &Path, keep: &str) {
    mksite(dir);
    let config = std::fs::read_to_string(dir.join("site.yaml")).unwrap();
    std::fs::write(dir.join("site.yaml"), format!("{config}keep_in_output: {keep}\n")).unwrap();
}

/// The names in `dir`, sorted.
pub(crate) fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Runs `pressroom build --root site --out OUT` in `cwd`.
fn build_in(cwd: &Path, out: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    pressroom()
        .current_dir(cwd)
        .args(["build", "--root", "site", "--out", out])
        .args(extra)
        .assert()
}

/// `--out newdir/../site` with no `newdir` named the site once the build
/// created `newdir`, and every source file was swapped away and deleted.
#[test]
fn out_through_a_missing_folder_cannot_name_the_site() {
    let dir = tempfile::tempdir().unwrap();
    mksite(&dir.path().join("site"));
    let before = read_tree(&dir.path().join("site"));
    build_in(dir.path(), "newdir/../site", &[])
        .code(2)
        .stderr(predicate::str::contains(
            "refusing to use newdir/../site as the output folder",
        ));
    assert_eq!(read_tree(&dir.path().join("site")), before);
    assert_eq!(names(dir.path()), ["site"], "nothing is created beside the site");
}

/// `--out site/nonexist/../../site` left the site renamed to `.site.old-PID`.
#[test]
fn out_through_missing_folders_back_into_the_site_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    mksite(&dir.path().join("site"));
    let before = read_tree(&dir.path().join("site"));
    build_in(dir.path(), "site/nonexist/../../site", &[]).code(2);
    assert_eq!(read_tree(&dir.path().join("site")), before);
    assert_eq!(names(dir.path()), ["site"]);
}

/// A link to the site is the site.
#[cfg(unix)]
#[test]
fn out_through_a_link_to_the_site_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    mksite(&dir.path().join("site"));
    std::os::unix::fs::symlink(dir.path().join("site/static"), dir.path().join("link")).unwrap();
    let before = read_tree(&dir.path().join("site"));
    build_in(dir.path(), "link/../static", &[]).code(2);
    build_in(dir.path(), "link/new", &[]).code(2);
    assert_eq!(read_tree(&dir.path().join("site")), before);
}

/// `import jekyll src --out zz/../src` overwrote the source's site.yaml
/// and authors, though the source is only read.
#[test]
fn import_out_through_a_missing_folder_cannot_name_the_source() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("import-jekyll"), &dir.path().join("src"));
    let before = read_tree(&dir.path().join("src"));
    pressroom()
        .current_dir(dir.path())
        .args(["import", "jekyll", "src", "--out", "zz/../src", "--force"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("overlaps the source folder"));
    assert_eq!(read_tree(&dir.path().join("src")), before);
    assert_eq!(names(dir.path()), ["src"]);
}

/// A gh-pages checkout, a CNAME and unrelated files were deleted without a
/// word. Their names are listed on the error's one line, a line break in
/// one escaped.
#[test]
fn build_refuses_a_folder_it_did_not_make() {
    let dir = tempfile::tempdir().unwrap();
    mksite(&dir.path().join("site"));
    let out = dir.path().join("deploy");
    write(&out.join(".git/HEAD"), b"ref: refs/heads/gh-pages\n");
    write(&out.join("CNAME"), b"policy.example.org\n");
    write(&out.join("notes.txt"), b"mine\n");
    write(&out.join("x\ny.txt"), b"mine\n");
    let before = read_tree(&out);
    build_in(dir.path(), "deploy", &[]).code(2).stderr(
        predicate::str::contains(
            "output folder deploy holds files an earlier build did not make: .git, CNAME, notes.txt, x\\ny.txt;",
        )
        .and(predicate::str::contains("--force")),
    );
    assert_eq!(read_tree(&out), before);
    assert_eq!(names(dir.path()), ["deploy", "site"], "no staging folder is left");
}

/// A folder the last build made is replaced; so is an empty one. Files
/// added to it later stop the next build.
#[test]
fn build_replaces_only_empty_or_its_own_folders() {
    let dir = tempfile::tempdir().unwrap();
    mksite(&dir.path().join("site"));
    std::fs::create_dir(dir.path().join("out")).unwrap();
    build_in(dir.path(), "out", &[]).success();
    assert!(dir.path().join("out").join(pressroom::output::MARKER).is_file());
    build_in(dir.path(), "out", &[]).success();
    write(&dir.path().join("out/uploads/report.pdf"), b"%PDF");
    build_in(dir.path(), "out", &[])
        .code(2)
        .stderr(predicate::str::contains("uploads"));
    assert!(dir.path().join("out/uploads/report.pdf").is_file());
}

/// `--force` replaces a folder that is not ours, and names what it removes.
#[test]
fn force_replaces_a_foreign_folder_and_says_what_goes() {
    let dir = tempfile::tempdir().unwrap();
    mksite(&dir.path().join("site"));
    write(&dir.path().join("out/old.html"), b"old");
    build_in(dir.path(), "out", &["--force"])
        .success()
        .stderr(predicate::str::contains("removing old.html"));
    assert!(!dir.path().join("out/old.html").exists());
    assert!(dir.path().join("out/index.html").is_file());
}

/// Deploy files named in `keep_in_output` stay through every build, with
/// their contents, even in a folder no build made before.
#[test]
fn kept_deploy_files_survive_every_build() {
    let dir = tempfile::tempdir().unwrap();
    mksite_keeping(&dir.path().join("site"), "[.git, CNAME]");
    let out = dir.path().join("out");
    write(&out.join(".git/HEAD"), b"ref: refs/heads/gh-pages\n");
    write(&out.join(".git/objects/ab/cdef"), b"object");
    write(&out.join("CNAME"), b"policy.example.org\n");
    for _ in 0..2 {
        build_in(dir.path(), "out", &[]).success();
        assert_eq!(std::fs::read(out.join(".git/objects/ab/cdef")).unwrap(), b"object");
        assert_eq!(std::fs::read(out.join("CNAME")).unwrap(), b"policy.example.org\n");
        assert!(out.join("index.html").is_file());
    }
    assert_eq!(names(dir.path()), ["out", "site"]);
}

/// Leftovers of a stopped build (its claim's lock file beside them, no
/// longer locked) are removed. A running build's folders are left to it
/// whatever its process number says: the lock is held, though the number
/// belongs to another program, as it may across PID namespaces or after
/// the number was reused. Folders of those names without a lock file are
/// the user's (`.out.old-20240101` as a backup) and are never touched.
#[cfg(unix)]
#[test]
fn leftovers_of_stopped_builds_are_removed_and_others_kept() {
    let dir = tempfile::tempdir().unwrap();
    mksite(&dir.path().join("site"));
    let mut dead = std::process::Command::new("true").spawn().unwrap();
    let dead_pid = dead.id();
    dead.wait().unwrap();
    let mut other = std::process::Command::new("sleep").arg("30").spawn().unwrap();
    let held = dir.path().join(format!(".out.building-{}.lock", other.id()));
    write(&held, b"");
    let lock = std::fs::OpenOptions::new().write(true).open(&held).unwrap();
    lock.lock().unwrap();
    let kept = [
        format!(".out.building-{}", other.id()),
        format!(".out.building-{dead_pid}"),
        format!(".out.old-{dead_pid}"),
        ".out.old-20240101".to_string(),
        ".out.building-x".to_string(),
    ];
    for name in &kept {
        write(&dir.path().join(name).join("notes.txt"), b"mine");
    }
    let stopped = stopped_build(dir.path());
    build_in(dir.path(), "out", &[]).success();
    let _ = other.kill();
    let _ = other.wait();
    for name in &kept {
        assert_eq!(
            std::fs::read(dir.path().join(name).join("notes.txt")).unwrap(),
            b"mine",
            "{name}"
        );
    }
    for path in stopped {
        assert!(!path.exists(), "{} stays", path.display());
    }
    drop(lock);
}

/// Starts a build into `cwd/out` and kills it once its staging folder
/// holds pages; returns its staging folder and lock file.
#[cfg(unix)]
fn stopped_build(cwd: &Path) -> [std::path::PathBuf; 2] {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("pressroom"))
        .current_dir(cwd)
        .args(["build", "--no-cache", "--root", "site", "--out", "out"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let staging = cwd.join(format!(".out.building-{}", child.id()));
    let lock = cwd.join(format!(".out.building-{}.lock", child.id()));
    while !staging.join("articles").is_dir() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build ended before it was stopped"
        );
        std::thread::sleep(std::time::Duration::from_micros(200));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(staging.is_dir() && lock.is_file());
    [staging, lock]
}

/// An output name of 245 bytes failed with "could not remove
/// …building-N: File name too long", naming an action nobody asked for.
/// The name is refused before anything is made, saying how long it may be.
#[test]
fn an_output_name_too_long_for_the_names_beside_it_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    mksite(&dir.path().join("site"));
    build_in(dir.path(), &"p".repeat(245), &[])
        .code(2)
        .stderr(predicate::str::contains("is too long (245 bytes)").and(predicate::str::contains("at most 229 bytes")));
    assert_eq!(names(dir.path()), ["site"]);
    build_in(dir.path(), &"p".repeat(229), &["--no-cache"]).success();
}

/// An output folder that is a mount point (a Docker volume) can be neither
/// renamed nor exchanged: every build rendered the whole site and then failed
/// with "could not exchange … Device or resource busy". It is refused before
/// anything is made, saying what to do instead. (Mounting needs the rights
/// to mount; without them there is nothing to test.)
#[cfg(target_os = "linux")]
#[test]
fn an_output_that_is_a_mount_point_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    mksite(&dir.path().join("site"));
    let volume = dir.path().join("volume");
    std::fs::create_dir(&volume).unwrap();
    let mount = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "pressroom-test", volume.to_str().unwrap()])
        .stderr(std::process::Stdio::null())
        .status();
    if !mount.is_ok_and(|s| s.success()) {
        eprintln!("note: cannot mount here; the mount point case is not tested");
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(&volume);
    build_in(dir.path(), "volume", &[])
        .code(2)
        .stderr(predicate::str::contains("volume is a mount point").and(predicate::str::contains("--out volume/site")));
    assert_eq!(names(dir.path()), ["site", "volume"], "nothing is made beside it");
    assert!(names(&volume).is_empty(), "nothing is written into it");
    build_in(dir.path(), "volume/site", &[]).success();
    assert!(volume.join("site/index.html").is_file());
}

/// `keep_in_output` names entries at the top of the output, nothing else.
#[test]
fn keep_in_output_takes_only_plain_names() {
    let dir = tempfile::tempdir().unwrap();
    mksite_keeping(&dir.path().join("site"), "[CNAME, ../site]");
    build_in(dir.path(), "out", &[])
        .code(1)
        .stderr(predicate::str::contains(
            "error: keep_in_output: `../site` must be the name of an entry at the top of the output",
        ));
    assert_eq!(names(dir.path()), ["site"]);
}

/// `new` checked for an existing file, then wrote through whatever was
/// there: a broken link made it create a file wherever the link pointed.
#[cfg(unix)]
#[test]
fn new_never_writes_through_a_broken_link() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    write(&site.join("authors/jane-doe.yaml"), b"name: Jane Doe\n");
    std::fs::create_dir_all(site.join("articles/2024")).unwrap();
    let elsewhere = dir.path().join("elsewhere.md");
    std::os::unix::fs::symlink(&elsewhere, site.join("articles/2024/budget.md")).unwrap();
    pressroom()
        .args(["new", "Budget", "--date", "2024-05-06", "--root"])
        .arg(&site)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    assert!(!elsewhere.exists());
}
