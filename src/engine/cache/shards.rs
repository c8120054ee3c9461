//! The per-article part of the cache's state (each rendering without its
//! HTML, each search doc, each parsed article file) in `SHARDS` shards by
//! a hash of the article's path. Each shard is one pack entry, named by
//! the hash of its encoding like the HTML entries, and the index lists
//! the shards' entries: a build after one edit encodes and appends the
//! shard holding that article, not the whole state.
//!
//! Whether a shard changed is decided without encoding it: a build keeps
//! the values it read (`Loaded`), and a shard whose members are those very
//! values (the same `Arc`s, the same hashes) is what its entry holds. The
//! values are kept alive until the save, so no address is reused meanwhile.

use super::super::markdown::Entry as Rendering;
use super::super::search::SearchEntry;
use super::super::sources::ArticleFile;
use super::super::Engine;
use super::articles::{self, KeptFile};
use super::docs::{DocHead, DocRef, ShardTerms};
use super::pack::{Bytes, Entry, Pack, Places};
use crate::content::Article;
use crate::graph::{ArticleId, IdMap};
use crate::markdown::{Html, Rendered};
use crate::render::search::SearchDoc;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::hash::Hash;
use std::sync::Arc;
use xxhash_rust::xxh3::{xxh3_128, xxh3_64, Xxh3};

/// How many shards the state is cut into.
pub const SHARDS: usize = 64;
// A shard's number is kept in a byte.
const _: () = assert!(SHARDS <= 256);

/// The shard of the article file `rel` (fewer than 256).
fn shard_of(rel: &str) -> usize {
    (xxh3_64(rel.as_bytes()) % SHARDS as u64) as usize
}

/// The pack entry an article's HTML is, or is to be, stored under.
pub(super) fn key_of(html: &Html) -> u128 {
    match html.source() {
        Some(source) => source.key(),
        None => xxh3_128(html.as_bytes()),
    }
}

/// One shard's members in the engine, each kind in the order of its key.
#[derive(Default)]
struct Members<'a> {
    renderings: Vec<(ArticleId, &'a Rendering)>,
    docs: Vec<(ArticleId, &'a SearchEntry)>,
    files: Vec<(&'a str, &'a ArticleFile)>,
}

/// The engine's per-article state, by shard.
fn members(engine: &Engine) -> Vec<Members<'_>> {
    let mut shards: Vec<Members<'_>> = (0..SHARDS).map(|_| Members::default()).collect();
    // Each article's shard, found once for its rendering, doc and file.
    let by_sym: Vec<u8> = engine.interner.texts().iter().map(|t| shard_of(t) as u8).collect();
    let shard = |id: ArticleId| by_sym[id.0.index()] as usize;
    for (id, rendering) in engine.markdown.entries() {
        shards[shard(id)].renderings.push((id, rendering));
    }
    for (id, doc) in engine.search.docs() {
        shards[shard(*id)].docs.push((*id, doc));
    }
    for (rel, file) in &engine.sources.articles {
        // A parsed file's id is its path, interned.
        let n = file.parsed.as_ref().map_or_else(|| shard_of(rel), |p| shard(p.id));
        shards[n].files.push((rel, file));
    }
    for members in &mut shards {
        members.renderings.sort_unstable_by_key(|(id, _)| *id);
        members.docs.sort_unstable_by_key(|(id, _)| *id);
    }
    shards
}

impl Members<'_> {
    /// What the members are: equal for two lists of the same values
    /// (addresses of the same `Arc`s, the same hashes and problems).
    fn token(&self) -> u128 {
        let mut h = Xxh3::new();
        (self.renderings.len(), self.docs.len(), self.files.len()).hash(&mut h);
        for (id, rendering) in &self.renderings {
            let (rendered, hash, body) = rendering.parts();
            (id, Arc::as_ptr(rendered) as usize, hash, body).hash(&mut h);
        }
        for (id, (input, doc)) in &self.docs {
            (id, input, Arc::as_ptr(doc) as usize).hash(&mut h);
        }
        for (rel, file) in &self.files {
            let parsed = file.parsed.as_ref().map(|p| (Arc::as_ptr(&p.article) as usize, p.hash));
            (rel, parsed, &file.problems).hash(&mut h);
        }
        h.digest128()
    }

    /// The shard's encoding and its docs' terms'.
    fn encode(&self) -> anyhow::Result<(Vec<u8>, Vec<u8>)> {
        let config = bincode::config::standard();
        let terms: Vec<DocRef<'_>> = self.docs.iter().map(|(_, (_, doc))| DocRef(doc)).collect();
        let terms = bincode::serde::encode_to_vec(&terms, config)?;
        let shard = ShardRef {
            docs: self
                .docs
                .iter()
                .map(|(id, (input, doc))| (*id, *input, doc.length() as u32, doc.words() as u32))
                .collect(),
            terms: xxh3_128(&terms),
            renderings: self
                .renderings
                .iter()
                .map(|(id, r)| (*id, *r, key_of(&r.parts().0.html)))
                .collect(),
            files: self
                .files
                .iter()
                .filter_map(|(rel, f)| articles::keep(rel, f))
                .collect(),
        };
        Ok((bincode::serde::encode_to_vec(&shard, config)?, terms))
    }
}

