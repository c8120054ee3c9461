//! Structured data for search engines and social networks: schema.org
//! JSON-LD for articles (`NewsArticle`, `Report`, ... by `type`) and
//! authors (`Person`), made with serde_json so every value is escaped.

use crate::config::SiteConfig;
use serde_json::{json, Map, Value};

/// Built-in mapping from an article's `type:` label (compared without case)
/// to its schema.org type; `site.yaml` `schema_types` adds to it or
/// overrides it, and anything else is an `Article`.
pub const SCHEMA_TYPES: &[(&str, &str)] = &[
    ("commentary", "OpinionNewsArticle"),
    ("op-ed", "OpinionNewsArticle"),
    ("opinion", "OpinionNewsArticle"),
    ("analysis", "AnalysisNewsArticle"),
    ("explainer", "BackgroundNewsArticle"),
    ("backgrounder", "BackgroundNewsArticle"),
    ("news", "NewsArticle"),
    ("report", "Report"),
    ("blog post", "BlogPosting"),
    ("testimony", "Article"),
];

/// The schema.org type of an article of `kind`.
pub fn schema_type<'a>(config: &'a SiteConfig, kind: &str) -> &'a str {
    let wanted = kind.trim().to_lowercase();
    config
        .schema_types
        .iter()
        .find(|(k, _)| k.trim().to_lowercase() == wanted)
        .map(|(_, v)| v.as_str())
        .or_else(|| SCHEMA_TYPES.iter().find(|(k, _)| *k == wanted).map(|(_, v)| *v))
        .unwrap_or("Article")
}

/// JSON as it may sit inside `<script>`: `<`, `>` and `&` as `\u` escapes.
pub fn script_json(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    let mut out = String::with_capacity(text.len() + 64);
    let mut copied = 0;
    // One pass for the three characters (it was a `replace` each).
    for at in memchr::memchr3_iter(b'<', b'>', b'&', text.as_bytes()) {
        out.push_str(&text[copied..at]);
        out.push_str(match text.as_bytes()[at] {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            _ => "\\u0026",
        });
        copied = at + 1;
    }
    out.push_str(&text[copied..]);
    out
}

/// A person, as the author of an article or on their own page.
pub struct PersonData<'a> {
    pub name: &'a str,
    /// Absolute URL of their page.
    pub url: String,
    pub role: Option<&'a str>,
    pub affiliation: Option<&'a str>,
    /// Absolute URL of their photo.
    pub photo: Option<String>,
    pub description: Option<String>,
}

impl PersonData<'_> {
    /// The `Person` object.
    pub fn to_json(&self) -> Value {
        let mut p = Map::new();
        p.insert("@type".into(), json!("Person"));
        p.insert("name".into(), json!(self.name));
        p.insert("url".into(), json!(self.url));
        if let Some(role) = self.role {
            p.insert("jobTitle".into(), json!(role));
        }
        if let Some(org) = self.affiliation {
            p.insert("affiliation".into(), json!({"@type": "Organization", "name": org}));
        }
        if let Some(photo) = &self.photo {
            p.insert("image".into(), json!(photo));
        }
        if let Some(d) = &self.description {
            p.insert("description".into(), json!(d));
        }
        Value::Object(p)
    }

    /// The `Person` as a page's whole JSON-LD.
    pub fn to_page_json(&self) -> Value {
        let mut v = self.to_json();
        if let Value::Object(map) = &mut v {
            map.insert("@context".into(), json!("https://schema.org"));
            map.insert("mainEntityOfPage".into(), json!(self.url));
        }
        v
    }
}

/// A lead image as schema.org sees it.
pub struct ImageData<'a> {
    pub url: String,
    pub caption: Option<&'a str>,
    pub credit: Option<&'a str>,
    pub size: Option<super::images::Size>,
}

