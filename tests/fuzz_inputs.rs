//! Inputs the fuzz targets (`fuzz/`) once failed on, kept under
//! `tests/fixtures/fuzz/TARGET/` and replayed through the same entry points:
//! each must now pass every check the target makes.

use crate::common::repo_root;
use pressroom::fuzzing;

/// Runs `bytes` through the entry point of fuzz target `target`; the targets
/// that take text skip input that is not UTF-8, as the fuzz targets do.
fn run(target: &str, bytes: &[u8]) {
    let text = std::str::from_utf8(bytes);
    match target {
        "front_matter" => fuzzing::front_matter(bytes),
        "site_yaml" => fuzzing::site_yaml(bytes),
        "import_front_matter" => fuzzing::import_front_matter(bytes),
        "markdown" => text.map_or((), fuzzing::markdown),
        "slug" => text.map_or((), fuzzing::slug),
        "import_hugo_body" => text.map_or((), fuzzing::import_hugo_body),
        "import_jekyll_body" => text.map_or((), fuzzing::import_jekyll_body),
        "serve_path" => text.map_or((), fuzzing::serve_path),
        other => panic!("tests/fixtures/fuzz/{other}: no fuzz target of that name"),
    }
}

#[test]
fn inputs_that_once_failed_pass() {
    let root = repo_root().join("tests/fixtures/fuzz");
    let mut replayed = 0;
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        let target = dir.file_name().unwrap().to_str().unwrap().to_string();
        for file in std::fs::read_dir(&dir).unwrap() {
            let file = file.unwrap().path();
            let bytes = std::fs::read(&file).unwrap();
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&target, &bytes)));
            assert!(outcome.is_ok(), "{} fails again", file.display());
            replayed += 1;
        }
    }
    assert!(replayed >= 4, "only {replayed} inputs found under {}", root.display());
}
