//! What indexing reads of an article. Indexing sees articles only through
//! `Indexed`, so an index is a function of these fields, the authors, the
//! topics and a few settings: `layout_key` hashes them, and an index made
//! from the same ones is kept with the articles as now parsed put in again
//! (`Index::with_articles`), which is what a title or summary edit needs.

use crate::config::SiteConfig;
use crate::content::fields::locate;
use crate::content::{Article, Author, Date, TopicInfo};
use crate::graph::hash_of;
use std::hash::{Hash, Hasher};

/// An article as indexing sees it. Every field is hashed (`layout_hash`).
#[derive(Hash)]
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
    written: Written<'a>,
}

/// The front matter and its first line, to place problems in it. Left out
/// of the hash: only the positions of problems read it, and an index that
/// found problems is not kept on this hash alone (`Engine::index`).
struct Written<'a>(&'a str, usize);

impl Hash for Written<'_> {
    fn hash<H: Hasher>(&self, _: &mut H) {}
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
            written: Written(&article.front_matter, article.front_matter_line),
        }
    }

    /// Line and column of `needle` under the front matter's `key`.
    pub(super) fn locate(&self, key: &str, needle: &str) -> (usize, usize) {
        locate(self.written.0, self.written.1, key, needle)
    }
}

/// The hash of what indexing reads of `article`, made once when it is
/// parsed (`Parsed::layout`).
pub fn layout_hash(article: &Article) -> u64 {
    hash_of(Indexed::of(article))
}

