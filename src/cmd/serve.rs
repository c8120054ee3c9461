//! `pressroom serve`: local preview with live reload.

use crate::cli::ServeArgs;
use crate::serve::{serve, ServeOptions};
use anyhow::Result;

/// Builds the site into memory, serves it and rebuilds it on every edit.
pub fn serve_site(args: &ServeArgs, cx: &super::Context) -> Result<i32> {
    let root = super::site_root(args.root.as_deref())?;
    serve(&ServeOptions {
        root,
        bind: args.bind,
        port: args.port,
        drafts: args.drafts,
        allow_hosts: args.allow_hosts.clone(),
        open: args.open,
        quiet: cx.ui.verbosity == crate::ui::Verbosity::Quiet,
    })
}
