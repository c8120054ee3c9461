//! The cache file's container. A cache is read by a later build, maybe by
//! another pressroom, maybe after a disk filled up or a CI cache restore was
//! cut short, so nothing in it is trusted until it is proven whole:
//!
//! ```text
//! "pressroom cache\n"  16 bytes, the magic
//! format               u32, little-endian
//! header length        u64, and its XXH3-128 hash (u128)
//! state length         u64, and its XXH3-128 hash (u128)
//! header bytes, state bytes
//! ```
//!
//! The header is small (what the build read, and the output it made); the
//! state (what the engine keeps) is large and read only when the header
//! says it is needed. A file is written beside its final name and renamed
//! over it, so a reader sees the old file or the new one, whole, even with
//! two builds saving at once.

use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;

/// The first bytes of every cache file.
const MAGIC: &[u8; 16] = b"pressroom cache\n";

/// The container's format; a change of the layout or of the encoding of
/// what it holds makes every older cache another format.
pub(super) const FORMAT: u32 = 5;

/// The magic, the format and the two sections' lengths and hashes.
const PREFIX: usize = 16 + 4 + 2 * (8 + 16);

/// Why a cache file cannot be used.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Unusable {
    /// There is none: a first build.
    Missing,
    /// Written by a pressroom with another cache format: not an error.
    OtherFormat(u32),
    /// Damaged, cut short or not a cache at all: worth a warning.
    Damaged(String),
    /// The file system refused to read it (a folder in the way, no permission).
    Unreadable(String),
}

/// The sections of a cache file, checked whole.
pub(super) struct Sections {
    pub(super) header: Vec<u8>,
    /// Read only when asked for.
    pub(super) state: Option<Vec<u8>>,
}

/// The magic, the format and both sections' lengths and hashes, as read:
/// two files with the same prefix hold the same bytes.
pub(super) type Prefix = [u8; PREFIX];

/// A cache file with its header read and proven whole: its state is read
/// from the same open file when asked for, so the header is read once
/// and the state is the one that header came with.
pub(super) struct Opened {
    file: File,
    pub(super) prefix: Prefix,
    pub(super) header: Vec<u8>,
    /// The state's length and hash.
    state: (u64, u128),
}

impl Opened {
    /// The state section, proven whole by its hash.
    pub(super) fn state(mut self) -> Result<Vec<u8>, Unusable> {
        let (len, hash) = self.state;
        read_section(&mut self.file, len, hash, "state")
    }
}

/// Reads the cache file at `path`: its header, and its state when
/// `with_state`. Any section read is proven whole by its hash.
pub(super) fn read(path: &Path, with_state: bool) -> Result<Sections, Unusable> {
    let opened = open(path)?;
    let header = opened.header.clone();
    let state = match with_state {
        true => Some(opened.state()?),
        false => None,
    };
    Ok(Sections { header, state })
}

/// Opens the cache file at `path` and reads its header, proven whole.
pub(super) fn open(path: &Path) -> Result<Opened, Unusable> {
    let mut file = match crate::fs::open_regular(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Unusable::Missing),
        Err(e) => return Err(Unusable::Unreadable(format!("cannot be read: {e}"))),
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut prefix = [0u8; PREFIX];
    if file.read_exact(&mut prefix).is_err() {
        return Err(damaged_or_foreign(&prefix, "it is cut short"));
    }
    if &prefix[..16] != MAGIC {
        return Err(Unusable::Damaged("is not a pressroom cache".into()));
    }
    let format = u32::from_le_bytes(prefix[16..20].try_into().unwrap_or_default());
    if format != FORMAT {
        return Err(Unusable::OtherFormat(format));
    }
    let section = |at: usize| {
        let len = u64::from_le_bytes(prefix[at..at + 8].try_into().unwrap_or_default());
        let hash = u128::from_le_bytes(prefix[at + 8..at + 24].try_into().unwrap_or_default());
        (len, hash)
    };
    let (header_len, header_hash) = section(20);
    let state = section(44);
    let expected = (PREFIX as u64)
        .checked_add(header_len)
        .and_then(|n| n.checked_add(state.0));
    if expected != Some(size) {
        return Err(Unusable::Damaged(format!(
            "is {size} bytes long where its sections say {}",
            expected.map_or("more than can be".to_string(), |n| n.to_string())
        )));
    }
    let header = read_section(&mut file, header_len, header_hash, "header")?;
    Ok(Opened {
        file,
        prefix,
        header,
        state,
    })
}

