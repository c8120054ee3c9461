//! Lenient reading of foreign front matter: YAML, TOML (`+++`) or JSON
//! (Hugo), with the oddities real archives carry repaired and reported.
//!
//! YAML is parsed one top-level key at a time, so a repeated key or one bad
//! value costs only that key, and each key keeps its line number.

use super::document::{Document, Field};
use super::report::{Report, WarnKind};
use serde_yaml::Value;

/// Reads a file's bytes into a [`Document`], reporting every repair.
pub fn read_document(bytes: &[u8], path: &str, report: &mut Report) -> Document {
    let text = normalize_text(bytes, path, report);
    let lines: Vec<&str> = text.split('\n').collect();
    let first = lines.iter().position(|l| !l.trim().is_empty());
    let Some(first) = first else {
        return Document {
            body: text.clone(),
            body_line: 1,
            ..Document::default()
        };
    };
    let opener = lines[first].trim_end();
    let closer = match opener {
        "---" => "---",
        "+++" => "+++",
        _ if opener.starts_with('{') => return super::fm_formats::read_json(&text, path, report),
        _ => {
            return Document {
                body: text.clone(),
                body_line: 1,
                ..Document::default()
            }
        }
    };
    if first > 0 {
        report.warn(
            WarnKind::FrontMatter,
            path,
            first + 1,
            format!(
                "{} before the opening `{opener}`",
                crate::diag::plural(first, "blank line")
            ),
        );
    }
    let close = lines[first + 1..]
        .iter()
        .position(|l| l.trim_end() == closer || (closer == "---" && l.trim_end() == "..."));
    let Some(close) = close.map(|c| c + first + 1) else {
        report.warn(
            WarnKind::FrontMatter,
            path,
            first + 1,
            format!("front matter opened with `{opener}` is never closed; read as body"),
        );
        return Document {
            body: text.clone(),
            body_line: 1,
            ..Document::default()
        };
    };
    let head = &lines[first + 1..close];
    let fields = if closer == "+++" {
        super::fm_formats::read_toml(head, first + 2, path, report)
    } else {
        read_yaml(head, first + 2, path, report)
    };
    Document {
        fields,
        body: lines[close + 1..].join("\n"),
        body_line: close + 2,
        has_front_matter: true,
    }
}

/// Decodes the bytes and removes a BOM and CRLF line ends, reporting each.
fn normalize_text(bytes: &[u8], path: &str, report: &mut Report) -> String {
    let mut text = match String::from_utf8(bytes.to_vec()) {
        Ok(text) => text,
        Err(_) => {
            report.warn(
                WarnKind::FrontMatter,
                path,
                1,
                "not valid UTF-8; undecodable bytes replaced with U+FFFD",
            );
            String::from_utf8_lossy(bytes).into_owned()
        }
    };
    if let Some(rest) = text.strip_prefix('\u{feff}') {
        report.warn(WarnKind::FrontMatter, path, 1, "byte-order mark removed");
        text = rest.to_string();
    }
    if text.contains('\r') {
        report.warn(WarnKind::FrontMatter, path, 1, "CRLF line ends converted to LF");
    }
    crate::content::source::normalize_line_ends(text)
}

/// Splits YAML front matter into top-level entries and parses each alone.
fn read_yaml(lines: &[&str], first_line: usize, path: &str, report: &mut Report) -> Vec<Field> {
    let mut entries: Vec<(usize, Vec<String>)> = Vec::new();
    for (i, raw) in lines.iter().enumerate() {
        let line_no = first_line + i;
        let mut line = raw.to_string();
        let indent_len = line.len() - line.trim_start_matches([' ', '\t']).len();
        if line[..indent_len].contains('\t') {
            report.warn(
                WarnKind::FrontMatter,
                path,
                line_no,
                "tab in indentation replaced with spaces",
            );
            line = format!("{}{}", line[..indent_len].replace('\t', "  "), &line[indent_len..]);
        }
        let open_quote = entries.last().is_some_and(|(_, lines)| quote_open(lines));
        let starts_entry = starts_key(&line) && !open_quote;
        if starts_entry || entries.is_empty() {
            entries.push((line_no, vec![line]));
        } else if let Some((_, entry)) = entries.last_mut() {
            entry.push(line);
        }
    }
    let mut fields: Vec<Field> = Vec::new();
    for (line_no, entry) in entries {
        for (key, value) in parse_entry(&entry, line_no, path, report) {
            push_field(
                &mut fields,
                Field {
                    key,
                    value,
                    line: line_no,
                },
                path,
                report,
            );
        }
    }
    fields
}