/// A shard, as written.
#[derive(Serialize)]
struct ShardRef<'a> {
    /// Each search doc's head (its article, the hash of what it was made
    /// from, its length and words).
    docs: Vec<DocHead>,
    /// The pack entry of their terms, in the same order: an entry of its
    /// own, read only when first asked for (`docs::ShardTerms`).
    terms: u128,
    /// Each rendering with the pack entry of its HTML.
    renderings: Vec<(ArticleId, &'a Rendering, u128)>,
    files: Vec<KeptFile>,
}

/// A shard, as read.
#[derive(Deserialize)]
struct Shard {
    docs: Vec<DocHead>,
    terms: u128,
    renderings: Vec<(ArticleId, Rendering, u128)>,
    files: Vec<KeptFile>,
}

/// Every shard of an index, read back.
#[derive(Default)]
pub(super) struct Restored {
    pub(super) renderings: IdMap<ArticleId, Rendering>,
    /// The pack entry of each rendering's HTML.
    pub(super) html: IdMap<ArticleId, u128>,
    pub(super) docs: IdMap<ArticleId, SearchEntry>,
    pub(super) files: Vec<KeptFile>,
    /// The pack entry of each shard's docs' terms.
    pub(super) terms: Vec<u128>,
}

/// Reads the shards `keys` from `pack`, in parallel, each proven whole by
/// its hash; why not, when one is missing, damaged or does not decode.
/// The docs' terms are read from `pack` again when first asked for.
pub(super) fn read(pack: &Arc<Pack>, places: &Places, keys: &[u128]) -> Result<Restored, &'static str> {
    if keys.len() != SHARDS {
        return Err("lists another number of shards");
    }
    let shards = decode_entries(pack, places, keys, |bytes| decode::<Shard>(bytes))?;
    let articles = shards.iter().map(|s| s.renderings.len()).sum();
    let mut restored = Restored {
        renderings: IdMap::with_capacity_and_hasher(articles, Default::default()),
        html: IdMap::with_capacity_and_hasher(articles, Default::default()),
        docs: IdMap::with_capacity_and_hasher(shards.iter().map(|s| s.docs.len()).sum(), Default::default()),
        files: Vec::with_capacity(shards.iter().map(|s| s.files.len()).sum()),
        terms: Vec::with_capacity(SHARDS),
    };
    for shard in shards {
        for (id, rendering, html) in shard.renderings {
            restored.renderings.insert(id, rendering);
            restored.html.insert(id, html);
        }
        let place = places.place(shard.terms).ok_or(TERMS_MISSING)?;
        let docs = ShardTerms::docs(pack, shard.terms, place, &shard.docs);
        restored.terms.push(shard.terms);
        let heads = shard.docs.iter().zip(docs);
        restored
            .docs
            .extend(heads.map(|(&(id, input, _, _), doc)| (id, (input, Arc::new(doc)))));
        restored.files.extend(shard.files);
    }
    Ok(restored)
}

/// Why a shard's terms cannot be read.
const TERMS_MISSING: &str = "has a part of its state missing from its pack";

/// Why a part of the state that passed its checksum cannot be used.
const DOES_NOT_DECODE: &str = "has a part of its state that does not decode";

/// The entries `keys` of `pack`, each made by `make` from its bytes, in
/// parallel, each proven whole by its hash; why not, when one is missing,
/// damaged or does not decode. The bytes are read into a buffer each thread
/// keeps from one entry to the next (as large as the largest entry it read):
/// only what is made of them takes new memory.
pub(super) fn decode_entries<T: Send>(
    pack: &Pack,
    places: &Places,
    keys: &[u128],
    make: impl Fn(&[u8]) -> Result<T, &'static str> + Sync,
) -> Result<Vec<T>, &'static str> {
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    keys.par_iter()
        .map(|&key| {
            // Taken out while in use: nothing else on this thread can find it borrowed.
            let mut buffer = BUFFER.take();
            let whole = places
                .place(key)
                .is_some_and(|place| pack.read_into(key, place, &mut buffer));
            let made = match whole {
                true => make(&buffer),
                false => Err("has a part of its state in its pack that does not match its checksum"),
            };
            BUFFER.set(buffer);
            made
        })
        .collect()
}

