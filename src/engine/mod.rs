//! The engine: the one driver of every stage, for `build`, `check` and
//! `serve` alike. It keeps each stage's output keyed by stable ids
//! (articles by `ArticleId`, pages by `PageKey`), reads a site once
//! (`load`) and then applies changed paths (`apply`), redoing only what a
//! change reaches:
//!
//! sources -> index -> Markdown -> graph (links, related) -> pages
//!
//! `build` loads and writes every page; `check` loads and renders every
//! page in memory; `serve` keeps the engine and applies each edit, and
//! the pages it renders again are those that read a record that changed.

mod cache;
mod change;
mod markdown;
mod pages;
mod search;
mod sources;
mod templates;

pub use cache::{CacheOutcome, CachedBuild, PageState, Summary};
pub use change::{classify, ChangeKind};

use crate::config::{normalize_base_url, SiteConfig};
use crate::diag::{display_path, Code, Diagnostic, Diagnostics, Level};
use crate::graph::related::compute_related;
use crate::graph::{
    assemble_graph, build_index, Assembly, Index, Interner, Key, LinkInput, Parsed, RecordHashes, RelatedParts,
    SiteGraph, StableKey, Sym, EVERYTHING,
};
use crate::output::{check_output_paths, write_site, Writer};
use crate::render::images::ImageSizes;
use crate::render::{compile_templates, template_sources, Renderer, Strings, Theme, WordCounts};
use crate::timings::Timings;
use markdown::Markdown;
use pages::PageStore;
use sources::{hash_of, Sources};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What to load.
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    pub root: PathBuf,
    /// Replaces `base_url` from `site.yaml`, with the option it came from.
    pub base_url: Option<(String, &'static str)>,
    pub drafts: bool,
    /// Keep what later changes need (a preview); a one-off build keeps less.
    pub incremental: bool,
}

/// What one change did.
#[derive(Default)]
pub struct Update {
    /// Time spent in each stage.
    pub timings: Timings,
    /// Output pages that changed, appeared (with their bytes) or went away.
    pub files: Vec<(String, Option<Arc<[u8]>>)>,
    /// Pages rendered to find them.
    pub rendered: usize,
    /// Articles whose Markdown was rendered.
    pub markdown: usize,
    /// Every problem of the site as it now is; with errors, the pages stay
    /// those of the last change without.
    pub diagnostics: Diagnostics,
}

/// A site loaded, with every stage's output.
#[derive(Default)]
pub struct Engine {
    options: EngineOptions,
    config: SiteConfig,
    config_problems: Vec<Diagnostic>,
    /// The last templates that compiled, with each template's closure hash.
    theme: Option<(Theme, HashMap<String, u64>)>,
    template_problems: Vec<Diagnostic>,
    sources: Sources,
    interner: Interner,
    markdown: Markdown,
    index_problems: Vec<Diagnostic>,
    /// Bodies that could not be read again.
    markdown_problems: Vec<Diagnostic>,
    link_problems: Vec<Diagnostic>,
    /// The index, with the hash of what it was made from.
    index: Option<(u64, Index)>,
    /// Related articles with the hash of what they were computed from.
    related: Option<(u64, Vec<Vec<usize>>)>,
    /// Whether the list of static files changed since the last graph.
    statics_changed: bool,
    graph: SiteGraph,
    /// Drafts held back.
    drafts_skipped: usize,
    images: ImageSizes,
    words: WordCounts,
    pages: PageStore,
    /// The records as the pages in `pages` saw them.
    shown: RecordHashes,
    /// Images changed since the pages were last rendered.
    images_changed: BTreeSet<String>,
    /// Markdown renderings in the last change.
    markdown_count: usize,
    /// Output files that would land on each other.
    output_problems: Vec<Diagnostic>,
    /// The search index and what it is made from.
    search: search::SearchMemo,
    /// Whether `output_problems` must be found again (static files changed,
    /// or pages were not taken in).
    outputs_stale: bool,
}

impl Engine {
    /// Reads the whole site and builds the graph.
    pub fn load(options: EngineOptions, timings: &mut Timings) -> Engine {
        Engine::load_into(options, Engine::default(), timings)
    }

