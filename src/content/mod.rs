//! Loading: walk the site folder, read and validate every content file.
//! Files are independent here, so they are read and parsed in parallel.

pub mod alias;
mod article;
mod author;
pub mod date;
pub mod exclude;
pub mod fields;
pub mod renames;
pub mod source;
pub mod tree;
mod yaml_words;

pub use article::{file_slug, Article, FrontMatter, ARTICLE_KEYS};
pub use author::{Author, AuthorFile, TopicFile, TopicInfo, AUTHOR_KEYS, TOPIC_KEYS};
pub use date::Date;
pub use exclude::Exclude;
pub use fields::{Canonical, Image, NamedLink, StaticFiles};
pub use tree::{Skipped, Tree, INPUT_FOLDERS};

use crate::diag::{display_path, Code, Diagnostic};
use rayon::prelude::*;
use source::read_source;
use std::path::{Path, PathBuf};
use tree::Found;

/// Everything read from the site folder.
#[derive(Debug, Default)]
pub struct Content {
    /// Every article, drafts included, in path order.
    pub articles: Vec<Article>,
    pub authors: Vec<Author>,
    pub topics: Vec<TopicInfo>,
}

/// Reads `articles/`, `authors/`, `topics/` and lists `static/`; `theme_statics`
/// are the built-in theme's assets, which count as present for image checks;
/// files `exclude` names are skipped.
pub fn load_content(root: &Path, theme_statics: &[&str], exclude: &Exclude, problems: &mut Vec<Diagnostic>) -> Content {
    let tree = Tree::content(root);
    let mut skipped = Skipped::default();
    let site_statics = list_statics_reporting(root, &tree, exclude, problems, &mut skipped);
    let mut statics: StaticFiles = site_statics.iter().cloned().collect();
    statics.extend(theme_statics.iter().map(|s| s.to_string()));

    let files = list_articles_reporting(root, &tree, exclude, problems, &mut skipped);
    let results: Vec<(Option<Article>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|(_, path)| {
            let (mut article, found) = load_article(root, path, &statics);
            // Bodies are read again one at a time when rendered
            // (`read_body`), so the whole archive's text is never held at once.
            if let Some(a) = &mut article {
                a.body = String::new();
            }
            (article, found)
        })
        .collect();
    let mut articles = Vec::with_capacity(results.len());
    for (article, found) in results {
        problems.extend(found);
        articles.extend(article);
    }
    let (authors, topics) = load_people(root, &tree, &statics, exclude, problems, &mut skipped);
    Content {
        articles,
        authors,
        topics,
    }
}

/// Files under the site's `static/` (as walked in `tree`), relative to it;
/// files whose names cannot be copied as they are (see
/// `diag::unusable_name`) are left out and reported, as are symbolic
/// links; those `exclude` names are noted in `skipped`.
pub fn list_statics_reporting(
    root: &Path,
    tree: &Tree,
    exclude: &Exclude,
    problems: &mut Vec<Diagnostic>,
    skipped: &mut Skipped,
) -> Vec<String> {
    let dir = root.join("static");
    let files = kept_files(root, tree, "static", exclude, |_| true, problems, skipped);
    let mut statics = Vec::with_capacity(files.len());
    for Found { path, .. } in files {
        match crate::diag::unusable_name(&dir, &path) {
            Some(message) => problems.push(Diagnostic::error(
                Code::UnusableFileName,
                &display_path(root, &path),
                1,
                1,
                message,
            )),
            None => statics.push(display_path(&dir, &path)),
        }
    }
    statics
}

/// The article files under `articles/` (as walked in `tree`), in path
/// order, each with its path relative to `articles/`; symbolic links are
/// reported, and the files `exclude` names noted in `skipped`.
pub fn list_articles_reporting(
    root: &Path,
    tree: &Tree,
    exclude: &Exclude,
    problems: &mut Vec<Diagnostic>,
    skipped: &mut Skipped,
) -> Vec<(String, PathBuf)> {
    let files = kept_files(root, tree, "articles", exclude, is_article_file, problems, skipped);
    let dir = root.join("articles");
    files
        .into_iter()
        .map(|found| {
            let rel = match found.rel.strip_prefix("articles/") {
                Some(rel) => rel.to_string(),
                None => display_path(&dir, &found.path),
            };
            (rel, found.path)
        })
        .collect()
}

