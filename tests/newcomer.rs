//! A newcomer's first hour: `init`, `new` and `build` from an empty folder,
//! a folder that is no site, and `theme export`.

use crate::common::{pressroom, read_tree, repo_root, site, write, AUTHOR};
use predicates::prelude::*;

/// `pressroom init DIR` in a fresh temporary folder; returns (tmp, site path).
pub(crate) fn init_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("mysite");
    pressroom()
        .arg("init")
        .arg(&dir)
        .assert()
        .success()
        .stderr(predicate::str::contains("Created a new site in"));
    (tmp, dir)
}

pub(crate) fn stderr_of(cmd: &mut assert_cmd::Command) -> (Option<i32>, String) {
    let out = cmd.output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Why: the closing hint printed the folder as it was, so `init "my
/// site"` suggested `cd my site && pressroom serve`, which fails.
#[test]
fn init_quotes_the_folder_in_its_closing_hint() {
    let tmp = tempfile::tempdir().unwrap();
    pressroom()
        .current_dir(tmp.path())
        .args(["init", "my site"])
        .assert()
        .success()
        .stderr(predicate::str::contains("Next: cd 'my site' && pressroom serve\n"));
}

#[test]
fn init_makes_a_site_that_builds_with_no_errors_and_no_warnings() {
    let (_tmp, dir) = init_site();
    let (code, stderr) = stderr_of(pressroom().current_dir(&dir).arg("build"));
    assert_eq!(code, Some(0), "{stderr}");
    // With a JSON Feed beside each of the 3 Atom feeds, each article's .bib
    // and .ris, and search (its page, script, manifest, filter data, one
    // term chunk and an excerpt per article): 17 + 3 + 4 + 7.
    assert!(
        stderr.starts_with("Built 2 articles, 1 author, 1 topic (31 files) in "),
        "{stderr}"
    );
    assert!(!stderr.contains("warning") && !stderr.contains("error"), "{stderr}");
    // The two starter articles cross-reference each other.
    let fixes = std::fs::read_to_string(dir.join("public/articles/three-fixes/index.html")).unwrap();
    assert!(
        fixes.contains("href=\"/articles/starter-homes/#rules-that-add-up\""),
        "link rewritten"
    );
    let homes = std::fs::read_to_string(dir.join("public/articles/starter-homes/index.html")).unwrap();
    assert!(homes.contains("href=\"/articles/three-fixes/\""), "the link back");
    let ignore = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert!(ignore.contains("/public/") && ignore.contains("/.pressroom-cache/"));
    let config = std::fs::read_to_string(dir.join("site.yaml")).unwrap();
    assert!(
        config.lines().filter(|l| l.starts_with('#')).count() >= 8,
        "site.yaml is commented"
    );
}

/// What builds leave beside the sources (the output, the spare beside it,
/// the cache) is ignored by git, so it cannot be committed by mistake.
#[test]
fn what_builds_leave_is_ignored_by_git() {
    let (_tmp, dir) = init_site();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(&dir)
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    git(&["init", "-q"]);
    // The build after an edit swaps the first one's output out as the spare.
    for edit in [false, true] {
        if edit {
            let article = walkdir::WalkDir::new(dir.join("articles"))
                .into_iter()
                .map(Result::unwrap)
                .find(|e| e.path().extension().is_some_and(|x| x == "md"))
                .expect("a starter article");
            let text = std::fs::read_to_string(article.path()).unwrap();
            write(article.path(), format!("{text}\nOne more line.\n").as_bytes());
        }
        let (code, stderr) = stderr_of(pressroom().current_dir(&dir).arg("build"));
        assert_eq!(code, Some(0), "{stderr}");
    }
    assert!(dir.join(".public.spare").is_dir(), "a spare beside the output");
    let untracked = git(&["status", "--porcelain", "--untracked-files=all"]);
    for line in untracked.lines() {
        let path = line.trim_start_matches("?? ");
        assert!(
            !path.starts_with("public/") && !path.starts_with(".public.") && !path.starts_with(".pressroom-cache/"),
            "not ignored: {path}"
        );
    }
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_force_keeps_existing_files() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("notes.txt"), b"mine\n");
    pressroom()
        .arg("init")
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not empty (it holds notes.txt)"))
        .stderr(predicate::str::contains("--force"));
    assert_eq!(read_tree(tmp.path()).len(), 1, "nothing was created");

    write(&tmp.path().join("site.yaml"), b"title: Mine\n");
    pressroom()
        .args(["init", "--force"])
        .arg(tmp.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "note: kept the existing site.yaml; it was not overwritten",
        ));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("site.yaml")).unwrap(),
        "title: Mine\n"
    );
    assert_eq!(std::fs::read_to_string(tmp.path().join("notes.txt")).unwrap(), "mine\n");
    assert!(tmp.path().join("articles/three-fixes.md").exists());
}

