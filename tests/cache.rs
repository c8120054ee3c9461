//! The build cache (docs/cli.md#the-build-cache): a cached build renders
//! only what changed, its output always equals a clean build's, and a
//! damaged or shared cache is never trusted.

use crate::common::{build_ok, pressroom, write};
use crate::manifest::{edit_article, site_files, EDITED_PAGE};
use crate::output::mksite;
use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// The sample archive in `dir/site`, its cache in `dir/cache`.
pub(crate) struct Site {
    pub(crate) dir: tempfile::TempDir,
}

impl Site {
    pub(crate) fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        mksite(&dir.path().join("site"));
        Site { dir }
    }

    pub(crate) fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    pub(crate) fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    pub(crate) fn cache_file(&self) -> PathBuf {
        self.dir.path().join("cache/index.bin")
    }

    /// A cached build into `out`; returns stderr.
    pub(crate) fn build(&self) -> String {
        self.build_into(&self.out())
    }

    fn build_into(&self, out: &Path) -> String {
        let cache = self.dir.path().join("cache");
        build_ok(&self.root(), out, &["--cache", cache.to_str().unwrap()])
    }

    /// The command of a build into `out` with the cache in `cache`.
    pub(crate) fn build_with_cache(&self, cache: &Path) -> assert_cmd::Command {
        let mut command = pressroom();
        command
            .arg("build")
            .arg("--root")
            .arg(self.root())
            .arg("--out")
            .arg(self.out());
        command.arg("--cache").arg(cache);
        command
    }

    /// A cached build into `out`, for a test to add flags and run.
    pub(crate) fn command(&self) -> assert_cmd::Command {
        let mut command = pressroom();
        command.arg("build").arg("--cache").arg(self.dir.path().join("cache"));
        command.arg("--root").arg(self.root()).arg("--out").arg(self.out());
        command
    }

    /// The output equals a clean build's, file for file.
    pub(crate) fn assert_clean(&self) {
        let clean = self.dir.path().join("clean");
        build_ok(&self.root(), &clean, &["--no-cache"]);
        let (got, want) = (site_files(&self.out()), site_files(&clean));
        assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>());
        let differ: Vec<&String> = want.keys().filter(|k| got[*k] != want[*k]).collect();
        assert!(
            differ.is_empty(),
            "cached output differs from a clean build: {differ:?}"
        );
        std::fs::remove_dir_all(clean).unwrap();
    }
}

/// "12 of 97 pages rendered" from a build's summary line; `None` when it
/// rendered every page (then the line does not say).
pub(crate) fn rendered(stderr: &str) -> Option<(usize, usize)> {
    assert!(stderr.contains("Built "), "{stderr}");
    let at = stderr.find(" pages rendered")?;
    let words: Vec<&str> = stderr[..at].rsplit(';').next().unwrap().split_whitespace().collect();
    Some((words[0].parse().unwrap(), words[2].parse().unwrap()))
}

fn identities(out: &Path) -> BTreeMap<String, (u64, i64, i64)> {
    site_files(out)
        .into_keys()
        .map(|rel| {
            let m = std::fs::metadata(out.join(&rel)).unwrap();
            (rel, (m.ino(), m.mtime(), m.mtime_nsec()))
        })
        .collect()
}

/// One body edit renders a handful of pages; the others keep their inode
/// and time; the output is a clean build's.
#[test]
fn a_body_edit_renders_few_pages_and_keeps_the_others() {
    let site = Site::new();
    assert_eq!(rendered(&site.build()), None, "a first build renders every page");
    let total = site_files(&site.out()).len();
    let before = identities(&site.out());
    std::thread::sleep(std::time::Duration::from_millis(20));
    edit_article(&site.root());
    let stderr = site.build();
    let (few, _) = rendered(&stderr).expect("a count");
    assert!(few > 0 && few <= 20, "{few} of {total} pages rendered");
    site.assert_clean();
    let after = identities(&site.out());
    let changed: Vec<&String> = after.keys().filter(|p| before.get(*p) != Some(&after[*p])).collect();
    assert!(changed.contains(&&EDITED_PAGE.to_string()), "{changed:?}");
    assert!(changed.len() <= few, "{changed:?} written, {few} rendered");
}

