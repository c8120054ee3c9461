//! Inputs the fuzz targets (`fuzz/`) once failed on, kept under
//! `tests/fixtures/fuzz/TARGET/` and replayed through the same entry points:
//! each must now pass every check the target makes.

use crate::common::repo_root;
use pressroom::fuzzing;

/// Runs a target that takes text on input that may not be UTF-8, as the fuzz target does.
fn text(run: fn(&str)) -> impl Fn(&[u8]) {
    move |bytes| {
        if let Ok(text) = std::str::from_utf8(bytes) {
            run(text);
        }
    }
}

fn entry_point(target: &str) -> Box<dyn Fn(&[u8])> {
    match target {
        "front_matter" => Box::new(fuzzing::front_matter),
        "markdown" => Box::new(text(fuzzing::markdown)),
        "slug" => Box::new(text(fuzzing::slug)),
        "site_yaml" => Box::new(fuzzing::site_yaml),
        "import_front_matter" => Box::new(fuzzing::import_front_matter),
        "import_hugo_body" => Box::new(text(fuzzing::import_hugo_body)),
        "import_jekyll_body" => Box::new(text(fuzzing::import_jekyll_body)),
        "serve_path" => Box::new(text(fuzzing::serve_path)),
        other => panic!("tests/fixtures/fuzz/{other}: no fuzz target of that name"),
    }
}

#[test]
fn inputs_that_once_failed_pass() {
    let root = repo_root().join("tests/fixtures/fuzz");
    let mut replayed = 0;
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        let run = entry_point(dir.file_name().unwrap().to_str().unwrap());
        for file in std::fs::read_dir(&dir).unwrap() {
            let file = file.unwrap().path();
            let bytes = std::fs::read(&file).unwrap();
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&bytes)));
            assert!(outcome.is_ok(), "{} fails again", file.display());
            replayed += 1;
        }
    }
    assert!(replayed >= 4, "only {replayed} inputs found under {}", root.display());
}
