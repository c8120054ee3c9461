//! Every kind of bad input from the spec: the exact message at
//! `path:line:col`, exit status 1, and the previous output left untouched.

use crate::common::{article, pressroom, read_tree, site, write, AUTHOR};
use std::path::Path;

const GOOD: &str = "title: Good\ndate: 2024-01-02\nauthors: jane-doe\n";

/// Builds a good site, breaks it with `files`, builds again and checks the
/// report and that the first output is byte-for-byte unchanged.
pub(crate) fn assert_build_fails(files: &[(&str, &[u8])], expected_report: &str) {
    let s = site(&[AUTHOR, ("articles/2024/good.md", &article(GOOD, "Fine.\n"))]);
    let out = s.path().join("public");
    pressroom().arg("build").arg("--root").arg(s.path()).assert().success();
    let before = read_tree(&out);
    for (path, bytes) in files {
        write(&s.path().join(path), bytes);
    }
    let output = pressroom().arg("build").arg("--root").arg(s.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let report = stderr
        .lines()
        .take_while(|l| !l.starts_with("build failed"))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(report, expected_report.trim_end());
    assert_eq!(read_tree(&out), before, "a failed build changed the previous output");
    assert_no_leftovers(s.path());
}

fn assert_no_leftovers(root: &Path) {
    let names: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.starts_with(".public.")),
        "staging folder left behind: {names:?}"
    );
}

pub(crate) fn text(front: &str, body: &str) -> Vec<u8> {
    article(front, body).into_bytes()
}

#[test]
fn malformed_yaml() {
    assert_build_fails(
        &[("articles/2024/bad.md", &text("title: \"Unclosed\ndate: 2024-01-02\nauthors: jane-doe\n", "x\n"))],
        "articles/2024/bad.md:2:8: error: found unexpected end of stream, while scanning a quoted scalar\n1 error, 0 warnings",
    );
}

#[test]
fn wrong_types() {
    assert_build_fails(
        &[(
            "articles/2024/bad.md",
            &text("title: [a, b]\ndate: 2024-01-02\nauthors: jane-doe\n", "x\n"),
        )],
        "articles/2024/bad.md:2:8: error: title: expected text, found a list\n1 error, 0 warnings",
    );
}

#[test]
fn bad_dates() {
    assert_build_fails(
        &[("articles/2024/bad.md", &text("title: T\ndate: 2024-02-30\nauthors: jane-doe\n", "x\n"))],
        "articles/2024/bad.md:3:7: error: date: invalid date `2024-02-30`: expected YYYY-MM-DD (2024-03-18) or RFC 3339 (2024-03-18T09:30:00-05:00)\n1 error, 0 warnings",
    );
}

#[test]
fn missing_required_keys() {
    assert_build_fails(
        &[(
            "articles/2024/bad.md",
            &text("summary: no title, date or authors\n", "x\n"),
        )],
        "articles/2024/bad.md:1:1: error: missing required key `authors` in front matter
articles/2024/bad.md:1:1: error: missing required key `date` in front matter
articles/2024/bad.md:1:1: error: missing required key `title` in front matter
3 errors, 0 warnings",
    );
}

#[test]
fn non_utf8_file() {
    let mut bytes = text(GOOD, "caf").to_vec();
    bytes.extend_from_slice(&[0xE9, b'\n']);
    assert_build_fails(
        &[("articles/2024/bad.md", &bytes)],
        "articles/2024/bad.md:7:4: error: file is not valid UTF-8: save it as UTF-8 text\n1 error, 0 warnings",
    );
}

#[test]
fn empty_file() {
    assert_build_fails(
        &[("articles/2024/empty.md", b"")],
        "articles/2024/empty.md:1:1: error: empty file: it needs front matter between `---` lines\n1 error, 0 warnings",
    );
}

#[test]
fn missing_front_matter() {
    assert_build_fails(
        &[("articles/2024/bare.md", b"# Just a heading\n")],
        "articles/2024/bare.md:1:1: error: missing front matter: the file must start with a line `---`, then YAML, then `---`\n1 error, 0 warnings",
    );
}