/// With no input changed and the output as it was built, the output is
/// left alone, warnings are printed again, and `--deny-warnings` still fails.
#[test]
fn nothing_changed_leaves_the_output_alone() {
    let site = Site::new();
    write(&site.root().join("site.yaml"), b"title: No base URL\n");
    site.build();
    let before = identities(&site.out());
    let manifest = std::fs::metadata(site.out().join(pressroom::output::MANIFEST)).unwrap();
    let stderr = site.build();
    assert!(stderr.contains("nothing changed, output left as it was"), "{stderr}");
    assert!(stderr.contains("base_url"), "the warning is printed again:\n{stderr}");
    assert_eq!(identities(&site.out()), before);
    let again = std::fs::metadata(site.out().join(pressroom::output::MANIFEST)).unwrap();
    assert_eq!(
        (again.ino(), again.mtime_nsec()),
        (manifest.ino(), manifest.mtime_nsec())
    );
    site.command().arg("--deny-warnings").assert().code(1);
    // A page edited in the output is not "as built": it is written again.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let page = site.out().join("index.html");
    let built = std::fs::read(&page).unwrap();
    std::fs::write(&page, b"edited by hand").unwrap();
    let stderr = site.build();
    assert!(!stderr.contains("nothing changed"), "{stderr}");
    assert_eq!(std::fs::read(&page).unwrap(), built);
    // So is a file added to the output.
    write(&site.out().join("articles/stray.html"), b"stray");
    assert!(!site.build().contains("nothing changed"));
    assert!(!site.out().join("articles/stray.html").exists());
}

/// With the marker deleted from the output, a build that found nothing
/// changed took the output as built and left it alone, and only the next
/// real build refused every entry as foreign. The output without its
/// marker is not as built: the same build refuses it at once.
#[test]
fn an_output_without_its_marker_is_not_as_built() {
    let site = Site::new();
    site.build();
    std::fs::remove_file(site.out().join(pressroom::output::MARKER)).unwrap();
    site.command()
        .assert()
        .code(2)
        .stderr(predicates::str::contains("holds files an earlier build did not make"));
}

/// A changed template renders the pages made with it; a changed site.yaml
/// renders everything; both equal a clean build.
#[test]
fn templates_and_settings_invalidate_what_they_reach() {
    let site = Site::new();
    assert_eq!(rendered(&site.build()), None);
    let template = site.root().join("templates/article.html");
    let text = std::fs::read_to_string(&template).unwrap();
    write(
        &template,
        text.replace("</article>", "<!-- edited --></article>").as_bytes(),
    );
    let (some, total) = rendered(&site.build()).expect("a count");
    assert!(some > 0 && some < total, "{some} of {total}");
    site.assert_clean();
    assert!(std::fs::read_to_string(site.out().join(EDITED_PAGE))
        .unwrap()
        .contains("<!-- edited -->"));
    let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    write(
        &site.root().join("site.yaml"),
        config.replacen("title: \"", "title: \"The ", 1).as_bytes(),
    );
    assert_eq!(rendered(&site.build()), None, "site.yaml reaches every page");
    site.assert_clean();
}

/// A template of the site's that starts or stops including
/// `author_block.html` (which decides whether the block is rendered on its
/// own) reaches the article pages, though none of them reads that template.
#[test]
fn a_template_starting_to_include_a_part_reaches_the_pages_showing_it() {
    let site = Site::new();
    write(
        &site.root().join("templates/author_block.html"),
        b"<p class=\"mine\">{{ author.name }}</p>",
    );
    site.build();
    let page = || std::fs::read_to_string(site.out().join(EDITED_PAGE)).unwrap();
    assert!(page().contains("<p class=\"mine\">"), "{}", page());
    let extra = site.root().join("templates/extra.html");
    write(&extra, b"{% include \"author_block.html\" %}");
    site.build();
    site.assert_clean();
    assert!(!page().contains("<p class=\"mine\">"), "{}", page());
    std::fs::remove_file(&extra).unwrap();
    site.build();
    site.assert_clean();
    assert!(page().contains("<p class=\"mine\">"), "{}", page());
}