/// The hash of everything `build_index` decides from: the articles as
/// indexing sees them (their `layout_hash`es, in the order given), the
/// authors, the topic files and the settings it reads. Two sets of inputs
/// with the same key give the same index, but for which `Article` each
/// position holds and the positions in the front matter of the problems
/// found.
pub fn layout_key(
    articles: &[u64],
    authors: &[Author],
    topic_files: &[TopicInfo],
    config: &SiteConfig,
    drafts: bool,
) -> u64 {
    let settings = (config.base_path(), config.sanitize, config.strict_topics, drafts);
    hash_of((articles, authors, topic_files, settings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::source::Source;
    use crate::diag::Diagnostic;
    use crate::graph::{build_index, ArticleId, Index, Interner, Parsed};
    use std::sync::Arc;

    const SITE: [(&str, &str); 4] = [
        (
            "2019/outlook.md",
            "---\ntitle: Outlook\ndate: 2019-05-01\nauthors: jane\ntopics: [Trade]\n---\nA\n",
        ),
        (
            "2024/outlook.md",
            "---\ntitle: Outlook again\ndate: 2024-02-01\nauthors: [jane, omar]\ntopics: [Trade, Energy]\n---\nB\n",
        ),
        (
            "2024/grid.md",
            "---\ntitle: Grid\ndate: 2024-02-01\nauthors: omar\ntopics: Energy\nsummary: Wires.\n---\nC\n",
        ),
        (
            "2024/later.md",
            "---\ntitle: Later\ndate: 2024-03-01\nauthors: omar\ndraft: true\n---\nD\n",
        ),
    ];

    fn author(slug: &str, name: &str) -> Author {
        Author {
            slug: slug.into(),
            source_path: format!("authors/{slug}.yaml"),
            name: name.into(),
            role: None,
            affiliation: None,
            bio: None,
            photo: None,
            links: Vec::new(),
            link_places: Vec::new(),
        }
    }

    /// The site with `from` replaced by `to` in the file `rel`, parsed.
    fn parsed(interner: &mut Interner, edit: Option<(&str, &str, &str)>) -> Vec<Parsed> {
        SITE.iter()
            .map(|&(rel, text)| {
                let text = match edit {
                    Some((at, from, to)) if at == rel => {
                        assert!(text.contains(from), "{rel} has no `{from}`");
                        text.replacen(from, to, 1)
                    }
                    _ => text.to_string(),
                };
                let source = Source {
                    path: format!("articles/{rel}"),
                    text,
                };
                let mut problems = Vec::new();
                let article = Article::from_source(&source, rel, &Default::default(), &mut problems).unwrap();
                assert!(problems.is_empty(), "{problems:?}");
                let (hash, layout) = (hash_of(&article), layout_hash(&article));
                let id = ArticleId(interner.intern(rel));
                Parsed {
                    id,
                    article: Arc::new(article),
                    hash,
                    layout,
                }
            })
            .collect()
    }

    fn key(articles: &[Parsed], authors: &[Author]) -> u64 {
        let layouts: Vec<u64> = articles.iter().map(|p| p.layout).collect();
        layout_key(&layouts, authors, &[], &SiteConfig::default(), false)
    }

    fn index(articles: Vec<Parsed>, authors: &[Author]) -> (Index, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let index = build_index(
            articles,
            authors.to_vec(),
            Vec::new(),
            &SiteConfig::default(),
            false,
            &mut problems,
        );
        (index, problems)
    }

    /// Everything an index holds, comparable.
    fn shown(index: &Index) -> String {
        let mut by_path: Vec<_> = index.by_path.iter().collect();
        by_path.sort();
        let mut held: Vec<_> = index.held_drafts.iter().collect();
        held.sort();
        let articles: Vec<_> = index
            .articles
            .iter()
            .map(|p| (p.id, p.hash, &p.article.title))
            .collect();
        let authors: Vec<_> = index.authors.iter().map(|a| &a.slug).collect();
        format!(
            "{articles:?} {:?} {:?} {by_path:?} {held:?} {authors:?} {:?} {:?} {:?} {}",
            index.slugs, index.urls, index.article_authors, index.topics, index.article_topics, index.sanitize
        )
    }

    /// An edit that leaves the layout key alone gives, refilled, exactly
    /// the index made again; every edit of a field indexing reads changes
    /// the key (and a field left out of the key shows up here).
    #[test]
    fn an_index_refilled_on_the_same_key_is_the_index_made_again() {
        let mut interner = Interner::default();
        let authors = [author("jane", "Jane Roe"), author("omar", "Omar Diaz")];
        let before = parsed(&mut interner, None);
        let old_key = key(&before, &authors);
        let (old, problems) = index(before, &authors);
        assert_eq!(problems.len(), 1, "one slug taken: {problems:?}");
        let edits = [
            (("2024/grid.md", "title: Grid", "title: Grid, again"), false),
            (("2024/grid.md", "summary: Wires.", "summary: Cables."), false),
            (("2019/outlook.md", "\nA\n", "\nA longer body.\n"), false),
            (("2024/grid.md", "2024-02-01", "2024-01-31"), true),
            (("2024/grid.md", "topics: Energy", "topics: [Energy, Trade]"), true),
            (("2024/grid.md", "authors: omar", "authors: jane"), true),
            (("2024/grid.md", "title: Grid\n", "title: Grid\nslug: power\n"), true),
            (("2024/later.md", "draft: true", "draft: false"), true),
        ];
        for (edit, reaches_index) in edits {
            let after = parsed(&mut interner, Some(edit));
            let new_key = key(&after, &authors);
            assert_eq!(new_key != old_key, reaches_index, "{edit:?}");
            if reaches_index {
                continue;
            }
            let refilled = Index {
                articles: old.articles.clone(),
                slugs: old.slugs.clone(),
                urls: old.urls.clone(),
                by_path: old.by_path.clone(),
                held_drafts: old.held_drafts.clone(),
                authors: old.authors.clone(),
                article_authors: old.article_authors.clone(),
                topics: old.topics.clone(),
                article_topics: old.article_topics.clone(),
                nearest: Default::default(),
                sanitize: old.sanitize,
            };
            let refilled = refilled.with_articles(after.iter()).expect("every article is there");
            let (made, _) = index(after.clone(), &authors);
            assert_eq!(shown(&refilled), shown(&made), "{edit:?}");
        }
        let authors = [author("jane", "Jane Roe"), author("omar", "Omar Díaz")];
        assert_ne!(
            key(&parsed(&mut interner, None), &authors),
            old_key,
            "an author's name sorts them"
        );
    }
}
