//! Rendered Markdown, kept by article id. A rendering is a pure function
//! of the body and of the answers its link lookups got (`Rendered::lookups`),
//! so it is redone only when the body changed or a lookup it made would
//! now answer otherwise.

use super::sources::{hash_of, Sources};
use crate::content::{read_body, StaticFiles};
use crate::diag::Diagnostic;
use crate::graph::{ArticleId, IdMap, Index};
use crate::markdown::{render_markdown, Html, Rendered};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// One article's rendering.
#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct Entry {
    rendered: Arc<Rendered>,
    /// Hash of the HTML and headings, for the pages showing the body.
    hash: u64,
    body_hash: u64,
}

/// What link lookups to articles were answered from: article paths to
/// URLs, and held drafts. (The static files are kept apart: every
/// rendering reads them, while these are read only when the index is made
/// again.)
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub(super) struct Answers {
    urls: HashMap<String, String>,
    held: HashSet<String>,
}

impl Answers {
    /// The answers an index gives.
    pub(super) fn new(index: &Index) -> Self {
        let urls = index
            .by_path
            .iter()
            .map(|(rel, &i)| (rel.clone(), index.urls[i].clone()))
            .collect();
        Answers {
            urls,
            held: index.held_drafts.clone(),
        }
    }
}

/// Answers a build cache kept, read when first needed: a build after a
/// body edit never needs them.
pub(super) trait KeptAnswers: Send + Sync {
    /// The answers; none when they cannot be read (the cache notes why).
    fn load(&self) -> Option<Answers>;
}

/// How the answers changed from one index to the next.
#[derive(Default)]
struct Moved {
    /// Article paths whose lookup answers otherwise.
    paths: HashSet<String>,
    /// Whether the set of static files changed.
    statics: bool,
}

impl Moved {
    /// What answers otherwise with `index` and `statics` than with `old`
    /// and `old_statics`, found without making the new answers.
    fn between(old: &Answers, old_statics: &StaticFiles, index: &Index, statics: &StaticFiles) -> Self {
        let mut paths: HashSet<String> = HashSet::new();
        for (rel, &i) in &index.by_path {
            if old.urls.get(rel) != Some(&index.urls[i]) {
                paths.insert(rel.clone());
            }
        }
        paths.extend(old.urls.keys().filter(|r| !index.by_path.contains_key(*r)).cloned());
        paths.extend(old.held.symmetric_difference(&index.held_drafts).cloned());
        Moved {
            paths,
            statics: old_statics != statics,
        }
    }

    /// Whether every lookup answers as before.
    fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.statics
    }

    /// Would this rendering come out otherwise now?
    fn reaches(&self, r: &Rendered) -> bool {
        let anything = !self.is_empty();
        // A broken link's message suggests the nearest path or image: any
        // change of the sets may change it.
        (anything && !r.problems.is_empty())
            || r.lookups.articles.iter().any(|p| self.paths.contains(p))
            || (self.statics && !r.lookups.images.is_empty())
    }
}

/// Renderings by article, and the answers they were made with.
#[derive(Default)]
pub(super) struct Markdown {
    entries: IdMap<ArticleId, Entry>,
    /// A stand-in while `kept` is not read.
    answers: Answers,
    /// The answers a build cache kept, until they are first needed.
    kept: Option<Box<dyn KeptAnswers>>,
    /// The static files the renderings saw.
    statics: StaticFiles,
    /// Whether the answers are those `from_parts` was given, not made since.
    answers_as_read: bool,
}

/// What one update of the renderings gives.
pub(super) struct Renderings {
    /// Each published article's rendering and its hash, by position.
    pub(super) rendered: Vec<(Arc<Rendered>, u64)>,
    /// The positions rendered.
    pub(super) changed: Vec<usize>,
    /// Bodies that could not be read again.
    pub(super) problems: Vec<Diagnostic>,
}

impl Entry {
    /// The rendering, and the hashes kept beside it.
    pub(super) fn parts(&self) -> (&Arc<Rendered>, u64, u64) {
        (&self.rendered, self.hash, self.body_hash)
    }
}

impl Markdown {
    /// Whether any rendering is kept (from an earlier run, see `cache`).
    pub(super) fn has_renderings(&self) -> bool {
        !self.entries.is_empty()
    }

