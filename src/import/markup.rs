//! Markdown that converted shortcodes and Liquid tags become, and the
//! argument parsing both share.

use super::text::escape_html;

/// Arguments of a tag: positional values and `key=value` / `key: value` pairs.
#[derive(Debug, Default, PartialEq)]
pub struct Args {
    pub positional: Vec<String>,
    pub named: Vec<(String, String)>,
}

impl Args {
    /// The first named argument among `keys`.
    pub fn get(&self, keys: &[&str]) -> Option<&str> {
        keys.iter()
            .find_map(|k| self.named.iter().find(|(n, _)| n.eq_ignore_ascii_case(k)))
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// A named argument, else the positional one at `index`.
    pub fn get_or(&self, keys: &[&str], index: usize) -> Option<&str> {
        self.get(keys)
            .or_else(|| self.positional.get(index).map(String::as_str))
    }
}

/// Splits `a "b c" key=value key: "v", other='x'` into arguments.
pub fn parse_args(text: &str) -> Args {
    let mut tokens: Vec<(String, bool)> = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() || c == ',' {
            chars.next();
        } else if c == '"' || c == '\'' || c == '`' {
            chars.next();
            let mut value = String::new();
            for inner in chars.by_ref() {
                if inner == c {
                    break;
                }
                value.push(inner);
            }
            tokens.push((value, true));
        } else {
            let mut value = String::new();
            while let Some(&inner) = chars.peek() {
                if inner.is_whitespace() || inner == ',' {
                    break;
                }
                if (inner == '"' || inner == '\'') && value.ends_with(['=', ':']) {
                    break;
                }
                value.push(inner);
                chars.next();
            }
            tokens.push((value, false));
        }
    }
    let mut args = Args::default();
    let mut i = 0;
    while i < tokens.len() {
        let (token, quoted) = &tokens[i];
        if !quoted {
            if let Some(pos) = token.find(['=', ':']).filter(|p| *p > 0) {
                let key = token[..pos].to_string();
                let rest = &token[pos + 1..];
                if rest.is_empty() {
                    if let Some((value, _)) = tokens.get(i + 1) {
                        args.named.push((key, value.clone()));
                        i += 2;
                        continue;
                    }
                } else if !rest.starts_with('/') {
                    args.named.push((key, rest.to_string()));
                    i += 1;
                    continue;
                }
            }
        }
        args.positional.push(token.clone());
        i += 1;
    }
    args
}

fn escape_alt(text: &str) -> String {
    text.replace('[', "\\[").replace(']', "\\]").replace('\n', " ")
}

fn link_dest(url: &str) -> String {
    if url.contains([' ', '(', ')']) {
        format!("<{}>", url.replace('>', "%3E"))
    } else {
        url.to_string()
    }
}

/// `![alt](src)`, with the caption and credit as an emphasised line below.
pub fn figure(src: &str, alt: &str, caption: Option<&str>, link: Option<&str>) -> String {
    let image = format!("![{}]({})", escape_alt(alt), link_dest(src));
    let image = match link {
        Some(link) => format!("[{image}]({})", link_dest(link)),
        None => image,
    };
    match caption.map(str::trim).filter(|c| !c.is_empty()) {
        Some(caption) => format!("{image}\n*{}*", caption.replace('*', "\\*").replace('\n', " ")),
        None => image,
    }
}

/// A Markdown link.
pub fn link(text: &str, url: &str) -> String {
    format!("[{}]({})", escape_alt(text), link_dest(url))
}

/// A block quote, with an attribution line when given.
pub fn quote(text: &str, cite: Option<&str>) -> String {
    let mut out: Vec<String> = text
        .trim()
        .lines()
        .map(|l| format!("> {l}").trim_end().to_string())
        .collect();
    if let Some(cite) = cite.filter(|c| !c.trim().is_empty()) {
        out.push(">".to_string());
        out.push(format!("> \u{2014} {}", cite.trim()));
    }
    format!("\n{}\n", out.join("\n"))
}

/// A note or callout: a block quote that starts with its label in bold.
pub fn note(label: &str, text: &str) -> String {
    let label = super::text::name_from_id(label);
    let body = text.trim();
    let first = format!("**{label}:** {}", body.lines().next().unwrap_or(""));
    let rest: Vec<&str> = body.lines().skip(1).collect();
    let mut all = vec![first];
    all.extend(rest.iter().map(|l| l.to_string()));
    quote(&all.join("\n"), None)
}

/// An embedded video player with an accessible title.
pub fn video(url: &str, title: &str) -> String {
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"560\" height=\"315\" allowfullscreen></iframe>",
        escape_html(url),
        escape_html(title)
    )
}

/// The embed address for a YouTube or Vimeo id.
pub fn video_url(service: &str, id: &str) -> String {
    if id.starts_with("http") {
        return id.to_string();
    }
    if service.contains("vimeo") {
        format!("https://player.vimeo.com/video/{id}")
    } else {
        format!("https://www.youtube-nocookie.com/embed/{id}")
    }
}

/// A fenced code block around `code`, with a fence longer than any inside.
pub fn code_fence(lang: &str, code: &str) -> String {
    let longest = code
        .lines()
        .map(|l| l.trim_start().chars().take_while(|c| *c == '`').count())
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let code = code.trim_matches('\n');
    format!("{fence}{lang}\n{code}\n{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_mixed_arguments() {
        let args = parse_args(r#""linked-figure.html", image: "/a.png", alt: "An image", caption="Cap" 42"#);
        assert_eq!(args.positional, vec!["linked-figure.html", "42"]);
        assert_eq!(args.get(&["image"]), Some("/a.png"));
        assert_eq!(args.get(&["alt"]), Some("An image"));
        assert_eq!(args.get(&["caption"]), Some("Cap"));
        let args = parse_args("src=\"x.png\" title='T' https://a.b/c");
        assert_eq!(args.get(&["src"]), Some("x.png"));
        assert_eq!(args.positional, vec!["https://a.b/c"]);
    }

    #[test]
    fn builds_markdown() {
        assert_eq!(
            figure("/a b.png", "A [x]", Some("Cap"), None),
            "![A \\[x\\]](</a b.png>)\n*Cap*"
        );
        assert_eq!(quote("Hi\nthere", Some("Ann")), "\n> Hi\n> there\n>\n> \u{2014} Ann\n");
        assert_eq!(code_fence("sh", "ls\n"), "```sh\nls\n```");
        assert!(note("warning", "Careful").contains("> **Warning:** Careful"));
    }
}
