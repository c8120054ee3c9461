//! Reading a content file and splitting its YAML front matter from its body,
//! keeping line numbers so every later problem points at the right place.

use super::renames::{unknown_key_hint, Rename};
use super::yaml_words::in_words;
use crate::diag::{display_path, Code, Diagnostic};
use serde::de::DeserializeOwned;
use std::path::Path;

/// A content file read as text, with its path relative to the site root.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: String,
    pub text: String,
}

/// The two halves of a content file.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// File line (1-based) of the first YAML line.
    pub yaml_line: usize,
    pub body: &'a str,
    /// File line (1-based) of the first body line.
    pub body_line: usize,
}

/// Reads `path` as UTF-8; a byte-order mark is dropped with a warning and
/// CRLF and lone CR line ends become LF (lines and columns are unchanged).
pub fn read_source(root: &Path, path: &Path, problems: &mut Vec<Diagnostic>) -> Option<Source> {
    let rel = display_path(root, path);
    if let Some(message) = crate::diag::unusable_name(root, path) {
        problems.push(Diagnostic::error(Code::UnusableFileName, &rel, 1, 1, message));
        return None;
    }
    match crate::fs::read_regular(path) {
        Ok(bytes) => source_from_bytes(rel, bytes, problems),
        Err(e) => {
            problems.push(Diagnostic::error(
                Code::UnreadableFile,
                &rel,
                1,
                1,
                format!("could not read file: {e}"),
            ));
            None
        }
    }
}

/// The text of a content file from its bytes, checked and normalised as
/// [`read_source`] says; `rel` is its path for messages.
pub fn source_from_bytes(rel: String, bytes: Vec<u8>, problems: &mut Vec<Diagnostic>) -> Option<Source> {
    let mut text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let valid = normalize_line_ends(String::from_utf8_lossy(valid).into_owned());
            let (line, col) = crate::diag::line_col(&valid, valid.len());
            problems.push(Diagnostic::error(
                Code::NotUtf8,
                &rel,
                line,
                col,
                "file is not valid UTF-8: save it as UTF-8 text",
            ));
            return None;
        }
    };
    if let Some(stripped) = text.strip_prefix('\u{feff}') {
        problems.push(Diagnostic::warning(
            Code::ByteOrderMark,
            &rel,
            1,
            1,
            "byte-order mark at the start of the file ignored",
        ));
        text = stripped.to_string();
    }
    let text = normalize_line_ends(text);
    if let Some((at, c)) = first_control(&text) {
        let (line, col) = crate::diag::line_col(&text, at);
        problems.push(control_character(&rel, line, col, c));
        return None;
    }
    // An empty YAML file is an empty map, judged by what it lacks; an empty
    // Markdown file lacks the front matter every article needs.
    if text.trim().is_empty() && rel.ends_with(".md") {
        problems.push(Diagnostic::error(
            Code::EmptyFile,
            &rel,
            1,
            1,
            "empty file: it needs front matter between `---` lines",
        ));
        return None;
    }
    Some(Source { path: rel, text })
}

/// The first control character in `text` but tab and line feed, with its
/// byte offset: invisible in an editor, a parse error in HTML and not
/// allowed at all in XML, so a feed holding one is broken for readers.
pub fn first_control(text: &str) -> Option<(usize, char)> {
    let mut from = 0;
    loop {
        let at = crate::scan::control_start(text.as_bytes(), from);
        // 0xc2 starts U+0080..U+00BF; only U+0080..U+009F are controls.
        let c = text[at..].chars().next()?;
        if c.is_control() && c != '\n' && c != '\t' {
            return Some((at, c));
        }
        from = at + c.len_utf8();
    }
}

/// The error for control character `c` at `line`:`col` of `rel`.
fn control_character(rel: &str, line: usize, col: usize, c: char) -> Diagnostic {
    Diagnostic::error(
        Code::ControlCharacter,
        rel,
        line,
        col,
        format!(
            "invisible control character U+{:04X}: remove it (feeds, which are XML, cannot hold one)",
            c as u32
        ),
    )
}