/// The regular files of `folder` (as walked in `tree`) that `keep`
/// accepts and `exclude` does not name; symbolic links and folders that
/// cannot be read are reported, and the files `exclude` names noted in `skipped`.
fn kept_files(
    root: &Path,
    tree: &Tree,
    folder: &str,
    exclude: &Exclude,
    keep: impl Fn(&Path) -> bool,
    problems: &mut Vec<Diagnostic>,
    skipped: &mut Skipped,
) -> Vec<Found> {
    let split = tree::split(&tree.folder(root, folder), exclude, keep);
    report_links(root, &split.links, problems);
    report_unreadable(root, &split.unreadable, problems);
    skipped.set(folder, split.excluded);
    split.files
}

/// Is this a Markdown file (an article, when under `articles/`)?
pub fn is_article_file(path: &Path) -> bool {
    has_extension(path, &["md"])
}

/// Reads and validates one article file, with the problems found in it.
/// Reads an article's body again for rendering; the front matter must be as
/// it was when the site was loaded.
pub fn read_body(root: &Path, article: &Article) -> Result<String, Diagnostic> {
    let mut problems = Vec::new();
    let changed = || {
        Diagnostic::error(
            Code::FileChanged,
            &article.source_path,
            1,
            1,
            "file changed during the build; build again",
        )
    };
    let source = source::read_source(root, &root.join(&article.source_path), &mut problems).ok_or_else(changed)?;
    match source::split_front_matter(&source) {
        Ok(split) if split.yaml == article.front_matter => Ok(split.body.to_string()),
        _ => Err(changed()),
    }
}

pub fn load_article(root: &Path, path: &Path, statics: &StaticFiles) -> (Option<Article>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let article = read_source(root, path, &mut found).and_then(|source| {
        let rel = display_path(&root.join("articles"), path);
        Article::from_source(&source, &rel, statics, &mut found)
    });
    (article, found)
}

/// Reads every author and topic file (as walked in `tree`); those
/// `exclude` names are noted in `skipped`.
pub fn load_people(
    root: &Path,
    tree: &Tree,
    statics: &StaticFiles,
    exclude: &Exclude,
    problems: &mut Vec<Diagnostic>,
    skipped: &mut Skipped,
) -> (Vec<Author>, Vec<TopicInfo>) {
    let mut authors = Vec::new();
    let yaml_or_md = |p: &Path| has_extension(p, &["yaml", "yml", "md"]);
    for Found { path, .. } in kept_files(root, tree, "authors", exclude, yaml_or_md, problems, skipped) {
        if let Some(source) = read_source(root, &path, problems) {
            let slug = slug_of_file(&source.path, &path, "authors", problems);
            if let Some(author) = Author::from_source(&source, &slug, statics, problems) {
                authors.push(author);
            }
        }
    }
    report_duplicate_stems(authors.iter().map(|a| (&a.slug, &a.source_path)), "author", problems);

    let mut topics = Vec::new();
    let yaml = |p: &Path| has_extension(p, &["yaml", "yml"]);
    for Found { path, .. } in kept_files(root, tree, "topics", exclude, yaml, problems, skipped) {
        if let Some(source) = read_source(root, &path, problems) {
            let slug = slug_of_file(&source.path, &path, "topics", problems);
            if let Some(topic) = TopicInfo::from_source(&source, &slug, problems) {
                topics.push(topic);
            }
        }
    }
    report_duplicate_stems(topics.iter().map(|t| (&t.slug, &t.source_path)), "topic", problems);
    (authors, topics)
}

fn report_duplicate_stems<'a>(
    items: impl Iterator<Item = (&'a String, &'a String)>,
    what: &str,
    problems: &mut Vec<Diagnostic>,
) {
    let mut seen: std::collections::HashMap<&str, &str> = Default::default();
    for (slug, path) in items {
        if let Some(first) = seen.insert(slug, path) {
            problems.push(Diagnostic::error(
                Code::DuplicateSlug,
                path,
                1,
                1,
                format!("duplicate {what} `{slug}`: {first} has the same slug"),
            ));
        }
    }
}

/// A warning for each symbolic link skipped.
fn report_links(root: &Path, links: &[PathBuf], problems: &mut Vec<Diagnostic>) {
    for link in links {
        problems.push(Diagnostic::warning(
            Code::SymbolicLink,
            &display_path(root, link),
            1,
            1,
            "symbolic link skipped: pressroom reads only regular files in the site; copy the file or folder here instead",
        ));
    }
}

