//! The event loop over pulldown-cmark: heading ids, link rewriting,
//! footnotes and the first paragraph, in one pass.

use super::footnotes::Footnotes;
use super::html::Html;
use super::links::{LinkContext, Resolved};
use super::{slugify, RESERVED_IDS};
use crate::diag::{line_col, Code, Diagnostic, Finding, Level};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;

/// A heading of an article, for anchors and link checks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A cross-reference to another article, at a byte offset of the body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct XRef {
    /// The target's path relative to `articles/`.
    pub target: String,
    pub anchor: Option<String>,
    pub offset: usize,
    /// Line and column (1-based) of the destination in the body.
    pub line: usize,
    pub col: usize,
    /// The destination as written, for messages.
    pub written: String,
}

/// A `#anchor` link within the same article.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LocalAnchor {
    pub anchor: String,
    pub offset: usize,
    pub line: usize,
    pub col: usize,
}

/// A problem at byte `offset` of `body`, placed at its line and column in
/// the body: a rendering depends on the body alone, not on how long the
/// front matter above it is. `graph::link` moves it to the file's line.
pub(super) fn body_problem(body: &str, current: &str, offset: usize, level: Level, finding: Finding) -> Diagnostic {
    let (line, col) = line_col(body, offset);
    finding.at(level, &format!("articles/{current}"), line, col)
}

/// An article body rendered to HTML, with what later stages need from it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Rendered {
    /// Kept apart by the build cache, which stores it on its own.
    #[serde(skip)]
    pub html: Html,
    pub headings: Vec<Heading>,
    pub xrefs: Vec<XRef>,
    /// `#anchor` links within the article itself, with their offsets.
    pub self_anchors: Vec<LocalAnchor>,
    /// The first paragraph as plain text.
    pub first_paragraph: String,
    /// Problems, at lines counted from the body's first line.
    pub problems: Vec<Diagnostic>,
    /// What rendering asked the link context, so that a caller can tell
    /// when the same body would render otherwise.
    pub lookups: Lookups,
}

/// The questions a rendering asked its `LinkContext`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Lookups {
    /// Article paths (relative to `articles/`) that links named.
    pub articles: Vec<String>,
    /// Local image sources checked against `static/`.
    pub images: Vec<String>,
}

/// The Markdown extensions pressroom reads: every parser of article text uses these.
pub fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `body` of the article at `current` (path relative to `articles/`).
pub fn render_markdown(body: &str, current: &str, ctx: &LinkContext<'_>) -> Rendered {
    let mut out = Rendered::default();
    let mut used_ids: HashSet<String> = RESERVED_IDS.iter().map(|s| s.to_string()).collect();
    let mut events: Vec<Event<'_>> = Vec::with_capacity(body.len() / 16);
    let mut footnotes = Footnotes::default();
    let mut heading: Option<usize> = None;
    let mut image_alt: Option<(usize, String)> = None;
    let mut depth = 0usize;
    let mut summary_state = SummaryState::Waiting;

    for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let offset = dest_offset(body, &range, &dest_url);
                let dest_url = rewrite_link(dest_url, (body, current), ctx, offset, &mut out);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let offset = dest_offset(body, &range, &dest_url);
                image_alt = Some((range.start, String::new()));
                out.lookups.images.push(dest_url.to_string());
                let dest_url = match ctx.resolve_image(&dest_url) {
                    Ok(Some(url)) => CowStr::from(url),
                    Ok(None) => dest_url,
                    Err(finding) => {
                        out.problems
                            .push(body_problem(body, current, offset, Level::Error, finding));
                        dest_url
                    }
                };
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::End(TagEnd::Image) => {
                if let Some((offset, alt)) = image_alt.take() {
                    if alt.trim().is_empty() {
                        let message =
                            "image has no alt text: describe it between the brackets, ![like this](/images/x.png)";
                        let finding = Finding::new(Code::MissingAltText, message);
                        out.problems
                            .push(body_problem(body, current, offset, Level::Warning, finding));
                    }
                }
                Event::End(TagEnd::Image)
            }
            Event::FootnoteReference(label) => {
                footnotes.reference(&label, range.start, &mut events);
                continue;
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                footnotes.start_definition(label, range.start);
                continue;
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                footnotes.end_definition();
                continue;
            }
            other => other,
        };

        if let (Some((_, alt)), Event::Text(t) | Event::Code(t)) = (&mut image_alt, &event) {
            alt.push_str(t);
        }
        track_summary(&event, &mut depth, &mut summary_state, &mut out.first_paragraph);

        match &event {
            Event::Start(Tag::Heading { .. }) if !footnotes.in_definition() => heading = Some(events.len()),
            Event::End(TagEnd::Heading(_)) if !footnotes.in_definition() => {
                if let Some(start) = heading.take() {
                    events.push(event);
                    name_heading(&mut events[start..], &mut used_ids, &mut out.headings);
                    continue;
                }
            }
            _ => {}
        }
        match footnotes.current_definition() {
            Some(def) => def.push(event),
            None => events.push(event),
        }
    }

    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    footnotes.finish(&mut html, &mut out.problems, (body, current));
    if ctx.sanitize {
        html = super::sanitize_html(&html);
    }
    locate_all(body, &mut out);
    // Kept until the pages are written: don't keep the growth slack too.
    html.shrink_to_fit();
    out.html = Html::from(html);
    out
}

