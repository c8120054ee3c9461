//! The build cache (`build --cache DIR`): what the engine keeps between
//! runs, so that a build after one edit renders only what the edit reaches.
//!
//! The cache holds no rules of its own about what depends on what. It
//! keeps the engine's state as the last build left it (stable ids, each
//! article's rendered Markdown with the lookups it made, related articles
//! with the hash they were computed from, every page with the records it
//! read, and those records' hashes) and hands it back to the engine, which
//! loads the site as always and redoes what its own hashes say changed.
//! Pages not rendered again are linked from the previous output
//! (`Writer::keep`), whose manifest vouches for their bytes.
//!
//! Whatever could change the meaning of that state starts afresh: another
//! pressroom (version and executable), another `site.yaml`, base URL or
//! drafts setting. When nothing the build reads changed and the output is
//! exactly what the last build left, the output is left alone.

mod articles;
mod docs;
mod file;
mod folder;
pub use folder::check_folder;
mod index;
mod inputs;
pub(super) mod pack;
mod page_parts;
mod page_state;
pub(super) mod runs;
pub use page_state::PageState;
mod save;
mod search;
mod shards;
mod state;
pub use shards::SHARDS;
#[cfg(test)]
mod state_tests;
#[cfg(test)]
mod tests;

use super::markdown::Markdown;
use super::search::SearchMemo;
use super::sources::Sources;
use super::update::under;
use super::{ChangeKind, Engine, EngineOptions};
use crate::content::Tree;
use crate::diag::{Code, Diagnostic, Level, Place};
use crate::graph::Interner;
use crate::markdown::Html;
use crate::output::untouched;
use crate::timings::Timings;
use file::Unusable;
use inputs::Inputs;
use pack::{Pack, PackName, Places};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The index file's name in the cache folder.
const FILE: &str = "index.bin";

/// What makes a cache another build's: anything here differs, and nothing of it is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    /// `pressroom --version` (with the commit).
    version: String,
    /// The pressroom executable's size and modification time.
    executable: u128,
    base_url: Option<String>,
    drafts: bool,
}

/// What a build printed, to print it again when nothing changed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Summary {
    /// "3 articles, 2 authors, 1 topic".
    pub counts: String,
    /// Files in the output.
    pub files: usize,
    /// "; 1 draft skipped", or nothing.
    pub skipped: String,
    /// Files that `exclude` skipped.
    pub excluded: Vec<String>,
    /// Every problem the build reported (warnings: it succeeded).
    pub diagnostics: Vec<Diagnostic>,
    /// Top-level entries carried into the output (`keep_in_output`).
    pub keep: Vec<String>,
}

/// The small section: what the build read and made.
#[derive(Serialize, Deserialize)]
struct Header {
    /// First, so that it can be read alone.
    stamp: Stamp,
    /// Second, read with the stamp by a build about to save.
    pack: PackName,
    inputs: Inputs,
    /// A second before the scan of `inputs` began (see `inputs::scan`).
    scanned: (i64, i64),
    /// The hash of the output's manifest as the build wrote it.
    manifest: u128,
    summary: Summary,
}

/// What opening the cache found.
pub enum CacheOutcome {
    /// Nothing the build reads changed and the output is as that build
    /// left it: what it printed.
    Unchanged(Summary),
    /// The engine, loaded with whatever of the cache could be used.
    Loaded(Box<Engine>),
}

/// One build with a cache folder.
pub struct CachedBuild {
    dir: PathBuf,
    path: PathBuf,
    root: PathBuf,
    stamp: Stamp,
    inputs: Inputs,
    /// A second before the scan of `inputs` began.
    scanned: (i64, i64),
    /// The cache file, its header read, while its state is yet to be read.
    opened: Option<file::Opened>,
    /// The pack the engine's HTML is read from, with its places, as the
    /// index this build read names them, and that index's prefix.
    restored: Option<((String, u64), Places, file::Prefix)>,
    /// The state section as this build read it.
    read_state: Option<state::ReadState>,
    /// The shards as this build read them.
    shards: Option<shards::Loaded>,
    /// The entries of the parts of the pages this build read.
    page_parts: Option<Vec<u128>>,
    /// Set when a build with this cache found it damaged: it is not used.
    distrusted: bool,
    /// Set when nothing changed but the scan read files the header's
    /// record could not vouch for: the header is recorded again.
    scan_outdated: bool,
    /// Why the cache was not used, worth a warning.
    pub warning: Option<Diagnostic>,
    /// Why the cache was not used, for `--verbose`.
    pub note: Option<String>,
}