/// True for a line at column 0 that opens a `key:` entry; other column-0
/// lines continue the entry above (a wrapped plain or quoted scalar).
fn starts_key(line: &str) -> bool {
    static KEY: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    KEY.get_or_init(|| {
        regex::Regex::new(r#"^(?:"[^"]*"|'[^']*'|[A-Za-z0-9_$@][A-Za-z0-9_.$@-]*)[ \t]*:(?:[ \t]|$)"#)
            .expect("valid pattern")
    })
    .is_match(line)
}

/// True when the entry's value opened a quoted scalar not yet closed.
fn quote_open(lines: &[String]) -> bool {
    let text = lines.join("\n");
    let Some((_, value)) = text.split_once(':') else {
        return false;
    };
    let value = value.trim_start();
    let mut chars = value.chars();
    match chars.next() {
        Some('"') => {
            let mut escaped = false;
            for c in chars {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => return false,
                    _ => escaped = false,
                }
            }
            true
        }
        Some('\'') => value[1..].replace("''", "").find('\'').is_none(),
        _ => false,
    }
}

/// Adds `field`, replacing an earlier one with the same key (last wins).
fn push_field(fields: &mut Vec<Field>, field: Field, path: &str, report: &mut Report) {
    if let Some(old) = fields.iter_mut().find(|f| f.key == field.key) {
        report.warn(
            WarnKind::FrontMatter,
            path,
            field.line,
            format!(
                "key `{}` repeated (first on line {}); the last one wins",
                field.key, old.line
            ),
        );
        *old = field;
    } else {
        fields.push(field);
    }
}

fn parse_entry(entry: &[String], line_no: usize, path: &str, report: &mut Report) -> Vec<(String, Value)> {
    let text = entry.join("\n");
    if text.trim().is_empty() || text.trim_start().starts_with('#') {
        return Vec::new();
    }
    match serde_yaml::from_str::<Value>(&text) {
        // One entry holding several keys: a wrapped value whose continuation
        // line looked like a key. Keep the text whole.
        Ok(Value::Mapping(map)) if map.len() > 1 => repair_entry(entry, &text, line_no, path, report),
        Ok(Value::Mapping(map)) => map.into_iter().map(|(k, v)| (key_text(&k), v)).collect(),
        Ok(Value::Null) => Vec::new(),
        Ok(_) | Err(_) => repair_entry(entry, &text, line_no, path, report),
    }
}

/// Last resort for an entry YAML rejects: retry with tabs as spaces, then
/// keep the text after the first colon as a plain string.
fn repair_entry(entry: &[String], text: &str, line_no: usize, path: &str, report: &mut Report) -> Vec<(String, Value)> {
    if text.contains('\t') {
        if let Ok(Value::Mapping(map)) = serde_yaml::from_str::<Value>(&text.replace('\t', " ")) {
            report.warn(WarnKind::FrontMatter, path, line_no, "tab replaced with a space");
            return map.into_iter().map(|(k, v)| (key_text(&k), v)).collect();
        }
    }
    let error = serde_yaml::from_str::<Value>(text)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_else(|| "not a key: value pair".to_string());
    let Some((key, rest)) = entry[0].split_once(':') else {
        report.warn(
            WarnKind::FrontMatter,
            path,
            line_no,
            format!("line dropped, not YAML: {error}"),
        );
        return Vec::new();
    };
    let mut value = rest.trim().to_string();
    for more in &entry[1..] {
        if !more.trim().is_empty() {
            value.push(' ');
            value.push_str(more.trim());
        }
    }
    let value = strip_quotes(&value).to_string();
    let key = strip_quotes(key.trim()).to_string();
    report.warn(
        WarnKind::FrontMatter,
        path,
        line_no,
        format!("value of `{key}` is not valid YAML ({error}); kept as plain text"),
    );
    vec![(key, Value::String(value))]
}

