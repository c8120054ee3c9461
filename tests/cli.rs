//! The command line: help, exit statuses, `check` and `new`.

use crate::common::{article, pressroom, site, AUTHOR};
use predicates::prelude::*;

#[test]
fn every_command_has_help() {
    for command in ["build", "check", "new"] {
        pressroom()
            .args([command, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("--root"));
    }
    pressroom()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("build"));
}

#[test]
fn usage_errors_exit_with_2() {
    pressroom().args(["build", "--no-such-flag"]).assert().code(2);
    pressroom()
        .args(["build", "--root", "/no/such/folder"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: site folder /no/such/folder does not exist",
        ));
}

#[test]
fn check_writes_nothing_and_reports_success() {
    let s = site(&[
        AUTHOR,
        (
            "articles/a.md",
            &article("title: A\ndate: 2024-01-02\nauthors: jane-doe\n", "Hi.\n"),
        ),
    ]);
    pressroom()
        .args(["check", "--root"])
        .arg(s.path())
        .assert()
        .success()
        .stderr("Checked 1 article, 1 author, 0 topics: no errors\n");
    assert!(!s.path().join("public").exists());
}

#[test]
fn build_refuses_to_overwrite_the_site_itself() {
    let s = site(&[AUTHOR]);
    // `i18n/` was missing from the sources' list: `--force` replaced it.
    crate::common::write(&s.path().join("i18n/en.yaml"), b"related: More\n");
    for (folder, force) in [("static", None), ("i18n", Some("--force"))] {
        pressroom()
            .args(["build", "--root"])
            .arg(s.path())
            .arg("--out")
            .arg(s.path().join(folder))
            .args(force)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("refusing to use"));
    }
    assert_eq!(
        std::fs::read(s.path().join("i18n/en.yaml")).unwrap(),
        b"related: More\n"
    );
}

#[test]
fn new_creates_a_draft_that_builds() {
    let s = site(&[AUTHOR]);
    pressroom()
        .args([
            "new",
            "Budget Rules: What Works?",
            "--author",
            "jane-doe",
            "--topic",
            "Budgets",
            "--date",
            "2024-05-06",
        ])
        .arg("--root")
        .arg(s.path())
        .assert()
        .success()
        .stdout("articles/2024/budget-rules-what-works.md\n");
    let text = std::fs::read_to_string(s.path().join("articles/2024/budget-rules-what-works.md")).unwrap();
    assert!(text.starts_with("---\ntitle: \"Budget Rules: What Works?\"\ndate: 2024-05-06\nauthors: [\"jane-doe\"]\n"));
    assert!(text.contains("draft: true"));
    pressroom()
        .args(["build", "--drafts", "--root"])
        .arg(s.path())
        .assert()
        .success();
    assert!(s
        .path()
        .join("public/articles/budget-rules-what-works/index.html")
        .exists());
    // A second `new` with the same title does not overwrite.
    pressroom()
        .args(["new", "Budget Rules: What Works?", "--date", "2024-05-06", "--root"])
        .arg(s.path())
        .assert()
        .code(2);
}

#[test]
fn new_rejects_an_unknown_author_with_suggestions() {
    let s = site(&[AUTHOR]);
    pressroom()
        .args(["new", "T", "--author", "jane-do", "--root"])
        .arg(s.path())
        .assert()
        .code(2)
        .stderr("error: unknown author `jane-do`: no file authors/jane-do.yaml; closest: jane-doe\n");
}
