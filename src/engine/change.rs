//! Which stage a changed file touches. The watcher reports paths; this
//! pure function says what each one means, so the preview redoes only the
//! work downstream of that stage.

use crate::content::is_ignored_name;
use std::path::{Component, Path};

/// What a change to one path under the site folder calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// `site.yaml`: base URL, pagination and titles reach every page.
    Config,
    /// One Markdown file under `articles/`.
    Article,
    /// Something else under `articles/`, such as a folder renamed or
    /// removed: the article files are listed again.
    ArticleTree,
    /// A file under `authors/` or `topics/`.
    People,
    /// A file under `templates/` or `i18n/` (theme strings).
    Templates,
    /// A file under `static/`.
    Static,
}

/// Classifies `rel`, a path relative to the site folder; `None` for paths
/// the site does not read (hidden and editor temporary files, `public/`...).
pub fn classify(rel: &Path) -> Option<ChangeKind> {
    let mut parts = Vec::new();
    for component in rel.components() {
        match component {
            Component::Normal(name) => parts.push(name.to_str()?),
            Component::CurDir => {}
            _ => return None,
        }
    }
    let (&top, rest) = parts.split_first()?;
    if rest.iter().any(|name| is_ignored_name(name)) {
        return None;
    }
    let kind = match top {
        "site.yaml" if rest.is_empty() => ChangeKind::Config,
        "articles" => match rest.last() {
            Some(name) if name.ends_with(".md") => ChangeKind::Article,
            _ => ChangeKind::ArticleTree,
        },
        "authors" | "topics" => ChangeKind::People,
        "templates" | "i18n" => ChangeKind::Templates,
        "static" => ChangeKind::Static,
        _ => return None,
    };
    Some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::INPUT_FOLDERS;
    use ChangeKind::*;

    #[test]
    fn classifies_each_kind_of_path() {
        let table: &[(&str, Option<ChangeKind>)] = &[
            ("site.yaml", Some(Config)),
            ("articles/2019/why-talks-failed.md", Some(Article)),
            ("articles/deep/er/x.md", Some(Article)),
            ("articles/2019", Some(ArticleTree)),
            ("articles", Some(ArticleTree)),
            ("articles/2019/notes.txt", Some(ArticleTree)),
            ("authors/jane-doe.yaml", Some(People)),
            ("authors/jane-doe.md", Some(People)),
            ("topics/trade.yaml", Some(People)),
            ("templates/article.html", Some(Templates)),
            ("templates", Some(Templates)),
            ("static/images/chart.svg", Some(Static)),
            ("static/style.css", Some(Static)),
            // Editors' temporary and backup files, and hidden files.
            ("articles/2019/.why-talks-failed.md.swp", None),
            ("articles/2019/why-talks-failed.md~", None),
            ("articles/2019/4913.tmp", None),
            ("articles/.#x.md", None),
            ("static/.DS_Store", None),
            ("articles/.git/x.md", None),
            // Not part of the site's sources.
            ("public/index.html", None),
            ("README.md", None),
            ("site.yaml.bak", None),
            (".git/index", None),
            ("", None),
            ("../outside.md", None),
            ("/etc/passwd", None),
        ];
        for (path, want) in table {
            assert_eq!(classify(Path::new(path)), *want, "{path}");
        }
    }

    /// The watcher and the cache take their folders from `INPUT_FOLDERS`;
    /// `i18n/` once was read by builds but not watched by the preview.
    #[test]
    fn input_folders_are_the_folders_classify_knows() {
        for folder in INPUT_FOLDERS {
            assert!(classify(Path::new(folder).join("x.md").as_path()).is_some(), "{folder}");
        }
        for top in ["public", "i18", "templates2", ".pressroom-cache", "fuzz", "docs"] {
            assert_eq!(classify(Path::new(top).join("x.md").as_path()), None, "{top}");
        }
    }
}