fn strip_quotes(text: &str) -> &str {
    let t = text.trim();
    for q in ['"', '\''] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            return &t[1..t.len() - 1];
        }
    }
    t
}

fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .map(|s| s.trim().to_string())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::document::{scalar_text, string_list};

    fn read(text: &str) -> (Document, Report) {
        let mut report = Report::default();
        let doc = read_document(text.as_bytes(), "a.md", &mut report);
        (doc, report)
    }

    #[test]
    fn reads_plain_yaml_with_lines() {
        let (doc, report) = read("---\ntitle: Hi\ntags:\n- a\n- b\n---\nBody\n");
        assert!(report.warnings.is_empty());
        assert_eq!(doc.get("tags").unwrap().line, 3);
        assert_eq!(string_list(&doc.get("tags").unwrap().value), vec!["a", "b"]);
        assert_eq!(doc.body, "Body\n");
        assert_eq!(doc.body_line, 7);
    }

    #[test]
    fn repeated_key_last_wins_with_warning() {
        let (doc, report) = read("---\ntitle: One\ntitle: Two\n---\n");
        assert_eq!(scalar_text(&doc.get("title").unwrap().value).unwrap(), "Two");
        assert_eq!(report.warnings.len(), 1);
        assert!(matches!(
            report.warnings[0].place,
            crate::diag::Place::File { line: 3, .. }
        ));
    }

    #[test]
    fn bom_crlf_blank_lines_and_tabs_are_repaired() {
        let (doc, report) = read("\u{feff}\r\n\r\n---\r\ntitle: A\r\ntags:\r\n\t- x\r\n---\r\nBody");
        assert_eq!(scalar_text(&doc.get("title").unwrap().value).unwrap(), "A");
        assert_eq!(string_list(&doc.get("tags").unwrap().value), vec!["x"]);
        assert_eq!(doc.body, "Body");
        assert_eq!(report.warnings.len(), 4, "{:?}", report.warnings);
    }

    #[test]
    fn bad_value_is_kept_as_text() {
        let (doc, report) = read("---\ntitle: Why: a \"question\" [draft\ndate: 2015-01-01\n---\n");
        assert_eq!(
            scalar_text(&doc.get("title").unwrap().value).unwrap(),
            "Why: a \"question\" [draft"
        );
        assert!(doc.get("date").is_some());
        assert_eq!(report.warnings.len(), 1);
    }

    #[test]
    fn reads_toml_and_json() {
        let (doc, _) = read("+++\ntitle = \"T\"\ndate = 2015-03-19T10:00:00-04:00\n+++\nBody");
        assert_eq!(
            scalar_text(&doc.get("date").unwrap().value).unwrap(),
            "2015-03-19T10:00:00-04:00"
        );
        assert_eq!(doc.get("date").unwrap().line, 3);
        let (doc, _) = read("{\"title\": \"J\"}\nBody");
        assert_eq!(scalar_text(&doc.get("title").unwrap().value).unwrap(), "J");
        assert_eq!(doc.body, "Body");
    }

    #[test]
    fn wrapped_values_at_column_zero_stay_with_their_key() {
        let (doc, report) = read("---\nexcerpt: \"One line\nnext: line\"\ntitle: T\n---\n");
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        assert_eq!(
            scalar_text(&doc.get("excerpt").unwrap().value).unwrap(),
            "One line next: line"
        );
        assert!(doc.get("next").is_none());
    }
}
