//! Structured data for search engines and social networks: schema.org
//! JSON-LD for articles (`NewsArticle`, `Report`, ... by `type`) and
//! authors (`Person`), made with serde_json so every value is escaped.

use crate::config::SiteConfig;
use serde::Serialize;

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
pub fn script_json(value: &impl Serialize) -> String {
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
    /// The `Person` as a page's whole JSON-LD.
    pub fn to_page_json(&self) -> impl Serialize + '_ {
        self.ld(true)
    }

    fn ld(&self, page: bool) -> ld::Person<'_> {
        ld::Person {
            context: page.then_some(ld::CONTEXT),
            kind: "Person",
            affiliation: self.affiliation.map(|name| ld::Named {
                kind: "Organization",
                name,
            }),
            description: self.description.as_deref(),
            image: self.photo.as_deref(),
            job_title: self.role,
            main_entity_of_page: page.then_some(self.url.as_str()),
            name: self.name,
            url: &self.url,
        }
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
    pub fn to_json<'s>(&'s self, config: &'s SiteConfig) -> impl Serialize + 's {
        ld::Article {
            context: ld::CONTEXT,
            kind: self.schema_type,
            article_section: self.section,
            author: self.authors.iter().map(|p| p.ld(false)).collect(),
            date_modified: &self.modified,
            date_published: &self.published,
            description: self.description,
            headline: self.headline,
            image: self.image.as_ref().map(|img| ld::Image {
                kind: "ImageObject",
                caption: img.caption,
                content_url: &img.url,
                credit_text: img.credit,
                height: img.size.map(|s| s.height),
                url: &img.url,
                width: img.size.map(|s| s.width),
            }),
            in_language: self.language,
            is_part_of: self.series.as_ref().map(|(name, url)| ld::Series {
                kind: "CreativeWorkSeries",
                name,
                url,
            }),
            keywords: &self.topics,
            main_entity_of_page: self.canonical.unwrap_or(self.url),
            publisher: publisher(config),
            url: self.url,
            word_count: self.words,
        }
    }
}

/// The site as an `Organization`.
fn publisher(config: &SiteConfig) -> ld::Publisher<'_> {
    let logo = config.logo.as_ref().map(|logo| {
        if crate::content::fields::is_external(logo) {
            logo.clone()
        } else {
            config.absolute(&format!("{}{}", config.base_path(), logo.trim_start_matches('/')))
        }
    });
    ld::Publisher {
        kind: "Organization",
        logo: logo.map(|url| ld::Logo {
            kind: "ImageObject",
            url,
        }),
        name: &config.title,
        url: &config.base_url,
    }
}

/// The JSON-LD objects, serialized straight to text. Each struct's fields
/// are in the byte order of their JSON names, the order a JSON map sorts
/// its keys in (what these were made with before), so the text is the same.
mod ld {
    use serde::Serialize;

    pub(super) const CONTEXT: &str = "https://schema.org";

