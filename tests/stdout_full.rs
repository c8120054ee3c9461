//! Commands whose standard output cannot be written (a full disk, here
//! `/dev/full`) report it and exit with 2; none panics.

use crate::common::{site, AUTHOR};
use std::process::{Command, Output};

/// Runs `pressroom` with `args`, its standard output `/dev/full` (where
/// every write fails with "no space left").
fn to_full_disk(args: &[&std::ffi::OsStr]) -> Output {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    Command::new(assert_cmd::cargo::cargo_bin("pressroom"))
        .args(args)
        .env_remove("GITHUB_ACTIONS")
        .stdout(full)
        .output()
        .unwrap()
}

/// Why: clap_complete's generator unwraps its writes, so the script
/// written to a full disk was a panic.
#[test]
fn completions_to_a_full_disk_are_an_error_not_a_panic() {
    for shell in ["bash", "zsh", "fish"] {
        let out = to_full_disk(&["completions".as_ref(), shell.as_ref()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{shell}: {stderr}");
        assert!(!stderr.contains("panicked"), "{shell}: {stderr}");
        assert!(
            stderr.contains("error: could not write to standard output"),
            "{shell}: {stderr}"
        );
    }
}

/// Why: `new` printed the new file's name with `println!`, which panicked
/// after the file had been written.
#[test]
fn new_to_a_full_disk_says_the_file_was_written_and_exits_with_2() {
    let s = site(&[AUTHOR]);
    let args = ["new", "Budget rules", "--date", "2024-05-06", "--root"];
    let mut args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
    args.push(s.path().as_os_str());
    let out = to_full_disk(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("error: articles/2024/budget-rules.md was written, but its name could not be printed"),
        "{stderr}"
    );
    assert!(s.path().join("articles/2024/budget-rules.md").is_file());
}

/// Why: problems printed to standard output (`--format json`) and the
/// address `serve` prints panicked on a full disk.
#[test]
fn reports_and_the_serve_address_to_a_full_disk_are_errors_not_panics() {
    let s = site(&[AUTHOR, ("articles/a.md", "---\ntitle: A\n---\nA.\n")]);
    let root = s.path().as_os_str();
    for args in [
        vec![
            "check".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            "--root".as_ref(),
            root,
        ],
        vec![
            "build".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            "--root".as_ref(),
            root,
        ],
        vec![
            "serve".as_ref(),
            "--port".as_ref(),
            "0".as_ref(),
            "--root".as_ref(),
            root,
        ],
    ] {
        let out = to_full_disk(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(
            stderr.contains("error: could not write to standard output"),
            "{args:?}: {stderr}"
        );
    }
}
