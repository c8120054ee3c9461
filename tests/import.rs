//! `pressroom import`: fixture Hugo and Jekyll sites, the 18F Eleventy
//! archive, and the command's refusals. Each imported site must then pass
//! `pressroom check`, since an import that the build rejects is no import.

use crate::common::{fixture, pressroom, read_tree};
use std::path::{Path, PathBuf};

fn import(args: &[&str], out: &Path) -> (String, String) {
    let output = pressroom()
        .arg("import")
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .expect("pressroom runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(0), "import failed:\n{stdout}\n{stderr}");
    (stdout, stderr)
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn assert_checks(out: &Path) {
    pressroom().args(["check", "--root"]).arg(out).assert().code(0);
}

/// No template syntax may survive into any written file.
fn assert_no_template_syntax(out: &Path) {
    for (path, bytes) in read_tree(out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("{%") && !text.contains("{{<"),
            "{path} keeps template syntax"
        );
    }
}

fn summary_line<'a>(stdout: &'a str, label: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.trim_start().starts_with(label))
        .unwrap_or_else(|| panic!("no `{label}` line in:\n{stdout}"))
        .trim()
}

#[test]
fn hugo_fixture_imports_and_checks() {
    let source = fixture("import-hugo");
    let before = read_tree(&source);
    let out = tempfile::tempdir().unwrap();
    let (stdout, stderr) = import(&["hugo", source.to_str().unwrap()], out.path());
    assert_eq!(read_tree(&source), before, "the source folder was modified");
    assert_eq!(summary_line(&stdout, "articles:"), "articles: 6 (2 drafts)");
    assert_eq!(
        summary_line(&stdout, "cross-references:"),
        "cross-references: 4 resolved, 2 unresolved"
    );

    // Author term pages become author files; the byline-less post gets the site author.
    assert!(read(out.path(), "authors/jane-roe.yaml").contains("role: Senior Fellow, Energy Markets"));
    assert!(read(out.path(), "authors/review-editors.yaml").contains("name: Review Editors"));
    assert!(read(out.path(), "topics/energy.yaml").contains("Generation, transmission"));

    // TOML front matter, permalinks as aliases, ref with a heading, relref by bundle name.
    let grid = read(out.path(), "articles/2019/grid-reliability.md");
    assert!(grid.contains("date: 2019-05-14T21:30:00-04:00"));
    assert!(grid.contains("- /2019/05/grid-reliability/"));
    assert!(grid.contains("[why rates rise](../2018/rates.md#why-rates-rise)"));
    assert!(grid.contains("[full storage piece](../2020/storage-bundle.md)"));
    assert!(grid.contains(
        "![Map of outages by county](/images/outage-map.png)\n*Outages on the coldest night (State grid operator)*"
    ));
    assert!(grid.contains("[about the Review](https://policy.example.org/about/)"));

    // BOM, CRLF, a repeated key and an entity in the title, each repaired and reported.
    let rates = read(out.path(), "articles/2018/rates.md");
    assert!(rates.starts_with("---\ntitle: Why rates rise & what regulators can do\n"));
    assert!(rates.contains("summary: A primer on the rate base and how it grows."));
    assert!(rates.contains("- /old/rates/"));
    assert!(rates.contains("> **Note:** Rate cases are public"));
    assert!(rates.contains("```python\nreturn_on_equity = 0.095\n```"));
    assert!(!rates.contains('\r'));
    assert!(stderr.contains("content/posts/rates.md:1:1: warning: byte-order mark removed"));
    assert!(stderr.contains("content/posts/rates.md:7:1: warning: key `summary` repeated"));
    assert!(stderr.contains("content/posts/grid-reliability.md:22:1: warning: shortcode `newsletter-signup` removed"));

    // Page-bundle resources are copied under static/.
    let bundle = read(out.path(), "articles/2020/storage-bundle.md");
    assert!(bundle.contains("src: /images/storage-bundle/cover.png"));
    assert!(out.path().join("static/images/storage-bundle/cycles.png").is_file());
    assert!(read(out.path(), "articles/2021/unfinished.md").contains("draft: true"));
    // Hugo would no longer publish an expired post: it comes over as a draft.
    assert!(read(out.path(), "articles/2019/winter-tariff.md").contains("draft: true"));
    assert!(stderr.contains("content/posts/winter-tariff.md:4:1: warning: expired"));

    assert_no_template_syntax(out.path());
    assert_checks(out.path());
}

