//! Related articles without comparing every pair.
//!
//! The order is: most shared topics, then most shared authors, then nearest
//! in date (then newest). Candidates sharing an author come from the
//! authors' article lists. Candidates sharing no author are found through an
//! index from each set of up to four topics to the articles having all of
//! them, sorted by date: for an article, each subset's list is walked outward
//! from the article's own position, keeping the nearest few that share
//! exactly that subset. The best five of that pool are exactly the best five
//! overall (for up to four shared topics), at a cost that depends on the
//! size of lists walked, not on the number of articles.

use std::collections::HashMap;

/// Most related articles shown per article.
pub const RELATED_MAX: usize = 5;
const MAX_SUBSET: usize = 4;

/// What the computation needs to know about each article, indexed by id
/// (ids are in newest-first order).
pub struct RelatedInput<'a> {
    /// Sorted topic ids of each article.
    pub topics: &'a [Vec<u32>],
    /// Sorted author ids of each article.
    pub authors: &'a [Vec<u32>],
    /// Articles of each author, ascending ids.
    pub author_articles: &'a [Vec<u32>],
    /// Day number of each article's date.
    pub days: &'a [i64],
}

type SubsetKey = [u32; MAX_SUBSET];

/// The related articles of every article, best first.
pub fn compute_related(input: &RelatedInput<'_>) -> Vec<Vec<usize>> {
    use rayon::prelude::*;
    let index = subset_index(input.topics);
    (0..input.topics.len())
        .into_par_iter()
        .map(|a| related_for(a, input, &index))
        .collect()
}

fn subset_index(topics: &[Vec<u32>]) -> HashMap<SubsetKey, Vec<u32>> {
    let mut index: HashMap<SubsetKey, Vec<u32>> = HashMap::new();
    for (id, ts) in topics.iter().enumerate() {
        for_each_subset(ts, |key| index.entry(key).or_default().push(id as u32));
    }
    index
}

