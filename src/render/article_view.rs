//! The article page's view: headline, byline, lead image, body, authors,
//! "Referenced by", related articles and the series.

use super::cite::{bib_key, Citations, Work};
use super::images::Size;
use super::page::{CiteFormat, Page};
use super::renderer::Scope;
use super::structured::{schema_type, script_json, ArticleData, ImageData, PersonData};
use super::views::{author_links, LinkView, ListItem};
use crate::graph::Reader;
use serde::Serialize;

/// An article gets a table of contents from this many sections (`##`) on,
/// unless its front matter sets `toc`.
pub(super) const TOC_MIN_SECTIONS: usize = 4;

/// An article, as `article` on its own page.
#[derive(Serialize)]
pub struct ArticleView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub permalink: String,
    pub kind: &'a str,
    pub slug: &'a str,
    pub date: String,
    pub date_display: String,
    pub updated: Option<String>,
    pub updated_display: Option<String>,
    pub summary: &'a str,
    /// True when the summary came from front matter (a dek), not the body.
    pub has_dek: bool,
    pub byline: Vec<LinkView<'a>>,
    pub authors: Vec<AuthorView<'a>>,
    pub topics: Vec<LinkView<'a>>,
    pub image: Option<ImageView<'a>>,
    /// The body, its images sized (`article.html`). Not serialized: the
    /// article page moves it into the template's context itself.
    #[serde(skip)]
    pub html: String,
    pub referenced_by: Vec<ListItem<'a>>,
    pub related: Vec<ListItem<'a>>,
    pub series: Option<SeriesView<'a>>,
    pub extra: Option<&'a serde_yaml::Value>,
    /// Words in the body, footnotes left out.
    pub words: usize,
    /// Minutes to read, at least one.
    pub reading_minutes: usize,
    /// Sections (`##`) with their subsections (`###`); empty when none is shown.
    pub toc: Vec<TocEntry<'a>>,
    /// Where the article first appeared, when elsewhere.
    pub canonical: Option<CanonicalView>,
    pub citation: Citations,
    /// URL paths of the `.bib` and `.ris` files.
    pub bib_url: String,
    pub ris_url: String,
    /// The schema.org JSON-LD, ready for `<script type="application/ld+json">`.
    pub json_ld: String,
    /// Dates for `article:published_time` and `article:modified_time`, with a time zone.
    pub published_time: String,
    pub modified_time: String,
}

/// One entry of the table of contents.
#[derive(Serialize)]
pub struct TocEntry<'a> {
    pub id: &'a str,
    pub text: &'a str,
    pub children: Vec<TocEntry<'a>>,
}

/// Where an article first appeared.
#[derive(Serialize)]
pub struct CanonicalView {
    pub url: String,
    /// The publication's name (or the URL's host).
    pub name: String,
}

/// An author in full, for author pages and the block under an article.
#[derive(Serialize)]
pub struct AuthorView<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub url: &'a str,
    /// Absolute URL of the author's page.
    pub permalink: String,
    pub feed_url: String,
    pub role: Option<&'a str>,
    pub affiliation: Option<&'a str>,
    pub bio_html: &'a str,
    pub photo: Option<String>,
    /// The photo's size in pixels, when known.
    pub photo_size: Option<Size>,
    pub links: &'a [crate::content::NamedLink],
    pub article_count: usize,
    /// On article pages, the block as rendered by `author_block.html`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html: Option<&'a str>,
}

impl<'a> AuthorView<'a> {
    /// Author `au` in full; `r` finds the photo's size.
    pub fn new(r: &Scope<'a>, au: usize) -> Self {
        let graph = r.g();
        let a = &graph.author(au);
        let url = graph.author_url(au);
        AuthorView {
            slug: &a.slug,
            name: &a.name,
            feed_url: format!("{url}feed.xml"),
            permalink: r.config.absolute(url),
            url,
            role: a.role.as_deref(),
            affiliation: a.affiliation.as_deref(),
            bio_html: graph.author_bio(au),
            photo: a.photo.as_deref().map(|p| asset_url(graph, p)),
            photo_size: a.photo.as_deref().and_then(|p| r.image_size(p)),
            links: &a.links,
            article_count: graph.author_articles(au).len(),
            html: None,
        }
    }
}

