//! A manifest as a build reads it back: the previous output's, a spare's,
//! or the one a cached build checks the output against. A large site's
//! manifest lists some 43,000 files, and a build reads one or two of them
//! before it can keep a single file, so this form is made for that: the
//! paths end to end in one string, in order, with no allocation per file,
//! looked up through a table of positions hashed by path. The text is read
//! by `stored::read_files`, the one reader of a manifest, straight into
//! this form: no string or map node per file.

use super::manifest::{Entry, Manifest, MANIFEST};
use super::stored::{self, Files};
use hashbrown::HashTable;
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
    /// The files' positions by a hash of their paths, made when a file is
    /// first looked up: a build asks for every file of a spare.
    index: OnceLock<HashTable<u32>>,
}

impl PartialEq for Listing {
    fn eq(&self, other: &Listing) -> bool {
        (&self.paths, &self.files) == (&other.paths, &other.files)
    }
}

impl Eq for Listing {}

impl Files for Listing {
    fn with_room(len: usize) -> Self {
        // The paths are part of the text: room untouched costs no memory.
        Listing {
            paths: String::with_capacity(len),
            files: Vec::with_capacity(len / 48),
            index: OnceLock::new(),
        }
    }

    fn add(&mut self, path: &str, entry: Entry) {
        self.push(path, entry);
    }
}

impl Listing {
    /// Reads manifest text; `None` when it is not a manifest.
    pub(super) fn parse(text: &str) -> Option<Listing> {
        let listing: Listing = stored::read_files(text, MANIFEST).ok()?;
        // A build writes its files sorted, each once; text written otherwise
        // is read as a manifest reads it.
        let sorted = (1..listing.len()).all(|i| listing.file(i - 1).0 < listing.file(i).0);
        Some(if sorted {
            listing
        } else {
            Listing::of(&Manifest::new(
                listing.iter().map(|(path, entry)| (path.to_string(), entry)).collect(),
            ))
        })
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
    #[cfg(test)]
    pub(super) fn get(&self, rel: &str) -> Option<Entry> {
        self.find(rel).map(|(_, entry)| entry)
    }

    /// The position and entry of the file at `rel`.
    pub(super) fn find(&self, rel: &str) -> Option<(usize, Entry)> {
        let index = self.index.get_or_init(|| self.make_index());
        let at = *index.find(xxh3_64(rel.as_bytes()), |&i| self.file(i as usize).0 == rel)? as usize;
        Some((at, self.file(at).1))
    }

    /// The index `get` looks files up in.
    fn make_index(&self) -> HashTable<u32> {
        let mut index = HashTable::with_capacity(self.len());
        for (i, (path, _)) in self.iter().enumerate() {
            let hash = |&i: &u32| xxh3_64(self.file(i as usize).0.as_bytes());
            index.insert_unique(xxh3_64(path.as_bytes()), i as u32, hash);
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
    #[cfg(test)]
    pub(super) fn folders(&self) -> Vec<&str> {
        (0..self.len()).flat_map(|i| self.new_folders(i)).collect()
    }

    /// The folders the `i`th file lies in that hold no file before it, the
    /// deepest first: over every file, each folder once, where its files
    /// begin. (The paths under one folder come together: a folder is new
    /// unless the path before lies in it too. No set is kept.)
    pub(super) fn new_folders(&self, i: usize) -> impl Iterator<Item = &str> + '_ {
        let path = self.file(i).0;
        let before = if i == 0 { "" } else { self.file(i - 1).0 };
        let mut at = path.len();
        std::iter::from_fn(move || {
            let slash = path[..at].rfind('/')?;
            if before.len() > slash && before.as_bytes()[slash] == b'/' && before.starts_with(&path[..slash]) {
                return None;
            }
            at = slash;
            Some(&path[..slash])
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(paths: &[&str]) -> Manifest {
        Manifest::new(paths.iter().map(|p| (p.to_string(), Entry::of(p.as_bytes()))).collect())
    }

    #[test]
    fn written_manifests_read_back_as_listed() {
        for paths in [
            &[][..],
            &["index.html"][..],
            &["a/b/index.html", "a/c.html", "caf\u{e9}/index.html", "index.html", "z"][..],
            &["a \"b\".css", "c\\d"][..],
        ] {
            let m = manifest(paths);
            assert_eq!(Listing::parse(&m.to_json()), Some(Listing::of(&m)));
        }
        assert_eq!(Listing::parse("{"), None);
    }

    #[test]
    fn text_out_of_order_or_with_a_path_twice_reads_as_a_manifest() {
        let text = "{\"format\":1,\"hash\":\"xxh3-128\",\"files\":{\n\
                    \"b\":{\"size\":1,\"hash\":\"00000000000000000000000000000001\"},\n\
                    \"a\\u0041\":{\"size\":2,\"hash\":\"00000000000000000000000000000002\"},\n\
                    \"b\":{\"size\":3,\"hash\":\"00000000000000000000000000000003\"}}}";
        let manifest = Manifest::parse(text, MANIFEST).unwrap();
        assert_eq!(manifest.files.keys().collect::<Vec<_>>(), ["aA", "b"]);
        assert_eq!(manifest.files["b"].size, 3, "the last entry of a path given twice");
        let listing = Listing::parse(text).unwrap();
        assert_eq!(listing, Listing::of(&manifest));
        assert_eq!(listing.get("b"), Some(manifest.files["b"]));
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
