//! Rebuilding the graph after an edit, from the stage the edit touched.
//!
//! An edit to an article's body alone keeps the index: the article's
//! Markdown is rendered again and the links (backlinks, anchors) redone.
//! Any other edit indexes the site again from the parsed articles, reusing
//! every other article's parsed front matter and, unless something it links
//! to moved, its rendered Markdown (cross-references renumbered); related
//! articles are recomputed only where the edit can change them.

use super::preview::{ArticleFile, Preview};
use crate::content::{file_slug, load_article, Article, Content, Date, StaticFiles};
use crate::graph::related::update_related;
use crate::graph::{build_index, Index, SiteGraph};
use crate::markdown::{render_markdown, LinkContext, Rendered};
use crate::site::{all_statics, assemble_graph, relink_graph, render_articles, summary_of};
use rayon::prelude::*;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;

/// Hashes of what an article is made of, for page fingerprints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Stamp {
    /// Its paths and front matter.
    pub(super) front: u64,
    /// Its rendered Markdown.
    pub(super) html: u64,
}

fn hash_of(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// Front matter and paths fix every field of an article but its slug when
/// taken from the file name: that one may go to an older namesake.
fn front_stamp(a: &Article) -> u64 {
    hash_of((&a.source_path, &a.rel_path, &a.front_matter, &a.slug))
}

/// What related articles are computed from: date and slug (the order),
/// topic and author slugs.
#[derive(PartialEq, Eq)]
struct RelatedKey {
    date: Date,
    slug: String,
    topics: Vec<String>,
    authors: Vec<String>,
}

impl RelatedKey {
    fn new(article: &Article, mut topics: Vec<&str>, mut authors: Vec<&str>) -> Self {
        topics.sort_unstable();
        authors.sort_unstable();
        RelatedKey {
            date: article.date,
            slug: article.slug.clone(),
            topics: topics.into_iter().map(String::from).collect(),
            authors: authors.into_iter().map(String::from).collect(),
        }
    }

    fn of_graph(g: &SiteGraph, id: usize) -> Self {
        let topics = g.article_topics[id]
            .iter()
            .map(|&t| g.topics[t].slug.as_str())
            .collect();
        let authors = g.article_authors[id]
            .iter()
            .map(|&a| g.authors[a].slug.as_str())
            .collect();
        RelatedKey::new(&g.articles[id], topics, authors)
    }

    fn of_index(index: &Index, id: usize) -> Self {
        let topics = index.article_topics[id]
            .iter()
            .map(|&t| index.topics[t].slug.as_str())
            .collect();
        let authors = index.article_authors[id]
            .iter()
            .map(|&a| index.authors[a].slug.as_str())
            .collect();
        RelatedKey::new(&index.articles[id], topics, authors)
    }
}

/// The previous graph, taken apart by old article id.
struct Previous {
    urls: Vec<String>,
    related: Vec<Vec<usize>>,
    /// Related keys of the articles that may have changed them.
    keys: HashMap<usize, RelatedKey>,
    rendered: Vec<Option<(Rendered, Stamp)>>,
}

impl Preview {
    /// Reloads the article files `reload` (paths relative to `articles/`)
    /// and rebuilds the graph; returns how many articles were rendered.
    pub(super) fn rebuild_graph(
        &mut self,
        reload: &BTreeSet<String>,
        people_changed: bool,
        statics_changed: bool,
    ) -> usize {
        let statics = all_statics(&self.sources.site_statics);
        let fresh = self.reload_articles(reload, &statics);
        if !people_changed && !statics_changed && self.bodies_only(&fresh) {
            return self.rerender_bodies(fresh, &statics);
        }
        let (previous, mut published, mut held) = self.take_graph(reload, people_changed);

        let mut body_changed: HashSet<&str> = HashSet::new();
        let mut fresh_by_path: HashMap<&str, Article> = HashMap::new();
        for (rel, article) in &fresh {
            let old = match self.by_path.get(rel) {
                Some(&o) => published[o].take(),
                None => held.remove(rel),
            };
            if let Some(new) = article {
                if old.is_none_or(|old| old.body != new.body) {
                    body_changed.insert(rel);
                }
                fresh_by_path.insert(rel, new.clone());
            }
        }
        let mut ordered: Vec<Article> = self
            .sources
            .articles
            .values()
            .filter_map(|f| {
                fresh_by_path
                    .remove(f.rel.as_str())
                    .or_else(|| self.by_path.get(&f.rel).and_then(|&o| published[o].take()))
                    .or_else(|| held.remove(&f.rel))
            })
            .collect();
        // A slug taken from a file name may have been changed to make it
        // unique (`-YYYY-MM-DD` added); each indexing starts again from the file's.
        for a in ordered.iter_mut().filter(|a| a.slug_from_file) {
            if a.slug.contains(&a.date.iso_day()) {
                a.slug = file_slug(&a.rel_path);
            }
        }
        let content = Content {
            articles: ordered,
            authors: self.sources.authors.clone(),
            topics: self.sources.topics.clone(),
            site_statics: self.sources.site_statics.clone(),
            excluded: Vec::new(),
        };
        let mut problems = Vec::new();
        let mut index = build_index(content, &self.config, self.options.drafts, &mut problems);
        self.held = std::mem::take(&mut index.held);

        let old_of_new: Vec<Option<usize>> = index
            .articles
            .iter()
            .map(|a| self.by_path.get(&a.rel_path).copied())
            .collect();
        let mut new_of_old: Vec<Option<usize>> = vec![None; previous.urls.len()];
        for (new, old) in old_of_new.iter().enumerate() {
            if let Some(old) = *old {
                new_of_old[old] = Some(new);
            }
        }

        // What links see: published paths, held drafts, URLs. An article
        // not edited can move too: a slug taken from a file name goes to the
        // oldest article using it.
        let moved: Vec<bool> = new_of_old
            .iter()
            .enumerate()
            .map(|(old, new)| new.is_none_or(|new| previous.urls[old] != index.urls[new]))
            .collect();
        let mut links_changed = moved.iter().any(|&m| m) || old_of_new.iter().any(Option::is_none);
        for rel in reload {
            links_changed |= self.held_paths.contains(rel) != index.held_drafts.contains(rel);
        }

        let mut previous = previous;
        let mut rendered: Vec<Option<Rendered>> = Vec::with_capacity(index.articles.len());
        let mut stamps = vec![Stamp::default(); index.articles.len()];
        let mut todo = Vec::new();
        for (id, a) in index.articles.iter().enumerate() {
            let reused = old_of_new[id]
                .and_then(|o| previous.rendered[o].take())
                .and_then(|(mut r, s)| {
                    let stale = body_changed.contains(a.rel_path.as_str())
                        || (statics_changed && a.body.contains("!["))
                        || (links_changed && !r.problems.is_empty())
                        || r.xrefs.iter().any(|x| moved[x.target]);
                    if stale {
                        return None;
                    }
                    for x in &mut r.xrefs {
                        x.target = new_of_old[x.target]?;
                    }
                    Some((r, s))
                });
            stamps[id].front = front_stamp(a);
            match reused {
                Some((r, s)) => {
                    rendered.push(Some(r));
                    stamps[id].html = s.html;
                }
                None => {
                    rendered.push(None);
                    todo.push(id);
                }
            }
        }
        let fresh_md = render_articles(&index, &self.config.base_path(), &statics, &todo);
        for (&id, r) in todo.iter().zip(fresh_md) {
            stamps[id].html = hash_of(&r.html);
            rendered[id] = Some(r);
        }
        let rendered: Vec<Rendered> = rendered.into_iter().map(Option::unwrap_or_default).collect();

        let old_related: Vec<Option<Vec<usize>>> = old_of_new
            .iter()
            .map(|old| previous.related[(*old)?].iter().map(|&x| new_of_old[x]).collect())
            .collect();
        let changed: Vec<bool> = (0..index.articles.len())
            .map(|id| match old_of_new[id] {
                None => true,
                Some(old) => {
                    moved[old]
                        || previous
                            .keys
                            .get(&old)
                            .is_some_and(|key| *key != RelatedKey::of_index(&index, id))
                }
            })
            .collect();
        self.index_problems = problems;
        self.by_path = std::mem::take(&mut index.by_path);
        self.held_paths = std::mem::take(&mut index.held_drafts);
        let mut link_problems = Vec::new();
        self.graph = assemble_graph(index, rendered, &self.config, &mut link_problems, |input| {
            update_related(input, old_related, &changed)
        });
        self.link_problems = link_problems;
        self.stamps = stamps;
        self.shown.paths_valid = false;
        todo.len()
    }

    /// Did only the bodies of published articles change (same front matter, same files)?
    fn bodies_only(&self, fresh: &[(String, Option<Article>)]) -> bool {
        fresh.iter().all(|(rel, article)| {
            let (Some(new), Some(&id)) = (article, self.by_path.get(rel)) else {
                return false;
            };
            let old = &self.graph.articles[id];
            old.front_matter == new.front_matter && old.source_path == new.source_path && old.body_line == new.body_line
        })
    }

    /// Renders the changed bodies again and relinks; the index stays.
    fn rerender_bodies(&mut self, fresh: Vec<(String, Option<Article>)>, statics: &StaticFiles) -> usize {
        let base_path = self.config.base_path();
        let ids: Vec<(usize, Article)> = fresh
            .into_iter()
            .filter_map(|(rel, a)| Some((self.by_path[&rel], a?)))
            .collect();
        let ctx = LinkContext {
            by_path: &self.by_path,
            urls: &self.graph.urls,
            base_path: &base_path,
            statics,
            held_drafts: &self.held_paths,
            nearest: &Default::default(),
            sanitize: self.config.sanitize,
        };
        let rendered: Vec<Rendered> = ids
            .par_iter()
            .map(|(_, a)| render_markdown(&a.body, &a.rel_path, &ctx))
            .collect();
        let count = ids.len();
        for ((id, mut article), r) in ids.into_iter().zip(rendered) {
            // The index may have made its slug unique; it stays so.
            article.slug = std::mem::take(&mut self.graph.articles[id].slug);
            self.stamps[id].html = hash_of(&r.html);
            self.graph.summaries[id] = summary_of(&article, &r);
            self.graph.articles[id] = article;
            self.graph.rendered[id] = r;
        }
        let mut problems = Vec::new();
        relink_graph(&mut self.graph, &mut problems);
        self.link_problems = problems;
        count
    }

    /// Reads the files `reload` again, updating the list of article files;
    /// a missing file gives `None`.
    fn reload_articles(&mut self, reload: &BTreeSet<String>, statics: &StaticFiles) -> Vec<(String, Option<Article>)> {
        let root = self.options.root.clone();
        let loaded: Vec<_> = reload
            .par_iter()
            .map(|rel| {
                let path = root.join("articles").join(rel);
                let found = (path.is_file() && crate::content::is_article_file(&path))
                    .then(|| load_article(&root, &path, statics));
                (rel.clone(), found)
            })
            .collect();
        let mut fresh = Vec::with_capacity(loaded.len());
        for (rel, found) in loaded {
            match found {
                Some((article, problems)) => {
                    let file = ArticleFile {
                        rel: rel.clone(),
                        problems,
                        loaded: article.is_some(),
                    };
                    self.sources.articles.insert(PathBuf::from(&rel), file);
                    fresh.push((rel, article));
                }
                None => {
                    self.sources.articles.remove(&PathBuf::from(&rel));
                    fresh.push((rel, None));
                }
            }
        }
        fresh
    }

    /// Takes the current graph apart: what the rebuild reuses, published
    /// articles by old id, and held-back drafts by path.
    fn take_graph(
        &mut self,
        reload: &BTreeSet<String>,
        people_changed: bool,
    ) -> (Previous, Vec<Option<Article>>, HashMap<String, Article>) {
        let g = std::mem::take(&mut self.graph);
        let keyed: Vec<usize> = if people_changed {
            (0..g.articles.len()).collect()
        } else {
            reload.iter().filter_map(|rel| self.by_path.get(rel).copied()).collect()
        };
        let keys = keyed.into_iter().map(|id| (id, RelatedKey::of_graph(&g, id))).collect();
        let stamps = std::mem::take(&mut self.stamps);
        let rendered = g.rendered.into_iter().zip(stamps).map(Some).collect();
        let published = g.articles.into_iter().map(Some).collect();
        let held = self.held.drain(..).map(|a| (a.rel_path.clone(), a)).collect();
        let previous = Previous {
            urls: g.urls,
            related: g.links.related,
            keys,
            rendered,
        };
        (previous, published, held)
    }
}
