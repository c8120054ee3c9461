//! Writing the new site folder: site.yaml, articles/, authors/, topics/,
//! and the images copied into static/.

use super::convert::Converted;
use anyhow::{Context, Result};
use serde_yaml::{Mapping, Value};
use std::fs;
use std::path::Path;

fn write_file(path: &Path, contents: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    fs::write(path, contents).with_context(|| format!("cannot write {}", path.display()))
}

fn yaml(map: &Mapping) -> Result<String> {
    Ok(serde_yaml::to_string(map)?)
}

/// Removes what an earlier import wrote (for `--force`).
pub fn clear_previous(out: &Path) -> Result<()> {
    for dir in ["articles", "authors", "topics"] {
        let path = out.join(dir);
        if path.exists() {
            fs::remove_dir_all(&path).with_context(|| format!("cannot remove {}", path.display()))?;
        }
    }
    Ok(())
}

/// Writes the converted site under `out`.
pub fn write_site(out: &Path, site: &Converted, source_root: &Path) -> Result<()> {
    write_file(&out.join("site.yaml"), &yaml(&site.site)?)?;
    for article in &site.articles {
        let text = format!("---\n{}---\n{}", yaml(&article.front)?, ensure_newline(&article.body));
        write_file(&out.join("articles").join(&article.path), &text)?;
    }
    for (slug, author) in &site.authors {
        let mut map = Mapping::new();
        map.insert("name".into(), Value::String(author.name.clone()));
        if let Some(role) = &author.role {
            map.insert("role".into(), Value::String(role.clone()));
        }
        if let Some(bio) = &author.bio {
            map.insert("bio".into(), Value::String(bio.clone()));
        }
        write_file(&out.join("authors").join(format!("{slug}.yaml")), &yaml(&map)?)?;
    }
    for (slug, (name, description)) in &site.topics {
        let mut map = Mapping::new();
        map.insert("name".into(), Value::String(name.clone()));
        map.insert("description".into(), Value::String(description.clone()));
        write_file(&out.join("topics").join(format!("{slug}.yaml")), &yaml(&map)?)?;
    }
    for (target, source) in &site.copies {
        let to = out.join("static").join(target);
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::copy(source_root.join(source), &to).with_context(|| format!("cannot copy {source} to {}", to.display()))?;
    }
    Ok(())
}

fn ensure_newline(body: &str) -> String {
    let trimmed = body.trim_start_matches('\n');
    if trimmed.ends_with('\n') {
        trimmed.to_string()
    } else {
        format!("{trimmed}\n")
    }
}
