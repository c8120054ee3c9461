//! Footnotes gathered at the end of the article as numbered notes with
//! links back to where they are cited, as commentary pages show them.

use super::render::body_problem;
use crate::diag::{Code, Diagnostic, Finding, Level};
use pulldown_cmark::{CowStr, Event, TagEnd};
use std::collections::HashMap;

#[derive(Default)]
pub(super) struct Footnotes<'a> {
    /// Labels in the order they are first cited; the index + 1 is the number.
    order: Vec<String>,
    numbers: HashMap<String, (usize, usize)>,
    definitions: HashMap<String, (usize, Vec<Event<'a>>)>,
    current: Option<(String, usize, Vec<Event<'a>>)>,
}

impl<'a> Footnotes<'a> {
    /// Emits the superscript for a citation of `label`.
    pub(super) fn reference(&mut self, label: &str, _offset: usize, events: &mut Vec<Event<'a>>) {
        let next = self.order.len() + 1;
        let entry = self.numbers.entry(label.to_string()).or_insert((next, 0));
        if entry.0 == next {
            self.order.push(label.to_string());
        }
        entry.1 += 1;
        let (number, count) = *entry;
        let id = if count == 1 {
            format!("fnref-{number}")
        } else {
            format!("fnref-{number}-{count}")
        };
        let html = format!(
            "<sup class=\"footnote-ref\"><a href=\"#fn-{number}\" id=\"{id}\" role=\"doc-noteref\" aria-label=\"Note {number}\">{number}</a></sup>"
        );
        let event = Event::InlineHtml(CowStr::from(html));
        match self.current_definition() {
            Some(def) => def.push(event),
            None => events.push(event),
        }
    }

    pub(super) fn start_definition(&mut self, label: CowStr<'a>, offset: usize) {
        self.current = Some((label.to_string(), offset, Vec::new()));
    }

    pub(super) fn end_definition(&mut self) {
        if let Some((label, offset, events)) = self.current.take() {
            self.definitions.insert(label, (offset, events));
        }
    }

    pub(super) fn in_definition(&self) -> bool {
        self.current.is_some()
    }

    pub(super) fn current_definition(&mut self) -> Option<&mut Vec<Event<'a>>> {
        self.current.as_mut().map(|(_, _, events)| events)
    }

    /// Appends the notes section to `html`.
    pub(super) fn finish(mut self, html: &mut String, problems: &mut Vec<Diagnostic>, (body, current): (&str, &str)) {
        let mut unused: Vec<(&String, &usize)> = self
            .definitions
            .iter()
            .filter(|(label, _)| !self.numbers.contains_key(*label))
            .map(|(label, (offset, _))| (label, offset))
            .collect();
        unused.sort_by_key(|(_, offset)| **offset);
        for (label, offset) in unused {
            let message = format!("footnote `[^{label}]` is defined but never cited");
            let finding = Finding::new(Code::UnusedFootnote, message);
            problems.push(body_problem(body, current, *offset, Level::Warning, finding));
        }
        if self.order.is_empty() {
            return;
        }
        html.push_str("<section class=\"footnotes\" id=\"footnotes\" aria-labelledby=\"notes-heading\">\n<h2 id=\"notes-heading\">Notes</h2>\n<ol>\n");
        for (i, label) in self.order.iter().enumerate() {
            let number = i + 1;
            let mut events = self.definitions.remove(label).map(|(_, e)| e).unwrap_or_default();
            let back = Event::InlineHtml(CowStr::from(format!(
                " <a href=\"#fnref-{number}\" class=\"footnote-back\" role=\"doc-backlink\" aria-label=\"Back to citation {number}\">↩</a>"
            )));
            match events.iter().rposition(|e| matches!(e, Event::End(TagEnd::Paragraph))) {
                Some(at) => events.insert(at, back),
                None => events.push(back),
            }
            html.push_str(&format!("<li id=\"fn-{number}\">"));
            pulldown_cmark::html::push_html(html, events.into_iter());
            html.push_str("</li>\n");
        }
        html.push_str("</ol>\n</section>\n");
    }
}

#[cfg(test)]
mod tests {
    use crate::content::StaticFiles;
    use crate::markdown::{render_markdown, LinkContext};
    use std::collections::HashMap;

    fn render(body: &str) -> crate::markdown::Rendered {
        let by_path = HashMap::new();
        let statics = StaticFiles::new();
        let ctx = LinkContext {
            by_path: &by_path,
            urls: &[],
            base_path: "/",
            statics: &statics,
            held_drafts: &Default::default(),
            nearest: &Default::default(),
            sanitize: false,
        };
        render_markdown(body, "a.md", &ctx)
    }

    #[test]
    fn notes_are_numbered_by_first_citation_and_link_back() {
        let r = render("One[^b] two[^a] again[^b].\n\n[^a]: Alpha.\n[^b]: Beta.\n[^c]: Unused.\n");
        let html = &r.html;
        assert!(html.contains("href=\"#fn-1\" id=\"fnref-1\""), "{html}");
        assert!(html.contains("id=\"fnref-1-2\""));
        let beta = html.find("<li id=\"fn-1\"><p>Beta.").expect(html);
        let alpha = html.find("<li id=\"fn-2\"><p>Alpha.").expect(html);
        assert!(beta < alpha);
        assert!(html.contains("href=\"#fnref-2\" class=\"footnote-back\""));
        assert_eq!(r.problems.len(), 1);
        assert!(r.problems[0].message.contains("`[^c]` is defined but never cited"));
    }

    #[test]
    fn a_citation_without_a_note_stays_text() {
        let r = render("Text[^missing].\n");
        assert!(!r.html.contains("fn-"), "{}", r.html);
    }
}