    /// The renderings, the answers they were made with (read when first
    /// needed) and the static files they saw, as a build cache kept them.
    pub(super) fn from_parts(
        entries: IdMap<ArticleId, Entry>,
        answers: Box<dyn KeptAnswers>,
        statics: StaticFiles,
    ) -> Markdown {
        Markdown {
            entries,
            answers: Answers::default(),
            kept: Some(answers),
            statics,
            answers_as_read: true,
        }
    }

    /// Each rendering by article, to keep.
    pub(super) fn entries(&self) -> impl Iterator<Item = (ArticleId, &Entry)> {
        self.entries.iter().map(|(id, e)| (*id, e))
    }

    /// The answers the renderings were made with, to keep: none when
    /// they are those a build cache kept and were never read.
    pub(super) fn answers(&self) -> Option<&Answers> {
        self.kept.is_none().then_some(&self.answers)
    }

    /// The static files the renderings saw, to keep.
    pub(super) fn statics(&self) -> &StaticFiles {
        &self.statics
    }

    /// Whether the answers are those the renderings were read back with
    /// (`from_parts`), not made since: a build cache keeps them as read.
    pub(super) fn answers_as_read(&self) -> bool {
        self.answers_as_read
    }

    /// Each rendering's HTML, by article: the build cache stores it apart.
    pub(super) fn html(&self) -> impl Iterator<Item = (ArticleId, &Html)> {
        self.entries.iter().map(|(id, e)| (*id, &e.rendered.html))
    }

    /// Gives each rendering (as just decoded) its HTML from `html`; false
    /// when one has none.
    pub(super) fn attach_html(&mut self, mut html: impl FnMut(ArticleId) -> Option<Html>) -> bool {
        self.entries
            .iter_mut()
            .all(|(id, entry)| match (Arc::get_mut(&mut entry.rendered), html(*id)) {
                (Some(rendered), Some(h)) => {
                    rendered.html = h;
                    true
                }
                _ => false,
            })
    }

