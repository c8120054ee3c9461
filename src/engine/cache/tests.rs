use super::*;
use crate::engine::PARTS;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/full")
}

fn options() -> EngineOptions {
    EngineOptions {
        root: fixture(),
        ..EngineOptions::default()
    }
}

impl CachedBuild {
    /// `restore` after a walk of the site's folders, as `open` makes it.
    pub(super) fn restore_walked(&mut self, out: &Path) -> Result<(Box<Engine>, BTreeSet<String>), Seed> {
        self.scanned = inputs::clock_before_now();
        let tree = Tree::walk_with_metadata(&self.root, inputs::FOLDERS);
        self.restore(out, &tree)
    }
}

/// A cache saved for the fixture site, in `dir`; the output folder named.
fn saved(dir: &Path) -> PathBuf {
    let out = dir.join("out");
    let mut build = CachedBuild::new(&dir.join("cache"), &options());
    let CacheOutcome::Loaded(engine) = build.open(options(), &out, &mut Timings::default()) else {
        panic!("no output yet, so nothing can be unchanged");
    };
    build.save(&engine, &out, Summary::default()).unwrap();
    out
}

#[test]
fn another_pressroom_or_setting_starts_afresh() {
    let d = tempfile::tempdir().unwrap();
    let out = saved(d.path());
    let cache = d.path().join("cache");
    let mut same = CachedBuild::new(&cache, &options());
    assert!(same.restore_walked(&out).is_ok(), "{:?}", same.note);
    type Change = fn(&mut Stamp);
    let changes: [(&str, Change); 4] = [
        ("version", |s| s.version.push_str("-next")),
        ("executable", |s| s.executable ^= 1),
        ("base URL", |s| s.base_url = Some("https://elsewhere.example/".into())),
        ("drafts", |s| s.drafts = !s.drafts),
    ];
    for (what, change) in changes {
        let mut other = CachedBuild::new(&cache, &options());
        change(&mut other.stamp);
        assert!(matches!(other.restore_walked(&out), Err(Seed::Fresh)), "{what}");
        assert!(
            other.note.as_deref().unwrap_or_default().contains("another pressroom"),
            "{what}"
        );
        assert!(other.warning.is_none(), "{what}: not a damaged cache");
    }
}

#[test]
fn a_whole_section_that_does_not_decode_is_damage() {
    let d = tempfile::tempdir().unwrap();
    let out = saved(d.path());
    let path = d.path().join("cache").join(FILE);
    // A well-formed file with this pressroom's stamp but a header that
    // ends there, and a state that is not this pressroom's encoding.
    let config = bincode::config::standard();
    let stamp = CachedBuild::new(&d.path().join("cache"), &options()).stamp;
    let header = bincode::serde::encode_to_vec(&stamp, config).unwrap();
    file::write(&path, &header, b"junk").unwrap();
    let mut build = CachedBuild::new(&d.path().join("cache"), &options());
    assert!(matches!(build.restore_walked(&out), Err(Seed::Fresh)));
    let warning = build.warning.expect("a warning");
    assert_eq!((warning.code, warning.level), (Code::UnusableCache, Level::Warning));
    assert!(warning.message.contains("does not decode"), "{}", warning.message);
}

/// A copy of the fixture site in `dir/site`.
fn copied(dir: &Path) -> PathBuf {
    let root = dir.join("site");
    for entry in walkdir::WalkDir::new(fixture()).into_iter().flatten() {
        let to = root.join(entry.path().strip_prefix(fixture()).unwrap());
        match entry.file_type().is_dir() {
            true => std::fs::create_dir_all(&to).unwrap(),
            false => drop(std::fs::copy(entry.path(), &to).unwrap()),
        }
    }
    root
}

/// Options for a copy of the fixture site in `dir`, with the cache and
/// output folders beside it.
pub(super) fn copied_site(dir: &Path) -> (EngineOptions, PathBuf, PathBuf) {
    let options = EngineOptions {
        root: copied(dir),
        ..EngineOptions::default()
    };
    (options, dir.join("cache"), dir.join("out"))
}

/// A cached build of `options` (its output not written), saved: the
/// engine, and how many shards of the state the save wrote.
pub(super) fn built_and_saved(options: &EngineOptions, cache: &Path, out: &Path) -> (Box<Engine>, usize) {
    let mut build = CachedBuild::new(cache, options);
    let CacheOutcome::Loaded(engine) = build.open(options.clone(), out, &mut Timings::default()) else {
        panic!("the output folder is never written here");
    };
    let (written, _) = build.save(&engine, out, Summary::default()).unwrap();
    (engine, written)
}

