//! The bulky part of the cache: every article's rendered HTML, in a pack
//! file of entries named by the XXH3-128 hash of their bytes. The index
//! (`file`) holds where each entry is; an entry is read when a page first
//! asks for its article's body, and proven whole by its hash before it is
//! used. A build after one edit so reads the few bodies it shows and
//! appends the few it rendered, instead of reading and writing them all.
//!
//! A pack is only appended to, and only by a build that holds the cache's
//! lock and whose index is still the one on disk: bytes an index points at
//! never change. When the entries no index needs outweigh the live ones,
//! or another build saved in between, the live entries go to a new pack
//! and the old one is removed once the new index is in place. Builds that
//! are reading hold the pack open, so removing it does not disturb them.

use crate::graph::PassThrough;
use crate::markdown::HtmlSource;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs::File;
use std::hash::BuildHasherDefault;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Where each entry of a pack is.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub(super) struct Places {
    /// Offset and length by the entry's hash.
    places: ByKey<(u64, u32)>,
}

/// A map by entry hash, hashed by the key's own low bits (XXH3 hashes).
type ByKey<V> = HashMap<u128, V, BuildHasherDefault<PassThrough>>;

/// The pack an index points into: its file name and its length when the
/// index was written.
pub(super) type PackName = Option<(String, u64)>;

/// An open pack, and the first entry found damaged in it.
pub(in crate::engine) struct Pack {
    file: File,
    damage: Mutex<Option<String>>,
}

impl Pack {
    /// Opens the pack `name` in `dir`.
    pub(super) fn open(dir: &Path, name: &str) -> std::io::Result<Arc<Pack>> {
        Ok(Arc::new(Pack {
            file: crate::fs::open_regular(&dir.join(name))?,
            damage: Mutex::new(None),
        }))
    }

    /// Why an entry read from it could not be used, if one could not.
    pub(super) fn damage(&self) -> Option<String> {
        self.damage.lock().ok().and_then(|d| d.clone())
    }

    /// The entry `key` at `place`, proven whole, as text.
    fn read(&self, key: u128, place: (u64, u32)) -> Option<String> {
        let text = self
            .read_bytes(key, place)
            .and_then(|bytes| String::from_utf8(bytes).ok());
        if text.is_none() {
            self.note_damage("has a body in its pack that does not match its checksum");
        }
        text
    }

    /// Notes why an entry read from it could not be used (the first such).
    pub(super) fn note_damage(&self, why: &str) {
        if let Ok(mut damage) = self.damage.lock() {
            damage.get_or_insert_with(|| why.into());
        }
    }

    /// The entry `key` at `place`, when its bytes hash to `key`.
    pub(super) fn read_bytes(&self, key: u128, place: (u64, u32)) -> Option<Vec<u8>> {
        let mut bytes = Vec::new();
        self.read_into(key, place, &mut bytes).then_some(bytes)
    }

    /// Reads the entry `key` at `place` into `bytes` (replacing what they
    /// held); whether its bytes hash to `key`.
    pub(super) fn read_into(&self, key: u128, (offset, len): (u64, u32), bytes: &mut Vec<u8>) -> bool {
        // Every byte is read over: only room the buffer never had is zeroed.
        bytes.resize(len as usize, 0);
        let found = read_at(&self.file, bytes, offset);
        found.is_ok() && xxhash_rust::xxh3::xxh3_128(bytes) == key
    }
}

#[cfg(unix)]
fn read_at(file: &File, bytes: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, offset)
}

#[cfg(not(unix))]
fn read_at(mut file: &File, bytes: &mut [u8], offset: u64) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(bytes)
}

/// One entry of an open pack.
struct Stored {
    pack: Arc<Pack>,
    key: u128,
    place: (u64, u32),
}

impl HtmlSource for Stored {
    fn load(&self) -> Option<String> {
        self.pack.read(self.key, self.place)
    }

    fn key(&self) -> u128 {
        self.key
    }
}

impl Places {
    /// Where the entry `key` is, if the pack has it.
    pub(super) fn place(&self, key: u128) -> Option<(u64, u32)> {
        self.places.get(&key).copied()
    }

