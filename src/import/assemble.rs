//! Pieces of the conversion that need the whole site at once: the original
//! address guessed from links, one spelling per topic, unique slugs, and
//! the front matter written for each article.

use super::article::Meta;
use super::lookup::{Lookup, Target};
use super::report::{Report, WarnKind};
use super::source::SourcePost;
use crate::content::fields::is_valid_slug as is_slug;
use crate::content::fields::OneOrMany;
use crate::content::{FrontMatter, Image};
use crate::markdown::slugify;
use regex::Regex;
use serde_yaml::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The host most links to the site's own posts use, as `https://host`.
pub fn infer_base_url(posts: &[SourcePost], lookup: &Lookup) -> Option<(String, usize)> {
    let url = Regex::new(r#"(https?)://([A-Za-z0-9.-]+)(/[^\s)"'<>\]]*)"#).expect("valid pattern");
    let mut counts: HashMap<(String, String), usize> = HashMap::new();
    for post in posts {
        for caps in url.captures_iter(&post.doc.body) {
            if let Target::Article(..) = lookup.classify(&caps[3], &post.rel_path, "/") {
                *counts.entry((caps[1].to_string(), caps[2].to_lowercase())).or_insert(0) += 1;
            }
        }
    }
    let mut by_host: HashMap<String, (usize, usize, String)> = HashMap::new();
    for ((scheme, host), n) in counts {
        let bare = host.strip_prefix("www.").unwrap_or(&host).to_string();
        let entry = by_host.entry(bare).or_insert((0, 0, String::new()));
        entry.0 += n;
        if scheme == "https" {
            entry.1 += n;
        }
        if entry.2.is_empty() || !host.starts_with("www.") {
            entry.2 = host;
        }
    }
    by_host
        .into_iter()
        .max_by_key(|(host, (n, _, _))| (*n, std::cmp::Reverse(host.clone())))
        .map(|(_, (n, https, host))| {
            let scheme = if https * 2 >= n { "https" } else { "http" };
            (format!("{scheme}://{host}"), n)
        })
}

/// One display name per topic slug: the term page's title, else the most
/// used spelling. Returns slug -> name.
pub fn topic_names(metas: &[Meta], term_titles: &[(String, String)]) -> BTreeMap<String, String> {
    let mut spellings: HashMap<String, Vec<(String, usize, usize)>> = HashMap::new();
    let mut order = 0;
    for meta in metas {
        for topic in &meta.topics {
            let list = spellings.entry(slugify(topic)).or_default();
            match list.iter_mut().find(|(s, _, _)| s == topic) {
                Some(entry) => entry.1 += 1,
                None => {
                    list.push((topic.clone(), 1, order));
                    order += 1;
                }
            }
        }
    }
    let mut names: BTreeMap<String, String> = spellings
        .into_iter()
        .filter(|(slug, _)| !slug.is_empty())
        .map(|(slug, list)| {
            let best = list
                .iter()
                .max_by_key(|(_, n, first)| (*n, std::cmp::Reverse(*first)))
                .map(|(s, _, _)| s.clone())
                .unwrap_or_default();
            (slug, best)
        })
        .collect();
    for (slug, title) in term_titles {
        if names.contains_key(slug) {
            names.insert(slug.clone(), title.clone());
        }
    }
    names
}

/// The article's topics under their one site-wide spelling.
pub fn canonical_topics(topics: &[String], names: &BTreeMap<String, String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for topic in topics {
        if let Some(name) = names.get(&slugify(topic)) {
            if !out.contains(name) {
                out.push(name.clone());
            }
        }
    }
    out
}

/// Unique slugs in date order; later duplicates get `-2`, `-3`.
pub fn assign_slugs(posts: &[SourcePost], metas: &[Meta], report: &mut Report) -> Vec<String> {
    let mut order: Vec<usize> = (0..posts.len()).collect();
    order.sort_by(|a, b| (metas[*a].date.date, &posts[*a].rel_path).cmp(&(metas[*b].date.date, &posts[*b].rel_path)));
    let mut taken: HashSet<String> = HashSet::new();
    let mut slugs = vec![String::new(); posts.len()];
    for index in order {
        let post = &posts[index];
        let line = post.doc.get("slug").map_or(1, |f| f.line);
        let wanted = match &metas[index].slug {
            Some(slug) if is_slug(slug) => slug.clone(),
            Some(slug) => {
                let clean = slugify(slug);
                report.warn(
                    WarnKind::Slug,
                    &post.rel_path,
                    line,
                    format!("slug `{slug}` is not [a-z0-9-]+; used `{clean}`"),
                );
                clean
            }
            None => slugify(&post.name_slug),
        };
        let base = if wanted.is_empty() {
            slugify(&metas[index].title)
        } else {
            wanted
        };
        let base = if base.is_empty() { "untitled".to_string() } else { base };
        let mut slug = base.clone();
        let mut n = 2;
        while taken.contains(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        if slug != base {
            report.warn(
                WarnKind::Slug,
                &post.rel_path,
                line,
                format!("slug `{base}` already taken by an earlier post; used `{slug}`"),
            );
        }
        taken.insert(slug.clone());
        slugs[index] = slug;
    }
    slugs
}

/// Everything the article's front matter holds, resolved.
pub struct ArticleFront<'a> {
    pub meta: &'a Meta,
    pub authors: &'a [String],
    pub topics: &'a [String],
    pub image: Option<Image>,
    pub aliases: &'a [String],
}

fn listed(items: &[String]) -> Option<OneOrMany> {
    (!items.is_empty()).then(|| OneOrMany(items.to_vec()))
}

/// The pressroom front matter: the loader's own struct, so what is written
/// is what `check` reads.
pub fn front_matter(fm: &ArticleFront<'_>) -> FrontMatter {
    let meta = fm.meta;
    FrontMatter {
        title: Some(meta.title.clone()),
        date: Some(meta.date.to_date()),
        updated: meta.updated,
        authors: listed(fm.authors),
        topics: listed(fm.topics),
        summary: meta.summary.clone(),
        draft: meta.draft,
        image: fm.image.clone(),
        series: meta.series.clone(),
        aliases: listed(fm.aliases),
        extra: (!meta.extra.is_empty()).then(|| Value::Mapping(meta.extra.clone())),
        ..FrontMatter::default()
    }
}

/// Old URLs to redirect from: the post's own old URL and its declared
/// aliases, as root-relative paths, without duplicates.
pub fn redirect_paths(old_url: &str, declared: &[String], lookup: &Lookup) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for alias in std::iter::once(old_url.to_string()).chain(declared.iter().cloned()) {
        let path = match alias.split_once("://") {
            Some((_, rest)) => {
                let host = rest.split('/').next().unwrap_or("");
                if lookup.origin().is_none_or(|o| {
                    !o.to_lowercase()
                        .ends_with(&host.to_lowercase().trim_start_matches("www.").to_string())
                }) {
                    continue;
                }
                rest[host.len()..].to_string()
            }
            None => alias,
        };
        let path = path.split(['?', '#']).next().unwrap_or("");
        let path = format!("/{}", path.trim().trim_start_matches('/'));
        if path != "/" && !out.contains(&path) {
            out.push(path);
        }
    }
    out
}