/// The first string in `value` holding a control character but tab and
/// line feed (written as a YAML escape such as `\a` or `\u0007`).
fn control_in_value(value: &serde_yaml::Value) -> Option<char> {
    use serde_yaml::Value;
    let bad = |s: &str| s.chars().find(|&c| c.is_control() && c != '\n' && c != '\t');
    match value {
        Value::String(s) => bad(s),
        Value::Sequence(items) => items.iter().find_map(control_in_value),
        Value::Mapping(map) => map
            .iter()
            .find_map(|(k, v)| control_in_value(k).or_else(|| control_in_value(v))),
        Value::Tagged(tagged) => control_in_value(&tagged.value),
        _ => None,
    }
}

/// The byte offset in `line` of the first YAML escape that stands for a
/// control character (`\\a`, `\\u0007`; not `\\n`, `\\t` or `\\\\`).
fn control_escape(line: &str) -> Option<usize> {
    let mut i = 0;
    while let Some(found) = line[i..].find('\\') {
        let at = i + found;
        let rest = &line[at + 1..];
        let hex = |n: usize| {
            rest.get(1..1 + n)
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .and_then(char::from_u32)
        };
        let c = match rest.chars().next() {
            Some('0') => Some('\0'),
            Some('a') => Some('\u{7}'),
            Some('b') => Some('\u{8}'),
            Some('e') => Some('\u{1b}'),
            Some('f') => Some('\u{c}'),
            Some('v') => Some('\u{b}'),
            Some('N') => Some('\u{85}'),
            Some('x') => hex(2),
            Some('u') => hex(4),
            Some('U') => hex(8),
            _ => None,
        };
        if c.is_some_and(|c| c.is_control() && c != '\n' && c != '\t') {
            return Some(at);
        }
        // Past the escaped character, so `\\\\a` is a backslash and an `a`.
        i = at + 1 + rest.chars().next().map_or(0, char::len_utf8);
    }
    None
}

/// Splits `---\nyaml\n---\nbody`; the error says what is missing.
pub fn split_front_matter(source: &Source) -> Result<Split<'_>, Diagnostic> {
    let text = source.text.as_str();
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| (text.trim_end() == "---").then_some(""))
    else {
        return Err(Diagnostic::error(
            Code::MissingFrontMatter,
            &source.path,
            1,
            1,
            "missing front matter: the file must start with a line `---`, then YAML, then `---`",
        ));
    };
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        let bare = line.trim_end_matches('\n').trim_end();
        if bare == "---" || bare == "..." {
            return Ok(Split {
                yaml: &rest[..offset],
                yaml_line: 2,
                body: &rest[offset + line.len()..],
                body_line: i + 3,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        Code::UnclosedFrontMatter,
        &source.path,
        1,
        1,
        "front matter is never closed: add a line `---` after the YAML",
    ))
}

/// CRLF and lone CR (old Mac) line ends become LF. YAML, CommonMark and
/// editors all count each as one line break, so line numbers stay the same.
pub fn normalize_line_ends(text: String) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

/// Deserializes YAML, turning a parser error into a diagnostic at its place.
pub fn parse_yaml<T: DeserializeOwned>(yaml: &str, path: &str, first_line: usize) -> Result<T, Diagnostic> {
    let yaml = if yaml.trim().is_empty() { "{}" } else { yaml };
    // Raw control characters are refused with the file's text; one can
    // still come in through an escape in a double-quoted value.
    if yaml.contains('\\') {
        if let Some(c) = serde_yaml::from_str(yaml).ok().as_ref().and_then(control_in_value) {
            let (line, col) = yaml
                .lines()
                .enumerate()
                .find_map(|(n, l)| Some((n, control_escape(l)?)))
                .unwrap_or((0, 0));
            return Err(control_character(path, first_line + line, col + 1, c));
        }
    }
    serde_yaml::from_str(yaml).map_err(|e| {
        let location = e.location().map(|l| (l.line(), l.column()));
        let (message, place) = split_yaml_error(&e.to_string(), location);
        let (mut line, mut col) = match place {
            Some((line, col)) => crate::diag::line_col(yaml, yaml_offset(yaml, line, col)),
            None => (1, 1),
        };
        if let Some(key) = duplicate_key(&message) {
            (line, col) = second_occurrence(yaml, key, line).unwrap_or((line, col));
        }
        Diagnostic::error(Code::InvalidYaml, path, first_line + line - 1, col, in_words(&message))
    })
}