/// Turns the byte offsets of links into lines and columns, so
/// later stages need not keep the body.
fn locate_all(body: &str, out: &mut Rendered) {
    let mut lines = Lines::new(body);
    for x in &mut out.xrefs {
        (x.line, x.col) = lines.at(x.offset);
        x.written = written_at(body, x.offset).to_string();
    }
    for a in &mut out.self_anchors {
        (a.line, a.col) = lines.at(a.offset);
    }
}

/// The link destination as written at `offset`.
fn written_at(body: &str, offset: usize) -> &str {
    let rest = body.get(offset..).unwrap_or("");
    let end = rest.find(|c: char| c == ')' || c.is_whitespace()).unwrap_or(rest.len());
    &rest[..end]
}

/// Line and column lookups for offsets that mostly come in increasing order.
struct Lines<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
    line_start: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            text,
            offset: 0,
            line: 1,
            line_start: 0,
        }
    }

    fn at(&mut self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.offset {
            *self = Lines::new(self.text);
        }
        for (i, b) in self.text.as_bytes()[self.offset..offset].iter().enumerate() {
            if *b == b'\n' {
                self.line += 1;
                self.line_start = self.offset + i + 1;
            }
        }
        self.offset = offset;
        (self.line, self.text[self.line_start..offset].chars().count() + 1)
    }
}

/// Rewrites a link destination, recording cross-references and problems.
fn rewrite_link<'a>(
    dest: CowStr<'a>,
    (body, current): (&str, &str),
    ctx: &LinkContext<'_>,
    offset: usize,
    out: &mut Rendered,
) -> CowStr<'a> {
    let looked_up = super::links::article_path(&dest, current);
    if let Some(path) = &looked_up {
        out.lookups.articles.push(path.clone());
    }
    match ctx.resolve_link(&dest, current) {
        Resolved::Keep => dest,
        Resolved::Rooted(url) => url.into(),
        Resolved::SelfAnchor(anchor) => {
            out.self_anchors.push(LocalAnchor {
                anchor,
                offset,
                line: 0,
                col: 0,
            });
            dest
        }
        Resolved::Article { anchor, url, .. } => {
            out.xrefs.push(XRef {
                target: looked_up.unwrap_or_default(),
                anchor,
                offset,
                line: 0,
                col: 0,
                written: String::new(),
            });
            url.into()
        }
        Resolved::Broken(finding) => {
            out.problems
                .push(body_problem(body, current, offset, Level::Error, finding));
            dest
        }
        Resolved::Missing { path, finding } => {
            let problem = body_problem(body, current, offset, Level::Error, finding);
            out.problems.push(problem.caused_by(Some(path)));
            dest
        }
    }
}

