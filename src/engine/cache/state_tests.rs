//! The state section read and written by parts, and the pack appended
//! to only by a build whose index is still the one on disk.

use super::tests::{built_and_saved, copied_site};
use super::*;
use crate::timings::Timings;

/// The pack named in the index on disk, read as a build reads it.
fn pack_named(cache: &Path) -> String {
    let header = file::open(&cache.join(FILE)).unwrap().header;
    let config = bincode::config::standard();
    let ((_, pack), _): ((Stamp, PackName), _) = bincode::serde::decode_from_slice(&header, config).unwrap();
    pack.unwrap().0
}

/// A save appends to the pack it read only while the index on disk is
/// the one it read: after another build saved in between, it writes a new
/// pack, and the index it leaves is whole and used by the next build.
#[test]
fn a_save_appends_only_to_the_pack_of_the_index_it_read() {
    let d = tempfile::tempdir().unwrap();
    let (options, cache, out) = copied_site(d.path());
    built_and_saved(&options, &cache, &out);
    let first = pack_named(&cache);
    let rel = {
        let mut build = CachedBuild::new(&cache, &options);
        let (engine, _) = build.restore_walked(&out).ok().unwrap();
        engine.sources.articles.keys().next().unwrap().clone()
    };
    let path = options.root.join("articles").join(&rel);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\nOne more line.\n")).unwrap();
    // Two builds read the same index; one saves, then the other.
    let open = || {
        let mut build = CachedBuild::new(&cache, &options);
        let CacheOutcome::Loaded(engine) = build.open(options.clone(), &out, &mut Timings::default()) else {
            panic!("the output folder is never written here");
        };
        (build, engine)
    };
    let (early, early_engine) = open();
    let (late, late_engine) = open();
    early.save(&early_engine, &out, Summary::default()).unwrap();
    assert_eq!(pack_named(&cache), first, "the index it read is on disk: appended");
    late.save(&late_engine, &out, Summary::default()).unwrap();
    let second = pack_named(&cache);
    assert_ne!(second, first, "another build saved in between: a new pack");
    let mut next = CachedBuild::new(&cache, &options);
    assert!(next.restore_walked(&out).is_ok(), "{:?}", next.warning);
    assert!(next.warning.is_none());
}

/// The state section of the cache in `cache`, with where its own parts are.
fn state_parts(cache: &Path) -> (Vec<u8>, [std::ops::Range<usize>; 4]) {
    let opened = file::open(&cache.join(FILE)).unwrap();
    let bytes = opened.state().unwrap();
    let (_, read) = state::read(bytes.clone()).unwrap();
    (bytes, read.ranges())
}

/// A copy of the fixture site in `dir`, built and saved: its options,
/// cache and output folders, and its first article in the index.
fn saved_site(dir: &Path) -> (EngineOptions, PathBuf, PathBuf, String) {
    let (options, cache, out) = copied_site(dir);
    let (engine, _) = built_and_saved(&options, &cache, &out);
    let rel = engine.index.as_ref().unwrap().1.articles[0].article.rel_path.clone();
    (options, cache, out, rel)
}

/// A save after a body edit writes the interned texts, the answers,
/// related articles and the index as it read them; one after a title
/// edit encodes the index again. A part that passed the state's checksum
/// yet does not decode is damage, and the build starts afresh.
#[test]
fn the_parts_of_the_state_a_body_edit_leaves_are_written_as_read() {
    let d = tempfile::tempdir().unwrap();
    let (options, cache, out, rel) = saved_site(d.path());
    let part = |(bytes, ranges): &(Vec<u8>, [std::ops::Range<usize>; 4]), n: usize| bytes[ranges[n].clone()].to_vec();
    let before = state_parts(&cache);
    let path = options.root.join("articles").join(&rel);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\nOne more line.\n")).unwrap();
    built_and_saved(&options, &cache, &out);
    let after = state_parts(&cache);
    assert_ne!(before.0, after.0, "the shards' entries changed");
    for n in 0..4 {
        assert_eq!(part(&before, n), part(&after, n), "part {n}");
    }
    std::fs::write(&path, text.replacen("title:", "title: Retitled #", 1)).unwrap();
    built_and_saved(&options, &cache, &out);
    let retitled = state_parts(&cache);
    assert_ne!(part(&after, 3), part(&retitled, 3), "the index is made again");
    let (engine, _) = built_and_saved(&options, &cache, &out);
    let (_, index) = engine.index.as_ref().unwrap();
    assert!(index.articles[index.by_path[&rel]]
        .article
        .title
        .starts_with("Retitled"));
    drop(engine);
    // Each part made not to decode, the state's checksum made to match.
    let header = file::open(&cache.join(FILE)).unwrap().header;
    let (good, ranges) = state_parts(&cache);
    for (n, range) in ranges.iter().enumerate().filter(|(n, _)| *n != ANSWERS) {
        let mut bad = good.clone();
        bad[range.clone()].fill(0xff);
        file::write(&cache.join(FILE), &header, &bad).unwrap();
        let mut build = CachedBuild::new(&cache, &options);
        assert!(matches!(build.restore_walked(&out), Err(Seed::Fresh)), "part {n}");
        let warning = build.warning.expect("a warning");
        assert!(
            warning.message.contains("does not decode"),
            "part {n}: {}",
            warning.message
        );
    }
}

/// Where the answers are among `ReadState::ranges`.
const ANSWERS: usize = 1;

/// The answers of the Markdown's link lookups are read only when the
/// index is made again: a build after a body edit never reads them, and
/// keeps them as they were; one after an article is added reads them, and
/// answers that do not decode (though the state's checksum held) make it
/// start afresh, with a warning.
#[test]
fn the_answers_are_read_when_first_needed_and_checked() {
    let d = tempfile::tempdir().unwrap();
    let (options, cache, out, rel) = saved_site(d.path());
    let header = file::open(&cache.join(FILE)).unwrap().header;
    let (mut bad, ranges) = state_parts(&cache);
    bad[ranges[ANSWERS].clone()].fill(0xff);
    file::write(&cache.join(FILE), &header, &bad).unwrap();
    let open = || {
        let mut build = CachedBuild::new(&cache, &options);
        let outcome = build.open(options.clone(), &out, &mut Timings::default());
        let CacheOutcome::Loaded(engine) = outcome else {
            panic!("the output folder is never written here");
        };
        (build, engine)
    };
    let path = options.root.join("articles").join(&rel);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\nOne more line.\n")).unwrap();
    let (build, engine) = open();
    assert!(build.warning.is_none(), "{:?}", build.warning);
    assert!(engine.markdown.answers().is_none(), "never read");
    build.save(&engine, &out, Summary::default()).unwrap();
    assert_eq!(
        state_parts(&cache).0[ranges[ANSWERS].clone()],
        bad[ranges[ANSWERS].clone()]
    );
    let added = path.with_file_name("an-added-article.md");
    std::fs::write(&added, text.replacen("title:", "title: Added #", 1)).unwrap();
    let (build, engine) = open();
    let warning = build.warning.expect("a warning");
    assert!(
        warning.message.contains("link answers that do not decode"),
        "{}",
        warning.message
    );
    assert!(engine.cache_damage().is_none(), "loaded afresh");
    assert!(engine.markdown.answers().is_some());
}
