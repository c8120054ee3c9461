//! Placing template errors in the template's source. Tera 1 reports render
//! errors without a position and parse errors where its parser gave up, so
//! this module finds the failing expression (or the unclosed tag) in the
//! template text itself.

use super::templates::TemplateSource;
use regex::Regex;
use std::sync::LazyLock;

/// Where a render error is: template path, line, column, and a message
/// naming the variable, filter or function.
pub(super) fn locate_render_error(
    sources: &[TemplateSource],
    template: &str,
    error: &tera::Error,
) -> (String, usize, usize, String) {
    let mut chain = vec![error.to_string()];
    let mut cause = std::error::Error::source(error);
    while let Some(c) = cause {
        chain.push(c.to_string());
        cause = c.source();
    }
    let top = &chain[0];
    let message = if chain.len() > 1 {
        chain[1..].join(": ")
    } else {
        top.clone()
    };
    let mut message = message.replace('\n', " ");
    let macro_name = capture(&MACRO_FRAME, top);
    if let Some(m) = &macro_name {
        message.push_str(&format!(" (in macro {m})"));
    }
    let needle = chain.iter().rev().find_map(|m| needle(m));
    let mut candidates: Vec<&TemplateSource> = Vec::new();
    if let Some(name) = capture(&HAPPENED_IN, top) {
        candidates.extend(sources.iter().find(|s| s.0 == name));
    }
    if let Some(m) = &macro_name {
        let name = m.rsplit("::").next().unwrap_or(m);
        let definition = format!(r"\{{%-?\s*macro\s+{}\s*\(", regex::escape(name));
        let definition = Regex::new(&definition).expect("escaped macro name");
        candidates.extend(sources.iter().filter(|s| definition.is_match(&s.1)));
    }
    candidates.extend(referenced_closure(sources, template));
    for source in &candidates {
        if let Some((line, col)) = needle.as_ref().and_then(|n| find_in_tags(&source.1, n)) {
            return (source.2.clone(), line, col, message);
        }
    }
    let path = candidates
        .first()
        .map_or_else(|| format!("templates/{template}"), |s| s.2.clone());
    (path, 1, 1, message)
}

static MACRO_FRAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"error while rendering macro `([^`]+)`").expect("valid regex"));
static HAPPENED_IN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(error happened in '([^']+)'\)").expect("valid regex"));

/// Patterns of Tera's messages and of the expression each one names.
static NEEDLES: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (r"Variable `([^`]+)` not found", r"(?:^|[^\w.])({})\b"),
        (r"Filter (?:call )?'(\w+)' (?:not found|failed)", r"\|\s*({})\b"),
        (r"Function (?:call )?'(\w+)' (?:not found|failed)", r"\b({})\s*\("),
        (
            r"Test (?:call )?'(\w+)' (?:not found|failed)",
            r"\bis\s+(?:not\s+)?({})\b",
        ),
        (r"Macro `(\w+)` not found", r"::\s*({})\s*\("),
        (r"`([^`]+)`", r"({})"),
    ]
    .into_iter()
    .map(|(message, needle)| (Regex::new(message).expect("valid regex"), needle))
    .collect()
});

/// A regex for the expression one of Tera's messages names.
fn needle(message: &str) -> Option<Regex> {
    NEEDLES.iter().find_map(|(pattern, needle)| {
        let name = pattern.captures(message)?.get(1)?.as_str();
        Regex::new(&needle.replace("{}", &regex::escape(name))).ok()
    })
}

fn capture(re: &Regex, text: &str) -> Option<String> {
    Some(re.captures(text)?.get(1)?.as_str().to_string())
}

/// `{{ … }}` and `{% … %}` spans of a template (comments are left out).
static TAGS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)\{\{.*?\}\}|\{%.*?%\}").expect("valid regex"));

/// Line and column (1-based, in characters) of the first match inside a tag.
fn find_in_tags(text: &str, needle: &Regex) -> Option<(usize, usize)> {
    TAGS.find_iter(text).find_map(|tag| {
        let found = needle.captures(tag.as_str())?.get(1)?;
        Some(line_col(text, tag.start() + found.start()))
    })
}

/// 1-based line and column of byte offset `at`.
pub(super) fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// Templates a template names by `extends`, `include` and `import`, with
/// what those name in turn: itself first, then breadth first.
pub(super) fn referenced_closure<'a>(sources: &'a [TemplateSource], template: &str) -> Vec<&'a TemplateSource> {
    let mut found: Vec<&TemplateSource> = sources.iter().filter(|s| s.0 == template).collect();
    let mut i = 0;
    while i < found.len() {
        for (name, _) in references(&found[i].1) {
            if let Some(s) = sources.iter().find(|s| s.0 == name) {
                if !found.iter().any(|f| f.0 == s.0) {
                    found.push(s);
                }
            }
        }
        i += 1;
    }
    found
}

static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\{%-?\s*(?:extends|include|import)\s+(?:\[([^\]]*)\]|"([^"]+)"|'([^']+)')"#).expect("valid regex")
});
static QUOTED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#""([^"]+)"|'([^']+)'"#).expect("valid regex"));

