//! The build manifest: every file a build made, with its size and a hash of
//! its bytes, written at the top of the output. A deploy step compares the
//! manifest of what it last uploaded with the new one (`pressroom diff`) and
//! sends only what changed; the next build uses it to recognise files it
//! need not write again. docs/manifest.md describes the format, which is
//! versioned: a reader refuses a format it does not know.

use crate::diag::{Code, Diagnostic, Place};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::io::Write as _;
use std::path::Path;

/// The manifest's file name at the top of the output folder.
pub const MANIFEST: &str = ".pressroom-manifest.json";

/// The format this pressroom writes and reads.
pub(super) const FORMAT: u32 = 1;

/// The name of the hash function, as written in the manifest.
pub(super) const HASH_NAME: &str = "xxh3-128";

/// A 128-bit XXH3 hash of a file's bytes. Not a cryptographic hash: it
/// tells builds of one site apart, and whoever could forge a collision can
/// already write the site's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContentHash(pub u128);

impl ContentHash {
    /// The hash of `bytes`.
    pub fn of(bytes: &[u8]) -> ContentHash {
        ContentHash(xxhash_rust::xxh3::xxh3_128(bytes))
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

impl Serialize for ContentHash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ContentHash {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A visitor, so that the 43,000 hashes of a large site are read
        // where they lie, not copied into strings first.
        struct Hex;
        impl serde::de::Visitor<'_> for Hex {
            type Value = ContentHash;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a hash as 32 lowercase hexadecimal digits")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<ContentHash, E> {
                let valid = text.len() == 32 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
                match u128::from_str_radix(text, 16) {
                    Ok(n) if valid => Ok(ContentHash(n)),
                    _ => Err(E::custom(format!(
                        "hash `{text}` is not 32 lowercase hexadecimal digits"
                    ))),
                }
            }
        }
        d.deserialize_str(Hex)
    }
}

/// One file of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Length in bytes.
    pub size: u64,
    /// Hash of the bytes.
    pub hash: ContentHash,
}

impl Entry {
    /// The entry of a file holding `bytes`.
    pub fn of(bytes: &[u8]) -> Entry {
        Entry {
            size: bytes.len() as u64,
            hash: ContentHash::of(bytes),
        }
    }
}

/// Every file of one build, by its `/`-separated path in the output.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// The files, sorted by path.
    pub files: BTreeMap<String, Entry>,
}

impl Manifest {
    /// A manifest of `files`.
    pub fn new(files: BTreeMap<String, Entry>) -> Manifest {
        Manifest { files }
    }

    /// The manifest as written: the format and hash first, then one file
    /// per line, sorted by path, so two builds of the same site write the
    /// same bytes.
    pub fn to_json(&self) -> String {
        let files: Vec<(&str, Entry)> = self.files.iter().map(|(p, e)| (p.as_str(), *e)).collect();
        json_of(&files)
    }

    /// Parses manifest text; a problem is placed at its line and column
    /// in `shown`. A path given twice keeps its last entry.
    pub fn parse(text: &str, shown: &str) -> Result<Manifest, Diagnostic> {
        let files: Vec<(String, Entry)> = super::stored::read_files(text, shown)?;
        Ok(Manifest {
            files: files.into_iter().collect(),
        })
    }

    /// Reads the manifest at `path`, or in the output folder `path`.
    /// `arg` names the command-line argument for problems that have no
    /// line: a path that is missing, or a folder without a manifest.
    pub fn load(path: &Path, arg: &'static str) -> Result<Manifest, Diagnostic> {
        let file = if path.is_dir() {
            path.join(MANIFEST)
        } else {
            path.to_path_buf()
        };
        let missing = |message: String| {
            Diagnostic::new(
                crate::diag::Level::Error,
                Code::MissingManifest,
                Place::Flag(arg),
                message,
            )
        };
        let text = match std::fs::read(&file) {
            Ok(bytes) => bytes,
            Err(_) if !path.exists() => return Err(missing(format!("{} does not exist", path.display()))),
            Err(_) if path.is_dir() => {
                return Err(missing(format!(
                    "{} has no {MANIFEST}: it is not an output folder of `pressroom build`",
                    path.display()
                ))
                .with_suggestion("build into it with this pressroom, or name the manifest file"))
            }
            Err(e) => return Err(missing(format!("could not read {}: {e}", file.display()))),
        };
        let shown = file.display().to_string();
        let text = String::from_utf8(text).map_err(|e| {
            let (line, col) =
                crate::diag::line_col(&String::from_utf8_lossy(e.as_bytes()), e.utf8_error().valid_up_to());
            Diagnostic::error(
                Code::InvalidManifest,
                &shown,
                line,
                col,
                "not a pressroom manifest: not UTF-8",
            )
        })?;
        Manifest::parse(&text, &shown)
    }
}

