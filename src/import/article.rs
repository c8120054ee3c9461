//! One post's front matter read into pressroom's terms: which foreign key
//! means title, date, byline, topics, summary, lead image, redirects.

use super::dates::{parse_date, ParsedDate};
use super::document::{scalar_text, string_list, Document, Field};
use super::report::{Report, WarnKind};
use super::source::SourcePost;
use super::text::{decode_entities, plain_summary, strip_tags};
use serde_yaml::{Mapping, Value};

const TITLE: [&str; 3] = ["title", "name", "headline"];
const DATE: [&str; 5] = ["date", "publishDate", "publishdate", "pubDate", "published_at"];
const UPDATED: [&str; 7] = [
    "updated",
    "lastmod",
    "lastMod",
    "last_modified_at",
    "modified",
    "dateModified",
    "last_updated",
];
const AUTHORS: [&str; 4] = ["authors", "author", "byline", "writers"];
const SUMMARY: [&str; 9] = [
    "summary",
    "deck",
    "dek",
    "excerpt",
    "description",
    "subtitle",
    "teaser",
    "abstract",
    "lede",
];
const IMAGE: [&str; 9] = [
    "image",
    "featured_image",
    "featuredImage",
    "feature_image",
    "cover",
    "hero_image",
    "thumbnail",
    "banner",
    "og_image",
];
const IMAGE_ALT: [&str; 4] = ["image_alt", "image_description", "alt", "imageAlt"];
const IMAGE_CAPTION: [&str; 5] = [
    "image_caption",
    "image_figcaption",
    "caption",
    "figcaption",
    "imageCaption",
];
const IMAGE_CREDIT: [&str; 5] = [
    "image_credit",
    "credit",
    "photo_credit",
    "image_attribution",
    "imageCredit",
];
const ALIASES: [&str; 2] = ["aliases", "redirect_from"];
const EXPIRY: [&str; 4] = ["expirydate", "expiryDate", "expiry_date", "expires"];
/// Keys consumed by the generator itself, with nothing to carry over.
const DROPPED: [&str; 6] = ["layout", "permalink", "url", "redirect_to", "type", "published"];

/// A lead image as the source describes it, before its file is looked up.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawImage {
    pub src: String,
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// A post's metadata in pressroom's terms.
#[derive(Debug, Clone)]
pub struct Meta {
    pub title: String,
    pub date: ParsedDate,
    pub updated: Option<crate::content::Date>,
    pub bylines: Vec<String>,
    pub topics: Vec<String>,
    pub summary: Option<String>,
    pub slug: Option<String>,
    pub permalink: Option<String>,
    pub draft: bool,
    pub expired: bool,
    pub image: Option<RawImage>,
    pub series: Option<String>,
    pub aliases: Vec<String>,
    pub extra: Mapping,
}

fn text_of(doc: &Document, keys: &[&str]) -> Option<(String, usize)> {
    doc.first_of(keys)
        .and_then(|f| scalar_text(&f.value).map(|t| (t, f.line)))
        .map(|(t, l)| (t.trim().to_string(), l))
        .filter(|(t, _)| !t.is_empty())
}

/// Reads a post's front matter; `topic_keys` are the taxonomy keys.
pub fn read_meta(post: &SourcePost, topic_keys: &[String], report: &mut Report) -> Meta {
    let doc = &post.doc;
    let path = post.rel_path.as_str();
    let title = match text_of(doc, &TITLE) {
        Some((raw, line)) => {
            let clean = decode_entities(&strip_tags(&raw));
            if clean != raw {
                report.warn(
                    WarnKind::Entities,
                    path,
                    line,
                    format!("HTML in title decoded: `{raw}`"),
                );
            }
            clean
        }
        None => {
            report.warn(WarnKind::FrontMatter, path, 1, "no title; made one from the file name");
            super::text::name_from_id(&post.name_slug)
        }
    };
    let date = read_date(post, report);
    let updated = text_of(doc, &UPDATED)
        .and_then(|(t, _)| parse_date(&t))
        .map(|d| d.to_date());
    let bylines = read_bylines(doc);
    let mut topics: Vec<String> = Vec::new();
    for key in topic_keys {
        if let Some(field) = doc.get(key) {
            for topic in string_list(&field.value) {
                let topic = decode_entities(topic.trim());
                if !topic.is_empty() && !post.collection_tags.contains(&topic) && !topics.contains(&topic) {
                    topics.push(topic);
                }
            }
        }
    }
    let summary = text_of(doc, &SUMMARY)
        .map(|(raw, line)| {
            let clean = plain_summary(&raw);
            if clean != raw.split_whitespace().collect::<Vec<_>>().join(" ") {
                report.warn(
                    WarnKind::Entities,
                    path,
                    line,
                    "HTML or Markdown in the summary reduced to plain text",
                );
            }
            clean
        })
        .filter(|s| !s.is_empty());
    let draft_flag = doc.get("draft").is_some_and(|f| is_true(&f.value));
    let unpublished = doc.get("published").is_some_and(|f| f.value == Value::Bool(false));
    let expired = text_of(doc, &EXPIRY)
        .and_then(|(t, _)| parse_date(&t))
        .is_some_and(|d| d.date < time::OffsetDateTime::now_utc().date());
    let mut aliases = Vec::new();
    for key in ALIASES {
        if let Some(field) = doc.get(key) {
            aliases.extend(
                string_list(&field.value)
                    .into_iter()
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty()),
            );
        }
    }
    let meta = Meta {
        title,
        date,
        updated,
        bylines,
        topics,
        summary,
        slug: text_of(doc, &["slug"]).map(|(s, _)| s),
        permalink: text_of(doc, &["permalink", "url"])
            .map(|(s, _)| s)
            .filter(|p| p != "false"),
        draft: draft_flag || unpublished || post.in_drafts || expired,
        expired,
        image: read_image(doc),
        series: doc.get("series").and_then(|f| string_list(&f.value).into_iter().next()),
        aliases,
        extra: Mapping::new(),
    };
    Meta {
        extra: extra_fields(doc, topic_keys),
        ..meta
    }
}