/// Flipped bytes, a cut, or a file that is no cache: a warning with its
/// code, a build equal to a clean one, and a whole cache written again.
#[test]
fn a_damaged_cache_is_ignored_with_a_warning() {
    let site = Site::new();
    site.build();
    let good = std::fs::read(site.cache_file()).unwrap();
    let mut damages: Vec<Vec<u8>> = Vec::new();
    for at in [0, 20, 30, 60, 80, good.len() / 2, good.len() - 1] {
        let mut bad = good.clone();
        bad[at] ^= 0x01;
        damages.push(bad);
    }
    damages.push(good[..good.len() / 3].to_vec());
    damages.push(b"not a cache at all".to_vec());
    for (i, bad) in damages.iter().enumerate() {
        edit_article(&site.root());
        std::fs::write(site.cache_file(), bad).unwrap();
        let stderr = site.build();
        assert!(
            stderr.contains("unusable-cache") || stderr.contains("build cache"),
            "damage {i}:\n{stderr}"
        );
        assert_eq!(
            rendered(&stderr),
            None,
            "damage {i}: nothing of a damaged cache is used"
        );
        site.assert_clean();
        let stderr = site.build();
        assert!(
            stderr.contains("nothing changed"),
            "damage {i}: the cache was written again:\n{stderr}"
        );
    }
}

/// A cache path the build cannot use (a file where the folder should be)
/// is a warning in the report's own format that says what to do, and the
/// build goes on without it.
#[test]
fn an_unusable_cache_folder_is_reported_in_the_chosen_format() {
    let site = Site::new();
    let blocker = site.dir.path().join("not-a-folder");
    std::fs::write(&blocker, "a file").unwrap();
    let output = pressroom()
        .args(["build", "--format", "json", "--cache"])
        .arg(&blocker)
        .arg("--root")
        .arg(site.root())
        .arg("--out")
        .arg(site.out())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let reported: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(reported.len(), 2, "{stdout}");
    for warning in &reported {
        assert_eq!(warning["code"], "unusable-cache", "{stdout}");
        assert_eq!(warning["level"], "warning", "{stdout}");
        assert!(
            warning["suggestion"].as_str().unwrap().contains("--no-cache"),
            "{stdout}"
        );
    }
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        !stderr.contains("warning:"),
        "no warning outside the chosen format:\n{stderr}"
    );
    site.assert_clean();
}

