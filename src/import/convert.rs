//! The conversion, in two passes over the bodies: shortcodes and Liquid
//! first (so every article's headings are known), then links and escaping.

use super::article::{read_meta, Meta};
use super::assemble::{
    assign_slugs, canonical_topics, front_matter, redirect_paths, topic_names, AliasClaims, ArticleFront,
};
use super::assets::{AssetIndex, Assets};
use super::authors::AuthorBook;
use super::body::{ArticleState, BodyEnv};
use super::credits::{author_files, credit_authors, guessed_names, PhotoCtx};
use super::edits::Tracked;
use super::links::{rewrite_links, LinkCtx, LinkStats};
use super::lookup::Lookup;
use super::old_site::{base_url_for, lookup_for, old_url, site_config, site_title};
use super::report::{ImportSummary, Report, WarnKind};
use super::sanitize::escape_template_syntax;
use super::shortcode_map::ShortcodeMap;
use super::source::SourceSite;
use super::tally::Tally;
use super::{ImportOptions, SourceKind};
use crate::config::SiteConfig;
use crate::content::{AuthorFile, FrontMatter, StaticFiles, TopicFile};
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::{render_markdown, slugify, LinkContext};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};

/// One article ready to write.
pub struct OutArticle {
    /// Path under `articles/`.
    pub path: String,
    /// The post's path in the source, for warnings.
    pub source: String,
    pub front: FrontMatter,
    pub body: String,
}

/// The whole new site, ready to write, in the loader's own types.
pub struct Converted {
    pub site: SiteConfig,
    pub articles: Vec<OutArticle>,
    pub authors: BTreeMap<String, AuthorFile>,
    /// Topics with a description, by slug.
    pub topics: BTreeMap<String, TopicFile>,
    /// Path under `static/` -> path in the source.
    pub copies: BTreeMap<String, String>,
    pub summary: ImportSummary,
}

/// What is fixed about every article before any body is converted.
struct Plan {
    metas: Vec<Meta>,
    title: String,
    slugs: Vec<String>,
    /// Path of each article under `articles/`.
    out_paths: Vec<String>,
    old_urls: Vec<String>,
    lookup: Lookup,
    base_url: Option<String>,
    config: SiteConfig,
    /// Each article's URL on the new site.
    new_urls: Vec<String>,
}

fn plan(site: &SourceSite, options: &ImportOptions, report: &mut Report) -> Plan {
    let metas: Vec<Meta> = site
        .posts
        .iter()
        .map(|p| read_meta(p, &site.topic_keys, report))
        .collect();
    let title = site_title(site);
    let slugs = assign_slugs(&site.posts, &metas, report);
    let out_paths = metas
        .iter()
        .zip(&slugs)
        .map(|(m, s)| format!("{}/{s}.md", m.date.local_date().year()))
        .collect();
    let old_urls: Vec<String> = metas.iter().enumerate().map(|(i, m)| old_url(site, i, m)).collect();
    let mut lookup = lookup_for(site, &metas, &old_urls);
    let base_url = base_url_for(site, options, &lookup, report);
    lookup.set_base_url(base_url.as_deref());
    let config = site_config(site, &title, base_url.as_deref());
    let new_urls = slugs
        .iter()
        .map(|s| crate::graph::article_url(&config.base_path(), s))
        .collect();
    Plan {
        metas,
        title,
        slugs,
        out_paths,
        old_urls,
        lookup,
        base_url,
        config,
        new_urls,
    }
}

/// What converting every body shares; hands out each article's [`BodyEnv`].
struct Shared<'a> {
    site: &'a SourceSite,
    plan: &'a Plan,
    book: &'a AuthorBook,
    files: AssetIndex,
    map: &'a ShortcodeMap,
    tally: RefCell<Tally>,
    states: Vec<RefCell<ArticleState>>,
}

impl Shared<'_> {
    fn env(&self, i: usize) -> BodyEnv<'_> {
        let post = &self.site.posts[i];
        BodyEnv {
            site: self.site,
            lookup: &self.plan.lookup,
            book: self.book,
            doc: &post.doc,
            source: &post.rel_path,
            old_url: &self.plan.old_urls[i],
            slug: &self.plan.slugs[i],
            bundle_dir: post.bundle_dir.as_deref(),
            site_title: &self.plan.title,
            out_paths: &self.plan.out_paths,
            files: &self.files,
            map: self.map,
            tally: &self.tally,
            state: &self.states[i],
        }
    }
}

