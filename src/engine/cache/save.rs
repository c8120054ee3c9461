//! Saving the cache after a build that succeeded: the new HTML into the
//! pack, then the index written beside its name and renamed over it, all
//! with the folder's lock held.

use super::articles;
use super::pack::{self, Entry, PackName, Places};
use super::{file, folder, CachedBuild, Header, Stamp, StateRef, Summary};
use crate::engine::Engine;
use crate::output::MANIFEST;
use rayon::prelude::*;
use std::path::Path;

impl CachedBuild {
    /// Saves the engine's state after a build that succeeded into `out`.
    pub fn save(&self, engine: &Engine, out: &Path, summary: Summary) -> anyhow::Result<()> {
        let manifest = std::fs::read(out.join(MANIFEST)).map_or(0, |b| crate::output::manifest::ContentHash::of(&b).0);
        crate::fs::create_dir_all(&self.dir)?;
        let Some(_lock) = folder::lock(&self.dir, true) else {
            anyhow::bail!("could not lock the cache folder {}", self.dir.display());
        };
        let (pack, places) = pack::store(
            &self.dir,
            self.appendable().as_ref().map(|(p, pl)| (p, *pl)),
            &entries(engine),
        )?;
        let html = engine.markdown.html().map(|(id, html)| (id, key_of(html))).collect();
        let header = Header {
            stamp: self.stamp.clone(),
            pack: Some(pack.clone()),
            inputs: self.inputs.clone(),
            scanned: self.scanned,
            manifest,
            summary,
        };
        let state = StateRef {
            interner: engine.interner.texts(),
            markdown: &engine.markdown,
            html,
            places: &places,
            articles: articles::keep(&engine.sources),
            statics: &engine.sources.statics,
            related: &engine.related,
            search: &engine.search,
            pages: &engine.pages,
            shown: &engine.shown,
        };
        let config = bincode::config::standard();
        let header = bincode::serde::encode_to_vec(&header, config)?;
        file::write(&self.path, &header, |mut w| {
            bincode::serde::encode_into_std_write(&state, &mut w, config)?;
            Ok(())
        })?;
        folder::clean(&self.dir, Some(&pack.0));
        Ok(())
    }

    /// The pack this build read with its places, when the index on disk
    /// still names it as this build read it: only then is it appended to.
    fn appendable(&self) -> Option<((String, u64), &Places)> {
        let (restored, places) = self.restored.as_ref()?;
        let sections = file::read(&self.path, false).ok()?;
        let config = bincode::config::standard();
        let (on_disk, _): ((Stamp, PackName), _) = bincode::serde::decode_from_slice(&sections.header, config).ok()?;
        (on_disk == (self.stamp.clone(), Some(restored.clone()))).then(|| (restored.clone(), places))
    }
}

/// The pack entry an article's HTML is, or is to be, stored under.
fn key_of(html: &crate::markdown::Html) -> u128 {
    match html.source() {
        Some(source) => source.key(),
        None => xxhash_rust::xxh3::xxh3_128(html.as_bytes()),
    }
}

/// Every rendering's HTML, as the pack takes it.
fn entries(engine: &Engine) -> Vec<Entry<'_>> {
    let html: Vec<_> = engine.markdown.html().map(|(_, html)| html).collect();
    html.par_iter()
        .map(|html| Entry {
            key: key_of(html),
            text: html.loaded(),
            source: html.source(),
        })
        .collect()
}
