//! Rendering pages: Tera templates fed with borrowed views of the graph.

mod article_view;
mod errors;
pub mod feeds;
mod i18n;
mod page_data;
mod pages;
mod recursion;
mod templates;
pub mod theme;
mod views;

pub use article_view::{ArticleView, AuthorView};
pub use i18n::Strings;
pub use pages::{page_count, Page, Renderer};
pub use templates::{
    compile_templates, error_chain, load_templates, template_problem, template_sources, TemplateSource, Theme,
};
pub use views::{ArticleCard, ListItem, SiteView};
