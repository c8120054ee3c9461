//! `pressroom new "Title"`: a new draft article with its front matter filled
//! in, written so that the next build accepts it.

use super::{site_root, Context, EXIT_OK};
use crate::cli::NewArgs;
use crate::config::SiteConfig;
use crate::content::{load_content, Content, Date};
use crate::diag::closest;
use crate::markdown::slugify;
use crate::render::theme;
use anyhow::{bail, Context as _, Result};

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
    let content = existing_content(&root);
    let authors = choose_authors(args, &content, cx)?;
    for topic in &args.topics {
        if let Some(hint) = topic_hint(topic, &content) {
            cx.ui.warning(&hint);
        }
    }
    if let Some(other) = content.articles.iter().find(|a| a.slug == slug) {
        cx.ui.warning(&format!(
            "{} already has the slug `{slug}`: set `slug:` in the new article to give it its own address",
            other.source_path
        ));
    }
    let rel = format!("articles/{}/{slug}.md", date.year());
    let path = root.join(&rel);
    // Created only if nothing (not even a dangling link) has that name.
    if !crate::fs::write_new(&path, front_matter(args, &authors, &date).as_bytes())? {
        bail!("{rel} already exists; choose another title");
    }
    super::write_stdout(format!("{rel}\n").as_bytes())
        .with_context(|| format!("{rel} was written, but its name could not be printed"))?;
    if authors.is_empty() {
        cx.ui
            .note("add at least one author slug to `authors:` before publishing");
    }
    Ok(EXIT_OK)
}

/// The site as it is, read leniently: `new` only looks at names in it.
fn existing_content(root: &std::path::Path) -> Content {
    let mut ignored = Vec::new();
    let config = SiteConfig::load(root, &mut ignored);
    load_content(root, &theme::static_paths(), &config.exclusions(), &mut ignored)
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

fn yaml_string(text: &str) -> String {
    format!(
        "\"{}\"",
        text.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
    )
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
    fn titles_survive_quotes_backslashes_and_newlines() {
        let title = "Say \"no\" \\ twice\nplease";
        let parsed: String = serde_yaml::from_str(&super::yaml_string(title)).unwrap();
        assert_eq!(parsed, title);
    }
}
