//! The orchestrator: `Site::load` runs load -> index -> render Markdown ->
//! link and keeps the result; `Site::write` renders pages and writes them.
//! `check` is load alone.

use crate::config::{normalize_base_url, SiteConfig};
use crate::content::{load_content, Content};
use crate::diag::{Diagnostic, Diagnostics};
use crate::graph::{build_index, fill_links, shorten, SiteGraph};
use crate::markdown::{render_markdown, LinkContext};
use crate::output::{write_site, Writer};
use crate::render::{load_templates, theme, Renderer};
use crate::timings::Timings;
use anyhow::Result;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Replaces `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// A loaded, linked site, ready to render.
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub graph: SiteGraph,
    pub tera: tera::Tera,
    pub site_statics: Vec<String>,
}

impl Site {
    /// Loads and checks everything. The site is `None` when there are errors.
    pub fn load(options: &BuildOptions, timings: &mut Timings) -> (Option<Site>, Diagnostics) {
        let mut problems: Vec<Diagnostic> = Vec::new();
        let mut config = SiteConfig::load(&options.root, &mut problems);
        if let Some(url) = &options.base_url {
            match normalize_base_url(url) {
                Ok(u) => config.base_url = u,
                Err(m) => problems.push(Diagnostic::error("--base-url", 1, 1, m)),
            }
        }
        let content = load_content(&options.root, &theme::static_paths(), &mut problems);
        timings.lap("load");
        let tera = load_templates(&options.root, &mut problems);
        timings.lap("templates");
        let site_statics = content.site_statics.clone();
        let graph = build_graph(content, &config, options.drafts, &mut problems, timings);
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(problems);
        let site = match (diagnostics.has_errors(), tera) {
            (false, Some(tera)) => Some(Site {
                root: options.root.clone(),
                config,
                graph,
                tera,
                site_statics,
            }),
            _ => None,
        };
        (site, diagnostics)
    }

    /// A renderer over this site.
    pub fn renderer(&self) -> Renderer<'_> {
        Renderer::new(&self.tera, &self.graph, &self.config)
    }

    /// Renders every page and copies static files to `writer`.
    pub fn write(&self, writer: &dyn Writer) -> Result<usize> {
        write_site(&self.renderer(), &self.root, &self.site_statics, writer)
    }
}

fn build_graph(
    content: Content,
    config: &SiteConfig,
    drafts: bool,
    problems: &mut Vec<Diagnostic>,
    timings: &mut Timings,
) -> SiteGraph {
    let mut statics: HashSet<String> = content.site_statics.iter().cloned().collect();
    statics.extend(theme::static_paths().into_iter().map(String::from));
    let index = build_index(content, config, drafts, problems);
    timings.lap("index");

    let base_path = config.base_path();
    let ctx = LinkContext {
        by_path: &index.by_path,
        urls: &index.urls,
        base_path: &base_path,
        statics: &statics,
        held_drafts: &index.held_drafts,
    };
    let rendered: Vec<_> = index
        .articles
        .par_iter()
        .map(|a| render_markdown(&a.body, &a.rel_path, &ctx))
        .collect();
    timings.lap("markdown");

    let mut author_articles = vec![Vec::new(); index.authors.len()];
    let mut topic_articles = vec![Vec::new(); index.topics.len()];
    let mut years: Vec<(i32, Vec<usize>)> = Vec::new();
    for (id, article) in index.articles.iter().enumerate() {
        for &au in &index.article_authors[id] {
            author_articles[au].push(id);
        }
        for &t in &index.article_topics[id] {
            topic_articles[t].push(id);
        }
        match years.last_mut() {
            Some((year, ids)) if *year == article.date.year() => ids.push(id),
            _ => years.push((article.date.year(), vec![id])),
        }
    }
    let links = fill_links(
        &crate::graph::LinkInput {
            articles: &index.articles,
            rendered: &rendered,
            article_authors: &index.article_authors,
            article_topics: &index.article_topics,
        },
        problems,
    );
    let summaries = index
        .articles
        .iter()
        .zip(&rendered)
        .map(|(a, r)| a.summary.clone().unwrap_or_else(|| shorten(&r.first_paragraph)))
        .collect();
    let author_bios = index
        .authors
        .iter()
        .map(|a| a.bio.as_deref().map(render_bio).unwrap_or_default())
        .collect();
    check_output_paths(&index, &base_path, problems);
    timings.lap("link");

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
    let dates = index
        .articles
        .iter()
        .map(|a| (a.date.machine(), a.date.human()))
        .collect();
    SiteGraph {
        author_urls,
        topic_urls,
        dates,
        base_path,
        urls: index.urls,
        articles: index.articles,
        rendered,
        summaries,
        authors: index.authors,
        author_bios,
        article_authors: index.article_authors,
        author_articles,
        topics: index.topics,
        article_topics: index.article_topics,
        topic_articles,
        years,
        links,
    }
}

/// A short biography in Markdown, as HTML.
fn render_bio(bio: &str) -> String {
    let mut html = String::new();
    let parser = pulldown_cmark::Parser::new_ext(
        bio,
        pulldown_cmark::Options::ENABLE_SMART_PUNCTUATION | pulldown_cmark::Options::ENABLE_STRIKETHROUGH,
    );
    pulldown_cmark::html::push_html(&mut html, parser);
    html
}

/// Aliases must not land on each other or on a page the site generates.
fn check_output_paths(index: &crate::graph::Index, base_path: &str, problems: &mut Vec<Diagnostic>) {
    let articles: HashSet<&str> = index
        .urls
        .iter()
        .map(|u| u.trim_start_matches(base_path).trim_end_matches('/'))
        .collect();
    let mut seen: HashMap<String, &str> = HashMap::new();
    for article in &index.articles {
        for alias in &article.aliases {
            let key = alias.trim_matches('/').to_string();
            let first = key.split('/').next().unwrap_or("");
            let generated = articles.contains(key.as_str())
                || ["", "feed.xml", "sitemap.xml", "robots.txt", "404.html"].contains(&key.as_str())
                || ["authors", "topics", "archive", "page"].contains(&first);
            let clash = if generated {
                Some("a page the site generates".to_string())
            } else {
                seen.insert(key, &article.source_path)
                    .map(|other| format!("an alias of {other}"))
            };
            if let Some(what) = clash {
                let (line, col) = article.locate("aliases", alias);
                problems.push(Diagnostic::error(
                    &article.source_path,
                    line,
                    col,
                    format!("alias `{alias}` would overwrite {what}"),
                ));
            }
        }
    }
}
