//! Text rewriting that remembers where each output byte came from, so a
//! warning raised after several passes still names the source line.

use std::ops::Range;

/// Replacements on one text: non-overlapping ranges of the input, each with
/// the text that takes its place.
#[derive(Debug, Default)]
pub struct Edits {
    items: Vec<(Range<usize>, String)>,
}

impl Edits {
    /// Replaces `range` of the input with `text`.
    pub fn replace(&mut self, range: Range<usize>, text: impl Into<String>) {
        self.items.push((range, text.into()));
    }

    /// The same edits with every range moved `by` bytes earlier: for edits
    /// recorded in a larger text's offsets, applied to a part of it.
    pub fn shifted(self, by: usize) -> Edits {
        let items = self
            .items
            .into_iter()
            .map(|(range, text)| (range.start - by..range.end - by, text))
            .collect();
        Edits { items }
    }

    /// True when no replacement was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Applies the edits to `input`. Overlapping edits after the first are
    /// ignored.
    pub fn apply(mut self, input: &str) -> (String, OffsetMap) {
        self.items.sort_by_key(|(range, _)| (range.start, range.end));
        let mut out = String::with_capacity(input.len());
        let mut map = OffsetMap::default();
        let mut pos = 0;
        for (range, text) in self.items {
            if range.start < pos || range.end > input.len() {
                continue;
            }
            map.segments.push((out.len(), pos, true));
            out.push_str(&input[pos..range.start]);
            map.segments.push((out.len(), range.start, false));
            out.push_str(&text);
            pos = range.end;
        }
        map.segments.push((out.len(), pos, true));
        out.push_str(&input[pos..]);
        (out, map)
    }
}

/// Maps offsets in a rewritten text back to offsets in its input.
#[derive(Debug, Default, Clone)]
pub struct OffsetMap {
    /// (output start, input start, copied verbatim)
    segments: Vec<(usize, usize, bool)>,
}

impl OffsetMap {
    /// The input offset that produced output offset `offset`.
    pub fn to_input(&self, offset: usize) -> usize {
        let index = self.segments.partition_point(|(out_start, _, _)| *out_start <= offset);
        match index.checked_sub(1).map(|i| self.segments[i]) {
            Some((out_start, in_start, true)) => in_start + (offset - out_start),
            Some((_, in_start, false)) => in_start,
            None => offset,
        }
    }
}

/// A text produced by a chain of rewrites, able to name the line of the
/// original source that any of its offsets came from.
#[derive(Debug, Clone)]
pub struct Tracked {
    pub text: String,
    maps: Vec<OffsetMap>,
    original_line_starts: Vec<usize>,
    first_line: usize,
}

impl Tracked {
    /// Starts tracking `text`, whose first line is line `first_line` of its file.
    pub fn new(text: String, first_line: usize) -> Tracked {
        let original_line_starts = line_starts(&text);
        Tracked {
            text,
            maps: Vec::new(),
            original_line_starts,
            first_line,
        }
    }

    /// Applies `edits` to the current text.
    pub fn apply(&mut self, edits: Edits) {
        if edits.is_empty() {
            return;
        }
        let (text, map) = edits.apply(&self.text);
        self.text = text;
        self.maps.push(map);
    }

    /// The 1-based line of the source file that produced `offset` of the
    /// current text.
    pub fn line_of(&self, offset: usize) -> usize {
        let original = self.maps.iter().rev().fold(offset, |off, map| map.to_input(off));
        let index = self.original_line_starts.partition_point(|s| *s <= original);
        self.first_line + index.saturating_sub(1)
    }
}

/// Byte offsets where each line of `text` starts.
pub fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_survive_two_rewrites() {
        let mut tracked = Tracked::new("a\n{% x\ny %}\nb\nc".to_string(), 10);
        let mut edits = Edits::default();
        edits.replace(2..11, "X");
        tracked.apply(edits);
        assert_eq!(tracked.text, "a\nX\nb\nc");
        let mut edits = Edits::default();
        edits.replace(0..1, "AAA\nAAA");
        tracked.apply(edits);
        assert_eq!(tracked.text, "AAA\nAAA\nX\nb\nc");
        let b = tracked.text.find('b').unwrap();
        assert_eq!(tracked.line_of(b), 13);
        let x = tracked.text.find('X').unwrap();
        assert_eq!(tracked.line_of(x), 11);
        assert_eq!(tracked.line_of(0), 10);
    }
}
