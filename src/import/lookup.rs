//! Finding the article a link means: by the old site's URL (permalink,
//! aliases), by source path or file name (`ref`, `post_url`, `link`).

use super::source::{file_stem, parent_dir, percent_decode};
use std::collections::{HashMap, HashSet};

/// What a link target turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Article index, with the `#fragment` if any.
    Article(usize, Option<String>),
    /// A page or file of the original site: the URL to keep.
    SitePage(String),
    /// Looks like a post of the original site, but none matches.
    Unresolved(String),
    /// Someone else's URL, an in-page anchor, mail: left alone.
    External,
}

/// Per-article facts the lookup needs.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub source: String,
    pub old_url: String,
    pub aliases: Vec<String>,
    /// Keys a file-name reference may use (`2015-03-19-slug`, `slug`).
    pub names: Vec<String>,
}

/// The index of the old site's URLs and files.
#[derive(Debug, Default)]
pub struct Lookup {
    by_url: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
    pages_by_source: HashMap<String, String>,
    page_urls: HashSet<String>,
    article_prefixes: HashSet<String>,
    hosts: Vec<String>,
    origin: Option<String>,
    base_path: String,
    old_urls: Vec<String>,
    sources: Vec<String>,
}

/// `/2015/03/19/Slug/index.html?x#y` -> `/2015/03/19/slug`.
pub fn normalize_path(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let mut path = percent_decode(path).to_lowercase();
    for suffix in ["index.html", "index.htm", ".html", ".htm"] {
        if let Some(stripped) = path.strip_suffix(suffix) {
            path = stripped.to_string();
            break;
        }
    }
    let trimmed = path.trim_matches('/');
    format!("/{trimmed}")
}

impl Lookup {
    /// Builds the index from every article and non-post page.
    pub fn new(entries: &[Entry], pages: &[(String, String)], base_url: Option<&str>) -> Lookup {
        let mut lookup = Lookup::default();
        lookup.set_base_url(base_url);
        for (index, entry) in entries.iter().enumerate() {
            for url in std::iter::once(&entry.old_url).chain(entry.aliases.iter()) {
                let key = lookup.strip_base(&normalize_path(url));
                lookup.by_url.entry(key).or_insert(index);
            }
            if let Some(first) = entry.old_url.trim_start_matches('/').split('/').next() {
                if !first.is_empty() {
                    lookup.article_prefixes.insert(first.to_lowercase());
                }
            }
            for name in entry.names.iter().chain(std::iter::once(&entry.source)) {
                lookup.by_name.entry(name.to_lowercase()).or_default().push(index);
            }
            lookup.old_urls.push(entry.old_url.clone());
            lookup.sources.push(entry.source.clone());
        }
        for (source, url) in pages {
            lookup.pages_by_source.insert(source.to_lowercase(), url.clone());
            lookup.page_urls.insert(normalize_path(url));
        }
        lookup
    }

    /// Sets the original site's address (scheme, host, optional path).
    pub fn set_base_url(&mut self, base_url: Option<&str>) {
        self.hosts.clear();
        self.origin = None;
        self.base_path.clear();
        let Some(base) = base_url else { return };
        let rest = base.split_once("://").map_or(base, |(_, r)| r);
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        let host = host.to_lowercase();
        let bare = host.strip_prefix("www.").unwrap_or(&host).to_string();
        self.hosts = vec![bare.clone(), format!("www.{bare}")];
        let scheme = if base.starts_with("http://") { "http" } else { "https" };
        self.origin = Some(format!("{scheme}://{host}"));
        let path = path.trim_matches('/');
        if !path.is_empty() {
            self.base_path = format!("/{path}");
        }
    }

    /// The original site's address, if known.
    pub fn origin(&self) -> Option<&str> {
        self.origin.as_deref()
    }

    fn strip_base(&self, path: &str) -> String {
        let base = self.base_path.to_lowercase();
        match path.strip_prefix(&base) {
            Some(rest) if !base.is_empty() && (rest.is_empty() || rest.starts_with('/')) => {
                format!("/{}", rest.trim_start_matches('/'))
            }
            _ => path.to_string(),
        }
    }

