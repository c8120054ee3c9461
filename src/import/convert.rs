//! The conversion, in two passes over the bodies: shortcodes and Liquid
//! first (so every article's headings are known), then links and escaping.

use super::article::{read_meta, Meta};
use super::assemble::{
    assign_slugs, front_matter, infer_base_url, redirect_paths, topic_names, AliasClaims, ArticleFront,
};
use super::assets::{AssetIndex, Assets};
use super::authors::AuthorBook;
use super::body::{ArticleState, BodyEnv};
use super::credits::{author_files, credit_authors, guessed_names, PhotoCtx};
use super::edits::Tracked;
use super::links::{rewrite_links, LinkCtx, LinkStats};
use super::lookup::{Entry, Lookup};
use super::permalink::{expand, UrlParts};
use super::report::{ImportSummary, Report, WarnKind};
use super::sanitize::escape_template_syntax;
use super::shortcode_map::ShortcodeMap;
use super::source::{file_stem, SourceSite, UrlRule};
use super::tally::Tally;
use super::{ImportOptions, SourceKind};
use crate::config::SiteConfig;
use crate::content::{AuthorFile, FrontMatter, Image, StaticFiles, TopicFile};
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::{render_markdown, slugify, LinkContext};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};

/// One article ready to write.
pub struct OutArticle {
    /// Path under `articles/`.
    pub path: String,
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

fn site_title(site: &SourceSite) -> String {
    if let Some(title) = &site.info.title {
        return title.clone();
    }
    let readme = std::fs::read_to_string(site.root.join("README.md")).unwrap_or_default();
    readme
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(|t| t.trim().to_string())
        .unwrap_or_else(|| {
            site.root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "Archive".into())
        })
}

fn old_url(site: &SourceSite, index: usize, meta: &Meta) -> String {
    let post = &site.posts[index];
    let slug = meta.slug.clone().unwrap_or_else(|| post.name_slug.clone());
    let hugo_slug = meta.slug.clone().unwrap_or_default();
    let categories: Vec<String> = match post.doc.first_of(&["categories", "category"]) {
        Some(field) => super::front_matter::string_list(&field.value),
        None => post.section.clone(),
    };
    let parts = UrlParts {
        date: &meta.date,
        slug: if site.kind == SourceKind::Hugo {
            &hugo_slug
        } else {
            &slug
        },
        file_slug: &post.url_slug,
        title: &meta.title,
        categories: &categories,
        section: &post.section,
        path_stem: &post.path_stem,
    };
    let rule = match (&meta.permalink, &post.url_rule) {
        (Some(p), UrlRule::Jekyll(_)) => UrlRule::Jekyll(p.clone()),
        (Some(p), UrlRule::Eleventy(_)) => UrlRule::Eleventy(p.clone()),
        (Some(p), UrlRule::Hugo(_)) => UrlRule::Hugo(p.clone()),
        (None, rule) => rule.clone(),
    };
    expand(&rule, &parts)
}

