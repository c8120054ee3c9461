//! Indexing: publish or hold back drafts, check slugs and bylines, give
//! every article, author and topic its URL.

use super::ids::ArticleId;
use super::indexed::Indexed;
use super::topics::{index_topics, Topic};
use crate::config::SiteConfig;
use crate::content::StaticFiles;
use crate::content::{Article, Author, TopicInfo};
use crate::diag::{closest, Code, Diagnostic};
use crate::markdown::{is_safe_url, LinkContext, NearestPaths, SAFE_SCHEMES};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

/// An article as parsed, with its stable id and the hash of everything
/// parsed (so pages showing it can tell when it changed).
#[derive(Debug, Clone)]
pub struct Parsed {
    pub id: ArticleId,
    pub article: Arc<Article>,
    pub hash: u64,
    /// The hash of what indexing reads of it (`layout_hash`).
    pub layout: u64,
}

/// The published articles and the maps between paths, slugs and positions.
pub struct Index {
    /// Published articles, newest first.
    pub articles: Vec<Parsed>,
    /// Each article's slug: its own, or made unique (`-YYYY-MM-DD` added).
    pub slugs: Vec<String>,
    pub urls: Vec<String>,
    pub by_path: HashMap<String, usize>,
    /// Drafts held back from this build, by path relative to `articles/`.
    pub held_drafts: HashSet<String>,
    pub authors: Vec<Author>,
    pub article_authors: Vec<Vec<usize>>,
    pub topics: Vec<Topic>,
    pub article_topics: Vec<Vec<usize>>,
    /// Article paths indexed for "did you mean", made when first needed.
    pub nearest: OnceLock<NearestPaths>,
    /// Whether bodies are sanitized (`sanitize:` in site.yaml).
    pub sanitize: bool,
}

impl Index {
    /// What Markdown rendering needs to resolve cross-references and images.
    pub fn link_context<'a>(&'a self, base_path: &'a str, statics: &'a StaticFiles) -> LinkContext<'a> {
        LinkContext {
            by_path: &self.by_path,
            urls: &self.urls,
            base_path,
            statics,
            held_drafts: &self.held_drafts,
            nearest: &self.nearest,
            sanitize: self.sanitize,
        }
    }

    /// The same index holding the articles of `parsed` (all articles, in
    /// any order) at the positions of their paths, for articles whose
    /// `layout_key` is unchanged; none when a position is left unfilled.
    pub fn with_articles<'p>(mut self, parsed: impl Iterator<Item = &'p Parsed>) -> Option<Index> {
        let mut filled = 0;
        for p in parsed {
            if let Some(&i) = self.by_path.get(&p.article.rel_path) {
                self.articles[i] = p.clone();
                filled += 1;
            }
        }
        (filled == self.articles.len()).then_some(self)
    }
}

