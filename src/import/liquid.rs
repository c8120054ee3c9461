//! Liquid in Jekyll and Eleventy posts: links (`post_url`, `link`, URL
//! filters) become link targets, images and figures become Markdown, `raw`
//! blocks are unwrapped, and the rest is removed with a note.

use super::body::Use;
use super::body::{in_link_destination, BodyEnv};
use super::document::scalar_text;
use super::edits::Edits;
use super::mapped::apply_rule;
use super::markup::{self, parse_args};
use super::report::WarnKind;
use super::tally::Seen;
use crate::diag::Diagnostic;
use regex::Regex;
use std::sync::OnceLock;

const CONTROL_TAGS: [&str; 20] = [
    "if",
    "elsif",
    "else",
    "endif",
    "unless",
    "endunless",
    "for",
    "endfor",
    "case",
    "when",
    "endcase",
    "assign",
    "capture",
    "endcapture",
    "increment",
    "decrement",
    "cycle",
    "tablerow",
    "endtablerow",
    "break",
];

/// The edits that remove or convert every Liquid tag and output in `text`.
pub fn liquid_edits(text: &str, env: &BodyEnv<'_>, notes: &mut Vec<Diagnostic>) -> Edits {
    let mut edits = Edits::default();
    let mut pos = 0;
    while let Some(found) = next_delimiter(text, pos) {
        let (start, is_tag) = found;
        let close = if is_tag { "%}" } else { "}}" };
        let Some(end) = text[start + 2..].find(close).map(|i| start + 2 + i + 2) else {
            break;
        };
        let inner = text[start + 2..end - 2].trim_matches('-').trim();
        if !is_tag {
            edits.replace(start..end, output(inner, env, start, notes));
            pos = end;
            continue;
        }
        let (name, rest) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        pos = match name {
            "raw" | "comment" | "highlight" => block(text, (start, end), name, rest, env, &mut edits, notes),
            _ => {
                let mut converted = tag(name, rest.trim(), env, start, notes);
                if matches!(name, "post_url" | "link") && !in_link_destination(text, start) {
                    converted = env.bare_reference(converted, start, notes);
                }
                edits.replace(start..end, converted);
                end
            }
        };
    }
    edits
}

fn next_delimiter(text: &str, from: usize) -> Option<(usize, bool)> {
    let tag = text[from..].find("{%").map(|i| from + i);
    let out = text[from..].find("{{").map(|i| from + i);
    match (tag, out) {
        (Some(t), Some(o)) => Some(if t < o { (t, true) } else { (o, false) }),
        (Some(t), None) => Some((t, true)),
        (None, Some(o)) => Some((o, false)),
        (None, None) => None,
    }
}

fn end_tag(text: &str, from: usize, name: &str) -> Option<(usize, usize)> {
    static CACHE: OnceLock<[Regex; 3]> = OnceLock::new();
    let patterns = CACHE.get_or_init(|| {
        ["endraw", "endcomment", "endhighlight"]
            .map(|n| Regex::new(&format!(r"\{{%-?\s*{n}\s*-?%\}}")).expect("valid pattern"))
    });
    let index = ["raw", "comment", "highlight"].iter().position(|n| *n == name)?;
    patterns[index]
        .find(&text[from..])
        .map(|m| (from + m.start(), from + m.end()))
}

/// Handles `raw`, `comment` and `highlight` blocks; returns where to go on.
fn block(
    text: &str,
    (start, end): (usize, usize),
    name: &str,
    args: &str,
    env: &BodyEnv<'_>,
    edits: &mut Edits,
    notes: &mut Vec<Diagnostic>,
) -> usize {
    let Some((close_start, close_end)) = end_tag(text, end, name) else {
        notes.push(env.note(
            start,
            WarnKind::Removed,
            format!("`{{% {name} %}}` without its end tag removed"),
        ));
        edits.replace(start..end, "");
        return end;
    };
    match name {
        "raw" => {
            edits.replace(start..end, "");
            edits.replace(close_start..close_end, "");
            close_end
        }
        "comment" => {
            edits.replace(start..close_end, "");
            close_end
        }
        _ => {
            let lang = args.split_whitespace().next().unwrap_or("");
            let code = &text[end..close_start];
            let inner = liquid_free(code);
            edits.replace(start..close_end, markup::code_fence(lang, &inner));
            close_end
        }
    }
}

/// Code inside `highlight` keeps its text; only `raw` markers go.
fn liquid_free(code: &str) -> String {
    static RAW: OnceLock<Regex> = OnceLock::new();
    RAW.get_or_init(|| Regex::new(r"\{%-?\s*(end)?raw\s*-?%\}").expect("valid pattern"))
        .replace_all(code, "")
        .into_owned()
}

