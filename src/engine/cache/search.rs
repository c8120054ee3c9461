//! The search index's assembly as the last build left it: the articles in
//! its order and its term chunks, each chunk a pack entry named by the hash
//! of its bytes, as the bodies are. Kept, a build after an edit encodes
//! again only the terms the edit touched and cuts again only the chunks
//! holding them (`AssemblyCache`), instead of merging every article's
//! terms again; a chunk it did not cut is already in the pack.

use super::super::search::{SearchEntry, SearchMemo};
use super::super::Engine;
use super::pack::{Bytes, Entry, Pack, Places};
use super::shards::decode_entries;
use crate::graph::{ArticleId, IdMap};
use crate::render::search::Chunk;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use xxhash_rust::xxh3::xxh3_128;

/// The assembly, as written.
#[derive(Serialize)]
pub(super) struct KeptSearchRef<'a> {
    articles: &'a [ArticleId],
    /// Each chunk's first term and pack entry.
    chunks: Vec<(&'a str, u128)>,
}

/// The assembly, as read.
#[derive(Deserialize)]
pub(super) struct KeptSearch {
    articles: Vec<ArticleId>,
    chunks: Vec<(Box<str>, u128)>,
}

/// The engine's search assembly, to keep, with its chunks' pack entries;
/// none when it made no index.
pub(super) fn keep(engine: &Engine) -> Option<(KeptSearchRef<'_>, Vec<Entry<'_>>)> {
    let (articles, chunks) = engine.search.assembly();
    if chunks.is_empty() {
        return None;
    }
    let entries: Vec<Entry<'_>> = chunks
        .par_iter()
        .map(|c| Entry {
            key: xxh3_128(c.json.as_bytes()),
            bytes: Bytes::Here(c.json.as_bytes()),
        })
        .collect();
    let chunks = chunks.iter().zip(&entries).map(|(c, e)| (&*c.first, e.key)).collect();
    Some((KeptSearchRef { articles, chunks }, entries))
}

/// The search memo of `docs` (as the shards kept them) with the assembly
/// `kept`, its chunks read from `pack`; why not, when a chunk is missing
/// or damaged or the assembly is not of these docs.
pub(super) fn restore(
    kept: KeptSearch,
    pack: &Pack,
    places: &Places,
    docs: IdMap<ArticleId, SearchEntry>,
) -> Result<SearchMemo, &'static str> {
    // Read into a buffer each thread keeps: only the text kept takes new memory.
    let keys: Vec<u128> = kept.chunks.iter().map(|(_, key)| *key).collect();
    let texts = decode_entries(pack, places, &keys, |bytes| {
        std::str::from_utf8(bytes).map(Arc::<str>::from).map_err(|_| "")
    })
    .map_err(|_| "has a chunk of its search index missing from its pack or not matching its checksum")?;
    let chunks: Vec<Chunk> = kept
        .chunks
        .into_iter()
        .zip(texts)
        .map(|((first, _), json)| Chunk { first, json })
        .collect();
    SearchMemo::from_kept(docs, kept.articles, chunks).ok_or("has a search index that is not of its articles' terms")
}
