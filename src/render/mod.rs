//! Rendering pages: Tera templates fed with borrowed views of the graph.

mod article_view;
pub mod cite;
pub mod feeds;
pub mod images;
mod json_feed;
mod page;
mod page_data;
mod pages;
mod reader_pages;
pub mod search;
mod series;
pub mod structured;
mod templates;
pub mod text;
pub mod theme;
mod views;

pub use article_view::{ArticleView, AuthorView};
pub use page::{CiteFormat, Page, SearchFile};
pub use pages::{page_count, Renderer, TemplateError};
pub use templates::{compile_templates, error_chain, load_templates, template_sources, TemplateSource};
pub use views::{ArticleCard, ListItem, SiteView};
