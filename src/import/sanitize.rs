//! The last pass: no `{%` or `{{<` may reach the output, not even where a
//! post shows template code on purpose (inside `raw` or Hugo's `/* */`).
//! In text they become `&#123;`; code that contains them becomes an HTML
//! `<code>`/`<pre>` element, which renders the same and can hold entities.

use super::edits::{Edits, Tracked};
use super::text::escape_html;
use crate::markdown::parser_options as markdown_options;
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use std::ops::Range;

const FORBIDDEN: [&str; 2] = ["{%", "{{<"];

fn has_forbidden(text: &str) -> bool {
    FORBIDDEN.iter().any(|f| text.contains(f))
}

fn escape_code(code: &str) -> String {
    escape_html(code).replace('{', "&#123;")
}

/// A replacement starting at `start` begins with `<`: text ending in `{{`
/// just before it would make `{{<`, so that `{` is escaped too.
fn guard_before(text: &str, start: usize, edits: &mut Edits) {
    if text[..start].ends_with("{{") {
        edits.replace(start - 1..start, "&#123;");
    }
}

/// Escapes every template delimiter left in the body.
pub fn escape_template_syntax(tracked: &mut Tracked) {
    if !has_forbidden(&tracked.text) {
        return;
    }
    let text = tracked.text.clone();
    let mut edits = Edits::default();
    let mut code_ranges: Vec<Range<usize>> = Vec::new();
    let mut block: Option<(Range<usize>, String, String)> = None;
    for (event, range) in Parser::new_ext(&text, markdown_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                block = Some((range, lang, String::new()));
            }
            Event::Text(t) if block.is_some() => {
                if let Some((_, _, code)) = block.as_mut() {
                    code.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let Some((range, lang, code)) = block.take() else {
                    continue;
                };
                code_ranges.push(range.clone());
                let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
                let top_level = text[line_start..range.start].trim().is_empty();
                // The info string counts too: "```go{{<" opens a block.
                if !has_forbidden(&text[range.clone()]) {
                    continue;
                }
                if top_level {
                    let class = if lang.is_empty() {
                        String::new()
                    } else {
                        format!(" class=\"language-{}\"", escape_code(&lang))
                    };
                    let end = if text[..range.end].ends_with('\n') {
                        range.end - 1
                    } else {
                        range.end
                    };
                    guard_before(&text, range.start, &mut edits);
                    edits.replace(
                        range.start..end,
                        format!(
                            "<pre><code{class}>{}</code></pre>",
                            escape_code(code.trim_end_matches('\n'))
                        ),
                    );
                } else {
                    // Nested in a list or quote: break the delimiter with a zero-width space.
                    for pattern in FORBIDDEN {
                        for (i, _) in text[range.clone()].match_indices(pattern) {
                            edits.replace(range.start + i..range.start + i + 1, "{\u{200b}");
                        }
                    }
                }
            }
            Event::Code(code) if has_forbidden(&code) => {
                code_ranges.push(range.clone());
                guard_before(&text, range.start, &mut edits);
                edits.replace(range, format!("<code>{}</code>", escape_code(&code)));
            }
            Event::Code(_) => code_ranges.push(range),
            _ => {}
        }
    }
    for pattern in FORBIDDEN {
        for (i, _) in text.match_indices(pattern) {
            if !code_ranges.iter().any(|r| r.contains(&i)) {
                edits.replace(i..i + 1, "&#123;");
            }
        }
    }
    tracked.apply(edits);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> String {
        let mut tracked = Tracked::new(text.to_string(), 1);
        escape_template_syntax(&mut tracked);
        tracked.text
    }

    #[test]
    fn escapes_text_inline_code_and_blocks() {
        assert_eq!(run("a {% x %} b"), "a &#123;% x %} b");
        assert_eq!(
            run("use `{{< ref >}}` here"),
            "use <code>&#123;&#123;&lt; ref &gt;}}</code> here"
        );
        let out = run("```html\n<p>{% for a in b %}</p>\n```\n\nafter\n");
        assert_eq!(
            out,
            "<pre><code class=\"language-html\">&lt;p&gt;&#123;% for a in b %}&lt;/p&gt;</code></pre>\n\nafter\n"
        );
        assert!(!out.contains("{%"));
        assert_eq!(run("plain {{ x }}"), "plain {{ x }}");
    }

    #[test]
    fn escapes_an_info_string() {
        let out = run("```go{{<x\n```\n");
        assert_eq!(out, "<pre><code class=\"language-go&#123;&#123;&lt;x\"></code></pre>\n");
        let out = run("- ```go{{<x\n  code\n  ```\n");
        assert!(!out.contains("{{<"), "{out}");
    }

    #[test]
    fn text_before_replaced_code_cannot_form_a_delimiter() {
        // Found by fuzzing: `{{` followed by code that becomes `<code>`.
        assert_eq!(run("a {{`{%`"), "a {&#123;<code>&#123;%</code>");
        let out = run("{{\n```\n{% x %}\n```\n");
        assert!(!out.contains("{{<"), "{out}");
    }
}
