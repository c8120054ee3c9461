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
mod graph;
mod markdown;
mod page_key;
mod pages;
mod search;
mod sources;
mod templates;
mod update;

pub use cache::{check_folder as check_cache_folder, CacheOutcome, CachedBuild, PageState, Summary, SHARDS};
pub use change::{classify, ChangeKind};
pub use pages::PARTS;

use crate::config::{normalize_base_url, SiteConfig};
use crate::content::Tree;
use crate::diag::{Code, Diagnostic, Diagnostics, Level};
use crate::graph::{Index, Interner, RecordHashes, SiteGraph};
use crate::output::{check_output_paths, output_clashes, write_site, Clash, Writer};
use crate::render::images::ImageSizes;
use crate::render::{compile_templates, template_sources, Renderer, Strings, Theme, WordCounts};
use crate::timings::Timings;
use markdown::Markdown;
use pages::PageStore;
use sources::Sources;
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
    /// The index, with the hashes of what it was made from.
    index: Option<(graph::IndexKey, Index)>,
    /// Related articles with the hash of what they were computed from.
    related: Option<(u64, Vec<Vec<usize>>)>,
    /// Whether the list of static files changed since the last graph.
    statics_changed: bool,
    graph: SiteGraph,
    /// The hash of the index `graph` was assembled from; `None` before the
    /// first assembly (an engine seeded from the cache has an index but no
    /// graph yet).
    graph_of: Option<u64>,
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
    /// The build cache's pack the renderings' HTML is read from, if any.
    kept: Option<Arc<cache::pack::Pack>>,
    /// Whether `output_problems` must be found again (static files changed
    /// since the pages were checked, or pages were not taken in).
    outputs_stale: bool,
}

impl Engine {
    /// Reads the whole site and builds the graph.
    pub fn load(options: EngineOptions, timings: &mut Timings) -> Engine {
        let tree = Tree::content(&options.root);
        Engine::load_into(options, Engine::default(), None, &tree, timings)
    }

    /// Reads the whole site into `engine`, which may hold what an earlier
    /// run left (see `cache`): the stages then redo only what changed.
    /// With `reload`, `engine` holds the article files as they were, and
    /// only those named (and those added, removed or whose static files
    /// changed) are read again. The folders are listed from `tree`, the
    /// one walk of them this load makes.
    fn load_into(
        options: EngineOptions,
        engine: Engine,
        reload: Option<BTreeSet<String>>,
        tree: &Tree,
        timings: &mut Timings,
    ) -> Engine {
        let mut engine = Engine {
            images: ImageSizes::new(Some(options.root.clone())),
            options,
            ..engine
        };
        engine.load_config();
        let root = engine.options.root.clone();
        let exclude = engine.config.exclusions();
        let statics_changed = engine.sources.relist_statics(&root, tree, &exclude);
        let mut all = engine.sources.relist_articles(&root, tree, &exclude);
        if let Some(reload) = reload {
            all.extend(
                reload
                    .into_iter()
                    .filter(|rel| !exclude.is_excluded(&format!("articles/{rel}"))),
            );
            if statics_changed {
                all.extend(engine.sources.using_statics());
                engine.statics_changed = true;
                engine.outputs_stale = true;
            }
        }
        // Renderings kept from an earlier run are checked against the bodies.
        let keep_bodies = engine.markdown.has_renderings();
        engine
            .sources
            .load_articles(&root, &all, &mut engine.interner, keep_bodies);
        engine.sources.load_people(&root, tree, &exclude);
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

    /// Files under the content folders that `exclude` skips, as last listed.
    pub fn excluded(&self) -> Vec<String> {
        self.sources.skipped.all()
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

    /// Aliases that would land on another output file, as (the declaring
    /// article's source path, the alias): what the import drops.
    pub fn alias_clashes(&self) -> Vec<(String, String)> {
        let Some(renderer) = self.renderer() else {
            return Vec::new();
        };
        output_clashes(&renderer, &self.sources.statics)
            .into_iter()
            .filter_map(|clash| match clash {
                Clash::Alias { source, alias, .. } => Some((source, alias)),
                Clash::Static { .. } => None,
            })
            .collect()
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

/// Errors among the diagnostics, sorted, for the overlay.
pub fn errors_of(diagnostics: &Diagnostics) -> Vec<Diagnostic> {
    diagnostics
        .sorted()
        .into_iter()
        .filter(|d| d.level == Level::Error)
        .collect()
}
