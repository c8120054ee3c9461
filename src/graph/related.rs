//! Related articles without comparing every pair.
//!
//! The order is: most shared topics, then most shared authors, then nearest
//! in date (then newest). An index maps each combination of up to four
//! topics and up to three authors (a "key") to the articles having all of
//! them, sorted by date. For an article, the list of every key it can form
//! is walked outward from the article's own position, keeping the nearest
//! few candidates whose shared topics and authors are exactly that key. Any
//! article of the true top five shares exactly some key with it and is
//! among the nearest five of that key's list (or five others beat it), so
//! the best five of the pool are exactly the best five overall. The work
//! depends on the keys and the few steps walked, not on the number of
//! articles, and no author's or topic's whole list is ever scanned.

use super::ids::PassThrough;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

/// Most related articles shown per article.
pub const RELATED_MAX: usize = 5;
const MAX_TOPICS: usize = 4;
const MAX_AUTHORS: usize = 3;
const KEY_LEN: usize = MAX_TOPICS + MAX_AUTHORS;
const NONE: u32 = u32::MAX;

/// What the computation needs to know about each article, indexed by id
/// (ids are in newest-first order).
pub struct RelatedInput<'a> {
    /// Sorted topic ids of each article.
    pub topics: &'a [Vec<u32>],
    /// Sorted author ids of each article.
    pub authors: &'a [Vec<u32>],
    /// Day number of each article's date.
    pub days: &'a [i64],
}

/// Up to four topic ids, then up to three author ids, padded with `NONE`.
type Key = [u32; KEY_LEN];

/// Lists of articles by key hash, stored end to end; only hashes shared by
/// two or more articles are kept. Two keys with one hash merely share a
/// list: candidates are filtered by their exact shared counts, so a foreign
/// candidate that passes is a genuine candidate of the same rank class.
struct KeyIndex {
    ranges: HashMap<u64, (u32, u32), BuildHasherDefault<PassThrough>>,
    ids: Vec<u32>,
}

impl KeyIndex {
    fn list(&self, key: &Key) -> Option<&[u32]> {
        self.ranges
            .get(&hash_key(key))
            .map(|&(start, end)| &self.ids[start as usize..end as usize])
    }
}

