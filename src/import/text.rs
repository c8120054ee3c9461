//! Small text helpers: HTML entities and tags, names from ids. Slugs are
//! the core's (`crate::markdown::slugify`, `content::fields::is_valid_slug`).

/// Decodes HTML character references: every HTML5 named entity
/// (`&ouml;`, `&hellip;`) and numeric ones (`&#8217;`, `&#x2019;`).
pub fn decode_entities(text: &str) -> String {
    html_escape::decode_html_entities(text).into_owned()
}

/// Removes HTML tags, keeping their text.
pub fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        match c {
            '<' if !in_tag
                && bytes
                    .get(i + 1)
                    .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'/' || *b == b'!') =>
            {
                in_tag = true
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Plain text for a summary: no tags, entities, Liquid or Markdown links,
/// whitespace collapsed.
pub fn plain_summary(text: &str) -> String {
    let mut text = strip_tags(text);
    let link = regex::Regex::new(r"\[([^\]]*)\]\([^)]*\)").expect("valid pattern");
    text = link.replace_all(&text, "$1").into_owned();
    let liquid = regex::Regex::new(r"(?s)\{\{.*?\}\}|\{%.*?%\}").expect("valid pattern");
    text = liquid.replace_all(&text, "").into_owned();
    decode_entities(&text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Escapes text for HTML content or a double-quoted attribute.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Title-cases an id like `jane-doe` into `Jane Doe`.
pub fn name_from_id(id: &str) -> String {
    id.split(['-', '_', '.', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_html5_entity() {
        assert_eq!(
            decode_entities("Q&amp;A &#8217;s &#x2014; &bogus; & x"),
            "Q&A \u{2019}s \u{2014} &bogus; & x"
        );
        // These once reached the built pages literally.
        assert_eq!(
            decode_entities("G&ouml;teborg, M&aacute;laga &frac34;"),
            "G\u{f6}teborg, M\u{e1}laga \u{be}"
        );
    }

    #[test]
    fn makes_plain_summaries() {
        assert_eq!(
            plain_summary("At <a href=\"x\">18th &amp; F</a>, see [this](/a/)  {{ x }}"),
            "At 18th & F, see this"
        );
        assert_eq!(strip_tags("a < b and <em>c</em>"), "a < b and c");
    }

    #[test]
    fn names_from_ids() {
        assert_eq!(name_from_id("jane-doe"), "Jane Doe");
    }
}