#[test]
fn jekyll_fixture_imports_and_checks() {
    let source = fixture("import-jekyll");
    let before = read_tree(&source);
    let out = tempfile::tempdir().unwrap();
    // Kind left out: detected from _config.yml.
    let (stdout, stderr) = import(&[source.to_str().unwrap()], out.path());
    assert_eq!(read_tree(&source), before, "the source folder was modified");
    assert!(stdout.starts_with("imported jekyll site"));
    assert_eq!(
        summary_line(&stdout, "cross-references:"),
        "cross-references: 6 resolved, 2 unresolved"
    );
    assert!(stdout.contains("_posts/2016-01-05-second-look.md:12: unresolved reference: no post `2099-01-01-nothing`"));

    assert_eq!(
        read(out.path(), "authors/jdoe.yaml"),
        "name: Jordan Doe\nrole: Budget analyst\nbio: Jordan follows state budgets.\n"
    );
    assert!(read(out.path(), "authors/pat-quinn.yaml").contains("name: Pat Quinn"));
    assert!(stderr.contains("byline `Pat Quinn` is not in the team list"));

    let first = read(out.path(), "articles/2015/first-budget-notes.md");
    assert!(first.contains("date: 2015-03-19T21:05:00-04:00"));
    assert!(first.contains("summary: Why the first draft matters \u{2014} and who reads it."));
    assert!(first.contains("- /2015/03/19/first-budget-notes/\n- /2015/03/first-notes/"));
    assert!(first.contains("[here](../2016/second-look.md)"));
    assert!(first.contains("[there](../2016/second-look.md#methods)"));
    assert!(first.contains("![Bar chart of spending](/assets/img/chart.png)"));
    assert!(first.contains("```ruby\nputs \"budget\"\n```"));
    assert!(first.contains("<pre><code class=\"language-liquid\">&#123;% for line in page.lines %}"));
    assert!(out.path().join("static/assets/img/chart.png").is_file());

    let second = read(out.path(), "articles/2016/second-look.md");
    assert!(second.contains("[first notes](../2015/first-budget-notes.md)"));
    // A redirect_from URL resolves too; its unknown anchor is dropped and reported.
    assert!(second.contains("[old first notes URL](../2015/first-budget-notes.md)"));
    assert!(stderr.contains("the anchor was left off"), "{stderr}");
    assert!(second.contains("[missing post](https://ledger.example.com/2014/01/01/gone/)"));
    // An in-page anchor the build could not find loses its link, not the text.
    assert!(second.contains("Back to [Methods](#methods); jump.\n"));
    assert!(stderr.contains("#nowhere: no heading `#nowhere` there"));

    // One-digit month in the file name, blank lines before ---, a tab: all read.
    let corrections = read(out.path(), "articles/2016/corrections.md");
    assert!(corrections.contains("- editorial-board") && corrections.contains("- corrections"));
    let holiday = read(out.path(), "articles/2017/holiday-spending.md");
    assert!(holiday.contains("[the corrections policy](../2016/corrections.md)"));
    // An old URL another post already redirects from is not claimed twice.
    assert!(holiday.contains("aliases:\n- /2017/07/04/holiday-spending/\n---"));
    assert!(stderr.contains("old URL /2015/03/first-notes/ is taken by another page"));
    assert!(read(out.path(), "site.yaml").contains("base_url: https://ledger.example.com/"));

    assert_no_template_syntax(out.path());
    assert_checks(out.path());
}

#[test]
fn eleventy_fixture_imports_and_checks() {
    let source = fixture("import-eleventy");
    let out = tempfile::tempdir().unwrap();
    let (stdout, _) = import(&[source.to_str().unwrap()], out.path());
    assert!(stdout.starts_with("imported eleventy site"));
    assert_eq!(
        summary_line(&stdout, "cross-references:"),
        "cross-references: 2 resolved, 0 unresolved"
    );
    // A JSON team list in the input folder's _data/, found without --authors.
    assert_eq!(
        read(out.path(), "authors/mrivera.yaml"),
        "name: Maria Rivera\nrole: Editor\n"
    );
    let upzoning = read(out.path(), "articles/2022/upzoning.md");
    // The directory data file's permalink and `posts` collection tag.
    assert!(upzoning.contains("topics:\n- zoning\nsummary"));
    assert!(upzoning.contains("aliases:\n- /blog/2022/upzoning/"));
    assert!(upzoning.contains("[the follow-up](../2022/rent-follow-up.md)"));
    let rents = read(out.path(), "articles/2022/rent-follow-up.md");
    assert!(rents.contains("[the permit numbers](../2022/upzoning.md#permits)"));
    assert!(rents.contains("![Line chart of median rents](/img/rents.png)"));
    assert!(out.path().join("static/img/rents.png").is_file());
    assert!(read(out.path(), "site.yaml").contains("language: en-GB"));
    assert_checks(out.path());
}

