//! The build manifest, files kept across builds, and `pressroom diff`
//! (docs/manifest.md, docs/cli.md#diff).

use crate::common::{build_ok, pressroom, read_tree, write};
use crate::output::mksite;
use pressroom::output::{MANIFEST, MARKER};
use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// The article whose body the tests edit, and its page.
pub(crate) const EDITED: &str = "articles/2024/who-pays-for-transmission.md";
pub(crate) const EDITED_PAGE: &str = "articles/who-pays-for-transmission/index.html";
/// An article no other links to, which the tests delete, and its page.
pub(crate) const DELETED: &str = "articles/2024/medicaid-unwinding-lessons.md";
pub(crate) const DELETED_PAGE: &str = "articles/medicaid-unwinding-lessons/index.html";

/// The sample archive in `dir/site`, built into `dir/out`.
fn built_site(dir: &Path) {
    mksite(&dir.join("site"));
    build_ok(&dir.join("site"), &dir.join("out"), &[]);
}

/// Adds a sentence to the edited article's body.
pub(crate) fn edit_article(site: &Path) {
    let path = site.join(EDITED);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\nA sentence added after the first build.\n")).unwrap();
}

/// The site's files in `out`: everything but the marker and the manifest.
pub(crate) fn site_files(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = read_tree(out);
    files.remove(MARKER);
    files.remove(MANIFEST);
    files
}

/// (inode, modification time in nanoseconds) of every site file in `out`.
pub(crate) fn identities(out: &Path) -> BTreeMap<String, (u64, i128)> {
    site_files(out)
        .into_keys()
        .map(|rel| {
            let m = std::fs::metadata(out.join(&rel)).unwrap();
            let id = (
                m.ino(),
                i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
            );
            (rel, id)
        })
        .collect()
}

/// What changed between two trees, as `pressroom diff` should print it.
pub(crate) fn expected_plain(old: &BTreeMap<String, Vec<u8>>, new: &BTreeMap<String, Vec<u8>>) -> String {
    let paths: std::collections::BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    let mut text = String::new();
    for path in paths {
        let sign = match (old.get(path), new.get(path)) {
            (None, Some(_)) => '+',
            (Some(_), None) => '-',
            (Some(a), Some(b)) if a != b => '~',
            _ => continue,
        };
        text.push_str(&format!("{sign} {path}\n"));
    }
    text
}

fn diff(cwd: &Path, args: &[&str]) -> std::process::Output {
    pressroom().current_dir(cwd).arg("diff").args(args).output().unwrap()
}

/// Unchanged files keep their inode and modification time; the edited page
/// and the pages that show it are new files, with the new text.
#[test]
fn unchanged_files_keep_their_inode_and_time_across_builds() {
    let dir = tempfile::tempdir().unwrap();
    built_site(dir.path());
    let out = dir.path().join("out");
    let (before, before_ids) = (site_files(&out), identities(&out));
    // Any file written again now gets a later time than the first build's.
    std::thread::sleep(std::time::Duration::from_millis(50));
    edit_article(&dir.path().join("site"));
    build_ok(&dir.path().join("site"), &out, &[]);
    let (after, after_ids) = (site_files(&out), identities(&out));
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>());
    let mut kept = 0;
    for (path, bytes) in &after {
        if before[path] == *bytes {
            assert_eq!(
                after_ids[path], before_ids[path],
                "{path} is unchanged but was written again"
            );
            kept += 1;
        } else {
            assert_ne!(after_ids[path].0, before_ids[path].0, "{path} changed in place");
            assert!(
                after_ids[path].1 > before_ids[path].1,
                "{path} changed but kept its time"
            );
        }
    }
    let page = String::from_utf8_lossy(&after[EDITED_PAGE]);
    assert!(page.contains("A sentence added after the first build."));
    assert!(kept > after.len() * 3 / 4, "only {kept} of {} files kept", after.len());
    // The old output is the spare beside it: each kept file has one name
    // there and one in the output.
    assert!(after
        .keys()
        .all(|p| std::fs::metadata(out.join(p)).unwrap().nlink() <= 2));
}

