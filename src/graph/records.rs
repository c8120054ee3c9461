//! Each record of the graph, hashed by stable id. A page read some records
//! (`Key`s in its `ReadLog`); after a change, the records whose hash
//! changed name exactly the pages to render again. A page's making is
//! deterministic in what it reads, so when none of that changed it would
//! read the same records and give the same bytes.
//!
//! References between records are hashed as stable ids, never positions:
//! a position means another article once one is added before it. Each
//! hash destructures what it covers, so a field added to the graph fails
//! to compile here until it is hashed.

use super::ids::{IdMap, Sym};
use super::reader::Key;
use super::topics::Topic;
use super::{Links, SiteGraph};
use rayon::prelude::*;
use std::hash::{Hash, Hasher};

/// A record by stable id: the positions in a `Key` replaced by the
/// article's `ArticleId` or the author's, topic's slug `Sym`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct StableKey(Key);

/// Stable keys numbered in the order first seen, so that what a page read
/// is kept as numbers (4 bytes each, and as few in a cache) rather than
/// as keys: a site's pages read tens of thousands of distinct records,
/// each of them dozens of times over. A number, once given, keeps its key.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct KeyTable {
    keys: Vec<StableKey>,
    /// Each key's number; made again when first needed after a cache read.
    #[serde(skip)]
    numbers: IdMap<StableKey, u32>,
}

impl KeyTable {
    /// The number of `key`, given it if it has none.
    pub fn number(&mut self, key: StableKey) -> u32 {
        self.index();
        if let Some(&n) = self.numbers.get(&key) {
            return n;
        }
        let n = self.keys.len() as u32;
        self.keys.push(key.clone());
        self.numbers.insert(key, n);
        n
    }

    /// The numbers of the keys of `keys` that have one.
    pub fn numbers_of<'a>(&mut self, keys: impl IntoIterator<Item = &'a StableKey>) -> Vec<u32> {
        self.index();
        keys.into_iter().filter_map(|k| self.numbers.get(k).copied()).collect()
    }

    /// Numbers the keys read back from a cache.
    fn index(&mut self) {
        if self.numbers.len() != self.keys.len() {
            self.numbers = self
                .keys
                .iter()
                .enumerate()
                .map(|(n, k)| (k.clone(), n as u32))
                .collect();
        }
    }
}

/// The hash of every record of one graph, by stable key.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct RecordHashes(IdMap<StableKey, u64>);

/// A fast hash of a value, for noticing that it changed: XXH3, which
/// goes through the Markdown bodies and rendered HTML hashed on every
/// build several times faster than the standard library's SipHash.
pub fn hash_of(value: impl Hash) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3Default::new();
    value.hash(&mut h);
    h.finish()
}

impl RecordHashes {
    /// The hash of a record; none when the graph has no such record.
    pub fn get(&self, key: &StableKey) -> Option<u64> {
        self.0.get(key).copied()
    }

    /// Adds a record made outside the graph (templates, images).
    pub fn insert(&mut self, key: StableKey, hash: u64) {
        self.0.insert(key, hash);
    }

    /// The keys whose hash differs between `self` and `other`, or that
    /// only one of them has.
    pub fn changed(&self, other: &RecordHashes) -> Vec<StableKey> {
        let mut out: Vec<StableKey> = self
            .0
            .iter()
            .filter(|(k, h)| other.0.get(*k) != Some(*h))
            .map(|(k, _)| k.clone())
            .collect();
        out.extend(other.0.keys().filter(|k| !self.0.contains_key(*k)).cloned());
        out
    }
}

impl SiteGraph {
    /// The stable form of a key read from this graph.
    pub fn stable(&self, key: &Key) -> StableKey {
        let article = |id: usize| self.ids[id].0.index();
        StableKey(match *key {
            Key::Article(id) => Key::Article(article(id)),
            Key::Body(id) => Key::Body(article(id)),
            Key::Links(id) => Key::Links(article(id)),
            Key::Author(au) => Key::Author(self.author_ids[au].index()),
            Key::AuthorArticles(au) => Key::AuthorArticles(self.author_ids[au].index()),
            Key::Topic(t) => Key::Topic(self.topic_ids[t].index()),
            Key::TopicArticles(t) => Key::TopicArticles(self.topic_ids[t].index()),
            ref other => other.clone(),
        })
    }

    /// A template or image record's stable key (they have no positions).
    pub fn global_key(key: Key) -> StableKey {
        StableKey(key)
    }

