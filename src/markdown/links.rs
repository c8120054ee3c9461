//! Classifying and resolving link destinations found in Markdown.

use super::NearestPaths;
use crate::content::fields::{check_asset_path, is_external, StaticFiles};
use crate::diag::{Code, Finding};
use std::collections::HashMap;
use std::sync::OnceLock;

/// What the renderer needs to rewrite links: article paths to URLs.
pub struct LinkContext<'a> {
    /// Article path relative to `articles/` -> article index.
    pub by_path: &'a HashMap<String, usize>,
    /// Article index -> URL path (with the base path), e.g. `/commentary/articles/x/`.
    pub urls: &'a [String],
    /// The base URL's path, always ending in `/`.
    pub base_path: &'a str,
    pub statics: &'a StaticFiles,
    /// Drafts left out of this build, by path relative to `articles/`.
    pub held_drafts: &'a std::collections::HashSet<String>,
    /// The paths of `by_path` indexed for suggestions, made at the first
    /// broken cross-reference.
    pub nearest: &'a OnceLock<NearestPaths>,
    /// Run the HTML through the sanitizer (`sanitize: true` in site.yaml).
    pub sanitize: bool,
}

/// Where a link destination leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// Not ours to touch: external, or a relative link to something else.
    Keep,
    /// A root-relative link outside `articles/`, rewritten under the base path.
    Rooted(String),
    /// `#anchor` in the same article.
    SelfAnchor(String),
    /// A cross-reference to article `target`, maybe to a heading.
    Article {
        target: usize,
        anchor: Option<String>,
        url: String,
    },
    /// A cross-reference that leads nowhere; the message says why.
    Broken(Finding),
    /// A cross-reference to `path` (from the site root), where no article
    /// was loaded: missing, or a file that failed with errors of its own.
    Missing { path: String, finding: Finding },
}

impl LinkContext<'_> {
    /// Resolves a link written in the article at `current` (relative to `articles/`).
    pub fn resolve_link(&self, dest: &str, current: &str) -> Resolved {
        if dest.is_empty() || is_external(dest) {
            return Resolved::Keep;
        }
        if let Some(anchor) = dest.strip_prefix('#') {
            return Resolved::SelfAnchor(anchor.to_string());
        }
        let (path, anchor) = split_anchor(dest);
        if !path.ends_with(".md") {
            return match dest.strip_prefix('/') {
                Some(rest) => Resolved::Rooted(format!("{}{}", self.base_path, rest)),
                None => Resolved::Keep,
            };
        }
        let Some(rel) = normalize(path, current) else {
            return broken(format!("broken cross-reference `{dest}`: it points outside articles/"));
        };
        match self.by_path.get(&rel) {
            Some(&target) => {
                let mut url = self.urls[target].clone();
                if let Some(a) = &anchor {
                    url.push('#');
                    url.push_str(a);
                }
                Resolved::Article { target, anchor, url }
            }
            None if self.held_drafts.contains(&rel) => broken(format!(
                "broken cross-reference `{dest}`: articles/{rel} is a draft; publish it (remove `draft: true`) or build with --drafts"
            )),
            None => {
                let nearest = self
                    .nearest
                    .get_or_init(|| NearestPaths::new(self.by_path.keys().map(String::as_str)));
                let hint = nearest
                    .closest(&rel)
                    .map(|c| format!("did you mean `{}`?", suggest_as_written(c, path, current)));
                let message = format!("broken cross-reference `{dest}`: no article at articles/{rel}");
                Resolved::Missing {
                    finding: Finding::new(Code::BrokenCrossReference, message).with_suggestion(hint),
                    path: format!("articles/{rel}"),
                }
            }
        }
    }

    /// Resolves an image source: local ones must exist in `static/`.
    pub fn resolve_image(&self, src: &str) -> Result<Option<String>, Finding> {
        if src.is_empty() || is_external(src) {
            return Ok(None);
        }
        let rel = check_asset_path(src, self.statics)?;
        Ok(Some(format!("{}{}", self.base_path, rel)))
    }
}

/// A destination's path and `#anchor`.
fn split_anchor(dest: &str) -> (&str, Option<String>) {
    match dest.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (dest, None),
    }
}