/// A file edited in the output after the build (same size, newer time) is
/// noticed and written again with the build's bytes.
#[test]
fn a_file_edited_in_the_output_is_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    built_site(dir.path());
    let out = dir.path().join("out");
    let built = std::fs::read(out.join("index.html")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(50));
    let mut edited = built.clone();
    let at = edited.iter().position(|&b| b == b'<').unwrap();
    edited[at] = b'{';
    std::fs::write(out.join("index.html"), &edited).unwrap();
    build_ok(&dir.path().join("site"), &out, &[]);
    assert_eq!(std::fs::read(out.join("index.html")).unwrap(), built);
}

/// The manifest lists exactly the site files on disk, with their sizes and
/// XXH3-128 hashes, one per line; a deleted article's page is gone.
#[test]
fn the_manifest_lists_exactly_the_files_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    built_site(dir.path());
    std::fs::remove_file(dir.path().join("site").join(DELETED)).unwrap();
    let out = dir.path().join("out");
    build_ok(&dir.path().join("site"), &out, &[]);
    let files = site_files(&out);
    assert!(!files.contains_key(DELETED_PAGE) && !out.join(DELETED_PAGE).exists());
    let text = std::fs::read_to_string(out.join(MANIFEST)).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(manifest["format"], 1);
    assert_eq!(manifest["hash"], "xxh3-128");
    let listed = manifest["files"].as_object().unwrap();
    assert_eq!(listed.keys().collect::<Vec<_>>(), files.keys().collect::<Vec<_>>());
    for (path, bytes) in &files {
        assert_eq!(listed[path]["size"], bytes.len(), "{path}");
        let hash = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes));
        assert_eq!(listed[path]["hash"], hash.as_str(), "{path}");
    }
    assert_eq!(text.lines().count(), files.len() + 2, "one line per file");
    // The marker counts the manifest as the build's: the next build replaces the folder.
    build_ok(&dir.path().join("site"), &out, &[]);
    assert_eq!(std::fs::read_to_string(out.join(MANIFEST)).unwrap(), text);
}

/// `diff` lists exactly the paths whose bytes differ, in both formats, for
/// folders and for a manifest file kept from a deploy.
#[test]
fn diff_lists_added_changed_and_removed_paths() {
    let dir = tempfile::tempdir().unwrap();
    built_site(dir.path());
    let (site, out) = (dir.path().join("site"), dir.path().join("out"));
    let old = site_files(&out);
    std::fs::copy(out.join(MANIFEST), dir.path().join("deployed.json")).unwrap();
    edit_article(&site);
    std::fs::remove_file(site.join(DELETED)).unwrap();
    write(&site.join("static/files/brief.txt"), b"A short brief.\n");
    build_ok(&site, &out, &[]);
    let new = site_files(&out);
    let expected = expected_plain(&old, &new);
    for needed in [
        format!("~ {EDITED_PAGE}\n"),
        format!("- {DELETED_PAGE}\n"),
        "+ files/brief.txt\n".to_string(),
    ] {
        assert!(expected.contains(&needed), "{needed}");
    }
    let plain = diff(dir.path(), &["deployed.json", "out"]);
    assert_eq!(plain.status.code(), Some(0));
    assert_eq!(String::from_utf8(plain.stdout).unwrap(), expected);
    let json = diff(dir.path(), &["deployed.json", "out/", "--format", "json"]);
    assert_eq!(json.status.code(), Some(0));
    let text = String::from_utf8(json.stdout).unwrap();
    assert_eq!(text.lines().count(), 1);
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    for (key, sign) in [("added", '+'), ("changed", '~'), ("removed", '-')] {
        let want: Vec<&str> = expected
            .lines()
            .filter(|l| l.starts_with(sign))
            .map(|l| &l[2..])
            .collect();
        assert_eq!(value[key], serde_json::json!(want), "{key}");
    }
    // A first deploy: nothing online yet, every file is added.
    let first = diff(dir.path(), &["--allow-missing-old", "online.json", "out"]);
    let all: String = new.keys().map(|p| format!("+ {p}\n")).collect();
    assert_eq!(
        (first.status.code(), String::from_utf8(first.stdout).unwrap()),
        (Some(0), all)
    );
    let same = diff(dir.path(), &["out", "out/.pressroom-manifest.json"]);
    assert_eq!((same.status.code(), same.stdout.as_slice()), (Some(0), &b""[..]));
}

