//! Rendering pages: Tera templates fed with borrowed views of the graph.

mod article_view;
pub mod cite;
mod errors;
pub mod feeds;
mod i18n;
pub mod images;
mod json;
mod json_feed;
mod page;
mod page_context;
mod page_data;
mod pages;
mod partials;
mod reader_pages;
mod recursion;
mod renderer;
pub mod search;
pub mod structured;
mod templates;
pub mod text;
pub mod theme;
mod views;

pub use article_view::{ArticleView, AuthorView};
pub(crate) use errors::references as template_references;
pub use i18n::Strings;
pub use page::{CiteFormat, Page, SearchFile};
pub use pages::page_count;
pub use renderer::{RenderedPage, Renderer, Scope, WordCounts};
pub use search::SearchIndex;
pub use templates::{
    compile_templates, error_chain, load_templates, template_problem, template_sources, TemplateSource, Theme,
};
pub use views::{ArticleCard, ListItem, SiteView};