impl CachedBuild {
    /// A build of the site of `options` with the cache in `dir`.
    pub fn new(dir: &Path, options: &EngineOptions) -> CachedBuild {
        // Its size and time: a pressroom built again is another file.
        let executable = std::env::current_exe().and_then(std::fs::metadata).map_or(0, |m| {
            let time = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
            (u128::from(m.len()) << 64) ^ time.map_or(0, |t| t.as_nanos())
        });
        CachedBuild {
            dir: dir.to_path_buf(),
            path: dir.join(FILE),
            root: options.root.clone(),
            stamp: Stamp {
                version: env!("PRESSROOM_VERSION").to_string(),
                executable,
                base_url: options.base_url.as_ref().map(|(u, _)| u.clone()),
                drafts: options.drafts,
            },
            inputs: Inputs::new(),
            scanned: (0, 0),
            opened: None,
            restored: None,
            read_state: None,
            shards: None,
            page_parts: None,
            distrusted: false,
            scan_outdated: false,
            warning: None,
            note: None,
        }
    }

    /// Opens the cache: the output left alone when nothing changed,
    /// otherwise the engine loaded with what the cache kept.
    pub fn open(&mut self, options: EngineOptions, out: &Path, timings: &mut Timings) -> CacheOutcome {
        let options = EngineOptions {
            incremental: true,
            ..options
        };
        // The one walk of the site's folders: the scan of the inputs and
        // the engine's listings read it.
        self.scanned = inputs::clock_before_now();
        let tree = Tree::walk_with_metadata(&self.root, inputs::FOLDERS);
        let restored = self.restore(out, &tree);
        // The file is closed once its state was read or is not needed.
        self.opened = None;
        let (seed, reload) = match restored {
            Ok((engine, reload)) => (*engine, Some(reload)),
            Err(Seed::Unchanged(summary)) => {
                if self.scan_outdated {
                    self.record_scan();
                }
                return CacheOutcome::Unchanged(*summary);
            }
            Err(Seed::Fresh) => (Engine::default(), None),
        };
        timings.lap("cache");
        let engine = Engine::load_into(options.clone(), seed, reload, &tree, timings);
        if let Some(why) = engine.cache_damage() {
            // Found while linking: nothing of it is used.
            self.distrust(&why);
            let engine = Engine::load_into(options, Engine::default(), None, &tree, timings);
            return CacheOutcome::Loaded(Box::new(engine));
        }
        CacheOutcome::Loaded(Box::new(engine))
    }

    /// Notes that the cache was found damaged (`Engine::cache_damage`):
    /// this build goes on without it, and saves a new one.
    pub fn distrust(&mut self, why: &str) {
        self.distrusted = true;
        self.opened = None;
        self.restored = None;
        self.read_state = None;
        self.shards = None;
        self.page_parts = None;
        self.damaged(why, "nothing to do: this build writes a new one");
    }

    /// The engine state to load into, with the article files to read
    /// again; `Err` when the output can stay or nothing can be used.
    fn restore(&mut self, out: &Path, tree: &Tree) -> Result<(Box<Engine>, BTreeSet<String>), Seed> {
        // Shared: no build removes the pack between reading the index and opening it.
        let _lock = folder::lock(&self.dir, false);
        let header = self.read_header();
        self.inputs = match &header {
            Ok(header) => inputs::scan(&self.root, tree, &header.inputs, Some(header.scanned)),
            Err(_) => inputs::scan(&self.root, tree, &Inputs::new(), None),
        };
        let header = header?;
        if self.distrusted {
            return Err(Seed::Fresh);
        }
        if inputs::same(&header.inputs, &self.inputs)
            && untouched(out, &header.summary.keep).is_some_and(|h| h.0 == header.manifest)
        {
            self.scan_outdated = !inputs::all_vouched(&header.inputs, &self.inputs, header.scanned);
            return Err(Seed::Unchanged(Box::new(header.summary)));
        }
        let changes = inputs::changes(&header.inputs, &self.inputs);
        if changes.iter().any(|(kind, _)| *kind == ChangeKind::Config) {
            self.note = Some("site.yaml changed".into());
            return Err(Seed::Fresh);
        }
        let Some(opened) = self.opened.take() else {
            return Err(Seed::Fresh);
        };
        let prefix = opened.prefix;
        let bytes = match opened.state() {
            Ok(bytes) => bytes,
            Err(unusable) => return Err(self.unusable(unusable)),
        };
        let Some((state, read)) = state::read(bytes) else {
            self.damaged("does not decode", "nothing to do: this build writes a new one");
            return Err(Seed::Fresh);
        };
        let mut engine = self.seed(state, &read, header.pack, prefix)?;
        self.read_state = Some(read);
        engine.0.images_changed = under(&changes, ChangeKind::Static, "static").into_iter().collect();
        let mut reload: BTreeSet<String> = under(&changes, ChangeKind::Article, "articles").into_iter().collect();
        reload.append(&mut engine.1);
        Ok((engine.0, reload))
    }