/// Sorts articles newest first, checks slugs, authors and topics. The
/// articles are read only as `Indexed` (see `layout_key`).
pub fn build_index(
    articles: Vec<Parsed>,
    mut authors: Vec<Author>,
    topic_files: Vec<TopicInfo>,
    config: &SiteConfig,
    drafts: bool,
    problems: &mut Vec<Diagnostic>,
) -> Index {
    let seen: Vec<Indexed<'_>> = articles.iter().map(|p| Indexed::of(&p.article)).collect();
    let mut slugs = unique_slugs(&seen, drafts, problems);
    let mut held_drafts = HashSet::new();
    let mut order: Vec<usize> = Vec::with_capacity(seen.len());
    for (i, a) in seen.iter().enumerate() {
        if drafts || !a.draft {
            order.push(i);
        } else {
            held_drafts.insert(a.rel_path.to_string());
        }
    }
    // Newest first, then by slug.
    order.sort_by(|&a, &b| seen[b].date.cmp(&seen[a].date).then_with(|| slugs[a].cmp(&slugs[b])));
    let published: Vec<&Indexed<'_>> = order.iter().map(|&i| &seen[i]).collect();

    let base = config.base_path();
    let urls: Vec<String> = order.iter().map(|&i| article_url(&base, &slugs[i])).collect();
    let by_path = published
        .iter()
        .enumerate()
        .map(|(n, a)| (a.rel_path.to_string(), n))
        .collect();

    if config.sanitize {
        drop_unsafe_links(&mut authors, problems);
    }
    authors.sort_by_cached_key(|a| (sort_name(&a.name), a.slug.clone()));
    let author_ids: HashMap<&str, usize> = authors.iter().enumerate().map(|(i, a)| (a.slug.as_str(), i)).collect();
    let article_authors = published
        .iter()
        .map(|article| {
            let mut ids = Vec::new();
            for slug in article.authors {
                match author_ids.get(slug.as_str()) {
                    Some(&id) if !ids.contains(&id) => ids.push(id),
                    Some(_) => {}
                    None => problems.push(unknown_author(article, slug, &authors)),
                }
            }
            ids
        })
        .collect();
    let (topics, article_topics) = index_topics(&published, topic_files, config.strict_topics, problems);
    let slugs = order.iter().map(|&i| std::mem::take(&mut slugs[i])).collect();
    let mut slots: Vec<Option<Parsed>> = articles.into_iter().map(Some).collect();
    let articles = order
        .iter()
        .map(|&i| slots[i].take().expect("each article is published once"))
        .collect();
    Index {
        articles,
        slugs,
        urls,
        by_path,
        held_drafts,
        authors,
        article_authors,
        topics,
        article_topics,
        nearest: OnceLock::new(),
        sanitize: config.sanitize,
    }
}

/// Authors sort by the last word of their name, then the whole name.
fn sort_name(name: &str) -> String {
    let last = name.split_whitespace().last().unwrap_or(name);
    format!("{}\u{0} {}", last.to_lowercase(), name.to_lowercase())
}

