//! What indexing reads of an article. Indexing sees articles only through
//! `Indexed`, so an index is a function of these fields, the authors, the
//! topics and a few settings: `layout_key` hashes them, and an index made
//! from the same ones is kept with the articles as now parsed put in again
//! (`Index::with_articles`), which is what a title or summary edit needs.

use crate::config::SiteConfig;
use crate::content::fields::locate;
use crate::content::{Article, Author, Date, TopicInfo};
use std::hash::{Hash, Hasher};

/// An article as indexing sees it.
pub(super) struct Indexed<'a> {
    pub(super) source_path: &'a str,
    pub(super) rel_path: &'a str,
    pub(super) slug: &'a str,
    /// True when the slug came from the file name, not from `slug:`.
    pub(super) slug_from_file: bool,
    pub(super) date: Date,
    pub(super) draft: bool,
    pub(super) authors: &'a [String],
    pub(super) topics: &'a [String],
    /// The front matter and its first line, to place problems in it.
    written: (&'a str, usize),
}

impl<'a> Indexed<'a> {
    /// The fields of `article` that indexing reads.
    pub(super) fn of(article: &'a Article) -> Self {
        Indexed {
            source_path: &article.source_path,
            rel_path: &article.rel_path,
            slug: &article.slug,
            slug_from_file: article.slug_from_file,
            date: article.date,
            draft: article.draft,
            authors: &article.authors,
            topics: &article.topics,
            written: (&article.front_matter, article.front_matter_line),
        }
    }

    /// Line and column of `needle` under the front matter's `key`.
    pub(super) fn locate(&self, key: &str, needle: &str) -> (usize, usize) {
        locate(self.written.0, self.written.1, key, needle)
    }
}

/// Every field but where the front matter writes them: only the positions
/// of problems read that, and an index that found problems is not kept
/// on this hash alone (`Engine::index`).
impl Hash for Indexed<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let Indexed {
            source_path,
            rel_path,
            slug,
            slug_from_file,
            date,
            draft,
            authors,
            topics,
            written: _,
        } = self;
        (source_path, rel_path, slug, slug_from_file, date, draft, authors, topics).hash(state);
    }
}

/// The hash of everything `build_index` decides from: the articles as
/// indexing sees them, in the order given, the authors, the topic files
/// and the settings it reads. Two sets of inputs with the same key give
/// the same index, but for which `Article` each position holds and the
/// positions in the front matter of the problems found.
pub fn layout_key<'a>(
    articles: impl Iterator<Item = &'a Article>,
    authors: &[Author],
    topic_files: &[TopicInfo],
    config: &SiteConfig,
    drafts: bool,
) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3Default::new();
    let mut count = 0usize;
    for article in articles {
        Indexed::of(article).hash(&mut h);
        count += 1;
    }
    (count, authors, topic_files).hash(&mut h);
    (config.base_path(), config.sanitize, config.strict_topics, drafts).hash(&mut h);
    h.finish()
}