    /// Brings the renderings of the articles of `index` up to date.
    /// `keep_all` keeps what a later update needs; a one-off build keeps
    /// only the HTML and headings.
    pub(super) fn update(
        &mut self,
        root: &Path,
        index: &Index,
        sources: &mut Sources,
        base_path: &str,
        keep_all: bool,
        links_changed: bool,
    ) -> Renderings {
        let moved = match links_changed && keep_all {
            true => {
                let statics = sources.static_set();
                if let Some(kept) = self.kept.take() {
                    // Unreadable, they answer nothing: every lookup moved.
                    self.answers = kept.load().unwrap_or_default();
                }
                let moved = Moved::between(&self.answers, &self.statics, index, &statics);
                // Answers that did not change are kept as they are.
                if !moved.is_empty() {
                    self.answers = Answers::new(index);
                    self.statics = statics;
                    self.answers_as_read = false;
                }
                moved
            }
            false => Moved::default(),
        };
        let is_fresh = |i: usize| {
            let parsed = &index.articles[i];
            let file = sources.articles.get(&parsed.article.rel_path);
            let pending = file.and_then(|f| f.body.as_ref()).map(|(_, h)| *h);
            self.entries
                .get(&parsed.id)
                .is_some_and(|e| pending.is_none_or(|h| h == e.body_hash) && !moved.reaches(&e.rendered))
        };
        // The files read again, whose bodies may have changed.
        let mut todo: Vec<usize> = sources
            .pending()
            .filter_map(|rel| index.by_path.get(rel).copied())
            .filter(|&i| !is_fresh(i))
            .collect();
        if links_changed {
            // And, of the others, those without a rendering and those a
            // changed answer reaches.
            let stale = |i: usize| match self.entries.get(&index.articles[i].id) {
                None => true,
                Some(e) => !moved.is_empty() && moved.reaches(&e.rendered),
            };
            todo.extend((0..index.articles.len()).filter(|&i| stale(i)));
        }
        todo.sort_unstable();
        todo.dedup();
        let statics;
        let statics = match keep_all {
            true => &self.statics,
            false => {
                statics = sources.static_set();
                &statics
            }
        };
        // Bodies not kept are read again from their files.
        for &i in &todo {
            if let Some(file) = sources.articles.get_mut(&index.articles[i].article.rel_path) {
                file.unread = false;
            }
        }
        let ctx = index.link_context(base_path, statics);
        let results: Vec<Result<(Rendered, u64), Diagnostic>> = todo
            .par_iter()
            .map(|&i| {
                let article = &index.articles[i].article;
                let pending = sources.articles.get(&article.rel_path).and_then(|f| f.body.as_ref());
                let (body, body_hash) = match pending {
                    Some((body, hash)) => (std::borrow::Cow::Borrowed(body.as_str()), *hash),
                    None => {
                        let body = read_body(root, article)?;
                        let hash = hash_of(&body);
                        (std::borrow::Cow::Owned(body), hash)
                    }
                };
                let mut rendered = render_markdown(&body, &article.rel_path, &ctx);
                if !keep_all {
                    // What only later changes need goes at once.
                    rendered.lookups = Default::default();
                    rendered.self_anchors.shrink_to_fit();
                }
                Ok((rendered, body_hash))
            })
            .collect();
        let mut problems = Vec::new();
        for (&i, result) in todo.iter().zip(results) {
            let (rendered, body_hash) = result.unwrap_or_else(|d| {
                problems.push(d);
                (Rendered::default(), 0)
            });
            let hash = hash_of((&rendered.html, &rendered.headings));
            let entry = Entry {
                rendered: Arc::new(rendered),
                hash,
                body_hash,
            };
            self.entries.insert(index.articles[i].id, entry);
        }
        sources.drop_bodies();
        if links_changed {
            let live: HashSet<ArticleId> = index.articles.iter().map(|p| p.id).collect();
            self.entries.retain(|id, _| live.contains(id));
        }
        let rendered = index
            .articles
            .iter()
            .map(|p| {
                let e = &self.entries[&p.id];
                (Arc::clone(&e.rendered), e.hash)
            })
            .collect();
        Renderings {
            rendered,
            changed: todo,
            problems,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An index with these paths and URLs (newest first) and held drafts.
    fn index(urls: &[(&str, &str)], held: &[&str]) -> Index {
        Index {
            articles: Vec::new(),
            slugs: Vec::new(),
            urls: urls.iter().map(|(_, u)| u.to_string()).collect(),
            by_path: urls.iter().enumerate().map(|(i, (p, _))| (p.to_string(), i)).collect(),
            held_drafts: held.iter().map(|h| h.to_string()).collect(),
            authors: Vec::new(),
            article_authors: Vec::new(),
            topics: Vec::new(),
            article_topics: Vec::new(),
            nearest: Default::default(),
            sanitize: false,
        }
    }

    /// The answers are kept only when every lookup answers as before:
    /// each way one can answer otherwise is seen.
    #[test]
    fn answers_are_kept_only_while_every_lookup_answers_the_same() {
        let statics: StaticFiles = ["images/a.png".to_string()].into();
        let site = [("a.md", "/articles/a/"), ("b.md", "/articles/b/")];
        let old = Answers::new(&index(&site, &["c.md"]));
        let moved = |urls: &[(&str, &str)], held: &[&str], new_statics: &StaticFiles| {
            let m = Moved::between(&old, &statics, &index(urls, held), new_statics);
            let mut paths: Vec<String> = m.paths.into_iter().collect();
            paths.sort();
            (paths, m.statics)
        };
        let none: (Vec<String>, bool) = (vec![], false);
        // Reordered (a date edit that moves no URL): the same answers.
        assert_eq!(moved(&[site[1], site[0]], &["c.md"], &statics), none);
        let b = vec!["b.md".to_string()];
        assert_eq!(
            moved(&[site[0], ("b.md", "/articles/b2/")], &["c.md"], &statics),
            (b.clone(), false)
        );
        assert_eq!(moved(&[site[0]], &["c.md"], &statics), (b, false));
        let c = vec!["c.md".to_string()];
        assert_eq!(moved(&site, &[], &statics), (c.clone(), false));
        assert_eq!(
            moved(&[site[0], site[1], ("c.md", "/articles/c/")], &[], &statics),
            (c, false)
        );
        assert_eq!(moved(&site, &["c.md"], &StaticFiles::default()), (vec![], true));
    }
}