/// Only the article files whose bytes changed are read and parsed again:
/// not those only touched, and every other article comes back as it was.
#[test]
fn only_article_files_whose_bytes_changed_are_read_again() {
    let d = tempfile::tempdir().unwrap();
    let (options, cache, out) = copied_site(d.path());
    let (engine, _) = built_and_saved(&options, &cache, &out);
    let mut articles: Vec<String> = engine.sources.articles.keys().cloned().collect();
    articles.sort();
    let [same_size, new_size, touched, ..] = &articles[..] else {
        panic!("too few articles: {articles:?}");
    };
    let path = |rel: &str| options.root.join("articles").join(rel);
    let text = std::fs::read_to_string(path(same_size)).unwrap();
    let last = text.trim_end().chars().last().unwrap();
    let swapped = if last == '.' { '!' } else { '.' };
    let edited = format!(
        "{}{swapped}\n",
        &text.trim_end()[..text.trim_end().len() - last.len_utf8()]
    );
    std::fs::write(
        path(same_size),
        format!("{edited}{}", &text[text.trim_end().len() + 1..]),
    )
    .unwrap();
    assert_eq!(std::fs::read(path(same_size)).unwrap().len(), text.len());
    let text = std::fs::read_to_string(path(new_size)).unwrap();
    std::fs::write(path(new_size), format!("{text}\nOne more line.\n")).unwrap();
    let file = std::fs::File::options().write(true).open(path(touched)).unwrap();
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .unwrap();
    let mut again = CachedBuild::new(&cache, &options);
    let Ok((engine, reload)) = again.restore_walked(&out) else {
        panic!("the cache is usable: {:?}", again.note);
    };
    assert_eq!(
        reload.into_iter().collect::<Vec<_>>(),
        [same_size.clone(), new_size.clone()]
    );
    assert_eq!(engine.sources.articles.len(), articles.len(), "every article is kept");
}

/// Each shard of the state is proven whole when it is read: a flipped
/// byte in one (its first, middle or last), or a pack cut inside one, makes the cache unusable
/// with a warning, and the build starts afresh.
#[test]
fn a_damaged_shard_is_detected() {
    let d = tempfile::tempdir().unwrap();
    let out = saved(d.path());
    let cache = d.path().join("cache");
    let mut build = CachedBuild::new(&cache, &options());
    let header = build.read_header().ok().unwrap();
    let bytes = file::read(&cache.join(FILE), true).unwrap().state.unwrap();
    let (state, _) = state::read(bytes).unwrap();
    let pack = cache.join(header.pack.unwrap().0);
    let good = std::fs::read(&pack).unwrap();
    let entries = state.shards.iter().chain(&state.page_parts);
    let places: Vec<(u64, u32)> = entries.map(|k| state.places.place(*k).unwrap()).collect();
    assert_eq!(places.len(), shards::SHARDS + PARTS);
    let restored = |expect_whole: bool, what: &str| {
        let mut build = CachedBuild::new(&cache, &options());
        let got = build.restore_walked(&out);
        assert_eq!(got.is_ok(), expect_whole, "{what}");
        if !expect_whole {
            let warning = build.warning.expect("a warning");
            assert_eq!(warning.code, Code::UnusableCache, "{what}");
            assert!(
                warning.message.contains("part of its state"),
                "{what}: {}",
                warning.message
            );
        }
    };
    restored(true, "the pack as saved");
    for (n, &(offset, len)) in places.iter().enumerate() {
        let end = offset + u64::from(len);
        for at in [offset, offset + u64::from(len) / 2, end - 1] {
            let mut bad = good.clone();
            bad[at as usize] ^= 0x20;
            std::fs::write(&pack, &bad).unwrap();
            restored(false, &format!("shard {n}, byte {at} flipped"));
        }
        std::fs::write(&pack, &good[..end as usize - 1]).unwrap();
        restored(false, &format!("shard {n} cut short"));
    }
    std::fs::write(&pack, &good).unwrap();
    restored(true, "the pack whole again");
}

/// A save writes again only the shards holding an article that changed.
#[test]
fn a_save_after_one_edit_writes_one_shard() {
    let d = tempfile::tempdir().unwrap();
    let (options, cache, out) = copied_site(d.path());
    let build = |expected: usize| {
        let (engine, written) = built_and_saved(&options, &cache, &out);
        assert_eq!(written, expected);
        engine
    };
    let engine = build(shards::SHARDS);
    let rel = engine.sources.articles.keys().next().unwrap().clone();
    let path = options.root.join("articles").join(&rel);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\nOne more line.\n")).unwrap();
    build(1);
    // Nothing changed: the output was not written, so the engine loads.
    build(0);
}

