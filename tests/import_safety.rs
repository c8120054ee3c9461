//! `pressroom import` never harms a file it was not asked to write: paths a
//! source post names are kept inside the source's static folders and the
//! output's static/, `--force` replaces only what an import wrote, and a
//! named pipe in the source is refused rather than waited on.

use crate::common::pressroom;
use std::path::Path;

fn put(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A Hugo source whose one post has `image` as its lead image.
fn hugo_source(root: &Path, image: &str) {
    put(root, "hugo.toml", "title = \"H\"\nbaseURL = \"https://h.example/\"\n");
    put(root, "static/files/notes.txt", "notes\n");
    put(
        root,
        "content/posts/t.md",
        &format!("---\ntitle: T\nauthor: A\ndate: 2020-01-01\nimage: {image}\n---\nbody\n"),
    );
}

fn run_import(args: &[&str], out: &Path) -> std::process::Output {
    pressroom()
        .arg("import")
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .expect("pressroom runs")
}

#[test]
fn a_percent_encoded_absolute_path_does_not_empty_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    put(&root, "victim.txt", "IMPORTANT CONTENT\n");
    put(&root, "src/_config.yml", "title: J\nurl: https://j.example\n");
    let victim = root.join("victim.txt");
    put(
        &root,
        "src/_posts/2020-01-01-t.md",
        &format!(
            "---\ntitle: T\nauthor: A\nimage: /%2F{}\n---\nbody\n",
            victim.to_str().unwrap().trim_start_matches('/')
        ),
    );
    run_import(
        &["jekyll", root.join("src").to_str().unwrap()],
        &root.join("elsewhere/out"),
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "IMPORTANT CONTENT\n");
}

/// Jekyll publishes its source folder but `_` and `.` names: a post
/// pointing at `/_config.yml` or `/.env` had them copied into `static/`,
/// and the next build published the old site's settings.
#[test]
fn files_the_old_site_never_published_are_not_copied() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(root, "src/_config.yml", "title: J\nurl: https://j.example\n");
    put(root, "src/.env", "SECRET=1\n");
    put(root, "src/_data/people.png", "not an image of the site\n");
    put(root, "src/images/fine.png", "PNG\n");
    let post = "---\ntitle: T\nauthor: A\n---\n![a](/_config.yml) ![b](/.env) ![c](/_data/people.png) ![d](/images/fine.png)\n";
    put(root, "src/_posts/2020-01-01-t.md", post);
    let out = root.join("site");
    run_import(&["jekyll", root.join("src").to_str().unwrap()], &out);
    for never in ["static/_config.yml", "static/.env", "static/_data/people.png"] {
        assert!(!out.join(never).exists(), "{never} was copied");
    }
    assert!(out.join("static/images/fine.png").is_file());
}

#[test]
fn encoded_dot_dot_stays_inside_source_and_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(root, "important.png", "PRECIOUS\n");
    hugo_source(&root.join("src"), "/%2e%2e/%2e%2e/important.png");
    run_import(&["hugo", root.join("src").to_str().unwrap()], &root.join("site"));
    assert_eq!(
        std::fs::read_to_string(root.join("important.png")).unwrap(),
        "PRECIOUS\n"
    );
    run_import(&["hugo", root.join("src").to_str().unwrap()], &root.join("out/site"));
    assert!(
        !root.join("out/important.png").exists(),
        "a file was written outside the output"
    );
    assert!(!root.join("out/site/important.png").exists());
}

#[test]
fn force_leaves_a_hand_made_site_alone() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mysite = root.join("mysite");
    pressroom().arg("init").arg(&mysite).assert().code(0);
    put(&mysite, "static/images/logo.png", "MINE\n");
    let before = crate::common::read_tree(&mysite);
    hugo_source(&root.join("src"), "/images/logo.png");
    put(root, "src/static/images/logo.png", "THEIRS\n");
    let output = run_import(&["hugo", "--force", root.join("src").to_str().unwrap()], &mysite);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("site.yaml") && stderr.contains("static/images/logo.png"),
        "{stderr}"
    );
    assert_eq!(
        crate::common::read_tree(&mysite),
        before,
        "the hand-made site was changed"
    );
}

