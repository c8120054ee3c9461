//! Writing the new site folder: site.yaml, articles/, authors/, topics/,
//! and the files copied into static/, each serialized from the struct the
//! loader reads it into.

use super::convert::{Converted, OutArticle};
use crate::fs;
use anyhow::Result;
use serde::Serialize;
use std::path::Path;

fn yaml(value: &impl Serialize) -> Result<String> {
    Ok(serde_yaml::to_string(value)?)
}

/// Removes what an earlier import wrote (for `--force`).
pub fn clear_previous(out: &Path) -> Result<()> {
    for dir in ["articles", "authors", "topics"] {
        fs::remove_dir_all(&out.join(dir))?;
    }
    Ok(())
}

/// Writes the converted site under `out`.
pub fn write_site(out: &Path, site: &Converted, source_root: &Path) -> Result<()> {
    fs::write(&out.join("site.yaml"), yaml(&site.site)?.as_bytes())?;
    for article in &site.articles {
        write_article(out, article)?;
    }
    for (slug, author) in &site.authors {
        fs::write(
            &out.join("authors").join(format!("{slug}.yaml")),
            yaml(author)?.as_bytes(),
        )?;
    }
    for (slug, topic) in &site.topics {
        fs::write(
            &out.join("topics").join(format!("{slug}.yaml")),
            yaml(topic)?.as_bytes(),
        )?;
    }
    for (target, source) in &site.copies {
        fs::copy(&source_root.join(source), &out.join("static").join(target))?;
    }
    Ok(())
}

/// Writes one article under `out/articles/`.
pub fn write_article(out: &Path, article: &OutArticle) -> Result<()> {
    let text = format!("---\n{}---\n{}", yaml(&article.front)?, ensure_newline(&article.body));
    fs::write(&out.join("articles").join(&article.path), text.as_bytes())
}

fn ensure_newline(body: &str) -> String {
    let trimmed = body.trim_start_matches('\n');
    if trimmed.ends_with('\n') {
        trimmed.to_string()
    } else {
        format!("{trimmed}\n")
    }
}