#[test]
fn init_new_build_succeeds_and_new_takes_the_only_author() {
    let (_tmp, dir) = init_site();
    pressroom()
        .current_dir(&dir)
        .args(["new", "My First Article"])
        .assert()
        .success()
        .stderr(predicate::str::contains("author: jordan-lee, the site's only author"));
    let (code, stderr) = stderr_of(pressroom().current_dir(&dir).arg("build"));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("; 1 draft skipped"), "{stderr}");
    let (code, stderr) = stderr_of(pressroom().current_dir(&dir).args(["build", "--drafts"]));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.starts_with("Built 3 articles"), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn a_draft_new_wrote_without_authors_builds_with_a_warning() {
    // Why: `new` wrote `authors: []` and the next build failed.
    let s = site(&[AUTHOR, ("authors/john-roe.yaml", "name: John Roe\n")]);
    pressroom()
        .args(["new", "Untitled Thoughts", "--date", "2024-05-06", "--root"])
        .arg(s.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("note: add at least one author slug"));
    let (code, stderr) = stderr_of(pressroom().args(["build", "--drafts", "--root"]).arg(s.path()));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("articles/2024/untitled-thoughts.md:4:1: warning: draft has no authors yet"),
        "{stderr}"
    );
    // Published without authors, it is an error at the key.
    let path = s.path().join("articles/2024/untitled-thoughts.md");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("draft: true", "draft: false");
    std::fs::write(&path, text).unwrap();
    let (code, stderr) = stderr_of(pressroom().args(["build", "--root"]).arg(s.path()));
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("articles/2024/untitled-thoughts.md:4:1: error: missing required key `authors`"),
        "{stderr}"
    );
}

#[test]
fn new_refuses_a_taken_slug_and_warns_about_a_misspelt_topic() {
    let s = site(&[
        AUTHOR,
        ("topics/budgets.yaml", "name: Budgets\n"),
        (
            "articles/2023/outlook.md",
            "---\ntitle: Outlook\ndate: 2023-01-02\nauthors: jane-doe\n---\nx\n",
        ),
    ]);
    // The new article would take the older one's URL: refused.
    pressroom()
        .args(["new", "Outlook", "--date", "2024-05-06", "--root"])
        .arg(s.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: articles/2023/outlook.md already has the slug `outlook`",
        ));
    pressroom()
        .args(["new", "Outlook 2024", "--topic", "Budgts", "--date", "2024-05-06", "--root"])
        .arg(s.path())
        .assert()
        .success()
        .stdout("articles/2024/outlook-2024.md\n")
        .stderr(predicate::str::contains(
            "warning: topic `Budgts` is new to this site (no file in topics/ and no article names it); did you mean `Budgets`?",
        ));
    pressroom()
        .args(["new", "Other", "--topic", "budgets", "--root"])
        .arg(s.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("topic").not());
}

#[test]
fn new_dates_articles_with_the_local_date() {
    // POSIX TZ strings: UTC-14 is fourteen hours ahead of UTC, UTC+12 twelve
    // behind; at any moment at least one of them is on another day than UTC.
    for (tz, hours) in [("UTC-14", 14i64), ("UTC+12", -12)] {
        let s = site(&[AUTHOR]);
        let out = pressroom()
            .env("TZ", tz)
            .args(["new", "Dated", "--root"])
            .arg(s.path())
            .output()
            .unwrap();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let day = (now + hours * 3600).div_euclid(86_400);
        let expected = civil_date(day);
        let rel = String::from_utf8(out.stdout).unwrap();
        let text = std::fs::read_to_string(s.path().join(rel.trim())).unwrap();
        assert!(text.contains(&format!("date: {expected}\n")), "TZ={tz}: {text}");
    }
}

/// `YYYY-MM-DD` of a day number since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[test]
fn a_folder_that_is_no_site_is_refused_and_nothing_is_created() {
    for files in [&[][..], &[("notes.txt", "hello\n")][..]] {
        let tmp = tempfile::tempdir().unwrap();
        for (path, text) in files {
            write(&tmp.path().join(path), text.as_bytes());
        }
        let before = read_tree(tmp.path());
        for command in [
            &["build"][..],
            &["check"],
            &["serve", "--port", "0"],
            &["new", "A title"],
        ] {
            pressroom()
                .current_dir(tmp.path())
                .args(command)
                .assert()
                .code(2)
                .stderr(predicate::str::contains(
                    "error: the current folder is not a pressroom site: it has no site.yaml and no articles/ folder\n\
                     hint: run `pressroom init` to start a site here, or pass --root with the site's folder\n",
                ));
        }
        assert_eq!(read_tree(tmp.path()), before);
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            files.len(),
            "no folder created"
        );
    }
}

#[test]
fn root_that_is_a_file_is_not_a_folder() {
    let s = site(&[AUTHOR]);
    pressroom()
        .args(["build", "--root"])
        .arg(s.path().join("site.yaml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("site.yaml is a file, not a folder"));
}

#[test]
fn theme_export_copies_the_built_in_files_and_keeps_existing_ones() {
    let (_tmp, dir) = init_site();
    pressroom()
        .current_dir(&dir)
        .args(["build", "--out", "before"])
        .assert()
        .success();
    write(
        &dir.join("templates/404.html"),
        b"{% extends \"base.html\" %}{% block content %}Mine{% endblock content %}",
    );
    pressroom()
        .current_dir(&dir)
        .args(["theme", "export"])
        .assert()
        .success()
        .stderr(predicate::str::contains("note: kept the existing templates/404.html"));
    for name in ["base.html", "article.html", "atom.xml"] {
        let exported = std::fs::read(dir.join("templates").join(name)).unwrap();
        assert_eq!(
            exported,
            std::fs::read(repo_root().join("templates").join(name)).unwrap(),
            "{name}"
        );
    }
    assert_eq!(
        std::fs::read(dir.join("static/style.css")).unwrap(),
        std::fs::read(repo_root().join("static/style.css")).unwrap()
    );
    std::fs::remove_file(dir.join("templates/404.html")).unwrap();
    pressroom()
        .current_dir(&dir)
        .args(["theme", "export"])
        .assert()
        .success();
    // The exported files are the built-in ones: the site builds the same,
    // and overridden theme files are counted once.
    let (code, stderr) = stderr_of(pressroom().current_dir(&dir).args(["build", "--out", "after"]));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("(31 files)"), "{stderr}");
    assert_eq!(read_tree(&dir.join("before")), read_tree(&dir.join("after")));
}
