//! The one place diagnostics become text, in three forms: `human` (for a
//! terminal), `json` (one object per line, for tools) and `github` (workflow
//! commands, which GitHub Actions shows as annotations on a pull request's
//! diff). Machine forms go to standard output, so a pipe gets only them; the
//! summary line always goes to standard error. A problem quotes what the
//! user wrote (a file name, a slug, a manifest's path), which may hold a
//! line break or another control character: every form shows it escaped,
//! so one problem is always one line.

use super::{Diagnostic, Diagnostics, Level, Place};
use std::borrow::Cow;
use std::fmt;

/// How diagnostics are printed (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `path:line:col: error: message`, then a summary line.
    Human,
    /// One JSON object per line.
    Json,
    /// GitHub Actions workflow commands (`::error file=...::message`).
    Github,
}

impl Format {
    /// The format asked for, else `github` inside GitHub Actions
    /// (`GITHUB_ACTIONS=true`), else `human`.
    pub fn or_default(asked: Option<Format>) -> Format {
        asked.unwrap_or_else(|| match std::env::var("GITHUB_ACTIONS") {
            Ok(v) if v == "true" => Format::Github,
            _ => Format::Human,
        })
    }
}

/// Text for the two output streams.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Printed {
    pub stdout: String,
    pub stderr: String,
}

/// The diagnostics in `format`: each problem, sorted, then the summary
/// line `N errors, M warnings` (on standard error in every format).
pub fn render(diagnostics: &Diagnostics, format: Format) -> Printed {
    render_as(diagnostics, format, false)
}

/// As [`render`], with `error:` and `warning:` of the human form in ANSI
/// colours (which `anstream` drops where colour is off).
pub fn render_styled(diagnostics: &Diagnostics, format: Format) -> Printed {
    render_as(diagnostics, format, true)
}

fn render_as(diagnostics: &Diagnostics, format: Format, styled: bool) -> Printed {
    let sorted = diagnostics.sorted();
    let mut printed = Printed::default();
    for d in &sorted {
        let (stream, line) = match format {
            Format::Human if styled => (&mut printed.stderr, styled_line(d)),
            Format::Human => (&mut printed.stderr, d.to_string()),
            Format::Json => (&mut printed.stdout, json_line(d)),
            Format::Github => (&mut printed.stdout, github_line(d)),
        };
        stream.push_str(&line);
        stream.push('\n');
    }
    let errors = sorted.iter().filter(|d| d.level == Level::Error).count();
    printed.stderr.push_str(&summary(errors, sorted.len() - errors));
    printed.stderr.push('\n');
    printed
}

/// Prints the diagnostics (nothing when there are none), in colour where
/// the terminal and `--color` allow; a standard output that cannot be
/// written (a full disk, a closed pipe) is an error rather than a panic.
pub fn try_print(diagnostics: &Diagnostics, format: Format) -> std::io::Result<()> {
    use std::io::Write;
    if diagnostics.is_empty() {
        return Ok(());
    }
    let printed = render_styled(diagnostics, format);
    let mut out = anstream::stdout();
    out.write_all(printed.stdout.as_bytes())?;
    out.flush()?;
    anstream::eprint!("{}", printed.stderr);
    Ok(())
}

/// The human line with its level in colour.
fn styled_line(d: &Diagnostic) -> String {
    let style = match d.level {
        Level::Error => crate::ui::ERROR,
        Level::Warning => crate::ui::WARNING,
    };
    let plain = d.to_string();
    let level = format!("{}: ", d.level.name());
    match plain.find(&level) {
        Some(at) => {
            let (place, rest) = plain.split_at(at);
            let text = &rest[level.len()..];
            format!("{place}{style}{}:{style:#} {text}", d.level.name())
        }
        None => plain,
    }
}

/// The human form: `path:line:col: error: message; suggestion`, control
/// characters escaped.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            Place::File { path, line, col } => write!(f, "{}:{line}:{col}: ", escape_controls(path))?,
            Place::Flag(flag) => write!(f, "{flag}: ")?,
            Place::Site => {}
        }
        write!(f, "{}: {}", self.level.name(), escape_controls(&self.text()))
    }
}

/// `text` with each control character written as Rust writes it in a
/// string (`\n`, `\0`, `\u{1b}`), so quoted user text cannot break a
/// problem across lines or hide what it holds. The one place printed
/// problems and command errors are made safe to show.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.contains(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            shown.extend(c.escape_debug());
        } else {
            shown.push(c);
        }
    }
    Cow::Owned(shown)
}

/// `2 errors, 1 warning`.
pub fn summary(errors: usize, warnings: usize) -> String {
    format!("{}, {}", plural(errors, "error"), plural(warnings, "warning"))
}

/// `1 article`, `2 articles`: a count with its noun (whose plural adds `s`).
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// One JSON object: `path`, `line`, `column` (null for a problem that is
/// not in a file; a flag's name is then in `flag`), `level`, `code`,
/// `message` and `suggestion` (null when there is none).
pub fn json_line(d: &Diagnostic) -> String {
    let (path, line, col) = match &d.place {
        Place::File { path, line, col } => (Some(path.as_str()), Some(*line), Some(*col)),
        _ => (None, None, None),
    };
    let mut object = serde_json::json!({
        "path": path,
        "line": line,
        "column": col,
        "level": d.level.name(),
        "code": d.code.name(),
        "message": d.message,
        "suggestion": d.suggestion,
    });
    if let Place::Flag(flag) = d.place {
        object["flag"] = serde_json::Value::from(flag);
    }
    object.to_string()
}

