//! The URL each generator gave a post, rebuilt from its permalink rule, so
//! links to old URLs can be found and old URLs kept as aliases.

use super::dates::ParsedDate;
use super::source::UrlRule;
use crate::markdown::slugify;
use regex::Regex;
use std::sync::OnceLock;
use time::Date;

/// What a permalink pattern can use.
#[derive(Debug, Clone)]
pub struct UrlParts<'a> {
    pub date: &'a ParsedDate,
    /// Front-matter slug, or the file's own slug.
    pub slug: &'a str,
    /// The generator's slug from the file name alone.
    pub file_slug: &'a str,
    pub title: &'a str,
    pub categories: &'a [String],
    pub section: &'a [String],
    /// Source path without extension, relative to the content root.
    pub path_stem: &'a str,
}

/// The post's URL path under the rule, always starting with `/`.
pub fn expand(rule: &UrlRule, parts: &UrlParts<'_>) -> String {
    let url = match rule {
        UrlRule::Hugo(pattern) => expand_hugo(pattern, parts).to_lowercase(),
        UrlRule::Jekyll(pattern) => expand_jekyll(pattern, parts),
        UrlRule::Eleventy(template) => expand_eleventy(template, parts),
    };
    clean_path(&url)
}

fn clean_path(url: &str) -> String {
    let mut out = String::from("/");
    for segment in url.split('/').filter(|s| !s.is_empty()) {
        out.push_str(segment);
        out.push('/');
    }
    let last = out.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    if last.contains('.') && !url.ends_with('/') {
        out.pop();
    }
    out
}

fn ymd(date: Date) -> (String, String, String) {
    (
        format!("{:04}", date.year()),
        format!("{:02}", u8::from(date.month())),
        format!("{:02}", date.day()),
    )
}

fn replace_tokens(pattern: &str, tokens: &[(&str, String)]) -> String {
    static TOKEN: OnceLock<Regex> = OnceLock::new();
    let token = TOKEN.get_or_init(|| Regex::new(r":([a-z_]+)").expect("valid pattern"));
    token
        .replace_all(pattern, |caps: &regex::Captures<'_>| {
            let name = &caps[1];
            // Longest token first: `:slugorfilename` before `:slug`.
            let mut best: Option<(&str, &String)> = None;
            for (key, value) in tokens {
                if name.starts_with(key) && best.is_none_or(|(b, _)| key.len() > b.len()) {
                    best = Some((key, value));
                }
            }
            match best {
                Some((key, value)) => format!("{value}{}", &name[key.len()..]),
                None => caps[0].to_string(),
            }
        })
        .into_owned()
}

fn expand_hugo(pattern: &str, parts: &UrlParts<'_>) -> String {
    let date = parts.date.local_date();
    let (year, month, day) = ymd(date);
    let filename = parts.file_slug.to_string();
    let slug_or_file = if parts.slug.is_empty() {
        filename.clone()
    } else {
        parts.slug.to_string()
    };
    let tokens = [
        ("year", year),
        ("month", month),
        ("monthname", date.month().to_string().to_lowercase()),
        ("day", day),
        ("yearday", format!("{:03}", date.ordinal())),
        ("section", parts.section.first().cloned().unwrap_or_default()),
        ("sections", parts.section.join("/")),
        ("title", slugify(parts.title)),
        ("slug", slug_or_file.clone()),
        ("slugorfilename", slug_or_file.clone()),
        ("slugorcontentbasename", slug_or_file),
        ("filename", filename.clone()),
        ("contentbasename", filename),
    ];
    replace_tokens(pattern, &tokens)
}

/// Jekyll's named permalink styles.
pub fn jekyll_style(name: &str) -> String {
    match name {
        "pretty" => "/:categories/:year/:month/:day/:title/".to_string(),
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext".to_string(),
        "none" => "/:categories/:title:output_ext".to_string(),
        "date" | "" => "/:categories/:year/:month/:day/:title:output_ext".to_string(),
        other => other.to_string(),
    }
}