/// Template names a template's text refers to (through `extends`,
/// `include` or `import`), with the byte offset of each tag: the one rule
/// for which templates a template uses.
pub(crate) fn references(text: &str) -> Vec<(String, usize)> {
    let mut names = Vec::new();
    for c in REFERENCE.captures_iter(text) {
        let at = c.get(0).map_or(0, |m| m.start());
        match c.get(1) {
            Some(list) => names.extend(
                QUOTED
                    .captures_iter(list.as_str())
                    .filter_map(|q| q.get(1).or(q.get(2)))
                    .map(|m| (m.as_str().to_string(), at)),
            ),
            None => names.extend(c.get(2).or(c.get(3)).map(|m| (m.as_str().to_string(), at))),
        }
    }
    names
}

/// Block tags that need an end tag, and that end tag.
const BLOCKS: &[(&str, &str)] = &[
    ("if", "endif"),
    ("for", "endfor"),
    ("block", "endblock"),
    ("macro", "endmacro"),
    ("filter", "endfilter"),
    ("raw", "endraw"),
];

static BLOCK_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)\{%-?\s*(\w+).*?%\}|\{\{|\{#").expect("valid regex"));

static ENDRAW: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\{%-?\s*endraw\s*-?%\}").expect("valid regex"));

/// The first tag left open in a template that does not parse: a block tag
/// without its end tag, or a `{{`, `{%` or `{#` never closed. Position and message.
pub(super) fn unclosed_tag(text: &str) -> Option<(usize, usize, String)> {
    let mut open: Vec<(&str, usize)> = Vec::new();
    let mut pos = 0;
    while let Some(m) = BLOCK_TAG.find_at(text, pos) {
        pos = m.end();
        let tag = m.as_str();
        if tag == "{{" || tag == "{#" {
            let close = if tag == "{{" { "}}" } else { "#}" };
            match text[pos..].find(close) {
                Some(i) => pos += i + 2,
                None => {
                    return Some(unclosed_at(
                        text,
                        m.start(),
                        format!("`{tag}` is never closed with `{close}`"),
                    ))
                }
            }
            continue;
        }
        let name = BLOCK_TAG
            .captures(tag)
            .and_then(|c| c.get(1))
            .map_or("", |n| n.as_str());
        if let Some((start, _)) = BLOCKS.iter().find(|(s, _)| *s == name) {
            open.push((start, m.start()));
            if *start == "raw" {
                match ENDRAW.find_at(text, pos) {
                    Some(e) => {
                        pos = e.end();
                        open.pop();
                    }
                    None => break,
                }
            }
        } else if let Some((start, _)) = BLOCKS.iter().find(|(_, e)| *e == name) {
            match open.last() {
                Some((top, _)) if top == start => {
                    open.pop();
                }
                Some(&(top, at)) => return Some(never_ended(text, top, at)),
                None => return Some(unclosed_at(text, m.start(), format!("`{{% {name} %}}` ends nothing"))),
            }
        }
    }
    if let Some(i) = text[pos..].find("{%") {
        return Some(unclosed_at(text, pos + i, "`{%` is never closed with `%}`".to_string()));
    }
    open.last().map(|&(top, at)| never_ended(text, top, at))
}

fn never_ended(text: &str, tag: &str, at: usize) -> (usize, usize, String) {
    let end = BLOCKS.iter().find(|(s, _)| *s == tag).map_or("end", |(_, e)| e);
    unclosed_at(
        text,
        at,
        format!("`{{% {tag} %}}` is never closed with `{{% {end} %}}`"),
    )
}

fn unclosed_at(text: &str, at: usize, message: String) -> (usize, usize, String) {
    let (line, col) = line_col(text, at);
    (line, col, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_unclosed_tag() {
        let text = "<p>\n{% if a %}\n{% for x in y %}{{ x }}{% endfor %}\n";
        assert_eq!(unclosed_tag(text).map(|(l, c, _)| (l, c)), Some((2, 1)));
        let crossed = "{% block b %}\n  {% if a %}x\n{% endblock b %}";
        let (line, col, message) = unclosed_tag(crossed).unwrap();
        assert_eq!((line, col), (2, 3));
        assert!(message.contains("endif"), "{message}");
        assert_eq!(
            unclosed_tag("a\n b {{ x \n"),
            Some((2, 4, "`{{` is never closed with `}}`".into()))
        );
        assert_eq!(unclosed_tag("{% raw %}{% if %}{% endraw %}{% if a %}{% endif %}"), None);
    }

    #[test]
    fn finds_references_in_lists_and_quotes() {
        let refs =
            references("{% extends \"base.html\" %}{% include ['a.html', \"b.html\"] %}{%- import 'm.html' as m %}");
        let names: Vec<&str> = refs.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["base.html", "a.html", "b.html", "m.html"]);
    }

    #[test]
    fn needles_match_only_the_named_expression() {
        let n = needle("Variable `article.foo` not found in context while rendering 'a.html'").unwrap();
        let text = "{{ article.foobar }}\n<p>article.foo</p>\n  {{ x.article.foo }}{{ article.foo }}";
        assert_eq!(find_in_tags(text, &n), Some((3, 25)));
        let f = needle("Filter 'slugiphy' not found").unwrap();
        assert_eq!(find_in_tags("{{ a | upper }}\n{{ a|slugiphy }}", &f), Some((2, 6)));
    }
}
