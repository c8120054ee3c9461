//! An article's words, from its rendered HTML: plain text for the search
//! index and excerpts, word counts and reading time for readers.

/// Words a reader gets through in a minute, for the reading time.
pub const WORDS_PER_MINUTE: usize = 230;

/// The text of `html` with tags dropped, the common entities decoded and
/// white space collapsed; footnote markers and the notes list are kept out.
pub fn plain_text(html: &str) -> String {
    let mut out = Collapsed::with_capacity(html.len() / 2);
    let mut rest = html;
    // Text inside these elements is not read as part of the article.
    let mut skip_depth = 0usize;
    while let Some(lt) = rest.find('<') {
        if skip_depth == 0 {
            out.push_text(&rest[..lt]);
        }
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        if tag.starts_with("sup class=\"footnote-ref\"") || tag.starts_with("section class=\"footnotes\"") {
            skip_depth += 1;
        } else if skip_depth > 0 && (tag == "/sup" || tag == "/section") {
            skip_depth -= 1;
        }
        if is_block(tag) {
            out.space = true;
        }
        rest = &rest[lt + gt + 1..];
    }
    if skip_depth == 0 {
        out.push_text(rest);
    }
    String::from_utf8(out.bytes).unwrap_or_default()
}

/// Text with each run of white space written as one space, none at either
/// end: built byte by byte, since articles are long and this runs for each.
struct Collapsed {
    bytes: Vec<u8>,
    /// White space seen since the last character written.
    space: bool,
}

impl Collapsed {
    fn with_capacity(n: usize) -> Self {
        Collapsed {
            bytes: Vec::with_capacity(n),
            space: false,
        }
    }

    /// Appends text, decoding character references.
    fn push_text(&mut self, text: &str) {
        if text.contains('&') {
            self.push(&html_escape::decode_html_entities(text));
        } else {
            self.push(text);
        }
    }

    fn push(&mut self, text: &str) {
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let n = whitespace_len(&b[i..]);
            if n > 0 {
                self.space = true;
                i += n;
                continue;
            }
            if self.space && !self.bytes.is_empty() {
                self.bytes.push(b' ');
            }
            self.space = false;
            self.bytes.push(b[i]);
            i += 1;
        }
    }
}

/// Length in bytes of the white-space character at the start of `b`, or 0
/// (Unicode's White_Space, as `char::is_whitespace`).
fn whitespace_len(b: &[u8]) -> usize {
    match b {
        [b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c, ..] => 1,
        [0xc2, 0x85 | 0xa0, ..] => 2,
        [0xe1, 0x9a, 0x80, ..] | [0xe3, 0x80, 0x80, ..] | [0xe2, 0x81, 0x9f, ..] => 3,
        [0xe2, 0x80, 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf, ..] => 3,
        _ => 0,
    }
}

fn is_block(tag: &str) -> bool {
    let name = tag.trim_start_matches('/');
    let name = name.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
    matches!(
        name,
        "p" | "li"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "br"
            | "td"
            | "th"
            | "blockquote"
            | "figcaption"
            | "div"
            | "section"
            | "pre"
            | "tr"
            | "dt"
            | "dd"
            | "hr"
    )
}

/// Number of words in plain text.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// Minutes to read `words`, at least one.
pub fn reading_minutes(words: usize) -> usize {
    words.div_ceil(WORDS_PER_MINUTE).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_without_tags_entities_or_notes() {
        let html = "<h2 id=\"a\">Costs &amp; risks</h2>\n<p>One<sup class=\"footnote-ref\"><a href=\"#fn-1\">1</a></sup> two&nbsp;three &#8212; four.</p><section class=\"footnotes\"><ol><li>A note.</li></ol></section>";
        assert_eq!(plain_text(html), "Costs & risks One two three — four.");
        assert_eq!(word_count(&plain_text(html)), 6);
        assert_eq!(word_count("  a — b,c  d "), 3);
    }

    #[test]
    fn white_space_collapses_as_char_is_whitespace_says() {
        let text = "\u{a0} a\u{2003}\u{2009}b\u{3000}c\u{200b}d  \n";
        let collapsed: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(plain_text(text), collapsed.join(" "));
        assert_eq!(plain_text("<p>a</p><p>b</p>"), "a b");
    }

    #[test]
    fn reading_time_rounds_up() {
        assert_eq!(reading_minutes(0), 1);
        assert_eq!(reading_minutes(231), 2);
    }
}
