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
/// CRLF line ends become LF (lines and columns are unchanged).
pub fn read_source(root: &Path, path: &Path, problems: &mut Vec<Diagnostic>) -> Option<Source> {
    let rel = display_path(root, path);
    if let Some(message) = crate::diag::unusable_name(root, path) {
        problems.push(Diagnostic::error(Code::UnusableFileName, &rel, 1, 1, message));
        return None;
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            problems.push(Diagnostic::error(
                Code::UnreadableFile,
                &rel,
                1,
                1,
                format!("could not read file: {e}"),
            ));
            return None;
        }
    };
    let mut text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let (line, col) = crate::diag::line_col(valid, valid.len());
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
    if text.contains('\r') {
        text = text.replace("\r\n", "\n");
    }
    // An empty YAML file is an empty map, judged by what it lacks; an empty
    // Markdown file lacks the front matter every article needs.
    if text.trim().is_empty() && path.extension().is_some_and(|e| e == "md") {
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

/// Deserializes YAML, turning a parser error into a diagnostic at its place.
pub fn parse_yaml<T: DeserializeOwned>(yaml: &str, path: &str, first_line: usize) -> Result<T, Diagnostic> {
    let yaml = if yaml.trim().is_empty() { "{}" } else { yaml };
    serde_yaml::from_str(yaml).map_err(|e| {
        let mut message = e.to_string();
        let mut positions = Vec::new();
        while let Some(at) = message.find(" at line ") {
            let rest = &message[at + 9..];
            let digits = |s: &str| s.chars().take_while(char::is_ascii_digit).collect::<String>();
            let line = digits(rest);
            let Some(col_part) = rest[line.len()..].strip_prefix(" column ") else {
                break;
            };
            let col = digits(col_part);
            positions.push((line.parse().unwrap_or(1), col.parse().unwrap_or(1)));
            message.replace_range(at..at + 9 + line.len() + 8 + col.len(), "");
        }
        // A scanner error names where the broken construct started
        // ("while scanning a quoted scalar at ..."): that is the place to fix.
        let (mut line, mut col) = match (message.contains("while "), positions.last()) {
            (true, Some(&last)) => last,
            _ => e.location().map_or((1, 1), |l| (l.line(), l.column())),
        };
        if let Some(key) = duplicate_key(&message) {
            (line, col) = second_occurrence(yaml, key, line).unwrap_or((line, col));
        }
        Diagnostic::error(Code::InvalidYaml, path, first_line + line - 1, col, in_words(&message))
    })
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
