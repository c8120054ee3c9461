//! Hugo shortcodes: `ref`/`relref` become link targets, `figure`, video,
//! `highlight`, notes and quotes become Markdown, others are removed (their
//! inner content kept) with a note.

use super::body::{in_link_destination, BodyEnv, Note};
use super::edits::Edits;
use super::front_matter::scalar_text;
use super::markup::{self, parse_args, Args};
use super::report::WarnKind;
use regex::Regex;

const NOTE_NAMES: [&str; 11] = [
    "note",
    "notice",
    "tip",
    "warning",
    "callout",
    "alert",
    "admonition",
    "info",
    "aside",
    "important",
    "caution",
];
const QUOTE_NAMES: [&str; 4] = ["quote", "blockquote", "pullquote", "epigraph"];

/// One shortcode found in the text.
struct Found<'t> {
    start: usize,
    end: usize,
    name: &'t str,
    args: &'t str,
    closing: bool,
}

fn find_next(text: &str, from: usize) -> Option<Found<'_>> {
    let mut search = from;
    loop {
        let start = search + text[search..].find("{{")?;
        let open = text[start + 2..].chars().next();
        let close = match open {
            Some('<') => ">}}",
            Some('%') => "%}}",
            _ => {
                search = start + 2;
                continue;
            }
        };
        let end = start + 3 + text[start + 3..].find(close)? + 3;
        let inner = text[start + 3..end - 3].trim();
        if inner.starts_with("/*") {
            return Some(Found {
                start,
                end,
                name: "/*",
                args: inner,
                closing: false,
            });
        }
        let closing = inner.starts_with('/');
        let inner = inner.trim_start_matches('/').trim_end_matches('/').trim();
        let (name, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        return Some(Found {
            start,
            end,
            name,
            args: args.trim(),
            closing,
        });
    }
}

/// The edits that convert every shortcode of `text`.
pub fn shortcode_edits(text: &str, env: &BodyEnv<'_>, notes: &mut Vec<Note>) -> Edits {
    let mut edits = Edits::default();
    convert_into(text, 0, env, notes, &mut edits);
    edits
}

fn convert_into(text: &str, base: usize, env: &BodyEnv<'_>, notes: &mut Vec<Note>, edits: &mut Edits) {
    let mut pos = 0;
    while let Some(found) = find_next(text, pos) {
        if found.name == "/*" {
            // `{{</* x */>}}` is Hugo's way to show a shortcode literally.
            let literal = text[found.start..found.end].replacen("/*", "", 1).replacen("*/", "", 1);
            edits.replace(base + found.start..base + found.end, literal);
            pos = found.end;
            continue;
        }
        if found.closing {
            notes.push(Note::new(
                base + found.start,
                WarnKind::Removed,
                format!("stray closing shortcode `{}` removed", found.name),
            ));
            edits.replace(base + found.start..base + found.end, "");
            pos = found.end;
            continue;
        }
        let self_closing = text[found.start..found.end - 3].trim_end().ends_with('/');
        let closer = (!self_closing)
            .then(|| find_closer(text, found.end, found.name))
            .flatten();
        let (inner, end) = match closer {
            Some((inner_end, end)) => (Some(&text[found.end..inner_end]), end),
            None => (None, found.end),
        };
        let inner_base = base + found.end;
        let mut replacement = convert_one(&found, inner, inner_base, env, notes);
        if matches!(found.name, "ref" | "relref") && !in_link_destination(text, found.start) {
            replacement = env.bare_reference(replacement, base + found.start, notes);
        }
        edits.replace(base + found.start..base + end, replacement);
        pos = end;
    }
}

fn find_closer(text: &str, from: usize, name: &str) -> Option<(usize, usize)> {
    let pattern = Regex::new(&format!(r"\{{\{{[<%]\s*/\s*{}\s*[>%]\}}\}}", regex::escape(name))).ok()?;
    pattern.find(&text[from..]).map(|m| (from + m.start(), from + m.end()))
}

fn convert_inner(inner: &str, base: usize, env: &BodyEnv<'_>, notes: &mut Vec<Note>) -> String {
    let mut edits = Edits::default();
    let mut local = Vec::new();
    convert_into(inner, 0, env, &mut local, &mut edits);
    notes.extend(local.into_iter().map(|n| Note::new(n.offset + base, n.kind, n.message)));
    edits.apply(inner).0
}

