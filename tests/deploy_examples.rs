//! The CI examples in docs/examples/ (docs/deploy.md) are complete: each
//! parses as YAML, and every `pressroom` command in their scripts runs
//! against the sample archive, as the CI job would run it.

use crate::common::{copy_dir, repo_root};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every shell script of a workflow: GitHub's `run:` and GitLab's
/// `script:`, `before_script:` and `after_script:`, wherever they are.
fn scripts(value: &serde_yaml::Value, out: &mut Vec<String>) {
    match value {
        serde_yaml::Value::Mapping(map) => {
            for (key, v) in map {
                let key = key.as_str().unwrap_or_default();
                match (key, v) {
                    ("run" | "script" | "before_script" | "after_script", serde_yaml::Value::String(s)) => {
                        out.push(s.clone());
                    }
                    ("script" | "before_script" | "after_script", serde_yaml::Value::Sequence(lines)) => {
                        out.extend(lines.iter().filter_map(|l| l.as_str().map(String::from)));
                    }
                    _ => scripts(v, out),
                }
            }
        }
        serde_yaml::Value::Sequence(items) => items.iter().for_each(|v| scripts(v, out)),
        _ => {}
    }
}

/// The `pressroom` commands of a script, each without the shell plumbing
/// after it (`> file`, `|| failed=1`).
fn pressroom_commands(script: &str) -> Vec<String> {
    script
        .replace("\\\n", " ")
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("pressroom "))
        .map(|l| {
            let end = [" > ", " | ", " || ", " && ", "; "]
                .iter()
                .filter_map(|op| l.find(op))
                .min()
                .unwrap_or(l.len());
            l[..end].to_string()
        })
        .collect()
}

/// A copy of the sample archive (the repository's own site).
fn sample_archive() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in ["articles", "authors", "topics", "static"] {
        copy_dir(&repo_root().join(entry), &dir.path().join(entry));
    }
    std::fs::copy(repo_root().join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    dir
}

/// Runs `command` with bash in `dir`, with the variables the CI would set.
fn run(command: &str, dir: &Path) -> std::process::Output {
    let bin: PathBuf = assert_cmd::cargo::cargo_bin("pressroom");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("bash")
        .args(["-euc", command])
        .current_dir(dir)
        .env("PATH", path)
        .env("GITHUB_ACTIONS", "true")
        .env("BASE_URL", "https://owner.github.io/archive/")
        .env("CI_PAGES_URL", "https://group.gitlab.io/archive")
        .output()
        .unwrap()
}

fn example(name: &str) -> (serde_yaml::Value, Vec<String>) {
    let path = repo_root().join("docs/examples").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut all = Vec::new();
    scripts(&yaml, &mut all);
    let commands: Vec<String> = all.iter().flat_map(|s| pressroom_commands(s)).collect();
    assert!(!commands.is_empty(), "{name} runs no pressroom command");
    (yaml, commands)
}

/// Runs every command of `name` in order in one copy of the sample
/// archive; returns the folder and each command's standard output.
fn run_example(name: &str, prepare: impl Fn(&Path)) -> (tempfile::TempDir, Vec<String>) {
    let (_, commands) = example(name);
    let dir = sample_archive();
    prepare(dir.path());
    let mut stdouts = Vec::new();
    for command in &commands {
        assert!(
            !command.contains("${{"),
            "{name}: `{command}` needs a GitHub expression; use env:"
        );
        let output = run(command, dir.path());
        assert!(
            output.status.success(),
            "{name}: `{command}` failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        stdouts.push(String::from_utf8(output.stdout).unwrap());
    }
    (dir, stdouts)
}

/// Links in the built pages carry the sub-path of the base URL.
fn assert_built_under(dir: &Path, path: &str) {
    let index = std::fs::read_to_string(dir.join("public/index.html")).unwrap();
    assert!(index.contains(&format!("href=\"{path}articles/")), "no {path} links");
}

#[test]
fn github_actions_example_checks_builds_with_the_cache_and_deploys_to_pages() {
    let (yaml, commands) = example("github-pages.yml");
    assert!(commands
        .iter()
        .any(|c| c.starts_with("pressroom check") && c.contains("--format github")));
    let text = serde_yaml::to_string(&yaml).unwrap();
    for needed in [
        "actions/cache@",
        ".pressroom-cache",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
    ] {
        assert!(text.contains(needed), "no {needed}");
    }
    let (dir, _) = run_example("github-pages.yml", |_| {});
    assert_built_under(dir.path(), "/archive/");
}

#[test]
fn gitlab_ci_example_checks_merge_requests_and_publishes_pages() {
    let (yaml, commands) = example("gitlab-ci.yml");
    assert!(commands
        .iter()
        .any(|c| c.starts_with("pressroom check") && c.contains("--format json")));
    assert!(yaml["pages"]["artifacts"]["paths"][0] == "public");
    let (dir, _) = run_example("gitlab-ci.yml", |_| {});
    assert_built_under(dir.path(), "/archive/");
}

/// The deployed build lacked one article: the diff of its manifest and the
/// new build's names that article's page as added, and nothing the two
/// builds share as changed but the pages that list the article.
#[test]
#[ignore = "needs the build manifest and `pressroom diff`"]
fn upload_example_lists_what_changed_since_the_deployed_build() {
    let (yaml, commands) = example("upload-changed.yml");
    assert!(commands.iter().any(|c| c.starts_with("pressroom diff")));
    assert!(serde_yaml::to_string(&yaml).unwrap().contains("aws s3 rm"));
    let (_, outputs) = run_example("upload-changed.yml", |dir| {
        let older = sample_archive();
        let newest = newest_article(older.path());
        std::fs::remove_file(&newest).unwrap();
        let out = older.path().join("public");
        let built = run(
            &format!("pressroom build --out '{}' --base-url \"$BASE_URL\"", out.display()),
            older.path(),
        );
        assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
        std::fs::copy(out.join(".pressroom-manifest.json"), dir.join("deployed-manifest.json")).unwrap();
    });
    let diff = outputs
        .iter()
        .find(|o| o.lines().any(|l| l.starts_with("A ")))
        .expect("a diff listing");
    for line in diff.lines() {
        assert!(["A ", "M ", "D "].iter().any(|m| line.starts_with(m)), "{line}");
    }
    assert!(
        diff.lines()
            .any(|l| l.starts_with("A articles/") && l.ends_with("/index.html")),
        "{diff}"
    );
    assert!(diff.lines().any(|l| l == "M index.html"), "{diff}");
    assert!(
        !diff.lines().any(|l| l.contains("style.css")),
        "unchanged files are not listed:\n{diff}"
    );
}

/// The path of the published article with the latest `date:` in a site.
fn newest_article(root: &Path) -> PathBuf {
    walkdir::WalkDir::new(root.join("articles"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (std::fs::read_to_string(e.path()).unwrap(), e.into_path()))
        .filter(|(text, _)| !text.lines().any(|l| l.trim() == "draft: true"))
        .max_by_key(|(text, path)| {
            let date = text
                .lines()
                .find_map(|l| l.strip_prefix("date:"))
                .unwrap_or("")
                .trim()
                .to_string();
            (date, path.clone())
        })
        .unwrap()
        .1
}

#[test]
fn command_extraction_cuts_shell_plumbing() {
    assert_eq!(
        pressroom_commands(
            "set -e\npressroom check --format json > out.jsonl || failed=1\n  pressroom build \\\n  --out public\n"
        ),
        vec!["pressroom check --format json", "pressroom build    --out public"]
    );
}
