//! The preview: the engine kept alive, its pages and the site's static
//! files held in memory for the HTTP threads.

use super::output::{read_statics, Output};
use crate::diag::{display_path, Diagnostics};
use crate::engine::{errors_of, ChangeKind, Engine, EngineOptions};
use std::collections::{BTreeMap, HashSet};
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
