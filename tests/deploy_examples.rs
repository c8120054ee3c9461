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
/// archive; returns the folder.
fn run_example(name: &str) -> tempfile::TempDir {
    let (_, commands) = example(name);
    let dir = sample_archive();
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
    }
    dir
}

/// Links in the built pages carry the sub-path of the base URL.
fn assert_built_under(dir: &Path, path: &str) {
    let index = std::fs::read_to_string(dir.join("public/index.html")).unwrap();
    assert!(index.contains(&format!("href=\"{path}articles/")), "no {path} links");
}

#[test]
fn github_actions_example_checks_builds_and_deploys_to_pages() {
    let (yaml, commands) = example("github-pages.yml");
    assert!(commands
        .iter()
        .any(|c| c.starts_with("pressroom check") && c.contains("--format github")));
    let text = serde_yaml::to_string(&yaml).unwrap();
    for needed in ["actions/upload-pages-artifact@", "actions/deploy-pages@"] {
        assert!(text.contains(needed), "no {needed}");
    }
    let build = &yaml["jobs"]["build"]["steps"];
    let cached = build.as_sequence().unwrap().iter().any(|step| {
        let uses = step["uses"].as_str().unwrap_or_default();
        let path = step["with"]["path"].as_str().unwrap_or_default();
        uses.starts_with("actions/cache@") && path.contains(".pressroom-cache") && path.contains("public")
    });
    assert!(cached, "the build job restores no build cache with actions/cache");
    let dir = run_example("github-pages.yml");
    assert_built_under(dir.path(), "/archive/");
    assert!(dir.path().join(".pressroom-cache/index.bin").is_file());
}

