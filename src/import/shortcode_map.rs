//! `--shortcodes MAP.yaml`: what each site-specific shortcode (or Liquid
//! tag or include) becomes, since only the site's own templates know. The
//! file is read strictly: an unknown key or kind is an error at its line.

use anyhow::{anyhow, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// What one shortcode becomes. Each `…` field names the shortcode parameter
/// to read (a name, or a position such as `0`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "as", rename_all = "lowercase", deny_unknown_fields)]
pub enum Rule {
    /// An image: a Markdown image with its caption and credit below.
    Image(ImageRule),
    /// A link to `href` showing `text` (else the inner content, else the URL).
    Link { href: Option<String>, text: Option<String> },
    /// A block quote of the inner content, with `cite` as its attribution.
    Blockquote { cite: Option<String> },
    /// A `<div class="…">` around the inner content.
    Callout { class: Option<String> },
    /// The inner content alone.
    Content,
    /// Nothing at all.
    Nothing,
}

/// Which parameters of an image shortcode hold what, and how its URL is made.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageRule {
    pub src: Option<String>,
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// URL pattern, e.g. `{params.cdn}/uploads/{src}`.
    pub url: Option<String>,
}

impl Rule {
    /// The kind's name, as written after `as:`.
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::Image(_) => "image",
            Rule::Link { .. } => "link",
            Rule::Blockquote { .. } => "blockquote",
            Rule::Callout { .. } => "callout",
            Rule::Content => "content",
            Rule::Nothing => "nothing",
        }
    }
}

/// Shortcode name -> rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShortcodeMap {
    rules: BTreeMap<String, Rule>,
}

impl ShortcodeMap {
    /// Reads a map file; an error names the file, line and column.
    pub fn load(path: &Path) -> Result<ShortcodeMap> {
        let bytes = super::source::read_source(path)?;
        let text = String::from_utf8_lossy(&bytes);
        ShortcodeMap::parse(&text).map_err(|message| anyhow!("{}:{message}", path.display()))
    }

    /// Parses the text of a map file; the error starts with `line:col: `.
    pub fn parse(text: &str) -> Result<ShortcodeMap, String> {
        if text.trim().is_empty() {
            return Ok(ShortcodeMap::default());
        }
        let rules: BTreeMap<String, Rule> = serde_yaml::from_str(text).map_err(|err| {
            let (line, col) = err.location().map_or((1, 1), |l| (l.line(), l.column()));
            format!(
                "{line}:{col}: {err}; each entry is `NAME: {{as: image|link|blockquote|callout|content|nothing, ...}}`"
            )
        })?;
        Ok(ShortcodeMap {
            rules: rules.into_iter().map(|(k, v)| (k.to_ascii_lowercase(), v)).collect(),
        })
    }

    /// The rule for shortcode `name`, if the map has one.
    pub fn get(&self, name: &str) -> Option<&Rule> {
        self.rules.get(&name.to_ascii_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_kind() {
        let map = ShortcodeMap::parse(
            "photo-right:\n  as: image\n  src: file\n  url: \"{params.cdn}/uploads/{src}\"\n\
             pull: {as: blockquote, cite: author}\nbox: {as: callout, class: note}\n\
             btn: {as: link, href: url}\nwrap: {as: content}\nsignup: {as: nothing}\n",
        )
        .unwrap();
        assert_eq!(
            map.get("Photo-Right"),
            Some(&Rule::Image(ImageRule {
                src: Some("file".into()),
                alt: None,
                caption: None,
                credit: None,
                url: Some("{params.cdn}/uploads/{src}".into()),
            }))
        );
        assert_eq!(map.get("signup"), Some(&Rule::Nothing));
        assert_eq!(map.get("box").map(Rule::kind), Some("callout"));
    }

    #[test]
    fn a_mistake_is_placed() {
        let err = ShortcodeMap::parse("ok: {as: content}\nbad:\n  as: picture\n").unwrap_err();
        assert!(err.starts_with("3:"), "{err}");
        assert!(err.contains("picture"), "{err}");
        let err = ShortcodeMap::parse("img:\n  as: image\n  scr: file\n").unwrap_err();
        assert!(err.contains("scr"), "{err}");
    }
}
