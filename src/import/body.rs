//! The first pass over a post's body: shortcodes or Liquid converted, with
//! what a tag needs to know about the site at hand.

use super::authors::AuthorBook;
use super::edits::Tracked;
use super::front_matter::Document;
use super::lookup::{join_path, Lookup};
use super::report::{Report, WarnKind};
use super::source::{parent_dir, SourceSite};
use super::SourceKind;
use crate::markdown::{slugify, RESERVED_IDS};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};

/// A warning raised at a byte offset of the text being converted.
#[derive(Debug, Clone)]
pub struct Note {
    pub offset: usize,
    pub kind: WarnKind,
    pub message: String,
}

impl Note {
    /// A note at `offset`.
    pub fn new(offset: usize, kind: WarnKind, message: impl Into<String>) -> Note {
        Note {
            offset,
            kind,
            message: message.into(),
        }
    }
}

/// Files to copy into the new site's `static/`, and images not found.
#[derive(Debug, Default)]
pub struct Assets {
    /// Path under `static/` -> path in the source.
    pub copies: BTreeMap<String, String>,
    /// Images of the current article that the source does not have.
    pub missing: Vec<String>,
    /// Why each `xref-missing:N` reference of the current article failed.
    pub missing_refs: Vec<String>,
}

/// What converting one post's body may consult.
pub struct BodyEnv<'a> {
    pub site: &'a SourceSite,
    pub lookup: &'a Lookup,
    pub book: &'a AuthorBook,
    pub doc: &'a Document,
    pub source: &'a str,
    pub old_url: &'a str,
    pub slug: &'a str,
    pub bundle_dir: Option<&'a str>,
    pub site_title: &'a str,
    pub assets: &'a RefCell<Assets>,
}

impl BodyEnv<'_> {
    /// A link target for a post named by file (`post_url`, `ref`).
    pub fn xref_by_name(&self, name: &str, offset: usize, notes: &mut Vec<Note>) -> String {
        let name = name.trim().trim_matches(['"', '\'']);
        let fragment = name.split_once('#').map(|(_, f)| format!("#{f}")).unwrap_or_default();
        match self.lookup.find_by_name(name, self.source) {
            Ok(index) => format!("xref:{index}{fragment}"),
            Err(reason) => match self.lookup.page_url(name.split('#').next().unwrap_or(""), self.source) {
                Some(url) => format!("{url}{fragment}"),
                None => {
                    let _ = (offset, notes);
                    let mut assets = self.assets.borrow_mut();
                    assets.missing_refs.push(reason);
                    format!("xref-missing:{}", assets.missing_refs.len() - 1)
                }
            },
        }
    }

    /// A reference written outside a link (`see {% post_url x %}`): a
    /// Markdown link showing the old URL, or nothing when unresolved.
    pub fn bare_reference(&self, target: String, offset: usize, notes: &mut Vec<Note>) -> String {
        if let Some(n) = target.strip_prefix("xref-missing:") {
            let reason = n
                .parse::<usize>()
                .ok()
                .and_then(|n| self.assets.borrow().missing_refs.get(n).cloned())
                .unwrap_or_default();
            notes.push(Note::new(
                offset,
                WarnKind::UnresolvedLink,
                format!("unresolved reference: {reason}; removed"),
            ));
            return String::new();
        }
        match target.strip_prefix("xref:") {
            Some(rest) => {
                let index = rest.split('#').next().and_then(|i| i.parse().ok()).unwrap_or(0);
                format!("[{}]({target})", self.lookup.old_url_of(index))
            }
            None => target,
        }
    }

    /// A link target for `{% link path %}`: a post, else a page's old URL.
    pub fn link_by_path(&self, path: &str, offset: usize, notes: &mut Vec<Note>) -> String {
        self.xref_by_name(path, offset, notes)
    }

    /// Removes a tag, noting it.
    pub fn removed(&self, name: &str, offset: usize, notes: &mut Vec<Note>) -> String {
        let tag = if self.site.kind == SourceKind::Hugo {
            "shortcode"
        } else {
            "Liquid tag"
        };
        notes.push(Note::new(offset, WarnKind::Removed, format!("{tag} `{name}` removed")));
        String::new()
    }

    /// Removes a `{{ ... }}` output, noting it.
    pub fn removed_output(&self, expr: &str, offset: usize, notes: &mut Vec<Note>) -> String {
        let short: String = expr.chars().take(60).collect();
        notes.push(Note::new(
            offset,
            WarnKind::Removed,
            format!("Liquid output `{{{{ {short} }}}}` removed"),
        ));
        String::new()
    }

    /// The URL to use for an image or file the post refers to: copied into
    /// `static/` when the source has it, else the original site's URL.
    pub fn asset_url(&self, src: &str) -> String {
        let src = src.trim();
        let lower = src.to_ascii_lowercase();
        if lower.starts_with("http://")
            || lower.starts_with("https://")
            || lower.starts_with("data:")
            || src.starts_with("//")
            || src.is_empty()
        {
            return src.to_string();
        }
        let mut assets = self.assets.borrow_mut();
        if let Some(dir) = self.bundle_dir.filter(|_| !src.starts_with('/')) {
            let rel = join_path(dir, src);
            if self.site.root.join(&rel).is_file() {
                let name = rel.rsplit('/').next().unwrap_or(&rel);
                let out = format!("images/{}/{name}", self.slug);
                assets.copies.insert(out.clone(), rel);
                return format!("/{out}");
            }
        }
        let path = if src.starts_with('.') {
            join_path(parent_dir(self.old_url.trim_end_matches('/')), src)
        } else {
            format!("/{}", src.trim_start_matches('/'))
        };
        let path = if path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        };
        match self.site.find_static(&path) {
            Some(rel) => {
                let clean = path.split(['?', '#']).next().unwrap_or(&path).trim_start_matches('/');
                let out = super::source::percent_decode(clean);
                assets.copies.insert(out.clone(), rel);
                format!("/{}", out)
            }
            None => {
                assets.missing.push(path.clone());
                // Without the original address there is nothing valid to
                // point at: the build rejects a local path not in static/.
                match self.lookup.origin() {
                    Some(_) => self.lookup.absolute(&path),
                    None => String::new(),
                }
            }
        }
    }
}

