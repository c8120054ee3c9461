//! Bylines to author slugs, and the author files written for them: the
//! loader's own `AuthorFile`, with the photo copied or pointed at the
//! original site, and every name made up from a byline listed.

use super::article::Meta;
use super::assets::{AssetIndex, Assets, Place};
use super::authors::AuthorBook;
use super::lookup::Lookup;
use super::report::{Report, WarnKind};
use super::source::SourceSite;
use crate::content::AuthorFile;
use std::collections::{BTreeMap, HashMap};

/// Each post's author slugs, and where each author the bylines created was first met.
pub struct Credits {
    pub per_post: Vec<Vec<String>>,
    /// Slug -> `path:line` of the first byline that created it.
    pub first_seen: HashMap<String, String>,
}

/// Author slugs for each post: its bylines found in (or added to) the
/// book, else the site-wide author.
pub fn credit_authors(
    site: &SourceSite,
    metas: &[Meta],
    book: &mut AuthorBook,
    fallback: &str,
    report: &mut Report,
) -> Credits {
    let mut per_post = Vec::new();
    let mut first_seen = HashMap::new();
    for (post, meta) in site.posts.iter().zip(metas) {
        let line = post
            .doc
            .first_of(&["authors", "author", "byline"])
            .map_or(1, |f| f.line);
        let mut slugs = Vec::new();
        for byline in &meta.bylines {
            let slug = match book.find(byline) {
                Some(slug) => Some(slug.to_string()),
                None => {
                    if !site.team.is_empty() {
                        let message = format!("byline `{byline}` is not in the team list; created an author for it");
                        report.warn(WarnKind::AuthorCreated, &post.rel_path, line, message);
                    }
                    let created = book.create(byline);
                    if let Some(slug) = &created {
                        first_seen.insert(slug.clone(), format!("{}:{line}", post.rel_path));
                    }
                    created
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
            report.warn(WarnKind::FallbackAuthor, &post.rel_path, 1, message);
            slugs.push(slug);
        }
        per_post.push(slugs);
    }
    Credits { per_post, first_seen }
}

/// The report's lines for the authors whose name was made from a byline.
pub fn guessed_names(book: &AuthorBook, credits: &Credits) -> Vec<String> {
    book.entries
        .iter()
        .filter(|(_, e)| e.guessed)
        .map(|(slug, e)| {
            let first = credits.first_seen.get(slug).map_or("", String::as_str);
            let name = e.name.as_deref().unwrap_or("");
            format!("authors/{slug}.yaml: `{slug}` -> {name} (first at {first})")
        })
        .collect()
}

/// What author files need from the rest of the import.
pub struct PhotoCtx<'a> {
    pub site: &'a SourceSite,
    pub lookup: &'a Lookup,
    pub files: &'a AssetIndex,
}

/// The author files to write, by slug; photos copied into `assets`.
pub fn author_files(
    book: &AuthorBook,
    ctx: &PhotoCtx<'_>,
    assets: &mut Assets,
    report: &mut Report,
) -> BTreeMap<String, AuthorFile> {
    let mut files = BTreeMap::new();
    for (slug, entry) in &book.entries {
        let photo = entry.photo.as_deref().and_then(|photo| {
            let place = Place {
                bundle_dir: None,
                slug,
                old_url: "/",
            };
            let missing_before = assets.missing.len();
            let url = ctx.files.resolve(ctx.site, ctx.lookup, &place, photo, assets);
            for (rel, new) in assets.renamed.drain(..) {
                let message = format!("{rel} is copied to static/{new}: another file of the source took its name");
                report.warn(WarnKind::Image, &entry.from, 1, message);
            }
            if assets.missing.len() > missing_before {
                let how = if url.is_empty() {
                    "left out (pass --base-url)"
                } else {
                    "linked to the original site"
                };
                report.warn(
                    WarnKind::Image,
                    &entry.from,
                    1,
                    format!("photo `{photo}` of `{slug}` is not in the source; {how}"),
                );
            }
            Some(url).filter(|u| !u.is_empty())
        });
        files.insert(
            slug.clone(),
            AuthorFile {
                name: entry.name.clone(),
                role: entry.role.clone(),
                bio: entry.bio.clone(),
                photo,
                ..AuthorFile::default()
            },
        );
    }
    files
}