    /// Hashes every record of the graph.
    pub fn record_hashes(&self) -> RecordHashes {
        // Each field is hashed below, in the record `Reader` files it
        // under; one added to the graph fails to compile here until it is.
        let SiteGraph {
            base_path: _, // a setting: changing one loads everything again
            ids: _,
            article_hashes: _,
            articles: _, // as `article_hashes`
            slugs: _,
            urls: _,
            rendered: _, // as `rendered_hashes` (HTML and headings, all a page sees)
            rendered_hashes: _,
            summaries: _,
            dates: _,
            authors: _,
            author_ids: _,
            author_bios: _,
            author_urls: _,
            topics: _,
            topic_ids: _,
            topic_urls: _,
            article_authors: _,
            author_articles: _,
            article_topics: _,
            topic_articles: _,
            years: _,
            links:
                Links {
                    backlinks: _,
                    related: _,
                    series: _,
                },
            series: _,
            series_of: _, // as `series`
        } = self;
        let ids = |list: &[usize]| -> Vec<Sym> { list.iter().map(|&i| self.ids[i].0).collect() };
        let n = self.articles.len();
        let per_article: Vec<[u64; 3]> = (0..n)
            .into_par_iter()
            .map(|i| {
                let authors: Vec<Sym> = self.article_authors[i].iter().map(|&a| self.author_ids[a]).collect();
                let topics: Vec<Sym> = self.article_topics[i].iter().map(|&t| self.topic_ids[t]).collect();
                let article = hash_of((
                    self.article_hashes[i],
                    &self.slugs[i],
                    &self.urls[i],
                    &self.summaries[i],
                    &self.dates[i],
                    authors,
                    topics,
                ));
                let series = self.links.series[i].as_ref().map(|s| (&s.name, s.part, ids(&s.parts)));
                let links = hash_of((ids(&self.links.backlinks[i]), ids(&self.links.related[i]), series));
                [article, self.rendered_hashes[i], links]
            })
            .collect();
        let capacity = n * 3 + self.authors.len() * 2 + self.topics.len() * 2 + 16;
        let mut map = IdMap::with_capacity_and_hasher(capacity, Default::default());
        for (i, [article, body, links]) in per_article.iter().enumerate() {
            let id = self.ids[i].0.index();
            map.insert(StableKey(Key::Article(id)), *article);
            map.insert(StableKey(Key::Body(id)), *body);
            map.insert(StableKey(Key::Links(id)), *links);
        }
        map.insert(StableKey(Key::ArticleList), hash_of(ids(&(0..n).collect::<Vec<_>>())));
        map.insert(
            StableKey(Key::EveryArticle),
            hash_of(per_article.iter().map(|h| h[0]).collect::<Vec<_>>()),
        );
        map.insert(
            StableKey(Key::EveryBody),
            hash_of(per_article.iter().map(|h| h[1]).collect::<Vec<_>>()),
        );
        let mut authors = Vec::with_capacity(self.authors.len());
        for (au, author) in self.authors.iter().enumerate() {
            let sym = self.author_ids[au];
            let h = hash_of((author, &self.author_bios[au], &self.author_urls[au]));
            authors.push((sym, h));
            map.insert(StableKey(Key::Author(sym.index())), h);
            map.insert(
                StableKey(Key::AuthorArticles(sym.index())),
                hash_of(ids(&self.author_articles[au])),
            );
        }
        map.insert(StableKey(Key::Authors), hash_of(authors));
        let mut topics = Vec::with_capacity(self.topics.len());
        for (t, topic) in self.topics.iter().enumerate() {
            let sym = self.topic_ids[t];
            let h = hash_of((self.topic_hash(topic), &self.topic_urls[t]));
            topics.push((sym, h));
            map.insert(StableKey(Key::Topic(sym.index())), h);
            map.insert(
                StableKey(Key::TopicArticles(sym.index())),
                hash_of(ids(&self.topic_articles[t])),
            );
        }
        map.insert(StableKey(Key::Topics), hash_of(topics));
        let years: Vec<(i32, Vec<Sym>)> = self.years.iter().map(|(y, list)| (*y, ids(list))).collect();
        map.insert(StableKey(Key::Years), hash_of(years));
        let series: Vec<(&str, &str, Vec<Sym>)> = self
            .series
            .iter()
            .map(|g| (g.name.as_str(), g.slug.as_str(), ids(&g.parts)))
            .collect();
        map.insert(StableKey(Key::Series), hash_of(series));
        RecordHashes(map)
    }

    /// A topic's hash, its parent as a stable id.
    fn topic_hash(&self, topic: &Topic) -> u64 {
        let Topic {
            slug,
            name,
            description,
            parent,
        } = topic;
        hash_of((slug, name, description, parent.map(|p| self.topic_ids[p])))
    }
}