/// Converts the loaded site; `map` says what the site's own shortcodes become.
pub fn convert(mut site: SourceSite, options: &ImportOptions, map: &ShortcodeMap) -> Converted {
    let mut report = std::mem::take(&mut site.report);
    let plan = plan(&site, options, &mut report);
    let mut book = AuthorBook::from_team(&site.team);
    let authors_from_data = book.entries.len();
    let fallback_name = site.info.author.clone().unwrap_or_else(|| plan.title.clone());
    let credits = credit_authors(&site, &plan.metas, &mut book, &fallback_name, &mut report);
    let shared = Shared {
        site: &site,
        plan: &plan,
        book: &book,
        files: AssetIndex::new(&site),
        map,
        tally: RefCell::default(),
        states: site.posts.iter().map(|_| RefCell::default()).collect(),
    };
    // Pass one: shortcodes and Liquid, so every article's headings are known.
    let bodies = first_pass(&shared, &mut report);
    let headings: Vec<Vec<String>> = bodies.iter().map(|b| heading_ids(&b.text)).collect();
    // Pass two: links, images, escaping; then front matter.
    let mut pass = PassTwo::new(&shared, &headings, &credits.per_post);
    let articles: Vec<OutArticle> = bodies
        .into_iter()
        .enumerate()
        .map(|(i, tracked)| pass.article(i, tracked, &mut report))
        .collect();
    let (authors, copies) = people_and_copies(&shared, &mut report);
    let (stats, extra_keys, names) = (pass.stats, pass.extra_keys, pass.names);
    let warnings = sorted(report);
    let unresolved = warnings
        .iter()
        .filter(|w| w.code == WarnKind::UnresolvedLink.code())
        .count();
    let summary = ImportSummary {
        kind: site.kind.name(),
        out: options.out.clone(),
        articles: articles.len(),
        drafts: plan.metas.iter().filter(|m| m.draft).count(),
        authors: book.entries.len(),
        authors_from_data,
        topics: names.len(),
        xrefs_resolved: stats.resolved,
        xrefs_unresolved: unresolved,
        images_copied: copies.len(),
        base_url: plan.base_url.clone(),
        extra_keys,
        warnings,
        team_sources: team_sources(&site),
        guessed: guessed_names(&book, &credits),
        tally: shared.tally.into_inner(),
        tag_word: if site.kind == SourceKind::Hugo {
            "shortcode"
        } else {
            "Liquid tag"
        },
    };
    Converted {
        site: plan.config,
        articles,
        authors,
        topics: topic_files(&site, &names),
        copies,
        summary,
    }
}

/// The author files, and every file to copy into `static/` (people's photos
/// and what the articles refer to).
fn people_and_copies(
    shared: &Shared<'_>,
    report: &mut Report,
) -> (BTreeMap<String, AuthorFile>, BTreeMap<String, String>) {
    let photo_ctx = PhotoCtx {
        site: shared.site,
        lookup: &shared.plan.lookup,
        files: &shared.files,
    };
    let mut people_assets = Assets::default();
    let authors = author_files(shared.book, &photo_ctx, &mut people_assets, report);
    let mut copies = people_assets.copies;
    for state in &shared.states {
        copies.extend(state.borrow().assets.copies.clone());
    }
    (authors, copies)
}

/// The second pass over the bodies, one article at a time.
struct PassTwo<'a> {
    shared: &'a Shared<'a>,
    headings: &'a [Vec<String>],
    drafts: Vec<bool>,
    /// Topic slug -> its one spelling.
    names: BTreeMap<String, String>,
    credits: &'a [Vec<String>],
    claims: AliasClaims,
    stats: LinkStats,
    /// Source keys kept under `extra`, with how many articles had each.
    extra_keys: BTreeMap<String, usize>,
}

impl<'a> PassTwo<'a> {
    fn new(shared: &'a Shared<'a>, headings: &'a [Vec<String>], credits: &'a [Vec<String>]) -> Self {
        let (site, plan) = (shared.site, shared.plan);
        let term_titles: Vec<(String, String)> =
            site.topics.iter().map(|t| (slugify(&t.name), t.name.clone())).collect();
        PassTwo {
            shared,
            headings,
            drafts: plan.metas.iter().map(|m| m.draft).collect(),
            names: topic_names(&plan.metas, &term_titles),
            credits,
            claims: AliasClaims::new(&plan.slugs),
            stats: LinkStats::default(),
            extra_keys: BTreeMap::new(),
        }
    }