/// Converts the loaded site; `map` says what the site's own shortcodes become.
pub fn convert(mut site: SourceSite, options: &ImportOptions, map: &ShortcodeMap) -> Converted {
    let mut report = std::mem::take(&mut site.report);
    let metas: Vec<Meta> = site
        .posts
        .iter()
        .map(|p| read_meta(p, &site.topic_keys, &mut report))
        .collect();
    let title = site_title(&site);
    let slugs = assign_slugs(&site.posts, &metas, &mut report);
    let out_paths: Vec<String> = metas
        .iter()
        .zip(&slugs)
        .map(|(m, s)| format!("{}/{s}.md", m.date.local_date().year()))
        .collect();
    let old_urls: Vec<String> = metas.iter().enumerate().map(|(i, m)| old_url(&site, i, m)).collect();
    let mut lookup = lookup_for(&site, &metas, &old_urls);
    let base_url = base_url_for(&site, options, &lookup, &mut report);
    lookup.set_base_url(base_url.as_deref());
    let config = site_config(&site, &title, base_url.as_deref());
    let new_urls: Vec<String> = slugs.iter().map(|s| crate::graph::article_url(&config.base_path(), s)).collect();

    let mut book = AuthorBook::from_team(&site.team);
    let authors_from_data = book.entries.len();
    let fallback_name = site.info.author.clone().unwrap_or_else(|| title.clone());
    let credits = credit_authors(&site, &metas, &mut book, &fallback_name, &mut report);
    let files = AssetIndex::new(&site);
    let tally = RefCell::new(Tally::default());

    // Pass one: shortcodes and Liquid, then headings.
    let states: Vec<RefCell<ArticleState>> = site.posts.iter().map(|_| RefCell::default()).collect();
    let env_for = |i: usize| BodyEnv {
        site: &site,
        lookup: &lookup,
        book: &book,
        doc: &site.posts[i].doc,
        source: &site.posts[i].rel_path,
        old_url: &old_urls[i],
        slug: &slugs[i],
        bundle_dir: site.posts[i].bundle_dir.as_deref(),
        site_title: &title,
        out_paths: &out_paths,
        files: &files,
        map,
        tally: &tally,
        state: &states[i],
    };
    let mut bodies: Vec<Tracked> = Vec::new();
    for (i, post) in site.posts.iter().enumerate() {
        let mut tracked = Tracked::new(post.doc.body.clone(), post.doc.body_line);
        convert_markup(&mut tracked, &env_for(i), &mut report);
        bodies.push(tracked);
    }
    let headings: Vec<Vec<String>> = bodies.iter().map(|b| heading_ids(&b.text)).collect();

    // Pass two: links, images, escaping; then front matter.
    let mut stats = LinkStats::default();
    let term_titles: Vec<(String, String)> = site.topics.iter().map(|t| (slugify(&t.name), t.name.clone())).collect();
    let names = topic_names(&metas, &term_titles);
    let drafts: Vec<bool> = metas.iter().map(|m| m.draft).collect();
    let mut claims = AliasClaims::new(&slugs);
    let mut articles = Vec::new();
    let mut extra_keys: BTreeMap<String, usize> = BTreeMap::new();
    for (i, mut tracked) in bodies.into_iter().enumerate() {
        let env = env_for(i);
        let ctx = LinkCtx {
            env: &env,
            out_paths: &out_paths,
            headings: &headings,
            drafts: &drafts,
            new_urls: &new_urls,
            current: i,
        };
        rewrite_links(&mut tracked, &ctx, &mut report, &mut stats);
        escape_template_syntax(&mut tracked);
        let meta = &metas[i];
        let image = lead_image(meta, &env, &mut report);
        report_missing_images(&env, &mut report);
        if meta.expired {
            let line = env.doc.first_of(&["expirydate", "expiryDate", "expiry_date", "expires"]).map_or(1, |f| f.line);
            report.warn(WarnKind::Draft, env.source, line, "expired (expirydate in the past); imported as a draft");
        }
        let topics = canonical_topics(&meta.topics, &names);
        for key in meta.extra.keys().filter_map(|k| k.as_str()) {
            *extra_keys.entry(key.to_string()).or_insert(0) += 1;
        }
        // A Jekyll draft never had a URL of its own.
        let own_url = if site.posts[i].in_drafts { "" } else { old_urls[i].as_str() };
        let aliases = claims.claim(redirect_paths(own_url, &meta.aliases, &lookup), env.source, &mut report);
        let front = front_matter(&ArticleFront {
            meta,
            authors: &credits.per_post[i],
            topics: &topics,
            image,
            aliases: &aliases,
        });
        articles.push(OutArticle {
            path: out_paths[i].clone(),
            front,
            body: tracked.text,
        });
    }
    let mut people_assets = Assets::default();
    let photo_ctx = PhotoCtx {
        site: &site,
        lookup: &lookup,
        files: &files,
    };
    let authors = author_files(&book, &photo_ctx, &mut people_assets, &mut report);
    let mut copies = people_assets.copies;
    for state in &states {
        copies.extend(state.borrow().assets.copies.clone());
    }
    let topics: BTreeMap<String, TopicFile> = site
        .topics
        .iter()
        .filter_map(|t| {
            let file = TopicFile {
                name: Some(t.name.clone()),
                description: Some(t.description.clone()?),
            };
            Some((slugify(&t.name), file))
        })
        .filter(|(slug, _)| names.contains_key(slug))
        .collect();
    let mut sorted = Diagnostics::default();
    sorted.extend(report.warnings);
    let warnings = sorted.sorted();
    let team_sources = site
        .team_sources
        .iter()
        .map(|source| {
            let n = site.team.iter().filter(|m| &m.from == source || m.from.starts_with(source.as_str())).count();
            (source.clone(), n)
        })
        .collect();
    let summary = ImportSummary {
        kind: site.kind.name(),
        out: options.out.clone(),
        articles: articles.len(),
        drafts: metas.iter().filter(|m| m.draft).count(),
        authors: book.entries.len(),
        authors_from_data,
        topics: names.len(),
        xrefs_resolved: stats.resolved,
        xrefs_unresolved: warnings.iter().filter(|w| w.code == Some(WarnKind::UnresolvedLink.name())).count(),
        images_copied: copies.len(),
        base_url: base_url.clone(),
        extra_keys,
        warnings,
        team_sources,
        guessed: guessed_names(&book, &credits),
        tally: tally.into_inner(),
        tag_word: if site.kind == SourceKind::Hugo { "shortcode" } else { "Liquid tag" },
    };
    Converted {
        site: config,
        articles,
        authors,
        topics,
        copies,
        summary,
    }
}

