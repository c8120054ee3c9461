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
    put(root, "static/robots.txt", "User-agent: *\n");
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
    run_import(&["jekyll", root.join("src").to_str().unwrap()], &root.join("elsewhere/out"));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "IMPORTANT CONTENT\n");
}

#[test]
fn encoded_dot_dot_stays_inside_source_and_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(root, "important.png", "PRECIOUS\n");
    hugo_source(&root.join("src"), "/%2e%2e/%2e%2e/important.png");
    run_import(&["hugo", root.join("src").to_str().unwrap()], &root.join("site"));
    assert_eq!(std::fs::read_to_string(root.join("important.png")).unwrap(), "PRECIOUS\n");
    run_import(&["hugo", root.join("src").to_str().unwrap()], &root.join("out/site"));
    assert!(!root.join("out/important.png").exists(), "a file was written outside the output");
    assert!(!root.join("out/site/important.png").exists());
}