/// Everything an article's JSON-LD says.
pub struct ArticleData<'a> {
    pub schema_type: &'a str,
    pub headline: &'a str,
    pub description: &'a str,
    pub url: &'a str,
    /// Where the article first appeared, when that is elsewhere.
    pub canonical: Option<&'a str>,
    pub published: String,
    pub modified: String,
    pub authors: Vec<PersonData<'a>>,
    pub image: Option<ImageData<'a>>,
    pub topics: Vec<&'a str>,
    pub section: &'a str,
    pub words: usize,
    pub language: &'a str,
    /// The series' name and absolute URL.
    pub series: Option<(&'a str, String)>,
}

impl ArticleData<'_> {
    /// The article's JSON-LD, with the site as publisher.
    pub fn to_json(&self, config: &SiteConfig) -> Value {
        let mut a = Map::new();
        a.insert("@context".into(), json!("https://schema.org"));
        a.insert("@type".into(), json!(self.schema_type));
        a.insert("headline".into(), json!(self.headline));
        if !self.description.is_empty() {
            a.insert("description".into(), json!(self.description));
        }
        a.insert("url".into(), json!(self.url));
        a.insert("mainEntityOfPage".into(), json!(self.canonical.unwrap_or(self.url)));
        a.insert("datePublished".into(), json!(self.published));
        a.insert("dateModified".into(), json!(self.modified));
        a.insert(
            "author".into(),
            Value::Array(self.authors.iter().map(PersonData::to_json).collect()),
        );
        if let Some(img) = &self.image {
            let mut i = Map::new();
            i.insert("@type".into(), json!("ImageObject"));
            i.insert("url".into(), json!(img.url));
            i.insert("contentUrl".into(), json!(img.url));
            if let Some(c) = img.caption {
                i.insert("caption".into(), json!(c));
            }
            if let Some(c) = img.credit {
                i.insert("creditText".into(), json!(c));
            }
            if let Some(s) = img.size {
                i.insert("width".into(), json!(s.width));
                i.insert("height".into(), json!(s.height));
            }
            a.insert("image".into(), Value::Object(i));
        }
        a.insert("publisher".into(), publisher(config));
        if !self.topics.is_empty() {
            a.insert("keywords".into(), json!(self.topics));
        }
        a.insert("articleSection".into(), json!(self.section));
        a.insert("wordCount".into(), json!(self.words));
        a.insert("inLanguage".into(), json!(self.language));
        if let Some((name, url)) = &self.series {
            a.insert(
                "isPartOf".into(),
                json!({"@type": "CreativeWorkSeries", "name": name, "url": url}),
            );
        }
        Value::Object(a)
    }
}

/// The site as an `Organization`.
fn publisher(config: &SiteConfig) -> Value {
    let mut p = Map::new();
    p.insert("@type".into(), json!("Organization"));
    p.insert("name".into(), json!(config.title));
    p.insert("url".into(), json!(config.base_url));
    if let Some(logo) = &config.logo {
        let url = if crate::content::fields::is_external(logo) {
            logo.clone()
        } else {
            config.absolute(&format!("{}{}", config.base_path(), logo.trim_start_matches('/')))
        };
        p.insert("logo".into(), json!({"@type": "ImageObject", "url": url}));
    }
    Value::Object(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_label_and_the_site() {
        let mut config = SiteConfig::default();
        assert_eq!(schema_type(&config, "Op-Ed"), "OpinionNewsArticle");
        assert_eq!(schema_type(&config, "Report"), "Report");
        assert_eq!(schema_type(&config, "Podcast notes"), "Article");
        config.schema_types.insert("Report".into(), "ScholarlyArticle".into());
        assert_eq!(schema_type(&config, "report"), "ScholarlyArticle");
    }

    #[test]
    fn script_json_cannot_close_the_script() {
        let v = json!({"headline": "</script><b>&"});
        assert_eq!(
            script_json(&v),
            r#"{"headline":"\u003c/script\u003e\u003cb\u003e\u0026"}"#
        );
    }
}
