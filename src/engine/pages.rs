//! The rendered pages, each with the records it read. After a change, a
//! page is rendered again when it is new or when a record it read changed
//! (`graph::records`); every other page keeps its bytes.

use super::page_key::{page_key, PageKey};
use crate::diag::Diagnostic;
use crate::graph::{IdHasher, IdMap, Interner, KeyTable, SiteGraph, StableKey};
use crate::output::manifest::Entry;
use crate::output::Writer;
use crate::render::{template_problem, Page, Renderer};
use crate::timings::Timings;
use rayon::prelude::*;
use std::collections::HashSet;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

/// One page as last rendered.
#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    path: String,
    /// The records it read, by their numbers in the store's `KeyTable`, sorted.
    #[serde(with = "super::cache::runs::u32s")]
    reads: Vec<u32>,
    /// The size and hash of its bytes.
    #[serde(with = "entry_as_numbers")]
    entry: Entry,
    /// The bytes, kept for a preview (a build writes them and keeps none).
    #[serde(skip)]
    bytes: Option<Arc<[u8]>>,
}

/// A page's `Entry` as two numbers: the manifest writes its hash as hex
/// text, which a cache of 43,000 pages would format and parse on every build.
mod entry_as_numbers {
    use crate::output::manifest::{ContentHash, Entry};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(super) fn serialize<S: Serializer>(entry: &Entry, s: S) -> Result<S::Ok, S::Error> {
        (entry.size, entry.hash.0).serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Entry, D::Error> {
        let (size, hash) = <(u64, u128)>::deserialize(d)?;
        Ok(Entry {
            size,
            hash: ContentHash(hash),
        })
    }
}

/// What one refresh changed.
#[derive(Default)]
pub(super) struct PageUpdate {
    /// Output paths with their new bytes, or none when the file went away.
    pub(super) files: Vec<(String, Option<Arc<[u8]>>)>,
    /// Pages rendered.
    pub(super) rendered: usize,
}

/// Every page of the output, with what each read.
#[derive(Default)]
pub(super) struct PageStore {
    pages: IdMap<PageKey, Stored>,
    /// The pages that read each record, by its number (none in a store
    /// read back from a cache).
    readers: IdMap<u32, HashSet<PageKey, BuildHasherDefault<IdHasher>>>,
    /// Every page's key, in the order of the last refresh.
    keys: Vec<PageKey>,
    /// The records pages read, numbered.
    table: KeyTable,
    /// The parts (`PARTS`) whose pages changed since the store was read
    /// back from them, by bit; none when it was not.
    touched: Option<u64>,
}

/// How many parts a cache keeps the pages in.
pub const PARTS: usize = 64;
// Which parts changed is one bit each in a `u64`.
const _: () = assert!(PARTS <= 64);

/// The part of the page `key`.
fn part_of(key: &PageKey) -> usize {
    (crate::graph::hash_of(key) % PARTS as u64) as usize
}

/// One part of the pages, as a cache writes it.
#[derive(serde::Serialize)]
pub(super) struct PartRef<'a>(Vec<(&'a PageKey, &'a Stored)>);

/// One part of the pages, as a cache reads it.
#[derive(serde::Deserialize)]
pub(super) struct Part(Vec<(PageKey, Stored)>);

/// The store but its pages, as a cache writes it.
#[derive(serde::Serialize)]
pub(super) struct RestRef<'a> {
    keys: &'a [PageKey],
    table: &'a KeyTable,
}

/// The store but its pages, as a cache reads it.
#[derive(serde::Deserialize)]
pub(super) struct Rest {
    keys: Vec<PageKey>,
    table: KeyTable,
}

/// The numbers of the records `reads` (as a page of `graph` noted them)
/// in `table`, sorted, each once.
fn numbered(table: &mut KeyTable, graph: &SiteGraph, reads: &[crate::graph::Key]) -> Vec<u32> {
    let mut numbers: Vec<u32> = reads.iter().map(|k| table.number(graph.stable(k))).collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
}