/// Builds sharing one cache at once never leave it damaged, and each
/// output equals a clean build.
#[test]
fn concurrent_builds_share_a_cache_safely() {
    let site = Site::new();
    site.build();
    for round in 0..3 {
        edit_article(&site.root());
        let children: Vec<_> = (0..3)
            .map(|i| {
                let out = site.dir.path().join(format!("out{i}"));
                std::process::Command::new(assert_cmd::cargo::cargo_bin("pressroom"))
                    .args(["build", "-q", "--cache"])
                    .arg(site.dir.path().join("cache"))
                    .arg("--root")
                    .arg(site.root())
                    .arg("--out")
                    .arg(out)
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(output.status.success(), "round {round}: {stderr}");
            assert!(!stderr.contains("unusable-cache"), "round {round}: {stderr}");
        }
        let stderr = site.build();
        assert!(!stderr.contains("unusable-cache"), "round {round}: {stderr}");
        site.assert_clean();
    }
    let leftovers: Vec<_> = std::fs::read_dir(site.dir.path().join("cache"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// The default cache folder is `.pressroom-cache/` in the site; `--no-cache`
/// neither reads nor writes one.
#[test]
fn the_cache_folder_defaults_to_the_site_and_no_cache_writes_none() {
    let site = Site::new();
    build_ok(&site.root(), &site.out(), &["--no-cache"]);
    assert!(!site.root().join(".pressroom-cache").exists());
    build_ok(&site.root(), &site.out(), &[]);
    assert!(site.root().join(".pressroom-cache/index.bin").is_file());
    assert!(site.root().join(".pressroom-cache/CACHEDIR.TAG").is_file());
    let stderr = build_ok(&site.root(), &site.out(), &[]);
    assert!(stderr.contains("nothing changed"), "{stderr}");
}

/// A cache without the output it was built with (a CI cache restored
/// alone): the pages it cannot link are rendered, and the output is a
/// clean build's.
#[test]
fn a_cache_without_its_output_renders_what_it_cannot_keep() {
    let site = Site::new();
    site.build();
    std::fs::remove_dir_all(site.out()).unwrap();
    edit_article(&site.root());
    let stderr = site.build();
    assert_eq!(rendered(&stderr), None, "every page rendered:\n{stderr}");
    site.assert_clean();
    assert!(site.build().contains("nothing changed"));
}

/// A site whose only article is a draft: a body edit builds the same site
/// as a clean build (the cache's kept index once stood in for a graph that
/// was never assembled, and the author pages and URLs went missing).
#[test]
fn a_body_edit_in_a_site_with_no_published_article_builds_the_whole_site() {
    let site = Site::new();
    let articles = site.root().join("articles");
    std::fs::remove_dir_all(&articles).unwrap();
    let draft = articles.join("2024/draft.md");
    let text = "---\ntitle: \"Notes Toward a Grid Plan\"\ndate: 2024-05-02\nauthors: [daniel-fitch]\ndraft: true\n---\n\nA first paragraph.\n";
    write(&draft, text.as_bytes());
    site.build();
    site.assert_clean();
    write(&draft, format!("{text}\nA second paragraph.\n").as_bytes());
    site.build();
    site.assert_clean();
    assert!(site.out().join("authors/daniel-fitch/index.html").is_file());
}

/// An article that is a symbolic link, added between cached builds, is
/// skipped as a clean build skips it, not followed.
#[test]
fn a_symlinked_article_added_between_cached_builds_is_not_followed() {
    let site = Site::new();
    site.build();
    let outside = site.dir.path().join("outside.md");
    write(
        &outside,
        b"---\ntitle: \"From Elsewhere\"\ndate: 2024-05-02\nauthors: [daniel-fitch]\n---\n\nNot part of the site.\n",
    );
    std::os::unix::fs::symlink(&outside, site.root().join("articles/linked.md")).unwrap();
    site.build();
    site.assert_clean();
    assert!(!site.out().join("articles/linked").exists());
}

/// `site.yaml` may be a link to a settings file elsewhere (shared by two
/// sites): the build reads it through the link, so a cached build sees an
/// edit of the file it points at, and a link pointed at another file.
#[test]
fn an_edit_of_the_settings_file_a_link_points_at_is_seen() {
    let site = Site::new();
    let root = site.root();
    let shared = site.dir.path().join("shared.yaml");
    let other = site.dir.path().join("other.yaml");
    let text = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    write(&shared, text.as_bytes());
    write(&other, text.replace("title:", "title: Other").as_bytes());
    std::fs::remove_file(root.join("site.yaml")).unwrap();
    std::os::unix::fs::symlink(&shared, root.join("site.yaml")).unwrap();
    site.build();
    let title = text.lines().find(|l| l.starts_with("title:")).unwrap();
    write(
        &shared,
        text.replace(title, "title: Renamed Through The Link").as_bytes(),
    );
    site.build();
    let home = std::fs::read_to_string(site.out().join("index.html")).unwrap();
    assert!(home.contains("Renamed Through The Link"), "{home}");
    site.assert_clean();
    std::fs::remove_file(root.join("site.yaml")).unwrap();
    std::os::unix::fs::symlink(&other, root.join("site.yaml")).unwrap();
    site.build();
    site.assert_clean();
}
