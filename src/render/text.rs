//! An article's words, from its rendered HTML: plain text for the search
//! index and excerpts, word counts and reading time for readers.
//!
//! This runs over every article's body for the search index and again for
//! its excerpt, so text is copied in runs (between tags, between spaces),
//! never character by character.

/// Words a reader gets through in a minute, for the reading time.
pub const WORDS_PER_MINUTE: usize = 230;

/// The text of `html` with tags dropped, the common entities decoded and
/// white space collapsed; footnote markers and the notes list are kept out.
pub fn plain_text(html: &str) -> String {
    with_plain_text(html, str::to_string)
}

/// Calls `f` with [`plain_text`] of `html`, made in this thread's buffer
/// (see [`with_raw_text`]).
pub fn with_plain_text<T>(html: &str, f: impl FnOnce(&str) -> T) -> T {
    with_raw_text(html, |raw| {
        collapse(raw);
        f(raw)
    })
}

/// Words in `html`'s text, as [`word_count`] of [`plain_text`] counts them,
/// without making that text.
pub fn html_word_count(html: &str) -> usize {
    with_raw_text(html, |raw| for_each_word(raw, |_| {}))
}

/// Calls `f` with the raw text of `html` (see [`push_raw_text`]; white
/// space not yet collapsed), made in a buffer this thread keeps from one
/// article to the next (`f` must not call this again).
pub fn with_raw_text<T>(html: &str, f: impl FnOnce(&mut String) -> T) -> T {
    thread_local! {
        static RAW: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    RAW.with(|raw| {
        let mut raw = raw.borrow_mut();
        raw.clear();
        push_raw_text(&mut raw, html);
        let found = f(&mut raw);
        // A very long article's buffer is not kept for every later one.
        if raw.capacity() > 1 << 20 {
            *raw = String::new();
        }
        found
    })
}

/// Appends the text of `html` to `out` with tags dropped and entities
/// decoded, footnote markers and notes left out, and a space where a block
/// starts or ends; white space is left as it is. Text is copied a run
/// between tags at a time.
fn push_raw_text(out: &mut String, html: &str) {
    out.reserve(html.len());
    let mut rest = html;
    // Text inside these elements is not read as part of the article.
    let mut skip_depth = 0usize;
    while let Some(lt) = memchr::memchr(b'<', rest.as_bytes()) {
        if skip_depth == 0 {
            push_decoded(out, &rest[..lt]);
        }
        let Some(gt) = memchr::memchr(b'>', &rest.as_bytes()[lt..]) else {
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        if tag.starts_with("sup class=\"footnote-ref\"") || tag.starts_with("section class=\"footnotes\"") {
            skip_depth += 1;
        } else if skip_depth > 0 && (tag == "/sup" || tag == "/section") {
            skip_depth -= 1;
        }
        if is_block(tag) {
            out.push(' ');
        }
        rest = &rest[lt + gt + 1..];
    }
    if skip_depth == 0 {
        push_decoded(out, rest);
    }
}

/// Appends text, decoding character references.
fn push_decoded(out: &mut String, text: &str) {
    if memchr::memchr(b'&', text.as_bytes()).is_some() {
        out.push_str(&html_escape::decode_html_entities(text));
    } else {
        out.push_str(text);
    }
}

/// Collapses `text` in place: each run of white space becomes one space,
/// none is left at either end (as `split_whitespace` then `join(" ")`).
/// Runs of other characters and lone spaces are moved whole.
pub(super) fn collapse(text: &mut String) {
    let mut b = std::mem::take(text).into_bytes();
    let (mut i, mut end) = (0, 0);
    while i < b.len() {
        let n = whitespace_len(&b[i..]);
        if n > 0 {
            i += n;
            continue;
        }
        let start = i;
        i += 1;
        // To the next byte that may start white space, then check it. A
        // lone space between words stays as it is, so a run is most often a
        // whole sentence or more, moved at once (not a word at a time).
        loop {
            i = crate::scan::spacing_start(&b, i);
            if i == b.len() {
                break;
            }
            if b[i] == b' ' && i + 1 < b.len() && whitespace_len(&b[i + 1..]) == 0 {
                i += 2;
                continue;
            }
            if whitespace_len(&b[i..]) > 0 {
                break;
            }
            i += 1;
        }
        // The space and the run land before `start`, on bytes already read.
        if end > 0 {
            b[end] = b' ';
            end += 1;
        }
        if end != start {
            b.copy_within(start..i, end);
        }
        end += i - start;
    }
    b.truncate(end);
    // White space is whole characters, so the runs moved are too.
    *text = String::from_utf8(b).unwrap_or_default();
}

/// Calls `f` with each run of letters and digits of `text` (the search
/// index's terms; `search.js` splits a query the same way), and returns
/// the number of words as [`word_count`] counts them: runs of letters and
/// digits with white space (or the start) before them. Lowercasing changes
/// neither which characters are letters or digits nor which are white space.
pub fn for_each_word<'t>(text: &'t str, mut f: impl FnMut(&'t str)) -> usize {
    let b = text.as_bytes();
    let mut words = 0;
    let mut i = 0;
    let mut spaced = true;
    while i < b.len() {
        // Skip to the next letter or digit, ASCII characters at a byte's cost.
        let c = b[i];
        if c < 0x80 && !c.is_ascii_alphanumeric() {
            spaced |= matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
            i += 1;
            continue;
        }
        let start = i;
        loop {
            // ASCII letters and digits eight at a time, then a character
            // beyond ASCII that may continue the word.
            i = crate::scan::ascii_alphanumeric_end(b, i);
            if b.get(i).is_none_or(u8::is_ascii) {
                break;
            }
            match text[i..].chars().next() {
                Some(c) if c.is_alphanumeric() => i += c.len_utf8(),
                _ => break,
            }
        }
        if i > start {
            f(&text[start..i]);
            words += usize::from(spaced);
            spaced = false;
        } else {
            // A character beyond ASCII that is not a letter or digit.
            let c = text[i..].chars().next().unwrap_or('x');
            spaced |= c.is_whitespace();
            i += c.len_utf8();
        }
    }
    words
}

/// Length in bytes of the white-space character at the start of `b`, or 0
/// (Unicode's White_Space, as `char::is_whitespace`).
#[inline]
fn whitespace_len(b: &[u8]) -> usize {
    match b {
        [0x21..=0x7f | 0x80..=0xc1 | 0xc3..=0xe0 | 0xe4..=0xff, ..] => 0,
        [b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c, ..] => 1,
        [0xc2, 0x85 | 0xa0, ..] => 2,
        [0xe1, 0x9a, 0x80, ..] | [0xe3, 0x80, 0x80, ..] | [0xe2, 0x81, 0x9f, ..] => 3,
        [0xe2, 0x80, 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf, ..] => 3,
        _ => 0,
    }
}

/// Whether the tag (its text between `<` and `>`) starts or ends a block,
/// which separates words.
fn is_block(tag: &str) -> bool {
    let name = tag.strip_prefix('/').unwrap_or(tag);
    let end = name
        .bytes()
        .position(|b| b == b'/' || b.is_ascii_whitespace() || b >= 0x80)
        .unwrap_or(name.len());
    let name = match name.as_bytes().get(end) {
        // A name may also end at white space beyond ASCII.
        Some(&b) if b >= 0x80 => name.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or(""),
        _ => &name[..end],
    };
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
        assert_eq!(html_word_count(html), 6);
        assert_eq!(word_count("  a — b,c  d "), 3);
    }

    #[test]
    fn white_space_collapses_as_char_is_whitespace_says() {
        let text = "\u{a0} a\u{2003}\u{2009}b\u{3000}c\u{200b}d  \n";
        let collapsed: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(plain_text(text), collapsed.join(" "));
        assert_eq!(plain_text("<p>a</p><p>b</p>"), "a b");
        // Lone spaces stay inside a run; one next to other white space does not.
        for text in [
            "a b c ",
            " a b\u{a0}c",
            "a \u{a0}b",
            "a \u{2003} b c",
            "a b",
            "é — b\n c",
        ] {
            let collapsed: Vec<&str> = text.split_whitespace().collect();
            assert_eq!(plain_text(text), collapsed.join(" "), "{text:?}");
        }
    }

    /// The one-pass extraction must give what the plain definitions give:
    /// tags dropped, entities decoded, then `split_whitespace` and
    /// `word_count` over the result.
    #[test]
    fn one_pass_extraction_matches_the_definitions() {
        let pieces = [
            "<p>",
            "</p>",
            "<em>",
            "</em>",
            "<br/>",
            "<li class=\"x\">",
            "<h2 id=\"é\">",
            "</h2>",
            "<td>",
            "<sup class=\"footnote-ref\"><a href=\"#fn\">1</a></sup>",
            "<section class=\"footnotes\"><ol><li>note</li></ol></section>",
            "word",
            "Word",
            "<p\u{a0}x>",
            "<pé>",
            "</li\u{3000}>",
            " ",
            "  ",
            "\n",
            "\t",
            "\u{a0}",
            "\u{2003}",
            "\u{3000}",
            "\u{1680}",
            "\u{85}",
            "\u{200b}",
            "—",
            "–",
            ",",
            ".",
            "&amp;",
            "&nbsp;",
            "&#8212;",
            "&quot;",
            "é",
            "İ",
            "Σ",
            "日本",
            "٣",
            "&",
            "&zz;",
            "ok&amp;go",
        ];
        for html in crate::scan::mixed_texts(&pieces, 24, 3000) {
            let expected = reference_text(&html);
            assert_eq!(plain_text(&html), expected, "{html:?}");
            assert_eq!(html_word_count(&html), word_count(&expected), "{html:?}");
        }
    }

    /// Tags dropped, notes left out, blocks separated, entities decoded,
    /// white space collapsed: the slow, obvious way.
    fn reference_text(html: &str) -> String {
        let mut raw = String::new();
        let mut rest = html;
        let mut skip = 0usize;
        while let Some(lt) = rest.find('<') {
            if skip == 0 {
                raw.push_str(&html_escape::decode_html_entities(&rest[..lt]));
            }
            let Some(gt) = rest[lt..].find('>') else { break };
            let tag = &rest[lt + 1..lt + gt];
            if tag.starts_with("sup class=\"footnote-ref\"") || tag.starts_with("section class=\"footnotes\"") {
                skip += 1;
            } else if skip > 0 && (tag == "/sup" || tag == "/section") {
                skip -= 1;
            }
            let name = tag.trim_start_matches('/');
            let name = name.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
            if BLOCKS.contains(&name) {
                raw.push(' ');
            }
            rest = &rest[lt + gt + 1..];
        }
        if skip == 0 {
            raw.push_str(&html_escape::decode_html_entities(rest));
        }
        raw.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    const BLOCKS: &[&str] = &[
        "p",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "br",
        "td",
        "th",
        "blockquote",
        "figcaption",
        "div",
        "section",
        "pre",
        "tr",
        "dt",
        "dd",
        "hr",
    ];

    /// The scan for white space stops at every byte one can start with.
    #[test]
    fn every_white_space_character_starts_with_a_byte_the_scan_stops_at() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let mut bytes = [0u8; 4];
            let encoded = c.encode_utf8(&mut bytes).as_bytes();
            assert_eq!(whitespace_len(encoded) > 0, c.is_whitespace(), "{c:?}");
            if c.is_whitespace() {
                assert!(encoded[0] <= b' ' || encoded[0] >= 0x80, "{c:?}");
            }
        }
    }

    #[test]
    fn reading_time_rounds_up() {
        assert_eq!(reading_minutes(0), 1);
        assert_eq!(reading_minutes(231), 2);
    }
}
