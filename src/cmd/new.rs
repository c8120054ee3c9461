//! `pressroom new "Title"`: a new draft article with its front matter filled
//! in, written so that the next build accepts it.

use super::{site_root, write_stdout, Context, EXIT_OK};
use crate::cli::NewArgs;
use crate::config::SiteConfig;
use crate::content::source::source_from_bytes;
use crate::content::{file_slug, is_ignored_name, load_content, Article, Content, Date, StaticFiles};
use crate::diag::{closest, display_path, unusable_name, Diagnostics, Level};
use crate::graph::{build_index, ArticleId, Interner, Parsed};
use crate::markdown::slugify;
use crate::render::theme;
use anyhow::{bail, Context as _, Result};
use std::path::Path;
use std::sync::Arc;

/// Writes `articles/<year>/<slug>.md` as a draft.
pub fn new_article(args: &NewArgs, cx: &Context) -> Result<i32> {
    let root = site_root(args.root.as_deref())?;
    let date = match &args.date {
        Some(d) => match Date::parse(d) {
            Ok(date) => date,
            Err(m) => bail!("--date: {m}"),
        },
        None => cx.today,
    };
    let slug = slugify(&args.title);
    if slug.is_empty() {
        bail!(
            "the title `{}` has no letters or digits to make a file name from",
            args.title
        );
    }
    // The site as it is, read leniently: its own problems are the build's to report.
    let mut ignored = Vec::new();
    let config = SiteConfig::load(&root, &mut ignored);
    let content = load_content(&root, &theme::static_paths(), &config.exclusions(), &mut ignored);
    let rel = format!("articles/{}/{slug}.md", date.year());
    check_place(&root, &rel, &config)?;
    check_slug(&rel, &content)?;
    let authors = choose_authors(args, &content, cx)?;
    for topic in &args.topics {
        if let Some(hint) = topic_hint(topic, &content) {
            cx.ui.warning(&hint);
        }
    }
    let text = front_matter(args, &authors, &date);
    check_text(&rel, &text, content, &config)?;
    // Created only if nothing (not even a dangling link) has that name.
    if !crate::fs::write_new(&root.join(&rel), text.as_bytes())? {
        bail!("{rel} already exists; choose another title");
    }
    write_stdout(format!("{rel}\n").as_bytes())
        .with_context(|| format!("{rel} was written, but its name could not be printed"))?;
    if authors.is_empty() {
        cx.ui
            .note("add at least one author slug to `authors:` before publishing");
    }
    Ok(EXIT_OK)
}

/// Refuses a path the build would skip (a README, a name `exclude:`
/// matches, a name it cannot use or ignores) and a folder on the way that
/// is a symbolic link: the file would land outside the site, and the build
/// skips links.
fn check_place(root: &Path, rel: &str, config: &SiteConfig) -> Result<()> {
    let path = root.join(rel);
    if config.exclusions().is_excluded(rel) {
        bail!("the build skips {rel} (a README, or a name that `exclude:` in site.yaml matches); choose another title");
    }
    let name = path
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    if let Some(why) = unusable_name(root, &path) {
        bail!("{rel}: {why}");
    }
    if is_ignored_name(&name) {
        bail!("the build ignores {rel} (the name of a hidden or temporary file); choose another title");
    }
    let mut folder = root.to_path_buf();
    for part in Path::new(rel).parent().into_iter().flat_map(Path::components) {
        folder.push(part);
        if folder.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()) {
            bail!(
                "{} is a symbolic link, which the build skips: new writes only into the site's own \
                 folders; replace the link with a folder",
                display_path(root, &folder)
            );
        }
    }
    Ok(())
}

/// Refuses a file at `rel` whose slug another article has: it would take
/// that article's URL, or get another one than its name says.
fn check_slug(rel: &str, content: &Content) -> Result<()> {
    let slug = file_slug(rel.strip_prefix("articles/").unwrap_or(rel));
    if let Some(other) = content.articles.iter().find(|a| a.slug == slug) {
        bail!(
            "{} already has the slug `{slug}`: a new article with it would take that article's URL \
             or get another one; choose another title (the file name and slug come from it)",
            other.source_path
        );
    }
    Ok(())
}

