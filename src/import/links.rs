//! The second pass over a body: every link to another post becomes a
//! pressroom cross-reference (a relative link to its `.md` file), links to
//! the old site's other pages point at the original, images at a copied
//! file or the original.

use super::body::{BodyEnv, LinkTarget};
use super::edits::{Edits, Tracked};
use super::lookup::Target;
use super::report::{Report, WarnKind};
use super::spans::{find_in, inline_dest_span, wrap_dest};
use crate::markdown::{parser_options as markdown_options, slugify};
use pulldown_cmark::{Event, LinkType, Parser, Tag};
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

/// Counts of cross-references.
#[derive(Debug, Default, Clone, Copy)]
pub struct LinkStats {
    pub resolved: usize,
    pub unresolved: usize,
}

/// What the link pass needs beside the body environment.
pub struct LinkCtx<'a> {
    pub env: &'a BodyEnv<'a>,
    /// Output path of each article under `articles/` (`2015/slug.md`).
    pub out_paths: &'a [String],
    /// Heading ids of each article.
    pub headings: &'a [Vec<String>],
    /// Which articles are drafts (a published article may not cite one).
    pub drafts: &'a [bool],
    /// Each article's URL on the new site (with the base path), for raw HTML links.
    pub new_urls: &'a [String],
    /// Index of the article being rewritten.
    pub current: usize,
}

enum Outcome {
    Keep,
    Dest(String),
    Unlink,
}

