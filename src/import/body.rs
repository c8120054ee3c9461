//! What converting one post's body may consult, shared by the Hugo
//! shortcode and Liquid converters and the link pass: a leaf module, so the
//! converters depend on it and never on each other.

use super::article::Meta;
use super::assets::{AssetIndex, Assets};
use super::authors::AuthorBook;
use super::document::Document;
use super::lookup::Lookup;
use super::markup::Args;
use super::report::{warning, Report, WarnKind};
use super::shortcode_map::ShortcodeMap;
use super::source::SourceSite;
use super::tally::Tally;
use super::SourceKind;
use crate::content::Image;
use crate::diag::{line_col, Diagnostic};
use std::cell::RefCell;
use std::collections::HashMap;

/// What a link destination written by the first pass stands for: the
/// typed side table the link pass reads instead of parsing the text again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// Article `index` of the import, maybe at a heading.
    Article { index: usize, fragment: Option<String> },
    /// A reference (`ref`, `post_url`) that names no post; why.
    Missing(String),
}

/// Per-article state the passes fill in.
#[derive(Debug, Default)]
pub struct ArticleState {
    pub assets: Assets,
    /// Destinations written by the first pass -> what they stand for.
    pub links: HashMap<String, LinkTarget>,
}

/// One use of a shortcode or tag: its name, arguments and where it starts in the body.
pub struct Use<'a> {
    pub name: &'a str,
    pub args: &'a Args,
    pub offset: usize,
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
    /// Output path of each article under `articles/` (`2015/slug.md`).
    pub out_paths: &'a [String],
    pub files: &'a AssetIndex,
    pub map: &'a ShortcodeMap,
    pub tally: &'a RefCell<Tally>,
    pub state: &'a RefCell<ArticleState>,
}

