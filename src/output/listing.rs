//! A manifest as a build reads it back: the previous output's, a spare's,
//! or the one a cached build checks the output against. A large site's
//! manifest lists some 43,000 files, and a build reads one or two of them
//! before it can keep a single file, so this form is made for that: the
//! paths end to end in one string, in order, each looked up by binary
//! search, with no allocation or map node per file.
//!
//! The text `Manifest::to_json` writes is read directly (`canonical`);
//! anything else goes through `Manifest::parse`, which decides what a
//! manifest is. The direct reading accepts only that exact layout (paths
//! without escapes, sizes without leading zeros, sorted paths), so it never
//! accepts what `Manifest::parse` refuses or reads a file otherwise.

use super::manifest::{head, ContentHash, Entry, Manifest, MANIFEST};
use std::ops::Range;
use std::sync::OnceLock;
use xxhash_rust::xxh3::xxh3_64;

/// The files of a manifest, sorted by path, each path once.
#[derive(Debug, Default)]
pub(super) struct Listing {
    /// Every path, end to end.
    paths: String,
    /// Each file's entry and where its path ends in `paths`.
    files: Vec<(usize, Entry)>,
    /// The files' positions by a hash of their paths (open addressing,
    /// `EMPTY` where none is), made when a file is first looked up: a
    /// build asks for every file of a spare.
    index: OnceLock<Vec<u32>>,
}

/// A free slot of the index.
const EMPTY: u32 = u32::MAX;

impl PartialEq for Listing {
    fn eq(&self, other: &Listing) -> bool {
        (&self.paths, &self.files) == (&other.paths, &other.files)
    }
}

impl Eq for Listing {}

impl Listing {
    /// Reads manifest text; `None` when it is not a manifest.
    pub(super) fn parse(text: &str) -> Option<Listing> {
        canonical(text).or_else(|| Manifest::parse(text, MANIFEST).ok().map(|m| Listing::of(&m)))
    }

    /// The files of `manifest`.
    pub(super) fn of(manifest: &Manifest) -> Listing {
        let mut listing = Listing::default();
        for (path, entry) in &manifest.files {
            listing.push(path, *entry);
        }
        listing
    }

    /// Adds a file after those already listed.
    fn push(&mut self, path: &str, entry: Entry) {
        self.paths.push_str(path);
        self.files.push((self.paths.len(), entry));
    }

    /// Number of files.
    pub(super) fn len(&self) -> usize {
        self.files.len()
    }

    /// The path and entry of the `i`th file in path order.
    pub(super) fn file(&self, i: usize) -> (&str, Entry) {
        let start = if i == 0 { 0 } else { self.files[i - 1].0 };
        let (end, entry) = self.files[i];
        (&self.paths[start..end], entry)
    }

