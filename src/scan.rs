//! Scanning text eight bytes at a time (one `u64`), for the passes that
//! read every article's whole text: its words for the search index, its
//! white space for the excerpt, and control characters as it is read. Each function gives the first byte of a
//! word of 8 bytes where the byte-by-byte loop has to look, so runs of
//! ordinary text are crossed a word at a time.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;
const LOWS: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// Bytes of `x` below 0x80 that lie in `lo..=hi` (both below 0x80): the
/// high bit of each such byte, no other bit. Exact per byte: the sums never
/// carry from one byte into the next.
#[inline]
fn in_range(x: u64, lo: u8, hi: u8) -> u64 {
    let low = x & LOWS;
    let at_least_lo = low.wrapping_add(ONES * u64::from(0x80 - lo));
    let above_hi = low.wrapping_add(ONES * u64::from(0x7f - hi));
    at_least_lo & !above_hi & !x & HIGHS
}

/// The 8 bytes at `i` as a `u64`, the first byte lowest.
#[inline]
fn word_at(b: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or_default())
}

/// The index of the first flagged byte in `mask` (high bits of bytes).
#[inline]
fn first(mask: u64) -> usize {
    mask.trailing_zeros() as usize / 8
}

/// From `i`, the first byte of `b` that is not an ASCII letter or digit
/// (or `b.len()`).
#[inline]
pub(crate) fn ascii_alphanumeric_end(b: &[u8], mut i: usize) -> usize {
    while i + 8 <= b.len() {
        let x = word_at(b, i);
        let word = in_range(x | 0x2020_2020_2020_2020, b'a', b'z') | in_range(x, b'0', b'9');
        let other = !word & HIGHS;
        if other != 0 {
            return i + first(other);
        }
        i += 8;
    }
    i + b[i..]
        .iter()
        .position(|c| !c.is_ascii_alphanumeric())
        .unwrap_or(b.len() - i)
}

/// From `i`, the first byte of `b` that may start white space other than
/// a lone ASCII space between two bytes that are not white space: a byte
/// below `!` that is not such a space, or any byte beyond ASCII (the caller
/// looks closer), or `b.len()`. A space that is the last byte of a word of
/// eight is given too (its next byte is not looked at).
#[inline]
pub(crate) fn spacing_start(b: &[u8], mut i: usize) -> usize {
    while i + 8 <= b.len() {
        let x = word_at(b, i);
        let below = in_range(x, 0, b' ');
        let spaces = in_range(x, b' ', b' ');
        let high = x & HIGHS;
        // A space whose next byte may be white space, or the last byte.
        let doubtful = spaces & (((below | high) >> 8) | (HIGHS << 56));
        let stop = (below & !spaces) | high | doubtful;
        if stop != 0 {
            return i + first(stop);
        }
        i += 8;
    }
    while i < b.len() {
        let c = b[i];
        if c > b' ' && c < 0x80 {
            i += 1;
        } else if c == b' ' && b.get(i + 1).is_some_and(|&n| n > b' ' && n < 0x80) {
            i += 2;
        } else {
            break;
        }
    }
    i
}

/// From `i`, the first byte of `b` that may start a control character
/// other than tab and line feed: a byte below 0x20 but those two, 0x7f, or
/// 0xc2 (which starts U+0080 to U+00BF: the caller looks closer), or
/// `b.len()`.
#[inline]
pub(crate) fn control_start(b: &[u8], mut i: usize) -> usize {
    let doubtful = |c: u8| (c < 0x20 && c != b'\n' && c != b'\t') || c == 0x7f || c == 0xc2;
    while i + 8 <= b.len() {
        let x = word_at(b, i);
        let stop =
            in_range(x, 0, 0x08) | in_range(x, 0x0b, 0x1f) | in_range(x, 0x7f, 0x7f) | in_range(x ^ HIGHS, 0x42, 0x42);
        if stop != 0 {
            return i + first(stop);
        }
        i += 8;
    }
    b[i..].iter().position(|&c| doubtful(c)).map_or(b.len(), |p| i + p)
}

/// `count` texts, each up to `most - 1` of `pieces` picked by a seeded
/// xorshift, for tests that compare a fast scan with its definition.
#[cfg(test)]
pub(crate) fn mixed_texts(pieces: &[&str], most: u64, count: usize) -> Vec<String> {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    (0..count)
        .map(|_| {
            let mut text = String::new();
            for _ in 0..(seed % most) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            text
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_exact_for_every_byte() {
        for c in 0..=255u8 {
            for (lo, hi) in [(b'a', b'z'), (b'0', b'9'), (0, b' '), (b' ', b' ')] {
                let x = u64::from_le_bytes([b'!', c, b'~', 0xff, c, 0, 0x80, c]);
                let mask = in_range(x, lo, hi);
                for (k, &byte) in x.to_le_bytes().iter().enumerate() {
                    let flagged = mask >> (8 * k + 7) & 1 == 1;
                    assert_eq!(flagged, (lo..=hi).contains(&byte), "{byte:#x} in {lo}..={hi}");
                }
                assert_eq!(mask & !HIGHS, 0);
            }
        }
    }

    /// Both scans against their byte-by-byte definitions, at every start,
    /// on text made of pieces that sit across the 8-byte boundaries.
    #[test]
    fn scans_match_their_definitions() {
        let pieces = [
            "a", "Z", "9", " ", "  ", "\n", "\t", ".", "é", "\u{a0}", "—", "word", "\u{3000}", "x y", "\u{7}",
            "\u{1f}", "\u{7f}", "\u{85}", "\r",
        ];
        for text in mixed_texts(&pieces, 30, 3000) {
            let b = text.as_bytes();
            for i in 0..=b.len() {
                let alnum = b[i..]
                    .iter()
                    .position(|c| !c.is_ascii_alphanumeric())
                    .map_or(b.len(), |p| i + p);
                assert_eq!(ascii_alphanumeric_end(b, i), alnum, "{text:?} from {i}");
                let control = b[i..]
                    .iter()
                    .position(|&c| (c < 0x20 && c != b'\n' && c != b'\t') || c == 0x7f || c == 0xc2)
                    .map_or(b.len(), |p| i + p);
                assert_eq!(control_start(b, i), control, "{text:?} from {i}");
                let stop = spacing_start(b, i);
                assert!(stop >= i && stop <= b.len());
                // Nothing skipped needs a look: every byte before the stop
                // is printable ASCII, or a space followed by such a byte.
                for k in i..stop {
                    let next = b.get(k + 1).copied().unwrap_or(0);
                    let plain = |c: u8| c > b' ' && c < 0x80;
                    assert!(plain(b[k]) || (b[k] == b' ' && plain(next)), "{text:?} from {i} at {k}");
                }
            }
        }
    }
}