    /// The entry `key` of `pack` as a source, if the pack has it.
    pub(super) fn source(&self, pack: &Arc<Pack>, key: u128) -> Option<Arc<dyn HtmlSource>> {
        let place = *self.places.get(&key)?;
        Some(Arc::new(Stored {
            pack: Arc::clone(pack),
            key,
            place,
        }))
    }
}

/// What a save puts in the pack: each entry's hash, with its bytes.
pub(super) struct Entry<'a> {
    pub(super) key: u128,
    pub(super) bytes: Bytes<'a>,
}

/// Where an entry's bytes are.
pub(super) enum Bytes<'a> {
    /// In memory.
    Here(&'a [u8]),
    /// An article's HTML not read in this build.
    Html(&'a Arc<dyn HtmlSource>),
    /// In the pack this build read, at this place.
    Packed(&'a Pack, (u64, u32)),
}

impl Bytes<'_> {
    /// How many bytes are known to be new.
    fn known_len(&self) -> u64 {
        match self {
            Bytes::Here(bytes) => bytes.len() as u64,
            Bytes::Packed(_, (_, len)) => u64::from(*len),
            Bytes::Html(_) => 0,
        }
    }
}

/// Writes `entries` to the pack of `dir`: appended to `old` (the pack the
/// index on disk points into, with its places) when that pack is still
/// mostly live, otherwise into a new pack. Returns the pack and places
/// the new index must name. The caller holds the cache's lock.
pub(super) fn store(
    dir: &Path,
    old: Option<(&(String, u64), &Places)>,
    entries: &[Entry<'_>],
) -> anyhow::Result<((String, u64), Places)> {
    let mut live: ByKey<&Entry<'_>> = ByKey::with_capacity_and_hasher(entries.len(), Default::default());
    for entry in entries {
        live.insert(entry.key, entry);
    }
    if let Some(((name, len), places)) = old {
        let kept: u64 = live
            .keys()
            .filter_map(|k| places.places.get(k))
            .map(|&(_, len)| u64::from(len))
            .sum();
        let path = dir.join(name);
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        let added: u64 = live
            .iter()
            .filter(|(k, _)| !places.places.contains_key(k))
            .map(|(_, e)| e.bytes.known_len())
            .sum();
        // Compact when what no index needs outweighs what is live.
        if size > 0 && size >= *len && size.saturating_sub(kept) <= kept + added {
            return append(&path, name, size, places, &live);
        }
    }
    let name = format!("pack-{:x}-{}.bin", now_nanos(), std::process::id());
    let mut places = Places::default();
    let empty = Places::default();
    let size = write_entries(&dir.join(&name), 0, &mut places, &empty, &live)?;
    Ok(((name, size), places))
}

/// Appends the entries `old` lacks to the pack at `path`, whose bytes are
/// `size` long (anything after what the index names is a build's that did
/// not finish, and stays dead).
fn append(
    path: &Path,
    name: &str,
    size: u64,
    old: &Places,
    live: &ByKey<&Entry<'_>>,
) -> anyhow::Result<((String, u64), Places)> {
    let mut places = Places::default();
    for key in live.keys() {
        if let Some(&place) = old.places.get(key) {
            places.places.insert(*key, place);
        }
    }
    let size = write_entries(path, size, &mut places, old, live)?;
    Ok(((name.to_string(), size), places))
}

/// Writes the entries of `live` not in `skip` at `size` into the file at
/// `path`, noting their places; returns the file's new length.
fn write_entries(
    path: &Path,
    mut size: u64,
    places: &mut Places,
    skip: &Places,
    live: &ByKey<&Entry<'_>>,
) -> anyhow::Result<u64> {
    let file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, &file);
    let mut keys: Vec<&u128> = live.keys().filter(|k| !skip.places.contains_key(k)).collect();
    keys.sort_unstable();
    for key in keys {
        let read;
        let bytes = match live[key].bytes {
            Bytes::Here(bytes) => bytes,
            Bytes::Html(source) => {
                read = source.load().map(String::into_bytes);
                read.as_deref()
                    .ok_or_else(|| anyhow::anyhow!("a kept body could not be read"))?
            }
            Bytes::Packed(pack, place) => {
                read = pack.read_bytes(*key, place);
                read.as_deref()
                    .ok_or_else(|| anyhow::anyhow!("a kept shard could not be read"))?
            }
        };
        let len = u32::try_from(bytes.len())?;
        out.write_all(bytes)?;
        places.places.insert(*key, (size, len));
        size += u64::from(len);
    }
    out.flush()?;
    drop(out);
    file.sync_data()?;
    Ok(size)
}

fn now_nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// Whether `name` is a pack file's.
pub(super) fn is_pack(name: &str) -> bool {
    name.starts_with("pack-") && name.ends_with(".bin")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXTS: [&str; 3] = ["<p>one</p>", "<p>the second body</p>", "<p>3</p>"];

    /// A pack of `TEXTS` in `dir`, with its places.
    fn stored(dir: &Path) -> (String, Places) {
        let entries: Vec<Entry<'_>> = TEXTS
            .iter()
            .map(|t| Entry {
                key: xxhash_rust::xxh3::xxh3_128(t.as_bytes()),
                bytes: Bytes::Here(t.as_bytes()),
            })
            .collect();
        let ((name, _), places) = store(dir, None, &entries).unwrap();
        (name, places)
    }

    /// What each entry reads as from the pack `name` as it now is.
    fn read_all(dir: &Path, name: &str, places: &Places) -> Vec<Option<String>> {
        let pack = Pack::open(dir, name).unwrap();
        TEXTS
            .iter()
            .map(|t| {
                let source = places.source(&pack, xxhash_rust::xxh3::xxh3_128(t.as_bytes())).unwrap();
                source.load()
            })
            .collect()
    }

    #[test]
    fn every_flipped_byte_and_every_cut_is_seen_in_the_entry_it_hits() {
        let d = tempfile::tempdir().unwrap();
        let (name, places) = stored(d.path());
        let good = std::fs::read(d.path().join(&name)).unwrap();
        let whole: Vec<Option<String>> = TEXTS.iter().map(|t| Some(t.to_string())).collect();
        assert_eq!(read_all(d.path(), &name, &places), whole);
        // Each entry's bytes, as the pack placed them.
        let spans: Vec<(u64, u64)> = TEXTS
            .iter()
            .map(|t| {
                let (offset, len) = places.places[&xxhash_rust::xxh3::xxh3_128(t.as_bytes())];
                (offset, offset + u64::from(len))
            })
            .collect();
        for at in 0..good.len() {
            let mut bad = good.clone();
            bad[at] ^= 0x20;
            std::fs::write(d.path().join(&name), &bad).unwrap();
            let read = read_all(d.path(), &name, &places);
            for (n, got) in read.iter().enumerate() {
                let hit = (spans[n].0..spans[n].1).contains(&(at as u64));
                assert_eq!(got.is_none(), hit, "byte {at} flipped, entry {n}: {got:?}");
            }
        }
        for len in 0..good.len() {
            std::fs::write(d.path().join(&name), &good[..len]).unwrap();
            let read = read_all(d.path(), &name, &places);
            for (n, got) in read.iter().enumerate() {
                assert_eq!(got.is_none(), spans[n].1 > len as u64, "cut at {len}, entry {n}");
            }
        }
    }

    #[test]
    fn a_pack_is_appended_to_until_dead_entries_outweigh_live_ones() {
        let d = tempfile::tempdir().unwrap();
        let (name, places) = stored(d.path());
        let size = std::fs::metadata(d.path().join(&name)).unwrap().len();
        let one = |text: &'static str| Entry {
            key: xxhash_rust::xxh3::xxh3_128(text.as_bytes()),
            bytes: Bytes::Here(text.as_bytes()),
        };
        // Two of three live and one new: appended, the old places kept.
        let entries = [one(TEXTS[1]), one(TEXTS[2]), one("<p>new</p>")];
        let ((same, len), appended) = store(d.path(), Some((&(name.clone(), size), &places)), &entries).unwrap();
        assert_eq!((same.as_str(), len), (name.as_str(), size + 10));
        assert_eq!(appended.places[&entries[0].key], places.places[&entries[0].key]);
        // One small entry live: a new pack with it alone.
        let entries = [one(TEXTS[2])];
        let ((other, len), _) = store(d.path(), Some((&(same, len), &appended)), &entries).unwrap();
        assert_ne!(other, name);
        assert_eq!(len, TEXTS[2].len() as u64);
    }
}
