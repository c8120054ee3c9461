//! The site's inputs as last read: article files by path, authors and
//! topics, the static files' list. Each is read again only when a change
//! names it; an article's body is kept only until its Markdown is rendered.

use crate::content::{
    is_article_file, list_articles_reporting, list_statics_reporting, load_article, load_people, Author, Exclude,
    Skipped, StaticFiles, TopicInfo, Tree,
};
use crate::diag::Diagnostic;
use crate::graph::{layout_hash, ArticleId, Interner, Parsed};
use crate::render::theme;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One article file and what loading it found.
pub(super) struct ArticleFile {
    /// The article, when the file gave one.
    pub(super) parsed: Option<Parsed>,
    pub(super) problems: Vec<Diagnostic>,
    /// The body read with it and its hash, kept until its Markdown is rendered.
    pub(super) body: Option<(String, u64)>,
    /// Set while the file was not read in this run (its parsed form came
    /// from a build cache): a cache checks only the files read for changes
    /// made while the build ran.
    pub(super) unread: bool,
}

/// The site's inputs.
#[derive(Default)]
pub(super) struct Sources {
    /// Article files by path relative to `articles/`.
    pub(super) articles: BTreeMap<String, ArticleFile>,
    /// Problems found listing `articles/` (links).
    pub(super) list_problems: Vec<Diagnostic>,
    /// The files the last listing found, by path relative to `articles/`
    /// (their own names may not be UTF-8).
    listed: BTreeMap<String, PathBuf>,
    pub(super) authors: Vec<Author>,
    pub(super) topics: Vec<TopicInfo>,
    pub(super) people_problems: Vec<Diagnostic>,
    /// Files under `static/`, relative to it.
    pub(super) statics: Vec<String>,
    /// The article files whose body is kept, not yet rendered.
    pending: BTreeSet<String>,
    pub(super) static_problems: Vec<Diagnostic>,
    /// The files `exclude` skips, as each folder was last listed.
    pub(super) skipped: Skipped,
}

pub(super) use crate::graph::hash_of;

impl Sources {
    /// The static files Markdown and front matter may name: the site's and the theme's.
    pub(super) fn static_set(&self) -> StaticFiles {
        let mut set: StaticFiles = self.statics.iter().cloned().collect();
        set.extend(theme::static_paths().into_iter().map(String::from));
        set
    }

    /// Lists `static/` again (as walked in `tree`); returns whether the list changed.
    pub(super) fn relist_statics(&mut self, root: &Path, tree: &Tree, exclude: &Exclude) -> bool {
        let mut problems = Vec::new();
        let list = list_statics_reporting(root, tree, exclude, &mut problems, &mut self.skipped);
        self.static_problems = problems;
        let changed = list != self.statics;
        self.statics = list;
        changed
    }

    /// Reads `authors/` and `topics/` again (as walked in `tree`).
    pub(super) fn load_people(&mut self, root: &Path, tree: &Tree, exclude: &Exclude) {
        let mut problems = Vec::new();
        let statics = self.static_set();
        let (authors, topics) = load_people(root, tree, &statics, exclude, &mut problems, &mut self.skipped);
        self.authors = authors;
        self.topics = topics;
        self.people_problems = problems;
    }

    /// Lists `articles/` again (as walked in `tree`); returns the paths
    /// added and removed.
    pub(super) fn relist_articles(&mut self, root: &Path, tree: &Tree, exclude: &Exclude) -> BTreeSet<String> {
        let mut problems = Vec::new();
        self.listed = list_articles_reporting(root, tree, exclude, &mut problems, &mut self.skipped)
            .into_iter()
            .collect();
        self.list_problems = problems;
        // Both are sorted by path: one walk through them finds the paths in only one.
        let (mut listed, mut known) = (self.listed.keys().peekable(), self.articles.keys().peekable());
        let mut changed = BTreeSet::new();
        loop {
            let only = match (listed.peek(), known.peek()) {
                (None, None) => break,
                (Some(a), Some(b)) if a == b => {
                    listed.next();
                    known.next();
                    continue;
                }
                (Some(a), Some(b)) if a < b => listed.next(),
                (Some(_), None) => listed.next(),
                _ => known.next(),
            };
            changed.extend(only.cloned());
        }
        changed
    }

    /// Reads the article files `rels` (relative to `articles/`) again; a
    /// file gone is forgotten. Bodies are kept for their rendering when
    /// `keep_bodies`; otherwise (a whole archive) they are read again one
    /// at a time when rendered, so the archive's text is never all in memory.
    pub(super) fn load_articles(
        &mut self,
        root: &Path,
        rels: &BTreeSet<String>,
        interner: &mut Interner,
        keep_bodies: bool,
    ) {
        let statics = self.static_set();
        let loaded: Vec<_> = rels
            .par_iter()
            .map(|rel| {
                let path = self
                    .listed
                    .get(rel)
                    .cloned()
                    .unwrap_or_else(|| root.join("articles").join(rel));
                // A symbolic link is never followed (the walk warns about it).
                let is_file = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
                let found = (is_file && is_article_file(&path)).then(|| {
                    let (article, problems) = load_article(root, &path, &statics);
                    // The body leaves the article here, in parallel, and is
                    // dropped at once unless kept.
                    let article = article.map(|mut article| {
                        let body = std::mem::take(&mut article.body);
                        let body = keep_bodies.then(|| {
                            let hash = hash_of(&body);
                            (body, hash)
                        });
                        let hashes = (hash_of(&article), layout_hash(&article));
                        (article, hashes, body)
                    });
                    (article, problems)
                });
                (rel, found)
            })
            .collect();
        for (rel, found) in loaded {
            let Some((article, problems)) = found else {
                self.articles.remove(rel);
                continue;
            };
            let id = ArticleId(interner.intern(rel));
            let (parsed, body) = match article {
                Some((article, (hash, layout), body)) => {
                    let parsed = Parsed {
                        id,
                        article: Arc::new(article),
                        hash,
                        layout,
                    };
                    (Some(parsed), body)
                }
                None => (None, None),
            };
            if body.is_some() {
                self.pending.insert(rel.clone());
            }
            let file = ArticleFile {
                parsed,
                problems,
                body,
                unread: false,
            };
            self.articles.insert(rel.clone(), file);
        }
    }

    /// Whether the article file `rel` was not read in this run: its
    /// parsed form came from a build cache, and its body was not read.
    pub(super) fn unread(&self, rel: &str) -> bool {
        self.articles.get(rel).is_some_and(|f| f.unread)
    }

    /// The article files whose body is kept, not yet rendered.
    pub(super) fn pending(&self) -> impl Iterator<Item = &String> {
        self.pending.iter()
    }

    /// Forgets the bodies kept: their Markdown is rendered.
    pub(super) fn drop_bodies(&mut self) {
        for rel in std::mem::take(&mut self.pending) {
            if let Some(file) = self.articles.get_mut(&rel) {
                file.body = None;
            }
        }
    }

    /// Articles whose loading depends on which static files exist: those
    /// with a lead image, and those that failed.
    pub(super) fn using_statics(&self) -> BTreeSet<String> {
        self.articles
            .iter()
            .filter(|(_, f)| f.parsed.as_ref().is_none_or(|p| p.article.image.is_some()))
            .map(|(rel, _)| rel.clone())
            .collect()
    }
}