impl LinkCtx<'_> {
    fn resolve(&self, dest: &str, line: usize, report: &mut Report, stats: &mut LinkStats) -> Outcome {
        let env = self.env;
        if let Some(anchor) = dest.strip_prefix('#') {
            return self.self_anchor(anchor, dest, line, report);
        }
        let written = env.state.borrow().links.get(dest).cloned();
        let target = match written {
            Some(LinkTarget::Missing(reason)) => {
                stats.unresolved += 1;
                report.warn(
                    WarnKind::UnresolvedLink,
                    env.source,
                    line,
                    format!("unresolved reference: {reason}; link text kept"),
                );
                return Outcome::Unlink;
            }
            Some(LinkTarget::Article { index, fragment }) => Target::Article(index, fragment),
            None => env.lookup.classify(dest, env.source, env.old_url),
        };
        match target {
            Target::Article(index, _) if self.drafts[index] && !self.drafts[self.current] => {
                stats.unresolved += 1;
                report.warn(
                    WarnKind::UnresolvedLink,
                    env.source,
                    line,
                    format!("{dest}: the post it cites is imported as a draft; kept as a link to the original site"),
                );
                Outcome::Dest(env.lookup.old_url_of(index))
            }
            Target::Article(index, fragment) => {
                stats.resolved += 1;
                let path = format!("../{}", self.out_paths[index]);
                match fragment.map(|f| self.anchor(index, &f, dest, line, report)) {
                    Some(Some(anchor)) => Outcome::Dest(format!("{path}#{anchor}")),
                    _ => Outcome::Dest(path),
                }
            }
            Target::Unresolved(reason) => {
                stats.unresolved += 1;
                report.warn(
                    WarnKind::UnresolvedLink,
                    env.source,
                    line,
                    format!("{dest}: {reason}; kept as a link to the original site"),
                );
                let absolute = if dest.starts_with('/') && !dest.starts_with("//") {
                    env.lookup.absolute(dest)
                } else {
                    dest.to_string()
                };
                Outcome::Dest(absolute)
            }
            // Without the original address a page link stays a path; one
            // ending in .md would read as a cross-reference to nothing.
            Target::SitePage(url)
                if !url.contains("://") && url.split('#').next().is_some_and(|p| p.ends_with(".md")) =>
            {
                report.warn(
                    WarnKind::UnresolvedLink,
                    env.source,
                    line,
                    format!("{dest}: not a post, and the original address is unknown; link text kept"),
                );
                Outcome::Unlink
            }
            Target::SitePage(url) if url != dest => Outcome::Dest(url),
            Target::SitePage(_) | Target::External => Outcome::Keep,
        }
    }

    /// A link to a place in the same article: the build accepts only its
    /// headings and footnotes, so any other anchor loses its link.
    fn self_anchor(&self, anchor: &str, dest: &str, line: usize, report: &mut Report) -> Outcome {
        let decoded = super::source::percent_decode(anchor);
        let is_note = decoded == "footnotes" || decoded.starts_with("fn-") || decoded.starts_with("fnref-");
        if decoded.is_empty() || is_note || self.headings[self.current].contains(&decoded) {
            return Outcome::Keep;
        }
        match self.anchor(self.current, anchor, dest, line, report) {
            Some(id) => Outcome::Dest(format!("#{id}")),
            None => Outcome::Unlink,
        }
    }

    /// The target's heading id for `fragment`, or `None` (reported) if it has none.
    fn anchor(&self, index: usize, fragment: &str, dest: &str, line: usize, report: &mut Report) -> Option<String> {
        let wanted = super::source::percent_decode(fragment.split(":~:").next().unwrap_or(""));
        if wanted.is_empty() {
            return None;
        }
        let ids = &self.headings[index];
        let wanted_slug = slugify(&wanted);
        let found = ids.iter().find(|id| **id == wanted || **id == wanted_slug).or_else(|| {
            ids.iter()
                .find(|id| !wanted_slug.is_empty() && id.ends_with(&format!("-{wanted_slug}")))
        });
        if found.is_none() {
            report.warn(
                WarnKind::AnchorDropped,
                self.env.source,
                line,
                format!("{dest}: no heading `#{wanted}` there; the anchor was left off"),
            );
        }
        found.cloned()
    }

    /// A raw HTML link, which the build does not rewrite: to an article,
    /// its new URL (its heading checked); else as a Markdown link would go.
    fn html_link(&self, dest: &str, line: usize, report: &mut Report, stats: &mut LinkStats) -> Outcome {
        let env = self.env;
        match env.lookup.classify(dest, env.source, env.old_url) {
            Target::Article(index, _) if self.drafts[index] && !self.drafts[self.current] => {
                self.resolve(dest, line, report, stats)
            }
            Target::Article(index, fragment) => {
                stats.resolved += 1;
                let url = &self.new_urls[index];
                match fragment.and_then(|f| self.anchor(index, &f, dest, line, report)) {
                    Some(anchor) => Outcome::Dest(format!("{url}#{anchor}")),
                    None => Outcome::Dest(url.clone()),
                }
            }
            _ => self.resolve(dest, line, report, stats),
        }
    }

    fn image(&self, dest: &str) -> Outcome {
        // Already copied by the first pass (an image shortcode, a bundle's file).
        if self
            .env
            .state
            .borrow()
            .assets
            .copies
            .contains_key(dest.trim_start_matches('/'))
        {
            return Outcome::Keep;
        }
        match self.env.lookup.classify(dest, self.env.source, self.env.old_url) {
            Target::External => Outcome::Keep,
            _ if self.env.state.borrow().links.contains_key(dest) => Outcome::Keep,
            _ => {
                let path = match dest.split_once("://") {
                    Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]).to_string(),
                    None => dest.to_string(),
                };
                // An address on the original site stays unless the source has the file.
                if dest.contains("://") && self.env.site.find_static(&path).is_none() {
                    return Outcome::Keep;
                }
                let url = self.env.asset_url(&path);
                if url == dest {
                    Outcome::Keep
                } else {
                    Outcome::Dest(url)
                }
            }
        }
    }
}