/// Converts one tag, by the `--shortcodes` map if it names the tag (or an
/// include's file), and tallies what it became.
fn tag(name: &str, args: &str, env: &BodyEnv<'_>, offset: usize, notes: &mut Vec<Diagnostic>) -> String {
    let parsed = parse_args(args);
    let is_include = matches!(name, "include" | "include_relative" | "render");
    let file = parsed
        .positional
        .first()
        .map(|f| super::source::file_stem(f).to_string());
    let key = match (is_include, &file) {
        (true, Some(file)) => file.as_str(),
        _ => name,
    };
    let shown = if is_include {
        format!("include {key}")
    } else {
        name.to_string()
    };
    let before = notes.len();
    let (text, outcome, known) = match env.map.get(key) {
        Some(rule) => {
            let use_ = Use {
                name: key,
                args: &parsed,
                offset,
            };
            // A Liquid tag has no inner content: its text parameter stands in.
            let text_param = parsed
                .get(&["text", "content", "body", "quote"])
                .unwrap_or("")
                .to_string();
            let text = apply_rule(rule, &use_, &mut |_| text_param.clone(), env, notes);
            (text, format!("mapped: {}", rule.kind()), true)
        }
        None => {
            let text = builtin_tag(name, args, &parsed, env, offset, notes);
            let removed = notes[before..].iter().any(|n| n.code == WarnKind::Removed.code());
            let known = !removed || CONTROL_TAGS.contains(&name);
            let outcome = if removed { "removed" } else { "converted" };
            (text, outcome.to_string(), known)
        }
    };
    let mut params: Vec<String> = parsed.named.iter().map(|(k, _)| k.to_ascii_lowercase()).collect();
    params.extend((usize::from(is_include)..parsed.positional.len()).map(|i| i.to_string()));
    env.tally.borrow_mut().record(Seen {
        name: &shown,
        outcome: &outcome,
        known,
        params,
        paired: false,
        place: format!("{}:{}", env.source, env.line_of(offset)),
    });
    text
}

fn builtin_tag(
    name: &str,
    args: &str,
    parsed: &markup::Args,
    env: &BodyEnv<'_>,
    offset: usize,
    notes: &mut Vec<Diagnostic>,
) -> String {
    match name {
        "post_url" | "link" => env.xref_by_name(args.trim()),
        "include" | "include_relative" | "render" => include(parsed, env, offset, notes),
        "youtube" | "vimeo" | "video" => match parsed.positional.first() {
            Some(id) => markup::video(&markup::video_url(name, id), "Video"),
            None => env.removed(name, offset, notes),
        },
        "gist" => match parsed.positional.first() {
            Some(id) => markup::link(&format!("Gist {id}"), &format!("https://gist.github.com/{id}")),
            None => env.removed(name, offset, notes),
        },
        "tweet" | "twitter" => match parsed.positional.first() {
            Some(url) => markup::link("Post on X (Twitter)", url),
            None => env.removed(name, offset, notes),
        },
        _ if name.contains("image") || name.contains("img") || name.contains("figure") || name.contains("photo") => {
            image_tag(parsed, env, offset, notes)
        }
        _ if CONTROL_TAGS.contains(&name) => {
            notes.push(env.note(
                offset,
                WarnKind::Removed,
                format!("Liquid `{name}` tag removed; any text it guarded is kept"),
            ));
            String::new()
        }
        _ => env.removed(name, offset, notes),
    }
}

fn image_tag(args: &markup::Args, env: &BodyEnv<'_>, offset: usize, notes: &mut Vec<Diagnostic>) -> String {
    let Some(src) = args.get_or(&["src", "image", "url", "path", "file"], 0) else {
        return env.removed("image", offset, notes);
    };
    let alt = args
        .get(&["alt", "alt_text", "description"])
        .or_else(|| {
            (args.positional.len() > 1)
                .then(|| args.positional.last().map(String::as_str))
                .flatten()
        })
        .unwrap_or("");
    let src = env.asset_url(src);
    markup::figure(&src, alt, args.get(&["caption", "figcaption"]), None)
}