/// `page` rendered by `renderer` and written to `writer`: as stored
/// (without the records it read) and the records it read.
fn written(
    renderer: &Renderer<'_>,
    page: Page,
    writer: &dyn Writer,
) -> anyhow::Result<(Stored, Vec<crate::graph::Key>)> {
    let rendered = renderer.render_page(page);
    let text = rendered
        .text
        .map_err(|e| template_problem(&e, page.template().unwrap_or_default()))?;
    writer.write(&rendered.path, text.as_bytes())?;
    let stored = Stored {
        path: rendered.path,
        reads: Vec::new(),
        entry: Entry::of(text.as_bytes()),
        bytes: None,
    };
    // Each record once, held in no more room than that until the pages'
    // reads are numbered.
    let mut reads = rendered.reads;
    reads.sort_unstable();
    reads.dedup();
    reads.shrink_to_fit();
    Ok((stored, reads))
}

/// The pages a build writes: each with its key, and those that read a
/// changed record.
pub(super) struct Plan {
    pages: Vec<Page>,
    keys: Vec<PageKey>,
    /// Whether `keys` are the store's, in its order.
    same_keys: bool,
    dirty: HashSet<PageKey>,
}

/// Pages rendered and not yet taken in.
pub(super) struct Pending {
    keys: Vec<PageKey>,
    fresh: Vec<(PageKey, Stored)>,
    /// Whether pages came, went or moved to other paths.
    pub(super) paths_moved: bool,
}

impl PageStore {
    /// Renders the pages that are new or read a record in `changed`;
    /// `commit` takes them in. A page that fails is reported.
    pub(super) fn render(
        &mut self,
        renderer: &Renderer<'_>,
        graph: &SiteGraph,
        changed: &[StableKey],
        interner: &mut Interner,
        timings: &mut Timings,
    ) -> Result<Pending, Diagnostic> {
        let pages = renderer.pages();
        let keys: Vec<PageKey> = pages.iter().map(|&p| page_key(graph, p, interner)).collect();
        timings.lap("page list");
        let dirty = self.dirty(changed);
        let todo: Vec<usize> = (0..pages.len())
            .filter(|&i| dirty.contains(&keys[i]) || !self.pages.contains_key(&keys[i]))
            .collect();
        let rendered: Vec<_> = todo.par_iter().map(|&i| renderer.render_page(pages[i])).collect();
        timings.lap("render");
        let mut fresh = Vec::with_capacity(rendered.len());
        for (&i, page) in todo.iter().zip(rendered) {
            let text = page
                .text
                .map_err(|e| template_problem(&e, pages[i].template().unwrap_or_default()))?;
            let reads = numbered(&mut self.table, graph, &page.reads);
            let stored = Stored {
                path: page.path,
                reads,
                entry: Entry::of(text.as_bytes()),
                bytes: Some(Arc::from(text.into_bytes())),
            };
            fresh.push((keys[i], stored));
        }
        let paths_moved = keys != self.keys
            || fresh
                .iter()
                .any(|(key, new)| self.pages.get(key).is_none_or(|s| s.path != new.path));
        Ok(Pending {
            keys,
            fresh,
            paths_moved,
        })
    }

    /// Takes in pages rendered, and forgets those no longer made.
    pub(super) fn commit(&mut self, pending: Pending, timings: &mut Timings) -> PageUpdate {
        let Pending { keys, fresh, .. } = pending;
        let mut update = PageUpdate {
            rendered: fresh.len(),
            ..PageUpdate::default()
        };
        let mut removed_paths: HashSet<String> = HashSet::new();
        if keys != self.keys {
            let live: HashSet<PageKey> = keys.iter().copied().collect();
            let gone: Vec<PageKey> = self.pages.keys().filter(|k| !live.contains(*k)).copied().collect();
            for key in gone {
                if let Some(old) = self.forget(key) {
                    removed_paths.insert(old.path);
                }
            }
            self.keys = keys;
        }
        let mut written: HashSet<String> = HashSet::new();
        for (key, new) in fresh {
            let old = self.forget(key);
            if let Some(old) = &old {
                if old.path != new.path {
                    removed_paths.insert(old.path.clone());
                }
            }
            if old.as_ref().is_none_or(|o| o.path != new.path || o.entry != new.entry) {
                update.files.push((new.path.clone(), new.bytes.clone()));
            }
            for r in &new.reads {
                self.readers.entry(*r).or_default().insert(key);
            }
            written.insert(new.path.clone());
            self.pages.insert(key, new);
        }
        for path in removed_paths.into_iter().filter(|p| !written.contains(p)) {
            update.files.push((path, None));
        }
        timings.lap("commit");
        update
    }