#[test]
fn gitlab_ci_example_checks_merge_requests_and_publishes_pages() {
    let (yaml, commands) = example("gitlab-ci.yml");
    assert!(commands
        .iter()
        .any(|c| c.starts_with("pressroom check") && c.contains("--format json")));
    assert!(yaml["pages"]["artifacts"]["paths"][0] == "public");
    let caches = yaml["pages"]["cache"].as_sequence().unwrap();
    assert!(
        caches
            .iter()
            .any(|c| c["paths"][0] == ".pressroom-cache/" && c["paths"][1] == "public/"),
        "the pages job caches no build cache"
    );
    let dir = run_example("gitlab-ci.yml");
    assert_built_under(dir.path(), "/archive/");
    assert!(dir.path().join(".pressroom-cache/index.bin").is_file());
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

/// A stand-in for the AWS CLI: the bucket `s3://NAME` is the folder
/// `$FAKE_S3/NAME`, and every upload, delete and purge is logged.
const FAKE_AWS: &str = r#"#!/usr/bin/env bash
set -euo pipefail
local_path() { printf '%s/%s' "$FAKE_S3" "${1#s3://}"; }
args=()
for a in "$@"; do [ "$a" = --only-show-errors ] || args+=("$a"); done
set -- "${args[@]}"
case "$1 $2" in
  "s3 ls") [ -f "$(local_path "$3")" ] || exit 1 ;;
  "s3 cp")
    src=$3 dst=$4
    if [[ $src == s3://* ]]; then src=$(local_path "$src"); fi
    if [[ $dst == s3://* ]]; then echo "put ${dst#s3://*/}" >> "$AWS_LOG"; dst=$(local_path "$dst"); fi
    mkdir -p "$(dirname "$dst")"
    cp "$src" "$dst" ;;
  "s3 rm") echo "delete ${3#s3://*/}" >> "$AWS_LOG"; rm "$(local_path "$3")" ;;
  "cloudfront create-invalidation")
    [ "$3" = --distribution-id ] && [ "$5" = --paths ] || exit 2
    shift 5
    for p in "$@"; do echo "purge $p" >> "$AWS_LOG"; done ;;
  *) echo "fake aws: unexpected: $*" >&2; exit 2 ;;
esac
"#;

/// Runs the `run:` steps of the upload example's deploy job in `dir` (all
/// but installing pressroom), as GitHub's bash would, with the workflow's
/// variables and the fake AWS CLI in `fake`. Returns the AWS log lines.
fn deploy(yaml: &serde_yaml::Value, dir: &Path, fake: &Path) -> Vec<String> {
    let log = fake.join("aws.log");
    std::fs::write(&log, "").unwrap();
    let bin: PathBuf = assert_cmd::cargo::cargo_bin("pressroom");
    let path = format!(
        "{}:{}:{}",
        fake.join("bin").display(),
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let env = yaml["env"].as_mapping().unwrap();
    for step in yaml["jobs"]["deploy"]["steps"].as_sequence().unwrap() {
        let Some(script) = step["run"].as_str() else { continue };
        if script.contains("cargo install") {
            continue;
        }
        assert!(
            !script.contains("${{"),
            "`{script}` needs a GitHub expression; use env:"
        );
        let mut command = Command::new("bash");
        command.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script]);
        for (key, value) in env {
            command.env(key.as_str().unwrap(), value.as_str().unwrap());
        }
        let output = command
            .current_dir(dir)
            .env("PATH", &path)
            .env("GITHUB_ACTIONS", "true")
            .env("FAKE_S3", fake.join("s3"))
            .env("AWS_LOG", &log)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "`{script}` failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

/// The log lines that start with `verb `, without it, sorted.
fn logged(log: &[String], verb: &str) -> Vec<String> {
    let mut lines: Vec<String> = log
        .iter()
        .filter_map(|l| l.strip_prefix(verb)?.strip_prefix(' ').map(String::from))
        .collect();
    lines.sort();
    lines
}

/// Two deploys of the sample archive, one article edited and one deleted
/// between them: the first uploads everything, the second uploads only the
/// files whose bytes changed, deletes the removed page, purges both, and
/// the bucket ends up holding exactly the new build.
#[cfg(unix)]
#[test]
fn upload_example_sends_only_what_changed() {
    use crate::manifest::{edit_article, expected_plain, site_files, DELETED, DELETED_PAGE, EDITED_PAGE};
    use std::os::unix::fs::PermissionsExt;
    let (yaml, commands) = example("upload-changed.yml");
    assert!(commands.iter().any(|c| c.starts_with("pressroom diff")));
    let fake = tempfile::tempdir().unwrap();
    let aws = fake.path().join("bin/aws");
    crate::common::write(&aws, FAKE_AWS.as_bytes());
    std::fs::set_permissions(&aws, std::fs::Permissions::from_mode(0o755)).unwrap();
    let bucket = fake.path().join("s3/www.example.org");
    let manifest = pressroom::output::MANIFEST.to_string();

    let first = sample_archive();
    let log = deploy(&yaml, first.path(), fake.path());
    let old = site_files(&first.path().join("public"));
    let mut all: Vec<String> = old.keys().cloned().chain([manifest.clone()]).collect();
    all.sort();
    assert_eq!(logged(&log, "put"), all, "the first deploy uploads every file");
    assert!(logged(&log, "delete").is_empty() && logged(&log, "purge").is_empty());
    assert_eq!(site_files(&bucket), old);

    // The next push: a fresh checkout with one article edited, one deleted.
    let second = sample_archive();
    edit_article(second.path());
    std::fs::remove_file(second.path().join(DELETED)).unwrap();
    let log = deploy(&yaml, second.path(), fake.path());
    let new = site_files(&second.path().join("public"));
    assert_eq!(site_files(&bucket), new, "the bucket holds the new build");
    let changes = expected_plain(&old, &new);
    let of = |signs: &str| -> Vec<String> {
        let mut paths: Vec<String> = changes
            .lines()
            .filter(|l| signs.contains(&l[..1]))
            .map(|l| l[2..].to_string())
            .collect();
        paths.sort();
        paths
    };
    let mut uploaded = of("+~");
    uploaded.push(manifest.clone());
    uploaded.sort();
    assert_eq!(logged(&log, "put"), uploaded);
    assert!(uploaded.len() < old.len() / 2, "{} uploaded", uploaded.len());
    assert_eq!(logged(&log, "delete"), of("-"));
    assert!(of("-").iter().any(|p| p == DELETED_PAGE));
    let purged = logged(&log, "purge");
    for page in [EDITED_PAGE, DELETED_PAGE] {
        assert!(purged.contains(&format!("/{page}")), "{page} not purged");
        let folder = format!("/{}", page.trim_end_matches("index.html"));
        assert!(purged.contains(&folder), "{folder} not purged");
    }
    assert_eq!(
        purged.len(),
        of("~-").len() + of("~-").iter().filter(|p| p.ends_with("index.html")).count()
    );
    assert_eq!(
        std::fs::read(bucket.join(&manifest)).unwrap(),
        std::fs::read(second.path().join("public").join(&manifest)).unwrap()
    );
}