/// Rewrites every link and image of the body.
pub fn rewrite_links(tracked: &mut Tracked, ctx: &LinkCtx<'_>, report: &mut Report, stats: &mut LinkStats) {
    let text = tracked.text.clone();
    let mut edits = Edits::default();
    let parser = Parser::new_ext(&text, markdown_options());
    for (_, def) in parser.reference_definitions().iter() {
        if let Some(span) = find_in(&text, def.span.clone(), &def.dest) {
            let line = tracked.line_of(span.start);
            match ctx.resolve(&def.dest, line, report, stats) {
                Outcome::Dest(new) => edits.replace(span, wrap_dest(&new)),
                Outcome::Unlink => edits.replace(span, "#"),
                Outcome::Keep => {}
            }
        }
    }
    let mut pending_a: Option<(Range<usize>, String)> = None;
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url,
                ..
            }) => {
                let Some(span) = inline_dest_span(&text, range.clone()) else {
                    continue;
                };
                match ctx.resolve(&dest_url, tracked.line_of(span.start), report, stats) {
                    Outcome::Dest(new) => edits.replace(span, wrap_dest(&new)),
                    Outcome::Unlink => {
                        let label_end = span.start - 2;
                        edits.replace(range.start..range.end, text[range.start + 1..label_end].to_string());
                    }
                    Outcome::Keep => {}
                }
            }
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink,
                dest_url,
                ..
            }) => {
                if let Outcome::Dest(new) = ctx.resolve(&dest_url, tracked.line_of(range.start), report, stats) {
                    edits.replace(range, format!("[{dest_url}]({})", wrap_dest(&new)));
                }
            }
            Event::Start(Tag::Image {
                link_type: LinkType::Inline,
                dest_url,
                ..
            }) => {
                if let (Some(span), Outcome::Dest(new)) = (inline_dest_span(&text, range.clone()), ctx.image(&dest_url))
                {
                    edits.replace(span, wrap_dest(&new));
                }
            }
            Event::InlineHtml(html) if pending_a.is_none() && opening_a(&html).is_some() => {
                pending_a = opening_a(&html).map(|href| (range, href));
            }
            Event::InlineHtml(html) if html.trim().eq_ignore_ascii_case("</a>") => {
                if let Some((open, href)) = pending_a.take() {
                    let inner = &text[open.end..range.start];
                    let line = tracked.line_of(open.start);
                    let is_article = matches!(
                        ctx.env.lookup.classify(&href, ctx.env.source, ctx.env.old_url),
                        Target::Article(..)
                    );
                    if is_article && !inner.contains(['[', ']', '<']) {
                        if let Outcome::Dest(new) = ctx.resolve(&href, line, report, stats) {
                            edits.replace(open.start..range.end, format!("[{inner}]({})", wrap_dest(&new)));
                            continue;
                        }
                    }
                    html_urls(&text, open, line, ctx, report, stats, &mut edits);
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                let line = tracked.line_of(range.start);
                html_urls(&text, range, line, ctx, report, stats, &mut edits);
            }
            _ => {}
        }
    }
    if let Some((open, _)) = pending_a {
        let line = tracked.line_of(open.start);
        html_urls(&text, open, line, ctx, report, stats, &mut edits);
    }
    tracked.apply(edits);
}

fn opening_a(html: &str) -> Option<String> {
    static A: OnceLock<Regex> = OnceLock::new();
    let a =
        A.get_or_init(|| Regex::new(r#"(?i)^<a\s[^>]*\bhref\s*=\s*["']([^"']*)["'][^>]*>$"#).expect("valid pattern"));
    a.captures(html.trim()).map(|c| c[1].to_string())
}

/// Rewrites `href` and `src` attributes inside raw HTML.
fn html_urls(
    text: &str,
    range: Range<usize>,
    line: usize,
    ctx: &LinkCtx<'_>,
    report: &mut Report,
    stats: &mut LinkStats,
    edits: &mut Edits,
) {
    static ATTR: OnceLock<Regex> = OnceLock::new();
    let attr =
        ATTR.get_or_init(|| Regex::new(r#"(?i)\b(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')"#).expect("valid pattern"));
    let html = &text[range.clone()];
    for caps in attr.captures_iter(html) {
        let Some(value) = caps.get(2).or_else(|| caps.get(3)) else {
            continue;
        };
        let span = range.start + value.start()..range.start + value.end();
        let dest = value.as_str();
        if dest.starts_with('#') {
            continue;
        }
        let outcome = if caps[1].eq_ignore_ascii_case("src") {
            ctx.image(dest)
        } else {
            ctx.html_link(dest, line, report, stats)
        };
        if let Outcome::Dest(new) = outcome {
            edits.replace(span, super::text::escape_html(&new));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_html_anchor_targets() {
        assert_eq!(
            opening_a("<a href=\"/2015/x/\" class=\"y\">").as_deref(),
            Some("/2015/x/")
        );
        assert_eq!(opening_a("<a name=\"x\">"), None);
    }
}
