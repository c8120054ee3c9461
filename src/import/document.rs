//! A source file split into front-matter fields and body: the plain value
//! every reader of foreign front matter (YAML, TOML, JSON) produces.

use serde_yaml::Value;

/// One front-matter key with its value and the line it starts on.
#[derive(Debug, Clone)]
pub struct Field {
    pub key: String,
    pub value: Value,
    pub line: usize,
}

/// A source file split into front matter and body.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub fields: Vec<Field>,
    pub body: String,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
    pub has_front_matter: bool,
}

impl Document {
    /// The field named `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The first present, non-null field among `keys`.
    pub fn first_of(&self, keys: &[&str]) -> Option<&Field> {
        keys.iter().filter_map(|k| self.get(k)).find(|f| !f.value.is_null())
    }
}

/// The text of a scalar value (string, number or bool), if it is one.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(tagged) => scalar_text(&tagged.value),
        _ => None,
    }
}

/// The strings of a value that is a string or a list of scalars.
pub fn string_list(value: &Value) -> Vec<String> {
    match value {
        Value::Sequence(items) => items.iter().filter_map(scalar_text).collect(),
        Value::Null => Vec::new(),
        other => scalar_text(other).into_iter().collect(),
    }
}