    /// The absolute URL on the original site for a root-relative path.
    pub fn absolute(&self, path: &str) -> String {
        match &self.origin {
            None => path.to_string(),
            Some(origin) => {
                let with_base = if self.base_path.is_empty() || path.starts_with(&self.base_path) {
                    path.to_string()
                } else {
                    format!("{}{path}", self.base_path)
                };
                format!("{origin}{with_base}")
            }
        }
    }

    /// The old URL of article `index`, made absolute when possible.
    pub fn old_url_of(&self, index: usize) -> String {
        self.absolute(&self.old_urls[index])
    }

    /// Finds an article by a file reference (`post_url`, `ref`, `link`):
    /// a path, a path without extension, or a bare name.
    pub fn find_by_name(&self, reference: &str, from_source: &str) -> Result<usize, String> {
        let reference = reference.trim().trim_matches(['"', '\'']);
        let (path, _) = reference.split_once('#').unwrap_or((reference, ""));
        let path = path.trim_start_matches("./");
        let mut keys = vec![path.trim_start_matches('/').to_lowercase()];
        let joined = join_path(parent_dir(from_source), path);
        keys.push(joined.to_lowercase());
        let stem = file_stem(path);
        keys.push(stem.to_lowercase());
        if stem == "index" || stem == "_index" {
            keys.push(file_stem(parent_dir(path)).to_lowercase());
        }
        for key in &keys {
            if let Some(hits) = self.by_name.get(key) {
                let unique: HashSet<_> = hits.iter().collect();
                if unique.len() == 1 {
                    return Ok(hits[0]);
                }
                return Err(format!("`{reference}` matches {} posts", unique.len()));
            }
        }
        let suffix_hits: HashSet<usize> = self
            .sources
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                let s = s.to_lowercase();
                let p = path.trim_start_matches('/').to_lowercase();
                !p.is_empty()
                    && (s.ends_with(&format!("/{p}"))
                        || s.rsplit_once('.').is_some_and(|(b, _)| b.ends_with(&format!("/{p}"))))
            })
            .map(|(i, _)| i)
            .collect();
        if suffix_hits.len() == 1 {
            return Ok(*suffix_hits.iter().next().expect("one hit"));
        }
        Err(format!("no post `{reference}`"))
    }

    /// The original URL of a non-post page, by source path.
    pub fn page_url(&self, reference: &str, from_source: &str) -> Option<String> {
        let path = reference.trim().trim_matches(['"', '\'']).trim_start_matches('/');
        [
            path.to_lowercase(),
            join_path(parent_dir(from_source), path).to_lowercase(),
        ]
        .iter()
        .find_map(|k| self.pages_by_source.get(k))
        .map(|url| self.absolute(url))
    }

    /// Classifies a link destination found in article `from` (whose source
    /// file is `from_source` and old URL `from_url`).
    pub fn classify(&self, dest: &str, from_source: &str, from_url: &str) -> Target {
        let dest = dest.trim();
        let lower = dest.to_ascii_lowercase();
        if dest.is_empty()
            || dest.starts_with('#')
            || ["mailto:", "tel:", "data:", "javascript:", "ftp:"]
                .iter()
                .any(|s| lower.starts_with(s))
        {
            return Target::External;
        }
        let path = if let Some(rest) = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")) {
            let (host, _) = rest.split_once('/').unwrap_or((rest, ""));
            if !self.hosts.iter().any(|h| h == host) {
                return Target::External;
            }
            let start = dest.len() - rest.len() + host.len();
            dest[start..].to_string()
        } else if let Some(rest) = dest.strip_prefix("//") {
            let first = rest.split('/').next().unwrap_or("");
            if first.contains('.') {
                if !self.hosts.iter().any(|h| h.eq_ignore_ascii_case(first)) {
                    return Target::External;
                }
                rest[first.len()..].to_string()
            } else {
                format!("/{rest}")
            }
        } else if dest.starts_with('/') {
            dest.to_string()
        } else if lower.contains("://") {
            return Target::External;
        } else {
            let (file, fragment) = dest.split_once('#').map_or((dest, None), |(p, f)| (p, Some(f)));
            if let Ok(index) = self.find_source_relative(file, from_source) {
                return Target::Article(index, fragment.map(String::from));
            }
            join_path(parent_dir(from_url.trim_end_matches('/')).trim_end_matches('/'), dest)
        };
        self.classify_path(&path)
    }

    fn find_source_relative(&self, file: &str, from_source: &str) -> Result<usize, ()> {
        let joined = join_path(parent_dir(from_source), file).to_lowercase();
        match self.by_name.get(joined.trim_start_matches('/')) {
            Some(hits) if hits.len() == 1 => Ok(hits[0]),
            _ => Err(()),
        }
    }

    fn classify_path(&self, path: &str) -> Target {
        let path = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        };
        let fragment = path.split_once('#').map(|(_, f)| f.to_string());
        let key = self.strip_base(&normalize_path(&path));
        if let Some(index) = self.by_url.get(&key) {
            return Target::Article(*index, fragment.filter(|f| !f.is_empty()));
        }
        let first = key.trim_start_matches('/').split('/').next().unwrap_or("");
        let last = key.rsplit('/').next().unwrap_or("");
        let is_year = |s: &str| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit());
        let dated = is_year(first) && self.article_prefixes.iter().any(|p| is_year(p));
        let looks_like_post = (self.article_prefixes.contains(first) || dated)
            && !last.contains('.')
            && key.matches('/').count() >= 2
            && !self.page_urls.contains(&key);
        if looks_like_post {
            return Target::Unresolved(format!("no post has the URL {path}"));
        }
        Target::SitePage(self.absolute(&path))
    }
}