/// A lead photo.
#[derive(Serialize)]
pub struct ImageView<'a> {
    pub src: String,
    /// Absolute URL, for social cards.
    pub absolute: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub alt: &'a str,
    pub caption: Option<&'a str>,
    pub credit: Option<&'a str>,
}

/// The article's series, with its neighbours.
#[derive(Serialize)]
pub struct SeriesView<'a> {
    pub name: &'a str,
    /// The series' own page.
    pub url: String,
    pub part: usize,
    pub total: usize,
    pub prev: Option<LinkView<'a>>,
    pub next: Option<LinkView<'a>>,
    pub parts: Vec<SeriesPart<'a>>,
}

/// One part of a series.
#[derive(Serialize)]
pub struct SeriesPart<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub current: bool,
}

/// A local asset path (`/images/x.svg`) as a URL under the base path.
pub(super) fn asset_url(graph: Reader<'_>, src: &str) -> String {
    if crate::content::fields::is_external(src) {
        src.to_string()
    } else {
        format!("{}{}", graph.base_path(), src.trim_start_matches('/'))
    }
}

impl<'a> ArticleView<'a> {
    /// Article `id`'s view; `referenced_by` and `related` are its cards,
    /// and `blocks` its authors' blocks, made by the renderer.
    pub fn new(r: &'a Scope<'a>, id: usize, cards: [Vec<ListItem<'a>>; 2], blocks: Vec<&'a str>) -> Self {
        let graph = r.g();
        let strings = r.strings();
        let [referenced_by, related] = cards;
        let a = &graph.article(id);
        let words = r.word_count(id);
        let zone = r.config.offset();
        let image = a.image.as_ref().map(|img| {
            let size = r.image_size(&img.src);
            ImageView {
                src: asset_url(graph, &img.src),
                absolute: r.absolute_asset(&img.src),
                width: size.map(|s| s.width),
                height: size.map(|s| s.height),
                alt: img.alt.as_deref().unwrap_or(""),
                caption: img.caption.as_deref(),
                credit: img.credit.as_deref(),
            }
        });
        let permalink = permalink(r, id);
        let citation = work(r, id, &permalink).citations();
        r.leave_citation_files(id, &citation.bibtex, &citation.ris);
        let mut view = ArticleView {
            title: &a.title,
            url: graph.url(id),
            kind: &a.kind,
            slug: &a.slug,
            date: graph.date(id).0.clone(),
            date_display: strings.date(&graph.date(id).0),
            updated: a.updated.map(|u| u.machine()),
            updated_display: a.updated.map(|u| strings.date(&u.iso_day())),
            summary: graph.summary(id),
            has_dek: a.summary.is_some(),
            byline: author_links(graph, id),
            authors: graph
                .article_authors(id)
                .iter()
                .zip(blocks)
                .map(|(&au, html)| AuthorView {
                    html: Some(html),
                    ..AuthorView::new(r, au)
                })
                .collect(),
            topics: graph
                .article_topics(id)
                .iter()
                .map(|&t| LinkView {
                    name: &graph.topic(t).name,
                    url: graph.topic_url(t),
                })
                .collect(),
            image,
            html: r.body_html(id),
            referenced_by,
            related,
            series: series_view(r, id),
            extra: a.extra.as_ref(),
            words,
            reading_minutes: super::text::reading_minutes(words),
            toc: toc(graph, id),
            canonical: a.canonical.as_ref().map(|c| CanonicalView {
                url: c.url().to_string(),
                name: c.name(),
            }),
            citation,
            bib_url: r.url(Page::Citation(id, CiteFormat::Bib)),
            ris_url: r.url(Page::Citation(id, CiteFormat::Ris)),
            json_ld: String::new(),
            published_time: a.date.rfc3339_at(zone),
            modified_time: a.updated.unwrap_or(a.date).rfc3339_at(zone),
            permalink,
        };
        let json_ld = script_json(&view.structured(r, id).to_json(r.config));
        view.json_ld = json_ld;
        view
    }

    fn structured(&self, r: &Scope<'a>, id: usize) -> ArticleData<'_> {
        let a = &r.g().article(id);
        ArticleData {
            schema_type: schema_type(r.config, &a.kind),
            headline: self.title,
            description: self.summary,
            url: &self.permalink,
            canonical: self.canonical.as_ref().map(|c| c.url.as_str()),
            published: self.published_time.clone(),
            modified: self.modified_time.clone(),
            authors: r.g().article_authors(id).iter().map(|&au| person(r, au)).collect(),
            image: self.image.as_ref().map(|i| ImageData {
                url: i.absolute.clone(),
                caption: i.caption,
                credit: i.credit,
                size: i.width.zip(i.height).map(|(width, height)| Size { width, height }),
            }),
            topics: self.topics.iter().map(|t| t.name).collect(),
            section: self.kind,
            words: self.words,
            language: &r.config.language,
            series: self.series.as_ref().map(|s| (s.name, r.config.absolute(&s.url))),
        }
    }
}

/// Author `au` as a schema.org `Person`.
pub(super) fn person<'a>(r: &Scope<'a>, au: usize) -> PersonData<'a> {
    let a = &r.g().author(au);
    PersonData {
        name: &a.name,
        url: r.config.absolute(r.g().author_url(au)),
        role: a.role.as_deref(),
        affiliation: a.affiliation.as_deref(),
        photo: a.photo.as_deref().map(|p| r.absolute_asset(p)),
        description: None,
    }
}

