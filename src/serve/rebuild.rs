//! Rebuilding the graph after an edit, from the stage the edit touched.
//!
//! Reloaded files are parsed again; every other article keeps its parsed
//! front matter and, unless something it links to moved, its rendered
//! Markdown (with cross-references renumbered). Indexing, backlinks and
//! anchor checks are cheap and run over the whole site; related articles
//! are recomputed only where an edit can change them.

use super::preview::{ArticleFile, Preview};
use crate::content::{load_article, Article, Content, Date};
use crate::graph::related::update_related;
use crate::graph::{build_index, Index, SiteGraph};
use crate::markdown::Rendered;
use crate::site::{all_statics, assemble_graph, render_articles};
use rayon::prelude::*;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;

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
    fn new(article: &Article, topics: Vec<&str>, authors: Vec<&str>) -> Self {
        let sorted = |mut v: Vec<&str>| {
            v.sort_unstable();
            v.into_iter().map(String::from).collect()
        };
        RelatedKey {
            date: article.date,
            slug: article.slug.clone(),
            topics: sorted(topics),
            authors: sorted(authors),
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

/// Hash of rendered Markdown: pages showing an article change when it does.
pub(super) fn stamp(rendered: &Rendered) -> u64 {
    let mut h = DefaultHasher::new();
    rendered.html.hash(&mut h);
    h.finish()
}

/// The previous graph, taken apart by article path.
struct Previous {
    /// Path of each old article id.
    paths: Vec<String>,
    ids: HashMap<String, usize>,
    urls: Vec<String>,
    related: Vec<Vec<usize>>,
    held: HashSet<String>,
    keys: HashMap<String, RelatedKey>,
    /// Rendered Markdown and its stamp, by path.
    rendered: HashMap<String, (Rendered, u64)>,
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
        let (previous, mut articles) = self.take_graph(reload, people_changed);

        let mut body_changed: HashSet<&str> = HashSet::new();
        for (rel, article) in &fresh {
            let old = articles.remove(rel);
            if let Some(new) = article {
                if old.is_none_or(|old| old.body != new.body) {
                    body_changed.insert(rel);
                }
            }
        }
        let mut fresh: HashMap<&str, Article> = fresh
            .iter()
            .filter_map(|(r, a)| Some((r.as_str(), a.clone()?)))
            .collect();
        let ordered: Vec<Article> = self
            .sources
            .articles
            .values()
            .filter_map(|f| fresh.remove(f.rel.as_str()).or_else(|| articles.remove(&f.rel)))
            .collect();
        let content = Content {
            articles: ordered,
            authors: self.sources.authors.clone(),
            topics: self.sources.topics.clone(),
            site_statics: self.sources.site_statics.clone(),
        };
        let mut problems = Vec::new();
        let mut index = build_index(content, &self.config, self.options.drafts, &mut problems);
        self.held = std::mem::take(&mut index.held);

        // What links see: published paths, held drafts, URLs.
        let mut links_changed = false;
        let mut moved: HashSet<&str> = HashSet::new();
        for rel in reload {
            let before = previous.ids.get(rel).map(|&i| &previous.urls[i]);
            let after = index.by_path.get(rel).map(|&i| &index.urls[i]);
            if before != after {
                moved.insert(rel);
                links_changed = true;
            }
            links_changed |= previous.held.contains(rel) != index.held_drafts.contains(rel);
        }

        let mut previous = previous;
        let mut rendered: Vec<Option<Rendered>> = Vec::with_capacity(index.articles.len());
        let mut stamps = vec![0; index.articles.len()];
        let mut todo = Vec::new();
        for (id, a) in index.articles.iter().enumerate() {
            let reused = previous.rendered.remove(&a.rel_path).and_then(|(mut r, s)| {
                let stale = body_changed.contains(a.rel_path.as_str())
                    || (statics_changed && a.body.contains("!["))
                    || (links_changed && !r.problems.is_empty())
                    || r.xrefs
                        .iter()
                        .any(|x| moved.contains(previous.paths[x.target].as_str()));
                if stale {
                    return None;
                }
                for x in &mut r.xrefs {
                    x.target = *index.by_path.get(&previous.paths[x.target])?;
                }
                Some((r, s))
            });
            match reused {
                Some((r, s)) => {
                    rendered.push(Some(r));
                    stamps[id] = s;
                }
                None => {
                    rendered.push(None);
                    todo.push(id);
                }
            }
        }
        let fresh_md = render_articles(&index, &self.config.base_path(), &statics, &todo);
        for (&id, r) in todo.iter().zip(fresh_md) {
            stamps[id] = stamp(&r);
            rendered[id] = Some(r);
        }
        let rendered: Vec<Rendered> = rendered.into_iter().map(Option::unwrap_or_default).collect();

        let old_related: Vec<Option<Vec<usize>>> = index
            .articles
            .iter()
            .map(|a| {
                let &old = previous.ids.get(&a.rel_path)?;
                previous.related[old]
                    .iter()
                    .map(|&x| index.by_path.get(&previous.paths[x]).copied())
                    .collect()
            })
            .collect();
        let changed: Vec<bool> = (0..index.articles.len())
            .map(|id| match previous.keys.get(&index.articles[id].rel_path) {
                Some(key) => *key != RelatedKey::of_index(&index, id),
                None => !previous.ids.contains_key(&index.articles[id].rel_path),
            })
            .collect();
        self.graph = assemble_graph(index, rendered, &self.config, &mut problems, |input| {
            update_related(input, old_related, &changed)
        });
        self.stamps = stamps;
        self.graph_problems = problems;
        todo.len()
    }

    /// Reads the files `reload` again, updating the list of article files;
    /// a missing file gives `None`.
    fn reload_articles(
        &mut self,
        reload: &BTreeSet<String>,
        statics: &crate::content::StaticFiles,
    ) -> Vec<(String, Option<Article>)> {
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

    /// Takes the current graph apart: what the rebuild reuses, and every
    /// article (published or held back) by path.
    fn take_graph(&mut self, reload: &BTreeSet<String>, people_changed: bool) -> (Previous, HashMap<String, Article>) {
        let g = std::mem::take(&mut self.graph);
        let keyed: Vec<usize> = if people_changed {
            (0..g.articles.len()).collect()
        } else {
            reload
                .iter()
                .filter_map(|rel| g.articles.iter().position(|a| &a.rel_path == rel))
                .collect()
        };
        let keys = keyed
            .into_iter()
            .map(|id| (g.articles[id].rel_path.clone(), RelatedKey::of_graph(&g, id)))
            .collect();
        let paths: Vec<String> = g.articles.iter().map(|a| a.rel_path.clone()).collect();
        let ids = paths.iter().enumerate().map(|(i, p)| (p.clone(), i)).collect();
        let held = self.held.iter().map(|a| a.rel_path.clone()).collect();
        let stamps = std::mem::take(&mut self.stamps);
        let mut articles: HashMap<String, Article> = HashMap::with_capacity(g.articles.len() + self.held.len());
        let mut rendered = HashMap::with_capacity(g.articles.len());
        for ((a, r), s) in g.articles.into_iter().zip(g.rendered).zip(stamps) {
            rendered.insert(a.rel_path.clone(), (r, s));
            articles.insert(a.rel_path.clone(), a);
        }
        for a in self.held.drain(..) {
            articles.insert(a.rel_path.clone(), a);
        }
        let previous = Previous {
            paths,
            ids,
            urls: g.urls,
            related: g.links.related,
            held,
            keys,
            rendered,
        };
        (previous, articles)
    }
}