    /// The engine holding `state`, its HTML read from the pack `pack`;
    /// with the article files whose kept values did not come back.
    fn seed(
        &mut self,
        state: state::State,
        read_state: &state::ReadState,
        pack: PackName,
        prefix: file::Prefix,
    ) -> Result<(Box<Engine>, BTreeSet<String>), Seed> {
        let opened = pack.as_ref().map(|(name, _)| Pack::open(&self.dir, name));
        let Some((pack, Ok(opened))) = pack.zip(opened) else {
            self.damaged("has no pack of bodies", "nothing to do: this build writes a new one");
            return Err(Seed::Fresh);
        };
        let read = shards::read(&opened, &state.places, &state.shards).and_then(|mut restored| {
            let pages = page_parts::read(&opened, &state.places, &state.page_parts, state.pages)?;
            let docs = std::mem::take(&mut restored.docs);
            let search = match state.search {
                Some(kept) => search::restore(kept, &opened, &state.places, docs)?,
                None => SearchMemo::from_docs(docs),
            };
            Ok((restored, pages, search))
        });
        let (restored, pages, search) = match read {
            Ok(read) => read,
            Err(why) => {
                self.damaged(why, "nothing to do: this build writes a new one");
                return Err(Seed::Fresh);
            }
        };
        let answers = state::kept_answers(read_state, &opened);
        let mut markdown = Markdown::from_parts(restored.renderings, answers, state.link_statics);
        let keys = restored.html;
        let terms = restored.terms;
        let attached = markdown.attach_html(|id| {
            let source = state.places.source(&opened, *keys.get(&id)?)?;
            Some(Html::stored(source))
        });
        if !attached {
            self.damaged(
                "names bodies its pack does not hold",
                "nothing to do: this build writes a new one",
            );
            return Err(Seed::Fresh);
        }
        let mut interner = Interner::from_texts(state.interner);
        let mut sources = Sources::default();
        let again = articles::restore(restored.files, &mut sources, &mut interner);
        sources.statics = state.statics;
        self.restored = Some((pack, state.places, prefix));
        let mut engine = Engine {
            interner,
            markdown,
            sources,
            related: state.related,
            search,
            pages,
            shown: state.shown,
            kept: Some(opened),
            ..Engine::default()
        };
        if let Some(kept) = state.index {
            index::restore(kept, &mut engine);
        }
        self.shards = Some(shards::Loaded::of(&engine, state.shards, terms));
        self.page_parts = Some(state.page_parts);
        Ok((Box::new(engine), again))
    }

    /// The cache's header, when it is whole, of this format, and made by
    /// this pressroom with these settings. The stamp comes first and is
    /// read alone: another pressroom's header may not decode as this one's.
    /// The file is kept open for the state (`opened`).
    fn read_header(&mut self) -> Result<Header, Seed> {
        let opened = file::open(&self.path).map_err(|unusable| self.unusable(unusable))?;
        let config = bincode::config::standard();
        let stamp: Option<Stamp> = bincode::serde::decode_from_slice(&opened.header, config)
            .ok()
            .map(|(stamp, _)| stamp);
        if stamp.as_ref() != Some(&self.stamp) {
            self.note = Some("the cache is another pressroom's or another setting's".into());
            return Err(Seed::Fresh);
        }
        let header = self.decode(&opened.header).ok_or(Seed::Fresh)?;
        self.opened = Some(opened);
        Ok(header)
    }

    /// Notes why the cache cannot be used.
    fn unusable(&mut self, unusable: Unusable) -> Seed {
        let shown = crate::diag::display_path(Path::new(""), &self.path);
        match unusable {
            Unusable::Missing => self.note = Some(format!("no cache at {shown} yet")),
            Unusable::OtherFormat(n) => self.note = Some(format!("the cache at {shown} has format {n}")),
            Unusable::Damaged(why) => self.damaged(&why, "nothing to do: this build writes a new one"),
            Unusable::Unreadable(why) => self.damaged(
                &why,
                "give `--cache` a folder pressroom may write in, or build with `--no-cache`",
            ),
        }
        Seed::Fresh
    }

    /// A section that passed its checksum yet does not decode: written by
    /// something else.
    fn decode<T: serde::de::DeserializeOwned>(&mut self, bytes: &[u8]) -> Option<T> {
        match bincode::serde::decode_from_slice(bytes, bincode::config::standard()) {
            Ok((value, read)) if read == bytes.len() => Some(value),
            _ => {
                self.damaged("does not decode", "nothing to do: this build writes a new one");
                None
            }
        }
    }

    fn damaged(&mut self, why: &str, suggestion: &str) {
        let shown = crate::diag::display_path(Path::new(""), &self.path);
        self.warning = Some(
            Diagnostic::new(
                Level::Warning,
                Code::UnusableCache,
                Place::Site,
                format!("the build cache {shown} {why}; building without it"),
            )
            .with_suggestion(suggestion),
        );
    }
}

/// Why no engine state is handed over.
enum Seed {
    Unchanged(Box<Summary>),
    Fresh,
}