    /// Reads the whole site into `engine`, which may hold what an earlier
    /// run left (see `cache`): the stages then redo only what changed.
    fn load_into(options: EngineOptions, engine: Engine, timings: &mut Timings) -> Engine {
        let mut engine = Engine {
            images: ImageSizes::new(Some(options.root.clone())),
            options,
            ..engine
        };
        engine.load_config();
        let root = engine.options.root.clone();
        engine.sources.relist_statics(&root, &engine.config.exclusions());
        let all = engine.sources.relist_articles(&root, &engine.config);
        // Renderings kept from an earlier run are checked against the bodies.
        let keep_bodies = engine.markdown.has_renderings();
        engine
            .sources
            .load_articles(&root, &all, &mut engine.interner, keep_bodies);
        engine.sources.load_people(&root, &engine.config.exclusions());
        timings.lap("load");
        engine.load_templates();
        timings.lap("templates");
        engine.rebuild_graph(timings);
        engine
    }

    /// The site's settings (with the base URL given, if any).
    pub fn config(&self) -> &SiteConfig {
        &self.config
    }

    /// The graph as of the last change.
    pub fn graph(&self) -> &SiteGraph {
        &self.graph
    }

    /// Drafts left out because drafts are not built.
    pub fn drafts_skipped(&self) -> usize {
        self.drafts_skipped
    }

    /// The site's own static files, relative to `static/`.
    pub fn site_statics(&self) -> &[String] {
        &self.sources.statics
    }

    /// Files under the content folders that `exclude` skips.
    pub fn excluded(&self) -> Vec<String> {
        crate::content::list_excluded(&self.options.root, &self.config.exclusions())
    }

    /// Every problem of the site as it now is.
    pub fn diagnostics(&self) -> Diagnostics {
        let mut d = Diagnostics::default();
        d.extend(self.config_problems.iter().cloned());
        d.extend(self.template_problems.iter().cloned());
        d.extend(self.sources.static_problems.iter().cloned());
        d.extend(self.sources.list_problems.iter().cloned());
        d.extend(self.sources.people_problems.iter().cloned());
        for file in self.sources.articles.values() {
            d.extend(file.problems.iter().cloned());
        }
        d.extend(self.index_problems.iter().cloned());
        d.extend(self.markdown_problems.iter().cloned());
        d.extend(self.link_problems.iter().cloned());
        d
    }

    /// Every problem a build would stop at: `diagnostics`, and output
    /// files that would land on each other. None of a site without templates.
    pub fn check(&self) -> Diagnostics {
        let mut d = self.diagnostics();
        if let Some(renderer) = self.renderer() {
            d.extend(self.output_problems(&renderer));
        }
        d
    }

