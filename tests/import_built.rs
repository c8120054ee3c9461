//! Imports judged by what reaches the reader: each fixture is imported,
//! built, and the built pages are searched for the images, links, names and
//! text the old site showed. The fixture sites are invented for these tests.

use crate::common::{fixture, pressroom, site};
use std::path::Path;

/// Imports `args` into a new folder and builds it; returns the import's
/// stdout and stderr, the imported site and the built one.
fn import_and_build(args: &[&str]) -> (String, String, tempfile::TempDir, tempfile::TempDir) {
    let out = tempfile::tempdir().unwrap();
    let output = pressroom()
        .arg("import")
        .args(args)
        .arg("--out")
        .arg(out.path().join("site"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(0), "import failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("  check: 0 errors"), "{stdout}");
    let public = tempfile::tempdir().unwrap();
    pressroom()
        .args(["build", "--root"])
        .arg(out.path().join("site"))
        .arg("--out")
        .arg(public.path().join("public"))
        .assert()
        .code(0);
    (stdout, stderr, out, public)
}

fn page(public: &Path, rel: &str) -> String {
    let path = public.join("public").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Hugo image shortcodes of every kind a site defines for itself: a path
/// `src`, an id looked up in an image data file, a URL built from a site
/// parameter through a `--shortcodes` map, and one whose file is gone.
#[test]
fn hugo_image_shortcodes_raw_html_links_and_entities_reach_the_built_page() {
    let source = fixture("import-hugo-images");
    let map = fixture("import-maps/harbor.yaml");
    let (stdout, stderr, out, public) =
        import_and_build(&["hugo", source.to_str().unwrap(), "--shortcodes", map.to_str().unwrap()]);
    let html = page(public.path(), "articles/night-shift/index.html");
    // Path src: the file is copied from static/.
    assert!(
        html.contains(r#"<img loading="lazy" src="/images/pier-night.png" alt="The pier lit by sodium lamps" />"#),
        "{html}"
    );
    assert!(html.contains("<em>Pier four at midnight (Ines Barros)</em>"));
    // Id src: alt, caption and credit from data/photos/crane-lift.yaml, the file from assets/.
    assert!(html.contains(
        r#"<img loading="lazy" src="/photos/crane-lift.png" alt="A gantry crane lifting a blue container at dusk" />"#
    ));
    assert!(html.contains("<em>The first lift of the night shift (Port Authority photo desk)</em>"));
    assert!(public.path().join("public/photos/crane-lift.png").is_file());
    // The map's URL pattern, with the site parameter filled in.
    assert!(html
        .contains(r#"<img loading="lazy" src="https://cdn.harbor.example.org/media/uploads/dock-7.png" alt="Dock seven at dawn" />"#));
    // A file the source no longer has: the original site's address, reported.
    assert!(html.contains(r#"<img loading="lazy" src="https://harbor.example.org/uploads/gone-tug.png""#));
    assert!(stderr.contains(
        "content/posts/night-shift.md:16:1: warning: 1 image not in the source (/uploads/gone-tug.png), linked to the original site"
    ), "{stderr}");
    // Raw HTML links to the site's own posts lead to the new pages, a heading kept.
    assert!(html.contains(r#"Earlier: <a href="/articles/tide-tables/">how to read tide tables</a>"#));
    assert!(html.contains(r#"<a href="/articles/tide-tables/#high-water">high water</a>"#));
    assert!(!html.contains("harbor.example.org/2023/"), "{html}");
    // Named entities, in the title and the text.
    assert!(html.contains("Cranes &amp; tides in Köln</h1>"));
    assert!(html.contains("The river port of Köln runs a night shift, as Málaga does — quietly."));
    // Every shortcode is accounted for, and the unknown one gets a map entry.
    for line in [
        "    cdn-image: 1 (mapped: image 1)\n",
        "    image: 1 (image 1)\n",
        "    photo-right: 1 (image 1)\n",
        "    tide-widget: 1 (removed 1)\n",
        "    tide-widget:   # first at content/posts/night-shift.md:18\n      as: nothing",
    ] {
        assert!(stdout.contains(line), "no `{line}` in:\n{stdout}");
    }
    // An image record under data/staff-photos/ is not a team list: no author made of it.
    assert!(stderr.contains("data/staff-photos/portrait-wall.yaml:1:1: warning: data file not read as a team list"));
    let authors: Vec<String> = std::fs::read_dir(out.path().join("site/authors"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(authors, vec!["ines-barros.yaml"]);
}

/// A Jekyll site whose bylines are usernames, its people in a collection
/// with full names, bios and photos: the names, not the usernames, reach
/// the pages; the one byline nobody answers to is listed as a guess.
#[test]
fn jekyll_people_collection_gives_bylines_their_names() {
    let source = fixture("import-jekyll-people");
    let map = fixture("import-maps/street-level.yaml");
    let (stdout, _, out, public) = import_and_build(&[source.to_str().unwrap(), "--shortcodes", map.to_str().unwrap()]);
    // The map applies to a Liquid include too.
    assert!(
        stdout.contains("    include side-note: 1 (mapped: callout 1)\n"),
        "{stdout}"
    );
    assert!(stdout.contains("  people read from: _experts/ (2)\n"), "{stdout}");
    assert!(stdout.contains(
        "  names guessed from bylines (1; write the real name in each file):\n    authors/gwen.yaml: `gwen` -> Gwen (first at _posts/2021-08-01-guest-view.md:3)\n"
    ), "{stdout}");
    let marta = std::fs::read_to_string(out.path().join("site/authors/mkowalski.yaml")).unwrap();
    assert_eq!(
        marta,
        "name: Marta Kowalski\nrole: Housing economist\nbio: Marta studies **housing supply** in mid-sized cities.\nphoto: /assets/people/marta.png\n"
    );
    let rents = page(public.path(), "articles/rent-data/index.html");
    assert!(
        rents.contains("Marta Kowalski") && rents.contains("Tobiah Okafor-Reyes"),
        "{rents}"
    );
    assert!(!rents.contains("Mkowalski") && !rents.contains("Tokafor"));
    assert!(rents.contains(r#"<a href="/articles/zoning-reform/">the zoning piece</a>"#));
    assert!(
        rents.contains("<div class=\"side-note\">\n<p>Rents are in 2021 dollars.</p>\n</div>"),
        "{rents}"
    );
    let author = page(public.path(), "authors/tobi/index.html");
    assert!(author.contains("Tobiah maps bus routes against rent maps."));
    assert!(author.contains(r#"src="/assets/people/tobi.png""#), "{author}");
    assert!(public.path().join("public/assets/people/tobi.png").is_file());
    assert!(page(public.path(), "authors/mkowalski/index.html").contains("<strong>housing supply</strong>"));
    // `_data/navigation.yml` has names too, but its path names no people.
    assert!(!out.path().join("site/authors/home.yaml").exists());
}

/// An import whose result `check` rejects exits 1 and shows the check's
/// diagnostic: here a team list named with --authors has a person with no name.
#[test]
fn an_import_that_check_rejects_exits_1_with_the_diagnostic() {
    let source = site(&[
        ("_config.yml", "title: Ledger\n"),
        (
            "_posts/2020-01-02-budget.md",
            "---\ntitle: Budget\nauthor: rlane\n---\nText.\n",
        ),
    ]);
    let team = site(&[("team.yaml", "- id: rlane\n  role: Editor\n")]);
    let out = tempfile::tempdir().unwrap();
    pressroom()
        .arg("import")
        .arg(source.path())
        .arg("--authors")
        .arg(team.path().join("team.yaml"))
        .arg("--out")
        .arg(out.path().join("site"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "authors/rlane.yaml:1:1: error: missing required key `name`",
        ))
        .stderr(predicates::str::contains(
            "the imported site does not pass `pressroom check",
        ));
}

/// A `--shortcodes` file with a mistake is refused before anything is written.
#[test]
fn a_bad_shortcode_map_is_refused_with_its_line() {
    let map = site(&[("map.yaml", "photo:\n  as: picture\n")]);
    let out = tempfile::tempdir().unwrap();
    pressroom()
        .args(["import", "hugo"])
        .arg(fixture("import-hugo-images"))
        .arg("--shortcodes")
        .arg(map.path().join("map.yaml"))
        .arg("--out")
        .arg(out.path().join("site"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("map.yaml:2:"))
        .stderr(predicates::str::contains("picture"));
    assert!(!out.path().join("site").exists());
}

/// An old URL where the new site writes a page of its own (`/archive/`)
/// loses its redirect, by the core's own list of pages, instead of failing
/// the import.
#[test]
fn an_old_url_on_a_generated_page_loses_its_redirect() {
    let source = site(&[
        ("_config.yml", "title: Ledger\n"),
        (
            "_posts/2020-01-02-budget.md",
            "---\ntitle: Budget\nauthor: Ann Lee\nredirect_from:\n  - /archive/\n  - /old/budget/\n---\nText.\n",
        ),
    ]);
    let out = tempfile::tempdir().unwrap();
    let output = pressroom()
        .arg("import")
        .arg(source.path())
        .arg("--out")
        .arg(out.path().join("site"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains(
        "_posts/2020-01-02-budget.md:1:1: warning: old URL /archive/ is where the new site writes another page or file"
    ), "{stderr}");
    let article = std::fs::read_to_string(out.path().join("site/articles/2020/budget.md")).unwrap();
    assert!(
        article.contains("aliases:\n- /2020/01/02/budget.html\n- /old/budget/\n"),
        "{article}"
    );
}
