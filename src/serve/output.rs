//! The site as served: the engine kept alive (`Preview`), every output
//! file in memory, and whether the last rebuild succeeded. The preview
//! writes it; the HTTP threads read it.

use crate::diag::{display_path, Diagnostic, Diagnostics};
use crate::engine::{errors_of, ChangeKind, Engine, EngineOptions};
use crate::render::theme;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// The files of the last good build, and the problems of the latest one.
#[derive(Default)]
pub struct Output {
    /// Rendered pages by output path (`articles/x/index.html`).
    pub pages: HashMap<String, Arc<[u8]>>,
    /// Static files by output path; like `build`, they win over a page at
    /// the same path.
    pub statics: HashMap<String, Arc<[u8]>>,
    /// Errors of the latest rebuild; empty when it succeeded.
    pub errors: Vec<Diagnostic>,
}

impl Output {
    /// The file at an output path.
    pub fn get(&self, path: &str) -> Option<Arc<[u8]>> {
        self.statics.get(path).or_else(|| self.pages.get(path)).cloned()
    }

    /// Every file, as `build` would write it.
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        let mut files: BTreeMap<String, Vec<u8>> = self.pages.iter().map(|(p, b)| (p.clone(), b.to_vec())).collect();
        files.extend(self.statics.iter().map(|(p, b)| (p.clone(), b.to_vec())));
        files
    }

    /// Takes in pages rendered again (or gone, with no bytes).
    pub fn apply_pages(&mut self, files: &[(String, Option<Arc<[u8]>>)]) {
        for (path, bytes) in files {
            match bytes {
                Some(bytes) => self.pages.insert(path.clone(), Arc::clone(bytes)),
                None => self.pages.remove(path),
            };
        }
    }
}

/// The static files to serve: the site's `list` (read again where
/// `touched` or not yet read) over the theme's assets. Returns them with
/// the paths whose bytes changed, appeared or went away.
fn read_statics(
    root: &Path,
    list: &[String],
    touched: &HashSet<String>,
    search: bool,
    known: &HashMap<String, Arc<[u8]>>,
) -> (HashMap<String, Arc<[u8]>>, Vec<String>) {
    let mut wanted: HashMap<String, Option<Arc<[u8]>>> = HashMap::new();
    for rel in list {
        let kept = known.get(rel).filter(|_| !touched.contains(rel)).cloned();
        wanted.insert(rel.clone(), kept);
    }
    for (path, bytes) in theme::site_assets(search) {
        wanted
            .entry(path.to_string())
            .or_insert_with(|| Some(Arc::from(*bytes)));
    }
    let fresh: Vec<(String, Option<Arc<[u8]>>)> = wanted
        .into_par_iter()
        .map(|(rel, kept)| {
            let bytes = kept.or_else(|| {
                crate::fs::read_regular(&root.join("static").join(&rel))
                    .ok()
                    .map(Arc::from)
            });
            (rel, bytes)
        })
        .collect();
    let mut statics = HashMap::new();
    let mut changed = Vec::new();
    for (rel, bytes) in fresh {
        let Some(bytes) = bytes else { continue };
        if known.get(&rel) != Some(&bytes) {
            changed.push(rel.clone());
        }
        statics.insert(rel, bytes);
    }
    changed.extend(known.keys().filter(|k| !statics.contains_key(*k)).cloned());
    (statics, changed)
}

/// What to preview.
#[derive(Debug, Clone)]
pub struct PreviewOptions {
    pub root: PathBuf,
    /// The URL the site is served at, replacing `site.yaml`'s `base_url`.
    pub base_url: String,
    pub drafts: bool,
}

/// What one rebuild did.
#[derive(Default)]
pub struct Update {
    /// Time spent in each stage (printed with `PRESSROOM_TIMINGS=1`).
    pub timings: crate::timings::Timings,
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

/// A site in memory, updated file by file.
pub struct Preview {
    engine: Engine,
    output: Arc<RwLock<Output>>,
}

impl Preview {
    /// Loads and renders the whole site.
    pub fn load(options: PreviewOptions) -> (Preview, Update) {
        let (engine, update) = Engine::preview(EngineOptions {
            root: options.root,
            base_url: Some((options.base_url, "--bind")),
            drafts: options.drafts,
            incremental: true,
        });
        let mut preview = Preview {
            engine,
            output: Arc::default(),
        };
        let update = preview.publish(update, &HashSet::new());
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
        let touched: HashSet<String> = changes
            .iter()
            .filter(|(k, _)| matches!(k, ChangeKind::Static | ChangeKind::Config))
            .filter_map(|(_, p)| p.strip_prefix("static").ok())
            .map(|p| display_path(Path::new(""), p))
            .collect();
        let update = self.engine.apply(changes);
        self.publish(update, &touched)
    }

    /// Hands the engine's pages and the static files to the HTTP threads.
    fn publish(&mut self, update: crate::engine::Update, touched: &HashSet<String>) -> Update {
        let config = self.engine.config();
        let mut out = write(&self.output);
        let (statics, mut changed) = read_statics(
            self.engine.root(),
            self.engine.site_statics(),
            touched,
            config.search,
            &out.statics,
        );
        out.statics = statics;
        out.errors = errors_of(&update.diagnostics);
        out.apply_pages(&update.files);
        changed.extend(update.files.into_iter().map(|(p, _)| p));
        changed.sort();
        changed.dedup();
        Update {
            changed,
            timings: update.timings,
            rendered: update.rendered,
            markdown: update.markdown,
            diagnostics: update.diagnostics,
        }
    }
}

/// The output for reading; a panicked writer leaves it usable.
pub(super) fn read(output: &RwLock<Output>) -> std::sync::RwLockReadGuard<'_, Output> {
    output.read().unwrap_or_else(|e| e.into_inner())
}

fn write(output: &RwLock<Output>) -> std::sync::RwLockWriteGuard<'_, Output> {
    output.write().unwrap_or_else(|e| e.into_inner())
}
