//! Parts of pages rendered once per build and reused by every page that
//! shows them: each article's card (`card.html`), each author's block under
//! their articles (`author_block.html`), the site header for each state of
//! the navigation (`header.html`) and the footer (`footer.html`).
//! A site whose own templates include, import or extend one of the last
//! three by name (a `header.html` of its own, written to be included by its
//! `base.html`) keeps it as its part: it is not rendered on its own, and
//! the value that would hold it is empty.
//! A 10,000-article archive lists each card about seven times, and every
//! one of its 13,000 HTML pages has the header and footer; rendering them
//! once saves Tera's variable look-ups on each of those pages.

use super::article_view::AuthorView;
use super::i18n::Strings;
use super::page_data::CardCtx;
use super::renderer::{Partial, Scope};
use super::templates::template_problem;
use super::views::{ArticleCard, ListItem, SiteView};
use crate::graph::{Key, ReadLog};
use anyhow::Result;
use serde::Serialize;
use std::sync::{Arc, OnceLock};

/// What the site header shows of the page it is on, as `nav` in
/// `header.html`: the page's kind and section, and its URL path when the
/// site title or a navigation entry links to it (else empty). Pages with the
/// same state share one rendering.
#[derive(Serialize, Clone, PartialEq, Eq, Hash)]
pub(super) struct NavState {
    pub(super) kind: &'static str,
    pub(super) section: &'static str,
    pub(super) url: String,
}

impl NavState {
    /// The state of a page of `kind` at `url`, in navigation `section`.
    pub(super) fn new(site: &SiteView<'_>, kind: &'static str, section: &'static str, url: &str) -> Self {
        let linked = url == site.base_path || site.nav.iter().any(|item| item.url == url);
        NavState {
            kind,
            section,
            url: if linked { url.to_string() } else { String::new() },
        }
    }
}

/// The context of `author_block.html`.
#[derive(Serialize)]
struct AuthorCtx<'a> {
    site: &'a SiteView<'a>,
    strings: &'a Strings,
    author: AuthorView<'a>,
}

/// The context of `header.html` (with `nav`) and `footer.html` (without).
#[derive(Serialize)]
struct PartialCtx<'a> {
    site: &'a SiteView<'a>,
    strings: &'a Strings,
    #[serde(skip_serializing_if = "Option::is_none")]
    nav: Option<&'a NavState>,
}

impl<'a> Scope<'a> {
    /// Cards of the given articles, each rendered by `card.html` once per build.
    pub fn cards(&self, ids: &[usize]) -> Result<Vec<ListItem<'a>>> {
        ids.iter()
            .map(|&id| Ok(ListItem::new(self.g(), id, self.date_display(id), self.card_html(id)?)))
            .collect()
    }

    /// Article `id`'s card.
    fn card_html(&self, id: usize) -> Result<&'a str> {
        let shared = self.shared();
        self.render_once(&shared.card_html[id], "card.html", |scope| {
            let ctx = CardCtx {
                site: shared.theme.names_site("card.html").then_some(&shared.site),
                strings: shared.theme.strings_for("card.html"),
                card: ArticleCard::new(scope.g(), id, scope.date_display(id)),
            };
            scope.render_template("card.html", &ctx)
        })
    }

    /// Author `au`'s block under their articles.
    pub(super) fn author_html(&self, au: usize) -> Result<&'a str> {
        let shared = self.shared();
        if self.site_includes("author_block.html") {
            return Ok("");
        }
        self.render_once(&shared.author_html[au], "author_block.html", |scope| {
            let ctx = AuthorCtx {
                site: &shared.site,
                strings: shared.theme.strings_for("author_block.html"),
                author: AuthorView::new(scope, au),
            };
            scope.render_template("author_block.html", &ctx)
        })
    }

    /// The site header for a page in navigation state `nav`.
    pub(super) fn header_html(&self, nav: NavState) -> Result<String> {
        let slot: Arc<OnceLock<Partial>> = {
            let mut headers = self.shared().header_html.lock().unwrap_or_else(|e| e.into_inner());
            headers.entry(nav.clone()).or_default().clone()
        };
        self.partial(&slot, "header.html", Some(&nav)).map(str::to_string)
    }

    /// The site footer.
    pub(super) fn footer_html(&self) -> Result<&'a str> {
        self.partial(&self.shared().footer_html, "footer.html", None)
    }

    fn partial<'s>(
        &self,
        slot: &'s OnceLock<Partial>,
        template: &'static str,
        nav: Option<&NavState>,
    ) -> Result<&'s str> {
        let shared = self.shared();
        if self.site_includes(template) {
            return Ok("");
        }
        self.render_once(slot, template, |scope| {
            let ctx = PartialCtx {
                site: &shared.site,
                strings: shared.theme.strings_for(template),
                nav,
            };
            scope.render_template(template, &ctx)
        })
    }

    /// Whether the site's templates include `template` as a part of their
    /// own, so that it is not rendered on its own (what that depends on is
    /// in the template's record, noted for the page).
    fn site_includes(&self, template: &'static str) -> bool {
        let included = self.shared().theme.is_referenced(template);
        if included {
            self.g().note(Key::Template(template));
        }
        included
    }

    /// The text `render` gives in a scope of its own, made once into
    /// `slot`; every page showing it takes on the records it read.
    fn render_once<'s>(
        &self,
        slot: &'s OnceLock<Partial>,
        template: &'static str,
        render: impl for<'l> FnOnce(&Scope<'l>) -> Result<String>,
    ) -> Result<&'s str> {
        let shared = self.shared();
        let (html, reads) = slot.get_or_init(|| {
            let log = ReadLog::default();
            let scope = Scope {
                shared,
                log: shared.tracking.then_some(&log),
            };
            let html = render(&scope).map_err(|e| template_problem(&e, template));
            (html, log.into_keys())
        });
        if let Some(log) = self.log {
            log.absorb(reads);
        }
        html.as_deref().map_err(|problem| anyhow::Error::new(problem.clone()))
    }
}
