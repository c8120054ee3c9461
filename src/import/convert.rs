//! The conversion, in two passes over the bodies: shortcodes and Liquid
//! first (so every article's headings are known), then links and escaping.

use super::article::{read_meta, Meta};
use super::assemble::{
    assign_slugs, front_matter, infer_base_url, redirect_paths, topic_names, AliasClaims, FrontMatter, LeadImage,
};
use super::authors::{AuthorBook, AuthorEntry};
use super::body::{convert_markup, heading_ids, Assets, BodyEnv};
use super::edits::Tracked;
use super::links::{rewrite_links, LinkCtx, LinkStats};
use super::lookup::{Entry, Lookup};
use super::permalink::{expand, UrlParts};
use super::report::{ImportSummary, Report, WarnKind};
use super::sanitize::escape_template_syntax;
use super::source::{file_stem, SourceSite, UrlRule};
use super::text::slugify;
use super::{ImportOptions, SourceKind};
use serde_yaml::Mapping;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// One article ready to write.
pub struct OutArticle {
    /// Path under `articles/`.
    pub path: String,
    pub front: Mapping,
    pub body: String,
}

/// The whole new site, ready to write.
pub struct Converted {
    pub site: Mapping,
    pub articles: Vec<OutArticle>,
    pub authors: BTreeMap<String, AuthorEntry>,
    /// slug -> (name, description) for topics with a description.
    pub topics: BTreeMap<String, (String, String)>,
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

/// Converts the loaded site.
pub fn convert(mut site: SourceSite, options: &ImportOptions) -> Converted {
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
    let entries: Vec<Entry> = site
        .posts
        .iter()
        .zip(&metas)
        .zip(&old_urls)
        .map(|((post, meta), url)| Entry {
            source: post.rel_path.clone(),
            old_url: url.clone(),
            aliases: meta.aliases.clone(),
            names: name_keys(post),
        })
        .collect();
    let pages: Vec<(String, String)> = site.pages.iter().map(|p| (p.rel_path.clone(), p.url.clone())).collect();
    let mut lookup = Lookup::new(&entries, &pages, None);
    let base_url = base_url_for(&site, options, &lookup, &mut report);
    lookup.set_base_url(base_url.as_deref());

    let mut book = AuthorBook::from_team(&site.team);
    let authors_from_data = book.entries.len();
    let fallback_name = site.info.author.clone().unwrap_or_else(|| title.clone());
    let article_authors = credit_authors(&site, &metas, &mut book, &fallback_name, &mut report);

    // Pass one: shortcodes and Liquid, then headings.
    let states: Vec<RefCell<Assets>> = site.posts.iter().map(|_| RefCell::new(Assets::default())).collect();
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
        assets: &states[i],
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
    let names = topic_names(
        &metas,
        &site
            .topics
            .iter()
            .map(|t| (slugify(&t.name), t.name.clone()))
            .collect::<Vec<_>>(),
    );
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
            current: i,
        };
        rewrite_links(&mut tracked, &ctx, &mut report, &mut stats);
        escape_template_syntax(&mut tracked);
        let meta = &metas[i];
        let image = lead_image(meta, &env, &mut report);
        let missing = std::mem::take(&mut states[i].borrow_mut().missing);
        if !missing.is_empty() {
            let how = if lookup.origin().is_some() {
                "linked to the original site"
            } else {
                "their addresses left empty (pass --base-url)"
            };
            report.warn(
                WarnKind::Image,
                &site.posts[i].rel_path,
                0,
                format!("{} image(s) not in the source ({}), {how}", missing.len(), missing[0]),
            );
        }
        if meta.expired {
            report.warn(
                WarnKind::Draft,
                &site.posts[i].rel_path,
                0,
                "expired (expirydate in the past); imported as a draft",
            );
        }
        let topics = canonical_topics(&meta.topics, &names);
        for key in meta.extra.keys().filter_map(|k| k.as_str()) {
            *extra_keys.entry(key.to_string()).or_insert(0) += 1;
        }
        // A Jekyll draft never had a URL of its own.
        let own_url = if site.posts[i].in_drafts {
            ""
        } else {
            old_urls[i].as_str()
        };
        let aliases = claims.claim(redirect_paths(own_url, &meta.aliases, &lookup), env.source, &mut report);
        let front = front_matter(&FrontMatter {
            meta,
            authors: &article_authors[i],
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
    let mut copies = BTreeMap::new();
    for state in &states {
        copies.extend(state.borrow().copies.clone());
    }
    let topics: BTreeMap<String, (String, String)> = site
        .topics
        .iter()
        .filter_map(|t| Some((slugify(&t.name), (t.name.clone(), t.description.clone()?))))
        .filter(|(slug, _)| names.contains_key(slug))
        .collect();
    let mut warnings = report.warnings;
    warnings.sort();
    let summary = ImportSummary {
        kind: site.kind.name(),
        out: options.out.clone(),
        articles: articles.len(),
        drafts: metas.iter().filter(|m| m.draft).count(),
        authors: book.entries.len(),
        authors_from_data,
        topics: names.len(),
        xrefs_resolved: stats.resolved,
        xrefs_unresolved: warnings.iter().filter(|w| w.kind == WarnKind::UnresolvedLink).count(),
        images_copied: copies.len(),
        base_url: base_url.clone(),
        extra_keys,
        warnings,
    };
    Converted {
        site: site_yaml(&site, &title, base_url.as_deref()),
        articles,
        authors: book.entries,
        topics,
        copies,
        summary,
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

/// Author slugs for each post: its bylines found in (or added to) the book,
/// else the site-wide author.
fn credit_authors(
    site: &SourceSite,
    metas: &[Meta],
    book: &mut AuthorBook,
    fallback: &str,
    report: &mut Report,
) -> Vec<Vec<String>> {
    let mut credited = Vec::new();
    for (post, meta) in site.posts.iter().zip(metas) {
        let mut slugs = Vec::new();
        for byline in &meta.bylines {
            let slug = match book.find(byline) {
                Some(slug) => Some(slug.to_string()),
                None => {
                    if !site.team.is_empty() {
                        let line = post.doc.first_of(&["authors", "author"]).map_or(0, |f| f.line);
                        let message = format!("byline `{byline}` is not in the team list; created an author for it");
                        report.warn(WarnKind::AuthorCreated, &post.rel_path, line, message);
                    }
                    book.create(byline)
                }
            };
            if let Some(slug) = slug.filter(|s| !slugs.contains(s)) {
                slugs.push(slug);
            }
        }
        if slugs.is_empty() {
            let slug = book
                .find(fallback)
                .map(String::from)
                .or_else(|| book.create(fallback))
                .unwrap_or_else(|| "editors".into());
            let message = format!("no author; credited to the site-wide author `{slug}`");
            report.warn(WarnKind::FallbackAuthor, &post.rel_path, 0, message);
            slugs.push(slug);
        }
        credited.push(slugs);
    }
    credited
}

/// The lead image with its file resolved; `alt: ""` (reported) when the
/// source has no alt text, since the build requires one.
fn lead_image(meta: &Meta, env: &BodyEnv<'_>, report: &mut Report) -> Option<LeadImage> {
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
    (src.starts_with("http") || src.starts_with('/')).then(|| LeadImage {
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

fn site_yaml(site: &SourceSite, title: &str, base_url: Option<&str>) -> Mapping {
    let mut map = Mapping::new();
    let mut put = |key: &str, value: Option<String>| {
        if let Some(value) = value {
            map.insert(key.into(), value.into());
        }
    };
    put("title", Some(title.to_string()));
    put("description", site.info.description.clone());
    put("base_url", base_url.map(|u| format!("{}/", u.trim_end_matches('/'))));
    put("language", site.info.language.clone());
    put("copyright", site.info.copyright.clone());
    if let Some(n) = site.info.paginate {
        map.insert("paginate".into(), n.into());
    }
    map
}