fn expand_jekyll(pattern: &str, parts: &UrlParts<'_>) -> String {
    let date = parts.date.local_date();
    let (year, month, day) = ymd(date);
    let categories: Vec<String> = parts
        .categories
        .iter()
        .map(|c| c.to_lowercase().replace(' ', "%20"))
        .collect();
    let tokens = [
        ("year", year.clone()),
        ("short_year", year[2..].to_string()),
        ("month", month),
        ("i_month", u8::from(date.month()).to_string()),
        ("day", day),
        ("i_day", date.day().to_string()),
        ("y_day", format!("{:03}", date.ordinal())),
        ("title", parts.slug.to_string()),
        ("slug", parts.slug.to_string()),
        ("categories", categories.join("/")),
        ("output_ext", ".html".to_string()),
    ];
    replace_tokens(&jekyll_style(pattern), &tokens)
}

fn expand_eleventy(template: &str, parts: &UrlParts<'_>) -> String {
    static EXPR: OnceLock<Regex> = OnceLock::new();
    let expr = EXPR.get_or_init(|| Regex::new(r"\{\{-?\s*(.*?)\s*-?\}\}").expect("valid pattern"));
    expr.replace_all(template, |caps: &regex::Captures<'_>| eval_eleventy(&caps[1], parts))
        .into_owned()
}

fn eval_eleventy(expr: &str, parts: &UrlParts<'_>) -> String {
    let mut pieces = expr.split('|').map(str::trim);
    let var = pieces.next().unwrap_or("");
    let (year, month, day) = ymd(parts.date.utc_date());
    let mut value = match var {
        "page.fileSlug" => parts.file_slug.to_string(),
        "page.filePathStem" => parts.path_stem.to_string(),
        "page.date" | "date" => format!("{year}-{month}-{day}"),
        "title" => parts.title.to_string(),
        "slug" => parts.slug.to_string(),
        _ => String::new(),
    };
    for filter in pieces {
        let name = filter.split(':').next().unwrap_or("").trim();
        value = match name {
            "slug" | "slugify" => slugify(&value),
            "date" => format_eleventy_date(filter, &year, &month, &day),
            "url" | "lower" => value,
            // toDatePath and other custom date filters: the common YYYY/MM/DD.
            _ if var.contains("date") => format!("{year}/{month}/{day}"),
            _ => value,
        };
    }
    value
}

fn format_eleventy_date(filter: &str, year: &str, month: &str, day: &str) -> String {
    let format = filter
        .split_once(':')
        .map_or("", |(_, f)| f.trim().trim_matches(['"', '\'']));
    if format.is_empty() {
        return format!("{year}/{month}/{day}");
    }
    format
        .replace("%Y", year)
        .replace("%m", month)
        .replace("%d", day)
        .replace("yyyy", year)
        .replace("LL", month)
        .replace("MM", month)
        .replace("dd", day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::dates::parse_date;

    fn parts<'a>(date: &'a ParsedDate, categories: &'a [String]) -> UrlParts<'a> {
        UrlParts {
            date,
            slug: "my-post",
            file_slug: "my-post",
            title: "My Post!",
            categories,
            section: &[],
            path_stem: "posts/2015-03-19-my-post",
        }
    }

    #[test]
    fn eleventy_uses_utc_date_path() {
        let date = parse_date("2015-03-19 22:00:00 -4").unwrap();
        let rule = UrlRule::Eleventy("/{{ page.date | toDatePath }}/{{ page.fileSlug }}/".into());
        assert_eq!(expand(&rule, &parts(&date, &[])), "/2015/03/20/my-post/");
    }

    #[test]
    fn jekyll_styles() {
        let date = parse_date("2015-03-09").unwrap();
        let cats = vec!["Policy".to_string()];
        let p = parts(&date, &cats);
        assert_eq!(
            expand(&UrlRule::Jekyll("date".into()), &p),
            "/policy/2015/03/09/my-post.html"
        );
        assert_eq!(
            expand(&UrlRule::Jekyll("pretty".into()), &p),
            "/policy/2015/03/09/my-post/"
        );
        assert_eq!(
            expand(&UrlRule::Jekyll("/:year/:i_month/:title/".into()), &p),
            "/2015/3/my-post/"
        );
    }

    #[test]
    fn hugo_tokens() {
        let date = parse_date("2015-03-09").unwrap();
        let p = parts(&date, &[]);
        assert_eq!(
            expand(&UrlRule::Hugo("/:year/:month/:slug/".into()), &p),
            "/2015/03/my-post/"
        );
        assert_eq!(expand(&UrlRule::Hugo("/:year/:title/".into()), &p), "/2015/my-post/");
        assert_eq!(expand(&UrlRule::Hugo("/:slugorfilename/".into()), &p), "/my-post/");
    }
}