    /// Every path with its entry, in path order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, Entry)> + '_ {
        (0..self.len()).map(|i| self.file(i))
    }

    /// The positions of the files whose paths start with `prefix`.
    fn starting_with(&self, prefix: &str) -> Range<usize> {
        let from = self.partition_point(|path| path < prefix);
        let to = from + self.partition_point_from(from, |path| path.starts_with(prefix));
        from..to
    }

    /// The first position from which `before` no longer holds.
    fn partition_point(&self, before: impl Fn(&str) -> bool) -> usize {
        self.partition_point_from(0, before)
    }

    /// As `partition_point`, counting from position `from`.
    fn partition_point_from(&self, from: usize, before: impl Fn(&str) -> bool) -> usize {
        let (mut low, mut high) = (from, self.len());
        while low < high {
            let mid = low + (high - low) / 2;
            if before(self.file(mid).0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        low - from
    }

    /// The entry listed for the file at `rel`.
    pub(super) fn get(&self, rel: &str) -> Option<Entry> {
        let index = self.index.get_or_init(|| self.make_index());
        let mask = index.len() - 1;
        let mut slot = xxh3_64(rel.as_bytes()) as usize & mask;
        loop {
            match index[slot] {
                EMPTY => return None,
                i => {
                    let (path, entry) = self.file(i as usize);
                    if path == rel {
                        return Some(entry);
                    }
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    /// The index `get` looks files up in: at least twice as many slots as
    /// files, so that a free one is always found.
    fn make_index(&self) -> Vec<u32> {
        let mut index = vec![EMPTY; (self.len() * 2).next_power_of_two().max(2)];
        let mask = index.len() - 1;
        for (i, (path, _)) in self.iter().enumerate() {
            let mut slot = xxh3_64(path.as_bytes()) as usize & mask;
            while index[slot] != EMPTY {
                slot = (slot + 1) & mask;
            }
            index[slot] = i as u32;
        }
        index
    }

    /// Whether `rel` is a file listed, or a folder files lie in.
    pub(super) fn lists(&self, rel: &str) -> bool {
        // By search, not by the index: `untouched` asks this of a few names
        // and looks no file up.
        let at = self.partition_point(|path| path < rel);
        (at < self.len() && self.file(at).0 == rel) || !self.starting_with(&format!("{rel}/")).is_empty()
    }

    /// Every folder the files lie in, without the top folder, each once.
    pub(super) fn folders(&self) -> Vec<&str> {
        // The paths under one folder come together: a folder is new unless
        // the path before lies in it too. No set is kept.
        let mut folders = Vec::new();
        let mut before = "";
        for (path, _) in self.iter() {
            let mut at = path.len();
            while let Some(slash) = path[..at].rfind('/') {
                if before.len() > slash && before.as_bytes()[slash] == b'/' && before.starts_with(&path[..slash]) {
                    break;
                }
                folders.push(&path[..slash]);
                at = slash;
            }
            before = path;
        }
        folders
    }
}

/// The listing of text exactly as `Manifest::to_json` writes it; `None`
/// for anything else.
fn canonical(text: &str) -> Option<Listing> {
    let mut rest = text.strip_prefix(head().as_str())?;
    // Made at its full size at once: a line is some 100 bytes.
    let mut listing = Listing {
        paths: String::with_capacity(rest.len()),
        files: Vec::with_capacity(rest.len() / 64),
        index: OnceLock::new(),
    };
    if let Some(end) = rest.strip_prefix("}}\n") {
        return end.is_empty().then_some(listing);
    }
    loop {
        let (path, entry, after) = line(rest)?;
        // Sorted, each path once, as written.
        let last = listing.len().checked_sub(1).map(|i| listing.file(i).0);
        if last.is_some_and(|last| last >= path) {
            return None;
        }
        listing.push(path, entry);
        if let Some(next) = after.strip_prefix(",\n") {
            rest = next;
        } else {
            return (after == "\n}}\n").then_some(listing);
        }
    }
}

/// One file's line, `"path":{"size":N,"hash":"HEX"}`, and the text after it.
fn line(text: &str) -> Option<(&str, Entry, &str)> {
    let text = text.strip_prefix('"')?;
    // A quote ends the path; an escape or a control character would have
    // been written escaped.
    let close = text.bytes().position(|b| b == b'"' || b == b'\\' || b < 0x20)?;
    let path = &text[..close];
    let text = text[close..].strip_prefix("\":{\"size\":")?;
    let digits = text.bytes().position(|b| !b.is_ascii_digit())?;
    let size = &text[..digits];
    if size.is_empty() || (size.len() > 1 && size.starts_with('0')) {
        return None;
    }
    let size: u64 = size.parse().ok()?;
    let text = text[digits..].strip_prefix(",\"hash\":\"")?;
    let mut hash = 0u128;
    for b in text.get(..32)?.bytes() {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            _ => return None,
        };
        hash = hash << 4 | u128::from(digit);
    }
    let hash = ContentHash(hash);
    let text = text[32..].strip_prefix("\"}")?;
    Some((path, Entry { size, hash }, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(paths: &[&str]) -> Manifest {
        Manifest::new(paths.iter().map(|p| (p.to_string(), Entry::of(p.as_bytes()))).collect())
    }

    #[test]
    fn written_manifests_are_read_directly_and_as_parsed() {
        for paths in [
            &[][..],
            &["index.html"][..],
            &["a/b/index.html", "a/c.html", "caf\u{e9}/index.html", "index.html", "z"][..],
        ] {
            let m = manifest(paths);
            let text = m.to_json();
            assert_eq!(canonical(&text), Some(Listing::of(&m)), "{text}");
        }
        // A path with a quote is written escaped: read through the parser.
        let m = manifest(&["a \"b\".css", "c\\d"]);
        let text = m.to_json();
        assert_eq!(canonical(&text), None);
        assert_eq!(Listing::parse(&text), Some(Listing::of(&m)));
    }

    #[test]
    fn the_direct_reading_never_accepts_what_the_parser_reads_otherwise() {
        let m = manifest(&["a/b/index.html", "a/c.html", "index.html"]);
        let text = m.to_json();
        let mut damaged = Vec::new();
        for at in 0..text.len() {
            damaged.push(format!("{}{}", &text[..at], &text[at + 1..]));
            for b in [b'0', b'1', b'a', b'"', b',', b'\n', b'/'] {
                let mut bytes = text.clone().into_bytes();
                bytes[at] = b;
                damaged.push(String::from_utf8(bytes).unwrap());
            }
        }
        for text in damaged {
            if let Some(direct) = canonical(&text) {
                let parsed = Manifest::parse(&text, MANIFEST).map(|m| Listing::of(&m));
                assert_eq!(parsed.as_ref(), Ok(&direct), "{text}");
            }
        }
    }

    #[test]
    fn files_and_folders_are_found() {
        // `a/b-c/...` and `a/b.html` sort between the files of `a/b`.
        let paths = [
            "a/b/x", "a/b-c/y", "a/b.html", "a/b/d/z", "a/b/z", "top", "e/f/g/h", "e/i",
        ];
        let listing = Listing::of(&manifest(&paths));
        let mut found = listing.folders();
        found.sort();
        assert_eq!(found, ["a", "a/b", "a/b-c", "a/b/d", "e", "e/f", "e/f/g"]);
        for path in paths {
            assert_eq!(listing.get(path), Some(Entry::of(path.as_bytes())));
        }
        assert_eq!(Listing::default().get("a"), None);
        assert!(listing.lists("a") && listing.lists("a/b") && listing.lists("a/b.html") && listing.lists("e/f/g"));
        assert!(!listing.lists("a/b/x/y") && !listing.lists("b") && !listing.lists("a/b/") && !listing.lists("to"));
        assert_eq!(listing.get("a/b"), None);
    }

    #[test]
    fn every_file_of_a_large_listing_is_found_and_no_other() {
        let paths: Vec<String> = (0..3000).map(|i| format!("d{}/f{i}.html", i % 17)).collect();
        let listing = Listing::of(&manifest(&paths.iter().map(String::as_str).collect::<Vec<_>>()));
        for path in &paths {
            assert_eq!(listing.get(path), Some(Entry::of(path.as_bytes())), "{path}");
            assert_eq!(listing.get(&format!("{path}x")), None);
        }
        assert_eq!(listing.get("d1"), None);
    }
}