/// Takes the places serde_yaml appends to its message off it: `problem at
/// line L column C` (the error's location), maybe followed by `, while
/// context at line L2 column C2`, whose place (where the broken construct
/// started) is the one to fix. Places are read from the end and must match
/// the location, so text of the file quoted in a message is left alone.
fn split_yaml_error(message: &str, location: Option<(usize, usize)>) -> (String, Option<(usize, usize)>) {
    let at_location = |text| strip_mark(text).filter(|&(_, mark)| Some(mark) == location);
    if let Some((head, context)) = message.rsplit_once(", while ") {
        if let Some((problem, mark)) = at_location(head) {
            let (context, place) = strip_mark(context).unwrap_or((context, mark));
            return (format!("{problem}, while {context}"), Some(place));
        }
    }
    match at_location(message) {
        Some((rest, mark)) => (rest.to_string(), Some(mark)),
        None => (message.to_string(), location),
    }
}

/// `text at line L column C` -> (`text`, (L, C)).
fn strip_mark(text: &str) -> Option<(&str, (usize, usize))> {
    let (head, tail) = text.rsplit_once(" at line ")?;
    let (line, col) = tail.split_once(" column ")?;
    Some((head, (line.parse().ok()?, col.parse().ok()?)))
}

/// The byte offset of YAML's 1-based line and column (in characters) in
/// `yaml`, at most its end. YAML also breaks lines at NEL, LS and PS, which
/// editors and the rest of pressroom do not, so its numbers are mapped
/// through the offset.
fn yaml_offset(yaml: &str, line: usize, col: usize) -> usize {
    let (mut at_line, mut at_col) = (1, 1);
    for (i, c) in yaml.char_indices() {
        let is_break = matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}');
        if at_line > line || (at_line == line && (at_col >= col || is_break)) {
            return i;
        }
        if is_break {
            (at_line, at_col) = (at_line + 1, 1);
        } else {
            at_col += 1;
        }
    }
    yaml.len()
}

/// The key named by serde's `duplicate field `key``.
fn duplicate_key(message: &str) -> Option<&str> {
    let rest = &message[message.find("duplicate field `")? + 17..];
    Some(&rest[..rest.find('`')?])
}

/// Line and column (1-based, within `yaml`) of the second `key:` at or
/// after line `from`: where a repeated key is, not where its map starts.
fn second_occurrence(yaml: &str, key: &str, from: usize) -> Option<(usize, usize)> {
    yaml.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .filter_map(|(i, line)| {
            let indent = line.len() - line.trim_start_matches([' ', '-']).len();
            let rest = line[indent..].trim_start_matches(['"', '\'']);
            let after = rest.strip_prefix(key)?.trim_start_matches(['"', '\'']);
            after.trim_start().starts_with(':').then_some((i + 1, indent + 1))
        })
        .nth(1)
}

/// Top-level keys of a YAML mapping with their file line, found by reading
/// the text (so a key's place is known without a second YAML parse).
pub fn top_level_keys(yaml: &str, first_line: usize) -> Vec<(&str, usize)> {
    yaml.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let first = line.chars().next()?;
            if first.is_whitespace() || first == '#' || first == '-' {
                return None;
            }
            let colon = line.find(':')?;
            let key = line[..colon].trim().trim_matches(|c| c == '"' || c == '\'');
            Some((key, first_line + i))
        })
        .collect()
}

