//! Every shortcode (or Liquid tag) name met in the bodies, how often, and
//! what became of it, so the report can list them all and hand the user a
//! ready-to-edit `--shortcodes` entry for each one the import did not know.

use std::collections::{BTreeMap, BTreeSet};

/// How one shortcode name was met.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Use {
    /// Uses by outcome (`image`, `removed`, `mapped: callout`).
    pub outcomes: BTreeMap<String, usize>,
    /// Parameter names seen (positional ones as `0`, `1`).
    pub params: BTreeSet<String>,
    /// True when some use had inner content (a paired shortcode).
    pub paired: bool,
    /// True when the import knew what to do with it (built in or mapped).
    pub known: bool,
    /// `path:line` of the first use.
    pub first: String,
}

/// Shortcode name -> its uses.
#[derive(Debug, Default)]
pub struct Tally {
    pub uses: BTreeMap<String, Use>,
}

/// One use of a shortcode, as the converter saw it.
pub struct Seen<'a> {
    pub name: &'a str,
    pub outcome: &'a str,
    pub known: bool,
    pub params: Vec<String>,
    pub paired: bool,
    pub place: String,
}

impl Tally {
    /// Records one use.
    pub fn record(&mut self, seen: Seen<'_>) {
        let entry = self.uses.entry(seen.name.to_ascii_lowercase()).or_default();
        *entry.outcomes.entry(seen.outcome.to_string()).or_insert(0) += 1;
        entry.params.extend(seen.params);
        entry.paired |= seen.paired;
        entry.known |= seen.known;
        if entry.first.is_empty() {
            entry.first = seen.place;
        }
    }

    /// The report's shortcode section: every name with its count and outcomes.
    pub fn render(&self, word: &str) -> String {
        if self.uses.is_empty() {
            return String::new();
        }
        let mut out = format!("  {word}s:\n");
        for (name, used) in &self.uses {
            let total: usize = used.outcomes.values().sum();
            let outcomes: Vec<String> = used.outcomes.iter().map(|(o, n)| format!("{o} {n}")).collect();
            out.push_str(&format!("    {name}: {total} ({})\n", outcomes.join(", ")));
        }
        let unknown: Vec<(&String, &Use)> = self.uses.iter().filter(|(_, u)| !u.known).collect();
        if !unknown.is_empty() {
            out.push_str(&format!(
                "  {word}s it did not know; ready-to-edit entries for a --shortcodes file:\n"
            ));
            for (name, used) in unknown {
                out.push_str(&map_entry(name, used));
            }
        }
        out
    }
}

/// A `--shortcodes` entry guessed from how the shortcode was used.
fn map_entry(name: &str, used: &Use) -> String {
    const SOURCES: [&str; 6] = ["src", "image", "img", "file", "path", "photo"];
    let src = used.params.iter().find(|p| SOURCES.contains(&p.as_str()));
    // A Liquid include is mapped by its file's name alone.
    let key = name.strip_prefix("include ").unwrap_or(name);
    let mut out = format!("    {key}:   # first at {}\n", used.first);
    match src {
        Some(src) => {
            out.push_str(&format!("      as: image\n      src: {src}\n"));
            for (key, names) in [
                ("alt", &["alt", "description"][..]),
                ("caption", &["caption", "title"]),
                ("credit", &["credit", "attribution", "attr"]),
            ] {
                if let Some(found) = used.params.iter().find(|p| names.contains(&p.as_str())) {
                    out.push_str(&format!("      {key}: {found}\n"));
                }
            }
            out.push_str("      # url: \"{params.cdn}/{src}\"   (a pattern, when the site builds the address)\n");
        }
        None => {
            let kind = if used.paired { "content" } else { "nothing" };
            out.push_str(&format!(
                "      as: {kind}   # or image, link, blockquote, callout, content, nothing\n"
            ));
        }
    }
    if !used.params.is_empty() {
        let params: Vec<&str> = used.params.iter().map(String::as_str).collect();
        out.push_str(&format!("      # parameters seen: {}\n", params.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_name_and_proposes_entries_for_unknown_ones() {
        let mut tally = Tally::default();
        for (name, outcome, known) in [
            ("figure", "image", true),
            ("figure", "image", true),
            ("old-image", "removed", false),
        ] {
            tally.record(Seen {
                name,
                outcome,
                known,
                params: vec!["src".into(), "credit".into()],
                paired: false,
                place: "content/posts/a.md:3".into(),
            });
        }
        let text = tally.render("shortcode");
        assert!(text.contains("    figure: 2 (image 2)\n"), "{text}");
        assert!(text.contains("    old-image: 1 (removed 1)\n"), "{text}");
        assert!(
            text.contains("    old-image:   # first at content/posts/a.md:3\n      as: image\n      src: src\n      credit: credit\n"),
            "{text}"
        );
        assert!(!text.contains("    figure:   #"), "{text}");
    }
}
