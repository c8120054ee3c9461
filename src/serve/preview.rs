//! The site kept in memory between edits: sources, graph and output. An
//! edit reloads only the files it touched, rebuilds the graph from the
//! stage they feed (`rebuild.rs`), then renders only the pages whose
//! fingerprint changed and keeps the bytes that really differ.

use super::change::ChangeKind;
use super::fingerprint::{page_fingerprints, template_hashes};
use super::output::Output;
use super::rebuild::Stamp;
use crate::config::{normalize_base_url, SiteConfig};
use crate::content::{list_articles, list_statics, Article, Author, TopicInfo};
use crate::diag::{display_path, Code, Diagnostic, Diagnostics, Level};
use crate::graph::SiteGraph;
use crate::render::{compile_templates, template_problem, template_sources, theme, Renderer, Strings, Theme};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// What to preview.
#[derive(Debug, Clone)]
pub struct PreviewOptions {
    pub root: PathBuf,
    /// The URL the site is served at, replacing `site.yaml`'s `base_url`.
    pub base_url: String,
    pub drafts: bool,
}

/// What one rebuild did.
#[derive(Debug, Default)]
pub struct Update {
    /// Output files that changed, appeared or went away.
    pub changed: Vec<String>,
    /// Pages rendered to find them.
    pub rendered: usize,
    /// Articles whose Markdown was rendered again.
    pub markdown: usize,
    /// Every problem of the site as it now is; with errors, the output
    /// keeps the last good pages.
    pub diagnostics: Diagnostics,
}

/// One article file and what loading it found.
pub(super) struct ArticleFile {
    /// Path relative to `articles/`, as articles name it.
    pub(super) rel: String,
    pub(super) problems: Vec<Diagnostic>,
    /// Whether it gave an article.
    pub(super) loaded: bool,
}

/// The site's inputs as last read.
#[derive(Default)]
pub(super) struct Sources {
    /// Every article file, in the order `build` reads them.
    pub(super) articles: BTreeMap<PathBuf, ArticleFile>,
    pub(super) authors: Vec<Author>,
    pub(super) topics: Vec<TopicInfo>,
    pub(super) people_problems: Vec<Diagnostic>,
    pub(super) site_statics: Vec<String>,
}

/// A site in memory, updated file by file.
pub struct Preview {
    pub(super) options: PreviewOptions,
    pub(super) config: SiteConfig,
    config_problems: Vec<Diagnostic>,
    /// The last templates that compiled, with their fingerprints.
    templates: Option<(Theme, HashMap<String, u64>)>,
    template_problems: Vec<Diagnostic>,
    pub(super) sources: Sources,
    pub(super) graph: SiteGraph,
    /// Drafts held back (kept to check slugs and for `draft: false`).
    pub(super) held: Vec<Article>,
    /// What each article is made of, hashed, by article id.
    pub(super) stamps: Vec<Stamp>,
    /// Article ids of the published paths (relative to `articles/`).
    pub(super) by_path: HashMap<String, usize>,
    /// Paths of the drafts held back.
    pub(super) held_paths: HashSet<String>,
    /// Problems found indexing (slugs, authors, topics).
    pub(super) index_problems: Vec<Diagnostic>,
    /// Problems found linking (cross-references, anchors, aliases).
    pub(super) link_problems: Vec<Diagnostic>,
    /// The pages of the output, as last rendered.
    pub(super) shown: Shown,
    /// Static files changed since the last update was reported.
    static_changes: Vec<String>,
    output: Arc<RwLock<Output>>,
}

impl Preview {
    /// Loads and renders the whole site.
    pub fn load(options: PreviewOptions) -> (Preview, Update) {
        let mut preview = Preview {
            options,
            config: SiteConfig::default(),
            config_problems: Vec::new(),
            templates: None,
            template_problems: Vec::new(),
            sources: Sources::default(),
            graph: SiteGraph::default(),
            held: Vec::new(),
            stamps: Vec::new(),
            by_path: HashMap::new(),
            held_paths: HashSet::new(),
            index_problems: Vec::new(),
            link_problems: Vec::new(),
            shown: Shown::default(),
            static_changes: Vec::new(),
            output: Arc::default(),
        };
        let update = preview.reload_everything();
        (preview, update)
    }