/// The index comes back with the hash of what it was made from, so a
/// build after a body edit does not index the archive again (its index
/// still holds the article as the last build parsed it, equal in all but
/// the body), while one after a title edit does.
#[test]
fn the_index_is_kept_until_what_it_is_made_from_changes() {
    let d = tempfile::tempdir().unwrap();
    let (options, cache, out) = copied_site(d.path());
    let (engine, _) = built_and_saved(&options, &cache, &out);
    let (key, index) = engine.index.as_ref().expect("an index");
    let (key, urls) = (*key, index.urls.clone());
    let rel = index.articles[0].article.rel_path.clone();
    drop(engine);
    let path = options.root.join("articles").join(&rel);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\nOne more line.\n")).unwrap();
    let (engine, _) = built_and_saved(&options, &cache, &out);
    let (kept_key, index) = engine.index.as_ref().expect("an index");
    assert_eq!((*kept_key, &index.urls), (key, &urls));
    let reread = engine.sources.articles[&rel].parsed.as_ref().unwrap();
    let kept = &index.articles[index.by_path[&rel]];
    assert!(
        !std::sync::Arc::ptr_eq(&kept.article, &reread.article),
        "the index was made again"
    );
    assert_eq!(kept.hash, reread.hash);
    drop(engine);
    let retitled: Vec<&str> = text
        .lines()
        .map(|line| match line.starts_with("title:") {
            true => "title: Retitled",
            false => line,
        })
        .collect();
    let retitled = retitled.join("\n");
    assert_ne!(retitled, text);
    std::fs::write(&path, retitled).unwrap();
    let (engine, _) = built_and_saved(&options, &cache, &out);
    let (new_key, index) = engine.index.as_ref().expect("an index");
    assert_ne!(*new_key, key);
    let article = &index.articles[index.by_path[&rel]].article;
    assert_eq!(article.title, "Retitled");
}

/// A build that finds nothing changed, but had to read a file to be sure
/// (touched since the cache was saved), records what it found: the next
/// build trusts the file's new metadata instead of reading it again, as
/// it would every time while nothing else changed.
#[test]
fn a_build_finding_nothing_changed_records_the_files_it_read() {
    let d = tempfile::tempdir().unwrap();
    let (options, cache, out) = copied_site(d.path());
    // An output with nothing in it but its manifest and marker, as its build left it.
    let manifest = crate::output::manifest::Manifest::new(Default::default()).to_json();
    crate::fs::write(&out.join(crate::output::MANIFEST), manifest.as_bytes()).unwrap();
    crate::output::write_marker(&out).unwrap();
    let (engine, _) = built_and_saved(&options, &cache, &out);
    let article = engine.sources.articles.keys().next().unwrap().clone();
    let rel = format!("articles/{article}");
    let touched = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    let file = std::fs::File::options()
        .write(true)
        .open(options.root.join(&rel))
        .unwrap();
    file.set_modified(touched).unwrap();
    let header = |build: &mut CachedBuild| build.read_header().ok().unwrap();
    let before = header(&mut CachedBuild::new(&cache, &options));
    let mut build = CachedBuild::new(&cache, &options);
    let outcome = build.open(options.clone(), &out, &mut Timings::default());
    assert!(matches!(outcome, CacheOutcome::Unchanged(_)), "{:?}", build.note);
    let after = header(&mut build);
    assert!(inputs::same(&after.inputs, &before.inputs));
    assert_ne!(after.inputs[&rel], before.inputs[&rel], "the touch is recorded");
    assert!(after.scanned > before.scanned);
    assert_eq!((after.manifest, after.pack), (before.manifest, before.pack));
    // The state is kept whole: the next build with an edit can use it.
    let text = std::fs::read_to_string(options.root.join(&rel)).unwrap();
    std::fs::write(options.root.join(&rel), format!("{text}\nOne more line.\n")).unwrap();
    let mut again = CachedBuild::new(&cache, &options);
    let Ok((_, reload)) = again.restore_walked(&out) else {
        panic!("the cache is usable: {:?} {:?}", again.note, again.warning);
    };
    assert_eq!(reload.into_iter().collect::<Vec<_>>(), [article]);
}