/// Article `id`'s absolute URL: what its page gives as its permalink and
/// what its citations cite, in the page and in its `.bib` and `.ris` files.
fn permalink(r: &Scope<'_>, id: usize) -> String {
    r.config.absolute(r.g().url(id))
}

/// What the citations of article `id` are made from.
fn work<'a>(r: &Scope<'a>, id: usize, url: &'a str) -> Work<'a> {
    let g = r.g();
    let a = &g.article(id);
    let authors: Vec<&str> = g
        .article_authors(id)
        .iter()
        .map(|&au| g.author(au).name.as_str())
        .collect();
    Work {
        title: &a.title,
        key: bib_key(authors.first().copied().unwrap_or(""), a.date.year(), &a.title),
        authors,
        date: a.date.ymd(),
        publisher: &r.config.title,
        url,
        summary: g.summary(id),
        topics: g.article_topics(id).iter().map(|&t| g.topic(t).name.as_str()).collect(),
    }
}

/// Article `id`'s citation file.
pub(super) fn citation_file(r: &Scope<'_>, id: usize, format: CiteFormat) -> String {
    let permalink = permalink(r, id);
    let work = work(r, id, &permalink);
    match format {
        CiteFormat::Bib => work.bibtex_entry(),
        CiteFormat::Ris => work.ris_record(),
    }
}

/// The article's series with its neighbours; a one-part series has no
/// neighbours and shows no "part 1 of 1".
fn series_view<'a>(r: &'a Scope<'a>, id: usize) -> Option<SeriesView<'a>> {
    let graph = r.g();
    let s = graph.series_pos(id)?;
    let link = |other: usize| LinkView {
        name: &graph.article(other).title,
        url: graph.url(other),
    };
    Some(SeriesView {
        name: &s.name,
        url: r.g().series_of(id).map(|i| r.url(Page::Series(i))).unwrap_or_default(),
        part: s.part,
        total: s.parts.len(),
        prev: (s.part > 1).then(|| link(s.parts[s.part - 2])),
        next: s.parts.get(s.part).map(|&n| link(n)),
        parts: s
            .parts
            .iter()
            .map(|&p| SeriesPart {
                title: &graph.article(p).title,
                url: graph.url(p),
                current: p == id,
            })
            .collect(),
    })
}

/// The table of contents: shown from `TOC_MIN_SECTIONS` sections on, or as
/// the front matter's `toc` says.
fn toc(graph: Reader<'_>, id: usize) -> Vec<TocEntry<'_>> {
    let headings = graph.headings(id);
    let sections = headings.iter().filter(|h| h.level == 2).count();
    if !graph.article(id).toc.unwrap_or(sections >= TOC_MIN_SECTIONS) {
        return Vec::new();
    }
    let mut entries: Vec<TocEntry<'_>> = Vec::new();
    for h in headings.iter().filter(|h| h.level == 2 || h.level == 3) {
        let entry = TocEntry {
            id: &h.id,
            text: &h.text,
            children: Vec::new(),
        };
        match entries.last_mut() {
            Some(parent) if h.level == 3 => parent.children.push(entry),
            _ => entries.push(entry),
        }
    }
    entries
}