/// The prefix of the cache file at `path` as it now is, if it has one:
/// whether it is still the file a build read, without reading it again.
pub(super) fn prefix(path: &Path) -> Option<Prefix> {
    let mut prefix = [0u8; PREFIX];
    let mut file = crate::fs::open_regular(path).ok()?;
    file.read_exact(&mut prefix).ok()?;
    Some(prefix)
}

/// The reason for a file too short to hold the prefix.
fn damaged_or_foreign(prefix: &[u8], why: &str) -> Unusable {
    match prefix.starts_with(b"pressroom") {
        true => Unusable::Damaged(why.to_string()),
        false => Unusable::Damaged("is not a pressroom cache".into()),
    }
}

/// Reads `len` bytes and checks their hash.
fn read_section(file: &mut File, len: u64, hash: u128, name: &str) -> Result<Vec<u8>, Unusable> {
    let mut bytes = Vec::with_capacity(len as usize);
    let read = file.take(len).read_to_end(&mut bytes);
    if read.is_err() || bytes.len() as u64 != len {
        return Err(Unusable::Damaged(format!("its {name} is cut short")));
    }
    if xxhash_rust::xxh3::xxh3_128(&bytes) != hash {
        return Err(Unusable::Damaged(format!("its {name} does not match its checksum")));
    }
    Ok(bytes)
}

/// Writes a cache file at `path` holding `header` and `state` (both
/// encoded already: the index is small now that the bulky values live in
/// the pack): into a file of its own beside it, then renamed over it.
pub(super) fn write(path: &Path, header: &[u8], state: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    crate::fs::create_dir_all(dir)?;
    super::folder::mark(dir);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("cache");
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = write_sections(&temp, header, state).and_then(|()| Ok(std::fs::rename(&temp, path)?));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        anyhow::bail!("could not write the cache {}: {e:#}", path.display());
    }
    Ok(())
}

/// Writes the prefix (with each section's length and hash), the header
/// and the state to a new file at `temp`, and waits for the disk.
fn write_sections(temp: &Path, header: &[u8], state: &[u8]) -> anyhow::Result<()> {
    let mut prefix = Vec::with_capacity(PREFIX);
    prefix.extend_from_slice(MAGIC);
    prefix.extend_from_slice(&FORMAT.to_le_bytes());
    for section in [header, state] {
        prefix.extend_from_slice(&(section.len() as u64).to_le_bytes());
        prefix.extend_from_slice(&xxhash_rust::xxh3::xxh3_128(section).to_le_bytes());
    }
    debug_assert_eq!(prefix.len(), PREFIX);
    let mut file = File::create(temp)?;
    for part in [&prefix[..], header, state] {
        file.write_all(part)?;
    }
    file.sync_data()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(dir: &Path) -> std::path::PathBuf {
        let path = dir.join("build.bin");
        write(&path, b"the header", b"the state, larger").unwrap();
        path
    }

    #[test]
    fn a_whole_file_reads_back() {
        let d = tempfile::tempdir().unwrap();
        let path = saved(d.path());
        let sections = read(&path, true).unwrap();
        assert_eq!(sections.header, b"the header");
        assert_eq!(sections.state.as_deref(), Some(&b"the state, larger"[..]));
        assert!(read(&path, false).unwrap().state.is_none());
        assert_eq!(read(&d.path().join("none"), true).err(), Some(Unusable::Missing));
    }

    #[test]
    fn every_flipped_byte_and_every_cut_is_seen() {
        let d = tempfile::tempdir().unwrap();
        let path = saved(d.path());
        let good = std::fs::read(&path).unwrap();
        for at in 0..good.len() {
            let mut bad = good.clone();
            bad[at] ^= 0x20;
            std::fs::write(&path, &bad).unwrap();
            match read(&path, true) {
                Err(Unusable::Damaged(_)) => {}
                // The format field names another format.
                Err(Unusable::OtherFormat(_)) if (16..20).contains(&at) => {}
                other => panic!("byte {at} flipped: {:?}", other.map(|s| s.header)),
            }
        }
        for len in 0..good.len() {
            std::fs::write(&path, &good[..len]).unwrap();
            assert!(matches!(read(&path, true), Err(Unusable::Damaged(_))), "cut at {len}");
        }
        let mut longer = good.clone();
        longer.push(0);
        std::fs::write(&path, &longer).unwrap();
        assert!(matches!(read(&path, true), Err(Unusable::Damaged(_))));
        std::fs::write(&path, b"{\"format\":1}").unwrap();
        assert_eq!(
            read(&path, true).err(),
            Some(Unusable::Damaged("is not a pressroom cache".into()))
        );
    }
}