#[test]
fn force_replaces_what_an_import_wrote_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let src = root.join("src");
    hugo_source(&src, "/images/a.png");
    put(&src, "static/images/a.png", "A\n");
    let out = root.join("site");
    assert_eq!(
        run_import(&["hugo", src.to_str().unwrap()], &out).status.code(),
        Some(0)
    );
    assert!(out.join("static/images/a.png").is_file());
    // The user adds a file of their own; a link takes site.yaml's place.
    put(&out, "static/mine.txt", "MINE\n");
    put(root, "victim.txt", "VICTIM\n");
    std::fs::remove_file(out.join("site.yaml")).unwrap();
    std::os::unix::fs::symlink("../victim.txt", out.join("site.yaml")).unwrap();
    // The post now has another name and another image.
    std::fs::remove_file(src.join("content/posts/t.md")).unwrap();
    std::fs::remove_file(src.join("static/images/a.png")).unwrap();
    hugo_source(&src, "/images/b.png");
    std::fs::rename(src.join("content/posts/t.md"), src.join("content/posts/u.md")).unwrap();
    put(&src, "static/images/b.png", "B\n");
    let output = run_import(&["hugo", "--force", src.to_str().unwrap()], &out);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(std::fs::read_to_string(root.join("victim.txt")).unwrap(), "VICTIM\n");
    assert!(!out
        .join("site.yaml")
        .symlink_metadata()
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_to_string(out.join("static/mine.txt")).unwrap(), "MINE\n");
    assert!(
        !out.join("static/images/a.png").exists(),
        "the earlier import's image stayed"
    );
    assert!(
        !out.join("articles/2020/t.md").exists(),
        "the earlier import's article stayed"
    );
    assert!(out.join("static/images/b.png").is_file() && out.join("articles/2020/u.md").is_file());
}

/// `--force` trusts only a list that is a file in the output itself: a
/// link to another import's list made it remove the user's own files; and
/// it checks every folder on the way before it removes anything (it
/// removed the articles, then refused at a linked `static/`).
#[test]
fn force_refuses_a_linked_list_or_folder_before_removing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let src = root.join("src");
    hugo_source(&src, "/images/a.png");
    put(&src, "static/images/a.png", "A\n");
    let other = root.join("other");
    assert_eq!(
        run_import(&["hugo", src.to_str().unwrap()], &other).status.code(),
        Some(0)
    );
    // A hand-made site whose list is a link to the other import's.
    let hand = root.join("hand");
    crate::common::pressroom()
        .args(["init", "-q"])
        .arg(&hand)
        .assert()
        .success();
    put(&hand, "articles/2020/t.md", "the user's own\n");
    std::os::unix::fs::symlink(other.join(".pressroom-import"), hand.join(".pressroom-import")).unwrap();
    let before = crate::common::read_tree(&hand);
    let output = run_import(&["hugo", "--force", src.to_str().unwrap()], &hand);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not a regular file"));
    assert_eq!(crate::common::read_tree(&hand), before, "the hand-made site changed");
    // The import's own output with `static/` made a link: nothing removed.
    let outside = root.join("outside");
    std::fs::rename(other.join("static"), &outside).unwrap();
    std::os::unix::fs::symlink(&outside, other.join("static")).unwrap();
    let before = crate::common::read_tree(&other);
    let output = run_import(&["hugo", "--force", src.to_str().unwrap()], &other);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        crate::common::read_tree(&other),
        before,
        "files were removed before the refusal"
    );
    assert!(outside.join("images/a.png").is_file());
}

fn fifo(path: &Path) {
    use rustix::fs::{mknodat, FileType, Mode, CWD};
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    mknodat(CWD, path, FileType::Fifo, Mode::from_raw_mode(0o644), 0).unwrap();
}

/// A named pipe given or found where the import reads a file is refused
/// (or passed over, for a file it only looks at), never waited on.
#[test]
fn named_pipes_in_the_source_are_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let src = root.join("src");
    hugo_source(&src, "/files/notes.txt");
    fifo(&root.join("map.yaml"));
    fifo(&root.join("team.yaml"));
    fifo(&src.join("package.json"));
    fifo(&src.join("README.md"));
    // Without a title in the config, the README's first heading is looked for.
    put(&src, "hugo.toml", "baseURL = \"https://h.example/\"\n");
    let (map, team) = (root.join("map.yaml"), root.join("team.yaml"));
    let src = src.to_str().unwrap();
    let cases: [(&[&str], i32); 3] = [
        (&["--shortcodes", map.to_str().unwrap(), src], 2),
        (&["--authors", team.to_str().unwrap(), "hugo", src], 2),
        (&[src], 0),
    ];
    for (n, (args, code)) in cases.into_iter().enumerate() {
        let output = pressroom()
            .arg("import")
            .args(args)
            .arg("--out")
            .arg(root.join(format!("out{n}")))
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{args:?}: {stderr}");
        if code == 2 {
            assert!(stderr.contains("not a regular file"), "{stderr}");
        }
    }
}

/// A full stdout is an error reported on stderr (exit 2), never a panic.
#[test]
fn a_full_stdout_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    hugo_source(&src, "/files/notes.txt");
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("pressroom"))
        .args(["import", "hugo"])
        .arg(&src)
        .arg("--out")
        .arg(dir.path().join("site"))
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("summary could not be written") && !stderr.contains("panicked"),
        "{stderr}"
    );
}