/// Calls `f` with every non-empty subset of `items` of at most four elements.
fn for_each_subset(items: &[u32], mut f: impl FnMut(SubsetKey)) {
    fn go(items: &[u32], start: usize, current: &mut Vec<u32>, f: &mut dyn FnMut(SubsetKey)) {
        for i in start..items.len() {
            current.push(items[i]);
            let mut key = [u32::MAX; MAX_SUBSET];
            key[..current.len()].copy_from_slice(current);
            f(key);
            if current.len() < MAX_SUBSET {
                go(items, i + 1, current, f);
            }
            current.pop();
        }
    }
    go(items, 0, &mut Vec::with_capacity(MAX_SUBSET), &mut f);
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

fn related_for(a: usize, input: &RelatedInput<'_>, index: &HashMap<SubsetKey, Vec<u32>>) -> Vec<usize> {
    let score = |b: u32| score(input, a, b);
    let mut pool: Vec<Score> = Vec::new();
    for &author in &input.authors[a] {
        for &b in &input.author_articles[author as usize] {
            if b as usize != a {
                pool.push(score(b));
            }
        }
    }
    for_each_subset(&input.topics[a], |key| {
        let size = key.iter().filter(|&&t| t != u32::MAX).count();
        let Some(list) = index.get(&key) else { return };
        let Ok(pos) = list.binary_search(&(a as u32)) else {
            return;
        };
        let (mut left, mut right) = (pos, pos + 1);
        let mut accepted = 0;
        while accepted < RELATED_MAX && (left > 0 || right < list.len()) {
            let take_left = match (left > 0, right < list.len()) {
                (true, true) => {
                    let dl = (input.days[a] - input.days[list[left - 1] as usize]).abs();
                    let dr = (input.days[a] - input.days[list[right] as usize]).abs();
                    dl <= dr
                }
                (l, _) => l,
            };
            let b = if take_left {
                left -= 1;
                list[left]
            } else {
                right += 1;
                list[right - 1]
            };
            let s = score(b);
            let exact = s.0 .0 == size || (size == MAX_SUBSET && s.0 .0 >= size);
            if s.1 .0 == 0 && exact {
                pool.push(s);
                accepted += 1;
            }
        }
    });
    pool.sort_unstable();
    pool.dedup();
    pool.into_iter()
        .filter(|s| s.0 .0 > 0 || s.1 .0 > 0)
        .take(RELATED_MAX)
        .map(|s| s.3 as usize)
        .collect()
}

/// Related articles after an edit, recomputing only the lists it can change.
///
/// `previous[a]` is article `a`'s list before the edit, in the new ids, or
/// `None` when it is unknown or lost a member. `changed[x]` marks articles
/// that are new or whose topics, authors, date or place in the order
/// changed. Every other article keeps its score against every other, and
/// their relative order, so its list changes only if it held a changed
/// article or a changed article now beats its last entry.
pub fn update_related(
    input: &RelatedInput<'_>,
    previous: Vec<Option<Vec<usize>>>,
    changed: &[bool],
) -> Vec<Vec<usize>> {
    use rayon::prelude::*;
    if previous.iter().all(Option::is_none) {
        return compute_related(input);
    }
    let topic_articles = topic_lists(input.topics);
    let mut redo: Vec<bool> = previous
        .iter()
        .enumerate()
        .map(|(a, list)| match list {
            None => true,
            Some(list) => changed[a] || list.iter().any(|&x| changed[x]),
        })
        .collect();
    for x in (0..changed.len()).filter(|&x| changed[x]) {
        for a in sharing(x, input, &topic_articles) {
            let a = a as usize;
            if a == x || redo[a] {
                continue;
            }
            let list = previous[a].as_deref().unwrap_or_default();
            let beats_last = list
                .last()
                .is_none_or(|&last| score(input, a, x as u32) < score(input, a, last as u32));
            if list.len() < RELATED_MAX || beats_last {
                redo[a] = true;
            }
        }
    }
    let fresh: Vec<(usize, Vec<usize>)> = (0..redo.len())
        .into_par_iter()
        .filter(|&a| redo[a])
        .map(|a| (a, related_of(a, input, &topic_articles)))
        .collect();
    let mut out: Vec<Vec<usize>> = previous.into_iter().map(Option::unwrap_or_default).collect();
    for (a, list) in fresh {
        out[a] = list;
    }
    out
}

/// Articles of each topic, ascending ids.
fn topic_lists(topics: &[Vec<u32>]) -> Vec<Vec<u32>> {
    let count = topics.iter().flatten().map(|&t| t as usize + 1).max().unwrap_or(0);
    let mut lists = vec![Vec::new(); count];
    for (id, ts) in topics.iter().enumerate() {
        for &t in ts {
            lists[t as usize].push(id as u32);
        }
    }
    lists
}

/// Every article sharing a topic or an author with `a` (with repeats).
fn sharing<'a>(
    a: usize,
    input: &'a RelatedInput<'_>,
    topic_articles: &'a [Vec<u32>],
) -> impl Iterator<Item = u32> + 'a {
    let by_topic = input.topics[a]
        .iter()
        .flat_map(|&t| topic_articles[t as usize].iter().copied());
    let by_author = input.authors[a]
        .iter()
        .flat_map(|&au| input.author_articles[au as usize].iter().copied());
    by_topic.chain(by_author)
}

fn score(input: &RelatedInput<'_>, a: usize, b: u32) -> Score {
    let b_us = b as usize;
    (
        std::cmp::Reverse(shared(&input.topics[a], &input.topics[b_us])),
        std::cmp::Reverse(shared(&input.authors[a], &input.authors[b_us])),
        (input.days[a] - input.days[b_us]).abs(),
        b,
    )
}