/// The article path (relative to `articles/`) that a link written in the
/// article at `current` asks the context for, if it names one.
pub(super) fn article_path(dest: &str, current: &str) -> Option<String> {
    if dest.is_empty() || is_external(dest) || dest.starts_with('#') {
        return None;
    }
    let (path, _) = split_anchor(dest);
    path.ends_with(".md").then(|| normalize(path, current)).flatten()
}

/// A link that leads nowhere.
fn broken(message: String) -> Resolved {
    Resolved::Broken(Finding::new(Code::BrokenCrossReference, message))
}

/// Joins a link path to the current file's folder: `../2019/a.md` from
/// `2020/b.md` is `2019/a.md`; a leading `/` means `articles/`.
pub(super) fn normalize(path: &str, current: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let joined;
    let full = if let Some(rooted) = path.strip_prefix('/') {
        rooted
    } else {
        let dir = current.rsplit_once('/').map_or("", |(d, _)| d);
        joined = if dir.is_empty() {
            path.to_string()
        } else {
            format!("{dir}/{path}")
        };
        &joined
    };
    for part in full.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Writes a suggested target the way the author wrote theirs (rooted or relative).
fn suggest_as_written(candidate: &str, written: &str, current: &str) -> String {
    if written.starts_with('/') {
        return format!("/{candidate}");
    }
    let dir: Vec<&str> = current.rsplit_once('/').map_or(vec![], |(d, _)| d.split('/').collect());
    let target: Vec<&str> = candidate.split('/').collect();
    let common = dir.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut out: Vec<&str> = vec![".."; dir.len() - common];
    out.extend(&target[common..]);
    out.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_handles_relative_and_rooted() {
        assert_eq!(normalize("../2019/a.md", "2020/b.md").as_deref(), Some("2019/a.md"));
        assert_eq!(normalize("c.md", "2020/b.md").as_deref(), Some("2020/c.md"));
        assert_eq!(normalize("/2019/a.md", "2020/b.md").as_deref(), Some("2019/a.md"));
        assert_eq!(normalize("../../x.md", "2020/b.md"), None);
    }

    #[test]
    fn suggestions_follow_the_written_form() {
        assert_eq!(
            suggest_as_written("2019/a.md", "../2019/aa.md", "2020/b.md"),
            "../2019/a.md"
        );
        assert_eq!(suggest_as_written("2020/a.md", "aa.md", "2020/b.md"), "a.md");
        assert_eq!(
            suggest_as_written("2019/a.md", "/2019/aa.md", "2020/b.md"),
            "/2019/a.md"
        );
    }

    #[test]
    fn resolves_articles_with_anchors() {
        let by_path: HashMap<String, usize> = [("2019/a.md".to_string(), 0)].into();
        let urls = vec!["/base/articles/a/".to_string()];
        let statics = StaticFiles::new();
        let drafts = ["2019/draft.md".to_string()].into();
        let ctx = LinkContext {
            by_path: &by_path,
            urls: &urls,
            base_path: "/base/",
            statics: &statics,
            held_drafts: &drafts,
            nearest: &OnceLock::new(),
            sanitize: false,
        };
        assert!(
            matches!(ctx.resolve_link("../2019/draft.md", "2020/b.md"), Resolved::Broken(m) if m.message.contains("is a draft"))
        );
        assert_eq!(
            ctx.resolve_link("../2019/a.md#costs", "2020/b.md"),
            Resolved::Article {
                target: 0,
                anchor: Some("costs".into()),
                url: "/base/articles/a/#costs".into()
            }
        );
        assert_eq!(
            ctx.resolve_link("/about/", "2020/b.md"),
            Resolved::Rooted("/base/about/".into())
        );
        assert_eq!(ctx.resolve_link("https://x.org/a.md", "2020/b.md"), Resolved::Keep);
        match ctx.resolve_link("../2019/b.md", "2020/b.md") {
            Resolved::Missing { finding, path } => {
                assert_eq!(finding.suggestion.as_deref(), Some("did you mean `../2019/a.md`?"));
                assert_eq!(path, "articles/2019/b.md");
            }
            other => panic!("{other:?}"),
        }
    }
}