    /// Output files that would land on each other (a static file or an
    /// alias at a page's path).
    pub fn output_problems<'a>(&self, renderer: &'a Renderer<'a>) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        check_output_paths(renderer, &self.sources.statics, &mut problems);
        problems
    }

    /// A renderer over the current graph, once templates compiled.
    pub fn renderer(&self) -> Option<Renderer<'_>> {
        let (theme, _) = self.theme.as_ref()?;
        Some(Renderer::new(
            theme,
            &self.graph,
            &self.config,
            &self.images,
            &self.words,
        ))
    }

    /// Renders every page with `renderer` (one of this engine's) and
    /// copies static files to `writer`; returns the number of files.
    pub fn write(&self, renderer: &Renderer<'_>, writer: &dyn Writer) -> anyhow::Result<usize> {
        write_site(renderer, &self.options.root, &self.sources.statics, writer)
    }

    fn load_config(&mut self) {
        let root = &self.options.root;
        let mut problems = Vec::new();
        self.config = SiteConfig::load(root, &mut problems);
        match &self.options.base_url {
            Some((url, option)) => match normalize_base_url(url) {
                Ok(u) => self.config.base_url = u,
                Err(m) => problems.push(Diagnostic::flag(Code::InvalidBaseUrl, option, m)),
            },
            None => problems.extend(self.config.warn_without_base_url(root)),
        }
        self.config_problems = problems;
    }

    fn load_templates(&mut self) {
        let mut problems = Vec::new();
        let root = &self.options.root;
        let sources = template_sources(root, &mut problems);
        let strings = Strings::load(root, &self.config.language, &mut problems);
        if let Some(theme) = compile_templates(sources, strings, &mut problems) {
            let hashes = templates::template_hashes(theme.sources(), &theme.strings);
            self.theme = Some((theme, hashes));
        }
        self.template_problems = problems;
    }

    /// What the index is made from: every article's parsed front matter,
    /// the authors and the topics.
    fn index_inputs(&self) -> u64 {
        hash_of((
            self.sources
                .articles
                .values()
                .map(|f| f.parsed.as_ref().map(|p| (p.id, p.hash)))
                .collect::<Vec<_>>(),
            &self.sources.authors,
            &self.sources.topics,
        ))
    }

    /// The index of the articles as loaded: kept while its inputs stay the same.
    fn index(&mut self, inputs: u64) -> (Index, bool) {
        if let Some((key, index)) = self.index.take() {
            if key == inputs {
                return (index, false);
            }
        }
        let parsed: Vec<Parsed> = self
            .sources
            .articles
            .values()
            .filter_map(|f| f.parsed.clone())
            .collect();
        self.drafts_skipped = match self.options.drafts {
            true => 0,
            false => parsed.iter().filter(|p| p.article.draft).count(),
        };
        let mut problems = Vec::new();
        let index = build_index(
            parsed,
            self.sources.authors.clone(),
            self.sources.topics.clone(),
            &self.config,
            self.options.drafts,
            &mut problems,
        );
        self.index_problems = problems;
        (index, true)
    }

    /// Indexes the articles, renders the Markdown that changed and links the graph.
    fn rebuild_graph(&mut self, timings: &mut Timings) {
        let root = self.options.root.clone();
        let inputs = self.index_inputs();
        let (index, indexed) = self.index(inputs);
        timings.lap("index");
        let base_path = self.config.base_path();
        let incremental = self.options.incremental;
        let links_changed = indexed || std::mem::take(&mut self.statics_changed);
        let renderings = self
            .markdown
            .update(&root, &index, &mut self.sources, &base_path, incremental, links_changed);
        self.markdown_count = renderings.changed.len();
        self.markdown_problems = renderings.problems;
        timings.lap("markdown");
        if !indexed && incremental && self.graph.article_count() == index.articles.len() {
            let bodies = renderings
                .changed
                .iter()
                .map(|&i| {
                    let (r, h) = &renderings.rendered[i];
                    (i, Arc::clone(r), *h)
                })
                .collect();
            let mut problems = Vec::new();
            self.graph.replace_bodies(bodies, &index.by_path, &mut problems);
            self.link_problems = problems;
            self.index = Some((inputs, index));
            timings.lap("link");
            return;
        }
        let related = self.related_of(&index, &renderings.rendered, indexed);
        let author_ids: Vec<Sym> = index.authors.iter().map(|a| self.interner.intern(&a.slug)).collect();
        let topic_ids: Vec<Sym> = index.topics.iter().map(|t| self.interner.intern(&t.slug)).collect();
        let mut problems = Vec::new();
        let parts = Assembly {
            index: &index,
            rendered: renderings.rendered,
            author_ids,
            topic_ids,
            related,
        };
        self.graph = assemble_graph(parts, &self.config, &mut problems);
        self.link_problems = problems;
        if incremental {
            self.index = Some((inputs, index));
        } else {
            // A one-off build needs only the HTML and headings from here.
            self.markdown = Markdown::default();
            self.graph.shed_link_data();
        }
        timings.lap("link");
    }

    /// Related articles: computed again only when the articles' order,
    /// topics, authors or dates changed.
    fn related_of(
        &mut self,
        index: &Index,
        rendered: &[(Arc<crate::markdown::Rendered>, u64)],
        indexed: bool,
    ) -> Vec<Vec<usize>> {
        if let (false, Some((_, related))) = (indexed, &self.related) {
            return related.clone();
        }
        let articles: Vec<Arc<crate::content::Article>> =
            index.articles.iter().map(|p| Arc::clone(&p.article)).collect();
        let plain: Vec<Arc<crate::markdown::Rendered>> = rendered.iter().map(|(r, _)| Arc::clone(r)).collect();
        let input = LinkInput {
            articles: &articles,
            rendered: &plain,
            by_path: &index.by_path,
            article_authors: &index.article_authors,
            article_topics: &index.article_topics,
        };
        let parts = RelatedParts::new(&input);
        let ids: Vec<_> = index.articles.iter().map(|p| p.id).collect();
        let key = hash_of((&ids, &parts.topics, &parts.authors, &parts.days));
        if let Some((old, related)) = &self.related {
            if *old == key {
                return related.clone();
            }
        }
        let related = compute_related(&parts.input());
        if self.options.incremental {
            self.related = Some((key, related.clone()));
        }
        related
    }

    /// Renders the pages a change reaches, unless there are errors.
    fn refresh_pages(&mut self, mut timings: Timings) -> Update {
        let diagnostics = self.diagnostics();
        timings.lap("diagnostics");
        let mut update = Update {
            markdown: self.markdown_count,
            diagnostics,
            ..Update::default()
        };
        let Some((theme, hashes)) = &self.theme else {
            update
                .diagnostics
                .push(Diagnostic::site(Code::TemplateSyntax, "no templates compiled"));
            return update;
        };
        if update.diagnostics.has_errors() {
            update.timings = timings;
            return update;
        }
        let mut records = self.records(theme, hashes);
        timings.lap("records");
        let mut renderer = Renderer::new(theme, &self.graph, &self.config, &self.images, &self.words).tracked();
        if self.config.search {
            let key = search_key(&records);
            renderer = renderer.with_search(self.search.index(&self.graph, key, &self.words));
            self.note_search_files(&mut records);
            timings.lap("search");
        }
        let changed = self.changed(&records);
        let pending = self
            .pages
            .render(&renderer, &self.graph, &changed, &mut self.interner, &mut timings);
        let pending = match pending {
            Ok(pending) => pending,
            Err(problem) => {
                update.diagnostics.push(problem);
                update.timings = timings;
                return update;
            }
        };
        // Output files land on each other only where paths changed.
        if pending.paths_moved || std::mem::take(&mut self.outputs_stale) {
            let mut problems = Vec::new();
            check_output_paths(&renderer, &self.sources.statics, &mut problems);
            self.output_problems = problems;
            timings.lap("outputs");
        }
        update.diagnostics.extend(self.output_problems.iter().cloned());
        if update.diagnostics.has_errors() {
            self.outputs_stale = true;
            update.timings = timings;
            return update;
        }
        let pages = self.pages.commit(pending, &mut timings);
        update.files = pages.files;
        update.rendered = pages.rendered;
        self.shown = records;
        self.images_changed.clear();
        update.timings = timings;
        update
    }
}

