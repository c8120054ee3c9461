//! Small text helpers: HTML entities, tags, slugs.

/// Lowercase `[a-z0-9-]+` slug, the same rule pressroom uses for file stems.
pub fn slugify(text: &str) -> String {
    slug::slugify(text)
}

/// True when `text` is already a valid pressroom slug.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Decodes HTML character references (`&amp;`, `&#8217;`, `&#x2019;`).
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..].find(';').map(|i| i + 1).filter(|i| *i <= 12);
        let decoded = end.and_then(|end| decode_one(&rest[1..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn decode_one(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "rsquo" => '\u{2019}',
        "lsquo" => '\u{2018}',
        "rdquo" => '\u{201d}',
        "ldquo" => '\u{201c}',
        "mdash" => '\u{2014}',
        "ndash" => '\u{2013}',
        "hellip" => '\u{2026}',
        "eacute" => 'é',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "middot" => '·',
        "bull" => '•',
        _ => return None,
    })
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
    fn decodes_entities() {
        assert_eq!(
            decode_entities("Q&amp;A &#8217;s &#x2014; &bogus; & x"),
            "Q&A \u{2019}s \u{2014} &bogus; & x"
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
    fn slugs() {
        assert_eq!(slugify("Open Data & You"), "open-data-you");
        assert!(is_slug("a-1"));
        assert!(!is_slug("A_1"));
        assert_eq!(name_from_id("jane-doe"), "Jane Doe");
    }
}