fn convert_one(
    found: &Found<'_>,
    inner: Option<&str>,
    inner_base: usize,
    env: &BodyEnv<'_>,
    notes: &mut Vec<Note>,
) -> String {
    let args = parse_args(found.args);
    let offset = inner_base.saturating_sub(found.end - found.start);
    let name = found.name.to_ascii_lowercase();
    let converted = |notes: &mut Vec<Note>| {
        inner
            .map(|i| convert_inner(i, inner_base, env, notes))
            .unwrap_or_default()
    };
    match name.as_str() {
        "ref" | "relref" => match args.get_or(&["path"], 0) {
            Some(path) => env.xref_by_name(path, offset, notes),
            None => env.removed(&name, offset, notes),
        },
        "figure" => figure(&args, env).unwrap_or_else(|| env.removed(&name, offset, notes)),
        "youtube" | "vimeo" => match args.get_or(&["id"], 0) {
            Some(id) => markup::video(&markup::video_url(&name, id), args.get(&["title"]).unwrap_or("Video")),
            None => env.removed(&name, offset, notes),
        },
        "gist" => match (args.positional.first(), args.positional.get(1)) {
            (Some(user), Some(id)) => {
                markup::link(&format!("Gist {id}"), &format!("https://gist.github.com/{user}/{id}"))
            }
            _ => env.removed(&name, offset, notes),
        },
        "tweet" | "x" | "twitter" => match (args.get_or(&["user"], 0), args.get_or(&["id"], 1)) {
            (Some(user), Some(id)) => markup::link(
                &format!("Post by @{user}"),
                &format!("https://x.com/{user}/status/{id}"),
            ),
            (Some(id), None) => markup::link("Post on X (Twitter)", &format!("https://x.com/i/status/{id}")),
            _ => env.removed(&name, offset, notes),
        },
        "instagram" => match args.get_or(&["id"], 0) {
            Some(id) => markup::link("Instagram post", &format!("https://www.instagram.com/p/{id}/")),
            None => env.removed(&name, offset, notes),
        },
        "highlight" => markup::code_fence(args.positional.first().map_or("", String::as_str), inner.unwrap_or("")),
        "param" => match args
            .get_or(&["name"], 0)
            .and_then(|k| env.doc.get(k))
            .and_then(|f| scalar_text(&f.value))
        {
            Some(value) => value,
            None => env.removed(&name, offset, notes),
        },
        "details" => {
            let summary = args.get_or(&["summary", "title"], 0).unwrap_or("Details");
            format!(
                "<details>\n<summary>{}</summary>\n\n{}\n\n</details>",
                super::text::escape_html(summary),
                converted(notes).trim()
            )
        }
        _ if NOTE_NAMES.contains(&name.as_str()) && inner.is_some() => {
            let label = args.get_or(&["type", "title", "label"], 0).unwrap_or(&name).to_string();
            markup::note(&label, &converted(notes))
        }
        _ if QUOTE_NAMES.contains(&name.as_str()) && inner.is_some() => {
            markup::quote(&converted(notes), args.get_or(&["author", "cite", "source", "by"], 0))
        }
        _ => {
            let what = if inner.is_some() {
                "removed, its content kept"
            } else {
                "removed"
            };
            notes.push(Note::new(
                offset,
                WarnKind::Removed,
                format!("shortcode `{}` {what}", found.name),
            ));
            converted(notes)
        }
    }
}

fn figure(args: &Args, env: &BodyEnv<'_>) -> Option<String> {
    let src = args.get_or(&["src"], 0)?;
    let alt = args
        .get(&["alt"])
        .or(args.get(&["title"]))
        .or(args.get(&["caption"]))
        .unwrap_or("");
    let caption = [args.get(&["title"]), args.get(&["caption"])]
        .into_iter()
        .flatten()
        .filter(|c| *c != alt || args.get(&["alt"]).is_some())
        .collect::<Vec<_>>()
        .join(": ");
    let caption = match args.get(&["attr", "credit"]) {
        Some(attr) if caption.is_empty() => attr.to_string(),
        Some(attr) => format!("{caption} ({attr})"),
        None => caption,
    };
    Some(markup::figure(
        &env.asset_url(src),
        alt,
        Some(&caption),
        args.get(&["link"]),
    ))
}
