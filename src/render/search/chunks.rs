//! Cutting the encoded terms, in order, into the index's term chunks: the
//! one rule for where a chunk ends, used by a fresh assembly and by one
//! that cuts again only the chunks an edit touched.

use std::sync::Arc;

/// Term chunks are cut once they pass this many bytes.
const CHUNK_BYTES: usize = 24 * 1024;

/// One term chunk: its first term and its JSON (`terms/N.json`).
#[derive(Clone)]
pub(super) struct Chunk {
    pub(super) first: Box<str>,
    pub(super) json: Arc<str>,
}

/// A term's encoded postings, as a range of the chunk holding them (or of
/// their own text, before they are put in one).
#[derive(Clone)]
pub(super) struct Placed {
    chunk: Arc<str>,
    start: u32,
    end: u32,
}

impl Placed {
    /// Encoded postings not yet in a chunk.
    pub(super) fn own(text: String) -> Placed {
        let end = text.len() as u32;
        Placed {
            chunk: text.into(),
            start: 0,
            end,
        }
    }

    /// The encoded postings, `"term":[...]`.
    pub(super) fn text(&self) -> &str {
        &self.chunk[self.start as usize..self.end as usize]
    }
}

/// Cuts terms, given in order, into chunks of about `CHUNK_BYTES`.
#[derive(Default)]
pub(super) struct Chunker {
    current: String,
    first: Box<str>,
    /// Whether to note where each term went, in `placed`.
    place: bool,
    /// The current chunk's terms, with their ranges in it.
    open: Vec<(Box<str>, u32, u32)>,
    /// The terms of the closed chunks, with where each is.
    pub(super) placed: Vec<(Box<str>, Placed)>,
    pub(super) chunks: Vec<Chunk>,
}

impl Chunker {
    /// A chunker that notes in `placed` where each term went.
    pub(super) fn placing() -> Chunker {
        Chunker {
            place: true,
            ..Chunker::default()
        }
    }

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
        let start = self.current.len() as u32;
        self.current.push_str(text);
        if self.place {
            self.open.push((term.into(), start, self.current.len() as u32));
        }
        if self.current.len() > CHUNK_BYTES {
            self.close();
        }
    }

    /// Closes the last chunk; returns the chunks.
    pub(super) fn finish(mut self) -> Chunker {
        if !self.current.is_empty() {
            self.close();
        }
        self
    }

    fn close(&mut self) {
        self.current.push_str("}\n");
        let json: Arc<str> = std::mem::take(&mut self.current).into();
        for (term, start, end) in self.open.drain(..) {
            let chunk = Arc::clone(&json);
            self.placed.push((term, Placed { chunk, start, end }));
        }
        let first = std::mem::take(&mut self.first);
        self.chunks.push(Chunk { first, json });
    }
}
