//! Theme strings per language. The built-in theme says nothing in a fixed
//! language: its words come from a table (English and French are built in),
//! which a site overrides key by key in `i18n/<language>.yaml`. Templates get
//! the table as `strings`, so a site's own templates can use it too, and the
//! same table formats dates for readers.

use crate::diag::{Code, Diagnostic};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::Path;

/// Built-in tables by language code; English is the fallback and names every key.
const BUILT_IN: &[(&str, &str)] = &[
    ("en", include_str!("i18n/en.yaml")),
    ("fr", include_str!("i18n/fr.yaml")),
];

/// One language's theme strings, as templates see them (`strings.by`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Strings(Map<String, Value>);

impl Default for Strings {
    fn default() -> Self {
        Strings(parse_table(BUILT_IN[0].1).expect("the English table is valid YAML"))
    }
}

impl Strings {
    /// The table as a JSON value, as templates get it (`strings`).
    pub(super) fn to_json(&self) -> Value {
        Value::Object(self.0.clone())
    }

    /// The table for `language`: built in (or English), then the site's
    /// `i18n/<language>.yaml` over it key by key.
    pub fn load(root: &Path, language: &str, problems: &mut Vec<Diagnostic>) -> Strings {
        let primary = language
            .split(['-', '_'])
            .next()
            .unwrap_or(language)
            .to_ascii_lowercase();
        let mut strings = Strings::default();
        let built_in = BUILT_IN.iter().find(|(code, _)| *code == primary);
        if let Some((_, text)) = built_in.filter(|(code, _)| *code != "en") {
            let table = parse_table(text).expect("built-in tables are valid YAML");
            strings.0.extend(table);
        }
        let files = [format!("i18n/{language}.yaml"), format!("i18n/{primary}.yaml")];
        match files.iter().find(|f| root.join(f).is_file()) {
            Some(file) => strings.overlay(root, file, problems),
            None if built_in.is_none() => {
                let config = crate::fs::read_regular(&root.join("site.yaml"))
                    .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                    .unwrap_or_default();
                let (line, col) = crate::content::fields::locate(&config, 1, "language", language);
                problems.push(Diagnostic::warning(
                    Code::MissingThemeStrings,
                    "site.yaml",
                    line,
                    col,
                    format!("no theme strings for language `{language}`: pages use English; add i18n/{primary}.yaml"),
                ));
            }
            None => {}
        }
        strings
    }

    /// Replaces keys with the site's own, checking each against English.
    fn overlay(&mut self, root: &Path, file: &str, problems: &mut Vec<Diagnostic>) {
        let Some(source) = crate::content::source::read_source(root, &root.join(file), problems) else {
            return;
        };
        let table = match parse_table(&source.text) {
            Ok(t) => t,
            Err(e) => {
                let (line, col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
                problems.push(Diagnostic::error(
                    Code::InvalidYaml,
                    &source.path,
                    line,
                    col,
                    format!("invalid YAML: {e}"),
                ));
                return;
            }
        };
        let english = Strings::default();
        for (key, value) in table {
            let at = crate::content::fields::locate(&source.text, 1, &key, &key);
            let problem = match english.0.get(&key) {
                None => Some(format!(
                    "unknown theme string `{key}` (see docs/templates.md for the keys)"
                )),
                Some(expected) if !same_shape(expected, &value) => Some(format!(
                    "theme string `{key}` must have the same form as the English one"
                )),
                Some(_) => None,
            };
            match problem {
                Some(message) => problems.push(Diagnostic::error(
                    Code::InvalidThemeString,
                    &source.path,
                    at.0,
                    1,
                    message,
                )),
                None => match (self.0.get_mut(&key), value) {
                    (Some(Value::Object(ours)), Value::Object(theirs)) => ours.extend(theirs),
                    (_, value) => {
                        self.0.insert(key, value);
                    }
                },
            }
        }
    }

    /// A date `YYYY-MM-DD…` for readers, such as `March 8, 2024` or `1er mars 2024`.
    pub fn date(&self, iso: &str) -> String {
        let part = |range: std::ops::Range<usize>| iso.get(range).and_then(|s| s.parse::<usize>().ok());
        let (Some(year), Some(month), Some(day)) = (part(0..4), part(5..7), part(8..10)) else {
            return iso.to_string();
        };
        let table = &self.0["date"];
        let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
        let month_name = table["months"]
            .get(month.wrapping_sub(1))
            .map_or_else(|| month.to_string(), text);
        let day = if day == 1 {
            text(&table["first_day"])
        } else {
            day.to_string()
        };
        fill_placeholders(
            table["format"].as_str().unwrap_or_default(),
            &[("year", year.to_string()), ("month", month_name), ("day", day)],
        )
    }

    /// Only the strings that `texts` (template sources) name as
    /// `strings.key`; `None` when one names `strings` otherwise.
    pub(super) fn subset<'t>(&self, texts: impl Iterator<Item = &'t str>) -> Option<Strings> {
        let mut used = Map::new();
        for text in texts {
            for found in USE.captures_iter(text) {
                let key = found.get(1)?.as_str();
                if let Some(value) = self.0.get(key) {
                    used.insert(key.to_string(), value.clone());
                }
            }
        }
        Some(Strings(used))
    }

