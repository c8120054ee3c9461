//! The page store in the cache: every page's output path, the records it
//! read and its entry, in `PARTS` pack entries by a hash of the page's key
//! (`PageStore::parts`), beside the rest in the index. A build notes the
//! parts whose pages it rendered or dropped, and a save encodes only
//! those: after one edit, a few of 43,000 pages, not all of them.

use super::super::pages::{PageStore, Part, Rest, RestRef, PARTS};
use super::pack::{Pack, Places};
use super::shards::{decode, decode_entries, Saved};
use rayon::prelude::*;

/// Every part of `store`: encoded when it changed since it was read
/// (from the entries `loaded`, at `places`), kept as it is otherwise; with
/// the rest of the store.
pub(super) fn save<'a>(
    store: &'a PageStore,
    loaded: Option<(&[u128], &Places)>,
) -> anyhow::Result<(Vec<Saved>, RestRef<'a>)> {
    let (parts, rest) = store.parts();
    let saved = parts
        .par_iter()
        .enumerate()
        .map(|(n, part)| {
            let kept = loaded.and_then(|(keys, places)| {
                let key = *keys.get(n)?;
                places.place(key).map(|place| (key, place))
            });
            Ok(match (part, kept) {
                (None, Some((key, place))) => Saved::kept(key, place),
                (None, None) => anyhow::bail!("a part of the pages kept with no entry to keep"),
                (Some(part), _) => Saved::encoded(bincode::serde::encode_to_vec(part, bincode::config::standard())?),
            })
        })
        .collect::<anyhow::Result<_>>()?;
    Ok((saved, rest))
}

/// The page store of the entries `keys` of `pack`, with `rest`; why not,
/// when one is missing, damaged or does not decode.
pub(super) fn read(pack: &Pack, places: &Places, keys: &[u128], rest: Rest) -> Result<PageStore, &'static str> {
    if keys.len() != PARTS {
        return Err("lists another number of parts of its pages");
    }
    let parts: Vec<Part> = decode_entries(pack, places, keys, |bytes| decode(bytes))?;
    PageStore::from_parts(parts, rest).ok_or("has a page in another part than its own")
}
