//! One article: its validated front matter and its Markdown body.

use super::alias::normalize_alias;
use super::date::Date;
use super::fields::{check_image_source, is_valid_slug, locate, Canonical, Image, OneOrMany, StaticFiles};
use super::renames::ARTICLE_RENAMES;
use super::source::{parse_yaml, split_front_matter, top_level_keys, warn_unknown_keys, Source};
use crate::diag::{Code, Diagnostic, Level};
use serde::{Deserialize, Serialize};

/// Front-matter keys an article may use.
pub const ARTICLE_KEYS: &[&str] = &[
    "title",
    "date",
    "authors",
    "topics",
    "summary",
    "type",
    "slug",
    "updated",
    "draft",
    "image",
    "series",
    "extra",
    "aliases",
    "canonical",
    "toc",
];

/// An article's front matter as written: what the loader reads and what
/// `import` and `new` write.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct FrontMatter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authors: Option<OneOrMany>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topics: Option<OneOrMany>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<Date>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra: Option<serde_yaml::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aliases: Option<OneOrMany>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canonical: Option<Canonical>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toc: Option<bool>,
}

/// A validated article, before its Markdown is rendered.
#[derive(Debug, Clone, Hash)]
pub struct Article {
    /// Path relative to the site root: `articles/2019/why-talks-failed.md`.
    pub source_path: String,
    /// Path relative to `articles/`: `2019/why-talks-failed.md`.
    pub rel_path: String,
    pub title: String,
    pub date: Date,
    pub updated: Option<Date>,
    pub authors: Vec<String>,
    pub topics: Vec<String>,
    pub summary: Option<String>,
    pub kind: String,
    pub slug: String,
    /// True when the slug came from the file name, not from `slug:`.
    pub slug_from_file: bool,
    pub draft: bool,
    pub image: Option<Image>,
    pub series: Option<String>,
    pub extra: Option<serde_yaml::Value>,
    /// Old URLs, each in its one spelling (`alias::normalize_alias`).
    pub aliases: Vec<String>,
    /// Absolute URL where the article first appeared (an op-ed in a newspaper).
    pub canonical: Option<Canonical>,
    /// Forces the table of contents on or off.
    pub toc: Option<bool>,
    /// File line and column of each alias as written.
    pub alias_places: Vec<(usize, usize)>,
    pub front_matter: String,
    pub front_matter_line: usize,
    /// The Markdown body (emptied by `build` once it is rendered).
    pub body: String,
    pub body_line: usize,
}

/// The slug an article gets from its file name (path relative to `articles/`).
pub fn file_slug(rel_path: &str) -> String {
    let stem = rel_path.rsplit('/').next().unwrap_or(rel_path).trim_end_matches(".md");
    crate::markdown::slugify(stem)
}

