//! Writing the new site folder: site.yaml, articles/, authors/, topics/,
//! and the files copied into static/, each serialized from the struct the
//! loader reads it into.
//!
//! The output folder may hold the user's own files, so nothing is written
//! onto a file that is there or through a link: every file is created new,
//! in folders that are real folders. An import lists what it wrote in a
//! marker file (as a build marks its output), and `--force` removes exactly
//! the files listed there; anything else in the way stops the import before
//! it writes.

use super::convert::{Converted, OutArticle};
use crate::fs;
use anyhow::{bail, Context, Result};
use serde::Serialize;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

/// The marker file an import writes at the top of the site folder.
pub const MARKER: &str = ".pressroom-import";

const HEADER: &str = "# Made by `pressroom import`; `import --force` removes the files listed here.\n";

/// The entries that make a folder a pressroom site.
const SITE_ENTRIES: [&str; 4] = ["site.yaml", "articles", "authors", "topics"];

fn yaml(value: &impl Serialize) -> Result<String> {
    Ok(serde_yaml::to_string(value)?)
}

/// Every file the import writes, relative to the site folder.
fn planned(site: &Converted) -> Vec<String> {
    let mut files = vec!["site.yaml".to_string()];
    files.extend(site.articles.iter().map(|a| format!("articles/{}", a.path)));
    files.extend(site.authors.keys().map(|slug| format!("authors/{slug}.yaml")));
    files.extend(site.topics.keys().map(|slug| format!("topics/{slug}.yaml")));
    files.extend(site.copies.keys().map(|target| format!("static/{target}")));
    files
}

/// What the marker of an earlier import lists; `None` when there is no marker.
fn earlier_import(out: &Path) -> Result<Option<BTreeSet<String>>> {
    let path = out.join(MARKER);
    match path.symlink_metadata() {
        Err(_) => return Ok(None),
        // A link could name another import's list, whose files are not here.
        Ok(meta) if !meta.is_file() => bail!(
            "{} is not a regular file (a link?), so it is no list of what an import wrote here: remove it, \
             and what the import wrote, yourself",
            path.display()
        ),
        Ok(_) => {}
    }
    let bytes = fs::read_regular(&path).with_context(|| format!("could not read {}", path.display()))?;
    let listed = String::from_utf8(bytes).ok().and_then(|text| {
        let rest = text.strip_prefix(HEADER)?.to_string();
        let lines: BTreeSet<String> = rest.lines().map(str::to_string).collect();
        lines
            .iter()
            .all(|l| crate::output::inside_the_output(l))
            .then_some(lines)
    });
    match listed {
        Some(listed) => Ok(Some(listed)),
        None => bail!(
            "{} is not a list an import wrote (edited by hand?): remove it, and what the import wrote, yourself",
            path.display()
        ),
    }
}

