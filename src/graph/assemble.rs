//! Assembling the graph from the index and the rendered Markdown: who
//! wrote what, topics' and years' articles, links, summaries, URLs.

use super::ids::Sym;
use super::index::Index;
use super::link::{fill_links_with, LinkInput};
use super::{include_subtopics, shorten, SiteGraph};
use crate::config::SiteConfig;
use crate::content::Article;
use crate::diag::Diagnostic;
use crate::markdown::{render_bio, Rendered};
use std::sync::Arc;

/// What the graph is made from besides the settings.
pub struct Assembly<'a> {
    pub index: &'a Index,
    /// Each article's rendered Markdown with its hash, by position.
    pub rendered: Vec<(Arc<Rendered>, u64)>,
    /// Each author's and topic's stable id, by position.
    pub author_ids: Vec<Sym>,
    pub topic_ids: Vec<Sym>,
    /// Each article's related articles, by position.
    pub related: Vec<Vec<usize>>,
}

/// Links the indexed, rendered articles into the graph the pages are made from.
pub fn assemble_graph(parts: Assembly<'_>, config: &SiteConfig, problems: &mut Vec<Diagnostic>) -> SiteGraph {
    let Assembly {
        index,
        rendered,
        author_ids,
        topic_ids,
        related,
    } = parts;
    let base_path = config.base_path();
    let mut author_articles = vec![Vec::new(); index.authors.len()];
    let mut topic_articles = vec![Vec::new(); index.topics.len()];
    let mut years: Vec<(i32, Vec<usize>)> = Vec::new();
    for (id, parsed) in index.articles.iter().enumerate() {
        for &au in &index.article_authors[id] {
            author_articles[au].push(id);
        }
        for &t in &index.article_topics[id] {
            topic_articles[t].push(id);
        }
        let year = parsed.article.date.year();
        match years.last_mut() {
            Some((y, ids)) if *y == year => ids.push(id),
            _ => years.push((year, vec![id])),
        }
    }
    include_subtopics(&index.topics, &mut topic_articles);
    let (rendered, rendered_hashes): (Vec<Arc<Rendered>>, Vec<u64>) = rendered.into_iter().unzip();
    let articles: Vec<Arc<Article>> = index.articles.iter().map(|p| Arc::clone(&p.article)).collect();
    let links = fill_links_with(
        &LinkInput {
            articles: &articles,
            rendered: &rendered,
            by_path: &index.by_path,
            article_authors: &index.article_authors,
            article_topics: &index.article_topics,
        },
        related,
        problems,
    );
    let summaries = articles.iter().zip(&rendered).map(|(a, r)| summary_of(a, r)).collect();
    let author_bios = index
        .authors
        .iter()
        .map(|a| {
            a.bio
                .as_deref()
                .map(|b| render_bio(b, config.sanitize))
                .unwrap_or_default()
        })
        .collect();
    let author_urls = index
        .authors
        .iter()
        .map(|a| format!("{base_path}authors/{}/", a.slug))
        .collect();
    let topic_urls = index
        .topics
        .iter()
        .map(|t| format!("{base_path}topics/{}/", t.slug))
        .collect();
    let (series, series_of) = super::series::series_groups(&links.series);
    let dates = articles.iter().map(|a| (a.date.machine(), a.date.human())).collect();
    SiteGraph {
        base_path,
        ids: index.articles.iter().map(|p| p.id).collect(),
        article_hashes: index.articles.iter().map(|p| p.hash).collect(),
        articles,
        slugs: index.slugs.clone(),
        urls: index.urls.clone(),
        rendered,
        rendered_hashes,
        summaries,
        dates,
        authors: index.authors.clone(),
        author_ids,
        author_bios,
        author_urls,
        topics: index.topics.clone(),
        topic_ids,
        topic_urls,
        article_authors: index.article_authors.clone(),
        author_articles,
        article_topics: index.article_topics.clone(),
        topic_articles,
        years,
        links,
        series,
        series_of,
    }
}

impl SiteGraph {
    /// Drops what only linking needed from the renderings no one else
    /// holds (the first paragraph, cross-references, problems): a one-off
    /// build keeps only what pages show.
    pub fn shed_link_data(&mut self) {
        for r in &mut self.rendered {
            if let Some(r) = Arc::get_mut(r) {
                *r = Rendered {
                    html: std::mem::take(&mut r.html),
                    headings: std::mem::take(&mut r.headings),
                    ..Rendered::default()
                };
            }
        }
    }

    /// Takes in new renderings of some articles' bodies (by position,
    /// with their hashes) when nothing else changed: summaries and links
    /// follow; related articles and everything the index made stay.
    pub fn replace_bodies(
        &mut self,
        bodies: Vec<(usize, Arc<Rendered>, u64)>,
        by_path: &std::collections::HashMap<String, usize>,
        problems: &mut Vec<Diagnostic>,
    ) {
        for (id, rendered, hash) in bodies {
            self.summaries[id] = summary_of(&self.articles[id], &rendered);
            self.rendered[id] = rendered;
            self.rendered_hashes[id] = hash;
        }
        let related = std::mem::take(&mut self.links.related);
        self.links = fill_links_with(
            &LinkInput {
                articles: &self.articles,
                rendered: &self.rendered,
                by_path,
                article_authors: &self.article_authors,
                article_topics: &self.article_topics,
            },
            related,
            problems,
        );
    }
}

/// An article's summary: its `summary`, or its first paragraph shortened.
pub fn summary_of(article: &Article, rendered: &Rendered) -> String {
    article
        .summary
        .clone()
        .unwrap_or_else(|| shorten(&rendered.first_paragraph))
}