/// Old URLs an article of the import has as its new URL, or that another
/// article already redirects from. (Pages the build itself generates are
/// the core's to say: the final check drops aliases landing there.)
#[derive(Debug, Default)]
pub struct AliasClaims {
    taken: HashSet<String>,
}

impl AliasClaims {
    /// Claims for a site whose articles have these slugs.
    pub fn new(slugs: &[String]) -> AliasClaims {
        let taken: HashSet<String> = slugs
            .iter()
            .map(|s| crate::graph::article_url("", s).trim_matches('/').to_string())
            .collect();
        AliasClaims { taken }
    }

    /// Keeps the aliases no other page holds, reporting the rest.
    pub fn claim(&mut self, aliases: Vec<String>, source: &str, line: usize, report: &mut Report) -> Vec<String> {
        let mut kept = Vec::new();
        for alias in aliases {
            let key = alias.trim_matches('/').to_string();
            let generated = key.split('/').any(|p| p == ".." || p == ".");
            if generated || !self.taken.insert(key) {
                report.warn(
                    WarnKind::Slug,
                    source,
                    line,
                    format!("old URL {alias} is taken by another page of the new site or leaves the site; no redirect from it"),
                );
            } else {
                kept.push(alias);
            }
        }
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_never_land_on_articles_or_each_other() {
        // Pages the build generates are the core's to say: see final_check.
        let mut claims = AliasClaims::new(&["hello".to_string()]);
        let mut report = Report::default();
        let kept = claims.claim(
            vec![
                "/2015/hello/".into(),
                "/articles/hello/".into(),
                "/topics/x/".into(),
                "/2015/hello".into(),
            ],
            "a.md",
            1,
            &mut report,
        );
        assert_eq!(kept, vec!["/2015/hello/", "/topics/x/"]);
        assert_eq!(report.warnings.len(), 2);
    }
}
