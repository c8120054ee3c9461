//! The cache folder (docs/cli.md#the-build-cache): a build takes only a
//! folder that is new, empty or a cache of its own, marks it before it
//! puts anything in it, and never waits on a special file in it or among
//! the sources.

use crate::cache::Site;
use crate::common::{build_ok, write};

/// A build writes, replaces and removes files in its cache folder, so it
/// takes only a new or empty folder, or one of its own caches: a folder
/// of the user's, the site's sources or the output are refused before
/// anything is written, and every file in them stays.
#[test]
fn a_cache_folder_that_is_not_a_cache_of_ours_is_refused_untouched() {
    let site = Site::new();
    let root = site.root();
    let notes = site.dir.path().join("notes");
    for name in ["index.bin", "build.bin", "pack-list.bin", ".draft.tmp", "lock"] {
        write(&notes.join(name), b"the user's own\n");
    }
    build_ok(&root, &site.out(), &["--no-cache"]);
    let before = (
        crate::common::read_tree(&notes),
        crate::common::read_tree(&root),
        crate::common::read_tree(&site.out()),
    );
    let cases = [
        (notes.clone(), "not a pressroom cache"),
        (root.clone(), "site's own files"),
        (root.join("static/cache"), "site's own files (static)"),
        (root.join("articles"), "site's own files (articles)"),
        (site.out(), "output folder"),
        (site.out().join("cache"), "output folder"),
        (site.dir.path().to_path_buf(), "site's own files"),
    ];
    for (dir, why) in &cases {
        let output = site.build_with_cache(dir).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{dir:?}: {stderr}");
        assert!(
            stderr.contains("as the cache folder") && stderr.contains(why),
            "{dir:?}: {stderr}"
        );
    }
    let after = (
        crate::common::read_tree(&notes),
        crate::common::read_tree(&root),
        crate::common::read_tree(&site.out()),
    );
    assert!(before == after, "a refused build changed files");
    // A new, an empty, and a cache folder of ours are taken.
    let empty = site.dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    for dir in [site.dir.path().join("new"), empty.clone(), empty] {
        build_ok(&root, &site.out(), &["--cache", dir.to_str().unwrap()]);
    }
}

/// A named pipe among the sources is no input, as in a build without the
/// cache, and one in the cache folder is no cache: neither is read, so no
/// build waits for a writer that never comes.
#[test]
fn named_pipes_among_the_sources_or_in_the_cache_are_never_read() {
    use rustix::fs::{mknodat, FileType, Mode, CWD};
    let site = Site::new();
    let root = site.root();
    site.build();
    for pipe in [root.join("articles/2024/pipe.md"), root.join("static/pipe.css")] {
        std::fs::create_dir_all(pipe.parent().unwrap()).unwrap();
        mknodat(CWD, &pipe, FileType::Fifo, Mode::from_raw_mode(0o644), 0).unwrap();
    }
    let cache = site.dir.path().join("cache");
    std::fs::remove_file(site.cache_file()).unwrap();
    mknodat(CWD, site.cache_file(), FileType::Fifo, Mode::from_raw_mode(0o644), 0).unwrap();
    for _ in 0..2 {
        let output = site
            .build_with_cache(&cache)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{stderr}");
    }
    assert!(
        std::fs::metadata(site.cache_file()).unwrap().is_file(),
        "a cache is saved in its place"
    );
    site.assert_clean();
}

/// A named pipe in place of `site.yaml` or of a source file is an error at
/// that file, with or without the cache; it is never opened to wait on a
/// writer that does not come (this hung every build before).
#[test]
fn a_named_pipe_in_place_of_site_yaml_is_an_error_not_a_wait() {
    use rustix::fs::{mknodat, FileType, Mode, CWD};
    let site = Site::new();
    let root = site.root();
    let config = root.join("site.yaml");
    let text = std::fs::read(&config).unwrap();
    std::fs::remove_file(&config).unwrap();
    mknodat(CWD, &config, FileType::Fifo, Mode::from_raw_mode(0o644), 0).unwrap();
    let cache = site.dir.path().join("cache");
    for args in [vec!["--no-cache"], vec!["--cache", cache.to_str().unwrap()]] {
        let output = assert_cmd::Command::cargo_bin("pressroom")
            .unwrap()
            .args([
                "build",
                "--root",
                root.to_str().unwrap(),
                "--out",
                site.out().to_str().unwrap(),
            ])
            .args(&args)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("site.yaml:1:1: error: could not read file: it is not a regular file"),
            "{args:?}: {stderr}"
        );
    }
    std::fs::remove_file(&config).unwrap();
    write(&config, &text);
    build_ok(&root, &site.out(), &["--cache", cache.to_str().unwrap()]);
}

/// A build stopped before it saved its first cache (here: content errors)
/// leaves a folder the next build still takes as its own: the folder is
/// marked before anything else is put in it.
#[test]
fn a_cache_folder_a_failed_first_build_left_is_still_taken() {
    let site = Site::new();
    let cache = site.dir.path().join("c");
    std::fs::create_dir(&cache).unwrap();
    let bad = site.root().join("topics/bad.yaml");
    write(&bad, b"name: [\n");
    let output = site.build_with_cache(&cache).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(
        std::fs::read_dir(&cache).unwrap().next().is_some(),
        "the build left something"
    );
    std::fs::remove_file(&bad).unwrap();
    build_ok(&site.root(), &site.out(), &["--cache", cache.to_str().unwrap()]);
}

/// A named pipe where the tag should be is no tag, and is not waited for;
/// the root of the file system is named as what it is.
#[test]
fn a_named_pipe_for_a_tag_or_the_root_is_refused_at_once() {
    use rustix::fs::{mknodat, FileType, Mode, CWD};
    let site = Site::new();
    let cache = site.dir.path().join("c");
    std::fs::create_dir(&cache).unwrap();
    mknodat(
        CWD,
        cache.join("CACHEDIR.TAG"),
        FileType::Fifo,
        Mode::from_raw_mode(0o644),
        0,
    )
    .unwrap();
    for (dir, why) in [
        (cache.as_path(), "not a pressroom cache"),
        (std::path::Path::new("/"), "root of the file system"),
    ] {
        let output = site
            .build_with_cache(dir)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("as the cache folder") && stderr.contains(why),
            "{stderr}"
        );
    }
}
