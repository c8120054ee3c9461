//! Problems found in a run, collected across the whole run and printed
//! once, sorted, so an editor can fix every mistake in one pass. Every part
//! of pressroom (content, Markdown, templates, import, the preview's error
//! overlay, command-line flags) reports the one [`Diagnostic`] type, and
//! [`print`] is the one place that turns them into text.

mod code;
pub mod print;

pub use code::Code;
pub use print::{escape_controls, plural, Format};

use std::path::{Path, PathBuf};

/// How bad a problem is: errors fail the build, warnings do not (unless
/// `--deny-warnings`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Level {
    Error,
    Warning,
}

impl Level {
    /// `error` or `warning`, as printed.
    pub fn name(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

/// Where a problem is. Places that are not files are variants of their own,
/// never a made-up `name:1:1`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Place {
    /// A command-line flag, such as `--base-url`.
    #[serde(deserialize_with = "no_flag")]
    Flag(FlagName),
    /// The site as a whole.
    Site,
    /// A line and column (1-based, column in characters) of a file, the path
    /// relative to the site root with `/` separators.
    File { path: String, line: usize, col: usize },
}

/// What is wrong, before it has a place: what a check that does not know
/// where its input came from (an image path, a link destination) returns.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Finding {
    pub code: Code,
    pub message: String,
    pub suggestion: Option<String>,
}

impl Finding {
    /// A finding of kind `code`.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Finding {
            code,
            message: message.into(),
            suggestion: None,
        }
    }

    /// The same finding with a suggestion ("did you mean ...").
    pub fn with_suggestion(self, suggestion: Option<String>) -> Self {
        Finding { suggestion, ..self }
    }

    /// The finding as a problem of `level` at `path:line:col`.
    pub fn at(self, level: Level, path: &str, line: usize, col: usize) -> Diagnostic {
        Diagnostic {
            place: Place::file(path, line, col),
            level,
            code: self.code,
            message: self.message,
            suggestion: self.suggestion,
            caused_by: None,
        }
    }
}

impl Place {
    /// `path:line:col`; line and column are at least 1.
    pub fn file(path: &str, line: usize, col: usize) -> Place {
        Place::File {
            path: path.to_string(),
            line: line.max(1),
            col: col.max(1),
        }
    }
}

/// One problem: where, how bad, what kind, what, and what may fix it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub place: Place,
    pub level: Level,
    pub code: Code,
    pub message: String,
    /// A likely fix, such as "did you mean `title`?".
    pub suggestion: Option<String>,
    /// A file (relative to the root) whose own errors cause this problem,
    /// such as the target of a cross-reference that failed to load: while
    /// that file has errors this one is left out of the report.
    pub caused_by: Option<String>,
}

/// A flag's name. (A name, not `&'static str` written out, so that serde
/// reads it through `no_flag` and borrows nothing.)
type FlagName = &'static str;

/// A flag's problem is an error, and a build with errors is never cached:
/// one read back is refused.
fn no_flag<'de, D: serde::Deserializer<'de>>(_: D) -> Result<&'static str, D::Error> {
    Err(serde::de::Error::custom("a problem at a flag is never kept"))
}

impl Diagnostic {
    /// A problem of `level` at `place`.
    pub fn new(level: Level, code: Code, place: Place, message: impl Into<String>) -> Self {
        Diagnostic {
            place,
            level,
            code,
            message: message.into(),
            suggestion: None,
            caused_by: None,
        }
    }

    /// An error at `path:line:col`.
    pub fn error(code: Code, path: &str, line: usize, col: usize, message: impl Into<String>) -> Self {
        Self::new(Level::Error, code, Place::file(path, line, col), message)
    }

    /// A warning at `path:line:col`.
    pub fn warning(code: Code, path: &str, line: usize, col: usize, message: impl Into<String>) -> Self {
        Self::new(Level::Warning, code, Place::file(path, line, col), message)
    }

    /// An error in the value of command-line flag `flag`.
    pub fn flag(code: Code, flag: &'static str, message: impl Into<String>) -> Self {
        Self::new(Level::Error, code, Place::Flag(flag), message)
    }

    /// An error about the site as a whole.
    pub fn site(code: Code, message: impl Into<String>) -> Self {
        Self::new(Level::Error, code, Place::Site, message)
    }

    /// The same problem with a suggestion.
    pub fn with_suggestion(self, suggestion: impl Into<String>) -> Self {
        Diagnostic {
            suggestion: Some(suggestion.into()),
            ..self
        }
    }

    /// The same problem, left out while `path` has errors of its own.
    pub fn caused_by(mut self, path: Option<String>) -> Self {
        self.caused_by = path;
        self
    }

    /// The same problem, its line counted from line `first_line` of the
    /// file at `path` (for problems placed in an article's body).
    pub fn in_file(self, path: &str, first_line: usize) -> Self {
        match self.place {
            Place::File { line, col, .. } => Diagnostic {
                place: Place::file(path, first_line + line - 1, col),
                ..self
            },
            _ => self,
        }
    }