/// `diff` prints one path a line, which a deploy reads back: a manifest
/// listing `files/x` + line break + `- index.html` (as one made from
/// `static/files/` once could) printed `+ files/x` and `- index.html`, and
/// the deploy deleted the home page. Such a manifest is refused, in either
/// place, with nothing on standard output.
#[test]
fn diff_refuses_a_path_that_would_print_as_two_lines() {
    let dir = tempfile::tempdir().unwrap();
    built_site(dir.path());
    let text = std::fs::read_to_string(dir.path().join("out").join(MANIFEST)).unwrap();
    let split = text.replacen("\"404.html\"", "\"files/x\\n- index.html\"", 1);
    assert_ne!(split, text);
    write(&dir.path().join("split.json"), split.as_bytes());
    for args in [["split.json", "out"], ["out", "split.json"]] {
        for format in ["plain", "json"] {
            let output = diff(dir.path(), &[args[0], args[1], "--format", format]);
            let stderr = String::from_utf8(output.stderr).unwrap();
            assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
            assert!(output.stdout.is_empty(), "{args:?}");
            assert!(
                stderr.starts_with(
                    "split.json:2:23: error: not a pressroom manifest: `files/x\\n- index.html` holds a control character or line separator, which no path of the output may"
                ),
                "{stderr}"
            );
        }
    }
}

/// A missing or damaged manifest is a diagnostic with its code and place,
/// exit status 1 and nothing on standard output; a build over an output
/// whose manifest is damaged still keeps unchanged files.
#[test]
fn missing_and_corrupt_manifests_are_diagnosed() {
    let dir = tempfile::tempdir().unwrap();
    built_site(dir.path());
    let out = dir.path().join("out");
    let text = std::fs::read_to_string(out.join(MANIFEST)).unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    // The first hash digit of the second line (the first file) made `z`.
    let mut flipped = text.clone().into_bytes();
    let first_line = text.find('\n').unwrap() + 1;
    flipped[first_line + text[first_line..].find("\"hash\":\"").unwrap() + 8] = b'z';
    write(&dir.path().join("flipped.json"), &flipped);
    write(&dir.path().join("cut.json"), &text.as_bytes()[..text.len() / 2]);
    write(
        &dir.path().join("future.json"),
        text.replacen("\"format\":1", "\"format\":2", 1).as_bytes(),
    );
    let cases: [(&str, &str); 5] = [
        ("nowhere", "OLD: error: nowhere does not exist"),
        ("empty", "OLD: error: empty has no .pressroom-manifest.json"),
        ("flipped.json", "flipped.json:2:"),
        ("cut.json", "cut.json:"),
        (
            "future.json",
            "future.json:1:11: error: not a pressroom manifest: manifest format 2 is not known",
        ),
    ];
    for (old, message) in cases {
        let output = diff(dir.path(), &[old, "out"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{old}: {stderr}");
        assert!(output.stdout.is_empty(), "{old}");
        assert!(stderr.starts_with(message), "{old}: {stderr}");
        assert!(!stderr.contains("panicked"), "{old}: {stderr}");
        assert!(stderr.ends_with("1 error, 0 warnings\n"), "{old}: {stderr}");
    }
    // Only a path that does not exist is an empty build.
    let no_manifest = diff(dir.path(), &["--allow-missing-old", "empty", "out"]);
    assert_eq!(no_manifest.status.code(), Some(1));
    let github = pressroom()
        .current_dir(dir.path())
        .env("GITHUB_ACTIONS", "true")
        .args(["diff", "out", "cut.json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&github.stdout);
    assert!(stdout.starts_with("::error file=cut.json,line="), "{stdout}");
    assert!(stdout.contains("title=invalid-manifest::"), "{stdout}");
    let flipped = String::from_utf8(diff(dir.path(), &["flipped.json", "out"]).stderr).unwrap();
    assert!(
        flipped.contains("error: not a pressroom manifest: hash `z"),
        "{flipped}"
    );
    // A build reads a damaged manifest as none: bytes are compared instead.
    let ids = identities(&out);
    std::fs::write(out.join(MANIFEST), &text[..text.len() / 2]).unwrap();
    build_ok(&dir.path().join("site"), &out, &[]);
    assert_eq!(identities(&out), ids);
    assert_eq!(std::fs::read_to_string(out.join(MANIFEST)).unwrap(), text);
}