#[test]
fn duplicate_slugs() {
    let explicit = "title: Other\ndate: 2023-05-06\nauthors: jane-doe\nslug: good\n";
    let also = "title: Also\ndate: 2023-05-07\nauthors: jane-doe\nslug: good\n";
    assert_build_fails(
        &[("articles/2023/other.md", &text(explicit, "x\n")), ("articles/2023/also.md", &text(also, "x\n"))],
        "articles/2023/also.md:5:7: error: duplicate slug `good`: articles/2023/other.md has it too; give one of them another `slug:`
articles/2024/good.md:1:1: warning: slug `good` is taken by articles/2023/other.md, so this article's URL uses `good-2024-01-02`; set `slug:` to choose another
1 error, 1 warning",
    );
}

#[test]
fn same_file_name_in_two_folders_keeps_the_older_url() {
    // Archives reuse file names across year folders; the newer article
    // gets its date appended, so the older article's URL never changes.
    let s = site(&[
        AUTHOR,
        (
            "articles/2024/outlook.md",
            &article("title: New\ndate: 2024-01-02\nauthors: jane-doe\n", "x\n"),
        ),
        (
            "articles/2019/outlook.md",
            &article("title: Old\ndate: 2019-01-02\nauthors: jane-doe\n", "x\n"),
        ),
    ]);
    pressroom().arg("build").arg("--root").arg(s.path()).assert().success().stderr(predicates::str::starts_with(
        "articles/2024/outlook.md:1:1: warning: slug `outlook` is taken by articles/2019/outlook.md, so this article's URL uses `outlook-2024-01-02`; set `slug:` to choose another\n",
    ));
    assert!(s.path().join("public/articles/outlook/index.html").exists());
    assert!(s.path().join("public/articles/outlook-2024-01-02/index.html").exists());
}

#[test]
fn slug_that_leaves_the_site() {
    assert_build_fails(
        &[("articles/2024/bad.md", &text("title: T\ndate: 2024-01-03\nauthors: jane-doe\nslug: ../../etc\n", "x\n"))],
        "articles/2024/bad.md:5:7: error: invalid slug `../../etc`: use only lowercase letters, digits and `-` (for example `etc`)\n1 error, 0 warnings",
    );
}

#[test]
fn image_path_that_leaves_the_site() {
    let front = "title: T\ndate: 2024-01-03\nauthors: jane-doe\nimage:\n  src: /../../secret.png\n  alt: A photo\n";
    assert_build_fails(
        &[("articles/2024/bad.md", &text(front, "x\n"))],
        "articles/2024/bad.md:6:8: error: image path `/../../secret.png` tries to leave the site: write it from the root of static/, e.g. /images/photo.jpg\n1 error, 0 warnings",
    );
}

#[test]
fn image_without_alt_text_and_missing_file() {
    let front = "title: T\ndate: 2024-01-03\nauthors: jane-doe\nimage:\n  src: /images/nope.png\n";
    assert_build_fails(
        &[("articles/2024/bad.md", &text(front, "![](/images/also-nope.png)\n"))],
        "articles/2024/bad.md:6:3: error: image needs `alt:` text describing it for screen readers (use alt: \"\" only for a purely decorative image)
articles/2024/bad.md:6:8: error: image `/images/nope.png` not found in static/
articles/2024/bad.md:9:1: warning: image has no alt text: describe it between the brackets, ![like this](/images/x.png)
articles/2024/bad.md:9:5: error: image `/images/also-nope.png` not found in static/
3 errors, 1 warning",
    );
}

#[test]
fn unknown_author_lists_the_closest() {
    assert_build_fails(
        &[("articles/2024/bad.md", &text("title: T\ndate: 2024-01-03\nauthors: [jane-doe, jane-deo]\n", "x\n"))],
        "articles/2024/bad.md:4:21: error: unknown author `jane-deo`: no file authors/jane-deo.yaml; closest: jane-doe\n1 error, 0 warnings",
    );
}

#[test]
fn broken_cross_reference_names_the_nearest_path() {
    let body = "Intro.\n\nAs [we said](../2024/godo.md) before.\n";
    assert_build_fails(
        &[("articles/2024/bad.md", &text("title: T\ndate: 2024-01-03\nauthors: jane-doe\n", body))],
        "articles/2024/bad.md:9:14: error: broken cross-reference `../2024/godo.md`: no article at articles/2024/godo.md; did you mean `good.md`?\n1 error, 0 warnings",
    );
}