    /// Takes a page out, with its readers' entries.
    fn forget(&mut self, key: PageKey) -> Option<Stored> {
        self.touch(&key);
        let old = self.pages.remove(&key)?;
        for r in &old.reads {
            if let Some(set) = self.readers.get_mut(r) {
                set.remove(&key);
            }
        }
        Some(old)
    }

    /// Every page's bytes by output path (a preview keeps them all).
    pub(super) fn files(&self) -> impl Iterator<Item = (&str, &Arc<[u8]>)> {
        self.pages
            .values()
            .filter_map(|s| Some((s.path.as_str(), s.bytes.as_ref()?)))
    }

    /// The pages that read a record in `changed`. A store read back
    /// from a cache has no readers: its pages' reads are looked through,
    /// which for the few records an edit changes costs less than finding
    /// every record's readers.
    fn dirty(&mut self, changed: &[StableKey]) -> HashSet<PageKey> {
        // A record no page read has no number, and makes no page dirty.
        let changed = self.table.numbers_of(changed);
        if self.readers.is_empty() {
            if changed.is_empty() {
                return HashSet::new();
            }
            // Looked up once for every read of every page: hashed as ids are.
            let changed: HashSet<u32, BuildHasherDefault<IdHasher>> = changed.into_iter().collect();
            return self
                .pages
                .par_iter()
                .filter(|(_, stored)| stored.reads.iter().any(|r| changed.contains(r)))
                .map(|(key, _)| *key)
                .collect();
        }
        let mut dirty: HashSet<PageKey> = HashSet::new();
        for key in changed {
            if let Some(readers) = self.readers.get(&key) {
                dirty.extend(readers);
            }
        }
        dirty
    }

    /// The pages of `renderer` with their keys, and those that read a
    /// record in `changed`: found once for `paths_kept` and `write`.
    pub(super) fn plan(
        &mut self,
        renderer: &Renderer<'_>,
        graph: &SiteGraph,
        changed: &[StableKey],
        interner: &mut Interner,
    ) -> Plan {
        let pages = renderer.pages();
        let keys = pages.iter().map(|&p| page_key(graph, p, interner)).collect();
        let dirty = self.dirty(changed);
        let same_keys = keys == self.keys;
        Plan {
            pages,
            keys,
            same_keys,
            dirty,
        }
    }

    /// Whether the pages of `plan` are the pages stored, in their order,
    /// each at the path it was written to; then no output path changed
    /// since. A page that read no changed record is where it was (its path
    /// is made from records it read); each other page's path is made again.
    pub(super) fn paths_kept(&self, renderer: &Renderer<'_>, plan: &Plan) -> bool {
        let moved = |i: usize| {
            let old = self.pages.get(&plan.keys[i]);
            old.is_none_or(|old| old.path != renderer.output_path(plan.pages[i]))
        };
        plan.same_keys
            && (0..plan.keys.len())
                .filter(|&i| plan.dirty.contains(&plan.keys[i]))
                .all(|i| !moved(i))
    }

