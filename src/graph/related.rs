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
    let score = |b: u32| -> Score {
        let b_us = b as usize;
        (
            std::cmp::Reverse(shared(&input.topics[a], &input.topics[b_us])),
            std::cmp::Reverse(shared(&input.authors[a], &input.authors[b_us])),
            (input.days[a] - input.days[b_us]).abs(),
            b,
        )
    };
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
        let n = 400;
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
            let mut aus: Vec<u32> = (0..1 + next(2)).map(|_| next(15) as u32).collect();
            aus.sort_unstable();
            aus.dedup();
            topics.push(ts);
            authors.push(aus);
            day -= next(3) as i64;
            days.push(day);
        }
        let mut author_articles = vec![Vec::new(); 15];
        for (id, aus) in authors.iter().enumerate() {
            for &au in aus {
                author_articles[au as usize].push(id as u32);
            }
        }
        let input = RelatedInput {
            topics: &topics,
            authors: &authors,
            author_articles: &author_articles,
            days: &days,
        };
        assert_eq!(compute_related(&input), brute_force(&input));
    }
}
