//! pressroom turns a folder of Markdown commentary into a complete static
//! site. The stages run one way: load (`content`) -> index (`graph`) ->
//! render Markdown (`markdown`) -> link (`graph`) -> render pages
//! (`render`) -> write (`output`); `engine` runs them, once for `build`
//! and `check`, and again after every edit for `serve`.

pub mod cli;
pub mod cmd;
pub mod config;
pub mod content;
pub mod diag;
pub mod engine;
pub mod fs;
#[doc(hidden)]
pub mod fuzzing;
pub mod graph;
pub mod import;
pub mod markdown;
pub mod output;
pub mod progress;
pub mod render;
mod scan;
pub mod serve;
pub mod timings;
pub mod ui;
