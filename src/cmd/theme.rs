//! `pressroom theme export`: the built-in templates and stylesheet, the
//! very files compiled into the binary, copied into a site so an override
//! starts from the real thing. Existing files are never overwritten.

use super::{Context, EXIT_OK};
use crate::cli::ThemeExportArgs;
use crate::render::theme;
use anyhow::Result;
use std::path::{Path, PathBuf};

/// What writing a set of files did.
#[derive(Debug, Default)]
pub(super) struct Written {
    /// Paths written, relative to the folder.
    pub(super) created: Vec<String>,
    /// Paths left alone because a file (or anything) already had the name.
    pub(super) kept: Vec<String>,
}

/// Copies the theme into `DIR/templates/` and `DIR/static/`.
pub fn export_theme(args: &ThemeExportArgs, cx: &Context) -> Result<i32> {
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let written = write_theme(&dir)?;
    report(&written, cx);
    cx.ui.done(
        "Exported",
        &format!(
            "the theme: {} files written into {}, {} kept",
            written.created.len(),
            dir.display(),
            written.kept.len()
        ),
    );
    Ok(EXIT_OK)
}

/// Writes the built-in theme's files under `dir`, skipping existing ones.
pub(super) fn write_theme(dir: &Path) -> Result<Written> {
    let mut written = Written::default();
    for (name, text) in theme::TEMPLATES {
        write_file(dir, &format!("templates/{name}"), text.as_bytes(), &mut written)?;
    }
    for (path, bytes) in theme::STATIC {
        write_file(dir, &format!("static/{path}"), bytes, &mut written)?;
    }
    Ok(written)
}

/// Writes `dir/rel` unless something has that name already.
pub(super) fn write_file(dir: &Path, rel: &str, bytes: &[u8], written: &mut Written) -> Result<()> {
    if crate::fs::write_new(&dir.join(rel), bytes)? {
        written.created.push(rel.to_string());
    } else {
        written.kept.push(rel.to_string());
    }
    Ok(())
}

/// Names each file written (with `--verbose`) and each kept (always).
pub(super) fn report(written: &Written, cx: &Context) {
    for rel in &written.created {
        cx.ui.detail(&format!("wrote {rel}"));
    }
    for rel in &written.kept {
        cx.ui.note(&format!("kept the existing {rel}; it was not overwritten"));
    }
}