/// The 18F corpus kept in the repository (`tests/corpora/18f`, see its
/// PROVENANCE.md).
fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpora/18f")
}

/// The 18F blog: 509 Eleventy posts with Liquid, authors in a CSV team list.
#[test]
fn eighteen_f_archive_imports_and_builds() {
    let source = corpus();
    let out = tempfile::tempdir().unwrap();
    let authors = source.join("team_members.csv.from-1db0bca2");
    let (stdout, _) = import(
        &[
            "eleventy",
            source.to_str().unwrap(),
            "--authors",
            authors.to_str().unwrap(),
            "--quiet",
        ],
        out.path(),
    );
    assert_eq!(summary_line(&stdout, "articles:"), "articles: 509 (0 drafts)");
    assert_eq!(summary_line(&stdout, "authors:"), "authors: 340 (340 from team lists)");
    assert_eq!(summary_line(&stdout, "topics:"), "topics: 142");
    assert_eq!(
        summary_line(&stdout, "cross-references:"),
        "cross-references: 580 resolved, 1 unresolved"
    );
    assert_eq!(
        summary_line(&stdout, "original site:"),
        "original site: https://18f.gsa.gov"
    );
    let warnings: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("warnings:"))
        .map(str::trim)
        .collect();
    assert_eq!(
        warnings,
        vec![
            "warnings: 861",
            "date: 27",
            "entities: 14",
            "front-matter: 1",
            "image: 602",
            "removed: 213",
            "site: 1",
            "slug: 2",
            "unresolved-link: 1",
            "check: 0 errors, 3 warnings",
        ]
    );
    let files = read_tree(out.path());
    assert_eq!(files.keys().filter(|k| k.starts_with("articles/")).count(), 509);
    assert_eq!(files.keys().filter(|k| k.starts_with("authors/")).count(), 340);
    // The old URL is kept as an alias; post-to-post links are cross-references.
    let hello = read(out.path(), "articles/2014/hello-world-we-are-18f.md");
    assert!(hello.contains("aliases:\n- /2014/03/19/hello-world-we-are-18f/"));
    assert!(hello.contains("- 18f\n"));
    assert_no_template_syntax(out.path());
    assert_checks(out.path());
    let public = tempfile::tempdir().unwrap();
    pressroom()
        .args(["build", "--root"])
        .arg(out.path())
        .arg("--out")
        .arg(public.path())
        .assert()
        .code(0);
    let built = read_tree(public.path());
    assert_eq!(
        built
            .keys()
            .filter(|k| k.starts_with("articles/") && k.ends_with("/index.html"))
            .count(),
        509
    );
    assert!(built.contains_key("authors/aaron/index.html"));
    assert!(built.contains_key("2014/03/19/hello-world-we-are-18f/index.html"));
}

#[test]
fn refuses_a_non_empty_output_folder_without_force() {
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("keep.txt"), "x").unwrap();
    let source = fixture("import-jekyll");
    pressroom()
        .args(["import", "jekyll"])
        .arg(&source)
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not empty; pass --force"));
    pressroom()
        .args(["import", "jekyll"])
        .arg(&source)
        .arg("--out")
        .arg(out.path())
        .arg("--force")
        .assert()
        .code(0);
    assert!(out.path().join("articles/2016/second-look.md").is_file());
}

#[test]
fn rejects_an_unknown_kind_and_an_undetectable_site() {
    let out = tempfile::tempdir().unwrap();
    pressroom()
        .args(["import", "wordpress", "."])
        .arg("--out")
        .arg(out.path().join("x"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown site kind `wordpress`"));
    let empty = tempfile::tempdir().unwrap();
    pressroom()
        .arg("import")
        .arg(empty.path())
        .arg("--out")
        .arg(out.path().join("y"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot tell what generator"));
}

#[test]
fn a_site_without_posts_stops_the_import() {
    let empty = tempfile::tempdir().unwrap();
    std::fs::create_dir(empty.path().join("_posts")).unwrap();
    let out = tempfile::tempdir().unwrap();
    pressroom()
        .arg("import")
        .arg(empty.path())
        .arg("--out")
        .arg(out.path().join("site"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("no posts found"));
}
