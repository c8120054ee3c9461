//! Problems found in the content, collected across a whole run and printed
//! once, sorted, so an editor can fix every mistake in one pass.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Error,
    Warning,
}

/// One problem at a place in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    pub line: usize,
    pub col: usize,
    pub level: Level,
    pub message: String,
    /// A stable name for the kind of problem (`image`, `unresolved-link`), when it has one.
    pub code: Option<&'static str>,
    /// A file (relative to the root) whose own errors cause this problem,
    /// such as the target of a cross-reference that failed to load: while
    /// that file has errors this one is left out of the report.
    pub caused_by: Option<String>,
}

impl Diagnostic {
    /// An error at `path:line:col`.
    pub fn error(path: &str, line: usize, col: usize, message: impl Into<String>) -> Self {
        Self::new(Level::Error, path, line, col, message.into())
    }

    /// A warning at `path:line:col`.
    pub fn warning(path: &str, line: usize, col: usize, message: impl Into<String>) -> Self {
        Self::new(Level::Warning, path, line, col, message.into())
    }

    fn new(level: Level, path: &str, line: usize, col: usize, message: String) -> Self {
        Diagnostic {
            path: path.to_string(),
            line: line.max(1),
            col: col.max(1),
            level,
            message,
            code: None,
            caused_by: None,
        }
    }

    /// The same problem, named by a stable kind.
    pub fn with_code(self, code: &'static str) -> Self {
        Diagnostic {
            code: Some(code),
            ..self
        }
    }

    /// The same problem, left out while `path` has errors of its own.
    pub fn caused_by(mut self, path: Option<String>) -> Self {
        self.caused_by = path;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        write!(f, "{}:{}:{}: {level}", self.path, self.line, self.col)?;
        if let Some(code) = self.code {
            write!(f, "[{code}]")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem of one run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.level == Level::Error).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.level == Level::Error)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The problems sorted by path, line and column, duplicates removed,
    /// and without those caused by another file's errors (the cause is
    /// reported; the consequences would only mislead).
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let failed: std::collections::HashSet<&str> = self
            .items
            .iter()
            .filter(|d| d.level == Level::Error)
            .map(|d| d.path.as_str())
            .collect();
        let mut items: Vec<Diagnostic> = self
            .items
            .iter()
            .filter(|d| d.caused_by.as_deref().is_none_or(|c| !failed.contains(c)))
            .cloned()
            .collect();
        items.sort_by(|a, b| {
            (&a.path, a.line, a.col, a.level, &a.message, a.code)
                .cmp(&(&b.path, b.line, b.col, b.level, &b.message, b.code))
        });
        items.dedup();
        items
    }

    /// The report as printed: one line per problem, then `N errors, M warnings`.
    pub fn report(&self) -> String {
        self.render(false)
    }

    /// The report with `error:` and `warning:` in ANSI colours, for a
    /// terminal (`anstream` drops the colours elsewhere).
    pub fn styled_report(&self) -> String {
        self.render(true)
    }

    fn render(&self, styled: bool) -> String {
        let sorted = self.sorted();
        let mut out = String::new();
        for d in &sorted {
            if styled {
                let (style, level) = match d.level {
                    Level::Error => (crate::ui::ERROR, "error"),
                    Level::Warning => (crate::ui::WARNING, "warning"),
                };
                let place = format!("{}:{}:{}", d.path, d.line, d.col);
                out.push_str(&format!("{place}: {style}{level}:{style:#} {}", d.message));
            } else {
                out.push_str(&d.to_string());
            }
            out.push('\n');
        }
        let errors = sorted.iter().filter(|d| d.level == Level::Error).count();
        let warnings = sorted.len() - errors;
        out.push_str(&format!(
            "{} {}, {} {}\n",
            errors,
            plural(errors, "error", "errors"),
            warnings,
            plural(warnings, "warning", "warnings")
        ));
        out
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// `path` relative to `root`, with `/` separators, for messages. A name
/// that is not UTF-8 shows U+FFFD for its bad bytes; a `\` in a name
/// (which is no separator on Unix) stays as it is.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let parts: Vec<std::borrow::Cow<'_, str>> = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect();
    parts.join("/")
}

/// Why a file under the site cannot be used by its name, if it cannot:
/// its path relative to `root` is the key of an article, author or static
/// file, so it must be UTF-8 and must not hold a `\`.
pub fn unusable_name(root: &Path, path: &Path) -> Option<&'static str> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    match rel.to_str() {
        None => Some("file name is not valid UTF-8: rename the file"),
        Some(name) if name.contains('\\') => {
            Some("file name contains `\\`: rename the file (folders are separated by `/`)")
        }
        Some(_) => None,
    }
}

/// Line and column (1-based, column in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// The candidates closest to `wanted`, best first, for "did you mean" hints.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>, n: usize) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::normalized_levenshtein(wanted, c), c))
        .filter(|(score, _)| *score > 0.3)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "ab\nçé x";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, "ab\nçé ".len()), (2, 4));
    }

    #[test]
    fn report_sorts_by_path_then_line() {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::error("b.md", 1, 1, "second"));
        d.push(Diagnostic::warning("a.md", 9, 2, "first"));
        d.push(Diagnostic::error("a.md", 10, 1, "also first"));
        assert_eq!(
            d.report(),
            "a.md:9:2: warning: first\na.md:10:1: error: also first\nb.md:1:1: error: second\n2 errors, 1 warning\n"
        );
    }

    #[test]
    fn closest_prefers_small_edits() {
        let got = closest("jane-doe", ["john-doe", "jane-do", "zed"], 2);
        assert_eq!(got, vec!["jane-do", "john-doe"]);
    }
}
