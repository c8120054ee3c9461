//! How `check` and `build` report problems: the three `--format`s, the
//! GitHub Actions default, `--deny-warnings`, and the template errors only
//! rendering finds (docs/diagnostics.md).

use crate::common::{article, pressroom, site, AUTHOR};
use std::path::Path;

/// A site with one warning (an unknown key, with a suggestion) and one
/// error (a broken cross-reference).
fn site_with_problems() -> tempfile::TempDir {
    site(&[
        AUTHOR,
        (
            "articles/2024/good.md",
            &article("title: Good\ndate: 2024-01-02\nauthors: jane-doe\n", "Fine.\n"),
        ),
        (
            "articles/2024/bad.md",
            &article(
                "title: Bad\ndate: 2024-01-03\nauthors: jane-doe\nsummry: typo\n",
                "See [this](godo.md), 100% sure.\n",
            ),
        ),
    ])
}

/// A valid site whose only problem is a warning.
fn site_with_a_warning() -> tempfile::TempDir {
    site(&[
        AUTHOR,
        (
            "articles/2024/a.md",
            &article("title: A\ndate: 2024-01-02\nauthors: jane-doe\nsumary: x\n", "Hi.\n"),
        ),
    ])
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], root: &Path, env: &[(&str, &str)]) -> Run {
    let mut command = pressroom();
    command.args(args).arg("--root").arg(root);
    for (k, v) in env {
        command.env(k, v);
    }
    let output = command.output().unwrap();
    Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

#[test]
fn human_format_is_one_line_per_problem_then_the_counts() {
    let s = site_with_problems();
    let r = run(&["check", "--format", "human"], s.path(), &[]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        "articles/2024/bad.md:5:1: warning: unknown key `summry` ignored; did you mean `summary`?\n\
         articles/2024/bad.md:8:12: error: broken cross-reference `godo.md`: no article at articles/2024/godo.md; did you mean `good.md`?\n\
         1 error, 1 warning\n"
    );
}

#[test]
fn json_format_is_one_object_per_line_on_stdout() {
    let s = site_with_problems();
    let r = run(&["check", "--format", "json"], s.path(), &[]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr, "1 error, 1 warning\n", "only the summary on stderr");
    let objects: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    assert_eq!(
        objects,
        vec![
            serde_json::json!({
                "path": "articles/2024/bad.md", "line": 5, "column": 1, "level": "warning",
                "code": "unknown-key", "message": "unknown key `summry` ignored",
                "suggestion": "did you mean `summary`?"
            }),
            serde_json::json!({
                "path": "articles/2024/bad.md", "line": 8, "column": 12, "level": "error",
                "code": "broken-cross-reference",
                "message": "broken cross-reference `godo.md`: no article at articles/2024/godo.md",
                "suggestion": "did you mean `good.md`?"
            }),
        ]
    );
}

/// A workflow command as GitHub's runner reads it: `::command
/// key=value,...::message`, with properties and message percent-decoded.
fn parse_workflow_command(line: &str) -> (String, Vec<(String, String)>, String) {
    let rest = line
        .strip_prefix("::")
        .unwrap_or_else(|| panic!("not a command: {line}"));
    let (head, message) = rest.split_once("::").unwrap();
    let (command, props) = head.split_once(' ').unwrap_or((head, ""));
    assert!(matches!(command, "error" | "warning"), "{line}");
    let decode = |s: &str, property: bool| {
        assert!(!s.contains('\r') && !s.contains('\n'));
        if property {
            assert!(
                !s.contains(':') && !s.contains(','),
                "unescaped property {s:?} in {line}"
            );
        }
        s.replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%25", "%")
    };
    let props = props
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p
                .split_once('=')
                .unwrap_or_else(|| panic!("bad property {p} in {line}"));
            (k.to_string(), decode(v, true))
        })
        .collect();
    (command.to_string(), props, decode(message, false))
}

#[test]
fn github_format_prints_workflow_commands_and_is_the_default_in_actions() {
    let s = site_with_problems();
    let asked = run(&["check", "--format", "github"], s.path(), &[]);
    let default = run(&["check"], s.path(), &[("GITHUB_ACTIONS", "true")]);
    assert_eq!(asked.stdout, default.stdout);
    assert_eq!(default.code, 1);
    assert_eq!(default.stderr, "1 error, 1 warning\n");
    let commands: Vec<_> = default.stdout.lines().map(parse_workflow_command).collect();
    let prop = |c: &(String, Vec<(String, String)>, String), k: &str| {
        c.1.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()).unwrap()
    };
    assert_eq!(commands.len(), 2);
    assert_eq!(commands[1].0, "error");
    assert_eq!(prop(&commands[1], "file"), "articles/2024/bad.md");
    assert_eq!(prop(&commands[1], "line"), "8");
    assert_eq!(prop(&commands[1], "col"), "12");
    assert_eq!(prop(&commands[1], "title"), "broken-cross-reference");
    assert_eq!(
        commands[1].2,
        "broken cross-reference `godo.md`: no article at articles/2024/godo.md; did you mean `good.md`?"
    );
    assert_eq!(commands[0].0, "warning");
    assert_eq!(prop(&commands[0], "title"), "unknown-key");
    let outside = run(&["check"], s.path(), &[("GITHUB_ACTIONS", "false")]);
    assert!(outside.stdout.is_empty() && outside.stderr.contains(": warning: "));
}

