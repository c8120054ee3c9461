//! Reading a content file and splitting its YAML front matter from its body,
//! keeping line numbers so every later problem points at the right place.

use crate::diag::{display_path, Diagnostic};
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
    match std::fs::read(path) {
        Ok(bytes) => source_from_bytes(rel, bytes, problems),
        Err(e) => {
            problems.push(Diagnostic::error(&rel, 1, 1, format!("could not read file: {e}")));
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
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let (line, col) = crate::diag::line_col(valid, valid.len());
            problems.push(Diagnostic::error(
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
    if text.trim().is_empty() {
        problems.push(Diagnostic::error(
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
        let (line, col) = match (message.contains("while "), positions.last()) {
            (true, Some(&last)) => last,
            _ => e.location().map_or((1, 1), |l| (l.line(), l.column())),
        };
        Diagnostic::error(path, first_line + line - 1, col, message)
    })
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

/// A warning for each top-level key not in `known`, naming the closest one.
pub fn warn_unknown_keys(yaml: &str, first_line: usize, path: &str, known: &[&str]) -> Vec<Diagnostic> {
    top_level_keys(yaml, first_line)
        .into_iter()
        .filter(|(key, _)| !known.contains(key))
        .map(|(key, line)| {
            let hint = match crate::diag::closest(key, known.iter().copied(), 1).first() {
                Some(best) => format!("; did you mean `{best}`?"),
                None => format!("; known keys: {}", known.join(", ")),
            };
            Diagnostic::warning(path, line, 1, format!("unknown key `{key}` ignored{hint}"))
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
        let w = warn_unknown_keys("titel: x\ndate: 1\n", 2, "a.md", &["title", "date"]);
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
        assert_eq!(e.line, 2);
        assert!(e.message.contains("invalid type"), "{}", e.message);
    }
}