    #[derive(Serialize)]
    pub(super) struct Article<'a> {
        #[serde(rename = "@context")]
        pub context: &'static str,
        #[serde(rename = "@type")]
        pub kind: &'a str,
        #[serde(rename = "articleSection")]
        pub article_section: &'a str,
        pub author: Vec<Person<'a>>,
        #[serde(rename = "dateModified")]
        pub date_modified: &'a str,
        #[serde(rename = "datePublished")]
        pub date_published: &'a str,
        #[serde(skip_serializing_if = "str::is_empty")]
        pub description: &'a str,
        pub headline: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub image: Option<Image<'a>>,
        #[serde(rename = "inLanguage")]
        pub in_language: &'a str,
        #[serde(rename = "isPartOf", skip_serializing_if = "Option::is_none")]
        pub is_part_of: Option<Series<'a>>,
        #[serde(skip_serializing_if = "<[&str]>::is_empty")]
        pub keywords: &'a [&'a str],
        #[serde(rename = "mainEntityOfPage")]
        pub main_entity_of_page: &'a str,
        pub publisher: Publisher<'a>,
        pub url: &'a str,
        #[serde(rename = "wordCount")]
        pub word_count: usize,
    }

    #[derive(Serialize)]
    pub(super) struct Person<'a> {
        #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
        pub context: Option<&'static str>,
        #[serde(rename = "@type")]
        pub kind: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub affiliation: Option<Named<'a>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub description: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub image: Option<&'a str>,
        #[serde(rename = "jobTitle", skip_serializing_if = "Option::is_none")]
        pub job_title: Option<&'a str>,
        #[serde(rename = "mainEntityOfPage", skip_serializing_if = "Option::is_none")]
        pub main_entity_of_page: Option<&'a str>,
        pub name: &'a str,
        pub url: &'a str,
    }

    #[derive(Serialize)]
    pub(super) struct Named<'a> {
        #[serde(rename = "@type")]
        pub kind: &'static str,
        pub name: &'a str,
    }

    #[derive(Serialize)]
    pub(super) struct Image<'a> {
        #[serde(rename = "@type")]
        pub kind: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub caption: Option<&'a str>,
        #[serde(rename = "contentUrl")]
        pub content_url: &'a str,
        #[serde(rename = "creditText", skip_serializing_if = "Option::is_none")]
        pub credit_text: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub height: Option<u32>,
        pub url: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub width: Option<u32>,
    }

    #[derive(Serialize)]
    pub(super) struct Series<'a> {
        #[serde(rename = "@type")]
        pub kind: &'static str,
        pub name: &'a str,
        pub url: &'a str,
    }

    #[derive(Serialize)]
    pub(super) struct Publisher<'a> {
        #[serde(rename = "@type")]
        pub kind: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub logo: Option<Logo>,
        pub name: &'a str,
        pub url: &'a str,
    }

    #[derive(Serialize)]
    pub(super) struct Logo {
        #[serde(rename = "@type")]
        pub kind: &'static str,
        pub url: String,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Written straight from the structs, the JSON-LD has its keys in the
    /// order a JSON map sorts them, with and without every optional part.
    #[test]
    fn keys_come_in_map_order() {
        let mut config = SiteConfig::default();
        let person = |full: bool| PersonData {
            name: "Ana <Ruiz>",
            url: "https://example.org/authors/ana/".into(),
            role: full.then_some("Fellow"),
            affiliation: full.then_some("Institute & Co"),
            photo: full.then(|| "https://example.org/ana.jpg".into()),
            description: full.then(|| "Writes.".into()),
        };
        for full in [false, true] {
            config.logo = full.then(|| "logo.svg".into());
            let article = ArticleData {
                schema_type: "Report",
                headline: "Grid \"queues\"",
                description: if full { "Why." } else { "" },
                url: "https://example.org/a/",
                canonical: full.then_some("https://elsewhere.example/a"),
                published: "2024-01-02T00:00:00Z".into(),
                modified: "2024-01-03T00:00:00Z".into(),
                authors: vec![person(full), person(!full)],
                image: full.then(|| ImageData {
                    url: "https://example.org/i.png".into(),
                    caption: Some("A caption"),
                    credit: Some("Credit"),
                    size: Some(crate::render::images::Size { width: 3, height: 2 }),
                }),
                topics: if full { vec!["Energy", "Grid"] } else { vec![] },
                section: "Report",
                words: 1234,
                language: "en",
                series: full.then(|| ("Series", "https://example.org/series/s/".to_string())),
            };
            let ld = article.to_json(&config);
            let through_map = serde_json::to_value(&ld).unwrap();
            assert_eq!(serde_json::to_string(&ld).unwrap(), through_map.to_string());
            let page = person(full);
            let page = page.to_page_json();
            assert_eq!(
                serde_json::to_string(&page).unwrap(),
                serde_json::to_value(&page).unwrap().to_string()
            );
        }
    }

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
