//! Each article's search doc as the cache stores it: its length and word
//! count beside the article's other state, and its terms apart, read only
//! when first asked for. The terms are more than half of the state's
//! shards, and a build after one edit reads those of the few docs it
//! changed (`SearchDoc::stored`), not every article's. Their ends and
//! weights are written as one run of little-endian bytes, which decodes as
//! one copy where numbers decode one at a time.

use super::pack::Pack;
use super::runs::{pairs, run, Raw};
use crate::render::search::{SearchDoc, TermsSource};
use serde::{Deserialize, Serialize, Serializer};
use std::sync::{Arc, OnceLock};

/// A search doc's terms, as written.
pub(super) struct DocRef<'a>(pub(super) &'a SearchDoc);

impl Serialize for DocRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (text, terms, _, _) = self.0.parts();
        let bytes = run(terms.iter().flat_map(|&(end, weight)| [end, weight]));
        (text, Raw(&bytes)).serialize(s)
    }
}

/// A search doc's terms, as read: borrowed from the bytes they are decoded from.
#[derive(Deserialize)]
pub(super) struct KeptDoc<'a>(&'a str, &'a [u8]);

impl KeptDoc<'_> {
    /// The doc of these terms with `length` and `words`; none when its
    /// terms do not fit its text (not this pressroom's encoding, though
    /// its checksum held).
    pub(super) fn doc(&self, length: u32, words: u32) -> Option<SearchDoc> {
        let KeptDoc(text, bytes) = *self;
        // Each term is two numbers: its end and its weight.
        let terms = pairs(bytes)?.collect();
        SearchDoc::from_parts(text.into(), terms, length, words)
    }
}

/// What a doc is without its terms: its article, the hash of what it was
/// made from, its length and its words.
pub(super) type DocHead = (crate::graph::ArticleId, u64, u32, u32);

/// The terms of one shard's docs, an entry of the pack: read, checked and
/// made when one of them is first asked for.
pub(super) struct ShardTerms {
    pack: Arc<Pack>,
    /// The entry and its place.
    key: u128,
    place: (u64, u32),
    /// The heads of its docs, in order.
    heads: Vec<(u32, u32)>,
    made: OnceLock<Option<Vec<SearchDoc>>>,
}

impl ShardTerms {
    /// The docs of `heads` (in order), their terms in the entry `key` at
    /// `place` in `pack`, read when first asked for.
    pub(super) fn docs(pack: &Arc<Pack>, key: u128, place: (u64, u32), heads: &[DocHead]) -> Vec<SearchDoc> {
        let shard = Arc::new(ShardTerms {
            pack: Arc::clone(pack),
            key,
            place,
            heads: heads.iter().map(|&(_, _, length, words)| (length, words)).collect(),
            made: OnceLock::new(),
        });
        let source = |at| Arc::new(DocTerms(Arc::clone(&shard), at));
        heads
            .iter()
            .enumerate()
            .map(|(at, &(_, _, length, words))| SearchDoc::stored(length, words, source(at)))
            .collect()
    }

    /// Every doc of the shard, read from the pack; none (noted as damage)
    /// when the entry is not whole or its terms do not decode.
    fn read(&self) -> Option<Vec<SearchDoc>> {
        let docs = self.pack.read_bytes(self.key, self.place).and_then(|bytes| {
            let kept: Vec<KeptDoc<'_>> = super::shards::decode(&bytes).ok()?;
            (kept.len() == self.heads.len()).then_some(())?;
            let docs = kept.iter().zip(&self.heads);
            docs.map(|(doc, &(length, words))| doc.doc(length, words)).collect()
        });
        if docs.is_none() {
            self.pack
                .note_damage("has search terms in its pack that do not match their checksum or do not decode");
        }
        docs
    }
}

/// One doc's terms: the `at`th of a shard's.
struct DocTerms(Arc<ShardTerms>, usize);

impl TermsSource for DocTerms {
    fn load(&self) -> Option<SearchDoc> {
        let DocTerms(shard, at) = self;
        shard.made.get_or_init(|| shard.read()).as_ref()?.get(*at).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::SearchInput;

    fn encoded(doc: &SearchDoc) -> Vec<u8> {
        bincode::serde::encode_to_vec(DocRef(doc), bincode::config::standard()).unwrap()
    }

    fn decoded(bytes: &[u8], like: &SearchDoc) -> Option<SearchDoc> {
        let kept = super::super::shards::decode::<KeptDoc<'_>>(bytes).ok()?;
        kept.doc(like.length() as u32, like.words() as u32)
    }

    #[test]
    fn a_doc_comes_back_as_it_was() {
        let doc = SearchDoc::extract(SearchInput {
            title: "Tariffs, twice",
            summary: "Über die Zölle: a summary",
            html: "<p>Tariff schedules change; tariffs <em>stay</em>. Ünïcode 2024.</p>",
        });
        assert!(doc.terms().count() > 5);
        assert_eq!(decoded(&encoded(&doc), &doc).as_ref(), Some(&doc));
        let empty = SearchDoc::default();
        assert_eq!(decoded(&encoded(&empty), &empty).as_ref(), Some(&empty));
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
            assert!(decoded(&bad, &doc).is_none(), "{why}");
        }
        let mut cut = good.clone();
        cut[1 + text_len] -= 1;
        cut.remove(first + 1);
        assert!(decoded(&cut, &doc).is_none(), "a run not of whole pairs");
    }
}
