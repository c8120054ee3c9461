//! Saving the cache after a build that succeeded: the new HTML into the
//! pack, then the index written beside its name and renamed over it, all
//! with the folder's lock held.

use super::pack::{self, Bytes, Entry, Places};
use super::shards::{self, key_of};
use super::state::StateRef;
use super::{file, folder, CachedBuild, Header, Summary};
use crate::engine::Engine;
use crate::output::MANIFEST;
use rayon::prelude::*;
use std::path::Path;

impl CachedBuild {
    /// Saves the engine's state after a build that succeeded into `out`;
    /// returns how many of the state's shards, and of the pages' parts,
    /// were written again.
    pub fn save(&self, engine: &Engine, out: &Path, summary: Summary) -> anyhow::Result<(usize, usize)> {
        let manifest = std::fs::read(out.join(MANIFEST)).map_or(0, |b| crate::output::manifest::ContentHash::of(&b).0);
        crate::fs::create_dir_all(&self.dir)?;
        let Some(_lock) = folder::lock(&self.dir, true) else {
            anyhow::bail!("could not lock the cache folder {}", self.dir.display());
        };
        let read = self.restored.as_ref().map(|(_, places, _)| places);
        let (saved, terms) = shards::save(engine, self.shards.as_ref().zip(read))?;
        if let Some(why) = engine.cache_damage() {
            // A shard encoded again may hold search terms that could not be
            // read: the cache cannot be saved, nor used again.
            let _ = std::fs::remove_file(&self.path);
            anyhow::bail!("the build cache {why}");
        }
        let parts = self.page_parts.as_deref().zip(read);
        let (page_parts, pages) = super::page_parts::save(&engine.pages, parts)?;
        let (search, chunks) = super::search::keep(engine).unzip();
        let mut entries = entries(engine)?;
        entries.extend(chunks.into_iter().flatten());
        entries.extend(shards::entries(&saved, engine.kept.as_deref())?);
        entries.extend(shards::entries(&terms, engine.kept.as_deref())?);
        entries.extend(shards::entries(&page_parts, engine.kept.as_deref())?);
        let (pack, places) = pack::store(&self.dir, self.appendable(), &entries)?;
        let header = Header {
            stamp: self.stamp.clone(),
            pack: Some(pack.clone()),
            inputs: super::inputs::settled(&self.root, &self.inputs, |rel| engine.sources.unread(rel)),
            scanned: self.scanned,
            manifest,
            summary,
        };
        let state = StateRef {
            own: super::state::own_parts(engine, self.read_state.as_ref()),
            shards: saved.iter().map(|s| s.key).collect(),
            places: &places,
            statics: &engine.sources.statics,
            link_statics: engine.markdown.statics(),
            search,
            page_parts: page_parts.iter().map(|s| s.key).collect(),
            pages,
            shown: &engine.shown,
        };
        let config = bincode::config::standard();
        let header = bincode::serde::encode_to_vec(&header, config)?;
        file::write(&self.path, &header, &bincode::serde::encode_to_vec(&state, config)?)?;
        folder::clean(&self.dir, Some(&pack.0));
        Ok((shards::written(&saved), shards::written(&page_parts)))
    }

    /// Records this build's scan of the inputs in the header, keeping the
    /// state, after a build that found nothing changed yet had to read
    /// files to be sure (their metadata changed, or they changed too soon
    /// before the last scan): without it every later build would read them
    /// again, as nothing changed means nothing is saved. Left undone, as
    /// it changes no result, when another build holds the cache's lock
    /// (it is not waited for), or the cache is unreadable or was saved by
    /// another build meanwhile.
    pub(super) fn record_scan(&self) {
        let Some(_lock) = folder::try_lock(&self.dir) else {
            return;
        };
        let Ok(file::Sections {
            header,
            state: Some(state),
        }) = file::read(&self.path, true)
        else {
            return;
        };
        let config = bincode::config::standard();
        let Ok((mut header, _)) = bincode::serde::decode_from_slice::<Header, _>(&header, config) else {
            return;
        };
        if header.stamp != self.stamp || !super::inputs::same(&header.inputs, &self.inputs) {
            return;
        }
        header.inputs = self.inputs.clone();
        header.scanned = self.scanned;
        if let Ok(header) = bincode::serde::encode_to_vec(&header, config) {
            let _ = file::write(&self.path, &header, &state);
        }
    }

    /// The pack this build read with its places, when the index on disk
    /// is still the one this build read (the same prefix: the same lengths
    /// and hashes): only then is it appended to.
    fn appendable(&self) -> Option<(&(String, u64), &Places)> {
        let (restored, places, prefix) = self.restored.as_ref()?;
        (file::prefix(&self.path)? == *prefix).then_some((restored, places))
    }
}

/// Every rendering's HTML, as the pack takes it.
fn entries(engine: &Engine) -> anyhow::Result<Vec<Entry<'_>>> {
    let html: Vec<_> = engine.markdown.html().map(|(_, html)| html).collect();
    html.par_iter()
        .map(|html| {
            let bytes = match (html.loaded(), html.source()) {
                (Some(text), _) => Bytes::Here(text.as_bytes()),
                (None, Some(source)) => Bytes::Html(source),
                (None, None) => anyhow::bail!("a body with nothing to read it from"),
            };
            Ok(Entry {
                key: key_of(html),
                bytes,
            })
        })
        .collect()
}