/// A warning for each top-level key not in `known`, naming the pressroom
/// key for another generator's key, or else the closest one.
pub fn warn_unknown_keys(
    yaml: &str,
    first_line: usize,
    path: &str,
    known: &[&str],
    renames: &[Rename],
) -> Vec<Diagnostic> {
    top_level_keys(yaml, first_line)
        .into_iter()
        .filter(|(key, _)| !known.contains(key))
        .map(|(key, line)| {
            let hint = unknown_key_hint(key, known, renames);
            Diagnostic::warning(Code::UnknownKey, path, line, 1, format!("unknown key `{key}` ignored"))
                .with_suggestion(hint)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Source {
        Source {
            path: "a.md".into(),
            text: text.into(),
        }
    }

    #[test]
    fn split_keeps_line_numbers() {
        let s = source("---\ntitle: x\n---\n\nBody\n");
        let split = split_front_matter(&s).unwrap();
        assert_eq!(split.yaml, "title: x\n");
        assert_eq!(split.body, "\nBody\n");
        assert_eq!(split.body_line, 4);
    }

    #[test]
    fn split_reports_missing_and_unclosed() {
        assert!(split_front_matter(&source("title: x\n"))
            .unwrap_err()
            .message
            .contains("missing"));
        assert!(split_front_matter(&source("---\ntitle: x\n"))
            .unwrap_err()
            .message
            .contains("never closed"));
    }

    #[test]
    fn unknown_keys_name_the_closest() {
        let w = warn_unknown_keys("titel: x\ndate: 1\n", 2, "a.md", &["title", "date"], &[]);
        assert_eq!(w.len(), 1);
        assert_eq!(
            w[0].to_string(),
            "a.md:2:1: warning: unknown key `titel` ignored; did you mean `title`?"
        );
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        // Found by fuzzing: YAML counts a lone CR as a line break, so the
        // error was placed past the end of the file.
        let mut problems = Vec::new();
        let bytes = b"---\rtitle: x\r\rdate: *\r---\rBody\r".to_vec();
        let s = source_from_bytes("a.md".into(), bytes, &mut problems).unwrap();
        assert_eq!(s.text, "---\ntitle: x\n\ndate: *\n---\nBody\n");
        let split = split_front_matter(&s).unwrap();
        let e = parse_yaml::<serde_yaml::Value>(split.yaml, "a.md", split.yaml_line).unwrap_err();
        assert_eq!(e.place, crate::diag::Place::file("a.md", 4, 7), "{e}");
    }

    #[test]
    fn yaml_errors_after_unicode_line_separators_stay_in_their_line() {
        // YAML also breaks lines at NEL, LS and PS; editors and pressroom do not.
        let e = parse_yaml::<serde_yaml::Value>("a: 1\u{2028}b: 2\u{85}c: *\n", "a.md", 2).unwrap_err();
        assert_eq!(e.place, crate::diag::Place::file("a.md", 2, 14), "{e}");
    }

    #[test]
    fn yaml_error_places_are_read_from_the_end_of_the_message() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            title: Vec<String>,
        }
        let yaml = "\ntitle: \"x at line 99 column 1, while y at line 98 column 2\"\n";
        let e = parse_yaml::<T>(yaml, "a.md", 2).unwrap_err();
        assert_eq!(e.place, crate::diag::Place::file("a.md", 3, 8), "{e}");
        assert!(
            e.message
                .contains("\"x at line 99 column 1, while y at line 98 column 2\""),
            "{e}"
        );
        assert!(!e.message.contains("line 3"), "{e}");
    }

    #[test]
    fn yaml_errors_point_into_the_file() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            title: String,
        }
        let e = parse_yaml::<T>("title: [1, 2]\n", "a.md", 2).unwrap_err();
        assert!(matches!(e.place, crate::diag::Place::File { line: 2, .. }), "{e}");
        assert_eq!(e.message, "title: expected text, found a list");
    }

    #[test]
    fn a_repeated_key_is_reported_where_it_repeats() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            title: String,
            date: Option<String>,
        }
        let e = parse_yaml::<T>("title: a\ndate: b\ntitle: c\n", "a.md", 2).unwrap_err();
        assert_eq!(e.place, crate::diag::Place::file("a.md", 4, 1));
        assert_eq!(e.message, "duplicate key `title`");
    }
}
