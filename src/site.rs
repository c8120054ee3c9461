//! The orchestrator: `Site::load` runs load -> index -> render Markdown ->
//! link and keeps the result; `Site::write` renders pages and writes them.
//! `check` is load alone.

use crate::config::{normalize_base_url, SiteConfig};
use crate::content::{load_content, read_body, Article, Content, StaticFiles};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::graph::related::{compute_related, RelatedInput};
use crate::graph::{build_index, fill_links_with, shorten, Index, LinkInput, RelatedParts, SiteGraph};
use crate::markdown::{render_bio, render_markdown, Rendered};
use crate::output::{check_output_paths, write_site, Writer};
use crate::render::{load_templates, theme, Renderer, Theme};
use crate::timings::Timings;
use anyhow::Result;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

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
    pub theme: Theme,
    pub site_statics: Vec<String>,
    /// Drafts left out because the build does not include drafts.
    pub drafts_skipped: usize,
    /// Files under the content folders skipped by `exclude` (and README.md).
    pub excluded: Vec<String>,
}

impl Site {
    /// Loads and checks everything. The site is `None` when there are errors.
    pub fn load(options: &BuildOptions, timings: &mut Timings) -> (Option<Site>, Diagnostics) {
        let mut problems: Vec<Diagnostic> = Vec::new();
        let mut config = SiteConfig::load(&options.root, &mut problems);
        match &options.base_url {
            Some(url) => match normalize_base_url(url) {
                Ok(u) => config.base_url = u,
                Err(m) => problems.push(Diagnostic::flag(Code::InvalidBaseUrl, "--base-url", m)),
            },
            None => problems.extend(config.warn_without_base_url(&options.root)),
        }
        let exclude = config.exclusions();
        let content = load_content(&options.root, &theme::static_paths(), &exclude, &mut problems);
        let drafts_skipped = match options.drafts {
            true => 0,
            false => content.articles.iter().filter(|a| a.draft).count(),
        };
        let excluded = content.excluded.clone();
        timings.lap("load");
        let theme = load_templates(&options.root, &config.language, &mut problems);
        timings.lap("templates");
        let site_statics = content.site_statics.clone();
        let graph = build_graph(content, &config, options, &mut problems, timings);
        if let Some(theme) = &theme {
            check_output_paths(&Renderer::new(theme, &graph, &config), &site_statics, &mut problems);
        }
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(problems);
        let site = match (diagnostics.has_errors(), theme) {
            (false, Some(theme)) => Some(Site {
                root: options.root.clone(),
                config,
                graph,
                theme,
                site_statics,
                drafts_skipped,
                excluded,
            }),
            _ => None,
        };
        (site, diagnostics)
    }

    /// A renderer over this site.
    pub fn renderer(&self) -> Renderer<'_> {
        Renderer::new(&self.theme, &self.graph, &self.config).with_static_root(&self.root)
    }

    /// Renders every page and copies static files to `writer`.
    pub fn write(&self, writer: &dyn Writer) -> Result<usize> {
        write_site(&self.renderer(), &self.root, &self.site_statics, writer)
    }
}

fn build_graph(
    content: Content,
    config: &SiteConfig,
    options: &BuildOptions,
    problems: &mut Vec<Diagnostic>,
    timings: &mut Timings,
) -> SiteGraph {
    let statics = all_statics(&content.site_statics);
    let index = build_index(content, config, options.drafts, problems);
    timings.lap("index");
    let rendered = render_from_disk(&options.root, &index, &config.base_path(), &statics, problems);
    timings.lap("markdown");
    let mut graph = assemble_graph(index, rendered, config, problems, compute_related);
    // Pages need only the HTML now; a preview keeps the rest to update links.
    for r in &mut graph.rendered {
        *r = Rendered {
            html: std::mem::take(&mut r.html),
            headings: std::mem::take(&mut r.headings),
            ..Rendered::default()
        };
    }
    timings.lap("link");
    graph
}

/// The site's static files with the theme's, as Markdown images see them.
pub fn all_statics(site_statics: &[String]) -> StaticFiles {
    let mut statics: StaticFiles = site_statics.iter().cloned().collect();
    statics.extend(theme::static_paths().into_iter().map(String::from));
    statics
}

/// Renders every article's Markdown in parallel, reading each body from
/// disk just for its rendering: a build needs only the HTML afterwards, so
/// the archive's text is never all in memory at once.
fn render_from_disk(
    root: &Path,
    index: &Index,
    base_path: &str,
    statics: &StaticFiles,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Rendered> {
    let ctx = index.link_context(base_path, statics);
    let results: Vec<Result<Rendered, Diagnostic>> = index
        .articles
        .par_iter()
        .map(|a| read_body(root, a).map(|body| render_markdown(&body, &a.rel_path, &ctx)))
        .collect();
    results
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|d| {
                problems.push(d);
                Rendered::default()
            })
        })
        .collect()
}

/// Renders the Markdown of the articles `ids` of `index`, in parallel.
pub fn render_articles(index: &Index, base_path: &str, statics: &StaticFiles, ids: &[usize]) -> Vec<Rendered> {
    let ctx = index.link_context(base_path, statics);
    ids.par_iter()
        .map(|&id| {
            let a = &index.articles[id];
            render_markdown(&a.body, &a.rel_path, &ctx)
        })
        .collect()
}

/// Links the indexed, rendered articles into the graph the pages are made
/// from; `related` computes the related articles from their topics,
/// authors and dates.
pub fn assemble_graph(
    index: Index,
    rendered: Vec<Rendered>,
    config: &SiteConfig,
    problems: &mut Vec<Diagnostic>,
    related: impl FnOnce(&RelatedInput<'_>) -> Vec<Vec<usize>>,
) -> SiteGraph {
    let base_path = config.base_path();
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
    crate::graph::include_subtopics(&index.topics, &mut topic_articles);
    let input = LinkInput {
        articles: &index.articles,
        rendered: &rendered,
        article_authors: &index.article_authors,
        article_topics: &index.article_topics,
    };
    let related = related(&RelatedParts::new(&input).input());
    let links = fill_links_with(&input, related, problems);
    let summaries = index
        .articles
        .iter()
        .zip(&rendered)
        .map(|(a, r)| summary_of(a, r))
        .collect();
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

/// An article's summary: its `summary`, or its first paragraph shortened.
pub fn summary_of(article: &Article, rendered: &Rendered) -> String {
    article
        .summary
        .clone()
        .unwrap_or_else(|| shorten(&rendered.first_paragraph))
}

/// Links the graph again after articles' Markdown changed but not their
/// front matter: backlinks, anchors and series; related articles are kept.
pub fn relink_graph(graph: &mut SiteGraph, problems: &mut Vec<Diagnostic>) {
    let input = LinkInput {
        articles: &graph.articles,
        rendered: &graph.rendered,
        article_authors: &graph.article_authors,
        article_topics: &graph.article_topics,
    };
    let related = std::mem::take(&mut graph.links.related);
    graph.links = fill_links_with(&input, related, problems);
}
