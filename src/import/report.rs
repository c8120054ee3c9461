//! What the import could not carry over, collected rather than printed as it
//! happens, so the summary can count it by kind and list it sorted.

use super::tally::Tally;
use crate::diag::{Code, Diagnostic, Place};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The kinds of problems an import reports; each has a stable name used in
/// the printed summary and in docs/import.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WarnKind {
    /// Front matter needed repair: duplicate key, tabs, BOM, CRLF, bad YAML.
    FrontMatter,
    /// A date was odd (no time zone, a one-digit offset) or missing.
    Date,
    /// A title or summary had HTML entities or tags that were decoded.
    Entities,
    /// An article had no byline and got the site-wide fallback author.
    FallbackAuthor,
    /// A byline named nobody in the team list; an author file was created.
    AuthorCreated,
    /// A slug was invalid or already taken and was changed.
    Slug,
    /// A lead or body image could not be found in the source.
    Image,
    /// A link to another post could not be resolved to an article.
    UnresolvedLink,
    /// A link resolved to an article but its `#anchor` did not; it was dropped.
    AnchorDropped,
    /// A shortcode or Liquid tag was removed because its meaning was unclear.
    Removed,
    /// A shortcode or Liquid tag was converted in an approximate way.
    Converted,
    /// The article is a draft or expired and was imported as a draft.
    Draft,
    /// Something about the site as a whole (base URL, title) was guessed.
    Site,
}

impl WarnKind {
    /// The diagnostic code: `import-` and the kind's name.
    pub fn code(self) -> Code {
        match self {
            WarnKind::FrontMatter => Code::ImportFrontMatter,
            WarnKind::Date => Code::ImportDate,
            WarnKind::Entities => Code::ImportEntities,
            WarnKind::FallbackAuthor => Code::ImportFallbackAuthor,
            WarnKind::AuthorCreated => Code::ImportAuthorCreated,
            WarnKind::Slug => Code::ImportSlug,
            WarnKind::Image => Code::ImportImage,
            WarnKind::UnresolvedLink => Code::ImportUnresolvedLink,
            WarnKind::AnchorDropped => Code::ImportAnchorDropped,
            WarnKind::Removed => Code::ImportRemoved,
            WarnKind::Converted => Code::ImportConverted,
            WarnKind::Draft => Code::ImportDraft,
            WarnKind::Site => Code::ImportSite,
        }
    }

    /// The name printed in summaries (`image` for `import-image`).
    pub fn name(self) -> &'static str {
        kind_name(self.code())
    }
}

/// The summary's name of an import warning's code: without `import-`.
fn kind_name(code: Code) -> &'static str {
    code.name().strip_prefix("import-").unwrap_or(code.name())
}

/// Collects the warnings of an import, each a core [`Diagnostic`] named by
/// its [`WarnKind`].
#[derive(Debug, Default)]
pub struct Report {
    pub warnings: Vec<Diagnostic>,
}

impl Report {
    /// Records a warning about `path` at `line` (1-based; 0 is read as 1).
    pub fn warn(&mut self, kind: WarnKind, path: &str, line: usize, message: impl Into<String>) {
        self.warnings.push(warning(kind, path, line, 1, message));
    }

    /// Records a warning already made.
    pub fn push(&mut self, warning: Diagnostic) {
        self.warnings.push(warning);
    }

    /// Moves all warnings of `other` into this report.
    pub fn absorb(&mut self, other: Report) {
        self.warnings.extend(other.warnings);
    }
}

/// A warning of kind `kind` at `path:line:col`.
pub fn warning(kind: WarnKind, path: &str, line: usize, col: usize, message: impl Into<String>) -> Diagnostic {
    Diagnostic::warning(kind.code(), path, line, col, message)
}

/// The figures of a finished import.
#[derive(Debug, Default)]
pub struct ImportSummary {
    pub kind: &'static str,
    pub out: PathBuf,
    pub articles: usize,
    pub drafts: usize,
    pub authors: usize,
    pub authors_from_data: usize,
    pub topics: usize,
    pub xrefs_resolved: usize,
    pub xrefs_unresolved: usize,
    pub images_copied: usize,
    pub base_url: Option<String>,
    /// Source keys kept under `extra`, with how many articles had each.
    pub extra_keys: BTreeMap<String, usize>,
    /// Every warning, sorted by path, line and kind.
    pub warnings: Vec<Diagnostic>,
    /// Where people were read from, with how many each gave.
    pub team_sources: Vec<(String, usize)>,
    /// Authors whose name was made from a byline: `authors/x.yaml: `x` -> X (first at path:line)`.
    pub guessed: Vec<String>,
    /// Every shortcode or Liquid tag met, with what became of it.
    pub tally: Tally,
    /// `shortcode` or `Liquid tag`.
    pub tag_word: &'static str,
}

impl ImportSummary {
    /// Warning counts by kind name, in kind order.
    pub fn warnings_by_kind(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for warning in &self.warnings {
            *counts.entry(kind_name(warning.code)).or_insert(0) += 1;
        }
        counts
    }

    /// The summary printed at the end of an import.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!("imported {} site into {}\n", self.kind, self.out.display()));
        out.push_str(&format!("  articles: {} ({} drafts)\n", self.articles, self.drafts));
        out.push_str(&format!(
            "  authors: {} ({} from team lists)\n",
            self.authors, self.authors_from_data
        ));
        if !self.team_sources.is_empty() {
            let sources: Vec<String> = self.team_sources.iter().map(|(f, n)| format!("{f} ({n})")).collect();
            out.push_str(&format!("  people read from: {}\n", sources.join(", ")));
        }
        if !self.guessed.is_empty() {
            out.push_str(&format!(
                "  names guessed from bylines ({}; write the real name in each file):\n",
                self.guessed.len()
            ));
            for line in &self.guessed {
                out.push_str(&format!("    {line}\n"));
            }
        }
        out.push_str(&format!("  topics: {}\n", self.topics));
        out.push_str(&format!(
            "  cross-references: {} resolved, {} unresolved\n",
            self.xrefs_resolved, self.xrefs_unresolved
        ));
        for warning in &self.warnings {
            if let (Code::ImportUnresolvedLink, Place::File { path, line, .. }) = (warning.code, &warning.place) {
                out.push_str(&format!("    {path}:{line}: {}\n", warning.message));
            }
        }
        if self.images_copied > 0 {
            out.push_str(&format!("  images copied: {}\n", self.images_copied));
        }
        if let Some(url) = &self.base_url {
            out.push_str(&format!("  original site: {url}\n"));
        }
        if !self.extra_keys.is_empty() {
            let keys: Vec<String> = self
                .extra_keys
                .iter()
                .map(|(key, count)| format!("{key} ({count})"))
                .collect();
            out.push_str(&format!("  kept under extra: {}\n", keys.join(", ")));
        }
        out.push_str(&self.tally.render(self.tag_word));
        out.push_str(&format!("  warnings: {}\n", self.warnings.len()));
        for (kind, count) in self.warnings_by_kind() {
            out.push_str(&format!("    {kind}: {count}\n"));
        }
        out
    }
}

/// Prints every warning to stderr (unless `quiet`), then the summary to
/// stdout; a stdout that cannot be written to is an error, not a panic.
pub fn print_summary(summary: &ImportSummary, quiet: bool) -> std::io::Result<()> {
    use std::io::Write;
    if !quiet {
        for warning in &summary.warnings {
            eprintln!("{warning}");
        }
    }
    let mut out = std::io::stdout().lock();
    out.write_all(summary.render().as_bytes())?;
    out.flush()
}