    /// Renders into `writer` the pages of `plan` that are new or read a
    /// changed record; every other page is kept from the previous output
    /// where `writer` can, and rendered otherwise. Keeps no bytes (a build's
    /// pages would not fit in memory). Returns the number of pages rendered.
    pub(super) fn write(
        &mut self,
        renderer: &Renderer<'_>,
        graph: &SiteGraph,
        plan: Plan,
        writer: &dyn Writer,
    ) -> anyhow::Result<usize> {
        let Plan {
            pages,
            keys,
            same_keys,
            dirty,
        } = plan;
        // Only the pages rendered are collected: after one edit, a few of 43,000.
        let made: Vec<(PageKey, Stored, Vec<crate::graph::Key>)> = (0..pages.len())
            .into_par_iter()
            .filter_map(|i| {
                let old = self.pages.get(&keys[i]).filter(|_| !dirty.contains(&keys[i]));
                match old.map(|old| writer.keep(&old.path, old.entry)) {
                    Some(Ok(true)) => None,
                    Some(Err(e)) => Some(Err(e)),
                    _ => Some(written(renderer, pages[i], writer).map(|(stored, reads)| (keys[i], stored, reads))),
                }
            })
            .collect::<anyhow::Result<_>>()?;
        // Taken in without their readers: a build's store is only saved,
        // and `dirty` looks through the pages' reads when it is read back.
        self.readers.clear();
        if !same_keys {
            // Pages came or went (the same list of pages, as after most edits, has none gone).
            let live: HashSet<PageKey> = keys.iter().copied().collect();
            let gone: Vec<PageKey> = self.pages.keys().filter(|k| !live.contains(*k)).copied().collect();
            for key in gone {
                self.touch(&key);
                self.pages.remove(&key);
            }
        }
        let mut rendered = 0;
        for (key, mut stored, reads) in made {
            self.touch(&key);
            stored.reads = numbered(&mut self.table, graph, &reads);
            self.pages.insert(key, stored);
            rendered += 1;
        }
        self.keys = keys;
        Ok(rendered)
    }

    /// Notes that the page `key` changed.
    fn touch(&mut self, key: &PageKey) {
        if let Some(touched) = &mut self.touched {
            *touched |= 1 << part_of(key);
        }
    }

    /// The pages cut into `PARTS` parts by a hash of their keys, and the
    /// rest of the store: a cache keeps them apart, and writes again only
    /// the parts that changed since it read them (the others are none here).
    pub(super) fn parts(&self) -> (Vec<Option<PartRef<'_>>>, RestRef<'_>) {
        let mut parts: Vec<Option<PartRef<'_>>> = (0..PARTS)
            .map(|n| self.part_changed(n).then(|| PartRef(Vec::new())))
            .collect();
        for (key, stored) in &self.pages {
            if let Some(part) = &mut parts[part_of(key)] {
                part.0.push((key, stored));
            }
        }
        for part in parts.iter_mut().flatten() {
            part.0.sort_unstable_by_key(|(key, _)| **key);
        }
        let rest = RestRef {
            keys: &self.keys,
            table: &self.table,
        };
        (parts, rest)
    }

    /// Whether the part `n` changed since the store was read back (every
    /// part of a store that was not).
    fn part_changed(&self, n: usize) -> bool {
        self.touched.is_none_or(|touched| touched & (1 << n) != 0)
    }

    /// The store read back from its parts and the rest; none when a page
    /// is not in the part its key names (parts of another store).
    pub(super) fn from_parts(parts: Vec<Part>, rest: Rest) -> Option<PageStore> {
        let own = |(n, part): (usize, &Part)| part.0.iter().all(|(key, _)| part_of(key) == n);
        parts.par_iter().enumerate().all(own).then_some(())?;
        // Sized once: 43,000 pages grown into would be moved again and again.
        let mut pages = IdMap::with_capacity_and_hasher(parts.iter().map(|p| p.0.len()).sum(), Default::default());
        pages.extend(parts.into_iter().flat_map(|part| part.0));
        Some(PageStore {
            pages,
            readers: IdMap::default(),
            keys: rest.keys,
            table: rest.table,
            touched: Some(0),
        })
    }

    /// Number of pages.
    pub(super) fn len(&self) -> usize {
        self.pages.len()
    }
}