impl BodyEnv<'_> {
    /// A warning at byte `offset` of the post's body, placed at its file line and column.
    pub fn note(&self, offset: usize, kind: WarnKind, message: impl Into<String>) -> Diagnostic {
        let (line, col) = line_col(&self.doc.body, offset);
        warning(kind, self.source, self.doc.body_line + line - 1, col, message)
    }

    /// The file line of byte `offset` of the post's body.
    pub fn line_of(&self, offset: usize) -> usize {
        self.doc.body_line + line_col(&self.doc.body, offset).0 - 1
    }

    /// A link destination for a post named by file (`post_url`, `ref`),
    /// recorded in the side table.
    pub fn xref_by_name(&self, name: &str) -> String {
        let name = name.trim().trim_matches(['"', '\'']);
        let fragment = name.split_once('#').map(|(_, f)| f.to_string());
        let (dest, target) = match self.lookup.find_by_name(name, self.source) {
            Ok(index) => {
                let anchor = fragment.as_ref().map(|f| format!("#{f}")).unwrap_or_default();
                let dest = format!("../{}{anchor}", self.out_paths[index]);
                (dest, LinkTarget::Article { index, fragment })
            }
            Err(reason) => match self.lookup.page_url(name.split('#').next().unwrap_or(""), self.source) {
                Some(url) => return format!("{url}{}", fragment.map(|f| format!("#{f}")).unwrap_or_default()),
                None => (name.to_string(), LinkTarget::Missing(reason)),
            },
        };
        self.state.borrow_mut().links.insert(dest.clone(), target);
        dest
    }

    /// A reference written outside a link (`see {% post_url x %}`): a
    /// Markdown link showing the old URL, or nothing when unresolved.
    pub fn bare_reference(&self, dest: String, offset: usize, notes: &mut Vec<Diagnostic>) -> String {
        let target = self.state.borrow().links.get(&dest).cloned();
        match target {
            Some(LinkTarget::Missing(reason)) => {
                notes.push(self.note(
                    offset,
                    WarnKind::UnresolvedLink,
                    format!("unresolved reference: {reason}; removed"),
                ));
                String::new()
            }
            Some(LinkTarget::Article { index, .. }) => format!("[{}]({dest})", self.lookup.old_url_of(index)),
            None => dest,
        }
    }

    /// The word for a tag of this kind of site, for messages.
    pub fn tag_word(&self) -> &'static str {
        if self.site.kind == SourceKind::Hugo {
            "shortcode"
        } else {
            "Liquid tag"
        }
    }

    /// Removes a tag, noting it.
    pub fn removed(&self, name: &str, offset: usize, notes: &mut Vec<Diagnostic>) -> String {
        let message = format!("{} `{name}` removed", self.tag_word());
        notes.push(self.note(offset, WarnKind::Removed, message));
        String::new()
    }

    /// Removes a `{{ ... }}` output, noting it.
    pub fn removed_output(&self, expr: &str, offset: usize, notes: &mut Vec<Diagnostic>) -> String {
        let short: String = expr.chars().take(60).collect();
        notes.push(self.note(
            offset,
            WarnKind::Removed,
            format!("Liquid output `{{{{ {short} }}}}` removed"),
        ));
        String::new()
    }

    /// The URL to use for an image or file the post refers to: copied into
    /// `static/` when the source has it, else the original site's URL.
    pub fn asset_url(&self, src: &str) -> String {
        let mut state = self.state.borrow_mut();
        let place = super::assets::Place {
            bundle_dir: self.bundle_dir,
            slug: self.slug,
            old_url: self.old_url,
        };
        self.files
            .resolve(self.site, self.lookup, &place, src, &mut state.assets)
    }

    /// The lead image with its file resolved; `alt: ""` (reported) when the
    /// source has no alt text, since the build requires one.
    pub fn lead_image(&self, meta: &Meta, report: &mut Report) -> Option<Image> {
        let raw = meta.image.as_ref()?;
        if raw.alt.is_none() {
            report.warn(
                WarnKind::Image,
                self.source,
                self.image_line(),
                "lead image has no alt text in the source; wrote alt: \"\" (decorative): describe it if it is not",
            );
        }
        let src = self.asset_url(&raw.src);
        if src.contains("://") && !crate::content::fields::is_https(&src) {
            let message =
                format!("lead image `{src}` is not an https:// address, which a lead image must have; left out");
            report.warn(WarnKind::Image, self.source, self.image_line(), message);
            return None;
        }
        (crate::content::fields::is_https(&src) || src.starts_with('/')).then(|| Image {
            src,
            alt: Some(raw.alt.clone().unwrap_or_default()),
            caption: raw.caption.clone(),
            credit: raw.credit.clone(),
        })
    }

    /// The line of the lead image's field in the front matter.
    fn image_line(&self) -> usize {
        self.doc
            .first_of(&["image", "featured_image", "cover", "hero_image", "thumbnail"])
            .map_or(1, |f| f.line)
    }

    /// One warning per article for the images it names that the source lacks.
    pub fn report_missing_images(&self, report: &mut Report) {
        for (rel, new) in std::mem::take(&mut self.state.borrow_mut().assets.renamed) {
            let message = format!("{rel} is copied to static/{new}: another file of the source took its name");
            report.warn(WarnKind::Image, self.source, self.doc.body_line, message);
        }
        let missing = std::mem::take(&mut self.state.borrow_mut().assets.missing);
        if let Some(first) = missing.first() {
            let how = if self.lookup.origin().is_some() {
                "linked to the original site"
            } else {
                "their addresses left empty (pass --base-url)"
            };
            let line = self
                .doc
                .body
                .find(first.trim_start_matches('/'))
                .map_or(self.doc.body_line, |offset| self.line_of(offset));
            report.warn(
                WarnKind::Image,
                self.source,
                line,
                format!(
                    "{} not in the source ({first}), {how}",
                    crate::diag::plural(missing.len(), "image")
                ),
            );
        }
    }
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