/// The index of the old site's URLs and files.
fn lookup_for(site: &SourceSite, metas: &[Meta], old_urls: &[String]) -> Lookup {
    let entries: Vec<Entry> = site
        .posts
        .iter()
        .zip(metas)
        .zip(old_urls)
        .map(|((post, meta), url)| Entry {
            source: post.rel_path.clone(),
            old_url: url.clone(),
            aliases: meta.aliases.clone(),
            names: name_keys(post),
        })
        .collect();
    let pages: Vec<(String, String)> = site.pages.iter().map(|p| (p.rel_path.clone(), p.url.clone())).collect();
    Lookup::new(&entries, &pages, None)
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
    let ctx = LinkContext {
        by_path: &by_path,
        urls: &[],
        base_path: "/",
        statics: &statics,
        held_drafts: &held,
    };
    render_markdown(text, "", &ctx).headings.into_iter().map(|h| h.id).collect()
}

/// One warning per article for the images it names that the source lacks.
fn report_missing_images(env: &BodyEnv<'_>, report: &mut Report) {
    let missing = std::mem::take(&mut env.state.borrow_mut().assets.missing);
    if let Some(first) = missing.first() {
        let how = if env.lookup.origin().is_some() {
            "linked to the original site"
        } else {
            "their addresses left empty (pass --base-url)"
        };
        let line = env.doc.body.find(first.trim_start_matches('/')).map_or(env.doc.body_line, |offset| env.line_of(offset));
        report.warn(
            WarnKind::Image,
            env.source,
            line,
            format!("{} image(s) not in the source ({first}), {how}", missing.len()),
        );
    }
}

/// The original site's address: `--base-url`, the config, or the domain
/// most links to the site's own posts use.
fn base_url_for(site: &SourceSite, options: &ImportOptions, lookup: &Lookup, report: &mut Report) -> Option<String> {
    let found = options.base_url.clone().or_else(|| site.info.base_url.clone()).or_else(|| {
        let (url, n) = infer_base_url(&site.posts, lookup)?;
        report.warn(
            WarnKind::Site,
            "",
            0,
            format!("original site address taken as {url} from {n} links to its own posts; pass --base-url to change it"),
        );
        Some(url)
    });
    if found.is_none() {
        report.warn(
            WarnKind::Site,
            "",
            0,
            "original site address unknown (pass --base-url): links to its other pages stay root-relative",
        );
    }
    found
}

/// The lead image with its file resolved; `alt: ""` (reported) when the
/// source has no alt text, since the build requires one.
fn lead_image(meta: &Meta, env: &BodyEnv<'_>, report: &mut Report) -> Option<Image> {
    let raw = meta.image.as_ref()?;
    if raw.alt.is_none() {
        report.warn(
            WarnKind::Image,
            env.source,
            0,
            "lead image has no alt text in the source; wrote alt: \"\" (decorative): describe it if it is not",
        );
    }
    let src = env.asset_url(&raw.src);
    (src.starts_with("http") || src.starts_with('/')).then(|| Image {
        src,
        alt: Some(raw.alt.clone().unwrap_or_default()),
        caption: raw.caption.clone(),
        credit: raw.credit.clone(),
    })
}

/// The article's topics under their one site-wide spelling.
fn canonical_topics(topics: &[String], names: &BTreeMap<String, String>) -> Vec<String> {
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

/// Keys by which `post_url`, `ref` and `link` may name a post.
fn name_keys(post: &super::source::SourcePost) -> Vec<String> {
    let stem = file_stem(&post.rel_path).to_string();
    let mut keys = vec![stem.clone(), post.path_stem.clone()];
    if let Some(ext) = post.rel_path.rsplit_once('.').map(|(_, e)| e) {
        keys.push(format!("{}.{ext}", post.path_stem));
        keys.push(format!("{stem}.{ext}"));
    }
    if let Some(dir) = &post.bundle_dir {
        keys.push(dir.rsplit('/').next().unwrap_or(dir).to_string());
        keys.push(post.path_stem.trim_end_matches("/index").to_string());
    }
    keys
}

/// `site.yaml`: the loader's own settings struct, from the old config.
fn site_config(site: &SourceSite, title: &str, base_url: Option<&str>) -> SiteConfig {
    let defaults = SiteConfig::default();
    let base_url = base_url
        .and_then(|u| crate::config::normalize_base_url(u.trim_end_matches('/')).ok())
        .unwrap_or(defaults.base_url.clone());
    SiteConfig {
        title: title.to_string(),
        description: site.info.description.clone().unwrap_or_default(),
        base_url,
        language: site.info.language.clone().unwrap_or(defaults.language.clone()),
        paginate: site.info.paginate.map_or(defaults.paginate, |n| n.max(1) as usize),
        copyright: site.info.copyright.clone(),
        ..defaults
    }
}
