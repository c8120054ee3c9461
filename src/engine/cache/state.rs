//! The state section: the engine's state but the HTML and the per-article
//! state (`shards`), which are in the pack. Its largest parts (the interned
//! texts, the answers of the Markdown's link lookups, related articles and
//! the index) change only when articles come, go or change their front
//! matter. Each is written as a run of bytes of its own, and a save after
//! a body edit writes again the bytes it read for those that did not
//! change, instead of encoding them again.

use super::super::graph::IndexKey;
use super::super::markdown::{Answers, KeptAnswers};
use super::super::pages::{Rest, RestRef};
use super::super::Engine;
use super::index::{self, KeptIndex, KeptIndexRef};
use super::pack::{Pack, Places};
use super::runs::Raw;
use super::search::{KeptSearch, KeptSearchRef};
use super::shards::decode;
use crate::content::StaticFiles;
use crate::graph::RecordHashes;
use serde::{Deserialize, Serialize, Serializer};
use std::ops::Range;
use std::sync::{Arc, LazyLock};

/// Related articles with the hash of what they were computed from.
type Related = Option<(u64, Vec<Vec<usize>>)>;

/// A part of the state as written: the bytes a build read, when the part
/// did not change since, or its value, encoded.
pub(super) enum Part<'a, T> {
    Read(&'a [u8]),
    Value(T),
}

impl<T: Serialize> Serialize for Part<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Part::Read(bytes) => Raw(bytes).serialize(s),
            Part::Value(value) => {
                let bytes = bincode::serde::encode_to_vec(value, bincode::config::standard())
                    .map_err(serde::ser::Error::custom)?;
                Raw(&bytes).serialize(s)
            }
        }
    }
}

/// The parts of the state a save writes again as read when they did not change.
#[derive(Serialize)]
pub(super) struct OwnParts<'a> {
    interner: Part<'a, &'a [Box<str>]>,
    answers: Part<'a, &'a Answers>,
    related: Part<'a, &'a Related>,
    index: Part<'a, Option<KeptIndexRef<'a>>>,
}

/// The state section, as written.
#[derive(Serialize)]
pub(super) struct StateRef<'a> {
    pub(super) own: OwnParts<'a>,
    /// The pack entry of each shard.
    pub(super) shards: Vec<u128>,
    pub(super) places: &'a Places,
    pub(super) statics: &'a [String],
    /// The static files the renderings saw.
    pub(super) link_statics: &'a StaticFiles,
    pub(super) search: Option<KeptSearchRef<'a>>,
    /// The pack entry of each part of the pages.
    pub(super) page_parts: Vec<u128>,
    pub(super) pages: RestRef<'a>,
    pub(super) shown: &'a RecordHashes,
}

/// The parts of `OwnParts`, as read: still bytes.
#[derive(Deserialize)]
struct OwnBytes<'a> {
    interner: &'a [u8],
    answers: &'a [u8],
    related: &'a [u8],
    index: &'a [u8],
}

/// The state section, as read.
#[derive(Deserialize)]
struct StateBytes<'a> {
    #[serde(borrow)]
    own: OwnBytes<'a>,
    shards: Vec<u128>,
    places: Places,
    statics: Vec<String>,
    link_statics: StaticFiles,
    search: Option<KeptSearch>,
    page_parts: Vec<u128>,
    pages: Rest,
    shown: RecordHashes,
}

/// The state section, decoded (but the answers, decoded when first
/// needed: `kept_answers`).
pub(super) struct State {
    pub(super) interner: Vec<Box<str>>,
    pub(super) related: Related,
    pub(super) index: Option<KeptIndex>,
    pub(super) shards: Vec<u128>,
    pub(super) places: Places,
    pub(super) statics: Vec<String>,
    pub(super) link_statics: StaticFiles,
    pub(super) search: Option<KeptSearch>,
    pub(super) page_parts: Vec<u128>,
    pub(super) pages: Rest,
    pub(super) shown: RecordHashes,
}

/// The state section a build read: its bytes, where each of its own
/// parts is in them, and what each was read as.
pub(super) struct ReadState {
    bytes: Arc<Vec<u8>>,
    interner: Range<usize>,
    /// How many texts were interned.
    texts: usize,
    answers: Range<usize>,
    related: Range<usize>,
    /// The hash related articles were computed from.
    related_of: Option<u64>,
    index: Range<usize>,
    index_key: Option<IndexKey>,
}

