//! What the old site was: its title and address, each post's old URL and
//! the names a reference may call it by, and the settings `site.yaml` gets.

use super::article::Meta;
use super::assemble::infer_base_url;
use super::lookup::{Entry, Lookup};
use super::permalink::{expand, UrlParts};
use super::report::{Report, WarnKind};
use super::source::{file_stem, SourcePost, SourceSite, UrlRule};
use super::{ImportOptions, SourceKind};
use crate::config::SiteConfig;

/// The site's title: the config's, else the README's first heading, else the folder name.
pub fn site_title(site: &SourceSite) -> String {
    if let Some(title) = &site.info.title {
        return title.clone();
    }
    let readme = super::source::read_optional(&site.root.join("README.md")).unwrap_or_default();
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

/// The URL the old site gave post `index`.
pub fn old_url(site: &SourceSite, index: usize, meta: &Meta) -> String {
    let post = &site.posts[index];
    let slug = meta.slug.clone().unwrap_or_else(|| post.name_slug.clone());
    let hugo_slug = meta.slug.clone().unwrap_or_default();
    let categories: Vec<String> = match post.doc.first_of(&["categories", "category"]) {
        Some(field) => super::document::string_list(&field.value),
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

/// The index of the old site's URLs and files.
pub fn lookup_for(site: &SourceSite, metas: &[Meta], old_urls: &[String]) -> Lookup {
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

/// The original site's address: `--base-url`, the config, or the domain
/// most links to the site's own posts use.
pub fn base_url_for(
    site: &SourceSite,
    options: &ImportOptions,
    lookup: &Lookup,
    report: &mut Report,
) -> Option<String> {
    let from_config = || {
        let url = site.info.base_url.as_deref()?;
        config_base_url(url).or_else(|| {
            let message = format!(
                "the config's base URL `{url}` is not a full address, so the original site's address is unknown: \
                 pass it as --base-url https://example.org/"
            );
            report.warn(WarnKind::Site, site.site_path(), 1, message);
            None
        })
    };
    let found = options.base_url.clone().or_else(from_config).or_else(|| {
        let (url, n) = infer_base_url(&site.posts, lookup)?;
        report.warn(
            WarnKind::Site,
            site.site_path(),
            1,
            format!(
                "original site address taken as {url} from {n} links to its own posts; pass --base-url to change it"
            ),
        );
        Some(url)
    });
    if found.is_none() {
        report.warn(
            WarnKind::Site,
            site.site_path(),
            1,
            "original site address unknown (pass --base-url): links to its other pages stay root-relative",
        );
    }
    found
}

/// The config's base URL when it is a full http(s) address; a
/// protocol-relative `//example.org/` is read as https. A relative one
/// (`/`, common in Hugo) says nothing of the address: `None`.
fn config_base_url(url: &str) -> Option<String> {
    let url = url.trim();
    let url = match url.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => url.to_string(),
    };
    crate::config::normalize_base_url(url.trim_end_matches('/')).ok()
}

/// Checks a `--base-url`: a full http(s) address, else an error saying what to pass.
pub fn check_base_url_option(url: &str) -> anyhow::Result<()> {
    if let Err(problem) = crate::config::normalize_base_url(url.trim_end_matches('/')) {
        let host = url.trim_start_matches('/');
        anyhow::bail!("--base-url {problem}: pass the original site's full address, e.g. --base-url https://{host}");
    }
    Ok(())
}

/// Keys by which `post_url`, `ref` and `link` may name a post.
fn name_keys(post: &SourcePost) -> Vec<String> {
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
pub fn site_config(site: &SourceSite, title: &str, base_url: Option<&str>) -> SiteConfig {
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
