use super::*;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/full")
}

fn options() -> EngineOptions {
    EngineOptions {
        root: fixture(),
        ..EngineOptions::default()
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
    assert!(same.restore(&out).is_ok(), "{:?}", same.note);
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
        assert!(matches!(other.restore(&out), Err(Seed::Fresh)), "{what}");
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
    file::write(&path, &header, |w| Ok(std::io::Write::write_all(w, b"junk")?)).unwrap();
    let mut build = CachedBuild::new(&d.path().join("cache"), &options());
    assert!(matches!(build.restore(&out), Err(Seed::Fresh)));
    let warning = build.warning.expect("a warning");
    assert_eq!((warning.code, warning.level), (Code::UnusableCache, Level::Warning));
    assert!(warning.message.contains("does not decode"), "{}", warning.message);
}
