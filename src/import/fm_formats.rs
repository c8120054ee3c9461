//! Hugo's other front-matter formats: TOML between `+++` lines and a JSON
//! object at the top of the file.

use super::document::{Document, Field};
use super::report::{Report, WarnKind};
use serde_yaml::Value;

/// Reads TOML front matter; each key keeps the line it is set on.
pub fn read_toml(lines: &[&str], first_line: usize, path: &str, report: &mut Report) -> Vec<Field> {
    let text = lines.join("\n");
    let table = match text.parse::<toml::Table>() {
        Ok(table) => table,
        Err(err) => {
            report.warn(
                WarnKind::FrontMatter,
                path,
                first_line,
                format!("TOML front matter could not be read: {}", err.message()),
            );
            return Vec::new();
        }
    };
    table
        .into_iter()
        .map(|(key, value)| {
            let line = lines
                .iter()
                .position(|l| {
                    let l = l.trim_start();
                    l.strip_prefix(key.as_str())
                        .is_some_and(|r| r.trim_start().starts_with('='))
                        || l.trim_end() == format!("[{key}]")
                })
                .map_or(first_line, |i| first_line + i);
            Field {
                key,
                value: toml_to_yaml(value),
                line,
            }
        })
        .collect()
}

/// Converts a TOML value to YAML, datetimes becoming their text.
pub fn toml_to_yaml(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::Number(i.into()),
        toml::Value::Float(f) => Value::Number(f.into()),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Sequence(items.into_iter().map(toml_to_yaml).collect()),
        toml::Value::Table(table) => Value::Mapping(
            table
                .into_iter()
                .map(|(k, v)| (Value::String(k), toml_to_yaml(v)))
                .collect(),
        ),
    }
}

/// Reads a file that starts with a JSON object as its front matter.
pub fn read_json(text: &str, path: &str, report: &mut Report) -> Document {
    let start = text.find('{').unwrap_or(0);
    let mut stream = serde_json::Deserializer::from_str(&text[start..]).into_iter::<serde_json::Value>();
    match stream.next() {
        Some(Ok(serde_json::Value::Object(map))) => {
            let end = start + stream.byte_offset();
            let body_line = text[..end].matches('\n').count() + 2;
            let fields = map
                .into_iter()
                .map(|(key, value)| Field {
                    key,
                    value: serde_yaml::to_value(value).unwrap_or(Value::Null),
                    line: 1,
                })
                .collect();
            let body = text[end..].strip_prefix('\n').unwrap_or(&text[end..]);
            Document {
                fields,
                body: body.to_string(),
                body_line,
                has_front_matter: true,
            }
        }
        _ => {
            report.warn(
                WarnKind::FrontMatter,
                path,
                1,
                "starts with `{` but is not JSON front matter; read as body",
            );
            Document {
                body: text.to_string(),
                body_line: 1,
                ..Document::default()
            }
        }
    }
}
