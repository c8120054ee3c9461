//! Files under the content folders that are not content: a `README.md`
//! that documents `articles/`, notes, exports from a word processor. They
//! are skipped by the `exclude` globs of `site.yaml` and, for README.md in
//! `articles/`, `authors/` and `topics/`, by default.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// Skipped without being listed: a README.md (any case) in these folders.
const DEFAULT_EXCLUDES: &[&str] = &["articles/**/readme.md", "authors/**/readme.md", "topics/**/readme.md"];

/// The compiled `exclude` patterns and the defaults.
#[derive(Debug, Clone)]
pub struct Exclude {
    defaults: GlobSet,
    patterns: GlobSet,
}

impl Default for Exclude {
    fn default() -> Self {
        Exclude::new(&[]).unwrap_or_else(|_| unreachable!("no patterns cannot fail"))
    }
}

/// A pattern of `exclude` that is not a valid glob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPattern {
    /// Position in the list.
    pub index: usize,
    pub message: String,
}

impl Exclude {
    /// Compiles the patterns: one without `/` matches a file name in any
    /// folder (`*.docx`), one with `/` a path from the site root
    /// (`articles/old/**`); `*` never crosses a `/`, `**` does.
    pub fn new(patterns: &[String]) -> Result<Exclude, BadPattern> {
        let mut user = GlobSetBuilder::new();
        for (index, pattern) in patterns.iter().enumerate() {
            let trimmed = pattern.trim().trim_start_matches('/');
            let full = if trimmed.contains('/') {
                trimmed.to_string()
            } else {
                format!("**/{trimmed}")
            };
            let glob = GlobBuilder::new(&full)
                .literal_separator(true)
                .build()
                .map_err(|e| BadPattern {
                    index,
                    message: format!("exclude: `{pattern}` is not a valid pattern: {}", e.kind()),
                })?;
            user.add(glob);
        }
        let mut defaults = GlobSetBuilder::new();
        for pattern in DEFAULT_EXCLUDES {
            if let Ok(glob) = GlobBuilder::new(pattern)
                .literal_separator(true)
                .case_insensitive(true)
                .build()
            {
                defaults.add(glob);
            }
        }
        let built = |b: GlobSetBuilder| b.build().unwrap_or_else(|_| GlobSet::empty());
        Ok(Exclude {
            defaults: built(defaults),
            patterns: built(user),
        })
    }

    /// Is the file at `rel` (from the site root, `/` separators) skipped?
    pub fn is_excluded(&self, rel: &str) -> bool {
        self.defaults.is_match(rel) || self.patterns.is_match(rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exclude(patterns: &[&str]) -> Exclude {
        Exclude::new(&patterns.iter().map(|p| p.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn readme_files_are_skipped_by_default_in_the_content_folders() {
        let e = Exclude::default();
        assert!(e.is_excluded("articles/README.md"));
        assert!(e.is_excluded("articles/2019/readme.md"));
        assert!(e.is_excluded("authors/README.md"));
        assert!(!e.is_excluded("static/README.md"));
        assert!(!e.is_excluded("articles/readme-notes.md"));
    }

    #[test]
    fn names_match_anywhere_and_paths_from_the_root() {
        let e = exclude(&["*.docx", "articles/old/**", "/static/raw/*.psd"]);
        assert!(e.is_excluded("articles/2019/brief.docx"));
        assert!(e.is_excluded("articles/old/2001/a.md"));
        assert!(!e.is_excluded("articles/2019/old/a.md"));
        assert!(e.is_excluded("static/raw/cover.psd"));
        assert!(!e.is_excluded("static/raw/deeper/cover.psd"));
    }

    #[test]
    fn a_bad_pattern_is_named() {
        let err = Exclude::new(&["ok".into(), "a[b".into()]).unwrap_err();
        assert_eq!(err.index, 1);
        assert!(
            err.message.starts_with("exclude: `a[b` is not a valid pattern"),
            "{}",
            err.message
        );
    }
}