fn is_true(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::String(s) => s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("yes"),
        _ => false,
    }
}

fn read_date(post: &SourcePost, report: &mut Report) -> ParsedDate {
    let path = post.rel_path.as_str();
    if let Some((raw, line)) = text_of(&post.doc, &DATE) {
        match parse_date(&raw) {
            Some(date) => {
                for note in &date.notes {
                    report.warn(WarnKind::Date, path, line, format!("date `{raw}`: {note}"));
                }
                return date;
            }
            None => report.warn(WarnKind::Date, path, line, format!("date `{raw}` not understood")),
        }
    }
    if let Some(date) = post.name_date {
        return ParsedDate {
            date,
            time: None,
            offset: None,
            notes: Vec::new(),
        };
    }
    let date = post.modified.unwrap_or(time::Date::MIN);
    report.warn(WarnKind::Date, path, 1, "no date; used the file's modification date");
    ParsedDate {
        date,
        time: None,
        offset: None,
        notes: Vec::new(),
    }
}

/// Bylines as written: strings, lists, or maps with a name.
fn read_bylines(doc: &Document) -> Vec<String> {
    let Some(field) = doc.first_of(&AUTHORS) else {
        return Vec::new();
    };
    let items: Vec<&Value> = match &field.value {
        Value::Sequence(items) => items.iter().collect(),
        other => vec![other],
    };
    let mut bylines = Vec::new();
    for item in items {
        match item {
            Value::Mapping(map) => {
                if let Some(name) = ["name", "id", "slug"]
                    .iter()
                    .find_map(|k| map.get(*k))
                    .and_then(scalar_text)
                {
                    bylines.push(name);
                }
            }
            other => {
                if let Some(text) = scalar_text(other) {
                    // "Ann Lee and Bob Park", "Ann Lee, Bob Park"
                    bylines.extend(
                        text.split(" and ")
                            .flat_map(|p| p.split([',', '&', ';']))
                            .map(|p| p.trim().to_string())
                            .filter(|p| !p.is_empty()),
                    );
                }
            }
        }
    }
    bylines
}

fn read_image(doc: &Document) -> Option<RawImage> {
    let field = doc.first_of(&IMAGE)?;
    let mut image = match &field.value {
        Value::Mapping(map) => {
            let get = |keys: &[&str]| {
                keys.iter()
                    .find_map(|k| map.get(*k))
                    .and_then(scalar_text)
                    .filter(|s| !s.trim().is_empty())
            };
            RawImage {
                src: get(&["src", "url", "path", "file", "image", "feature"])?,
                alt: get(&["alt", "description"]),
                caption: get(&["caption", "figcaption", "title"]),
                credit: get(&["credit", "attribution", "source"]),
            }
        }
        Value::Sequence(items) => RawImage {
            src: items.iter().find_map(scalar_text)?,
            ..RawImage::default()
        },
        other => RawImage {
            src: scalar_text(other)?,
            ..RawImage::default()
        },
    };
    if image.src.trim().is_empty() || image.src == "false" {
        return None;
    }
    let text = |keys: &[&str]| text_of(doc, keys).map(|(t, _)| t);
    image.alt = image.alt.or_else(|| text(&IMAGE_ALT));
    image.caption = image.caption.or_else(|| text(&IMAGE_CAPTION));
    image.credit = image.credit.or_else(|| text(&IMAGE_CREDIT));
    Some(image)
}

/// Every key not mapped above, kept under `extra` for templates.
fn extra_fields(doc: &Document, topic_keys: &[String]) -> Mapping {
    let mapped: Vec<&str> = [
        &TITLE[..],
        &DATE,
        &UPDATED,
        &AUTHORS,
        &SUMMARY,
        &IMAGE,
        &IMAGE_ALT,
        &IMAGE_CAPTION,
        &IMAGE_CREDIT,
        &ALIASES,
        &EXPIRY,
        &DROPPED,
        &["slug", "draft", "series", "extra"],
    ]
    .concat();
    let mut extra = match doc.get("extra") {
        Some(Field {
            value: Value::Mapping(map),
            ..
        }) => map.clone(),
        _ => Mapping::new(),
    };
    for field in &doc.fields {
        let key = field.key.as_str();
        if mapped.contains(&key) || topic_keys.iter().any(|t| t == key) || field.value.is_null() {
            continue;
        }
        extra.insert(Value::String(field.key.clone()), field.value.clone());
    }
    extra
}