    /// Article `i`: its links rewritten, template syntax escaped, its front matter made.
    fn article(&mut self, i: usize, mut tracked: Tracked, report: &mut Report) -> OutArticle {
        let env = self.shared.env(i);
        let plan = self.shared.plan;
        let ctx = LinkCtx {
            env: &env,
            out_paths: &plan.out_paths,
            headings: self.headings,
            drafts: &self.drafts,
            new_urls: &plan.new_urls,
            current: i,
        };
        rewrite_links(&mut tracked, &ctx, report, &mut self.stats);
        escape_template_syntax(&mut tracked);
        let meta = &plan.metas[i];
        let image = env.lead_image(meta, report);
        env.report_missing_images(report);
        if meta.expired {
            let line = env
                .doc
                .first_of(&["expirydate", "expiryDate", "expiry_date", "expires"])
                .map_or(1, |f| f.line);
            report.warn(
                WarnKind::Draft,
                env.source,
                line,
                "expired (expirydate in the past); imported as a draft",
            );
        }
        let topics = canonical_topics(&meta.topics, &self.names);
        for key in meta.extra.keys().filter_map(|k| k.as_str()) {
            *self.extra_keys.entry(key.to_string()).or_insert(0) += 1;
        }
        // A Jekyll draft never had a URL of its own.
        let own_url = if env.site.posts[i].in_drafts {
            ""
        } else {
            plan.old_urls[i].as_str()
        };
        let redirects = redirect_paths(own_url, &meta.aliases, &plan.lookup);
        let line = env.doc.first_of(&["aliases", "redirect_from"]).map_or(1, |f| f.line);
        let aliases = self.claims.claim(redirects, env.source, line, report);
        let front = front_matter(&ArticleFront {
            meta,
            authors: &self.credits[i],
            topics: &topics,
            image,
            aliases: &aliases,
        });
        OutArticle {
            path: plan.out_paths[i].clone(),
            source: env.source.to_string(),
            front,
            body: tracked.text,
        }
    }
}

/// The warnings sorted by place, as the core sorts diagnostics.
fn sorted(report: Report) -> Vec<Diagnostic> {
    let mut all = Diagnostics::default();
    all.extend(report.warnings);
    all.sorted()
}

/// Each source of people with how many it gave.
fn team_sources(site: &SourceSite) -> Vec<(String, usize)> {
    site.team_sources
        .iter()
        .map(|source| {
            let n = site.team.iter().filter(|m| m.from.starts_with(source.as_str())).count();
            (source.clone(), n)
        })
        .collect()
}

/// Topic files for the topics the source describes (Hugo term pages).
fn topic_files(site: &SourceSite, names: &BTreeMap<String, String>) -> BTreeMap<String, TopicFile> {
    site.topics
        .iter()
        .filter_map(|t| {
            let file = TopicFile {
                name: Some(t.name.clone()),
                description: Some(t.description.clone()?),
                ..TopicFile::default()
            };
            Some((slugify(&t.name), file))
        })
        .filter(|(slug, _)| names.contains_key(slug))
        .collect()
}

/// Every body with its shortcodes or Liquid converted.
fn first_pass(shared: &Shared<'_>, report: &mut Report) -> Vec<Tracked> {
    (0..shared.site.posts.len())
        .map(|i| {
            let doc = &shared.site.posts[i].doc;
            let mut tracked = Tracked::new(doc.body.clone(), doc.body_line);
            convert_markup(&mut tracked, &shared.env(i), report);
            tracked
        })
        .collect()
}

/// Converts the body's shortcodes or Liquid; each note is already placed.
fn convert_markup(tracked: &mut Tracked, env: &BodyEnv<'_>, report: &mut Report) {
    let mut notes: Vec<Diagnostic> = Vec::new();
    let edits = match env.site.kind {
        SourceKind::Hugo => super::shortcodes::shortcode_edits(&tracked.text, env, &mut notes),
        SourceKind::Jekyll | SourceKind::Eleventy => super::liquid::liquid_edits(&tracked.text, env, &mut notes),
    };
    for note in notes {
        report.push(note);
    }
    tracked.apply(edits);
}

/// The ids the build gives the headings of a Markdown text: the core's
/// renderer run on it, so the two can never disagree.
fn heading_ids(text: &str) -> Vec<String> {
    let (by_path, statics, held) = (HashMap::new(), StaticFiles::default(), HashSet::new());
    let nearest = std::sync::OnceLock::new();
    let ctx = LinkContext {
        by_path: &by_path,
        urls: &[],
        base_path: "/",
        statics: &statics,
        held_drafts: &held,
        nearest: &nearest,
        sanitize: false,
    };
    render_markdown(text, "", &ctx)
        .headings
        .into_iter()
        .map(|h| h.id)
        .collect()
}