fn include(args: &markup::Args, env: &BodyEnv<'_>, offset: usize, notes: &mut Vec<Diagnostic>) -> String {
    let file = args.positional.first().map(String::as_str).unwrap_or("").to_lowercase();
    let text = args.get(&["content", "text", "body", "note", "message", "quote"]);
    if ["image", "figure", "img", "picture", "photo"]
        .iter()
        .any(|w| file.contains(w))
    {
        let Some(src) = args.get(&["image", "src", "url", "file", "path", "img"]) else {
            return env.removed(&format!("include {file}"), offset, notes);
        };
        let alt = args.get(&["alt", "alt_text", "description", "title"]).unwrap_or("");
        let caption = args.get(&["caption", "figcaption", "title"]).filter(|c| *c != alt);
        let caption = match (caption, args.get(&["credit", "attribution"])) {
            (Some(c), Some(credit)) => Some(format!("{c} ({credit})")),
            (c, credit) => c.or(credit).map(String::from),
        };
        let link = args.get(&["link", "href"]);
        return markup::figure(&env.asset_url(src), alt, caption.as_deref(), link);
    }
    if let (true, Some(text)) = (
        ["quote", "pullquote", "blockquote"].iter().any(|w| file.contains(w)),
        text,
    ) {
        return markup::quote(text, args.get(&["author", "cite", "source", "by", "attribution"]));
    }
    let note_words = [
        "note",
        "callout",
        "alert",
        "aside",
        "warning",
        "tip",
        "notice",
        "admonition",
    ];
    if let (Some(word), Some(text)) = (note_words.iter().find(|w| file.contains(*w)), text) {
        return markup::note(args.get(&["type", "title", "label"]).unwrap_or(word), text);
    }
    if let (true, Some(id)) = (
        file.contains("youtube") || file.contains("video") || file.contains("vimeo"),
        args.get(&["id", "video", "youtube_id", "url", "src"]),
    ) {
        return markup::video(
            &markup::video_url(&file, id),
            args.get(&["title", "caption"]).unwrap_or("Video"),
        );
    }
    env.removed(&format!("include {file}"), offset, notes)
}

/// Evaluates `{{ ... }}`: string literals through URL filters, `site.*` and
/// `page.*` values, team filters; anything else is removed.
fn output(expr: &str, env: &BodyEnv<'_>, offset: usize, notes: &mut Vec<Diagnostic>) -> String {
    let parts = split_filters(expr);
    let head = parts[0].trim();
    let mut value = if let Some(literal) = unquote(head) {
        literal.to_string()
    } else {
        match head {
            "site.baseurl" | "site.base_url" | "site.pathPrefix" => String::new(),
            "site.url" => env.lookup.origin().unwrap_or("").to_string(),
            "site.title" => env.site_title.to_string(),
            // `page.title`, or a bare front-matter key (Eleventy's data cascade).
            _ if !head.starts_with("site.") => {
                let key = head.strip_prefix("page.").unwrap_or(head);
                match env.doc.get(key).and_then(|f| scalar_text(&f.value)) {
                    Some(v) if key == "image" => env.asset_url(&v),
                    Some(v) => v,
                    None => return env.removed_output(expr, offset, notes),
                }
            }
            _ => return env.removed_output(expr, offset, notes),
        }
    };
    for filter in &parts[1..] {
        let (name, arg) = filter
            .split_once(':')
            .map_or((filter.trim(), ""), |(n, a)| (n.trim(), a.trim()));
        value = match name {
            "url" | "relative_url" | "absolute_url" | "markdownify" | "strip" | "escape" | "xml_escape" | "safe"
            | "uri_escape" => value,
            "prepend" => format!("{}{value}", unquote(arg).unwrap_or("")),
            "append" => format!("{value}{}", unquote(arg).unwrap_or("")),
            "embed" => markup::video(&value, unquote(arg).unwrap_or("Video")),
            _ if name.contains("photo") || name.contains("avatar") => {
                notes.push(env.note(
                    offset,
                    WarnKind::Removed,
                    format!("`{name}` of `{value}` removed (no photo in the source)"),
                ));
                return String::new();
            }
            _ if name.contains("team") || name.contains("author") => match env.book.name_of(&value) {
                Some(full) => full.to_string(),
                None => value,
            },
            _ => {
                notes.push(env.note(offset, WarnKind::Converted, format!("Liquid filter `{name}` ignored")));
                value
            }
        };
    }
    value
}

fn split_filters(expr: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quote = None;
    let mut start = 0;
    for (i, c) in expr.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '|') => {
                parts.push(&expr[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&expr[start..]);
    parts
}

fn unquote(text: &str) -> Option<&str> {
    let t = text.trim();
    (t.len() >= 2 && ((t.starts_with('"') && t.ends_with('"')) || (t.starts_with('\'') && t.ends_with('\''))))
        .then(|| &t[1..t.len() - 1])
}