impl Article {
    /// Validates one article file; problems go to `problems`, and `None`
    /// means the article cannot be used at all.
    pub fn from_source(
        source: &Source,
        rel_path: &str,
        statics: &StaticFiles,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<Article> {
        let path = source.path.as_str();
        let split = match split_front_matter(source) {
            Ok(s) => s,
            Err(d) => {
                problems.push(d);
                return None;
            }
        };
        let fm: FrontMatter = match parse_yaml(split.yaml, path, split.yaml_line) {
            Ok(fm) => fm,
            Err(d) => {
                problems.push(d);
                return None;
            }
        };
        problems.extend(warn_unknown_keys(
            split.yaml,
            split.yaml_line,
            path,
            ARTICLE_KEYS,
            ARTICLE_RENAMES,
        ));
        let at = |key: &str, needle: &str| locate(split.yaml, split.yaml_line, key, needle);
        // A key that is there but empty is reported on its line.
        let key_line = |key: &str| {
            top_level_keys(split.yaml, split.yaml_line)
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(1, |&(_, line)| line)
        };
        let missing = |key: &str| {
            Diagnostic::error(
                Code::MissingKey,
                path,
                key_line(key),
                1,
                format!("missing required key `{key}` in front matter"),
            )
        };

        let title = fm.title.filter(|t| !t.trim().is_empty());
        if title.is_none() {
            problems.push(missing("title"));
        }
        if fm.date.is_none() {
            problems.push(missing("date"));
        }
        let authors = fm.authors.map(|a| a.0).unwrap_or_default();
        if authors.is_empty() && fm.draft {
            // What `pressroom new` writes without --author must build.
            problems.push(Diagnostic::warning(
                Code::MissingKey,
                path,
                key_line("authors"),
                1,
                "draft has no authors yet: add author slugs to `authors:` before publishing",
            ));
        } else if authors.is_empty() {
            problems.push(missing("authors"));
        }
        let fm_slug_absent = fm.slug.is_none();
        let slug = match fm.slug {
            Some(slug) => {
                if !is_valid_slug(&slug) {
                    let (line, col) = at("slug", &slug);
                    problems.push(Diagnostic::error(
                        Code::InvalidSlug,
                        path,
                        line,
                        col,
                        format!(
                            "invalid slug `{slug}`: use only lowercase letters, digits and `-` (for example `{}`)",
                            crate::markdown::slugify(&slug)
                        ),
                    ));
                }
                slug
            }
            None => {
                let slug = file_slug(rel_path);
                if slug.is_empty() {
                    problems.push(Diagnostic::error(
                        Code::EmptySlug,
                        path,
                        1,
                        1,
                        "file name gives an empty slug: add `slug:` to the front matter",
                    ));
                }
                slug
            }
        };
        if let Some(image) = &fm.image {
            check_image(image, statics, path, &at, problems);
        }
        let mut aliases = Vec::new();
        let mut alias_places = Vec::new();
        for alias in fm.aliases.map(|a| a.0).unwrap_or_default() {
            let (line, col) = at("aliases", &alias);
            match normalize_alias(&alias) {
                Ok(normal) => {
                    aliases.push(normal);
                    alias_places.push((line, col));
                }
                Err(message) => problems.push(Diagnostic::error(Code::InvalidAlias, path, line, col, message)),
            }
        }
        if let Some(url) = fm.canonical.as_ref().map(Canonical::url) {
            if !(url.starts_with("https://") || url.starts_with("http://")) || url.contains(char::is_whitespace) {
                let (line, col) = at("canonical", url);
                problems.push(Diagnostic::error(
                    Code::InvalidCanonical,
                    path,
                    line,
                    col,
                    format!("canonical `{url}` must be the absolute http(s) URL where the article first appeared"),
                ));
            }
        }
        let slug_from_file = fm_slug_absent;
        let (title, date) = (title?, fm.date?);
        Some(Article {
            source_path: path.to_string(),
            rel_path: rel_path.to_string(),
            title,
            date,
            updated: fm.updated,
            authors,
            topics: fm.topics.map(|t| t.0).unwrap_or_default(),
            summary: fm.summary.filter(|s| !s.trim().is_empty()),
            kind: fm
                .kind
                .filter(|k| !k.trim().is_empty())
                .unwrap_or_else(|| "Commentary".to_string()),
            slug,
            slug_from_file,
            draft: fm.draft,
            image: fm.image,
            series: fm.series.filter(|s| !s.trim().is_empty()),
            extra: fm.extra,
            aliases,
            canonical: fm.canonical,
            toc: fm.toc,
            alias_places,
            front_matter: split.yaml.to_string(),
            front_matter_line: split.yaml_line,
            body: split.body.to_string(),
            body_line: split.body_line,
        })
    }

    /// File line and column of `needle` in the value of front-matter `key`.
    pub fn locate(&self, key: &str, needle: &str) -> (usize, usize) {
        locate(&self.front_matter, self.front_matter_line, key, needle)
    }
}

fn check_image(
    image: &Image,
    statics: &StaticFiles,
    path: &str,
    at: &dyn Fn(&str, &str) -> (usize, usize),
    problems: &mut Vec<Diagnostic>,
) {
    if image.alt.is_none() {
        let (line, col) = at("image", "src");
        problems.push(Diagnostic::error(Code::MissingAltText, path, line, col, "image needs `alt:` text describing it for screen readers (use alt: \"\" only for a purely decorative image)"));
    }
    if let Err(finding) = check_image_source(&image.src, statics) {
        let (line, col) = at("image", &image.src);
        problems.push(finding.at(Level::Error, path, line, col));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> (Option<Article>, Vec<Diagnostic>) {
        let source = Source {
            path: "articles/2020/a.md".into(),
            text: text.into(),
        };
        let mut problems = Vec::new();
        let statics: StaticFiles = ["images/a.svg".to_string()].into();
        let article = Article::from_source(&source, "2020/a.md", &statics, &mut problems);
        (article, problems)
    }

    #[test]
    fn reads_every_key() {
        let (a, p) = load("---\ntitle: T\ndate: 2020-01-02\nauthors: jane\ntopics: [Trade, Energy]\ntype: Report\nslug: t-2\nimage:\n  src: /images/a.svg\n  alt: A chart\n---\nBody\n");
        assert!(p.is_empty(), "{p:?}");
        let a = a.unwrap();
        assert_eq!((a.slug.as_str(), a.kind.as_str()), ("t-2", "Report"));
        assert_eq!(a.authors, vec!["jane"]);
        assert_eq!(a.body_line, 12);
    }

    #[test]
    fn reports_missing_keys_and_bad_slug_together() {
        let (a, p) = load("---\nslug: ../../x\n---\n");
        assert!(a.is_none());
        let text: Vec<String> = p.iter().map(|d| d.to_string()).collect();
        assert!(text.iter().any(|t| t.contains("missing required key `title`")));
        assert!(
            text.iter()
                .any(|t| t.starts_with("articles/2020/a.md:2:7: error: invalid slug `../../x`")),
            "{text:?}"
        );
    }

    #[test]
    fn image_must_stay_in_the_site() {
        let (_, p) =
            load("---\ntitle: T\ndate: 2020-01-02\nauthors: j\nimage:\n  src: ../../etc/passwd\n  alt: x\n---\n");
        assert!(p[0].message.contains("tries to leave the site"), "{p:?}");
        assert_eq!(p[0].place, crate::diag::Place::file("articles/2020/a.md", 6, 8));
    }
}
