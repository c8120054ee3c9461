//! What every loader hands on: the source site as plain values, whatever
//! generator wrote it.

use super::document::Document;
use super::report::Report;
use super::SourceKind;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use time::Date;
use walkdir::WalkDir;

/// Site-wide settings learnt from the source config.
#[derive(Debug, Clone, Default)]
pub struct SiteInfo {
    pub title: Option<String>,
    pub description: Option<String>,
    pub base_url: Option<String>,
    pub language: Option<String>,
    pub paginate: Option<u64>,
    pub copyright: Option<String>,
    /// The site-wide author from the config, used for posts with no byline.
    pub author: Option<String>,
}

/// How the original generator builds a post's URL.
#[derive(Debug, Clone)]
pub enum UrlRule {
    /// Hugo `[permalinks]` pattern (`/:year/:month/:slug/`).
    Hugo(String),
    /// Jekyll `permalink` pattern (`/:categories/:year/:month/:day/:title.html`).
    Jekyll(String),
    /// Eleventy permalink template (`/{{ page.date | toDatePath }}/{{ page.fileSlug }}/`).
    Eleventy(String),
}

/// One post of the source site, not yet interpreted.
#[derive(Debug, Clone)]
pub struct SourcePost {
    /// Path relative to the source root, with `/`.
    pub rel_path: String,
    pub doc: Document,
    /// The slug the file name gives (date prefix and extension removed).
    pub name_slug: String,
    /// The generator's own slug from the file name, for URLs (Eleventy's
    /// `fileSlug` keeps a malformed date prefix).
    pub url_slug: String,
    /// Date from a `YYYY-MM-DD-` file name prefix.
    pub name_date: Option<Date>,
    /// Hugo section or Jekyll categories from the folders.
    pub section: Vec<String>,
    /// Path without extension relative to the content root (Eleventy's
    /// `page.filePathStem` without the leading slash).
    pub path_stem: String,
    /// Folder holding the post's own resources (Hugo page bundle).
    pub bundle_dir: Option<String>,
    pub url_rule: UrlRule,
    /// Set for Jekyll `_drafts/`.
    pub in_drafts: bool,
    /// Topics the folder's data file adds to every post (removed again).
    pub collection_tags: Vec<String>,
    /// File modification date, the last resort for a post without a date.
    pub modified: Option<Date>,
}

/// A person from a team list, a collection of people or a term page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TeamMember {
    /// The id front matter uses for this person (`aaron-burk`), if any.
    pub id: Option<String>,
    /// Other ids bylines may use (a collection document's file name and its `username`).
    pub other_ids: Vec<String>,
    /// `None` when the source gives no name.
    pub name: Option<String>,
    pub role: Option<String>,
    pub bio: Option<String>,
    /// The photo as the source writes it (a path or URL).
    pub photo: Option<String>,
    /// Where the person was read from (a path relative to the source root).
    pub from: String,
    /// True when the name was made from the id, the source giving none.
    pub name_guessed: bool,
}

/// An entry of an image data file: what an image shortcode's id stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageEntry {
    /// The data file, relative to the source root.
    pub file: String,
    /// The entry's fields (`src`, `format`, `alt`, `caption`, `credit`, ...).
    pub fields: serde_yaml::Mapping,
}

/// A non-post page: its URL is kept so links to it can point at the original.
#[derive(Debug, Clone)]
pub struct SourcePage {
    pub rel_path: String,
    pub url: String,
}

/// A topic with a description (Hugo term page).
#[derive(Debug, Clone)]
pub struct TopicInfo {
    pub name: String,
    pub description: Option<String>,
}

/// The whole source site.
#[derive(Debug)]
pub struct SourceSite {
    pub kind: SourceKind,
    pub root: PathBuf,
    pub info: SiteInfo,
    pub posts: Vec<SourcePost>,
    pub pages: Vec<SourcePage>,
    pub team: Vec<TeamMember>,
    /// Where team members came from (for the summary).
    pub team_sources: Vec<String>,
    /// Image data entries by id (lowercase).
    pub images: BTreeMap<String, ImageEntry>,
    /// The generator's config as read, for `{params.x}` in URL patterns.
    pub config: serde_yaml::Value,
    /// The config file, relative to the source root: where site-wide warnings point.
    pub config_file: Option<String>,
    pub topics: Vec<TopicInfo>,
    /// Front-matter keys holding topics.
    pub topic_keys: Vec<String>,
    /// Folders whose files are served at the site root (`static/`, or the
    /// root itself for Jekyll), relative to the source root.
    pub static_roots: Vec<String>,
    /// Whether the static folders are the sources themselves (Jekyll's and
    /// Eleventy's root), which publish their files but those under a name
    /// starting with `_` or `.` (`_config.yml`, `.env`, `_data/`) and
    /// `node_modules/`: such a file is no image of the old site.
    pub static_roots_are_sources: bool,
    /// Folders of files a theme processes (Hugo `assets/`), searched for images by name.
    pub asset_roots: Vec<String>,
    pub report: Report,
}

impl SourceSite {
    /// Where a warning about the whole site points: the config file, else the source folder.
    pub fn site_path(&self) -> &str {
        self.config_file.as_deref().unwrap_or(".")
    }

    /// Finds a file served at URL path `url_path` (`/assets/a%20b.png`):
    /// its path under the static folder (`assets/a b.png`, where it is copied
    /// to) and its path relative to the source root. Only a regular file
    /// inside one of the static folders is found.
    pub fn find_static(&self, url_path: &str) -> Option<(String, String)> {
        let clean = url_file_path(url_path)?;
        if !self.published(&clean) {
            return None;
        }
        self.static_roots.iter().find_map(|root| {
            let rel = if root.is_empty() {
                clean.clone()
            } else {
                format!("{root}/{clean}")
            };
            self.holds_file(root, &rel).then(|| (clean.clone(), rel))
        })
    }