/// One workflow command: `::error file=P,line=L,col=C,title=CODE::text`,
/// control characters escaped as in the human form.
pub fn github_line(d: &Diagnostic) -> String {
    let mut properties = Vec::new();
    let mut text = escape_controls(&d.text()).into_owned();
    match &d.place {
        Place::File { path, line, col } => {
            properties.push(format!("file={}", escape_property(&escape_controls(path))));
            properties.push(format!("line={line}"));
            properties.push(format!("col={col}"));
        }
        Place::Flag(flag) => text = format!("{flag}: {text}"),
        Place::Site => {}
    }
    properties.push(format!("title={}", escape_property(d.code.name())));
    format!("::{} {}::{}", d.level.name(), properties.join(","), escape_data(&text))
}

/// A workflow command's message: `%` is percent-encoded (CR and LF, which
/// the runner would also decode, are already escaped by `escape_controls`).
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
}

/// A workflow command's property value: as a message, and `:` and `,` too.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;

    fn sample() -> Diagnostics {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::error(Code::UnknownAuthor, "b.md", 1, 1, "second"));
        d.push(
            Diagnostic::warning(Code::UnknownKey, "a.md", 9, 2, "unknown key `titel` ignored")
                .with_suggestion("did you mean `title`?"),
        );
        d.push(Diagnostic::error(Code::MissingKey, "a.md", 10, 1, "also first"));
        d.push(Diagnostic::flag(Code::InvalidBaseUrl, "--base-url", "not a URL"));
        d
    }

    #[test]
    fn human_sorts_by_place_and_counts() {
        let printed = render(&sample(), Format::Human);
        assert_eq!(printed.stdout, "");
        assert_eq!(
            printed.stderr,
            "--base-url: error: not a URL\n\
             a.md:9:2: warning: unknown key `titel` ignored; did you mean `title`?\n\
             a.md:10:1: error: also first\n\
             b.md:1:1: error: second\n\
             3 errors, 1 warning\n"
        );
    }

    #[test]
    fn counts_are_pluralised() {
        assert_eq!(summary(1, 0), "1 error, 0 warnings");
        assert_eq!(summary(2, 1), "2 errors, 1 warning");
        assert_eq!(plural(1, "article"), "1 article");
        assert_eq!(plural(0, "article"), "0 articles");
    }

    #[test]
    fn json_has_every_field_and_null_places() {
        let printed = render(&sample(), Format::Json);
        let lines: Vec<serde_json::Value> = printed
            .stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0]["path"], serde_json::Value::Null);
        assert_eq!(lines[0]["flag"], "--base-url");
        assert_eq!(lines[1]["path"], "a.md");
        assert_eq!(lines[1]["line"], 9);
        assert_eq!(lines[1]["column"], 2);
        assert_eq!(lines[1]["level"], "warning");
        assert_eq!(lines[1]["code"], "unknown-key");
        assert_eq!(lines[1]["message"], "unknown key `titel` ignored");
        assert_eq!(lines[1]["suggestion"], "did you mean `title`?");
        assert_eq!(lines[2]["suggestion"], serde_json::Value::Null);
        assert_eq!(printed.stderr, "3 errors, 1 warning\n");
    }

    #[test]
    fn github_escapes_data_and_properties() {
        let d = Diagnostic::error(Code::InvalidYaml, "a,b:c%.md", 2, 3, "100% wrong\r\nhere: yes, really");
        assert_eq!(
            github_line(&d),
            "::error file=a%2Cb%3Ac%25.md,line=2,col=3,title=invalid-yaml::100%25 wrong\\r\\nhere: yes, really"
        );
        let flag = Diagnostic::flag(Code::InvalidBaseUrl, "--base-url", "not a URL");
        assert_eq!(
            github_line(&flag),
            "::error title=invalid-base-url::--base-url: not a URL"
        );
        let site = Diagnostic::new(Level::Warning, Code::TemplateRender, Place::Site, "m");
        assert_eq!(github_line(&site), "::warning title=template-render::m");
        let named = Diagnostic::error(Code::InvalidYaml, "a\nb.md", 1, 1, "m");
        assert_eq!(
            github_line(&named),
            "::error file=a\\nb.md,line=1,col=1,title=invalid-yaml::m"
        );
    }

    /// A slug or file name quoted in a problem once broke its line in two
    /// and printed a NUL as it is; each problem must stay one line.
    #[test]
    fn control_characters_in_user_text_are_escaped() {
        let mut d = Diagnostics::default();
        d.push(
            Diagnostic::error(Code::InvalidSlug, "articles/x\ny.md", 2, 7, "invalid slug `a\nb`")
                .with_suggestion("not `\0` or `\u{1b}[31m`"),
        );
        assert_eq!(
            render(&d, Format::Human).stderr,
            "articles/x\\ny.md:2:7: error: invalid slug `a\\nb`; not `\\0` or `\\u{1b}[31m`\n1 error, 0 warnings\n"
        );
        assert_eq!(escape_controls("tab\there"), "tab\\there");
        assert!(matches!(escape_controls("café/ünïcode"), Cow::Borrowed("café/ünïcode")));
        let json: serde_json::Value = serde_json::from_str(render(&d, Format::Json).stdout.trim()).unwrap();
        assert_eq!(
            json["path"], "articles/x\ny.md",
            "JSON keeps the text exact, escaped by JSON"
        );
    }
}
