//! `pressroom new "Title"`: a new draft article with its front matter filled in.

use super::{site_root, EXIT_CONTENT, EXIT_OK};
use crate::cli::NewArgs;
use crate::content::Date;
use crate::diag::closest;
use crate::markdown::slugify;
use anyhow::{bail, Result};

/// Writes `articles/<year>/<slug>.md` as a draft.
pub fn new_article(args: &NewArgs) -> Result<i32> {
    let root = site_root(args.root.as_deref())?;
    let date = match &args.date {
        Some(d) => match Date::parse(d) {
            Ok(date) => date,
            Err(m) => bail!("--date: {m}"),
        },
        None => Date::today(),
    };
    let slug = slugify(&args.title);
    if slug.is_empty() {
        bail!(
            "the title `{}` has no letters or digits to make a file name from",
            args.title
        );
    }
    let known = known_authors(&root.join("authors"));
    let mut unknown = false;
    for author in &args.authors {
        if !known.contains(author) {
            let near = closest(author, known.iter().map(String::as_str), 3);
            let hint = if near.is_empty() {
                String::new()
            } else {
                format!("; closest: {}", near.join(", "))
            };
            eprintln!("error: unknown author `{author}`: no file authors/{author}.yaml{hint}");
            unknown = true;
        }
    }
    if unknown {
        return Ok(EXIT_CONTENT);
    }
    let rel = format!("articles/{}/{slug}.md", date.year());
    let path = root.join(&rel);
    // Created only if nothing (not even a dangling link) has that name.
    if !crate::fs::write_new(&path, front_matter(args, &date).as_bytes())? {
        bail!("{rel} already exists; choose another title");
    }
    println!("{rel}");
    if args.authors.is_empty() {
        eprintln!("note: add at least one author slug to `authors:` before publishing");
    }
    Ok(EXIT_OK)
}

fn known_authors(dir: &std::path::Path) -> Vec<String> {
    crate::content::list_files(dir, |p| {
        p.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "md")
    })
    .iter()
    .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
    .collect()
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

fn front_matter(args: &NewArgs, date: &Date) -> String {
    format!(
        "---\ntitle: {}\ndate: {}\nauthors: {}\ntopics: {}\nsummary: \"\"\ndraft: true\n---\n\nWrite the article here.\n",
        yaml_string(&args.title),
        date.iso_day(),
        yaml_list(&args.authors),
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
