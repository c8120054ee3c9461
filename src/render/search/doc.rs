//! What the index takes from one article, made from that article alone.

use super::TermMap;
use crate::render::text::{for_each_word, with_raw_text};
use std::fmt;
use std::sync::{Arc, OnceLock};

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
/// when that input changes. A kept doc's terms may be read only when first
/// asked for (`SearchDoc::stored`): after one edit, the index reads the
/// terms of the few docs that changed, not the archive's.
#[derive(Clone, Default)]
pub struct SearchDoc {
    terms: OnceLock<Terms>,
    source: Option<Arc<dyn TermsSource>>,
    /// Words in the headline and the body: the article's length for ranking.
    length: u32,
    /// Words in the body, for the reading time.
    words: u32,
}

/// A doc's terms.
#[derive(Clone, Default, PartialEq, Eq)]
struct Terms {
    /// The terms in order, written end to end.
    text: Box<str>,
    /// Each term's end in `text` and its weight.
    ends: Box<[(u32, u32)]>,
}

/// Where the terms of a doc kept elsewhere are read from.
pub trait TermsSource: Send + Sync {
    /// The doc as it was kept (made with `SearchDoc::from_parts`), or none
    /// when it cannot be read whole (the source notes why).
    fn load(&self) -> Option<SearchDoc>;
}

impl PartialEq for SearchDoc {
    fn eq(&self, other: &SearchDoc) -> bool {
        (self.loaded(), self.length, self.words) == (other.loaded(), other.length, other.words)
    }
}

impl Eq for SearchDoc {}

impl fmt::Debug for SearchDoc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (text, ends, length, words) = self.parts();
        f.debug_struct("SearchDoc")
            .field("text", &text)
            .field("ends", &ends)
            .field("length", &length)
            .field("words", &words)
            .finish()
    }
}

impl<'a> SearchInput<'a> {
    /// Calls `f` with the input lowercased: its terms are read from that.
    pub(super) fn lowercased<T>(&self, f: impl FnOnce(Lowercase<'_>) -> T) -> T {
        with_raw_text(self.html, |body| {
            lowercase(body);
            let mut title = self.title.to_string();
            lowercase(&mut title);
            let mut summary = self.summary.to_string();
            lowercase(&mut summary);
            f(Lowercase {
                body,
                title: &title,
                summary: &summary,
            })
        })
    }
}

/// An article's headline, body text and summary, lowercased.
pub(super) struct Lowercase<'t> {
    body: &'t str,
    title: &'t str,
    summary: &'t str,
}

/// What [`Lowercase::for_each_term`] counts of an article.
pub(super) struct Counts {
    /// Terms in the headline and the body: the article's length for ranking.
    pub(super) length: u32,
    /// Words in the body, for the reading time.
    pub(super) words: u32,
}

impl<'t> Lowercase<'t> {
    /// Calls `add` with each term (run of letters and digits) of the body,
    /// headline and summary, in that order, and its weight: a term comes
    /// once for each time it is written.
    pub(super) fn for_each_term(&self, mut add: impl FnMut(&'t str, u32)) -> Counts {
        let mut length = 0u32;
        // Lowercasing keeps white space and which characters are letters
        // or digits, so the body's words can be counted in its lowercase.
        let words = for_each_word(self.body, |w| {
            add(w, 1);
            length += 1;
        });
        for_each_word(self.title, |w| {
            add(w, TITLE_WEIGHT);
            length += 1;
        });
        for_each_word(self.summary, |w| add(w, 1));
        Counts {
            length,
            words: words as u32,
        }
    }
}

impl SearchDoc {
    /// Reads an article's terms: runs of letters and digits of its
    /// lowercased headline, body text and summary.
    pub fn extract(input: SearchInput<'_>) -> SearchDoc {
        input.lowercased(|lower| {
            let mut counts: TermMap<&str, u32> = TermMap::with_capacity_and_hasher(512, Default::default());
            let found = lower.for_each_term(|term, weight| *counts.entry(term).or_default() += weight);
            SearchDoc::of_counts(counts, found)
        })
    }

    /// The doc of an article's terms with their weights.
    fn of_counts(counts: TermMap<&str, u32>, found: Counts) -> SearchDoc {
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
            terms: OnceLock::from(Terms {
                text: text.into(),
                ends: terms,
            }),
            source: None,
            length: found.length,
            words: found.words,
        }
    }

