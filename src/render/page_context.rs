//! Each HTML page's template context: what every page has (`site`,
//! `strings`, `page`) beside the page's own data, and the rendering of a
//! template with it.

use super::page::Page;
use super::renderer::Scope;
use super::views::PageMeta;
use crate::graph::Key;
use anyhow::{anyhow, Result};
use serde::Serialize;
use serde_json::{Map, Value};

impl Scope<'_> {
    /// Renders HTML page `page` with its template, `data` beside `site`,
    /// `strings` and `page` (titled `title`, in navigation `section`).
    pub(super) fn html<T: Serialize>(
        &self,
        page: Page,
        title: String,
        section: &'static str,
        data: &T,
    ) -> Result<String> {
        self.html_then(page, title, section, data, |_| {})
    }

    /// As [`Scope::html`], with `finish` given the context's value before
    /// Tera takes it (to move a large value in rather than copy it).
    pub(super) fn html_then<T: Serialize>(
        &self,
        page: Page,
        title: String,
        section: &'static str,
        data: &T,
        finish: impl FnOnce(&mut serde_json::Value),
    ) -> Result<String> {
        let url = self.url(page);
        let (feed_url, json_feed_url) = match page {
            Page::Home(_) => (Some(self.site.feed_url.clone()), Some(self.url(Page::SiteJsonFeed))),
            Page::Author(au, _) => (
                Some(self.url(Page::AuthorFeed(au))),
                Some(self.url(Page::AuthorJsonFeed(au))),
            ),
            Page::Topic(t, _) => (
                Some(self.url(Page::TopicFeed(t))),
                Some(self.url(Page::TopicJsonFeed(t))),
            ),
            _ => (None, None),
        };
        let permalink = self.config.absolute(&url);
        let canonical = match page {
            Page::Article(id) => self.g().article(id).canonical.as_ref().map(|c| c.url().to_string()),
            _ => None,
        };
        let nav = super::partials::NavState::new(&self.site, page.kind_name(), section, &url);
        let meta = PageMeta {
            header_html: self.header_html(nav)?,
            footer_html: self.footer_html()?.to_string(),
            description: self.description(page),
            canonical: canonical.unwrap_or_else(|| permalink.clone()),
            permalink,
            url,
            title,
            section,
            feed_url,
            json_feed_url,
            kind: page.kind_name(),
            noindex: page == Page::Search,
        };
        let template = page.template().unwrap_or_default();
        let json = |e: serde_json::Error| anyhow!(super::templates::error_chain(&e));
        // `site` and a template's `strings` are the same on every page:
        // cloned, not serialized again for each.
        let mut context = Map::new();
        context.insert("site".into(), self.site_json()?.clone());
        context.insert("strings".into(), self.theme.strings_for(template).to_json());
        context.insert("page".into(), serde_json::to_value(&meta).map_err(json)?);
        match serde_json::to_value(data).map_err(json)? {
            Value::Object(fields) => context.extend(fields),
            _ => return Err(anyhow!("a page's data must be a map of values")),
        }
        let mut value = Value::Object(context);
        finish(&mut value);
        self.render_value(template, value)
    }

    /// `site` as a JSON value, made once for every page.
    fn site_json(&self) -> Result<&Value> {
        self.shared()
            .site_json
            .get_or_init(|| serde_json::to_value(&self.site).map_err(|e| super::templates::error_chain(&e)))
            .as_ref()
            .map_err(|e| anyhow!("{e}"))
    }

    /// Renders a template with any serializable context.
    pub fn render_template<T: Serialize>(&self, template: &'static str, ctx: &T) -> Result<String> {
        let value = serde_json::to_value(ctx).map_err(|e| anyhow!(super::templates::error_chain(&e)))?;
        self.render_value(template, value)
    }

    /// Renders a template with its context as a JSON value.
    fn render_value(&self, template: &'static str, value: serde_json::Value) -> Result<String> {
        self.g().note(Key::Template(template));
        let context = tera::Context::from_value(value).map_err(|e| anyhow!(super::templates::error_chain(&e)))?;
        self.theme
            .render(template, &context)
            .map_err(|e| anyhow::Error::new(self.theme.render_error(template, &e)))
    }

    fn description(&self, page: Page) -> String {
        let g = self.g();
        match page {
            Page::Article(id) => g.summary(id).to_string(),
            Page::Author(au, _) => g
                .author(au)
                .role
                .clone()
                .unwrap_or_else(|| self.text("articles_by", &[("name", g.author(au).name.clone())])),
            Page::Topic(t, _) => g
                .topic(t)
                .description
                .clone()
                .unwrap_or_else(|| self.text("articles_on", &[("name", g.topic(t).name.clone())])),
            _ => self.config.description.clone(),
        }
    }
}
