//! serde and the YAML parser describe a mismatch in Rust's terms
//! (`invalid type: string "x", expected struct Image`, `expected usize`,
//! `as u128`). An editor knows text, numbers, lists and maps: this turns
//! those messages into that vocabulary, keeping the key path in front.

/// What a Rust type name in "expected ..." means to a person writing YAML.
const EXPECTED: &[(&str, &str)] = &[
    (
        "struct Image",
        "a map with src and alt (and optionally caption and credit)",
    ),
    ("struct NamedLink", "a map with title and url"),
    ("struct SiteConfig", "a map of settings, one `key: value` per line"),
    ("struct FrontMatter", "a map of keys, one `key: value` per line"),
    ("struct AuthorFile", "a map of keys such as `name: ...`"),
    ("struct TopicFile", "a map of keys such as `name: ...`"),
    ("a string", "text"),
    ("a boolean", "true or false"),
    ("a sequence", "a list"),
    ("usize", "a whole number, 0 or more"),
    ("u8", "a whole number, 0 or more"),
    ("u16", "a whole number, 0 or more"),
    ("u32", "a whole number, 0 or more"),
    ("u64", "a whole number, 0 or more"),
    ("i32", "a whole number"),
    ("i64", "a whole number"),
    ("f64", "a number"),
];

/// `message` with serde's Rust vocabulary replaced by plain words.
pub(super) fn in_words(message: &str) -> String {
    let (path, rest) = split_path(message);
    let rest = rest
        .replace("duplicate field `", "duplicate key `")
        .replace("missing field `", "missing key `")
        .replace("unknown field `", "unknown key `");
    let rest = mismatch(&rest).unwrap_or(rest);
    format!("{path}{rest}")
}

/// `title: ` in front of serde_yaml's messages, and the rest.
fn split_path(message: &str) -> (&str, &str) {
    for marker in [
        "invalid type: ",
        "invalid value: ",
        "duplicate field",
        "missing field",
        "unknown field",
    ] {
        if let Some(at) = message.find(marker) {
            return message.split_at(at);
        }
    }
    ("", message)
}

/// `invalid type: X, expected Y` as `expected Y, found X`, in words.
fn mismatch(rest: &str) -> Option<String> {
    let body = rest
        .strip_prefix("invalid type: ")
        .or_else(|| rest.strip_prefix("invalid value: "))?;
    let (found, expected) = body.rsplit_once(", expected ")?;
    Some(format!(
        "expected {}, found {}",
        expected_words(expected),
        found_words(found)
    ))
}

fn expected_words(expected: &str) -> String {
    if let Some((_, words)) = EXPECTED.iter().find(|(rust, _)| *rust == expected) {
        return words.to_string();
    }
    if expected.starts_with("struct ") {
        return "a map of keys".to_string();
    }
    expected.to_string()
}

/// serde's `Unexpected` as words: `string "x"` is `the text "x"`.
fn found_words(found: &str) -> String {
    let quoted = |s: &str| {
        let inner = s.trim_start_matches('`');
        let end = inner.find('`').unwrap_or(inner.len());
        inner[..end].to_string()
    };
    if let Some(text) = found.strip_prefix("string ") {
        return format!("the text {text}");
    }
    if let Some(n) = found.strip_prefix("integer ") {
        return format!("the number {}", quoted(n));
    }
    if let Some(n) = found.strip_prefix("floating point ") {
        return format!("the number {}", quoted(n));
    }
    if let Some(b) = found.strip_prefix("boolean ") {
        return quoted(b);
    }
    match found {
        "sequence" => "a list".to_string(),
        "map" => "a map".to_string(),
        "unit value" => "nothing (an empty value)".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::in_words;

    #[test]
    fn rust_names_become_words() {
        let cases = [
            (
                "image: invalid type: string \"x\", expected struct Image",
                "image: expected a map with src and alt (and optionally caption and credit), found the text \"x\"",
            ),
            (
                "paginate: invalid type: integer `-1`, expected usize",
                "paginate: expected a whole number, 0 or more, found the number -1",
            ),
            (
                "paginate: invalid type: integer `99999999999999999999999` as u128, expected usize",
                "paginate: expected a whole number, 0 or more, found the number 99999999999999999999999",
            ),
            (
                "invalid type: string \"hello\", expected struct SiteConfig",
                "expected a map of settings, one `key: value` per line, found the text \"hello\"",
            ),
            (
                "title: invalid type: sequence, expected a string",
                "title: expected text, found a list",
            ),
            (
                "draft: invalid type: string \"yes\", expected a boolean",
                "draft: expected true or false, found the text \"yes\"",
            ),
            ("duplicate field `title`", "duplicate key `title`"),
            ("image: missing field `src`", "image: missing key `src`"),
            (
                "feed_limit: invalid type: floating point `2.5`, expected usize",
                "feed_limit: expected a whole number, 0 or more, found the number 2.5",
            ),
        ];
        for (raw, words) in cases {
            assert_eq!(in_words(raw), words, "from {raw}");
        }
    }
}
