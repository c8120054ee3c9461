//! Each article file as the last build parsed it (front matter and the
//! problems it had), so that a file whose bytes are those it had then
//! (`inputs` decides, by its one rule) is not read or parsed again.
//!
//! `Article` holds values the cache's encoding cannot take as they are
//! (an untagged `canonical`, YAML in `extra`): those are kept as text. A
//! kept article is used only when it hashes as the article it was made
//! from did, so a value that would not come back the same is read again.

use super::super::sources::{hash_of, ArticleFile, Sources};
use crate::content::{Article, Canonical, Date, Image};
use crate::diag::Diagnostic;
use crate::graph::{ArticleId, Interner, Parsed};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::sync::Arc;

/// One article file as kept.
#[derive(Serialize, Deserialize)]
pub(super) struct KeptFile {
    rel: String,
    /// The article, its hash and its layout hash, when the file gave one.
    article: Option<(KeptArticle, u64, u64)>,
    problems: Vec<Diagnostic>,
}

/// `Article`, with the values the encoding cannot take as text.
#[derive(Serialize, Deserialize)]
struct KeptArticle {
    source_path: String,
    rel_path: String,
    title: String,
    date: Date,
    updated: Option<Date>,
    authors: Vec<String>,
    topics: Vec<String>,
    summary: Option<String>,
    kind: String,
    slug: String,
    slug_from_file: bool,
    draft: bool,
    image: Option<Image>,
    series: Option<String>,
    /// YAML.
    extra: Option<String>,
    aliases: Vec<String>,
    /// JSON.
    canonical: Option<String>,
    toc: Option<bool>,
    alias_places: Vec<(usize, usize)>,
    front_matter: String,
    front_matter_line: usize,
    body_line: usize,
}

impl KeptArticle {
    fn of(a: &Article) -> Option<KeptArticle> {
        let extra = match &a.extra {
            Some(v) => Some(serde_yaml::to_string(v).ok()?),
            None => None,
        };
        let canonical = match &a.canonical {
            Some(c) => Some(serde_json::to_string(c).ok()?),
            None => None,
        };
        Some(KeptArticle {
            source_path: a.source_path.clone(),
            rel_path: a.rel_path.clone(),
            title: a.title.clone(),
            date: a.date,
            updated: a.updated,
            authors: a.authors.clone(),
            topics: a.topics.clone(),
            summary: a.summary.clone(),
            kind: a.kind.clone(),
            slug: a.slug.clone(),
            slug_from_file: a.slug_from_file,
            draft: a.draft,
            image: a.image.clone(),
            series: a.series.clone(),
            extra,
            aliases: a.aliases.clone(),
            canonical,
            toc: a.toc,
            alias_places: a.alias_places.clone(),
            front_matter: a.front_matter.clone(),
            front_matter_line: a.front_matter_line,
            body_line: a.body_line,
        })
    }

    fn article(self) -> Option<Article> {
        let extra = match self.extra {
            Some(text) => Some(serde_yaml::from_str(&text).ok()?),
            None => None,
        };
        let canonical: Option<Canonical> = match self.canonical {
            Some(text) => Some(serde_json::from_str(&text).ok()?),
            None => None,
        };
        Some(Article {
            source_path: self.source_path,
            rel_path: self.rel_path,
            title: self.title,
            date: self.date,
            updated: self.updated,
            authors: self.authors,
            topics: self.topics,
            summary: self.summary,
            kind: self.kind,
            slug: self.slug,
            slug_from_file: self.slug_from_file,
            draft: self.draft,
            image: self.image,
            series: self.series,
            extra,
            aliases: self.aliases,
            canonical,
            toc: self.toc,
            alias_places: self.alias_places,
            front_matter: self.front_matter,
            front_matter_line: self.front_matter_line,
            body: String::new(),
            body_line: self.body_line,
        })
    }
}

/// The article file `rel`, to keep; none when its article has a value
/// that cannot be kept (it is then read again).
pub(super) fn keep(rel: &str, file: &ArticleFile) -> Option<KeptFile> {
    let article = match &file.parsed {
        Some(p) => Some((KeptArticle::of(&p.article)?, p.hash, p.layout)),
        None => None,
    };
    Some(KeptFile {
        rel: rel.to_string(),
        article,
        problems: file.problems.clone(),
    })
}

/// An article file as it comes back: none when its article does not
/// hash as it did.
type Restored = Option<(Option<(Article, u64, u64)>, Vec<Diagnostic>)>;

/// Puts the kept files into `sources` (which holds none yet), except those
/// whose article does not come back as it was; returns the paths of those,
/// to read again.
pub(super) fn restore(kept: Vec<KeptFile>, sources: &mut Sources, interner: &mut Interner) -> BTreeSet<String> {
    let restored: Vec<(String, Restored)> = kept
        .into_par_iter()
        .map(|file| {
            let parsed = match file.article {
                None => Some(None),
                Some((kept, hash, layout)) => kept
                    .article()
                    .filter(|article| hash_of(article) == hash)
                    .map(|article| Some((article, hash, layout))),
            };
            (file.rel, parsed.map(|parsed| (parsed, file.problems)))
        })
        .collect();
    let mut again = BTreeSet::new();
    let mut files = Vec::with_capacity(restored.len());
    for (rel, file) in restored {
        let Some((parsed, problems)) = file else {
            again.insert(rel);
            continue;
        };
        let parsed = parsed.map(|(article, hash, layout)| Parsed {
            id: ArticleId(interner.intern(&rel)),
            article: Arc::new(article),
            hash,
            layout,
        });
        let file = ArticleFile {
            parsed,
            problems,
            body: None,
            unread: true,
        };
        files.push((rel, file));
    }
    // Sorted and built in one go, not inserted one at a time.
    debug_assert!(
        sources.articles.is_empty(),
        "restored into sources with no article files"
    );
    sources.articles = files.into_iter().collect();
    again
}