/// Folders that could not be read: their files would be missing from the
/// site, so each is an error.
fn report_unreadable(root: &Path, folders: &[PathBuf], problems: &mut Vec<Diagnostic>) {
    for dir in folders {
        let why = std::fs::read_dir(dir)
            .err()
            .map_or("it changed while read".to_string(), |e| e.to_string());
        problems.push(
            Diagnostic::error(
                Code::UnreadableFile,
                &display_path(root, dir),
                1,
                1,
                format!("could not read folder: {why}"),
            )
            .with_suggestion("make the folder readable by the user running pressroom, or remove it"),
        );
    }
}

/// Hidden files and editors' temporary files (`.#x.md`, `x.md~`, `x.swp`).
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp")
}

fn has_extension(path: &Path, exts: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| exts.contains(&e))
}

/// The slug an author or topic file (`rel`, under `folder`) is named by:
/// its name without the extension, which is also its page's folder. A
/// name that would break that URL (a space, `?`, `#`, `%`, ...) is an
/// error at the file, with a slug to rename it to; the file is still
/// read, so articles naming it get no second error. What a URL path may
/// hold (`c++`, `o'brien`, `at&t`, letters beyond ASCII) is fine.
fn slug_of_file(rel: &str, path: &Path, folder: &str, problems: &mut Vec<Diagnostic>) -> String {
    let stem = file_stem(path);
    // What a URL path cannot hold as it is: `?` and `#` end it, `%` starts
    // an escape, the rest must be escaped (RFC 3986).
    let breaks = |c: char| {
        c.is_control()
            || c.is_whitespace()
            || matches!(
                c,
                '?' | '#' | '%' | '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}' | '[' | ']'
            )
    };
    // A folder named like a file the build writes beside it (the authors'
    // index is `authors/index.html`) could not be made.
    let like_a_file = [".html", ".xml", ".json"].iter().any(|ext| stem.ends_with(ext));
    if stem.contains(breaks) || like_a_file {
        let ext = path
            .extension()
            .map_or(String::new(), |e| format!(".{}", e.to_string_lossy()));
        problems.push(
            Diagnostic::error(
                Code::UnusableFileName,
                rel,
                1,
                1,
                match like_a_file {
                    true => format!(
                        "file name `{stem}` ends like a file: its page's folder /{folder}/{stem}/ would be named like the files the build writes (`index.html`, `feed.xml`); name files here by their slug"
                    ),
                    false => format!(
                        "file name `{stem}` cannot be part of a URL: its page would be /{folder}/{stem}/; name files here by their slug, without spaces, `?`, `#`, `%`, quotes, `<>`, `[]`, `{{}}`, `|`, `^` or a backquote"
                    ),
                },
            )
            .with_suggestion(format!("rename it to {folder}/{}{ext}", crate::markdown::slugify(&stem))),
        );
    }
    stem
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_that_cannot_be_read_is_an_error_at_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let not_a_folder = dir.path().join("articles/2019");
        crate::fs::write(&not_a_folder, b"x").unwrap();
        let mut problems = Vec::new();
        report_unreadable(dir.path(), &[not_a_folder], &mut problems);
        assert_eq!(problems.len(), 1);
        let shown = problems[0].to_string();
        assert_eq!(problems[0].code, Code::UnreadableFile);
        assert!(
            shown.starts_with("articles/2019:1:1: error: could not read folder: Not a directory"),
            "{shown}"
        );
    }

    #[test]
    fn bodies_are_read_again_and_a_changed_file_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("articles/a.md");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "---\ntitle: A\ndate: 2024-01-02\nauthors: x\n---\n\nBody.\n").unwrap();
        let mut problems = Vec::new();
        let content = load_content(dir.path(), &[], &Exclude::default(), &mut problems);
        let article = &content.articles[0];
        assert!(article.body.is_empty(), "bodies are not kept after loading");
        assert_eq!(read_body(dir.path(), article).unwrap(), "\nBody.\n");
        std::fs::write(&path, "---\ntitle: B\ndate: 2024-01-02\nauthors: x\n---\n\nBody.\n").unwrap();
        let err = read_body(dir.path(), article).unwrap_err();
        assert_eq!(
            err.to_string(),
            "articles/a.md:1:1: error: file changed during the build; build again"
        );
    }
}