/// Makes room for the import in `out`: refuses, naming them, the files in
/// the way that no earlier import wrote (and, in a folder no import made,
/// its site.yaml, articles/, authors/ and topics/); with `force`, removes
/// the files the earlier import listed. Nothing is removed when it refuses.
pub fn make_room(out: &Path, site: &Converted, force: bool) -> Result<()> {
    let files = planned(site);
    if let Some(bad) = files.iter().find(|rel| !crate::output::inside_the_output(rel)) {
        bail!(
            "cannot write `{}`: not a path inside the site folder",
            crate::diag::print::escape_controls(bad)
        );
    }
    let earlier = earlier_import(out)?;
    let listed = earlier.clone().unwrap_or_default();
    let mut in_way: Vec<String> = files
        .into_iter()
        .filter(|rel| !listed.contains(rel) && out.join(rel).symlink_metadata().is_ok())
        .collect();
    if earlier.is_none() {
        for entry in SITE_ENTRIES {
            if out.join(entry).symlink_metadata().is_ok() && !in_way.iter().any(|r| r.split('/').next() == Some(entry))
            {
                let folder = if out.join(entry).is_dir() { "/" } else { "" };
                in_way.push(format!("{entry}{folder}"));
            }
        }
    }
    if !in_way.is_empty() {
        in_way.sort();
        let shown: Vec<_> = in_way
            .iter()
            .take(10)
            .map(|r| crate::diag::print::escape_controls(r))
            .collect();
        let more = in_way.len().saturating_sub(shown.len());
        bail!(
            "output folder {} holds {}{} that no earlier import wrote; an import never replaces them \
             (--force replaces only what an import listed in {MARKER}): move them away or choose another folder",
            out.display(),
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
    }
    if force {
        // Every folder on the way checked before anything is removed.
        for rel in &listed {
            real_folders(out, rel, false)?;
        }
        for rel in &listed {
            remove_listed(out, rel)?;
        }
    }
    Ok(())
}

/// Removes a file an earlier import listed, and the folders it leaves empty.
fn remove_listed(out: &Path, rel: &str) -> Result<()> {
    let path = out.join(rel);
    real_folders(out, rel, false)?;
    match path.symlink_metadata() {
        Ok(meta) if !meta.is_dir() => {
            std::fs::remove_file(&path).with_context(|| format!("could not remove {}", path.display()))?
        }
        _ => return Ok(()),
    }
    let mut parent = path.parent();
    while let Some(dir) = parent.filter(|d| *d != out) {
        if std::fs::remove_dir(dir).is_err() {
            break;
        }
        parent = dir.parent();
    }
    Ok(())
}

/// Checks that the folders on the way to `out/rel` are real folders, not
/// links; with `create`, makes the missing ones.
fn real_folders(out: &Path, rel: &str, create: bool) -> Result<()> {
    let mut dir = out.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for part in &parts[..parts.len() - 1] {
        dir.push(part);
        match dir.symlink_metadata() {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => bail!(
                "{} is not a folder (a link or a file): the import does not write through it",
                dir.display()
            ),
            Err(_) if create => fs::create_dir(&dir)?,
            Err(_) => return Ok(()),
        }
    }
    Ok(())
}

/// Creates the new file `out/rel`, never writing onto one that is there.
fn create_new(out: &Path, rel: &str) -> Result<std::fs::File> {
    real_folders(out, rel, true)?;
    let path = out.join(rel);
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("could not create {}", path.display()))
}

fn write_new(out: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
    create_new(out, rel)?
        .write_all(bytes)
        .with_context(|| format!("could not write {}", out.join(rel).display()))
}

/// Copies the regular file `from` into the new file `out/rel`.
fn copy_new(from: &Path, out: &Path, rel: &str) -> Result<()> {
    let mut source = fs::open_regular(from).with_context(|| format!("could not read {}", from.display()))?;
    let mut target = create_new(out, rel)?;
    std::io::copy(&mut source, &mut target)
        .map(drop)
        .with_context(|| format!("could not copy {} to {}", from.display(), out.join(rel).display()))
}

/// Writes the converted site under `out` (after [`make_room`]), then the
/// marker listing what it wrote.
pub fn write_site(out: &Path, site: &Converted, source_root: &Path) -> Result<()> {
    fs::create_dir_all(out)?;
    let files = planned(site);
    let mut marker = String::from(HEADER);
    for rel in &files {
        marker.push_str(rel);
        marker.push('\n');
    }
    // Listed first, so that what a failed import wrote is still its own.
    fs::write_fresh(&out.join(MARKER), marker.as_bytes())?;
    write_new(out, "site.yaml", yaml(&site.site)?.as_bytes())?;
    for article in &site.articles {
        write_article(out, article)?;
    }
    for (slug, author) in &site.authors {
        write_new(out, &format!("authors/{slug}.yaml"), yaml(author)?.as_bytes())?;
    }
    for (slug, topic) in &site.topics {
        write_new(out, &format!("topics/{slug}.yaml"), yaml(topic)?.as_bytes())?;
    }
    for (target, source) in &site.copies {
        copy_new(&source_root.join(source), out, &format!("static/{target}"))?;
    }
    Ok(())
}

fn article_text(article: &OutArticle) -> Result<String> {
    Ok(format!(
        "---\n{}---\n{}",
        yaml(&article.front)?,
        ensure_newline(&article.body)
    ))
}

/// Writes one article under `out/articles/`.
fn write_article(out: &Path, article: &OutArticle) -> Result<()> {
    write_new(
        out,
        &format!("articles/{}", article.path),
        article_text(article)?.as_bytes(),
    )
}

/// Writes again an article this import wrote (unlinked first, not written through).
pub fn rewrite_article(out: &Path, article: &OutArticle) -> Result<()> {
    let rel = format!("articles/{}", article.path);
    real_folders(out, &rel, false)?;
    fs::write_fresh(&out.join(rel), article_text(article)?.as_bytes())
}

fn ensure_newline(body: &str) -> String {
    let trimmed = body.trim_start_matches('\n');
    if trimmed.ends_with('\n') {
        trimmed.to_string()
    } else {
        format!("{trimmed}\n")
    }
}