    /// A kept doc of `length` and `words`, its terms read from `source`
    /// when first asked for (none if they cannot be read).
    pub fn stored(length: u32, words: u32, source: Arc<dyn TermsSource>) -> SearchDoc {
        SearchDoc {
            terms: OnceLock::new(),
            source: Some(source),
            length,
            words,
        }
    }

    /// Its terms, reading them if they were not yet.
    fn loaded(&self) -> &Terms {
        self.terms.get_or_init(|| {
            let doc = self.source.as_ref().and_then(|s| s.load());
            doc.and_then(|d| d.terms.into_inner()).unwrap_or_default()
        })
    }

    /// The terms in order, each with its weight.
    pub fn terms(&self) -> impl Iterator<Item = (&str, u32)> + '_ {
        let Terms { text, ends } = self.loaded();
        let mut start = 0;
        ends.iter().map(move |&(end, weight)| {
            let term = &text[start as usize..end as usize];
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

    /// Its parts as they are held: the terms written end to end, each
    /// term's end and weight, the length and the words (a cache stores them).
    pub fn parts(&self) -> (&str, &[(u32, u32)], u32, u32) {
        let Terms { text, ends } = self.loaded();
        (text, ends, self.length, self.words)
    }

    /// The doc of `parts` (as `parts` gave them); none when a term's end
    /// is out of order or not at a character's boundary in `text`.
    pub fn from_parts(text: Box<str>, terms: Box<[(u32, u32)]>, length: u32, words: u32) -> Option<SearchDoc> {
        let mut start = 0;
        for &(end, _) in &*terms {
            (start <= end && text.is_char_boundary(end as usize)).then_some(())?;
            start = end;
        }
        (start as usize == text.len()).then_some(SearchDoc {
            terms: OnceLock::from(Terms { text, ends: terms }),
            source: None,
            length,
            words,
        })
    }
}

/// Lowercases `text` in place as `str::to_lowercase` does: ASCII letters
/// all at once, then only the characters beyond ASCII are looked at
/// (`to_lowercase` goes character by character after the first character
/// beyond ASCII, which is on most lines of an article: a dash, a quote).
fn lowercase(text: &mut String) {
    if text.contains('Σ') {
        // Its lowercase depends on the letters around it.
        *text = text.to_lowercase();
        return;
    }
    text.make_ascii_lowercase();
    let mut at = 0;
    while let Some(n) = beyond_ascii(&text.as_bytes()[at..]) {
        let start = at + n;
        let Some(c) = text[start..].chars().next() else {
            break;
        };
        if c.to_lowercase().ne([c]) {
            let rest = text[start..].to_lowercase();
            text.truncate(start);
            text.push_str(&rest);
            return;
        }
        at = start + c.len_utf8();
    }
}

/// The position of the first byte beyond ASCII, looked for sixteen bytes
/// at a time.
fn beyond_ascii(bytes: &[u8]) -> Option<usize> {
    let mut runs = bytes.chunks_exact(16);
    let mut skipped = 0;
    for run in &mut runs {
        if run.iter().fold(0, |any, &b| any | b) >= 0x80 {
            break;
        }
        skipped += 16;
    }
    bytes[skipped..].iter().position(|&b| b >= 0x80).map(|n| skipped + n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowercase(text: &str) -> String {
        let mut text = text.to_string();
        super::lowercase(&mut text);
        text
    }

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

    /// The same on texts whose words and gaps fall anywhere across the
    /// eight-byte words the scan reads at once.
    #[test]
    fn words_split_the_same_across_eight_byte_boundaries() {
        let pieces = [
            "a",
            "Z9",
            "longerword",
            " ",
            ".",
            "é",
            "ΟΔΟΣ",
            "—",
            "\u{a0}",
            "\n",
            "x\u{0301}",
            "٣",
        ];
        for text in crate::scan::mixed_texts(&pieces, 20, 3000) {
            let expected: Vec<&str> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            assert_eq!(words(&text), expected, "{text:?}");
            assert_eq!(
                for_each_word(&text, |_| {}),
                crate::render::text::word_count(&text),
                "{text:?}"
            );
        }
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
            "A long ASCII RUN — then “QUOTES” AND MORE CAPITALS Ünd ÀFTER IT",
            "ΟΔΟΣ ΟΔΟΣ.",
            "İstanbul",
            "plain ascii",
            "ǅ ß ẞ ſ",
            "",
        ] {
            assert_eq!(lowercase(text), text.to_lowercase(), "{text}");
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
