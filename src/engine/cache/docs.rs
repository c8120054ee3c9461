//! Each article's search doc as the cache stores it: its terms' ends and
//! weights as one run of little-endian bytes, not as numbers one by one.
//! They are more than half of the state's shards, and a run of bytes
//! decodes as one copy where numbers decode one at a time.

use crate::render::search::SearchDoc;
use serde::{Deserialize, Serialize, Serializer};
use std::sync::Arc;

/// A search doc, as written.
pub(super) struct DocRef<'a>(pub(super) &'a SearchDoc);

impl Serialize for DocRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (text, terms, length, words) = self.0.parts();
        let mut bytes = Vec::with_capacity(terms.len() * 8);
        for (end, weight) in terms {
            bytes.extend_from_slice(&end.to_le_bytes());
            bytes.extend_from_slice(&weight.to_le_bytes());
        }
        (text, Raw(&bytes), length, words).serialize(s)
    }
}

/// Bytes written as one run (serde writes a slice number by number).
struct Raw<'a>(&'a [u8]);

impl Serialize for Raw<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

/// A search doc, as read: borrowed from the bytes it is decoded from.
#[derive(Deserialize)]
pub(super) struct KeptDoc<'a>(&'a str, &'a [u8], u32, u32);

impl KeptDoc<'_> {
    /// The doc; none when its terms do not fit its text (not this
    /// pressroom's encoding, though its checksum held).
    pub(super) fn doc(&self) -> Option<Arc<SearchDoc>> {
        let KeptDoc(text, bytes, length, words) = *self;
        if bytes.len() % 8 != 0 {
            return None;
        }
        let number = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let terms = bytes.chunks_exact(8).map(|b| (number(b), number(&b[4..]))).collect();
        SearchDoc::from_parts(text.into(), terms, length, words).map(Arc::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::SearchInput;

    fn encoded(doc: &SearchDoc) -> Vec<u8> {
        bincode::serde::encode_to_vec(DocRef(doc), bincode::config::standard()).unwrap()
    }

    fn decoded(bytes: &[u8]) -> Option<Arc<SearchDoc>> {
        super::super::shards::decode::<KeptDoc<'_>>(bytes).ok()?.doc()
    }

    #[test]
    fn a_doc_comes_back_as_it_was() {
        let doc = SearchDoc::extract(SearchInput {
            title: "Tariffs, twice",
            summary: "Über die Zölle: a summary",
            html: "<p>Tariff schedules change; tariffs <em>stay</em>. Ünïcode 2024.</p>",
        });
        assert!(doc.terms().count() > 5);
        assert_eq!(decoded(&encoded(&doc)).as_deref(), Some(&doc));
        let empty = SearchDoc::default();
        assert_eq!(decoded(&encoded(&empty)).as_deref(), Some(&empty));
    }

    // A doc whose terms do not fit its text would panic when its terms
    // are read: one that decodes so is refused instead.
    #[test]
    fn terms_that_do_not_fit_the_text_are_refused() {
        let doc = SearchDoc::extract(SearchInput {
            title: "Übersicht",
            summary: "",
            html: "<p>zölle and more</p>",
        });
        let good = encoded(&doc);
        let text_len = doc.parts().0.len();
        assert!(text_len < 128, "one byte for its length");
        // The first term's end is the first of the numbers, after the text
        // (its length, then its bytes) and the run's length.
        let first = 1 + text_len + 1;
        let (text, _, _, _) = doc.parts();
        let inside = text.char_indices().find(|(_, c)| c.len_utf8() > 1).unwrap().0 + 1;
        for (end, why) in [(inside as u32, "inside a character"), (999, "past the text")] {
            let mut bad = good.clone();
            bad[first..first + 4].copy_from_slice(&end.to_le_bytes());
            assert!(decoded(&bad).is_none(), "{why}");
        }
        let mut cut = good.clone();
        cut[1 + text_len] -= 1;
        cut.remove(first + 1);
        assert!(decoded(&cut).is_none(), "a run not of whole pairs");
    }
}
