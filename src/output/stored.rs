//! Reading a manifest's text (the format is in docs/manifest.md): the one
//! reader, for `pressroom diff` and for the builds that read the previous
//! output's manifest before they can keep a single file. A large site's
//! manifest lists some 43,000 files, so they are handed one by one, each
//! path where it lies in the text when it holds no escape, to whatever
//! holds them (`Files`): a map for `diff`, the paths end to end for a build.

use super::manifest::{Entry, FORMAT, HASH_NAME};
use crate::diag::{Code, Diagnostic};
use serde::de::{DeserializeSeed, Error as _, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;
use std::marker::PhantomData;

/// What a manifest's files are read into, one by one in the order written.
pub(super) trait Files {
    /// Empty, with room for the files of manifest text `len` bytes long
    /// (each file's line is longer than the 48 bytes of its entry), so
    /// that the files of a large site are not copied as they come.
    fn with_room(len: usize) -> Self;

    /// Takes the next file.
    fn add(&mut self, path: &str, entry: Entry);
}

/// The files in the order written: a manifest is built from them at once.
/// They are written sorted, so this costs one pass where inserting each
/// would compare every path with a dozen others.
impl Files for Vec<(String, Entry)> {
    fn with_room(len: usize) -> Self {
        Vec::with_capacity(len / 48)
    }

    fn add(&mut self, path: &str, entry: Entry) {
        self.push((path.to_string(), entry));
    }
}

/// Reads the files of manifest text into `F`, its format and hash function
/// checked; a problem is placed at its line and column in `shown`.
pub(super) fn read_files<F: Files>(text: &str, shown: &str) -> Result<F, Diagnostic> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let files = Stored::<F>(text.len(), PhantomData)
        .deserialize(&mut reader)
        .and_then(|files| reader.end().map(|()| files));
    files.map_err(|e| {
        let message = e.to_string();
        // serde_json ends its messages with " at line L column C".
        let message = message.split(" at line ").next().unwrap_or(&message);
        Diagnostic::error(
            Code::InvalidManifest,
            shown,
            e.line(),
            e.column(),
            format!("not a pressroom manifest: {message}"),
        )
        .with_suggestion("build the site again to write a new one")
    })
}

/// The manifest as stored, read into `F` made with room for text of the
/// given length.
struct Stored<F>(usize, PhantomData<F>);

impl<'de, F: Files> DeserializeSeed<'de> for Stored<F> {
    type Value = F;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<F, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, F: Files> Visitor<'de> for Stored<F> {
    type Value = F;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a pressroom manifest")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<F, A::Error> {
        let (mut format, mut hash, mut files) = (false, false, None);
        while let Some(Text(key)) = map.next_key()? {
            match &*key {
                "format" => format = known_format(map.next_value()?).map_err(A::Error::custom)?,
                "hash" => hash = known_hash(map.next_value()?).map_err(A::Error::custom)?,
                "files" => files = Some(map.next_value_seed(Listed::<F>(self.0, PhantomData))?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        match (format, hash, files) {
            (false, _, _) => Err(A::Error::missing_field("format")),
            (_, false, _) => Err(A::Error::missing_field("hash")),
            (_, _, None) => Err(A::Error::missing_field("files")),
            (_, _, Some(files)) => Ok(files),
        }
    }
}

/// The map of files, read into `F`.
struct Listed<F>(usize, PhantomData<F>);

impl<'de, F: Files> DeserializeSeed<'de> for Listed<F> {
    type Value = F;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<F, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, F: Files> Visitor<'de> for Listed<F> {
    type Value = F;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of paths to files")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<F, A::Error> {
        let mut files = F::with_room(self.0);
        while let Some(Text(path)) = map.next_key()? {
            // No build writes one (`diag::unfit_for_output`), and `diff`
            // would print it as two lines.
            if crate::diag::unfit_for_output(&path) {
                return Err(A::Error::custom(format!(
                    "`{path}` holds a control character or line separator, which no path of the output may"
                )));
            }
            if !inside_the_output(&path) {
                return Err(A::Error::custom(format!(
                    "`{path}` is not a path inside the output folder"
                )));
            }
            files.add(&path, map.next_value()?);
        }
        Ok(files)
    }
}

/// Whether a listed path names a file inside the output folder: relative,
/// with no empty, `.` or `..` part (a NUL is refused before). Builds remove
/// and link files by these paths, so a manifest edited to list `../x` or
/// `/x` is refused as a whole rather than followed out of the folder.
pub(crate) fn inside_the_output(path: &str) -> bool {
    path.split('/')
        .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// Whether the manifest's format is the one this pressroom reads.
fn known_format(format: u32) -> Result<bool, String> {
    if format != FORMAT {
        return Err(format!(
            "manifest format {format} is not known to this pressroom, which reads format {FORMAT}; \
             use the pressroom that wrote it"
        ));
    }
    Ok(true)
}

/// Whether the manifest's hash function is the one this pressroom uses.
fn known_hash(Text(name): Text<'_>) -> Result<bool, String> {
    if name != HASH_NAME {
        return Err(format!(
            "hash function `{name}` is not known; this pressroom uses `{HASH_NAME}`"
        ));
    }
    Ok(true)
}

/// A string as the text holds it: borrowed when it has no escape.
struct Text<'de>(std::borrow::Cow<'de, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> Visitor<'de> for Visit {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, text: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(text.into()))
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Text<'de>, E> {
                Ok(Text(text.to_string().into()))
            }
        }
        d.deserialize_str(Visit)
    }
}