impl ReadState {
    /// Where the interned texts, the answers, related articles and the
    /// index are in the state's bytes.
    #[cfg(test)]
    pub(super) fn ranges(&self) -> [Range<usize>; 4] {
        [&self.interner, &self.answers, &self.related, &self.index].map(Range::clone)
    }
}

/// `bytes` decoded, with what a save needs to write its unchanged parts
/// again; none when they do not decode whole.
pub(super) fn read(bytes: Vec<u8>) -> Option<(State, ReadState)> {
    let read: StateBytes<'_> = decode(&bytes).ok()?;
    let own = &read.own;
    // Where a part borrowed from `bytes` is in them.
    let at = |part: &[u8]| {
        let start = (part.as_ptr() as usize).checked_sub(bytes.as_ptr() as usize)?;
        let range = start..start.checked_add(part.len())?;
        (range.end <= bytes.len()).then_some(range)
    };
    let state = State {
        interner: decode(own.interner).ok()?,
        related: decode(own.related).ok()?,
        index: decode(own.index).ok()?,
        shards: read.shards,
        places: read.places,
        statics: read.statics,
        link_statics: read.link_statics,
        search: read.search,
        page_parts: read.page_parts,
        pages: read.pages,
        shown: read.shown,
    };
    let ranges = (at(own.interner)?, at(own.answers)?, at(own.related)?, at(own.index)?);
    let kept = ReadState {
        interner: ranges.0,
        texts: state.interner.len(),
        answers: ranges.1,
        related: ranges.2,
        related_of: state.related.as_ref().map(|(key, _)| *key),
        index: ranges.3,
        index_key: state.index.as_ref().map(KeptIndex::key),
        bytes: Arc::new(bytes),
    };
    Some((state, kept))
}

/// The answers of the state `read`, decoded when first needed; when they
/// do not decode, `pack` notes the damage (`Engine::cache_damage`).
pub(super) fn kept_answers(read: &ReadState, pack: &Arc<Pack>) -> Box<dyn KeptAnswers> {
    Box::new(AnswersBytes {
        bytes: Arc::clone(&read.bytes),
        range: read.answers.clone(),
        pack: Arc::clone(pack),
    })
}

/// The answers' part of a state, as read.
struct AnswersBytes {
    bytes: Arc<Vec<u8>>,
    range: Range<usize>,
    pack: Arc<Pack>,
}

impl KeptAnswers for AnswersBytes {
    fn load(&self) -> Option<Answers> {
        let answers = decode(&self.bytes[self.range.clone()]).ok();
        if answers.is_none() {
            self.pack.note_damage("has link answers that do not decode");
        }
        answers
    }
}

/// The answers of a Markdown whose kept answers were lost: none, which
/// makes every lookup answer otherwise when they are next needed.
static NO_ANSWERS: LazyLock<Answers> = LazyLock::new(Answers::default);

/// The parts of `engine`'s state that a save writes again as `read` held
/// them when they did not change, encoded otherwise.
pub(super) fn own_parts<'a>(engine: &'a Engine, read: Option<&'a ReadState>) -> OwnParts<'a> {
    let bytes = |same: fn(&ReadState, &Engine) -> bool, range: fn(&ReadState) -> &Range<usize>| {
        read.filter(|r| same(r, engine)).map(|r| &r.bytes[range(r).clone()])
    };
    OwnParts {
        // Texts are only ever added: as many are the same ones.
        interner: part(
            bytes(|r, e| r.texts == e.interner.texts().len(), |r| &r.interner),
            || engine.interner.texts(),
        ),
        answers: part(bytes(|_, e| e.markdown.answers_as_read(), |r| &r.answers), || {
            engine.markdown.answers().unwrap_or(&NO_ANSWERS)
        }),
        // Related articles are computed again only when their hash changes,
        // and an index made again only when its key does.
        related: part(
            bytes(
                |r, e| r.related_of == e.related.as_ref().map(|(k, _)| *k),
                |r| &r.related,
            ),
            || &engine.related,
        ),
        index: part(
            bytes(
                |r, e| r.index_key.is_some() && r.index_key == e.index.as_ref().map(|(k, _)| *k),
                |r| &r.index,
            ),
            || index::keep(engine),
        ),
    }
}

/// The bytes read, or the value.
fn part<'a, T>(read: Option<&'a [u8]>, value: impl FnOnce() -> T) -> Part<'a, T> {
    match read {
        Some(bytes) => Part::Read(bytes),
        None => Part::Value(value()),
    }
}