impl Engine {
    /// Every record of the graph, with the templates' and theme strings'
    /// hashes (the search index's files are added once it is made).
    fn records(&self, theme: &Theme, hashes: &HashMap<String, u64>) -> RecordHashes {
        let mut records = self.graph.record_hashes();
        for (name, hash) in hashes {
            if let Some(name) = crate::render::theme::template_name(name) {
                records.insert(SiteGraph::global_key(Key::Template(name)), *hash);
            }
        }
        let strings = serde_json::to_string(&theme.strings).unwrap_or_default();
        records.insert(SiteGraph::global_key(Key::Strings), hash_of(strings));
        records
    }

    /// Adds the hash of each file of the search index last made.
    fn note_search_files(&self, records: &mut RecordHashes) {
        for (n, hash) in self.search.file_hashes().iter().enumerate() {
            records.insert(SiteGraph::global_key(Key::SearchFile(n)), *hash);
        }
    }

    /// The records changed since the pages were rendered, and the images.
    fn changed(&self, records: &RecordHashes) -> Vec<StableKey> {
        let mut changed = self.shown.changed(records);
        changed.extend(
            self.images_changed
                .iter()
                .map(|p| SiteGraph::global_key(Key::Image(p.as_str().into()))),
        );
        changed
    }
}

/// The search index is a function of the records `Reader::everything`
/// names: their hash keys it.
fn search_key(records: &RecordHashes) -> u64 {
    hash_of(EVERYTHING.map(|k| records.get(&SiteGraph::global_key(k))))
}

