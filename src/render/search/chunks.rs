//! Cutting the encoded terms, in order, into the index's term chunks: the
//! one rule for where a chunk ends, used by a fresh assembly and by one
//! that cuts again only the chunks an edit touched; and reading a chunk
//! back into its terms, which is how a kept assembly finds a term's
//! postings as they were.

use std::borrow::Cow;
use std::sync::Arc;

/// Term chunks are cut once they pass this many bytes.
const CHUNK_BYTES: usize = 24 * 1024;

/// One term chunk: its first term and its JSON (`terms/N.json`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    /// The chunk's first term, as the manifest lists it.
    pub first: Box<str>,
    /// The chunk's file: `{"term":[...],...}` and a line end.
    pub json: Arc<str>,
}

impl Chunk {
    /// Each term of the chunk, in order, with its encoded postings
    /// (`"term":[...]`, as [`Chunker::push`] was given them); `None` for
    /// the rest when the text is not a chunk as this module writes it.
    pub(super) fn terms(&self) -> impl Iterator<Item = Option<(Cow<'_, str>, &str)>> + '_ {
        let json = &*self.json;
        let mut at = 1;
        let whole = json.starts_with('{') && json.ends_with("}\n");
        std::iter::from_fn(move || {
            if !whole || at >= json.len() - 2 {
                return None;
            }
            let Some(entry) = entry_at(json, at) else {
                at = json.len();
                return Some(None);
            };
            // Past the comma, or onto the closing brace's line end.
            at = entry.1 + 1;
            let term = term_of(&json[entry.0..entry.1]);
            Some(term.map(|term| (term, &json[entry.0..entry.1])))
        })
    }

    /// Whether the chunk is one this module writes, starting with `first`.
    pub(super) fn is_whole(&self) -> bool {
        matches!(self.terms().next(), Some(Some((term, _))) if *term == *self.first)
            && self.terms().all(|t| t.is_some())
    }
}

/// The start and end of the entry `"term":[...]` at `at` in `json`, if
/// one is there, followed by `,` and another entry or by the closing `}`.
fn entry_at(json: &str, at: usize) -> Option<(usize, usize)> {
    let bytes = json.as_bytes();
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    // The term's closing quote: the first quote not escaped.
    let mut i = at + 1;
    while *bytes.get(i)? != b'"' {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    if bytes.get(i + 1..i + 3) != Some(b":[") {
        return None;
    }
    let end = i + 4 + memchr::memchr(b']', &bytes[i + 3..])?;
    let last = json.len() - 2;
    (end == last || (bytes.get(end) == Some(&b',') && end + 1 < last)).then_some((at, end))
}

/// The term of the entry `"term":[...]`.
fn term_of(entry: &str) -> Option<Cow<'_, str>> {
    let quoted = &entry[..entry.find("\":[")? + 1];
    match quoted.contains('\\') {
        false => Some(Cow::Borrowed(&quoted[1..quoted.len() - 1])),
        true => serde_json::from_str::<String>(quoted).ok().map(Cow::Owned),
    }
}

/// Cuts terms, given in order, into chunks of about `CHUNK_BYTES`.
#[derive(Default)]
pub(super) struct Chunker {
    current: String,
    first: Box<str>,
    pub(super) chunks: Vec<Chunk>,
}

impl Chunker {
    /// Whether the next term starts a chunk.
    pub(super) fn at_cut(&self) -> bool {
        self.current.is_empty()
    }

    /// Adds the next term and its encoded postings.
    pub(super) fn push(&mut self, term: &str, text: &str) {
        if self.current.is_empty() {
            self.first = term.into();
            self.current.reserve(CHUNK_BYTES + 1024);
            self.current.push('{');
        } else {
            self.current.push(',');
        }
        self.current.push_str(text);
        if self.current.len() > CHUNK_BYTES {
            self.close();
        }
    }

    /// Closes the last chunk; returns the chunks.
    pub(super) fn finish(mut self) -> Vec<Chunk> {
        if !self.current.is_empty() {
            self.close();
        }
        self.chunks
    }

    fn close(&mut self) {
        self.current.push_str("}\n");
        let json: Arc<str> = std::mem::take(&mut self.current).into();
        let first = std::mem::take(&mut self.first);
        self.chunks.push(Chunk { first, json });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(json: &str, first: &str) -> Chunk {
        Chunk {
            first: first.into(),
            json: json.into(),
        }
    }

    #[test]
    fn a_chunk_reads_back_as_its_terms() {
        let mut chunker = Chunker::default();
        for (term, text) in [
            ("a", "\"a\":[0,1]"),
            ("b\"q", "\"b\\\"q\":[2,3,1,8]"),
            ("élan", "\"élan\":[4,1]"),
        ] {
            chunker.push(term, text);
        }
        let chunks = chunker.finish();
        let read: Vec<_> = chunks[0].terms().map(Option::unwrap).collect();
        assert_eq!(
            read,
            [
                (Cow::Borrowed("a"), "\"a\":[0,1]"),
                (Cow::Owned("b\"q".into()), "\"b\\\"q\":[2,3,1,8]"),
                (Cow::Borrowed("élan"), "\"élan\":[4,1]")
            ]
        );
        assert!(chunks[0].is_whole());
    }

    #[test]
    fn a_chunk_not_as_written_is_not_whole() {
        for json in [
            "{\"a\":[0,1]}",
            "{\"a\":[0,1],}\n",
            "{\"a\":[0,1]\n",
            "{\"a\"[0,1]}\n",
            "{\"a\":[0,1}\n",
            "{}\n",
        ] {
            assert!(!chunk(json, "a").is_whole(), "{json:?}");
        }
        assert!(!chunk("{\"a\":[0,1]}\n", "b").is_whole());
        assert!(chunk("{\"a\":[0,1],\"b\":[]}\n", "a").is_whole());
    }
}