/// What a manifest's text starts with, up to its first file's line.
fn head() -> String {
    format!("{{\"format\":{FORMAT},\"hash\":\"{HASH_NAME}\",\"files\":{{\n")
}

/// The text `Manifest::to_json` writes for `files`, which are sorted by
/// path, each once.
pub(super) fn json_of(files: &[(&str, Entry)]) -> String {
    String::from_utf8(json_parts(files).concat()).unwrap_or_default()
}

/// The text of `json_of` in parts, to be written one after the other (a
/// large site's manifest is not copied into one string first). The lines
/// of a large site are made in parallel.
pub(super) fn json_parts(files: &[(&str, Entry)]) -> Vec<Vec<u8>> {
    use rayon::prelude::*;
    debug_assert!(files.windows(2).all(|w| w[0].0 < w[1].0), "manifest files unsorted");
    let mut parts: Vec<Vec<u8>> = files
        .par_chunks(2048)
        .enumerate()
        .map(|(n, chunk)| {
            let mut text = Vec::with_capacity(chunk.len() * 128);
            if n == 0 {
                text.extend_from_slice(head().as_bytes());
            }
            for (i, (path, entry)) in chunk.iter().enumerate() {
                if n > 0 || i > 0 {
                    text.extend_from_slice(b",\n");
                }
                // Written straight into the text: nothing here can fail.
                let _ = serde_json::to_writer(&mut text, path);
                // As serde writes an `Entry`, without its machinery per file.
                let _ = write!(text, ":{{\"size\":{},\"hash\":\"{}\"}}", entry.size, entry.hash);
            }
            text
        })
        .collect();
    match parts.last_mut() {
        Some(last) => last.extend_from_slice(b"\n}}\n"),
        None => parts.push(format!("{}}}}}\n", head()).into_bytes()),
    }
    parts
}

/// How a path differs between two manifests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// Only in the new one.
    Added,
    /// In both, with other bytes.
    Changed,
    /// Only in the old one.
    Removed,
}

impl Change {
    /// The sign that starts its line in `pressroom diff`'s plain output.
    pub fn sign(self) -> char {
        match self {
            Change::Added => '+',
            Change::Changed => '~',
            Change::Removed => '-',
        }
    }
}