#[test]
fn deny_warnings_fails_check_and_build_on_a_warning() {
    let s = site_with_a_warning();
    let allowed = run(&["check"], s.path(), &[]);
    assert_eq!(allowed.code, 0, "{}", allowed.stderr);
    let denied = run(&["check", "--deny-warnings", "--format", "json"], s.path(), &[]);
    assert_eq!(denied.code, 1, "{}", denied.stderr);
    let object: serde_json::Value = serde_json::from_str(denied.stdout.trim()).unwrap();
    assert_eq!(object["code"], "unknown-key");
    assert_eq!(object["level"], "error");

    let out = s.path().join("public");
    let build = run(&["build", "--deny-warnings"], s.path(), &[]);
    assert_eq!(build.code, 1, "{}", build.stderr);
    assert!(build.stderr.contains("build failed"), "{}", build.stderr);
    assert!(!out.exists(), "a denied build writes nothing");
    assert_eq!(run(&["build"], s.path(), &[]).code, 0);
    assert!(out.join("index.html").exists());
}

/// A template override that names a variable no page is given compiles,
/// so only rendering finds it: `check` renders every page in memory and
/// must fail exactly as `build` does, writing nothing.
#[test]
fn check_finds_a_template_error_only_rendering_shows() {
    let s = site_with_a_warning();
    crate::common::write(
        &s.path().join("templates/article.html"),
        b"{% extends \"base.html\" %}{% block content %}{{ page.subtitle }}{% endblock content %}",
    );
    let check = run(&["check", "--format", "json"], s.path(), &[]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    let objects: Vec<serde_json::Value> = check.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let template = objects
        .iter()
        .find(|o| o["code"] == "template-render")
        .unwrap_or_else(|| panic!("no template error in {objects:?}"));
    assert_eq!(template["path"], "templates/article.html");
    assert!(template["message"].as_str().unwrap().contains("subtitle"), "{template}");
    assert!(!s.path().join("public").exists(), "check writes nothing");
    let build = run(&["build", "--format", "json"], s.path(), &[]);
    assert_eq!(build.code, 1);
    assert!(build.stdout.contains("\"template-render\""), "{}", build.stdout);
}

/// A problem of the whole site has no invented file place: without a
/// `site.yaml`, the missing base URL is the site's, with no path or line.
#[test]
fn a_site_wide_problem_has_no_file_place() {
    let s = site_with_a_warning();
    std::fs::remove_file(s.path().join("site.yaml")).unwrap();
    let r = run(&["check", "--format", "json"], s.path(), &[]);
    let site_wide: serde_json::Value = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|o| o["code"] == "missing-base-url")
        .unwrap_or_else(|| panic!("no missing-base-url in {}", r.stdout));
    assert_eq!(site_wide["path"], serde_json::Value::Null);
    assert_eq!(site_wide["line"], serde_json::Value::Null);
    let human = run(&["check"], s.path(), &[]);
    assert!(human.stderr.starts_with("warning: no base_url set"), "{}", human.stderr);
}

/// Text the user wrote is quoted in problems; a line break in a slug once
/// split its problem across two lines, and a NUL in a manifest's path was
/// printed as it is. Each problem is one line, its control characters escaped.
#[test]
fn control_characters_in_quoted_text_are_escaped() {
    let s = site(&[
        AUTHOR,
        (
            "articles/a.md",
            &article(
                "title: A\ndate: 2024-01-02\nauthors: jane-doe\nslug: \"a\\nb\"\n",
                "Hi.\n",
            ),
        ),
    ]);
    let r = run(&["check"], s.path(), &[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with("articles/a.md:5:1: error: invalid slug `a\\nb`: "),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.lines().count(), 2, "one problem, one summary: {}", r.stderr);

    let hash = "0".repeat(32);
    let manifest = format!(
        "{{\"format\":1,\"hash\":\"xxh3-128\",\"files\":{{\n\"a\\u0000b\":{{\"size\":1,\"hash\":\"{hash}\"}}}}}}\n"
    );
    std::fs::write(s.path().join("old.json"), manifest).unwrap();
    let output = pressroom()
        .current_dir(s.path())
        .args(["diff", "old.json", "old.json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains('\0'), "{stderr:?}");
    assert!(stderr.contains("`a\\0b` holds a control character"), "{stderr}");
}
