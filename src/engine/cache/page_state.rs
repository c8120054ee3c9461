//! A cached build's pages: the page store taken out of the engine while
//! a renderer borrows it, the records changed since its pages were
//! rendered, and the pages written with what the previous output keeps.

use super::super::pages::{PageStore, Plan};
use super::super::update::search_key;
use super::super::Engine;
use crate::diag::{Code, Diagnostic, Level, Place};
use crate::graph::{Interner, RecordHashes, StableKey};
use crate::output::{write_statics, Writer};
use crate::render::{Renderer, SearchIndex};
use std::sync::Arc;

/// A cached build's page store, taken out of the engine while a renderer
/// borrows it, with what changed since its pages were rendered.
pub struct PageState {
    pages: PageStore,
    interner: Interner,
    /// Every record as the pages written see them.
    records: RecordHashes,
    /// The records changed since the pages in `pages` were rendered.
    changed: Vec<StableKey>,
    /// The search index, made with what the engine keeps of it.
    search: Option<Arc<SearchIndex>>,
    /// The pages to write, once found (`output_problems_kept`).
    plan: Option<Plan>,
    /// Whether the pages were written.
    written: bool,
}

impl Engine {
    /// Why HTML the cache kept could not be read, if it could not: what
    /// was made with it cannot be trusted.
    pub fn cache_damage(&self) -> Option<String> {
        self.kept.as_ref().and_then(|pack| pack.damage())
    }

    /// Takes the page store out, for `write_changed`, and finds what
    /// changed since its pages were rendered.
    pub fn take_pages(&mut self) -> PageState {
        let mut state = PageState {
            pages: std::mem::take(&mut self.pages),
            interner: std::mem::take(&mut self.interner),
            records: RecordHashes::default(),
            changed: Vec::new(),
            search: None,
            plan: None,
            written: false,
        };
        if let Some((theme, hashes)) = &self.theme {
            state.records = self.records(theme, hashes);
            if self.config.search {
                let key = search_key(&state.records);
                state.search = Some(self.search.index(&self.graph, key, &self.words));
                self.note_search_files(&mut state.records);
            }
            state.changed = self.changed(&state.records);
        }
        state
    }

    /// A renderer that notes what pages read, with `state`'s search index;
    /// none when the templates did not compile.
    pub fn renderer_for(&self, state: &PageState) -> Option<Renderer<'_>> {
        let renderer = self.renderer()?.tracked();
        Some(match &state.search {
            Some(index) => renderer.with_search(Arc::clone(index)),
            None => renderer,
        })
    }

    /// Output files that would land on each other, as `output_problems`
    /// finds them; none without looking when the static files are those
    /// the kept pages were checked against and every page is where it was
    /// (`PageStore::paths_kept`): the build that wrote them found none, or
    /// it would not have been kept.
    pub fn output_problems_kept<'a>(&self, renderer: &'a Renderer<'a>, state: &mut PageState) -> Vec<Diagnostic> {
        let plan = state
            .pages
            .plan(renderer, &self.graph, &state.changed, &mut state.interner);
        let kept = !self.outputs_stale && state.pages.paths_kept(renderer, &plan);
        state.plan = Some(plan);
        match kept {
            true => Vec::new(),
            false => self.output_problems(renderer),
        }
    }

    /// Puts the page store back, as the pages written saw the records.
    pub fn put_pages(&mut self, state: PageState) {
        self.pages = state.pages;
        self.interner = state.interner;
        if state.written {
            self.shown = state.records;
            self.images_changed.clear();
        }
    }

    /// Writes the site to `writer` with `renderer` (from `renderer_for`):
    /// the pages that read a record changed since the pages in `state`
    /// were rendered (all of them, without a cache), the others kept from
    /// the previous output where it holds them; then the static files.
    /// Returns the number of files, and of pages rendered and in all.
    pub fn write_changed(
        &self,
        renderer: &Renderer<'_>,
        state: &mut PageState,
        writer: &dyn Writer,
    ) -> anyhow::Result<(usize, Option<(usize, usize)>)> {
        let plan = match state.plan.take() {
            Some(plan) => plan,
            None => state
                .pages
                .plan(renderer, &self.graph, &state.changed, &mut state.interner),
        };
        let rendered = state.pages.write(renderer, &self.graph, plan, writer)?;
        if let Some(why) = self.cache_damage() {
            // The pages read HTML that could not be read: none is published,
            // and the caller builds again without the cache (`distrust`).
            return Err(Diagnostic::new(Level::Warning, Code::UnusableCache, Place::Site, why).into());
        }
        let statics = write_statics(renderer, &self.options.root, &self.sources.statics, writer)?;
        state.written = true;
        let pages = state.pages.len();
        Ok((pages + statics, Some((rendered, pages))))
    }
}
