//! The exactness suite: one site edited in every way a writer edits one,
//! each step compared with a clean build byte for byte. The preview's
//! engine decides what to render from the records each page read, so a
//! kind of edit missing here is a kind of record no test covers.

use super::exact::{ok, Edited};
use crate::common::write;

/// One edit: a file rewritten by replacing text (or written whole).
enum Step {
    Replace(&'static str, &'static str, &'static str),
    /// Two replacements saved together.
    Both([(&'static str, &'static str, &'static str); 2]),
    Write(&'static str, &'static str),
    Remove(&'static str),
}

fn run(site: &mut Edited, steps: &[Step]) {
    for (n, step) in steps.iter().enumerate() {
        let update = match step {
            Step::Replace(rel, from, to) => site.replace(rel, from, to),
            Step::Both(edits) => {
                for (rel, from, to) in edits {
                    let text = site.read(rel);
                    assert!(text.contains(from), "{rel} has no `{from}`");
                    write(&site.path(rel), text.replacen(from, to, 1).as_bytes());
                }
                site.apply(&[edits[0].0, edits[1].0])
            }
            Step::Write(rel, text) => {
                write(&site.path(rel), text.as_bytes());
                site.apply(&[rel])
            }
            Step::Remove(rel) => {
                std::fs::remove_file(site.path(rel)).unwrap();
                site.apply(&[rel])
            }
        };
        ok(&update);
        site.assert_matches_build();
        assert!(n < steps.len());
    }
}

/// English strings with dates written day first.
const I18N_DATES: &str = "date:\n  format: \"{day} {month} {year}\"\n  first_day: \"1\"\n  months: [Jan, Feb, Mar, Apr, May, Jun, Jul, Aug, Sep, Oct, Nov, Dec]\n";

const WATER_1: &str = "articles/2022/water-rates-part-1.md";
const RAINY: &str = "articles/2022/rainy-day-funds.md";
const ZONING: &str = "articles/2023/zoning-reform.md";
const RENTS: &str = "articles/2024/rents-and-reserves.md";

#[test]
fn front_matter_fields_one_by_one() {
    use Step::*;
    let mut site = Edited::new("full");
    run(
        &mut site,
        &[
            // Type: the label, the schema.org type and the search filters.
            Replace(ZONING, "type: Op-Ed", "type: Analysis"),
            // Series: joined, renamed, left.
            Replace(RAINY, "toc: true", "toc: true\nseries: \"Paying for Water\""),
            Replace(WATER_1, "series: \"Paying for Water\"", "series: \"Water Money\""),
            Replace(RAINY, "series: \"Paying for Water\"\n", ""),
            // Aliases: added, moved, removed.
            Replace(RENTS, "extra:", "aliases: [\"/old/rents/\"]\nextra:"),
            Replace(RENTS, "/old/rents/", "/older/rents/"),
            Replace(RENTS, "aliases: [\"/older/rents/\"]\n", ""),
            // Canonical, extra, toc and updated.
            Replace(ZONING, "The Northgate Ledger", "The Ledger"),
            Replace(RENTS, "rents.mp3", "rents-2.mp3"),
            Replace(RAINY, "toc: true", "toc: false"),
            Replace(ZONING, "updated: 2023-10-01", "updated: 2023-11-01"),
            // Summary: set, then taken from the first paragraph again.
            Replace(
                WATER_1,
                "type: Report",
                "type: Report\nsummary: \"Two parts of a bill.\"",
            ),
            Replace(WATER_1, "summary: \"Two parts of a bill.\"\n", ""),
            // The lead image's caption and its file.
            Replace(WATER_1, "fell for a third year", "fell again"),
            // Byline order and topics.
            Replace(ZONING, "[ben-osei, ada-park, dev-rao]", "[dev-rao, ben-osei, ada-park]"),
            Replace(RENTS, "[Rental housing, Budgets]", "[Budgets]"),
            // A slug chosen, then dropped.
            Replace(RAINY, "toc: false", "toc: false\nslug: reserves-explained"),
            Replace(RAINY, "slug: reserves-explained\n", ""),
        ],
    );
}

#[test]
fn bodies_links_and_headings() {
    use Step::*;
    let mut site = Edited::new("full");
    run(
        &mut site,
        &[
            // The first paragraph is the summary of an article without one.
            Replace(WATER_1, "two parts", "three parts"),
            // A new citation gives the cited article a backlink; removing it takes it away.
            Replace(
                WATER_1,
                "whatever you use.",
                "whatever you use. See [reserves](../2022/rainy-day-funds.md).",
            ),
            Replace(WATER_1, " See [reserves](../2022/rainy-day-funds.md).", ""),
            // A heading renamed, with the anchor that names it.
            Both([
                (RAINY, "## How big is big enough", "## How big is enough"),
                (ZONING, "#how-big-is-big-enough", "#how-big-is-enough"),
            ]),
            // An image in a body, sized from its file.
            Replace(
                RENTS,
                "Up four percent.",
                "Up four percent.\n\n![A reservoir](/images/reservoir.svg)",
            ),
            Write(
                "static/images/reservoir.svg",
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"/>\n",
            ),
            // Footnotes.
            Replace(RAINY, "in bad ones.[^size]", "in bad ones."),
        ],
    );
}

#[test]
fn people_topics_strings_and_statics() {
    use Step::*;
    let mut site = Edited::new("full");
    run(
        &mut site,
        &[
            // An author's role, biography and photo (its size read from the file).
            Replace("authors/ada-park.yaml", "Senior Fellow", "Fellow"),
            Replace("authors/ada-park.yaml", "*state budgets*", "**state budgets**"),
            Write(
                "static/images/ada-park.svg",
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 30 40\"/>\n",
            ),
            // A topic's parent dropped and given back; a topic file added.
            Replace("topics/rents.yaml", "parent: Housing\n", ""),
            Replace("topics/rents.yaml", "aliases:", "parent: Housing\naliases:"),
            Write(
                "topics/water.yaml",
                "name: \"Water\"\ndescription: \"Pipes and bills.\"\n",
            ),
            Remove("topics/water.yaml"),
            // A new author file, then used and dropped.
            Write("authors/eve-lin.yaml", "name: \"Eve Lin\"\n"),
            Replace(RENTS, "authors: [ben-osei]", "authors: [ben-osei, eve-lin]"),
            Replace(RENTS, "authors: [ben-osei, eve-lin]", "authors: [ben-osei]"),
            Remove("authors/eve-lin.yaml"),
            // Theme strings of the site's language.
            Write("i18n/en.yaml", "nav_latest: \"Newest\"\nauthors: \"Writers\"\n"),
            // Dates for readers: in pages, and in search results' files too.
            Write("i18n/en.yaml", I18N_DATES),
            Remove("i18n/en.yaml"),
            // A static file beside the images.
            Write("static/files/report.txt", "numbers\n"),
            Remove("static/files/report.txt"),
        ],
    );
}

/// A problem indexing found is placed in the front matter as it now is:
/// an edit that changes nothing indexing decides from (a title), but
/// moves the line the problem is on, moves the problem too.
#[test]
fn an_index_problem_follows_its_line() {
    let mut site = Edited::new("full");
    let update = site.replace(RENTS, "authors: [ben-osei]", "authors: [nobody-here]");
    let report = update.diagnostics.report();
    assert!(report.contains("rents-and-reserves.md:4:"), "{report}");
    let title = "title: \"Rents & Reserves: <Notes> for 2024\"";
    let update = site.replace(RENTS, title, "title: >-\n  Rents & Reserves:\n  <Notes> for 2024");
    let report = update.diagnostics.report();
    assert!(report.contains("rents-and-reserves.md:6:"), "{report}");
    assert_eq!(report, site.fresh_report());
    ok(&site.replace(RENTS, "authors: [nobody-here]", "authors: [ben-osei]"));
    site.assert_matches_build();
}

#[test]
fn failed_edits_keep_the_last_pages_and_their_fix_catches_up() {
    let mut site = Edited::new("full");
    // An edit that fails, then one the failure hid, then the fix: the
    // pages the hidden edit reached must still be rendered.
    let update = site.replace(RENTS, "authors: [ben-osei]", "authors: [nobody-here]");
    assert!(update.diagnostics.has_errors());
    let update = site.replace(ZONING, "Zoning Reform", "Zoning Reforms");
    assert!(update.diagnostics.has_errors());
    ok(&site.replace(RENTS, "authors: [nobody-here]", "authors: [ben-osei]"));
    site.assert_matches_build();
    // A static file at a page's path is refused until it goes.
    write(&site.path("static/feed.xml"), b"<feed/>\n");
    assert!(site.apply(&["static/feed.xml"]).diagnostics.has_errors());
    std::fs::remove_file(site.path("static/feed.xml")).unwrap();
    ok(&site.apply(&["static/feed.xml"]));
    site.assert_matches_build();
    // A template that does not compile, then compiles again.
    let rel = "templates/card.html";
    let card = std::fs::read_to_string(crate::common::repo_root().join(rel)).unwrap();
    write(&site.path(rel), b"{% if %}\n");
    assert!(site.apply(&[rel]).diagnostics.has_errors());
    write(
        &site.path(rel),
        card.replace("</article>", "</article><!-- c -->").as_bytes(),
    );
    ok(&site.apply(&[rel]));
    site.assert_matches_build();
}