/// A relative Hugo `baseURL` means the address is unknown (said, with what
/// to pass); a protocol-relative one is read as https; a `--base-url`
/// without its scheme is refused; a lead image the source lacks on an
/// http:// site is left out, not written as an address check rejects.
#[test]
fn base_urls_are_full_addresses_or_said_to_be_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let src = root.join("src");
    hugo_source(&src, "/images/gone.png");
    put(&src, "content/about.md", "---\ntitle: About\n---\nAbout us.\n");
    put(
        &src,
        "content/posts/t.md",
        "---\ntitle: T\nauthor: A\ndate: 2020-01-01\nimage: /images/gone.png\n---\nSee [about](/about/).\n",
    );
    let cases = [
        ("/", None),
        ("//example.org/", Some("https://example.org/")),
        ("http://old.example/", Some("http://old.example/")),
    ];
    for (n, (base, expected)) in cases.into_iter().enumerate() {
        put(&src, "hugo.toml", &format!("title = \"H\"\nbaseURL = \"{base}\"\n"));
        let out = root.join(format!("out{n}"));
        let output = run_import(&["hugo", src.to_str().unwrap()], &out);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{base}: {stderr}");
        let site = std::fs::read_to_string(out.join("site.yaml")).unwrap();
        let article = std::fs::read_to_string(out.join("articles/2020/t.md")).unwrap();
        assert!(!article.contains(":///"), "{base}: {article}");
        match expected {
            Some(url) => assert!(site.contains(&format!("base_url: {url}")), "{base}: {site}"),
            None => assert!(stderr.contains("pass it as --base-url"), "{base}: {stderr}"),
        }
    }
    let output = run_import(
        &["hugo", "--base-url", "example.org", src.to_str().unwrap()],
        &root.join("out9"),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--base-url https://example.org"), "{stderr}");
}

/// A page bundle's image and the static folder's file of the same new
/// path are both kept: the second gets a free name, and a warning says so.
#[test]
fn two_files_for_one_static_path_are_both_kept() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    hugo_source(&src, "/images/x/photo.jpg");
    put(&src, "static/images/x/photo.jpg", "STATIC\n");
    put(
        &src,
        "content/posts/x/index.md",
        "---\ntitle: X\nauthor: A\ndate: 2020-01-02\nimage: photo.jpg\n---\nbody\n",
    );
    put(&src, "content/posts/x/photo.jpg", "BUNDLE\n");
    let out = dir.path().join("site");
    let output = run_import(&["hugo", src.to_str().unwrap()], &out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let copied: Vec<String> = ["static/images/x/photo.jpg", "static/images/x/photo-2.jpg"]
        .iter()
        .map(|rel| std::fs::read_to_string(out.join(rel)).unwrap())
        .collect();
    assert!(
        copied.contains(&"STATIC\n".to_string()) && copied.contains(&"BUNDLE\n".to_string()),
        "{copied:?}"
    );
    assert!(stderr.contains("is copied to static/images/x/photo-2.jpg"), "{stderr}");
    // Each article shows its own file.
    for (article, text) in [("articles/2020/x.md", "BUNDLE\n"), ("articles/2020/t.md", "STATIC\n")] {
        let front = std::fs::read_to_string(out.join(article)).unwrap();
        let src = front.split("src: /").nth(1).and_then(|s| s.lines().next()).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("static").join(src)).unwrap(),
            text,
            "{article}"
        );
    }
}

/// A file whose name is not UTF-8 is passed over with a warning naming it,
/// not the end of the import.
#[test]
fn a_name_that_is_not_utf8_is_passed_over() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    hugo_source(&src, "/files/notes.txt");
    let odd = src
        .join("content/posts")
        .join(std::ffi::OsStr::from_bytes(b"caf\xe9.md"));
    std::fs::write(odd, "---\ntitle: C\n---\nbody\n").unwrap();
    let output = run_import(&["hugo", src.to_str().unwrap()], &dir.path().join("site"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("`content/posts/caf?.md` is passed over"), "{stderr}");
}

/// An `--authors` file that cannot be read is named in the error.
#[test]
fn a_bad_authors_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    hugo_source(&src, "/files/notes.txt");
    for (name, text) in [("team.yaml", "a: [\n"), ("team.toml", "[[x]\n"), ("team.json", "{")] {
        let team = dir.path().join(name);
        std::fs::write(&team, text).unwrap();
        let output = run_import(
            &["hugo", "--authors", team.to_str().unwrap(), src.to_str().unwrap()],
            &dir.path().join("site"),
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(&format!("--authors {}", team.display())), "{stderr}");
    }
}