/// Refuses `text` unless the build would accept it at `rel`: it is read
/// by the loader the build uses and indexed with the site's articles, and
/// any error it would have stops it.
fn check_text(rel: &str, text: &str, content: Content, config: &SiteConfig) -> Result<()> {
    let mut problems = Vec::new();
    let in_articles = rel.strip_prefix("articles/").unwrap_or(rel);
    let article = source_from_bytes(rel.to_string(), text.as_bytes().to_vec(), &mut problems)
        .and_then(|source| Article::from_source(&source, in_articles, &StaticFiles::default(), &mut problems));
    if let Some(article) = article {
        let mut ids = Interner::default();
        let parsed = content.articles.into_iter().chain([article]).map(|article| Parsed {
            id: ArticleId(ids.intern(&article.rel_path)),
            article: Arc::new(article),
            hash: 0,
            layout: 0,
        });
        build_index(
            parsed.collect(),
            content.authors,
            content.topics,
            config,
            true,
            &mut problems,
        );
    }
    let mut refused = Diagnostics::default();
    refused.extend(
        problems
            .into_iter()
            .filter(|d| d.level == Level::Error && d.path() == Some(rel)),
    );
    if refused.has_errors() {
        bail!(
            "the build would refuse {rel}, so it was not written:\n{}",
            refused.report().trim_end()
        );
    }
    Ok(())
}

/// The `--author` slugs, checked; without any, the site's only author.
fn choose_authors(args: &NewArgs, content: &Content, cx: &Context) -> Result<Vec<String>> {
    let known: Vec<&str> = content.authors.iter().map(|a| a.slug.as_str()).collect();
    for author in &args.authors {
        if !known.contains(&author.as_str()) {
            let near = closest(author, known.iter().copied(), 3);
            let hint = if near.is_empty() {
                String::new()
            } else {
                format!("; closest: {}", near.join(", "))
            };
            bail!("unknown author `{author}`: no file authors/{author}.yaml{hint}");
        }
    }
    if !args.authors.is_empty() {
        return Ok(args.authors.clone());
    }
    match known.as_slice() {
        [only] => {
            cx.ui.note(&format!(
                "author: {only}, the site's only author (choose another with --author)"
            ));
            Ok(vec![only.to_string()])
        }
        _ => Ok(Vec::new()),
    }
}

/// A warning when `topic` is new to the site but close to a known topic:
/// likely a misspelling that would make a second topic page.
fn topic_hint(topic: &str, content: &Content) -> Option<String> {
    let mut names: Vec<&str> = content.topics.iter().map(|t| t.name.as_str()).collect();
    names.extend(
        content
            .articles
            .iter()
            .flat_map(|a| a.topics.iter().map(String::as_str)),
    );
    let wanted = slugify(topic);
    let known_slugs = content.topics.iter().map(|t| t.slug.clone());
    if known_slugs.chain(names.iter().map(|n| slugify(n))).any(|s| s == wanted) {
        return None;
    }
    let best = *closest(topic, names.iter().copied(), 1).first()?;
    Some(format!(
        "topic `{topic}` is new to this site (no file in topics/ and no article names it); did you mean `{best}`?"
    ))
}

fn yaml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| yaml_string(i)).collect();
    format!("[{}]", quoted.join(", "))
}

/// `text` as a YAML double-quoted string; control characters, which YAML
/// allows only escaped, are written as `\uXXXX`.
fn yaml_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '\\' => quoted.push_str("\\\\"),
            '"' => quoted.push_str("\\\""),
            '\n' => quoted.push_str("\\n"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

fn front_matter(args: &NewArgs, authors: &[String], date: &Date) -> String {
    format!(
        "---\ntitle: {}\ndate: {}\nauthors: {}\ntopics: {}\nsummary: \"\"\ndraft: true\n---\n\nWrite the article here.\n",
        yaml_string(&args.title),
        date.iso_day(),
        yaml_list(authors),
        yaml_list(&args.topics),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn titles_survive_quotes_backslashes_newlines_and_control_characters() {
        for title in [
            "Say \"no\" \\ twice\nplease",
            "A\u{1}B",
            "Esc\u{1b}[0m",
            "Del\u{7f}",
            "Tab\there\r",
        ] {
            let parsed: String = serde_yaml::from_str(&super::yaml_string(title)).unwrap();
            assert_eq!(parsed, title);
        }
    }
}
