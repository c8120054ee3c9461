//! What the index takes from one article, made from that article alone.

use super::TermMap;
use crate::render::text::raw_text;

/// A term in a headline counts this many times a term in the body.
const TITLE_WEIGHT: u32 = 8;

/// The parts of an article the index reads: all a [`SearchDoc`] depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SearchInput<'a> {
    /// The headline.
    pub title: &'a str,
    /// The summary (front matter, or the shortened first paragraph).
    pub summary: &'a str,
    /// The body as rendered HTML.
    pub html: &'a str,
}

/// One article's terms, weights and word counts: a pure function of its
/// [`SearchInput`], so it can be kept between builds and made again only
/// when that input changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SearchDoc {
    /// The terms in order, written end to end.
    text: Box<str>,
    /// Each term's end in `text` and its weight.
    terms: Box<[(u32, u32)]>,
    /// Words in the headline and the body: the article's length for ranking.
    length: u32,
    /// Words in the body, for the reading time.
    words: u32,
}

impl SearchDoc {
    /// Reads an article's terms: runs of letters and digits of its
    /// lowercased headline, body text and summary.
    pub fn extract(input: SearchInput<'_>) -> SearchDoc {
        // Lowercasing keeps white space and which characters are letters
        // or digits, so the body's words can be counted in its lowercase.
        let body = lowercase(raw_text(input.html));
        let title = lowercase(input.title.to_string());
        let summary = lowercase(input.summary.to_string());
        let mut counts: TermMap<&str, u32> = TermMap::with_capacity_and_hasher(512, Default::default());
        let mut length = 0u32;
        let mut add = |text, weight, counted| {
            for_each_word(text, |w| {
                *counts.entry(w).or_default() += weight;
                length += counted;
            })
        };
        let words = add(&body, 1, 1);
        add(&title, TITLE_WEIGHT, 1);
        add(&summary, 1, 0);
        let mut sorted: Vec<(&str, u32)> = counts.into_iter().collect();
        sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut text = String::with_capacity(sorted.iter().map(|(t, _)| t.len()).sum());
        let terms = sorted
            .into_iter()
            .map(|(term, weight)| {
                text.push_str(term);
                (text.len() as u32, weight)
            })
            .collect();
        SearchDoc {
            text: text.into(),
            terms,
            length,
            words: words as u32,
        }
    }

    /// The terms in order, each with its weight.
    pub fn terms(&self) -> impl Iterator<Item = (&str, u32)> + '_ {
        let mut start = 0;
        self.terms.iter().map(move |&(end, weight)| {
            let term = &self.text[start as usize..end as usize];
            start = end;
            (term, weight)
        })
    }

    /// Words in the headline and the body (the length search ranks by).
    pub fn length(&self) -> usize {
        self.length as usize
    }

    /// Words in the body, for the reading time.
    pub fn words(&self) -> usize {
        self.words as usize
    }
}

/// `text` lowercased as `str::to_lowercase` does, ASCII runs in place
/// (`to_lowercase` goes character by character after the first character
/// beyond ASCII, which is on most lines of an article: a dash, a quote).
fn lowercase(mut text: String) -> String {
    if text.contains('Σ') {
        // Its lowercase depends on the letters around it.
        return text.to_lowercase();
    }
    let mut at = 0;
    while at < text.len() {
        let ascii = text.as_bytes()[at..]
            .iter()
            .position(|b| !b.is_ascii())
            .map_or(text.len(), |n| at + n);
        text[at..ascii].make_ascii_lowercase();
        let Some(c) = text[ascii..].chars().next() else {
            break;
        };
        at = ascii + c.len_utf8();
        if c.to_lowercase().ne([c]) {
            return text[..ascii].to_string() + &text[ascii..].to_lowercase();
        }
    }
    text
}

/// Calls `f` with each run of letters and digits of already lowercased
/// text (`search.js` lowercases a query and splits it the same way), and
/// returns the number of words as [`word_count`] counts them: runs of
/// letters and digits with white space (or the start) before them.
///
/// [`word_count`]: crate::render::text::word_count
fn for_each_word<'t>(lower: &'t str, mut f: impl FnMut(&'t str)) -> usize {
    let b = lower.as_bytes();
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
        while i < b.len() {
            if b[i] < 0x80 {
                if !b[i].is_ascii_alphanumeric() {
                    break;
                }
                i += 1;
            } else {
                let c = lower[i..].chars().next().unwrap_or(' ');
                if !c.is_alphanumeric() {
                    break;
                }
                i += c.len_utf8();
            }
        }
        if i > start {
            f(&lower[start..i]);
            words += usize::from(spaced);
            spaced = false;
        } else {
            // A character beyond ASCII that is not a letter or digit.
            let c = lower[i..].chars().next().unwrap_or('x');
            spaced |= c.is_whitespace();
            i += c.len_utf8();
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(lower: &str) -> Vec<&str> {
        let mut found = Vec::new();
        for_each_word(lower, |w| found.push(w));
        found
    }

    #[test]
    fn terms_are_lowercase_words() {
        let lower = "Grid’s queue — 2024 Élan".to_lowercase();
        assert_eq!(words(&lower), ["grid", "s", "queue", "2024", "élan"]);
    }

    /// The byte-wise split gives what splitting at every character that is
    /// not `char::is_alphanumeric` gives.
    #[test]
    fn words_split_where_char_is_alphanumeric_says() {
        let text = "İstanbul’s ΟΔΟΣ, naïve—co-op 3½ ٣٤ 日本語 x\u{0301}y \u{a0}z!! ";
        let lower = text.to_lowercase();
        let expected: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        assert_eq!(words(&lower), expected);
        assert_eq!(for_each_word(&lower, |_| {}), crate::render::text::word_count(text));
    }

    /// Counting words in the lowercase is exact because lowercasing never
    /// changes whether a character is white space or a letter or digit.
    #[test]
    fn lowercasing_keeps_white_space_letters_and_digits() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let lower: Vec<char> = c.to_lowercase().collect();
            assert_eq!(c.is_alphanumeric(), lower.iter().any(|l| l.is_alphanumeric()), "{c:?}");
            assert_eq!(c.is_whitespace(), lower.iter().all(|l| l.is_whitespace()), "{c:?}");
        }
    }

    #[test]
    fn lowercase_is_str_to_lowercase() {
        for text in [
            "Grid’s Queue — ÉLAN",
            "ΟΔΟΣ ΟΔΟΣ.",
            "İstanbul",
            "plain ascii",
            "ǅ ß ẞ ſ",
            "",
        ] {
            assert_eq!(lowercase(text.to_string()), text.to_lowercase(), "{text}");
        }
    }

    #[test]
    fn a_doc_counts_headline_words_eight_times_and_summary_words_apart_from_its_length() {
        let doc = SearchDoc::extract(SearchInput {
            title: "Grid Queue",
            summary: "Queue reform",
            html: "<p>The grid<sup class=\"footnote-ref\"><a href=\"#fn-1\">1</a></sup> waits.</p>",
        });
        let terms: Vec<(&str, u32)> = doc.terms().collect();
        assert_eq!(
            terms,
            [("grid", 9), ("queue", 9), ("reform", 1), ("the", 1), ("waits", 1)]
        );
        assert_eq!((doc.length(), doc.words()), (5, 3));
    }
}
