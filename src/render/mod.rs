//! Rendering pages: Tera templates fed with borrowed views of the graph.

mod article_view;
pub mod feeds;
mod page_data;
mod pages;
mod templates;
pub mod theme;
mod views;

pub use article_view::{ArticleView, AuthorView};
pub use pages::{page_count, Page, Renderer};
pub use templates::{
    compile_templates, error_chain, load_templates, template_problem, template_sources, TemplateSource,
};
pub use views::{ArticleCard, ListItem, SiteView};