/// A 64-bit mix of a key (multiply-rotate, as in FxHash).
fn hash_key(key: &Key) -> u64 {
    key.iter().fold(0u64, |h, &x| {
        (h.rotate_left(5) ^ u64::from(x)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
    })
}

/// The related articles of every article, best first.
pub fn compute_related(input: &RelatedInput<'_>) -> Vec<Vec<usize>> {
    let index = build_index(input);
    (0..input.topics.len())
        .into_par_iter()
        .map(|a| related_for(a, input, &index))
        .collect()
}

fn build_index(input: &RelatedInput<'_>) -> KeyIndex {
    let mut entries: Vec<(u64, u32)> = (0..input.topics.len())
        .into_par_iter()
        .flat_map_iter(|id| {
            let mut keys = Vec::new();
            for_each_key(&input.topics[id], &input.authors[id], |key| {
                keys.push((hash_key(&key), id as u32))
            });
            keys
        })
        .collect();
    entries.par_sort_unstable();
    let mut ranges = HashMap::default();
    let mut ids = Vec::new();
    for run in entries.chunk_by(|a, b| a.0 == b.0) {
        if run.len() > 1 {
            let start = ids.len() as u32;
            ids.extend(run.iter().map(|(_, id)| *id));
            ranges.insert(run[0].0, (start, ids.len() as u32));
        }
    }
    KeyIndex { ranges, ids }
}

/// Every non-empty subset of `items` with at most `max` elements, as lists.
fn subsets(items: &[u32], max: usize) -> Vec<Vec<u32>> {
    let mut out = vec![Vec::new()];
    for &item in items {
        let longer: Vec<Vec<u32>> = out
            .iter()
            .filter(|s| s.len() < max)
            .map(|s| [s.as_slice(), &[item]].concat())
            .collect();
        out.extend(longer);
    }
    out
}

/// Calls `f` with every key an article with these topics and authors forms.
fn for_each_key(topics: &[u32], authors: &[u32], mut f: impl FnMut(Key)) {
    let topic_sets = subsets(topics, MAX_TOPICS);
    let author_sets = subsets(authors, MAX_AUTHORS);
    for t in &topic_sets {
        for a in &author_sets {
            if t.is_empty() && a.is_empty() {
                continue;
            }
            let mut key = [NONE; KEY_LEN];
            key[..t.len()].copy_from_slice(t);
            key[MAX_TOPICS..MAX_TOPICS + a.len()].copy_from_slice(a);
            f(key);
        }
    }
}

fn shared(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// (shared topics, shared authors, distance in days, id): smaller is better
/// once the first two are negated.
type Score = (std::cmp::Reverse<usize>, std::cmp::Reverse<usize>, i64, u32);

fn score(input: &RelatedInput<'_>, a: usize, b: u32) -> Score {
    let b_us = b as usize;
    (
        std::cmp::Reverse(shared(&input.topics[a], &input.topics[b_us])),
        std::cmp::Reverse(shared(&input.authors[a], &input.authors[b_us])),
        (input.days[a] - input.days[b_us]).abs(),
        b,
    )
}

/// Does a candidate share exactly the key's topics and authors (counting
/// "at least the cap" as exact at the cap)?
fn matches_key(s: &Score, topics: usize, authors: usize) -> bool {
    let exact = |shared: usize, size: usize, cap: usize| shared == size || (size == cap && shared >= cap);
    exact(s.0 .0, topics, MAX_TOPICS) && exact(s.1 .0, authors, MAX_AUTHORS)
}

fn related_for(a: usize, input: &RelatedInput<'_>, index: &KeyIndex) -> Vec<usize> {
    // Keys from the best rank class down (more shared topics, then more
    // shared authors): once five candidates beat a key's class outright,
    // neither it nor any later key can change the top five.
    let mut keys: Vec<(Key, usize, usize)> = Vec::new();
    for_each_key(&input.topics[a], &input.authors[a], |key| {
        let topics = key[..MAX_TOPICS].iter().filter(|&&t| t != NONE).count();
        let authors = key[MAX_TOPICS..].iter().filter(|&&t| t != NONE).count();
        keys.push((key, topics, authors));
    });
    keys.sort_by_key(|k| std::cmp::Reverse((k.1, k.2)));
    // Beyond the caps, candidates of one key may share different counts.
    let exact = input.topics[a].len() <= MAX_TOPICS && input.authors[a].len() <= MAX_AUTHORS;
    // Beyond the caps one candidate can match several keys: the pool holds
    // each once, or five copies of one article would end the search.
    let mut pool: Vec<Score> = Vec::new();
    let mut pooled: HashSet<u32> = HashSet::new();
    for (key, topics, authors) in keys {
        let better = pool.iter().filter(|s| (s.0 .0, s.1 .0) > (topics, authors)).count();
        if better >= RELATED_MAX {
            break;
        }
        let Some(list) = index.list(&key) else { continue };
        let Ok(pos) = list.binary_search(&(a as u32)) else {
            continue;
        };
        walk_nearest(input, a, (list, pos), exact, |s| {
            let keep = matches_key(&s, topics, authors);
            if keep && pooled.insert(s.3) {
                pool.push(s);
            }
            keep
        });
    }
    pool.sort_unstable();
    best_ids(pool)
}

/// Visits `list` outward from `pos` one distance in days at a time, nearest
/// first; within a distance, newer before older and then by id, which is
/// the order of `Score` among candidates of one key. Stops once `take` has
/// accepted `RELATED_MAX` candidates: at once when `exact` (the key's
/// candidates all share the same counts, so the visiting order is their
/// rank), else at the end of that distance.
///
/// The list runs newest first, so each distance is at most two contiguous
/// runs, found by binary search: many articles on one date cost a search,
/// not a walk through all of them.
fn walk_nearest(
    input: &RelatedInput<'_>,
    a: usize,
    (list, pos): (&[u32], usize),
    exact: bool,
    mut take: impl FnMut(Score) -> bool,
) {
    let day = |b: u32| input.days[b as usize];
    let here = input.days[a];
    let (mut left, mut right) = (pos, pos + 1);
    let mut accepted = 0;
    while accepted < RELATED_MAX {
        let newer = (left > 0).then(|| day(list[left - 1]) - here);
        let older = (right < list.len()).then(|| here - day(list[right]));
        let Some(d) = newer.into_iter().chain(older).min() else {
            return;
        };
        let mut run = Vec::new();
        if newer == Some(d) {
            let start = list[..left].partition_point(|&b| day(b) > here + d);
            run.push(start..left);
            left = start;
        }
        if older == Some(d) {
            let end = right + list[right..].partition_point(|&b| day(b) >= here - d);
            run.push(right..end);
            right = end;
        }
        for &b in run.into_iter().flat_map(|r| &list[r]) {
            if take(score(input, a, b)) {
                accepted += 1;
                if exact && accepted >= RELATED_MAX {
                    return;
                }
            }
        }
    }
}

/// The ids of the best few of a sorted, deduplicated pool, in a new
/// allocation: collecting from the pool's own iterator would reuse (and
/// keep) the whole pool's memory for five ids.
fn best_ids(pool: Vec<Score>) -> Vec<usize> {
    pool.iter().take(RELATED_MAX).map(|s| s.3 as usize).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, by brute force over all pairs, to check the index against.
    fn brute_force(input: &RelatedInput<'_>) -> Vec<Vec<usize>> {
        (0..input.topics.len())
            .map(|a| {
                let mut all: Vec<Score> = (0..input.topics.len() as u32)
                    .filter(|&b| b as usize != a)
                    .map(|b| {
                        (
                            std::cmp::Reverse(shared(&input.topics[a], &input.topics[b as usize])),
                            std::cmp::Reverse(shared(&input.authors[a], &input.authors[b as usize])),
                            (input.days[a] - input.days[b as usize]).abs(),
                            b,
                        )
                    })
                    .filter(|s| s.0 .0 > 0 || s.1 .0 > 0)
                    .collect();
                all.sort_unstable();
                all.into_iter().take(RELATED_MAX).map(|s| s.3 as usize).collect()
            })
            .collect()
    }

    #[test]
    fn index_matches_brute_force_on_a_pseudo_random_archive() {
        let n = 600;
        let mut seed = 12345u64;
        let mut next = |m: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        let mut topics = Vec::new();
        let mut authors = Vec::new();
        let mut days = Vec::new();
        let mut day = 20_000i64;
        for _ in 0..n {
            let mut ts: Vec<u32> = (0..1 + next(4)).map(|_| next(9) as u32).collect();
            ts.sort_unstable();
            ts.dedup();
            // Skewed like real bylines: author 0 writes a large share.
            let mut aus: Vec<u32> = (0..1 + next(3))
                .map(|_| if next(3) == 0 { 0 } else { next(15) as u32 })
                .collect();
            aus.sort_unstable();
            aus.dedup();
            topics.push(ts);
            authors.push(aus);
            day -= next(3) as i64;
            days.push(day);
        }
        let input = RelatedInput {
            topics: &topics,
            authors: &authors,
            days: &days,
        };
        assert_eq!(compute_related(&input), brute_force(&input));
    }

    #[test]
    fn many_articles_on_one_date_match_brute_force() {
        // Imports give every article one fallback author and few dates:
        // ties in date are broken by id, the newest first.
        let mut a = Archive {
            topics: Vec::new(),
            authors: Vec::new(),
            days: Vec::new(),
        };
        for i in 0..400u32 {
            // Some articles have more topics than the index combines.
            a.topics.push(match i % 7 {
                0 => vec![],
                1 => vec![0, 1, 2, 3, 4, 5],
                k => vec![k % 3, 3 + k % 2],
            });
            a.authors.push(if i % 11 == 0 { vec![0, 1 + i % 4] } else { vec![0] });
            a.days.push(20_000 - i64::from(i / 150));
        }
        assert_eq!(compute_related(&input_of(&a)), brute_force(&input_of(&a)));
    }

    #[test]
    fn related_lists_do_not_keep_the_candidate_pool() {
        // Collecting five ids from the pool's own iterator kept the pool's
        // whole allocation alive per article: quadratic memory in total.
        let n = 2_000;
        let a = Archive {
            topics: vec![Vec::new(); n],
            authors: vec![vec![0u32]; n],
            days: vec![20_000i64; n],
        };
        let related = compute_related(&input_of(&a));
        assert_eq!(related[7], vec![0, 1, 2, 3, 4]);
        assert!(related.iter().all(|r| r.capacity() <= RELATED_MAX));
    }

    /// Topics, authors and days of each article of a pseudo-random archive.
    struct Archive {
        topics: Vec<Vec<u32>>,
        authors: Vec<Vec<u32>>,
        days: Vec<i64>,
    }

    fn input_of(a: &Archive) -> RelatedInput<'_> {
        RelatedInput {
            topics: &a.topics,
            authors: &a.authors,
            days: &a.days,
        }
    }
}