    /// The served files, shared with the HTTP threads.
    pub fn output(&self) -> Arc<RwLock<Output>> {
        Arc::clone(&self.output)
    }

    /// Every file the site is made of now, as `build` would write it.
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        read(&self.output).files()
    }

    /// Applies changed paths (relative to the site folder) and rebuilds
    /// what they reach.
    pub fn apply(&mut self, changes: &[(ChangeKind, PathBuf)]) -> Update {
        let has = |kind: ChangeKind| changes.iter().any(|(k, _)| *k == kind);
        if has(ChangeKind::Config) {
            return self.reload_everything();
        }
        if has(ChangeKind::Templates) {
            self.load_templates();
        }
        let statics_changed = has(ChangeKind::Static) && self.refresh_statics(changes);
        let people_changed = has(ChangeKind::People) || statics_changed;
        let exclude = self.config.exclusions();
        let mut reload: BTreeSet<String> = changes
            .iter()
            .filter(|(k, _)| *k == ChangeKind::Article)
            .filter(|(_, p)| !exclude.is_excluded(&display_path(Path::new(""), p)))
            .filter_map(|(_, p)| p.strip_prefix("articles").ok())
            .map(|p| display_path(Path::new(""), p))
            .collect();
        if changes
            .iter()
            .any(|(k, p)| *k == ChangeKind::ArticleTree && self.may_hold_articles(p))
        {
            reload.extend(self.relist_articles());
        }
        if statics_changed {
            reload.extend(self.articles_using_statics());
        }
        if people_changed {
            self.load_people();
        }
        let mut markdown = 0;
        if people_changed || !reload.is_empty() {
            markdown = self.rebuild_graph(&reload, people_changed, statics_changed);
        }
        let mut update = self.finish();
        update.markdown = markdown;
        update
    }

    /// Reads everything again, as at start (for `site.yaml`).
    fn reload_everything(&mut self) -> Update {
        let root = self.options.root.clone();
        let mut problems = Vec::new();
        self.config = SiteConfig::load(&root, &mut problems);
        match normalize_base_url(&self.options.base_url) {
            Ok(url) => self.config.base_url = url,
            Err(m) => problems.push(Diagnostic::flag(Code::InvalidBaseUrl, "--bind", m)),
        }
        self.config_problems = problems;
        self.load_templates();
        self.refresh_statics(&[]);
        self.load_people();
        self.sources.articles.clear();
        self.graph = SiteGraph::default();
        self.held.clear();
        self.stamps.clear();
        self.by_path.clear();
        self.held_paths.clear();
        self.shown.paths_valid = false;
        let all = self.relist_articles();
        let markdown = self.rebuild_graph(&all, true, true);
        let mut update = self.finish();
        update.markdown = markdown;
        update
    }

    fn load_templates(&mut self) {
        let mut problems = Vec::new();
        let sources = template_sources(&self.options.root, &mut problems);
        let strings = Strings::load(&self.options.root, &self.config.language, &mut problems);
        if let Some(theme) = compile_templates(sources, strings, &mut problems) {
            let hashes = template_hashes(theme.sources(), &theme.strings);
            self.templates = Some((theme, hashes));
        }
        self.template_problems = problems;
    }

    fn load_people(&mut self) {
        let mut problems = Vec::new();
        let statics = crate::site::all_statics(&self.sources.site_statics);
        let (authors, topics) =
            crate::content::load_people(&self.options.root, &statics, &self.config.exclusions(), &mut problems);
        self.sources.authors = authors;
        self.sources.topics = topics;
        self.sources.people_problems = problems;
    }

    /// Lists `static/` again and brings the served copies up to date;
    /// returns whether files were added or removed.
    fn refresh_statics(&mut self, changes: &[(ChangeKind, PathBuf)]) -> bool {
        let root = &self.options.root;
        let list = list_statics(root, &self.config.exclusions());
        let touched: HashSet<String> = changes
            .iter()
            .filter(|(k, _)| *k == ChangeKind::Static)
            .filter_map(|(_, p)| p.strip_prefix("static").ok())
            .map(|p| display_path(Path::new(""), p))
            .collect();
        let mut wanted: HashMap<String, Option<Arc<[u8]>>> = HashMap::new();
        {
            let out = read(&self.output);
            for rel in &list {
                let known = out.statics.get(rel).filter(|_| !touched.contains(rel)).cloned();
                wanted.insert(rel.clone(), known);
            }
            for (path, bytes) in theme::site_assets(self.config.search) {
                wanted
                    .entry(path.to_string())
                    .or_insert_with(|| Some(Arc::from(*bytes)));
            }
        }
        let fresh: Vec<(String, Option<Arc<[u8]>>)> = wanted
            .into_par_iter()
            .map(|(rel, known)| {
                let bytes = known.or_else(|| std::fs::read(root.join("static").join(&rel)).ok().map(Arc::from));
                (rel, bytes)
            })
            .collect();
        let mut out = write(&self.output);
        let mut statics = HashMap::new();
        for (rel, bytes) in fresh {
            let Some(bytes) = bytes else { continue };
            if out.statics.get(&rel) != Some(&bytes) {
                self.static_changes.push(rel.clone());
            }
            statics.insert(rel, bytes);
        }
        for rel in out.statics.keys().filter(|k| !statics.contains_key(*k)) {
            self.static_changes.push(rel.clone());
        }
        out.statics = statics;
        let set_changed = list != self.sources.site_statics;
        self.sources.site_statics = list;
        set_changed
    }

    /// Could this path under `articles/` (a folder, or what was one) hold articles?
    fn may_hold_articles(&self, rel: &Path) -> bool {
        let abs = self.options.root.join(rel);
        if abs.is_dir() {
            return true;
        }
        if abs.exists() {
            return false;
        }
        let Ok(inner) = rel.strip_prefix("articles") else {
            return false;
        };
        self.sources.articles.keys().any(|k| k.starts_with(inner))
    }

    /// Lists `articles/` again; returns the files added and removed.
    fn relist_articles(&mut self) -> BTreeSet<String> {
        let root = self.options.root.join("articles");
        let listed: BTreeSet<String> = list_articles(&self.options.root, &self.config.exclusions())
            .iter()
            .map(|p| display_path(&root, p))
            .collect();
        let known: BTreeSet<String> = self.sources.articles.values().map(|f| f.rel.clone()).collect();
        listed.symmetric_difference(&known).cloned().collect()
    }

    /// Articles whose checks or Markdown depend on which static files exist.
    fn articles_using_statics(&self) -> Vec<String> {
        let uses = |a: &Article| a.image.is_some() || a.body.contains("![");
        let failed = self
            .sources
            .articles
            .values()
            .filter(|f| !f.loaded)
            .map(|f| f.rel.clone());
        self.graph
            .articles
            .iter()
            .chain(&self.held)
            .filter(|a| uses(a))
            .map(|a| a.rel_path.clone())
            .chain(failed)
            .collect()
    }

    /// Every problem of the site as it now is.
    fn diagnostics(&self) -> Diagnostics {
        let mut d = Diagnostics::default();
        d.extend(self.config_problems.iter().cloned());
        d.extend(self.template_problems.iter().cloned());
        d.extend(self.sources.people_problems.iter().cloned());
        for file in self.sources.articles.values() {
            d.extend(file.problems.iter().cloned());
        }
        d.extend(self.index_problems.iter().cloned());
        d.extend(self.link_problems.iter().cloned());
        if let Some((tera, _)) = &self.templates {
            let mut clashes = Vec::new();
            let renderer = Renderer::new(tera, &self.graph, &self.config);
            crate::output::check_output_paths(&renderer, &self.sources.site_statics, &mut clashes);
            d.extend(clashes);
        }
        d
    }

    /// Renders the pages whose fingerprint changed, unless there are errors.
    fn finish(&mut self) -> Update {
        let mut update = Update {
            diagnostics: self.diagnostics(),
            ..Update::default()
        };
        update.changed = std::mem::take(&mut self.static_changes);
        if !update.diagnostics.has_errors() {
            if let Err(problem) = self.refresh_pages(&mut update) {
                update.diagnostics.push(problem);
            }
        }
        let errors: Vec<Diagnostic> = update
            .diagnostics
            .sorted()
            .into_iter()
            .filter(|d| d.level == Level::Error)
            .collect();
        write(&self.output).errors = errors;
        update
    }

    fn refresh_pages(&mut self, update: &mut Update) -> Result<(), Diagnostic> {
        let Some((theme, hashes)) = &self.templates else {
            return Err(Diagnostic::site(Code::TemplateSyntax, "no templates compiled"));
        };
        let renderer = Renderer::new(theme, &self.graph, &self.config).with_static_root(&self.options.root);
        let pages = renderer.pages();
        // The same pages at the same paths as last time: compare in place.
        let same = self.shown.paths_valid && pages == self.shown.pages;
        let paths: Vec<String> = if same {
            std::mem::take(&mut self.shown.paths)
        } else {
            pages.par_iter().map(|&p| renderer.output_path(p)).collect()
        };
        let fingerprints = page_fingerprints(&renderer, &pages, &paths, &self.stamps, hashes);
        let todo: Vec<usize> = if same {
            (0..pages.len())
                .filter(|&i| fingerprints[i] != self.shown.fingerprints[i])
                .collect()
        } else {
            let old: HashMap<&str, u64> = self
                .shown
                .paths
                .iter()
                .map(String::as_str)
                .zip(self.shown.fingerprints.iter().copied())
                .collect();
            (0..pages.len())
                .filter(|&i| old.get(paths[i].as_str()) != Some(&fingerprints[i]))
                .collect()
        };
        let rendered = todo
            .par_iter()
            .map(|&i| match renderer.render(pages[i]) {
                Ok(text) => Ok((i, text)),
                Err(e) => Err(template_problem(&e, pages[i].template().unwrap_or_default())),
            })
            .collect::<Result<Vec<(usize, String)>, _>>();
        let rendered = match rendered {
            Ok(r) => r,
            Err(e) => {
                if same {
                    self.shown.paths = paths;
                }
                return Err(e);
            }
        };
        update.rendered = rendered.len();
        let mut out = write(&self.output);
        for (i, text) in rendered {
            if out.pages.get(&paths[i]).map(|b| &b[..]) != Some(text.as_bytes()) {
                update.changed.push(paths[i].clone());
                out.pages.insert(paths[i].clone(), Arc::from(text.into_bytes()));
            }
        }
        if !same {
            let live: HashSet<&str> = paths.iter().map(String::as_str).collect();
            out.pages.retain(|path, _| {
                let keep = live.contains(path.as_str());
                if !keep {
                    update.changed.push(path.clone());
                }
                keep
            });
        }
        drop(out);
        self.shown = Shown {
            pages,
            paths,
            fingerprints,
            paths_valid: true,
        };
        update.changed.sort();
        update.changed.dedup();
        Ok(())
    }
}

/// The pages in the output, with their paths and fingerprints.
#[derive(Default)]
pub(super) struct Shown {
    pages: Vec<crate::render::Page>,
    paths: Vec<String>,
    fingerprints: Vec<u64>,
    /// False once articles may have moved to other paths.
    pub(super) paths_valid: bool,
}

/// The output for reading; a panicked writer leaves it usable.
pub(super) fn read(output: &RwLock<Output>) -> std::sync::RwLockReadGuard<'_, Output> {
    output.read().unwrap_or_else(|e| e.into_inner())
}

fn write(output: &RwLock<Output>) -> std::sync::RwLockWriteGuard<'_, Output> {
    output.write().unwrap_or_else(|e| e.into_inner())
}