/// `bytes` decoded, when they are one whole value.
pub(super) fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, &'static str> {
    match bincode::serde::borrow_decode_from_slice(bytes, bincode::config::standard()) {
        Ok((value, read)) if read == bytes.len() => Ok(value),
        _ => Err(DOES_NOT_DECODE),
    }
}

/// The shards as a build read them: each one's entry and what its members
/// were, with those values held so that their addresses stay theirs.
pub(super) struct Loaded {
    keys: Vec<u128>,
    /// The entry of each shard's terms.
    terms: Vec<u128>,
    tokens: Vec<u128>,
    _held: Held,
}

/// The values a build read, kept alive until it saves.
#[derive(Default)]
struct Held {
    renderings: Vec<Arc<Rendered>>,
    docs: Vec<Arc<SearchDoc>>,
    articles: Vec<Arc<Article>>,
}

impl Loaded {
    /// The shards of `engine` as just restored from the entries `keys`,
    /// their terms from the entries `terms`.
    pub(super) fn of(engine: &Engine, keys: Vec<u128>, terms: Vec<u128>) -> Loaded {
        let shards = members(engine);
        let tokens = shards.iter().map(Members::token).collect();
        let mut held = Held::default();
        for members in &shards {
            let renderings = members.renderings.iter().map(|(_, r)| Arc::clone(r.parts().0));
            held.renderings.extend(renderings);
            held.docs
                .extend(members.docs.iter().map(|(_, (_, doc))| Arc::clone(doc)));
            let parsed = members.files.iter().filter_map(|(_, f)| f.parsed.as_ref());
            held.articles.extend(parsed.map(|p| Arc::clone(&p.article)));
        }
        Loaded {
            keys,
            terms,
            tokens,
            _held: held,
        }
    }

    /// The entry of each shard's terms.
    #[cfg(test)]
    pub(super) fn terms(&self) -> &[u128] {
        &self.terms
    }
}

/// One shard as a save stores it: its entry, with its new encoding or
/// the place of the entry it already has in the pack this build read.
pub(super) struct Saved {
    pub(super) key: u128,
    bytes: Option<Vec<u8>>,
    place: (u64, u32),
}

impl Saved {
    /// A shard kept as the entry `key` at `place`.
    pub(super) fn kept(key: u128, place: (u64, u32)) -> Saved {
        Saved {
            key,
            bytes: None,
            place,
        }
    }

    /// A shard encoded as `bytes`.
    pub(super) fn encoded(bytes: Vec<u8>) -> Saved {
        Saved {
            key: xxh3_128(&bytes),
            bytes: Some(bytes),
            place: (0, 0),
        }
    }
}

/// Every shard of `engine`, and each one's terms: encoded when a member
/// changed since `loaded` (the shards read from `places`), kept as they
/// are in the pack otherwise.
pub(super) fn save(engine: &Engine, loaded: Option<(&Loaded, &Places)>) -> anyhow::Result<(Vec<Saved>, Vec<Saved>)> {
    let saved: Vec<(Saved, Saved)> = members(engine)
        .par_iter()
        .enumerate()
        .map(|(n, members)| {
            let kept = loaded.and_then(|(loaded, places)| {
                let (key, terms) = (loaded.keys[n], loaded.terms[n]);
                (loaded.tokens[n] == members.token()).then_some(())?;
                Some((
                    Saved::kept(key, places.place(key)?),
                    Saved::kept(terms, places.place(terms)?),
                ))
            });
            Ok(match kept {
                Some(kept) => kept,
                None => {
                    let (shard, terms) = members.encode()?;
                    (Saved::encoded(shard), Saved::encoded(terms))
                }
            })
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(saved.into_iter().unzip())
}

/// The pack entries of `saved`; those kept are read from `pack` when they
/// go to a new pack.
pub(super) fn entries<'a>(saved: &'a [Saved], pack: Option<&'a Pack>) -> anyhow::Result<Vec<Entry<'a>>> {
    saved
        .iter()
        .map(|s| {
            let bytes = match (&s.bytes, pack) {
                (Some(bytes), _) => Bytes::Here(bytes),
                (None, Some(pack)) => Bytes::Packed(pack, s.place),
                (None, None) => anyhow::bail!("a kept shard with no pack to read it from"),
            };
            Ok(Entry { key: s.key, bytes })
        })
        .collect()
}

/// How many of `saved` were encoded by this save.
pub(super) fn written(saved: &[Saved]) -> usize {
    saved.iter().filter(|s| s.bytes.is_some()).count()
}