/// Two articles may not share a slug set with `slug:` (an error), nor may
/// `slug:` take the slug an older (or as old) article has from its file
/// name (an error: that article's URL would change). When slugs taken from
/// file names collide (`2019/outlook.md`, `2024/outlook.md`), the earliest
/// article keeps it and later ones get their date appended, with a
/// warning, so existing URLs never change when a newer article arrives.
/// Drafts this build leaves out (`drafts` false) claim after every article
/// it builds, so a draft never takes a published article's URL.
/// Returns each article's slug, in the order given; the articles stay as parsed.
fn unique_slugs(articles: &[Indexed<'_>], drafts: bool, problems: &mut Vec<Diagnostic>) -> Vec<String> {
    let mut slugs: Vec<String> = articles.iter().map(|a| a.slug.to_string()).collect();
    let mut order: Vec<usize> = (0..articles.len()).collect();
    // Built articles first; explicit slugs claim first, then the oldest article.
    let claims = |a: &Indexed<'_>| (a.draft && !drafts, a.slug_from_file, a.date);
    order.sort_by(|&a, &b| {
        let (x, y) = (&articles[a], &articles[b]);
        (claims(x), &x.rel_path).cmp(&(claims(y), &y.rel_path))
    });
    let refused = refuse_slugs_of_older_articles(articles, &order, problems);
    // Slugs as written are borrowed; only those made unique are new.
    let mut owners: HashMap<Cow<'_, str>, usize> = HashMap::with_capacity(articles.len());
    for i in order.into_iter().filter(|i| !refused.contains(i)) {
        let slug = articles[i].slug;
        let Some(&owner) = owners.get(slug) else {
            owners.insert(Cow::Borrowed(slug), i);
            continue;
        };
        let (article, first) = (&articles[i], &articles[owner].source_path);
        if !article.slug_from_file {
            let (line, col) = article.locate("slug", slug);
            let message = format!("duplicate slug `{slug}`: {first} has it too; give one of them another `slug:`");
            problems.push(Diagnostic::error(
                Code::DuplicateSlug,
                article.source_path,
                line,
                col,
                message,
            ));
            continue;
        }
        let dated = format!("{slug}-{}", article.date.iso_day());
        let mut unique = dated.clone();
        let mut n = 2;
        while owners.contains_key(unique.as_str()) {
            unique = format!("{dated}-{n}");
            n += 1;
        }
        problems.push(Diagnostic::warning(Code::SlugTaken,
            article.source_path,
            1,
            1,
            format!("slug `{slug}` is taken by {first}, so this article's URL uses `{unique}`; set `slug:` to choose another"),
        ));
        owners.insert(Cow::Owned(unique.clone()), i);
        slugs[i] = unique;
    }
    slugs
}

/// The URL path of the article with `slug` under the base path `base` (`/`, `/commentary/`).
pub fn article_url(base: &str, slug: &str) -> String {
    format!("{base}articles/{slug}/")
}

/// Explicit slugs that an older (or as old) article takes from its file
/// name, each reported; they claim nothing, so that article keeps its URL.
fn refuse_slugs_of_older_articles(
    articles: &[Indexed<'_>],
    order: &[usize],
    problems: &mut Vec<Diagnostic>,
) -> HashSet<usize> {
    // The oldest article taking each slug from its file name.
    let mut from_file: HashMap<&str, usize> = HashMap::new();
    for &i in order.iter().rev().filter(|&&i| articles[i].slug_from_file) {
        from_file.insert(articles[i].slug, i);
    }
    let mut refused = HashSet::new();
    for &i in order.iter().filter(|&&i| !articles[i].slug_from_file) {
        let article = &articles[i];
        let older = from_file.get(article.slug).map(|&o| &articles[o]);
        if let Some(older) = older.filter(|o| o.date <= article.date) {
            let (slug, (line, col)) = (article.slug, article.locate("slug", article.slug));
            let message = format!(
                "slug `{slug}` would take the URL that {}, an article not newer than this one, \
                 has from its file name; choose another `slug:` (existing URLs never change)",
                older.source_path
            );
            problems.push(Diagnostic::error(
                Code::SlugTakesUrl,
                article.source_path,
                line,
                col,
                message,
            ));
            refused.insert(i);
        }
    }
    refused
}

/// Author links whose URL scheme is not safe (`javascript:`, `data:`) are
/// left out, each with a warning, when the site sanitizes.
fn drop_unsafe_links(authors: &mut [Author], problems: &mut Vec<Diagnostic>) {
    for author in authors {
        let places = std::mem::take(&mut author.link_places);
        let links = std::mem::take(&mut author.links);
        for (link, (line, col)) in links.into_iter().zip(places) {
            if is_safe_url(&link.url) {
                author.links.push(link);
                author.link_places.push((line, col));
            } else {
                let safe = SAFE_SCHEMES.join(", ");
                let message = format!("link `{}` dropped: sanitize allows only {safe} URLs or paths", link.url);
                problems.push(Diagnostic::warning(
                    Code::UnsafeLink,
                    &author.source_path,
                    line,
                    col,
                    message,
                ));
            }
        }
    }
}

fn unknown_author(article: &Indexed<'_>, slug: &str, authors: &[Author]) -> Diagnostic {
    let (line, col) = article.locate("authors", slug);
    let near = closest(slug, authors.iter().map(|a| a.slug.as_str()), 3);
    let hint = if near.is_empty() {
        format!("add authors/{slug}.yaml with at least `name:`")
    } else {
        format!("closest: {}", near.join(", "))
    };
    Diagnostic::error(
        Code::UnknownAuthor,
        article.source_path,
        line,
        col,
        format!("unknown author `{slug}`: no file authors/{slug}.yaml"),
    )
    .with_suggestion(hint)
}