/// Every path that differs between `old` and `new`, sorted by path.
pub fn compare<'a>(old: &'a Manifest, new: &'a Manifest) -> Vec<(Change, &'a str)> {
    let mut changes: Vec<(Change, &str)> = Vec::new();
    for (path, entry) in &new.files {
        match old.files.get(path) {
            None => changes.push((Change::Added, path)),
            Some(before) if before != entry => changes.push((Change::Changed, path)),
            Some(_) => {}
        }
    }
    for path in old.files.keys().filter(|p| !new.files.contains_key(*p)) {
        changes.push((Change::Removed, path));
    }
    changes.sort_by(|a, b| a.1.cmp(b.1));
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(files: &[(&str, &[u8])]) -> Manifest {
        Manifest::new(files.iter().map(|(p, b)| (p.to_string(), Entry::of(b))).collect())
    }

    #[test]
    fn written_manifests_read_back() {
        let m = manifest(&[("index.html", b"<p>home</p>"), ("a \"b\".css", b"")]);
        let text = m.to_json();
        assert_eq!(Manifest::parse(&text, "m.json").unwrap(), m);
        let entry = Entry::of(b"");
        assert_eq!(
            text.lines().nth(1).unwrap(),
            format!(
                "{}:{},",
                serde_json::to_string("a \"b\".css").unwrap(),
                serde_json::to_string(&entry).unwrap()
            ),
            "an entry is written as serde writes it"
        );
        assert_eq!(text.lines().count(), 4, "one line per file:\n{text}");
        assert_eq!(
            Manifest::parse(&Manifest::default().to_json(), "m")
                .unwrap()
                .files
                .len(),
            0
        );
    }

    /// The lines of a large site are made in parts: joined, they read back
    /// as the manifest, one line per file, and the parts written one after
    /// the other are its text.
    #[test]
    fn a_large_manifest_made_in_parts_reads_back() {
        let m = Manifest::new(
            (0..5000)
                .map(|i| (format!("d{}/f{i}", i % 7), Entry::of(&[i as u8])))
                .collect(),
        );
        let text = m.to_json();
        assert_eq!(Manifest::parse(&text, "m.json").unwrap(), m);
        assert_eq!(text.lines().count(), 5002);
        let files: Vec<(&str, Entry)> = m.files.iter().map(|(p, e)| (p.as_str(), *e)).collect();
        let parts = json_parts(&files);
        assert!(parts.len() > 2, "{} parts", parts.len());
        assert_eq!(parts.concat(), text.as_bytes());
    }

    #[test]
    fn the_hash_is_xxh3_128_in_hex() {
        // The reference value of XXH3-128 for the empty input.
        assert_eq!(ContentHash::of(b"").to_string(), "99aa06d3014798d86001c324468d497f");
    }

    #[test]
    fn problems_are_placed_and_unknown_formats_refused() {
        let bad = [
            (
                "{\"format\":1,\"hash\":\"xxh3-128\",\"files\":{\n\"a\":{\"size\":1,\"hash\":\"zz\"}}}",
                2,
                "hash `zz`",
            ),
            (
                "{\"format\":2,\"hash\":\"xxh3-128\",\"files\":{}}",
                1,
                "manifest format 2",
            ),
            ("{\"format\":1,\"hash\":\"md5\",\"files\":{}}", 1, "hash function `md5`"),
            ("{\"format\":1,\n\"hash\":\"xxh3-128\",\n\"files\":{\"a\":", 3, "EOF"),
        ];
        for (text, line, needle) in bad {
            let d = Manifest::parse(text, "m.json").unwrap_err();
            assert_eq!(d.code, Code::InvalidManifest);
            assert!(matches!(d.place, Place::File { line: l, .. } if l == line), "{d}");
            assert!(d.message.contains(needle), "{d}");
        }
    }

    #[test]
    fn paths_leading_out_of_the_output_are_refused() {
        let entry = "{\"size\":1,\"hash\":\"00000000000000000000000000000001\"}";
        for path in ["../x", "/tmp/x", "a/../../x", "a//b", "./a", "a/.", ""] {
            let text = format!("{{\"format\":1,\"hash\":\"xxh3-128\",\"files\":{{\n\"{path}\":{entry}}}}}");
            let d = Manifest::parse(&text, "m.json").unwrap_err();
            assert_eq!(d.code, Code::InvalidManifest, "{path}");
            assert!(d.message.contains("not a path inside the output folder"), "{path}: {d}");
            assert!(matches!(d.place, Place::File { line: 2, .. }), "{path}: {d}");
            assert!(super::super::listing::Listing::parse(&text).is_none(), "{path}");
        }
        let fine = format!("{{\"format\":1,\"hash\":\"xxh3-128\",\"files\":{{\"a/..b/.c\":{entry}}}}}");
        assert!(
            Manifest::parse(&fine, "m.json").is_ok(),
            "dots inside a name are a name"
        );
    }

    /// `diff` prints one path a line: a line break in one would print as
    /// two, the second read as a path of its own.
    #[test]
    fn paths_with_control_characters_are_refused() {
        let entry = "{\"size\":1,\"hash\":\"00000000000000000000000000000001\"}";
        for path in [
            "a\\u0000b",
            "x\\n- index.html",
            "a\\tb",
            "a\\u001b[2Jb",
            "a\\u0085b",
            "a\\u2028b",
            "a\\u2029b",
        ] {
            let text = format!("{{\"format\":1,\"hash\":\"xxh3-128\",\"files\":{{\n\"{path}\":{entry}}}}}");
            let d = Manifest::parse(&text, "m.json").unwrap_err();
            assert!(d.message.contains("holds a control character"), "{path}: {d}");
            assert!(super::super::listing::Listing::parse(&text).is_none(), "{path}");
        }
    }

    #[test]
    fn compare_lists_each_path_once_sorted() {
        let old = manifest(&[("a", b"1"), ("b", b"2"), ("c", b"3")]);
        let new = manifest(&[("a", b"1"), ("b", b"two"), ("d", b"4")]);
        assert_eq!(
            compare(&old, &new),
            [(Change::Changed, "b"), (Change::Removed, "c"), (Change::Added, "d")]
        );
        assert!(compare(&new, &new).is_empty());
    }
}