/// A kept search doc's terms are read from the pack when first asked for,
/// not when the cache is opened: they come back as the build made them,
/// and when they can no longer be read whole then (here a byte of every
/// shard's terms flipped after the open), the build notes the cache
/// damaged (and so throws its pages away, `write_changed`) and saves nothing.
#[test]
fn kept_search_terms_are_read_when_asked_for_and_checked() {
    let d = tempfile::tempdir().unwrap();
    let (options, cache, out) = copied_site(d.path());
    let mut build = CachedBuild::new(&cache, &options);
    let CacheOutcome::Loaded(mut engine) = build.open(options.clone(), &out, &mut Timings::default()) else {
        panic!("the output folder is never written here");
    };
    let state = engine.take_pages();
    engine.put_pages(state);
    build.save(&engine, &out, Summary::default()).unwrap();
    let made = engine.search.docs().clone();
    assert!(made.len() > 3 && made.values().all(|(_, doc)| doc.terms().count() > 0));
    let open = || {
        let mut build = CachedBuild::new(&cache, &options);
        let Ok((engine, _)) = build.restore_walked(&out) else {
            panic!("the cache is usable: {:?}", build.warning);
        };
        (build, engine)
    };
    let (_, engine) = open();
    let kept = engine.search.docs();
    assert_eq!(kept.len(), made.len());
    for (id, (input, doc)) in &made {
        assert_eq!(kept[id].0, *input);
        assert_eq!(*kept[id].1, **doc, "{}", engine.interner.text(id.0));
    }
    assert_eq!(engine.cache_damage(), None);
    let (mut build, engine) = open();
    let header = build.read_header().ok().unwrap();
    let pack = cache.join(header.pack.unwrap().0);
    let mut bytes = std::fs::read(&pack).unwrap();
    let places = &build.restored.as_ref().unwrap().1;
    for &key in build.shards.as_ref().unwrap().terms() {
        let (offset, len) = places.place(key).unwrap();
        bytes[(offset + u64::from(len) / 2) as usize] ^= 0x20;
    }
    // The same file, which the open pack reads.
    std::fs::write(&pack, &bytes).unwrap();
    let (_, doc) = engine.search.docs().values().next().unwrap();
    assert_eq!(doc.terms().count(), 0, "terms that cannot be read are none");
    let why = engine.cache_damage().expect("the damage is noted");
    assert!(why.contains("search terms"), "{why}");
    let saved = build.save(&engine, &out, Summary::default());
    assert!(
        saved.is_err_and(|e| e.to_string().contains("search terms")),
        "nothing saved"
    );
    // And the damaged cache is dropped: the next build starts without it
    // and saves a new one, as the warning says.
    let mut next = CachedBuild::new(&cache, &options);
    assert!(matches!(next.restore_walked(&out), Err(Seed::Fresh)));
    assert!(
        next.note.as_deref().unwrap_or_default().contains("no cache"),
        "{:?}",
        next.note
    );
}

/// A file the build read, edited after the scan and put back after the
/// build, is read again by the next build: the cache does not record the
/// bytes the scan saw for it, which the output may not show. A file the
/// build did not read (its parsed form came from the cache) is not looked
/// at: what the build made of it is what the scan saw, and the next scan
/// reads it again only if its bytes changed.
#[test]
fn a_file_read_by_a_build_edited_during_it_and_put_back_is_read_again() {
    let d = tempfile::tempdir().unwrap();
    let (options, cache, out) = copied_site(d.path());
    let (engine, _) = built_and_saved(&options, &cache, &out);
    let mut articles = engine.sources.articles.keys().cloned();
    let (read, unread) = (articles.next().unwrap(), articles.next().unwrap());
    let path = |rel: &str| options.root.join("articles").join(rel);
    let texts = [&read, &unread].map(|rel| std::fs::read_to_string(path(rel)).unwrap());
    // Edited before the build: read by it.
    let edited = format!("{}\nEdited before the build.\n", texts[0]);
    std::fs::write(path(&read), &edited).unwrap();
    let mut build = CachedBuild::new(&cache, &options);
    let CacheOutcome::Loaded(engine) = build.open(options.clone(), &out, &mut Timings::default()) else {
        panic!("the output folder is never written here");
    };
    assert!(!engine.sources.unread(&read) && engine.sources.unread(&unread));
    std::fs::write(path(&read), format!("{edited}Written while the build ran.\n")).unwrap();
    std::fs::write(path(&unread), format!("{}\nWritten while the build ran.\n", texts[1])).unwrap();
    build.save(&engine, &out, Summary::default()).unwrap();
    std::fs::write(path(&read), &edited).unwrap();
    std::fs::write(path(&unread), &texts[1]).unwrap();
    let mut again = CachedBuild::new(&cache, &options);
    let Ok((_, reload)) = again.restore_walked(&out) else {
        panic!("the cache is usable: {:?}", again.note);
    };
    assert_eq!(reload.into_iter().collect::<Vec<_>>(), [read]);
}