/// A one-off build's engine: loaded, never changed.
pub fn load_once(root: &Path, base_url: Option<(String, &'static str)>, drafts: bool, timings: &mut Timings) -> Engine {
    let options = EngineOptions {
        root: root.to_path_buf(),
        base_url,
        drafts,
        incremental: false,
    };
    Engine::load(options, timings)
}

impl Engine {
    /// Loads a site and renders every page into memory, for a preview.
    pub fn preview(options: EngineOptions) -> (Engine, Update) {
        let mut engine = Engine::load(
            EngineOptions {
                incremental: true,
                ..options
            },
            &mut Timings::default(),
        );
        let update = engine.refresh_pages(Timings::default());
        (engine, update)
    }

    /// Every page as last rendered, by output path.
    pub fn page_files(&self) -> impl Iterator<Item = (&str, &Arc<[u8]>)> {
        self.pages.files()
    }

    /// Number of pages rendered in memory.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        &self.options.root
    }

    /// Applies changed paths (relative to the site folder) and renders
    /// what they reach.
    pub fn apply(&mut self, changes: &[(ChangeKind, PathBuf)]) -> Update {
        let has = |kind: ChangeKind| changes.iter().any(|(k, _)| *k == kind);
        let root = self.options.root.clone();
        if has(ChangeKind::Config) {
            let options = self.options.clone();
            let (engine, mut update) = Engine::preview(options);
            let old: Vec<String> = self.pages.files().map(|(p, _)| p.to_string()).collect();
            *self = engine;
            for path in old {
                if !update.files.iter().any(|(p, _)| *p == path) {
                    update.files.push((path, None));
                }
            }
            return update;
        }
        if has(ChangeKind::Templates) {
            self.load_templates();
        }
        let exclude = self.config.exclusions();
        let touched_statics: Vec<String> = under(changes, ChangeKind::Static, "static");
        let statics_changed = has(ChangeKind::Static) && self.sources.relist_statics(&root, &exclude);
        self.statics_changed |= statics_changed;
        self.outputs_stale |= statics_changed;
        for rel in &touched_statics {
            self.images.forget(rel);
            self.images_changed.insert(rel.clone());
        }
        let mut reload: BTreeSet<String> = under(changes, ChangeKind::Article, "articles")
            .into_iter()
            .filter(|rel| !exclude.is_excluded(&format!("articles/{rel}")))
            .collect();
        if has(ChangeKind::ArticleTree) {
            reload.extend(self.sources.relist_articles(&root, &self.config));
        }
        if statics_changed {
            reload.extend(self.sources.using_statics());
        }
        let people = has(ChangeKind::People) || statics_changed;
        if people {
            self.sources.load_people(&root, &exclude);
        }
        self.markdown_count = 0;
        let mut timings = Timings::default();
        if people || !reload.is_empty() || statics_changed {
            self.sources.load_articles(&root, &reload, &mut self.interner, true);
            timings.lap("load");
            self.rebuild_graph(&mut timings);
        }
        self.refresh_pages(timings)
    }
}

/// The paths of changes of `kind`, relative to the folder `top`.
fn under(changes: &[(ChangeKind, PathBuf)], kind: ChangeKind, top: &str) -> Vec<String> {
    changes
        .iter()
        .filter(|(k, _)| *k == kind)
        .filter_map(|(_, p)| p.strip_prefix(top).ok())
        .map(|p| display_path(Path::new(""), p))
        .collect()
}

/// Errors among the diagnostics, sorted, for the overlay.
pub fn errors_of(diagnostics: &Diagnostics) -> Vec<Diagnostic> {
    diagnostics
        .sorted()
        .into_iter()
        .filter(|d| d.level == Level::Error)
        .collect()
}