/// Converts the body's shortcodes or Liquid, reporting each note at its line.
pub fn convert_markup(tracked: &mut Tracked, env: &BodyEnv<'_>, report: &mut Report) {
    let mut notes = Vec::new();
    let edits = match env.site.kind {
        SourceKind::Hugo => super::shortcodes::shortcode_edits(&tracked.text, env, &mut notes),
        SourceKind::Jekyll | SourceKind::Eleventy => super::liquid::liquid_edits(&tracked.text, env, &mut notes),
    };
    for note in notes {
        report.warn(note.kind, env.source, tracked.line_of(note.offset), note.message);
    }
    tracked.apply(edits);
}

/// Markdown extensions used wherever the importer parses Markdown: the
/// same as the build's, so both see the same links and headings.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The ids the build gives the headings of a Markdown text: an explicit
/// `{#id}`, else the heading text slugified; never a theme id; repeats
/// numbered `-1`, `-2`.
pub fn heading_ids(text: &str) -> Vec<String> {
    let mut used: HashSet<String> = RESERVED_IDS.iter().map(|s| s.to_string()).collect();
    let mut ids = Vec::new();
    let mut current: Option<(String, Option<String>)> = None;
    for event in Parser::new_ext(text, markdown_options()) {
        match event {
            Event::Start(Tag::Heading { id, .. }) => current = Some((String::new(), id.map(|i| i.to_string()))),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((text, explicit)) = current.take() {
                    let base = explicit.unwrap_or_else(|| slugify(&text));
                    let base = if base.is_empty() { "section".to_string() } else { base };
                    let mut unique = base.clone();
                    let mut n = 1;
                    while !used.insert(unique.clone()) {
                        unique = format!("{base}-{n}");
                        n += 1;
                    }
                    ids.push(unique);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((current, _)) = current.as_mut() {
                    current.push_str(&t);
                }
            }
            _ => {}
        }
    }
    ids
}

/// True when `offset` of `text` is where a link destination starts
/// (`](`, `href="`, or a reference definition's `]:`).
pub fn in_link_destination(text: &str, offset: usize) -> bool {
    let before = text[..offset].trim_end_matches([' ', '<']);
    before.ends_with("](")
        || before.ends_with("]:")
        || before.ends_with("href=\"")
        || before.ends_with("href='")
        || before.ends_with("src=\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_ids_match_the_build() {
        // The build numbers repeated ids and honours {#explicit} ones; an
        // anchor check that disagreed would write broken cross-references.
        assert_eq!(
            heading_ids(
                "# Why *this* matters\n\ntext\n\n## U.S. `code` plan\n\n## Plan {#own}\n\n## Why this matters\n"
            ),
            vec!["why-this-matters", "u-s-code-plan", "own", "why-this-matters-1"]
        );
    }
}
