//! The conventions people expect of a command line: --quiet, --verbose,
//! colour, shell completions, `serve --open` and `--version`.

use crate::common::{pressroom, repo_root, site, write, AUTHOR};
use crate::newcomer::{init_site, stderr_of};
use predicates::prelude::*;
#[cfg(unix)]
use std::path::Path;

#[test]
fn quiet_prints_nothing_on_success_and_verbose_prints_the_phases() {
    let (_tmp, dir) = init_site();
    pressroom()
        .current_dir(&dir)
        .args(["build", "--quiet"])
        .assert()
        .success()
        .stderr("");
    pressroom()
        .current_dir(&dir)
        .args(["-q", "check"])
        .assert()
        .success()
        .stderr("");
    pressroom()
        .current_dir(&dir)
        // Without the cache: with it, this build would find nothing changed
        // and have no markdown phase to print.
        .args(["build", "--verbose", "--no-cache"])
        .assert()
        .success()
        .stderr(predicate::str::contains("markdown").and(predicate::str::contains("Output: ")));
    for command in [
        "init",
        "build",
        "check",
        "diff",
        "serve",
        "new",
        "import",
        "completions",
    ] {
        pressroom()
            .args([command, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("--quiet").and(predicate::str::contains("--verbose")));
    }
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let s = site(&[
        AUTHOR,
        (
            "articles/a.md",
            "---\ntitle: A\ndate: 2024-01-02\nauthors: jane-doe\ntags: [x]\n---\nx\n",
        ),
    ]);
    let (_, plain) = stderr_of(pressroom().args(["check", "--root"]).arg(s.path()));
    assert!(!plain.contains('\x1b'), "no colour in a pipe: {plain:?}");
    let (_, coloured) = stderr_of(pressroom().args(["check", "--color", "always", "--root"]).arg(s.path()));
    assert!(coloured.contains("\x1b[1m\x1b[33mwarning:\x1b[0m"), "{coloured:?}");
    let (_, never) = stderr_of(
        pressroom()
            .env("CLICOLOR_FORCE", "1")
            .args(["check", "--color", "never", "--root"])
            .arg(s.path()),
    );
    assert!(!never.contains('\x1b'), "{never:?}");
    let (_, no_color) = stderr_of(
        pressroom()
            .env("NO_COLOR", "1")
            .env("CLICOLOR_FORCE", "1")
            .args(["check", "--root"])
            .arg(s.path()),
    );
    assert!(!no_color.contains('\x1b'), "NO_COLOR wins over auto: {no_color:?}");
}

#[test]
fn completions_are_generated_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef pressroom"),
        ("fish", "complete -c pressroom"),
    ] {
        pressroom()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains(marker).and(predicate::str::contains("init")));
    }
    pressroom().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn version_names_the_commit_when_built_from_git() {
    let out = pressroom().arg("--version").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(repo_root())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    match head {
        Some(commit) => assert_eq!(text, format!("pressroom {version} ({commit})\n")),
        None => assert_eq!(text, format!("pressroom {version}\n")),
    }
}

#[cfg(unix)]
#[test]
fn serve_open_hands_the_address_to_the_system_opener() {
    let (tmp, dir) = init_site();
    let bin = tmp.path().join("bin");
    let seen = tmp.path().join("opened.txt");
    fake_opener(&bin, &seen);
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let (mut child, line) = serve(&dir, &["--open"], &path);
    let url = line.split(" at ").nth(1).unwrap_or_default().trim().to_string();
    let mut opened = String::new();
    for _ in 0..100 {
        opened = std::fs::read_to_string(&seen).unwrap_or_default();
        if !opened.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    assert_eq!(opened.trim(), url);
}

/// An `xdg-open` (and `open`) that writes its argument to `seen`.
#[cfg(unix)]
fn fake_opener(bin: &Path, seen: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let script = format!("#!/bin/sh\nprintf '%s\\n' \"$1\" > '{}'\n", seen.display());
    for name in ["xdg-open", "open"] {
        let path = bin.join(name);
        write(&path, script.as_bytes());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn serve_quiet_prints_the_address_and_problems_only() {
    let (_tmp, dir) = init_site();
    let (mut child, line) = serve(&dir, &["--quiet"], &std::env::var("PATH").unwrap_or_default());
    child.kill().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    child.wait().unwrap();
    assert!(
        line.starts_with("Serving ") && line.contains("http://127.0.0.1:"),
        "{line}"
    );
    assert_eq!(stderr, "", "quiet: no build or watch lines");
}

/// `pressroom serve --port 0 ARGS` on `dir` with `PATH` set to `path`;
/// the running server and the first line it printed (its address).
fn serve(dir: &std::path::Path, args: &[&str], path: &str) -> (std::process::Child, String) {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("pressroom"))
        .args(["serve", "--port", "0"])
        .args(args)
        .arg("--root")
        .arg(dir)
        .env("PATH", path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line).unwrap();
    (child, line)
}