    /// One string filled with its values: `text("articles_by", &[("name", …)])`.
    pub fn text(&self, key: &str, values: &[(&str, String)]) -> String {
        fill_placeholders(self.0.get(key).and_then(Value::as_str).unwrap_or(key), values)
    }
}

/// A use of `strings`: `strings.key`, or anything else (no key captured).
static USE: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"\bstrings\b(?:\.(\w+))?").expect("valid regex"));

/// A YAML table as JSON values, the form templates use.
fn parse_table(text: &str) -> Result<Map<String, Value>, serde_yaml::Error> {
    let value: Option<Map<String, Value>> = serde_yaml::from_str(text)?;
    Ok(value.unwrap_or_default())
}

/// Whether an override has the English value's form (string, list, map of forms).
fn same_shape(expected: &Value, got: &Value) -> bool {
    match (expected, got) {
        (Value::String(_), Value::String(_)) => true,
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && b.iter().all(Value::is_string),
        (Value::Object(a), Value::Object(b)) => b.iter().all(|(k, v)| match a.get(k) {
            Some(e) => same_shape(e, v),
            None => k == "zero" && v.is_string(),
        }),
        _ => false,
    }
}

/// Replaces each `{key}` in `text` with its value.
fn fill_placeholders(text: &str, values: &[(&str, String)]) -> String {
    let mut out = text.to_string();
    for (key, value) in values {
        out = out.replace(&format!("{{{key}}}"), value);
    }
    out
}

/// The `fill` filter: `{{ strings.page_of | fill(current=1, total=3) }}`.
/// Given plural forms, `n` picks `zero` (when the table has it), `one` or `other`.
pub(super) fn fill_filter(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = match value {
        Value::String(s) => s.as_str(),
        Value::Object(forms) => {
            let n = args
                .get("n")
                .and_then(Value::as_f64)
                .ok_or_else(|| tera::Error::msg("`fill` needs a number `n` to choose between plural forms"))?;
            let form = match n {
                0.0 if forms.contains_key("zero") => "zero",
                1.0 => "one",
                _ => "other",
            };
            forms.get(form).and_then(Value::as_str).unwrap_or_default()
        }
        other => return Err(tera::Error::msg(format!("`fill` takes a string, not {other}"))),
    };
    let values: Vec<(&str, String)> = args
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str().map_or_else(|| v.to_string(), str::to_string)))
        .collect();
    Ok(Value::String(fill_placeholders(text, &values)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_table_has_every_english_key_in_its_form() {
        let english = Strings::default();
        for (code, text) in BUILT_IN {
            let table = parse_table(text).unwrap();
            for (key, value) in &english.0 {
                let theirs = table.get(key).unwrap_or_else(|| panic!("{code} lacks `{key}`"));
                assert!(same_shape(value, theirs), "{code}: `{key}` has another form");
            }
            assert!(
                table.keys().all(|k| english.0.contains_key(k)),
                "{code} has a key English lacks"
            );
        }
    }

    #[test]
    fn dates_follow_the_language() {
        let en = Strings::default();
        assert_eq!(en.date("2025-03-10"), "March 10, 2025");
        assert_eq!(en.date("2024-03-01T09:30:00+01:00"), "March 1, 2024");
        let mut fr = Strings::default();
        fr.0.extend(parse_table(BUILT_IN[1].1).unwrap());
        assert_eq!(fr.date("2025-03-10"), "10 mars 2025");
        assert_eq!(fr.date("2025-08-01"), "1er août 2025");
    }

    #[test]
    fn a_template_gets_the_strings_it_names() {
        let en = Strings::default();
        let used = en
            .subset(["<p>{{ strings.by }}</p>", "{{ strings.related | upper }}"].into_iter())
            .unwrap();
        assert_eq!(used.0.keys().collect::<Vec<_>>(), ["by", "related"]);
        assert_eq!(en.subset(["{{ strings[key] }}"].into_iter()), None);
    }

    #[test]
    fn fill_chooses_plural_forms() {
        let forms = serde_json::json!({"zero": "{n} article", "one": "{n} article", "other": "{n} articles"});
        let n = |n: u64| HashMap::from([("n".to_string(), Value::from(n))]);
        assert_eq!(fill_filter(&forms, &n(0)).unwrap(), "0 article");
        assert_eq!(fill_filter(&forms, &n(2)).unwrap(), "2 articles");
        let english = serde_json::json!({"one": "{n} article", "other": "{n} articles"});
        assert_eq!(fill_filter(&english, &n(0)).unwrap(), "0 articles");
        assert_eq!(fill_filter(&english, &n(1)).unwrap(), "1 article");
    }
}
