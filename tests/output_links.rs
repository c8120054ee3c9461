//! Names beside and inside the output that a build treats as its own
//! (leftover folders, their lock files, the spare's mark) may be links,
//! named pipes or a user's files: a build never removes or writes through
//! a link, never waits on a pipe, and leaves a file that is not its own
//! (docs/guarantees.md, "Output folder").

use crate::common::{build_ok, read_tree, write};
use crate::output::mksite;
use std::path::Path;

/// What a build's lock file says once its claim is made.
const LOCK_TEXT: &str = "# Held by a running `pressroom build`; the folders of this name are its own.\n";

/// A folder outside the output with files in it, and what it holds.
fn victim(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    write(&dir.join("victim/a.txt"), b"mine\n");
    write(&dir.join("victim/sub/b.txt"), b"also mine\n");
    read_tree(&dir.join("victim"))
}

/// A leftover's name that is a link (with a finished lock file beside it,
/// as a build's own) is removed as a link: the folder it points to keeps
/// every file. The same for a spare that is a link.
#[test]
fn a_leftover_or_spare_that_is_a_link_is_removed_as_a_link() {
    let d = tempfile::tempdir().unwrap();
    let (root, out) = (d.path().join("site"), d.path().join("pub"));
    mksite(&root);
    let before = victim(d.path());
    write(&d.path().join(".pub.building-5.lock"), LOCK_TEXT.as_bytes());
    std::os::unix::fs::symlink(d.path().join("victim"), d.path().join(".pub.old-5")).unwrap();
    build_ok(&root, &out, &["--no-cache"]);
    assert_eq!(read_tree(&d.path().join("victim")), before);
    assert!(
        d.path().join(".pub.old-5").symlink_metadata().is_err(),
        "the link is gone"
    );
    write(
        &d.path().join("victim/.pressroom-spare"),
        b"# The output `pressroom build` replaced last, kept to be updated and swapped in by the next build.\n",
    );
    let before = read_tree(&d.path().join("victim"));
    std::fs::remove_dir_all(d.path().join(".pub.spare")).ok();
    std::os::unix::fs::symlink(d.path().join("victim"), d.path().join(".pub.spare")).unwrap();
    crate::manifest::edit_article(&root);
    build_ok(&root, &out, &[]);
    assert_eq!(read_tree(&d.path().join("victim")), before);
}

/// Files of the user's named like a build's lock files, but holding
/// something else, stay; a named pipe in one's place is not waited on.
#[test]
fn files_named_like_lock_files_stay_and_pipes_are_not_waited_on() {
    use rustix::fs::{mknodat, FileType, Mode, CWD};
    let d = tempfile::tempdir().unwrap();
    let (root, out) = (d.path().join("site"), d.path().join("pub"));
    mksite(&root);
    write(&d.path().join(".pub.building-7.lock"), b"notes\n");
    write(&d.path().join(".pub.building-9.lock"), b"other\n");
    mknodat(
        CWD,
        d.path().join(".pub.building-11.lock"),
        FileType::Fifo,
        Mode::from_raw_mode(0o444),
        0,
    )
    .unwrap();
    let output = crate::common::pressroom()
        .args(["build", "--no-cache", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        std::fs::read(d.path().join(".pub.building-7.lock")).unwrap(),
        b"notes\n"
    );
    assert_eq!(
        std::fs::read(d.path().join(".pub.building-9.lock")).unwrap(),
        b"other\n"
    );
}

/// `--force` replaces an output holding a spare's mark that is a link to
/// a file outside: the link goes, the file it points to keeps its bytes.
#[test]
fn a_mark_that_is_a_link_is_never_written_through() {
    let d = tempfile::tempdir().unwrap();
    let (root, out) = (d.path().join("site"), d.path().join("pub"));
    mksite(&root);
    write(&d.path().join("victim/v.txt"), b"mine\n");
    build_ok(&root, &out, &["--no-cache"]);
    std::os::unix::fs::symlink(d.path().join("victim/v.txt"), out.join(".pressroom-spare")).unwrap();
    build_ok(&root, &out, &["--no-cache", "--force"]);
    assert_eq!(std::fs::read(d.path().join("victim/v.txt")).unwrap(), b"mine\n");
}

/// A build that finds nothing changed leaves the output alone, but still
/// clears what a stopped build left beside it, as any other build does.
#[test]
fn a_build_finding_nothing_changed_still_clears_leftovers() {
    let d = tempfile::tempdir().unwrap();
    let (root, out) = (d.path().join("site"), d.path().join("pub"));
    mksite(&root);
    let cache = d.path().join("cache");
    let with_cache = ["--cache", cache.to_str().unwrap()];
    build_ok(&root, &out, &with_cache);
    write(&d.path().join(".pub.building-5.lock"), LOCK_TEXT.as_bytes());
    write(&d.path().join(".pub.building-5/index.html"), b"half a site\n");
    let stderr = build_ok(&root, &out, &with_cache);
    assert!(stderr.contains("nothing changed"), "{stderr}");
    assert!(!d.path().join(".pub.building-5").exists(), "the leftover is gone");
    assert!(!d.path().join(".pub.building-5.lock").exists());
}

/// The output's marker says which names in the folder a build made. One
/// that is a link (to another output's marker) or a named pipe is no
/// marker: the folder is refused as not a build's, nothing in it is
/// replaced, and the build does not wait on the pipe.
#[test]
fn a_marker_that_is_a_link_or_a_pipe_makes_no_folder_ours() {
    use rustix::fs::{mknodat, FileType, Mode, CWD};
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("site");
    mksite(&root);
    let real = d.path().join("real");
    build_ok(&root, &real, &["--no-cache"]);
    for (name, make) in [
        (
            "linked",
            (|dir: &Path, real: &Path| {
                std::os::unix::fs::symlink(real.join(".pressroom-output"), dir.join(".pressroom-output")).unwrap()
            }) as fn(&Path, &Path),
        ),
        ("piped", |dir: &Path, _: &Path| {
            mknodat(
                CWD,
                dir.join(".pressroom-output"),
                FileType::Fifo,
                Mode::from_raw_mode(0o644),
                0,
            )
            .unwrap()
        }),
    ] {
        let out = d.path().join(name);
        write(&out.join("index.html"), b"the user's own page\n");
        write(&out.join("articles/notes.txt"), b"the user's notes\n");
        make(&out, &real);
        let before = read_tree(&out.join("articles"));
        let output = crate::common::pressroom()
            .args(["build", "--no-cache", "--root"])
            .arg(&root)
            .arg("--out")
            .arg(&out)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"the user's own page\n");
        assert_eq!(read_tree(&out.join("articles")), before, "{name}");
    }
}
