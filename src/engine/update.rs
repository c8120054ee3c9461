//! Changes: the paths an edit touched applied to the engine, and the
//! pages that read a record that changed rendered again.

use super::sources::hash_of;
use super::{ChangeKind, Engine, EngineOptions, Update};
use crate::content::Tree;
use crate::diag::{display_path, Code, Diagnostic};
use crate::graph::{Key, RecordHashes, SiteGraph, StableKey, EVERYTHING};
use crate::output::check_output_paths;
use crate::render::{Renderer, Theme};
use crate::timings::Timings;
use std::collections::BTreeSet;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

impl Engine {
    /// Renders the pages a change reaches, unless there are errors.
    pub(super) fn refresh_pages(&mut self, mut timings: Timings) -> Update {
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
    pub(super) fn records(&self, theme: &Theme, hashes: &HashMap<String, u64>) -> RecordHashes {
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
    pub(super) fn note_search_files(&self, records: &mut RecordHashes) {
        for (n, hash) in self.search.file_hashes().iter().enumerate() {
            records.insert(SiteGraph::global_key(Key::SearchFile(n)), *hash);
        }
    }

    /// The records changed since the pages were rendered, and the images.
    pub(super) fn changed(&self, records: &RecordHashes) -> Vec<StableKey> {
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
pub(super) fn search_key(records: &RecordHashes) -> u64 {
    hash_of(EVERYTHING.map(|k| records.get(&SiteGraph::global_key(k))))
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
        let statics_changed = has(ChangeKind::Static)
            && self
                .sources
                .relist_statics(&root, &Tree::walk(&root, &["static"]), &exclude);
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
            reload.extend(
                self.sources
                    .relist_articles(&root, &Tree::walk(&root, &["articles"]), &exclude),
            );
        }
        if statics_changed {
            reload.extend(self.sources.using_statics());
        }
        let people = has(ChangeKind::People) || statics_changed;
        if people {
            self.sources
                .load_people(&root, &Tree::walk(&root, &["authors", "topics"]), &exclude);
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
pub(super) fn under(changes: &[(ChangeKind, PathBuf)], kind: ChangeKind, top: &str) -> Vec<String> {
    changes
        .iter()
        .filter(|(k, _)| *k == kind)
        .filter_map(|(_, p)| p.strip_prefix(top).ok())
        .map(|p| display_path(Path::new(""), p))
        .collect()
}