/// Gives the heading in `events` (start tag to end tag) its unique id.
fn name_heading(events: &mut [Event<'_>], used: &mut HashSet<String>, headings: &mut Vec<Heading>) {
    let mut text = String::new();
    for e in events.iter() {
        if let Event::Text(t) | Event::Code(t) = e {
            text.push_str(t);
        }
    }
    if let Event::Start(Tag::Heading { level, id, .. }) = &mut events[0] {
        let base = match id {
            Some(explicit) => explicit.to_string(),
            None => {
                let s = slugify(&text);
                if s.is_empty() {
                    "section".to_string()
                } else {
                    s
                }
            }
        };
        let mut unique = base.clone();
        let mut n = 1;
        while !used.insert(unique.clone()) {
            unique = format!("{base}-{n}");
            n += 1;
        }
        headings.push(Heading {
            level: *level as u8,
            id: unique.clone(),
            text,
        });
        *id = Some(unique.into());
    }
}

/// The destination's own offset inside `[text](dest)`, for error columns:
/// the last `(` followed by the destination as written.
fn dest_offset(body: &str, range: &std::ops::Range<usize>, dest: &str) -> usize {
    let Some(source) = body.get(range.clone()) else {
        return range.start;
    };
    let bytes = source.as_bytes();
    (0..bytes.len())
        .rev()
        .find(|&i| bytes[i] == b'(' && source[i + 1..].trim_start_matches('<').starts_with(dest))
        .map_or(range.start, |i| {
            range.start + i + 1 + (source[i + 1..].len() - source[i + 1..].trim_start_matches('<').len())
        })
}

#[derive(PartialEq, Eq)]
enum SummaryState {
    Waiting,
    Inside,
    Done,
}

fn track_summary(event: &Event<'_>, depth: &mut usize, state: &mut SummaryState, summary: &mut String) {
    match event {
        Event::Start(Tag::Paragraph) if *depth == 0 && *state == SummaryState::Waiting => *state = SummaryState::Inside,
        Event::End(TagEnd::Paragraph) if *state == SummaryState::Inside => *state = SummaryState::Done,
        Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::Table(_) | Tag::HtmlBlock) => *depth += 1,
        Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Table | TagEnd::HtmlBlock) => {
            *depth = depth.saturating_sub(1)
        }
        Event::Start(Tag::Strikethrough) => *depth += 1,
        Event::End(TagEnd::Strikethrough) => *depth = depth.saturating_sub(1),
        Event::Text(t) | Event::Code(t) if *state == SummaryState::Inside && *depth == 0 => summary.push_str(t),
        Event::SoftBreak | Event::HardBreak if *state == SummaryState::Inside => summary.push(' '),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::StaticFiles;
    use std::collections::HashMap;

    fn render(body: &str) -> Rendered {
        let by_path: HashMap<String, usize> = [("2019/a.md".to_string(), 0)].into();
        let urls = vec!["/articles/a/".to_string()];
        let statics: StaticFiles = ["images/x.svg".to_string()].into();
        let ctx = LinkContext {
            by_path: &by_path,
            urls: &urls,
            base_path: "/",
            statics: &statics,
            held_drafts: &Default::default(),
            nearest: &Default::default(),
            sanitize: false,
        };
        render_markdown(body, "2020/b.md", &ctx)
    }

    #[test]
    fn heading_ids_are_unique_and_avoid_theme_ids() {
        let r = render("## Costs & risks\n\n## Costs & risks\n\n## Related articles\n");
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["costs-risks", "costs-risks-1", "related-articles-1"]);
        assert!(r.html.contains("<h2 id=\"costs-risks-1\">"), "{}", r.html);
    }

    #[test]
    fn cross_references_are_rewritten_and_recorded() {
        let body = "See [it](../2019/a.md#x) and [gone](../2019/zz.md).\n";
        let r = render(body);
        assert!(r.html.contains("href=\"/articles/a/#x\""));
        assert_eq!(
            r.xrefs,
            vec![XRef {
                line: 1,
                col: 10,
                written: "../2019/a.md#x".into(),
                target: "2019/a.md".into(),
                anchor: Some("x".into()),
                offset: body.find("../2019/a").unwrap()
            }]
        );
        assert_eq!(r.problems.len(), 1);
        let col = body[..body.find("../2019/zz").unwrap()].chars().count() + 1;
        assert_eq!(
            r.problems[0].place,
            crate::diag::Place::file("articles/2020/b.md", 1, col)
        );
        assert_eq!(r.problems[0].code, Code::BrokenCrossReference);
    }

    #[test]
    fn smart_punctuation_tables_and_strikethrough() {
        let r = render("\"Quoted\" -- ~~old~~\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(r.html.contains("“Quoted” –"), "{}", r.html);
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("<table>"));
        assert_eq!(
            r.first_paragraph, "“Quoted” – ",
            "struck-out text stays out of the summary"
        );
    }

    #[test]
    fn images_are_checked_against_static() {
        let r = render("![A chart](/images/x.svg) ![](/images/nope.svg)\n");
        assert!(r.html.contains("src=\"/images/x.svg\""));
        let messages: Vec<&str> = r.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("not found in static/")));
        assert!(messages.iter().any(|m| m.contains("no alt text")));
    }
}