    /// The file path, for problems in a file.
    pub fn path(&self) -> Option<&str> {
        match &self.place {
            Place::File { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The message with its suggestion, as one sentence.
    pub fn text(&self) -> String {
        match &self.suggestion {
            Some(s) => format!("{}; {s}", self.message),
            None => self.message.clone(),
        }
    }
}

impl std::error::Error for Diagnostic {}

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

    /// Makes every warning an error (`--deny-warnings`).
    pub fn deny_warnings(&mut self) {
        for d in &mut self.items {
            d.level = Level::Error;
        }
    }

    /// The problems sorted by place (flags, then the site, then files by
    /// path, line and column), duplicates removed, and without those caused
    /// by another file's errors (the cause is reported; the consequences
    /// would only mislead).
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let failed: std::collections::HashSet<&str> = self
            .items
            .iter()
            .filter(|d| d.level == Level::Error)
            .filter_map(Diagnostic::path)
            .collect();
        let mut items: Vec<Diagnostic> = self
            .items
            .iter()
            .filter(|d| d.caused_by.as_deref().is_none_or(|c| !failed.contains(c)))
            .cloned()
            .collect();
        items.sort_by(|a, b| (&a.place, a.level, a.code, &a.message).cmp(&(&b.place, b.level, b.code, &b.message)));
        items.dedup();
        items
    }

    /// The report as a person reads it: one line per problem, then
    /// `N errors, M warnings`.
    pub fn report(&self) -> String {
        print::render(self, Format::Human).stderr
    }

    /// The report with `error:` and `warning:` in ANSI colours, for a
    /// terminal (`anstream` drops the colours elsewhere).
    pub fn styled_report(&self) -> String {
        print::render_styled(self, Format::Human).stderr
    }
}

/// `path` relative to `root`, with `/` separators, for messages. A name
/// that is not UTF-8 shows U+FFFD for its bad bytes; a `\` in a name
/// (which is no separator on Unix) stays as it is.
pub fn display_path(root: &Path, path: &Path) -> String {
    use std::path::Component;
    if let Some(rel) = plainly_under(root, path) {
        return rel.to_string();
    }
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let parts: Vec<std::borrow::Cow<'_, str>> = rel
        .components()
        .filter(|c| !matches!(c, Component::RootDir))
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    let joined = parts.join("/");
    // An absolute path outside `root` keeps its one leading `/` (a drive
    // prefix such as `C:` already says where it starts).
    match rel.components().next() {
        Some(Component::RootDir) => format!("/{joined}"),
        _ => joined,
    }
}

/// The common case of `display_path`, without taking the path apart (a
/// walk of the site names every file): on Unix, `path` written as `root`,
/// a `/` and UTF-8 names with no empty or `.` one, is that rest as it is.
fn plainly_under<'a>(root: &Path, path: &'a Path) -> Option<&'a str> {
    let root = root.to_str().filter(|r| cfg!(unix) && !r.is_empty())?;
    let rest = path.to_str()?.strip_prefix(root)?.strip_prefix('/')?;
    rest.split('/')
        .all(|name| !name.is_empty() && name != ".")
        .then_some(rest)
}

/// Why a file under the site cannot be used by its name, if it cannot:
/// its path relative to `root` is the key of an article, author or static
/// file, and an author's, topic's or static file's name becomes a path of
/// the output, so it must be UTF-8 and hold no `\` and no control character
/// (`unfit_for_output`).
pub fn unusable_name(root: &Path, path: &Path) -> Option<&'static str> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    match rel.to_str() {
        None => Some("file name is not valid UTF-8: rename the file"),
        Some(name) if name.contains('\\') => {
            Some("file name contains `\\`: rename the file (folders are separated by `/`)")
        }
        Some(name) if unfit_for_output(name) => Some(
            "file name contains a control character or line separator such as a line break: rename the file (output paths are listed one a line)",
        ),
        Some(_) => None,
    }
}

/// Whether `path` holds a control character or a line or paragraph
/// separator (U+2028, U+2029), which no path of the output may: the output
/// folder's marker and `pressroom diff` list one path a line, and deploy
/// scripts read them so, so a line break would make one name two. The one
/// rule for file names, aliases and a manifest's paths.
pub fn unfit_for_output(path: &str) -> bool {
    path.contains(|c: char| c.is_control() || c == '\u{2028}' || c == '\u{2029}')
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
    fn paths_outside_the_root_show_one_leading_slash() {
        let root = Path::new("/site");
        assert_eq!(display_path(root, Path::new("/site/articles/a.md")), "articles/a.md");
        assert_eq!(display_path(root, Path::new("/tmp/cache")), "/tmp/cache");
        assert_eq!(display_path(Path::new(""), Path::new("/tmp/cache")), "/tmp/cache");
        assert_eq!(display_path(Path::new(""), Path::new("site/.cache")), "site/.cache");
    }

    // The quick way for a plain path under the root gives what taking it
    // apart gives, and paths that are not plain are taken apart.
    #[test]
    fn a_path_under_the_root_shows_as_taking_it_apart_shows_it() {
        for (root, path, shown) in [
            ("/site", "/site/articles/2019/a.md", "articles/2019/a.md"),
            ("/site", "/site//articles/./a.md", "articles/a.md"),
            ("/site", "/site/articles/", "articles"),
            ("/site/", "/site/a.md", "a.md"),
            ("/site", "/sitemap/a.md", "/sitemap/a.md"),
            ("site", "site/a\\b.md", "a\\b.md"),
            (".", "./a.md", "a.md"),
        ] {
            assert_eq!(display_path(Path::new(root), Path::new(path)), shown, "{root} {path}");
        }
    }

    #[test]
    fn closest_prefers_small_edits() {
        let got = closest("jane-doe", ["john-doe", "jane-do", "zed"], 2);
        assert_eq!(got, vec!["jane-do", "john-doe"]);
    }

    /// Problems in a body are placed in the body, then moved to the file.
    #[test]
    fn in_file_moves_a_body_line_to_the_file_line() {
        let d = Diagnostic::warning(Code::UnusedFootnote, "articles/a.md", 3, 4, "m").in_file("articles/a.md", 7);
        assert_eq!(d.place, Place::file("articles/a.md", 9, 4));
    }
}