#[test]
fn broken_anchor_names_the_nearest_heading() {
    let target = text(
        "title: Target\ndate: 2024-01-04\nauthors: jane-doe\n",
        "## The costs of delay\n\nText.\n",
    );
    let citing = text(
        "title: T\ndate: 2024-01-03\nauthors: jane-doe\n",
        "See [costs](/2024/target.md#the-cost-of-delay).\n",
    );
    assert_build_fails(
        &[("articles/2024/target.md", &target), ("articles/2024/bad.md", &citing)],
        "articles/2024/bad.md:7:13: error: broken cross-reference `/2024/target.md#the-cost-of-delay`: articles/2024/target.md has no heading `#the-cost-of-delay`; did you mean `#the-costs-of-delay`?\n1 error, 0 warnings",
    );
}

#[test]
fn link_to_a_held_back_draft() {
    let draft = text(
        "title: D\ndate: 2024-01-04\nauthors: jane-doe\ndraft: true\n",
        "Soon.\n",
    );
    let citing = text(
        "title: T\ndate: 2024-01-03\nauthors: jane-doe\n",
        "See [soon](draft.md).\n",
    );
    assert_build_fails(
        &[("articles/2024/draft.md", &draft), ("articles/2024/bad.md", &citing)],
        "articles/2024/bad.md:7:12: error: broken cross-reference `draft.md`: articles/2024/draft.md is a draft; publish it (remove `draft: true`) or build with --drafts\n1 error, 0 warnings",
    );
}

#[test]
fn every_problem_of_a_run_is_reported_together_and_sorted() {
    let warn_and_error = text("title: T\ndat: 2024-01-03\nauthors: jane-doe\n", "x\n");
    assert_build_fails(
        &[
            ("articles/2024/zz.md", &text("title: T\ndate: 2024-13-01\nauthors: jane-doe\n", "x\n")),
            ("articles/2024/aa.md", &warn_and_error),
            ("authors/nameless.yaml", b"role: Fellow\n"),
        ],
        "articles/2024/aa.md:1:1: error: missing required key `date` in front matter
articles/2024/aa.md:3:1: warning: unknown key `dat` ignored; did you mean `date`?
articles/2024/zz.md:3:7: error: date: invalid date `2024-13-01`: expected YYYY-MM-DD (2024-03-18) or RFC 3339 (2024-03-18T09:30:00-05:00)
authors/nameless.yaml:1:1: error: missing required key `name`
3 errors, 1 warning",
    );
}

#[test]
fn crlf_line_ends_keep_positions_right() {
    let crlf = "---\r\ntitle: T\r\ndate: 2024-01-03\r\nauthors: jane-doe\r\n---\r\n\r\nSee [x](nope.md).\r\n";
    assert_build_fails(
        &[("articles/2024/bad.md", crlf.as_bytes())],
        "articles/2024/bad.md:7:9: error: broken cross-reference `nope.md`: no article at articles/2024/nope.md; did you mean `good.md`?\n1 error, 0 warnings",
    );
}

#[test]
fn byte_order_mark_is_a_warning_and_the_build_goes_on() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(&text("title: BOM\ndate: 2024-01-03\nauthors: jane-doe\n", "Hello.\n"));
    let s = site(&[AUTHOR, ("articles/bom.md", std::str::from_utf8(&bytes).unwrap())]);
    pressroom()
        .arg("build")
        .arg("--root")
        .arg(s.path())
        .assert()
        .success()
        .stderr(predicates::str::starts_with(
            "articles/bom.md:1:1: warning: byte-order mark at the start of the file ignored\n0 errors, 1 warning\n",
        ));
    assert!(s.path().join("public/articles/bom/index.html").exists());
}

#[test]
fn bad_site_config_is_an_error_naming_the_key() {
    assert_build_fails(
        &[("site.yaml", b"title: X\nbase_url: https://example.org/\npaginat: 5\n")],
        "site.yaml:3:1: error: unknown key `paginat` in site.yaml; did you mean `paginate`?\n1 error, 0 warnings",
    );
}
