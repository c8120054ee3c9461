//! Image dimensions, read from the files themselves (an SVG's from its
//! `viewBox`), so pages reserve the space and do not shift while loading.

use super::theme;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

/// Width and height in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Size {
    pub width: u32,
    pub height: u32,
}

/// Looks up and remembers the sizes of the site's local images.
#[derive(Default)]
pub struct ImageSizes {
    /// The site folder, whose `static/` holds the images; none in tests.
    root: Option<PathBuf>,
    known: Mutex<HashMap<String, Option<Size>>>,
}

impl ImageSizes {
    /// Sizes of images under `root/static/` and the theme's.
    pub fn new(root: Option<PathBuf>) -> Self {
        ImageSizes {
            root,
            known: Mutex::default(),
        }
    }

    /// Forgets the size of an image (relative to `static/`), which changed.
    pub fn forget(&self, rel: &str) {
        if let Ok(mut known) = self.known.lock() {
            known.remove(rel);
        }
    }

    /// The size of a local image given by its path from the site root
    /// (`/images/x.svg`); none for remote images or unreadable files.
    pub fn size(&self, src: &str) -> Option<Size> {
        if crate::content::fields::is_external(src) {
            return None;
        }
        let rel = src.trim_start_matches('/').to_string();
        if let Some(known) = self.known.lock().ok()?.get(&rel) {
            return *known;
        }
        let site_file = self.root.as_ref().map(|r| r.join("static").join(&rel));
        let bytes = site_file
            .and_then(|p| crate::fs::read_regular(&p).ok())
            .or_else(|| theme::STATIC.iter().find(|(p, _)| *p == rel).map(|(_, b)| b.to_vec()));
        let size = bytes.and_then(|b| size_of(&rel, &b));
        self.known.lock().ok()?.insert(rel, size);
        size
    }
}

/// The size of an image file's bytes.
pub fn size_of(path: &str, bytes: &[u8]) -> Option<Size> {
    if path.to_ascii_lowercase().ends_with(".svg") {
        return svg_size(&String::from_utf8_lossy(&bytes[..bytes.len().min(8192)]));
    }
    let s = imagesize::blob_size(bytes).ok()?;
    Some(Size {
        width: u32::try_from(s.width).ok()?,
        height: u32::try_from(s.height).ok()?,
    })
}

/// An SVG's size: its `width` and `height` in pixels, else its `viewBox`.
fn svg_size(text: &str) -> Option<Size> {
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let attr = |name: &str| {
        let at = tag.find(&format!(" {name}="))? + name.len() + 2;
        let quote = tag[at..].chars().next()?;
        let value = &tag[at + 1..];
        Some(&value[..value.find(quote)?])
    };
    let pixels = |v: &str| v.trim_end_matches("px").trim().parse::<f64>().ok().filter(|n| *n > 0.0);
    if let (Some(w), Some(h)) = (attr("width").and_then(pixels), attr("height").and_then(pixels)) {
        return Some(Size {
            width: w.round() as u32,
            height: h.round() as u32,
        });
    }
    let numbers: Vec<f64> = attr("viewBox")?
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    match numbers[..] {
        [_, _, w, h] if w > 0.0 && h > 0.0 => Some(Size {
            width: w.round() as u32,
            height: h.round() as u32,
        }),
        _ => None,
    }
}

/// Gives each `<img>` of rendered article HTML its size when known and
/// `loading="lazy"`: a body's images sit below the headline and lead image.
pub fn size_body_images(html: &str, size: &dyn Fn(&str) -> Option<Size>, base_path: &str) -> String {
    if !html.contains("<img ") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(at) = rest.find("<img ") {
        out.push_str(&rest[..at + 5]);
        rest = &rest[at + 5..];
        let src = rest
            .strip_prefix("src=\"")
            .and_then(|r| r.find('"').map(|end| &r[..end]))
            .unwrap_or("");
        let from_root = src.strip_prefix(base_path).map(|p| format!("/{p}"));
        if let Some(size) = from_root.as_deref().and_then(size) {
            out.push_str(&format!("width=\"{}\" height=\"{}\" ", size.width, size.height));
        }
        out.push_str("loading=\"lazy\" ");
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_sizes_come_from_attributes_or_the_view_box() {
        assert_eq!(
            svg_size(r#"<?xml version="1.0"?><svg xmlns="x" viewBox="0 0 800 450" role="img">"#),
            Some(Size {
                width: 800,
                height: 450
            })
        );
        assert_eq!(
            svg_size(r#"<svg width="120px" height='60' viewBox="0 0 1 1">"#),
            Some(Size { width: 120, height: 60 })
        );
        assert_eq!(svg_size("<svg>"), None);
    }

    #[test]
    fn body_images_get_sizes_and_lazy_loading() {
        let sizes = ImageSizes::new(None);
        let html = r#"<p><img src="/c/favicon.svg" alt="x"> <img src="https://x.org/a.png" alt="y"></p>"#;
        let out = size_body_images(html, &|p| sizes.size(p), "/c/");
        assert!(out.contains(r#"<img width="#), "{out}");
        assert!(out.contains(r#"loading="lazy" src="/c/favicon.svg""#), "{out}");
        assert!(
            out.contains(r#"<img loading="lazy" src="https://x.org/a.png""#),
            "{out}"
        );
    }
}
