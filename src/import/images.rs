//! Site-specific image shortcodes (`{{< photo-right src="..." >}}`) made
//! into Markdown images. Sites name their own, but the parameters are nearly
//! always `src`, `alt`, `caption`, `credit`: a shortcode whose source names
//! an image (by extension, or as the id of an image data entry) is one. Its
//! file is found, in order, through the map's URL pattern, in the old site's
//! static or asset folders, through an image data entry, or on the original
//! site (reported); never dropped silently.

use super::body::{BodyEnv, Use};
use super::config::lookup;
use super::document::scalar_text;
use super::markup::{self, Args};
use super::report::WarnKind;
use super::source::ImageEntry;
use crate::diag::Diagnostic;
use regex::Regex;
use std::sync::OnceLock;

const IMAGE_EXTENSIONS: [&str; 9] = ["png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "tif", "tiff"];

/// Which parameters hold what, each a name or a position (`0`).
#[derive(Debug, Clone, Default)]
pub struct ImageKeys<'a> {
    pub src: Vec<&'a str>,
    pub alt: Vec<&'a str>,
    pub caption: Vec<&'a str>,
    pub credit: Vec<&'a str>,
    /// URL pattern from the map (`{params.cdn}/uploads/{src}`).
    pub url: Option<&'a str>,
    /// True when the map says this shortcode is an image.
    pub mapped: bool,
}

impl ImageKeys<'_> {
    /// The parameter names image shortcodes use when nothing says otherwise.
    pub fn usual() -> ImageKeys<'static> {
        ImageKeys {
            src: vec!["src", "image", "img", "file", "path", "photo", "url", "0"],
            alt: vec!["alt", "alt_text", "description"],
            caption: vec!["caption", "figcaption", "title"],
            credit: vec!["credit", "attribution", "attr", "source", "copyright"],
            url: None,
            mapped: false,
        }
    }
}

/// A parameter by name, or by position when `key` is a number.
fn param<'a>(args: &'a Args, key: &str) -> Option<&'a str> {
    match key.parse::<usize>() {
        Ok(index) => args.positional.get(index).map(String::as_str),
        Err(_) => args.get(&[key]),
    }
    .filter(|v| !v.trim().is_empty())
}

fn first_param<'a>(args: &'a Args, keys: &[&str]) -> Option<&'a str> {
    keys.iter().find_map(|k| param(args, k))
}

/// True when `src` ends in an image file extension.
pub fn has_image_extension(src: &str) -> bool {
    let path = src.split(['?', '#']).next().unwrap_or(src);
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| IMAGE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// The image data entry `src` names, by id or file stem.
fn entry_for<'a>(env: &'a BodyEnv<'_>, src: &str) -> Option<&'a ImageEntry> {
    let key = src.trim().to_lowercase();
    let stem = super::source::file_stem(&key).to_string();
    env.site.images.get(&key).or_else(|| env.site.images.get(&stem))
}

/// The Markdown for an image shortcode, or `None` when its arguments name no image.
pub fn image_shortcode(
    use_: &Use<'_>,
    keys: &ImageKeys<'_>,
    env: &BodyEnv<'_>,
    notes: &mut Vec<Diagnostic>,
) -> Option<String> {
    let (name, args, offset) = (use_.name, use_.args, use_.offset);
    let src = first_param(args, &keys.src)?;
    let entry = entry_for(env, src);
    if !(keys.mapped || entry.is_some() || has_image_extension(src)) {
        return None;
    }
    let field = |names: &[&str]| {
        entry
            .and_then(|e| names.iter().find_map(|n| e.fields.get(*n).and_then(scalar_text)))
            .filter(|v| !v.trim().is_empty())
    };
    let alt = first_param(args, &keys.alt)
        .map(String::from)
        .or_else(|| field(&["alt", "alt_text", "description"]));
    let caption = first_param(args, &keys.caption)
        .map(String::from)
        .or_else(|| field(&["caption", "title"]));
    let credit = first_param(args, &keys.credit)
        .map(String::from)
        .or_else(|| field(&["credit", "attribution", "copyright", "source"]));
    let line = match (caption, credit) {
        (Some(caption), Some(credit)) => Some(format!("{caption} ({credit})")),
        (caption, credit) => caption.or(credit),
    };
    let alt = alt.unwrap_or_default();
    match locate(src, entry, use_, keys, env, notes) {
        Some(url) => Some(markup::figure(&url, &alt, line.as_deref(), None)),
        None => {
            let what = if alt.is_empty() { src } else { alt.as_str() };
            let message = format!(
                "{} `{name}`: no file or address found for image `{src}`; kept its description as text: give it a `url:` pattern in a --shortcodes map",
                env.tag_word()
            );
            notes.push(env.note(offset, WarnKind::Image, message));
            let text = match line {
                Some(line) => format!("*[Image: {what}] {line}*"),
                None => format!("*[Image: {what}]*"),
            };
            Some(text.replace('\n', " "))
        }
    }
}

/// The image's URL: the map's pattern, a file of the old site (copied), the
/// data entry's own file, else the original site's address.
fn locate(
    src: &str,
    entry: Option<&ImageEntry>,
    use_: &Use<'_>,
    keys: &ImageKeys<'_>,
    env: &BodyEnv<'_>,
    notes: &mut Vec<Diagnostic>,
) -> Option<String> {
    if let Some(pattern) = keys.url {
        let holes = Holes { src, use_, entry };
        let url = expand_pattern(pattern, &holes, env, notes);
        return Some(if url.contains("://") { url } else { env.asset_url(&url) }).filter(|u| !u.is_empty());
    }
    // A source that is itself a file of the old site comes first.
    if has_image_extension(src) && in_source(src, env) {
        return Some(env.asset_url(src)).filter(|u| !u.is_empty());
    }
    if let Some(entry) = entry {
        let own = ["src", "file", "path", "url", "image"]
            .iter()
            .find_map(|k| entry.fields.get(*k).and_then(scalar_text));
        let by_id = entry
            .fields
            .get("format")
            .and_then(scalar_text)
            .map(|format| format!("{}.{}", super::source::file_stem(src), format.trim_start_matches('.')));
        return match (own, by_id) {
            (Some(own), _) => Some(env.asset_url(&own)).filter(|u| !u.is_empty()),
            (None, Some(name)) if env.files.find_by_name(&name).is_some() => Some(env.asset_url(&name)),
            _ => None,
        };
    }
    Some(env.asset_url(src)).filter(|u| !u.is_empty())
}

/// What a URL pattern's `{holes}` are filled from.
struct Holes<'a> {
    src: &'a str,
    use_: &'a Use<'a>,
    entry: Option<&'a ImageEntry>,
}