    /// Whether the old site published the file `rel`, relative to one of its
    /// static folders (see `static_roots_are_sources`).
    pub fn published(&self, rel: &str) -> bool {
        !self.static_roots_are_sources
            || !rel
                .split('/')
                .any(|part| part.starts_with(['_', '.']) || part == "node_modules")
    }

    /// Whether `rel` (relative to the source root) is a regular file inside
    /// the source's folder `dir`, once links are followed.
    pub fn holds_file(&self, dir: &str, rel: &str) -> bool {
        let (Ok(dir), Ok(file)) = (self.root.join(dir).canonicalize(), self.root.join(rel).canonicalize()) else {
            return false;
        };
        file.starts_with(&dir) && file.is_file()
    }
}

/// The file a URL path names, relative to the folder it is served from
/// (`/images/a%20b.png` -> `images/a b.png`): query and fragment dropped,
/// escapes decoded, and then refused when a part is empty, `.` or `..`
/// (an escaped `%2e%2e` or `%2F` included), by the rule the output folder
/// keeps to.
pub fn url_file_path(url_path: &str) -> Option<String> {
    let clean = url_path.split(['?', '#']).next()?.trim_start_matches('/');
    let decoded = percent_decode(clean);
    (crate::output::inside_the_output(&decoded) && !decoded.contains('\\') && !crate::diag::unfit_for_output(&decoded))
        .then_some(decoded)
}

/// The bytes of the source file at `path`: a named pipe or a device in its
/// place is an error, never waited on.
pub fn read_source(path: &Path) -> anyhow::Result<Vec<u8>> {
    use anyhow::Context;
    crate::fs::read_regular(path).with_context(|| format!("could not read {}", path.display()))
}

/// The text of a source file that may be missing (a README, a config):
/// `None` when it is not there or not a regular file.
pub fn read_optional(path: &Path) -> Option<String> {
    let bytes = crate::fs::read_regular(path).ok()?;
    String::from_utf8(bytes).ok()
}

/// Decodes `%20`-style escapes with the core's rule; text with invalid ones is kept as it is.
pub fn percent_decode(text: &str) -> String {
    crate::serve::percent_decode(text).unwrap_or_else(|| text.to_string())
}

/// Folders no generator reads content from.
fn skipped_dir(name: &str) -> bool {
    matches!(
        name,
        "node_modules" | "_site" | "public" | "resources" | "vendor" | ".git" | "target"
    ) || (name.starts_with('.') && name.len() > 1)
}

/// Every file under `dir` (relative to `root`), sorted, skipping build
/// output and dependency folders.
pub fn walk_files(root: &Path, dir: &str) -> Vec<String> {
    let start = if dir.is_empty() {
        root.to_path_buf()
    } else {
        root.join(dir)
    };
    let mut files: Vec<String> = WalkDir::new(&start)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !skipped_dir(&e.file_name().to_string_lossy()))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            // A name that is not UTF-8 is passed over (see `unreadable_names`).
            let rel = e.path().strip_prefix(root).ok()?.to_str()?;
            Some(rel.replace('\\', "/"))
        })
        .collect();
    files.sort();
    files
}

/// Files and folders under `root` whose names are not UTF-8 (shown with
/// `?` for what is not), which the import passes over: not inside the
/// folders it skips, nor inside a folder already named.
pub fn unreadable_names(root: &Path) -> Vec<String> {
    let mut names = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            match name.to_str() {
                None => {
                    let rel = entry
                        .path()
                        .strip_prefix(root)
                        .map(|p| p.to_string_lossy().replace('\u{fffd}', "?"));
                    names.extend(rel.ok());
                }
                Some(name) if is_dir && !skipped_dir(name) => stack.push(entry.path()),
                Some(_) => {}
            }
        }
    }
    names.sort();
    names
}

/// True for files whose content is Markdown.
pub fn is_markdown(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".md", ".markdown", ".mdown", ".mkd"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// The file name without folder and extension.
pub fn file_stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rfind('.') {
        Some(dot) if dot > 0 => &name[..dot],
        _ => name,
    }
}

/// The folder part of a relative path ("" at the root).
pub fn parent_dir(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// Modification date of a file, if the file system knows it.
pub fn modified_date(path: &Path) -> Option<Date> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    Some(time::OffsetDateTime::from(modified).date())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("open%20data/x"), "open data/x");
        // Invalid escapes leave the text as written, never split a character.
        assert_eq!(percent_decode("a%\u{e9}\u{e9}b%C3%A9"), "a%\u{e9}\u{e9}b%C3%A9");
    }

    #[test]
    fn url_paths_are_checked_after_decoding() {
        assert_eq!(
            url_file_path("/images/a%20b.png?x=1").as_deref(),
            Some("images/a b.png")
        );
        for bad in [
            "/%2e%2e/x.png",
            "/a/%2E/x.png",
            "/%2F/etc/passwd",
            "/a//b.png",
            "/",
            "/a%5Cb",
            "/a%00b",
        ] {
            assert_eq!(url_file_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn splits_paths() {
        assert_eq!(file_stem("a/b/2015-01-01-x.md"), "2015-01-01-x");
        assert_eq!(parent_dir("a/b/c.md"), "a/b");
        assert_eq!(parent_dir("c.md"), "");
        assert!(is_markdown("x.MD"));
    }
}
