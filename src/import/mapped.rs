//! Applying a `--shortcodes` rule to one use of a shortcode or Liquid tag:
//! shared by both converters, so a map means the same for every generator.

use super::body::{BodyEnv, Use};
use super::images::{image_shortcode, ImageKeys};
use super::markup;
use super::report::WarnKind;
use super::shortcode_map::{ImageRule, Rule};
use crate::diag::Diagnostic;

/// A shortcode or tag the `--shortcodes` map describes; `inner` gives its
/// inner content converted (empty for a single tag).
pub fn apply_rule(
    rule: &Rule,
    use_: &Use<'_>,
    inner: &mut dyn FnMut(&mut Vec<Diagnostic>) -> String,
    env: &BodyEnv<'_>,
    notes: &mut Vec<Diagnostic>,
) -> String {
    let (name, args) = (use_.name, use_.args);
    let get = |key: &Option<String>, usual: &[&str]| match key {
        Some(key) => args.get(&[key.as_str()]).or_else(|| {
            key.parse::<usize>()
                .ok()
                .and_then(|i| args.positional.get(i).map(String::as_str))
        }),
        None => args.get_or(usual, 0),
    };
    let mut converted = |notes: &mut Vec<Diagnostic>| inner(notes);
    match rule {
        Rule::Image(image) => mapped_image(image, use_, env, notes),
        Rule::Link { href, text } => {
            let inner_text = converted(notes);
            match get(href, &["href", "url", "link"]) {
                Some(url) => {
                    let shown = get(text, &["text", "title", "label"])
                        .map(String::from)
                        .filter(|t| !t.is_empty());
                    let shown = shown.or_else(|| Some(inner_text.trim().to_string()).filter(|t| !t.is_empty()));
                    markup::link(shown.as_deref().unwrap_or(url), url)
                }
                None => inner_text,
            }
        }
        Rule::Blockquote { cite } => markup::quote(&converted(notes), get(cite, &["cite", "author", "source"])),
        Rule::Callout { class } => {
            let class = class.as_deref().unwrap_or(name);
            format!(
                "\n<div class=\"{}\">\n\n{}\n\n</div>\n",
                super::text::escape_html(class),
                converted(notes).trim()
            )
        }
        Rule::Content => converted(notes),
        Rule::Nothing => String::new(),
    }
}

/// A use the map says is an image: its parameters as the rule names them,
/// the usual names for the rest.
fn mapped_image(rule: &ImageRule, use_: &Use<'_>, env: &BodyEnv<'_>, notes: &mut Vec<Diagnostic>) -> String {
    let usual = ImageKeys::usual();
    let pick = |key: &Option<String>, fallback: &[&'static str]| -> Vec<String> {
        key.clone()
            .map_or_else(|| fallback.iter().map(|s| s.to_string()).collect(), |k| vec![k])
    };
    let (src, alt, caption, credit) = (
        pick(&rule.src, &usual.src),
        pick(&rule.alt, &usual.alt),
        pick(&rule.caption, &usual.caption),
        pick(&rule.credit, &usual.credit),
    );
    let keys = ImageKeys {
        src: src.iter().map(String::as_str).collect(),
        alt: alt.iter().map(String::as_str).collect(),
        caption: caption.iter().map(String::as_str).collect(),
        credit: credit.iter().map(String::as_str).collect(),
        url: rule.url.as_deref(),
        mapped: true,
    };
    let (name, offset) = (use_.name, use_.offset);
    image_shortcode(use_, &keys, env, notes).unwrap_or_else(|| {
        let message = format!("`{name}` is mapped to an image but has no source parameter; removed");
        notes.push(env.note(offset, WarnKind::Removed, message));
        String::new()
    })
}