/// True when the old site's static or asset folders have `src` (a path, or a bare file name).
fn in_source(src: &str, env: &BodyEnv<'_>) -> bool {
    let in_bundle = env
        .bundle_dir
        .is_some_and(|dir| env.site.root.join(dir).join(src).is_file());
    let path = format!("/{}", src.trim_start_matches('/'));
    in_bundle || env.site.find_static(&path).is_some() || (!src.contains('/') && env.files.find_by_name(src).is_some())
}

/// Fills `{src}`, `{param}`, `{field}` (of the data entry), `{params.x}` and
/// `{site.x}` (of the old site's config) in a URL pattern.
fn expand_pattern(pattern: &str, holes: &Holes<'_>, env: &BodyEnv<'_>, notes: &mut Vec<Diagnostic>) -> String {
    let (src, args, entry, offset) = (holes.src, holes.use_.args, holes.entry, holes.use_.offset);
    static HOLE: OnceLock<Regex> = OnceLock::new();
    let hole = HOLE.get_or_init(|| Regex::new(r"\{([A-Za-z0-9_.-]+)\}").expect("valid pattern"));
    let mut unknown = Vec::new();
    let url = hole.replace_all(pattern, |caps: &regex::Captures<'_>| {
        let key = &caps[1];
        let config_path: Vec<&str> = key.split('.').collect();
        let from_config = || match config_path.as_slice() {
            ["site", rest @ ..] => lookup(&env.site.config, rest).and_then(scalar_text),
            ["params", rest @ ..] => lookup(&env.site.config, &config_path)
                .or_else(|| lookup(&env.site.config, rest))
                .and_then(scalar_text),
            _ => None,
        };
        let value = match key {
            "src" => Some(src.to_string()),
            _ => param(args, key)
                .map(String::from)
                .or_else(|| entry.and_then(|e| e.fields.get(key)).and_then(scalar_text))
                .or_else(from_config),
        };
        value.unwrap_or_else(|| {
            unknown.push(key.to_string());
            String::new()
        })
    });
    for key in unknown {
        let message = format!("URL pattern `{pattern}`: nothing gives `{{{key}}}` here; left empty");
        notes.push(env.note(offset, WarnKind::Image, message));
    }
    let url = url.into_owned();
    // `{params.cdn}/uploads/x` with `cdn: https://cdn.example/` must not double the slash.
    match url.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{}", collapse_slashes(rest)),
        None => collapse_slashes(&url),
    }
}

fn collapse_slashes(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_extensions() {
        assert!(has_image_extension("/a/b.JPG?x=1"));
        assert!(!has_image_extension("harbor-crane"));
        assert!(!has_image_extension("report.pdf"));
        assert_eq!(
            collapse_slashes("cdn.example//uploads/x.png"),
            "cdn.example/uploads/x.png"
        );
    }
}