/// The related articles of `a` alone, scoring every article that shares
/// a topic or an author with it.
fn related_of(a: usize, input: &RelatedInput<'_>, topic_articles: &[Vec<u32>]) -> Vec<usize> {
    let mut pool: Vec<Score> = sharing(a, input, topic_articles)
        .filter(|&b| b as usize != a)
        .map(|b| score(input, a, b))
        .collect();
    pool.sort_unstable();
    pool.dedup();
    pool.into_iter().take(RELATED_MAX).map(|s| s.3 as usize).collect()
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

    /// A pseudo-random archive: topics, authors and days of each article (newest first).
    struct Archive {
        topics: Vec<Vec<u32>>,
        authors: Vec<Vec<u32>>,
        days: Vec<i64>,
    }

    const AUTHORS: usize = 15;

    fn archive(n: usize, seed: u64) -> Archive {
        let mut seed = seed;
        let mut next = |m: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        let mut a = Archive {
            topics: Vec::new(),
            authors: Vec::new(),
            days: Vec::new(),
        };
        let mut day = 20_000i64;
        for _ in 0..n {
            let mut ts: Vec<u32> = (0..1 + next(4)).map(|_| next(9) as u32).collect();
            ts.sort_unstable();
            ts.dedup();
            let mut aus: Vec<u32> = (0..1 + next(2)).map(|_| next(AUTHORS as u64) as u32).collect();
            aus.sort_unstable();
            aus.dedup();
            a.topics.push(ts);
            a.authors.push(aus);
            day -= next(3) as i64;
            a.days.push(day);
        }
        a
    }

    fn related(a: &Archive) -> Vec<Vec<usize>> {
        let mut author_articles = vec![Vec::new(); AUTHORS];
        for (id, aus) in a.authors.iter().enumerate() {
            for &au in aus {
                author_articles[au as usize].push(id as u32);
            }
        }
        let input = RelatedInput {
            topics: &a.topics,
            authors: &a.authors,
            author_articles: &author_articles,
            days: &a.days,
        };
        let fast = compute_related(&input);
        assert_eq!(fast, brute_force(&input));
        fast
    }

    #[test]
    fn index_matches_brute_force_on_a_pseudo_random_archive() {
        related(&archive(400, 12345));
    }

    /// Applies edits to an archive and checks `update_related` against a
    /// full computation; `kept[new] = Some(old)` maps surviving articles.
    fn check_update(before: &Archive, after: &Archive, kept: &[Option<usize>], changed: &[bool]) {
        let old = related(before);
        let new_id: std::collections::HashMap<usize, usize> =
            kept.iter().enumerate().filter_map(|(n, o)| o.map(|o| (o, n))).collect();
        let previous = kept
            .iter()
            .map(|o| {
                let list = &old[(*o)?];
                list.iter()
                    .map(|x| new_id.get(x).copied())
                    .collect::<Option<Vec<usize>>>()
            })
            .collect();
        let mut author_articles = vec![Vec::new(); AUTHORS];
        for (id, aus) in after.authors.iter().enumerate() {
            for &au in aus {
                author_articles[au as usize].push(id as u32);
            }
        }
        let input = RelatedInput {
            topics: &after.topics,
            authors: &after.authors,
            author_articles: &author_articles,
            days: &after.days,
        };
        assert_eq!(update_related(&input, previous, changed), compute_related(&input));
    }

    #[test]
    fn update_matches_a_full_computation_after_edits() {
        let before = archive(300, 777);
        let n = before.topics.len();
        // Topics and authors of a few articles change.
        let mut after = Archive {
            topics: before.topics.clone(),
            authors: before.authors.clone(),
            days: before.days.clone(),
        };
        let mut changed = vec![false; n];
        for (k, id) in [3usize, 50, 51, 170, 299].into_iter().enumerate() {
            after.topics[id] = vec![k as u32 % 9, (k as u32 + 4) % 9];
            after.topics[id].sort_unstable();
            after.authors[id] = vec![(k * 3 % AUTHORS) as u32];
            changed[id] = true;
        }
        let kept: Vec<Option<usize>> = (0..n).map(Some).collect();
        check_update(&before, &after, &kept, &changed);

        // One article removed and one added in its place in time.
        let mut after = Archive {
            topics: before.topics.clone(),
            authors: before.authors.clone(),
            days: before.days.clone(),
        };
        after.topics.remove(120);
        after.authors.remove(120);
        after.days.remove(120);
        after.topics.insert(40, vec![1, 2, 5]);
        after.authors.insert(40, vec![7]);
        after.days.insert(40, before.days[40]);
        let mut kept: Vec<Option<usize>> = (0..n).filter(|&i| i != 120).map(Some).collect();
        kept.insert(40, None);
        let changed: Vec<bool> = kept.iter().map(Option::is_none).collect();
        check_update(&before, &after, &kept, &changed);
    }
}