/// Joins a relative path onto a folder, resolving `.` and `..`.
pub fn join_path(dir: &str, rel: &str) -> String {
    if rel.starts_with('/') {
        return rel.to_string();
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for segment in rel.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    if dir.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup() -> Lookup {
        let entries = vec![
            Entry {
                source: "_posts/2015-03-19-hello.md".into(),
                old_url: "/2015/03/19/hello/".into(),
                aliases: vec!["/2015/03/19/Hi/".into()],
                names: vec!["2015-03-19-hello".into(), "hello".into()],
            },
            Entry {
                source: "_posts/2016-01-02-two.md".into(),
                old_url: "/2016/01/02/two.html".into(),
                aliases: vec![],
                names: vec!["2016-01-02-two".into()],
            },
        ];
        let pages = vec![("about.md".to_string(), "/about/".to_string())];
        Lookup::new(&entries, &pages, Some("https://example.org"))
    }

    #[test]
    fn finds_articles_by_url_forms() {
        let l = lookup();
        let from = ("_posts/2016-01-02-two.md", "/2016/01/02/two.html");
        for url in [
            "/2015/03/19/hello/",
            "/2015/03/19/hello",
            "https://example.org/2015/03/19/hello/",
            "http://www.example.org/2015/03/19/hello/index.html",
            "//2015/03/19/hello/",
            "/2015/03/19/hi/",
            "2015-03-19-hello.md",
        ] {
            assert_eq!(l.classify(url, from.0, from.1), Target::Article(0, None), "{url}");
        }
        assert_eq!(
            l.classify("/2016/01/02/two.html#top", "a", "/"),
            Target::Article(1, Some("top".into()))
        );
    }

    #[test]
    fn sorts_out_pages_missing_posts_and_outside_links() {
        let l = lookup();
        assert_eq!(
            l.classify("/about/", "a", "/"),
            Target::SitePage("https://example.org/about/".into())
        );
        assert_eq!(
            l.classify("/assets/a.png", "a", "/"),
            Target::SitePage("https://example.org/assets/a.png".into())
        );
        assert!(matches!(
            l.classify("/2015/04/01/gone/", "a", "/"),
            Target::Unresolved(_)
        ));
        assert_eq!(
            l.classify("https://other.org/2015/03/19/hello/", "a", "/"),
            Target::External
        );
        assert_eq!(l.classify("#x", "a", "/"), Target::External);
        // Non-ASCII letters must not shift the host/path split.
        assert_eq!(
            l.classify("https://example.org/\u{130}stanbul/", "a", "/"),
            Target::SitePage("https://example.org/\u{130}stanbul/".into())
        );
    }

    #[test]
    fn finds_by_name() {
        let l = lookup();
        assert_eq!(l.find_by_name("2015-03-19-hello", "x"), Ok(0));
        assert_eq!(l.find_by_name("_posts/2016-01-02-two.md", "x"), Ok(1));
        assert!(l.find_by_name("nope", "x").is_err());
        assert_eq!(join_path("a/b", "../c/./d"), "a/c/d");
    }
}
